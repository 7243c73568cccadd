//! Machine-readable exports: the whole dossier as JSON, a CSV per
//! collection, the sources as CSL-JSON, JSON-LD for each page, an Atom feed
//! of dated changes, the sitemap and robots.txt.
//!
//! Every export is a pure function of the linked dossier returning bytes;
//! none reads the clock, so the same input always gives the same files. URLs
//! are relative to the site root (`incidents/haditha-2005/`), made absolute
//! only where a format demands it and `base_url` is set.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::config::Config;
use crate::graph::{DocId, Graph};
use crate::history::History;
use crate::i18n::Strings;
use crate::model::{Collection, DocKind, Document, Fields, PartialDate, SourceKind};
use crate::urls::{Export, Job, Planned, document_url, lang_prefix};

mod tables;
pub mod v1;

/// The version of `data/dossier.json`'s format. Additions keep the version;
/// a change that could break a reader bumps it.
pub const FORMAT: &str = "dossier/1";

/// Every file the exports add to the output, by path. `pages` is the plan,
/// whose versions of each page in other languages the sitemap lists.
pub fn files(
    graph: &Graph,
    config: &Config,
    pages: &[Planned],
    history: &History,
) -> Vec<(String, Vec<u8>)> {
    use rayon::prelude::*;
    crate::urls::Export::all()
        .into_par_iter()
        .map(|export| {
            let bytes = match export {
                Export::Dossier => dossier_json(graph, config, history),
                Export::SourcesCsl => csl_json(graph, config),
                Export::Sitemap => sitemap(config, pages),
                Export::Robots => robots(config),
                Export::Csv(collection) => tables::csv(graph, config, collection),
                Export::Corrections => corrections_json(graph, config),
                Export::CorrectionsCsv => tables::corrections(graph, config),
            };
            (export.path(), bytes)
        })
        .collect()
}

/// A URL from the site root made absolute with `base_url`; without it, kept
/// relative (the home page is `./`).
///
/// Letters of other scripts in a path (a term's folder) are
/// percent-encoded, as sitemaps and feeds ask.
pub(crate) fn absolute(config: &Config, url: &str) -> String {
    match &config.base_url {
        Some(base) => format!(
            "{}/{}",
            base.trim_end_matches('/'),
            percent_encoding::utf8_percent_encode(url, percent_encoding::CONTROLS)
        ),
        None if url.is_empty() => "./".to_string(),
        None => url.to_string(),
    }
}

/// The default-language documents of a collection, in list order.
fn published(graph: &Graph, collection: Collection) -> Vec<(DocId, &Document)> {
    graph
        .entries(collection)
        .map(|id| (id, &*graph.documents[id]))
        .collect()
}

/// The page of a collection's document, relative to the site root; none
/// when there is no such document.
fn url_of(graph: &Graph, config: &Config, collection: Collection, slug: &str) -> Option<String> {
    graph
        .get(DocKind::Entry(collection), slug)
        .map(|id| document_url(&graph.documents[id], config))
}

