//! Citations in Markdown bodies, in Pandoc's syntax: `[@slug]`,
//! `[@slug, para. 6]`, `[@a; @b, p. 3]`, `[-@slug]` and the in-text form
//! `@slug [para. 6]`; and the editorial marker ` {.editorial}` that ends a
//! paragraph resting on no source.
//!
//! Citations are found in the text events pulldown-cmark produces, never by
//! scanning raw Markdown: a citation in a code span, a code block, a link's
//! text or raw HTML is text. The same reading serves the parse stage (where
//! each key is, for the "unknown source" diagnostics, and which paragraphs
//! are cited, for the sourcing check) and rendering (numbered note
//! references and the notes that end the page), and `check_keys` reports
//! keys that name no source. Nothing here touches the file system.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Lines, PerKind, Severity, closest};
use crate::export::xml as escape;
use crate::graph::Graph;
use crate::markdown;
pub use crate::model::{BodyCitations, Citation, CiteItem, Paragraph};
use crate::model::{Collection, DocKind, Document, Fields, Unread};

/// The marker that ends an editorial paragraph, with the space before it.
pub const EDITORIAL_MARKER: &str = "{.editorial}";

/// Reads every citation and paragraph of `body` (`body_start` is where the
/// body begins in the file).
pub fn scan(body: &str, body_start: usize) -> BodyCitations {
    let mut found = BodyCitations::default();
    let mut depth = Depth::default();
    let mut paragraph: Option<Paragraph> = None;
    let mut run: Vec<(String, Range<usize>)> = Vec::new();
    let flush = |run: &mut Vec<(String, Range<usize>)>,
                 found: &mut BodyCitations,
                 paragraph: &mut Option<Paragraph>| {
        if run.is_empty() {
            return;
        }
        let text = Run::new(std::mem::take(run), body);
        for piece in split(&text.text) {
            if let Piece::Cite(mut citation, _) = piece {
                for item in &mut citation.items {
                    item.offset = body_start + text.source_offset(item.offset);
                }
                if let Some(p) = paragraph.as_mut() {
                    p.cited = true;
                }
                found.citations.push(citation);
            }
        }
    };
    for (event, range) in markdown::parse_with_offsets(body) {
        match &event {
            Event::Text(text) if depth.is_prose() => {
                run.push((text.to_string(), range));
                continue;
            }
            Event::SoftBreak if depth.is_prose() => {
                run.push((" ".to_string(), range));
                continue;
            }
            _ => {}
        }
        flush(&mut run, &mut found, &mut paragraph);
        match &event {
            Event::Start(Tag::Paragraph) if depth.footnote == 0 => {
                paragraph = Some(Paragraph {
                    offset: body_start + range.start,
                    cited: false,
                    editorial: has_marker(&body[range.clone()]),
                });
            }
            // A figure (an image alone, perhaps with its credit) is not
            // text that needs a source.
            Event::End(TagEnd::Paragraph) if is_figure(&body[range.clone()]) => {
                paragraph = None;
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(p) = paragraph.take() {
                    found.paragraphs.push(p);
                }
            }
            _ => {}
        }
        depth.track(&event);
    }
    flush(&mut run, &mut found, &mut paragraph);
    found
}

/// Whether a paragraph's text is a figure as `markdown::finish` makes one:
/// an image, and nothing after it but a credit line.
fn is_figure(paragraph: &str) -> bool {
    let text = paragraph.trim();
    text.starts_with("![")
        && (text.ends_with(markdown::CREDIT_MARKER)
            || (!text.contains('\n') && text.ends_with(')')))
}

fn has_marker(paragraph: &str) -> bool {
    paragraph.trim_end().ends_with(EDITORIAL_MARKER)
}

/// How deep the reader is in places where text is not prose: code, links,
/// images, raw HTML blocks, footnote definitions.
#[derive(Default)]
struct Depth {
    verbatim: usize,
    footnote: usize,
}

impl Depth {
    fn is_prose(&self) -> bool {
        self.verbatim == 0
    }

