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
        // Compared as written and resolved, so a source folder that is a
        // symbolic link still protects where it points.
        let folder = site_root.join(source);
        let resolved = absolute(&folder).unwrap_or_else(|_| folder.clone());
        if output.starts_with(&folder) || output.starts_with(&resolved) {
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

/// A build's output while it is being written. Holds the output's lock
/// from creation until it is committed or abandoned, so two builds never
/// write, swap or clean up the same output at once.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    _lock: fs::File,
    /// Every file written, with its size: checked before the swap.
    written: std::sync::Mutex<Vec<(String, u64)>>,
}

/// The lock file beside an output folder, `.NAME.lock`.
pub fn lock_path(target: &Path) -> Option<PathBuf> {
    let name = target.file_name()?.to_string_lossy();
    Some(target.parent()?.join(format!(".{name}.lock")))
}

/// Takes the exclusive lock of `target`'s output, or says which build
/// holds it.
fn lock(target: &Path) -> anyhow::Result<fs::File> {
    let path = lock_path(target).context("the output folder has no name")?;
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot create the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => bail!(
            "another build is writing {} (it holds {}); nothing was written: run this build again when it has finished",
            target.display(),
            path.display()
        ),
        Err(fs::TryLockError::Error(error)) => {
            Err(error).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

/// How long the swap pauses between its steps, for fault tests that kill a
/// build inside it (`DOSSIER_TEST_SWAP_PAUSE_MS`); no pause otherwise.
fn test_pause() {
    if let Some(ms) = std::env::var_os("DOSSIER_TEST_SWAP_PAUSE_MS")
        .and_then(|v| v.to_str().and_then(|v| v.parse::<u64>().ok()))
    {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Repairs what interrupted builds left beside `target` (see
/// `recover_leftovers`), under the output's lock. Run by every build
/// before anything else, so that even a build that fails puts back a
/// published output a killed build had moved aside.
pub fn recover(target: &Path) -> anyhow::Result<()> {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Ok(());
    };
    if !parent.is_dir() {
        return Ok(());
    }
    let _lock = lock(target)?;
    recover_leftovers(parent, &name.to_string_lossy(), target)
}

impl Staging {
    /// Locks the output, then creates an empty staging folder beside
    /// `target` (so the final rename stays on one file system), after
    /// recovering or removing what interrupted builds left.
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
        let lock = lock(target)?;
        recover_leftovers(parent, &name, target)?;
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
            _lock: lock,
            written: Default::default(),
        })
    }

    /// Writes one file, creating its folders. `relative` uses `/` and has
    /// been checked to stay inside the output.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.prepare(relative)?;
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        self.record(relative, bytes.len() as u64);
        Ok(())
    }

    /// Copies a file as it is.
    pub fn copy(&self, asset: &crate::discover::Asset) -> anyhow::Result<()> {
        if let Some(bytes) = asset.embedded {
            return self.write(&asset.output, bytes);
        }
        let from = &asset.absolute;
        let path = self.prepare(&asset.output)?;
        let size = fs::copy(from, &path)
            .with_context(|| format!("cannot copy {} to {}", from.display(), path.display()))?;
        self.record(&asset.output, size);
        Ok(())
    }

    /// The path of `relative` in the staging folder, its folders created.
    /// Fails if the staging folder itself has gone, instead of making a
    /// new one that would hold only part of the site.
    fn prepare(&self, relative: &str) -> anyhow::Result<PathBuf> {
        let path = self.path_of(relative)?;
        if !self.dir.join(MARKER).is_file() {
            bail!(
                "the staging folder {} was removed while this build wrote it; nothing was published",
                self.dir.display()
            );
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        Ok(path)
    }

    fn record(&self, relative: &str, size: u64) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((relative.to_string(), size));
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

    /// Checks that the staging folder still holds the marker and every file
    /// written, at its size, before it is published.
    fn verify(&self) -> anyhow::Result<()> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        let intact = self.dir.join(MARKER).is_file()
            && written.iter().all(|(relative, size)| {
                fs::metadata(self.dir.join(relative)).is_ok_and(|m| m.is_file() && m.len() == *size)
            });
        if !intact {
            bail!(
                "the staging folder {} changed while this build wrote it; nothing was published",
                self.dir.display()
            );
        }
        Ok(())
    }

    /// Puts the finished output in place of the old one, after checking it
    /// is whole, then deletes the old one. On Linux the two folders are
    /// exchanged in one step, so there is no moment without an output;
    /// elsewhere the old one is moved aside first, and a build interrupted
    /// between the two renames is repaired by the next one.
    pub fn commit(self) -> anyhow::Result<()> {
        self.verify()?;
        let target = &self.target;
        let parent = target
            .parent()
            .context("the output folder has no parent folder")?;
        let name = target
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let aside = parent.join(format!(".{name}.old-{}", std::process::id()));
        test_pause();
        if target.exists() {
            if exchange(&self.dir, target)? {
                test_pause();
                // The staging path now holds the previous output.
                fs::rename(&self.dir, &aside).with_context(|| {
                    format!(
                        "cannot move the previous output {} aside",
                        self.dir.display()
                    )
                })?;
            } else {
                fs::rename(target, &aside).with_context(|| {
                    format!("cannot move the previous output {} aside", target.display())
                })?;
                test_pause();
                if let Err(error) = fs::rename(&self.dir, target) {
                    // Put the previous output back before reporting.
                    let _ = fs::rename(&aside, target);
                    return Err(error).with_context(|| {
                        format!("cannot move the new output into {}", target.display())
                    });
                }
            }
            test_pause();
            remove_own(&aside)?;
        } else {
            fs::rename(&self.dir, target)
                .with_context(|| format!("cannot move the new output into {}", target.display()))?;
        }
        Ok(())
    }

    /// Throws the staging folder away; the published output is untouched.
    pub fn abandon(self) {
        let _ = remove_own(&self.dir);
    }
}

