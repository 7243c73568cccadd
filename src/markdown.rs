//! Markdown bodies: finding `@/` links to other documents, and rendering a
//! body to HTML with those links made relative to the page.
//!
//! Both functions are pure: they take text and return data. Heading ids are
//! generated from the heading text (or taken from `{#id}`) so every section
//! of a dossier can be cited by URL.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::model::BodyLink;
use crate::policy;

/// The Markdown extensions the dossier uses. The metadata-block option is
/// left off on purpose: front matter is split by hand, and that option would
/// swallow later `---` blocks in the body.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

pub const INTERNAL_PREFIX: &str = "@/";

/// Every `@/…` link destination in `body` that names a document, with its
/// byte range in the file (`body_start` is where the body begins in the
/// file). An `@/` destination naming a file (`@/files/report.pdf`) is a
/// [`FileLink`] instead.
pub fn scan_links(body: &str, body_start: usize) -> Vec<BodyLink> {
    scan(body, body_start, |dest, _| {
        dest.starts_with(INTERNAL_PREFIX) && !names_a_file(dest)
    })
    .into_iter()
    .map(|found| BodyLink {
        len: found.dest.len(),
        target: found.dest,
        offset: found.offset,
    })
    .collect()
}

/// A body's link or image pointing at a file of the site: an image or an
/// attachment, written beside the document (`gate.jpg`, `photos/gate.jpg`),
/// from `content/` (`@/files/report.pdf`) or from the site's root
/// (`/files/report.pdf`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLink {
    /// The destination as written.
    pub written: String,
    /// Where it is written in the file, and its length.
    pub offset: usize,
    pub len: usize,
    pub image: bool,
    /// Whether any text is written inside it: for an image, its
    /// description (`![a description](…)`).
    pub has_text: bool,
}

/// Every destination in `body` that names a file of the site, in the order
/// written.
pub fn scan_files(body: &str, body_start: usize) -> Vec<FileLink> {
    scan(body, body_start, |dest, image| {
        file_path(dest, "", image).is_some()
    })
    .into_iter()
    .map(|found| FileLink {
        len: found.dest.len(),
        written: found.dest,
        offset: found.offset,
        image: found.image,
        has_text: found.has_text,
    })
    .collect()
}

/// A link's or image's destination found by [`scan`].
struct Found {
    dest: String,
    /// Where the destination is written in the file.
    offset: usize,
    image: bool,
    has_text: bool,
}

/// The destinations of links and images in `body` that `wanted` keeps
/// (given the destination and whether it is an image's), located in the
/// file.
fn scan(body: &str, body_start: usize, wanted: impl Fn(&str, bool) -> bool) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let mut destinations = policy::Destinations::default();
    // Whether each link or image open at this point holds text yet.
    let mut open_texts: Vec<bool> = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Event::Text(text) | Event::Code(text) = &event
            && let Some(last) = open_texts.last_mut()
        {
            *last |= !text.trim().is_empty();
        }
        // Each destination is listed when it opens, so that they keep the
        // order written, and located when it ends.
        let open = || {
            let (dest, image) = match &event {
                Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
                Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
                _ => return None,
            };
            wanted(dest, image).then(|| {
                found.push(Found {
                    dest: dest.to_string(),
                    offset: body_start + range.start,
                    image,
                    has_text: false,
                });
                (found.len() - 1, dest.to_string())
            })
        };
        if matches!(event, Event::Start(Tag::Link { .. } | Tag::Image { .. })) {
            open_texts.push(false);
        }
        let located = destinations.follow(body, &event, &range, open, |kept| {
            kept.as_ref().map(|(_, dest)| dest.as_str())
        });
        if let Some((kept, offset)) = located {
            let has_text = open_texts.pop().unwrap_or(false);
            if let Some(last) = open_texts.last_mut() {
                *last |= has_text;
            }
            if let Some((index, _)) = kept {
                found[index].offset = body_start + offset;
                found[index].has_text = has_text;
            }
        }
    }
    found
}

/// Whether an `@/` destination names a file rather than a document: its
/// last part has an extension other than `.md`.
fn names_a_file(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(stem, extension)| !stem.is_empty() && extension != "md")
}

/// How a destination names a file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilePath {
    /// The file's path in the output, which is its path from `content/`
    /// (or from `static/`).
    Found(String),
    /// A relative path that climbs out of `content/`.
    Outside,
}

