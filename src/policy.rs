//! The content trust policy: what of an editor's Markdown becomes markup.
//!
//! Dossiers are written by several people and take contributions, so a
//! body is not trusted to carry script. By default raw HTML in Markdown is
//! written out as text (and each piece is reported as a warning at its
//! position); a site may opt in to `[markdown] raw_html = "sanitize"`
//! (the HTML kept, cleaned by ammonia with the allow-list below) or
//! `"trust"` (written as it is). Whatever the setting, a link or image may
//! only point at `http:`, `https:`, `mailto:` or a relative address
//! ([`crate::safety::check_url`]); any other scheme is an error at the link.
//! And whatever the setting, a heading's attributes written in Markdown
//! (`# Title {#id .class key=value}`) keep only the id and the classes of
//! [`HEADING_CLASSES`]: the rest would carry event handlers and styles past
//! the raw-HTML setting, so they are dropped with a warning at each.
//!
//! Pure: events and text in, events, HTML and problems out.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic, PerKind, Severity};
use crate::safety::{ALLOWED_SCHEMES, check_url};

/// `[markdown]` in `site.toml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownOptions {
    #[serde(default)]
    pub raw_html: RawHtml,
}

/// What becomes of raw HTML written in a Markdown body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Shown as text, with a warning: the default.
    #[default]
    Escape,
    /// Kept, but cleaned: only the tags and attributes of [`ALLOWED_TAGS`]
    /// and [`ALLOWED_ATTRIBUTES`] survive, URLs only with allowed schemes.
    Sanitize,
    /// Written as it is: for sites whose every editor is trusted.
    Trust,
}

/// The tags `sanitize` keeps: text structure and the markup that Markdown
/// itself produces (tables, footnotes, figures), no forms, frames, scripts,
/// styles or embedded objects.
pub const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
];

/// The attributes `sanitize` keeps, on any allowed tag. No `style`, no
/// event handlers.
pub const ALLOWED_ATTRIBUTES: &[&str] = &[
    "alt", "class", "colspan", "datetime", "decoding", "dir", "height", "href", "id", "lang",
    "loading", "role", "rowspan", "sizes", "src", "srcset", "title", "width",
];

/// The classes a heading written in Markdown may keep (`# Title
/// {.editorial}`): those the theme gives a meaning inside a body. Any other
/// class could borrow the look of the page's own parts (a layout, a hidden
/// skip link) to cover or imitate them.
pub const HEADING_CLASSES: &[&str] = &["editorial"];

/// A problem found in a body: byte offset and length in the body, and the
/// diagnostic without its location.
pub struct BodyProblem {
    pub offset: usize,
    pub len: usize,
    pub problem: Diagnostic,
}

