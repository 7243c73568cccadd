//! The output folder: the only module that creates, replaces or deletes
//! files (it also creates the files of `dossier new` and `dossier init`,
//! never over an existing one).
//!
//! A build writes into a staging folder beside the output, and only when
//! every page has been written does it swap the staging folder into place.
//! A failed build therefore leaves the published folder exactly as it was.
//! The output may not be a folder whose loss would hurt: the file-system
//! root, the home folder, the site itself or its sources.
//!
//! The marker file (`.dossier-output`) is the manifest of what a build
//! wrote: every file with its size and SHA-256, and a build id made from
//! them. A folder is replaced only when every file in it is one its
//! manifest lists, unchanged, or lies under a name of `[build] keep`; kept
//! entries are moved into the new output. Deleting goes by the manifest
//! too: only listed files whose bytes still match are removed, so a marker
//! made by hand deletes nothing.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::trust;

/// Written into every output folder: the manifest of what the build wrote,
/// by which a later build knows which files are its own to replace.
pub const MARKER: &str = trust::MANIFEST;
const MARKER_HEADER: &str = "dossier-output 1\n\
# Written by `dossier build`. The next build replaces the files listed here;\n\
# it refuses to replace this folder if it holds any other file, unless\n\
# `[build] keep` in site.toml names it.\n";
/// How many foreign files a refusal names.
const NAMED_FOREIGN: usize = 5;

/// Which characters of a path are escaped in the manifest, which has one
/// file per line.
const PATH_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b'%');

/// The marker's content: the build id (absent while a staging folder is
/// still being written) and every file with its size and SHA-256.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    pub build: Option<String>,
    pub files: std::collections::BTreeMap<String, (u64, String)>,
}

impl Manifest {
    /// The marker's text. The build id is a hash of the list, so the same
    /// output always has the same marker.
    fn finished(files: std::collections::BTreeMap<String, (u64, String)>) -> String {
        let mut list = String::new();
        for (path, (size, hash)) in &files {
            let path = percent_encoding::utf8_percent_encode(path, PATH_ESCAPES);
            list.push_str(&format!("file {hash} {size} {path}\n"));
        }
        let id = sha256_hex(list.as_bytes())[..16].to_string();
        format!("{MARKER_HEADER}build {id}\n{list}")
    }

    /// Reads a marker. A marker that is not one a build wrote (empty, made
    /// by hand) reads as an empty manifest without a build id.
    pub fn parse(text: &str) -> Manifest {
        let mut manifest = Manifest::default();
        if !text.starts_with("dossier-output 1\n") {
            return manifest;
        }
        for line in text.lines() {
            if let Some(id) = line.strip_prefix("build ") {
                manifest.build = Some(id.to_string());
            } else if let Some(rest) = line.strip_prefix("file ") {
                let mut parts = rest.splitn(3, ' ');
                let (Some(hash), Some(size), Some(path)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    continue;
                };
                let (Ok(size), Ok(path)) = (
                    size.parse::<u64>(),
                    percent_encoding::percent_decode_str(path).decode_utf8(),
                ) else {
                    continue;
                };
                // A build writes only plain paths inside its output; any
                // other line was not written by one, and names nothing.
                if !trust::is_plain_relative(&path) {
                    continue;
                }
                manifest
                    .files
                    .insert(path.into_owned(), (size, hash.to_string()));
            }
        }
        manifest
    }

    fn read(dir: &Path) -> Option<Manifest> {
        fs::read_to_string(dir.join(MARKER))
            .ok()
            .map(|text| Manifest::parse(&text))
    }

    /// Whether `path` (relative, with `/`) is a listed file whose size and
    /// bytes are still the ones written.
    /// The file is looked for through no link, so a listed path names a
    /// file of this folder and nothing elsewhere.
    fn lists_unchanged(&self, path: &str, dir: &Path) -> bool {
        trust::confined(dir, path).is_ok_and(|file| self.lists_found(path, &file))
    }

