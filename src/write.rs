//! The output folder: the only module that creates, replaces or deletes
//! files (it also creates the files of `dossier new` and `dossier init`,
//! never over an existing one).
//!
//! A build writes into a staging folder beside the output, and only when
//! every page has been written does it swap the staging folder into place.
//! A failed build therefore leaves the published folder exactly as it was.
//! Folders that `dossier` did not write (no marker file) are never deleted,
//! and the output may not be a folder whose loss would hurt: the file-system
//! root, the home folder, the site itself or its sources.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail};

/// Written into every output folder, so that a later build knows the folder
/// is its own to replace.
pub const MARKER: &str = ".dossier-output";
const MARKER_TEXT: &str =
    "This folder is written by `dossier build` and is replaced whole by the next build.\n";

/// Why an output folder may not be used.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal(pub String, pub String);

/// Makes `path` absolute and lexically normal (no `.` or `..`), without
/// requiring it to exist.
pub fn absolute(path: &Path) -> io::Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut normal = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    // Resolve symlinks in the part that exists, so two spellings of one
    // folder compare equal.
    let mut existing = normal.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_os_string()),
            None => break,
        }
        if !existing.pop() {
            break;
        }
    }
    let mut resolved = fs::canonicalize(&existing).unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

/// Refuses output folders whose replacement would destroy something that
/// is not a build's output.
pub fn check_output(output: &Path, site_root: &Path) -> Result<(), Refusal> {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .and_then(|h| absolute(&h).ok());
    let refuse = |why: &str, hint: &str| {
        Err(Refusal(
            format!(
                "refusing to use `{}` as the output folder: {why}",
                output.display()
            ),
            hint.to_string(),
        ))
    };
    let hint = "choose a new folder inside the site, such as `public/`";
    if output.parent().is_none() {
        return refuse("it is the root of the file system", hint);
    }
    if Some(output) == home.as_deref() {
        return refuse("it is your home folder", hint);
    }
    if site_root.starts_with(output) {
        return refuse("it contains the site itself", hint);
    }
    for source in ["content", "themes", "templates", "static"] {
        if output.starts_with(site_root.join(source)) {
            return refuse(&format!("it is inside the site's `{source}/` folder"), hint);
        }
    }
    if output.exists() && !output.is_dir() {
        return refuse(
            "it is a file, not a folder",
            "remove the file or choose another output folder",
        );
    }
    if output.is_dir() && !output.join(MARKER).is_file() && !is_empty_dir(output) {
        return refuse(
            "it already holds files that `dossier` did not write",
            "empty or remove that folder yourself, or choose another output folder; a build only replaces folders it wrote",
        );
    }
    Ok(())
}

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path)
        .map(|mut entries| entries.next().is_none())
        .unwrap_or(false)
}

/// A build's output while it is being written.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
}

impl Staging {
    /// Creates an empty staging folder beside `target` (so the final rename
    /// stays on one file system), removing leftovers of interrupted builds.
    pub fn create(target: &Path) -> anyhow::Result<Staging> {
        let parent = target
            .parent()
            .context("the output folder has no parent folder")?;
        let name = target
            .file_name()
            .context("the output folder has no name")?
            .to_string_lossy()
            .into_owned();
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        remove_leftovers(parent, &name);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            remove_own(&dir)?;
        }
        fs::create_dir(&dir)
            .with_context(|| format!("cannot create the staging folder {}", dir.display()))?;
        fs::write(dir.join(MARKER), MARKER_TEXT)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    /// Writes one file, creating its folders. `relative` uses `/` and has
    /// been checked to stay inside the output.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.path_of(relative)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Copies a file as it is.
    pub fn copy(&self, asset: &crate::discover::Asset) -> anyhow::Result<()> {
        if let Some(bytes) = asset.embedded {
            return self.write(&asset.output, bytes);
        }
        let from = &asset.absolute;
        let path = self.path_of(&asset.output)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::copy(from, &path)
            .with_context(|| format!("cannot copy {} to {}", from.display(), path.display()))?;
        Ok(())
    }

