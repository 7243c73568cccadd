//! Localized formatting: every number the theme prints is written in the
//! page language's digits (`[languages.<code>] digits`) and isolated from
//! the text around it, dates carry the language's month names, and what
//! editors wrote (bodies, slugs, URLs) is left as it is.

use crate::harness::Site;

const LANGUAGES: &str = "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n";

/// The linked site with an Arabic incident and figure, and `ar_settings`
/// added to `[languages.ar]`.
fn arabic(ar_settings: &str) -> Site {
    Site::linked()
        .file("site.toml", &format!("{LANGUAGES}{ar_settings}"))
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\nplace: {name: حديثة}\n---\nقُتل 24 مدنيًا في 19 تشرين الثاني/نوفمبر 2005 [@amnesty-2023, para. 6].\n",
        )
        .file(
            "content/figures/deaths.ar.md",
            "---\ntitle: الوفيات العراقية\nunit: أشخاص\nestimates:\n  - {what: إحصاء, scope: الوفيات العنيفة}\n---\n",
        )
}

#[test]
fn arabic_pages_write_dates_and_counts_in_arabic_indic_digits_by_default() {
    let built = arabic("").build().clean();
    let page = built.page("ar/incidents/haditha-2005/index.html");
    // The Iraqi double month name, in Arabic-Indic digits.
    assert!(
        page.contains(r#"<time datetime="2005-11-19">١٩ تشرين الثاني/نوفمبر ٢٠٠٥</time>"#),
        "{page}"
    );
    // The casualty count, isolated, reading right to left.
    assert!(page.contains(r#"<bdi dir="rtl">٢٤</bdi>"#), "{page}");
    // The body editors wrote keeps its digits, and links keep their slugs.
    assert!(page.contains("قُتل 24 مدنيًا في 19 تشرين"), "{page}");
    assert!(page.contains("haditha-2005"), "{page}");
    assert!(page.contains(r#"datetime="2005-11-19""#), "{page}");
    // Note numbers are the theme's: localized in the body's reference and
    // in the list of notes, the editor's locator is not.
    assert!(
        page.contains(r#"aria-label="حاشية ١">١</a></sup>"#),
        "{page}"
    );
    assert!(page.contains(r#"<ol data-digits="arab">"#), "{page}");
    assert!(page.contains("<bdi>para. 6</bdi>"), "{page}");
    // The English edition is untouched by the Arabic setting.
    let english = built.page("incidents/haditha-2005/index.html");
    assert!(
        english.contains(r#"<time datetime="2005-11-19">19 November 2005</time>"#),
        "{english}"
    );
    assert!(english.contains(r#"<bdi dir="ltr">24</bdi>"#), "{english}");
    assert!(!english.contains('٢'), "{english}");
}

#[test]
fn digits_latn_keeps_latin_digits_in_arabic_pages_isolated_left_to_right() {
    let built = arabic("digits = \"latn\"\n").build().clean();
    let page = built.page("ar/incidents/haditha-2005/index.html");
    assert!(
        page.contains(r#"<time datetime="2005-11-19">19 تشرين الثاني/نوفمبر 2005</time>"#),
        "{page}"
    );
    assert!(page.contains(r#"<bdi dir="ltr">24</bdi>"#), "{page}");
    assert!(!page.contains('٢'), "{page}");
}

#[test]
fn a_range_is_one_isolated_unit_in_the_key_facts_the_table_and_the_chart() {
    let built = arabic("").build().clean();
    let page = built.page("ar/figures/deaths/index.html");
    // Key figures and the table: one <bdi> holding the whole range, with
    // the Arabic thousands separator where there are thousands.
    assert!(page.contains(r#"<bdi dir="rtl">١٠٠–٢٠٠</bdi>"#), "{page}");
    // The chart is SVG, which has no <bdi>: the range is wrapped in the
    // Unicode isolates instead, and the period's years are localized.
    assert!(
        page.contains("<tspan class=\"value\">\u{2067}١٠٠–٢٠٠\u{2069}</tspan> · ٢٠٠٣"),
        "{page}"
    );
    let english = built.page("figures/deaths/index.html");
    assert!(
        english.contains(r#"<bdi dir="ltr">100–200</bdi>"#),
        "{english}"
    );
    assert!(
        english.contains("<tspan class=\"value\">\u{2066}100–200\u{2069}</tspan>"),
        "{english}"
    );
}

#[test]
fn counts_in_lists_and_headings_follow_the_digits_of_the_page() {
    let built = arabic("").build().clean();
    let list = built.page("ar/incidents/index.html");
    assert!(
        list.contains(r#"<span class="count">(<bdi dir="rtl">١</bdi>)</span>"#),
        "{list}"
    );
    // Year headings are localized; their ids and links are not.
    assert!(list.contains(r##"<a href="#y2005">٢٠٠٥</a>"##), "{list}");
    let english = built.page("incidents/index.html");
    assert!(
        english.contains(r#"<span class="count">(<bdi dir="ltr">1</bdi>)</span>"#),
        "{english}"
    );
}

#[test]
fn thousands_are_grouped_with_the_arabic_separator() {
    let built = arabic("")
        .file(
            "content/figures/deaths.md",
            "---\ntitle: Iraqi deaths\nunit: people\nestimates:\n  - {min: 1300000, max: 2000000, what: A count, scope: violent deaths, method: count, period: [2003, 2006], source: amnesty-2023}\n---\n",
        )
        .build()
        .clean();
    let page = built.page("ar/figures/deaths/index.html");
    assert!(
        page.contains(r#"<bdi dir="rtl">١٬٣٠٠٬٠٠٠–٢٬٠٠٠٬٠٠٠</bdi>"#),
        "{page}"
    );
    let english = built.page("figures/deaths/index.html");
    assert!(
        english.contains(r#"<bdi dir="ltr">1,300,000–2,000,000</bdi>"#),
        "{english}"
    );
}

#[test]
fn an_unknown_digits_setting_is_an_error_that_names_the_allowed_ones() {
    arabic("digits = \"roman\"\n").build().fails().has(&[
        "site.toml",
        "`roman`",
        "`latn`",
        "`arab`",
    ]);
}

#[test]
fn the_site_title_in_another_language_than_the_page_is_marked_with_its_own() {
    let untitled = LANGUAGES.replace("title = \"ملف الاختبار\"\n", "");
    let built = arabic("")
        .file("site.toml", &untitled)
        .build()
        .has(&["العربية (`ar`) has no `title` of its own"]);
    assert_eq!(built.report().diagnostics.len(), 1);
    let page = built.page("ar/incidents/haditha-2005/index.html");
    // No Arabic title in site.toml: the English one, marked as English.
    assert!(
        page.contains(r#"<span class="brand-title" lang="en" dir="ltr">Test dossier</span>"#),
        "{page}"
    );
    let titled = arabic("").build().clean();
    let page = titled.page("ar/incidents/haditha-2005/index.html");
    assert!(
        page.contains(r#"<span class="brand-title">ملف الاختبار</span>"#),
        "{page}"
    );
    // English pages need no mark.
    let english = built.page("incidents/haditha-2005/index.html");
    assert!(
        english.contains(r#"<span class="brand-title">Test dossier</span>"#),
        "{english}"
    );
}
