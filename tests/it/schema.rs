//! `dossier schema`: the schemas accept every shipped document and reject
//! each kind of field mistake the build reports, so the two agree.

use std::path::Path;

use dossier::model::Collection;
use dossier::schema;
use serde_json::Value;

use crate::harness::{Site, repo};

fn validator(
    collection: Option<Collection>,
    slugs: Option<&schema::Slugs>,
) -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema::schema(collection, slugs)).expect("a valid schema")
}

/// The front matter of a document as JSON, read the way an editor's YAML
/// tools read it.
fn front_matter(path: &Path, text: &str) -> Value {
    let parts = dossier::front_matter::split(path, text).unwrap();
    let value: Value = serde_yaml::from_str(&text[parts.yaml]).unwrap();
    if value.is_null() {
        Value::Object(Default::default())
    } else {
        value
    }
}

/// Which schema a file under `content/` is checked against.
fn collection_of(relative: &Path) -> Option<Collection> {
    let first = relative.components().nth(1)?.as_os_str().to_str()?;
    relative
        .components()
        .count()
        .gt(&2)
        .then(|| Collection::from_name(first))
        .flatten()
}

/// `slug.LANG.md`: a translation beside its original.
fn is_translation(path: &std::path::Path) -> bool {
    path.file_stem()
        .and_then(|stem| stem.to_str())
        .is_some_and(|stem| stem.contains('.'))
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_shipped_document_validates_against_its_collection_schema() {
    let root = repo();
    let site = dossier::site::Site::load(&root, true).unwrap().unwrap();
    let slugs = schema::slugs_of(&site.graph);
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let relative = entry.path().strip_prefix(&root).unwrap();
        // A translation carries only text and inherits its original's
        // facts, so it is no whole document of its collection.
        if is_translation(relative) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let instance = front_matter(relative, &text);
        let collection = collection_of(relative);
        for slugs in [None, Some(&slugs)] {
            let problems = errors(&validator(collection, slugs), &instance);
            assert!(
                problems.is_empty(),
                "{} (slugs listed: {}): {problems:#?}",
                relative.display(),
                slugs.is_some()
            );
        }
        checked += 1;
    }
    // Every original document of the shipped dossier.
    assert!(checked >= 140, "only {checked} documents checked");
}

