//! The search index: documents' rendered pages indexed with pagefind, so
//! search works on any static host with no server.
//!
//! Pagefind reads the HTML the build rendered; what it should filter on
//! (collection, kind, status, year, governorate, perpetrator, tag) comes
//! from the content model and is added as `data-pagefind-filter` elements to
//! the copy that is indexed, not to the published page. Each page is indexed
//! under its language (pagefind keeps one index per language, stems it, and
//! the search page loads the index of its own `<html lang>`), with filter
//! names and values in that language's interface strings and digits. Pages
//! are indexed in URL order, so the bundle does not depend on which thread
//! rendered first. This module writes nothing: it returns the bundle's
//! files.

use std::collections::{BTreeMap, BTreeSet};

use crate::graph::{DocId, Graph};
use crate::i18n::Strings;
use crate::locale::{self, Digits};
use crate::model::{Collection, DocKind, Fields};

/// The folder of the output that holds the search bundle.
pub const BUNDLE_DIR: &str = "pagefind";

/// A page to index: its URL from the site root, language, title, the text
/// of its `<main>` element, and its filters.
pub struct Entry {
    pub url: String,
    pub lang: String,
    pub title: String,
    pub text: String,
    pub filters: Vec<(String, String)>,
}

/// The words of a language's search page: its interface strings and
/// digits.
pub struct Words<'a> {
    pub strings: &'a Strings,
    pub lang: &'a str,
    pub digits: Digits,
}

impl Words<'_> {
    /// The interface string `key`, else `fallback` (a site whose strings
    /// lack the key still gets a filter).
    fn say(&self, key: &str, fallback: &str) -> String {
        self.strings
            .get(self.lang, key)
            .unwrap_or(fallback)
            .to_string()
    }
}

/// The filters of one document, as `(name, value)` pairs in the words of
/// its page: the name is the interface string `filter_<name>`, a value that
/// is one of the model's words is shown as the page shows it (`status_met`,
/// `kind_investigation`, ...), a perpetrator by its title in that language,
/// a year in the language's digits.
pub fn filters(graph: &Graph, id: DocId, words: &Words) -> Vec<(String, String)> {
    let document = &graph.documents[id];
    let mut filters: BTreeSet<(&'static str, String)> = BTreeSet::new();
    let collection = document.collection().map_or("pages", Collection::name);
    filters.insert(("collection", words.say(collection, collection)));
    if let Some(date) = document.date() {
        filters.insert((
            "year",
            locale::localize(&date.year.to_string(), words.digits),
        ));
    }
    for tag in &document.common.tags {
        filters.insert(("tag", tag.clone()));
    }
    let title_of = |collection: Collection, slug: &str| {
        graph
            .get_in(DocKind::Entry(collection), slug, Some(words.lang))
            .map_or_else(
                || slug.to_string(),
                |id| graph.documents[id].common.title.clone(),
            )
    };
    let word = |prefix: &str, value: &str| words.say(&format!("{prefix}{value}"), value);
    match &document.fields {
        Fields::Demand(f) => {
            filters.insert(("kind", word("kind_", f.kind.as_str())));
            filters.insert(("status", word("status_", f.status.as_str())));
        }
        Fields::Incident(f) => {
            if let Some(governorate) = f.place.as_ref().and_then(|p| p.governorate.clone()) {
                filters.insert(("governorate", governorate));
            }
            if f.perpetrators.is_empty() {
                filters.insert(("perpetrator", words.say("not_known", "not known")));
            }
            for slug in &f.perpetrators {
                filters.insert(("perpetrator", title_of(Collection::Actors, slug)));
            }
        }
        Fields::Actor(f) => {
            filters.insert(("kind", word("actor_kind_", f.kind.as_str())));
        }
        Fields::Source(f) => {
            filters.insert(("kind", word("source_kind_", f.kind.as_str())));
        }
        Fields::Figure(_) | Fields::Page => {}
    }
    filters
        .into_iter()
        .map(|(name, value)| (words.say(&format!("filter_{name}"), name), value))
        .collect()
}

/// What search sees of a rendered page: the text of its `<main>` element
/// (the whole page when there is none).
pub fn entry(
    url: String,
    html: &str,
    lang: &str,
    title: &str,
    filters: Vec<(String, String)>,
) -> Entry {
    let main = match (html.find("<main"), html.rfind("</main>")) {
        (Some(start), Some(end)) if start < end => &html[start..end],
        _ => html,
    };
    Entry {
        url,
        lang: lang.to_string(),
        title: title.to_string(),
        text: text_of(main),
        filters,
    }
}

/// The text of an HTML fragment: tags become spaces (so `Date</dt><dd>2003`
/// stays two words), `<script>`, `<style>` and `<svg>` are dropped, the
/// common entities decoded, and runs of white space folded.
pub fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_text(&mut text, &rest[..open]);
        let after = &rest[open..];
        let skipped = ["script", "style", "svg"].into_iter().find(|name| {
            after
                .get(1..name.len() + 1)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        });
        let end = match skipped {
            Some(name) => find_closing(after, name),
            None => after.find('>').map(|i| i + 1),
        };
        match end {
            Some(end) => {
                text.push(' ');
                rest = &after[end..];
            }
            None => {
                rest = "";
            }
        }
    }
    push_text(&mut text, rest);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The end of `</name>` in `html`, in any letter case, without copying the
