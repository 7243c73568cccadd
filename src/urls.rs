//! Where everything is published, and the links to it: the plan of pages
//! (output path, language, template, what the page shows), the folder URL
//! of each document and term, the paths of the exports, and the check that
//! no two things claim one path.

use std::collections::HashMap;
use std::path::PathBuf;

use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::discover::Asset;
use crate::graph::{DocId, Graph, Taxonomy};
use crate::model::{Collection, DocKind, Document};

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    Document(DocId),
    /// The home page of a language when there is no `_index.md` for it.
    Home,
    /// One page of a collection's list, from 0 ([`LIST_PAGE_SIZE`]).
    List {
        collection: Collection,
        page: usize,
    },
    Terms(Taxonomy),
    /// One page of the list of a term's documents, the term by its index
    /// among the taxonomy's terms.
    Term {
        taxonomy: Taxonomy,
        term: usize,
        page: usize,
    },
    /// One page of the timeline, from 0 ([`TIMELINE_PAGE_SIZE`]).
    Timeline {
        page: usize,
    },
    /// The print edition: the whole dossier when it fits on one page,
    /// otherwise a link to each of its parts.
    Print,
    /// One part of the print edition, for printing or saving as PDF.
    PrintPart(PrintPart),
    /// The search page, which loads the first of the index's `bundles`
    /// and merges the others ([`bundle_count`]).
    Search {
        bundles: usize,
    },
    /// The map of incidents (only with geography data).
    Map,
    /// Every correction of the dossier, newest first.
    Corrections,
    /// The data page: every export, the feed and the citation files, with
    /// their formats and sizes.
    Data,
    NotFound,
}

/// The most documents a part of the print edition holds, so that no page
/// grows with the dossier (a browser struggles with a page of tens of
/// megabytes, and so does a printer): at about 10 KB a printed incident,
/// a part stays under 2 MB.
pub const PRINT_PART_SIZE: usize = 150;

/// The most documents one page of a list shows (a collection's list, a
/// tag's or a place's page): a longer list goes on over more pages,
/// `incidents/`, `incidents/page/2/`, … so that no list page grows with
/// the dossier (at about 550 bytes an entry, a page stays near 110 KB).
pub const LIST_PAGE_SIZE: usize = 200;

/// The most events one page of the timeline shows (an event is a line or
/// two: about 300 bytes).
pub const TIMELINE_PAGE_SIZE: usize = 500;

/// How many pages a list of `count` entries takes, `size` a page; an empty
/// list is one page, which says it is empty.
pub fn list_page_count(count: usize, size: usize) -> usize {
    count.div_ceil(size).max(1)
}

/// How many events the timeline has: each incident, and each entry of a
/// demand's history.
pub fn timeline_events(graph: &Graph) -> usize {
    let history: usize = graph
        .entries(Collection::Demands)
        .map(|id| match &graph.documents[id].fields {
            crate::model::Fields::Demand(demand) => demand.history.len(),
            _ => 0,
        })
        .sum();
    graph.entries(Collection::Incidents).count() + history
}

/// A list that goes on over pages.
#[derive(Debug, Clone, Copy)]
pub enum List<'a> {
    Collection(Collection),
    /// A term, by its slug.
    Term(Taxonomy, &'a str),
    Timeline,
}

/// The folder of a list's first page in the language whose folder is
/// `prefix` (`""` or `ar/`): `incidents/`, `ar/tags/x/`, `timeline/`.
pub fn list_folder(prefix: &str, list: List<'_>) -> String {
    match list {
        List::Collection(collection) => format!("{prefix}{collection}/"),
        List::Term(taxonomy, slug) => format!("{prefix}{}/{slug}/", taxonomy.name()),
        List::Timeline => format!("{prefix}timeline/"),
    }
}

/// A page every language has once, which a theme links to by name (the
/// `links` of every page's context) instead of spelling its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitePage {
    Home,
    /// A collection's list.
    Collection(Collection),
    /// A taxonomy's index of terms.
    Terms(Taxonomy),
    Timeline,
    Print,
    Search,
    Map,
    Corrections,
    Data,
}

