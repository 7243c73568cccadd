//! Editions in several languages: what an edition shows of a document it
//! has not translated, and a third language built from its own strings.
//! The shipped dossier's editions are tested in `shipped_languages.rs`.

use std::fs;

use crate::html::{assert_links_stay_in_arabic, pages};

const BILINGUAL: &str = "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n";

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
    // The English actor's page has one version: no `<link>` alternate; its
    // language switch leads to the Arabic list of actors.
    let actor = built.page("actors/us-marine-corps/index.html");
    assert!(!actor.contains("rel=\"alternate\" hreflang"), "{actor}");
    assert!(actor.contains("href=\"../../ar/actors/index.html\" lang=\"ar\""));
    // The translated incident has both.
    let english = built.page("incidents/haditha-2005/index.html");
    assert!(
        english.contains(r#"hreflang="ar" href="../../ar/incidents/haditha-2005/index.html""#),
        "{english}"
    );
}

#[test]
fn a_third_right_to_left_language_builds_from_its_own_strings_and_warns_once_for_those_it_lacks() {
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
    // One warning for the strings English has and Sorani lacks, at the
    // file, with their count and the first of them.
    let en: toml::Table = toml::from_str(
        &fs::read_to_string(crate::harness::repo().join("themes/default/i18n/en.toml")).unwrap(),
    )
    .unwrap();
    let missing: Vec<String> = en
        .keys()
        .filter(|k| !own.contains(&format!("{k} =")))
        .cloned()
        .collect();
    assert_eq!(missing.len(), en.len() - 3);
    assert_eq!(report.diagnostics.len(), 1, "{}", built.diagnostics());
    let warning = &report.diagnostics[0];
    assert_eq!(warning.code.as_str(), "W0705", "{warning}");
    let text = warning.to_string();
    assert!(text.contains("i18n/ckb.toml"), "{text}");
    assert!(
        text.contains(&format!(
            "lacks {} of the {} interface strings",
            missing.len(),
            en.len()
        )),
        "{text}"
    );
    let mut sorted = missing.clone();
    sorted.sort();
    assert!(text.contains(&format!("`{}`", sorted[0])), "{text}");
    assert!(
        text.contains(&format!("{} more", missing.len() - 5)),
        "{text}"
    );
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

#[test]
fn a_tag_written_in_arabic_on_an_arabic_site_gets_its_page_and_a_working_link() {
    let built = crate::harness::Site::linked()
        .file(
            "site.toml",
            "title = \"ملف\"\ndefault_language = \"ar\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n",
        )
        .file(
            "content/incidents/haditha-2005.md",
            "---\ntitle: مجزرة حديثة\ndate: 2005-11-19\nplace: {name: حديثة, governorate: Anbar}\nperpetrators: [us-marine-corps]\ncasualties: {killed: 24}\nverification: corroborated\nsources: [amnesty-2023]\ntags: [تعذيب, \"الاختفاء القسري\"]\n---\nنص.\n",
        )
        .build()
        .clean();
    let incident = "incidents/haditha-2005/index.html";
    let html = built.page(incident);
    assert!(!html.contains("tags//"), "an empty term folder is linked");
    let links: Vec<String> = crate::html::tags(&html, "a")
        .into_iter()
        .filter_map(|a| a.get("href").cloned())
        .filter(|href| href.contains("tags/"))
        .map(|href| crate::html::resolve(incident, &href))
        .collect();
    for slug in ["تعذيب", "الاختفاء-القسري"] {
        let page = format!("tags/{slug}/index.html");
        assert!(built.exists(&page), "no page for the tag {slug}");
        assert!(
            links.contains(&page),
            "the incident does not link {page}: {links:?}"
        );
        assert!(built.page(&page).contains("مجزرة حديثة"));
    }
}

#[test]
fn a_tag_with_no_letter_or_digit_is_an_error_at_it() {
    crate::harness::Site::linked()
        .file(
            "content/actors/amnesty.md",
            "---\ntitle: Amnesty International\nkind: ngo\ntags: [\"🤡 !\"]\n---\n",
        )
        .build()
        .fails()
        .has(&["this tag has no letter or digit", "amnesty.md:4"]);
}

#[test]
fn a_term_folder_in_another_script_is_percent_encoded_in_the_sitemap() {
    let built = crate::harness::Site::linked()
        .file(
            "content/incidents/haditha-2005.md",
            "---\ntitle: Haditha killings\ndate: 2005-11-19\nplace: {name: Haditha, governorate: Anbar}\nperpetrators: [us-marine-corps]\ncasualties: {killed: 24}\nverification: corroborated\nsources: [amnesty-2023]\ntags: [تعذيب]\n---\nText.\n",
        )
        .build_with(|o| o.base_url = Some("https://example.org/d".to_string()))
        .clean();
    let sitemap = built.page("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/d/tags/%D8%AA%D8%B9%D8%B0%D9%8A%D8%A8/</loc>"),
        "{sitemap}"
    );
}

/// A reader who arrives from a shared link on a page with no version in
/// their language can still reach their edition: the switch leads to the
/// same page where it is translated, else to that edition's list of the
/// page's kind, and says it is not translated.
#[test]
fn the_language_switch_is_on_every_page_and_leads_to_the_other_edition() {
    let built = crate::harness::Site::linked()
        .file("site.toml", BILINGUAL)
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\n---\nنص.\n",
        )
        .build()
        .clean();
    let switch = |page: &str| {
        let html = built.page(page);
        let at = html
            .find("<nav class=\"language-switch\"")
            .unwrap_or_else(|| panic!("{page} has no language switch"));
        let end = html[at..].find("</nav>").unwrap() + at;
        html[at..end].to_string()
    };
    // Translated: the same page in Arabic, and back.
    let translated = switch("incidents/haditha-2005/index.html");
    assert!(translated.contains("href=\"../../ar/incidents/haditha-2005/index.html\" lang=\"ar\""));
    assert!(!translated.contains("untranslated"), "{translated}");
    assert!(
        switch("ar/incidents/haditha-2005/index.html")
            .contains("href=\"../../../incidents/haditha-2005/index.html\" lang=\"en\"")
    );
    // Untranslated: the Arabic list of actors, said so.
    let untranslated = switch("actors/us-marine-corps/index.html");
    assert!(
        untranslated.contains("href=\"../../ar/actors/index.html\" lang=\"ar\" dir=\"rtl\" hreflang=\"ar\">العربية</a> <span class=\"untranslated\">"),
        "{untranslated}"
    );
    // A free page with no translation: the Arabic home page.
    let about = crate::harness::Site::linked()
        .file("site.toml", BILINGUAL)
        .file("content/about.md", "---\ntitle: About\n---\nWho we are.\n")
        .build()
        .clean();
    let html = about.page("about/index.html");
    assert!(
        html.contains("<a href=\"../ar/index.html\" lang=\"ar\""),
        "{html}"
    );
    // Every page of the site has one.
    for page in crate::html::pages(&built.output) {
        switch(&page);
    }
}
