//! The dossier's nouns: the five collections, their typed fields, partial
//! dates and casualty ranges, and how each collection's front matter is read.
//!
//! How each collection's front matter is read is in `read`: it takes the
//! file's text and returns the typed document with every problem found in
//! it. Nothing here resolves references
//! (that is `graph`) or knows about HTML (that is `render`).

mod read;
mod translate;

pub use read::{read_document, read_fields};
pub use translate::{
    LanguageNames, TEXT_FIELDS, Translated, Translation, read_translation, text_hash,
};

use std::cmp::Ordering;
use std::fmt;
use std::path::PathBuf;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::diagnostic::{Diagnostic, HINT_SEPARATOR, Location};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Collection {
    Demands,
    Incidents,
    Actors,
    Sources,
    Figures,
}

impl Collection {
    pub const ALL: [Collection; 5] = [
        Collection::Demands,
        Collection::Incidents,
        Collection::Actors,
        Collection::Sources,
        Collection::Figures,
    ];

    /// The folder name under `content/`, which is also the URL segment.
    pub fn name(self) -> &'static str {
        match self {
            Collection::Demands => "demands",
            Collection::Incidents => "incidents",
            Collection::Actors => "actors",
            Collection::Sources => "sources",
            Collection::Figures => "figures",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Collection::Demands => "demand",
            Collection::Incidents => "incident",
            Collection::Actors => "actor",
            Collection::Sources => "source",
            Collection::Figures => "figure",
        }
    }

    pub fn from_name(name: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The collection an editor means by `incidents` or `incident`.
    pub fn from_word(word: &str) -> Option<Collection> {
        Collection::ALL
            .into_iter()
            .find(|c| c.name() == word || c.singular() == word)
    }
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Declares an enum of the words an editor may write for a field, with the
/// list of those words for hints and templates.
macro_rules! keywords {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $word)] $variant),+
        }

        impl $name {
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }
        }
    };
}

keywords!(DemandKind {
    Investigation = "investigation",
    Prosecution = "prosecution",
    Reparation = "reparation",
    Protection = "protection",
    Humanitarian = "humanitarian",
    Withdrawal = "withdrawal",
    NonInterference = "non-interference",
    Other = "other",
});

keywords!(Status {
    Unmet = "unmet",
    Partial = "partial",
    Met = "met",
    Rejected = "rejected",
});

keywords!(Verification {
    Confirmed = "confirmed",
    Corroborated = "corroborated",
    SingleSource = "single-source",
    Contested = "contested",
});

keywords!(Step {
    None = "none",
    Denied = "denied",
    Inquiry = "inquiry",
    Charges = "charges",
    Trial = "trial",
    Conviction = "conviction",
    Acquittal = "acquittal",
    Compensation = "compensation",
});

keywords!(ActorKind {
    State = "state",
    ArmedForce = "armed-force",
    ArmedGroup = "armed-group",
    Company = "company",
    Official = "official",
    Ngo = "ngo",
    Intergovernmental = "intergovernmental",
    Court = "court",
    Media = "media",
    Academic = "academic",
});

keywords!(SourceKind {
    NgoReport = "ngo-report",
    NgoStatement = "ngo-statement",
    UnReport = "un-report",
    GovernmentStatement = "government-statement",
    CourtRecord = "court-record",
    Press = "press",
    Academic = "academic",
    Advocacy = "advocacy",
});

keywords!(Method {
    Count = "count",
    Survey = "survey",
    Official = "official",
    Compilation = "compilation",
});

/// A date as precise as the source: `2003`, `2004-05` or `2005-11-19`.
/// Sorting puts a partial date at the start of its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

const DATE_HINT: &str = "write dates as `2005`, `2005-11` or `2005-11-19`";

