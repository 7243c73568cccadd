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

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Kwargs, Map, State, Tera, Value};

use crate::config::{Config, Direction};
use crate::diagnostic::{Diagnostic, Location};
use crate::discover::TemplateFile;
use crate::graph::{DocId, Graph, Term, parse_internal_path};
use crate::i18n::Strings;
use crate::markdown;
use crate::model::{Collection, DocKind, Document, Fields, PartialDate};

/// Which taxonomy a term page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Taxonomy {
    Tags,
    Places,
}

impl Taxonomy {
    pub fn name(self) -> &'static str {
        match self {
            Taxonomy::Tags => "tags",
            Taxonomy::Places => "places",
        }
    }

    fn terms(self, graph: &Graph) -> &[Term] {
        match self {
            Taxonomy::Tags => &graph.tags,
            Taxonomy::Places => &graph.places,
        }
    }
}

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Document(DocId),
    /// The home page of a language when there is no `_index.md` for it.
    Home,
    List(Collection),
    Terms(Taxonomy),
    Term(Taxonomy, usize),
    Timeline,
    /// The whole dossier on one page, for printing or saving as PDF.
    Print,
    Search,
    NotFound,
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

fn lang_prefix(lang: &str, config: &Config) -> String {
    if lang.is_empty() || config.is_default_language(lang) {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// Links point at `index.html` files, not folders, so that the site also
/// works when opened from a folder, where browsers do not look for an index.
fn href_of_url(url: &str) -> String {
    format!("{url}index.html")
}

/// The relative path from a page's folder back to the site root.
fn root_of(output: &str) -> String {
    "../".repeat(output.matches('/').count())
}

/// Lists every page the build publishes.
pub fn plan(graph: &Graph, config: &Config) -> Vec<Planned> {
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
        });
    }
    for lang in &languages {
        let prefix = lang.as_deref().map_or(String::new(), |l| format!("{l}/"));
        let page = |output: String, template: &str, job: Job| Planned {
            output,
            lang: lang.clone(),
            template: template.to_string(),
            job,
            from: None,
        };
        let has_home = graph
            .documents
            .iter()
            .any(|d| d.kind == DocKind::Home && d.lang == lang.clone().unwrap_or_default());
        if !has_home {
            pages.push(page(format!("{prefix}index.html"), "home.html", Job::Home));
        }
        for collection in Collection::ALL {
            pages.push(page(
                format!("{prefix}{collection}/index.html"),
                "list.html",
                Job::List(collection),
            ));
        }
        for taxonomy in [Taxonomy::Tags, Taxonomy::Places] {
            pages.push(page(
                format!("{prefix}{}/index.html", taxonomy.name()),
                "terms.html",
                Job::Terms(taxonomy),
            ));
            for (i, term) in taxonomy.terms(graph).iter().enumerate() {
                pages.push(page(
                    format!("{prefix}{}/{}/index.html", taxonomy.name(), term.slug),
                    "term.html",
                    Job::Term(taxonomy, i),
                ));
            }
        }
        pages.push(page(
            format!("{prefix}timeline/index.html"),
            "timeline.html",
            Job::Timeline,
        ));
        pages.push(page(
            format!("{prefix}print/index.html"),
            "print.html",
            Job::Print,
        ));
        pages.push(page(
            format!("{prefix}search/index.html"),
            "search.html",
            Job::Search,
        ));
    }
    pages.push(Planned {
        output: "404.html".to_string(),
        lang: None,
        template: "404.html".to_string(),
        job: Job::NotFound,
        from: None,
    });
    pages
}