    /// The same for `file`, found at `path` by a walk of the folder that
    /// follows no link.
    fn lists_found(&self, path: &str, file: &Path) -> bool {
        self.files.get(path).is_some_and(|(size, hash)| {
            let Ok(meta) = fs::symlink_metadata(file) else {
                return false;
            };
            if !meta.is_file() || meta.len() != *size {
                return false;
            }
            let stamp = Stamp::of(&meta);
            if stamp.as_ref().is_some_and(|stamp| {
                checked()
                    .get(&stamp.file)
                    .is_some_and(|(times, found)| *times == stamp.times && found == hash)
            }) {
                return true;
            }
            let found = hash_file(file).is_ok_and(|h| h == *hash);
            if found && let Some(stamp) = stamp.filter(Stamp::settled) {
                checked().insert(stamp.file, (stamp.times, hash.clone()));
            }
            found
        })
    }
}

/// What a file's metadata said when its bytes were hashed: its identity
/// (device and inode) and its modification and change times (its size is
/// checked against the manifest first). The
/// change time moves on any write or change of metadata and cannot be set
/// back by hand, so a file whose stamp is the same still holds the bytes
/// hashed, provided the stamp was taken when the file was already
/// [settled](Stamp::settled). Unix only; elsewhere every check hashes.
struct Stamp {
    file: (u64, u64),
    times: [i64; 4],
}

impl Stamp {
    #[cfg(unix)]
    fn of(meta: &fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt as _;
        Some(Stamp {
            file: (meta.dev(), meta.ino()),
            times: [
                meta.mtime(),
                meta.mtime_nsec(),
                meta.ctime(),
                meta.ctime_nsec(),
            ],
        })
    }

    #[cfg(not(unix))]
    fn of(_meta: &fs::Metadata) -> Option<Stamp> {
        None
    }

    /// Whether the file last changed at least two seconds ago. File times
    /// move in coarse steps, so two writes close together can leave the
    /// same times; a write after a settled file was hashed always moves
    /// them.
    fn settled(&self) -> bool {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        now.saturating_sub(self.times[2]) >= 2
    }
}

/// The files this process has found as a manifest lists them, by identity:
/// a build checks its output before it starts, again before the swap, and
/// its set-aside copy before deleting it, and each check after the first
/// hashes only a file that changed since (a rename keeps the identity).
fn checked() -> std::sync::MutexGuard<'static, Checked> {
    static CHECKED: std::sync::OnceLock<std::sync::Mutex<Checked>> = std::sync::OnceLock::new();
    CHECKED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Checked files by identity (device, inode): their times and the hash
/// found.
type Checked = std::collections::HashMap<(u64, u64), ([i64; 4], String)>;

impl Manifest {
    /// Whether a top-level name is a listed file or a folder of listed files.
    fn lists_top(&self, name: &str) -> bool {
        self.files.contains_key(name)
            || self
                .files
                .range(format!("{name}/")..)
                .next()
                .is_some_and(|(path, _)| path.starts_with(&format!("{name}/")))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of `bytes` in lower-case hex, as manifests write it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&<sha2::Sha256 as sha2::Digest>::digest(bytes))
}

/// The SHA-256 of a file, read in pieces.
fn hash_file(path: &Path) -> io::Result<String> {
    use sha2::Digest as _;
    use std::io::Read as _;
    let mut file = fs::File::open(path)?;
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex(&hasher.finalize()))
}

/// The files in `dir` that its manifest does not list as written and
/// unchanged, leaving out the marker and the entries `keep` names, in path
/// order. Without a marker, every file is foreign.
fn foreign_files(dir: &Path, keep: &[String]) -> Vec<String> {
    let manifest = Manifest::read(dir).unwrap_or_default();
    let mut foreign = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() != 1
                || !(entry.file_name() == MARKER
                    || keep.iter().any(|k| entry.file_name() == k.as_str()))
        });
    for entry in walk {
        let Ok(entry) = entry else {
            foreign.push(
                entry
                    .err()
                    .and_then(|e| e.path().map(Path::to_path_buf))
                    .map_or_else(|| "?".to_string(), |p| relative_name(dir, &p)),
            );
            continue;
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = relative_name(dir, entry.path());
        if !manifest.lists_found(&relative, entry.path()) {
            foreign.push(relative);
        }
    }
    foreign
}

