//! The published manifest and its signature: what lets a reader check that
//! a copy of the site (a mirror, a USB stick, an offline library) is the
//! one its publisher built.
//!
//! Every build writes `manifest.txt` at the top of its output: every
//! published file with its size and SHA-256, one a line, sorted. With a
//! secret key it also writes `manifest.txt.minisig`, a minisign signature
//! of that file, which `dossier verify` and the `minisign` tool check with
//! the public key the site publishes. Keys are minisign's own formats,
//! made and read by the `minisign` crate. This module never asks for a
//! password (only the binary knows the terminal) and writes no file but
//! the key pair `dossier keygen` asks for.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Cursor};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox, SignatureBox};
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic};

/// The manifest readers fetch, at the top of the output. Not a dot-file,
/// since not every host serves those.
pub const MANIFEST: &str = "manifest.txt";
/// The minisign signature of [`MANIFEST`], beside it.
pub const SIGNATURE: &str = "manifest.txt.minisig";
/// The first line of a manifest: its format and version.
pub const MANIFEST_HEADER: &str = "dossier-manifest 1";
/// The file names `dossier keygen` writes.
pub const SECRET_KEY_FILE: &str = "dossier.key";
pub const PUBLIC_KEY_FILE: &str = "dossier.pub";
/// The environment variable a password is read from before the terminal.
pub const PASSWORD_VARIABLE: &str = "DOSSIER_SIGN_PASSWORD";

/// The trusted comment of every signature: fixed, so that it says nothing
/// that changes from build to build (minisign's default is the time).
const TRUSTED_COMMENT: &str = "dossier manifest.txt";

/// `[sign]` in site.toml.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignOptions {
    /// The file holding the secret key, relative to the site: the key
    /// itself never belongs in site.toml.
    #[serde(default)]
    pub secret_key: Option<String>,
    /// The public key readers check copies with (minisign's `RW...`
    /// line), shown on the about page.
    #[serde(default)]
    pub public_key: Option<String>,
}

/// Which characters of a path are escaped in the manifest (one file a
/// line, the path last): control characters and `%` itself.
const PATH_ESCAPES: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b'%');

/// The text of `manifest.txt` for `files` (path → size, SHA-256 in hex):
/// a header, then `<sha256> <size> <path>` a line in path order, so that
/// the same output always has the same manifest.
pub fn manifest_text(files: &BTreeMap<String, (u64, String)>) -> String {
    let mut text = format!(
        "{MANIFEST_HEADER}\n\
         # Every file of this site: SHA-256, size in bytes, path. Check a copy\n\
         # with `dossier verify <folder or address>`, or this file's signature\n\
         # with `minisign -Vm {MANIFEST} -P <public key>`.\n"
    );
    for (path, (size, hash)) in files {
        let path = percent_encoding::utf8_percent_encode(path, PATH_ESCAPES);
        text.push_str(&format!("{hash} {size} {path}\n"));
    }
    text
}

/// One file a manifest lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// Reads a manifest: the files it lists, and a sentence for each line
/// that is not one a build writes (such a line names nothing).
pub fn parse_manifest(text: &str) -> (Vec<Listed>, Vec<String>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut lines = text.lines().enumerate();
    if lines.next().map(|(_, line)| line) != Some(MANIFEST_HEADER) {
        problems.push(format!(
            "{MANIFEST} does not start with `{MANIFEST_HEADER}`: it is not a manifest a build wrote"
        ));
        return (files, problems);
    }
    for (index, line) in lines {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        match parse_line(line) {
            Some(listed) => files.push(listed),
            None => problems.push(format!(
                "{MANIFEST} line {} is not `<sha256> <size> <path>` with a plain path: {}",
                index + 1,
                crate::diagnostic::visible(line)
            )),
        }
    }
    (files, problems)
}

fn parse_line(line: &str) -> Option<Listed> {
    let mut parts = line.splitn(3, ' ');
    let (hash, size, path) = (parts.next()?, parts.next()?, parts.next()?);
    let is_hash = hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    // Only a plain path inside the copy may be looked up in it.
    let size = size.parse().ok()?;
    (is_hash && crate::trust::is_plain_relative(&path)).then(|| Listed {
        path: path.into_owned(),
        size,
        sha256: hash.to_string(),
    })
}