    fn path_of(&self, relative: &str) -> anyhow::Result<PathBuf> {
        let mut path = self.dir.clone();
        for part in relative.split('/') {
            if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
                bail!("refusing to write `{relative}`: it would leave the output folder");
            }
            path.push(part);
        }
        Ok(path)
    }

    /// Puts the finished output in place of the old one. Returns the old
    /// output, moved aside, for the caller to delete when convenient.
    pub fn commit(self) -> anyhow::Result<Option<PathBuf>> {
        let target = &self.target;
        let mut old = None;
        if target.exists() {
            let parent = target
                .parent()
                .context("the output folder has no parent folder")?;
            let name = target
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let aside = parent.join(format!(".{name}.old-{}", std::process::id()));
            fs::rename(target, &aside).with_context(|| {
                format!("cannot move the previous output {} aside", target.display())
            })?;
            old = Some(aside);
        }
        if let Err(error) = fs::rename(&self.dir, target) {
            // Put the previous output back before reporting.
            if let Some(aside) = &old {
                let _ = fs::rename(aside, target);
            }
            return Err(error)
                .with_context(|| format!("cannot move the new output into {}", target.display()));
        }
        Ok(old)
    }

    /// Throws the staging folder away; the published output is untouched.
    pub fn abandon(self) {
        let _ = remove_own(&self.dir);
    }
}

/// Deletes a folder only if a build wrote it.
pub fn remove_own(dir: &Path) -> anyhow::Result<()> {
    if is_empty_dir(dir) {
        return fs::remove_dir(dir).with_context(|| format!("cannot delete {}", dir.display()));
    }
    if !dir.join(MARKER).is_file() {
        bail!(
            "refusing to delete {}: it was not written by dossier",
            dir.display()
        );
    }
    fs::remove_dir_all(dir).with_context(|| format!("cannot delete {}", dir.display()))
}

/// Staging and set-aside folders of builds that were interrupted.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let ours = file_name.starts_with(&format!(".{name}.staging-"))
            || file_name.starts_with(&format!(".{name}.old-"));
        if ours {
            let _ = remove_own(&entry.path());
        }
    }
}

/// Writes new files under `dir` (paths with `/`), creating folders, and
/// refuses before writing anything if any of them exists already.
pub fn create_new_files(dir: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    for (relative, _) in files {
        let path = dir.join(relative);
        if path.exists() {
            bail!("{} exists already; nothing was written", path.display());
        }
    }
    for (relative, bytes) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        io::Write::write_all(&mut file, bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Writes generated files under `dir`, replacing any earlier version: for
/// files made from the content model that nobody edits by hand (schemas).
/// A file whose bytes are already right is left alone.
pub fn replace_files(dir: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    for (relative, bytes) in files {
        let path = dir.join(relative);
        if fs::read(&path).is_ok_and(|old| old == *bytes) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// What [`write_generated`] did with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    Created,
    Replaced,
    Unchanged,
}

/// Writes generated files under `dir`. A file that exists is replaced only
/// when `as_generated` says nobody edited it since it was generated, or
/// when `force` is set; otherwise nothing at all is written and the error
/// names every file that was edited by hand.
pub fn write_generated(
    dir: &Path,
    files: &[(String, String)],
    force: bool,
    as_generated: impl Fn(&str) -> bool,
) -> anyhow::Result<Vec<(String, Generated)>> {
    let mut plan = Vec::new();
    let mut edited = Vec::new();
    for (relative, text) in files {
        let path = dir.join(relative);
        let outcome = match fs::read_to_string(&path) {
            Ok(old) if old == *text => Generated::Unchanged,
            Ok(old) if force || as_generated(&old) => Generated::Replaced,
            Ok(_) => {
                edited.push(path.display().to_string());
                continue;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Generated::Created,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        plan.push((relative.clone(), text, outcome));
    }
    if !edited.is_empty() {
        bail!(
            "{} changed by hand since it was generated; nothing was written. Pass --force to replace it (your changes will be lost), or move it aside first",
            edited.join(" and ")
        );
    }
    let mut done = Vec::new();
    for (relative, text, outcome) in plan {
        if outcome != Generated::Unchanged {
            let path = dir.join(&relative);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        }
        done.push((relative, outcome));
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_removes_dots() {
        let path = absolute(Path::new("/tmp/a/../b/./c")).unwrap();
        assert!(path.ends_with("b/c"), "{}", path.display());
    }

    #[test]
    fn refuses_dangerous_outputs() {
        let site = absolute(Path::new("/tmp/dossier-site-for-refusals")).unwrap();
        assert!(check_output(Path::new("/"), &site).is_err());
        assert!(check_output(&site, &site).is_err());
        assert!(check_output(&site.join("content"), &site).is_err());
        assert!(check_output(&site.join("themes/default"), &site).is_err());
        assert!(check_output(site.parent().unwrap(), &site).is_err());
        assert!(check_output(&site.join("public"), &site).is_ok());
    }
}
