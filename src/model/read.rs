//! Reading a document's front matter into the model's typed fields, one
//! field at a time, so that every wrong field is its own diagnostic. Pure:
//! it takes the file's text and returns the document and its problems.

use super::*;
use crate::diagnostic::Code;
use crate::front_matter::{FrontMatter, Parts};

/// Reads a document's front matter into typed fields. Returns the fields
/// only when the required ones could be read, and the references found
/// either way (the problems go to `fm`).
pub fn read_fields(
    kind: DocKind,
    fm: &mut FrontMatter<'_>,
) -> (Option<(Common, Fields)>, Vec<Reference>) {
    let title: Option<String> = fm.required("title");
    let common = Common {
        title: title.clone().unwrap_or_default(),
        summary: fm.optional("summary"),
        tags: fm.or_default("tags"),
        draft: fm.or_default("draft"),
        updated: fm.optional("updated"),
        extra: fm.or_default("extra"),
        corrections: read_corrections(fm),
    };
    let mut refs = References {
        fm,
        list: Vec::new(),
        cursor: None,
    };
    let fields = match kind {
        DocKind::Home | DocKind::Page => Some(Fields::Page),
        DocKind::Entry(Collection::Demands) => read_demand(&mut refs).map(Fields::Demand),
        DocKind::Entry(Collection::Incidents) => read_incident(&mut refs).map(Fields::Incident),
        DocKind::Entry(Collection::Actors) => read_actor(&mut refs).map(Fields::Actor),
        DocKind::Entry(Collection::Sources) => read_source(&mut refs).map(Fields::Source),
        DocKind::Entry(Collection::Figures) => read_figure(&mut refs).map(Fields::Figure),
    };
    let list = refs.list;
    if let Some(title) = &title
        && title.trim().is_empty()
    {
        fm.report(
            Diagnostic::error(Code::EmptyTitle, "the title is empty")
                .at(fm.locate("title", ""))
                .hint("every document needs a title readers can recognise"),
        );
    }
    if let Some(title) = &title {
        check_length(
            fm,
            "title",
            title,
            LONGEST_TITLE,
            "the title",
            "a title is shown in lists and menus on many pages: keep it to at most {n} characters, and move the rest to `summary` or the text",
        );
    }
    // Tags that are one by slug are one page.
    let mut distinct = std::collections::BTreeSet::new();
    let mut first_too_many = None;
    for tag in &common.tags {
        check_length(fm, "tags", tag, LONGEST_TERM, "this tag", TERM_HINT);
        let slug = crate::slug::term_slug(tag);
        if slug.is_empty() {
            fm.report(
                Diagnostic::error(Code::InvalidValue, "this tag has no letter or digit")
                    .at(fm.locate("tags", tag))
                    .hint("a tag is a page of its own, named by its words: write it in words, in any language"),
            );
        } else if distinct.insert(slug) && distinct.len() == MOST_TAGS + 1 {
            first_too_many = Some(tag);
        }
    }
    if let Some(tag) = first_too_many {
        fm.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("this document names {} tags", distinct.len()),
            )
            .at(fm.locate("tags", tag))
            .label(format!("tag {}", MOST_TAGS + 1))
            .hint(format!(
                "each tag is a page of its own: name at most {MOST_TAGS}, the themes a reader would look the document up by"
            )),
        );
    }
    let read = fields
        .filter(|_| title.is_some())
        .map(|fields| (common, fields));
    (read, list)
}

/// Reads `corrections`: each entry's date must name the day (a correction
/// is dated to the day it was made) and each of its texts must say
/// something. Entries are located one after the other, so each problem
/// points at its own entry; they are kept oldest first.
fn read_corrections(fm: &mut FrontMatter<'_>) -> Vec<Correction> {
    let mut corrections: Vec<Correction> = fm.or_default("corrections");
    let mut after = 0;
    for correction in &mut corrections {
        let date = correction.date.to_string();
        let (offset, len) = fm.offset_after("corrections", &date, after);
        after = offset + len;
        correction.at = (offset, len);
        let location = fm.location(offset, len);
        if correction.date.day.is_none() {
            let problem = Diagnostic::error(
                Code::InvalidValue,
                format!("the correction of `{date}` does not name the day"),
            )
            .at(location.clone())
            .hint("write the day the page was corrected, such as `2024-05-19`");
            fm.report(problem);
        }
        // A text left out and a text left empty are one mistake.
        for (name, text) in correction.texts() {
            if text.trim().is_empty() {
                let problem = Diagnostic::error(
                    Code::MissingField,
                    format!("missing field `{name}` in the correction of `{date}`"),
                )
                .at(location.clone())
                .hint("a correction says what the page said (`was`), what it says now (`now`) and why it changed (`why`), each in a sentence");
                fm.report(problem);
            }
        }
    }
    corrections.sort_by_key(|c| c.date);
    corrections
}