/// rest of the page for each skipped element.
fn find_closing(html: &str, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(i) = html[from..].find("</") {
        let start = from + i + 2;
        let end = start + name.len();
        if bytes
            .get(start..end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        {
            return html[end..].find('>').map(|j| end + j + 1);
        }
        from = start;
    }
    None
}

fn push_text(out: &mut String, text: &str) {
    if !text.contains('&') {
        out.push_str(text);
        return;
    }
    out.push_str(
        &text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&nbsp;", " ")
            .replace("&amp;", "&"),
    );
}

/// A page as pagefind receives it.
pub struct Record {
    pub url: String,
    pub content: String,
    pub lang: String,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
}

/// What is handed to pagefind for one entry. Pagefind's interface writes
/// the excerpt, the title and the filter names and values into the search
/// page as HTML, so every piece of text is HTML-escaped here: a tag or
/// title such as `<img onerror=…>` shows as text, never as markup.
pub fn record(entry: Entry) -> Record {
    let escape = crate::export::xml;
    let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in &entry.filters {
        filters.entry(escape(name)).or_default().push(escape(value));
    }
    Record {
        url: entry.url,
        content: escape(&entry.text),
        lang: entry.lang,
        meta: BTreeMap::from([("title".to_string(), escape(&entry.title))]),
        filters,
    }
}

/// Builds the pagefind bundle: paths relative to the bundle folder, with
/// their bytes.
#[cfg(feature = "search")]
pub fn bundle(mut entries: Vec<Entry>) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;

    entries.sort_by(|a, b| a.url.cmp(&b.url));
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(async move {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .build();
        let mut index = PagefindIndex::new(Some(options))?;
        for entry in entries {
            let Record {
                url,
                content,
                lang,
                meta,
                filters,
            } = record(entry);
            index
                .add_custom_record(url, content, lang, Some(meta), Some(filters), None)
                .await?;
        }
        let files = index.get_files().await?;
        let mut files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|file| {
                (
                    file.filename.to_string_lossy().replace('\\', "/"),
                    file.contents,
                )
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(files)
    })
}

/// Without the `search` feature there is no bundle.
#[cfg(not(feature = "search"))]
pub fn bundle(_entries: Vec<Entry>) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_the_text_of_main_only() {
        let html = "<html><body><nav>Menu</nav><main><SCRIPT>x()</Script><h1>Haditha</h1><dl><dt>Date</dt><dd>2005</dd></dl><svg><text>axis</text></svg><p>A &amp; B</p></main><footer>F</footer></body></html>";
        let entry = entry(
            "/incidents/h/".into(),
            html,
            "en",
            "Haditha",
            vec![("governorate".into(), "Anbar".into())],
        );
        assert_eq!(entry.text, "Haditha Date 2005 A & B");
        assert_eq!(
            entry.filters,
            vec![("governorate".to_string(), "Anbar".to_string())]
        );
    }

    #[test]
    fn hands_pagefind_only_escaped_text() {
        let hostile = "<img src=x onerror=alert(1)>";
        let html = "<main><p>&lt;img src=x onerror=alert(1)&gt;</p></main>";
        let entry = entry(
            "/tags/x/".into(),
            html,
            "en",
            hostile,
            vec![
                ("governorate".into(), hostile.into()),
                ("tag".into(), "A & B".into()),
            ],
        );
        let record = record(entry);
        let escaped = "&lt;img src=x onerror=alert(1)&gt;";
        assert_eq!(record.content, escaped);
        assert_eq!(record.meta["title"], escaped);
        assert_eq!(record.filters["governorate"], vec![escaped.to_string()]);
        assert_eq!(record.filters["tag"], vec!["A &amp; B".to_string()]);
    }
}