/// Builds the Tera instance from the theme's and site's templates. Syntax
/// errors are reported for every template, not just the first.
pub fn load_templates(
    templates: &[TemplateFile],
    config: &Config,
    strings: &Arc<Strings>,
) -> Result<Tera, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    for template in templates {
        let mut alone = Tera::default();
        register_filters(&mut alone, strings, config);
        if let Err(error) = alone.add_raw_template(&template.name, &template.text) {
            // Alone, a template cannot find its parent, includes or the
            // components other templates define; only other problems
            // located in its own text count here.
            let problem = template_problem(&error, templates);
            let elsewhere = problem.message.contains("Unknown component");
            if !elsewhere
                && problem
                    .location
                    .as_ref()
                    .is_some_and(|l| l.path == template.path)
            {
                problems.push(problem);
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    register_filters(&mut tera, strings, config);
    if let Err(error) =
        tera.add_raw_templates(templates.iter().map(|t| (t.name.as_str(), t.text.as_str())))
    {
        return Err(vec![template_problem(&error, templates)]);
    }
    tera.global_context()
        .insert_value("site", site_value(config));
    Ok(tera)
}

/// Checks that the theme has every template the plan needs.
pub fn check_templates(tera: &Tera, pages: &[Planned], config: &Config) -> Vec<Diagnostic> {
    let mut missing: Vec<&str> = pages
        .iter()
        .map(|p| p.template.as_str())
        .filter(|name| !tera.contains_template(name))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    missing
        .into_iter()
        .map(|name| {
            Diagnostic::error(format!(
                "the theme `{}` has no template `{name}`",
                config.theme
            ))
            .hint(format!(
                "add `templates/{name}` to the site or to `themes/{}/templates/`",
                config.theme
            ))
        })
        .collect()
}

/// Turns a Tera error into a diagnostic pointing at the template's line and
/// column.
pub fn template_problem(error: &tera::Error, templates: &[TemplateFile]) -> Diagnostic {
    use std::error::Error as _;
    // Tera wraps the located error of a template in the error of the
    // template that included or extended it: use the innermost located one.
    let mut located: Option<(&tera::ReportError, bool)> = None;
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(tera_error) = e.downcast_ref::<tera::Error>() {
            match tera_error.kind() {
                tera::ErrorKind::SyntaxError(report) => located = Some((report, true)),
                tera::ErrorKind::RenderingError(report) => located = Some((report, false)),
                _ => {}
            }
        }
        current = e.source();
    }
    let Some((report, syntax)) = located else {
        if let Some(problem) = located_message(&error.to_string(), templates) {
            return problem;
        }
        let mut message = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        return Diagnostic::error(format!("template error: {message}"));
    };
    let kind = if syntax {
        "syntax error"
    } else {
        "error while rendering"
    };
    let diagnostic = Diagnostic::error(format!(
        "{kind} in template `{}`: {}",
        report.filename(),
        report.message()
    ));
    match templates.iter().find(|t| t.name == report.filename()) {
        Some(template) => {
            let span = report.span();
            let width = if span.start_line == span.end_line {
                span.end_col.saturating_sub(span.start_col).max(1)
            } else {
                1
            };
            diagnostic.at(Location::line_column(
                &template.path,
                &template.text,
                span.start_line,
                span.start_col + 1,
                width,
            ))
        }
        None => diagnostic,
    }
}

/// Some Tera errors (an unknown filter, found when templates are loaded)
/// arrive as text that already holds `--> name:line:column`; this reads the
/// position back out of it.
fn located_message(text: &str, templates: &[TemplateFile]) -> Option<Diagnostic> {
    let message = text.lines().next()?.trim().trim_start_matches("error: ");
    let position = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("--> "))?;
    let mut parts = position.rsplitn(3, ':');
    let column: usize = parts.next()?.parse().ok()?;
    let line: usize = parts.next()?.parse().ok()?;
    let name = parts.next()?;
    let template = templates.iter().find(|t| t.name == name)?;
    let caret_line = text
        .lines()
        .find(|l| l.trim_start().starts_with('|') && l.contains('^'));
    let width = caret_line.map_or(1, |l| l.matches('^').count().max(1));
    Some(
        Diagnostic::error(format!("error in template `{name}`: {message}")).at(
            Location::line_column(&template.path, &template.text, line, column, width),
        ),
    )
}

fn site_value(config: &Config) -> Value {
    #[derive(Serialize)]
    struct LanguageInfo<'a> {
        code: &'a str,
        name: &'a str,
        dir: &'static str,
    }
    #[derive(Serialize)]
    struct SiteInfo<'a> {
        title: &'a str,
        description: &'a str,
        base_url: Option<&'a str>,
        default_language: &'a str,
        languages: Vec<LanguageInfo<'a>>,
        extra: &'a BTreeMap<String, serde_json::Value>,
        collections: Vec<&'static str>,
    }
    Value::from_serializable(&SiteInfo {
        title: &config.title,
        description: &config.description,
        base_url: config.base_url.as_deref(),
        default_language: &config.default_language,
        languages: config
            .languages
            .iter()
            .map(|(code, language)| LanguageInfo {
                code,
                name: &language.name,
                dir: direction_word(language.direction),
            })
            .collect(),
        extra: &config.extra,
        collections: Collection::ALL.iter().map(|c| c.name()).collect(),
    })
}

