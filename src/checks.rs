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
/// `warn_without_copy` is `[check] sources_without_copy`.
pub fn check_documents(graph: &Graph, content: &Path, warn_without_copy: bool) -> Vec<Diagnostic> {
    graph
        .documents
        .par_iter()
        .flat_map_iter(|document| {
            let mut problems = Vec::new();
            let at_title = || document.field_location("title");
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
    let root = content.parent().unwrap_or(content);
    let bytes = match discover::read_bytes(root, &content.join(file)) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::PermissionDenied => {
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
    let actual: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
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
