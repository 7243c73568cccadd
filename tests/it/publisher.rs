//! Who publishes a dossier (`[publisher]` in site.toml): named, with how to
//! reach them and where to send a correction, in every page's footer and
//! every citation, in each language's words.

use crate::harness::Site;
use crate::html::pages;

const SETTINGS: &str = "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n";

fn site(publisher: &str, arabic: &str) -> Site {
    let settings = SETTINGS.replace(
        "direction = \"rtl\"\n",
        &format!("direction = \"rtl\"\n{arabic}"),
    );
    Site::linked()
        .file("site.toml", &format!("{settings}{publisher}"))
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: عمليات القتل في حديثة\n---\nنص الصفحة.\n",
        )
}

#[test]
fn every_page_names_the_publisher_and_links_its_contact_and_corrections_address() {
    let built = site(
        "[publisher]\nname = \"Iraq Accountability Network\"\nurl = \"https://example.org/\"\ncontact = \"editors@example.org\"\ncorrections = \"https://example.org/corrections\"\n",
        "publisher = \"شبكة المساءلة في العراق\"\n",
    )
    .build()
    .clean();
    let all = pages(&built.output);
    assert!(all.len() > 20);
    for page in &all {
        let html = built.page(page);
        let footer = &html[html.find("<footer").unwrap_or_else(|| panic!("{page}"))..];
        let name = if page.starts_with("ar/") {
            "شبكة المساءلة في العراق"
        } else {
            "Iraq Accountability Network"
        };
        for part in [
            format!("<a href=\"https://example.org/\">{name}</a>"),
            "<a href=\"mailto:editors@example.org\">".to_string(),
            "<a href=\"https://example.org/corrections\">".to_string(),
        ] {
            assert!(footer.contains(&part), "{page}: no {part} in {footer}");
        }
    }
    // Citations name the publisher in the page's language.
    let arabic = built.page("ar/incidents/haditha-2005/index.html");
    let cite = &arabic[arabic.find("class=\"cite-text\"").unwrap()..];
    let cite = &cite[..cite.find("</").unwrap()];
    assert!(cite.contains("شبكة المساءلة في العراق"), "{cite}");
    assert!(!cite.contains("Iraq Accountability Network"), "{cite}");
    let english = built.page("incidents/haditha-2005/index.html");
    assert!(english.contains("Iraq Accountability Network."));
}

#[test]
fn a_name_not_given_in_a_language_is_marked_as_the_default_languages() {
    let built = site("[publisher]\nname = \"Iraq Accountability Network\"\n", "")
        .build()
        .clean();
    let footer = built.page("ar/index.html");
    assert!(
        footer.contains("<span lang=\"en\" dir=\"ltr\">Iraq Accountability Network</span>"),
        "{footer}"
    );
    assert!(!footer.contains("mailto:"));
}

#[test]
fn an_address_a_browser_would_run_or_cannot_follow_is_an_error_at_its_line() {
    for (address, shown) in [
        ("javascript:alert(1)", "javascript:alert(1)"),
        ("our office", "our office"),
    ] {
        site(
            &format!("[publisher]\nname = \"N\"\ncontact = \"{address}\"\n"),
            "",
        )
        .build()
        .fails()
        .has(&[
            &format!("`{shown}` in `[publisher] contact` is not a web or email address"),
            "site.toml:13:",
        ]);
    }
}

#[test]
fn a_page_marked_out_of_the_footer_is_published_but_not_listed_there() {
    let built = Site::linked()
        .file("content/about.md", "---\ntitle: About\n---\nWho we are.\n")
        .file(
            "content/guide.md",
            "---\ntitle: Guide for editors\nextra: {footer: false}\n---\nHow to edit.\n",
        )
        .build()
        .clean();
    let home = built.page("index.html");
    let footer = &home[home.find("<footer").unwrap()..];
    assert!(footer.contains("about/index.html"), "{footer}");
    assert!(!footer.contains("guide/index.html"), "{footer}");
    assert!(built.exists("guide/index.html"));
}
