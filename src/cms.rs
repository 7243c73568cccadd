//! `dossier cms`: the configuration of a form-based web editor (Decap CMS,
//! which Sveltia CMS also reads) generated from the content model in
//! `spec`, so that the forms offer exactly the fields and words the build
//! accepts.
//!
//! Pure: it returns the text of `static/admin/config.yml`,
//! `static/admin/index.html` and `static/admin/dossier.js` (the editor's
//! own widgets, from `cms_widgets.js`), each stamped with the hash of what
//! was generated, so that the command can tell a file it wrote from one edited
//! by hand. The editor page is the only page that loads the CMS script;
//! nothing here touches the reader pages.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::config::{Config, Language};
use crate::model::{Collection, CountKind};
use crate::spec::{self, DATE_HELP, DATE_PATTERN, DAY_PATTERN, Field, Shape};

/// Where the editor lives, relative to the site folder. The build copies
/// `static/` into the output, so it is published at `/admin/`.
pub const DIR: &str = "static/admin";

/// A free page the editor can open, by its file under `content/`.
pub struct FreePage {
    /// `about.md`, `guides/adding.md`, `_index.md`.
    pub file: String,
    pub title: String,
    /// The codes of the languages it has a translation in (`about.ar.md`).
    pub translations: Vec<String>,
}

/// The page script that registers the editor's own widgets (`source`,
/// `count`) with Decap and keeps translations out of the default-language
/// collections; `dossier cms` writes it as `dossier.js` with the site's
/// languages before it.
const WIDGETS: &str = include_str!("cms_widgets.js");

/// The files of the editor, relative to [`DIR`].
pub fn files(config: &Config, pages: &[FreePage]) -> Vec<(String, String)> {
    vec![
        (
            "config.yml".to_string(),
            stamp_yaml(&yaml(&config_value(config, pages))),
        ),
        ("index.html".to_string(), stamp_html(&index_html(config))),
        ("dossier.js".to_string(), stamp_script(&script(config))),
    ]
}

