//! Every kind of mistake an editor can make comes back as a diagnostic with
//! `path:line:column`, the line, a caret and a hint; all of them in one run.

use crate::harness::{Site, golden};

#[test]
fn five_mistakes_in_five_files_are_all_reported_in_one_run() {
    let site = Site::linked();
    // A published site to prove that the failing build leaves it alone.
    site.build().clean();
    let output = site.output();
    let before = crate::harness::snapshot(&output);
    let built = site
        // 1. A YAML syntax error.
        .file("content/actors/broken.md", "---\ntitle: Broken\nkind: [ngo\n---\n")
        // 2. A bad enum value.
        .file(
            "content/demands/investigate.md",
            "---\ntitle: Investigate\nkind: investigation\nstatus: unmt\n---\n",
        )
        // 3. An impossible date.
        .file(
            "content/incidents/haditha-2005.md",
            "---\ntitle: Haditha killings\ndate: 2005-02-30\nsources: [amnesty-2023]\n---\n",
        )
        // 4. An unknown reference.
        .file(
            "content/incidents/checkpoint.md",
            "---\ntitle: Checkpoint\ndate: 2005-11\nperpetrators: [us-marines]\nsources: [amnesty-2023]\n---\n",
        )
        // 5. An unknown field.
        .file(
            "content/sources/amnesty-2023.md",
            "---\ntitle: Twenty years on\nkind: ngo-statement\npublisher: amnesty\npublished: 2023-03-20\nperspective: An NGO.\n---\n",
        )
        .build()
        .fails_with(5);
    golden("five-mistakes.txt", &built.diagnostics());
    assert_eq!(
        crate::harness::snapshot(&output),
        before,
        "the published output changed"
    );
}

#[test]
fn yaml_syntax_errors_point_at_the_line() {
    Site::new()
        .file(
            "content/actors/x.md",
            "---\ntitle: X\nkind: ngo\n  country: bad indent\n---\n",
        )
        .build()
        .fails()
        .has(&["not valid YAML", "content/actors/x.md:4:"]);
}

/// serde_yaml points at the mapping holding a key twice; the diagnostic
/// points at the second time it is written and names the line of the first.
#[test]
fn a_key_given_twice_is_reported_where_it_is_given_again() {
    Site::new()
        .file(
            "content/actors/x.md",
            "---\ntitle: X\nkind: ngo\ntitle: Y\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "duplicate entry with key \"title\"",
            "content/actors/x.md:4:1",
            "`title` is already given on line 2",
        ]);
    // Inside a list item, at the item's indentation.
    Site::linked()
        .file(
            "content/incidents/haditha-2005.md",
            "---\ntitle: Haditha\ndate: 2005\nsources:\n  - source: amnesty-2023\n    locator: p. 4\n    locator: p. 5\n---\n",
        )
        .build()
        .fails()
        .has(&["content/incidents/haditha-2005.md:7:5", "already given on line 6"]);
}

#[test]
fn wrong_types_say_what_was_expected() {
    Site::new()
        .file("content/actors/x.md", "---\ntitle: X\nkind: ngo\n---\n")
        .file(
            "content/sources/s.md",
            "---\ntitle: S\nkind: press\nperspective: P\n---\n",
        )
        .file(
            "content/incidents/i.md",
            "---\ntitle: I\ndate: 2005\nsources: [s]\ncasualties: {killed: many}\n---\n",
        )
        .build()
        .fails()
        .has(&["content/incidents/i.md:5:", "many", "a whole number"]);
}

#[test]
fn unknown_fields_suggest_the_nearest_one() {
    Site::new()
        .file(
            "content/actors/x.md",
            "---\ntitle: X\nkind: ngo\ncountyr: Iraq\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "unknown field `countyr`",
            "content/actors/x.md:4:1",
            "did you mean `country`?",
        ]);
}

#[test]
fn bad_enum_values_list_the_allowed_ones() {
    Site::new()
        .file("content/actors/x.md", "---\ntitle: X\nkind: militia\n---\n")
        .build()
        .fails()
        .has(&[
            "unknown value `militia` in `kind`",
            "content/actors/x.md:3:7",
            "armed-group",
        ]);
}