fn direction_word(direction: Direction) -> &'static str {
    match direction {
        Direction::Ltr => "ltr",
        Direction::Rtl => "rtl",
    }
}

/// The filters and functions themes use beyond Tera's own: `date`,
/// `quantity`, `slug`, `words`, and `t(key=...)` for interface strings.
fn register_filters(tera: &mut Tera, strings: &Arc<Strings>, config: &Config) {
    let date_strings = Arc::clone(strings);
    tera.register_filter(
        "date",
        move |value: &Value, _: Kwargs, state: &State| -> Value {
            match value.as_str().map(PartialDate::parse) {
                Some(Ok(date)) => {
                    let lang: String = state.get("lang").ok().flatten().unwrap_or_default();
                    let month = date
                        .month
                        .and_then(|m| date_strings.get(&lang, &format!("month_{m}")));
                    Value::from(match month {
                        Some(month) => date.display_with(month),
                        None => date.display(),
                    })
                }
                _ => value.clone(),
            }
        },
    );
    let t_strings = Arc::clone(strings);
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let key: &str = kwargs.must_get("key")?;
            let lang: String = state.get("lang")?.unwrap_or_default();
            match t_strings.get(&lang, key) {
                Some(text) => Ok(Value::from(text)),
                None => Err(tera::Error::message(format!(
                    "no interface string `{key}`: add `{key} = \"...\"` to i18n/{lang}.toml"
                ))),
            }
        },
    );
    tera.register_filter("quantity", |value: &Value, _: Kwargs, _: &State| -> Value {
        let number = |key: &str| value.get_from_path(key).and_then(Value::as_u64);
        match (number("min"), number("max"), value.as_u64()) {
            (Some(min), Some(max), _) if min == max => Value::from(group_digits(min)),
            (Some(min), Some(max), _) => {
                Value::from(format!("{}–{}", group_digits(min), group_digits(max)))
            }
            (_, _, Some(n)) => Value::from(group_digits(n)),
            _ => value.clone(),
        }
    });
    let default_language = config.default_language.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let lang: String = state.get("lang")?.unwrap_or_default();
            let prefix = if lang == default_language || lang.is_empty() {
                String::new()
            } else {
                format!("{lang}/")
            };
            let taxonomy: &str = kwargs.must_get("taxonomy")?;
            let taxonomy = match taxonomy {
                "tags" => Taxonomy::Tags,
                "places" => Taxonomy::Places,
                other => {
                    return Err(tera::Error::message(format!(
                        "`{other}` is not a taxonomy: use `tags` or `places`"
                    )));
                }
            };
            let term: &str = kwargs.must_get("term")?;
            let slug = crate::discover::slugify(term);
            Ok(Value::from(term_href(taxonomy, &slug, &prefix)))
        },
    );
    tera.register_filter("slug", |value: &str, _: Kwargs, _: &State| -> Value {
        Value::from(crate::discover::slugify(value))
    });
    tera.register_filter("words", |value: &str, _: Kwargs, _: &State| -> Value {
        Value::from(value.replace('-', " "))
    });
}

/// 1234567 → "1,234,567".
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What lists and references show of a document.
#[derive(Serialize)]
struct Summary<'a> {
    slug: &'a str,
    title: &'a str,
    summary: Option<&'a str>,
    collection: Option<&'static str>,
    lang: &'a str,
    url: String,
    href: String,
    date: Option<PartialDate>,
    year: Option<i16>,
    tags: Vec<TermLink>,
    updated: Option<PartialDate>,
    draft: bool,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    fields: Option<&'a Fields>,
}

#[derive(Serialize)]
struct TermLink {
    name: String,
    slug: String,
    href: String,
}

/// The page of a term in the language whose folder is `prefix` (`""` or
/// `ar/`).
fn term_href(taxonomy: Taxonomy, slug: &str, prefix: &str) -> String {
    format!("{prefix}{}/{slug}/index.html", taxonomy.name())
}

/// The site-wide data every page of one language sees.
struct LanguageData {
    collections: Value,
    index: Value,
    taxonomies: Value,
    timeline: Value,
}

