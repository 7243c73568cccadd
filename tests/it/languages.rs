//! Editions in several languages: the language switch and `hreflang` pairs
//! over every page of the shipped dossier, the interface of its Arabic
//! pages, and what an edition shows of a document it has not translated.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The shipped dossier, built once for every test of this module.
fn shipped() -> PathBuf {
    static OUTPUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUTPUT
        .get_or_init(|| {
            let out = tempfile::tempdir().unwrap();
            let report = dossier::build(&dossier::Options {
                root: crate::harness::repo(),
                mode: dossier::Mode::Publish {
                    output: Some(out.path().join("public")),
                },
                drafts: false,
                base_url: None,
            })
            .unwrap();
            assert!(report.succeeded());
            out
        })
        .path()
        .join("public")
}

/// Every HTML page of an output, as paths relative to it (`/`-separated),
/// sorted; the search bundle's files are not pages.
pub fn pages(output: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![output.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(output).unwrap().to_string_lossy();
            if path.is_dir() {
                if relative != "pagefind" {
                    stack.push(path);
                }
            } else if relative.ends_with(".html") {
                found.push(relative.replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// The attributes of every `<name ...>` tag of a page, in order.
pub fn tags(html: &str, name: &str) -> Vec<BTreeMap<String, String>> {
    let open = format!("<{name} ");
    html.match_indices(&open)
        .map(|(start, _)| {
            let tag = &html[start + open.len()..];
            let tag = &tag[..tag.find('>').unwrap()];
            let mut attributes = BTreeMap::new();
            let mut rest = tag;
            while let Some(eq) = rest.find("=\"") {
                let key = rest[..eq].trim().to_string();
                let value_start = eq + 2;
                let end = value_start + rest[value_start..].find('"').unwrap();
                attributes.insert(key, rest[value_start..end].to_string());
                rest = &rest[end + 1..];
            }
            attributes
        })
        .collect()
}

/// A relative link from `page` resolved to a path from the output's root.
pub fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in href.split(['#', '?']).next().unwrap().split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// `hreflang` → the page it names, from the `<link rel="alternate">`s.
fn alternates(output: &Path, page: &str) -> BTreeMap<String, String> {
    let html = fs::read_to_string(output.join(page)).unwrap();
    tags(&html, "link")
        .into_iter()
        .filter(|a| {
            a.get("rel").map(String::as_str) == Some("alternate") && a.contains_key("hreflang")
        })
        .map(|a| (a["hreflang"].clone(), resolve(page, &a["href"])))
        .collect()
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
        for (hreflang, target) in &found {
            assert!(
                output.join(target).is_file(),
                "{page}: {hreflang} → {target}"
            );
            assert_eq!(
                alternates(output, target),
                found,
                "{page} names {target}, which does not name the same versions"
            );
        }
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