/// The file a destination written in a document of `folder` (its folder
/// under `content/`, `incidents/`, or `""`) names, or `None` when it names
/// no file of the site: an address, a fragment, a document (`@/…​.md`), a
/// page's folder. A link names a file when its last part has an extension
/// other than a page's; an image always does.
pub fn file_path(dest: &str, folder: &str, image: bool) -> Option<FilePath> {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    if path.is_empty() || path.starts_with("//") || has_scheme(path) {
        return None;
    }
    let (from_root, path) = if let Some(rest) = path.strip_prefix(INTERNAL_PREFIX) {
        if !names_a_file(rest) {
            return None;
        }
        (true, rest)
    } else if let Some(rest) = path.strip_prefix('/') {
        (true, rest)
    } else {
        (false, path)
    };
    let is_page = |name: &str| {
        !name.contains('.') || [".md", ".html", ".htm"].iter().any(|e| name.ends_with(e))
    };
    if !image && (path.ends_with('/') || is_page(path.rsplit('/').next().unwrap_or(path))) {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut parts: Vec<&str> = if from_root {
        Vec::new()
    } else {
        folder.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(FilePath::Outside);
                }
            }
            part => parts.push(part),
        }
    }
    Some(FilePath::Found(parts.join("/")))
}

/// Whether a destination starts with a URL scheme (`https:`, `mailto:`).
fn has_scheme(dest: &str) -> bool {
    match dest.find([':', '/']) {
        Some(colon) if dest[colon..].starts_with(':') => dest[..colon]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)),
        _ => false,
    }
}

/// The part of an `@/` link before any `#fragment`, and the fragment.
pub fn split_fragment(target: &str) -> (&str, Option<&str>) {
    match target.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (target, None),
    }
}

/// Renders `body` to HTML. `resolve` turns an `@/collection/slug.md` path
/// (without fragment) into the href to write; links it cannot resolve are
/// left as they are (the link stage has already reported them).
pub fn render(
    body: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    raw_html: policy::RawHtml,
) -> String {
    let mut events = parse(body);
    policy::apply(&mut events, raw_html);
    policy::finish(finish(events, resolve, &no_files), raw_html)
}

/// A file of the site as a page links it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedFile {
    /// The address from the page, relative.
    pub href: String,
    /// For an image whose size is known: how to show it.
    pub picture: Option<Picture>,
}

/// An image with its smaller copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// The size of the widest copy a page asks for, which is `src`.
    pub width: u32,
    pub height: u32,
    /// Every copy (the address and its width), narrowest first, the
    /// widest last.
    pub sources: Vec<(String, u32)>,
}

/// For a caller whose pages link no file of the site: every destination is
/// left as written.
pub fn no_files(_: &str, _: bool) -> Option<LinkedFile> {
    None
}

/// The space an image takes in the page's column: the whole screen of a
/// phone, the column (`.prose`, at most `44rem`) on a larger one. Browsers pick the
/// copy from it before the style sheet is read.
const IMAGE_SIZES: &str = "(min-width: 48rem) 44rem, 100vw";

/// The marker that ends an image's credit line, as
/// [`crate::cite::EDITORIAL_MARKER`] ends an editorial paragraph.
pub const CREDIT_MARKER: &str = "{.credit}";

/// The events of `body`, for a caller that rewrites some before `finish`.
pub fn parse(body: &str) -> Vec<Event<'_>> {
    Parser::new_ext(body, options()).collect()
}

/// The events of `body` with their byte ranges, as they are read, so that
/// a reader that looks at each once never holds them all.
pub fn parse_with_offsets(body: &str) -> impl Iterator<Item = (Event<'_>, std::ops::Range<usize>)> {
    Parser::new_ext(body, options()).into_offset_iter()
}

/// Renders events to HTML, with `@/` links resolved and heading ids added.
/// The raw-HTML policy is the caller's to apply to the author's events
/// first (`policy::apply`), so that markup the generator adds afterwards,
/// such as note references, is not escaped with them.
///
/// `files` turns a destination naming a file of the site (see
/// [`file_path`]) into its link, given whether it is an image's. An image
/// alone in its paragraph is a figure: its title (`![…](gate.jpg "The
/// gate")`) is the caption, and a line under it ending with `{.credit}`
/// says whose it is.
pub fn finish(
    mut events: Vec<Event<'_>>,
    resolve: &dyn Fn(&str) -> Option<String>,
    files: &dyn Fn(&str, bool) -> Option<LinkedFile>,
) -> String {
    rewrite_links(&mut events, resolve);
    let mut events = rewrite_files(events, files);
    add_heading_ids(&mut events);
    let mut out = String::with_capacity(events.len() * 16);
    html::push_html(&mut out, events.into_iter());
    out
}

/// What the content policy finds in `body` (raw HTML, refused URL
/// schemes), located in the file whose text is `source`, the body starting
/// at `body_start`.
pub fn check_policy(
    path: &std::path::Path,
    source: &str,
    body_start: usize,
    raw_html: policy::RawHtml,
) -> Vec<crate::Diagnostic> {
    let body = &source[body_start..];
    let lines = std::cell::OnceCell::new();
    policy::check(
        body,
        Parser::new_ext(body, options()).into_offset_iter(),
        raw_html,
    )
    .into_iter()
    .map(|p| {
        let location = lines
            .get_or_init(|| crate::diagnostic::Lines::new(path, source))
            .at(body_start + p.offset, p.len);
        p.problem.at(location)
    })
    .collect()
}

