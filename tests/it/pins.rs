//! Invariants pinned on small sites of their own, so that breaking one in
//! the engine fails here whatever the shipped dossier says: text is
//! escaped on every page, and every page of every edition names the same
//! versions as each of them.

use std::collections::BTreeMap;
use std::fs;

use crate::harness::Site;
use crate::html::{alternates, assert_alternates_reciprocal, pages, tags};

/// Markup that would run if any page wrote it as it is.
const PAYLOAD: &str = "<img src=x onerror=alert(7)>";

#[test]
fn text_from_front_matter_is_escaped_on_every_page() {
    let payload = PAYLOAD.replace('"', "\\\"");
    let built = Site::linked()
        .file(
            "content/incidents/haditha-2005.md",
            &format!(
                "---\ntitle: \"Haditha {payload}\"\nsummary: \"Killings {payload}\"\ndate: 2005-11-19\nplace: {{name: \"Haditha {payload}\", governorate: Anbar}}\nperpetrators: [us-marine-corps]\ncasualties: {{killed: 24}}\nverification: corroborated\nsources: [amnesty-2023]\ntags: [\"abuse {payload}\"]\n---\nSee [the demand](@/demands/investigate.md).\n"
            ),
        )
        .file(
            "content/actors/amnesty.md",
            &format!("---\ntitle: \"Amnesty {payload}\"\nkind: ngo\ncountry: \"UK {payload}\"\n---\n"),
        )
        .build()
        .clean();
    let mut checked = 0;
    for page in pages(&built.output) {
        let html = fs::read_to_string(built.output.join(&page)).unwrap();
        assert!(
            !html.contains("<img src=x"),
            "{page} writes front-matter text as markup"
        );
        for img in tags(&html, "img") {
            assert!(
                !img.keys().any(|name| name.starts_with("on")),
                "{page}: {img:?}"
            );
        }
        checked += html.contains("onerror=alert(7)") as usize;
    }
    // The payload reached pages (escaped), so the check above looked at it.
    assert!(checked >= 5, "the payload is on only {checked} pages");
}

const BILINGUAL: &str = "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n";

#[test]
fn every_page_names_the_same_versions_as_each_version_it_names() {
    let built = Site::linked()
        .file("site.toml", BILINGUAL)
        .file("content/_index.ar.md", "---\ntitle: الرئيسية\n---\nأهلًا.\n")
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\nplace: {name: حديثة}\n---\nنص.\n",
        )
        .file("content/about.md", "---\ntitle: About\n---\nWho we are.\n")
        .file("content/about.ar.md", "---\ntitle: من نحن\n---\nمن نحن.\n")
        .build()
        .clean();
    let output = &built.output;
    let mut pairs = 0;
    for page in pages(output) {
        let found: BTreeMap<String, String> = alternates(output, &page);
        if found.is_empty() {
            continue;
        }
        let html = fs::read_to_string(output.join(&page)).unwrap();
        let lang = tags(&html, "html")[0]["lang"].clone();
        assert_eq!(found.get(&lang), Some(&page), "{page} does not name itself");
        pairs += assert_alternates_reciprocal(output, &page, &found);
    }
    // The home page, the incident, the free page and the lists have both.
    assert!(pairs >= 20, "only {pairs} alternate links were checked");
}