/// Applies the policy to a body's events before they are written as HTML:
/// raw HTML becomes text under `escape`, headings keep only their id and
/// allowed classes, and links or images with a refused scheme lose their
/// address (the check stage reports them as errors, so this only matters to
/// a preview of a broken site).
pub fn apply(events: &mut [Event<'_>], raw_html: RawHtml) {
    for event in events.iter_mut() {
        match event {
            Event::Start(Tag::Heading { classes, attrs, .. }) => {
                classes.retain(|class| HEADING_CLASSES.contains(&class.as_ref()));
                attrs.clear();
            }
            Event::Html(html) | Event::InlineHtml(html) if raw_html == RawHtml::Escape => {
                *event = Event::Text(std::mem::replace(html, CowStr::Borrowed("")));
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if check_url(dest_url).is_err() =>
            {
                *dest_url = CowStr::Borrowed("");
            }
            _ => {}
        }
    }
}

/// The finished HTML of a body under `sanitize`; other settings leave it.
pub fn finish(html: String, raw_html: RawHtml) -> String {
    if raw_html != RawHtml::Sanitize {
        return html;
    }
    let tags: HashSet<&str> = ALLOWED_TAGS.iter().copied().collect();
    let schemes: HashSet<&str> = ALLOWED_SCHEMES.iter().copied().collect();
    ammonia::Builder::new()
        .tags(tags)
        .generic_attributes(ALLOWED_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(Default::default())
        .url_schemes(schemes)
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .clean(&html)
        .to_string()
}

/// What the policy finds in a body, given its parsed events with their
/// byte ranges: raw HTML (a warning under `escape`), heading attributes it
/// drops (a warning) and link or image addresses with a refused scheme
/// (always an error). At most [`crate::diagnostic::PER_KIND_IN_FILE`] of each kind, and one
/// counting the rest.
pub fn check<'a>(
    body: &'a str,
    events: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
    raw_html: RawHtml,
) -> Vec<BodyProblem> {
    let mut problems = Vec::new();
    let mut per_kind = PerKind::default();
    let mut destinations = Destinations::default();
    for (event, range) in events {
        match &event {
            // Counted in the guard: past the limit, raw HTML costs a count.
            Event::Html(html) | Event::InlineHtml(html)
                if raw_html == RawHtml::Escape
                    && per_kind.admit(Code::RawHtmlShownAsText, Severity::Warning, range.start) =>
            {
                problems.push(BodyProblem {
                    offset: range.start,
                    len: html.trim_end().len(),
                    problem: Diagnostic::warning(Code::RawHtmlShownAsText, "raw HTML is shown as text, not as markup")
                        .hint("write it in Markdown, or set `[markdown] raw_html = \"sanitize\"` in site.toml if the site's editors may use HTML"),
                });
            }
            Event::Start(Tag::Heading { classes, attrs, .. }) => {
                let written = &body[range.clone()];
                let dropped = classes
                    .iter()
                    .filter(|class| !HEADING_CLASSES.contains(&class.as_ref()))
                    .map(|class| format!(".{class}"))
                    .chain(attrs.iter().map(|(key, _)| key.to_string()));
                for attribute in dropped {
                    let offset = range.start + attribute_offset(written, &attribute);
                    if per_kind.admit(Code::HeadingAttributeDropped, Severity::Warning, offset) {
                        problems.push(BodyProblem {
                            offset,
                            len: attribute.len(),
                            problem: dropped_attribute(&attribute),
                        });
                    }
                }
            }
            _ => {}
        }
        let refused = destinations.follow(
            body,
            &event,
            &range,
            || match &event {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    check_url(dest_url)
                        .err()
                        .map(|refused| (refused.0, dest_url.to_string()))
                }
                _ => None,
            },
            |refused| refused.as_ref().map(|(_, dest)| dest.as_str()),
        );
        if let Some((Some((scheme, dest)), offset)) = refused
            && per_kind.admit(Code::RefusedUrlScheme, Severity::Error, offset)
        {
            problems.push(BodyProblem {
                offset,
                len: dest.len(),
                problem: refused_url(&scheme),
            });
        }
    }
    problems.extend(per_kind.overflow().map(|(offset, problem)| BodyProblem {
        offset,
        len: 0,
        problem,
    }));
    problems
}

/// Follows the links and images of a body's events to find where each
/// one's destination is written: after the link's text (`](dest "title")`),
/// never inside it, so that links nested in each other's text are each
/// searched once and a body costs its length, however deep they nest.
pub struct Destinations<T> {
    /// For each link open around the current event: what the caller keeps
    /// for it, its range, and the end of the last event inside it.
    open: Vec<(T, std::ops::Range<usize>, usize)>,
}

impl<T> Default for Destinations<T> {
    fn default() -> Self {
        Destinations { open: Vec::new() }
    }
}

impl<T> Destinations<T> {
    /// Sees the next event; `start` makes what to keep for a link or image
    /// that opens here. At its end, returns that and where its
    /// destination `dest` is written in `body` (the start of the link when
    /// it is not written there, as for a reference link).
    pub fn follow(
        &mut self,
        body: &str,
        event: &Event<'_>,
        range: &std::ops::Range<usize>,
        start: impl FnOnce() -> T,
        dest: impl FnOnce(&T) -> Option<&str>,
    ) -> Option<(T, usize)> {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                self.open.push((start(), range.clone(), range.start));
                None
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let (kept, whole, text_end) = self.open.pop()?;
                self.inside(whole.end);
                let tail = text_end.clamp(whole.start, whole.end);
                let offset = dest(&kept)
                    .and_then(|dest| body[tail..whole.end].find(dest))
                    .map_or(whole.start, |i| tail + i);
                Some((kept, offset))
            }
            _ => {
                self.inside(range.end);
                None
            }
        }
    }

    fn inside(&mut self, end: usize) {
        if let Some((_, _, text_end)) = self.open.last_mut() {
            *text_end = (*text_end).max(end);
        }
    }
}

