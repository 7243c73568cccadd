//! The machine-readable exports: parsed back and checked against the site.

use serde_json::Value;

use crate::harness::Site;

fn site() -> Site {
    Site::linked()
        // A title with a comma, quotes and a line break in the summary, to
        // test CSV quoting.
        .file(
            "content/incidents/checkpoint.md",
            "---\ntitle: 'Checkpoint, \"Ramadi\" road'\nsummary: \"Two lines:\\nsecond, with comma\"\ndate: 2005-11\nperpetrators: [unknown]\nsources: [amnesty-2023]\ndemands: [investigate]\n---\n",
        )
}

fn json(built: &crate::harness::Built, path: &str) -> Value {
    serde_json::from_str(&built.page(path)).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

#[test]
fn dossier_json_holds_every_document_with_references_and_backlinks() {
    let built = site().build().clean();
    let export = json(&built, "data/dossier.json");
    assert_eq!(export["format"], "dossier/1");
    let documents = &export["documents"];
    let count = |c: &str| documents[c].as_array().unwrap().len();
    assert_eq!(
        (
            count("demands"),
            count("incidents"),
            count("actors"),
            count("sources"),
            count("figures")
        ),
        (1, 2, 2, 1, 1)
    );

    let haditha = documents["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["slug"] == "haditha-2005")
        .expect("haditha-2005 in the export");
    assert_eq!(haditha["title"], "Haditha killings");
    assert_eq!(haditha["url"], "incidents/haditha-2005/");
    assert_eq!(haditha["date"], "2005-11-19");
    assert_eq!(haditha["place"]["governorate"], "Anbar");
    assert_eq!(
        haditha["casualties"]["killed"],
        serde_json::json!({"kind": "exact", "min": 24, "max": 24})
    );
    assert_eq!(haditha["verification"], "corroborated");
    assert_eq!(
        haditha["references"]["perpetrators"],
        serde_json::json!([{"slug": "us-marine-corps", "url": "actors/us-marine-corps/"}])
    );
    assert_eq!(
        haditha["references"]["sources"][0]["url"],
        "sources/amnesty-2023/"
    );
    let backlinks = haditha["backlinks"].as_array().unwrap();
    assert!(backlinks.iter().any(|b| b["collection"] == "demands"
        && b["field"] == "incidents"
        && b["url"] == "demands/investigate/"));
    // Every URL in the export is a page that exists.
    for collection in ["demands", "incidents", "actors", "sources", "figures"] {
        for document in documents[collection].as_array().unwrap() {
            let url = document["url"].as_str().unwrap();
            assert!(built.exists(&format!("{url}index.html")), "{url}");
        }
    }
}

#[test]
fn csv_files_have_a_row_per_document_and_survive_quoting() {
    let built = site().build().clean();
    let incidents = built.page("data/incidents.csv");
    let mut reader = csv::Reader::from_reader(incidents.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let checkpoint = rows
        .iter()
        .find(|r| &r[column("slug")] == "checkpoint")
        .unwrap();
    assert_eq!(&checkpoint[column("title")], "Checkpoint, \"Ramadi\" road");
    assert_eq!(
        &checkpoint[column("summary")],
        "Two lines:\nsecond, with comma"
    );
    assert_eq!(&checkpoint[column("url")], "incidents/checkpoint/");
    assert_eq!(&checkpoint[column("demands")], "investigate");
    assert_eq!(&checkpoint[column("demand_urls")], "demands/investigate/");
    assert_eq!(&checkpoint[column("perpetrators")], "");

    let figures = built.page("data/figures.csv");
    let mut reader = csv::Reader::from_reader(figures.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "one row per estimate");
    for collection in ["demands", "actors", "sources"] {
        let text = built.page(&format!("data/{collection}.csv"));
        let rows = csv::Reader::from_reader(text.as_bytes()).records().count();
        assert!(rows >= 1, "{collection}.csv is empty");
    }
}

#[test]
fn sources_are_exported_as_csl_json() {
    let built = site().build().clean();
    let items = json(&built, "data/sources.csl.json");
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["id"], "amnesty-2023");
    assert_eq!(item["type"], "document");
    assert_eq!(item["title"], "Twenty years on");
    assert_eq!(
        item["issued"]["date-parts"],
        serde_json::json!([[2023, 3, 20]])
    );
    assert_eq!(item["publisher"], "Amnesty International");
    assert!(
        item["URL"]
            .as_str()
            .unwrap()
            .contains("sources/amnesty-2023/")
    );
}

/// The relative link targets of an XML document's elements named `name`.
fn xml_links(text: &str, element: &str, attribute: Option<&str>) -> Vec<String> {
    let document = roxmltree::Document::parse(text).expect("well-formed XML");
    document
        .descendants()
        .filter(|n| n.tag_name().name() == element)
        .map(|n| match attribute {
            Some(a) => n.attribute(a).unwrap().to_string(),
            None => n.text().unwrap().to_string(),
        })
        .collect()
}

#[test]
fn feed_and_sitemap_parse_and_list_only_pages_that_exist() {
    let built = site().build().clean();
    let feed = built.page("feed.xml");
    let links = xml_links(&feed, "link", Some("href"));
    // The self link, the home page, two incidents and one history entry.
    assert_eq!(links.len(), 5, "{links:?}");
    for link in links.iter().filter(|l| *l != "feed.xml") {
        assert!(
            built.exists(link),
            "the feed links to {link}, which does not exist"
        );
    }
    let entries = xml_links(&feed, "title", None);
    // The newest first: the history entry of 2023 before the 2005 incidents.
    assert_eq!(entries[1], "Investigate unlawful killings: Unmet");

    let sitemap = built.page("sitemap.xml");
    let locations = xml_links(&sitemap, "loc", None);
    assert!(locations.len() >= 10);
    for location in &locations {
        assert!(
            built.exists(&format!("{location}index.html")),
            "the sitemap lists {location}, which does not exist"
        );
    }
    assert!(built.page("robots.txt").starts_with("User-agent: *"));
}

#[test]
fn absolute_urls_use_base_url_when_set() {
    let built = site()
        .file(
            "site.toml",
            "title = \"Test dossier\"\nbase_url = \"https://example.org/dossier/\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n",
        )
        .build()
        .clean();
    let sitemap = built.page("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/dossier/incidents/haditha-2005/</loc>"),
        "{sitemap}"
    );
    assert!(
        built
            .page("robots.txt")
            .contains("Sitemap: https://example.org/dossier/sitemap.xml")
    );
}

#[test]
fn every_document_page_carries_json_ld() {
    let built = site().build().clean();
    let page = built.page("incidents/haditha-2005/index.html");
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD script")
        + "<script type=\"application/ld+json\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    let ld: Value = serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Event");
    assert_eq!(ld["startDate"], "2005-11-19");
    assert_eq!(ld["location"]["name"], "Haditha");
    let source = built.page("sources/amnesty-2023/index.html");
    assert!(source.contains("\"@type\":\"CreativeWork\""));
    let actor = built.page("actors/amnesty/index.html");
    assert!(actor.contains("\"@type\":\"NGO\""));
}

