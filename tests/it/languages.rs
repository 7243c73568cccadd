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

/// The text of a page that is in the page's own language: what is not
/// inside an element marked with another `lang`, nor script or style, one
/// run per text node; and the `aria-label`s, which readers hear.
fn own_language_text(html: &str, page_lang: &str) -> Vec<String> {
    const VOID: [&str; 8] = ["meta", "link", "br", "img", "input", "hr", "source", "wbr"];
    let mut runs = Vec::new();
    // (element, whether its text is in another language or not text)
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        if !stack.iter().any(|(_, foreign)| *foreign) && !text.trim().is_empty() {
            runs.push(text.trim().to_string());
        }
        let end = open + rest[open..].find('>').unwrap();
        let tag = &rest[open + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if let Some(at) = stack.iter().rposition(|(n, _)| n == name.trim()) {
                stack.truncate(at);
            }
            continue;
        }
        if tag.starts_with('!') {
            continue;
        }
        let name = tag.split([' ', '\n']).next().unwrap().to_string();
        let attributes = tags(&format!("<{tag} >"), &name).pop().unwrap_or_default();
        if let Some(label) = attributes.get("aria-label") {
            runs.push(label.clone());
        }
        if VOID.contains(&name.as_str()) || tag.ends_with('/') {
            continue;
        }
        let foreign = matches!(name.as_str(), "script" | "style" | "code" | "pre")
            || attributes.get("lang").is_some_and(|l| l != page_lang);
        stack.push((name, foreign));
    }
    runs
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