    fn track(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(
                Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. } | Tag::HtmlBlock,
            ) => self.verbatim += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image | TagEnd::HtmlBlock) => {
                self.verbatim = self.verbatim.saturating_sub(1)
            }
            Event::Start(Tag::FootnoteDefinition(_)) => self.footnote += 1,
            Event::End(TagEnd::FootnoteDefinition) => {
                self.footnote = self.footnote.saturating_sub(1)
            }
            _ => {}
        }
    }
}

/// Consecutive text events joined into one string (pulldown-cmark hands
/// `[`, `@a` and `]` over as separate events), with where each part came
/// from so a key can be pointed at in the file.
struct Run {
    text: String,
    /// (start in `text`, range in the body, whether the text is the
    /// source byte for byte).
    parts: Vec<(usize, Range<usize>, bool)>,
}

impl Run {
    fn new(events: Vec<(String, Range<usize>)>, body: &str) -> Run {
        let mut text = String::new();
        let mut parts = Vec::new();
        for (piece, range) in events {
            let exact = body.get(range.clone()) == Some(piece.as_str());
            parts.push((text.len(), range, exact));
            text.push_str(&piece);
        }
        Run { text, parts }
    }

    /// The body offset of byte `at` of the joined text.
    fn source_offset(&self, at: usize) -> usize {
        let index = self.parts.partition_point(|(start, _, _)| *start <= at);
        match self.parts.get(index.wrapping_sub(1)) {
            Some((start, range, true)) => range.start + (at - start),
            Some((_, range, false)) => range.start,
            None => 0,
        }
    }
}

/// A run of text cut into plain text and citations.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// A citation, and the text it was written as.
    Cite(Citation, String),
}

/// Cuts `text` into plain text and citations. Offsets in the citations'
/// items are byte offsets into `text`.
pub fn split(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let found = match bytes[i] {
            b'[' => bracketed(text, i),
            b'@' if starts_word(text, i) => in_text(text, i),
            _ => None,
        };
        match found {
            Some((citation, end)) => {
                if plain_from < i {
                    pieces.push(Piece::Text(text[plain_from..i].to_string()));
                }
                pieces.push(Piece::Cite(citation, text[i..end].to_string()));
                i = end;
                plain_from = end;
            }
            None => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    if plain_from < text.len() {
        pieces.push(Piece::Text(text[plain_from..].to_string()));
    }
    pieces
}

/// An `@` that begins a word (so an e-mail address is not a citation).
fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric() && c != '\\')
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// The key that starts at `from` (just after `@`): letters, digits, `-` and
/// `_`, with inner `.` or `:` allowed as Pandoc does, never at the end.
fn key_at(text: &str, from: usize) -> Option<usize> {
    let mut end = from;
    let mut chars = text[from..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let inner = (c == '.' || c == ':') && chars.peek().is_some_and(|&(_, n)| is_key_char(n));
        if is_key_char(c) || (inner && end > from) {
            end = from + i + c.len_utf8();
        } else {
            break;
        }
    }
    let first = text[from..].chars().next()?;
    (end > from && first.is_alphanumeric()).then_some(end)
}

/// The `]` that closes the `[` at `open`, if no other bracket comes first:
/// a citation or a locator holds none. Stopping at the first bracket keeps
/// a run of `[` linear: each is looked at from itself to the next.
fn closing(text: &str, open: usize) -> Option<usize> {
    let next = open + 1 + text[open + 1..].find(['[', ']'])?;
    (text.as_bytes()[next] == b']').then_some(next)
}

