//! The folder index each search page loads when Pagefind cannot (a site
//! opened from a folder): one script per language, holding that edition's
//! pages only, with their titles, summaries, dates and filter values as
//! data. How the browser searches it is tested in
//! tests/browser/folder-search.test.mjs.

use serde_json::Value;

use crate::harness::{Built, Site};

const BILINGUAL: &str = "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n";

fn bilingual() -> Built {
    Site::linked()
        .file("site.toml", BILINGUAL)
        .file("content/_index.ar.md", "---\ntitle: الرئيسية\n---\nأهلًا.\n")
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\nplace: {name: حديثة}\n---\nنص.\n",
        )
        .file("i18n/ar.toml", "tag_unlawful-killing = \"قتل غير مشروع\"\n")
        .build()
        .clean()
}

/// The index a folder-index.js holds: what follows `window.… =`, as JSON.
fn index(built: &Built, path: &str) -> Value {
    let text = built.page(path);
    let json = text
        .strip_prefix("window.dossierFolderIndex = ")
        .and_then(|rest| rest.trim_end().strip_suffix(';'))
        .unwrap_or_else(|| panic!("{path} is not the index script: {text}"));
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{path} does not hold JSON: {e}"))
}

fn page<'a>(index: &'a Value, url: &str) -> Option<&'a Value> {
    index["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["u"] == url)
}

#[test]
fn each_edition_s_search_page_has_an_index_of_its_own_pages() {
    let built = bilingual();
    let english = index(&built, "search/folder-index.js");
    let arabic = index(&built, "ar/search/folder-index.js");
    assert_eq!(english["lang"], "en");
    assert_eq!(arabic["lang"], "ar");
    assert_eq!(
        english["filters"],
        serde_json::json!(["Section", "Kind", "Year", "Governorate"])
    );

    let haditha = page(&english, "incidents/haditha-2005/index.html").expect("Haditha indexed");
    assert_eq!(haditha["t"], "Haditha killings");
    assert_eq!(haditha["c"], "Incidents");
    assert_eq!(haditha["d"], "19 November 2005");
    assert_eq!(
        haditha["f"],
        serde_json::json!([["Incidents"], [], ["2005"], ["Anbar"]])
    );
    // Its perpetrator and its tag, by the words its page shows, are key facts.
    let facts: Vec<&str> = haditha["x"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(facts.contains(&"US Marine Corps"), "{facts:?}");

    // Each edition holds its own pages only: the Arabic one what is
    // translated, under its Arabic title and with Arabic words.
    let urls = |index: &Value| -> Vec<String> {
        index["pages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["u"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(urls(&english).iter().all(|u| !u.starts_with("ar/")));
    assert_eq!(urls(&arabic), ["ar/incidents/haditha-2005/index.html"]);
    let haditha = page(&arabic, "ar/incidents/haditha-2005/index.html").unwrap();
    assert_eq!(haditha["t"], "مجزرة حديثة");
    assert_eq!(haditha["c"], "الحوادث");
    assert!(
        haditha["x"]
            .as_array()
            .unwrap()
            .contains(&Value::from("قتل غير مشروع")),
        "the tag is not in Arabic: {}",
        haditha["x"]
    );
    // The Home page is not a search result.
    assert!(urls(&english).iter().all(|u| u != "index.html"));
}

#[test]
fn a_page_without_a_summary_is_indexed_with_its_first_paragraph() {
    let built = bilingual();
    let english = index(&built, "search/folder-index.js");
    let actor = page(&english, "actors/us-marine-corps/index.html").unwrap();
    assert_eq!(actor["s"], "A branch of the US armed forces.");
}

#[test]
fn hostile_text_is_held_as_data_and_comes_back_unchanged() {
    let title = "</script><img src=x onerror=alert(1)>\u{2028}\"quoted\" \\ end";
    let built = Site::linked()
        .file(
            "content/incidents/hostile.md",
            &format!(
                "---\ntitle: {}\ndate: 2005\nsources: [amnesty-2023]\n---\n",
                serde_json::to_string(title).unwrap()
            ),
        )
        .build()
        .clean();
    let english = index(&built, "search/folder-index.js");
    let hostile = page(&english, "incidents/hostile/index.html").unwrap();
    assert_eq!(hostile["t"], title);
}

#[test]
fn the_search_page_names_its_folder_index_and_the_engine() {
    let built = bilingual();
    for (page, root) in [
        ("search/index.html", "../"),
        ("ar/search/index.html", "../../"),
    ] {
        let html = built.page(page);
        assert!(
            html.contains(&format!(
                r#"data-root="{root}" data-index="folder-index.js" data-engine="{root}folder-search.js""#
            )),
            "{page}"
        );
    }
    assert!(built.output.join("folder-search.js").is_file());
}