/// Everything needed to render pages: summaries are computed once for all
/// languages.
/// Site-wide data computed once per build (or once per change when
/// serving): every document's summary and each language's lists, indexes,
/// taxonomies and timeline.
pub struct SiteData {
    summaries: Vec<Value>,
    languages: BTreeMap<Option<String>, LanguageData>,
}

impl SiteData {
    pub fn new(graph: &Graph, config: &Config, pages: &[Planned]) -> SiteData {
        SiteData::reusing(graph, config, pages, None)
    }

    /// The same, reusing the summaries of documents that did not change
    /// since `previous` (a summary depends on its document alone, and an
    /// unchanged document is the same shared value).
    pub fn reusing(
        graph: &Graph,
        config: &Config,
        pages: &[Planned],
        previous: Option<(&Graph, &SiteData)>,
    ) -> SiteData {
        let known: HashMap<usize, &Value> = match previous {
            Some((old_graph, old_data)) => old_graph
                .documents
                .iter()
                .map(|d| Arc::as_ptr(d) as usize)
                .zip(&old_data.summaries)
                .collect(),
            None => HashMap::new(),
        };
        let summaries: Vec<Value> = graph
            .documents
            .par_iter()
            .map(
                |document| match known.get(&(Arc::as_ptr(document) as usize)) {
                    Some(value) => (*value).clone(),
                    None => summary(document, config),
                },
            )
            .collect();
        let mut languages = BTreeMap::new();
        for page in pages {
            if !languages.contains_key(&page.lang) {
                let data = language_data(graph, &summaries, page.lang.as_deref());
                languages.insert(page.lang.clone(), data);
            }
        }
        SiteData {
            summaries,
            languages,
        }
    }
}

/// Everything needed to render pages, borrowed.
pub struct Renderer<'a> {
    pub tera: &'a Tera,
    pub templates: &'a [TemplateFile],
    pub graph: &'a Graph,
    pub config: &'a Config,
    pub data: &'a SiteData,
}