/// Every link of an Arabic page that leads to another page leads to an
/// Arabic one, but for the language switch and links to documents that
/// have no Arabic version, which say which language they lead to.
fn assert_links_stay_in_arabic(output: &Path, page: &str) -> usize {
    let html = fs::read_to_string(output.join(page)).unwrap();
    let switch = html
        .find("class=\"language-switch\"")
        .map(|start| start..start + html[start..].find("</nav>").unwrap());
    let mut checked = 0;
    for (at, _) in html.match_indices("<a ") {
        let attributes = tags(&html[at..], "a").remove(0);
        let Some(href) = attributes.get("href") else {
            continue;
        };
        let target = resolve(page, href);
        if !target.ends_with(".html") || href.starts_with('#') {
            continue;
        }
        assert!(output.join(&target).is_file(), "{page}: broken link {href}");
        checked += 1;
        if target.starts_with("ar/") || switch.as_ref().is_some_and(|s| s.contains(&at)) {
            continue;
        }
        // Another language's page: only a document with no Arabic
        // version, and the link says so.
        let versions = alternates(output, &target);
        assert!(
            !versions.contains_key("ar"),
            "{page} links to {target}, which has an Arabic version {:?}",
            versions.get("ar")
        );
        assert_eq!(
            attributes.get("hreflang").map(String::as_str),
            Some("en"),
            "{page}: the link to the English {target} does not say its language"
        );
    }
    checked
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

const BILINGUAL: &str = "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\n";

#[test]
fn an_untranslated_document_is_listed_in_the_arabic_edition_under_its_english_title_and_links_to_the_original()
 {
    let built = crate::harness::Site::linked()
        .file("site.toml", BILINGUAL)
        .file("content/_index.ar.md", "---\ntitle: الرئيسية\n---\nأهلًا.\n")
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\nplace: {name: حديثة}\n---\nنص.\n",
        )
        .file(
            "content/sources/amnesty-2023.ar.md",
            "---\ntitle: بعد عشرين عامًا\n---\n",
        )
        .build()
        .clean();
    let output = built.output.clone();
    // The Arabic source lists what rests on it as the Arabic edition has
    // it: the incident under its Arabic title and page, the demand, which
    // has no Arabic version, under its English one, marked.
    let source = built.page("ar/sources/amnesty-2023/index.html");
    assert!(
        source
            .contains(r#"<a href="../../../ar/incidents/haditha-2005/index.html">مجزرة حديثة</a>"#),
        "{source}"
    );
    assert!(
        source.contains(
            r#"hreflang="en">Investigate unlawful killings</a> <span class="untranslated">"#
        ),
        "{source}"
    );
    // And the incident names its source in Arabic.
    assert!(
        built.page("ar/incidents/haditha-2005/index.html").contains(
            r#"<a href="../../../ar/sources/amnesty-2023/index.html">بعد عشرين عامًا</a>"#
        )
    );
    // The actor has no Arabic version: the Arabic list shows its English
    // title, marked as English, links to the English page and says so.
    assert!(!built.exists("ar/actors/us-marine-corps/index.html"));
    let list = built.page("ar/actors/index.html");
    assert!(
        list.contains(r#"<a href="../../actors/us-marine-corps/index.html" lang="en" dir="ltr" hreflang="en">US Marine Corps</a> <span class="untranslated">(لم يُترجم بعد)</span>"#),
        "{list}"
    );
    // So does the translated incident's page, for its perpetrator.
    let incident = built.page("ar/incidents/haditha-2005/index.html");
    assert!(
        incident.contains(r#"hreflang="en">US Marine Corps</a>"#),
        "{incident}"
    );
    // A tag with no Arabic name is shown as written, marked as English.
    assert!(
        incident.contains(r#"<span lang="en" dir="ltr">unlawful killing</span>"#),
        "{incident}"
    );
    // No Arabic page has a broken link, and every link to an English page
    // goes to a document with no Arabic version, saying so.
    let arabic: Vec<String> = pages(&output)
        .into_iter()
        .filter(|p| p.starts_with("ar/"))
        .collect();
    assert!(arabic.len() > 10, "{arabic:?}");
    for page in &arabic {
        assert_links_stay_in_arabic(&output, page);
    }
    // The English actor's page has one version: no switch, no hreflang.
    let actor = built.page("actors/us-marine-corps/index.html");
    assert!(!actor.contains("hreflang"), "{actor}");
    // The translated incident has both.
    let english = built.page("incidents/haditha-2005/index.html");
    assert!(
        english.contains(r#"hreflang="ar" href="../../ar/incidents/haditha-2005/index.html""#),
        "{english}"
    );
}

#[test]
fn a_third_right_to_left_language_builds_from_its_own_strings_and_warns_once_per_missing_string() {
    let own = "search = \"گەڕان\"\ndemands = \"داواکارییەکان\"\nincidents = \"ڕووداوەکان\"\n";
    let built = crate::harness::Site::linked()
        .file(
            "site.toml",
            "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ckb]\nname = \"کوردی\"\ndirection = \"rtl\"\ntitle = \"دۆسیەی تاقیکردنەوە\"\n",
        )
        .file("i18n/ckb.toml", own)
        .file(
            "content/incidents/haditha-2005.ckb.md",
            "---\ntitle: کوشتارەکانی حەدیسە\n---\nدەق.\n",
        )
        .build();
    let report = built.report();
    assert!(report.succeeded(), "{}", built.diagnostics());
    // One warning per string English has and Sorani lacks, at the file.
    let en: toml::Table = toml::from_str(
        &fs::read_to_string(crate::harness::repo().join("themes/default/i18n/en.toml")).unwrap(),
    )
    .unwrap();
    let missing: BTreeSet<String> = en
        .keys()
        .filter(|k| !own.contains(&format!("{k} =")))
        .cloned()
        .collect();
    assert_eq!(missing.len(), en.len() - 3);
    let warned: BTreeSet<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.code.as_str(), "W0705", "{d}");
            assert!(d.to_string().contains("i18n/ckb.toml"), "{d}");
            d.message.split('`').nth(1).unwrap().to_string()
        })
        .collect();
    assert_eq!(
        report.diagnostics.len(),
        missing.len(),
        "{}",
        built.diagnostics()
    );
    assert_eq!(warned, missing);
    // The page is Sorani, right to left, with its own strings and English
    // where Sorani has none.
    let page = built.page("ckb/incidents/haditha-2005/index.html");
    assert!(page.contains(r#"<html lang="ckb" dir="rtl">"#), "{page}");
    assert!(page.contains("کوشتارەکانی حەدیسە"), "{page}");
    assert!(page.contains(">گەڕان</a>"), "{page}");
    assert!(page.contains(">Timeline</a>"), "{page}");
    assert!(page.contains("دۆسیەی تاقیکردنەوە"), "{page}");
    assert!(
        page.contains(r#"hreflang="en" href="../../../incidents/haditha-2005/index.html""#),
        "{page}"
    );
    assert!(
        page.contains(r#"hreflang="ckb" href="../../../ckb/incidents/haditha-2005/index.html""#),
        "{page}"
    );
}
