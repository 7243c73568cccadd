//! The view model: what templates see of the dossier. Site-wide data
//! (every document's summary, the lists, indexes, taxonomies and timeline)
//! is converted to Tera values once per language and shared by
//! reference-counted clones; each document's page adds its body, its
//! references and its backlinks.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Map, Value};

use crate::config::{Config, Direction};
use crate::geography::Geography;
use crate::graph::{DocId, Graph, Taxonomy, parse_internal_path};
use crate::model::{Collection, DocKind, Document, Fields, PartialDate, Translation};
use crate::urls::{Planned, document_url, href_of_url, lang_prefix, term_href};

use super::Renderer;

/// `site` as templates see it on pages in `lang`: the language's own title
/// and description where `site.toml` gives them, else the top-level ones,
/// marked in `site.fallback.title` / `site.fallback.description` with the
/// default language's `lang` and `dir` (as `page.fallback` marks a
/// translation's borrowed text).
pub(crate) fn site_value(config: &Config, lang: &str) -> Value {
    #[derive(Serialize)]
    struct Mark<'a> {
        lang: &'a str,
        dir: &'static str,
    }
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
        /// `[sign] public_key`, which the about page shows.
        public_key: Option<&'a str>,
        /// `[licence]`: `name` and `url`.
        licence: Option<&'a crate::config::Licence>,
        /// `[publisher]`: `name` (in the page's language), `url`,
        /// `contact` and `corrections`, addresses ready to link.
        publisher: BTreeMap<&'static str, String>,
        default_language: &'a str,
        languages: Vec<LanguageInfo<'a>>,
        extra: &'a BTreeMap<String, serde_json::Value>,
        collections: Vec<&'static str>,
        words: BTreeMap<&'static str, &'static [&'static str]>,
        fallback: BTreeMap<&'static str, Mark<'a>>,
    }
    let language = config.languages.get(lang);
    let mut fallback = BTreeMap::new();
    if !config.is_default_language(lang) {
        let mark = || Mark {
            lang: &config.default_language,
            dir: direction_word(config.direction(&config.default_language)),
        };
        if language.and_then(|l| l.title.as_ref()).is_none() {
            fallback.insert("title", mark());
        }
        if language.and_then(|l| l.description.as_ref()).is_none() && !config.description.is_empty()
        {
            fallback.insert("description", mark());
        }
        if language.and_then(|l| l.publisher.as_ref()).is_none() && config.publisher.name.is_some()
        {
            fallback.insert("publisher", mark());
        }
    }
    let (title, description) = config.title_in(lang);
    Value::from_serializable(&SiteInfo {
        title,
        description,
        base_url: config.base_url.as_deref(),
        public_key: config.sign.public_key.as_deref(),
        licence: config.licence.as_ref(),
        publisher: publisher_value(config, lang),
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
        words: crate::model::words(),
        fallback,
    })
}

/// `site.publisher`: what `[publisher]` gives, the name in `lang`, each
/// address as a link.
fn publisher_value(config: &Config, lang: &str) -> BTreeMap<&'static str, String> {
    let publisher = &config.publisher;
    let mut value = BTreeMap::new();
    if let Some(name) = config.publisher_in(lang) {
        value.insert("name", name.to_string());
    }
    for (key, address) in [
        ("url", &publisher.url),
        ("contact", &publisher.contact),
        ("corrections", &publisher.corrections),
    ] {
        if let Some(address) = address {
            value.insert(key, crate::config::address_href(address));
        }
    }
    value
}

pub(crate) fn direction_word(direction: Direction) -> &'static str {
    match direction {
        Direction::Ltr => "ltr",
        Direction::Rtl => "rtl",
    }
}

/// What lists and references show of a document.
#[derive(Serialize)]
pub(crate) struct Summary<'a> {
    slug: &'a str,
    title: &'a str,
    summary: Option<&'a str>,
    collection: Option<&'static str>,
    lang: &'a str,
    /// The direction of `lang`, to mark a document shown in another
    /// language's edition.
    dir: &'static str,
    url: String,
    href: String,
    date: Option<PartialDate>,
    year: Option<i16>,
    tags: Vec<TermLink>,
    updated: Option<PartialDate>,
    draft: bool,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    fields: Option<super::fields::Fields<'a>>,
}