impl<'a> Renderer<'a> {
    /// Renders every page in parallel and hands each to `sink` as soon as it
    /// is done. Returns the problems met, in a stable order.
    pub fn render_all(
        &self,
        pages: &[Planned],
        sink: &(dyn Fn(&Planned, &[u8]) -> anyhow::Result<()> + Sync),
    ) -> anyhow::Result<Vec<Diagnostic>> {
        // Pages that gather many documents (print, lists, timeline, terms)
        // start first, so that the largest is not left running alone at the
        // end. The order of work does not change any page.
        let mut order: Vec<&Planned> = pages.iter().collect();
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

    /// Renders one page to HTML.
    pub fn render(&self, page: &Planned) -> Result<String, Diagnostic> {
        let data = &self.data.languages[&page.lang];
        let lang = page
            .lang
            .as_deref()
            .unwrap_or(&self.config.default_language);
        let root = root_of(&page.output);
        let mut context = Context::new();
        context.insert("root", &root);
        context.insert("lang", lang);
        context.insert("dir", direction_word(self.config.direction(lang)));
        context.insert("current_url", page.output.trim_end_matches("index.html"));
        context.insert_value("collections", data.collections.clone());
        context.insert_value("index", data.index.clone());
        context.insert_value("taxonomies", data.taxonomies.clone());
        context.insert_value("timeline", data.timeline.clone());
        match page.job {
            Job::Document(id) => {
                context.insert_value("page", self.page_value(id, &root, page.lang.as_deref()));
                context.insert(
                    "jsonld",
                    &crate::export::json_ld(self.graph, self.config, id),
                );
            }
            Job::Home => {}
            Job::List(collection) => {
                context.insert("collection", collection.name());
                let items = data.collections.get_from_path(collection.name()).cloned();
                context.insert_value("items", items.unwrap_or_else(Value::none));
            }
            Job::Terms(taxonomy) => {
                context.insert("taxonomy", taxonomy.name());
                let terms = data.taxonomies.get_from_path(taxonomy.name()).cloned();
                context.insert_value("terms", terms.unwrap_or_else(Value::none));
            }
            Job::Term(taxonomy, i) => {
                let term = &taxonomy.terms(self.graph)[i];
                context.insert("taxonomy", taxonomy.name());
                context.insert("term", &term.name);
                let items: Vec<Value> = term
                    .documents
                    .iter()
                    .map(|&id| self.summary_in(id, page.lang.as_deref()))
                    .collect();
                context.insert_value("items", Value::from(items));
            }
            Job::Print => {
                let mut documents = Map::new();
                for collection in Collection::ALL {
                    let pages: Vec<Value> = self
                        .graph
                        .entries(collection)
                        .map(|id| {
                            let document = &self.graph.documents[id];
                            let shown = self
                                .graph
                                .get_in(document.kind, &document.slug, page.lang.as_deref())
                                .unwrap_or(id);
                            self.page_value(shown, &root, page.lang.as_deref())
                        })
                        .collect();
                    documents.insert(collection.name().into(), Value::from(pages));
                }
                context.insert_value("documents", Value::from(documents));
            }
            Job::Timeline | Job::Search | Job::NotFound => {}
        }
        self.tera.render(&page.template, &context).map_err(|error| {
            let problem = template_problem(&error, self.templates);
            match &page.from {
                Some(from) if problem.location.is_some() => {
                    problem.hint(format!("while rendering `{}`", from.display()))
                }
                _ => problem,
            }
        })
    }

    /// The summary of a document as seen from a page in `lang`: its
    /// translation when there is one.
    fn summary_in(&self, id: DocId, lang: Option<&str>) -> Value {
        let document = &self.graph.documents[id];
        let shown = self
            .graph
            .get_in(document.kind, &document.slug, lang)
            .unwrap_or(id);
        self.data.summaries[shown].clone()
    }

    /// Everything a document's own page shows: its summary, its rendered
    /// body, the documents it names and those that name it.
    fn page_value(&self, id: DocId, root: &str, lang: Option<&str>) -> Value {
        let graph = self.graph;
        let document = &graph.documents[id];
        let mut page = self.data.summaries[id]
            .clone()
            .into_map()
            .unwrap_or_default();

        let resolve = |path: &str| -> Option<String> {
            let (kind, slug) = parse_internal_path(path)?;
            let target = graph.get_in(kind, &slug, lang)?;
            Some(format!(
                "{root}{}",
                href_of_url(&document_url(&graph.documents[target], self.config))
            ))
        };
        let html = markdown::render(document.body(), &resolve, self.config.markdown.raw_html);
        page.insert("content".into(), Value::safe_string(&html));

        // References, field by field, in the order they were written.
        let mut refs: BTreeMap<&'static str, Vec<Value>> = BTreeMap::new();
        for reference in &document.references {
            let value = match graph.get(DocKind::Entry(reference.target), &reference.slug) {
                Some(target) => self.summary_in(target, lang),
                None => unresolved(&reference.slug),
            };
            refs.entry(reference.field).or_default().push(value);
        }
        page.insert("refs".into(), to_value_map(refs));

        // Backlinks by the collection that points, then by field.
        let mut backlinks: BTreeMap<&'static str, BTreeMap<&'static str, Vec<Value>>> =
            BTreeMap::new();
        for backlink in &graph.backlinks[graph.canonical(id)] {
            let from = &graph.documents[backlink.from];
            let group = from.collection().map_or("pages", Collection::name);
            backlinks
                .entry(group)
                .or_default()
                .entry(backlink.field)
                .or_default()
                .push(self.summary_in(backlink.from, lang));
        }
        let backlinks: BTreeMap<&'static str, Value> = backlinks
            .into_iter()
            .map(|(k, v)| (k, to_value_map(v)))
            .collect();
        page.insert("backlinks".into(), to_value_map(backlinks));

        let canonical = graph.canonical(id);
        match document.kind {
            DocKind::Entry(Collection::Demands) => {
                let incidents =
                    graph.related(canonical, "incidents", "demands", Collection::Incidents);
                page.insert("related_incidents".into(), self.values(&incidents, lang));
            }
            DocKind::Entry(Collection::Incidents) => {
                let demands = graph.related(canonical, "demands", "incidents", Collection::Demands);
                page.insert("related_demands".into(), self.values(&demands, lang));
            }
            DocKind::Entry(Collection::Figures) => {
                if let Fields::Figure(figure) = &document.fields {
                    let largest = figure.estimates.iter().map(|e| e.max()).max().unwrap_or(0);
                    page.insert(
                        "scale".into(),
                        Value::from_serializable(&Scale::for_largest(largest)),
                    );
                }
            }
            _ => {}
        }

        let mut translations = Vec::new();
        let original = canonical;
        let default = Value::from(BTreeMap::from([
            ("lang", Value::from(self.config.default_language.as_str())),
            (
                "href",
                Value::from(href_of_url(&document_url(
                    &graph.documents[original],
                    self.config,
                ))),
            ),
        ]));
        translations.push(default);
        for (code, translation) in graph.translations_of(document.kind, &document.slug) {
            translations.push(Value::from(BTreeMap::from([
                ("lang", Value::from(code.as_str())),
                (
                    "href",
                    Value::from(href_of_url(&document_url(
                        &graph.documents[translation],
                        self.config,
                    ))),
                ),
            ])));
        }
        page.insert("translations".into(), Value::from(translations));
        Value::from(page)
    }

    fn values(&self, ids: &[DocId], lang: Option<&str>) -> Value {
        Value::from(
            ids.iter()
                .map(|&id| self.summary_in(id, lang))
                .collect::<Vec<_>>(),
        )
    }
}

/// The axis of a figure's range chart: a round maximum at or above the
/// largest estimate, and evenly spaced ticks from zero to it.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Scale {
    pub max: u64,
    pub ticks: Vec<u64>,
}

