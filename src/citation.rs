//! "Cite this page": a document page's own citation, as text in the
//! citation style `site.toml` picks (`[cite] style`, formatted by
//! hayagriva from the CSL styles it bundles), as CSL-JSON for citation
//! managers and as BibTeX (written by the biblatex crate).
//!
//! The citation names the page's title, the dossier's title in the page's
//! language, the publisher from `[cite] publisher`, the date the document
//! was last `updated`, and its address when `base_url` is set. Pure: the
//! same document and settings give the same bytes.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode, Style};
use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest};
use serde_json::{Value, json};

use crate::model::PartialDate;

/// The style used when `site.toml` names none.
pub const DEFAULT_STYLE: &str = "apa";

/// What a page's citation is made of.
pub struct PageCite<'a> {
    /// A key for citation managers: `dossier-incidents-haditha-2005`.
    pub key: String,
    pub title: &'a str,
    pub site_title: &'a str,
    pub publisher: Option<&'a str>,
    pub updated: Option<PartialDate>,
    pub url: Option<String>,
    pub lang: &'a str,
}

/// The citation as the page shows and offers it.
pub struct Cited {
    pub text: String,
    pub csl_json: String,
    pub bibtex: String,
}

/// A style bundled with hayagriva, by its short name (`apa`,
/// `chicago-author-date`, `modern-language-association`), decoded once
/// per process and shared by every page.
pub fn style(name: &str) -> Option<Arc<IndependentStyle>> {
    static STYLES: OnceLock<Mutex<BTreeMap<String, Option<Arc<IndependentStyle>>>>> =
        OnceLock::new();
    let styles = STYLES.get_or_init(Default::default);
    let mut styles = styles
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    styles
        .entry(name.to_string())
        .or_insert_with(|| match ArchivedStyle::by_name(name)?.get() {
            Style::Independent(style) => Some(Arc::new(style)),
            Style::Dependent(_) => None,
        })
        .clone()
}

/// The CSL locales hayagriva bundles, decoded once.
fn locales() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(hayagriva::archive::locales)
}

/// The CSL-JSON item of a page.
pub fn csl_item(cite: &PageCite<'_>) -> Value {
    let mut item = json!({
        "id": cite.key,
        "type": "webpage",
        "title": cite.title,
        "container-title": cite.site_title,
        "language": cite.lang,
    });
    if let Some(publisher) = cite.publisher {
        item["publisher"] = json!(publisher);
    }
    if let Some(date) = cite.updated {
        let mut parts = vec![i64::from(date.year)];
        parts.extend(date.month.map(i64::from));
        parts.extend(date.day.map(i64::from));
        item["issued"] = json!({"date-parts": [parts]});
    }
    if let Some(url) = &cite.url {
        item["URL"] = json!(url);
    }
    item
}

/// The page's citation in `style`, with the style's terms in the page's
/// language where hayagriva has them.
pub fn cite(cite: &PageCite<'_>, style: &IndependentStyle) -> Cited {
    let item = csl_item(cite);
    let csl_json = serde_json::to_string_pretty(&json!([item])).unwrap_or_default() + "\n";
    let text = serde_json::from_value::<hayagriva::citationberg::json::Item>(item)
        .ok()
        .and_then(|entry| {
            let mut driver = BibliographyDriver::new();
            driver.citation(CitationRequest::from_items(
                vec![CitationItem::with_entry(&entry)],
                style,
                locales(),
            ));
            let rendered = driver.finish(BibliographyRequest::new(
                style,
                Some(LocaleCode(cite.lang.to_string())),
                locales(),
            ));
            let bibliography = rendered.bibliography?;
            let first = bibliography.items.first()?;
            Some(format!("{:#}", first.content))
        })
        .unwrap_or_default();
    Cited {
        text,
        csl_json,
        bibtex: bibtex(cite),
    }
}

/// The page as a BibTeX `@misc` entry (BibLaTeX's `@online`, as BibTeX
/// writes it).
fn bibtex(cite: &PageCite<'_>) -> String {
    use biblatex::{Chunk, Entry, EntryType, Spanned};
    let mut entry = Entry::new(cite.key.clone(), EntryType::Online);
    let mut set = |key: &str, value: &str| {
        entry.set(
            key,
            vec![Spanned::detached(Chunk::Verbatim(value.to_string()))],
        );
    };
    set("title", cite.title);
    set("organization", cite.site_title);
    if let Some(publisher) = cite.publisher {
        set("publisher", publisher);
    }
    if let Some(date) = cite.updated {
        set("year", &date.year.to_string());
        if let Some(month) = date.month {
            set("month", &month.to_string());
        }
        set("date", &date.to_string());
    }
    if let Some(url) = &cite.url {
        set("url", url);
    }
    set("langid", cite.lang);
    let text = entry
        .to_bibtex_string()
        .unwrap_or_else(|_| entry.to_biblatex_string());
    text + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> PageCite<'static> {
        PageCite {
            key: "dossier-incidents-haditha-2005".into(),
            title: "Haditha killings",
            site_title: "Accountability for abuses in Iraq",
            publisher: Some("The editors"),
            updated: PartialDate::parse("2026-12-01").ok(),
            url: Some("https://example.org/incidents/haditha-2005/".into()),
            lang: "en",
        }
    }

    #[test]
    fn the_citation_names_the_page_the_dossier_the_date_and_the_address() {
        let cited = cite(&page(), &style(DEFAULT_STYLE).unwrap());
        // APA writes the container's title in title case.
        for part in [
            "Haditha killings",
            "Accountability for Abuses in Iraq",
            "2026",
            "https://example.org/incidents/haditha-2005/",
        ] {
            assert!(cited.text.contains(part), "{part} not in {}", cited.text);
        }
        let json: Value = serde_json::from_str(&cited.csl_json).unwrap();
        assert_eq!(json[0]["issued"], json!({"date-parts": [[2026, 12, 1]]}));
        assert!(
            cited.bibtex.contains("Haditha killings"),
            "{}",
            cited.bibtex
        );
        assert!(
            cited
                .bibtex
                .starts_with("@misc{dossier-incidents-haditha-2005,"),
            "{}",
            cited.bibtex
        );
    }

    #[test]
    fn the_same_page_cites_the_same_every_time_and_styles_differ() {
        let apa = style("apa").unwrap();
        let first = cite(&page(), &apa).text;
        assert_eq!(first, cite(&page(), &apa).text);
        let mla = style("modern-language-association").unwrap();
        assert_ne!(first, cite(&page(), &mla).text);
        assert!(style("no-such-style").is_none());
    }
}