/// One document as `data/dossier.json` shows it.
fn document_json<'a>(
    graph: &'a Graph,
    config: &'a Config,
    history: &'a History,
    id: DocId,
) -> v1::Document<'a> {
    let document = &graph.documents[id];
    let mut references: BTreeMap<&str, Vec<v1::Link>> = BTreeMap::new();
    for reference in &document.references {
        references
            .entry(reference.field)
            .or_default()
            .push(v1::Link {
                slug: &reference.slug,
                url: url_of(graph, config, reference.target, &reference.slug),
                locator: reference.locator.as_deref(),
                quote: reference.quote.as_deref(),
            });
    }
    let backlinks = graph.backlinks[graph.canonical(id)]
        .iter()
        .map(|b| {
            let from = &graph.documents[b.from];
            v1::Backlink {
                collection: from.collection().map_or("pages", Collection::name),
                slug: &from.slug,
                field: b.field,
                url: document_url(from, config),
            }
        })
        .collect();
    let translations = graph
        .translations_of(document.kind, &document.slug)
        .into_iter()
        .map(|(_, tid)| {
            let translation = &graph.documents[tid];
            v1::Translation {
                lang: &translation.lang,
                url: document_url(translation, config),
                title: &translation.common.title,
                summary: translation.common.summary.as_deref(),
            }
        })
        .collect();
    v1::Document {
        slug: &document.slug,
        lang: if document.lang.is_empty() {
            &config.default_language
        } else {
            &document.lang
        },
        url: document_url(document, config),
        title: &document.common.title,
        summary: document.common.summary.as_deref(),
        tags: &document.common.tags,
        updated: document.common.updated,
        extra: &document.common.extra,
        fields: v1::Fields::of(&document.fields),
        references,
        backlinks,
        translations,
        corrections: document
            .common
            .corrections
            .iter()
            .map(v1::Correction::of)
            .collect(),
        history: history
            .of_document(graph, id)
            .into_iter()
            .map(|r| v1::Revision {
                date: &r.date,
                commit: &r.id,
                summary: &r.summary,
            })
            .collect(),
    }
}

/// Every correction of the default-language documents, free pages
/// included, with the document it corrects: newest first, on one day in
/// the order documents are listed.
pub(crate) fn corrections(graph: &Graph) -> Vec<(&Document, &crate::model::Correction)> {
    let mut all: Vec<(&Document, &crate::model::Correction)> = graph
        .documents
        .iter()
        .filter(|d| d.lang.is_empty())
        .flat_map(|d| d.common.corrections.iter().rev().map(move |c| (&**d, c)))
        .collect();
    all.sort_by_key(|c| std::cmp::Reverse(c.1.date));
    all
}

/// `data/corrections.json`.
fn corrections_json(graph: &Graph, config: &Config) -> Vec<u8> {
    let list: Vec<v1::CorrectionOf> = corrections(graph)
        .into_iter()
        .map(|(document, correction)| v1::CorrectionOf {
            collection: document.collection().map_or("pages", Collection::name),
            slug: &document.slug,
            title: &document.common.title,
            url: document_url(document, config),
            correction: v1::Correction::of(correction),
        })
        .collect();
    json_bytes(&list, pretty_json(graph, config))
}

fn dossier_json(graph: &Graph, config: &Config, history: &History) -> Vec<u8> {
    let documents = |collection| {
        published(graph, collection)
            .into_iter()
            .map(|(id, _)| document_json(graph, config, history, id))
            .collect()
    };
    let export = v1::Export {
        format: FORMAT,
        site: v1::Site {
            title: &config.title,
            description: &config.description,
            base_url: config.base_url.as_deref(),
            default_language: &config.default_language,
            languages: config.languages.keys().map(String::as_str).collect(),
        },
        documents: v1::Documents {
            demands: documents(Collection::Demands),
            incidents: documents(Collection::Incidents),
            actors: documents(Collection::Actors),
            sources: documents(Collection::Sources),
            figures: documents(Collection::Figures),
        },
        pages: graph
            .documents
            .iter()
            .filter(|d| d.kind == DocKind::Page && d.lang.is_empty())
            .map(|d| v1::PageLink {
                slug: &d.slug,
                title: &d.common.title,
                url: document_url(d, config),
            })
            .collect(),
    };
    json_bytes(&export, pretty_json(graph, config))
}

/// Whether the JSON exports are indented: as `[build] pretty_json` says,
/// else only for a dossier of at most [`crate::config::PRETTY_JSON_LIMIT`]
/// documents.
fn pretty_json(graph: &Graph, config: &Config) -> bool {
    config
        .build
        .pretty_json
        .unwrap_or(graph.documents.len() <= crate::config::PRETTY_JSON_LIMIT)
}