/// A key's id as minisign prints it: 16 upper-case hex digits.
pub fn key_id(keynum: &[u8]) -> String {
    let mut bytes = [0u8; 8];
    let n = keynum.len().min(8);
    bytes[..n].copy_from_slice(&keynum[..n]);
    format!("{:016X}", u64::from_le_bytes(bytes))
}

/// Reads a public key as site.toml and `--key` give it: minisign's one
/// line (`RW...`), or the whole `.pub` file with its comment line.
pub fn parse_public_key(text: &str) -> Result<PublicKey, String> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with("untrusted comment:"))
        .unwrap_or_default();
    key_of_line(line).ok_or_else(|| {
        format!(
            "`{}` is not a minisign public key",
            crate::diagnostic::visible(line)
        )
    })
}

/// The Ed25519 public key of minisign's one line (`RW` and 54 more
/// characters: the algorithm `Ed`, the key id and the key, in base64).
fn key_of_line(line: &str) -> Option<PublicKey> {
    let key = PublicKey::from_base64(line).ok()?;
    key.to_bytes().starts_with(b"Ed").then_some(key)
}

/// The problem with `[sign] public_key`, unlocated (site.toml's reading
/// places it).
pub fn check_public_key(text: &str) -> Option<Diagnostic> {
    if key_of_line(text).is_some() {
        return None;
    }
    Some(
        Diagnostic::error(
            Code::BadSetting,
            format!(
                "`public_key` `{}` is not a minisign public key",
                crate::diagnostic::visible(text)
            ),
        )
        .hint(
            "copy the line `dossier keygen` printed, which starts with RW (the second line of the .pub file)",
        ),
    )
}

/// The problem with `[sign] secret_key`, which names a file: text that
/// looks like a key itself is refused, since site.toml is published with
/// the site's repository.
pub fn check_secret_key_setting(text: &str) -> Option<Diagnostic> {
    // A key's line is `RW` and some 200 more characters of base64.
    let base64_line = text.len() > 100
        && text.starts_with("RW")
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    let looks_like_a_key = text.contains("untrusted comment") || text.contains('\n') || base64_line;
    looks_like_a_key.then(|| {
        Diagnostic::error(
            Code::BadSetting,
            "`secret_key` holds what looks like a secret key, not the name of its file",
        )
        .hint("remove the key from site.toml at once (anyone who read it can sign as you: make a new one with `dossier keygen`), and write the key file's path here, such as \"../keys/dossier.key\"")
    })
}

/// The folder of the site at `root` that a build publishes from (or reads
/// templates from) in which the file `key` lies, if any: a secret key
/// there would be published, or be one template edit from it. Links are
/// resolved, so a link to the key does not hide it.
pub fn published_folder(root: &Path, key: &Path) -> Option<&'static str> {
    let key = fs::canonicalize(key).ok()?;
    let root = fs::canonicalize(root).ok()?;
    ["content", "static", "themes", "templates", "i18n"]
        .into_iter()
        .find(|folder| key.starts_with(root.join(folder)))
}

/// A secret key ready to sign, with its public key.
pub struct Signer {
    secret: SecretKey,
    public: PublicKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.key_id())
    }
}

impl Signer {
    /// Reads the secret key file at `path`, decrypting it with `password`
    /// when it has one. `Err` says in plain words what is wrong.
    pub fn load(path: &Path, password: Option<&str>) -> anyhow::Result<Signer> {
        let text = fs::read_to_string(path)
            .with_context(|| format!("cannot read the secret key {}", path.display()))?;
        let not_a_key = || {
            format!(
                "{} is not a minisign secret key (make one with `dossier keygen`)",
                path.display()
            )
        };
        let key_box = SecretKeyBox::from_string(&text).map_err(|_| anyhow::anyhow!(not_a_key()))?;
        let encrypted = is_encrypted(&text).with_context(not_a_key)?;
        let secret = match (encrypted, password) {
            (false, _) => key_box
                .into_unencrypted_secret_key()
                .map_err(|error| anyhow::anyhow!("{} ({error})", not_a_key()))?,
            (true, None) => bail!(
                "the secret key {} is protected by a password, and none was given",
                path.display()
            ),
            (true, Some(password)) => key_box
                .into_secret_key(Some(password.to_string()))
                .map_err(|_| {
                    anyhow::anyhow!(
                        "wrong password for the secret key {} (or the file is damaged)",
                        path.display()
                    )
                })?,
        };
        let public =
            PublicKey::from_secret_key(&secret).map_err(|_| anyhow::anyhow!(not_a_key()))?;
        Ok(Signer { secret, public })
    }

    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    pub fn key_id(&self) -> String {
        key_id(self.public.keynum())
    }

