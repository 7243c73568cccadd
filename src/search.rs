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
//! rendered first. A large index is cut into several bundles
//! ([`crate::urls::bundle_count`]), each built on its own as its pages render, which
//! the search page merges (pagefind's `mergeIndex`). This module writes
//! nothing: it returns the bundles' files.

use std::collections::{BTreeMap, BTreeSet};

use crate::graph::{DocId, Graph};
use crate::i18n::Strings;
use crate::locale::{self, Digits};
use crate::model::{Collection, DocKind, Fields};

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
    pub(crate) fn say(&self, key: &str, fallback: &str) -> String {
        self.strings
            .get(self.lang, key)
            .unwrap_or(fallback)
            .to_string()
    }
}

impl Words<'_> {
    /// A word of the content (a tag, a place) as this language's pages show
    /// it.
    fn content_word(&self, prefix: &str, written: &str) -> String {
        self.strings
            .content_word(self.lang, prefix, written)
            .0
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
        filters.insert(("tag", words.content_word("tag", tag)));
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
                filters.insert(("governorate", words.content_word("place", &governorate)));
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
/// stays two words), `<script>`, `<style>` and `<svg>` are dropped, and so
/// is every element marked `data-pagefind-ignore` (pagefind's own mark,
/// which the theme puts on what every page repeats: the lists of what
/// points at a page, "Cite this page"), the common entities decoded, and
/// runs of white space folded.
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
        let tag_end = after.find('>').map(|i| i + 1);
        let end = match (skipped, tag_end) {
            (Some(name), _) => find_closing(after, name),
            (None, Some(tag_end)) if after[..tag_end].contains("data-pagefind-ignore") => {
                element_end(after, tag_end)
            }
            (None, tag_end) => tag_end,
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

/// The end of the element whose opening tag is `html[..tag_end]`: after
/// its matching closing tag, counting elements of the same name nested in
/// it.
fn element_end(html: &str, tag_end: usize) -> Option<usize> {
    let name_end = html[1..tag_end]
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .map_or(tag_end, |i| i + 1);
    let name = &html[1..name_end];
    if html[..tag_end].ends_with("/>") || name.is_empty() {
        return Some(tag_end);
    }
    let is_named = |at: usize| {
        html.as_bytes()
            .get(at..at + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && html
                .as_bytes()
                .get(at + name.len())
                .is_some_and(|&c| c == b'>' || c.is_ascii_whitespace())
    };
    let mut depth = 1;
    let mut from = tag_end;
    while let Some(i) = html[from..].find('<') {
        let at = from + i;
        if html[at..].starts_with("</") && is_named(at + 2) {
            depth -= 1;
            if depth == 0 {
                return html[at..].find('>').map(|j| at + j + 1);
            }
        } else if is_named(at + 1) {
            depth += 1;
        }
        from = at + 1;
    }
    None
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

/// Deals pages to `bundles` bundles: each language's pages, taken in the
/// order given (URL order), go to the bundles in turn, so every bundle
/// holds a like share of every language and of every collection.
pub fn deal<T>(pages: Vec<T>, bundles: usize, lang: impl Fn(&T) -> &str) -> Vec<Vec<T>> {
    let bundles = bundles.max(1);
    let mut dealt: BTreeMap<String, usize> = BTreeMap::new();
    let mut hands: Vec<Vec<T>> = (0..bundles).map(|_| Vec::new()).collect();
    for page in pages {
        let count = dealt.entry(lang(&page).to_string()).or_default();
        let bundle = *count % bundles;
        *count += 1;
        hands[bundle].push(page);
    }
    hands
}

/// Whether a file of a bundle is needed in a bundle the search page merges:
/// pagefind reads only the entry, the metadata, the index, the filters and
/// the fragments of those; its scripts, styles and WebAssembly come from
/// the first bundle.
#[cfg(feature = "search")]
fn merged_bundle_needs(path: &str) -> bool {
    path == "pagefind-entry.json"
        || [".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment"]
            .iter()
            .any(|end| path.ends_with(end))
}

/// One bundle of the index, built as its pages are added, in the order
/// they are added.
#[cfg(feature = "search")]
pub struct Indexer {
    runtime: tokio::runtime::Runtime,
    index: pagefind::api::PagefindIndex,
}

#[cfg(feature = "search")]
impl Indexer {
    pub fn new() -> anyhow::Result<Indexer> {
        use pagefind::options::PagefindServiceConfig;
        let runtime = tokio::runtime::Builder::new_current_thread().build()?;
        let options = PagefindServiceConfig::builder()
            .keep_index_url(true)
            .build();
        let index = pagefind::api::PagefindIndex::new(Some(options))?;
        Ok(Indexer { runtime, index })
    }

    /// Indexes one page.
    pub fn add(&mut self, entry: Entry) -> anyhow::Result<()> {
        let Record {
            url,
            content,
            lang,
            meta,
            filters,
        } = record(entry);
        let index = &mut self.index;
        self.runtime.block_on(index.add_custom_record(
            url,
            content,
            lang,
            Some(meta),
            Some(filters),
            None,
        ))?;
        Ok(())
    }

    /// The files of bundle `i` ([`crate::urls::bundle_folder`]), with their paths from
    /// the output folder, in path order.
    ///
    /// Pagefind builds the index with rayon. A rayon thread that waits may
    /// take up other work meanwhile, such as another bundle's pages, whose
    /// indexing must not find itself inside this bundle's runtime; so the
    /// build runs, and the bundle's runtime ends, on a pool of its own,
    /// which holds no work but its own.
    pub fn files(self, i: usize) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
        let own = rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads())
            .build()?;
        let files = own.install(move || {
            let Indexer { runtime, mut index } = self;
            runtime.block_on(index.get_files())
        })?;
        let folder = crate::urls::bundle_folder(i);
        let mut files: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|file| {
                (
                    file.filename.to_string_lossy().replace('\\', "/"),
                    file.contents,
                )
            })
            .filter(|(path, _)| i == 0 || merged_bundle_needs(path))
            .map(|(path, bytes)| (format!("{folder}{path}"), bytes))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(files)
    }
}

/// Without the `search` feature there is no index.
#[cfg(not(feature = "search"))]
pub struct Indexer;

#[cfg(not(feature = "search"))]
impl Indexer {
    pub fn new() -> anyhow::Result<Indexer> {
        Ok(Indexer)
    }

    pub fn add(&mut self, _entry: Entry) -> anyhow::Result<()> {
        Ok(())
    }

    pub fn files(self, _i: usize) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
        Ok(Vec::new())
    }
}

