//! The signed manifest: `manifest.txt` in every output, its minisign
//! signature with `build --sign`, `dossier keygen` and `dossier verify`
//! of a folder and of a mirror served over HTTP.

use std::fs;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use dossier::sign::{self, MANIFEST, SIGNATURE, Signer};
use dossier::verify::{Copy, verify};

use crate::harness::{Site, copy_dir, snapshot};

/// A key pair without a password in its own folder: (folder, secret key
/// file, public key).
fn keys() -> (tempfile::TempDir, PathBuf, minisign::PublicKey) {
    let dir = tempfile::tempdir().unwrap();
    let keys = sign::generate(None).unwrap();
    let (secret, _) = sign::write_keys(dir.path(), &keys).unwrap();
    let public = sign::parse_public_key(&keys.public).unwrap();
    (dir, secret, public)
}

/// A small site built with `--sign`: the site, the key pair's folder and
/// the public key.
fn signed_site() -> (Site, tempfile::TempDir, minisign::PublicKey) {
    let (dir, secret, public) = keys();
    let signer = Arc::new(Signer::load(&secret, None).unwrap());
    let site = Site::linked();
    site.build_with(|options| options.sign = Some(signer))
        .clean();
    (site, dir, public)
}

/// A copy of the site's output in a folder of its own.
fn copy_of(site: &Site) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy");
    copy_dir(&site.output(), &copy);
    (dir, copy)
}

fn problems_of(copy: &Path, key: &minisign::PublicKey) -> Vec<String> {
    verify(&Copy::Folder(copy.to_path_buf()), key)
        .unwrap()
        .problems
}

#[test]
fn the_manifest_lists_every_published_file_with_its_size_and_sha256() {
    let built = Site::linked().build().clean();
    let text = built.page(MANIFEST);
    let (listed, problems) = sign::parse_manifest(&text);
    assert!(problems.is_empty(), "{problems:?}");
    let listed: Vec<(String, u64, String)> = listed
        .into_iter()
        .map(|file| (file.path, file.size, file.sha256))
        .collect();
    let published: Vec<(String, u64, String)> = snapshot(&built.output)
        .into_iter()
        .filter(|(path, _)| path != MANIFEST && path != dossier::trust::MANIFEST)
        .map(|(path, bytes)| {
            let hash = dossier::write::sha256_hex(&bytes);
            (path, bytes.len() as u64, hash)
        })
        .collect();
    assert!(published.iter().any(|(path, _, _)| path == "index.html"));
    assert_eq!(listed, published);
    assert!(
        !built.exists(SIGNATURE),
        "an unsigned build writes no signature"
    );
}

#[test]
fn a_static_file_named_like_the_manifest_is_an_error() {
    Site::new()
        .file("static/manifest.txt", "the site's own list\n")
        .file("content/manifest.txt.minisig", "x\n")
        .build()
        .fails()
        .has(&[
            "static/manifest.txt",
            "would be published at `manifest.txt`, and so would the published manifest `manifest.txt`",
        ])
        .has(&["content/manifest.txt.minisig", "the published manifest `manifest.txt.minisig`"]);
}

#[test]
fn an_untouched_copy_passes() {
    let (site, _keys, public) = signed_site();
    let (_dir, copy) = copy_of(&site);
    let verdict = verify(&Copy::Folder(copy), &public).unwrap();
    assert!(verdict.intact(), "{:?}", verdict.problems);
    assert!(verdict.checked > 10, "{}", verdict.checked);
}

#[test]
fn a_copy_with_one_byte_changed_fails_naming_the_file() {
    let (site, _keys, public) = signed_site();
    let (_dir, copy) = copy_of(&site);
    let page = copy.join("incidents/haditha-2005/index.html");
    let mut bytes = fs::read(&page).unwrap();
    bytes[100] ^= 1;
    fs::write(&page, bytes).unwrap();
    let problems = problems_of(&copy, &public);
    assert_eq!(
        problems,
        ["changed: incidents/haditha-2005/index.html (not the bytes the manifest lists)"]
    );
}