#[derive(Serialize)]
pub(crate) struct TermLink {
    name: String,
    slug: String,
    href: String,
}

/// The site-wide data every page of one language sees.
pub(crate) struct LanguageData {
    pub(crate) collections: Value,
    pub(crate) index: Value,
    pub(crate) taxonomies: Value,
    pub(crate) timeline: Value,
    /// The same events in order, each with its year: what the pages of the
    /// timeline cut up.
    pub(crate) timeline_events: Vec<(i16, Value)>,
    /// The lists cut into pages, each in order once it is first needed.
    pub(crate) lists: super::lists::Lists,
    /// What the map page shows; none without geography data.
    pub(crate) map: Value,
    /// `site`, with this language's title and description.
    pub(crate) site: Value,
    /// Where this language's site-wide pages are ([`links`]).
    pub(crate) links: Value,
}

/// Everything needed to render pages: summaries are computed once for all
/// languages.
/// Site-wide data computed once per build (or once per change when
/// serving): every document's summary and each language's lists, indexes,
/// taxonomies and timeline.
pub struct SiteData {
    pub(crate) summaries: Vec<Value>,
    pub(crate) languages: BTreeMap<Option<String>, LanguageData>,
    pub(crate) geography: Option<Arc<Geography>>,
    /// The citation style of `[cite] style`, when hayagriva has it.
    citer: Option<crate::citation::Citer>,
    /// The size of each file the build makes from the whole site (the
    /// exports and feeds), by output path, for the data pages; empty when
    /// nothing is written.
    pub file_sizes: BTreeMap<String, u64>,
}

impl SiteData {
    pub fn new(
        graph: &Graph,
        config: &Config,
        pages: &[Planned],
        geography: Option<Arc<Geography>>,
    ) -> SiteData {
        SiteData::reusing(graph, config, pages, geography, None)
    }

    /// The same, reusing the summaries of documents that did not change
    /// since `previous` (a summary depends on its document alone, and an
    /// unchanged document is the same shared value).
    pub fn reusing(
        graph: &Graph,
        config: &Config,
        pages: &[Planned],
        geography: Option<Arc<Geography>>,
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
        let points = geography
            .as_deref()
            .map(|g| crate::map::points(graph, g))
            .unwrap_or_default();
        let mut languages = BTreeMap::new();
        for page in pages {
            if !languages.contains_key(&page.lang) {
                let mut data = language_data(graph, config, &summaries, page.lang.as_deref());
                let lang = page.lang.as_deref().unwrap_or(&config.default_language);
                data.site = site_value(config, lang);
                if let Some(geography) = &geography {
                    data.map = map_view(
                        graph,
                        config,
                        &summaries,
                        geography,
                        &points,
                        page.lang.as_deref(),
                    );
                }
                languages.insert(page.lang.clone(), data);
            }
        }
        let langs: Vec<&str> = languages
            .keys()
            .map(|lang| lang.as_deref().unwrap_or(&config.default_language))
            .collect();
        let citer = crate::citation::style(&config.cite.style)
            .map(|style| crate::citation::Citer::new(style, &langs));
        SiteData {
            summaries,
            languages,
            geography,
            citer,
            file_sizes: BTreeMap::new(),
        }
    }
}

