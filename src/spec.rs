//! The content model as data: every field of every collection, its shape,
//! whether it is required, the words it allows and a line of help for
//! editors.
//!
//! `dossier schema` and `dossier cms` are generated from these tables, and a
//! test reads every collection through `model::read_fields` to prove that the
//! fields listed here are exactly the fields the build reads, with the same
//! required ones. The allowed words are the model's own `WORDS` lists, so a
//! new word reaches the schema and the editor with no edit here. Nothing in
//! this module reads or checks a document.

use crate::model::{
    ActorKind, Collection, DemandKind, Method, SourceKind, Status, Step, UNKNOWN_PERPETRATOR,
    Verification, Wording,
};

/// Help for every field that names a source.
const SOURCE_REF_HELP: &str = "A source slug, or {source: slug, locator: \"para. 6\", quote: \"...\"} for where in it the claim stands and its exact words.";

/// The shape of a field's value, as an editor writes it in YAML.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// One line of text.
    Text,
    /// A web address.
    Url,
    /// A file under `content/files/`, named from `content/`.
    File,
    /// A list of lines of text.
    Texts,
    Bool,
    /// `2005`, `2005-11` or `2005-11-19`.
    Date,
    /// A full date, `2005-11-19`.
    Day,
    /// `[from, to]`: two dates.
    Period,
    /// A number (coordinates), within a range.
    Number {
        min: f64,
        max: f64,
    },
    /// A whole number, 0 or more.
    WholeNumber,
    /// A whole number, `{min, max}` for a range, `{min}` or `{max}` for a
    /// bound (with `wording`), `{about}` for an approximate number.
    Count,
    /// One of a fixed list of words.
    Keyword(&'static [&'static str]),
    /// 64 hexadecimal characters.
    Sha256,
    /// The slug of a document of a collection.
    Reference(Collection),
    /// A list of slugs of a collection, and the extra words allowed in it
    /// (`unknown` for perpetrators).
    References(Collection, &'static [&'static str]),
    /// A source: its slug, or `{source, locator, quote}`.
    SourceRef,
    /// A list of sources, each a slug or `{source, locator, quote}`.
    SourceRefs,
    /// A group of named fields.
    Object(&'static [Field]),
    /// A list of groups of named fields.
    Objects(&'static [Field]),
    /// Free fields, for a site's own templates.
    Map,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
    pub help: &'static str,
}

const fn field(name: &'static str, shape: Shape, help: &'static str) -> Field {
    Field {
        name,
        shape,
        required: false,
        help,
    }
}

const fn required(name: &'static str, shape: Shape, help: &'static str) -> Field {
    Field {
        name,
        shape,
        required: true,
        help,
    }
}

/// The pattern of a partial date, for schemas and form fields. The build
/// also refuses impossible days (`2005-02-30`), which a pattern cannot.
pub const DATE_PATTERN: &str = "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$";

/// The pattern of a slug: the file name of a document, without `.md`.
pub const SLUG_PATTERN: &str = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";

/// The pattern of a full date (`2005-11-19`).
pub const DAY_PATTERN: &str = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";

pub const DATE_HELP: &str = "2005, 2005-11 or 2005-11-19: keep the precision the source gives";

/// Fields every document may have, free pages included.
pub const COMMON: &[Field] = &[
    required(
        "title",
        Shape::Text,
        "What readers will recognise the page by.",
    ),
    field(
        "summary",
        Shape::Text,
        "One or two sentences, shown in lists.",
    ),
    field(
        "tags",
        Shape::Texts,
        "Short words; each tag gets a page. \"Torture\" and \"torture\" are one tag.",
    ),
    field(
        "draft",
        Shape::Bool,
        "Keeps the document out of the published site until it is ready.",
    ),
    field(
        "updated",
        Shape::Date,
        "The date of the last change that matters to readers.",
    ),
    field(
        "extra",
        Shape::Map,
        "Free fields for the site's own templates.",
    ),
    field(
        "corrections",
        Shape::Objects(CORRECTION),
        "Each correction of a mistake readers may have read, kept on the record: shown at the top of the page, in the feed and on the corrections page.",
    ),
];

/// One correction on the record.
const CORRECTION: &[Field] = &[
    required(
        "date",
        Shape::Day,
        "The day the page was corrected, such as 2024-05-19.",
    ),
    required("was", Shape::Text, "What the page said, in a sentence."),
    required("now", Shape::Text, "What it says now, in a sentence."),
    required(
        "why",
        Shape::Text,
        "Why it changed: the new source, or the mistake.",
    ),
];

const HISTORY: &[Field] = &[
    required("date", Shape::Date, DATE_HELP),
    required(
        "status",
        Shape::Keyword(Status::WORDS),
        "The status this evidence shows.",
    ),
    field("note", Shape::Text, "What happened, in one sentence."),
    field("source", Shape::SourceRef, SOURCE_REF_HELP),
];

const DEMAND: &[Field] = &[
    required(
        "kind",
        Shape::Keyword(DemandKind::WORDS),
        "What is asked, as defined in the methodology.",
    ),
    field(
        "addressees",
        Shape::References(Collection::Actors, &[]),
        "The actors of whom the demand is made.",
    ),
    field(
        "raised_by",
        Shape::References(Collection::Actors, &[]),
        "The actors who make it.",
    ),
    field(
        "first_raised",
        Shape::Date,
        "The earliest date a source in the dossier shows the demand being made.",
    ),
    field(
        "status",
        Shape::Keyword(Status::WORDS),
        "Change it only when new evidence does; when absent, the newest history entry decides.",
    ),
    field(
        "sources",
        Shape::SourceRefs,
        "Every source the demand rests on: slugs, or {source, locator, quote}.",
    ),
    field(
        "incidents",
        Shape::References(Collection::Incidents, &[]),
        "The incidents the demand concerns.",
    ),
    field(
        "history",
        Shape::Objects(HISTORY),
        "Dated evidence of movement, newest last: add an entry, never rewrite one.",
    ),
    field(
        "reviewed",
        Shape::Date,
        "When the editors last checked the status against the sources: shown as \"status as of\".",
    ),
];

const PLACE: &[Field] = &[
    required("name", Shape::Text, "The town, village or site."),
    field(
        "region",
        Shape::Text,
        "The country's first-level division (governorate, province, state...) as the dossier's map names it. Files the incident under /places/.",
    ),
    field(
        "governorate",
        Shape::Text,
        "The older name of `region`, read the same: write one of the two.",
    ),
    field(
        "lat",
        Shape::Number {
            min: -90.0,
            max: 90.0,
        },
        "Latitude, only if a source gives it; do not estimate.",
    ),
    field(
        "lon",
        Shape::Number {
            min: -180.0,
            max: 180.0,
        },
        "Longitude, only if a source gives it; do not estimate.",
    ),
    field(
        "source",
        Shape::SourceRef,
        "The source the location comes from; without it, a region or coordinates show as located by the editors.",
    ),
];

const COUNT_HELP: &str = "As the source gives it: 24, {min: 12, max: 18}, {min: 40} (at least), {min: 40, wording: more-than}, {max: 27} (up to), {about: 650000}.";

const CASUALTIES: &[Field] = &[
    field("killed", Shape::Count, COUNT_HELP),
    field("injured", Shape::Count, COUNT_HELP),
    field("detained", Shape::Count, COUNT_HELP),
];

const ACCOUNTABILITY: &[Field] = &[
    required("date", Shape::Date, DATE_HELP),
    required(
        "step",
        Shape::Keyword(Step::WORDS),
        "What was done (or refused) to hold someone to account.",
    ),
    field("note", Shape::Text, "What happened, in one sentence."),
    field("source", Shape::SourceRef, SOURCE_REF_HELP),
];

const INCIDENT: &[Field] = &[
    required("date", Shape::Date, DATE_HELP),
    field(
        "end_date",
        Shape::Date,
        "For events that lasted: not before the date.",
    ),
    field("place", Shape::Object(PLACE), "Where it happened."),
    field(
        "perpetrators",
        Shape::References(Collection::Actors, &[UNKNOWN_PERPETRATOR]),
        "The actors responsible; unknown when no source says.",
    ),
    field(
        "verification",
        Shape::Keyword(Verification::WORDS),
        "How well the sources establish it: contested when they disagree.",
    ),
    field(
        "casualties",
        Shape::Object(CASUALTIES),
        "Leave out any number no source gives.",
    ),
    field("victims", Shape::Text, "Who they were, in a few words."),
    field(
        "sources",
        Shape::SourceRefs,
        "Every source for the incident (slugs, or {source, locator, quote}): an incident needs at least one.",
    ),
    field(
        "demands",
        Shape::References(Collection::Demands, &[]),
        "The demands that rest on it.",
    ),
    field(
        "accountability",
        Shape::Objects(ACCOUNTABILITY),
        "Dated steps towards accountability, newest last.",
    ),
];

const ACTOR: &[Field] = &[
    required(
        "kind",
        Shape::Keyword(ActorKind::WORDS),
        "What kind of body or person this is.",
    ),
    field("country", Shape::Text, "The country it belongs to, if any."),
    field(
        "part_of",
        Shape::Reference(Collection::Actors),
        "The body this one belongs to.",
    ),
];

const ARCHIVE: &[Field] = &[
    field("url", Shape::Url, "An archived copy on the web."),
    field(
        "file",
        Shape::Text,
        "A copy under content/files/, named from content/: files/NAME.pdf.",
    ),
    field(
        "sha256",
        Shape::Sha256,
        "The file's SHA-256 (sha256sum gives it); the build checks it.",
    ),
];

const SOURCE: &[Field] = &[
    required(
        "kind",
        Shape::Keyword(SourceKind::WORDS),
        "What kind of document it is.",
    ),
    field(
        "publisher",
        Shape::Reference(Collection::Actors),
        "The actor that published it.",
    ),
    field("authors", Shape::Texts, "Names, as written in the source."),
    field("date", Shape::Date, DATE_HELP),
    field(
        "url",
        Shape::Url,
        "The address of the original, only if you have the real one.",
    ),
    field(
        "archive",
        Shape::Object(ARCHIVE),
        "A copy kept in case the original disappears.",
    ),
    field(
        "perspective",
        Shape::Text,
        "One or two neutral sentences on who produced it and from what position.",
    ),
    field("accessed", Shape::Date, "When the editors read the copy."),
    field(
        "language",
        Shape::Text,
        "The language of the copy that was read, as a code: en, ar.",
    ),
    field(
        "copy",
        Shape::Text,
        "What the copy read is: a machine translation, a press release, an extract relayed by a newsletter.",
    ),
    field(
        "via",
        Shape::Reference(Collection::Sources),
        "The source through which this text reached the editors, if any.",
    ),
];

const ESTIMATE: &[Field] = &[
    field(
        "min",
        Shape::WholeNumber,
        "The low end of the range; alone, a lower bound (at least).",
    ),
    field(
        "max",
        Shape::WholeNumber,
        "The high end of the range (the same as min for an exact number); alone, an upper bound (up to).",
    ),
    field(
        "about",
        Shape::WholeNumber,
        "An approximate number (about 650,000), instead of min and max.",
    ),
    field(
        "wording",
        Shape::Keyword(Wording::WORDS),
        "How the source words a bound: at-least or more-than with min alone; up-to, fewer-than or nearly with max alone.",
    ),
    required("what", Shape::Text, "Whose estimate it is, in a few words."),
    field("scope", Shape::Text, "Exactly what is counted."),
    field(
        "method",
        Shape::Keyword(Method::WORDS),
        "How the number was reached.",
    ),
    field(
        "period",
        Shape::Period,
        "[from, to]: the period the estimate covers.",
    ),
    required("source", Shape::SourceRef, SOURCE_REF_HELP),
];

/// Fields of an estimate that stand instead of `min` and `max` or qualify
/// one of them alone: an entry writes them or not, never all at once.
pub const COUNT_ALTERNATIVES: &[&str] = &["about", "wording"];

/// Fields still read under an older name, as (older, newer): a place's
/// `region` was `governorate`. A document writes one name or the other,
/// never both.
pub const OLDER_NAMES: &[(&str, &str)] = &[("governorate", "region")];

const FIGURE: &[Field] = &[
    required(
        "unit",
        Shape::Text,
        "What is counted: people, sites, munitions.",
    ),
    field(
        "estimates",
        Shape::Objects(ESTIMATE),
        "Every source's estimate, side by side: add one, never replace or average.",
    ),
];

/// The fields of a collection, beyond the common ones.
pub fn fields(collection: Collection) -> &'static [Field] {
    match collection {
        Collection::Demands => DEMAND,
        Collection::Incidents => INCIDENT,
        Collection::Actors => ACTOR,
        Collection::Sources => SOURCE,
        Collection::Figures => FIGURE,
    }
}