#[test]
fn a_copy_with_a_file_removed_or_added_fails_naming_it() {
    let (site, _keys, public) = signed_site();
    let (_dir, copy) = copy_of(&site);
    fs::remove_file(copy.join("actors/amnesty/index.html")).unwrap();
    fs::write(
        copy.join("actors/planted.html"),
        "<script>alert(1)</script>",
    )
    .unwrap();
    let problems = problems_of(&copy, &public);
    assert_eq!(
        problems,
        [
            "missing: actors/amnesty/index.html",
            "added: actors/planted.html (the manifest does not list it)"
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_link_in_place_of_a_file_is_not_followed() {
    let (site, _keys, public) = signed_site();
    let (dir, copy) = copy_of(&site);
    // The link points at the very bytes listed, outside the copy.
    let page = copy.join("actors/amnesty/index.html");
    let outside = dir.path().join("page.html");
    fs::rename(&page, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &page).unwrap();
    let problems = problems_of(&copy, &public);
    assert_eq!(
        problems,
        ["changed: actors/amnesty/index.html (a symbolic link or a folder in place of the file)"]
    );
}

#[test]
fn a_changed_manifest_or_a_missing_signature_fails() {
    let (site, _keys, public) = signed_site();
    let (_dir, copy) = copy_of(&site);
    // The page and its line in the manifest changed together: only the
    // signature tells.
    let page = copy.join("index.html");
    let old = dossier::write::sha256_hex(&fs::read(&page).unwrap());
    let forged = b"<p>forged</p>".to_vec();
    fs::write(&page, &forged).unwrap();
    let manifest = fs::read_to_string(copy.join(MANIFEST)).unwrap();
    let line = manifest
        .lines()
        .find(|l| l.ends_with(" index.html"))
        .unwrap();
    let new_line = format!(
        "{} {} index.html",
        dossier::write::sha256_hex(&forged),
        forged.len()
    );
    assert!(line.starts_with(&old));
    fs::write(copy.join(MANIFEST), manifest.replace(line, &new_line)).unwrap();
    let problems = problems_of(&copy, &public);
    assert_eq!(
        problems,
        [
            "manifest.txt.minisig does not match manifest.txt: the manifest was changed after it was signed"
        ]
    );
    fs::remove_file(copy.join(SIGNATURE)).unwrap();
    let problems = problems_of(&copy, &public);
    assert!(
        problems[0].starts_with("manifest.txt.minisig is missing"),
        "{problems:?}"
    );
}

#[test]
fn a_check_with_another_key_fails_naming_both_keys() {
    let (site, _keys, public) = signed_site();
    let (_other_dir, _, other) = keys();
    let problems = problems_of(&site.output(), &other);
    let signed_by = sign::key_id(public.keynum());
    let given = sign::key_id(other.keynum());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains(&format!(
            "made with key {signed_by}, not with the key given ({given})"
        )),
        "{problems:?}"
    );
}

#[test]
fn the_signature_verifies_with_the_minisign_crate_alone() {
    let (site, keys, _) = signed_site();
    let public = minisign::PublicKeyBox::from_string(
        &fs::read_to_string(keys.path().join(sign::PUBLIC_KEY_FILE)).unwrap(),
    )
    .unwrap()
    .into_public_key()
    .unwrap();
    let signature = minisign::SignatureBox::from_file(site.output().join(SIGNATURE)).unwrap();
    let manifest = fs::read(site.output().join(MANIFEST)).unwrap();
    minisign::verify(
        &public,
        &signature,
        std::io::Cursor::new(&manifest),
        true,
        false,
        false,
    )
    .unwrap();
    let mut changed = manifest.clone();
    changed[30] ^= 1;
    assert!(
        minisign::verify(
            &public,
            &signature,
            std::io::Cursor::new(&changed),
            true,
            false,
            false
        )
        .is_err()
    );
}

#[test]
fn an_unchanged_site_signed_again_publishes_the_same_bytes() {
    let (dir, secret, public) = keys();
    let signer = Arc::new(Signer::load(&secret, None).unwrap());
    let site = Site::linked();
    let sign = |site: &Site| {
        let signer = Arc::clone(&signer);
        site.build_with(move |options| options.sign = Some(signer))
            .clean();
    };
    sign(&site);
    let first = snapshot(&site.output());
    sign(&site);
    assert!(
        first == snapshot(&site.output()),
        "a rebuild changed the output"
    );
    // A changed site is signed anew, and the new signature holds.
    let first_signature = fs::read(site.output().join(SIGNATURE)).unwrap();
    fs::write(
        site.root().join("content/actors/amnesty.md"),
        "---\ntitle: Amnesty\nkind: ngo\n---\n",
    )
    .unwrap();
    sign(&site);
    assert_ne!(
        fs::read(site.output().join(SIGNATURE)).unwrap(),
        first_signature
    );
    assert!(problems_of(&site.output(), &public).is_empty());
    // A signature by another key is never carried over.
    let (_other_dir, other_secret, other) = keys();
    let other_signer = Arc::new(Signer::load(&other_secret, None).unwrap());
    site.build_with(move |options| options.sign = Some(other_signer))
        .clean();
    assert!(problems_of(&site.output(), &other).is_empty());
    drop(dir);
}

#[test]
fn a_signed_output_is_replaced_by_the_next_build_signed_or_not() {
    let (site, _keys, _) = signed_site();
    // The signature is listed in the marker, so it is the build's own.
    site.build().clean();
    assert!(site.output().join(MANIFEST).is_file());
    assert!(!site.output().join(SIGNATURE).exists());
}

/// Serves the files of `dir` over HTTP on loopback, one request at a time,
/// until the test ends; 404 for anything else. Returns the base address.
fn serve_folder(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
                    break;
                }
            }
            let target = request.split(' ').nth(1).unwrap_or("/");
            let path = percent_encoding::percent_decode_str(target.trim_start_matches('/'))
                .decode_utf8_lossy()
                .into_owned();
            let body = (!path.contains(".."))
                .then(|| fs::read(dir.join(&path)).ok())
                .flatten();
            let (status, body) = match body {
                Some(body) => ("200 OK", body),
                None => ("404 Not Found", b"not found".to_vec()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    address
}

#[test]
fn a_mirror_is_checked_over_http_file_by_file() {
    let (site, _keys, public) = signed_site();
    let (_dir, copy) = copy_of(&site);
    let address = serve_folder(copy.clone());
    let verdict = verify(&Copy::of(&format!("{address}/")), &public).unwrap();
    assert!(verdict.intact(), "{:?}", verdict.problems);
    assert!(verdict.checked > 10);

    let page = copy.join("sources/amnesty-2023/index.html");
    let mut bytes = fs::read(&page).unwrap();
    bytes.push(b'\n');
    fs::write(&page, bytes).unwrap();
    fs::remove_file(copy.join("demands/investigate/index.html")).unwrap();
    // An added file cannot be seen through HTTP: no listing.
    fs::write(copy.join("planted.html"), "x").unwrap();
    let verdict = verify(&Copy::of(&address), &public).unwrap();
    assert_eq!(
        verdict.problems,
        [
            "missing: demands/investigate/index.html",
            "changed: sources/amnesty-2023/index.html (not the bytes the manifest lists)"
        ]
    );
    let (_other_dir, _, other) = keys();
    let verdict = verify(&Copy::of(&address), &other).unwrap();
    assert!(
        verdict.problems[0].contains("not with the key given"),
        "{:?}",
        verdict.problems
    );
}

fn dossier(args: &[&str], dir: &Path, password: Option<&str>) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove(sign::PASSWORD_VARIABLE);
    if let Some(password) = password {
        command.env(sign::PASSWORD_VARIABLE, password);
    }
    let out = command.output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn keygen_never_replaces_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, said) = dossier(
        &["keygen", "--out", "keys", "--no-password"],
        dir.path(),
        None,
    );
    assert!(ok, "{said}");
    assert!(said.contains("never commit it"), "{said}");
    let public = fs::read_to_string(dir.path().join("keys/dossier.pub")).unwrap();
    let line = public.lines().nth(1).unwrap();
    assert!(
        said.contains(&format!("[sign]\npublic_key = \"{line}\"")),
        "{said}"
    );
    let secret = fs::read(dir.path().join("keys/dossier.key")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(dir.path().join("keys/dossier.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the secret key is its owner's only");
    }
    let (ok, said) = dossier(
        &["keygen", "--out", "keys", "--no-password"],
        dir.path(),
        None,
    );
    assert!(!ok);
    assert!(
        said.contains("exists already; no key was written"),
        "{said}"
    );
    assert_eq!(
        fs::read(dir.path().join("keys/dossier.key")).unwrap(),
        secret
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("keys/dossier.pub")).unwrap(),
        public
    );
}

