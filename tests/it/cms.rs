//! `dossier cms`: the editor's configuration matches the content model
//! field by field; regenerating is idempotent and keeps hand edits.

use std::path::Path;

use dossier::model::Collection;
use dossier::spec::{self, Field, Shape};
use serde_json::Value;

use crate::harness::{Site, copy_dir, repo, run_dossier};

fn cms(root: &Path, extra: &[&str]) -> (bool, String) {
    let args: Vec<&str> = std::iter::once("cms")
        .chain(extra.iter().copied())
        .collect();
    run_dossier(root, &args)
}

/// `dossier cms` run on a copy of the shipped dossier: the folder and the
/// configuration it wrote.
fn shipped_config() -> (tempfile::TempDir, Value) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&repo().join("content"), &root.join("content"));
    std::fs::copy(repo().join("site.toml"), root.join("site.toml")).unwrap();
    let (ok, stderr) = cms(root, &[]);
    assert!(ok, "{stderr}");
    let config = read_config(root);
    (dir, config)
}

fn read_config(root: &Path) -> Value {
    let text = std::fs::read_to_string(root.join("static/admin/config.yml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// Checks one form field against the model's field, nested groups included.
fn check_widget(widget: &Value, field: &Field, at: &str) {
    let at = format!("{at}.{}", field.name);
    assert_eq!(widget["name"], field.name, "{at}");
    assert_eq!(widget["required"], field.required, "{at}: required");
    assert_eq!(
        widget["hint"].as_str().map(|h| h.starts_with(field.help)),
        Some(true),
        "{at}: hint"
    );
    let kind = widget["widget"].as_str().unwrap_or("");
    match field.shape {
        Shape::Keyword(words) => {
            assert_eq!(kind, "select", "{at}");
            assert_eq!(widget["options"], serde_json::json!(words), "{at}: options");
        }
        Shape::Reference(target) | Shape::References(target, _) => {
            assert_eq!(kind, "relation", "{at}");
            assert_eq!(widget["collection"], target.name(), "{at}");
            assert_eq!(widget["value_field"], "{{slug}}", "{at}");
            let many = matches!(field.shape, Shape::References(..));
            assert_eq!(widget["multiple"], many, "{at}: multiple");
        }
        Shape::SourceRef => check_source_widget(widget, field.required, &at),
        Shape::SourceRefs => {
            assert_eq!(kind, "sources", "{at}");
            assert_eq!(widget["field"]["name"], "reference", "{at}");
            check_source_widget(&widget["field"], true, &at);
        }
        Shape::Date => {
            assert_eq!(kind, "string", "{at}");
            assert_eq!(widget["pattern"][0], spec::DATE_PATTERN, "{at}");
        }
        Shape::Day => {
            assert_eq!(kind, "string", "{at}");
            assert_eq!(widget["pattern"][0], spec::DAY_PATTERN, "{at}");
        }
        Shape::Object(inner) | Shape::Objects(inner) => {
            let expected = if matches!(field.shape, Shape::Object(_)) {
                "object"
            } else {
                "list"
            };
            assert_eq!(kind, expected, "{at}");
            let nested = widget["fields"].as_array().unwrap();
            assert_eq!(nested.len(), inner.len(), "{at}: every nested field");
            for (w, f) in nested.iter().zip(inner) {
                check_widget(w, f, &at);
            }
        }
        Shape::Count => {
            assert_eq!(kind, "count", "{at}");
            let kinds: Vec<&Value> = widget["fields"][0]["options"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| &o["value"])
                .collect();
            assert_eq!(
                serde_json::json!(kinds),
                serde_json::json!(dossier::model::CountKind::WORDS),
                "{at}: every kind of count"
            );
            for part in widget["fields"].as_array().unwrap() {
                assert_eq!(part["required"], false, "{at}: {part}");
            }
        }
        Shape::Bool => assert_eq!(kind, "boolean", "{at}"),
        Shape::Number { .. } | Shape::WholeNumber => assert_eq!(kind, "number", "{at}"),
        Shape::Texts | Shape::Period => assert_eq!(kind, "list", "{at}"),
        Shape::File => assert_eq!(kind, "file", "{at}"),
        Shape::Text | Shape::Url | Shape::Sha256 => assert_eq!(kind, "string", "{at}"),
        Shape::Map => panic!("{at}: free maps have no form"),
    }
}

/// The string `key` of each object in the list `list`.
fn values_of<'a>(list: &'a Value, key: &str) -> Vec<&'a str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].as_str().unwrap())
        .collect()
}

/// A source reference: the source from the list of sources, then where in
/// it and its words, both optional.
fn check_source_widget(widget: &Value, required: bool, at: &str) {
    assert_eq!(widget["widget"], "source", "{at}");
    let parts = widget["fields"].as_array().unwrap();
    let names = values_of(&widget["fields"], "name");
    assert_eq!(names, ["source", "locator", "quote"], "{at}");
    assert_eq!(parts[0]["widget"], "relation", "{at}");
    assert_eq!(parts[0]["collection"], "sources", "{at}");
    assert_eq!(parts[0]["value_field"], "{{slug}}", "{at}");
    assert_eq!(parts[0]["multiple"], false, "{at}");
    assert_eq!(parts[0]["required"], required, "{at}: the source inside");
    assert_eq!(parts[1]["required"], false, "{at}");
    assert_eq!(parts[2]["required"], false, "{at}");
}

fn check_fields(form: &Value, collection: Option<Collection>, at: &str) {
    let form = form.as_array().unwrap();
    let model: Vec<&Field> = spec::all_fields(collection)
        .into_iter()
        .filter(|f| f.shape != Shape::Map)
        .collect();
    assert_eq!(
        form.len(),
        model.len() + 1,
        "{at}: every field and the text"
    );
    for (widget, field) in form.iter().zip(&model) {
        check_widget(widget, field, at);
    }
    assert_eq!(form.last().unwrap()["widget"], "markdown");
}

#[test]
fn the_shipped_dossiers_editor_matches_the_model_collection_by_collection_and_field_by_field() {
    let (dir, config) = shipped_config();
    let root = dir.path();
    assert_eq!(config["media_folder"], "content/files");
    let collections = config["collections"].as_array().unwrap();
    // Each collection, its translations into Arabic, and the pages.
    assert_eq!(collections.len(), Collection::ALL.len() * 2 + 1);
    for (form, collection) in collections.iter().zip(Collection::ALL) {
        assert_eq!(form["name"], collection.name());
        assert_eq!(form["folder"], format!("content/{collection}"));
        check_fields(&form["fields"], Some(collection), collection.name());
    }
    let pages = collections.last().unwrap();
    let files = values_of(&pages["files"], "file");
    for page in [
        "content/_index.md",
        "content/about.md",
        "content/guide.md",
        "content/methodology.md",
    ] {
        assert!(files.contains(&page), "{page} in {files:?}");
    }
    for file in pages["files"].as_array().unwrap() {
        // Translations have a form of their own, checked below.
        if !file["file"].as_str().unwrap().ends_with(".ar.md") {
            check_fields(&file["fields"], None, file["name"].as_str().unwrap());
        }
    }
    let index = std::fs::read_to_string(root.join("static/admin/index.html")).unwrap();
    assert!(index.contains(&format!(
        "<script src=\"{}\">",
        dossier::config::DEFAULT_CMS_SCRIPT
    )));
    // The editor's own widgets come after the CMS, which they register with.
    let cms_at = index.find(dossier::config::DEFAULT_CMS_SCRIPT).unwrap();
    let widgets_at = index.find("<script src=\"dossier.js\">").unwrap();
    assert!(cms_at < widgets_at, "{index}");
    let script = std::fs::read_to_string(root.join("static/admin/dossier.js")).unwrap();
    assert!(dossier::cms::is_as_generated(&script));
    assert!(script.contains("var LANGUAGES = [\"ar\"];"), "{script}");
    assert!(script.contains("registerWidget({ name: name"), "{script}");
    assert!(script.contains("registerWidget('sources'"), "{script}");
}

#[test]
fn regenerating_is_idempotent_and_keeps_a_hand_edited_file_unless_forced() {
    let site = Site::linked();
    let root = site.root();
    assert!(cms(root, &[]).0);
    let config = root.join("static/admin/config.yml");
    let first = std::fs::read(&config).unwrap();
    let (ok, stderr) = cms(root, &[]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("unchanged"), "{stderr}");
    assert_eq!(std::fs::read(&config).unwrap(), first);

    // A change in site.toml reaches a file nobody edited.
    let toml = std::fs::read_to_string(root.join("site.toml")).unwrap();
    std::fs::write(
        root.join("site.toml"),
        format!("{toml}[cms]\nscript = \"/vendor/cms.js\"\n"),
    )
    .unwrap();
    assert!(cms(root, &[]).0);
    let index = std::fs::read_to_string(root.join("static/admin/index.html")).unwrap();
    assert!(index.contains("<script src=\"/vendor/cms.js\">"), "{index}");

    // A hand edit is kept, with a message naming the file and --force.
    let edited = format!("{}\n# my own note\n", String::from_utf8(first).unwrap());
    std::fs::write(&config, &edited).unwrap();
    let (ok, stderr) = cms(root, &[]);
    assert!(!ok);
    assert!(
        stderr.contains("config.yml") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&config).unwrap(), edited);
    let (ok, stderr) = cms(root, &["--force"]);
    assert!(ok, "{stderr}");
    assert!(
        !std::fs::read_to_string(&config)
            .unwrap()
            .contains("my own note")
    );
}

