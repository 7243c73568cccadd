//! Translations translate text, not facts: they inherit their original's
//! structured fields, fall back to its text, and record what they were
//! translated from.

use crate::harness::Site;

// The harness's checks off (the test documents cite nothing), two languages.
const BILINGUAL: &str = "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n";

fn bilingual() -> Site {
    Site::linked().file("site.toml", BILINGUAL)
}

#[test]
fn a_translation_with_only_text_fields_keeps_the_addressees_and_sources_of_its_original() {
    let built = bilingual()
        .file(
            "content/demands/investigate.ar.md",
            "---\ntitle: التحقيق في عمليات القتل\nsummary: مطلب.\nkind: investigation\nstatus: unmet\n---\nالمطلب.\n",
        )
        .build()
        .clean();
    let page = built.page("ar/demands/investigate/index.html");
    assert!(page.contains("التحقيق في عمليات القتل"), "{page}");
    // The addressee and the source come from the English demand.
    assert!(page.contains("us-marine-corps/index.html"), "{page}");
    assert!(page.contains("amnesty-2023/index.html"), "{page}");
}

#[test]
fn a_fact_repeated_with_another_value_is_an_error_at_both_positions() {
    let built = bilingual()
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\ndate: 2005-11-20\ncasualties: {killed: 24}\n---\nنص.\n",
        )
        .build()
        // Both errors are checked below, at their positions.
        .fails_with(2);
    let text = built.diagnostics();
    assert!(
        text.contains("content/incidents/haditha-2005.ar.md:3:7"),
        "{text}"
    );
    assert!(
        text.contains("content/incidents/haditha-2005.md:3:7"),
        "{text}"
    );
    // The same casualties, written again, are no error.
    assert!(!text.contains("`casualties`"), "{text}");
    assert_eq!(built.report().errors(), 2, "{text}");
}

#[test]
fn a_nested_fact_of_a_history_entry_must_match_but_its_note_is_translated() {
    let built = bilingual()
        .file(
            "content/demands/investigate.ar.md",
            "---\ntitle: التحقيق\nhistory:\n  - {note: لم يلبَّ بعد.}\n---\n",
        )
        .build()
        .clean();
    let page = built.page("ar/demands/investigate/index.html");
    assert!(page.contains("لم يلبَّ بعد."), "{page}");
    bilingual()
        .file(
            "content/demands/investigate.ar.md",
            "---\ntitle: التحقيق\nhistory:\n  - {status: met, note: لبي.}\n---\n",
        )
        .build()
        .fails()
        .has(&["`history.1.status`", "investigate.ar.md"])
        .has(&["`history.1.status`", "investigate.md"]);
}

