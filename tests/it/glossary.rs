//! The glossary: `glossary/<lang>.toml` gives each term of the dossier one
//! rendering per language, and the check warns where a translation, or an
//! interface string, renders a term with a word the glossary rules out.

use crate::harness::Site;

const BILINGUAL: &str = "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n[languages.en]\nname = \"English\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n";

const GLOSSARY: &str = "[[term]]\noriginal = [\"casualty\", \"casualties\"]\nrendering = [\"الخسائر البشرية\", \"خسائر بشرية\"]\navoid = [\"إصابات\", \"إصابة\"]\nnote = \"إصابات means injuries\"\n";

const ORIGINAL: &str = "---\ntitle: Haditha killings\ndate: 2005-11-19\nplace: {name: Haditha, governorate: Anbar}\nperpetrators: [us-marine-corps]\ncasualties: {killed: 24}\nverification: corroborated\nsources: [amnesty-2023]\nsummary: Marines killed 24 civilians.\n---\nSee [the demand](@/demands/investigate.md).\n\nThe casualties are given as the source gives them.\n";

fn site(translation: &str) -> Site {
    Site::linked()
        .file("site.toml", BILINGUAL)
        .file("glossary/ar.toml", GLOSSARY)
        .file("content/incidents/haditha-2005.md", ORIGINAL)
        .file("content/incidents/haditha-2005.ar.md", translation)
}

#[test]
fn a_paragraph_that_renders_a_glossary_term_with_a_word_to_avoid_is_warned_at_that_word() {
    let built = site(
        "---\ntitle: مجزرة حديثة\n---\nانظر [المطلب](@/demands/investigate.md).\n\nتُعطى الإصابات كما يعطيها المصدر.\n",
    )
    .build();
    let text = built.diagnostics();
    assert!(built.report().succeeded(), "{text}");
    assert_eq!(built.report().warnings(), 1, "{text}");
    assert!(
        text.contains("renders it «إصابات», not as the glossary does"),
        "{text}"
    );
    // Line 6, at «إصابات» inside «الإصابات» (after «تُعطى ال»: 8
    // characters).
    assert!(
        text.contains("content/incidents/haditha-2005.ar.md:6:9"),
        "{text}"
    );
    assert!(text.contains("«الخسائر البشرية»"), "{text}");
    assert!(text.contains("glossary/ar.toml"), "{text}");
    assert!(text.contains("إصابات means injuries"), "{text}");
}

#[test]
fn the_glossary_rendering_silences_the_warning_even_beside_a_word_to_avoid() {
    // The rendering with short vowels written still counts; a word to avoid
    // may then stand for another English word of the same paragraph.
    site(
        "---\ntitle: مجزرة حديثة\n---\nانظر [المطلب](@/demands/investigate.md).\n\nتُعطى الخسائرُ البشرية كما يعطيها المصدر، ومنها الإصابات.\n",
    )
    .build()
    .clean();
}

#[test]
fn paragraphs_are_paired_by_index_and_text_fields_by_name() {
    // «إصابات» in the first paragraph pairs with an English paragraph
    // without the term: no warning there. The summary's English has no
    // term either. The second paragraph is fine.
    site(
        "---\ntitle: مجزرة حديثة\nsummary: قتل مشاة البحرية 24 مدنيًا، ولا إصابات.\n---\nانظر [المطلب](@/demands/investigate.md)، إصابات.\n\nتُعطى الخسائر البشرية كما يعطيها المصدر.\n",
    )
    .build()
    .clean();
    // A summary whose English has the term is checked, at its line.
    let built = Site::linked()
        .file("site.toml", BILINGUAL)
        .file("glossary/ar.toml", GLOSSARY)
        .file(
            "content/incidents/haditha-2005.md",
            &ORIGINAL.replace("Marines killed 24 civilians.", "24 civilian casualties."),
        )
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\nsummary: 24 إصابة في صفوف المدنيين.\n---\n",
        )
        .build();
    let text = built.diagnostics();
    assert_eq!(built.report().warnings(), 1, "{text}");
    assert!(
        text.contains("content/incidents/haditha-2005.ar.md:3:13"),
        "{text}"
    );
}

