//! The trust model for paths: where the build and the commands that write
//! files may read, write and delete, whatever the site's own files say.
//!
//! A dossier's repository takes contributions, so nothing in it is taken
//! as a place to write or delete: a manifest lists paths that are checked
//! to be plain names below the folder it describes, a folder left beside
//! the output is touched only when the output's lock file recorded it, and
//! no file is created, replaced or deleted through a symbolic link. This
//! module holds those rules; `write`, `site` and `discover` call them. It
//! never decides what to write, only whether a path may be used.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::bail;

/// The name of the manifest a build writes into its output folder (see
/// `write`): the one file at the top of an output no setting may name.
pub const MANIFEST: &str = ".dossier-output";

/// Whether `name` may be listed in `[build] keep`: one plain name.
pub fn is_keepable(name: &str) -> bool {
    !name.contains(['/', '\\']) && is_plain_relative(name) && name != MANIFEST
}

/// Whether `path` (with `/` separators) is a plain relative path: no
/// empty, `.` or `..` part, no root, no drive, no backslash. Only such a
/// path may be joined to a folder to name something inside it.
pub fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && path.split('/').all(|part| {
            !part.is_empty() && part != "." && part != ".." && !part.contains(['\\', ':', '\0'])
        })
}

/// Whether `path` is a folder and not a symbolic link to one.
pub fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// The path of `relative` under `base`, refused when `relative` is not a
/// plain relative path or when any part of it that exists is a symbolic
/// link (or, short of the last part, not a folder). What does not exist
/// yet will be created as a real folder or file, so a path that passes
/// stays under `base` however the folders were made.
pub fn confined(base: &Path, relative: &str) -> anyhow::Result<PathBuf> {
    if !is_plain_relative(relative) {
        bail!(
            "refusing to write `{relative}` under {}: it is not a plain path inside that folder",
            base.display()
        );
    }
    let mut path = base.to_path_buf();
    let parts: Vec<&str> = relative.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => bail!(
                "refusing to write through {}: it is a symbolic link, which could point outside the site; replace the link with a real {}",
                path.display(),
                if i + 1 == parts.len() {
                    "file"
                } else {
                    "folder"
                }
            ),
            Ok(meta) if i + 1 < parts.len() && !meta.is_dir() => bail!(
                "cannot write {relative} under {}: {} is a file, not a folder",
                base.display(),
                path.display()
            ),
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => break,
            Err(error) => {
                return Err(
                    anyhow::Error::new(error).context(format!("cannot look at {}", path.display()))
                );
            }
        }
    }
    Ok(base.join(relative))
}

/// Opens a file for writing without following a symbolic link in its last
/// part: on Unix the system refuses (`O_NOFOLLOW`); elsewhere the link is
/// looked for first.
pub fn open_no_follow(path: &Path, options: &mut fs::OpenOptions) -> io::Result<fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "it is a symbolic link",
        ));
    }
    options.open(path)
}

/// Writes `bytes` to `path`, replacing a file but never following a link.
pub fn write_no_follow(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = open_no_follow(
        path,
        fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true),
    )?;
    io::Write::write_all(&mut file, bytes)
}

/// What identifies a folder on this machine beyond its name: the device
/// and inode on Unix, the creation time elsewhere. A folder planted in a
/// repository cannot carry the identity of one a build made here, so the
/// lock file records these, not names. `None` where the system gives
/// neither.
pub fn identity(path: &Path) -> Option<String> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        Some(format!("{}:{}", meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let created = meta.created().ok()?;
        let since = created.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(format!("created:{}", since.as_nanos()))
    }
}

/// File endings a browser renders as a document or runs as a program, so a
/// copy published beside the pages would run its script on the site's
/// origin (where the web editor keeps its login): HTML in its forms, SVG,
/// XML and the formats built on it, scripts, and pages a server runs.
pub const ACTIVE_TYPES: &[&str] = &[
    "htm", "html", "shtml", "xht", "xhtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "xslt",
    "rss", "atom", "rdf", "js", "mjs", "cjs", "wasm", "swf", "php", "phtml", "asp", "aspx", "jsp",
    "cgi", "pl", "py", "htaccess",
];

/// Whether a file's name ends in one of the [`ACTIVE_TYPES`], in any case.
pub fn is_active_type(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, ending)| {
        ACTIVE_TYPES
            .iter()
            .any(|active| ending.eq_ignore_ascii_case(active))
    })
}

/// The output folder that `[build] output_dir` names: inside the site,
/// reached through no symbolic link. `Err` says why not.
pub fn output_in_site(root: &Path, output_dir: &str) -> Result<PathBuf, String> {
    let relative = output_dir.trim_end_matches('/');
    if !is_plain_relative(relative) {
        return Err(format!(
            "`[build] output_dir = \"{output_dir}\"` in site.toml names a folder outside the site"
        ));
    }
    let mut path = root.to_path_buf();
    for part in relative.split('/') {
        path.push(part);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "`[build] output_dir = \"{output_dir}\"` in site.toml goes through `{}`, a symbolic link",
                path.strip_prefix(root).unwrap_or(&path).display()
            ));
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_relative_paths() {
        for good in ["a", "a/b.html", "data/dossier.json", ".dossier-output"] {
            assert!(is_plain_relative(good), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a\\..\\b",
            "C:/x",
            "a/",
        ] {
            assert!(!is_plain_relative(bad), "{bad}");
        }
    }

    #[test]
    fn active_types_in_any_case() {
        for active in [
            "copy.html",
            "a.HTM",
            "x.svg",
            "feed.XML",
            "x.xhtml",
            "app.js",
        ] {
            assert!(is_active_type(active), "{active}");
        }
        for passive in ["report.pdf", "photo.jpg", "data.csv", "notes.txt", "README"] {
            assert!(!is_active_type(passive), "{passive}");
        }
    }

    #[test]
    fn output_dir_stays_in_the_site() {
        let root = Path::new("/nonexistent-site");
        assert!(output_in_site(root, "public").is_ok());
        assert!(output_in_site(root, "build/site/").is_ok());
        assert!(output_in_site(root, "../other/public").is_err());
        assert!(output_in_site(root, "/var/www").is_err());
    }
}