impl SitePage {
    /// Every site-wide page, with the name themes know it by: `home`, the
    /// collections' names, `tags`, `places`, `timeline`, `print`, `search`,
    /// `map`, `corrections`, `data`.
    pub fn all() -> Vec<(&'static str, SitePage)> {
        let mut all = vec![("home", SitePage::Home)];
        all.extend(
            Collection::ALL
                .iter()
                .map(|&c| (c.name(), SitePage::Collection(c))),
        );
        all.extend([
            ("tags", SitePage::Terms(Taxonomy::Tags)),
            ("places", SitePage::Terms(Taxonomy::Places)),
            ("timeline", SitePage::Timeline),
            ("print", SitePage::Print),
            ("search", SitePage::Search),
            ("map", SitePage::Map),
            ("corrections", SitePage::Corrections),
            ("data", SitePage::Data),
        ]);
        all
    }

    /// Its folder URL in the language whose folder is `prefix` (`""` or
    /// `ar/`): `ar/`, `incidents/`, `ar/tags/`, `print/`.
    pub fn url(self, prefix: &str) -> String {
        match self {
            SitePage::Home => prefix.to_string(),
            SitePage::Collection(c) => list_folder(prefix, List::Collection(c)),
            SitePage::Terms(taxonomy) => format!("{prefix}{}/", taxonomy.name()),
            SitePage::Timeline => list_folder(prefix, List::Timeline),
            SitePage::Print => format!("{prefix}print/"),
            SitePage::Search => format!("{prefix}search/"),
            SitePage::Map => format!("{prefix}map/"),
            SitePage::Corrections => format!("{prefix}corrections/"),
            SitePage::Data => format!("{prefix}data/"),
        }
    }

    /// Its output path.
    pub fn output(self, prefix: &str) -> String {
        href_of_url(&self.url(prefix))
    }
}

/// The output path of page `page` (from 0) of the list whose first page
/// is in `folder` ([`list_folder`]).
pub fn list_page_output(folder: &str, page: usize) -> String {
    match page {
        0 => format!("{folder}index.html"),
        n => format!("{folder}page/{}/index.html", n + 1),
    }
}

/// The most documents a dossier may have for its print edition to be one
/// page, which a reader prints or saves as one PDF.
pub const PRINT_WHOLE_LIMIT: usize = 200;

/// A part of the print edition: a collection whole when it has at most
/// [`PRINT_PART_SIZE`] documents; otherwise the documents of one year (or
/// the undated ones), cut into pieces of at most that many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PrintPart {
    pub collection: Collection,
    pub span: Span,
    /// Which piece of the span, from 0.
    pub piece: usize,
}

/// Which documents of a collection a print part holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Span {
    All,
    Year(i16),
    Undated,
}

impl PrintPart {
    /// The part's folder under `print/`: `incidents/`, `incidents/2005/`,
    /// `incidents/2005-2/` for its second piece, `actors/undated/`.
    pub fn folder(&self) -> String {
        let span = match self.span {
            Span::All => String::new(),
            Span::Year(year) => format!("{year}/"),
            Span::Undated => "undated/".to_string(),
        };
        let span = match self.piece {
            0 => span,
            n => format!("{}-{}/", span.trim_end_matches('/'), n + 1),
        };
        format!("{}/{span}", self.collection.name())
    }

    /// The documents of the part (originals, in the collection's order).
    pub fn documents(&self, graph: &Graph) -> Vec<DocId> {
        let in_span = |id: &DocId| match self.span {
            Span::All => true,
            span => span_of(graph, *id) == span,
        };
        graph
            .entries(self.collection)
            .filter(in_span)
            .skip(self.piece * PRINT_PART_SIZE)
            .take(PRINT_PART_SIZE)
            .collect()
    }
}

fn span_of(graph: &Graph, id: DocId) -> Span {
    graph.documents[id]
        .date()
        .map_or(Span::Undated, |date| Span::Year(date.year))
}