#[test]
fn bad_and_impossible_dates_are_errors() {
    Site::new()
        .file(
            "content/sources/s.md",
            "---\ntitle: S\nkind: press\nperspective: P\ndate: 2023-02-29\n---\n",
        )
        .file(
            "content/sources/t.md",
            "---\ntitle: T\nkind: press\nperspective: P\ndate: March 2023\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "`2023-02-29` is not a date: February has no day 29",
            "content/sources/s.md:5:7",
        ])
        .has(&[
            "`March 2023` is not a date",
            "content/sources/t.md:5:",
            "2005-11-19",
        ]);
}

#[test]
fn missing_required_fields_are_named() {
    Site::new()
        .file("content/actors/x.md", "---\nkind: ngo\n---\n")
        .file("content/incidents/i.md", "---\ntitle: I\n---\n")
        .build()
        .fails()
        .has(&["missing required field `title`", "content/actors/x.md:2:1"])
        .has(&["missing required field `date`", "content/incidents/i.md"]);
}

#[test]
fn unknown_references_name_the_closest_slug() {
    Site::linked()
        .file(
            "content/incidents/other.md",
            "---\ntitle: Other\ndate: 2006\nperpetrators:\n  - us-marines\nsources: [amnesty-2023]\n---\n",
        )
        .build()
        .fails()
        .has(&["unknown actor `us-marines` in `perpetrators`", "content/incidents/other.md:5:5", "did you mean `us-marine-corps`?"]);
}

#[test]
fn a_far_fetched_slug_is_not_suggested_for_an_unknown_reference() {
    let built = Site::linked()
        .file(
            "content/demands/other.md",
            "---\ntitle: Other\nkind: investigation\nstatus: unmet\nincidents: [no-such-incident-xyz]\n---\n",
        )
        .build()
        .fails()
        .has(&["unknown incident `no-such-incident-xyz`"]);
    assert!(
        !built.diagnostics().contains("did you mean"),
        "{}",
        built.diagnostics()
    );
}

#[test]
fn unknown_body_links_point_at_the_link() {
    Site::linked()
        .file(
            "content/about.md",
            "---\ntitle: About\n---\nFirst line.\n\nSee [Haditha](@/incidents/haditha-2006.md).\n",
        )
        .build()
        .fails()
        .has(&[
            "`incidents/haditha-2006.md`, which does not exist",
            "content/about.md:6:15",
            "did you mean `@/incidents/haditha-2005.md`?",
        ]);
}

#[test]
fn duplicate_slugs_are_errors() {
    Site::linked()
        .file(
            "content/actors/more/amnesty.md",
            "---\ntitle: Amnesty again\nkind: ngo\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "another actor already has the slug `amnesty`",
            "content/actors/more/amnesty.md",
        ])
        // The two files also claim one output path, reported as well.
        .has(&["would be published at `actors/amnesty/index.html`"]);
}

#[test]
fn output_path_collisions_are_errors_also_by_case_and_normalisation() {
    Site::linked()
        .file("content/incidents.md", "---\ntitle: Clash\n---\n")
        .build()
        .fails()
        .has(&["would be published at `incidents/index.html`"]);
    Site::linked()
        .bytes("content/files/Report.pdf", b"a")
        .bytes("content/files/report.pdf", b"b")
        .build()
        .fails()
        .has(&["differs only in case"]);
    Site::linked()
        .bytes("content/files/caf\u{e9}.pdf", b"a")
        .bytes("content/files/cafe\u{301}.pdf", b"b")
        .build()
        .fails()
        .has(&["differs only in case or accents"]);
}

#[test]
fn file_names_that_cannot_be_slugs_are_errors() {
    Site::new()
        .file(
            "content/actors/US Army.md",
            "---\ntitle: US Army\nkind: armed-force\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "`US Army` cannot be used in a web address",
            "rename it to `us-army`",
        ]);
}