#[test]
fn a_wrong_password_or_unreadable_key_leaves_the_output_untouched() {
    let site = Site::linked();
    site.build().clean();
    let before = snapshot(&site.output());
    let keys = tempfile::tempdir().unwrap();
    let (ok, said) = dossier(&["keygen", "--out", "."], keys.path(), Some("right horse"));
    assert!(ok, "{said}");
    assert!(said.contains("protected by your password"), "{said}");
    let key = keys.path().join(sign::SECRET_KEY_FILE);
    let root = site.root().to_str().unwrap();
    let (ok, said) = dossier(
        &["build", "--root", root, "--sign", key.to_str().unwrap()],
        keys.path(),
        Some("wrong horse"),
    );
    assert!(!ok);
    assert!(said.contains("wrong password for the secret key"), "{said}");
    assert!(said.contains("nothing was built"), "{said}");
    let (ok, said) = dossier(
        &["build", "--root", root, "--sign", "no-such.key"],
        keys.path(),
        None,
    );
    assert!(!ok);
    assert!(
        said.contains("cannot read the secret key no-such.key"),
        "{said}"
    );
    assert_eq!(snapshot(&site.output()), before);
}

#[test]
fn a_secret_key_inside_a_published_folder_is_never_used() {
    let keys = sign::generate(None).unwrap();
    let site = Site::linked().file("static/keys/dossier.key", &keys.secret);
    site.build().clean();
    let before = snapshot(&site.output());
    let root = site.root().to_str().unwrap();
    let (ok, said) = dossier(
        &["build", "--root", root, "--sign", "static/keys/dossier.key"],
        site.root(),
        None,
    );
    assert!(!ok, "{said}");
    assert!(
        said.contains(
            "static/keys/dossier.key is inside the site's static/ folder, which a build publishes"
        ),
        "{said}"
    );
    let toml = format!(
        "{}[sign]\nsecret_key = \"static/keys/dossier.key\"\n",
        crate::harness::SITE_TOML
    );
    fs::write(site.root().join("site.toml"), toml).unwrap();
    let (ok, said) = dossier(&["build", "--root", root], site.root(), None);
    assert!(!ok, "{said}");
    assert!(
        said.contains("is inside the site's static/ folder"),
        "{said}"
    );
    assert_eq!(snapshot(&site.output()), before);
}

