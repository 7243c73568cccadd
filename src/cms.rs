//! `dossier cms`: the configuration of a form-based web editor (Decap CMS,
//! which Sveltia CMS also reads) generated from the content model in
//! `spec`, so that the forms offer exactly the fields and words the build
//! accepts.
//!
//! Pure: it returns the text of `static/admin/config.yml` and
//! `static/admin/index.html`, each stamped with the hash of what was
//! generated, so that the command can tell a file it wrote from one edited
//! by hand. The editor page is the only page that loads the CMS script;
//! nothing here touches the reader pages.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::model::Collection;
use crate::spec::{self, DATE_HELP, DATE_PATTERN, Field, Shape};

/// Where the editor lives, relative to the site folder. The build copies
/// `static/` into the output, so it is published at `/admin/`.
pub const DIR: &str = "static/admin";

/// A free page the editor can open, by its file under `content/`.
pub struct FreePage {
    /// `about.md`, `guides/adding.md`, `_index.md`.
    pub file: String,
    pub title: String,
}

/// The two files of the editor, relative to [`DIR`].
pub fn files(config: &Config, pages: &[FreePage]) -> Vec<(String, String)> {
    vec![
        (
            "config.yml".to_string(),
            stamp_yaml(&yaml(&config_value(config, pages))),
        ),
        ("index.html".to_string(), stamp_html(&index_html(config))),
    ]
}

/// The configuration as a value, in the order Decap documents it.
pub fn config_value(config: &Config, pages: &[FreePage]) -> Value {
    let mut backend = Map::new();
    backend.insert("name".into(), json!(config.cms.backend));
    if let Some(repo) = &config.cms.repo {
        backend.insert("repo".into(), json!(repo));
    }
    backend.insert("branch".into(), json!(config.cms.branch));
    // No `i18n`: under `multiple_files` Decap 3 names the default language's
    // file `slug.en.md` and lists only such files, so it would see none of
    // the dossier's `slug.md` documents and write copies the build ignores.
    // The form edits the default language; translations (`slug.ar.md`) are
    // edited as files.
    let mut collections: Vec<Value> = Collection::ALL.iter().map(|&c| folder(c)).collect();
    collections.push(free_pages(pages));
    json!({
        "backend": backend,
        // Lets `npx decap-server` serve the files of this folder on
        // loopback while an editor previews; ignored when published.
        "local_backend": true,
        "media_folder": "content/files",
        "public_folder": "files",
        "collections": collections,
    })
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
    .replace('_', " ")
}

/// A folder collection: every document of a dossier collection.
fn folder(collection: Collection) -> Value {
    json!({
        "name": collection.name(),
        "label": title_case(collection.name()),
        "label_singular": title_case(collection.singular()),
        "folder": format!("content/{}", collection.name()),
        "create": true,
        "extension": "md",
        "format": "yaml-frontmatter",
        "slug": "{{slug}}",
        "identifier_field": "title",
        "summary": "{{title}}",
        "fields": fields(&spec::all_fields(Some(collection))),
    })
}

/// One file collection holding every free page (and the home page).
fn free_pages(pages: &[FreePage]) -> Value {
    let files: Vec<Value> = pages
        .iter()
        .map(|page| {
            let name = page.file.trim_end_matches(".md").replace('/', "-");
            json!({
                "name": if name == "_index" { "home".to_string() } else { name },
                "label": page.title,
                "file": format!("content/{}", page.file),
                "format": "yaml-frontmatter",
                "fields": fields(&spec::all_fields(None)),
            })
        })
        .collect();
    // Like the folder collections, free pages are edited in the default
    // language here and translated as files.
    json!({
        "name": "pages",
        "label": "Pages",
        "files": files,
    })
}

/// The form fields of a document: the model's fields, then the text.
fn fields(list: &[&Field]) -> Vec<Value> {
    let mut out: Vec<Value> = list
        .iter()
        .filter(|f| f.shape != Shape::Map)
        .map(|f| widget(f))
        .collect();
    out.push(json!({
        "name": "body",
        "label": "Text",
        "widget": "markdown",
        "required": false,
        "hint": "Link to any document by its file: [the report](@/sources/SLUG.md).",
    }));
    out
}