#[test]
fn template_syntax_errors_name_the_template_line_and_column() {
    Site::linked()
        .file("templates/page.html", "<p>\n{{ page.title }\n</p>\n")
        .file("templates/list.html", "{% if %}\n")
        .build()
        .fails()
        .has(&[
            "syntax error in template `page.html`",
            "templates/page.html:2:",
        ])
        .has(&[
            "syntax error in template `list.html`",
            "templates/list.html:1:",
        ]);
}

#[test]
fn template_render_errors_name_the_template_line_and_column() {
    Site::linked()
        .file(
            "templates/page.html",
            "<p>\n{{ page.title | no_such_filter }}\n</p>\n",
        )
        .file("content/about.md", "---\ntitle: About\n---\n")
        .build()
        .fails()
        .has(&["template `page.html`", "templates/page.html:2:"]);
}

#[test]
fn invalid_utf8_is_reported_with_the_byte_offset() {
    Site::new()
        .bytes(
            "content/actors/x.md",
            b"---\ntitle: X\xff\nkind: ngo\n---\n",
        )
        .build()
        .fails()
        .has(&["not valid UTF-8", "byte 12", "content/actors/x.md:2:9"]);
}

#[test]
fn bom_and_crlf_are_accepted() {
    Site::new()
        .bytes(
            "content/actors/x.md",
            b"\xEF\xBB\xBF---\r\ntitle: X\r\nkind: ngo\r\n---\r\nText.\r\n",
        )
        .build()
        .clean();
}

#[test]
fn unknown_site_settings_are_errors_with_a_hint() {
    Site::new()
        .file("site.toml", "title = \"x\"\ndefault_langauge = \"en\"\n")
        .build()
        .fails()
        .has(&[
            "unknown field `default_langauge`",
            "site.toml:2:1",
            "did you mean `default_language`?",
        ]);
}

#[test]
fn a_broken_document_is_one_error_not_one_per_reference_to_it() {
    let built = Site::linked()
        .file(
            "content/actors/us-marine-corps.md",
            "---\ntitle: US Marine Corps\nkind: [armed-force\n---\n",
        )
        .build()
        .fails_with(1);
    assert!(
        built
            .diagnostics()
            .contains("content/actors/us-marine-corps.md")
    );
}

#[test]
fn a_translation_without_its_original_is_an_error() {
    Site::linked()
        .file(
            "site.toml",
            "title = \"T\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n",
        )
        .file(
            "content/actors/nobody.ar.md",
            "---\ntitle: لا أحد\nkind: ngo\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "`ar` translation of a document that does not exist",
            "content/actors/nobody.ar.md",
            "content/actors/nobody.md",
        ]);
}

#[test]
fn a_document_with_a_bad_field_still_has_its_references_checked_in_the_same_run() {
    let built = Site::linked()
        .file(
            "content/incidents/other.md",
            "---\ntitle: Other\ndate: 2005-11-31\nperpetrators: [us-marines]\nsources: [amnesty-2023]\n---\nSee [x](@/incidents/nowhere.md).\n",
        )
        .build()
        .fails()
        .has(&["November has no day 31", "content/incidents/other.md:3:7"])
        .has(&["unknown actor `us-marines`", "content/incidents/other.md:4:16", "did you mean `us-marine-corps`?"])
        .has(&["`incidents/nowhere.md`, which does not exist", "content/incidents/other.md:7:"]);
    assert_eq!(built.report().errors(), 3, "{}", built.diagnostics());
}

#[test]
fn every_diagnostic_code_is_explained_with_an_example_in_the_docs() {
    let docs = std::fs::read_to_string(crate::harness::repo().join("docs/diagnostics.md")).unwrap();
    let sections: Vec<&str> = docs.split("\n### ").skip(1).collect();
    for code in dossier::diagnostic::Code::ALL {
        let heading = format!("{} {}\n", code.as_str(), code.name());
        let section = sections
            .iter()
            .find(|s| s.starts_with(&heading))
            .unwrap_or_else(|| panic!("docs/diagnostics.md has no entry `### {}`", heading.trim()));
        let body = &section[heading.len()..];
        let explanation = body.split("```").next().unwrap_or("").trim();
        assert!(!explanation.is_empty(), "{code:?} has no explanation");
        assert!(body.matches("```").count() >= 2, "{code:?} has no example");
    }
    assert_eq!(
        sections.len(),
        dossier::diagnostic::Code::ALL.len(),
        "an entry for a code that does not exist"
    );
}