#[test]
fn verify_takes_the_key_from_site_toml_and_prints_one_line_when_intact() {
    let (site, keys, _) = signed_site();
    let line = fs::read_to_string(keys.path().join(sign::PUBLIC_KEY_FILE))
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .to_string();
    let toml = format!(
        "{}[sign]\npublic_key = \"{line}\"\n",
        crate::harness::SITE_TOML
    );
    fs::write(site.root().join("site.toml"), toml).unwrap();
    let (ok, said) = dossier(&["verify", "public"], site.root(), None);
    assert!(ok, "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(said.starts_with("verify: public is intact:"), "{said}");
    fs::write(site.output().join("extra.txt"), "x").unwrap();
    let (ok, said) = dossier(&["verify", "public"], site.root(), None);
    assert!(!ok);
    assert!(said.contains("added: extra.txt"), "{said}");
    // A key given on the command line, as a .pub file, wins.
    fs::remove_file(site.output().join("extra.txt")).unwrap();
    let other = tempfile::tempdir().unwrap();
    sign::write_keys(other.path(), &sign::generate(None).unwrap()).unwrap();
    let other_pub = other.path().join(sign::PUBLIC_KEY_FILE);
    let (ok, said) = dossier(
        &["verify", "public", "--key", other_pub.to_str().unwrap()],
        site.root(),
        None,
    );
    assert!(!ok);
    assert!(said.contains("not with the key given"), "{said}");
    let (ok, said) = dossier(
        &["verify", "public", "--key", "/nonexistent/RWnot-a-key"],
        site.root(),
        None,
    );
    assert!(!ok);
    assert!(said.contains("is not a minisign public key"), "{said}");
}

#[test]
fn a_malformed_public_key_is_an_error_at_its_line() {
    Site::new()
        .file(
            "site.toml",
            &format!(
                "{}[sign]\npublic_key = \"RWQnot-a-key\"\n",
                crate::harness::SITE_TOML
            ),
        )
        .build()
        .fails()
        .has(&[
            "`public_key` `RWQnot-a-key` is not a minisign public key",
            "site.toml:6:15",
        ]);
}

#[test]
fn a_secret_key_written_into_site_toml_is_refused() {
    let keys = sign::generate(None).unwrap();
    let line = keys.secret.lines().nth(1).unwrap();
    Site::new()
        .file(
            "site.toml",
            &format!(
                "{}[sign]\nsecret_key = \"{line}\"\n",
                crate::harness::SITE_TOML
            ),
        )
        .build()
        .fails()
        .has(&[
            "`secret_key` holds what looks like a secret key",
            "site.toml:6:",
        ]);
}

#[test]
fn the_about_page_shows_the_public_key_in_every_language() {
    let keys = sign::generate(None).unwrap();
    let built = Site::new()
        .file(
            "site.toml",
            &format!(
                "{}[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n[sign]\npublic_key = \"{}\"\n",
                crate::harness::SITE_TOML,
                keys.public_line
            ),
        )
        .file("content/about.md", "---\ntitle: About\n---\nWho we are.\n")
        .file("content/about.ar.md", "---\ntitle: من نحن\n---\nمن نحن.\n")
        .file("content/methodology.md", "---\ntitle: Method\n---\nHow.\n")
        .build();
    let english = built.page("about/index.html");
    assert!(
        english.contains(&format!(
            "dossier verify FOLDER-OR-ADDRESS --key {}",
            keys.public_line
        )),
        "{english}"
    );
    assert!(english.contains(&format!(
        "minisign -Vm manifest.txt -P {}",
        keys.public_line
    )));
    assert!(english.contains("is the one published here"));
    let arabic = built.page("ar/about/index.html");
    assert!(arabic.contains(&keys.public_line), "{arabic}");
    assert!(arabic.contains("التحقق من نسخة"));
    assert!(
        !built
            .page("methodology/index.html")
            .contains(&keys.public_line)
    );
}
