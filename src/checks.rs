//! What the content model asks of documents beyond well-formed fields:
//! sources behind incidents, a perspective on every source, archived
//! copies that match their recorded hash, corrections dated between the
//! document's own date and today. Reads nothing but the archived
//! copies it is asked to check, through `discover::read_bytes`, each once
//! per loaded site.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::config::{CheckOptions, Requirement, Strictness};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::discover;
use crate::graph::Graph;
use crate::images::FileFacts;
use crate::model::{Collection, DocKind, Document, Fields, PartialDate, Unread};
use crate::scaffold;

/// The facts (SHA-256, size, an image's size) of each file read so far:
/// archived copies by the path written in `archive.file`, the files bodies
/// name by their path in the output, which for a file of `content/` is the
/// same. A site loaded once reads each file once, however often it is
/// relinked: `serve` relinks after every save of a document, and a change
/// to anything but a document (a file included) loads the site, and with
/// it a new record, again.
#[derive(Debug, Default)]
pub struct ArchiveHashes {
    known: Mutex<HashMap<String, Result<FileFacts, std::io::ErrorKind>>>,
    reads: AtomicUsize,
}

impl ArchiveHashes {
    /// How many times a copy was read from disk.
    pub fn reads(&self) -> usize {
        self.reads.load(Ordering::Relaxed)
    }

    /// The hash of `content/<file>`, or why it could not be read.
    fn hash(&self, content: &Path, file: &str) -> Result<String, std::io::ErrorKind> {
        let root = content.parent().unwrap_or(content);
        self.facts(root, file, &content.join(file))
            .map(|facts| facts.sha256)
    }

    /// The facts of the file at `absolute` in the site at `root`, known
    /// as `key`, or why it could not be read.
    pub fn facts(
        &self,
        root: &Path,
        key: &str,
        absolute: &Path,
    ) -> Result<FileFacts, std::io::ErrorKind> {
        let known = |this: &Self| {
            let map = this.known.lock().unwrap_or_else(|e| e.into_inner());
            map.get(key).cloned()
        };
        if let Some(result) = known(self) {
            return result;
        }
        self.reads.fetch_add(1, Ordering::Relaxed);
        let result = discover::read_bytes(root, absolute)
            .map(|bytes| FileFacts::of(key, &bytes))
            .map_err(|error| error.kind());
        self.known
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_string(), result.clone());
        result
    }
}

/// What the content model asks of documents beyond well-formed fields:
/// sources behind incidents (an error unless `[check]
/// incidents_without_sources` says `warn`), a perspective on every source,
/// archived copies that match their recorded hash (each read once, see
/// [`ArchiveHashes`]).
pub fn check_documents(
    graph: &Graph,
    content: &Path,
    archives: &ArchiveHashes,
    check: &CheckOptions,
) -> Vec<Diagnostic> {
    let warn_without_copy = check.sources_without_copy == Strictness::Warn;
    let without_source = match check.incidents_without_sources {
        Requirement::Error => Diagnostic::error(Code::UnsourcedIncident, "this incident has no source"),
        Requirement::Warn => Diagnostic::warning(Code::IncidentWithoutSource, "this incident has no source"),
    }
    .hint("add `sources: [slug]` naming the report or article it rests on; no claim is published without one");
    graph
        .documents
        .par_iter()
        .flat_map_iter(|document| {
            let mut problems = Vec::new();
            let at_title = || document.field_location("title");
            match &document.fields {
                // A translation inherits its original's sources, reported
                // there; sources written in a shape the reader refused were
                // reported as such.
                Fields::Incident(incident)
                    if incident.sources.is_empty()
                        && document.translation.is_none()
                        && !sources_refused(document) =>
                {
                    // At `sources: []` where it is written, else at the title.
                    let at = match document.span("sources") {
                        Some(_) => document.field_location("sources"),
                        None => at_title(),
                    };
                    problems.push(without_source.clone().at(at))
                }
                Fields::Source(source) => {
                    // `dossier new` writes `perspective: ""` for the editor to
                    // fill in: an empty note is no note.
                    if source.perspective.as_deref().is_none_or(|p| p.trim().is_empty()) {
                        problems.push(
                            Diagnostic::warning(Code::SourceWithoutPerspective, "this source has no `perspective` note")
                                .at(at_title())
                                .hint("add `perspective: ...`: one neutral sentence on where the source stands, so readers can weigh it"),
                        );
                    }
                    let reachable = source.url.is_some()
                        || source.archive.as_ref().is_some_and(|a| a.url.is_some() || a.file.is_some());
                    let explained = source.copy.as_deref().is_some_and(|c| !c.trim().is_empty());
                    if warn_without_copy && !reachable && !explained {
                        problems.push(
                            Diagnostic::warning(Code::SourceWithoutCopy, "this source has neither a `url` nor an `archive`, and no `copy` note")
                                .at(at_title())
                                .hint("add the address readers can check, an archived copy, or `copy: ...` saying what was read and why it cannot be linked"),
                        );
                    }
                    if let Some(archive) = &source.archive
                        && let Some(file) = &archive.file
                    {
                        problems.extend(check_archive(document, content, archives, file, archive.sha256.as_deref()));
                    }
                }
                _ => {}
            }
            problems
        })
        .collect()
}

