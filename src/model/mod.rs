//! The dossier's nouns: the five collections, their typed fields, partial
//! dates and casualty ranges, and how each collection's front matter is read.
//!
//! How each collection's front matter is read is in `read`: it takes the
//! file's text and returns the typed document with every problem found in
//! it. Nothing here resolves references
//! (that is `graph`) or knows about HTML (that is `render`).

mod citations;
mod read;
mod translate;

pub use citations::{BodyCitations, Citation, CiteItem, Paragraph};
pub use read::{read_document, read_fields};
pub(crate) use translate::text_values;
pub use translate::{
    LanguageNames, TEXT_FIELDS, Translated, Translation, read_translation, text_hash,
};

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::diagnostic::{Diagnostic, HINT_SEPARATOR, Location};
use crate::front_matter::FieldSpan;

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

// The order of each list is the order lists show their groups in (the
// actors page groups actors by kind in this order).
keywords!(ActorKind {
    State = "state",
    ArmedForce = "armed-force",
    ArmedGroup = "armed-group",
    Official = "official",
    Person = "person",
    Intergovernmental = "intergovernmental",
    Court = "court",
    Ngo = "ngo",
    Media = "media",
    Academic = "academic",
    Company = "company",
});

keywords!(SourceKind {
    NgoReport = "ngo-report",
    NgoStatement = "ngo-statement",
    UnReport = "un-report",
    CourtRecord = "court-record",
    GovernmentStatement = "government-statement",
    Academic = "academic",
    Press = "press",
    Advocacy = "advocacy",
});

keywords!(Method {
    Count = "count",
    Survey = "survey",
    Official = "official",
    Compilation = "compilation",
});

/// Every list of words a field takes, by the name templates know it by
/// (`site.words.actor_kind`), each in the order pages show its groups.
pub fn words() -> BTreeMap<&'static str, &'static [&'static str]> {
    BTreeMap::from([
        ("demand_kind", DemandKind::WORDS),
        ("status", Status::WORDS),
        ("verification", Verification::WORDS),
        ("step", Step::WORDS),
        ("actor_kind", ActorKind::WORDS),
        ("source_kind", SourceKind::WORDS),
        ("method", Method::WORDS),
    ])
}

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

keywords!(
    /// How a source words a one-sided count: `at-least` and `more-than`
    /// go with `min`; `up-to`, `fewer-than` and `nearly` with `max`.
    Wording {
        AtLeast = "at-least",
        MoreThan = "more-than",
        UpTo = "up-to",
        FewerThan = "fewer-than",
        Nearly = "nearly",
    }
);

impl Wording {
    /// Whether the wording belongs with a lower bound (`min`).
    pub fn is_lower(self) -> bool {
        matches!(self, Wording::AtLeast | Wording::MoreThan)
    }
}

keywords!(
    /// What a count says: the kind every export carries beside its numbers.
    CountKind {
        Exact = "exact",
        Range = "range",
        AtLeast = "at-least",
        MoreThan = "more-than",
        UpTo = "up-to",
        FewerThan = "fewer-than",
        Nearly = "nearly",
        About = "about",
    }
);

/// A number of people (or things) as the source gives it: exact (`24`), a
/// range (`{min: 12, max: 18}`), one-sided (`{min: 40}` "at least 40",
/// `{max: 27}` "up to 27", with the source's `wording`) or approximate
/// (`{about: 650000}`). `low` is the least it can be (0 for an upper
/// bound), `high` the most (none for a lower bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub kind: CountKind,
    pub low: u64,
    pub high: Option<u64>,
}

const COUNT_HINT: &str =
    "write a number, `{min: N, max: M}`, `{min: N}` (at least), `{max: N}` (up to) or `{about: N}`";

impl Count {
    pub fn exact(n: u64) -> Count {
        Count {
            kind: CountKind::Exact,
            low: n,
            high: Some(n),
        }
    }