fn rewrite_links(events: &mut [Event<'_>], resolve: &dyn Fn(&str) -> Option<String>) {
    for event in events.iter_mut() {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event
            && let Some(internal) = dest_url.strip_prefix(INTERNAL_PREFIX)
        {
            let (path, fragment) = split_fragment(internal);
            if let Some(mut href) = resolve(path) {
                if let Some(fragment) = fragment {
                    href.push('#');
                    href.push_str(fragment);
                }
                *dest_url = CowStr::from(href);
            }
        }
    }
}

/// Links to files made relative to the page, images written as `<img>`
/// with their copies and size, and figures made of images alone in their
/// paragraphs.
fn rewrite_files<'a>(
    events: Vec<Event<'a>>,
    files: &dyn Fn(&str, bool) -> Option<LinkedFile>,
) -> Vec<Event<'a>> {
    let mut out: Vec<Event<'a>> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let figure = matches!(events[i], Event::Start(Tag::Paragraph))
            .then(|| figure_at(&events, i + 1))
            .flatten();
        if let Some(figure) = figure {
            out.push(Event::Html(figure.html(&events, files).into()));
            i = figure.end + 1;
            continue;
        }
        match &events[i] {
            Event::Start(Tag::Image { .. }) => {
                let end = image_end(&events, i);
                out.push(Event::Html(img(&events[i..=end], files, true).into()));
                i = end + 1;
                continue;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match files(dest_url, false) {
                    Some(file) => CowStr::from(file.href),
                    None => dest_url.clone(),
                };
                out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url,
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            event => out.push(event.clone()),
        }
        i += 1;
    }
    out
}

/// An image alone in its paragraph, with perhaps a credit line under it.
struct Figure {
    /// The image's events.
    image: std::ops::Range<usize>,
    /// The credit line's events, its marker still in the last one.
    credit: Option<std::ops::Range<usize>>,
    /// The paragraph's end.
    end: usize,
}

/// The figure whose image starts at `start` (just inside a paragraph), if
/// the paragraph holds only that image and a credit line.
fn figure_at(events: &[Event<'_>], start: usize) -> Option<Figure> {
    if !matches!(events.get(start), Some(Event::Start(Tag::Image { .. }))) {
        return None;
    }
    let image_end = image_end(events, start);
    let end = start
        + events[start..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))?;
    if end == image_end + 1 {
        return Some(Figure {
            image: start..image_end + 1,
            credit: None,
            end,
        });
    }
    // The credit is on the next line, but a soft break may already be a
    // space in the text (`cite` reads a citation across line ends).
    let credited =
        matches!(&events[end - 1], Event::Text(t) if t.trim_end().ends_with(CREDIT_MARKER));
    credited.then(|| Figure {
        image: start..image_end + 1,
        credit: Some(image_end + 1..end),
        end,
    })
}