/// A JSON export's bytes, indented or compact, ending in a line break.
fn json_bytes(value: &impl serde::Serialize, pretty: bool) -> Vec<u8> {
    let mut bytes = if pretty {
        serde_json::to_vec_pretty(value)
    } else {
        serde_json::to_vec(value)
    }
    .unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// CSL-JSON, the format citation managers (Zotero, Mendeley) import.
fn csl_json(graph: &Graph, config: &Config) -> Vec<u8> {
    let items: Vec<Value> = published(graph, Collection::Sources)
        .into_iter()
        .filter_map(|(_, d)| {
            let Fields::Source(f) = &d.fields else {
                return None;
            };
            let kind = match f.kind {
                SourceKind::NgoReport | SourceKind::UnReport => "report",
                SourceKind::Press => "article-newspaper",
                SourceKind::Academic => "article-journal",
                SourceKind::CourtRecord => "legal_case",
                SourceKind::NgoStatement
                | SourceKind::GovernmentStatement
                | SourceKind::Advocacy => "document",
            };
            let mut item = json!({
                "id": d.slug,
                "type": kind,
                "title": d.common.title,
                "URL": f.url.clone().unwrap_or_else(|| absolute(config, &document_url(d, config))),
            });
            if let Some(date) = f.date {
                let mut parts = vec![i64::from(date.year)];
                parts.extend(date.month.map(i64::from));
                parts.extend(date.day.map(i64::from));
                item["issued"] = json!({"date-parts": [parts]});
            }
            if !f.authors.is_empty() {
                item["author"] = json!(
                    f.authors
                        .iter()
                        .map(|a| json!({"literal": a}))
                        .collect::<Vec<_>>()
                );
            }
            if let Some(id) = f
                .publisher
                .as_ref()
                .and_then(|p| graph.get(DocKind::Entry(Collection::Actors), p))
            {
                item["publisher"] = json!(graph.documents[id].common.title);
            }
            if let Some(summary) = &d.common.summary {
                item["abstract"] = json!(summary);
            }
            if let Some(archive) = f.archive.as_ref().and_then(|a| a.url.clone()) {
                item["archive_location"] = json!(archive);
            }
            Some(item)
        })
        .collect();
    json_bytes(&items, pretty_json(graph, config))
}

/// XML (and HTML) text with the five special characters escaped, and the
/// characters XML must not or should not carry dropped: control characters
/// but tab and line breaks, and Unicode's noncharacters (U+FFFE, U+FFFF,
/// U+FDD0 to U+FDEF and the last two of every plane). One of them in a
/// title would otherwise make the feed a file no reader can open. Every XML
/// file the build writes is escaped here.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if c.is_control() || is_noncharacter(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The code points Unicode keeps out of text for good.
fn is_noncharacter(c: char) -> bool {
    let code = u32::from(c);
    code & 0xFFFE == 0xFFFE || (0xFDD0..=0xFDEF).contains(&code)
}

/// A dated change: a new incident, a step in a demand's history, or the
/// corrections of another document, as one language's feed says it.
pub struct Change<'a> {
    pub date: PartialDate,
    /// The date of the change's last correction when that is later.
    pub updated: PartialDate,
    /// The document changed, in its original language.
    pub document: &'a Document,
    /// The same in the feed's language when it is translated, else the
    /// original: the page the entry links to and the words it shows.
    pub shown: &'a Document,
    pub title: String,
    pub note: String,
    /// The languages the title and the note are written in: a translation
    /// shows its original's words where it has none of its own.
    pub title_lang: &'a str,
    pub note_lang: &'a str,
    pub id: String,
}

/// The language `field` of `document` is written in
/// ([`crate::model::Translation::inherited`]), `default` for the default
/// language's.
fn field_lang<'a>(document: &'a Document, field: &str, default: &'a str) -> &'a str {
    match &document.translation {
        Some(t) if t.inherited.iter().any(|f| f == field) => &t.from,
        _ if document.lang.is_empty() => default,
        _ => &document.lang,
    }
}