/// Why a tag or a governorate has a bound: its slug is a folder's name.
const TERM_HINT: &str =
    "a tag or a governorate names the folder of its page: keep it to at most {n} characters";

/// Reports `text` of `field` when it is longer than `limit` characters:
/// "`what` is N characters long", with `hint` (`{n}` is the limit).
fn check_length(
    fm: &mut FrontMatter<'_>,
    field: &str,
    text: &str,
    limit: usize,
    what: &str,
    hint: &str,
) {
    let length = text.chars().count();
    if length > limit {
        let location = fm.locate(field, text);
        fm.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("{what} is {length} characters long"),
            )
            .at(location)
            .hint(hint.replace("{n}", &limit.to_string())),
        );
    }
}

/// Reads fields and records where each reference was written.
struct References<'f, 'a> {
    fm: &'f mut FrontMatter<'a>,
    list: Vec<Reference>,
    /// The field of the last reference added and where it ended: the next
    /// one of the same field is looked for after it.
    cursor: Option<(&'static str, usize)>,
}

impl References<'_, '_> {
    fn add(&mut self, field: &'static str, target: Collection, slug: &str) {
        let after = match self.cursor {
            Some((last, end)) if last == field => end,
            _ => 0,
        };
        let (offset, len) = self.fm.offset_after(field, slug, after);
        self.cursor = Some((field, offset + len));
        self.list.push(Reference {
            field,
            target,
            slug: slug.to_string(),
            offset,
            len,
            locator: None,
            quote: None,
        });
    }

    /// A source reference, with its locator and quote.
    fn add_source(&mut self, field: &'static str, reference: &SourceRef) {
        self.add(field, Collection::Sources, &reference.source);
        if let Some(last) = self.list.last_mut() {
            last.locator = reference.locator.clone();
            last.quote = reference.quote.clone();
        }
    }

    /// A list of source references (`sources`).
    fn sources(&mut self, field: &'static str) -> Vec<SourceRef> {
        let refs: Vec<SourceRef> = self.fm.or_default(field);
        for reference in &refs {
            self.add_source(field, reference);
        }
        refs
    }

    fn slugs(&mut self, field: &'static str, target: Collection) -> Vec<String> {
        let slugs: Vec<String> = self.fm.or_default(field);
        for slug in &slugs {
            self.add(field, target, slug);
        }
        slugs
    }

    fn slug(&mut self, field: &'static str, target: Collection) -> Option<String> {
        let slug: Option<String> = self.fm.optional(field);
        if let Some(slug) = &slug {
            self.add(field, target, slug);
        }
        slug
    }

    /// Entries that each name a source (`history`, `accountability`,
    /// `estimates`): the source references are recorded under the list's
    /// field name.
    fn nested_sources<'s>(
        &mut self,
        field: &'static str,
        sources: impl Iterator<Item = &'s SourceRef>,
    ) {
        for reference in sources {
            self.add_source(field, reference);
        }
    }
}

fn read_demand(r: &mut References<'_, '_>) -> Option<Demand> {
    let kind = r.fm.required("kind");
    let addressees = r.slugs("addressees", Collection::Actors);
    let raised_by = r.slugs("raised_by", Collection::Actors);
    let first_raised = r.fm.optional("first_raised");
    let status_written = r.fm.has("status");
    let written_status: Option<Status> = r.fm.optional("status");
    let sources = r.sources("sources");
    let incidents = r.slugs("incidents", Collection::Incidents);
    let mut history: Vec<HistoryEntry> = r.fm.or_default("history");
    r.nested_sources("history", history.iter().filter_map(|h| h.source.as_ref()));
    history.sort_by_key(|h| h.date);
    let reviewed = r.fm.optional("reviewed");
    let status = match (written_status, history.last()) {
        (Some(status), _) => status,
        (None, Some(newest)) => newest.status,
        // A status that was written but is wrong has been reported already.
        (None, None) if status_written => return None,
        (None, None) => {
            let location = r.fm.locate("kind", "");
            r.fm.report(
                Diagnostic::error(
                    Code::DemandWithoutStatus,
                    "this demand has neither a `status` nor a `history`",
                )
                .at(location)
                .hint("add `status: unmet` (or partial, met, rejected), or a dated `history`"),
            );
            return None;
        }
    };
    Some(Demand {
        kind: kind?,
        addressees,
        raised_by,
        first_raised,
        status,
        sources,
        incidents,
        history,
        reviewed,
    })
}