/// `[@a, loc; -@b]` at `open`: the citation and the offset after `]`. A
/// source named again in the same citation adds its locator to its first
/// item (`[@a, p. 1; @a, p. 3]` is `a` at `p. 1; p. 3`) and is not an item
/// of its own, so a citation holds each source once, however often it is
/// written there.
fn bracketed(text: &str, open: usize) -> Option<(Citation, usize)> {
    let close = closing(text, open)?;
    let inside = &text[open + 1..close];
    let mut items: Vec<CiteItem> = Vec::new();
    let mut item_of: HashMap<&str, usize> = HashMap::new();
    let mut written: HashSet<(&str, Option<&str>)> = HashSet::new();
    let mut at = open + 1;
    for part in inside.split(';') {
        let part_start = at;
        at += part.len() + 1;
        let lead = part.len() - part.trim_start().len();
        let mut start = part_start + lead;
        let trimmed = part.trim();
        let suppress_author = trimmed.starts_with("-@");
        let rest = trimmed.strip_prefix('-').unwrap_or(trimmed);
        rest.strip_prefix('@')?;
        start += usize::from(suppress_author) + 1;
        let key_end = key_at(text, start)?;
        let after = text[key_end..part_start + part.len()].trim();
        let locator = match after.strip_prefix(',') {
            Some(locator) if !locator.trim().is_empty() => Some(locator.trim()),
            Some(_) => None,
            None if after.is_empty() => None,
            None => return None,
        };
        let key = &text[start..key_end];
        if !written.insert((key, locator)) {
            continue;
        }
        match item_of.get(key) {
            Some(&first) => {
                if let Some(locator) = locator {
                    let item = &mut items[first];
                    match &mut item.locator {
                        Some(locators) => {
                            locators.push_str("; ");
                            locators.push_str(locator);
                        }
                        None => item.locator = Some(locator.to_string()),
                    }
                }
            }
            None => {
                item_of.insert(key, items.len());
                items.push(CiteItem {
                    key: key.to_string(),
                    locator: locator.map(str::to_string),
                    suppress_author,
                    offset: start,
                });
            }
        }
    }
    Some((
        Citation {
            items,
            in_text: false,
        },
        close + 1,
    ))
}

/// `@slug` or `@slug [para. 6]` at `at`.
fn in_text(text: &str, at: usize) -> Option<(Citation, usize)> {
    let key_end = key_at(text, at + 1)?;
    let mut end = key_end;
    let mut locator = None;
    let gap = text[key_end..].len() - text[key_end..].trim_start_matches(' ').len();
    let open = key_end + gap;
    if text[open..].starts_with('[')
        && let Some(close) = closing(text, open)
    {
        let inside = text[open + 1..close].trim();
        if !inside.contains('@') {
            locator = (!inside.is_empty()).then(|| inside.to_string());
            end = close + 1;
        }
    }
    Some((
        Citation {
            items: vec![CiteItem {
                key: text[at + 1..key_end].to_string(),
                locator,
                suppress_author: false,
                offset: at + 1,
            }],
            in_text: true,
        },
        end,
    ))
}

/// Checks that every key of every body names a source: an unknown key is
/// an error at the key, with the nearest slug when one is close; a draft
/// source is a warning, as for front-matter references.
pub fn check_keys(graph: &Graph, unread: &[std::sync::Arc<Unread>]) -> Vec<Diagnostic> {
    let kind = DocKind::Entry(Collection::Sources);
    let slugs: Vec<&str> = graph
        .entries(Collection::Sources)
        .map(|id| graph.documents[id].slug.as_str())
        .collect();
    let written = graph
        .documents
        .iter()
        .map(|d| (d.path.as_path(), d.source.as_str(), &d.citations))
        .chain(
            unread
                .iter()
                .map(|u| (u.path.as_path(), u.source.as_str(), &u.citations)),
        );
    let mut problems = Vec::new();
    for (path, text, citations) in written {
        let lines = std::cell::OnceCell::new();
        let mut per_kind = PerKind::default();
        for item in citations.citations.iter().flat_map(|c| &c.items) {
            let key = item.key.as_str();
            if graph.get(kind, key).is_some() || graph.is_broken(kind, key) {
                continue;
            }
            let draft = graph.is_draft(kind, key);
            let (code, severity) = if draft {
                (Code::CitationOfDraft, Severity::Warning)
            } else {
                (Code::UnknownCitation, Severity::Error)
            };
            if !per_kind.admit(code, severity, item.offset) {
                continue;
            }
            let location = lines
                .get_or_init(|| Lines::new(path, text))
                .at(item.offset, key.len());
            if draft {
                problems.push(
                    Diagnostic::warning(Code::CitationOfDraft, format!(
                        "the cited source `{key}` is a draft; its note is left out"
                    ))
                    .at(location)
                    .hint("publish it by removing `draft: true`, or build with `--drafts` to preview it"),
                );
                continue;
            }
            let hint = match closest(key, slugs.iter().copied()) {
                Some(best) => format!("did you mean `@{best}`?"),
                None => format!(
                    "add `content/sources/{key}.md`, or cite the slug of an existing source"
                ),
            };
            problems.push(
                Diagnostic::error(
                    Code::UnknownCitation,
                    format!("unknown source `{key}` in a citation"),
                )
                .at(location)
                .label(format!("no file content/sources/{key}.md"))
                .hint(hint),
            );
        }
        problems.extend(per_kind.overflow().map(|(offset, problem)| {
            problem.at(lines.get_or_init(|| Lines::new(path, text)).at(offset, 0))
        }));
    }
    problems
}