impl Renderer<'_> {
    /// The summary of a document as seen from a page in `lang`: its
    /// translation when there is one.
    pub(crate) fn summary_in(&self, id: DocId, lang: Option<&str>) -> Value {
        let document = &self.graph.documents[id];
        let shown = self
            .graph
            .get_in(document.kind, &document.slug, lang)
            .unwrap_or(id);
        self.data.summaries[shown].clone()
    }

    /// Everything a document's own page shows: its summary, its rendered
    /// body, the documents it names and those that name it.
    pub(crate) fn page_value(
        &self,
        id: DocId,
        root: &str,
        lang: Option<&str>,
        id_prefix: &str,
    ) -> Value {
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
        let lookup = |key: &str| {
            let target = graph.get_in(DocKind::Entry(Collection::Sources), key, lang)?;
            Some(crate::cite::note_source(
                &graph.documents[target],
                &format!(
                    "{root}{}",
                    href_of_url(&document_url(&graph.documents[target], self.config))
                ),
                root,
            ))
        };
        let folder = crate::images::content_folder(&document.path);
        let kept = &self.config.build.keep_metadata;
        let files = |dest: &str, image: bool| linked_file(graph, root, &folder, dest, image);
        let page_lang = lang.unwrap_or(&self.config.default_language);
        let label = |key: &str| self.strings.get(page_lang, key).unwrap_or(key).to_string();
        let (editorial_label, note_label) = (label("editorial_note"), label("note"));
        let rendered = crate::cite::render(
            document.body(),
            &crate::cite::RenderContext {
                resolve: &resolve,
                files: &files,
                lookup: &lookup,
                editorial_label: &editorial_label,
                note_label: &note_label,
                digits: self.config.digits(page_lang),
                raw_html: self.config.markdown.raw_html,
                id_prefix,
            },
        );
        let html = rendered.html;
        let inherits = |field: &str| {
            document
                .translation
                .as_ref()
                .filter(|t| t.inherited.iter().any(|f| f == field))
        };
        // A body in the original's language is marked as such, so that
        // readers' browsers (and screen readers) read it as that language.
        let html = match inherits("body") {
            Some(translation) => format!(
                "<div lang=\"{}\" dir=\"{}\">{html}</div>",
                translation.from,
                direction_word(self.config.direction(&translation.from))
            ),
            None => html,
        };
        page.insert("content".into(), Value::safe_string(&html));
        page.insert("corrections".into(), self.corrections_value(document));
        page.insert("revisions".into(), self.revisions_value(id, lang));
        page.insert("notes".into(), Value::from_serializable(&rendered.notes));
        page.insert(
            "attachments".into(),
            Value::from_serializable(&attachments(graph, kept, root, &folder, document.body())),
        );
        if let Fields::Source(source) = &document.fields
            && let Some(file) = source.archive.as_ref().and_then(|a| a.file.as_deref())
            && let Some(archived) = attachment(graph, kept, root, file)
        {
            page.insert("archive_file".into(), Value::from_serializable(&archived));
        }
        if let Some(translation) = &document.translation {
            page.insert("fallback".into(), self.fallback_value(translation));
            page.insert("translated".into(), self.translated_value(translation));
        }

        // References, field by field, in the order they were written.
        let mut refs: BTreeMap<&'static str, Vec<Value>> = BTreeMap::new();
        for reference in &document.references {
            let value = match graph.get(DocKind::Entry(reference.target), &reference.slug) {
                Some(target) => self.summary_in(target, lang),
                None => unresolved(&reference.slug),
            };
            let value = with_locator(value, reference);
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
        page.insert(
            "backlink_groups".into(),
            Value::from_serializable(&self.backlink_groups(id, lang, page_lang)),
        );

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
                if let Some(geography) = &self.data.geography
                    && let Fields::Incident(incident) = &document.fields
                    && let Some(locator) = crate::map::incident_locator(geography, incident)
                {
                    page.insert("locator".into(), locator);
                }
            }
            DocKind::Entry(Collection::Figures) => {
                if let Fields::Figure(figure) = &document.fields {
                    let largest = figure
                        .estimates
                        .iter()
                        .map(|e| e.count.reach())
                        .max()
                        .unwrap_or(0);
                    page.insert(
                        "scale".into(),
                        Value::from_serializable(&Scale::for_largest(largest)),
                    );
                }
            }
            _ => {}
        }

        if document.collection().is_some() {
            page.insert("cite".into(), self.cite_value(document, page_lang));
        }
        Value::from(page)
    }

    /// `page.cite`: the page's own citation as text in the site's style,
    /// and its CSL-JSON and BibTeX as downloadable `data:` addresses, so
    /// that they work from any folder and need no file of their own.
    fn cite_value(&self, document: &Document, lang: &str) -> Value {
        let Some(citer) = &self.data.citer else {
            return Value::none();
        };
        let url = document_url(document, self.config);
        let collection = document.collection().map_or("pages", Collection::name);
        let mut key = format!("dossier-{collection}-{}", document.slug);
        if lang != self.config.default_language {
            key.push_str(&format!("-{lang}"));
        }
        let (site_title, _) = self.config.title_in(lang);
        let page = crate::citation::PageCite {
            key: key.clone(),
            title: &document.common.title,
            site_title,
            publisher: self
                .config
                .cite
                .publisher
                .as_deref()
                .or(self.config.publisher_in(lang)),
            updated: document.common.updated,
            url: self
                .config
                .base_url
                .as_ref()
                .map(|base| format!("{}/{url}", base.trim_end_matches('/'))),
            lang,
        };
        let cited = citer.cite(&page);
        Value::from(BTreeMap::from([
            ("text", Value::from(cited.text)),
            ("key", Value::from(key)),
            (
                "csl_json",
                Value::from(data_url(
                    "application/vnd.citationstyles.csl+json",
                    &cited.csl_json,
                )),
            ),
            (
                "bibtex",
                Value::from(data_url("application/x-bibtex", &cited.bibtex)),
            ),
        ]))
    }

    /// The text fields a translation shows in its original's language,
    /// each with the `lang` and `dir` to mark it: `page.fallback.summary`,
    /// `page.fallback["history.1.note"]`.
    fn fallback_value(&self, translation: &Translation) -> Value {
        let mark = Value::from(BTreeMap::from([
            ("lang", Value::from(translation.from.as_str())),
            (
                "dir",
                Value::from(direction_word(self.config.direction(&translation.from))),
            ),
        ]));
        let mut fields = Map::new();
        for field in &translation.inherited {
            fields.insert(field.clone().into(), mark.clone());
        }
        Value::from(fields)
    }

    /// `page.translated`: the original's language (code and name) and what
    /// the translation recorded of itself (`by`, `date`).
    fn translated_value(&self, translation: &Translation) -> Value {
        let record = translation.record.clone().unwrap_or_default();
        let name = self
            .config
            .languages
            .get(&translation.from)
            .map_or(translation.from.as_str(), |l| l.name.as_str());
        let mut value = BTreeMap::from([
            ("from", Value::from(translation.from.as_str())),
            ("from_name", Value::from(name)),
        ]);
        if let Some(by) = &record.by {
            value.insert("by", Value::from(by.as_str()));
        }
        if let Some(date) = record.date {
            value.insert("date", Value::from(date.to_string()));
        }
        Value::from(value)
    }

    /// `page.backlink_groups`: what points at a document, one group per
    /// collection that points and field it uses, in the order pages show
    /// them (`BACKLINK_COLLECTIONS`, then `BACKLINK_FIELDS`, then any other
    /// field by name), roles first and mentions in a body last. A mention
    /// by a document already listed under a role is left out, and a group
    /// of mentions left empty by that is dropped.
    fn backlink_groups(
        &self,
        id: DocId,
        lang: Option<&str>,
        page_lang: &str,
    ) -> Vec<BacklinkGroup> {
        let graph = self.graph;
        let mut by_group: BTreeMap<(&'static str, &'static str), Vec<DocId>> = BTreeMap::new();
        for backlink in &graph.backlinks[graph.canonical(id)] {
            let from = &graph.documents[backlink.from];
            let collection = from.collection().map_or("pages", Collection::name);
            by_group
                .entry((collection, backlink.field))
                .or_default()
                .push(backlink.from);
        }
        let seen: std::collections::HashSet<(&str, &str)> = by_group
            .iter()
            .filter(|((_, field), _)| *field != MENTIONS)
            .flat_map(|((collection, _), ids)| {
                ids.iter()
                    .map(move |&from| (*collection, graph.documents[from].slug.as_str()))
            })
            .collect();
        let rank = |(collection, field): &(&str, &str)| {
            let c = BACKLINK_COLLECTIONS.iter().position(|c| c == collection);
            let f = BACKLINK_FIELDS.iter().position(|f| f == field);
            (
                *field == MENTIONS,
                c.unwrap_or(usize::MAX),
                f.unwrap_or(usize::MAX),
            )
        };
        let mut keys: Vec<(&'static str, &'static str)> = by_group.keys().copied().collect();
        // Stable: fields outside `BACKLINK_FIELDS` stay in name order.
        keys.sort_by_key(rank);
        keys.into_iter()
            .filter_map(|key @ (collection, field)| {
                let ids = &by_group[&key];
                let items: Vec<Value> = ids
                    .iter()
                    .filter(|&&from| {
                        field != MENTIONS
                            || !seen.contains(&(collection, graph.documents[from].slug.as_str()))
                    })
                    .map(|&from| self.summary_in(from, lang))
                    .collect();
                if items.is_empty() {
                    return None;
                }
                let key = format!("{collection}_{field}");
                let role = format!("role_{key}");
                Some(BacklinkGroup {
                    named: self.strings.get(page_lang, &role).is_some(),
                    key,
                    collection,
                    field,
                    items,
                })
            })
            .collect()
    }

    pub(crate) fn values(&self, ids: &[DocId], lang: Option<&str>) -> Value {
        Value::from(
            ids.iter()
                .map(|&id| self.summary_in(id, lang))
                .collect::<Vec<_>>(),
        )
    }
}