    /// The signature of `bytes`: `previous` (the output being replaced's)
    /// when it is a good signature of these bytes by this key, else a new
    /// one. minisign adds random noise to every signature, so signing again
    /// would change the output of a site that did not change.
    pub fn signature(&self, bytes: &[u8], previous: Option<&[u8]>) -> anyhow::Result<Vec<u8>> {
        match previous {
            Some(previous) if check_signature(&self.public, bytes, previous).is_ok() => {
                Ok(previous.to_vec())
            }
            _ => self.sign(bytes),
        }
    }

    /// The minisign signature of `bytes`, as the text of a `.minisig`
    /// file. minisign adds random noise to every signature, so two
    /// signatures of the same bytes differ, and each verifies.
    pub fn sign(&self, bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
        let signature = minisign::sign(
            Some(&self.public),
            &self.secret,
            Cursor::new(bytes),
            Some(TRUSTED_COMMENT),
            Some(&format!("signature from dossier key {}", self.key_id())),
        )
        .map_err(|error| anyhow::anyhow!("cannot sign {MANIFEST}: {error}"))?;
        Ok(signature.into_string().into_bytes())
    }
}

/// Whether a secret key file's key is protected by a password; `None`
/// when the text is not a minisign secret key.
pub fn is_encrypted(text: &str) -> Option<bool> {
    let line = text.lines().nth(1)?.trim();
    // The key's bytes start with its algorithms: `Ed`, then the password's
    // (`Sc` for scrypt, two zero bytes for none). Base64 of `EdSc` starts
    // `RWRTY`, of `Ed\0\0` `RWQAA`.
    if line.starts_with("RWRTY") {
        Some(true)
    } else if line.starts_with("RWQAA") {
        Some(false)
    } else {
        None
    }
}

/// Why a signature does not vouch for a manifest.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The signature file is not one minisign reads.
    Unreadable(String),
    /// Signed by another key than the one given: both ids.
    OtherKey { signed_by: String, expected: String },
    /// The right key, but the bytes are not the ones signed.
    Forged,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Unreadable(why) => {
                write!(f, "{SIGNATURE} is not a minisign signature ({why})")
            }
            Refused::OtherKey {
                signed_by,
                expected,
            } => write!(
                f,
                "{SIGNATURE} was made with key {signed_by}, not with the key given ({expected}): this copy was not signed by that publisher, or the key is the wrong one"
            ),
            Refused::Forged => write!(
                f,
                "{SIGNATURE} does not match {MANIFEST}: the manifest was changed after it was signed"
            ),
        }
    }
}

/// Checks the minisign signature `signature` of `manifest` with `key`.
pub fn check_signature(key: &PublicKey, manifest: &[u8], signature: &[u8]) -> Result<(), Refused> {
    let text = String::from_utf8_lossy(signature);
    let signature =
        SignatureBox::from_string(&text).map_err(|error| Refused::Unreadable(error.to_string()))?;
    if signature.keynum() != key.keynum() {
        return Err(Refused::OtherKey {
            signed_by: key_id(signature.keynum()),
            expected: key_id(key.keynum()),
        });
    }
    minisign::verify(key, &signature, Cursor::new(manifest), true, false, false)
        .map_err(|_| Refused::Forged)
}

/// A new key pair's files, as `dossier keygen` writes them: the secret
/// key (encrypted with `password` unless it is `None`) and the public key,
/// with the public key's one line.
pub struct NewKeys {
    pub secret: String,
    pub public: String,
    pub public_line: String,
}