/// `path` below `dir` as a manifest writes it, with `/`.
pub fn relative_name(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Refuses to replace `output` when it holds files the last build did not
/// write (or that changed since), naming a few of them.
fn check_replaceable(output: &Path, keep: &[String]) -> Result<(), Refusal> {
    if !output.is_dir() {
        return Ok(());
    }
    let foreign = foreign_files(output, keep);
    if foreign.is_empty() {
        return Ok(());
    }
    let why = if output.join(MARKER).is_file() {
        "it holds files that `dossier` did not write, or that changed since it wrote them"
    } else {
        "it already holds files that `dossier` did not write"
    };
    Err(Refusal(
        format!(
            "refusing to use `{}` as the output folder: {why}: {}",
            output.display(),
            crate::diagnostic::name_a_few(&foreign, NAMED_FOREIGN)
        ),
        "move those files out of the folder (a build replaces only what it wrote), \
         or name the top-level files or folders to carry into every build under `[build] keep` in site.toml"
            .to_string(),
    ))
}

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
/// is not a build's output: where it is ([`check_output_place`]) and what
/// it holds.
pub fn check_output(output: &Path, site_root: &Path, keep: &[String]) -> Result<(), Refusal> {
    check_output_place(output, site_root)?;
    check_replaceable(output, keep)
}

/// Refuses output folders that may never be one, whatever they hold: the
/// file-system root, the home folder, the site or one of its sources, a
/// file. Checked before the output's lock file is made beside it.
pub fn check_output_place(output: &Path, site_root: &Path) -> Result<(), Refusal> {
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
    /// `[build] keep`: what is carried over from the previous output.
    keep: Vec<String>,
    lock: Lock,
    /// Set once the output is in place; until then, dropping the staging
    /// folder deletes it, so no failed build leaves its copy behind.
    committed: bool,
    /// Every file written, with its size and SHA-256: checked before the
    /// swap, and the manifest of the new output.
    written: std::sync::Mutex<Vec<(String, u64, String)>>,
}

/// The lock file beside an output folder, `.NAME.lock`.
pub fn lock_path(target: &Path) -> Option<PathBuf> {
    let name = target.file_name()?.to_string_lossy();
    Some(target.parent()?.join(format!(".{name}.lock")))
}

/// The output's lock file, held for a whole write, and the journal of the
/// folders this machine's builds made beside the output: the identity
/// ([`trust::identity`]) of each staging folder and of each output set
/// aside, written before the folder could be left behind, and the name of
/// a staging folder just before it is made. Only a leftover whose identity
/// is in the journal is put back or deleted (an unfinished staging folder
/// named there is only ever deleted), so a folder planted beside the
/// output, or a link named like a leftover, is never touched.
struct Lock {
    file: fs::File,
    /// `made <identity>` for each folder made, `making <name>` for a
    /// staging folder about to be, in the order they were recorded.
    journal: Vec<String>,
}

impl Lock {
    /// Takes the exclusive lock of `target`'s output, or says which build
    /// holds it. The lock file is never opened through a link.
    fn take(target: &Path) -> anyhow::Result<Lock> {
        let path = lock_path(target).context("the output folder has no name")?;
        let file = trust::open_no_follow(
            &path,
            fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .write(true),
        )
        .with_context(|| format!("cannot create the lock file {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => bail!(
                "another build is writing {} (it holds {}); nothing was written: run this build again when it has finished",
                target.display(),
                path.display()
            ),
            Err(fs::TryLockError::Error(error)) => {
                return Err(error).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
        let mut text = String::new();
        // A lock file that is not text records nothing.
        let _ = io::Read::read_to_string(&mut &file, &mut text);
        let journal = text
            .lines()
            .filter(|line| line.starts_with("made ") || line.starts_with("making "))
            .map(str::to_string)
            .collect();
        Ok(Lock { file, journal })
    }

    /// Whether `folder` is one this machine's builds recorded.
    fn made(&self, folder: &Path) -> bool {
        trust::identity(folder).is_some_and(|id| self.journal.contains(&format!("made {id}")))
    }

    /// Whether a build here was about to make a folder of this name: one
    /// killed between creating its staging folder and recording it.
    fn making(&self, name: &str) -> bool {
        self.journal.contains(&format!("making {name}"))
    }

    /// Records `folder` in the journal before it can be left behind.
    fn record(&mut self, folder: &Path) -> anyhow::Result<()> {
        match trust::identity(folder) {
            Some(id) => self.add(format!("made {id}")),
            None => Ok(()),
        }
    }

    /// Records that a folder of this name is about to be made.
    fn record_making(&mut self, name: &str) -> anyhow::Result<()> {
        self.add(format!("making {name}"))
    }

    fn add(&mut self, entry: String) -> anyhow::Result<()> {
        if !self.journal.contains(&entry) {
            self.journal.push(entry);
            self.save()?;
        }
        Ok(())
    }

    /// Keeps in the journal only the folders of `kept` (those still beside
    /// the output).
    fn retain(&mut self, kept: &[&Path]) -> anyhow::Result<()> {
        let mut entries: Vec<String> = kept
            .iter()
            .filter_map(|f| trust::identity(f))
            .map(|id| format!("made {id}"))
            .collect();
        entries.extend(
            kept.iter()
                .filter_map(|f| f.file_name())
                .map(|name| format!("making {}", name.to_string_lossy())),
        );
        let before = self.journal.len();
        self.journal.retain(|entry| entries.contains(entry));
        if self.journal.len() != before {
            self.save()?;
        }
        Ok(())
    }

    fn save(&self) -> anyhow::Result<()> {
        use io::{Seek as _, Write as _};
        let mut text = String::from(
            "# The lock of a dossier output folder, and the folders its builds made beside it.\n",
        );
        for entry in &self.journal {
            text.push_str(entry);
            text.push('\n');
        }
        let mut file = &self.file;
        file.set_len(0)
            .and_then(|()| file.seek(io::SeekFrom::Start(0)).map(drop))
            .and_then(|()| file.write_all(text.as_bytes()))
            .context("cannot write the output's lock file")
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
/// published output a killed build had moved aside. Returns the folders
/// named like leftovers that no build here made, which it left alone.
pub fn recover(target: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Ok(Vec::new());
    };
    if !parent.is_dir() {
        return Ok(Vec::new());
    }
    let mut lock = Lock::take(target)?;
    recover_leftovers(parent, &name.to_string_lossy(), target, &mut lock)
}

impl Staging {
    /// Locks the output, then creates an empty staging folder beside
    /// `target` (so the final rename stays on one file system), after
    /// recovering or removing what interrupted builds left.
    pub fn create(target: &Path, keep: &[String]) -> anyhow::Result<Staging> {
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
        let mut lock = Lock::take(target)?;
        recover_leftovers(parent, &name, target, &mut lock)?;
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if fs::symlink_metadata(&dir).is_ok() {
            bail!(
                "{} is in the way of this build's staging folder and no build here made it; nothing was written: move it away",
                dir.display()
            );
        }
        lock.record_making(&format!(".{name}.staging-{}", std::process::id()))?;
        fs::create_dir(&dir)
            .with_context(|| format!("cannot create the staging folder {}", dir.display()))?;
        lock.record(&dir)?;
        // A marker without a build id: a staging folder still being written,
        // which a later build deletes whole if this one is killed.
        fs::write(dir.join(MARKER), MARKER_HEADER)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            keep: keep.to_vec(),
            lock,
            committed: false,
            written: Default::default(),
        })
    }

    /// Writes one file, creating its folders. `relative` uses `/` and has
    /// been checked to stay inside the output.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.prepare(relative)?;
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
        self.record(relative, bytes.len() as u64, sha256_hex(bytes));
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
        let hash = hash_file(&path).with_context(|| format!("cannot read {}", path.display()))?;
        self.record(&asset.output, size, hash);
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

    /// Writes the published manifest of every file written so far
    /// (`sign::MANIFEST`), and its signature when there is a `signer`:
    /// the last files of an output, listed in the marker like the others.
    /// The output being replaced lends its signature when it published
    /// the same manifest (see `Signer::signature`).
    pub fn write_manifest(&self, signer: Option<&crate::sign::Signer>) -> anyhow::Result<()> {
        use crate::sign::{MANIFEST, SIGNATURE};
        let files = listed(&self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let manifest = crate::sign::manifest_text(&files);
        self.write(MANIFEST, manifest.as_bytes())?;
        if let Some(signer) = signer {
            let published = |name| fs::read(trust::confined(&self.target, name).ok()?).ok();
            let previous = published(MANIFEST)
                .filter(|previous| *previous == manifest.as_bytes())
                .and_then(|_| published(SIGNATURE));
            let signature = signer.signature(manifest.as_bytes(), previous.as_deref())?;
            self.write(SIGNATURE, &signature)?;
        }
        Ok(())
    }

    fn record(&self, relative: &str, size: u64, hash: String) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((relative.to_string(), size, hash));
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
    /// written, at its size, then writes the finished manifest into it.
    fn finish(&self) -> anyhow::Result<()> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        let intact = self.dir.join(MARKER).is_file()
            && written.iter().all(|(relative, size, _)| {
                fs::metadata(self.dir.join(relative)).is_ok_and(|m| m.is_file() && m.len() == *size)
            });
        if !intact {
            bail!(
                "the staging folder {} changed while this build wrote it; nothing was published",
                self.dir.display()
            );
        }
        let files = listed(&written);
        let marker = self.dir.join(MARKER);
        let unfinished = self.dir.join(format!("{MARKER}.new"));
        fs::write(&unfinished, Manifest::finished(files))
            .and_then(|()| fs::rename(&unfinished, &marker))
            .with_context(|| format!("cannot write {}", marker.display()))
    }

    /// Refuses, with the lock held and just before the swap, an output that
    /// gained foreign files while this build ran, and a kept entry that
    /// this build also writes.
    fn check_target(&self) -> anyhow::Result<()> {
        if let Err(Refusal(message, hint)) = check_replaceable(&self.target, &self.keep) {
            bail!("{message}; nothing was published ({hint})");
        }
        let previous = Manifest::read(&self.target).unwrap_or_default();
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        for name in &self.keep {
            let built = written
                .iter()
                .any(|(path, _, _)| path == name || path.starts_with(&format!("{name}/")));
            if built && self.target.join(name).exists() && !previous.lists_top(name) {
                bail!(
                    "this build writes `{name}`, which `[build] keep` carries over from {}; nothing was published (remove `{name}` from `keep`, or from the site)",
                    self.target.display()
                );
            }
        }
        Ok(())
    }

    /// Puts the finished output in place of the old one, after checking it
    /// is whole, then deletes the old one. On Linux the two folders are
    /// exchanged in one step, so there is no moment without an output;
    /// elsewhere the old one is moved aside first, and a build interrupted
    /// between the two renames is repaired by the next one.
    pub fn commit(mut self) -> anyhow::Result<()> {
        self.finish()?;
        self.check_target()?;
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
            // Recorded before it can be left aside by a killed build.
            self.lock.record(target)?;
            if exchange(&self.dir, target)? {
                // The staging path now holds the previous output.
                carry_over(&self.dir, target)?;
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
                carry_over(&aside, target)?;
            }
            self.committed = true;
            test_pause();
            remove_own(&aside)?;
        } else {
            fs::rename(&self.dir, target)
                .with_context(|| format!("cannot move the new output into {}", target.display()))?;
            self.committed = true;
        }
        self.lock.retain(&[])
    }

    /// Throws the staging folder away; the published output is untouched.
    pub fn abandon(self) {}
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_own(&self.dir);
        }
    }
}