/// The parts of the print edition, collection by collection in the model's
/// order, years ascending, the undated last, each with its number of
/// documents; none when the whole dossier fits on one page. Depends only
/// on the documents, never on their language.
pub fn print_parts(graph: &Graph) -> Vec<(PrintPart, usize)> {
    let mut parts = Vec::new();
    let total: usize = Collection::ALL
        .iter()
        .map(|&collection| graph.entries(collection).count())
        .sum();
    if total <= PRINT_WHOLE_LIMIT {
        return parts;
    }
    for collection in Collection::ALL {
        let count = graph.entries(collection).count();
        if count == 0 {
            continue;
        }
        if count <= PRINT_PART_SIZE {
            let part = PrintPart {
                collection,
                span: Span::All,
                piece: 0,
            };
            parts.push((part, count));
            continue;
        }
        let mut spans: std::collections::BTreeMap<Span, usize> = Default::default();
        for id in graph.entries(collection) {
            *spans.entry(span_of(graph, id)).or_default() += 1;
        }
        for (span, count) in spans {
            for piece in 0..count.div_ceil(PRINT_PART_SIZE) {
                let held = (count - piece * PRINT_PART_SIZE).min(PRINT_PART_SIZE);
                parts.push((
                    PrintPart {
                        collection,
                        span,
                        piece,
                    },
                    held,
                ));
            }
        }
    }
    parts
}

/// One page to publish: where, in which language, with which template.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Relative to the output folder, with `/` separators.
    pub output: String,
    /// `None` for the default language.
    pub lang: Option<String>,
    pub template: String,
    pub job: Job,
    /// The file the page comes from, for diagnostics about it.
    pub from: Option<std::path::PathBuf>,
    /// The same page in every language it is published in, this one
    /// included, the default language first: the language switch and the
    /// `hreflang` links. Empty for the 404 page, which has one version.
    pub alternates: Vec<Alternate>,
    /// The image a link to the page shows when shared; none when `[share]
    /// images` is off.
    pub share: Option<ShareImage>,
}

/// The file name of every share image ([`crate::share`]).
pub const SHARE_IMAGE: &str = "share.png";

/// A page's share image: a document's own, beside its page
/// (`incidents/x/share.png`); for every other page its language's, beside
/// that language's home page (`share.png`, `ar/share.png`), which is the
/// page it is drawn for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareImage {
    /// Relative to the output folder.
    pub path: String,
    /// Whether this page is the one the image is drawn for (so that each
    /// image is published once).
    pub drawn_here: bool,
}

/// Fills every page's `share` when share images are on.
fn link_share_images(pages: &mut [Planned], graph: &Graph, config: &Config) {
    if !config.share.images {
        return;
    }
    for page in pages.iter_mut() {
        let lang = page.lang.as_deref().unwrap_or(&config.default_language);
        let beside = |folder: String| format!("{folder}{SHARE_IMAGE}");
        page.share = Some(match page.job {
            Job::Document(id) if graph.documents[id].kind != DocKind::Home => ShareImage {
                path: beside(document_url(&graph.documents[id], config)),
                drawn_here: true,
            },
            job => ShareImage {
                path: beside(lang_prefix(lang, config)),
                drawn_here: matches!(job, Job::Home | Job::Document(_)),
            },
        });
    }
}

/// One language's version of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternate {
    /// The language code, the default language's too.
    pub lang: String,
    /// The page's output path, relative to the output folder.
    pub output: String,
}

/// What a page shows whatever its language: pages with the same one are
/// versions of each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Sameness {
    /// A document and its translations share their original's id.
    Document(DocId),
    /// A home page, whether written (`_index.md`) or generated.
    Home,
    Generated(Job),
}

/// Fills every page's `alternates`: each page lists the versions of what it
/// shows in every language, so the pairs are reciprocal by construction.
fn link_alternates(pages: &mut [Planned], graph: &Graph, config: &Config) {
    let sameness = |page: &Planned| match page.job {
        Job::NotFound => None,
        Job::Home => Some(Sameness::Home),
        Job::Document(id) if graph.documents[id].kind == DocKind::Home => Some(Sameness::Home),
        Job::Document(id) => Some(Sameness::Document(graph.canonical(id))),
        job => Some(Sameness::Generated(job)),
    };
    // The default language first, then the others in `site.toml`'s order.
    let rank = |lang: &Option<String>| match lang {
        None => 0,
        Some(code) => {
            1 + config
                .languages
                .keys()
                .position(|k| k == code)
                .unwrap_or(usize::MAX - 1)
        }
    };
    let mut groups: HashMap<Sameness, Vec<(usize, Alternate)>> = HashMap::new();
    for page in pages.iter() {
        if let Some(key) = sameness(page) {
            groups.entry(key).or_default().push((
                rank(&page.lang),
                Alternate {
                    lang: page
                        .lang
                        .clone()
                        .unwrap_or_else(|| config.default_language.clone()),
                    output: page.output.clone(),
                },
            ));
        }
    }
    for page in pages.iter_mut() {
        if let Some(group) = sameness(page).and_then(|key| groups.get(&key)) {
            let mut group = group.clone();
            group.sort_by(|a, b| (a.0, &a.1.output).cmp(&(b.0, &b.1.output)));
            page.alternates = group.into_iter().map(|(_, a)| a).collect();
        }
    }
}

