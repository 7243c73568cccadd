//! `dossier verify`: checks a copy of a built site, a folder or a served
//! mirror, file by file against its signed manifest (see `sign`).
//!
//! It reads and fetches only: it never writes, and in a folder it follows
//! no symbolic link and looks up only the plain paths a manifest lists, so
//! a hostile copy cannot make it read outside itself. A mirror served over
//! HTTP cannot list its files, so only a folder is checked for files the
//! manifest does not list.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use minisign::PublicKey;

use crate::sign::{self, MANIFEST, SIGNATURE};
use crate::write::{relative_name, sha256_hex};

/// The largest manifest or signature read: far above the manifest of a
/// dossier of a hundred thousand pages.
const LARGEST_MANIFEST: u64 = 256 * 1024 * 1024;
/// How long one request to a mirror may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A copy of a site: a folder, or the address a mirror serves it at.
#[derive(Debug, Clone)]
pub enum Copy {
    Folder(PathBuf),
    Mirror(String),
}

impl Copy {
    /// An `http://` or `https://` address is a mirror; anything else a
    /// folder.
    pub fn of(text: &str) -> Copy {
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            Copy::Mirror(text.trim_end_matches('/').to_string())
        } else {
            Copy::Folder(PathBuf::from(text))
        }
    }
}

/// What was found wrong with a copy, one plain sentence each, and how many
/// files were checked.
#[derive(Debug, Default)]
pub struct Verdict {
    pub problems: Vec<String>,
    pub checked: usize,
    /// The id of the key the manifest's signature was checked with.
    pub key_id: String,
}

impl Verdict {
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks `copy` against its manifest and the manifest's signature with
/// `key`. `Err` only when the manifest itself cannot be had; every other
/// problem (signature, file) is in the verdict, all of them, not the first.
pub fn verify(copy: &Copy, key: &PublicKey) -> anyhow::Result<Verdict> {
    let reader = Reader::new(copy);
    let manifest = match reader.get(MANIFEST, LARGEST_MANIFEST)? {
        Got::Bytes(bytes) => bytes,
        Got::Larger => anyhow::bail!(
            "{MANIFEST} of {} is larger than any manifest a build writes",
            reader.name()
        ),
        Got::NotAFile => anyhow::bail!(
            "{MANIFEST} of {} is not a plain file (a symbolic link or a folder)",
            reader.name()
        ),
        Got::Missing => anyhow::bail!(
            "{} has no {MANIFEST}: it is not the output of a build by this version of dossier, or the copy is incomplete",
            reader.name()
        ),
    };
    let mut verdict = Verdict {
        key_id: sign::key_id(key.keynum()),
        ..Verdict::default()
    };
    match reader.get(SIGNATURE, LARGEST_MANIFEST)? {
        Got::Missing => verdict.problems.push(format!(
            "{SIGNATURE} is missing: nothing vouches for {MANIFEST} (was the site built with `--sign`?)"
        )),
        Got::Larger | Got::NotAFile => verdict.problems.push(format!(
            "{SIGNATURE} is not a minisign signature (not a plain file of a signature's size)"
        )),
        Got::Bytes(signature) => {
            if let Err(refused) = sign::check_signature(key, &manifest, &signature) {
                verdict.problems.push(refused.to_string());
            }
        }
    }
    let (listed, problems) = sign::parse_manifest(&String::from_utf8_lossy(&manifest));
    verdict.problems.extend(problems);
    for file in &listed {
        verdict.checked += 1;
        let intact = match reader.get(&file.path, file.size)? {
            Got::Missing => {
                verdict
                    .problems
                    .push(format!("missing: {}", shown(&file.path)));
                continue;
            }
            Got::NotAFile => {
                verdict.problems.push(format!(
                    "changed: {} (a symbolic link or a folder in place of the file)",
                    shown(&file.path)
                ));
                continue;
            }
            Got::Larger => false,
            Got::Bytes(bytes) => {
                bytes.len() as u64 == file.size && sha256_hex(&bytes) == file.sha256
            }
        };
        if !intact {
            verdict.problems.push(format!(
                "changed: {} (not the bytes the manifest lists)",
                shown(&file.path)
            ));
        }
    }
    if let Copy::Folder(dir) = copy {
        let known: BTreeSet<&str> = listed.iter().map(|file| file.path.as_str()).collect();
        for path in files_in(dir)? {
            let ours = [MANIFEST, SIGNATURE, crate::trust::MANIFEST].contains(&path.as_str());
            if !ours && !known.contains(path.as_str()) {
                verdict.problems.push(format!(
                    "added: {} (the manifest does not list it)",
                    shown(&path)
                ));
            }
        }
    }
    Ok(verdict)
}

fn shown(path: &str) -> String {
    crate::diagnostic::visible(path).into_owned()
}

/// Every file in `dir` as a path with `/`, walking no link (a link is
/// listed as what it is: an entry the manifest does not list).
fn files_in(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry =
            entry.map_err(|error| anyhow::anyhow!("cannot read {}: {error}", dir.display()))?;
        if entry.file_type().is_dir() {
            continue;
        }
        paths.push(relative_name(dir, entry.path()));
    }
    Ok(paths)
}

