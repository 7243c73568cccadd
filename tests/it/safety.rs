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

    // One run names every placeholder, though the date stops the front
    // matter from being read.
    let (ok, stderr) = run_dossier(&site, &["check"]);
    assert!(!ok, "{stderr}");
    assert!(stderr.contains("3 errors"), "{stderr}");
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
    let place = |stderr: &str| {
        stderr.contains("the place of this incident has no name")
            && stderr.contains("content/incidents/nisour-square.md:6:9")
            && stderr.contains("the town, village or site")
    };
    assert!(place(&stderr), "{stderr}");

    // With its date, the document is read: the empty place is still named,
    // and so is the missing source.
    std::fs::write(&path, text.replace("YYYY-MM-DD", "2007-09-16")).unwrap();
    let (ok, stderr) = run_dossier(&site, &["check"]);
    assert!(!ok, "{stderr}");
    assert!(stderr.contains("3 errors"), "{stderr}");
    assert!(place(&stderr), "{stderr}");
    assert!(stderr.contains("this incident has no source"), "{stderr}");

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

    // A comment below changes nothing; sources written in a shape the
    // reader refuses are that error alone.
    Site::new()
        .file(
            "content/incidents/i.md",
            "---\ntitle: I\ndate: 2005\nsources: []   # none yet\n# to find\n---\n",
        )
        .build()
        .fails()
        .has(&["this incident has no source", "content/incidents/i.md:4:1"]);
    let built = Site::linked()
        .file(
            "content/incidents/i.md",
            "---\ntitle: I\ndate: 2005\nsources: amnesty-2023\n---\n",
        )
        .build()
        .fails()
        .has(&["in `sources`"]);
    assert_eq!(built.report().errors(), 1, "{}", built.diagnostics());

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

/// Every line of `before` is in `after`, in the same order.
fn keeps_every_line(before: &str, after: &str) -> bool {
    let mut rest = after.lines();
    before.lines().all(|line| rest.any(|kept| kept == line))
}

#[test]
fn i18n_new_starts_a_language_with_every_string_to_translate_and_its_settings() {
    let (_dir, site) = crate::scaffold::init();
    let settings = site.join("site.toml");
    let before = std::fs::read_to_string(&settings).unwrap();
    let (ok, stderr) = run_dossier(&site, &["i18n", "new", "fr"]);
    assert!(ok, "{stderr}");

    let after = std::fs::read_to_string(&settings).unwrap();
    assert!(keeps_every_line(&before, &after), "{after}");
    assert!(
        after.contains(
            "[languages.fr]\nname = \"français\"\ndirection = \"ltr\"\ndigits = \"latn\"\n"
        ),
        "{after}"
    );
    let config = dossier::config::Config::parse(std::path::Path::new("site.toml"), &after).unwrap();
    assert_eq!(config.languages["fr"].name, "français");

    // Each string to fill in, below the English it translates.
    let strings = std::fs::read_to_string(site.join("i18n/fr.toml")).unwrap();
    assert!(
        strings.contains("\n# Sources\nsources = \"\"\n"),
        "{strings}"
    );
    let english: std::collections::BTreeMap<String, String> =
        toml::from_str(&std::fs::read_to_string(site.join("themes/default/i18n/en.toml")).unwrap())
            .unwrap();
    let empty = strings.lines().filter(|l| l.ends_with(" = \"\"")).count();
    assert_eq!(empty, english.len(), "{strings}");

    // Once a page is in French, the build shows the English for each
    // string, counted in one warning at the file, and says the title is
    // the English one.
    std::fs::write(
        site.join("content/about.fr.md"),
        "---\ntitle: À propos\n---\n\nQui tient ce dossier.\n",
    )
    .unwrap();
    let (ok, stderr) = run_dossier(&site, &["check"]);
    assert!(ok, "{stderr}");
    let lacking = format!("`fr` lacks {0} of the {0} interface strings", english.len());
    assert_eq!(stderr.matches(" lacks ").count(), 1, "{stderr}");
    assert!(stderr.contains(&lacking), "{stderr}");
    assert!(stderr.contains("i18n/fr.toml"), "{stderr}");
    assert!(
        stderr.contains("français (`fr`) has no `title` of its own"),
        "{stderr}"
    );
    assert!(stderr.contains("0 errors, 2 warnings"), "{stderr}");

    // A string filled in is no longer counted; the title silences its warning.
    std::fs::write(
        site.join("i18n/fr.toml"),
        strings.replace("\nsources = \"\"\n", "\nsources = \"Sources\"\n"),
    )
    .unwrap();
    std::fs::write(
        &settings,
        after.replace("# title = \"\"", "title = \"Un dossier\""),
    )
    .unwrap();
    let (ok, stderr) = run_dossier(&site, &["check"]);
    assert!(ok, "{stderr}");
    let lacking = format!("`fr` lacks {} of the {}", english.len() - 1, english.len());
    assert!(stderr.contains(&lacking), "{stderr}");
    assert!(stderr.contains("0 errors, 1 warning"), "{stderr}");

    // It never replaces the strings someone has started.
    let (ok, stderr) = run_dossier(&site, &["i18n", "new", "fr"]);
    assert!(!ok, "{stderr}");
    assert!(stderr.contains("exists already"), "{stderr}");
}

