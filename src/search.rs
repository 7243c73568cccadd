//! The search index: documents' rendered pages indexed with pagefind, so
//! search works on any static host with no server.
//!
//! Pagefind reads the HTML the build rendered; what it should filter on
//! (collection, kind, status, year, governorate, perpetrator, tag) comes
//! from the content model and is added as `data-pagefind-filter` elements to
//! the copy that is indexed, not to the published page. Pages are indexed in
//! URL order, so the bundle does not depend on which thread rendered first.
//! This module writes nothing: it returns the bundle's files.

use std::collections::BTreeSet;

use crate::graph::{DocId, Graph};
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
    pub filters: Vec<(&'static str, String)>,
}

/// The filters of one document, as `(name, value)` pairs.
pub fn filters(graph: &Graph, id: DocId) -> Vec<(&'static str, String)> {
    let document = &graph.documents[id];
    let mut filters: BTreeSet<(&'static str, String)> = BTreeSet::new();
    let collection = document.collection().map_or("pages", Collection::name);
    filters.insert(("collection", collection.to_string()));
    if let Some(date) = document.date() {
        filters.insert(("year", date.year.to_string()));
    }
    for tag in &document.common.tags {
        filters.insert(("tag", tag.clone()));
    }
    let title_of = |collection: Collection, slug: &str| {
        graph.get(DocKind::Entry(collection), slug).map_or_else(
            || slug.to_string(),
            |id| graph.documents[id].common.title.clone(),
        )
    };
    match &document.fields {
        Fields::Demand(f) => {
            filters.insert(("kind", f.kind.as_str().to_string()));
            filters.insert(("status", f.status.as_str().to_string()));
        }
        Fields::Incident(f) => {
            if let Some(governorate) = f.place.as_ref().and_then(|p| p.governorate.clone()) {
                filters.insert(("governorate", governorate));
            }
            if f.perpetrators.is_empty() {
                filters.insert(("perpetrator", "not known".to_string()));
            }
            for slug in &f.perpetrators {
                filters.insert(("perpetrator", title_of(Collection::Actors, slug)));
            }
        }
        Fields::Actor(f) => {
            filters.insert(("kind", f.kind.as_str().to_string()));
        }
        Fields::Source(f) => {
            filters.insert(("kind", f.kind.as_str().to_string()));
        }
        Fields::Figure(_) | Fields::Page => {}
    }
    filters.into_iter().collect()
}

/// What search sees of a rendered page: the text of its `<main>` element
/// (the whole page when there is none).
pub fn entry(
    url: String,
    html: &str,
    lang: &str,
    title: &str,
    filters: Vec<(&'static str, String)>,
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
            let mut filters: std::collections::BTreeMap<String, Vec<String>> = Default::default();
            for (name, value) in entry.filters {
                filters.entry(name.to_string()).or_default().push(value);
            }
            let meta = std::collections::BTreeMap::from([("title".to_string(), entry.title)]);
            let content = entry.text;
            index
                .add_custom_record(
                    entry.url,
                    content,
                    entry.lang,
                    Some(meta),
                    Some(filters),
                    None,
                )
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
            vec![("governorate", "Anbar".into())],
        );
        assert_eq!(entry.text, "Haditha Date 2005 A & B");
        assert_eq!(entry.filters, vec![("governorate", "Anbar".to_string())]);
    }
}