fn widget(field: &Field) -> Value {
    let mut w = Map::new();
    w.insert("name".into(), json!(field.name));
    w.insert("label".into(), json!(title_case(field.name)));
    let mut hint = field.help.to_string();
    match field.shape {
        Shape::Text => {
            w.insert("widget".into(), json!("string"));
        }
        Shape::Url => {
            w.insert("widget".into(), json!("string"));
            w.insert(
                "pattern".into(),
                json!(["^https?://", "a full address, starting with https://"]),
            );
        }
        Shape::File => {
            w.insert("widget".into(), json!("file"));
        }
        Shape::Texts => {
            w.insert("widget".into(), json!("list"));
        }
        Shape::Bool => {
            w.insert("widget".into(), json!("boolean"));
            w.insert("default".into(), json!(false));
        }
        Shape::Date => date_widget(&mut w),
        Shape::Period => {
            w.insert("widget".into(), json!("list"));
            w.insert("min".into(), json!(2));
            w.insert("max".into(), json!(2));
            let mut item = Map::new();
            item.insert("name".into(), json!("date"));
            item.insert("label".into(), json!("Date"));
            date_widget(&mut item);
            w.insert("field".into(), Value::Object(item));
        }
        Shape::Number { min, max } => {
            w.insert("widget".into(), json!("number"));
            w.insert("value_type".into(), json!("float"));
            w.insert("min".into(), json!(min));
            w.insert("max".into(), json!(max));
        }
        Shape::WholeNumber => whole_number(&mut w),
        Shape::Count => {
            w.insert("widget".into(), json!("object"));
            let end = |name: &str| {
                let mut end = Map::new();
                end.insert("name".into(), json!(name));
                end.insert("label".into(), json!(name));
                // Decap's fields are required unless they say otherwise, and
                // an absent count must stay absent.
                end.insert("required".into(), json!(false));
                whole_number(&mut end);
                Value::Object(end)
            };
            w.insert(
                "fields".into(),
                json!([end("min"), end("max"), end("about")]),
            );
            hint.push_str(" For an exact number, give it as both min and max.");
        }
        Shape::Keyword(words) => {
            w.insert("widget".into(), json!("select"));
            w.insert("options".into(), json!(words));
        }
        Shape::Sha256 => {
            w.insert("widget".into(), json!("string"));
            w.insert(
                "pattern".into(),
                json!(["^[0-9a-fA-F]{64}$", "64 hexadecimal characters"]),
            );
        }
        Shape::Reference(target) => relation(&mut w, target, false),
        // The editor names sources by slug; a locator and quote are
        // written in the file (`{source, locator, quote}`), which the
        // build reads either way.
        Shape::SourceRef => relation(&mut w, Collection::Sources, false),
        Shape::SourceRefs => relation(&mut w, Collection::Sources, true),
        Shape::References(target, extra) => {
            relation(&mut w, target, true);
            if !extra.is_empty() {
                hint.push_str(" Leave it empty when no source says.");
            }
        }
        Shape::Object(inner) => {
            w.insert("widget".into(), json!("object"));
            w.insert("collapsed".into(), json!(false));
            w.insert(
                "fields".into(),
                json!(inner.iter().map(widget).collect::<Vec<_>>()),
            );
        }
        Shape::Objects(inner) => {
            w.insert("widget".into(), json!("list"));
            w.insert(
                "fields".into(),
                json!(inner.iter().map(widget).collect::<Vec<_>>()),
            );
        }
        Shape::Map => {}
    }
    w.insert("required".into(), json!(field.required));
    w.insert("hint".into(), json!(hint));
    Value::Object(w)
}

fn date_widget(w: &mut Map<String, Value>) {
    w.insert("widget".into(), json!("string"));
    w.insert("pattern".into(), json!([DATE_PATTERN, DATE_HELP]));
}

fn whole_number(w: &mut Map<String, Value>) {
    w.insert("widget".into(), json!("number"));
    w.insert("value_type".into(), json!("int"));
    w.insert("min".into(), json!(0));
}

/// A searchable list of the documents of `target`, which writes their slug.
fn relation(w: &mut Map<String, Value>, target: Collection, multiple: bool) {
    w.insert("widget".into(), json!("relation"));
    w.insert("collection".into(), json!(target.name()));
    w.insert("value_field".into(), json!("{{slug}}"));
    w.insert("search_fields".into(), json!(["title"]));
    w.insert("display_fields".into(), json!(["title"]));
    w.insert("multiple".into(), json!(multiple));
}