/// Fields of which a document of `collection` needs at least one.
pub fn needs_one_of(collection: Collection) -> &'static [&'static str] {
    match collection {
        Collection::Demands => &["status", "history"],
        _ => &[],
    }
}

/// Every field a document of `collection` may have, common ones first, in
/// the order editors are shown them.
pub fn all_fields(collection: Option<Collection>) -> Vec<&'static Field> {
    let own = collection.map_or(&[][..], fields);
    COMMON
        .iter()
        .take(2)
        .chain(own)
        .chain(&COMMON[2..])
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::front_matter::{FrontMatter, split};
    use crate::model::{DocKind, read_fields};

    fn kinds() -> Vec<(DocKind, Option<Collection>)> {
        let mut kinds = vec![(DocKind::Page, None)];
        kinds.extend(Collection::ALL.map(|c| (DocKind::Entry(c), Some(c))));
        kinds
    }

    /// Reads a front matter holding every listed top-level field (with a
    /// value of the wrong type, so nothing else is needed) and returns the
    /// diagnostics: an unknown-field error means the table lists a field
    /// the build does not read.
    fn problems_with(kind: DocKind, yaml: &str) -> Vec<String> {
        let text = format!("---\n{yaml}---\n");
        let parts = split(Path::new("x.md"), &text).unwrap();
        let mut fm = FrontMatter::parse(Path::new("x.md"), &text, &parts).unwrap();
        let _ = read_fields(kind, &mut fm);
        fm.finish().iter().map(|d| d.message.clone()).collect()
    }

    #[test]
    fn the_tables_list_exactly_the_fields_the_build_reads() {
        for (kind, collection) in kinds() {
            let listed: Vec<&str> = all_fields(collection).iter().map(|f| f.name).collect();
            // Every listed field is read: none is unknown.
            let yaml: String = listed.iter().map(|name| format!("{name}: ~\n")).collect();
            let problems = problems_with(kind, &yaml);
            assert!(
                !problems.iter().any(|p| p.starts_with("unknown field")),
                "{kind:?}: {problems:?}"
            );
            // Every field the build reads is listed.
            let mut sorted = listed.clone();
            sorted.sort_unstable();
            assert_eq!(read_field_names(kind), sorted, "{kind:?}");
        }
    }

    /// The names the reader asks the front matter for.
    fn read_field_names(kind: DocKind) -> Vec<&'static str> {
        let text = "---\ntitle: x\n---\n";
        let parts = split(Path::new("x.md"), text).unwrap();
        let mut fm = FrontMatter::parse(Path::new("x.md"), text, &parts).unwrap();
        let _ = read_fields(kind, &mut fm);
        let mut names = fm.asked().to_vec();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// A value every field of `shape` accepts.
    pub(crate) fn example(shape: Shape) -> serde_json::Value {
        use serde_json::json;
        match shape {
            Shape::Text => json!("Some text"),
            Shape::Url => json!("https://example.org/report"),
            Shape::File => json!("files/report.pdf"),
            Shape::Texts => json!(["one", "two"]),
            Shape::Bool => json!(false),
            Shape::Date => json!("2005-11"),
            Shape::Day => json!("2005-11-19"),
            Shape::Period => json!(["2003", "2005-11-19"]),
            Shape::Number { min, max } => json!((min + max) / 2.0 + 1.5),
            Shape::WholeNumber => json!(12),
            Shape::Count => json!({"min": 3, "max": 5}),
            Shape::Keyword(words) => json!(words[words.len() - 1]),
            Shape::Sha256 => json!("0".repeat(64)),
            Shape::Reference(_) => json!("some-slug"),
            Shape::SourceRef => {
                json!({"source": "some-slug", "locator": "para. 6", "quote": "words"})
            }
            Shape::SourceRefs => json!(["some-slug", {"source": "other-2005", "locator": "p. 3"}]),
            Shape::References(_, _) => json!(["some-slug", "other-2005"]),
            Shape::Object(fields) => object(fields),
            Shape::Objects(fields) => json!([object(fields)]),
            Shape::Map => json!({"anything": [1, "two"]}),
        }
    }

    pub(crate) fn object(fields: &[Field]) -> serde_json::Value {
        let map = fields
            .iter()
            .filter(|f| {
                !COUNT_ALTERNATIVES.contains(&f.name)
                    && !OLDER_NAMES.iter().any(|(older, _)| *older == f.name)
            })
            .map(|f| (f.name.to_string(), example(f.shape)))
            .collect();
        serde_json::Value::Object(map)
    }

    fn yaml_of(fields: &[&Field]) -> String {
        fields
            .iter()
            .map(|f| format!("{}: {}\n", f.name, example(f.shape)))
            .collect()
    }

    #[test]
    fn every_field_filled_with_its_shape_reads_without_a_problem() {
        // JSON is YAML, so the example values are written as JSON. Nested
        // groups are read by structs that refuse unknown fields, so this also
        // proves every nested field listed is one the build reads.
        for (kind, collection) in kinds() {
            let fields = all_fields(collection);
            let problems = problems_with(kind, &yaml_of(&fields));
            assert!(problems.is_empty(), "{kind:?}: {problems:?}");
        }
    }

    #[test]
    fn nested_fields_are_required_exactly_when_the_build_requires_them() {
        for (kind, collection) in kinds() {
            let fields = all_fields(collection);
            for outer in &fields {
                let (Shape::Object(inner) | Shape::Objects(inner)) = outer.shape else {
                    continue;
                };
                for missing in inner {
                    let mut value = object(inner);
                    value.as_object_mut().unwrap().remove(missing.name);
                    if matches!(outer.shape, Shape::Objects(_)) {
                        value = serde_json::Value::Array(vec![value]);
                    }
                    let others: Vec<&Field> = fields
                        .iter()
                        .copied()
                        .filter(|f| f.name != outer.name)
                        .collect();
                    let yaml = format!("{}{}: {value}\n", yaml_of(&others), outer.name);
                    let problems = problems_with(kind, &yaml);
                    let refused = problems
                        .iter()
                        .any(|p| p.contains(&format!("missing field `{}`", missing.name)));
                    assert_eq!(
                        refused, missing.required,
                        "{kind:?} {}.{}: {problems:?}",
                        outer.name, missing.name
                    );
                }
            }
        }
    }

    #[test]
    fn required_fields_are_those_the_build_requires() {
        for (kind, collection) in kinds() {
            let problems = problems_with(kind, "");
            let mut missing: Vec<&str> = problems
                .iter()
                .filter_map(|p| p.strip_prefix("missing required field `"))
                .filter_map(|p| p.strip_suffix('`'))
                .collect();
            missing.sort_unstable();
            let mut listed: Vec<&str> = all_fields(collection)
                .iter()
                .filter(|f| f.required)
                .map(|f| f.name)
                .collect();
            listed.sort_unstable();
            assert_eq!(missing, listed, "{kind:?}");
            let needs_one = collection.is_some_and(|c| !needs_one_of(c).is_empty());
            let refused_for_neither = problems.iter().any(|p| p.contains("neither"));
            assert_eq!(needs_one, refused_for_neither, "{kind:?}: {problems:?}");
        }
    }
}
