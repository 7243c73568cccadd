//! The trust model for paths: nothing the site's files say (manifests,
//! leftover folders, symlinks, `output_dir`, theme folders) makes a build
//! or a command read, write or delete outside the site and its output, and
//! no file under `content/` publishes script.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use sha2::Digest as _;

use crate::harness::{Site, leftovers, run_dossier, snapshot};

/// A pid no process has (above any kernel's `pid_max`).
const DEAD_PID: &str = "4000000000";

fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A finished manifest, as a build writes one, listing `files` (path as
/// written in the manifest, and the file whose size and hash it gives).
fn manifest(files: &[(&str, &Path)]) -> String {
    let mut text = String::from("dossier-output 1\nbuild 0123456789abcdef\n");
    for (listed, real) in files {
        let bytes = fs::read(real).unwrap();
        text.push_str(&format!(
            "file {} {} {listed}\n",
            sha256(&bytes),
            bytes.len()
        ));
    }
    text
}

#[test]
fn a_manifest_listing_paths_outside_the_output_deletes_nothing_there() {
    let site = Site::linked().file("outside.txt", "not the build's");
    site.build().clean();
    let content = site.root().join("content/actors/amnesty.md");
    let outside = site.root().join("outside.txt");
    // Someone who can commit to the output (a gh-pages branch) lists the
    // site's own files in its manifest, with their right sizes and hashes.
    let marker = site.output().join(".dossier-output");
    let mut text = fs::read_to_string(&marker).unwrap();
    text.push_str(
        &manifest(&[
            ("../content/actors/amnesty.md", &content),
            (&outside.display().to_string(), &outside),
        ])[("dossier-output 1\nbuild 0123456789abcdef\n".len())..],
    );
    fs::write(&marker, text).unwrap();
    site.build().clean();
    assert!(content.exists(), "a content file was deleted");
    assert!(outside.exists(), "a file outside the output was deleted");
}

#[test]
fn a_planted_leftover_folder_is_never_deleted_from_or_put_in_place() {
    let site = Site::linked();
    let content = site.root().join("content/actors/amnesty.md");
    let planted = site.root().join(format!(".public.old-{DEAD_PID}"));
    fs::create_dir_all(&planted).unwrap();
    fs::write(planted.join("planted.html"), "<script>alert(1)</script>").unwrap();
    fs::write(
        planted.join(".dossier-output"),
        manifest(&[
            ("../content/actors/amnesty.md", &content),
            ("planted.html", &planted.join("planted.html")),
        ]),
    )
    .unwrap();
    let before = snapshot(&planted);
    // With no output yet, a killed build's set-aside output would be put
    // back in place; a planted one is not.
    site.build().has(&["no build here made it"]);
    assert!(!site.output().join("planted.html").exists());
    site.build().has(&["no build here made it"]);
    assert!(content.exists(), "a content file was deleted");
    assert_eq!(snapshot(&planted), before, "the planted folder was touched");
}

#[test]
fn a_leftover_name_linking_to_another_output_leaves_that_output_whole() {
    let other = Site::linked();
    other.build().clean();
    let before = snapshot(&other.output());
    let site = Site::linked();
    site.build().clean();
    symlink(
        other.output(),
        site.root().join(format!(".public.old-{DEAD_PID}")),
    )
    .unwrap();
    site.build().has(&["no build here made it"]);
    assert_eq!(snapshot(&other.output()), before);
}

#[test]
fn a_failed_swap_leaves_no_staging_folder() {
    // The build writes `CNAME`, which the output already has unlisted and
    // `[build] keep` carries over: refused at the swap.
    let site = Site::linked().file("static/CNAME", "example.org\n");
    fs::create_dir_all(site.output()).unwrap();
    fs::write(site.output().join("CNAME"), "example.org\n").unwrap();
    let built = site.build();
    assert!(built.report.is_err(), "the swap should have been refused");
    assert_eq!(leftovers(site.root(), "public"), Vec::<String>::new());
}

#[test]
fn the_lock_file_is_never_created_through_a_link() {
    let site = Site::linked();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("created-by-the-build");
    symlink(&target, site.root().join(".public.lock")).unwrap();
    let built = site.build();
    assert!(built.report.is_err());
    assert!(!target.exists(), "the lock was created through the link");
}

#[test]
fn a_refused_output_gets_no_lock_file_beside_it() {
    let site = Site::linked();
    let output = site.root().join("content/actors");
    site.build_with(|o| {
        o.mode = dossier::Mode::Publish {
            output: Some(output),
        }
    })
    .fails()
    .has(&["inside the site's `content/` folder"]);
    assert!(!site.root().join("content/.actors.lock").exists());
}

#[test]
fn output_dir_may_not_leave_the_site_or_go_through_a_link() {
    let elsewhere = tempfile::tempdir().unwrap();
    let other = elsewhere.path().join("public");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join(".dossier-output"), "").unwrap();
    let before = snapshot(elsewhere.path());
    let relative = format!(
        "../{}/public",
        elsewhere.path().file_name().unwrap().to_string_lossy()
    );
    let site = Site::linked();
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let site = site.file(
        "site.toml",
        &format!("{toml}\n[build]\noutput_dir = \"{relative}\"\n"),
    );
    site.build()
        .fails()
        .has(&["output_dir", "names a folder outside the site"]);
    // A link named like the output is refused too.
    let site = site.file("site.toml", &toml);
    symlink(&other, site.output()).unwrap();
    site.build().fails().has(&["symbolic link"]);
    assert_eq!(snapshot(elsewhere.path()), before);
}

