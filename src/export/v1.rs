//! `data/dossier.json`, format `dossier/1`: the types its readers see.
//!
//! This is a public contract, kept apart from the content model so that a
//! change inside the model cannot change the export by accident: every
//! key, its order and its form are written here. Additions keep the
//! version; a change that could break a reader bumps [`super::FORMAT`].
//! The keyword values (`kind`, `status`, `step`...) and partial dates are
//! the words and forms editors write. Pinned by `tests/it/golden/dossier.json`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{
    self, ActorKind, DemandKind, Method, PartialDate, SourceKind, Status, Step, Verification,
};

/// The whole file.
#[derive(Serialize)]
pub struct Export<'a> {
    pub format: &'static str,
    pub site: Site<'a>,
    pub documents: Documents<'a>,
    /// The free pages (`about`), default language only.
    pub pages: Vec<PageLink<'a>>,
}

#[derive(Serialize)]
pub struct Site<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: Option<&'a str>,
    pub default_language: &'a str,
    pub languages: Vec<&'a str>,
}

/// The default-language documents of each collection, in list order.
#[derive(Serialize)]
pub struct Documents<'a> {
    pub demands: Vec<Document<'a>>,
    pub incidents: Vec<Document<'a>>,
    pub actors: Vec<Document<'a>>,
    pub sources: Vec<Document<'a>>,
    pub figures: Vec<Document<'a>>,
}

#[derive(Serialize)]
pub struct PageLink<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
}

/// One document: the fields every document has, its kind's own fields
/// beside them, then what it refers to, what refers to it, and its
/// translations.
#[derive(Serialize)]
pub struct Document<'a> {
    pub slug: &'a str,
    pub lang: &'a str,
    /// Its page, relative to the site root.
    pub url: String,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub tags: &'a [String],
    pub updated: Option<PartialDate>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    #[serde(flatten)]
    pub fields: Fields<'a>,
    /// By front-matter field, in the order written.
    pub references: BTreeMap<&'a str, Vec<Link<'a>>>,
    pub backlinks: Vec<Backlink<'a>>,
    pub translations: Vec<Translation<'a>>,
    /// Its corrections, oldest first; absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction<'a>>,
    /// The commits that changed its file or a translation's, oldest first;
    /// absent when there are none or the site is not in git.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Revision<'a>>,
}

/// A correction on the record.
#[derive(Serialize)]
pub struct Correction<'a> {
    pub date: PartialDate,
    pub was: &'a str,
    pub now: &'a str,
    pub why: &'a str,
}

impl<'a> Correction<'a> {
    pub fn of(correction: &'a model::Correction) -> Correction<'a> {
        Correction {
            date: correction.date,
            was: &correction.was,
            now: &correction.now,
            why: &correction.why,
        }
    }
}

/// A commit that changed a document.
#[derive(Serialize)]
pub struct Revision<'a> {
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    pub commit: &'a str,
    /// The first line of its message.
    pub summary: &'a str,
}

/// One correction in `data/corrections.json`: the correction and the
/// document it corrects.
#[derive(Serialize)]
pub struct CorrectionOf<'a> {
    /// The document's collection, or `pages` for a free page.
    pub collection: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    #[serde(flatten)]
    pub correction: Correction<'a>,
}