/// What a copy holds at a path.
enum Got {
    Bytes(Vec<u8>),
    /// More bytes than asked for.
    Larger,
    /// A symbolic link or a folder where a file should be, or a path
    /// through a link.
    NotAFile,
    Missing,
}

/// Reads a copy's files by their manifest path.
enum Reader<'a> {
    Folder(&'a Path),
    Mirror(&'a str, ureq::Agent),
}

impl<'a> Reader<'a> {
    fn new(copy: &'a Copy) -> Reader<'a> {
        match copy {
            Copy::Folder(dir) => Reader::Folder(dir),
            Copy::Mirror(base) => {
                let agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(REQUEST_TIMEOUT))
                    .user_agent(format!("dossier-verify/{}", env!("CARGO_PKG_VERSION")))
                    .build()
                    .new_agent();
                Reader::Mirror(base, agent)
            }
        }
    }

    fn name(&self) -> String {
        match self {
            Reader::Folder(dir) => dir.display().to_string(),
            Reader::Mirror(base, _) => base.to_string(),
        }
    }

    /// The bytes of `path`, unless there are more than `limit`, or that the
    /// copy has no such file. A folder's file is read through no link.
    fn get(&self, path: &str, limit: u64) -> anyhow::Result<Got> {
        match self {
            Reader::Folder(dir) => {
                let Ok(file) = crate::trust::confined(dir, path) else {
                    return Ok(Got::NotAFile);
                };
                match fs::symlink_metadata(&file) {
                    Err(_) => return Ok(Got::Missing),
                    Ok(meta) if !meta.is_file() => return Ok(Got::NotAFile),
                    Ok(_) => {}
                }
                let mut bytes = Vec::new();
                fs::File::open(&file)
                    .and_then(|f| f.take(limit.saturating_add(1)).read_to_end(&mut bytes))
                    .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", file.display()))?;
                if bytes.len() as u64 > limit {
                    return Ok(Got::Larger);
                }
                Ok(Got::Bytes(bytes))
            }
            Reader::Mirror(base, agent) => {
                let encoded: Vec<String> = path
                    .split('/')
                    .map(|part| percent_encoding::utf8_percent_encode(part, URL_PART).to_string())
                    .collect();
                let url = format!("{base}/{}", encoded.join("/"));
                let mut response = agent
                    .get(&url)
                    .call()
                    .map_err(|error| anyhow::anyhow!("cannot fetch {url}: {error}"))?;
                match response.status().as_u16() {
                    200 => {}
                    404 | 410 => return Ok(Got::Missing),
                    status => anyhow::bail!("cannot fetch {url}: the server answered {status}"),
                }
                let bytes = response.body_mut().with_config().limit(limit).read_to_vec();
                match bytes {
                    Ok(bytes) => Ok(Got::Bytes(bytes)),
                    Err(ureq::Error::BodyExceedsLimit(_)) => Ok(Got::Larger),
                    Err(error) => Err(anyhow::anyhow!("cannot fetch {url}: {error}")),
                }
            }
        }
    }
}

/// What is escaped in a path part of a URL: everything but the unreserved
/// characters.
const URL_PART: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Reads the public key `--key` gives: a `.pub` file when one is at that
/// path, else the key's own line.
pub fn key_from_argument(text: &str) -> anyhow::Result<PublicKey> {
    let path = Path::new(text);
    let written = if path.is_file() {
        fs::read_to_string(path)
            .map_err(|error| anyhow::anyhow!("cannot read the key {}: {error}", path.display()))?
    } else {
        text.to_string()
    };
    sign::parse_public_key(&written).map_err(|why| anyhow::anyhow!("--key: {why}"))
}
