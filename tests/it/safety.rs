//! The safety nets between a half-written dossier and its readers: strict
//! checks for CI, placeholders that cannot be published, one rule for
//! `base_url`, incidents that rest on a source, and a new language started
//! in one step.

use dossier::diagnostic::Code;

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

/// A document `dossier new` wrote, with what only its editor knows filled
/// in: its dates, the place, a source, the text.
pub fn filled_in(text: &str) -> String {
    text.replace(dossier::scaffold::PLACEHOLDER_DATE, "2007-09-16")
        .replace("place: {name: \"\"}", "place: {name: Baghdad}")
        .replace("sources: []", "sources: [example-report]")
        .replace(
            dossier::scaffold::PLACEHOLDER_BODY,
            "What happened, in the editors' words. {.editorial}",
        )
}

#[test]
fn what_dossier_new_leaves_to_fill_in_is_an_error_at_its_line_until_it_is() {
    let (_dir, site) = crate::scaffold::init();
    let (ok, stderr) = run_dossier(&site, &["new", "incident", "Nisour Square"]);
    assert!(ok, "{stderr}");
    let path = site.join("content/incidents/nisour-square.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let today = jiff::Zoned::now().date().to_string();
    assert!(!text.contains(&today), "no date is guessed:\n{text}");

    let (ok, stderr) = run_dossier(&site, &["check"]);
    assert!(!ok, "{stderr}");
    assert!(stderr.contains("2 errors"), "{stderr}");
    assert!(
        stderr.contains("`YYYY-MM-DD` is not a date in `date`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/incidents/nisour-square.md:4:7"),
        "{stderr}"
    );
    assert!(stderr.contains("help: write dates as `2005`"), "{stderr}");
    let body_line = text
        .lines()
        .position(|l| l.starts_with("Write the text"))
        .unwrap()
        + 1;
    assert!(
        stderr.contains(&format!("content/incidents/nisour-square.md:{body_line}:1")),
        "{stderr}"
    );
    assert!(stderr.contains("wrote for you to replace"), "{stderr}");

    // With its date, the empty place is named too.
    std::fs::write(&path, text.replace("YYYY-MM-DD", "2007-09-16")).unwrap();
    let (ok, stderr) = run_dossier(&site, &["check"]);
    assert!(!ok, "{stderr}");
    assert!(
        stderr.contains("the place of this incident has no name"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/incidents/nisour-square.md:6:9"),
        "{stderr}"
    );
    assert!(stderr.contains("the town, village or site"), "{stderr}");

    std::fs::write(&path, filled_in(&text)).unwrap();
    let (ok, stderr) = run_dossier(&site, &["check"]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("0 errors, 0 warnings"), "{stderr}");
}

#[test]
fn an_incident_without_a_source_is_an_error_unless_site_toml_says_warn() {
    let unsourced = "---\ntitle: I\ndate: 2005\nsources: []\n---\n";
    let built = Site::new()
        .file("content/incidents/i.md", unsourced)
        .build()
        .fails()
        .has(&[
            "this incident has no source",
            "content/incidents/i.md:4:1",
            "no claim is published without one",
        ]);
    assert_eq!(built.report().diagnostics[0].code, Code::UnsourcedIncident);
    assert!(!built.exists("incidents/i/index.html"));

    // Without `sources` at all, it is at the title.
    Site::new()
        .file("content/incidents/i.md", "---\ntitle: I\ndate: 2005\n---\n")
        .build()
        .fails()
        .has(&["this incident has no source", "content/incidents/i.md:2:1"]);

    let built = Site::new()
        .file(
            "site.toml",
            &format!("{SITE_TOML}incidents_without_sources = \"warn\"\n"),
        )
        .file("content/incidents/i.md", unsourced)
        .build()
        .has(&["this incident has no source"]);
    assert!(built.report().succeeded());
    assert_eq!(
        built.report().diagnostics[0].code,
        Code::IncidentWithoutSource
    );
    assert_eq!(built.report().warnings(), 1);
    assert!(built.exists("incidents/i/index.html"));

    // The setting takes no other word.
    Site::new()
        .file(
            "site.toml",
            &format!("{SITE_TOML}incidents_without_sources = \"off\"\n"),
        )
        .build()
        .fails()
        .has(&["`off`", "site.toml:5:29"]);
}