/// An interface string of `lang`, else `fallback` (for themes without it).
fn word<'a>(strings: &'a Strings, lang: &str, key: &str, fallback: &'a str) -> &'a str {
    strings.get(lang, key).unwrap_or(fallback)
}

/// The corrections of a document as the feed says them, newest first, one
/// a line, in `lang`'s words around the editor's own.
fn corrections_text(document: &Document, strings: &Strings, lang: &str) -> String {
    let [correction, was, now, why] = [
        ("correction", "Correction"),
        ("correction_was", "This page said:"),
        ("correction_now", "It now says:"),
        ("correction_why", "Why:"),
    ]
    .map(|(key, fallback)| word(strings, lang, key, fallback));
    let lines: Vec<String> = document
        .common
        .corrections
        .iter()
        .rev()
        .map(|c| {
            format!(
                "{correction} ({}): {was} {} {now} {} {why} {}",
                c.date, c.was, c.now, c.why
            )
        })
        .collect();
    lines.join("\n")
}

/// Incidents, demand-history entries and the corrections of documents
/// that have no entry of their own, latest first, as `lang`'s feed says
/// them: in a document's translation into `lang` where there is one. An
/// incident's entry is updated by its corrections, whose text follows its
/// summary.
pub fn changes<'a>(
    graph: &'a Graph,
    config: &'a Config,
    strings: &Strings,
    lang: &str,
) -> Vec<Change<'a>> {
    let default = config.default_language.as_str();
    let mut changes = Vec::new();
    let corrected = |d: &Document| d.common.corrections.last().map(|c| c.date);
    let shown = |d: &'a Document| -> &'a Document {
        graph
            .translations_of(d.kind, &d.slug)
            .into_iter()
            .find(|(l, _)| l == lang)
            .map_or(d, |(_, id)| &*graph.documents[id])
    };
    for (_, d) in published(graph, Collection::Incidents) {
        if let Fields::Incident(f) = &d.fields {
            let shown = shown(d);
            let summary = shown.common.summary.clone().unwrap_or_default();
            let corrections = corrections_text(shown, strings, lang);
            let note = [summary, corrections]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            changes.push(Change {
                date: f.date,
                updated: corrected(d).map_or(f.date, |c| c.max(f.date)),
                document: d,
                shown,
                title: shown.common.title.clone(),
                note,
                title_lang: field_lang(shown, "title", default),
                note_lang: field_lang(shown, "summary", default),
                id: format!("incidents/{}", d.slug),
            });
        }
    }
    let correction = word(strings, lang, "correction", "Correction");
    for d in graph.documents.iter().filter(|d| d.lang.is_empty()) {
        if let Some(date) = corrected(d)
            && d.kind != DocKind::Entry(Collection::Incidents)
        {
            let collection = d.collection().map_or("pages", Collection::name);
            let shown = shown(d);
            changes.push(Change {
                date,
                updated: date,
                document: d,
                shown,
                title: format!("{correction}: {}", shown.common.title),
                note: corrections_text(shown, strings, lang),
                title_lang: field_lang(shown, "title", default),
                note_lang: field_lang(shown, "corrections.1.was", default),
                id: format!("{collection}/{}/corrections", d.slug),
            });
        }
    }
    for (_, d) in published(graph, Collection::Demands) {
        if let Fields::Demand(f) = &d.fields {
            let shown = shown(d);
            let notes = match &shown.fields {
                Fields::Demand(translated) => &translated.history,
                _ => &f.history,
            };
            for (i, entry) in f.history.iter().enumerate() {
                let note = notes.get(i).map_or(&entry.note, |h| &h.note);
                let status = entry.status.as_str();
                let status = word(strings, lang, &format!("status_{status}"), status);
                changes.push(Change {
                    date: entry.date,
                    updated: entry.date,
                    document: d,
                    shown,
                    title: format!("{}: {status}", shown.common.title),
                    note: note.clone(),
                    title_lang: field_lang(shown, "title", default),
                    note_lang: field_lang(shown, &format!("history.{}.note", i + 1), default),
                    id: format!("demands/{}/history/{}", d.slug, i + 1),
                });
            }
        }
    }
    changes.sort_by(|a, b| {
        b.updated
            .sort_key()
            .cmp(&a.updated.sort_key())
            .then_with(|| a.id.cmp(&b.id))
    });
    changes
}

