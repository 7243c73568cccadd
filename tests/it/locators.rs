//! Source references with locators and quotes in front matter, and counts
//! as the sources give them: where they show, how they are checked, what
//! the exports carry.

use crate::harness::{Site, golden};

const BILINGUAL: &str = "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n";

/// The linked site, with an incident, a demand and a figure that name
/// their sources with locators and quotes and give bounded counts, and an
/// Arabic translation of the incident.
fn located() -> Site {
    Site::linked()
        .file("site.toml", BILINGUAL)
        .file(
            "content/sources/amnesty-2023.md",
            "---\ntitle: Twenty years on\nkind: ngo-statement\npublisher: amnesty\ndate: 2023-03-20\nlanguage: en\nperspective: An independent human-rights organisation.\n---\n",
        )
        .file(
            "content/incidents/wedding.md",
            "---\ntitle: Wedding party\ndate: 2004-05\nplace: {name: Mukaradeeb, governorate: Anbar, source: {source: amnesty-2023, locator: \"para. 3\", quote: \"near the Syrian border\"}}\ncasualties: {killed: {min: 40, wording: more-than}, injured: {max: 27}, detained: {about: 650}}\nsources: [{source: amnesty-2023, locator: \"para. 10\", quote: \"killed more than 40 guests\"}]\naccountability:\n  - {date: 2004-06, step: denied, note: The strike was denied., source: {source: amnesty-2023, locator: \"para. 11\", quote: \"a legitimate target\"}}\n---\nText.\n",
        )
        .file(
            "content/incidents/wedding.ar.md",
            "---\ntitle: حفل زفاف\n---\nنص.\n",
        )
        .file(
            "content/figures/bounds.md",
            "---\ntitle: Bounded estimates\nunit: people\nestimates:\n  - {about: 650000, what: Approximate, source: {source: amnesty-2023, locator: \"para. 6\", quote: \"about 650,000\"}}\n  - {min: 1100, what: Lower bound, source: amnesty-2023}\n  - {min: 600, wording: more-than, what: Strict lower bound, source: amnesty-2023}\n  - {max: 3000000, wording: nearly, what: Upper bound, source: amnesty-2023}\n  - {min: 100, max: 200, what: Range, source: amnesty-2023}\n---\n",
        )
}

/// The part of a page from the key facts to the end of the article.
fn facts_to_end(page: &str) -> String {
    let start = page
        .find("<section class=\"doc-facts\"")
        .expect("key facts");
    let end = page[start..].find("</article>").expect("an article") + start;
    page[start..end].to_string()
}

#[test]
fn locators_quotes_and_bounded_counts_show_on_the_incident_page() {
    let built = located().build().clean();
    let page = built.page("incidents/wedding/index.html");
    golden("located-incident.html", &facts_to_end(&page));
    for shown in [
        ">more than 40<",
        ">up to 27<",
        ">about 650<",
        "<span class=\"locator\">, para. 3</span>: <q class=\"quote\">near the Syrian border</q>",
        "<span class=\"locator\">para. 10</span>: <q class=\"quote\">killed more than 40 guests</q>",
        "<span class=\"locator\">, para. 11</span>: <q class=\"quote\">a legitimate target</q>",
    ] {
        assert!(page.contains(shown), "{shown} not in {page}");
    }
    // The haditha incident's governorate rests on no source.
    let haditha = built.page("incidents/haditha-2005/index.html");
    assert!(
        haditha.contains("<span class=\"located-by\">(located by the editors)</span>"),
        "{haditha}"
    );
    assert!(!page.contains("located by the editors"), "{page}");
}

#[test]
fn on_arabic_pages_a_quote_stays_in_english_and_is_marked_so() {
    let built = located().build().clean();
    let page = built.page("ar/incidents/wedding/index.html");
    for quote in [
        "killed more than 40 guests",
        "near the Syrian border",
        "a legitimate target",
    ] {
        let marked = format!("<q class=\"quote\" lang=\"en\" dir=\"ltr\">{quote}</q>");
        assert!(page.contains(&marked), "{marked} not in {page}");
    }
    // Counts take the page's words.
    assert!(page.contains("أكثر من "), "{page}");
    assert!(page.contains("حتى "), "{page}");
}

