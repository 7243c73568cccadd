//! Rendering: turning the linked dossier into pages through the theme's Tera
//! templates, in parallel.
//!
//! The plan of pages (what is published at which path, with which template)
//! is computed first and is pure data, so collisions can be checked before
//! anything is rendered. Site-wide data (every document's summary, the
//! indexes, the taxonomies) is converted to Tera values once per language and
//! shared by reference-counted clones, never re-serialized per page. Render
//! never touches the file system: finished pages go to a sink the caller
//! provides.

mod fields;
mod filters;
mod lists;
mod record;
mod templates;
mod view;

pub use templates::{check_templates, load_templates, render_page, template_problem};
pub use view::{Scale, SiteData};

use rayon::prelude::*;
use tera::{Context, Map, Tera, Value};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::TemplateFile;
use crate::graph::{DocId, Graph, Taxonomy};
use crate::model::Collection;
use crate::urls::{Job, List, Planned, lang_prefix, list_folder, root_of};

use view::direction_word;

/// What a template knows of a print part: `href` (under `base`, the print
/// edition's folder as seen from the page: empty on its contents page), `collection`, `year` (absent
/// for a whole collection and for the undated), `undated`, and `piece`,
/// counted from 1, when a year is cut into several pages; `contents`, the
/// contents page (`base` itself).
fn print_part_value(part: &crate::urls::PrintPart, base: &str) -> Map {
    use crate::urls::Span;
    let mut value = Map::new();
    value.insert(
        "href".into(),
        Value::from(format!("{base}{}", part.folder())),
    );
    value.insert("collection".into(), Value::from(part.collection.name()));
    if let Span::Year(year) = part.span {
        value.insert("year".into(), Value::from(year));
    }
    value.insert("undated".into(), Value::from(part.span == Span::Undated));
    value.insert("piece".into(), Value::from(part.piece + 1));
    value.insert("contents".into(), Value::from(base));
    value
}

/// Everything needed to render pages, borrowed.
pub struct Renderer<'a> {
    pub tera: &'a Tera,
    pub templates: &'a [TemplateFile],
    pub graph: &'a Graph,
    pub config: &'a Config,
    pub data: &'a SiteData,
    pub strings: &'a crate::i18n::Strings,
    pub history: &'a crate::history::History,
}