/// The editor page. It is the one page that loads the CMS script, from the
/// address `[cms] script` in site.toml names.
fn index_html(config: &Config) -> String {
    let script = html_attribute(&config.cms.script);
    let title = html_text(&config.title);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<title>Edit · {title}</title>\n<link href=\"config.yml\" type=\"text/yaml\" rel=\"cms-config-url\">\n</head>\n<body>\n<script src=\"{script}\"></script>\n</body>\n</html>\n",
        lang = html_attribute(&config.default_language),
    )
}

fn html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn html_attribute(text: &str) -> String {
    html_text(text).replace('"', "&quot;")
}

const STAMP: &str = "generated by `dossier cms` from the content model and site.toml; run it again after changing them. Edited by hand, this file is kept unless you pass --force. content-sha256: ";

fn digest(body: &str) -> String {
    Sha256::digest(body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn stamp_yaml(body: &str) -> String {
    format!("# This file was {STAMP}{}\n{body}", digest(body))
}

fn stamp_html(body: &str) -> String {
    let (doctype, rest) = body.split_once('\n').unwrap_or((body, ""));
    format!(
        "{doctype}\n<!-- This file was {STAMP}{} -->\n{rest}",
        digest(rest)
    )
}

/// Whether `text` is exactly as `dossier cms` wrote it: its stamp holds the
/// hash of what follows. A file without a stamp, or changed since, was
/// edited by hand.
pub fn is_as_generated(text: &str) -> bool {
    let Some(start) = text.find(STAMP) else {
        return false;
    };
    let after = &text[start + STAMP.len()..];
    let hash: String = after.chars().take_while(char::is_ascii_hexdigit).collect();
    let Some(line_end) = after.find('\n') else {
        return false;
    };
    let body_start = start + STAMP.len() + line_end + 1;
    let prefix_ok = text[..start].matches('\n').count() <= 1;
    prefix_ok && hash.len() == 64 && digest(&text[body_start..]) == hash
}

/// YAML in block style, for people to read: maps as `key: value` lines,
/// lists as `- ` items, every string double-quoted (JSON's quoting is valid
/// YAML, so no value can be misread as a number, a boolean or a comment).
pub fn yaml(value: &Value) -> String {
    let mut out = String::new();
    write_block(&mut out, value, 0);
    out
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Array(a) if a.is_empty() => "[]".to_string(),
        Value::Object(o) if o.is_empty() => "{}".to_string(),
        // Short lists of plain values read best on one line.
        Value::Array(a) => format!("[{}]", a.iter().map(scalar).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

fn is_block(value: &Value) -> bool {
    match value {
        Value::Object(o) => !o.is_empty(),
        Value::Array(a) => a.iter().any(|v| v.is_object() || v.is_array()),
        _ => false,
    }
}

fn write_block(out: &mut String, value: &Value, indent: usize) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                if is_block(value) {
                    out.push_str(&format!("{pad}{key}:\n"));
                    let deeper = if value.is_array() { indent } else { indent + 2 };
                    write_block(out, value, deeper);
                } else {
                    out.push_str(&format!("{pad}{key}: {}\n", scalar(value)));
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                if is_block(item) && item.is_object() {
                    let mut inner = String::new();
                    write_block(&mut inner, item, indent + 2);
                    out.push_str(&format!("{pad}- {}", &inner[indent + 2..]));
                } else {
                    out.push_str(&format!("{pad}- {}\n", scalar(item)));
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_as_generated_until_someone_edits_it() {
        let text = stamp_yaml("a: 1\n");
        assert!(is_as_generated(&text));
        assert!(!is_as_generated(&text.replace("a: 1", "a: 2")));
        assert!(!is_as_generated("a: 1\n"));
        let html = stamp_html("<!doctype html>\n<p>x</p>\n");
        assert!(is_as_generated(&html));
        assert!(!is_as_generated(&html.replace("x", "y")));
    }

    #[test]
    fn yaml_nests_maps_and_lists_of_maps() {
        let value = json!({"a": {"b": [1, 2], "c": [{"d": "x", "e": {"f": true}}]}, "g": []});
        assert_eq!(
            yaml(&value),
            "a:\n  b: [1, 2]\n  c:\n  - d: \"x\"\n    e:\n      f: true\ng: []\n"
        );
    }
}