#[test]
fn estimates_show_as_the_sources_phrase_them_with_their_locators() {
    let built = located().build().clean();
    let page = built.page("figures/bounds/index.html");
    let start = page.find("<table class=\"estimates\"").expect("a table");
    let end = page[start..].find("</table>").unwrap() + start;
    golden("bounded-estimates.html", &page[start..end]);
    for value in [
        "about 650,000",
        "at least 1,100",
        "more than 600",
        "nearly 3,000,000",
        "100–200",
    ] {
        assert!(
            page.contains(&format!(">{value}<")),
            "{value} not in {page}"
        );
    }
    // An open bound is drawn open, never as a closed bar.
    assert_eq!(page.matches("class=\"bar open\"").count(), 3, "{page}");
}

#[test]
fn a_total_that_includes_a_bound_is_a_bound() {
    let built = located().build().clean();
    let map = built.page("map/index.html");
    // Anbar: Haditha's 24 and the wedding's "more than 40".
    assert!(map.contains(">more than 64<"), "{map}");
}

#[test]
fn the_exports_carry_locators_quotes_and_count_kinds() {
    let built = located().build().clean();
    let json: serde_json::Value = serde_json::from_str(&built.page("data/dossier.json")).unwrap();
    let incidents = json["documents"]["incidents"].as_array().unwrap();
    let wedding = incidents.iter().find(|d| d["slug"] == "wedding").unwrap();
    assert_eq!(
        wedding["casualties"]["killed"],
        serde_json::json!({"kind": "more-than", "min": 40})
    );
    assert_eq!(
        wedding["casualties"]["injured"],
        serde_json::json!({"kind": "up-to", "max": 27})
    );
    assert_eq!(wedding["sources"], serde_json::json!(["amnesty-2023"]));
    let cited = &wedding["references"]["sources"][0];
    assert_eq!(cited["locator"], "para. 10");
    assert_eq!(cited["quote"], "killed more than 40 guests");
    assert_eq!(wedding["place"]["located_by"], "source");
    assert_eq!(wedding["place"]["source"]["locator"], "para. 3");
    assert_eq!(wedding["accountability"][0]["source"], "amnesty-2023");
    assert_eq!(wedding["accountability"][0]["locator"], "para. 11");
    let figures = json["documents"]["figures"].as_array().unwrap();
    let bounds = figures.iter().find(|d| d["slug"] == "bounds").unwrap();
    assert_eq!(bounds["estimates"][0]["kind"], "about");
    assert_eq!(bounds["estimates"][0]["quote"], "about 650,000");
    assert_eq!(bounds["estimates"][3]["kind"], "nearly");

    let csv = built.page("data/incidents.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "wedding")
        .unwrap();
    let cell = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(cell("killed_kind"), "more-than");
    assert_eq!(cell("killed_min"), "40");
    assert_eq!(cell("killed_max"), "");
    assert_eq!(cell("injured_kind"), "up-to");
    assert_eq!(cell("source_locators"), "para. 10");
    assert_eq!(cell("source_quotes"), "killed more than 40 guests");
    assert_eq!(cell("located_by"), "source");
    assert_eq!(cell("place_locator"), "para. 3");

    let page = built.page("incidents/wedding/index.html");
    assert!(
        page.contains(r#""hasPart":{"@type":"Quotation","position":"para. 10","text":"killed more than 40 guests"}"#),
        "{page}"
    );
}

#[test]
fn a_wrong_source_reference_is_located_with_a_hint() {
    Site::linked()
        .file(
            "content/incidents/wrong.md",
            "---\ntitle: Wrong\ndate: 2006\nsources: [{source: amnesty-2032, locator: \"para. 1\"}]\naccountability:\n  - {date: 2007, step: denied, source: {source: amnesty-2023, page: 3}}\nplace: {name: X, source: {source: amnesty-2023, locator: \"\"}}\ncasualties: {killed: {min: 4, wording: up-to}}\n---\n",
        )
        .build()
        .fails()
        .has(&[
            "content/incidents/wrong.md:4:20",
            "unknown source `amnesty-2032`",
            "did you mean `amnesty-2023`?",
        ])
        .has(&[
            "content/incidents/wrong.md:6:",
            "unknown field `page`",
            "`locator`",
        ])
        .has(&["content/incidents/wrong.md:7:", "empty `locator`"])
        .has(&[
            "content/incidents/wrong.md:8:",
            "`wording: up-to` does not go with `min` alone",
        ]);
}