#[test]
fn missing_text_falls_back_to_the_original_marked_with_its_language() {
    let built = bilingual()
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\n---\n",
        )
        .build()
        .clean();
    let page = built.page("ar/incidents/haditha-2005/index.html");
    // No Arabic body: the English one, marked as English.
    assert!(page.contains("See <a"), "{page}");
    assert!(page.contains(r#"lang="en""#), "{page}");
}

#[test]
fn a_sources_copy_note_is_translated_text_and_falls_back_marked_as_english() {
    let source = "---\ntitle: Twenty years on\nkind: ngo-statement\npublisher: amnesty\ndate: 2023-03-20\nperspective: An independent human-rights organisation.\ncopy: A press release only, not the report.\n---\n";
    let site = || bilingual().file("content/sources/amnesty-2023.md", source);

    // Untranslated, the note is the English one, marked as English.
    let built = site()
        .file(
            "content/sources/amnesty-2023.ar.md",
            "---\ntitle: بعد عشرين عامًا\nperspective: منظمة مستقلة لحقوق الإنسان.\n---\n",
        )
        .build()
        .clean();
    let page = built.page("ar/sources/amnesty-2023/index.html");
    assert!(
        page.contains(r#"<bdi lang="en" dir="ltr">A press release only, not the report.</bdi>"#),
        "{page}"
    );

    // Translated, it is no conflicting fact, and it is not marked.
    let built = site()
        .file(
            "content/sources/amnesty-2023.ar.md",
            "---\ntitle: بعد عشرين عامًا\nperspective: منظمة مستقلة لحقوق الإنسان.\ncopy: بيان صحفي فقط، لا التقرير.\n---\n",
        )
        .build()
        .clean();
    let page = built.page("ar/sources/amnesty-2023/index.html");
    assert!(
        page.contains("<bdi>بيان صحفي فقط، لا التقرير.</bdi>"),
        "{page}"
    );
}

#[test]
fn an_original_edited_after_its_translation_gets_a_warning_with_the_hash_to_record() {
    let translation = |hash: &str| {
        format!(
            "---\ntitle: مجزرة حديثة\ntranslated: {{by: Lina, date: 2024-01-05, from_hash: \"{hash}\"}}\n---\nنص.\n"
        )
    };
    let stale = bilingual()
        .file(
            "content/incidents/haditha-2005.ar.md",
            &translation("0000000000000000"),
        )
        .build();
    let text = stale.diagnostics();
    assert!(stale.report().succeeded(), "{text}");
    assert!(
        text.contains("the English changed after the العربية was written"),
        "{text}"
    );
    // The hint, after the quoted line, gives the hash to record, quoted:
    // a hash of digits only would otherwise be read as a number.
    let at = text.rfind("from_hash: \"").unwrap() + "from_hash: \"".len();
    let current = &text[at..at + 16];
    assert_ne!(current, "0000000000000000");
    // Recording the hash the warning gives silences it.
    let built = bilingual()
        .file(
            "content/incidents/haditha-2005.ar.md",
            &translation(current),
        )
        .build()
        .clean();
    let page = built.page("ar/incidents/haditha-2005/index.html");
    assert!(page.contains("ترجمة عن"), "{page}");
    assert!(page.contains(r#"<time datetime="2024-01-05">"#), "{page}");
    assert!(page.contains("Lina"), "{page}");
    // Facts are not part of the hash: a changed date needs no new translation.
    bilingual()
        .file("content/incidents/haditha-2005.ar.md", &translation(current))
        .file(
            "content/incidents/haditha-2005.md",
            "---\ntitle: Haditha killings\ndate: 2005-11-20\nplace: {name: Haditha, governorate: Anbar}\nperpetrators: [us-marine-corps]\ncasualties: {killed: 24}\nverification: corroborated\nsources: [amnesty-2023]\ntags: [unlawful killing]\n---\nSee [the demand](@/demands/investigate.md).\n",
        )
        .build()
        .clean();
}

#[test]
fn the_site_title_and_description_are_those_of_the_page_language() {
    let built = Site::linked()
        .file(
            "site.toml",
            "title = \"Test dossier\"\ndescription = \"In English.\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\ndescription = \"بالعربية.\"\n",
        )
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\n---\nنص.\n",
        )
        .build()
        .clean();
    let arabic = built.page("ar/incidents/haditha-2005/index.html");
    assert!(arabic.contains("ملف الاختبار"), "{arabic}");
    assert!(!arabic.contains("Test dossier"), "{arabic}");
    let english = built.page("incidents/haditha-2005/index.html");
    assert!(english.contains("Test dossier"), "{english}");
    assert!(!english.contains("ملف الاختبار"), "{english}");
}

#[test]
fn a_translated_demand_is_listed_once_on_the_incident_it_names() {
    // The translation inherits `incidents: [haditha-2005]`: it must not add
    // a second entry beside its original's on the incident page.
    let built = bilingual()
        .file(
            "content/demands/investigate.ar.md",
            "---\ntitle: التحقيق في عمليات القتل\n---\nالمطلب.\n",
        )
        .build()
        .clean();
    let page = built.page("incidents/haditha-2005/index.html");
    let listed = page.matches("\">Investigate unlawful killings</a>").count();
    assert_eq!(listed, 1, "{page}");
}

#[test]
fn a_new_translation_with_a_placeholder_hash_is_told_how_to_start_its_record() {
    let built = bilingual()
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\ntranslated: {by: Lina, date: 2024-01-05, from_hash: new}\n---\nنص.\n",
        )
        .build();
    let text = built.diagnostics();
    assert!(built.report().succeeded(), "{text}");
    assert_eq!(built.report().warnings(), 1, "{text}");
    // Nothing changed: the English is not said to have changed.
    assert!(!text.contains("changed after"), "{text}");
    assert!(
        text.contains("does not yet record which text of the English it translates"),
        "{text}"
    );
    assert!(text.contains("haditha-2005.ar.md:3:"), "{text}");
    // The hint gives the hash that starts the record, quoted.
    let at = text.rfind("from_hash: \"").unwrap() + "from_hash: \"".len();
    let current = &text[at..at + 16];
    assert!(current.bytes().all(|b| b.is_ascii_hexdigit()), "{text}");
    assert!(text.contains("to start the record"), "{text}");
}

#[test]
fn a_translated_page_links_to_its_original_where_each_quotation_stands_in_its_own_words() {
    let built = bilingual()
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\n---\nقالت إنه «مسلح» (ترجمة الموقع).\n",
        )
        .build()
        .clean();
    let page = built.page("ar/incidents/haditha-2005/index.html");
    let line = page
        .lines()
        .find(|l| l.contains(r#"class="translated""#))
        .unwrap_or_else(|| panic!("{page}"));
    assert!(
        line.contains(r#"<a href="../../../incidents/haditha-2005/index.html" rel="alternate" hreflang="en">النص الأصلي، وفيه كل اقتباس بلغته</a>"#),
        "{line}"
    );
    // The original links to no original of its own.
    let english = built.page("incidents/haditha-2005/index.html");
    assert!(
        !english.contains("each quotation in its own words"),
        "{english}"
    );
}
