//! What a site publishes as data, found from its pages: a feed of changes
//! per language, linked from every page, and a data page per language
//! listing every export with its format and true size.

use crate::harness::{Built, Site};
use crate::html::{pages, resolve, tags};

const BILINGUAL: &str = "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n";

/// The linked site in two languages: the Haditha incident translated into
/// Arabic, the checkpoint incident not.
fn bilingual() -> Site {
    Site::linked()
        .file("site.toml", BILINGUAL)
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: عمليات القتل في حديثة\nsummary: قُتل مدنيون في حديثة.\n---\nنص الصفحة.\n",
        )
        .file(
            "content/incidents/checkpoint-2006.md",
            "---\ntitle: Checkpoint shooting\ndate: 2006-03\nverification: single-source\nsources: [amnesty-2023]\n---\nA shooting.\n",
        )
}

#[test]
fn every_page_links_to_the_feed_of_its_own_language() {
    let built = bilingual().build().clean();
    let output = built.output.clone();
    let pages = pages(&output);
    assert!(pages.len() > 20, "{pages:?}");
    for page in &pages {
        let html = built.page(page);
        let feeds: Vec<String> = tags(&html, "link")
            .into_iter()
            .filter(|a| a.get("type").map(String::as_str) == Some("application/atom+xml"))
            .filter_map(|a| a.get("href").cloned())
            .collect();
        let [href] = &feeds[..] else {
            panic!("{page} links to {feeds:?}, not to one feed");
        };
        let expected = if page.starts_with("ar/") {
            "ar/feed.xml"
        } else {
            "feed.xml"
        };
        assert_eq!(resolve(page, href), expected, "{page}");
    }
}

fn feed(built: &Built, path: &str) -> String {
    let text = built.page(path);
    roxmltree::Document::parse(&text).expect("well-formed XML");
    text
}

/// The `<entry>` of a feed whose id ends with `id`.
fn entry<'a>(feed: &'a str, id: &str) -> &'a str {
    let at = feed
        .find(&format!("{id}</id>"))
        .unwrap_or_else(|| panic!("no entry {id} in {feed}"));
    let start = feed[..at].rfind("<entry>").unwrap();
    &feed[start..start + feed[start..].find("</entry>").unwrap()]
}

#[test]
fn each_language_has_its_feed_in_its_words_marking_what_is_not_translated() {
    let built = bilingual().build().clean();
    let english = feed(&built, "feed.xml");
    let arabic = feed(&built, "ar/feed.xml");
    assert!(arabic.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ar\">"));
    assert!(arabic.contains("<title>ملف الاختبار</title>"), "{arabic}");
    assert!(arabic.contains("<link rel=\"self\" href=\"ar/feed.xml\"/>"));

    // A translated incident: its Arabic title and summary, its Arabic page.
    let haditha = entry(&arabic, "incidents:haditha-2005");
    assert!(
        haditha.contains("<title>عمليات القتل في حديثة</title>"),
        "{haditha}"
    );
    assert!(
        haditha.contains("<summary>قُتل مدنيون في حديثة.</summary>"),
        "{haditha}"
    );
    assert!(haditha.contains("hreflang=\"ar\" href=\"ar/incidents/haditha-2005/index.html\""));
    assert!(haditha.contains("hreflang=\"en\" href=\"incidents/haditha-2005/index.html\""));

    // An untranslated one: the English words, marked as English, and the
    // English page.
    let checkpoint = entry(&arabic, "incidents:checkpoint-2006");
    assert!(
        checkpoint.contains("<title xml:lang=\"en\">"),
        "{checkpoint}"
    );
    assert!(checkpoint.contains("hreflang=\"en\" href=\"incidents/checkpoint-2006/index.html\""));

    // A demand's status in the feed's language.
    assert!(english.contains(": Unmet</title>"), "{english}");
    assert!(arabic.contains(": لم يتحقق</title>"), "{arabic}");
    // The English feed marks nothing.
    assert_eq!(english.matches("xml:lang").count(), 1, "{english}");
}

