//! The shipped dossier's two editions: the language switch and `hreflang`
//! pairs over every page, the interface of its Arabic pages, and links that
//! stay in Arabic. Content tests, through the public API; the engine's
//! behaviour with several languages is tested in `languages.rs`.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use crate::html::{
    alternates, assert_alternates_reciprocal, assert_links_stay_in_arabic, own_language_text,
    pages, resolve, tags,
};

/// The shipped dossier's output, built once for the test run.
fn shipped() -> PathBuf {
    let (report, output) = crate::harness::shipped();
    assert!(report.succeeded());
    output.clone()
}

#[test]
fn every_page_of_the_shipped_dossier_names_its_versions_in_both_languages_and_they_name_it_back() {
    let output = &shipped();
    let pages = pages(output);
    assert!(pages.len() > 500, "{}", pages.len());
    let mut checked = 0;
    for page in &pages {
        let html = fs::read_to_string(output.join(page)).unwrap();
        let lang = tags(&html, "html")[0]["lang"].clone();
        let found = alternates(output, page);
        if page == "404.html" {
            assert!(found.is_empty(), "{found:?}");
            continue;
        }
        let languages: BTreeSet<&str> = found.keys().map(String::as_str).collect();
        assert_eq!(
            languages,
            BTreeSet::from(["ar", "en", "x-default"]),
            "{page}"
        );
        assert_eq!(found[&lang], *page, "{page} does not name itself");
        assert_eq!(found["x-default"], found["en"], "{page}");
        assert_alternates_reciprocal(output, page, &found);
        // The switch links to the other language's version.
        let switch = &html[html
            .find("class=\"language-switch\"")
            .unwrap_or_else(|| panic!("{page}"))..];
        let switch = &switch[..switch.find("</nav>").unwrap()];
        let other = if lang == "en" { "ar" } else { "en" };
        let links: Vec<String> = tags(switch, "a")
            .iter()
            .map(|a| resolve(page, &a["href"]))
            .collect();
        assert_eq!(links, vec![found[other].clone()], "{page}");
        checked += 1;
    }
    assert_eq!(checked, pages.len() - 1);
}

#[test]
fn arabic_pages_of_the_shipped_dossier_show_no_english_interface_string() {
    let output = &shipped();
    let en: toml::Table = toml::from_str(
        &fs::read_to_string(crate::harness::repo().join("themes/default/i18n/en.toml")).unwrap(),
    )
    .unwrap();
    let strings: BTreeSet<String> = en
        .values()
        .filter_map(|v| v.as_str())
        .filter(|v| v.chars().any(|c| c.is_ascii_alphabetic()))
        .map(|v| v.trim().to_string())
        .collect();
    assert!(strings.len() > 150, "{}", strings.len());
    let mut checked = 0;
    for page in pages(output).iter().filter(|p| p.starts_with("ar/")) {
        let html = fs::read_to_string(output.join(page)).unwrap();
        for run in own_language_text(&html, "ar") {
            // A whole run, or a phrase of several words inside one.
            let found = strings
                .iter()
                .find(|s| run == **s || (s.contains(' ') && s.len() > 12 && run.contains(*s)));
            assert!(
                found.is_none(),
                "{page}: English interface string {found:?} in {run:?}"
            );
            // Single words among numbers and signs ("Killed: 24"); a
            // run with Arabic in it is the content's, which may quote
            // English.
            if run.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c)) {
                continue;
            }
            for token in run.split(|c: char| !c.is_ascii_alphabetic()) {
                assert!(
                    token.len() < 3 || !strings.contains(token),
                    "{page}: English interface word {token:?} in {run:?}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked > 250, "{checked}");
}

#[test]
fn arabic_pages_of_the_shipped_dossier_link_to_arabic_pages_only_but_for_the_language_switch() {
    let output = &shipped();
    let arabic: Vec<String> = pages(output)
        .into_iter()
        .filter(|p| p.starts_with("ar/"))
        .collect();
    // Every translation has its page among them.
    let mut translations = 0;
    for entry in walkdir::WalkDir::new(crate::harness::repo().join("content")) {
        let path = entry.unwrap().into_path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(slug) = name.strip_suffix(".ar.md") else {
            continue;
        };
        let folder = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy();
        let expected = match (folder.as_ref(), slug) {
            ("content", "_index") => "ar/index.html".to_string(),
            ("content", slug) => format!("ar/{slug}/index.html"),
            (collection, slug) => format!("ar/{collection}/{slug}/index.html"),
        };
        assert!(
            arabic.contains(&expected),
            "no page {expected} for {}",
            path.display()
        );
        translations += 1;
    }
    assert!(translations >= 161, "{translations}");
    let links: usize = arabic
        .iter()
        .map(|page| assert_links_stay_in_arabic(output, page))
        .sum();
    assert!(links > 5_000, "{links}");
}