impl PartialDate {
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let bad = |why: &str| format!("`{text}` is not a date{why}{HINT_SEPARATOR}{DATE_HINT}");
        let mut parts = text.trim().split('-');
        let year_text = parts.next().unwrap_or("");
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(""));
        }
        let year: i16 = year_text.parse().map_err(|_| bad(""))?;
        let mut number = |name: &str| -> Result<Option<u8>, String> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Some(p.parse().map_err(|_| bad(""))?))
                }
                Some(_) => Err(bad(&format!(": the {name} must have two digits"))),
            }
        };
        let month = number("month")?;
        let day = number("day")?;
        if parts.next().is_some() {
            return Err(bad(""));
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(bad(&format!(": there is no month {m}")));
        }
        if let (Some(m), Some(d)) = (month, day)
            && jiff::civil::Date::new(year, m as i8, d as i8).is_err()
        {
            return Err(bad(&format!(": {} has no day {d}", month_name(m))));
        }
        Ok(PartialDate { year, month, day })
    }

    /// The first day of the period, for comparisons with full dates.
    pub fn sort_key(&self) -> (i16, u8, u8) {
        (self.year, self.month.unwrap_or(0), self.day.unwrap_or(0))
    }

    /// "19 November 2005", "May 2004" or "2003": the precision the source gave.
    pub fn display(&self) -> String {
        self.display_with(self.month.map_or("", month_name))
    }

    /// The same, with the month's name in another language.
    pub fn display_with(&self, month: &str) -> String {
        match (self.month, self.day) {
            (Some(_), Some(d)) => format!("{d} {month} {}", self.year),
            (Some(_), None) => format!("{month} {}", self.year),
            _ => self.year.to_string(),
        }
    }
}

pub fn month_name(month: u8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get(usize::from(month).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 2005, 2005-11 or 2005-11-19")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PartialDate, E> {
                PartialDate::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

/// A number of people, exact or as the range sources give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Count {
    pub min: u64,
    pub max: u64,
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CountVisitor;
        impl<'de> Visitor<'de> for CountVisitor {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number or `{min: N, max: M}`")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                Ok(Count { min: v, max: v })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                Err(E::custom(format!(
                    "`{v}` is negative{HINT_SEPARATOR}a count is 0 or more"
                )))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Count, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Range {
                    min: u64,
                    max: u64,
                }
                let range = Range::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if range.min > range.max {
                    return Err(de::Error::custom(format!(
                        "`min` ({}) is larger than `max` ({}){HINT_SEPARATOR}swap the two numbers",
                        range.min, range.max
                    )));
                }
                Ok(Count {
                    min: range.min,
                    max: range.max,
                })
            }
        }
        deserializer.deserialize_any(CountVisitor)
    }
}

/// Fields every document may have.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Common {
    pub title: String,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub updated: Option<PartialDate>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    pub date: PartialDate,
    pub status: Status,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Demand {
    pub kind: DemandKind,
    pub addressees: Vec<String>,
    pub raised_by: Vec<String>,
    pub first_raised: Option<PartialDate>,
    /// The status the page shows: the written `status`, or else the newest
    /// history entry's.
    pub status: Status,
    pub sources: Vec<String>,
    pub incidents: Vec<String>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    #[serde(default)]
    pub governorate: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Casualties {
    #[serde(default)]
    pub killed: Option<Count>,
    #[serde(default)]
    pub injured: Option<Count>,
    #[serde(default)]
    pub detained: Option<Count>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountabilityStep {
    pub date: PartialDate,
    pub step: Step,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub source: Option<String>,
}

/// What `perpetrators` holds when the sources do not say who did it.
pub const UNKNOWN_PERPETRATOR: &str = "unknown";

#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub date: PartialDate,
    pub end_date: Option<PartialDate>,
    pub place: Option<Place>,
    /// Actor slugs; empty when the perpetrator is not known.
    pub perpetrators: Vec<String>,
    pub verification: Option<Verification>,
    pub casualties: Casualties,
    pub victims: Option<String>,
    pub sources: Vec<String>,
    pub demands: Vec<String>,
    pub accountability: Vec<AccountabilityStep>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub kind: ActorKind,
    pub country: Option<String>,
    pub part_of: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Archive {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub kind: SourceKind,
    pub publisher: Option<String>,
    pub authors: Vec<String>,
    pub date: Option<PartialDate>,
    /// Written `url:`; exported and shown to templates as `original_url`,
    /// because `url` is every document's own address.
    #[serde(rename = "original_url")]
    pub url: Option<String>,
    pub archive: Option<Archive>,
    pub perspective: Option<String>,
    /// When the editors read the copy they cite.
    pub accessed: Option<PartialDate>,
    /// The language of that copy (`en`, `ar`).
    pub language: Option<String>,
    /// What the copy read is: "machine translation of the original",
    /// "press release, not the full report".
    pub copy: Option<String>,
    /// The source slug through which the text reached the editors.
    pub via: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    pub min: u64,
    #[serde(default)]
    pub max: Option<u64>,
    pub what: String,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub method: Option<Method>,
    #[serde(default)]
    pub period: Option<Vec<PartialDate>>,
    pub source: String,
}

impl Estimate {
    pub fn max(&self) -> u64 {
        self.max.unwrap_or(self.min)
    }
}

/// The largest number an estimate may hold: a thousand million million,
/// far above any count of people or money, and far below where a chart's
/// arithmetic would overflow.
pub const LARGEST_ESTIMATE: u64 = 1_000_000_000_000_000;

#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub unit: String,
    pub estimates: Vec<Estimate>,
}

/// The typed fields of a document, by what it is.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Fields {
    Demand(Demand),
    Incident(Incident),
    Actor(Actor),
    Source(Source),
    Figure(Figure),
    /// A free page (`about.md`) or the home page text (`_index.md`).
    Page,
}

