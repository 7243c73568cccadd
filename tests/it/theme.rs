//! What the theme shows comes from the model: lists group by the model's
//! own words, so a word the model gains needs no template edit.

use dossier::model::{ActorKind, DemandKind, SourceKind, Status};

use crate::harness::{Site, copy_dir, repo};

/// Whether every one of `needles` is in `page`, each after the one before;
/// the error names the first that is not.
fn in_order(page: &str, needles: &[String]) -> Result<(), String> {
    let mut from = 0;
    for needle in needles {
        match page[from..].find(needle.as_str()) {
            Some(i) => from += i + needle.len(),
            None => return Err(format!("`{needle}` is missing or out of order")),
        }
    }
    Ok(())
}

/// Builds one document of `collection` per word of `words` (its `kind`)
/// and checks that the collection's list has a group for each word, in
/// the model's order, holding that document.
fn check_groups_by_kind(collection: &str, words: &[&str], more: &str) {
    let mut site = Site::new();
    for kind in words {
        site = site.file(
            &format!("content/{collection}/k-{kind}.md"),
            &format!("---\ntitle: Kind {kind}\nkind: {kind}\n{more}---\n"),
        );
    }
    let built = site.build().clean();
    let page = built.page(&format!("{collection}/index.html"));
    let groups: Vec<String> = words
        .iter()
        .flat_map(|kind| {
            [
                format!("<h2 id=\"{kind}\">"),
                format!("{collection}/k-{kind}/index.html"),
            ]
        })
        .collect();
    in_order(&page, &groups).unwrap_or_else(|e| panic!("{e}:\n{page}"));
}

#[test]
fn the_actors_list_has_a_group_for_every_kind_of_the_model_in_its_order() {
    check_groups_by_kind("actors", ActorKind::WORDS, "");
}

#[test]
fn the_sources_list_has_a_group_for_every_kind_of_the_model_in_its_order() {
    check_groups_by_kind("sources", SourceKind::WORDS, "perspective: P.\n");
}

#[test]
fn the_demands_list_and_dashboard_cover_every_kind_and_status_of_the_model() {
    let mut site = Site::new();
    for kind in DemandKind::WORDS {
        for status in Status::WORDS {
            site = site.file(
                &format!("content/demands/{kind}-{status}.md"),
                &format!(
                    "---\ntitle: Demand {kind} {status}\nkind: {kind}\nstatus: {status}\n---\n"
                ),
            );
        }
    }
    let built = site.build().clean();
    let list = built.page("demands/index.html");
    let groups: Vec<String> = DemandKind::WORDS
        .iter()
        .flat_map(|kind| {
            Status::WORDS
                .iter()
                .map(move |status| format!("id=\"{kind}-{status}\""))
        })
        .collect();
    in_order(&list, &groups).unwrap_or_else(|e| panic!("{e}:\n{list}"));
    let home = built.page("index.html");
    let totals: Vec<String> = Status::WORDS
        .iter()
        .map(|status| format!("status-total-{status}"))
        .collect();
    in_order(&home, &totals).unwrap_or_else(|e| panic!("{e}:\n{home}"));
}

/// `Site::linked()` using the plain theme of the test fixtures.
fn with_plain_theme() -> Site {
    let site = Site::linked()
        .file(
            "site.toml",
            &format!("theme = \"plain\"\n{}", crate::harness::SITE_TOML),
        )
        .file("content/about.md", "---\ntitle: About\n---\nWho we are.\n");
    copy_dir(
        &repo().join("tests/fixtures/themes/plain"),
        &site.root().join("themes/plain"),
    );
    site
}

#[test]
fn a_plain_theme_renders_every_page_type_from_the_documented_context() {
    let built = with_plain_theme().build().clean();
    let mut pages = vec![
        ("index.html", "home".to_string()),
        ("about/index.html", "page".to_string()),
        ("demands/investigate/index.html", "demands".to_string()),
        ("incidents/haditha-2005/index.html", "incidents".to_string()),
        ("actors/amnesty/index.html", "actors".to_string()),
        ("sources/amnesty-2023/index.html", "sources".to_string()),
        ("figures/deaths/index.html", "figures".to_string()),
        ("tags/index.html", "terms-tags".to_string()),
        ("tags/unlawful-killing/index.html", "term-tags".to_string()),
        ("places/index.html", "terms-places".to_string()),
        ("places/anbar/index.html", "term-places".to_string()),
        ("timeline/index.html", "timeline".to_string()),
        ("print/index.html", "print".to_string()),
        ("404.html", "not-found".to_string()),
    ];
    let lists: Vec<String> = dossier::model::Collection::ALL
        .iter()
        .map(|c| format!("{}/index.html", c.name()))
        .collect();
    for (list, collection) in lists.iter().zip(dossier::model::Collection::ALL) {
        pages.push((list, format!("list-{}", collection.name())));
    }
    for (path, kind) in &pages {
        let page = built.page(path);
        assert!(
            page.contains(&format!("<main data-page=\"{kind}\">")),
            "{path} is not the plain theme's `{kind}` page:\n{page}"
        );
        assert!(page.contains("<body class=\"plain\">"), "{path}:\n{page}");
    }
    // The engine's backlink groups reach the plain theme as well.
    let actor = built.page("actors/us-marine-corps/index.html");
    assert!(
        actor.contains("data-key=\"incidents_perpetrators\""),
        "{actor}"
    );
    assert!(actor.contains("data-key=\"demands_addressees\""), "{actor}");
}