/// Exchanges two folders in one step. `Ok(false)` where the system or the
/// file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> anyhow::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::NOTSUP) => {
            Ok(false)
        }
        Err(error) => Err(io::Error::from(error))
            .with_context(|| format!("cannot swap {} into {}", a.display(), b.display())),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> anyhow::Result<bool> {
    Ok(false)
}

/// Deletes a folder only if a build wrote it. The marker is deleted last,
/// so a deletion that is interrupted can be finished by a later build.
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
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        let removed = if entry.file_type().is_ok_and(|t| t.is_dir()) {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.with_context(|| format!("cannot delete {}", path.display()))?;
    }
    fs::remove_file(dir.join(MARKER))
        .and_then(|()| fs::remove_dir(dir))
        .with_context(|| format!("cannot delete {}", dir.display()))
}

/// Whether the process that named a leftover folder is still running. Only
/// answered on Linux (`/proc`); elsewhere the lock alone decides.
fn owner_alive(pid: &str) -> bool {
    pid.parse::<u32>().is_ok_and(|pid| {
        pid != std::process::id()
            && cfg!(target_os = "linux")
            && Path::new("/proc").join(pid.to_string()).exists()
    })
}

/// What interrupted builds of this output left, with the lock held: a
/// set-aside previous output is put back when the output is missing (a
/// build killed between its two renames), and staging or set-aside folders
/// whose build is gone are deleted.
fn recover_leftovers(parent: &Path, name: &str, target: &Path) -> anyhow::Result<()> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let staging = format!(".{name}.staging-");
    let old = format!(".{name}.old-");
    let mut leftovers: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|entry| {
            (
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            )
        })
        .filter(|(n, _)| n.starts_with(&staging) || n.starts_with(&old))
        .collect();
    leftovers.sort();
    for (file_name, path) in leftovers {
        let pid = file_name
            .strip_prefix(&staging)
            .or_else(|| file_name.strip_prefix(&old))
            .unwrap_or_default();
        if owner_alive(pid) {
            continue;
        }
        if file_name.starts_with(&old) && !target.exists() && path.join(MARKER).is_file() {
            fs::rename(&path, target).with_context(|| {
                format!(
                    "cannot put the previous output {} back in place",
                    path.display()
                )
            })?;
            continue;
        }
        let _ = remove_own(&path);
    }
    Ok(())
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