impl Scale {
    /// Total for every input: above `u64::MAX / 4` the axis stops at
    /// `u64::MAX` (the model refuses such estimates, but the chart must not
    /// be what panics).
    pub fn for_largest(largest: u64) -> Scale {
        let mut step = 1u64;
        loop {
            for factor in [1u64, 2, 5] {
                let Some(max) = step.checked_mul(factor).and_then(|c| c.checked_mul(4)) else {
                    let quarter = u64::MAX / 4;
                    return Scale {
                        max: u64::MAX,
                        ticks: (0..=4).map(|i| quarter * i).collect(),
                    };
                };
                if max >= largest.max(1) {
                    let candidate = max / 4;
                    let ticks = (0..=4).map(|i| candidate * i).collect();
                    return Scale { max, ticks };
                }
            }
            step = step.saturating_mul(10);
        }
    }
}

fn to_value_map<V: Into<Value>>(map: BTreeMap<&'static str, V>) -> Value {
    let mut out = Map::new();
    for (key, value) in map {
        out.insert(key.into(), value.into());
    }
    Value::from(out)
}

/// A reference to a document left out of the build (a draft): shown as its
/// slug, without a link.
fn unresolved(slug: &str) -> Value {
    Value::from(BTreeMap::from([
        ("slug", Value::from(slug)),
        ("title", Value::from(slug)),
    ]))
}

fn summary(document: &Document, config: &Config) -> Value {
    let url = document_url(document, config);
    let fields = match document.fields {
        Fields::Page => None,
        ref fields => Some(fields),
    };
    let date = document.date();
    Value::from_serializable(&Summary {
        slug: &document.slug,
        title: &document.common.title,
        summary: document.common.summary.as_deref(),
        collection: document.collection().map(Collection::name),
        lang: if document.lang.is_empty() {
            &config.default_language
        } else {
            &document.lang
        },
        href: href_of_url(&url),
        url,
        date,
        year: date.map(|d| d.year),
        tags: document
            .common
            .tags
            .iter()
            .map(|tag| {
                let slug = crate::discover::slugify(tag);
                TermLink {
                    href: term_href(Taxonomy::Tags, &slug, &lang_prefix(&document.lang, config)),
                    name: tag.clone(),
                    slug,
                }
            })
            .collect(),
        updated: document.common.updated,
        draft: document.common.draft,
        extra: &document.common.extra,
        fields,
    })
}