/// A kind's own fields, written among the document's.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Fields<'a> {
    Demand(Demand<'a>),
    Incident(Incident<'a>),
    Actor(Actor<'a>),
    Source(Source<'a>),
    Figure(Figure<'a>),
    /// A free page has none.
    None {},
}

#[derive(Serialize)]
pub struct Demand<'a> {
    pub kind: DemandKind,
    pub addressees: &'a [String],
    pub raised_by: &'a [String],
    pub first_raised: Option<PartialDate>,
    /// The written status, or else the newest history entry's.
    pub status: Status,
    /// Source slugs; their locators and quotes are in `references`.
    pub sources: Vec<&'a str>,
    pub incidents: &'a [String],
    pub history: Vec<HistoryEntry<'a>>,
    pub reviewed: Option<PartialDate>,
}

#[derive(Serialize)]
pub struct HistoryEntry<'a> {
    pub date: PartialDate,
    pub status: Status,
    pub note: &'a str,
    #[serde(flatten)]
    pub source: Option<SourceRef<'a>>,
}

#[derive(Serialize)]
pub struct Incident<'a> {
    pub date: PartialDate,
    pub end_date: Option<PartialDate>,
    pub place: Option<Place<'a>>,
    /// Actor slugs; empty when the perpetrator is not known.
    pub perpetrators: &'a [String],
    pub verification: Option<Verification>,
    pub casualties: Casualties,
    pub victims: Option<&'a str>,
    pub sources: Vec<&'a str>,
    pub demands: &'a [String],
    pub accountability: Vec<AccountabilityStep<'a>>,
}

#[derive(Serialize)]
pub struct Place<'a> {
    pub name: &'a str,
    pub governorate: Option<&'a str>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub source: Option<SourceRef<'a>>,
    /// `source` or `editors`: who placed the incident where it is shown;
    /// absent when there is only a name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub located_by: Option<&'static str>,
}

#[derive(Serialize)]
pub struct Casualties {
    pub killed: Option<Count>,
    pub injured: Option<Count>,
    pub detained: Option<Count>,
}

/// A count of people: `kind` (`exact`, `range`, `at-least`, ...), `min`
/// left out for an upper bound, `max` for a lower bound; an exact or
/// approximate count has both, equal.
#[derive(Serialize)]
pub struct Count {
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
}

#[derive(Serialize)]
pub struct AccountabilityStep<'a> {
    pub date: PartialDate,
    pub step: Step,
    pub note: &'a str,
    #[serde(flatten)]
    pub source: Option<SourceRef<'a>>,
}

/// A source named for a claim, with where in it the claim stands.
#[derive(Serialize)]
pub struct SourceRef<'a> {
    pub source: &'a str,
    pub locator: Option<&'a str>,
    pub quote: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Actor<'a> {
    pub kind: ActorKind,
    pub country: Option<&'a str>,
    pub part_of: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Source<'a> {
    pub kind: SourceKind,
    pub publisher: Option<&'a str>,
    pub authors: &'a [String],
    pub date: Option<PartialDate>,
    /// The source's own address (written `url:`; `url` is the document's
    /// page).
    pub original_url: Option<&'a str>,
    pub archive: Option<Archive<'a>>,
    pub perspective: Option<&'a str>,
    pub accessed: Option<PartialDate>,
    pub language: Option<&'a str>,
    pub copy: Option<&'a str>,
    pub via: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Archive<'a> {
    pub url: Option<&'a str>,
    pub file: Option<&'a str>,
    pub sha256: Option<&'a str>,
}

#[derive(Serialize)]
pub struct Figure<'a> {
    pub unit: &'a str,
    pub estimates: Vec<Estimate<'a>>,
}

/// One source's estimate: its count's keys, then what it counts, then the
/// source's.
#[derive(Serialize)]
pub struct Estimate<'a> {
    #[serde(flatten)]
    pub count: Count,
    pub what: &'a str,
    pub scope: Option<&'a str>,
    pub method: Option<Method>,
    pub period: Option<&'a [PartialDate]>,
    #[serde(flatten)]
    pub source: SourceRef<'a>,
}

/// A reference from a field: the target's slug and page (none when it does
/// not exist), with the locator and quote the reference gives.
#[derive(Serialize)]
pub struct Link<'a> {
    pub slug: &'a str,
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locator: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<&'a str>,
}

/// A document referring to this one, through `field`.
#[derive(Serialize)]
pub struct Backlink<'a> {
    pub collection: &'a str,
    pub slug: &'a str,
    pub field: &'a str,
    pub url: String,
}

