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

/// Every `@/…` link destination in `body`, with its byte range in the file
/// (`body_start` is where the body begins in the file).
pub fn scan_links(body: &str, body_start: usize) -> Vec<BodyLink> {
    let mut links: Vec<BodyLink> = Vec::new();
    let mut destinations = policy::Destinations::default();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        // Each link is listed when it opens, so that links keep the order
        // written, and located when it ends.
        let open = || match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if dest_url.starts_with(INTERNAL_PREFIX) =>
            {
                links.push(BodyLink {
                    target: dest_url.to_string(),
                    offset: body_start + range.start,
                    len: dest_url.len(),
                });
                Some((links.len() - 1, dest_url.to_string()))
            }
            _ => None,
        };
        let located = destinations.follow(body, &event, &range, open, |kept| {
            kept.as_ref().map(|(_, dest)| dest.as_str())
        });
        if let Some((Some((index, _)), offset)) = located {
            links[index].offset = body_start + offset;
        }
    }
    links
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
    policy::finish(finish(events, resolve), raw_html)
}

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
pub fn finish(mut events: Vec<Event<'_>>, resolve: &dyn Fn(&str) -> Option<String>) -> String {
    rewrite_links(&mut events, resolve);
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