/// One mistake of each kind the build reports as a field error: the build
/// must report it, and the schema must reject the same front matter.
#[test]
fn every_kind_of_field_error_the_build_reports_the_schema_rejects() {
    let incident = "title: Checkpoint\ndate: 2005-11-19\nsources: [amnesty-2023]\n";
    let cases: &[(&str, &str, &str)] = &[
        (
            "unknown field",
            "victms: twelve\n",
            "unknown field `victms`",
        ),
        (
            "wrong type",
            "casualties: {killed: many}\n",
            "in `casualties`",
        ),
        (
            "wrong type of list",
            "sources: amnesty-2023\n",
            "in `sources`",
        ),
        (
            "bad enum value",
            "verification: corroborate\n",
            "unknown value `corroborate`",
        ),
        ("bad date", "end_date: 2005-13\n", "is not a date"),
        (
            "bad nested enum",
            "accountability: [{date: 2006, step: tried}]\n",
            "unknown value `tried`",
        ),
        (
            "unknown nested field",
            "place: {name: Haditha, town: x}\n",
            "unknown field `town`",
        ),
        (
            "a field and its older name at once",
            "place: {name: Haditha, region: Anbar, governorate: Anbar}\n",
            "both `region` and `governorate`",
        ),
        (
            "out of range",
            "place: {name: Haditha, lat: 95, lon: 44}\n",
            "outside the globe",
        ),
        (
            "count with an unknown key",
            "casualties: {killed: {least: 1}}\n",
            "unknown field `least`",
        ),
        (
            "count with both about and bounds",
            "casualties: {killed: {about: 5, min: 1}}\n",
            "`about` stands alone",
        ),
        (
            "count with wording and both bounds",
            "casualties: {killed: {min: 3, max: 5, wording: at-least}}\n",
            "is for a one-sided count",
        ),
        (
            "count with a lower wording on max",
            "casualties: {killed: {max: 5, wording: more-than}}\n",
            "does not go with `max` alone",
        ),
        (
            "count with an upper wording on min",
            "casualties: {killed: {min: 5, wording: nearly}}\n",
            "does not go with `min` alone",
        ),
        (
            "count with about and wording",
            "casualties: {killed: {about: 5, wording: up-to}}\n",
            "`about` stands alone",
        ),
        (
            "count with wording and no number",
            "casualties: {killed: {wording: at-least}}\n",
            "a count needs a number",
        ),
        (
            "count with no number",
            "casualties: {killed: {}}\n",
            "a count needs a number",
        ),
        (
            "source reference with an unknown key",
            "sources: [{source: amnesty-2023, page: 3}]\n",
            "unknown field `page`",
        ),
    ];
    let validator = validator(Some(Collection::Incidents), None);
    for (kind, mistake, reported) in cases {
        let mut yaml = incident.to_string();
        // A mistake in a field the base document has replaces that field.
        let key = mistake.split(':').next().unwrap();
        yaml = yaml
            .lines()
            .filter(|l| !l.starts_with(&format!("{key}:")))
            .map(|l| format!("{l}\n"))
            .collect();
        yaml.push_str(mistake);
        let text = format!("---\n{yaml}---\n");
        Site::linked()
            .file("content/incidents/checkpoint.md", &text)
            .build()
            .fails()
            .has(&[reported]);
        let instance = front_matter(Path::new("x.md"), &text);
        assert!(
            !validator.is_valid(&instance),
            "{kind}: the schema accepts what the build refuses:\n{text}"
        );
    }
    // The same rules for an estimate, whose count's keys sit among its own.
    let figure = "title: Deaths\nunit: people\nestimates:\n";
    let estimates = self::validator(Some(Collection::Figures), None);
    let estimate_cases: &[(&str, &str)] = &[
        ("min: 1, max: 3", ""),
        ("min: 1", ""),
        ("min: 1, wording: more-than", ""),
        ("max: 9, wording: fewer-than", ""),
        ("about: 650000", ""),
        ("min: 1, max: 3, wording: up-to", "is for a one-sided count"),
        ("max: 3, wording: at-least", "does not go with `max` alone"),
        ("min: 3, wording: nearly", "does not go with `min` alone"),
        ("about: 5, min: 1", "`about` stands alone"),
        ("about: 5, wording: more-than", "`about` stands alone"),
        ("wording: up-to", "a count needs a number"),
        ("scope: deaths", "a count needs a number"),
    ];
    for (count, reported) in estimate_cases {
        let text = format!(
            "---\n{figure}  - {{{count}, what: Amnesty, source: amnesty-2023}}\n---\nBody. [@amnesty-2023]\n"
        );
        let built = Site::linked()
            .file("content/figures/deaths.md", &text)
            .build();
        let instance = front_matter(Path::new("x.md"), &text);
        if reported.is_empty() {
            built.clean();
            assert!(
                estimates.is_valid(&instance),
                "{count}: the schema refuses what the build accepts: {:?}",
                errors(&estimates, &instance)
            );
        } else {
            built.fails().has(&[reported]);
            assert!(
                !estimates.is_valid(&instance),
                "{count}: the schema accepts what the build refuses"
            );
        }
    }
    // A missing required field, in each collection that has one.
    for collection in Collection::ALL {
        let validator = self::validator(Some(collection), None);
        let text = "---\ntitle: No kind, date or unit\n---\n";
        let built = Site::linked()
            .file(&format!("content/{collection}/missing.md"), text)
            .build()
            .fails()
            .has(&["missing required field"]);
        if collection == Collection::Demands {
            // A demand needs a status or a history besides its kind.
            built.has(&["neither a `status` nor a `history`"]);
        }
        assert!(
            !validator.is_valid(&front_matter(Path::new("x.md"), text)),
            "{collection}"
        );
    }
    // And the well-formed incident is accepted by both.
    let good = format!("---\n{incident}---\n");
    Site::linked()
        .file("content/incidents/checkpoint.md", &good)
        .build()
        .clean();
    assert!(validator.is_valid(&front_matter(Path::new("x.md"), &good)));
}

#[test]
fn with_slugs_a_misspelt_reference_is_rejected_like_the_build_does() {
    let site = Site::linked().file(
        "content/incidents/checkpoint.md",
        "---\ntitle: Checkpoint\ndate: 2005\nperpetrators: [us-marines]\nsources: [amnesty-2023]\n---\n",
    );
    site.build().fails().has(&["unknown actor `us-marines`"]);
    let loaded = dossier::site::Site::load(site.root(), true)
        .unwrap()
        .unwrap();
    let slugs = schema::slugs_of(&loaded.graph);
    let text =
        std::fs::read_to_string(site.root().join("content/incidents/checkpoint.md")).unwrap();
    let instance = front_matter(Path::new("x.md"), &text);
    assert!(validator(Some(Collection::Incidents), None).is_valid(&instance));
    assert!(!validator(Some(Collection::Incidents), Some(&slugs)).is_valid(&instance));
}

#[test]
fn the_command_writes_one_schema_per_collection_and_one_for_pages() {
    let site = Site::linked();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["schema", "--with-slugs", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in [
        "pages",
        "demands",
        "incidents",
        "actors",
        "sources",
        "figures",
    ] {
        let path = site.root().join(format!("schema/{name}.schema.json"));
        let value: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            value["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
    let incidents =
        std::fs::read_to_string(site.root().join("schema/incidents.schema.json")).unwrap();
    assert!(
        incidents.contains("\"us-marine-corps\""),
        "the slugs are listed"
    );
}