impl Figure {
    fn html(
        &self,
        events: &[Event<'_>],
        files: &dyn Fn(&str, bool) -> Option<LinkedFile>,
    ) -> String {
        let image = &events[self.image.clone()];
        let caption = match &image[0] {
            Event::Start(Tag::Image { title, .. }) if !title.trim().is_empty() => {
                Some(escape(title.trim()))
            }
            _ => None,
        };
        let credit = self.credit.clone().map(|range| {
            let mut credit: Vec<Event<'_>> = events[range]
                .iter()
                .skip_while(|e| matches!(e, Event::SoftBreak | Event::HardBreak))
                .cloned()
                .collect();
            if let Some(Event::Text(first)) = credit.first_mut() {
                *first = CowStr::from(first.trim_start().to_string());
            }
            if let Some(Event::Text(last)) = credit.last_mut() {
                let text = last.trim_end();
                *last = CowStr::from(
                    text[..text.len() - CREDIT_MARKER.len()]
                        .trim_end()
                        .to_string(),
                );
            }
            let mut html = String::new();
            html::push_html(&mut html, credit.into_iter());
            html
        });
        let mut out = format!("<figure>{}", img(image, files, false));
        if caption.is_some() || credit.is_some() {
            out.push_str("<figcaption>");
            if let Some(caption) = caption {
                out.push_str(&caption);
            }
            if let Some(credit) = credit {
                out.push_str(&format!(" <small class=\"credit\">{credit}</small>"));
            }
            out.push_str("</figcaption>");
        }
        out.push_str("</figure>\n");
        out
    }
}

/// The index of the end of the image that starts at `start`.
fn image_end(events: &[Event<'_>], start: usize) -> usize {
    let mut depth = 0;
    for (i, event) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

/// An image's `<img>`: its description as `alt`; a file of the site
/// linked from the page, with its copies, its size (so the page does not
/// move as it loads) and loaded only when it is about to be seen. A
/// figure's title is its caption, not also a `title`.
fn img(
    image: &[Event<'_>],
    files: &dyn Fn(&str, bool) -> Option<LinkedFile>,
    with_title: bool,
) -> String {
    let Event::Start(Tag::Image {
        dest_url, title, ..
    }) = &image[0]
    else {
        return String::new();
    };
    let alt: String = image[1..]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            Event::SoftBreak | Event::HardBreak => Some(" "),
            _ => None,
        })
        .collect();
    let file = files(dest_url, true);
    let src = file
        .as_ref()
        .map_or(dest_url.to_string(), |f| f.href.clone());
    let mut out = String::from("<img");
    match file.and_then(|f| f.picture) {
        Some(picture) => {
            let largest = picture.sources.last().map_or(src.clone(), |s| s.0.clone());
            out.push_str(&format!(" src=\"{}\"", escape_href(&largest)));
            if picture.sources.len() > 1 {
                let srcset: Vec<String> = picture
                    .sources
                    .iter()
                    .map(|(href, width)| format!("{} {width}w", escape_href(href)))
                    .collect();
                out.push_str(&format!(
                    " srcset=\"{}\" sizes=\"{IMAGE_SIZES}\"",
                    srcset.join(", ")
                ));
            }
            out.push_str(&format!(
                " width=\"{}\" height=\"{}\"",
                picture.width, picture.height
            ));
        }
        None => out.push_str(&format!(" src=\"{}\"", escape_href(&src))),
    }
    out.push_str(&format!(" alt=\"{}\"", escape(&alt)));
    if with_title && !title.is_empty() {
        out.push_str(&format!(" title=\"{}\"", escape(title)));
    }
    out.push_str(" loading=\"lazy\" decoding=\"async\">");
    out
}

/// Text as an HTML attribute value or text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// An address as an HTML attribute value, as pulldown-cmark writes one.
fn escape_href(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    let _ = pulldown_cmark_escape::escape_href(&mut out, href);
    out
}

/// Gives every heading without an explicit `{#id}` an id made from its text,
/// unique within the body.
fn add_heading_ids(events: &mut [Event<'_>]) {
    let mut used: HashSet<String> = HashSet::new();
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    for event in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            used.insert(id.to_string());
        }
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            id: None, level, ..
        }) = &events[i]
        {
            let level: HeadingLevel = *level;
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len()
                && !matches!(events[j], Event::End(TagEnd::Heading(l)) if l == level)
            {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = heading_id(&text);
            let mut id = base.clone();
            // Each base remembers the next suffix to try, so a thousand
            // equal headings cost a thousand steps, not half a million.
            let n = next_suffix.entry(base.clone()).or_insert(1);
            while used.contains(&id) {
                id = format!("{base}-{n}");
                *n += 1;
            }
            used.insert(id.clone());
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
            i = j;
        }
        i += 1;
    }
}

/// An id from heading text: letters and digits of any script kept (Arabic
/// headings get Arabic ids), everything else a hyphen.
fn heading_id(text: &str) -> String {
    let id = crate::slug::hyphenate(text, char::is_alphanumeric);
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_internal_links_with_their_offsets() {
        let body =
            "See [the killings](@/incidents/haditha-2005.md) and [x](https://example.org).\n";
        let links = scan_links(body, 100);
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].target, "@/incidents/haditha-2005.md");
        assert_eq!(
            &body[links[0].offset - 100..][..links[0].len],
            "@/incidents/haditha-2005.md"
        );
    }

    #[test]
    fn renders_links_tables_footnotes_and_heading_ids() {
        let body = "# Who acted\n\n# Who acted\n\n## Named {#named}\n\n[a](@/actors/x.md#top)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: Source.\n\n---\n\n\"quoted\"\n";
        let html = render(
            body,
            &|path| (path == "actors/x.md").then(|| "../../actors/x/index.html".to_string()),
            policy::RawHtml::Escape,
        );
        assert!(html.contains("<h1 id=\"who-acted\">"), "{html}");
        assert!(html.contains("<h1 id=\"who-acted-1\">"), "{html}");
        assert!(html.contains("<h2 id=\"named\">"), "{html}");
        assert!(
            html.contains("href=\"../../actors/x/index.html#top\""),
            "{html}"
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("footnote"), "{html}");
        assert!(html.contains("<hr />"), "{html}");
        assert!(html.contains("“quoted”"), "{html}");
    }
}
