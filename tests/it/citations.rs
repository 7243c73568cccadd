//! Citations in bodies: numbered notes, located errors for unknown keys,
//! code as text, editorial paragraphs.

use crate::harness::{Site, golden};

/// A site whose incident cites its sources in every form the syntax has.
fn cited() -> Site {
    Site::linked()
        .file(
            "content/sources/un-2007.md",
            "---\ntitle: UNAMI human rights report\nkind: un-report\nurl: https://example.org/unami\narchive: {url: https://archive.example.org/unami}\nperspective: The UN mission.\n---\n",
        )
        .file(
            "content/incidents/cited.md",
            "---\ntitle: Cited incident\ndate: 2006\nsources: [un-2007]\n---\nTwenty-four people were killed [@un-2007, para. 6].\nTwo reports agree [@un-2007, p. 3; -@amnesty-2023].\n\nAs @un-2007 [item 2] puts it, and `[@not-a-citation]` is code.\n\n```\n[@also-code]\n```\n\nThe sources disagree on who fired first. {.editorial}\n",
        )
}

/// The part of a page from the body to the end of the article.
fn body_and_notes(page: &str) -> String {
    let start = page.find("<div class=\"prose\">").expect("a body");
    let end = page[start..].find("</article>").expect("an article") + start;
    page[start..end].to_string()
}

#[test]
fn citations_render_as_numbered_notes_with_locators_and_copies() {
    let built = cited().build().clean();
    let page = built.page("incidents/cited/index.html");
    golden("citation-notes.html", &body_and_notes(&page));
    // Every note reference resolves to a note, and every note back to it.
    for n in 1..=3 {
        assert!(page.contains(&format!("href=\"#note-{n}\"")), "{page}");
        assert!(page.contains(&format!("<li id=\"note-{n}\">")), "{page}");
        assert!(page.contains(&format!("id=\"note-ref-{n}\"")), "{page}");
        assert!(page.contains(&format!("href=\"#note-ref-{n}\"")), "{page}");
    }
    assert!(!page.contains("note-4"), "{page}");
}

#[test]
fn code_spans_and_blocks_are_text_not_citations() {
    let built = cited().build().clean();
    let page = built.page("incidents/cited/index.html");
    assert!(page.contains("<code>[@not-a-citation]</code>"), "{page}");
    assert!(page.contains("[@also-code]"), "{page}");
}

#[test]
fn an_editorial_paragraph_is_labelled_and_the_marker_is_not_printed() {
    let built = cited().build().clean();
    let page = built.page("incidents/cited/index.html");
    assert!(
        page.contains("<p class=\"editorial\"><span class=\"editorial-label\">Editorial note:</span> The sources disagree"),
        "{page}"
    );
    assert!(!page.contains("{.editorial}"), "{page}");
}

#[test]
fn every_unknown_citation_key_is_reported_at_its_line_and_column() {
    let built = Site::linked()
        .file(
            "content/incidents/planted.md",
            "---\ntitle: Planted\ndate: 2006\nsources: [amnesty-2023]\n---\nFirst [@amnesty-2032, para. 1].\n\nThen [@amnesty-2023; @zzz-unrelated-key].\n",
        )
        .file(
            // A document whose fields are wrong still has its citations checked.
            "content/demands/broken.md",
            "---\ntitle: Broken\nkind: nope\nstatus: unmet\n---\nSee @amnesty-203.\n",
        )
        .build()
        .fails();
    let built = built
        .has(&[
            "content/incidents/planted.md:6:9",
            "unknown source `amnesty-2032` in a citation",
            "did you mean `@amnesty-2023`?",
        ])
        .has(&[
            "content/incidents/planted.md:8:23",
            "unknown source `zzz-unrelated-key`",
        ])
        .has(&[
            "content/demands/broken.md:6:6",
            "unknown source `amnesty-203`",
        ])
        .has(&[
            "content/demands/broken.md:3:7",
            "unknown value `nope` in `kind`",
        ]);
    let text = built.diagnostics();
    let unrelated = &text[text.find("zzz-unrelated-key").unwrap()..];
    let unrelated = &unrelated[..unrelated.find("\n\n").unwrap_or(unrelated.len())];
    assert!(!unrelated.contains("did you mean"), "{unrelated}");
}