/// `n` as a page writes it: in Arabic-Indic digits on Arabic pages.
fn written(n: u64, arabic: bool) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '0'..='9' if arabic => char::from_u32(0x660 + (c as u32 - '0' as u32)).unwrap(),
            c => c,
        })
        .collect()
}

/// The rows of a data page: the link, the format and the size as shown.
fn rows(html: &str) -> Vec<(String, String, String)> {
    let table = &html[html.find("<tbody>").unwrap()..html.find("</tbody>").unwrap()];
    let text = |cell: &str| {
        let mut out = String::new();
        let mut inside = false;
        for c in cell.chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out.trim().to_string()
    };
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let href = row.split("href=\"").nth(1).unwrap();
            let href = href[..href.find('"').unwrap()].to_string();
            let cells: Vec<&str> = row.split("<td>").skip(1).collect();
            (href, text(cells[0]), text(cells[1]))
        })
        .collect()
}

#[test]
fn the_data_page_lists_every_export_and_feed_with_its_true_size_in_each_language() {
    let built = bilingual()
        .file(
            "site.toml",
            &format!("{BILINGUAL}[licence]\nname = \"CC BY 4.0\"\nurl = \"https://creativecommons.org/licenses/by/4.0/\"\n"),
        )
        .build()
        .clean();
    let output = built.output.clone();
    for (page, feed_first, kb) in [
        ("data/index.html", "feed.xml", " KB"),
        ("ar/data/index.html", "ar/feed.xml", " كيلوبايت"),
    ] {
        let html = built.page(page);
        assert!(
            html.contains("<a href=\"https://creativecommons.org/licenses/by/4.0/\" rel=\"license\">CC BY 4.0</a>"),
            "{page}: no licence"
        );
        let rows = rows(&html);
        let listed: Vec<String> = rows.iter().map(|(href, ..)| resolve(page, href)).collect();
        assert_eq!(listed[0], feed_first, "{page}: its own feed first");
        for file in [
            "feed.xml",
            "ar/feed.xml",
            "data/dossier.json",
            "data/sources.csl.json",
            "data/incidents.csv",
            "data/corrections.json",
            "data/corrections.csv",
        ] {
            assert!(listed.iter().any(|l| l == file), "{page} lists no {file}");
        }
        for ((_, format, size), file) in rows.iter().zip(&listed) {
            assert!(!format.is_empty(), "{page}: {file} has no format");
            let bytes = std::fs::metadata(output.join(file))
                .unwrap_or_else(|_| panic!("{page} links to {file}, which is not published"))
                .len();
            if bytes < 1024 {
                let digits = written(bytes, page.starts_with("ar/"));
                assert!(
                    size.starts_with(&format!("{digits} ")),
                    "{file}: {size} for {bytes} B"
                );
            } else {
                // Arabic-Indic digits and decimal separator as ASCII.
                let ascii: String = size
                    .trim_end_matches(kb)
                    .chars()
                    .map(|c| match c {
                        '\u{660}'..='\u{669}' => char::from(b'0' + (c as u32 - 0x660) as u8),
                        '\u{66B}' => '.',
                        c => c,
                    })
                    .collect();
                let shown: f64 = ascii
                    .parse()
                    .unwrap_or_else(|_| panic!("{page}: {file}'s size {size:?} is not in KB"));
                let true_kb = bytes as f64 / 1024.0;
                assert!(
                    (shown - true_kb).abs() <= 0.51,
                    "{file}: {size} for {bytes} B"
                );
            }
        }
    }
    // Found from every page's footer.
    let home = built.page("ar/index.html");
    assert!(home.contains("href=\"../ar/data/index.html\""), "{home}");
}

#[test]
fn a_site_without_a_licence_names_none() {
    let built = bilingual().build().clean();
    assert!(!built.page("data/index.html").contains("rel=\"license\""));
}