/// Builds the bundles of `entries` (in any order) cut into `bundles`, as a
/// build does: paths from the output folder, with their bytes.
pub fn bundles(mut entries: Vec<Entry>, bundles: usize) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    entries.sort_by(|a, b| a.url.cmp(&b.url));
    let mut files = Vec::new();
    for (i, entries) in deal(entries, bundles, |e| &e.lang).into_iter().enumerate() {
        let mut indexer = Indexer::new()?;
        for entry in entries {
            indexer.add(entry)?;
        }
        files.extend(indexer.files(i)?);
    }
    Ok(files)
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
    fn leaves_out_what_the_theme_marks_ignored() {
        let html = "<main><h1>Haditha</h1><section class=\"backlinks\" data-pagefind-ignore><h2>Points here</h2><section><p>Nested</p></section><p>Listed</p></section><p>Kept</p><br data-pagefind-ignore/><p>Too</p></main>";
        assert_eq!(text_of(html), "Haditha Kept Too");
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

    /// A rayon thread waiting inside one bundle's build may be handed
    /// another bundle's work: its build must not need the thread free of
    /// any runtime.
    #[cfg(feature = "search")]
    #[test]
    fn a_bundle_is_built_from_a_thread_already_inside_a_runtime() {
        let mut indexer = Indexer::new().unwrap();
        indexer
            .add(Entry {
                url: "/incidents/h/".into(),
                lang: "en".into(),
                title: "Haditha".into(),
                text: "Haditha 2005".into(),
                filters: vec![("tag".into(), "killings".into())],
            })
            .unwrap();
        let other = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let files = other.block_on(async { indexer.files(0) }).unwrap();
        assert!(files.iter().any(|(path, _)| path.ends_with(".pf_index")));
    }
}
