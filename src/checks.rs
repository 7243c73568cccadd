//! What the content model asks of documents beyond well-formed fields:
//! sources behind incidents, a perspective on every source, archived
//! copies that match their recorded hash. Reads nothing but the archived
//! copies it is asked to check, through `discover::read_bytes`.

use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diagnostic::{Code, Diagnostic};
use crate::discover;
use crate::graph::Graph;
use crate::model::{Document, Fields};

/// What the content model asks of documents beyond well-formed fields:
/// sources behind incidents, a perspective on every source, archived copies
/// that match their recorded hash.
pub fn check_documents(graph: &Graph, content: &Path) -> Vec<Diagnostic> {
    graph
        .documents
        .par_iter()
        .flat_map_iter(|document| {
            let mut problems = Vec::new();
            let start = document.source.find('\n').map_or(0, |i| i + 1);
            let at_title = || {
                let offset = document.source[start..].find("title").map_or(start, |i| start + i);
                document.location(offset, "title".len())
            };
            match &document.fields {
                Fields::Incident(incident) if incident.sources.is_empty() => problems.push(
                    Diagnostic::warning(Code::IncidentWithoutSource, "this incident has no source")
                        .at(at_title())
                        .hint("add `sources: [slug]` naming the report or article it rests on"),
                ),
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
                    if let Some(archive) = &source.archive
                        && let Some(file) = &archive.file
                    {
                        problems.extend(check_archive(document, content, file, archive.sha256.as_deref()));
                    }
                }
                _ => {}
            }
            problems
        })
        .collect()
}

fn check_archive(
    document: &Document,
    content: &Path,
    file: &str,
    expected: Option<&str>,
) -> Option<Diagnostic> {
    let offset = document.source.find(file).unwrap_or(0);
    let location = document.location(offset, file.len());
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
    let bytes = match discover::read_bytes(&content.join(file)) {
        Ok(bytes) => bytes,
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
    let actual: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    match expected {
        Some(expected) if !expected.eq_ignore_ascii_case(&actual) => {
            let offset = document.source.find(expected).unwrap_or(offset);
            Some(
                Diagnostic::error(Code::ArchiveHashMismatch, format!("the archived copy `{file}` does not match its `sha256`"))
                    .at(document.location(offset, expected.len()))
                    .label(format!("the file's SHA-256 is {actual}"))
                    .hint("if the file was replaced on purpose, update `sha256`; otherwise restore the original file"),
            )
        }
        _ => None,
    }
}
