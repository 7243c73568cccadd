//! Translations: a translation translates text, not facts. A file
//! `slug.LANG.md` carries the text of its original in another language
//! (title, summary, body, place name, the notes of history and
//! accountability, the labels of estimates) and inherits every structured
//! field (dates, places' coordinates, casualties, references, status,
//! numbers) from the original. Pure: it takes both files' text and returns
//! the translated document and its problems.

use sha2::{Digest, Sha256};

use super::*;
use crate::diagnostic::Code;
use crate::front_matter::{self, FrontMatter, TextFields};

/// The fields a translation may write in its own words. Everything else
/// comes from the original. `draft` is listed because a translation may be
/// held back while it is being written, whatever its original's state.
pub const TEXT_FIELDS: TextFields = TextFields {
    top: &[
        "title",
        "summary",
        "unit",
        "victims",
        "perspective",
        "copy",
        "draft",
    ],
    nested: &[
        ("place", &["name"]),
        ("history", &["note"]),
        ("accountability", &["note"]),
        ("estimates", &["what", "scope"]),
        ("corrections", &["was", "now", "why"]),
    ],
};

/// What a translation records of itself in `translated:`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translated {
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub date: Option<PartialDate>,
    /// The original's text hash (`text_hash`) when the translation was
    /// written or last brought up to date.
    #[serde(default)]
    pub from_hash: Option<String>,
}

/// How a translated document relates to its original.
#[derive(Debug, Clone, Default)]
pub struct Translation {
    /// The original's language code.
    pub from: String,
    /// Text fields shown in the original's language because the
    /// translation has none of its own: `title`, `summary`, `body`,
    /// `place.name`, `history.1.note` (entries counted from 1 in the order
    /// the page lists them).
    pub inherited: Vec<String>,
    /// The original's body, when the translation's own is empty.
    pub body: Option<String>,
    pub record: Option<Translated>,
}