#[test]
fn each_kind_of_field_mistake_has_its_own_code() {
    use dossier::diagnostic::Code;
    let built = Site::linked()
        .file(
            "content/incidents/other.md",
            "---\ntitle: Other\ndate: 2005-13\nverification: sure\ncasualties: {killed: many}\nvictms: x\nsources: [amnesty-2023]\nperpetrators: [us-marines]\n---\n",
        )
        .build()
        // Each of the five mistakes is checked by its code below.
        .fails_with(5);
    let codes: Vec<Code> = built.report().diagnostics.iter().map(|d| d.code).collect();
    for code in [
        Code::BadDate,
        Code::UnknownWord,
        Code::WrongType,
        Code::UnknownField,
        Code::UnknownReference,
    ] {
        assert!(codes.contains(&code), "{code:?} not in {codes:?}");
    }
}

#[test]
fn check_prints_json_lines_and_github_annotations() {
    let site = Site::linked().file(
        "content/incidents/other.md",
        "---\ntitle: Other\ndate: 2006\nperpetrators: [us-marines]\nsources: [amnesty-2023]\n---\n",
    );
    let run = |format: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["check", "--format", format, "--root"])
            .arg(site.root())
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let json = run("json");
    let lines: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{json}");
    assert_eq!(lines[0]["code"], "E0304");
    assert_eq!(lines[0]["line"], 4);
    assert_eq!(lines[0]["column"], 16);
    assert_eq!(lines[0]["suggestion"], "us-marine-corps");
    assert!(
        lines[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("content/incidents/other.md")
    );
    assert_eq!(lines[1]["type"], "summary");
    assert_eq!(lines[1]["errors"], 1);
    let github = run("github");
    assert!(github.starts_with("::error file="), "{github}");
    assert!(
        github.contains("content/incidents/other.md,line=4,col=16,"),
        "{github}"
    );
    assert!(
        github.contains("title=E0304 unknown-reference::unknown actor"),
        "{github}"
    );
}

#[test]
fn a_file_in_content_pagefind_cannot_overwrite_the_search_bundle() {
    let built = Site::linked()
        .file("content/pagefind/pagefind-entry.json", "{}")
        .build()
        .fails()
        .has(&[
            "content/pagefind/pagefind-entry.json",
            "would be published at `pagefind/pagefind-entry.json`",
            "the search bundle",
        ]);
    assert!(!built.exists("pagefind/pagefind-entry.json"));
}

#[test]
fn a_file_in_content_pagefind_is_published_when_search_is_off() {
    Site::linked()
        .file(
            "site.toml",
            "title = \"Test dossier\"\n[build]\nsearch = false\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n",
        )
        .file("content/pagefind/notes.txt", "kept")
        .build()
        .clean();
}

#[test]
fn an_empty_perspective_as_dossier_new_writes_it_is_reported_as_missing() {
    let text = dossier::scaffold::document(dossier::model::Collection::Sources, "A report")
        .replace(dossier::scaffold::PLACEHOLDER_DATE, "2024-01-01")
        .replace(
            dossier::scaffold::PLACEHOLDER_BODY,
            "What the report covers.",
        );
    assert!(text.contains("perspective: \"\""), "{text}");
    let built = Site::new()
        .file("content/sources/a-report.md", &text)
        .build()
        .has(&["this source has no `perspective` note"]);
    assert!(built.report().succeeded());
}

#[test]
fn an_estimate_too_large_to_chart_is_a_located_error_not_a_panic() {
    Site::linked()
        .file(
            "content/figures/huge.md",
            "---\ntitle: Huge\nunit: people\nestimates:\n  - {min: 9000000000000000000, what: A typo, source: amnesty-2023}\n---\n",
        )
        .build()
        .fails()
        .has(&["content/figures/huge.md:5:", "9000000000000000000", "too large"]);
}
