//! What a successful build publishes: one page per document, lists and
//! taxonomies, relative links, backlinks.

use crate::harness::{Site, golden};

#[test]
fn publishes_a_page_per_document_and_the_lists() {
    let built = Site::linked().build().clean();
    for page in [
        "index.html",
        "incidents/haditha-2005/index.html",
        "demands/investigate/index.html",
        "actors/us-marine-corps/index.html",
        "sources/amnesty-2023/index.html",
        "figures/deaths/index.html",
        "incidents/index.html",
        "demands/index.html",
        "actors/index.html",
        "sources/index.html",
        "figures/index.html",
        "tags/index.html",
        "tags/unlawful-killing/index.html",
        "places/anbar/index.html",
        "timeline/index.html",
        "print/index.html",
        "search/index.html",
        "404.html",
        "style.css",
        ".dossier-output",
    ] {
        assert!(built.exists(page), "{page} was not published");
    }
    // Documents, collection lists, tag and place pages, timeline, print
    // (one page: the site is smaller than a print part), search, map,
    // corrections, data, 404.
    assert!(!built.exists("print/incidents/index.html"));
    assert_eq!(
        built.report().pages,
        6 + 5 + 4 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1
    );
}

#[test]
fn links_are_relative_and_point_at_index_files() {
    let built = Site::linked().build().clean();
    let incident = built.page("incidents/haditha-2005/index.html");
    assert!(incident.contains(r#"href="../../style.css""#));
    assert!(incident.contains(r#"href="../../actors/us-marine-corps/index.html""#));
    // The body link written as @/demands/investigate.md.
    assert!(
        incident.contains(r#"<a href="../../demands/investigate/index.html">the demand</a>"#),
        "{incident}"
    );
    let home = built.page("index.html");
    assert!(
        home.contains(r#"href="incidents/haditha-2005/index.html""#),
        "{home}"
    );
    for (path, bytes) in crate::harness::snapshot(&built.output) {
        if !path.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("href=\"/"),
            "{path} has a root-relative link"
        );
        assert!(!text.contains("@/"), "{path} has an unresolved @/ link");
    }
}

#[test]
fn backlinks_are_grouped_by_collection_and_field() {
    let built = Site::linked().build().clean();
    let actor = built.page("actors/us-marine-corps/index.html");
    // Each group is named by the role the field gives the actor.
    assert!(actor.contains("Perpetrator in these incidents"), "{actor}");
    assert!(actor.contains("Addressee of these demands"), "{actor}");
    let source = built.page("sources/amnesty-2023/index.html");
    for claim in [
        "Haditha killings",
        "Investigate unlawful killings",
        "Iraqi deaths",
    ] {
        assert!(
            source.contains(claim),
            "the source page does not list {claim}"
        );
    }
}

#[test]
fn demands_and_incidents_list_each_other_whichever_side_wrote_the_link() {
    // Only the incident names the demand.
    let built = Site::linked()
        .file(
            "content/demands/investigate.md",
            "---\ntitle: Investigate unlawful killings\nkind: investigation\nstatus: unmet\n---\n",
        )
        .file(
            "content/incidents/haditha-2005.md",
            "---\ntitle: Haditha killings\ndate: 2005-11-19\nsources: [amnesty-2023]\ndemands: [investigate]\n---\n",
        )
        .build()
        .clean();
    let demand = built.page("demands/investigate/index.html");
    assert!(
        demand.contains("../../incidents/haditha-2005/index.html"),
        "{demand}"
    );
    let incident = built.page("incidents/haditha-2005/index.html");
    assert!(
        incident.contains("../../demands/investigate/index.html"),
        "{incident}"
    );
}

#[test]
fn partial_dates_keep_their_precision_and_unknown_perpetrators_show_as_not_known() {
    let built = Site::linked()
        .file(
            "content/incidents/wedding.md",
            "---\ntitle: Wedding party\ndate: 2004-05\nperpetrators: [unknown]\ncasualties: {killed: {min: 40, max: 45}}\nsources: [amnesty-2023]\n---\n",
        )
        .build()
        .clean();
    let page = built.page("incidents/wedding/index.html");
    assert!(page.contains("May 2004"), "{page}");
    assert!(page.contains("not known"), "{page}");
    assert!(page.contains("40–45"), "{page}");
}

#[test]
fn markdown_extensions_are_rendered() {
    let built = Site::linked()
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n## Why {#why}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"new\"[^1]\n\n[^1]: A note.\n\n---\n\nAfter a rule.\n",
        )
        .build()
        .clean();
    let page = built.page("about/index.html");
    assert!(page.contains(r#"<h2 id="why">"#));
    assert!(page.contains("<table>"));
    assert!(page.contains("<del>old</del>"));
    assert!(page.contains("“new”"));
    assert!(page.contains("footnote-definition"));
    assert!(
        page.contains("After a rule."),
        "a later --- must not swallow the body"
    );
}

#[test]
fn translations_are_published_under_their_language() {
    let built = Site::linked()
        .file(
            "site.toml",
            "title = \"Test dossier\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n",
        )
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\ndate: 2005-11-19\nsources: [amnesty-2023]\n---\nنص.\n",
        )
        .build()
        .clean();
    let page = built.page("ar/incidents/haditha-2005/index.html");
    assert!(page.contains(r#"<html lang="ar" dir="rtl">"#), "{page}");
    assert!(page.contains("مجزرة حديثة"));
    assert!(page.contains(r#"href="../../../style.css""#));
    assert!(built.exists("ar/index.html"));
    assert!(built.exists("ar/incidents/index.html"));
}

#[test]
fn translated_tag_and_place_pages_are_linked_from_pages_of_their_language() {
    let built = Site::linked()
        .file(
            "site.toml",
            "title = \"Test dossier\"\n[languages.ar]\nname = \"العربية\"\ndirection = \"rtl\"\ntitle = \"ملف الاختبار\"\n[check]\nuncited_paragraphs = \"off\"\nsources_without_copy = \"off\"\n",
        )
        .file(
            "content/incidents/haditha-2005.ar.md",
            "---\ntitle: مجزرة حديثة\ndate: 2005-11-19\nplace: {name: حديثة, governorate: Anbar}\nsources: [amnesty-2023]\ntags: [unlawful killing]\n---\nنص.\n",
        )
        .build()
        .clean();
    assert!(built.exists("ar/tags/unlawful-killing/index.html"));
    assert!(built.exists("ar/places/anbar/index.html"));
    let page = built.page("ar/incidents/haditha-2005/index.html");
    for href in [
        "../../../ar/places/anbar/index.html",
        "../../../ar/tags/unlawful-killing/index.html",
    ] {
        assert!(
            page.contains(&format!("href=\"{href}\"")),
            "no link to {href} in {page}"
        );
    }
    assert!(!page.contains("href=\"../../../places/"), "{page}");
    let tags = built.page("ar/tags/index.html");
    assert!(
        tags.contains("href=\"../../ar/tags/unlawful-killing/index.html\""),
        "{tags}"
    );
    let places = built.page("ar/places/index.html");
    assert!(
        places.contains("href=\"../../ar/places/anbar/index.html\""),
        "{places}"
    );
    // The English pages keep their own.
    let english = built.page("incidents/haditha-2005/index.html");
    assert!(english.contains("href=\"../../tags/unlawful-killing/index.html\""));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::linked().file(
        "content/incidents/draft.md",
        "---\ntitle: Unfinished\ndate: 2006\ndraft: true\nsources: [amnesty-2023]\n---\n",
    );
    let built = site.build().clean();
    assert!(!built.exists("incidents/draft/index.html"));
    let built = site.build_with(|o| o.drafts = true).clean();
    assert!(built.exists("incidents/draft/index.html"));
}

#[test]
fn site_templates_override_the_theme() {
    let built = Site::linked()
        .file(
            "templates/page.html",
            "<!DOCTYPE html><title>x</title><p>custom {{ page.title }}</p>\n",
        )
        .file("content/about.md", "---\ntitle: About\n---\n")
        .build()
        .clean();
    assert!(built.page("about/index.html").contains("custom About"));
}

#[test]
fn non_markdown_files_in_content_are_copied() {
    let built = Site::linked()
        .bytes("content/files/report.pdf", b"%PDF-1.4")
        .build()
        .clean();
    assert_eq!(
        std::fs::read(built.output.join("files/report.pdf")).unwrap(),
        b"%PDF-1.4"
    );
}

#[test]
fn archived_copies_are_checked_against_their_hash() {
    const PDF_SHA256: &str = "e16fa5d9b51928755db85b917f0297babaf22c7a47e97d9212adab56e61ba04e";
    let source = |hash: &str| {
        format!(
            "---\ntitle: Report\nkind: ngo-report\nperspective: An NGO.\narchive: {{file: files/report.pdf, sha256: {hash}}}\n---\n"
        )
    };
    let site = Site::linked().bytes("content/files/report.pdf", b"%PDF-1.4");
    let site = site.file("content/sources/report.md", &source(PDF_SHA256));
    site.build().clean();
    let wrong = "0".repeat(64);
    site.file("content/sources/report.md", &source(&wrong))
        .build()
        .fails()
        .has(&[
            "does not match its `sha256`",
            PDF_SHA256,
            "content/sources/report.md:5:",
        ]);
}

#[test]
fn rendered_incident_page_matches_golden() {
    let built = Site::linked().build().clean();
    golden(
        "incident.html",
        &built.page("incidents/haditha-2005/index.html"),
    );
}

#[test]
fn a_site_without_a_themes_folder_uses_the_built_in_default_theme() {
    let site = Site::linked();
    std::fs::remove_dir_all(site.root().join("themes")).unwrap();
    let built = site.build().clean();
    assert!(built.exists("style.css"));
    assert!(
        built
            .page("incidents/haditha-2005/index.html")
            .contains("Haditha killings")
    );
    // A theme that is neither on disk nor built in is an error.
    site.file("site.toml", "title = \"T\"\ntheme = \"missing\"\n")
        .build()
        .fails()
        .has(&["the theme `missing` is not in `themes/`"])
        // Each template the plan needs is then reported missing too.
        .has(&["has no template"]);
}

#[test]
fn a_site_template_that_includes_another_existing_template_is_accepted() {
    let built = Site::linked()
        .file("templates/note.html", "<p class=\"note\">{{ page.title }}</p>\n")
        .file(
            "templates/actor.html",
            "{% extends \"base.html\" %}{% block main %}{% include \"note.html\" %}{% endblock main %}",
        )
        .build()
        .clean();
    assert!(
        built
            .page("actors/amnesty/index.html")
            .contains("<p class=\"note\">Amnesty International</p>")
    );
}