/// The widget script, after the codes of the site's other languages.
fn script(config: &Config) -> String {
    let others: Vec<&String> = other_languages(config).map(|(code, _)| code).collect();
    format!("var LANGUAGES = {};\n{WIDGETS}", json!(others))
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
    // file `slug.en.md` (there is no option to leave the default language
    // out of the name) and lists only such files, so it would see none of
    // the dossier's `slug.md` documents and write copies the build ignores.
    // Instead each collection has, per other language, a collection of its
    // translations (`slug.ar.md`, by the folder's files ending in `.ar.md`)
    // with the fields a translation writes; `dossier.js` keeps those files
    // out of the default-language collections.
    let mut collections: Vec<Value> = Collection::ALL.iter().map(|&c| folder(c)).collect();
    for (code, language) in other_languages(config) {
        collections.extend(
            Collection::ALL
                .iter()
                .map(|&c| translations(c, code, &language.name)),
        );
    }
    collections.push(free_pages(config, pages));
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

/// The site's languages other than the default, by code.
fn other_languages(config: &Config) -> impl Iterator<Item = (&String, &Language)> {
    config
        .languages
        .iter()
        .filter(|(code, _)| **code != config.default_language)
}

/// The translations of a collection into one language: the files
/// `slug.LANG.md` of its folder, with the fields a translation writes in
/// its own words (`model::TEXT_FIELDS`) and what it records of itself.
/// Its facts come from the original; any a file does write are kept as
/// they are, since Decap saves the keys it has no field for unchanged. A
/// translation is started from its original's file (see the guide), so
/// the collection creates none.
fn translations(collection: Collection, code: &str, language: &str) -> Value {
    json!({
        "name": format!("{}-{code}", collection.name()),
        "label": format!("{} ({language})", title_case(collection.name())),
        "label_singular": format!("{} ({language})", title_case(collection.singular())),
        "folder": format!("content/{}", collection.name()),
        "create": false,
        "extension": format!("{code}.md"),
        "format": "yaml-frontmatter",
        "slug": "{{slug}}",
        "identifier_field": "title",
        "summary": "{{title}}",
        "fields": translation_fields(Some(collection)),
    })
}

/// The form of a translation: its text fields, nested ones included, none
/// required (a text left out is shown in the original's language), then
/// `translated` and the text.
fn translation_fields(collection: Option<Collection>) -> Vec<Value> {
    let text = &crate::model::TEXT_FIELDS;
    let mut out: Vec<Value> = Vec::new();
    for field in spec::all_fields(collection) {
        let nested = text.nested.iter().find(|(name, _)| *name == field.name);
        let mut w = if text.top.contains(&field.name) {
            widget(field)
        } else if let (Some((_, inner)), Shape::Object(all) | Shape::Objects(all)) =
            (nested, field.shape)
        {
            let mut w = widget(field);
            let kept: Vec<Value> = all
                .iter()
                .filter(|f| inner.contains(&f.name))
                .map(widget)
                .map(optional)
                .collect();
            w["fields"] = json!(kept);
            w
        } else {
            continue;
        };
        w = optional(w);
        if matches!(field.shape, Shape::Objects(_)) {
            // Entries are matched to the original's by position.
            w["allow_add"] = json!(false);
            w["allow_remove"] = json!(false);
            w["allow_reorder"] = json!(false);
        }
        out.push(w);
    }
    out.push(json!({
        "name": "translated",
        "label": "Translated",
        "widget": "object",
        "required": false,
        "collapsed": true,
        "hint": "Who translated it and when, and the original's text hash it was brought up to date with (dossier check names it).",
        "fields": [
            {"name": "by", "label": "By", "widget": "string", "required": false},
            own_field("date", "Date", DATE_HELP, date_widget),
            {"name": "from_hash", "label": "From hash", "widget": "string", "required": false},
        ],
    }));
    out.push(body_field());
    out
}

/// An optional field of the editor's own, not one of the model's tables,
/// with the widget `make` sets up.
fn own_field(name: &str, label: &str, hint: &str, make: fn(&mut Map<String, Value>)) -> Value {
    let mut w = Map::new();
    w.insert("name".into(), json!(name));
    w.insert("label".into(), json!(label));
    make(&mut w);
    w.insert("required".into(), json!(false));
    w.insert("hint".into(), json!(hint));
    Value::Object(w)
}

fn optional(mut widget: Value) -> Value {
    widget["required"] = json!(false);
    widget
}

/// One file collection holding every free page (and the home page), and
/// their translations.
fn free_pages(config: &Config, pages: &[FreePage]) -> Value {
    let mut files: Vec<Value> = Vec::new();
    for page in pages {
        let stem = page.file.trim_end_matches(".md");
        let name = match stem.replace('/', "-") {
            home if home == "_index" => "home".to_string(),
            name => name,
        };
        files.push(json!({
            "name": name,
            "label": page.title,
            "file": format!("content/{}", page.file),
            "format": "yaml-frontmatter",
            "fields": fields(&spec::all_fields(None)),
        }));
        for (code, language) in other_languages(config) {
            if page.translations.contains(code) {
                files.push(json!({
                    "name": format!("{name}-{code}"),
                    "label": format!("{} ({})", page.title, language.name),
                    "file": format!("content/{stem}.{code}.md"),
                    "format": "yaml-frontmatter",
                    "fields": translation_fields(None),
                }));
            }
        }
    }
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
    out.push(body_field());
    out
}

fn body_field() -> Value {
    json!({
        "name": "body",
        "label": "Text",
        "widget": "markdown",
        "required": false,
        "hint": "Link to any document by its file: [the report](@/sources/SLUG.md).",
    })
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
        Shape::Day => {
            w.insert("widget".into(), json!("string"));
            w.insert("pattern".into(), json!([DAY_PATTERN, field.help]));
        }
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
        Shape::Count => count_widget(&mut w),
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
        Shape::SourceRef => source_widget(&mut w, field.required),
        Shape::SourceRefs => {
            // A list of single references, each its own `source` widget, so
            // that each keeps the form it was written in: `dossier.js`'s
            // `sources`, Decap's list with each item handed whole to its
            // widget (Decap's own list hands a one-field list's widget the
            // item's key of the field's name when the item is a mapping).
            w.insert("widget".into(), json!("sources"));
            w.insert("label_singular".into(), json!("source"));
            // Open, so that each source's locator shows beside it.
            w.insert("collapsed".into(), json!(false));
            let mut item = Map::new();
            // No key a reference has, so that `dossier.js` can tell the
            // items it wrapped for Decap's list from the references.
            item.insert("name".into(), json!("reference"));
            item.insert("label".into(), json!("Source"));
            source_widget(&mut item, true);
            w.insert("field".into(), Value::Object(item));
        }
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

/// A source reference (`dossier.js`): the source from a searchable list,
/// where in it and its words. Saved as the slug alone until a locator or
/// quote is given, as `{source, locator, quote}` after. The source inside
/// is required only where the reference is: Decap checks a group's fields
/// even when the group is left empty.
fn source_widget(w: &mut Map<String, Value>, required: bool) {
    w.insert("widget".into(), json!("source"));
    let mut source = Map::new();
    source.insert("name".into(), json!("source"));
    source.insert("label".into(), json!("Source"));
    relation(&mut source, Collection::Sources, false);
    source.insert("required".into(), json!(required));
    let text = |name: &str, label: &str, hint: &str| json!({"name": name, "label": label, "widget": "string", "required": false, "hint": hint});
    w.insert(
        "fields".into(),
        json!([
            Value::Object(source),
            text(
                "locator",
                "Where in it",
                "para. 6, p. 33, section 2: how the source numbers its parts (see the methodology)."
            ),
            text(
                "quote",
                "Its words",
                "A short exact quotation of the passage, if it helps a reader find it."
            ),
        ]),
    );
}

/// How a count reads in the form, by the model's kind of count.
fn count_label(kind: &str) -> &'static str {
    match kind {
        "exact" => "exactly",
        "range" => "between (a range)",
        "at-least" => "at least",
        "more-than" => "more than",
        "up-to" => "up to",
        "fewer-than" => "fewer than",
        "nearly" => "nearly",
        "about" => "about",
        _ => "",
    }
}

/// A count of people (`dossier.js`): how the source gives it, one of the
/// model's kinds of count, and its number (two for a range), saved in the
/// form that kind is written in (`24`, `{min, max}`, `{min, wording}` ...).
/// Every part is optional: an absent count must stay absent.
fn count_widget(w: &mut Map<String, Value>) {
    w.insert("widget".into(), json!("count"));
    let options: Vec<Value> = CountKind::WORDS
        .iter()
        .map(|&kind| json!({"label": count_label(kind), "value": kind}))
        .collect();
    let number = |name: &str, label: &str, hint: &str| own_field(name, label, hint, whole_number);
    w.insert(
        "fields".into(),
        json!([
            {
                "name": "kind",
                "label": "As the source gives it",
                "widget": "select",
                "options": options,
                "required": false,
                "hint": "exactly 24, between 12 and 18, at least 40, more than 40, up to 27, fewer than 10, nearly 30, about 650000",
            },
            number("number", "Number", "The number the source gives; the low end of a range."),
            number("to", "To", "Only for a range: its high end."),
        ]),
    );
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
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<title>Edit · {title}</title>\n<link href=\"config.yml\" type=\"text/yaml\" rel=\"cms-config-url\">\n</head>\n<body>\n<script src=\"{script}\"></script>\n<script src=\"dossier.js\"></script>\n</body>\n</html>\n",
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

fn stamp_script(body: &str) -> String {
    format!("// This file was {STAMP}{}\n{body}", digest(body))
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