/// Whether `document` writes a `sources` value that is neither empty nor
/// an empty list: one the reader refused (and reported), not one that
/// names no source.
fn sources_refused(document: &Document) -> bool {
    document.span("sources").is_some_and(|span| {
        let written = &document.source[span.value.clone()];
        let value: String = (written.lines())
            .filter(|line| !line.trim_start().starts_with('#'))
            .map(|line| line.split(" #").next().unwrap_or_default().trim())
            .collect();
        !["", "[]", "~", "null"].contains(&value.as_str())
    })
}

/// What `dossier new` wrote for the editor to replace and is still there:
/// its body, in every file, read or not (so one run names it beside a
/// front-matter mistake); an incident's empty place. Each is an error at
/// its line, so a document started and forgotten never publishes its
/// instructions. (Its dates are written as [`scaffold::PLACEHOLDER_DATE`],
/// which is no date, so the date reader refuses them.)
pub fn check_placeholders(graph: &Graph, unread: &[Arc<Unread>]) -> Vec<Diagnostic> {
    let written = (graph.documents.iter())
        .map(|d| (d.path.as_path(), d.source.as_str(), d.body_start))
        .chain(
            unread
                .iter()
                .map(|u| (u.path.as_path(), u.source.as_str(), u.body_start)),
        );
    let mut problems = Vec::new();
    for (path, text, body_start) in written {
        if let Some(offset) = text[body_start..].find(scaffold::PLACEHOLDER_BODY) {
            let start = body_start + offset;
            problems.push(
                Diagnostic::error(
                    Code::Placeholder,
                    "this is the text `dossier new` wrote for you to replace",
                )
                .at(Location::at(path, text, start, scaffold::PLACEHOLDER_BODY.len()))
                .hint("write the document's own text in its place, each paragraph ending with its source, such as `[@slug, para. 6]`"),
            );
        }
    }
    let nameless_place = |at: Location| {
        Diagnostic::error(Code::Placeholder, "the place of this incident has no name")
            .at(at)
            .hint("write where it happened: the town, village or site, for example `place: {name: Haditha, governorate: Anbar}`")
    };
    // A translation inherits its original's place, reported there.
    for document in graph.documents.iter().filter(|d| d.translation.is_none()) {
        if let Fields::Incident(incident) = &document.fields
            && (incident.place.as_ref()).is_some_and(|place| place.name.trim().is_empty())
        {
            problems.push(nameless_place(document.inner_location("place", "name")));
        }
    }
    // An incident whose front matter could not be read (a date still
    // `YYYY-MM-DD`) has no place to look at: its line as `dossier new`
    // wrote it is found instead, so that one run names every placeholder.
    let incident = DocKind::Entry(Collection::Incidents);
    for file in unread.iter().filter(|u| u.kind == incident) {
        let front_matter = &file.source[..file.body_start];
        let mut offset = 0;
        for line in front_matter.split_inclusive('\n') {
            if line.starts_with(scaffold::PLACEHOLDER_PLACE) {
                let name = offset + "place: {".len();
                problems.push(nameless_place(Location::at(
                    &file.path,
                    &file.source,
                    name,
                    "name".len(),
                )));
            }
            offset += line.len();
        }
    }
    problems
}

