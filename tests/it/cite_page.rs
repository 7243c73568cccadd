//! "Cite this page": the page's own citation as text in the site's style,
//! and as CSL-JSON and BibTeX to download; Arabic labels on Arabic pages.

use crate::harness::{Site, golden};

const SETTINGS: &str = "title = \"Test dossier\"\nbase_url = \"https://example.org/dossier/\"\n[cite]\npublisher = \"Example Rights Group\"\nstyle = \"STYLE\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n";

fn site(style: &str) -> Site {
    Site::linked()
        .file("site.toml", &SETTINGS.replace("STYLE", style))
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مقتل مدنيين في حديثة\n---\nنص.\n",
        )
        .file(
            "content/demands/investigate.md",
            "---\ntitle: Investigate unlawful killings\nkind: investigation\nstatus: unmet\nreviewed: 2026-12-01\nupdated: 2026-11-30\nsources: [amnesty-2023]\nhistory:\n  - {date: 2023-03, status: unmet, note: Still unmet., source: amnesty-2023}\n---\nThe demand.\n",
        )
}

fn section(page: &str) -> String {
    let start = page
        .find("<section class=\"cite-this\"")
        .expect("a citation");
    let end = page[start..].find("</section>").unwrap() + start;
    page[start..end].to_string()
}

/// The `data:` address of the download whose file name ends in
/// `extension`, decoded.
fn download(section: &str, extension: &str) -> String {
    let link = section
        .split("<a href=\"")
        .skip(1)
        .find(|link| {
            let name = link.split("download=\"").nth(1).unwrap_or("");
            name.split('"').next().unwrap_or("").ends_with(extension)
        })
        .expect("a download");
    let url = link.split('"').next().unwrap();
    let encoded = url.split_once(',').unwrap().1.as_bytes();
    let mut bytes = Vec::new();
    let mut i = 0;
    while i < encoded.len() {
        if encoded[i] == b'%' {
            let hex = std::str::from_utf8(&encoded[i + 1..i + 3]).unwrap();
            bytes.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            bytes.push(encoded[i]);
            i += 1;
        }
    }
    String::from_utf8(bytes).unwrap()
}

#[test]
fn every_document_page_cites_itself_in_the_chosen_style() {
    let built = site("apa").build().clean();
    let page = built.page("demands/investigate/index.html");
    let cite = section(&page);
    golden("cite-this-page.html", &cite);
    for part in [
        "Example Rights Group",
        "Investigate unlawful killings",
        "2026",
        "https://example.org/dossier/demands/investigate/",
    ] {
        assert!(cite.contains(part), "{part} not in {cite}");
    }
    let json: serde_json::Value = serde_json::from_str(&download(&cite, ".json")).unwrap();
    assert_eq!(json[0]["title"], "Investigate unlawful killings");
    assert_eq!(
        json[0]["issued"],
        serde_json::json!({"date-parts": [[2026, 11, 30]]})
    );
    assert_eq!(
        json[0]["URL"],
        "https://example.org/dossier/demands/investigate/"
    );
    let bibtex = download(&cite, ".bib");
    assert!(
        bibtex.starts_with("@misc{dossier-demands-investigate,"),
        "{bibtex}"
    );
    assert!(bibtex.contains("Example Rights Group"), "{bibtex}");
    for other in [
        "incidents/haditha-2005/index.html",
        "actors/amnesty/index.html",
        "sources/amnesty-2023/index.html",
        "figures/deaths/index.html",
    ] {
        assert!(
            built.page(other).contains("<section class=\"cite-this\""),
            "{other}"
        );
    }
    // The status is as of the review, not the last history entry.
    assert!(
        page.contains("as of <time datetime=\"2026-12-01\">1 December 2026</time>"),
        "{page}"
    );
}

#[test]
fn another_style_gives_another_citation_and_an_unknown_one_is_an_error() {
    let apa = section(
        &site("apa")
            .build()
            .clean()
            .page("demands/investigate/index.html"),
    );
    let mla = section(
        &site("modern-language-association")
            .build()
            .clean()
            .page("demands/investigate/index.html"),
    );
    assert_ne!(apa, mla);
    site("no-such-style").build().fails().has(&[
        "site.toml:",
        "`no-such-style` is not a citation style",
        "apa",
    ]);
}

#[test]
fn an_arabic_page_cites_its_translation_with_arabic_labels() {
    let built = site("apa").build().clean();
    let cite = section(&built.page("ar/incidents/haditha-2005/index.html"));
    golden("cite-this-page-ar.html", &cite);
    assert!(cite.contains("استشهد بهذه الصفحة"), "{cite}");
    assert!(cite.contains("مقتل مدنيين في حديثة"), "{cite}");
    assert!(cite.contains("ملف الاختبار"), "{cite}");
    let json: serde_json::Value = serde_json::from_str(&download(&cite, ".json")).unwrap();
    assert_eq!(json[0]["language"], "ar");
}