#[derive(Serialize)]
pub struct Translation<'a> {
    pub lang: &'a str,
    pub url: String,
    pub title: &'a str,
    pub summary: Option<&'a str>,
}

impl<'a> Fields<'a> {
    pub fn of(fields: &'a model::Fields) -> Fields<'a> {
        match fields {
            model::Fields::Demand(f) => Fields::Demand(Demand {
                kind: f.kind,
                addressees: &f.addressees,
                raised_by: &f.raised_by,
                first_raised: f.first_raised,
                status: f.status,
                sources: slugs(&f.sources),
                incidents: &f.incidents,
                history: f
                    .history
                    .iter()
                    .map(|h| HistoryEntry {
                        date: h.date,
                        status: h.status,
                        note: &h.note,
                        source: h.source.as_ref().map(SourceRef::of),
                    })
                    .collect(),
                reviewed: f.reviewed,
            }),
            model::Fields::Incident(f) => Fields::Incident(Incident {
                date: f.date,
                end_date: f.end_date,
                place: f.place.as_ref().map(|p| Place {
                    name: &p.name,
                    governorate: p.governorate.as_deref(),
                    lat: p.lat,
                    lon: p.lon,
                    source: p.source.as_ref().map(SourceRef::of),
                    located_by: p.located_by(),
                }),
                perpetrators: &f.perpetrators,
                verification: f.verification,
                casualties: Casualties {
                    killed: f.casualties.killed.map(Count::of),
                    injured: f.casualties.injured.map(Count::of),
                    detained: f.casualties.detained.map(Count::of),
                },
                victims: f.victims.as_deref(),
                sources: slugs(&f.sources),
                demands: &f.demands,
                accountability: f
                    .accountability
                    .iter()
                    .map(|s| AccountabilityStep {
                        date: s.date,
                        step: s.step,
                        note: &s.note,
                        source: s.source.as_ref().map(SourceRef::of),
                    })
                    .collect(),
            }),
            model::Fields::Actor(f) => Fields::Actor(Actor {
                kind: f.kind,
                country: f.country.as_deref(),
                part_of: f.part_of.as_deref(),
            }),
            model::Fields::Source(f) => Fields::Source(Source {
                kind: f.kind,
                publisher: f.publisher.as_deref(),
                authors: &f.authors,
                date: f.date,
                original_url: f.url.as_deref(),
                archive: f.archive.as_ref().map(|a| Archive {
                    url: a.url.as_deref(),
                    file: a.file.as_deref(),
                    sha256: a.sha256.as_deref(),
                }),
                perspective: f.perspective.as_deref(),
                accessed: f.accessed,
                language: f.language.as_deref(),
                copy: f.copy.as_deref(),
                via: f.via.as_deref(),
            }),
            model::Fields::Figure(f) => Fields::Figure(Figure {
                unit: &f.unit,
                estimates: f
                    .estimates
                    .iter()
                    .map(|e| Estimate {
                        count: Count::of(e.count),
                        what: &e.what,
                        scope: e.scope.as_deref(),
                        method: e.method,
                        period: e.period.as_deref(),
                        source: SourceRef::of(&e.source),
                    })
                    .collect(),
            }),
            model::Fields::Page => Fields::None {},
        }
    }
}

impl Count {
    fn of(count: model::Count) -> Count {
        Count {
            kind: count.kind.as_str(),
            min: count.min(),
            max: count.high,
        }
    }
}

impl<'a> SourceRef<'a> {
    fn of(reference: &'a model::SourceRef) -> SourceRef<'a> {
        SourceRef {
            source: &reference.source,
            locator: reference.locator.as_deref(),
            quote: reference.quote.as_deref(),
        }
    }
}

fn slugs(references: &[model::SourceRef]) -> Vec<&str> {
    references.iter().map(|r| r.source.as_str()).collect()
}