/// The collections whose bodies are claims and must be sourced.
fn is_sourced_collection(document: &Document) -> bool {
    matches!(
        document.collection(),
        Some(Collection::Incidents | Collection::Demands | Collection::Figures)
    )
}

/// How the bodies of incidents, demands and figures are sourced, for the
/// summary line of `dossier check`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub paragraphs: usize,
    /// Paragraphs with at least one citation.
    pub cited: usize,
    /// Paragraphs with no citation, marked ` {.editorial}`.
    pub editorial: usize,
}

impl Tally {
    pub fn of(graph: &Graph) -> Tally {
        let mut tally = Tally::default();
        for document in graph.documents.iter().filter(|d| is_sourced_collection(d)) {
            for paragraph in &document.citations.paragraphs {
                tally.paragraphs += 1;
                if paragraph.cited {
                    tally.cited += 1;
                } else if paragraph.editorial {
                    tally.editorial += 1;
                }
            }
        }
        tally
    }

    pub fn uncited(&self) -> usize {
        self.paragraphs - self.cited - self.editorial
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = if self.paragraphs == 1 { "" } else { "s" };
        write!(
            f,
            "{} paragraph{plural}, {} cited, {} editorial",
            self.paragraphs, self.cited, self.editorial
        )?;
        if self.uncited() > 0 {
            write!(f, ", {} uncited", self.uncited())?;
        }
        Ok(())
    }
}

/// A warning for each paragraph of an incident, demand or figure body with
/// neither a citation nor the editorial marker.
pub fn check_paragraphs(graph: &Graph) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for document in graph.documents.iter().filter(|d| is_sourced_collection(d)) {
        let mut per_kind = PerKind::default();
        for paragraph in &document.citations.paragraphs {
            if paragraph.cited
                || paragraph.editorial
                || !per_kind.admit(Code::UncitedParagraph, Severity::Warning, paragraph.offset)
            {
                continue;
            }
            let line = document.source[paragraph.offset..]
                .lines()
                .next()
                .unwrap_or("");
            problems.push(
                Diagnostic::warning(Code::UncitedParagraph, "this paragraph cites no source")
                    .at(document.location(paragraph.offset, line.trim_end().len()))
                    .hint("end it with a citation such as `[@slug, para. 6]`, or with ` {.editorial}` if it is the editors' own text"),
            );
        }
        problems.extend(
            per_kind
                .overflow()
                .map(|(offset, problem)| problem.at(document.location(offset, 0))),
        );
    }
    problems
}

/// What a note shows of a cited source; `None` from the lookup for a key
/// that names no source (already reported by the link stage).
#[derive(Debug, Clone, Serialize)]
pub struct NoteSource {
    pub slug: String,
    pub title: String,
    pub href: Option<String>,
    pub original_url: Option<String>,
    pub archive_url: Option<String>,
}