/// RFC 3339 for a partial date: the start of its period, at midnight UTC.
fn rfc3339(date: PartialDate) -> String {
    format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        date.year,
        date.month.unwrap_or(1),
        date.day.unwrap_or(1)
    )
}

/// One Atom feed per language, beside each language's home page
/// ([`crate::urls::feed_paths`]): the changes of the dossier in that
/// language's words and pages.
pub fn feeds(
    graph: &Graph,
    config: &Config,
    strings: &Strings,
    pages: &[Planned],
) -> Vec<(String, Vec<u8>)> {
    crate::urls::feed_paths(pages)
        .map(|(path, lang)| {
            let lang = lang.as_deref().unwrap_or(&config.default_language);
            let feed = atom_feed(graph, config, strings, lang, &path);
            (path, feed)
        })
        .collect()
}

fn atom_feed(graph: &Graph, config: &Config, strings: &Strings, lang: &str, path: &str) -> Vec<u8> {
    let changes = changes(graph, config, strings, lang);
    let updated = changes.first().map_or_else(
        || "1970-01-01T00:00:00Z".to_string(),
        |c| rfc3339(c.updated),
    );
    let id_of = |path: &str| match &config.base_url {
        Some(_) => absolute(config, path),
        None => format!("urn:dossier:{}", path.replace('/', ":")),
    };
    // An entry's id is the change's whatever the language; each language's
    // feed is its own.
    let entry_id = |id: &str| id_of(&format!("{}{id}", lang_prefix(lang, config)));
    let (title, description) = config.title_in(lang);
    let home = format!("{}index.html", lang_prefix(lang, config));
    let mut out = String::new();
    out.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml(lang)
    ));
    out.push_str(&format!("  <title>{}</title>\n", xml(title)));
    if !description.is_empty() {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", xml(description)));
    }
    out.push_str(&format!("  <id>{}</id>\n", xml(&id_of(path))));
    out.push_str(&format!(
        "  <link rel=\"self\" href=\"{}\"/>\n",
        xml(&absolute(config, path))
    ));
    out.push_str(&format!(
        "  <link href=\"{}\"/>\n",
        xml(&absolute(config, &home))
    ));
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    out.push_str(&format!("  <author><name>{}</name></author>\n", xml(title)));
    for change in &changes {
        let shown = change.shown;
        let shown_lang = if shown.lang.is_empty() {
            config.default_language.as_str()
        } else {
            shown.lang.as_str()
        };
        // Words of another language than the feed's say so.
        let marked = |words_lang: &str| {
            if words_lang == lang {
                String::new()
            } else {
                format!(" xml:lang=\"{}\"", xml(words_lang))
            }
        };
        let url = format!("{}index.html", document_url(shown, config));
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title{}>{}</title>\n",
            marked(change.title_lang),
            xml(&change.title)
        ));
        out.push_str(&format!("    <id>{}</id>\n", xml(&entry_id(&change.id))));
        out.push_str(&format!(
            "    <link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
            xml(shown_lang),
            xml(&absolute(config, &url))
        ));
        // The same document in the other languages it is published in.
        let document = change.document;
        let versions = std::iter::once((config.default_language.clone(), document))
            .chain(
                graph
                    .translations_of(document.kind, &document.slug)
                    .into_iter()
                    .map(|(l, id)| (l, &*graph.documents[id])),
            )
            .filter(|(_, d)| !std::ptr::eq(*d, shown));
        for (version_lang, version) in versions {
            let href = format!("{}index.html", document_url(version, config));
            out.push_str(&format!(
                "    <link rel=\"alternate\" hreflang=\"{}\" href=\"{}\" title=\"{}\"/>\n",
                xml(&version_lang),
                xml(&absolute(config, &href)),
                xml(&version.common.title)
            ));
        }
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            rfc3339(change.updated)
        ));
        if !change.note.is_empty() {
            out.push_str(&format!(
                "    <summary{}>{}</summary>\n",
                marked(change.note_lang),
                xml(&change.note)
            ));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out.into_bytes()
}