#[cfg(feature = "search")]
#[test]
fn the_search_bundle_is_written_with_filters() {
    let built = site().build().clean();
    assert!(built.exists("pagefind/pagefind.js"));
    assert!(built.exists("pagefind/pagefind-ui.js"));
    let entry = json(&built, "pagefind/pagefind-entry.json");
    assert!(
        entry["languages"]["en"]["page_count"].as_u64().unwrap() >= 7,
        "{entry}"
    );
    let filters = std::fs::read_dir(built.output.join("pagefind/filter"))
        .unwrap()
        .count();
    assert!(filters >= 1);
}

#[test]
fn search_can_be_left_out() {
    let built = site()
        .file(
            "site.toml",
            "title = \"Test dossier\"\n[build]\nsearch = false\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n",
        )
        .build()
        .clean();
    assert!(!built.exists("pagefind"));
    assert!(built.exists("data/dossier.json"));
}

/// `site()` with the haditha incident in Arabic, and the figure not.
fn bilingual() -> crate::harness::Built {
    site()
        .file(
            "site.toml",
            "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n",
        )
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\nsummary: قتل جنود مشاة البحرية الأمريكية 24 مدنيًا.\n---\nنص.\n",
        )
        .build()
        .clean()
}

#[test]
fn the_json_and_csv_exports_carry_each_documents_translations() {
    let built = bilingual();
    let export = json(&built, "data/dossier.json");
    let incidents = export["documents"]["incidents"].as_array().unwrap();
    let haditha = incidents
        .iter()
        .find(|d| d["slug"] == "haditha-2005")
        .unwrap();
    assert_eq!(
        haditha["translations"],
        serde_json::json!([{
            "lang": "ar",
            "url": "ar/incidents/haditha-2005/",
            "title": "مجزرة حديثة",
            "summary": "قتل جنود مشاة البحرية الأمريكية 24 مدنيًا."
        }])
    );
    for collection in ["demands", "incidents", "actors", "sources", "figures"] {
        let text = built.page(&format!("data/{collection}.csv"));
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("{collection}.csv has no {name}: {headers:?}"))
        };
        let (title, summary, url) = (column("title_ar"), column("summary_ar"), column("url_ar"));
        for record in reader.records() {
            let record = record.unwrap();
            assert_eq!(record.len(), headers.len());
            if &record[0] == "haditha-2005" {
                assert_eq!(&record[title], "مجزرة حديثة");
                assert_eq!(&record[summary], "قتل جنود مشاة البحرية الأمريكية 24 مدنيًا.");
                assert_eq!(&record[url], "ar/incidents/haditha-2005/");
                assert!(built.exists(&format!("{}index.html", &record[url])));
            } else {
                // Not translated: empty, never the English text again.
                assert_eq!((&record[title], &record[url]), ("", ""), "{collection}.csv");
            }
        }
    }
}