/// The field name of links written in a document's body: mentions, as
/// opposed to the roles its front matter gives.
const MENTIONS: &str = "body";

/// The order of backlink groups by the collection that points.
pub(crate) const BACKLINK_COLLECTIONS: [&str; 6] = [
    "demands",
    "incidents",
    "figures",
    "sources",
    "actors",
    "pages",
];

/// The order of backlink groups of one collection by the field that points:
/// the roles that say most about the page first.
pub(crate) const BACKLINK_FIELDS: [&str; 13] = [
    "perpetrators",
    "addressees",
    "raised_by",
    "publisher",
    "part_of",
    "via",
    "sources",
    "estimates",
    "history",
    "accountability",
    "incidents",
    "demands",
    MENTIONS,
];

/// One group of `page.backlink_groups`.
#[derive(Debug, Serialize)]
pub(crate) struct BacklinkGroup {
    /// `<collection>_<field>`: `incidents_perpetrators`. The theme's string
    /// `role_<key>` names the group when `named`.
    key: String,
    collection: &'static str,
    field: &'static str,
    /// Whether the page's language has a string `role_<key>`.
    named: bool,
    items: Vec<Value>,
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

pub(crate) fn to_value_map<V: Into<Value>>(map: BTreeMap<&'static str, V>) -> Value {
    let mut out = Map::new();
    for (key, value) in map {
        out.insert(key.into(), value.into());
    }
    Value::from(out)
}

/// A `data:` address holding `text`, percent-encoded but for the
/// characters URLs leave as they are.
fn data_url(mime: &str, text: &str) -> String {
    let mut out = format!("data:{mime};charset=utf-8,");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A referenced document's summary with where in it the claim stands and
/// its words, when the reference gives them.
fn with_locator(value: Value, reference: &crate::model::Reference) -> Value {
    if reference.locator.is_none() && reference.quote.is_none() {
        return value;
    }
    let mut map = value.into_map().unwrap_or_default();
    for (key, text) in [("locator", &reference.locator), ("quote", &reference.quote)] {
        if let Some(text) = text {
            map.insert(key.into(), Value::from(text.as_str()));
        }
    }
    Value::from(map)
}

/// A reference to a document left out of the build (a draft): shown as its
/// slug, without a link.
pub(crate) fn unresolved(slug: &str) -> Value {
    Value::from(BTreeMap::from([
        ("slug", Value::from(slug)),
        ("title", Value::from(slug)),
    ]))
}

pub(crate) fn summary(document: &Document, config: &Config) -> Value {
    let url = document_url(document, config);
    let fields = super::fields::Fields::of(&document.fields);
    let date = document.date();
    let lang = if document.lang.is_empty() {
        &config.default_language
    } else {
        &document.lang
    };
    Value::from_serializable(&Summary {
        slug: &document.slug,
        title: &document.common.title,
        summary: document.common.summary.as_deref(),
        collection: document.collection().map(Collection::name),
        lang,
        dir: direction_word(config.direction(lang)),
        href: href_of_url(&url),
        url,
        date,
        year: date.map(|d| d.year),
        tags: document
            .common
            .tags
            .iter()
            .map(|tag| {
                let slug = crate::slug::term_slug(tag);
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

/// The summary of a document as `lang` shows it: its translation when
/// there is one.
fn shown_in(graph: &Graph, summaries: &[Value], id: DocId, lang: Option<&str>) -> Value {
    let document = &graph.documents[id];
    let target = graph
        .get_in(document.kind, &document.slug, lang)
        .unwrap_or(id);
    summaries[target].clone()
}

pub(crate) fn language_data(
    graph: &Graph,
    config: &Config,
    summaries: &[Value],
    lang: Option<&str>,
) -> LanguageData {
    let prefix = lang.map_or(String::new(), |l| format!("{l}/"));
    let shown = |id: DocId| shown_in(graph, summaries, id, lang);
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

    let timeline_events = timeline(graph, config, &shown, lang);
    LanguageData {
        collections: Value::from(collections),
        index: Value::from(index),
        taxonomies: Value::from(taxonomies),
        timeline: timeline_years(&timeline_events),
        timeline_events,
        lists: Default::default(),
        map: Value::none(),
        site: Value::none(),
        links: links(&prefix),
    }
}

/// `links`: the URL (`url`, the folder) and link (`href`, its
/// `index.html`) of each site-wide page of the language whose folder is
/// `prefix`, by name (`urls::SitePage::all`), and `search_index`, the
/// folder of the search bundle, so that a theme spells no folder.
fn links(prefix: &str) -> Value {
    let link = |url: String| {
        let mut link = Map::new();
        link.insert("href".into(), Value::from(href_of_url(&url)));
        link.insert("url".into(), Value::from(url));
        Value::from(link)
    };
    let mut links = Map::new();
    for (name, page) in crate::urls::SitePage::all() {
        links.insert(name.into(), link(page.url(prefix)));
    }
    links.insert(
        "search_index".into(),
        link(format!("{}/", crate::urls::BUNDLE_DIR)),
    );
    // A file, not a folder: `href` and `url` are its path.
    let feed = Value::from(crate::urls::feed_path(prefix));
    let mut feed_link = Map::new();
    feed_link.insert("href".into(), feed.clone());
    feed_link.insert("url".into(), feed);
    links.insert("feed".into(), Value::from(feed_link));
    Value::from(links)
}

/// The map page's data in one language: markers link to documents as that
/// language shows them, and to its place pages.
fn map_view(
    graph: &Graph,
    config: &Config,
    summaries: &[Value],
    geography: &Geography,
    points: &[crate::map::Point],
    lang: Option<&str>,
) -> Value {
    let summary = |id: DocId| shown_in(graph, summaries, id, lang);
    let prefix = lang_prefix(lang.unwrap_or_default(), config);
    let place = |written: &str| -> Option<String> {
        let slug = crate::slug::term_slug(written);
        graph
            .places
            .iter()
            .any(|term| term.slug == slug)
            .then(|| term_href(Taxonomy::Places, &slug, &prefix))
    };
    let links = crate::map::Links {
        summary: &summary,
        place: &place,
        lang: lang.unwrap_or(&config.default_language),
        default_language: &config.default_language,
    };
    crate::map::view(graph, geography, points, &links)
}

/// Incidents and dated demand history, oldest first, grouped by year. The
/// notes are those of the demand as `lang` shows it; a note its
/// translation lacks carries the original's language (`note_lang`).
pub(crate) fn timeline(
    graph: &Graph,
    config: &Config,
    shown: &dyn Fn(DocId) -> Value,
    lang: Option<&str>,
) -> Vec<(i16, Value)> {
    #[derive(Serialize)]
    struct Event<'a> {
        date: PartialDate,
        kind: &'static str,
        status: Option<&'static str>,
        note: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        note_lang: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        note_dir: Option<&'static str>,
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
                note_lang: None,
                note_dir: None,
            });
            events.push((incident.date.sort_key(), 0, id, event));
        }
    }
    for id in graph.entries(Collection::Demands) {
        let original = &graph.documents[id];
        let document = &graph.documents[graph
            .get_in(original.kind, &original.slug, lang)
            .unwrap_or(id)];
        if let Fields::Demand(demand) = &document.fields {
            for (i, entry) in demand.history.iter().enumerate() {
                let inherited = document.translation.as_ref().filter(|t| {
                    let field = format!("history.{}.note", i + 1);
                    t.inherited.contains(&field)
                });
                let event = Value::from_serializable(&Event {
                    date: entry.date,
                    kind: "demand",
                    status: Some(entry.status.as_str()),
                    note: Some(&entry.note),
                    note_lang: inherited.map(|t| t.from.as_str()),
                    note_dir: inherited.map(|t| direction_word(config.direction(&t.from))),
                });
                events.push((entry.date.sort_key(), 1, id, event));
            }
        }
    }
    events.sort_by_key(|a| (a.0, a.1, a.2));
    events
        .into_iter()
        .map(|(key, _, id, event)| {
            let mut event = event.into_map().unwrap_or_default();
            event.insert("document".into(), shown(id));
            (key.0, Value::from(event))
        })
        .collect()
}

/// The timeline's events by year: `year` and its `events`, in order.
fn timeline_years(events: &[(i16, Value)]) -> Value {
    let mut years: Vec<(i16, Vec<Value>)> = Vec::new();
    for (year, event) in events {
        match years.last_mut() {
            Some((last, list)) if last == year => list.push(event.clone()),
            _ => years.push((*year, vec![event.clone()])),
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
}

/// A file of the site named in a body of `folder` (under `content/`), as
/// the page whose way back to the root is `root` links it: relative, so
/// that it works under any sub-path and from a folder; an image with the
/// copies `images` makes of it.
fn linked_file(
    graph: &Graph,
    root: &str,
    folder: &str,
    dest: &str,
    image: bool,
) -> Option<crate::markdown::LinkedFile> {
    let crate::markdown::FilePath::Found(path) = crate::markdown::file_path(dest, folder, image)?
    else {
        return None;
    };
    let facts = graph.files.get(&path)?;
    let fragment = dest.find('#').map_or("", |i| &dest[i..]);
    let href = |path: &str| file_href(root, path);
    let picture = facts.dimensions.filter(|_| image).map(|(width, height)| {
        let mut sources: Vec<(String, u32)> = crate::images::variant_widths(width)
            .into_iter()
            .map(|w| (href(&crate::images::variant_path(&path, w)), w))
            .collect();
        if width <= crate::images::WIDTHS[crate::images::WIDTHS.len() - 1] {
            sources.push((href(&path), width));
        }
        let widest = sources.last().map_or(width, |s| s.1);
        crate::markdown::Picture {
            width: widest,
            height: (u64::from(height) * u64::from(widest) / u64::from(width.max(1))) as u32,
            sources,
        }
    });
    Some(crate::markdown::LinkedFile {
        href: format!("{}{fragment}", href(&path)),
        picture,
    })
}

/// A file a body links that is not shown in the page (a PDF, a document):
/// what the page lists of it, so that a reader can check the copy they
/// downloaded against its SHA-256.
#[derive(serde::Serialize)]
struct Attachment {
    name: String,
    href: String,
    size: u64,
    /// The size in kilobytes, rounded up, as the page prints it.
    kilobytes: u64,
    sha256: String,
}

/// The files `body` links, other than the images it shows, each once, in
/// the order first linked.
fn attachments(
    graph: &Graph,
    kept: &[String],
    root: &str,
    folder: &str,
    body: &str,
) -> Vec<Attachment> {
    let mut seen = std::collections::BTreeSet::new();
    crate::markdown::scan_files(body, 0)
        .into_iter()
        .filter(|l| !l.image)
        .filter_map(
            |link| match crate::markdown::file_path(&link.written, folder, false)? {
                crate::markdown::FilePath::Found(path) => Some(path),
                crate::markdown::FilePath::Outside => None,
            },
        )
        .filter(|path| seen.insert(path.clone()))
        .filter_map(|path| attachment(graph, kept, root, &path))
        .collect()
}

/// The file published at `path` (from the output's root) as a page whose
/// way back to the root is `root` lists it, if a document names it: its
/// size and SHA-256 as published, without its metadata unless `kept`
/// (`[build] keep_metadata`) names it.
fn attachment(graph: &Graph, kept: &[String], root: &str, path: &str) -> Option<Attachment> {
    let (size, sha256) = graph
        .files
        .get(path)?
        .published(kept.contains(&path.to_string()));
    Some(Attachment {
        name: path.rsplit('/').next().unwrap_or(path).to_string(),
        href: file_href(root, path),
        size,
        kilobytes: size.div_ceil(1024),
        sha256: sha256.to_string(),
    })
}

/// The link from a page whose way back to the root is `root` to the file
/// published at `path`.
fn file_href(root: &str, path: &str) -> String {
    let encoded = percent_encoding::utf8_percent_encode(path, crate::images::PATH_ESCAPES);
    format!("{root}{encoded}")
}