/// The sitemap lists every page with content of its own (documents, home
/// pages, lists, taxonomies, the timeline and the map, in every language),
/// each with its versions in the other languages as `xhtml:link`
/// alternates, `x-default` the default language's. Crawlers need absolute
/// URLs: without `base_url` the locations are relative.
fn sitemap(config: &Config, pages: &[Planned]) -> Vec<u8> {
    let url_of = |output: &str| absolute(config, output.trim_end_matches("index.html"));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut listed: Vec<&Planned> = pages
        .iter()
        .filter(|p| !matches!(p.job, Job::Print | Job::Search { .. } | Job::NotFound))
        .collect();
    listed.sort_by(|a, b| a.output.cmp(&b.output));
    for page in listed {
        out.push_str(&format!("  <url><loc>{}</loc>", xml(&url_of(&page.output))));
        if page.alternates.len() > 1 {
            let default = &page.alternates[0];
            for (hreflang, alternate) in page
                .alternates
                .iter()
                .map(|a| (a.lang.as_str(), a))
                .chain([("x-default", default)])
            {
                out.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    xml(hreflang),
                    xml(&url_of(&alternate.output))
                ));
            }
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

fn robots(config: &Config) -> Vec<u8> {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if config.base_url.is_some() {
        out.push_str(&format!("Sitemap: {}\n", absolute(config, "sitemap.xml")));
    }
    out.into_bytes()
}

/// schema.org JSON-LD for a document's page, ready to sit in a
/// `<script type="application/ld+json">` element (`<`, `>` and `&` are
/// escaped, see [`crate::safety::inline_json`]).
pub fn json_ld(graph: &Graph, config: &Config, id: DocId) -> String {
    let document = &graph.documents[id];
    let url = absolute(config, &document_url(document, config));
    let name_of = |collection: Collection, slug: &str| -> Value {
        match graph.get(DocKind::Entry(collection), slug) {
            Some(tid) => {
                json!({"@type": "Thing", "name": graph.documents[tid].common.title, "url": absolute(config, &document_url(&graph.documents[tid], config))})
            }
            None => json!({"@type": "Thing", "name": slug}),
        }
    };
    let mut value = match &document.fields {
        Fields::Incident(f) => {
            let mut v = json!({"@type": "Event", "name": document.common.title, "startDate": f.date.to_string()});
            if let Some(end) = f.end_date {
                v["endDate"] = json!(end.to_string());
            }
            if let Some(place) = &f.place {
                let mut p = json!({"@type": "Place", "name": place.name});
                if let Some(g) = &place.governorate {
                    let mut address = json!({"@type": "PostalAddress", "addressRegion": g});
                    if let Some(country) = &config.country {
                        address["addressCountry"] = json!(country);
                    }
                    p["address"] = address;
                }
                if let (Some(lat), Some(lon)) = (place.lat, place.lon) {
                    p["geo"] =
                        json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon});
                }
                v["location"] = p;
            }
            v["citation"] = json!(
                f.sources
                    .iter()
                    .map(|s| {
                        let mut cited = name_of(Collection::Sources, &s.source);
                        if s.locator.is_some() || s.quote.is_some() {
                            // The place in the source, and its words.
                            let mut part = json!({"@type": if s.quote.is_some() { "Quotation" } else { "CreativeWork" }});
                            if let Some(locator) = &s.locator {
                                part["position"] = json!(locator);
                            }
                            if let Some(quote) = &s.quote {
                                part["text"] = json!(quote);
                            }
                            cited["hasPart"] = part;
                        }
                        cited
                    })
                    .collect::<Vec<_>>()
            );
            v
        }
        Fields::Actor(f) => {
            let kind = match f.kind {
                crate::model::ActorKind::Official | crate::model::ActorKind::Person => "Person",
                crate::model::ActorKind::State
                | crate::model::ActorKind::ArmedForce
                | crate::model::ActorKind::Court => "GovernmentOrganization",
                crate::model::ActorKind::Ngo => "NGO",
                _ => "Organization",
            };
            let mut v = json!({"@type": kind, "name": document.common.title});
            if let Some(parent) = &f.part_of {
                v[if kind == "Person" {
                    "affiliation"
                } else {
                    "parentOrganization"
                }] = name_of(Collection::Actors, parent);
            }
            v
        }
        Fields::Source(f) => {
            let kind = match f.kind {
                SourceKind::NgoReport | SourceKind::UnReport => "Report",
                SourceKind::Press => "NewsArticle",
                _ => "CreativeWork",
            };
            let mut v = json!({"@type": kind, "name": document.common.title});
            if let Some(date) = f.date {
                v["datePublished"] = json!(date.to_string());
            }
            if let Some(p) = &f.publisher {
                v["publisher"] = name_of(Collection::Actors, p);
            }
            if !f.authors.is_empty() {
                v["author"] = json!(
                    f.authors
                        .iter()
                        .map(|a| json!({"@type": "Person", "name": a}))
                        .collect::<Vec<_>>()
                );
            }
            if let Some(original) = &f.url {
                v["sameAs"] = json!(original);
            }
            if let Some(archive) = &f.archive {
                let archived = archive
                    .url
                    .clone()
                    .or_else(|| archive.file.as_ref().map(|file| absolute(config, file)));
                if let Some(archived) = archived {
                    v["archivedAt"] = json!(archived);
                }
            }
            v
        }
        Fields::Figure(f) => {
            json!({"@type": "Dataset", "name": document.common.title, "variableMeasured": f.unit,
                "distribution": {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": absolute(config, "data/figures.csv")}})
        }
        Fields::Demand(_) => {
            json!({"@type": "CreativeWork", "name": document.common.title, "genre": "demand"})
        }
        Fields::Page if document.kind == DocKind::Home => json!({
            "@type": "Dataset",
            "name": config.title,
            "description": config.description,
            "distribution": [
                {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": absolute(config, "data/dossier.json")},
                {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": absolute(config, "data/incidents.csv")},
                {"@type": "DataDownload", "encodingFormat": "application/vnd.citationstyles.csl+json", "contentUrl": absolute(config, "data/sources.csl.json")},
            ],
        }),
        Fields::Page => json!({"@type": "WebPage", "name": document.common.title}),
    };
    value["@context"] = json!("https://schema.org");
    value["url"] = json!(url);
    if let Some(summary) = &document.common.summary {
        value["description"] = json!(summary);
    }
    value["inLanguage"] = json!(if document.lang.is_empty() {
        &config.default_language
    } else {
        &document.lang
    });
    crate::safety::inline_json(&serde_json::to_string(&value).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup() {
        assert_eq!(xml("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
    }

    #[test]
    fn xml_drops_what_xml_cannot_carry() {
        let text = "a\u{0}\u{1}\u{7f}\u{85}\u{FFFE}\u{FFFF}\u{FDD0}\u{1FFFF}\u{10FFFE}b\tc\nd\re";
        assert_eq!(xml(text), "ab\tc\nd\re");
        // Near the noncharacters, but text.
        assert_eq!(
            xml("\u{FFFD}\u{FDCF}\u{FDF0}\u{1F921}"),
            "\u{FFFD}\u{FDCF}\u{FDF0}\u{1F921}"
        );
    }
}
