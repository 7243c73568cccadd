//! Values that stay values: whatever an editor writes in a field (or a
//! maintainer in `base_url`), it stays one value of the output it lands in:
//! XML stays well-formed, robots.txt keeps its lines, a CSV cell stays
//! text, a number stays a number, one document's spelling stays its own,
//! and the output stays in proportion to the input.

use std::process::Command;

use crate::harness::{SITE_TOML, Site, first_csv_row};

/// The characters XML 1.0 forbids or discourages, as YAML escapes.
const NOT_XML: &str = "\\uFFFE\\uFFFF\\uFDD0\\x01\\x7F\\x85\\U0001FFFE";

#[test]
fn noncharacters_in_a_title_or_note_leave_the_feed_and_sitemap_well_formed() {
    let built = Site::linked()
        .file(
            "site.toml",
            &format!("base_url = \"https://example.org/\"\n{SITE_TOML}"),
        )
        .file(
            "content/incidents/haditha-2005.md",
            &format!("---\ntitle: \"Haditha {NOT_XML} killings\"\nsummary: \"What {NOT_XML} happened\"\ndate: 2005-11-19\nplace: {{name: Haditha, governorate: Anbar}}\nperpetrators: [us-marine-corps]\nverification: corroborated\nsources: [amnesty-2023]\n---\n"),
        )
        .file(
            "content/demands/investigate.md",
            &format!("---\ntitle: Investigate\nkind: investigation\nstatus: unmet\nhistory:\n  - {{date: 2023-03, status: unmet, note: \"Still {NOT_XML} unmet.\"}}\n---\n"),
        )
        .build()
        .clean();
    for file in ["feed.xml", "sitemap.xml"] {
        let text = built.page(file);
        if let Err(error) = roxmltree::Document::parse(&text) {
            panic!("{file} is not well-formed XML: {error}\n{text}");
        }
    }
    let feed = built.page("feed.xml");
    assert!(feed.contains("<title>Haditha  killings</title>"), "{feed}");
    assert!(feed.contains("<summary>Still  unmet.</summary>"), "{feed}");
}

/// The hostile `base_url`s: a line that would add a rule to robots.txt, an
/// address with no scheme, spaces and a tab inside.
const BAD_BASE_URLS: [(&str, &str); 4] = [
    (
        "https://example.org/\\nDisallow: /",
        "https://example.org/\nDisallow: /",
    ),
    ("example.org/liberty", "example.org/liberty"),
    ("https://example.org/a b", "https://example.org/a b"),
    ("https://\\texample.org/", "https://\texample.org/"),
];

#[test]
fn a_base_url_in_site_toml_that_is_not_one_http_address_is_an_error_at_the_value() {
    for (written, _) in BAD_BASE_URLS {
        let built = Site::linked()
            .file(
                "site.toml",
                &format!("base_url = \"{written}\"\n{SITE_TOML}"),
            )
            .build()
            .fails()
            .has(&[
                "`base_url`",
                "site.toml:1:13",
                "https://example.org/dossier/",
            ]);
        assert!(!built.exists("robots.txt"), "{written}");
    }
}

#[test]
fn a_base_url_on_the_command_line_is_held_to_the_same_rule_as_in_site_toml() {
    let site = Site::linked();
    let build = |base_url: &str| {
        Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["build", "--base-url", base_url, "--root"])
            .arg(site.root())
            .output()
            .unwrap()
    };
    for (_, value) in BAD_BASE_URLS {
        let out = build(value);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{value:?} was accepted");
        assert!(stderr.contains("`base_url`"), "{stderr}");
        assert!(stderr.contains("https://example.org/dossier/"), "{stderr}");
        assert!(!site.output().join("robots.txt").exists(), "{value:?}");
    }
    // The library refuses it too, as a diagnostic naming the setting.
    let built = site
        .build_with(|options| options.base_url = Some("https://example.org/\nDisallow: /".into()))
        .fails()
        .has(&["`base_url`", "line break"]);
    assert!(!built.exists("robots.txt"));
    // A good one is taken as written.
    let out = build("https://example.org/dossier/");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let robots = std::fs::read_to_string(site.output().join("robots.txt")).unwrap();
    assert_eq!(
        robots,
        "User-agent: *\nAllow: /\nSitemap: https://example.org/dossier/sitemap.xml\n"
    );
}

#[test]
fn csv_cells_led_by_white_space_before_a_formula_are_neutralised() {
    let built = Site::linked()
        .file(
            "content/incidents/haditha-2005.md",
            "---\ntitle: \" =HYPERLINK(\\\"https://x.test\\\")\"\nsummary: \"\\u00A0@SUM(A1)\"\ndate: 2005-11-19\nplace: {name: \"\\u3000+cmd\", governorate: Anbar}\nperpetrators: [us-marine-corps]\nverification: corroborated\nsources: [amnesty-2023]\n---\n",
        )
        .build()
        .clean();
    let row = first_csv_row(&built.page("data/incidents.csv"));
    assert_eq!(row["title"], "' =HYPERLINK(\"https://x.test\")");
    assert_eq!(row["summary"], "'\u{a0}@SUM(A1)");
    assert_eq!(row["place"], "'\u{3000}+cmd");
}

