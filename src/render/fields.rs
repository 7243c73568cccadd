//! The kinds' own fields as templates see them (`page.kind`,
//! `page.history`, `item.casualties`...): part of the theme context that
//! `docs/themes.md` documents, kept apart from the content model so that a
//! change inside the model cannot change what themes receive unseen.
//! Keyword values and partial dates are the words and forms editors write.
//! They read like `export::v1`'s field types, on purpose apart: the two
//! contracts have different readers and change on their own (the export
//! adds `place.located_by`; a theme may one day get a field the export
//! does not, or the reverse).

use serde::Serialize;

use crate::model::{
    self, ActorKind, DemandKind, Method, PartialDate, SourceKind, Status, Step, Verification,
};

/// A kind's own fields, beside a document's common ones.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Fields<'a> {
    Demand(Demand<'a>),
    Incident(Incident<'a>),
    Actor(Actor<'a>),
    Source(Source<'a>),
    Figure(Figure<'a>),
}

#[derive(Serialize)]
pub(crate) struct Demand<'a> {
    pub(crate) kind: DemandKind,
    pub(crate) addressees: &'a [String],
    pub(crate) raised_by: &'a [String],
    pub(crate) first_raised: Option<PartialDate>,
    /// The written status, or else the newest history entry's.
    pub(crate) status: Status,
    /// Source slugs; their locators and quotes are in `references`.
    pub(crate) sources: Vec<&'a str>,
    pub(crate) incidents: &'a [String],
    pub(crate) history: Vec<HistoryEntry<'a>>,
    pub(crate) reviewed: Option<PartialDate>,
}

#[derive(Serialize)]
pub(crate) struct HistoryEntry<'a> {
    pub(crate) date: PartialDate,
    pub(crate) status: Status,
    pub(crate) note: &'a str,
    #[serde(flatten)]
    pub(crate) source: Option<SourceRef<'a>>,
}

#[derive(Serialize)]
pub(crate) struct Incident<'a> {
    pub(crate) date: PartialDate,
    pub(crate) end_date: Option<PartialDate>,
    pub(crate) place: Option<Place<'a>>,
    /// Actor slugs; empty when the perpetrator is not known.
    pub(crate) perpetrators: &'a [String],
    pub(crate) verification: Option<Verification>,
    pub(crate) casualties: Casualties,
    pub(crate) victims: Option<&'a str>,
    pub(crate) sources: Vec<&'a str>,
    pub(crate) demands: &'a [String],
    pub(crate) accountability: Vec<AccountabilityStep<'a>>,
}

#[derive(Serialize)]
pub(crate) struct Place<'a> {
    pub(crate) name: &'a str,
    pub(crate) governorate: Option<&'a str>,
    pub(crate) lat: Option<f64>,
    pub(crate) lon: Option<f64>,
    pub(crate) source: Option<SourceRef<'a>>,
}

#[derive(Serialize)]
pub(crate) struct Casualties {
    pub(crate) killed: Option<Count>,
    pub(crate) injured: Option<Count>,
    pub(crate) detained: Option<Count>,
}

/// A count of people: `kind` (`exact`, `range`, `at-least`, ...), `min`
/// left out for an upper bound, `max` for a lower bound; an exact or
/// approximate count has both, equal.
#[derive(Serialize)]
pub(crate) struct Count {
    pub(crate) kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) min: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) max: Option<u64>,
}

#[derive(Serialize)]
pub(crate) struct AccountabilityStep<'a> {
    pub(crate) date: PartialDate,
    pub(crate) step: Step,
    pub(crate) note: &'a str,
    #[serde(flatten)]
    pub(crate) source: Option<SourceRef<'a>>,
}

/// A source named for a claim, with where in it the claim stands.
#[derive(Serialize)]
pub(crate) struct SourceRef<'a> {
    pub(crate) source: &'a str,
    pub(crate) locator: Option<&'a str>,
    pub(crate) quote: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct Actor<'a> {
    pub(crate) kind: ActorKind,
    pub(crate) country: Option<&'a str>,
    pub(crate) part_of: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct Source<'a> {
    pub(crate) kind: SourceKind,
    pub(crate) publisher: Option<&'a str>,
    pub(crate) authors: &'a [String],
    pub(crate) date: Option<PartialDate>,
    /// The source's own address (written `url:`; `url` is the document's
    /// page).
    pub(crate) original_url: Option<&'a str>,
    pub(crate) archive: Option<Archive<'a>>,
    pub(crate) perspective: Option<&'a str>,
    pub(crate) accessed: Option<PartialDate>,
    pub(crate) language: Option<&'a str>,
    pub(crate) copy: Option<&'a str>,
    pub(crate) via: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct Archive<'a> {
    pub(crate) url: Option<&'a str>,
    pub(crate) file: Option<&'a str>,
    pub(crate) sha256: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct Figure<'a> {
    pub(crate) unit: &'a str,
    pub(crate) estimates: Vec<Estimate<'a>>,
}

/// One source's estimate: its count's keys, then what it counts, then the
/// source's.
#[derive(Serialize)]
pub(crate) struct Estimate<'a> {
    #[serde(flatten)]
    pub(crate) count: Count,
    pub(crate) what: &'a str,
    pub(crate) scope: Option<&'a str>,
    pub(crate) method: Option<Method>,
    pub(crate) period: Option<&'a [PartialDate]>,
    #[serde(flatten)]
    pub(crate) source: SourceRef<'a>,
}

impl<'a> Fields<'a> {
    /// None for a free page, which has no fields of its own.
    pub(crate) fn of(fields: &'a model::Fields) -> Option<Fields<'a>> {
        Some(match fields {
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
            model::Fields::Page => return None,
        })
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