#[test]
fn active_attachments_are_refused_unless_the_site_allows_them() {
    let site = Site::linked()
        .file(
            "content/files/copy.html",
            "<script>alert(document.domain)</script>",
        )
        .file(
            "content/incidents/x/index.HTML",
            "<script>alert(1)</script>",
        )
        .file("content/files/map.svg", "<svg onload=alert(1)/>")
        .file("content/files/report.pdf", "%PDF-1.4");
    site.build()
        .fails_with(3)
        .has(&["content/files/copy.html", "convert an archived page to PDF"])
        .has(&["content/files/map.svg"])
        .has(&["content/incidents/x/index.HTML"]);
    let toml = fs::read_to_string(site.root().join("site.toml")).unwrap();
    let site = site.file(
        "site.toml",
        &format!("{toml}\n[build]\nactive_attachments = \"publish\"\n"),
    );
    let built = site.build().clean();
    assert!(built.exists("files/copy.html"));
    assert!(built.exists("files/report.pdf"));
}

#[test]
fn a_draft_sources_archived_copy_is_neither_published_nor_listed() {
    let statement = b"witness statement awaiting consent";
    let site = Site::linked().bytes("content/files/witness.pdf", statement).file(
        "content/sources/witness.md",
        &format!(
            "---\ntitle: Statement\nkind: ngo-statement\ndraft: true\nperspective: A witness.\narchive: {{file: files/witness.pdf, sha256: {}}}\n---\n",
            sha256(statement)
        ),
    );
    let built = site.build().clean();
    assert!(!built.exists("files/witness.pdf"));
    let marker = fs::read_to_string(site.output().join(".dossier-output")).unwrap();
    assert!(!marker.contains("witness"), "{marker}");
    // Published with the drafts, it is there.
    let built = site.build_with(|o| o.drafts = true).clean();
    assert!(built.exists("files/witness.pdf"));
}

#[test]
fn a_theme_folder_linking_out_of_the_site_is_refused() {
    let elsewhere = tempfile::tempdir().unwrap();
    let site = Site::linked();
    let theme = site.root().join("themes/default");
    crate::harness::copy_dir(&theme, &elsewhere.path().join("default"));
    fs::write(
        elsewhere.path().join("default/static/secret.txt"),
        "outside the site",
    )
    .unwrap();
    fs::remove_dir_all(&theme).unwrap();
    symlink(elsewhere.path().join("default"), &theme).unwrap();
    let built = site.build();
    let diagnostics = built.diagnostics();
    assert!(
        diagnostics.contains("`themes/default` leads through a symbolic link"),
        "{diagnostics}"
    );
    assert!(!site.output().join("secret.txt").exists());
}

#[test]
fn cms_never_writes_through_a_link() {
    let elsewhere = tempfile::tempdir().unwrap();
    let profile = elsewhere.path().join(".bash_profile");
    let site = Site::linked();
    fs::create_dir_all(site.root().join("static/admin")).unwrap();
    symlink(&profile, site.root().join("static/admin/config.yml")).unwrap();
    let (ok, stderr) = run_dossier(site.root(), &["cms"]);
    assert!(!ok, "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(!profile.exists(), "cms wrote through the link");
    // Nor through a linked folder on the way.
    fs::remove_dir_all(site.root().join("static")).unwrap();
    symlink(elsewhere.path(), site.root().join("static")).unwrap();
    let (ok, stderr) = run_dossier(site.root(), &["cms"]);
    assert!(!ok, "{stderr}");
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

#[test]
fn schema_never_overwrites_through_a_link() {
    let elsewhere = tempfile::tempdir().unwrap();
    let victim = elsewhere.path().join("victim.txt");
    fs::write(&victim, "mine").unwrap();
    let site = Site::linked();
    fs::create_dir_all(site.root().join("schema")).unwrap();
    symlink(&victim, site.root().join("schema/incidents.schema.json")).unwrap();
    let (ok, stderr) = run_dossier(site.root(), &["schema"]);
    assert!(!ok, "{stderr}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "mine");
    fs::remove_dir_all(site.root().join("schema")).unwrap();
    symlink(elsewhere.path(), site.root().join("schema")).unwrap();
    let (ok, stderr) = run_dossier(site.root(), &["schema"]);
    assert!(!ok, "{stderr}");
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 1);
}
