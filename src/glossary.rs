//! The glossary: the dossier's own words (casualty, prosecution, the
//! verification levels…) and their one rendering in each language, so that
//! a translation says the same thing with the same word everywhere.
//!
//! A site may have one file per language, `glossary/<lang>.toml`, each a
//! list of `[[term]]` tables: `original` (the word's forms in the default
//! language), `rendering` (the accepted forms in this language) and `avoid`
//! (renderings known to be wrong). The check pairs each text of a
//! translation with its original's (a front-matter field with the same
//! field, a body paragraph with the paragraph of the same index, an
//! interface string with the same key) and warns where the original uses a
//! term and the translation has none of its renderings but one of the
//! words to avoid. Pure: discovery reads the files, this module only reads
//! their text, the documents and the strings.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::graph::Graph;
use crate::i18n::{Strings, StringsFile};
use crate::model::{DocKind, Document};

/// The folder of a site that holds its glossaries, one `<lang>.toml` each.
pub const FOLDER: &str = "glossary";

/// One term of a glossary.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The term's forms in the default language ("casualty", "casualties"),
    /// matched as whole words whatever their case.
    pub original: Vec<String>,
    /// The forms of its one rendering in this language; the first is the
    /// one the hint names. Matched anywhere in a word, so that a stem
    /// covers the forms with prefixes.
    pub rendering: Vec<String>,
    /// Renderings that say something else, matched like `rendering`.
    #[serde(default)]
    pub avoid: Vec<String>,
    /// Why, for the hint.
    #[serde(default)]
    pub note: Option<String>,
}

/// A language's glossary, read from `glossary/<lang>.toml`.
#[derive(Debug, Clone)]
pub struct Glossary {
    pub lang: String,
    pub path: PathBuf,
    pub terms: Vec<Term>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    term: Vec<Term>,
}

/// Reads the glossaries discovery found; an unreadable one is an error at
/// its file and is left out.
pub fn parse(files: &[StringsFile]) -> (Vec<Glossary>, Vec<Diagnostic>) {
    let mut glossaries = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        let problem = |offset: usize, len: usize, message: String| {
            Diagnostic::error(Code::BadGlossary, message)
                .at(Location::at(&file.path, &file.text, offset, len))
                .hint("each term is `[[term]]` with `original = [\"...\"]`, `rendering = [\"...\"]` and, if known, `avoid = [\"...\"]`")
        };
        match toml::from_str::<File>(&file.text) {
            Ok(read) => {
                let empty = read.term.iter().position(|t| {
                    t.original.iter().all(|w| w.trim().is_empty())
                        || t.rendering.iter().all(|w| w.trim().is_empty())
                });
                if let Some(index) = empty {
                    let at = nth_term(&file.text, index);
                    problems.push(problem(
                        at,
                        "[[term]]".len(),
                        "a glossary term needs an `original` and a `rendering`".into(),
                    ));
                    continue;
                }
                glossaries.push(Glossary {
                    lang: file.lang.clone(),
                    path: file.path.clone(),
                    terms: read.term,
                });
            }
            Err(error) => {
                let span = error.span().unwrap_or(0..0);
                problems.push(problem(
                    span.start,
                    span.len(),
                    format!("cannot read the glossary: {}", error.message()),
                ));
            }
        }
    }
    (glossaries, problems)
}

/// The offset of the `index`th `[[term]]` of a glossary's text.
fn nth_term(text: &str, index: usize) -> usize {
    text.match_indices("[[term]]")
        .nth(index)
        .map_or(0, |(at, _)| at)
}

/// Warns wherever a translation, or an interface string, renders a term of
/// its language's glossary another way than the glossary gives.
pub fn check(
    glossaries: &[Glossary],
    graph: &Graph,
    strings: &Strings,
    strings_files: &[StringsFile],
    default_language: &str,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if glossaries.is_empty() {
        return problems;
    }
    let originals: HashMap<(DocKind, &str), &Document> = graph
        .documents
        .iter()
        .filter(|d| d.lang.is_empty())
        .map(|d| ((d.kind, d.slug.as_str()), d.as_ref()))
        .collect();
    for glossary in glossaries {
        for document in graph.documents.iter().filter(|d| d.lang == glossary.lang) {
            if let Some(original) = originals.get(&(document.kind, document.slug.as_str())) {
                problems.extend(check_document(glossary, original, document));
            }
        }
        for file in strings_files.iter().filter(|f| f.lang == glossary.lang) {
            problems.extend(check_strings(glossary, file, strings, default_language));
        }
    }
    problems
}