impl<'a> Renderer<'a> {
    /// Renders every page in parallel and hands each to `sink` as soon as it
    /// is done. Returns the problems met, in a stable order.
    pub fn render_all<'p>(
        &self,
        pages: impl IntoIterator<Item = &'p Planned>,
        sink: &(dyn Fn(&Planned, &[u8]) -> anyhow::Result<()> + Sync),
    ) -> anyhow::Result<Vec<Diagnostic>> {
        // Pages that gather many documents (print, lists, timeline, terms)
        // start first, so that the largest is not left running alone at the
        // end. The order of work does not change any page.
        let mut order: Vec<&Planned> = pages.into_iter().collect();
        order.sort_by_key(|page| matches!(page.job, Job::Document(_)));
        let results: Vec<anyhow::Result<Option<Diagnostic>>> = order
            .par_iter()
            .with_max_len(1)
            .map(|page| match self.render(page) {
                Ok(html) => sink(page, html.as_bytes()).map(|()| None),
                Err(problem) => Ok(Some(problem)),
            })
            .collect();
        let mut problems = Vec::new();
        for result in results {
            if let Some(problem) = result? {
                problems.push(problem);
            }
        }
        Ok(problems)
    }

    /// `alternates`: the page in each language it exists in, for the
    /// language switch and the `hreflang` links (`lang`, `name`, `dir`,
    /// `href` from this page, `current`).
    fn alternates_value(&self, page: &Planned, root: &str) -> Value {
        let values: Vec<Value> = page
            .alternates
            .iter()
            .map(|alternate| {
                let name = self
                    .config
                    .languages
                    .get(&alternate.lang)
                    .map_or(alternate.lang.as_str(), |l| l.name.as_str());
                Value::from(std::collections::BTreeMap::from([
                    ("lang", Value::from(alternate.lang.as_str())),
                    ("name", Value::from(name)),
                    (
                        "dir",
                        Value::from(direction_word(self.config.direction(&alternate.lang))),
                    ),
                    ("href", Value::from(format!("{root}{}", alternate.output))),
                    ("current", Value::from(alternate.output == page.output)),
                ]))
            })
            .collect();
        Value::from(values)
    }

    /// `editions`: where the language switch leads in each other language
    /// of the site: the same page where it is published in that language
    /// (`same`), else that language's list of the page's collection, or
    /// its home page, so that a reader who arrives on an untranslated page
    /// can still reach their edition.
    fn editions_value(&self, page: &Planned, root: &str, lang: &str) -> Value {
        let collection = match page.job {
            Job::Document(id) => self.graph.documents[id].collection(),
            _ => None,
        };
        let values: Vec<Value> = self
            .config
            .languages
            .iter()
            .filter(|(code, _)| code.as_str() != lang)
            .map(|(code, language)| {
                let same = page.alternates.iter().find(|a| &a.lang == code);
                let prefix = lang_prefix(code, self.config);
                let output = match (same, collection) {
                    (Some(alternate), _) => alternate.output.clone(),
                    (None, Some(c)) => {
                        crate::urls::list_page_output(&list_folder(&prefix, List::Collection(c)), 0)
                    }
                    (None, None) => format!("{prefix}index.html"),
                };
                Value::from(std::collections::BTreeMap::from([
                    ("lang", Value::from(code.as_str())),
                    ("name", Value::from(language.name.as_str())),
                    ("dir", Value::from(direction_word(language.direction))),
                    ("href", Value::from(format!("{root}{output}"))),
                    // The 404 page has one version, for every language.
                    (
                        "same",
                        Value::from(same.is_some() || matches!(page.job, Job::NotFound)),
                    ),
                ]))
            })
            .collect();
        Value::from(values)
    }

    /// `parts` of the print edition's contents page: by collection name, the
    /// list of its parts (`href` from the contents page, `year` or `undated`,
    /// `piece` from 1 when a year is cut in several, `count`).
    fn print_contents(&self, print_parts: &[(crate::urls::PrintPart, usize)]) -> Value {
        let mut parts: Vec<(&str, Vec<Value>)> = Default::default();
        for &(part, count) in print_parts {
            let mut value = print_part_value(&part, "");
            value.insert("count".into(), Value::from(count));
            // Parts come collection by collection.
            match parts.last_mut() {
                Some((name, list)) if *name == part.collection.name() => {
                    list.push(Value::from(value));
                }
                _ => parts.push((part.collection.name(), vec![Value::from(value)])),
            }
        }
        let mut map = Map::new();
        for (collection, list) in parts {
            map.insert(collection.into(), Value::from(list));
        }
        Value::from(map)
    }

    /// `documents` of a print page: by collection name, the full page value
    /// of each document, in the page's language when translated.
    fn print_documents(
        &self,
        documents: impl Iterator<Item = (Collection, Vec<DocId>)>,
        page: &Planned,
        root: &str,
    ) -> Value {
        let mut map = Map::new();
        for (collection, ids) in documents {
            let pages: Vec<Value> = ids
                .into_iter()
                .map(|id| {
                    let document = &self.graph.documents[id];
                    let shown = self
                        .graph
                        .get_in(document.kind, &document.slug, page.lang.as_deref())
                        .unwrap_or(id);
                    // One page holds many documents: note ids carry the
                    // document's own.
                    let notes = format!("{}-{}-", collection.singular(), document.slug);
                    self.page_value(shown, root, page.lang.as_deref(), &notes)
                })
                .collect();
            map.insert(collection.name().into(), Value::from(pages));
        }
        Value::from(map)
    }

    /// Renders one page to HTML.
    pub fn render(&self, page: &Planned) -> Result<String, Diagnostic> {
        let data = &self.data.languages[&page.lang];
        let lang = page
            .lang
            .as_deref()
            .unwrap_or(&self.config.default_language);
        let root = root_of(&page.output);
        // The language's folder, `""` or `ar/`.
        let prefix = lang_prefix(lang, self.config);
        let mut context = Context::new();
        context.insert("root", &root);
        context.insert("lang", lang);
        context.insert("dir", direction_word(self.config.direction(lang)));
        context.insert("digits", self.config.digits(lang).as_str());
        context.insert("current_url", page.output.trim_end_matches("index.html"));
        context.insert("has_map", &self.data.geography.is_some());
        context.insert_value("site", data.site.clone());
        context.insert_value("collections", data.collections.clone());
        context.insert_value("index", data.index.clone());
        context.insert_value("taxonomies", data.taxonomies.clone());
        context.insert_value("timeline", data.timeline.clone());
        context.insert_value("links", data.links.clone());
        context.insert_value("alternates", self.alternates_value(page, &root));
        context.insert_value("editions", self.editions_value(page, &root, lang));
        context.insert(
            "share",
            &crate::share::tags(self.graph, self.config, self.strings, page),
        );
        match page.job {
            Job::Document(id) => {
                context.insert_value("page", self.page_value(id, &root, page.lang.as_deref(), ""));
                context.insert(
                    "jsonld",
                    &crate::export::json_ld(self.graph, self.config, id),
                );
            }
            Job::Home => {}
            Job::List {
                collection,
                page: n,
            } => {
                context.insert("collection", collection.name());
                let folder = list_folder(&prefix, List::Collection(collection));
                let item = |id| self.summary_in(id, page.lang.as_deref());
                let list = lists::collection_page(
                    &data.lists,
                    self.graph,
                    collection,
                    page.lang.as_deref(),
                    &folder,
                    n,
                    &item,
                );
                list.insert_into(&mut context);
            }
            Job::Terms(taxonomy) => {
                context.insert("taxonomy", taxonomy.name());
                let terms = data.taxonomies.get_from_path(taxonomy.name()).cloned();
                context.insert_value("terms", terms.unwrap_or_else(Value::none));
            }
            Job::Term {
                taxonomy,
                term: i,
                page: n,
            } => {
                let term = &taxonomy.terms(self.graph)[i];
                context.insert("taxonomy", taxonomy.name());
                context.insert("term", &term.name);
                if taxonomy == Taxonomy::Places
                    && let Some(geography) = &self.data.geography
                    && let Some(locator) = crate::map::locator(geography, None, Some(&term.name))
                {
                    context.insert_value("locator", locator);
                }
                let folder = list_folder(&prefix, List::Term(taxonomy, &term.slug));
                let item = |id| self.summary_in(id, page.lang.as_deref());
                lists::term_page(&data.lists, self.graph, (taxonomy, i), &folder, n, &item)
                    .insert_into(&mut context);
            }
            Job::Print => {
                let parts = crate::urls::print_parts(self.graph);
                if parts.is_empty() {
                    let documents = Collection::ALL
                        .into_iter()
                        .map(|c| (c, self.graph.entries(c).collect::<Vec<_>>()));
                    context.insert_value("documents", self.print_documents(documents, page, &root));
                } else {
                    context.insert_value("parts", self.print_contents(&parts));
                }
            }
            Job::PrintPart(part) => {
                // The print edition's folder, from this part's.
                let up = "../".repeat(part.folder().matches('/').count());
                let documents = [(part.collection, part.documents(self.graph))];
                context.insert_value(
                    "documents",
                    self.print_documents(documents.into_iter(), page, &root),
                );
                context.insert_value("part", Value::from(print_part_value(&part, &up)));
            }
            Job::Map => context.insert_value("map", data.map.clone()),
            Job::Corrections => {
                context.insert_value("corrections", self.all_corrections(page.lang.as_deref()));
            }
            Job::Search { bundles } => {
                // Each merged bundle's folder, from the site root.
                let merged: Vec<String> = (1..bundles).map(crate::urls::bundle_folder).collect();
                context.insert("search_bundles", &merged);
                // Beside the search page.
                context.insert("folder_index", crate::urls::FOLDER_INDEX);
            }
            Job::Timeline { page: n } => {
                let folder = list_folder(&prefix, List::Timeline);
                lists::timeline_page(&data.lists, &data.timeline_events, &folder, n)
                    .insert_into(&mut context);
            }
            Job::Data => {
                context.insert_value("files", self.data_files(lang));
                let latest = crate::export::changes(self.graph, self.config, self.strings, lang)
                    .first()
                    .map(|change| change.updated);
                if let Some(date) = latest {
                    context.insert("updated", &date.to_string());
                }
            }
            Job::NotFound => {}
        }
        let rendered = render_page(self.tera, &page.template, &context, self.templates);
        rendered
            .map(|html| crate::csp::apply(&html))
            .map_err(|problem| match &page.from {
                Some(from) if problem.location.is_some() => {
                    problem.hint(format!("while rendering `{}`", from.display()))
                }
                _ => problem,
            })
    }
}