pub fn generate(password: Option<&str>) -> anyhow::Result<NewKeys> {
    let keys = match password {
        Some(password) => KeyPair::generate_encrypted_keypair(Some(password.to_string())),
        None => KeyPair::generate_unencrypted_keypair(),
    }
    .map_err(|error| anyhow::anyhow!("cannot make a key pair: {error}"))?;
    let id = key_id(keys.pk.keynum());
    let secret = keys
        .sk
        .to_box(Some(&format!("dossier secret key {id}")))
        .map_err(|error| anyhow::anyhow!("cannot write the secret key: {error}"))?;
    let public: PublicKeyBox = keys
        .pk
        .to_box()
        .map_err(|error| anyhow::anyhow!("cannot write the public key: {error}"))?;
    Ok(NewKeys {
        secret: secret.into_string(),
        public: public.into_string(),
        public_line: keys.pk.to_base64(),
    })
}

/// Writes a new key pair into `dir` (created if need be) as
/// [`SECRET_KEY_FILE`] and [`PUBLIC_KEY_FILE`]; refuses, before writing
/// anything, when either exists, so no key is ever replaced. The secret
/// key is readable by its owner only (on Unix). Returns both paths.
pub fn write_keys(dir: &Path, keys: &NewKeys) -> anyhow::Result<(PathBuf, PathBuf)> {
    let secret = dir.join(SECRET_KEY_FILE);
    let public = dir.join(PUBLIC_KEY_FILE);
    for path in [&secret, &public] {
        if fs::symlink_metadata(path).is_ok() {
            bail!(
                "{} exists already; no key was written (an existing key is never replaced: move it away first, or choose another folder with --out)",
                path.display()
            );
        }
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    create_new(&secret, keys.secret.as_bytes(), 0o600)?;
    create_new(&public, keys.public.as_bytes(), 0o644)?;
    Ok((secret, public))
}

fn create_new(path: &Path, bytes: &[u8], mode: u32) -> anyhow::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = crate::trust::open_no_follow(path, &mut options)
        .with_context(|| format!("cannot create {}", path.display()))?;
    io::Write::write_all(&mut file, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_written() {
        let mut files = BTreeMap::new();
        files.insert("a b/%x\n.html".to_string(), (3, "ab".repeat(32)));
        files.insert("index.html".to_string(), (10, "01".repeat(32)));
        let (listed, problems) = parse_manifest(&manifest_text(&files));
        assert!(problems.is_empty(), "{problems:?}");
        let read: BTreeMap<_, _> = listed
            .into_iter()
            .map(|l| (l.path, (l.size, l.sha256)))
            .collect();
        assert_eq!(read, files);
    }

    #[test]
    fn a_line_naming_a_path_outside_the_copy_is_refused() {
        let text = format!("{MANIFEST_HEADER}\n{} 1 ../etc/passwd\n", "0".repeat(64));
        let (listed, problems) = parse_manifest(&text);
        assert!(listed.is_empty());
        assert!(problems[0].contains("line 2"), "{problems:?}");
    }

    #[test]
    fn a_public_key_of_another_algorithm_is_refused() {
        let line = generate(None).unwrap().public_line;
        assert!(check_public_key(&line).is_none());
        // The same length and base64, but not `Ed` (minisign's Ed25519).
        let other = format!("XW{}", &line[2..]);
        assert!(check_public_key(&other).is_some());
        assert!(parse_public_key(&other).is_err());
    }

    #[test]
    fn a_key_in_place_of_its_file_name_is_refused() {
        let keys = generate(None).unwrap();
        assert!(check_secret_key_setting(&keys.secret).is_some());
        let line = keys.secret.lines().nth(1).unwrap();
        assert!(check_secret_key_setting(line).is_some());
        assert!(check_secret_key_setting("../keys/dossier.key").is_none());
    }

    #[test]
    fn encrypted_and_plain_keys_are_told_apart() {
        assert_eq!(is_encrypted(&generate(None).unwrap().secret), Some(false));
        assert_eq!(
            is_encrypted(&generate(Some("pw")).unwrap().secret),
            Some(true)
        );
        assert_eq!(is_encrypted("untrusted comment: x\nnot a key\n"), None);
    }
}
