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

/// The bytes of every file under the output folder.
fn output_bytes(built: &crate::harness::Built) -> u64 {
    walkdir::WalkDir::new(&built.output)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

#[test]
fn a_title_longer_than_300_characters_is_an_error_not_a_copy_on_every_page() {
    let site = Site::linked();
    let baseline = output_bytes(&site.build().clean());
    // A free page's title is in every page's navigation.
    let title = "A".repeat(100_000);
    let built = site
        .file(
            "content/about.md",
            &format!("---\ntitle: {title}\n---\nAbout.\n"),
        )
        .build()
        .fails()
        .has(&[
            "the title is 100000 characters long",
            "about.md:2:8",
            "at most 300",
        ]);
    // The output is the last good build's: not one byte of the title.
    assert_eq!(output_bytes(&built), baseline);
    // At the limit, the title is taken.
    Site::linked()
        .file(
            "content/about.md",
            &format!("---\ntitle: {}\n---\nAbout.\n", "A".repeat(300)),
        )
        .build()
        .clean();
}

#[test]
fn a_document_naming_more_than_30_tags_is_an_error_not_a_page_per_tag() {
    let tags: Vec<String> = (0..200).map(|i| format!("tag {i}")).collect();
    let built = Site::linked()
        .file(
            "content/actors/amnesty.md",
            &format!(
                "---\ntitle: Amnesty International\nkind: ngo\ntags: [{}]\n---\n",
                tags.join(", ")
            ),
        )
        .build()
        .fails()
        .has(&["200 tags", "at most 30"]);
    // At the first tag too many.
    let column = 8 + tags[..30].iter().map(|t| t.len() + 2).sum::<usize>();
    let built = built.has(&[&format!("amnesty.md:4:{column}"), "tag 31"]);
    assert!(!built.exists("tags/tag-199/index.html"));
    // Thirty are taken, each with its page.
    let built = Site::linked()
        .file(
            "content/actors/amnesty.md",
            &format!(
                "---\ntitle: Amnesty International\nkind: ngo\ntags: [{}]\n---\n",
                tags[..30].join(", ")
            ),
        )
        .build()
        .clean();
    let term_pages = std::fs::read_dir(built.output.join("tags"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
        .count();
    // Thirty tags and the `unlawful killing` of the linked site.
    assert_eq!(term_pages, 31);
}

#[test]
fn a_tag_or_governorate_longer_than_100_characters_is_an_error_not_a_failed_write() {
    // Its slug would name a folder longer than a file system allows.
    let long = "x".repeat(300);
    let built = Site::linked()
        .file(
            "content/actors/amnesty.md",
            &format!("---\ntitle: Amnesty International\nkind: ngo\ntags: [{long}]\n---\n"),
        )
        .build()
        .fails()
        .has(&[
            "this tag is 300 characters long",
            "amnesty.md:4:8",
            "at most 100",
        ]);
    assert!(!built.exists("index.html"));
    // Without geography data, any governorate is a place page of its own.
    let site = Site::linked().file(
        "content/incidents/haditha-2005.md",
        &format!("---\ntitle: Haditha killings\ndate: 2005-11-19\nplace: {{name: Haditha, governorate: {long}}}\nperpetrators: [us-marine-corps]\nverification: corroborated\nsources: [amnesty-2023]\n---\n"),
    );
    std::fs::remove_file(site.root().join("data/geography.json")).unwrap();
    site.build().fails().has(&[
        "the governorate is 300 characters long",
        "haditha-2005.md:4:37",
    ]);
}

/// The linked site with a geography whose bounding box is `bbox` and
/// whose one region's label point is `centroid`.
fn with_geography(bbox: &str, centroid: &str) -> Site {
    Site::linked().file(
        "data/geography.json",
        &format!(
            r#"{{"format":"dossier-geography/1","source":"made up","licence":"none","projection":"equirectangular",
"names":{{"en":"Squareland"}},"bbox":{bbox},"outline":[[[40,30],[44,30],[44,34],[40,34]]],
"regions":[{{"id":"SQ-A","names":{{"en":"Anbar"}},"centroid":{centroid},"outline":[[[40,30],[42,30],[42,32],[40,32]]]}}]}}"#
        ),
    )
}

/// The longest run of digits in `text`.
fn longest_number(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// The maps (`<svg>` elements) of a page.
fn maps(page: &str) -> Vec<&str> {
    page.split("<svg")
        .skip(1)
        .map(|svg| &svg[..svg.find("</svg>").unwrap()])
        .collect()
}

#[test]
fn a_sliver_of_a_bounding_box_is_an_error_not_numbers_of_300_digits() {
    let built = with_geography("[0,30,1e-300,34]", "[0,30]")
        .build()
        .fails()
        .has(&["the map would be more than 10 times as tall", "bbox"]);
    assert!(!built.exists("map/index.html"));
    let text = built.diagnostics();
    assert!(longest_number(&text) < 6, "{text}");
}

#[test]
fn map_coordinates_stay_short_whatever_the_geography_holds() {
    // A thin but accepted box, with a label point on the other side of the
    // globe and an outline far outside it.
    let built = with_geography("[40,30,40.001,30.001]", "[-179,-89]")
        .file(
            "content/incidents/haditha-2005.md",
            "---\ntitle: Haditha killings\ndate: 2005-11-19\nplace: {name: Haditha, governorate: Anbar, lat: 30.0005, lon: 40.0005}\nperpetrators: [us-marine-corps]\nverification: corroborated\nsources: [amnesty-2023]\n---\n",
        )
        .build()
        .clean();
    for page in ["map/index.html", "places/anbar/index.html"] {
        let page = built.page(page);
        let svgs = maps(&page);
        assert!(!svgs.is_empty());
        for svg in svgs {
            assert!(longest_number(svg) <= 6, "{svg}");
        }
    }
}

#[test]
fn a_casualty_count_above_the_largest_estimate_is_an_error_at_it() {
    Site::linked()
        .file(
            "content/incidents/haditha-2005.md",
            "---\ntitle: Haditha killings\ndate: 2005-11-19\nplace: {name: Haditha, governorate: Anbar}\nperpetrators: [us-marine-corps]\nverification: corroborated\nsources: [amnesty-2023]\ncasualties:\n  killed: 18446744073709551615\n  injured: {min: 3, max: 2000000000000000}\n  detained: {about: 1000000000000000}\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "`18446744073709551615` is too large for a count",
            "haditha-2005.md:9:11",
        ])
        .has(&[
            "`2000000000000000` is too large for a count",
            "haditha-2005.md:10:26",
            "1000000000000000",
        ]);
}

/// An incident filed under `tags`, dated in `year`.
fn tagged(site: Site, slug: &str, year: u16, tags: &str) -> Site {
    site.file(
        &format!("content/incidents/{slug}.md"),
        &format!("---\ntitle: Incident {slug}\ndate: {year}\nperpetrators: [us-marine-corps]\nverification: corroborated\nsources: [amnesty-2023]\ntags: [{tags}]\n---\n"),
    )
}

/// The `<h1>` of a page.
fn heading(page: &str) -> &str {
    let start = page.find("<h1").unwrap();
    let start = start + page[start..].find('>').unwrap() + 1;
    &page[start..start + page[start..].find("</h1>").unwrap()]
}

#[test]
fn one_documents_spelling_of_a_tag_does_not_rename_it_for_the_others() {
    let site = Site::linked();
    let site = tagged(site, "a", 2004, "torture");
    let site = tagged(site, "b", 2006, "torture");
    // Sorts before `torture`, and is one document's.
    let site = tagged(site, "c", 2007, "\"TORTURE 🤡\"");
    let built = site.build().clean();
    let term = built.page("tags/torture/index.html");
    assert!(heading(&term).starts_with("torture"), "{}", heading(&term));
    assert!(!term.contains("🤡"), "{term}");
    let terms = built.page("tags/index.html");
    assert!(!terms.contains("🤡"), "{terms}");
    // Each document shows the tag as it wrote it.
    assert!(built.page("incidents/c/index.html").contains("TORTURE 🤡"));
    assert!(!built.page("incidents/a/index.html").contains("🤡"));
}

#[test]
fn a_tie_between_spellings_of_a_tag_goes_to_the_plainest_whatever_the_order() {
    for (first, second) in [("Torture", "\"TORTURE 🤡\""), ("\"TORTURE 🤡\"", "Torture")] {
        let site = tagged(Site::linked(), "a", 2004, first);
        let built = tagged(site, "b", 2006, second).build().clean();
        let term = built.page("tags/torture/index.html");
        assert!(heading(&term).starts_with("Torture"), "{}", heading(&term));
    }
}