/// What a data page lists of one published file: `href` (from the site
/// root), `label` (the key of its interface string, with `collection` and
/// `language` to fill it), `format` (its technical name, the same in every
/// language), `size` when the build knows it, and `lang` for a feed in
/// another language.
#[derive(serde::Serialize)]
struct DataFile {
    href: String,
    label: &'static str,
    format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    collection: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    /// The size as the page writes it: the number, and the key of the
    /// interface string with its unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<(String, &'static str)>,
}

/// A file size in bytes, KB (one decimal under 10) or MB (one decimal),
/// with the key of its unit's string.
fn size_words(bytes: u64) -> (String, &'static str) {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if bytes < 1024 {
        (bytes.to_string(), "size_bytes")
    } else if b < 10.0 * KB {
        (format!("{:.1}", b / KB), "size_kb")
    } else if b < KB * KB {
        (format!("{:.0}", b / KB), "size_kb")
    } else {
        (format!("{:.1}", b / KB / KB), "size_mb")
    }
}

impl Renderer<'_> {
    /// The files of a data page in `lang`: the feeds, this language's
    /// first, then every export.
    fn data_files(&self, lang: &str) -> Value {
        use crate::urls::Export;
        let size = |path: &str| self.data.file_sizes.get(path).map(|&n| size_words(n));
        let file = |path: String, label, format| DataFile {
            size: size(&path),
            href: path,
            label,
            format,
            collection: None,
            lang: None,
            language: None,
        };
        let mut languages: Vec<&String> = self.config.languages.keys().collect();
        languages.sort_by_key(|code| {
            (
                code.as_str() != lang,
                code.as_str() != self.config.default_language,
            )
        });
        let mut files: Vec<DataFile> = languages
            .into_iter()
            .map(|code| {
                let path = crate::urls::feed_path(&lang_prefix(code, self.config));
                DataFile {
                    lang: (code != lang).then(|| code.clone()),
                    language: self.config.languages.get(code).map(|l| l.name.clone()),
                    ..file(path, "data_feed", "Atom (XML)")
                }
            })
            .collect();
        for export in Export::all() {
            let (label, format) = match export {
                Export::Dossier => ("data_dossier", "JSON (dossier/1)"),
                Export::SourcesCsl => ("data_sources_csl", "CSL-JSON"),
                Export::Csv(_) => ("data_table", "CSV"),
                Export::Corrections => ("data_corrections", "JSON"),
                Export::CorrectionsCsv => ("data_corrections", "CSV"),
                Export::Sitemap | Export::Robots => continue,
            };
            let collection = match export {
                Export::Csv(collection) => Some(collection.name()),
                _ => None,
            };
            files.push(DataFile {
                collection,
                ..file(export.path(), label, format)
            });
        }
        Value::from_serializable(&files)
    }
}