#[test]
fn the_english_term_is_matched_as_a_whole_word_in_any_case() {
    // "Casualty" at the start of a sentence is the term; "casualtyless" is
    // not.
    let warned = |english: &str| {
        let built = Site::linked()
            .file("site.toml", BILINGUAL)
            .file("glossary/ar.toml", GLOSSARY)
            .file(
                "content/actors/amnesty.ar.md",
                "---\ntitle: منظمة العفو الدولية\n---\nإصابات.\n",
            )
            .file(
                "content/actors/amnesty.md",
                &format!("---\ntitle: Amnesty International\nkind: ngo\n---\n{english}\n"),
            )
            .build();
        built.report().warnings()
    };
    assert_eq!(warned("Casualty counts."), 1);
    assert_eq!(warned("A casualtyless count."), 0);
}

#[test]
fn interface_strings_follow_the_glossary_too() {
    let built = site("---\ntitle: مجزرة حديثة\n---\n")
        .file("i18n/en.toml", "tag_casualties = \"Casualties\"\n")
        .file("i18n/ar.toml", "tag_casualties = \"الإصابات\"\n")
        .build();
    let text = built.diagnostics();
    assert_eq!(built.report().warnings(), 1, "{text}");
    assert!(text.contains("i18n/ar.toml:1:21"), "{text}");
    site("---\ntitle: مجزرة حديثة\n---\n")
        .file("i18n/en.toml", "tag_casualties = \"Casualties\"\n")
        .file("i18n/ar.toml", "tag_casualties = \"الخسائر البشرية\"\n")
        .build()
        .clean();
}

#[test]
fn a_glossary_term_without_a_rendering_is_an_error_at_the_term() {
    site("---\ntitle: مجزرة حديثة\n---\n")
        .file(
            "glossary/ar.toml",
            "[[term]]\noriginal = [\"killed\"]\nrendering = [\"قتلى\"]\n\n[[term]]\noriginal = [\"injured\"]\nrendering = []\n",
        )
        .build()
        .fails_with(1)
        .has(&["needs an `original` and a `rendering`", "glossary/ar.toml:5:1"]);
    site("---\ntitle: مجزرة حديثة\n---\n")
        .file(
            "glossary/ar.toml",
            "[[term]]\noriginal = [\"killed\"]\nrendring = [\"قتلى\"]\n",
        )
        .build()
        .fails_with(1)
        .has(&["cannot read the glossary", "glossary/ar.toml:3:1"]);
}

#[test]
fn a_word_to_avoid_in_a_history_note_is_shown_in_the_entry_that_has_it() {
    // The first note has «إصابات» but its English has no term; the second
    // English note has the term, and its Arabic the word to avoid.
    let original = "---\ntitle: Investigate unlawful killings\nkind: investigation\naddressees: [us-marine-corps]\nraised_by: [amnesty]\nstatus: unmet\nsources: [amnesty-2023]\nincidents: [haditha-2005]\nhistory:\n  - {date: 2023-03, status: unmet, note: Still unmet., source: amnesty-2023}\n  - {date: 2023-04, status: unmet, note: The casualties are not counted., source: amnesty-2023}\n---\nThe demand.\n";
    let built = Site::linked()
        .file("site.toml", BILINGUAL)
        .file("glossary/ar.toml", GLOSSARY)
        .file("content/demands/investigate.md", original)
        .file(
            "content/demands/investigate.ar.md",
            "---\ntitle: التحقيق\nhistory:\n  - {note: لم يتحقق بعد، ولا إصابات.}\n  - {note: لا تُعدّ الإصابات.}\n---\n",
        )
        .build();
    let text = built.diagnostics();
    assert_eq!(built.report().warnings(), 1, "{text}");
    assert!(
        text.contains("content/demands/investigate.ar.md:5:"),
        "{text}"
    );
}