/// What a build wrote, by path: its size and SHA-256.
fn listed(written: &[(String, u64, String)]) -> std::collections::BTreeMap<String, (u64, String)> {
    written
        .iter()
        .map(|(relative, size, hash)| (relative.clone(), (*size, hash.clone())))
        .collect()
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

/// Moves every top-level entry of a previous output that its manifest does
/// not list (what `[build] keep` let through) into `target`, unless
/// `target` has one of that name already.
fn carry_over(previous: &Path, target: &Path) -> anyhow::Result<()> {
    let manifest = Manifest::read(previous).unwrap_or_default();
    let entries =
        fs::read_dir(previous).with_context(|| format!("cannot read {}", previous.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if name == MARKER || manifest.lists_top(&text) {
            continue;
        }
        let into = target.join(&name);
        if fs::symlink_metadata(&into).is_err() {
            fs::rename(entry.path(), &into).with_context(|| {
                format!(
                    "cannot carry {} over into {}",
                    entry.path().display(),
                    target.display()
                )
            })?;
        }
    }
    Ok(())
}

/// Deletes a folder a build wrote: only the files its manifest lists whose
/// bytes are still the ones written, then the folders they leave empty.
/// Anything else stays, and so does the folder, with an error naming it.
/// The marker is deleted last, so a deletion that is interrupted can be
/// finished by a later build.
pub fn remove_own(dir: &Path) -> anyhow::Result<()> {
    if !trust::is_real_dir(dir) {
        bail!(
            "refusing to delete {}: it is not a folder (a symbolic link is never followed)",
            dir.display()
        );
    }
    if is_empty_dir(dir) {
        return fs::remove_dir(dir).with_context(|| format!("cannot delete {}", dir.display()));
    }
    let Some(manifest) = Manifest::read(dir) else {
        bail!(
            "refusing to delete {}: it was not written by dossier",
            dir.display()
        );
    };
    // Files are deleted from both cores: the kernel's work on each is
    // most of a republish's swap.
    use rayon::prelude::*;
    manifest
        .files
        .par_iter()
        .try_for_each(|(relative, _)| -> anyhow::Result<()> {
            let path = dir.join(relative);
            if manifest.lists_unchanged(relative, dir) {
                fs::remove_file(&path)
                    .with_context(|| format!("cannot delete {}", path.display()))?;
            }
            Ok(())
        })?;
    // Folders deepest first; one that still holds something stays.
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .contents_first(true)
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_dir() {
            let _ = fs::remove_dir(entry.path());
        }
    }
    let left = foreign_files(dir, &[]);
    if !left.is_empty() {
        bail!(
            "left {} in place: it holds files that the build did not write ({}); move them and delete the folder yourself",
            dir.display(),
            left.iter()
                .take(NAMED_FOREIGN)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
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
/// whose build is gone are deleted. Only folders the lock's journal
/// recorded are touched; the others are returned, untouched.
fn recover_leftovers(
    parent: &Path,
    name: &str,
    target: &Path,
    lock: &mut Lock,
) -> anyhow::Result<Vec<PathBuf>> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(Vec::new());
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
    let mut strangers = Vec::new();
    for (file_name, path) in &leftovers {
        let pid = file_name
            .strip_prefix(&staging)
            .or_else(|| file_name.strip_prefix(&old))
            .unwrap_or_default();
        if owner_alive(pid) {
            continue;
        }
        let manifest = Manifest::read(path);
        if manifest.as_ref().is_none_or(|m| m.build.is_none()) {
            // A staging folder whose build was killed while writing it: it
            // holds only what that build wrote (kept entries are moved only
            // after the manifest is finished), or nothing yet if the build
            // was killed as it made it. Only ever deleted, never put in
            // place, so the name the journal recorded before it was made
            // is enough.
            let ours = lock.made(path) || lock.making(file_name);
            if file_name.starts_with(&staging) && ours && trust::is_real_dir(path) {
                let _ = fs::remove_dir_all(path);
            } else if !lock.made(path) {
                strangers.push(path.clone());
            }
            continue;
        }
        if !lock.made(path) {
            strangers.push(path.clone());
            continue;
        }
        if !target.exists() {
            // A build killed between its two renames: the previous output.
            fs::rename(path, target).with_context(|| {
                format!(
                    "cannot put the previous output {} back in place",
                    path.display()
                )
            })?;
            continue;
        }
        // A previous output killed before its kept entries were carried
        // over gives them back.
        carry_over(path, target)?;
        let _ = remove_own(path);
    }
    let remaining: Vec<&Path> = leftovers
        .iter()
        .map(|(_, path)| path.as_path())
        .filter(|path| fs::symlink_metadata(path).is_ok())
        .collect();
    lock.retain(&remaining)?;
    Ok(strangers)
}

/// Writes new files under `dir` (paths with `/`), creating folders, and
/// refuses before writing anything if any of them exists already or would
/// be reached through a symbolic link.
pub fn create_new_files(dir: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    for (relative, _) in files {
        let path = trust::confined(dir, relative)?;
        if fs::symlink_metadata(&path).is_ok() {
            bail!("{} exists already; nothing was written", path.display());
        }
    }
    for (relative, bytes) in files {
        let path = trust::confined(dir, relative)?;
        create_parent(&path)?;
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

fn create_parent(path: &Path) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    Ok(())
}

/// Writes a generated file that was checked with [`trust::confined`],
/// never through a link.
fn write_confined(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    create_parent(path)?;
    trust::write_no_follow(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Writes generated files under `dir`, replacing any earlier version: for
/// files made from the content model that nobody edits by hand (schemas).
/// A file whose bytes are already right is left alone. Nothing is written
/// through a symbolic link.
pub fn replace_files(dir: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    let mut paths = Vec::new();
    for (relative, bytes) in files {
        paths.push((trust::confined(dir, relative)?, bytes));
    }
    for (path, bytes) in paths {
        if fs::read(&path).is_ok_and(|old| old == *bytes) {
            continue;
        }
        write_confined(&path, bytes)?;
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

/// Writes generated files under `dir` (paths with `/`, which may name
/// folders below it). A file that exists is replaced only when
/// `as_generated` says nobody edited it since it was generated, or when
/// `force` is set; otherwise nothing at all is written and the error names
/// every file that was edited by hand. Nothing is written through a
/// symbolic link: one anywhere on the way is an error before anything is
/// written.
pub fn write_generated(
    dir: &Path,
    files: &[(String, String)],
    force: bool,
    as_generated: impl Fn(&str) -> bool,
) -> anyhow::Result<Vec<(String, Generated)>> {
    let mut plan = Vec::new();
    let mut edited = Vec::new();
    for (relative, text) in files {
        let path = trust::confined(dir, relative)?;
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
        plan.push((relative.clone(), path, text, outcome));
    }
    if !edited.is_empty() {
        bail!(
            "{} changed by hand since it was generated; nothing was written. Pass --force to replace it (your changes will be lost), or move it aside first",
            edited.join(" and ")
        );
    }
    let mut done = Vec::new();
    for (relative, path, text, outcome) in plan {
        if outcome != Generated::Unchanged {
            write_confined(&path, text.as_bytes())?;
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
        assert!(check_output(Path::new("/"), &site, &[]).is_err());
        assert!(check_output(&site, &site, &[]).is_err());
        assert!(check_output(&site.join("content"), &site, &[]).is_err());
        assert!(check_output(&site.join("themes/default"), &site, &[]).is_err());
        assert!(check_output(site.parent().unwrap(), &site, &[]).is_err());
        assert!(check_output(&site.join("public"), &site, &[]).is_ok());
    }

    /// The second check of a file takes the first one's word only while
    /// the file is untouched: same bytes written again, or other bytes of
    /// the same size, are hashed anew.
    #[test]
    fn a_file_changed_after_a_check_is_hashed_again() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("page.html");
        fs::write(&file, b"<p>one</p>").unwrap();
        // Settled, so that the first check is kept.
        std::thread::sleep(std::time::Duration::from_millis(2100));
        let mut manifest = Manifest::default();
        manifest
            .files
            .insert("page.html".into(), (10, sha256_hex(b"<p>one</p>")));
        assert!(manifest.lists_unchanged("page.html", dir.path()));
        assert!(manifest.lists_unchanged("page.html", dir.path()));
        // Same size, other bytes: a hand edit the manifest never saw.
        fs::write(&file, b"<p>two</p>").unwrap();
        assert!(!manifest.lists_unchanged("page.html", dir.path()));
        // Back to what was written: found again, by its hash.
        fs::write(&file, b"<p>one</p>").unwrap();
        assert!(manifest.lists_unchanged("page.html", dir.path()));
        // A manifest that claims other bytes for the same file is not
        // taken on the first check's word.
        let mut other = Manifest::default();
        other
            .files
            .insert("page.html".into(), (10, sha256_hex(b"<p>two</p>")));
        assert!(!other.lists_unchanged("page.html", dir.path()));
    }
}
