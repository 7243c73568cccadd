//! The search a page opened from a folder can run: one script file per
//! language (`<language>/search/folder-index.js`, beside the search page)
//! that holds, for every page search indexes in that language, its title,
//! its summary (or its first paragraph), its date and the values of its
//! filters. A browser refuses `fetch` from `file://`, so Pagefind cannot
//! load its index there; a script the page includes can. The theme's
//! `folder-search.js` searches it in the page (the search page loads both
//! only when Pagefind is not available).
//!
//! Only those short fields are indexed, not the body, so the file stays
//! small: a few hundred bytes a page. Built from the content model, not
//! from rendered pages; pages in path order, so the file is the same
//! whatever thread rendered first. This module writes nothing.

use serde::Serialize;

use crate::config::Config;
use crate::graph::Graph;
use crate::i18n::Strings;
use crate::model::Collection;
use crate::search::{self, Words};
use crate::urls::{self, Job, Planned};

/// The filters the folder search offers, by their key in the content
/// model's search filters: the section, the kind, the year and the place.
const OFFERED: [&str; 4] = ["collection", "kind", "year", "governorate"];

/// The longest summary kept, in characters: enough for a result's excerpt
/// and the words that find it.
const SUMMARY_CHARS: usize = 300;

/// The index of one language.
#[derive(Serialize)]
struct Index {
    lang: String,
    /// The names of the offered filters, in the language's words.
    filters: Vec<String>,
    pages: Vec<Record>,
}

/// One page: short keys, as the file holds one per page.
#[derive(Serialize)]
struct Record {
    /// Its path from the site's root.
    u: String,
    /// Its title.
    t: String,
    /// Its section, in the language's words.
    c: String,
    /// Its section's place among results that score the same.
    r: usize,
    /// Its date as the page writes it, or empty.
    d: String,
    /// Its summary, or the start of its first paragraph.
    s: String,
    /// For each offered filter, the page's values.
    f: Vec<Vec<String>>,
    /// The values of its other filters (perpetrators, status, tags), which
    /// are searched as its key facts.
    x: Vec<String>,
}

/// The folder index of each language's search page: paths from the output
/// folder, with their bytes.
pub fn files(
    graph: &Graph,
    config: &Config,
    strings: &Strings,
    pages: &[Planned],
) -> Vec<(String, Vec<u8>)> {
    let mut indexed: Vec<&Planned> = pages
        .iter()
        .filter(|page| urls::is_indexed(graph, page))
        .collect();
    indexed.sort_by(|a, b| a.output.cmp(&b.output));
    pages
        .iter()
        .filter(|page| matches!(page.job, Job::Search { .. }))
        .map(|search_page| {
            let lang = search_page
                .lang
                .as_deref()
                .unwrap_or(&config.default_language);
            let words = Words {
                strings,
                lang,
                digits: config.digits(lang),
            };
            let filters: Vec<String> = OFFERED.iter().map(|key| filter_name(&words, key)).collect();
            let pages = indexed
                .iter()
                .filter(|page| page.lang.as_deref().unwrap_or(&config.default_language) == lang)
                .filter_map(|page| record(graph, page, &words, &filters))
                .collect();
            let index = Index {
                lang: lang.to_string(),
                filters,
                pages,
            };
            let json = serde_json::to_string(&index).unwrap_or_default();
            (
                urls::folder_index_path(&search_page.output),
                format!("window.dossierFolderIndex = {json};\n").into_bytes(),
            )
        })
        .collect()
}

fn filter_name(words: &Words, key: &str) -> String {
    words.say(&format!("filter_{key}"), key)
}

/// The record of one page; `offered` are the offered filters' names.
fn record(graph: &Graph, page: &Planned, words: &Words, offered: &[String]) -> Option<Record> {
    let Job::Document(id) = page.job else {
        return None;
    };
    let document = &graph.documents[id];
    let mut f: Vec<Vec<String>> = vec![Vec::new(); OFFERED.len()];
    let mut x = Vec::new();
    for (name, value) in search::filters(graph, id, words) {
        match offered.iter().position(|offer| *offer == name) {
            Some(i) => f[i].push(value),
            None => x.push(value),
        }
    }
    let collection = document.collection().map_or("pages", Collection::name);
    let summary = match &document.common.summary {
        Some(summary) => summary.clone(),
        None => lead(document.body()),
    };
    Some(Record {
        u: page.output.clone(),
        t: document.common.title.clone(),
        c: words.say(collection, collection),
        r: rank(document.collection()),
        d: document.date().map_or_else(String::new, |date| {
            words.strings.date(date, words.lang, words.digits)
        }),
        s: shortened(&summary, SUMMARY_CHARS),
        f,
        x,
    })
}

/// Where a page's section comes among results that match equally well:
/// the record of what happened first, then what is asked about it, the
/// figures, the sources and the actors, then the other pages.
fn rank(collection: Option<Collection>) -> usize {
    const ORDER: [Collection; 5] = [
        Collection::Incidents,
        Collection::Demands,
        Collection::Figures,
        Collection::Sources,
        Collection::Actors,
    ];
    collection
        .and_then(|c| ORDER.iter().position(|&o| o == c))
        .unwrap_or(ORDER.len())
}

/// The text of the first paragraph of a Markdown body, without its
/// citations (`[@source, para. 3]`), for a page that has no summary.
pub fn lead(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut text = String::new();
    let mut inside = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if !text.trim().is_empty() => break,
            Event::Text(t) | Event::Code(t) if inside => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    let mut plain = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find("[@") {
        plain.push_str(&rest[..start]);
        rest = match rest[start..].find(']') {
            Some(end) => &rest[start + end + 1..],
            None => "",
        };
    }
    plain.push_str(rest);
    // A citation leaves its space before the full stop it preceded.
    plain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" .", ".")
        .replace(" ,", ",")
        .replace(" ،", "،")
}

/// `text` cut to at most `chars` characters at a word's end, with `…`
/// when cut.
fn shortened(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(kept, _)| kept);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '،', '؛']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lead_is_the_first_paragraph_without_its_citations() {
        let body = "# Heading\n\nA news agency that reported the raid ([the bulletin](@/sources/b.md)) [@b, paras. 7-8]. It\nsays no more [@b].\n\nSecond paragraph.";
        assert_eq!(
            lead(body),
            "A news agency that reported the raid (the bulletin). It says no more."
        );
    }

    #[test]
    fn long_summaries_are_cut_at_a_word() {
        assert_eq!(shortened("one two three", 9), "one two…");
        assert_eq!(shortened("one two", 9), "one two");
        assert_eq!(shortened("واحد، اثنان ثلاثة", 10), "واحد…");
    }
}
