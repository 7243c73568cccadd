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

/// A page to index: its URL from the site root, and a reduced copy of its
/// HTML (the `<main>` element, with filters) in an `<html lang>` shell.
pub struct Entry {
    pub url: String,
    pub html: String,
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

/// The part of a rendered page that search should see: its `<main>`
/// element (the whole page when there is none), with the filters added, in
/// an `<html lang>` shell so pagefind files it under the right language.
pub fn entry(url: String, html: &str, lang: &str, filters: &[(&'static str, String)]) -> Entry {
    let main = match (html.find("<main"), html.rfind("</main>")) {
        (Some(start), Some(end)) if start < end => &html[start..end],
        _ => html,
    };
    let mut reduced = String::with_capacity(main.len() + 256);
    reduced.push_str("<!DOCTYPE html><html lang=\"");
    reduced.push_str(lang);
    reduced.push_str("\"><body>");
    reduced.push_str(main);
    for (name, value) in filters {
        reduced.push_str("<span data-pagefind-filter=\"");
        reduced.push_str(name);
        reduced.push_str("\">");
        reduced.push_str(&escape(value));
        reduced.push_str("</span>");
    }
    reduced.push_str("</main></body></html>");
    Entry { url, html: reduced }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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
            index
                .add_html_file(None, Some(entry.url), entry.html)
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
    fn indexes_only_main_with_filters() {
        let html = "<html><body><nav>Menu</nav><main><h1>Haditha</h1></main><footer>F</footer></body></html>";
        let entry = entry(
            "/incidents/h/".into(),
            html,
            "en",
            &[("governorate", "Anbar".into())],
        );
        assert!(entry.html.contains("<h1>Haditha</h1>"));
        assert!(!entry.html.contains("Menu"));
        assert!(
            entry
                .html
                .contains(r#"<span data-pagefind-filter="governorate">Anbar</span>"#)
        );
        assert!(entry.html.contains(r#"<html lang="en">"#));
    }
}