/// What a note shows of `source` (a document of `sources/`), given the
/// href of its page and the path back to the site root.
pub fn note_source(source: &Document, href: &str, root: &str) -> NoteSource {
    let fields = match &source.fields {
        Fields::Source(fields) => Some(fields),
        _ => None,
    };
    let archive = fields.and_then(|f| f.archive.as_ref());
    NoteSource {
        slug: source.slug.clone(),
        title: source.common.title.clone(),
        href: Some(href.to_string()),
        original_url: fields.and_then(|f| f.url.clone()),
        archive_url: archive.and_then(|a| {
            a.url
                .clone()
                .or_else(|| a.file.as_ref().map(|file| format!("{root}{file}")))
        }),
    }
}

/// One source in a note.
#[derive(Debug, Clone, Serialize)]
pub struct NoteItem {
    #[serde(flatten)]
    pub source: NoteSource,
    pub locator: Option<String>,
}

/// A numbered note at the end of a page.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    pub number: usize,
    /// The note's own id, and the id of the reference that points at it.
    pub id: String,
    pub ref_id: String,
    pub items: Vec<NoteItem>,
}

/// What rendering needs besides the body: how to resolve `@/` links and
/// keys, the label of editorial paragraphs, and a prefix that keeps note
/// ids unique on a page showing several documents.
pub struct RenderContext<'a> {
    pub resolve: &'a dyn Fn(&str) -> Option<String>,
    /// Files of the site the body names (`markdown::finish`).
    pub files: &'a dyn Fn(&str, bool) -> Option<markdown::LinkedFile>,
    pub lookup: &'a dyn Fn(&str) -> Option<NoteSource>,
    pub editorial_label: &'a str,
    pub note_label: &'a str,
    /// The digits the page writes its note numbers in.
    pub digits: crate::locale::Digits,
    pub id_prefix: &'a str,
    /// What to do with raw HTML written in the body.
    pub raw_html: crate::policy::RawHtml,
}

/// A body rendered with its citations as note references.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    pub notes: Vec<Note>,
}

/// Renders `body` to HTML: citations become numbered note references, the
/// editorial marker becomes a visible label.
pub fn render(body: &str, context: &RenderContext<'_>) -> Rendered {
    let mut events = markdown::parse(body);
    // The site's raw-HTML policy applies to what the author wrote, before
    // the note references and labels are added.
    crate::policy::apply(&mut events, context.raw_html);
    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut notes = Vec::new();
    let mut depth = Depth::default();
    let mut run: Vec<CowStr<'_>> = Vec::new();
    let mut paragraph_start: Option<usize> = None;
    for event in events {
        match &event {
            Event::Text(text) if depth.is_prose() => {
                run.push(text.clone());
                continue;
            }
            // A citation may be cut by a line end; HTML reads a soft break
            // as a space anyway.
            Event::SoftBreak if depth.is_prose() => {
                run.push(CowStr::Borrowed(" "));
                continue;
            }
            _ => {}
        }
        flush_run(&mut run, &mut out, &mut notes, context);
        match &event {
            Event::Start(Tag::Paragraph) => paragraph_start = Some(out.len()),
            Event::End(TagEnd::Paragraph) => {
                if let Some(start) = paragraph_start.take()
                    && strip_marker(&mut out[start..])
                {
                    out[start] = Event::Html(CowStr::from(format!(
                        "<p class=\"editorial\"><span class=\"editorial-label\">{}</span> ",
                        escape(context.editorial_label)
                    )));
                }
            }
            _ => {}
        }
        depth.track(&event);
        out.push(event);
    }
    flush_run(&mut run, &mut out, &mut notes, context);
    Rendered {
        html: crate::policy::finish(
            markdown::finish(out, context.resolve, context.files),
            context.raw_html,
        ),
        notes,
    }
}