#[test]
fn a_site_template_overrides_one_file_of_the_plain_theme() {
    let built = with_plain_theme()
        .file(
            "templates/actor.html",
            "{% extends \"document.html\" %}{% block facts %}<p class=\"mine\">{{ page.kind }}</p>{% endblock facts %}",
        )
        .build()
        .clean();
    let actor = built.page("actors/amnesty/index.html");
    assert!(actor.contains("<p class=\"mine\">ngo</p>"), "{actor}");
    // The rest is still the theme's.
    let incident = built.page("incidents/haditha-2005/index.html");
    assert!(
        incident.contains("<main data-page=\"incidents\">"),
        "{incident}"
    );
}

/// A theme that extends the default one and overrides only the actor page.
fn with_extending_theme() -> Site {
    Site::linked()
        .file(
            "site.toml",
            &format!("theme = \"restyled\"\n{}", crate::harness::SITE_TOML),
        )
        .file("themes/restyled/theme.toml", "extends = \"default\"\n")
        .file(
            "themes/restyled/templates/actor.html",
            "{% extends \"base.html\" %}{% block main %}<p class=\"restyled\">{{ page.title }}</p>{% endblock main %}",
        )
}

#[test]
fn a_theme_that_extends_the_default_overrides_one_template_and_inherits_the_rest() {
    let built = with_extending_theme().build().clean();
    let actor = built.page("actors/amnesty/index.html");
    assert!(
        actor.contains("<p class=\"restyled\">Amnesty International</p>"),
        "{actor}"
    );
    // Everything else is the default theme's, byte for byte.
    let default = Site::linked().build().clean();
    for path in [
        "incidents/haditha-2005/index.html",
        "actors/index.html",
        "style.css",
    ] {
        assert_eq!(built.page(path), default.page(path), "{path}");
    }
}

/// The default theme's document pages share `document.html`: a theme that
/// replaces it alone restyles all five kinds, and each kind still fills
/// its own blocks in it.
#[test]
fn a_theme_that_replaces_the_document_layout_restyles_every_document_page() {
    let built = Site::linked()
        .file(
            "site.toml",
            &format!("theme = \"restyled\"\n{}", crate::harness::SITE_TOML),
        )
        .file("themes/restyled/theme.toml", "extends = \"default\"\n")
        .file(
            "themes/restyled/templates/document.html",
            &format!(
                "{{% extends \"base.html\" %}}{{% block main %}}<div class=\"restyled\">{{{{ page.title }}}} | {{% block kicker %}}{{% endblock kicker %}}</div>{}{{% endblock main %}}",
                // Tera refuses a block no parent defines: the layout
                // defines every block the kinds fill, if only empty.
                [
                    "doc_kind", "collection_word", "status", "head_end", "before_grid",
                    "grid_class", "facts", "facts_list", "facts_extra", "body", "sections",
                    "backlinks",
                ]
                .map(|b| format!("{{% block {b} %}}{{% endblock {b} %}}"))
                .concat()
            ),
        )
        .build()
        .clean();
    // Each kind's title and kicker, as the default layout shows them.
    let default = Site::linked().build().clean();
    let between = |text: &str, start: &str, end: &str| -> String {
        let from = text
            .find(start)
            .unwrap_or_else(|| panic!("no {start} in {text}"))
            + start.len();
        let len = text[from..].find(end).unwrap_or(text.len() - from);
        text[from..from + len].to_string()
    };
    for path in [
        "demands/investigate/index.html",
        "incidents/haditha-2005/index.html",
        "actors/amnesty/index.html",
        "sources/amnesty-2023/index.html",
        "figures/deaths/index.html",
    ] {
        let original = default.page(path);
        let title = between(&original, "<h1>", "</h1>");
        let kicker = between(&original, "<p class=\"kicker\">", "</p>");
        let kicker = between(&kicker, "</a> · ", "\u{0}");
        let page = built.page(path);
        let shown = between(&page, "<div class=\"restyled\">", "</div>");
        assert_eq!(shown, format!("{title} | {kicker}"), "{path}");
        assert!(
            !page.contains("doc-facts"),
            "{path} kept the default layout"
        );
    }
    let list = built.page("actors/index.html");
    assert!(!list.contains("restyled"), "{list}");
}

#[test]
fn a_site_template_overrides_one_file_of_a_theme_that_extends_another() {
    let built = with_extending_theme()
        .file(
            "templates/source.html",
            "{% extends \"base.html\" %}{% block main %}<p class=\"site-own\">{{ page.title }}</p>{% endblock main %}",
        )
        .build()
        .clean();
    let source = built.page("sources/amnesty-2023/index.html");
    assert!(source.contains("<p class=\"site-own\">"), "{source}");
    let actor = built.page("actors/amnesty/index.html");
    assert!(actor.contains("<p class=\"restyled\">"), "{actor}");
}

#[test]
fn a_theme_that_extends_a_missing_theme_is_an_error_naming_its_settings() {
    Site::linked()
        .file(
            "site.toml",
            &format!("theme = \"restyled\"\n{}", crate::harness::SITE_TOML),
        )
        .file("themes/restyled/theme.toml", "extends = \"nowhere\"\n")
        .build()
        .fails()
        .has(&["the theme `nowhere` that `themes/restyled/theme.toml` extends is not in `themes/`"])
        // Without the theme it extends, it lacks the templates it inherits.
        .has(&["the theme `restyled` has no template `home.html`"])
        .has(&["has no template"]);
}