/// The texts of a translation paired with its original's: text fields by
/// name, body paragraphs by index. Texts the translation inherits are the
/// original's own words and are left out.
fn check_document(
    glossary: &Glossary,
    original: &Document,
    translation: &Document,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let theirs: BTreeMap<String, String> =
        crate::model::text_values(original).into_iter().collect();
    let front_matter = &translation.source[..translation.body_start];
    for (field, text) in crate::model::text_values(translation) {
        if field == "body" {
            continue;
        }
        let Some(their_text) = theirs.get(&field).filter(|t| **t != text) else {
            continue;
        };
        let key = field.split('.').next().unwrap_or(&field);
        let key_at = translation.span(key).map_or(0, |s| s.key.start);
        // The field's own text, found by its opening words, so that a word
        // to avoid is shown in the entry that has it, not in an earlier
        // entry of the same list.
        let opening: String = text.chars().take(12).collect();
        let from = front_matter[key_at..]
            .find(opening.as_str())
            .map_or(key_at, |at| key_at + at);
        for (term, wrong) in misrendered(glossary, their_text, &text) {
            let location = match front_matter[from..].find(wrong) {
                Some(at) => translation.location(from + at, wrong.len()),
                None => translation.field_location(key),
            };
            problems.push(warning(glossary, term, wrong, location));
        }
    }
    let own_body = translation
        .translation
        .as_ref()
        .is_none_or(|t| t.body.is_none());
    if own_body {
        let ours = paragraphs(&translation.source, translation.body_start);
        let theirs = paragraphs(original.body(), 0);
        for ((at, text), (_, their_text)) in ours.into_iter().zip(theirs) {
            for (term, wrong) in misrendered(glossary, their_text, text) {
                let location = match text.find(wrong) {
                    Some(inside) => translation.location(at + inside, wrong.len()),
                    None => translation.location(at, 0),
                };
                problems.push(warning(glossary, term, wrong, location));
            }
        }
    }
    problems
}

/// Interface strings of one file paired with the default language's by key.
/// Strings another file overrides are left to that file.
fn check_strings(
    glossary: &Glossary,
    file: &StringsFile,
    strings: &Strings,
    default_language: &str,
) -> Vec<Diagnostic> {
    let Ok(table) = toml::from_str::<BTreeMap<String, String>>(&file.text) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    for (key, text) in &table {
        if strings.get_own(&file.lang, key) != Some(text.as_str()) {
            continue;
        }
        let Some(original) = strings.get_own(default_language, key) else {
            continue;
        };
        for (term, wrong) in misrendered(glossary, original, text) {
            let line = file
                .text
                .match_indices(key.as_str())
                .map(|(at, _)| at)
                .find(|&at| at == 0 || file.text.as_bytes()[at - 1] == b'\n');
            let location = match line {
                Some(start) => {
                    let at = file.text[start..].find(wrong).map_or(start, |i| start + i);
                    Location::at(&file.path, &file.text, at, wrong.len())
                }
                None => Location::at(&file.path, &file.text, 0, 0),
            };
            problems.push(warning(glossary, term, wrong, location));
        }
    }
    problems
}

fn warning(glossary: &Glossary, term: &Term, wrong: &str, location: Location) -> Diagnostic {
    let rendering = &term.rendering[0];
    let original = &term.original[0];
    let mut hint = format!(
        "write «{rendering}», the rendering `{}` gives for \"{original}\"",
        glossary.path.display()
    );
    if let Some(note) = &term.note {
        hint.push_str(&format!(": {note}"));
    }
    Diagnostic::warning(
        Code::OffGlossary,
        format!("the original uses the glossary term \"{original}\", and this text renders it «{wrong}», not as the glossary does"),
    )
    .at(location)
    .hint(hint)
}

/// The terms the original text uses that the translation renders with a
/// word to avoid and none of the glossary's forms, each with that word as
/// the translation writes it.
fn misrendered<'g>(
    glossary: &'g Glossary,
    original: &str,
    translation: &str,
) -> Vec<(&'g Term, &'g str)> {
    let original = original.to_lowercase();
    let translation = plain(translation);
    glossary
        .terms
        .iter()
        .filter(|term| {
            term.original
                .iter()
                .any(|w| has_word(&original, &w.to_lowercase()))
        })
        .filter(|term| !term.rendering.iter().any(|w| contains(&translation, w)))
        .filter_map(|term| {
            term.avoid
                .iter()
                .find(|w| contains(&translation, w))
                .map(|w| (term, w.as_str()))
        })
        .collect()
}

fn contains(plain_text: &str, word: &str) -> bool {
    let word = plain(word);
    !word.is_empty() && plain_text.contains(&word)
}

/// `text` without the marks that writers add or leave out at will: Arabic
/// short vowels and tatweel, combining accents; lower case.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| {
            !matches!(c,
                '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}'
                | '\u{0670}' | '\u{0640}' | '\u{06D6}'..='\u{06ED}')
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `word` occurs in `text` with no letter or digit on either side.
fn has_word(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The body's paragraphs: runs of lines with no blank line between them,
/// each with its byte offset in `text`, counted from `start`.
fn paragraphs(text: &str, start: usize) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut block: Option<usize> = None;
    let mut offset = start;
    let mut end = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim().is_empty() {
            if let Some(from) = block.take() {
                found.push((from, text[from..end].trim_end()));
            }
        } else {
            block.get_or_insert(offset);
            end = offset + line.len();
        }
        offset += line.len();
    }
    if let Some(from) = block {
        found.push((from, text[from..end].trim_end()));
    }
    found
}