/// The hash of a document's text, as a translation records it in
/// `translated.from_hash`: 16 hexadecimal characters of the SHA-256 of every
/// text field and the body. Facts are left out: a changed date is inherited
/// by the translation and needs no new translation.
pub fn text_hash(document: &Document) -> String {
    let mut hasher = Sha256::new();
    for (field, text) in text_values(document) {
        hasher.update(field.as_bytes());
        hasher.update([0]);
        hasher.update(text.trim().as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `text` has the shape of a hash `text_hash` gives; anything else
/// (`new`, `TODO`) is a placeholder for a record being started.
fn is_text_hash(text: &str) -> bool {
    text.len() == 16 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The text fields of a document, by the names `Translation::inherited`
/// uses, in a fixed order.
pub(crate) fn text_values(document: &Document) -> Vec<(String, String)> {
    let mut values = vec![("title".to_string(), document.common.title.clone())];
    let mut push = |field: String, text: Option<&String>| {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            values.push((field, text.clone()));
        }
    };
    push("summary".into(), document.common.summary.as_ref());
    for (i, correction) in document.common.corrections.iter().enumerate() {
        for (name, text) in correction.texts() {
            push(
                format!("corrections.{}.{name}", i + 1),
                Some(&text.to_string()),
            );
        }
    }
    match &document.fields {
        Fields::Demand(d) => {
            for (i, h) in d.history.iter().enumerate() {
                push(format!("history.{}.note", i + 1), Some(&h.note));
            }
        }
        Fields::Incident(inc) => {
            push("place.name".into(), inc.place.as_ref().map(|p| &p.name));
            push("victims".into(), inc.victims.as_ref());
            for (i, a) in inc.accountability.iter().enumerate() {
                push(format!("accountability.{}.note", i + 1), Some(&a.note));
            }
        }
        Fields::Source(s) => {
            push("perspective".into(), s.perspective.as_ref());
            push("copy".into(), s.copy.as_ref());
        }
        Fields::Figure(f) => {
            push("unit".into(), Some(&f.unit));
            for (i, e) in f.estimates.iter().enumerate() {
                push(format!("estimates.{}.what", i + 1), Some(&e.what));
                push(format!("estimates.{}.scope", i + 1), e.scope.as_ref());
            }
        }
        Fields::Actor(_) | Fields::Page => {}
    }
    let body = document.body().trim();
    if !body.is_empty() {
        values.push(("body".into(), body.to_string()));
    }
    values
}

/// The languages a translation is between, for messages: codes and the
/// names `site.toml` gives them.
pub struct LanguageNames<'a> {
    pub from: &'a str,
    pub from_name: &'a str,
    pub to_name: &'a str,
}

/// Reads a translation file against its original: the document in `lang`
/// with the original's facts and the translation's text, and the problems
/// of the translation (facts written differently, stale text). `None` when
/// the translation's own front matter cannot be read.
pub fn read_translation(
    original: &Document,
    names: &LanguageNames<'_>,
    lang: String,
    path: PathBuf,
    source: String,
) -> (Option<Document>, Vec<Diagnostic>) {
    let parts = match front_matter::split(&path, &source) {
        Ok(parts) => parts,
        Err(problem) => return (None, vec![problem]),
    };
    let Ok(original_parts) = front_matter::split(&original.path, &original.source) else {
        return (None, Vec::new());
    };
    let Ok(mut theirs) = FrontMatter::parse(&original.path, &original.source, &original_parts)
    else {
        return (None, Vec::new());
    };
    // Reading the original once more tells which fields its collection knows.
    let _ = read_fields(original.kind, &mut theirs);
    let mut fm = match FrontMatter::parse(&path, &source, &parts) {
        Ok(fm) => fm,
        Err(problem) => return (None, vec![problem]),
    };
    let conflicts = fm.inherit(&theirs, &TEXT_FIELDS);
    let record: Option<Translated> = fm.optional("translated");
    let (read, references) = read_fields(original.kind, &mut fm);
    let spans = fm.spans().to_vec();
    let mut problems = fm.finish();
    for conflict in conflicts {
        let field = &conflict.field;
        problems.push(
            Diagnostic::error(
                Code::TranslationChangesFact,
                format!(
                "`{field}` is a fact of the original, and this translation gives it another value"
            ))
            .at(conflict.translation)
            .hint(format!(
                "a translation inherits `{field}` from `{}`: remove it here, or change it there",
                original.path.display()
            )),
        );
        problems.push(
            Diagnostic::error(
                Code::TranslationChangesFact,
                format!("the `{lang}` translation gives `{field}` another value than this"),
            )
            .at(conflict.original)
            .hint(format!(
                "facts are written once, here; remove `{field}` from `{}`",
                path.display()
            )),
        );
    }
    let Some((common, fields)) = read else {
        return (None, problems);
    };
    let body_start = parts.body_start;
    let own_body = source[body_start..].trim().is_empty();
    let mut document = Document {
        kind: original.kind,
        slug: original.slug.clone(),
        lang,
        path,
        source,
        body_start,
        spans,
        common,
        fields,
        references,
        body_links: Vec::new(),
        citations: Default::default(),
        translation: None,
    };
    let mut translation = Translation {
        from: names.from.to_string(),
        inherited: Vec::new(),
        body: own_body.then(|| original.body().to_string()),
        record,
    };
    let ours: std::collections::HashMap<String, String> =
        text_values(&document).into_iter().collect();
    translation.inherited = text_values(original)
        .into_iter()
        .filter(|(field, text)| {
            ours.get(field) == Some(text) || (field == "body" && translation.body.is_some())
        })
        .map(|(field, _)| field)
        .collect();
    if let Some(record) = &translation.record {
        let current = text_hash(original);
        let recorded = record.from_hash.as_deref().unwrap_or_default().trim();
        let at = match record.from_hash {
            Some(_) => document.inner_location("translated", "from_hash"),
            None => document.field_location("translated"),
        };
        let original_path = original.path.display();
        if !is_text_hash(recorded) {
            // `from_hash: new`, any placeholder, or none yet: the record is
            // being started, and nothing is known to have changed.
            problems.push(
                Diagnostic::warning(
                    Code::StaleTranslation,
                    format!(
                        "this {} translation does not yet record which text of the {} it translates",
                        names.to_name, names.from_name
                    ),
                )
                .at(at)
                .hint(format!(
                    "once this text matches `{original_path}` as it is now, write `from_hash: \"{current}\"` to start the record"
                )),
            );
        } else if recorded != current {
            problems.push(
                Diagnostic::warning(
                    Code::StaleTranslation,
                    format!(
                        "the {} changed after the {} was written",
                        names.from_name, names.to_name
                    ),
                )
                .at(at)
                .hint(format!(
                    "compare with `{original_path}`, bring this text up to date, then write `from_hash: \"{current}\"`"
                )),
            );
        }
    }
    document.translation = Some(translation);
    (Some(document), problems)
}