fn check_archive(
    document: &Document,
    content: &Path,
    archives: &ArchiveHashes,
    file: &str,
    expected: Option<&str>,
) -> Option<Diagnostic> {
    let location = document.inner_location("archive", "file");
    let inside =
        !file.split('/').any(|part| part == ".." || part.is_empty()) && !file.starts_with('/');
    if !inside {
        return Some(
            Diagnostic::error(
                Code::ArchiveOutsideContent,
                format!("the archived copy `{file}` is outside `content/`"),
            )
            .at(location)
            .hint("name the file from `content/`, for example `files/report.pdf`"),
        );
    }
    let actual = match archives.hash(content, file) {
        Ok(actual) => actual,
        Err(std::io::ErrorKind::PermissionDenied) => {
            return Some(
                Diagnostic::error(Code::ArchiveThroughRefusedLink, format!(
                    "the archived copy `{file}` is a link to a file outside the dossier's folders or a hidden one; it was not read"
                ))
                .at(location)
                .hint("put the file itself in `content/`, not a link to it"),
            );
        }
        Err(_) => {
            return Some(
                Diagnostic::error(
                    Code::ArchiveMissing,
                    format!("the archived copy `{file}` does not exist"),
                )
                .at(location)
                .hint(format!(
                    "put the file at `content/{file}`, or correct the path"
                )),
            );
        }
    };
    match expected {
        Some(expected) if !expected.eq_ignore_ascii_case(&actual) => {
            Some(
                Diagnostic::error(Code::ArchiveHashMismatch, format!("the archived copy `{file}` does not match its `sha256`"))
                    .at(document.inner_location("archive", "sha256"))
                    .label(format!("the file's SHA-256 is {actual}"))
                    .hint("if the file was replaced on purpose, update `sha256`; otherwise restore the original file"),
            )
        }
        _ => None,
    }
}

/// The date a correction cannot precede: when an incident happened, a
/// demand was first raised, a source was published. Other documents have
/// no date of their own (`updated` is when they last changed).
fn own_date(document: &Document) -> Option<(PartialDate, &'static str)> {
    match &document.fields {
        Fields::Incident(incident) => Some((incident.date, "date")),
        Fields::Demand(demand) => demand.first_raised.map(|d| (d, "first_raised")),
        Fields::Source(source) => source.date.map(|d| (d, "date")),
        _ => None,
    }
}

/// Corrections dated after `today` (the day after, so that an editor east
/// of Greenwich is not refused her own today) or before the document's own
/// date: a typo either way, which would put a false date on the record.
/// Translations inherit their original's corrections, checked there.
pub fn check_corrections(graph: &Graph, today: PartialDate) -> Vec<Diagnostic> {
    let tomorrow = jiff::civil::Date::new(
        today.year,
        today.month.unwrap_or(1) as i8,
        today.day.unwrap_or(1) as i8,
    )
    .ok()
    .and_then(|d| d.tomorrow().ok())
    .map(|d| (d.year(), d.month() as u8, d.day() as u8));
    let mut problems = Vec::new();
    for document in graph.documents.iter().filter(|d| d.translation.is_none()) {
        for correction in &document.common.corrections {
            let (offset, len) = correction.at;
            let date = correction.date;
            let problem = if tomorrow.is_some_and(|t| date.sort_key() > t) {
                Diagnostic::error(
                    Code::CorrectionDate,
                    format!("the correction is dated {date}, which has not come yet"),
                )
                .hint(format!(
                    "a correction is dated the day it was made; today is {today}"
                ))
            } else if let Some((own, field)) = own_date(document)
                && date.sort_key() < own.sort_key()
            {
                Diagnostic::error(
                    Code::CorrectionDate,
                    format!(
                        "the correction is dated {date}, before the document's `{field}` ({own})"
                    ),
                )
                .hint(
                    "nothing can be corrected before it was written: check the year, month and day",
                )
            } else {
                continue;
            };
            problems.push(problem.at(document.location(offset, len)));
        }
    }
    problems
}