/// Removes the editorial marker from the end of a paragraph's events;
/// whether it was there.
fn strip_marker(events: &mut [Event<'_>]) -> bool {
    let Some(Event::Text(last)) = events
        .iter_mut()
        .rev()
        .find(|e| !matches!(e, Event::SoftBreak))
    else {
        return false;
    };
    let trimmed = last.trim_end();
    match trimmed.strip_suffix(EDITORIAL_MARKER) {
        Some(rest) => {
            *last = CowStr::from(rest.trim_end().to_string());
            true
        }
        None => false,
    }
}

/// Removes the white space at the end of the text before a note marker,
/// and the text if it was nothing else.
fn attach_to_preceding(out: &mut Vec<Event<'_>>) {
    if let Some(Event::Text(text)) = out.last_mut() {
        let trimmed = text.trim_end();
        if trimmed.len() != text.len() {
            if trimmed.is_empty() {
                out.pop();
            } else {
                *text = CowStr::from(trimmed.to_string());
            }
        }
    }
}

fn flush_run<'a>(
    run: &mut Vec<CowStr<'a>>,
    out: &mut Vec<Event<'a>>,
    notes: &mut Vec<Note>,
    context: &RenderContext<'_>,
) {
    if run.is_empty() {
        return;
    }
    let text: String = run.iter().map(|t| t.as_ref()).collect();
    run.clear();
    for piece in split(&text) {
        match piece {
            Piece::Text(text) => out.push(Event::Text(CowStr::from(text))),
            Piece::Cite(citation, written) => {
                let items: Vec<NoteItem> = citation
                    .items
                    .iter()
                    .filter_map(|item| {
                        Some(NoteItem {
                            source: (context.lookup)(&item.key)?,
                            locator: item.locator.clone(),
                        })
                    })
                    .collect();
                if items.is_empty() {
                    // Every key is unknown: the build has failed already;
                    // keep the text as written.
                    out.push(Event::Text(CowStr::from(written)));
                    continue;
                }
                let number = notes.len() + 1;
                let id = format!("{}note-{number}", context.id_prefix);
                let ref_id = format!("{}note-ref-{number}", context.id_prefix);
                let mut html = String::new();
                let mut class = "note-ref";
                if !citation.in_text {
                    // The marker sits on the word it follows: the space typed
                    // before `[@…]` would let it, or the full stop after it,
                    // start a line of its own.
                    attach_to_preceding(out);
                    if matches!(out.last(), Some(Event::InlineHtml(h)) if h.ends_with("</a></sup>"))
                    {
                        // Two markers side by side would read as one number.
                        html.push_str("<sup class=\"note-sep\">,</sup>");
                    }
                    if matches!(out.last(), Some(Event::End(TagEnd::Link))) {
                        // Right after a link, as in a list of links: its own
                        // box keeps the two apart to tap.
                        class = "note-ref after-link";
                    }
                }
                if citation.in_text {
                    let source = &items[0].source;
                    match &source.href {
                        Some(href) => html.push_str(&format!(
                            "<a href=\"{}\">{}</a>",
                            escape(href),
                            escape(&source.title)
                        )),
                        None => html.push_str(&escape(&source.title)),
                    }
                }
                html.push_str(&format!(
                    "<sup class=\"{class}\"><a href=\"#{id}\" id=\"{ref_id}\" role=\"doc-noteref\" aria-label=\"{} {shown}\">{shown}</a></sup>",
                    escape(context.note_label),
                    shown = crate::locale::localize(&number.to_string(), context.digits),
                ));
                out.push(Event::InlineHtml(CowStr::from(html)));
                notes.push(Note {
                    number,
                    id,
                    ref_id,
                    items,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(String, Option<String>, bool)> {
        split(text)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Cite(c, _) => Some(c),
                Piece::Text(_) => None,
            })
            .flat_map(|c| {
                c.items
                    .into_iter()
                    .map(|i| (i.key, i.locator, i.suppress_author))
            })
            .collect()
    }

    #[test]
    fn reads_every_form_pandoc_defines() {
        let found = keys(
            "A [@hrw-2005]. B [@un, para. 6]. C [@a, para. 2; -@b, p. 3]. D @c [item 2] and @d.",
        );
        let expected = [
            ("hrw-2005", None, false),
            ("un", Some("para. 6"), false),
            ("a", Some("para. 2"), false),
            ("b", Some("p. 3"), true),
            ("c", Some("item 2"), false),
            ("d", None, false),
        ];
        let expected: Vec<(String, Option<String>, bool)> = expected
            .iter()
            .map(|(k, l, s)| (k.to_string(), l.map(str::to_string), *s))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn mail_addresses_and_plain_brackets_are_text() {
        assert!(keys("write to press@example.org [see above] [x; y]").is_empty());
        assert!(keys("escaped \\@handle").is_empty());
    }

    #[test]
    fn keys_are_located_in_the_file_and_code_is_text() {
        let body =
            "First [@one, para. 2].\n\n`[@two]` and\n\n```\n[@three]\n```\n\nLast {.editorial}\n";
        let found = scan(body, 10);
        assert_eq!(found.citations.len(), 1);
        let item = &found.citations[0].items[0];
        assert_eq!(&body[item.offset - 10..][..3], "one");
        let sourced: Vec<(bool, bool)> = found
            .paragraphs
            .iter()
            .map(|p| (p.cited, p.editorial))
            .collect();
        assert_eq!(sourced, [(true, false), (false, false), (false, true)]);
    }

    /// How the tests render: English words, Latin digits, raw HTML escaped.
    fn test_context<'a>(lookup: &'a dyn Fn(&str) -> Option<NoteSource>) -> RenderContext<'a> {
        RenderContext {
            resolve: &|_| None,
            files: &markdown::no_files,
            lookup,
            editorial_label: "Editorial note",
            note_label: "Note",
            digits: crate::locale::Digits::Latn,
            id_prefix: "",
            raw_html: crate::policy::RawHtml::Escape,
        }
    }

    #[test]
    fn renders_numbered_notes_and_the_editorial_label() {
        let lookup = |key: &str| {
            (key != "missing").then(|| NoteSource {
                slug: key.to_string(),
                title: format!("Title of {key}"),
                href: Some(format!("../{key}/index.html")),
                original_url: None,
                archive_url: None,
            })
        };
        let context = test_context(&lookup);
        let rendered = render(
            "One [@a, para. 1] two [@b; @c].\n\nOurs. {.editorial}\n",
            &context,
        );
        assert_eq!(rendered.notes.len(), 2);
        assert_eq!(rendered.notes[1].items.len(), 2);
        assert!(
            rendered
                .html
                .contains("<a href=\"#note-2\" id=\"note-ref-2\" role=\"doc-noteref\""),
            "{}",
            rendered.html
        );
        assert!(
            rendered.html.contains(
                "<p class=\"editorial\"><span class=\"editorial-label\">Editorial note</span> Ours.</p>"
            ),
            "{}",
            rendered.html
        );
        assert!(!rendered.html.contains("{.editorial}"));
    }

    #[test]
    fn a_marker_sits_on_the_word_before_it_and_two_are_kept_apart() {
        let lookup = |key: &str| {
            Some(NoteSource {
                slug: key.to_string(),
                title: key.to_string(),
                href: None,
                original_url: None,
                archive_url: None,
            })
        };
        let context = test_context(&lookup);
        let marker = |n: u32| {
            format!(
                "<sup class=\"note-ref\"><a href=\"#note-{n}\" id=\"note-ref-{n}\" role=\"doc-noteref\" aria-label=\"Note {n}\">{n}</a></sup>"
            )
        };
        let html = render(
            "The occupation [@a, para. 1]. After *emphasis* [@b] [@c], and @a says so.\n",
            &context,
        )
        .html;
        assert!(
            html.contains(&format!("occupation{}.", marker(1))),
            "{html}"
        );
        assert!(
            html.contains(&format!(
                "<em>emphasis</em>{}<sup class=\"note-sep\">,</sup>{},",
                marker(2),
                marker(3)
            )),
            "{html}"
        );
        // A citation in the text keeps its space: it is words, not a marker.
        assert!(html.contains("and a"), "{html}");
        // Right after a link, a marker keeps a box of its own.
        let html = render("- [A demand](x.md) [@a]\n", &context).html;
        assert!(
            html.contains("</a><sup class=\"note-ref after-link\"><a href=\"#note-1\""),
            "{html}"
        );
    }
}
