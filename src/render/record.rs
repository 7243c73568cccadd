//! What pages show of the record of changes: a document's corrections
//! (`page.corrections`), its change history from git (`page.revisions`), and
//! every correction of the dossier for the corrections page. Pure: the
//! history was read before rendering.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::graph::DocId;
use crate::model::{Correction, Document, PartialDate};

use super::Renderer;
use super::view::direction_word;

/// A correction as templates see it.
#[derive(Serialize)]
struct Shown<'a> {
    date: PartialDate,
    was: &'a str,
    now: &'a str,
    why: &'a str,
    /// The original's language (`lang`, `dir`) when a translation shows the
    /// correction in the original's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    mark: Option<BTreeMap<&'static str, &'a str>>,
}

/// A revision as templates see it.
#[derive(Serialize)]
struct Revision<'a> {
    date: &'a str,
    summary: &'a str,
}

/// `page.revisions`: when the document was first published and last
/// changed, how many commits changed it, and those commits, newest first.
/// Commit messages are taken to be in the site's default language: on
/// another language's page they are marked as such (`mark`).
#[derive(Serialize)]
struct HistoryView<'a> {
    first: &'a str,
    last: &'a str,
    count: usize,
    revisions: Vec<Revision<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mark: Option<BTreeMap<&'static str, &'a str>>,
}

impl Renderer<'_> {
    /// A document's corrections, newest first.
    pub(crate) fn corrections_value(&self, document: &Document) -> Value {
        Value::from_serializable(&self.shown_corrections(document))
    }

    fn shown_corrections<'d>(&self, document: &'d Document) -> Vec<Shown<'d>> {
        document
            .common
            .corrections
            .iter()
            .enumerate()
            .rev()
            .map(|(i, correction)| self.shown(document, i, correction))
            .collect()
    }

    fn shown<'d>(&self, document: &'d Document, i: usize, correction: &'d Correction) -> Shown<'d> {
        let mark = document.translation.as_ref().filter(|t| {
            correction.texts().iter().any(|(name, _)| {
                let field = format!("corrections.{}.{name}", i + 1);
                t.inherited.contains(&field)
            })
        });
        Shown {
            date: correction.date,
            was: &correction.was,
            now: &correction.now,
            why: &correction.why,
            mark: mark.map(|t| {
                BTreeMap::from([
                    ("lang", t.from.as_str()),
                    ("dir", direction_word(self.config.direction(&t.from))),
                ])
            }),
        }
    }

    /// `page.revisions` of document `id`: the commits that changed its file
    /// or a translation's; none when git gave no history.
    pub(crate) fn revisions_value(&self, id: DocId, lang: Option<&str>) -> Value {
        let revisions = self.history.of_document(self.graph, id);
        let (Some(first), Some(last)) = (revisions.first(), revisions.last()) else {
            return Value::none();
        };
        let default = self.config.default_language.as_str();
        let mark = lang.filter(|l| *l != default).map(|_| {
            BTreeMap::from([
                ("lang", default),
                ("dir", direction_word(self.config.direction(default))),
            ])
        });
        Value::from_serializable(&HistoryView {
            mark,
            first: &first.date,
            last: &last.date,
            count: revisions.len(),
            revisions: revisions
                .iter()
                .rev()
                .map(|r| Revision {
                    date: &r.date,
                    summary: &r.summary,
                })
                .collect(),
        })
    }

    /// Every correction of the dossier as `lang` shows it, newest first,
    /// each with its `document` (the summary a list shows).
    pub(crate) fn all_corrections(&self, lang: Option<&str>) -> Value {
        let graph = self.graph;
        let mut all: Vec<(PartialDate, usize, Value)> = Vec::new();
        for (id, original) in graph.documents.iter().enumerate() {
            if !original.lang.is_empty() {
                continue;
            }
            let shown = graph
                .get_in(original.kind, &original.slug, lang)
                .unwrap_or(id);
            let document = &graph.documents[shown];
            for correction in self.shown_corrections(document) {
                let date = correction.date;
                let mut value = Value::from_serializable(&correction)
                    .into_map()
                    .unwrap_or_default();
                value.insert("document".into(), self.summary_in(id, lang));
                all.push((date, id, Value::from(value)));
            }
        }
        // Newest first; on one day, in the order documents are listed.
        all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        Value::from(all.into_iter().map(|(_, _, v)| v).collect::<Vec<_>>())
    }
}