/// Where `attribute` (`.class` or `key`) is written in a heading's text:
/// in its attribute block, the last `{` of the heading; else at its start.
fn attribute_offset(heading: &str, attribute: &str) -> usize {
    let block = heading.rfind('{').unwrap_or(0);
    heading[block..].find(attribute).map_or(0, |i| block + i)
}

/// The warning for a heading attribute that is not written.
fn dropped_attribute(attribute: &str) -> Diagnostic {
    let allowed = HEADING_CLASSES
        .iter()
        .map(|class| format!("`{{.{class}}}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Diagnostic::warning(
        Code::HeadingAttributeDropped,
        format!("the heading attribute `{attribute}` is left out of the page"),
    )
    .hint(format!(
        "a heading keeps only its id, written `{{#name}}`, and the class {allowed}; other attributes could run script or cover the page, so they are never written"
    ))
}

/// The error for an address whose scheme is not allowed.
pub fn refused_url(scheme: &str) -> Diagnostic {
    let message = if scheme.ends_with(';') {
        format!(
            "links may not hold a character reference before their path (`{scheme}`): decoded, it can spell a scheme"
        )
    } else {
        format!("links may not use the `{scheme}` scheme")
    };
    Diagnostic::error(Code::RefusedUrlScheme, message)
    .hint("use an `https://`, `http://` or `mailto:` address, or a relative one; other schemes can run code in a reader's browser")
}

/// The error for a front-matter or settings URL with a refused scheme,
/// when it has one.
pub fn check_field_url(url: &str) -> Option<Diagnostic> {
    check_url(url).err().map(|refused| refused_url(&refused.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Parser, html};

    fn render(body: &str, raw_html: RawHtml) -> String {
        let mut events: Vec<Event<'_>> = Parser::new(body).collect();
        apply(&mut events, raw_html);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        finish(out, raw_html)
    }

    const HOSTILE: &str = "<script>alert(1)</script>\n\nA <img src=x onerror=alert(2)> and <b>bold</b>.\n\n<div onclick=\"x()\" class=\"note\">note</div>\n";

    #[test]
    fn escape_shows_raw_html_as_text() {
        let html = render(HOSTILE, RawHtml::Escape);
        assert!(
            !html.contains("<script") && !html.contains("<img") && !html.contains("<b>"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn sanitize_keeps_harmless_markup_only() {
        let html = render(HOSTILE, RawHtml::Sanitize);
        assert!(
            !html.contains("<script") && !html.contains("onerror") && !html.contains("onclick"),
            "{html}"
        );
        assert!(
            html.contains("<b>bold</b>") && html.contains("class=\"note\""),
            "{html}"
        );
    }

    #[test]
    fn trust_writes_raw_html_as_it_is() {
        assert!(render(HOSTILE, RawHtml::Trust).contains("<script>alert(1)</script>"));
    }

    #[test]
    fn refused_schemes_lose_their_address_and_are_reported_at_the_link() {
        let body = "[a](javascript:alert(1)) [b](https://x.org) ![c](data:text/html,x)\n";
        let html = render(body, RawHtml::Trust);
        assert!(
            !html.contains("javascript") && !html.contains("data:"),
            "{html}"
        );
        assert!(html.contains("href=\"https://x.org\""), "{html}");
        let problems = check(body, Parser::new(body).into_offset_iter(), RawHtml::Escape);
        let found: Vec<&str> = problems
            .iter()
            .map(|p| &body[p.offset..p.offset + p.len])
            .collect();
        assert_eq!(found, ["javascript:alert(1)", "data:text/html,x"]);
    }
}