    /// A count from the keys an editor wrote. `min` above `max` is left
    /// to the caller, which knows where to point.
    pub fn from_parts(
        min: Option<u64>,
        max: Option<u64>,
        about: Option<u64>,
        wording: Option<Wording>,
    ) -> Result<Count, String> {
        let wording_for = |lower: bool, default: CountKind| -> Result<CountKind, String> {
            match wording {
                None => Ok(default),
                Some(w) if w.is_lower() == lower => Ok(match w {
                    Wording::AtLeast => CountKind::AtLeast,
                    Wording::MoreThan => CountKind::MoreThan,
                    Wording::UpTo => CountKind::UpTo,
                    Wording::FewerThan => CountKind::FewerThan,
                    Wording::Nearly => CountKind::Nearly,
                }),
                Some(w) => Err(format!(
                    "`wording: {}` does not go with {}{HINT_SEPARATOR}`at-least` and `more-than` go with `min` alone; `up-to`, `fewer-than` and `nearly` with `max` alone",
                    w.as_str(),
                    if lower { "`min` alone" } else { "`max` alone" }
                )),
            }
        };
        match (min, max, about) {
            (None, None, Some(n)) if wording.is_none() => Ok(Count {
                kind: CountKind::About,
                low: n,
                high: Some(n),
            }),
            (_, _, Some(_)) => Err(format!(
                "`about` stands alone{HINT_SEPARATOR}write `{{about: N}}` for an approximate number, or `min`/`max` for bounds, not both"
            )),
            (Some(low), Some(high), None) => match wording {
                Some(w) => Err(format!(
                    "`wording: {}` is for a one-sided count{HINT_SEPARATOR}leave out `wording` for a range, or keep only `min` or `max`",
                    w.as_str()
                )),
                None => Ok(Count {
                    kind: if low == high {
                        CountKind::Exact
                    } else {
                        CountKind::Range
                    },
                    low,
                    high: Some(high),
                }),
            },
            (Some(low), None, None) => Ok(Count {
                kind: wording_for(true, CountKind::AtLeast)?,
                low,
                high: None,
            }),
            (None, Some(high), None) => Ok(Count {
                kind: wording_for(false, CountKind::UpTo)?,
                low: 0,
                high: Some(high),
            }),
            (None, None, None) => Err(format!(
                "a count needs a number{HINT_SEPARATOR}{COUNT_HINT}"
            )),
        }
    }

    /// The written lower bound (none for an upper bound alone).
    pub fn min(&self) -> Option<u64> {
        match self.kind {
            CountKind::UpTo | CountKind::FewerThan | CountKind::Nearly => None,
            _ => Some(self.low),
        }
    }

    /// The largest number the count reaches, for scales: its upper bound,
    /// or its lower bound when it has none.
    pub fn reach(&self) -> u64 {
        self.high.unwrap_or(self.low)
    }

    /// The order counts sort in: by their least, then their most, an open
    /// count after every closed one with the same least.
    pub fn sort_key(&self) -> (u64, u64) {
        (self.low, self.high.unwrap_or(u64::MAX))
    }

    /// The sum of counts, as honest as its parts: any lower bound makes
    /// the total a lower bound ("at least 65"), any upper bound or range
    /// makes it a range, any approximation makes an equal total "about".
    pub fn total(counts: impl IntoIterator<Item = Count>) -> Option<Count> {
        let mut total: Option<Count> = None;
        let (mut strict, mut approximate, mut upper_only) = (false, false, true);
        for count in counts {
            strict |= matches!(count.kind, CountKind::MoreThan);
            approximate |= matches!(count.kind, CountKind::About);
            upper_only &= count.min().is_none();
            total = Some(match total {
                None => count,
                Some(sum) => Count {
                    kind: CountKind::Range,
                    low: sum.low.saturating_add(count.low),
                    high: sum.high.zip(count.high).map(|(a, b)| a.saturating_add(b)),
                },
            });
        }
        let mut sum = total?;
        sum.kind = match (sum.high, upper_only) {
            (None, _) if strict => CountKind::MoreThan,
            (None, _) => CountKind::AtLeast,
            (Some(_), true) if sum.low == 0 => match sum.kind {
                CountKind::Range => CountKind::UpTo,
                one => one,
            },
            (Some(high), _) if high == sum.low && approximate => CountKind::About,
            (Some(high), _) if high == sum.low => CountKind::Exact,
            (Some(_), _) => CountKind::Range,
        };
        Some(sum)
    }
}