/// The folder URL of a document, relative to the site root: `incidents/x/`,
/// `ar/about/`, or empty for the home page.
pub fn document_url(document: &Document, config: &Config) -> String {
    let prefix = lang_prefix(&document.lang, config);
    match document.kind {
        DocKind::Home => prefix,
        DocKind::Page => format!("{prefix}{}/", document.slug),
        DocKind::Entry(c) => format!("{prefix}{c}/{}/", document.slug),
    }
}

pub fn lang_prefix(lang: &str, config: &Config) -> String {
    if lang.is_empty() || config.is_default_language(lang) {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// Links point at `index.html` files, not folders, so that the site also
/// works when opened from a folder, where browsers do not look for an index.
pub fn href_of_url(url: &str) -> String {
    format!("{url}index.html")
}

/// The relative path from a page's folder back to the site root.
pub fn root_of(output: &str) -> String {
    "../".repeat(output.matches('/').count())
}

/// The page of a term in the language whose folder is `prefix` (`""` or
/// `ar/`).
pub fn term_href(taxonomy: Taxonomy, slug: &str, prefix: &str) -> String {
    list_page_output(&list_folder(prefix, List::Term(taxonomy, slug)), 0)
}

/// Whether a page is indexed for search: a document's page, not a home
/// page.
pub fn is_indexed(graph: &Graph, page: &Planned) -> bool {
    matches!(page.job, Job::Document(id) if graph.documents[id].kind != DocKind::Home)
}

/// How many bundles the plan's search index is cut into.
pub fn search_bundles(pages: &[Planned]) -> usize {
    pages
        .iter()
        .find_map(|page| match page.job {
            Job::Search { bundles } => Some(bundles),
            _ => None,
        })
        .unwrap_or(1)
}

/// How many pages of each published language search indexes (none when
/// search is off).
fn indexed_pages(graph: &Graph, config: &Config, pages: &[Planned]) -> Vec<usize> {
    if !config.build.search {
        return Vec::new();
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for page in pages.iter().filter(|page| is_indexed(graph, page)) {
        let lang = page.lang.as_deref().unwrap_or(&config.default_language);
        *counts.entry(lang).or_default() += 1;
    }
    counts.into_values().collect()
}

/// Lists every page the build publishes; `map` adds the map pages.
pub fn plan(graph: &Graph, config: &Config, map: bool) -> Vec<Planned> {
    let mut pages = Vec::new();
    let mut languages: Vec<Option<String>> = vec![None];
    for code in config.languages.keys() {
        let translated = graph.documents.iter().any(|d| &d.lang == code);
        if !config.is_default_language(code) && translated {
            languages.push(Some(code.clone()));
        }
    }
    for (id, document) in graph.documents.iter().enumerate() {
        let template = match document.kind {
            DocKind::Home => "home.html".to_string(),
            DocKind::Page => "page.html".to_string(),
            DocKind::Entry(c) => format!("{}.html", c.singular()),
        };
        pages.push(Planned {
            output: format!("{}index.html", document_url(document, config)),
            lang: (!document.lang.is_empty()).then(|| document.lang.clone()),
            template,
            job: Job::Document(id),
            from: Some(document.path.clone()),
            alternates: Vec::new(),
            share: None,
        });
    }
    let print_parts = print_parts(graph);
    let bundles = bundle_count(&indexed_pages(graph, config, &pages));
    for lang in &languages {
        let prefix = lang.as_deref().map_or(String::new(), |l| format!("{l}/"));
        let page = |output: String, template: &str, job: Job| Planned {
            output,
            lang: lang.clone(),
            template: template.to_string(),
            job,
            from: None,
            alternates: Vec::new(),
            share: None,
        };
        let has_home = graph
            .documents
            .iter()
            .any(|d| d.kind == DocKind::Home && d.lang == lang.clone().unwrap_or_default());
        if !has_home {
            pages.push(page(SitePage::Home.output(&prefix), "home.html", Job::Home));
        }
        for collection in Collection::ALL {
            let count = graph.entries(collection).count();
            for n in 0..list_page_count(count, LIST_PAGE_SIZE) {
                pages.push(page(
                    list_page_output(&list_folder(&prefix, List::Collection(collection)), n),
                    "list.html",
                    Job::List {
                        collection,
                        page: n,
                    },
                ));
            }
        }
        for taxonomy in [Taxonomy::Tags, Taxonomy::Places] {
            pages.push(page(
                SitePage::Terms(taxonomy).output(&prefix),
                "terms.html",
                Job::Terms(taxonomy),
            ));
            for (i, term) in taxonomy.terms(graph).iter().enumerate() {
                let folder = list_folder(&prefix, List::Term(taxonomy, &term.slug));
                for n in 0..list_page_count(term.documents.len(), LIST_PAGE_SIZE) {
                    pages.push(page(
                        list_page_output(&folder, n),
                        "term.html",
                        Job::Term {
                            taxonomy,
                            term: i,
                            page: n,
                        },
                    ));
                }
            }
        }
        for n in 0..list_page_count(timeline_events(graph), TIMELINE_PAGE_SIZE) {
            pages.push(page(
                list_page_output(&list_folder(&prefix, List::Timeline), n),
                "timeline.html",
                Job::Timeline { page: n },
            ));
        }
        pages.push(page(
            SitePage::Print.output(&prefix),
            "print.html",
            Job::Print,
        ));
        for (part, _) in &print_parts {
            pages.push(page(
                format!(
                    "{}{}index.html",
                    SitePage::Print.url(&prefix),
                    part.folder()
                ),
                "print.html",
                Job::PrintPart(*part),
            ));
        }
        pages.push(page(
            SitePage::Search.output(&prefix),
            "search.html",
            Job::Search { bundles },
        ));
        if map {
            pages.push(page(SitePage::Map.output(&prefix), "map.html", Job::Map));
        }
        pages.push(page(
            SitePage::Corrections.output(&prefix),
            "corrections.html",
            Job::Corrections,
        ));
        pages.push(page(SitePage::Data.output(&prefix), "data.html", Job::Data));
    }
    pages.push(Planned {
        output: "404.html".to_string(),
        lang: None,
        template: "404.html".to_string(),
        job: Job::NotFound,
        from: None,
        alternates: Vec::new(),
        share: None,
    });
    link_alternates(&mut pages, graph, config);
    link_share_images(&mut pages, graph, config);
    pages
}

/// A machine-readable file every build publishes; each knows its path, and
/// `export::files` makes each (a `match` the compiler holds complete).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// `data/dossier.json`, the `dossier/1` format.
    Dossier,
    /// `data/sources.csl.json`.
    SourcesCsl,
    /// A collection's table, `data/<collection>.csv`.
    Csv(Collection),
    /// Every correction, newest first: `data/corrections.json`.
    Corrections,
    /// The same as a table: `data/corrections.csv`.
    CorrectionsCsv,
    Sitemap,
    Robots,
}

impl Export {
    /// Every export, in the order they are listed.
    pub fn all() -> Vec<Export> {
        let mut all = vec![Export::Dossier, Export::SourcesCsl];
        all.extend(Collection::ALL.iter().map(|&c| Export::Csv(c)));
        all.extend([Export::Corrections, Export::CorrectionsCsv]);
        all.extend([Export::Sitemap, Export::Robots]);
        all
    }

    /// Its path in the output.
    pub fn path(self) -> String {
        match self {
            Export::Dossier => "data/dossier.json".to_string(),
            Export::SourcesCsl => "data/sources.csl.json".to_string(),
            Export::Csv(collection) => format!("data/{collection}.csv"),
            Export::Corrections => "data/corrections.json".to_string(),
            Export::CorrectionsCsv => "data/corrections.csv".to_string(),
            Export::Sitemap => "sitemap.xml".to_string(),
            Export::Robots => "robots.txt".to_string(),
        }
    }
}

/// The paths of every export, for collision checks before anything renders.
pub fn export_paths() -> Vec<String> {
    Export::all().into_iter().map(Export::path).collect()
}

/// The name of the folder index (`folder_search`), in each language's
/// search folder.
pub const FOLDER_INDEX: &str = "folder-index.js";

/// The path of the folder index beside a search page's output path
/// (`ar/search/index.html` → `ar/search/folder-index.js`).
pub fn folder_index_path(search_page: &str) -> String {
    match search_page.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{FOLDER_INDEX}"),
        None => FOLDER_INDEX.to_string(),
    }
}

/// The paths of every folder index the plan publishes.
fn folder_index_paths(pages: &[Planned]) -> impl Iterator<Item = String> + '_ {
    pages
        .iter()
        .filter(|page| matches!(page.job, Job::Search { .. }))
        .map(|page| folder_index_path(&page.output))
}