#[test]
fn i18n_new_knows_the_direction_and_digits_of_common_languages_and_takes_an_unknown_code() {
    let declared = |code: &str| {
        let (_dir, site) = crate::scaffold::init();
        let (ok, stderr) = run_dossier(&site, &["i18n", "new", code]);
        assert!(ok, "{code}: {stderr}");
        let text = std::fs::read_to_string(site.join("site.toml")).unwrap();
        let config =
            dossier::config::Config::parse(std::path::Path::new("site.toml"), &text).unwrap();
        let language = config.languages[code].clone();
        let digits = language.digits.map(|d| d.as_str());
        (language.name, language.direction, digits, stderr)
    };
    use dossier::config::Direction::{Ltr, Rtl};
    for (code, name, direction, digits) in [
        ("ar", "العربية", Rtl, "arab"),
        ("fa", "فارسی", Rtl, "arab"),
        ("ur", "اردو", Rtl, "arab"),
        ("he", "עברית", Rtl, "latn"),
        ("de", "Deutsch", Ltr, "latn"),
    ] {
        let (written, written_direction, written_digits, _) = declared(code);
        assert_eq!(
            (written.as_str(), written_direction, written_digits),
            (name, direction, Some(digits)),
            "{code}"
        );
    }
    let (name, direction, digits, stderr) = declared("xyz");
    assert_eq!(
        (name.as_str(), direction, digits),
        ("xyz", Ltr, Some("latn"))
    );
    assert!(
        stderr.contains("note: `xyz` is not a language dossier knows"),
        "{stderr}"
    );

    let (_dir, site) = crate::scaffold::init();
    let before = std::fs::read_to_string(site.join("site.toml")).unwrap();
    for refused in ["French", "en"] {
        let (ok, stderr) = run_dossier(&site, &["i18n", "new", refused]);
        assert!(!ok, "{refused}: {stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(site.join("site.toml")).unwrap(),
        before
    );
    assert!(!site.join("i18n").exists());
}

#[test]
fn i18n_new_adds_the_table_after_the_other_languages_and_keeps_every_comment() {
    let before = "# The dossier.\ntitle = \"T\" # its title\n\n[languages.en]\nname = \"English\"\n\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ت\"\n# About Arabic.\n\n# About citing.\n[cite]\nstyle = \"apa\"\n";
    let path = std::path::Path::new("site.toml");
    let language = dossier::config::NewLanguage::for_code("fr");
    let after = dossier::config::add_language(path, before, &language).unwrap();
    assert!(keeps_every_line(before, &after), "{after}");
    let table = after.find("[languages.fr]").unwrap();
    assert!(after.find("# About Arabic.").unwrap() < table, "{after}");
    assert!(table < after.find("# About citing.").unwrap(), "{after}");

    // Where a table cannot go, nothing is changed and the table to add is said.
    let inline = "title = \"T\"\nlanguages = {en = {name = \"English\"}}\n";
    let refused = dossier::config::add_language(path, inline, &language).unwrap_err();
    assert!(refused.contains("[languages.fr]"), "{refused}");
}

/// The linked site in French too, with Amnesty's page translated under
/// the `translated` record `record`.
fn french_amnesty(record: &str) -> crate::harness::Built {
    Site::linked()
        .file(
            "site.toml",
            &format!("{SITE_TOML}[languages.fr]\nname = \"français\"\ntitle = \"Dossier\"\n"),
        )
        .file(
            "content/actors/amnesty.fr.md",
            &format!("---\ntitle: Amnesty International\ntranslated: {record}\n---\n"),
        )
        .build()
}

#[test]
fn a_translation_not_yet_recorded_is_told_how_to_start_its_record_in_its_own_languages_name() {
    french_amnesty("{by: A, date: 2026-01-02, from_hash: new}").has(&[
        "this français translation does not yet record which text of the English it translates",
        "to start the record",
    ]);
    // A record with no `from_hash` at all is not yet started either.
    french_amnesty("{by: A, date: 2026-01-02}").has(&[
        "this français translation does not yet record",
        "amnesty.fr.md:3:1",
        "from_hash: \"",
    ]);
}

#[test]
fn a_required_date_left_empty_is_an_error_at_its_line_not_a_page_that_vanishes() {
    Site::linked()
        .file(
            "content/incidents/nisour-2007.md",
            "---\ntitle: Nisour Square\ndate:\nplace: {name: Baghdad}\nsources: [amnesty-2023]\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "missing required field `date`",
            "content/incidents/nisour-2007.md:3:1",
            "write its value after `date:`",
        ]);
}