#[test]
fn the_print_page_keeps_note_ids_apart_for_each_document() {
    let built = cited()
        .file(
            "content/incidents/other.md",
            "---\ntitle: Other\ndate: 2007\nsources: [un-2007]\n---\nAlso [@un-2007].\n",
        )
        .build()
        .clean();
    let print = built.page("print/index.html");
    assert!(print.contains("id=\"incident-cited-note-1\""), "{print}");
    assert!(print.contains("id=\"incident-other-note-1\""), "{print}");
    assert!(
        print.contains("href=\"#incident-other-note-ref-1\""),
        "{print}"
    );
}

/// Incident, demand and figure bodies: cited, editorial and uncited
/// paragraphs. Free pages and sources are not counted.
fn partly_cited() -> Site {
    Site::linked()
        .file(
            "site.toml",
            "title = \"Test dossier\"\n[check]\nsources_without_copy = \"off\"\n",
        )
        .file(
            "content/incidents/partly.md",
            "---\ntitle: Partly cited\ndate: 2006\nsources: [amnesty-2023]\n---\nCited [@amnesty-2023].\n\nNot cited at all.\n\nOurs. {.editorial}\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\n---\nA free page needs no citation.\n",
        )
}

#[test]
fn each_uncited_paragraph_of_a_claim_is_a_warning_and_is_counted() {
    let built = partly_cited().build();
    let built = built.has(&[
        "content/incidents/partly.md:8:1",
        "warning: this paragraph cites no source",
        "{.editorial}",
    ]);
    let report = built.report();
    assert!(report.succeeded());
    // Site::linked has two uncited bodies (the incident and the demand).
    assert_eq!(report.warnings(), 3, "{}", built.diagnostics());
    assert_eq!(
        report.sourcing.to_string(),
        "5 paragraphs, 1 cited, 1 editorial, 3 uncited"
    );
}

#[test]
fn the_paragraph_warning_can_be_turned_off_and_the_tally_remains() {
    let built = partly_cited()
        .file(
            "site.toml",
            "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n",
        )
        .build()
        .clean();
    assert_eq!(built.report().sourcing.paragraphs, 5);
    assert_eq!(built.report().sourcing.cited, 1);
}

#[test]
fn a_source_shows_the_copy_read_and_warns_when_readers_cannot_check_it() {
    let built = Site::linked()
        .file("site.toml", "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\n")
        .file(
            "content/sources/newsletter.md",
            "---\ntitle: A newsletter\nkind: advocacy\nperspective: A campaign.\naccessed: 2024-05-02\nlanguage: en\ncopy: machine translation of the original\nvia: amnesty-2023\n---\n",
        )
        .file(
            "content/sources/unlinked.md",
            "---\ntitle: Unlinked\nkind: press\nperspective: A paper.\nvia: amnesty-2033\n---\n",
        )
        .build()
        .fails();
    let built = built
        .has(&[
            "content/sources/unlinked.md:2:1",
            "neither a `url` nor an `archive`",
        ])
        .has(&[
            "unknown source `amnesty-2033` in `via`",
            "did you mean `amnesty-2023`?",
        ]);
    let text = built.diagnostics();
    assert!(!text.contains("content/sources/newsletter.md"), "{text}");
    // Site::linked's own source has no address either.
    assert!(text.contains("content/sources/amnesty-2023.md"), "{text}");

    let built = Site::linked()
        .file(
            "content/sources/newsletter.md",
            "---\ntitle: A newsletter\nkind: advocacy\nperspective: A campaign.\naccessed: 2024-05-02\nlanguage: en\ncopy: machine translation of the original\nvia: amnesty-2023\n---\n",
        )
        .file("site.toml", "title = \"Test dossier\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n")
        .build()
        .clean();
    let page = built.page("sources/newsletter/index.html");
    assert!(
        page.contains("<dt>Copy read</dt><dd><bdi>machine translation of the original</bdi></dd>"),
        "{page}"
    );
    assert!(
        page.contains("<time datetime=\"2024-05-02\">2 May 2024</time>"),
        "{page}"
    );
    assert!(page.contains("Reached the editors through"), "{page}");
    assert!(page.contains("Twenty years on"), "{page}");
}