/// The name of each language's Atom feed, in the language's folder.
pub const FEED: &str = "feed.xml";

/// The path of the feed of the language whose folder is `prefix`.
pub fn feed_path(prefix: &str) -> String {
    format!("{prefix}{FEED}")
}

/// The path and language (`None` for the default) of every feed the plan
/// publishes: one for each language's data page, which lists it.
pub fn feed_paths(pages: &[Planned]) -> impl Iterator<Item = (String, Option<String>)> + '_ {
    let data_page = SitePage::Data.output("");
    pages
        .iter()
        .filter(|page| matches!(page.job, Job::Data))
        .filter_map(move |page| {
            let prefix = page.output.strip_suffix(&data_page)?;
            Some((feed_path(prefix), page.lang.clone()))
        })
}

/// What a build publishes at one output path.
#[derive(Debug, Clone, Copy)]
pub enum Output<'a> {
    /// A page of the plan, by its index in it.
    Page(usize),
    /// One of `export_paths`.
    Export,
    /// A file copied as it is (a content asset or a static file).
    Copy(&'a Asset),
    /// The share image drawn for a page of the plan, by its index in it.
    Share(usize),
}

/// Everything a build publishes, by output path, but for the search
/// bundle, whose file names are only known once it is built (its folder,
/// `BUNDLE_DIR`, is its own): the plan's pages, their share images, the
/// exports, then the copied files, content assets before static files. The collision
/// check and `serve` read this one list.
pub fn published<'a>(
    pages: &'a [Planned],
    copies: impl IntoIterator<Item = &'a Asset>,
) -> Vec<(String, Output<'a>)> {
    let mut outputs: Vec<(String, Output<'a>)> = pages
        .iter()
        .enumerate()
        .map(|(i, page)| (page.output.clone(), Output::Page(i)))
        .collect();
    outputs.extend(pages.iter().enumerate().filter_map(|(i, page)| {
        let share = page.share.as_ref().filter(|share| share.drawn_here)?;
        Some((share.path.clone(), Output::Share(i)))
    }));
    outputs.extend(
        export_paths()
            .into_iter()
            .chain(folder_index_paths(pages))
            .chain(feed_paths(pages).map(|(path, _)| path))
            .map(|path| (path, Output::Export)),
    );
    outputs.extend(
        copies
            .into_iter()
            .map(|asset| (asset.output.clone(), Output::Copy(asset))),
    );
    outputs
}

/// Two things published at the same path, or at paths that differ only in
/// case or Unicode normalisation (which collide on many file systems and
/// hosts).
pub fn check_collisions(
    pages: &[Planned],
    assets: &[Asset],
    statics: &[Asset],
    search: bool,
) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, (String, String)> = HashMap::new();
    let mut problems = Vec::new();
    let describe_page = |page: &Planned| match &page.from {
        Some(path) => format!("`{}`", path.display()),
        None => format!("the generated page `{}`", page.output),
    };
    // Each claim: the path, who claims it, the file to point at, and
    // whether it is a share image.
    let claims: Vec<(String, String, Option<PathBuf>, bool)> =
        published(pages, assets.iter().chain(statics))
            .into_iter()
            .map(|(output, what)| match what {
                Output::Page(i) => (
                    output,
                    describe_page(&pages[i]),
                    pages[i].from.clone(),
                    false,
                ),
                Output::Share(i) => {
                    let origin = format!("the share image of {}", describe_page(&pages[i]));
                    (output, origin, pages[i].from.clone(), true)
                }
                Output::Export => {
                    let origin = format!("the export `{output}`");
                    (output, origin, None, false)
                }
                Output::Copy(asset) => (
                    output,
                    format!("`{}`", asset.path.display()),
                    Some(asset.path.clone()),
                    false,
                ),
            })
            .collect();
    // Every build writes the published manifest and its signature last.
    let manifest = [crate::sign::MANIFEST, crate::sign::SIGNATURE].map(|name| {
        (
            name.to_string(),
            format!("the published manifest `{name}`"),
            None,
            false,
        )
    });
    // The search bundle's file names are only known once it is built: the
    // whole folder is its own.
    let bundle = format!("{}/", BUNDLE_DIR);
    // Two share images at one path sit beside two pages at one folder,
    // which is reported once, for the pages.
    let mut shares_seen: std::collections::HashSet<String> = Default::default();
    for (output, origin, path, share) in manifest.into_iter().chain(claims) {
        // ASCII paths need no normalisation, only case folding.
        let key: String = if output.is_ascii() {
            output.to_ascii_lowercase()
        } else {
            output.nfc().collect::<String>().to_lowercase()
        };
        if search && (key.starts_with(&bundle) || key == BUNDLE_DIR) {
            let problem = Diagnostic::error(Code::OutputCollision, format!(
                "{origin} would be published at `{output}`, and so would the search bundle (`{bundle}`)"
            ))
            .hint(format!(
                "rename or move it: `{bundle}` belongs to the search index, or set `search = false` under `[build]`"
            ));
            problems.push(match path {
                Some(path) => problem.in_file(&path),
                None => problem,
            });
            continue;
        }
        match seen.get(&key) {
            Some(_) if share && shares_seen.contains(&key) => {}
            Some((first_output, first_origin)) => {
                let how = if *first_output == output {
                    "the same path".to_string()
                } else {
                    format!("`{first_output}`, which differs only in case or accents")
                };
                let problem = Diagnostic::error(Code::OutputCollision, format!(
                    "{origin} would be published at `{output}`, and so would {first_origin} ({how})"
                ))
                .hint("rename one of them: two files cannot share one address");
                problems.push(match path {
                    Some(path) => problem.in_file(&path),
                    None => problem,
                });
            }
            None => {
                if share {
                    shares_seen.insert(key.clone());
                }
                seen.insert(key, (output, origin));
            }
        }
    }
    problems
}