/// What a document is, which decides its URL and template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKind {
    Home,
    Page,
    Entry(Collection),
}

/// A reference from a front-matter field to a document of a collection, with
/// where it was written so a missing target can be pointed at.
#[derive(Debug, Clone)]
pub struct Reference {
    pub field: &'static str,
    pub target: Collection,
    pub slug: String,
    pub offset: usize,
    pub len: usize,
}

/// A `[text](@/collection/slug.md)` link in a body, with the byte range of
/// its destination in the file.
#[derive(Debug, Clone)]
pub struct BodyLink {
    pub target: String,
    pub offset: usize,
    pub len: usize,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub kind: DocKind,
    /// The file stem for collection entries, the path without `.md` for free
    /// pages (`about`, `guides/adding`), empty for the home page.
    pub slug: String,
    pub lang: String,
    /// Relative to the site root, with `/` separators: how diagnostics name it.
    pub path: PathBuf,
    pub source: String,
    pub body_start: usize,
    pub common: Common,
    pub fields: Fields,
    pub references: Vec<Reference>,
    pub body_links: Vec<BodyLink>,
    pub citations: crate::cite::BodyCitations,
    /// For a translation: its original's language, the text it inherits,
    /// and its record of itself. `None` for an original.
    pub translation: Option<Translation>,
}

impl Document {
    /// The Markdown body: a translation without a body of its own shows its
    /// original's.
    pub fn body(&self) -> &str {
        match self.translation.as_ref().and_then(|t| t.body.as_deref()) {
            Some(body) => body,
            None => &self.source[self.body_start..],
        }
    }

    pub fn collection(&self) -> Option<Collection> {
        match self.kind {
            DocKind::Entry(c) => Some(c),
            _ => None,
        }
    }

    /// The date a document is filed under in timelines and lists.
    pub fn date(&self) -> Option<PartialDate> {
        match &self.fields {
            Fields::Incident(i) => Some(i.date),
            Fields::Demand(d) => d.first_raised,
            Fields::Source(s) => s.date,
            _ => self.common.updated,
        }
    }

    pub fn location(&self, offset: usize, len: usize) -> Location {
        Location::at(&self.path, &self.source, offset, len)
    }
}

/// Orders documents the way lists show them: newest dated first, then by
/// title, then slug (so equal titles still sort the same every run).
pub fn compare_for_list(a: &Document, b: &Document) -> Ordering {
    b.date()
        .map(|d| d.sort_key())
        .cmp(&a.date().map(|d| d.sort_key()))
        .then_with(|| a.common.title.cmp(&b.common.title))
        .then_with(|| a.slug.cmp(&b.slug))
}

/// A document whose front matter could not be read in full. Its
/// references are kept so that their mistakes are reported in the same run
/// as the document's own.
#[derive(Debug, Clone)]
pub struct Unread {
    pub kind: DocKind,
    pub slug: String,
    pub path: PathBuf,
    pub source: String,
    pub body_start: usize,
    pub references: Vec<Reference>,
    pub body_links: Vec<BodyLink>,
    pub citations: crate::cite::BodyCitations,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_keep_their_precision_and_sort_first_in_their_period() {
        let month = PartialDate::parse("2004-05").unwrap();
        let day = PartialDate::parse("2004-05-01").unwrap();
        assert_eq!(month.display(), "May 2004");
        assert_eq!(day.display(), "1 May 2004");
        assert!(month < day);
        assert_eq!(PartialDate::parse("2003").unwrap().to_string(), "2003");
    }

    #[test]
    fn impossible_dates_are_refused() {
        let error = PartialDate::parse("2005-02-30").unwrap_err();
        assert!(error.contains("February has no day 30"), "{error}");
        assert!(PartialDate::parse("2005-13").is_err());
        assert!(PartialDate::parse("05-11-19").is_err());
        assert!(PartialDate::parse("2005-1-19").is_err());
    }
}