#[test]
fn only_the_editor_page_loads_the_cms_script() {
    let site = Site::linked();
    assert!(cms(site.root(), &[]).0);
    let built = site.build().clean();
    let script = dossier::config::DEFAULT_CMS_SCRIPT;
    assert!(built.page("admin/index.html").contains(script));
    assert!(built.exists("admin/config.yml"));
    for (path, bytes) in crate::harness::snapshot(&built.output) {
        if path != "admin/index.html" && path.ends_with(".html") {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("decap")
                    && !String::from_utf8_lossy(&bytes).contains("dossier.js\""),
                "{path} refers to the CMS"
            );
        }
    }
}

/// Decap 3 under `i18n: multiple_files` lists only `slug.en.md` for the
/// default language, so with it the editor saw none of the shipped
/// documents and wrote files the build does not read.
#[test]
fn the_editor_has_no_i18n_so_decap_reads_and_writes_slug_md() {
    let (dir, config) = shipped_config();
    let text = std::fs::read_to_string(dir.path().join("static/admin/config.yml")).unwrap();
    assert!(!text.contains("i18n"), "{text}");
    let language_codes = ["-ar", "-en"];
    for form in config["collections"].as_array().unwrap() {
        let name = form["name"].as_str().unwrap();
        if form.get("folder").is_some() && !language_codes.iter().any(|c| name.ends_with(c)) {
            assert_eq!(form["extension"], "md", "{name}");
            assert_eq!(form["slug"], "{{slug}}");
        }
    }
}