/// The folder of the output that holds the search bundle.
pub const BUNDLE_DIR: &str = "pagefind";

/// The most pages of one language a bundle holds before the index is cut
/// into several. A bundle is built on one thread and held in memory until
/// it is written, so the cut bounds both a build's time (bundles are built
/// side by side) and its memory (only the bundles being built are held).
pub const PAGES_PER_BUNDLE: usize = 625;

/// The most bundles an index is cut into: the search page loads the entry
/// and metadata of every bundle, so past this a bundle grows instead.
pub const MAX_BUNDLES: usize = 16;

/// How many bundles the index is cut into, given the number of indexed
/// pages of each language: one per [`PAGES_PER_BUNDLE`] pages of the
/// largest language, at most [`MAX_BUNDLES`], and never more than the
/// smallest language has pages, so that every bundle holds every language
/// (the search page reads each bundle in its own language, and pagefind
/// reads a bundle lacking it in another). Depends on the pages only, never
/// on the number of threads.
pub fn bundle_count(pages_per_language: &[usize]) -> usize {
    let most = pages_per_language.iter().copied().max().unwrap_or(0);
    let fewest = pages_per_language.iter().copied().min().unwrap_or(0);
    most.div_ceil(PAGES_PER_BUNDLE)
        .min(MAX_BUNDLES)
        .min(fewest)
        .max(1)
}

/// The folder of bundle `i` (from 0) in the output: [`BUNDLE_DIR`] itself
/// for the first, which the search page loads, and `pagefind/part-2/`, ...
/// for those it merges into it.
pub fn bundle_folder(i: usize) -> String {
    match i {
        0 => format!("{BUNDLE_DIR}/"),
        i => format!("{BUNDLE_DIR}/part-{}/", i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_climb_one_level_per_folder() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("incidents/x/index.html"), "../../");
        assert_eq!(root_of("ar/incidents/x/index.html"), "../../../");
    }

    #[test]
    fn the_folder_index_sits_beside_its_search_page() {
        assert_eq!(
            folder_index_path("search/index.html"),
            "search/folder-index.js"
        );
        assert_eq!(
            folder_index_path("ar/search/index.html"),
            "ar/search/folder-index.js"
        );
    }
}