impl Serialize for Count {
    /// `{kind, min, max}`: `min` left out for an upper bound, `max` for a
    /// lower bound; an exact or approximate count has both, equal.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", self.kind.as_str())?;
        if let Some(min) = self.min() {
            map.serialize_entry("min", &min)?;
        }
        if let Some(max) = self.high {
            map.serialize_entry("max", &max)?;
        }
        map.end()
    }
}

/// The keys a count may be written with, in a mapping of its own or
/// inside an estimate.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountParts {
    #[serde(default)]
    min: Option<u64>,
    #[serde(default)]
    max: Option<u64>,
    #[serde(default)]
    about: Option<u64>,
    #[serde(default)]
    wording: Option<Wording>,
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CountVisitor;
        impl<'de> Visitor<'de> for CountVisitor {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a whole number, `{min: N, max: M}`, `{min: N}`, `{max: N}` or `{about: N}`",
                )
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                Ok(Count::exact(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                Err(E::custom(format!(
                    "`{v}` is negative{HINT_SEPARATOR}a count is 0 or more"
                )))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Count, A::Error> {
                let parts = CountParts::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if let (Some(min), Some(max)) = (parts.min, parts.max)
                    && min > max
                {
                    return Err(de::Error::custom(format!(
                        "`min` ({min}) is larger than `max` ({max}){HINT_SEPARATOR}swap the two numbers"
                    )));
                }
                Count::from_parts(parts.min, parts.max, parts.about, parts.wording)
                    .map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_any(CountVisitor)
    }
}

/// A source named in front matter: its slug, and where in it the claim
/// stands (`para. 6`) with a short exact quote. Written as the slug alone
/// or as `{source: slug, locator: "para. 6", quote: "..."}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRef {
    pub source: String,
    pub locator: Option<String>,
    pub quote: Option<String>,
}

impl<'de> Deserialize<'de> for SourceRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RefVisitor;
        impl<'de> Visitor<'de> for RefVisitor {
            type Value = SourceRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a source slug or `{source: slug, locator: \"para. 6\", quote: \"...\"}`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SourceRef, E> {
                Ok(SourceRef {
                    source: v.to_string(),
                    locator: None,
                    quote: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SourceRef, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Written {
                    source: String,
                    #[serde(default)]
                    locator: Option<String>,
                    #[serde(default)]
                    quote: Option<String>,
                }
                let written = Written::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let blank = |s: &Option<String>| s.as_deref().is_some_and(|s| s.trim().is_empty());
                if blank(&written.locator) || blank(&written.quote) {
                    return Err(de::Error::custom(format!(
                        "an empty `locator` or `quote` for `{}`{HINT_SEPARATOR}leave the key out when the source gives no place or words to quote",
                        written.source
                    )));
                }
                Ok(SourceRef {
                    source: written.source,
                    locator: written.locator,
                    quote: written.quote,
                })
            }
        }
        deserializer.deserialize_any(RefVisitor)
    }
}

/// Fields every document may have.
#[derive(Debug, Clone, Default)]
pub struct Common {
    pub title: String,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub updated: Option<PartialDate>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Corrections on the record, oldest first.
    pub corrections: Vec<Correction>,
}

/// A correction on the record: on `date`, the page stopped saying `was`
/// and started saying `now`, for the reason `why`. The texts are read as
/// written (an empty one is reported by `read`, at its entry); `at` is
/// where the date is written in the file, for the checks against the
/// document's own date and the clock.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub date: PartialDate,
    #[serde(default)]
    pub was: String,
    #[serde(default)]
    pub now: String,
    #[serde(default)]
    pub why: String,
    #[serde(skip)]
    pub at: (usize, usize),
}