/// Translations have a collection per collection and language, holding the
/// folder's `slug.LANG.md` files with the fields a translation may write,
/// and the free pages' translations are files of the pages collection.
#[test]
fn translations_are_edited_in_collections_of_their_own_with_their_text_fields() {
    let (_dir, config) = shipped_config();
    let collections = config["collections"].as_array().unwrap();
    let text = &dossier::model::TEXT_FIELDS;
    for collection in Collection::ALL {
        let name = format!("{}-ar", collection.name());
        let form = collections
            .iter()
            .find(|c| c["name"] == name.as_str())
            .unwrap_or_else(|| panic!("no collection {name}"));
        assert_eq!(form["folder"], format!("content/{collection}"));
        assert_eq!(form["extension"], "ar.md", "{name}");
        assert_eq!(form["create"], false, "{name}");
        let fields = form["fields"].as_array().unwrap();
        assert_eq!(fields.last().unwrap()["name"], "body");
        for field in fields {
            let field_name = field["name"].as_str().unwrap();
            assert_eq!(field["required"], false, "{name}.{field_name}");
            if let Some((_, inner)) = text.nested.iter().find(|(n, _)| *n == field_name) {
                let names = values_of(&field["fields"], "name");
                assert_eq!(names.as_slice(), *inner, "{name}.{field_name}");
            } else {
                assert!(
                    text.top.contains(&field_name) || ["translated", "body"].contains(&field_name),
                    "{name}: {field_name} is no text a translation writes"
                );
            }
        }
        // Every text field the collection has is offered.
        for top in text.top {
            if spec::all_fields(Some(collection))
                .iter()
                .any(|f| f.name == *top)
            {
                assert!(
                    fields.iter().any(|f| f["name"] == *top),
                    "{name} lacks {top}"
                );
            }
        }
    }
    let pages = collections.last().unwrap()["files"].as_array().unwrap();
    let about = pages
        .iter()
        .find(|p| p["file"] == "content/about.ar.md")
        .expect("the About page's translation");
    assert_eq!(about["name"], "about-ar");
}

/// Decap made `min` and `max` of every count required, so an incident with
/// no injured or detained could not be saved.
#[test]
fn the_parts_of_a_count_are_optional_so_absent_counts_can_be_saved() {
    let (_dir, config) = shipped_config();
    let incidents = &config["collections"].as_array().unwrap()[Collection::ALL
        .iter()
        .position(|&c| c == Collection::Incidents)
        .unwrap()];
    let casualties = incidents["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "casualties")
        .unwrap();
    for count in casualties["fields"].as_array().unwrap() {
        for end in count["fields"].as_array().unwrap() {
            assert_eq!(end["required"], false, "{end}");
        }
    }
}