fn read_incident(r: &mut References<'_, '_>) -> Option<Incident> {
    let date: Option<PartialDate> = r.fm.required("date");
    let end_date: Option<PartialDate> = r.fm.optional("end_date");
    if let (Some(start), Some(end)) = (date, end_date)
        && end.sort_key() < start.sort_key()
    {
        let location = r.fm.locate("end_date", &end.to_string());
        r.fm.report(
            Diagnostic::error(
                Code::EndBeforeStart,
                format!("`end_date` ({end}) is before `date` ({start})"),
            )
            .at(location)
            .hint("swap the two dates"),
        );
    }
    let mut place: Option<Place> = r.fm.optional("place");
    if let Some(place) = &mut place {
        one_division(r.fm, place);
        check_coordinate(r.fm, place.lat, -90.0..=90.0, "lat");
        check_coordinate(r.fm, place.lon, -180.0..=180.0, "lon");
        if let Some(governorate) = &place.governorate {
            check_length(
                r.fm,
                "place",
                governorate,
                LONGEST_TERM,
                "the governorate",
                TERM_HINT,
            );
        }
        r.nested_sources("place", place.source.iter());
    }
    let written: Vec<String> = r.fm.or_default("perpetrators");
    let mut perpetrators = Vec::new();
    for slug in written {
        if slug != UNKNOWN_PERPETRATOR {
            r.add("perpetrators", Collection::Actors, &slug);
            perpetrators.push(slug);
        }
    }
    let verification = r.fm.optional("verification");
    let casualties: Casualties = r.fm.or_default("casualties");
    let counts = [
        &casualties.killed,
        &casualties.injured,
        &casualties.detained,
    ];
    for count in counts.into_iter().flatten() {
        check_count(r.fm, "casualties", count, "a count");
    }
    let victims = r.fm.optional("victims");
    let sources = r.sources("sources");
    let demands = r.slugs("demands", Collection::Demands);
    let mut accountability: Vec<AccountabilityStep> = r.fm.or_default("accountability");
    r.nested_sources(
        "accountability",
        accountability.iter().filter_map(|a| a.source.as_ref()),
    );
    accountability.sort_by_key(|a| a.date);
    Some(Incident {
        date: date?,
        end_date,
        place,
        perpetrators,
        verification,
        casualties,
        victims,
        sources,
        demands,
        accountability,
    })
}

/// Moves `region` into `governorate`, its older name, which is read the same;
/// both at once is an error at the second.
fn one_division(fm: &mut FrontMatter<'_>, place: &mut Place) {
    let Some(region) = place.region.take() else {
        return;
    };
    if place.governorate.is_some() {
        let location = fm.locate("place", "governorate");
        fm.report(
            Diagnostic::error(
                Code::InvalidValue,
                "`place` has both `region` and `governorate`",
            )
            .at(location)
            .hint("`governorate` is the older name of `region`: keep one of them"),
        );
        return;
    }
    place.governorate = Some(region);
}

fn check_coordinate(
    fm: &mut FrontMatter<'_>,
    value: Option<f64>,
    range: std::ops::RangeInclusive<f64>,
    name: &str,
) {
    if let Some(value) = value
        && !range.contains(&value)
    {
        let location = fm.locate("place", &value.to_string());
        fm.report(
            Diagnostic::error(
                Code::OutsideTheGlobe,
                format!("`{name}: {value}` is outside the globe"),
            )
            .at(location)
            .hint(format!(
                "{name} runs from {} to {}",
                range.start(),
                range.end()
            )),
        );
    }
}

