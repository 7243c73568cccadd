//! The safety nets between a half-written dossier and its readers: strict
//! checks for CI, placeholders that cannot be published, one rule for
//! `base_url`, incidents that rest on a source, and a new language started
//! in one step.

use crate::harness::{SITE_TOML, Site, run_dossier};

/// A site whose only problem is one warning: raw HTML, written as text.
fn site_with_one_warning(settings: &str) -> Site {
    Site::linked().file("site.toml", settings).file(
        "content/about.md",
        "---\ntitle: About\n---\nA <br> break.\n",
    )
}

#[test]
fn one_warning_passes_unless_strict_is_asked_for_on_the_command_line_or_in_site_toml() {
    let site = site_with_one_warning(SITE_TOML);
    for command in ["check", "build"] {
        let (ok, stderr) = run_dossier(site.root(), &[command]);
        assert!(ok, "{command}: {stderr}");
        assert!(stderr.contains("0 errors, 1 warning"), "{stderr}");
    }
    std::fs::remove_dir_all(site.output()).unwrap();
    for command in ["check", "build"] {
        let (ok, stderr) = run_dossier(site.root(), &[command, "--strict"]);
        assert!(!ok, "{command} --strict: {stderr}");
        assert!(stderr.contains("warnings fail it as errors do"), "{stderr}");
    }
    assert!(!site.output().exists(), "a strict build publishes nothing");

    let site = site_with_one_warning(&format!("{SITE_TOML}strict = true\n"));
    for command in ["check", "build"] {
        let (ok, stderr) = run_dossier(site.root(), &[command]);
        assert!(!ok, "{command} with `strict = true`: {stderr}");
        assert!(stderr.contains("`strict = true`"), "{stderr}");
    }
    assert!(!site.output().exists());
    let json = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["check", "--format", "json", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&json.stdout);
    assert!(!json.status.success(), "{stdout}");
    assert!(stdout.contains("\"succeeded\":false"), "{stdout}");

    // A site with no warning passes strict checks.
    let (ok, stderr) = run_dossier(Site::linked().root(), &["build", "--strict"]);
    assert!(ok, "{stderr}");
}
