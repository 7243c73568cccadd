//! `dossier init` and `dossier new`, through the binary as a user runs them.

use std::process::Command;

fn dossier() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
}

#[test]
fn init_creates_a_dossier_that_builds_at_once_and_new_adds_documents_that_build() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("mysite");
    let status = dossier().arg("init").arg(&site).status().unwrap();
    assert!(status.success());
    assert!(site.join("README.md").is_file());
    assert!(site.join("themes/default/templates/base.html").is_file());
    let build = dossier()
        .args(["build", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(String::from_utf8_lossy(&build.stderr).contains("0 errors, 0 warnings"));
    assert!(
        site.join("public/incidents/example-incident/index.html")
            .is_file()
    );

    for collection in ["demands", "incidents", "actors", "sources", "figures"] {
        let new = dossier()
            .args(["new", collection, "Nisour Square 2007", "--root"])
            .arg(&site)
            .output()
            .unwrap();
        assert!(
            new.status.success(),
            "{}",
            String::from_utf8_lossy(&new.stderr)
        );
        let text = std::fs::read_to_string(
            site.join(format!("content/{collection}/nisour-square-2007.md")),
        )
        .unwrap();
        assert!(text.contains("title: \"Nisour Square 2007\""));
    }
    let build = dossier()
        .args(["build", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{stderr}");
    assert!(stderr.contains("0 errors"), "{stderr}");

    // It never overwrites.
    let again = dossier()
        .args(["new", "incidents", "Nisour Square 2007", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    // A title with no Latin letters asks for a slug.
    let arabic = dossier()
        .args(["new", "incidents", "مجزرة حديثة", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&arabic.stderr).contains("--slug"));
    let with_slug = dossier()
        .args([
            "new",
            "incidents",
            "مجزرة حديثة",
            "--slug",
            "haditha-ar",
            "--root",
        ])
        .arg(&site)
        .output()
        .unwrap();
    assert!(with_slug.status.success());
    // init refuses a folder that holds files.
    let refused = dossier().arg("init").arg(&site).output().unwrap();
    assert!(!refused.status.success());
}

/// A new dossier made by `dossier init` in a temporary folder.
fn init() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("mysite");
    assert!(dossier().arg("init").arg(&site).status().unwrap().success());
    (dir, site)
}

/// Runs `dossier ARGS --root SITE` with no input; returns whether it
/// succeeded and what it printed on stderr.
fn run_in(site: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = dossier()
        .args(args)
        .arg("--root")
        .arg(site)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn new_takes_the_singular_asks_nothing_and_says_what_to_do_next() {
    let (_dir, site) = init();
    let (ok, stderr) = run_in(&site, &["new", "incident", "Nisour Square 2007"]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("wrote content/incidents/nisour-square-2007.md"),
        "{stderr}"
    );
    assert!(stderr.contains("dossier serve"), "{stderr}");
    assert!(
        site.join("content/incidents/nisour-square-2007.md")
            .is_file()
    );
}

#[test]
fn version_names_the_content_format() {
    let out = dossier().arg("--version").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(stdout.contains(env!("CARGO_PKG_VERSION")), "{stdout}");
    assert!(stdout.contains(dossier::export::FORMAT), "{stdout}");
}

#[test]
fn build_base_url_replaces_the_one_in_site_toml_for_absolute_urls_only() {
    let (_dir, site) = init();
    let (ok, stderr) = run_in(
        &site,
        &["build", "--base-url", "https://preview.example.org/pr-7/"],
    );
    assert!(ok, "{stderr}");
    let sitemap = std::fs::read_to_string(site.join("public/sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://preview.example.org/pr-7/incidents/example-incident/</loc>"),
        "{sitemap}"
    );
    let page =
        std::fs::read_to_string(site.join("public/incidents/example-incident/index.html")).unwrap();
    assert!(
        !page.contains("href=\"https://preview.example.org"),
        "links stay relative"
    );
    let (ok, stderr) = run_in(&site, &["build", "--base-url", "preview.example.org"]);
    assert!(!ok);
    assert!(stderr.contains("https://example.org/dossier/"), "{stderr}");
}