impl Correction {
    /// The texts of a correction, by the names editors write them.
    pub fn texts(&self) -> [(&'static str, &str); 3] {
        [("was", &self.was), ("now", &self.now), ("why", &self.why)]
    }
}

/// A dated entry of a demand's history. Read as written (its `source` a
/// slug or a reference with a locator); shown and exported with the
/// reference's `source`, `locator` and `quote` beside its other fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "WrittenHistoryEntry")]
pub struct HistoryEntry {
    pub date: PartialDate,
    pub status: Status,
    pub note: String,
    pub source: Option<SourceRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenHistoryEntry {
    date: PartialDate,
    status: Status,
    #[serde(default)]
    note: String,
    #[serde(default)]
    source: Option<SourceRef>,
}

impl From<WrittenHistoryEntry> for HistoryEntry {
    fn from(w: WrittenHistoryEntry) -> HistoryEntry {
        HistoryEntry {
            date: w.date,
            status: w.status,
            note: w.note,
            source: w.source,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Demand {
    pub kind: DemandKind,
    pub addressees: Vec<String>,
    pub raised_by: Vec<String>,
    pub first_raised: Option<PartialDate>,
    /// The status the page shows: the written `status`, or else the newest
    /// history entry's.
    pub status: Status,
    pub sources: Vec<SourceRef>,
    pub incidents: Vec<String>,
    pub history: Vec<HistoryEntry>,
    /// When the editors last checked the status against the sources.
    pub reviewed: Option<PartialDate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub name: String,
    /// The country's first-level division the place is in (a governorate,
    /// province, state...), whichever of `region` and `governorate` (its
    /// older name, which dossiers written for Iraq keep) the editor wrote:
    /// the one field later stages read.
    #[serde(default)]
    pub governorate: Option<String>,
    /// `region` as written; `read` moves it into `governorate`, so it is
    /// always `None` in a read document.
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    /// Where the location comes from; without it, a governorate or
    /// coordinates are the editors' own addition.
    #[serde(default)]
    pub source: Option<SourceRef>,
}

impl Place {
    /// Who placed the incident where it is shown: `source` when a source
    /// is named for the place, `editors` when a governorate or coordinates
    /// rest on none; none when there is only a name.
    pub fn located_by(&self) -> Option<&'static str> {
        match (&self.source, &self.governorate, self.lat.or(self.lon)) {
            (Some(_), _, _) => Some("source"),
            (None, None, None) => None,
            (None, _, _) => Some("editors"),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Casualties {
    #[serde(default)]
    pub killed: Option<Count>,
    #[serde(default)]
    pub injured: Option<Count>,
    #[serde(default)]
    pub detained: Option<Count>,
}

/// A dated step towards accountability, read and shown like a
/// [`HistoryEntry`].
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "WrittenAccountabilityStep")]
pub struct AccountabilityStep {
    pub date: PartialDate,
    pub step: Step,
    pub note: String,
    pub source: Option<SourceRef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenAccountabilityStep {
    date: PartialDate,
    step: Step,
    #[serde(default)]
    note: String,
    #[serde(default)]
    source: Option<SourceRef>,
}

impl From<WrittenAccountabilityStep> for AccountabilityStep {
    fn from(w: WrittenAccountabilityStep) -> AccountabilityStep {
        AccountabilityStep {
            date: w.date,
            step: w.step,
            note: w.note,
            source: w.source,
        }
    }
}

/// What `perpetrators` holds when the sources do not say who did it.
pub const UNKNOWN_PERPETRATOR: &str = "unknown";

#[derive(Debug, Clone)]
pub struct Incident {
    pub date: PartialDate,
    pub end_date: Option<PartialDate>,
    pub place: Option<Place>,
    /// Actor slugs; empty when the perpetrator is not known.
    pub perpetrators: Vec<String>,
    pub verification: Option<Verification>,
    pub casualties: Casualties,
    pub victims: Option<String>,
    pub sources: Vec<SourceRef>,
    pub demands: Vec<String>,
    pub accountability: Vec<AccountabilityStep>,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub kind: ActorKind,
    pub country: Option<String>,
    pub part_of: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Archive {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub sha256: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub kind: SourceKind,
    pub publisher: Option<String>,
    pub authors: Vec<String>,
    pub date: Option<PartialDate>,
    /// Written `url:`; exported and shown to templates as `original_url`,
    /// because `url` is every document's own address.
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

/// One source's estimate of a figure. Its count is written inline
/// (`min`, `max`, `about`, `wording`, as a count's mapping) and shown and
/// exported as a count's `kind`, `min` and `max`, beside the reference's
/// `source`, `locator` and `quote`.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "WrittenEstimate")]
pub struct Estimate {
    pub count: Count,
    pub what: String,
    pub scope: Option<String>,
    pub method: Option<Method>,
    pub period: Option<Vec<PartialDate>>,
    pub source: SourceRef,
    /// `min` as written when it is above `max`, for the figure's check to
    /// report where it stands.
    pub min_above_max: Option<(u64, u64)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenEstimate {
    #[serde(default)]
    min: Option<u64>,
    #[serde(default)]
    max: Option<u64>,
    #[serde(default)]
    about: Option<u64>,
    #[serde(default)]
    wording: Option<Wording>,
    what: String,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    method: Option<Method>,
    #[serde(default)]
    period: Option<Vec<PartialDate>>,
    source: SourceRef,
}

impl TryFrom<WrittenEstimate> for Estimate {
    type Error = String;
    fn try_from(w: WrittenEstimate) -> Result<Estimate, String> {
        let (min, max, min_above_max) = match (w.min, w.max) {
            (Some(min), Some(max)) if min > max => (Some(max), Some(min), Some((min, max))),
            _ => (w.min, w.max, None),
        };
        Ok(Estimate {
            count: Count::from_parts(min, max, w.about, w.wording)?,
            what: w.what,
            scope: w.scope,
            method: w.method,
            period: w.period,
            source: w.source,
            min_above_max,
        })
    }
}

/// The most characters a title may have. A title is printed wherever its
/// document is listed or linked, and a free page's in every page's
/// navigation, so a title without a bound makes the output grow with its
/// length times the number of pages. The shipped dossier's longest is
/// under 250.
pub const LONGEST_TITLE: usize = 300;

/// The most characters a tag or a governorate may have: its slug is the
/// name of its page's folder, which file systems keep under 255 bytes.
pub const LONGEST_TERM: usize = 100;

/// The most distinct tags (by slug) a document may name: each tag is a
/// page of its own in every language, so a list of tags without a bound
/// makes pages by the thousand from one file.
pub const MOST_TAGS: usize = 30;

/// The largest number a count or an estimate may hold: a thousand million million,
/// far above any count of people or money, and far below where a chart's
/// arithmetic would overflow.
pub const LARGEST_ESTIMATE: u64 = 1_000_000_000_000_000;

#[derive(Debug, Clone)]
pub struct Figure {
    pub unit: String,
    pub estimates: Vec<Estimate>,
}

/// The typed fields of a document, by what it is.
#[derive(Debug, Clone)]
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
    /// Where in a source the claim stands, and the source's own words,
    /// when the reference gives them.
    pub locator: Option<String>,
    pub quote: Option<String>,
}

/// What a page shows of a file a body names (an image, an attachment);
/// `images` reads it from the file's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    /// The size of the file in `content/`, in bytes.
    pub size: u64,
    /// The SHA-256 of the file as it is in `content/`, in hex.
    pub sha256: String,
    /// An image's width and height as a browser shows it (turned as its
    /// EXIF orientation says), or `None` for any other file.
    pub dimensions: Option<(u32, u32)>,
    /// For an image that carries metadata, the size and SHA-256 it is
    /// published with once that is removed.
    pub without_metadata: Option<(u64, String)>,
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
    /// Where each front-matter field is written in `source`, as read: how
    /// later stages point at a field. A translation's are those of its own
    /// file; a field it inherits is not among them.
    pub spans: Vec<FieldSpan>,
    pub common: Common,
    pub fields: Fields,
    pub references: Vec<Reference>,
    pub body_links: Vec<BodyLink>,
    pub citations: BodyCitations,
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

    pub fn span(&self, field: &str) -> Option<&FieldSpan> {
        self.spans.iter().find(|s| s.name == field)
    }

    /// The key of `field`; when the file does not write it, the first key
    /// of its front matter (a missing field has no place of its own).
    pub fn field_location(&self, field: &str) -> Location {
        let span = self.span(field).or(self.spans.first());
        match span {
            Some(span) => self.location(span.key.start, span.key.len()),
            None => self.location(0, 0),
        }
    }

    /// The value of the key `inner` inside `field` (`sha256` of
    /// `archive`); else that key, else `field`'s own key.
    pub fn inner_location(&self, field: &str, inner: &str) -> Location {
        let Some(span) = self.span(field) else {
            return self.field_location(field);
        };
        let found = span
            .inner_value(&self.source, inner)
            .filter(|r| !r.is_empty())
            .or_else(|| span.inner_key(&self.source, inner));
        match found {
            Some(range) => self.location(range.start, range.len()),
            None => self.field_location(field),
        }
    }

    /// The key `inner` inside `field` (`lat` of `place`); else `field`'s
    /// own key.
    pub fn inner_key_location(&self, field: &str, inner: &str) -> Location {
        match self
            .span(field)
            .and_then(|s| s.inner_key(&self.source, inner))
        {
            Some(range) => self.location(range.start, range.len()),
            None => self.field_location(field),
        }
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
    pub citations: BodyCitations,
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

    fn count(yaml: &str) -> Count {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn counts_keep_the_kind_the_source_gives() {
        assert_eq!(count("24").kind, CountKind::Exact);
        assert_eq!(count("{min: 12, max: 18}").kind, CountKind::Range);
        assert_eq!(count("{min: 5, max: 5}").kind, CountKind::Exact);
        assert_eq!(count("{min: 40}").kind, CountKind::AtLeast);
        assert_eq!(
            count("{min: 40, wording: more-than}").kind,
            CountKind::MoreThan
        );
        assert_eq!(count("{max: 27}").kind, CountKind::UpTo);
        assert_eq!(count("{max: 27}").min(), None);
        assert_eq!(count("{about: 650000}").kind, CountKind::About);
        for wrong in [
            "{about: 5, min: 1}",
            "{min: 1, max: 3, wording: at-least}",
            "{max: 3, wording: more-than}",
            "{}",
            "{min: 4, max: 2}",
        ] {
            assert!(serde_yaml::from_str::<Count>(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn a_total_of_counts_is_a_bound_when_any_part_is_one() {
        let total = |parts: &[&str]| Count::total(parts.iter().map(|p| count(p))).unwrap();
        assert_eq!(total(&["24", "17"]), Count::exact(41));
        let at_least = total(&["24", "{min: 40}"]);
        assert_eq!(
            (at_least.kind, at_least.low, at_least.high),
            (CountKind::AtLeast, 64, None)
        );
        let more = total(&["24", "{min: 40, wording: more-than}"]);
        assert_eq!(more.kind, CountKind::MoreThan);
        let ranged = total(&["24", "{max: 27}"]);
        assert_eq!(
            (ranged.kind, ranged.low, ranged.high),
            (CountKind::Range, 24, Some(51))
        );
        let up_to = total(&["{max: 27}", "{max: 3}"]);
        assert_eq!((up_to.kind, up_to.high), (CountKind::UpTo, Some(30)));
        assert_eq!(total(&["{about: 600}", "50"]).kind, CountKind::About);
        assert!(Count::total([]).is_none());
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