/// A count's numbers, each at most [`LARGEST_ESTIMATE`]: a larger one is
/// a typo, which would be printed as if the source had said it.
fn check_count(fm: &mut FrontMatter<'_>, field: &str, count: &Count, what: &str) {
    let mut values: Vec<u64> = [count.min(), count.high].into_iter().flatten().collect();
    values.dedup();
    for value in values {
        if value > LARGEST_ESTIMATE {
            let location = fm.locate(field, &value.to_string());
            fm.report(
                Diagnostic::error(
                    Code::EstimateTooLarge,
                    format!("`{value}` is too large for {what}"),
                )
                .at(location)
                .hint(format!(
                    "counts and estimates go up to {LARGEST_ESTIMATE}; check for extra digits"
                )),
            );
        }
    }
}

fn read_actor(r: &mut References<'_, '_>) -> Option<Actor> {
    let kind = r.fm.required("kind");
    let country = r.fm.optional("country");
    let part_of = r.slug("part_of", Collection::Actors);
    Some(Actor {
        kind: kind?,
        country,
        part_of,
    })
}

fn read_source(r: &mut References<'_, '_>) -> Option<Source> {
    let kind = r.fm.required("kind");
    let publisher = r.slug("publisher", Collection::Actors);
    let authors = r.fm.or_default("authors");
    let date = r.fm.optional("date");
    let url = r.fm.optional("url");
    let archive: Option<Archive> = r.fm.optional("archive");
    if let Some(Archive {
        sha256: Some(hash), ..
    }) = &archive
        && (hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        let location = r.fm.locate("archive", hash);
        r.fm.report(
            Diagnostic::error(
                Code::BadSha256,
                "`sha256` must be 64 hexadecimal characters",
            )
            .at(location)
            .hint("compute it with `sha256sum content/files/NAME`"),
        );
    }
    let perspective = r.fm.optional("perspective");
    let accessed = r.fm.optional("accessed");
    let language = r.fm.optional("language");
    let copy = r.fm.optional("copy");
    let via = r.slug("via", Collection::Sources);
    let archive_url = archive.as_ref().and_then(|a| a.url.as_deref());
    for (key, address) in [("url", url.as_deref()), ("archive", archive_url)] {
        if let Some(address) = address
            && let Some(problem) = crate::policy::check_field_url(address)
        {
            let location = r.fm.locate(key, address);
            r.fm.report(problem.at(location));
        }
    }
    Some(Source {
        kind: kind?,
        publisher,
        authors,
        date,
        url,
        archive,
        perspective,
        accessed,
        language,
        copy,
        via,
    })
}

fn read_figure(r: &mut References<'_, '_>) -> Option<Figure> {
    let unit = r.fm.required("unit");
    let estimates: Vec<Estimate> = r.fm.or_default("estimates");
    r.nested_sources("estimates", estimates.iter().map(|e| &e.source));
    for estimate in &estimates {
        check_count(r.fm, "estimates", &estimate.count, "an estimate");
        if let Some((min, max)) = estimate.min_above_max {
            let location = r.fm.locate("estimates", &min.to_string());
            r.fm.report(
                Diagnostic::error(
                    Code::MinAboveMax,
                    format!("`min` ({min}) is larger than `max` ({max})"),
                )
                .at(location)
                .hint("swap the two numbers"),
            );
        }
        if let Some(period) = &estimate.period
            && period.len() != 2
        {
            let location = r.fm.locate("estimates", "period");
            r.fm.report(
                Diagnostic::error(
                    Code::BadPeriod,
                    format!("`period` has {} dates", period.len()),
                )
                .at(location)
                .hint("write the period as `[from, to]`, for example `[2003-03, 2006-06]`"),
            );
        }
    }
    Some(Figure {
        unit: unit?,
        estimates,
    })
}

/// Reads one document from its file text. `path` is relative to the site root.
pub fn read_document(
    kind: DocKind,
    slug: String,
    lang: String,
    path: PathBuf,
    source: String,
    parts: &Parts,
) -> (Result<Document, Unread>, Vec<Diagnostic>) {
    let body_start = parts.body_start;
    let (read, references, spans, problems) = match FrontMatter::parse(&path, &source, parts) {
        Ok(mut fm) => {
            let (read, references) = read_fields(kind, &mut fm);
            let spans = fm.spans().to_vec();
            (read, references, spans, fm.finish())
        }
        Err(problem) => (None, Vec::new(), Vec::new(), vec![problem]),
    };
    let document = match read {
        Some((common, fields)) => Ok(Document {
            kind,
            slug,
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
        }),
        None => Err(Unread {
            kind,
            slug,
            path,
            source,
            body_start,
            references,
            body_links: Vec::new(),
            citations: Default::default(),
        }),
    };
    (document, problems)
}