#[test]
fn the_sitemap_and_feed_list_the_arabic_pages_with_their_hreflang() {
    let built = bilingual();
    let sitemap = built.page("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let mut alternates = std::collections::BTreeMap::new();
    for url in doc.descendants().filter(|n| n.has_tag_name("url")) {
        let loc = url
            .children()
            .find(|n| n.has_tag_name("loc"))
            .unwrap()
            .text()
            .unwrap()
            .to_string();
        let links: Vec<(String, String)> = url
            .children()
            .filter(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
            .map(|n| {
                (
                    n.attribute("hreflang").unwrap().into(),
                    n.attribute("href").unwrap().into(),
                )
            })
            .collect();
        alternates.insert(loc, links);
    }
    assert!(
        alternates.contains_key("ar/incidents/haditha-2005/"),
        "{sitemap}"
    );
    assert!(alternates.contains_key("ar/incidents/"), "{sitemap}");
    // A page with versions names them all, itself included, and each
    // names the same ones; an untranslated document names none.
    for (loc, links) in &alternates {
        assert!(built.exists(&format!("{loc}index.html")), "{loc}");
        if links.is_empty() {
            continue;
        }
        assert!(
            links.iter().any(|(_, href)| href == loc),
            "{loc}: {links:?}"
        );
        assert_eq!(links.last().unwrap().0, "x-default");
        for (_, href) in links {
            assert_eq!(&alternates[href], links, "{loc} and {href}");
        }
    }
    assert!(alternates["figures/deaths/"].is_empty());
    assert_eq!(
        alternates["incidents/haditha-2005/"],
        [
            ("en".to_string(), "incidents/haditha-2005/".to_string()),
            ("ar".to_string(), "ar/incidents/haditha-2005/".to_string()),
            (
                "x-default".to_string(),
                "incidents/haditha-2005/".to_string()
            ),
        ]
    );
    // The feed's entry for the incident links to both versions.
    let feed = built.page("feed.xml");
    assert!(
        feed.contains(r#"<link rel="alternate" hreflang="ar" href="ar/incidents/haditha-2005/index.html" title="مجزرة حديثة"/>"#),
        "{feed}"
    );
    for link in xml_links(&feed, "link", Some("href"))
        .iter()
        .filter(|l| *l != "feed.xml")
    {
        assert!(built.exists(link), "the feed links to {link}");
    }
}

/// `data/dossier.json` is a published format (`dossier/1`): its bytes on a
/// small site are pinned, so that any change to it is seen and reviewed.
#[test]
fn dossier_json_matches_its_golden_file() {
    let built = Site::linked().build().clean();
    crate::harness::golden("dossier.json", &built.page("data/dossier.json"));
}

/// The CSV exports' columns and cells, pinned the same way, for every
/// collection of the linked site with a second language.
#[test]
fn csv_exports_match_their_golden_files() {
    let built = bilingual();
    for collection in dossier::model::Collection::ALL {
        let name = format!("{}.csv", collection.name());
        crate::harness::golden(&name, &built.page(&format!("data/{name}")));
    }
}

#[test]
fn the_json_ld_address_names_the_sites_country_and_no_other() {
    let page = "incidents/haditha-2005/index.html";
    let without = Site::linked().build().clean();
    assert!(without.page(page).contains("\"addressRegion\":\"Anbar\""));
    assert!(!without.page(page).contains("addressCountry"));
    let with = Site::linked()
        .file(
            "site.toml",
            &format!("country = \"IQ\"\n{}", crate::harness::SITE_TOML),
        )
        .build()
        .clean();
    assert!(
        with.page(page)
            .contains("\"addressRegion\":\"Anbar\",\"addressCountry\":\"IQ\""),
        "{}",
        with.page(page)
    );
}