fn language_data(graph: &Graph, summaries: &[Value], lang: Option<&str>) -> LanguageData {
    let prefix = lang.map_or(String::new(), |l| format!("{l}/"));
    let shown = |id: DocId| -> Value {
        let document = &graph.documents[id];
        let target = graph
            .get_in(document.kind, &document.slug, lang)
            .unwrap_or(id);
        summaries[target].clone()
    };
    let mut collections = Map::new();
    let mut index = Map::new();
    for collection in Collection::ALL {
        let ids: Vec<DocId> = graph.entries(collection).collect();
        let items: Vec<Value> = ids.iter().map(|&id| shown(id)).collect();
        let mut by_slug = Map::new();
        for (&id, item) in ids.iter().zip(&items) {
            by_slug.insert(graph.documents[id].slug.clone().into(), item.clone());
        }
        collections.insert(collection.name().into(), Value::from(items));
        index.insert(collection.name().into(), Value::from(by_slug));
    }
    let pages: Vec<Value> = graph
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == DocKind::Page && d.lang.is_empty())
        .map(|(id, _)| shown(id))
        .collect();
    collections.insert("pages".into(), Value::from(pages));

    let mut taxonomies = Map::new();
    for taxonomy in [Taxonomy::Tags, Taxonomy::Places] {
        let terms: Vec<Value> = taxonomy
            .terms(graph)
            .iter()
            .map(|term| {
                Value::from(BTreeMap::from([
                    ("name", Value::from(term.name.as_str())),
                    ("slug", Value::from(term.slug.as_str())),
                    (
                        "href",
                        Value::from(term_href(taxonomy, &term.slug, &prefix)),
                    ),
                    ("count", Value::from(term.documents.len())),
                ]))
            })
            .collect();
        taxonomies.insert(taxonomy.name().into(), Value::from(terms));
    }

    LanguageData {
        collections: Value::from(collections),
        index: Value::from(index),
        taxonomies: Value::from(taxonomies),
        timeline: timeline(graph, &shown),
    }
}

/// Incidents and dated demand history, oldest first, grouped by year.
fn timeline(graph: &Graph, shown: &dyn Fn(DocId) -> Value) -> Value {
    #[derive(Serialize)]
    struct Event<'a> {
        date: PartialDate,
        kind: &'static str,
        status: Option<&'static str>,
        note: Option<&'a str>,
    }
    // (date, incidents before demand entries on one day, document, event)
    type Dated = ((i16, u8, u8), u8, DocId, Value);
    let mut events: Vec<Dated> = Vec::new();
    for id in graph.entries(Collection::Incidents) {
        if let Fields::Incident(incident) = &graph.documents[id].fields {
            let event = Value::from_serializable(&Event {
                date: incident.date,
                kind: "incident",
                status: None,
                note: None,
            });
            events.push((incident.date.sort_key(), 0, id, event));
        }
    }
    for id in graph.entries(Collection::Demands) {
        if let Fields::Demand(demand) = &graph.documents[id].fields {
            for entry in &demand.history {
                let event = Value::from_serializable(&Event {
                    date: entry.date,
                    kind: "demand",
                    status: Some(entry.status.as_str()),
                    note: Some(&entry.note),
                });
                events.push((entry.date.sort_key(), 1, id, event));
            }
        }
    }
    events.sort_by_key(|a| (a.0, a.1, a.2));
    let mut years: Vec<(i16, Vec<Value>)> = Vec::new();
    for (key, _, id, event) in events {
        let mut event = event.into_map().unwrap_or_default();
        event.insert("document".into(), shown(id));
        if years.last().map(|(y, _)| *y) != Some(key.0) {
            years.push((key.0, Vec::new()));
        }
        if let Some((_, list)) = years.last_mut() {
            list.push(Value::from(event));
        }
    }
    Value::from(
        years
            .into_iter()
            .map(|(year, events)| {
                Value::from(BTreeMap::from([
                    ("year", Value::from(year)),
                    ("events", Value::from(events)),
                ]))
            })
            .collect::<Vec<_>>(),
    )
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
    fn chart_scales_are_round() {
        assert_eq!(
            Scale::for_largest(655_000),
            Scale {
                max: 800_000,
                ticks: vec![0, 200_000, 400_000, 600_000, 800_000]
            }
        );
        assert_eq!(Scale::for_largest(24).max, 40);
        assert_eq!(Scale::for_largest(0).max, 4);
    }

    #[test]
    fn a_chart_scale_for_the_largest_number_does_not_overflow() {
        let scale = Scale::for_largest(u64::MAX);
        assert_eq!(scale.max, u64::MAX);
        assert!(scale.ticks.windows(2).all(|w| w[0] < w[1]));
        assert!(Scale::for_largest(9_000_000_000_000_000_000).max >= 9_000_000_000_000_000_000);
    }

    #[test]
    fn groups_digits() {
        assert_eq!(group_digits(1234567), "1,234,567");
        assert_eq!(group_digits(999), "999");
    }
}
