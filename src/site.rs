//! The build pipeline, as a table of contents: load config → discover →
//! parse → link → check → plan → render → write.
//!
//! Each stage is a function of the previous stage's data. Problems found in
//! the site are gathered from every stage and reported together; the output
//! folder is only touched once no stage has found an error.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::checks::{ArchiveHashes, check_documents};
use crate::cite;
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::discover::{self, Asset, Discovered, SiteDirs, SourceFile};
use crate::export;
use crate::front_matter;
use crate::geography::{self, Geography};
use crate::glossary;
use crate::graph::{self, Graph};
use crate::history::History;
use crate::i18n::Strings;
use crate::markdown;
use crate::model::{self, DocKind, Document, Unread};
use crate::render::{self, Renderer, SiteData};
use crate::search;
use crate::trust;
use crate::urls::{self, Planned, check_collisions};
use crate::write::{self, Staging};
use tera::Tera;

#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder, holding `site.toml`.
    pub root: PathBuf,
    /// Publish documents marked `draft: true`.
    pub drafts: bool,
    pub mode: Mode,
    /// Replaces `base_url` from site.toml for this build (a deploy preview
    /// published at another address).
    pub base_url: Option<String>,
    /// Signs the published manifest (`manifest.txt.minisig`).
    pub sign: Option<Arc<crate::sign::Signer>>,
    /// Warnings stop the build as errors do (`--strict`); `[check] strict`
    /// in site.toml asks for it too.
    pub strict: bool,
}

/// What a build does once every stage has run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Every stage, rendering included, and nothing written.
    Check,
    /// Write the site into `output`, or into `build.output_dir` from
    /// site.toml when it is `None`.
    Publish { output: Option<PathBuf> },
}

#[derive(Debug)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
    pub files: usize,
    /// Where the site was published, when it was.
    pub output: Option<PathBuf>,
    pub elapsed: Duration,
    /// How long each stage took, in order, for `--timings`.
    pub stages: Vec<(&'static str, Duration)>,
    /// How the bodies of incidents, demands and figures are sourced.
    pub sourcing: cite::Tally,
    /// What the reader of the build's output should know that is not a
    /// problem in the site: why pages show no change history.
    pub notes: Vec<String>,
    /// Whether warnings failed the build too (`--strict` or `[check]
    /// strict`).
    pub strict: bool,
}

/// Times the stages of a build.
struct Stopwatch {
    started: Instant,
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
    /// The sourcing tally, known once the site is linked.
    sourcing: cite::Tally,
    notes: Vec<String>,
    strict: bool,
}

impl Stopwatch {
    fn start() -> Stopwatch {
        let now = Instant::now();
        Stopwatch {
            started: now,
            last: now,
            stages: Vec::new(),
            sourcing: cite::Tally::default(),
            notes: Vec::new(),
            strict: false,
        }
    }

    /// The report of a build that ends here: `pages` and `files` counted,
    /// `output` where they were written (when they were).
    fn report(
        &self,
        mut diagnostics: Vec<Diagnostic>,
        counts: (usize, usize),
        output: Option<PathBuf>,
    ) -> Report {
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Report {
            diagnostics,
            pages: counts.0,
            files: counts.1,
            output,
            elapsed: self.started.elapsed(),
            stages: self.stages.clone(),
            sourcing: self.sourcing,
            notes: self.notes.clone(),
            strict: self.strict,
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    pub fn succeeded(&self) -> bool {
        self.errors() == 0 && !self.failed_by_strictness()
    }

    /// Whether only warnings failed the build, because it was strict.
    pub fn failed_by_strictness(&self) -> bool {
        self.strict && self.errors() == 0 && self.warnings() > 0
    }
}

/// A site read, parsed and linked: the state of every stage up to the plan
/// of pages. A build loads one and renders it once; `serve` keeps one and
/// updates it file by file.
#[derive(Clone)]
pub struct Site {
    pub root: PathBuf,
    pub dirs: SiteDirs,
    pub config: Config,
    pub include_drafts: bool,
    /// What discovery found besides documents: templates, assets, static
    /// files, interface strings, and problems with the site's files.
    pub found: Discovered,
    /// Problems found reading or parsing each Markdown file, by path.
    pub file_problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Documents marked `draft: true`, left out of this build.
    pub drafts: Vec<Arc<Document>>,
    /// Documents whose front matter could not be read in full, by path.
    broken: BTreeMap<PathBuf, Arc<Unread>>,
    /// Translation files, by path: read against their originals each time
    /// the site is linked, since they inherit the originals' facts.
    translations: BTreeMap<PathBuf, SourceFile>,
    pub graph: Graph,
    pub pages: Vec<Planned>,
    pub strings: Arc<Strings>,
    /// `None` when the templates have errors.
    pub tera: Option<Tera>,
    /// The theme's or the site's geography, which the places are checked
    /// against.
    pub geography: Option<Arc<Geography>>,
    /// What the maps are drawn on: the geography, else a frame around the
    /// incidents' coordinates (`geography::around_incidents`); without
    /// either there is no map.
    pub map: Option<Arc<Geography>>,
    theme_problems: Vec<Diagnostic>,
    /// The archived copies' hashes, read once for this load of the site.
    pub archives: Arc<ArchiveHashes>,
    /// Problems of the site as a whole: references, checks, collisions.
    linked_problems: Vec<Diagnostic>,
    /// Each document's change history; read by `build` and `serve`, empty
    /// until then.
    pub history: Arc<History>,
}

impl Site {
    /// Loads the site at `root`: config, discovery, parsing, linking,
    /// checks, plan and templates. `Err(diagnostics)` when `site.toml`
    /// itself cannot be read; `Err` of the outer result for failures of the
    /// machine.
    pub fn load(
        root: &Path,
        include_drafts: bool,
    ) -> anyhow::Result<Result<Site, Vec<Diagnostic>>> {
        // Load config.
        let root = write::absolute(root)?;
        let config_text = discover::read_config(&root)?;
        let config = match Config::parse(Path::new(crate::config::FILE_NAME), &config_text) {
            Ok(config) => config,
            Err(problems) => return Ok(Err(problems)),
        };

        // Discover.
        let mut dirs = SiteDirs::new(&root, &config.theme);
        dirs.max_file_bytes = config.build.max_file_size;
        dirs.publish_active =
            config.build.active_attachments == crate::config::ActiveAttachments::Publish;
        let languages: Vec<&str> = config.languages.keys().map(String::as_str).collect();
        let mut found = discover::discover(&dirs, &languages, &config.default_language);
        let (translations, files): (Vec<SourceFile>, Vec<SourceFile>) =
            std::mem::take(&mut found.documents)
                .into_iter()
                .partition(|file| file.lang.is_some());
        let translations = translations
            .into_iter()
            .map(|file| (file.path.clone(), file))
            .collect();
        let mut file_problems: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        found
            .problems
            .retain(|problem| match problem.location.as_ref().map(|l| &l.path) {
                Some(path) if is_content_markdown(path) => {
                    file_problems
                        .entry(path.clone())
                        .or_default()
                        .push(problem.clone());
                    false
                }
                _ => true,
            });

        // Parse.
        let mut documents = Vec::new();
        let mut drafts = Vec::new();
        let mut broken = BTreeMap::new();
        for (path, document, problems) in parse(files, config.markdown.raw_html) {
            file_problems
                .entry(path.clone())
                .or_default()
                .extend(problems);
            match document {
                Ok(d) if d.common.draft && !include_drafts => drafts.push(Arc::new(d)),
                Ok(d) => documents.push(Arc::new(d)),
                Err(unread) => {
                    broken.insert(path, Arc::new(unread));
                }
            }
        }

        // Geography, templates and interface strings (the names of the
        // geography's regions are strings too).
        let (mut strings, mut theme_problems) =
            Strings::parse(&found.strings, &config.default_language);
        theme_problems.extend(config.warnings(Path::new(crate::config::FILE_NAME), &config_text));
        let geography = match found.geography.as_ref().map(Geography::parse) {
            Some(Ok(geography)) => Some(Arc::new(geography)),
            Some(Err(problem)) => {
                theme_problems.push(problem);
                None
            }
            None => None,
        };
        if let Some(geography) = &geography {
            strings.add_places(geography);
            if let Some(division) = &geography.division {
                strings.use_division(division);
            }
        }
        let strings = Arc::new(strings);
        let tera = match render::load_templates(&found.templates, &config, &strings) {
            Ok(tera) => Some(tera),
            Err(problems) => {
                theme_problems.extend(problems);
                None
            }
        };

        let mut site = Site {
            map: geography.clone(),
            geography,
            root,
            dirs,
            config,
            include_drafts,
            found,
            file_problems,
            drafts,
            broken,
            translations,
            graph: graph::link(Vec::new(), &[], &[]).0,
            pages: Vec::new(),
            strings,
            tera,
            theme_problems,
            archives: Arc::default(),
            linked_problems: Vec::new(),
            history: Arc::default(),
        };
        site.relink(documents);
        Ok(Ok(site))
    }

    /// Link, check and plan: the stages that look at the whole dossier.
    fn relink(&mut self, mut documents: Vec<Arc<Document>>) {
        let mut problems = self.translate(&mut documents);
        let unread: Vec<Arc<Unread>> = self.broken.values().cloned().collect();
        let (mut graph, link_problems) = graph::link(documents, &self.drafts, &unread);
        problems.extend(link_problems);
        let check = &self.config.check;
        problems.extend(check_documents(
            &graph,
            &self.dirs.content,
            &self.archives,
            check,
        ));
        problems.extend(crate::checks::check_corrections(&graph, today()));
        problems.extend(crate::checks::check_placeholders(&graph, &unread));
        let (file_problems, files) = self.check_files(&graph);
        problems.extend(file_problems);
        graph.files = files;
        problems.extend(geography::check(&graph, self.geography.as_deref()));
        let (glossaries, glossary_problems) = glossary::parse(&self.found.glossaries);
        problems.extend(glossary_problems);
        problems.extend(glossary::check(
            &glossaries,
            &graph,
            &self.strings,
            &self.found.strings,
            &self.config.default_language,
        ));
        problems.extend(cite::check_keys(&graph, &unread));
        if check.uncited_paragraphs == crate::config::Strictness::Warn {
            problems.extend(cite::check_paragraphs(&graph));
        }
        self.map = self
            .geography
            .clone()
            .or_else(|| geography::around_incidents(&graph).map(Arc::new));
        let pages = urls::plan(&graph, &self.config, self.map.is_some());
        problems.extend(check_collisions(
            &pages,
            &self.found.assets,
            &self.found.static_files,
            self.config.build.search,
        ));
        if let Some(tera) = &self.tera {
            problems.extend(render::check_templates(tera, &pages, &self.config));
        }
        // Interface strings a published language lacks, once each.
        let published: BTreeSet<&str> = pages.iter().filter_map(|p| p.lang.as_deref()).collect();
        for lang in published {
            problems.extend(self.strings.missing(lang, &self.found.strings));
        }
        self.graph = graph;
        self.pages = pages;
        self.linked_problems = problems;
    }

    /// Reads every translation against its original and adds the
    /// translated documents to `documents`. A translation whose original
    /// is missing is read on its own, so that linking reports it; one whose
    /// original could not be read waits for the original's error to be
    /// fixed.
    fn translate(&mut self, documents: &mut Vec<Arc<Document>>) -> Vec<Diagnostic> {
        let originals: HashMap<(DocKind, &str), &Arc<Document>> = documents
            .iter()
            .chain(&self.drafts)
            .filter(|d| d.lang.is_empty())
            .map(|d| ((d.kind, d.slug.as_str()), d))
            .collect();
        let broken: HashSet<(DocKind, &str)> = self
            .broken
            .values()
            .map(|u| (u.kind, u.slug.as_str()))
            .collect();
        let default = &self.config.default_language;
        let name_of = |code: &str| {
            self.config
                .languages
                .get(code)
                .map_or(code, |l| l.name.as_str())
                .to_string()
        };
        let mut translated = Vec::new();
        let mut orphans = Vec::new();
        let mut problems = Vec::new();
        for file in self.translations.values() {
            let lang = file.lang.clone().unwrap_or_default();
            let Some(original) = originals.get(&(file.kind, file.slug.as_str())) else {
                if !broken.contains(&(file.kind, file.slug.as_str())) {
                    orphans.push(file.clone());
                }
                continue;
            };
            let (from_name, to_name) = (name_of(default), name_of(&lang));
            let names = model::LanguageNames {
                from: default,
                from_name: &from_name,
                to_name: &to_name,
            };
            let (document, found) = model::read_translation(
                original,
                &names,
                lang,
                file.path.clone(),
                file.text.clone(),
            );
            problems.extend(found);
            if let Some(mut document) = document {
                let own_body = &document.source[document.body_start..];
                document.body_links = markdown::scan_links(own_body, document.body_start);
                document.citations = cite::scan(own_body, document.body_start);
                problems.extend(markdown::check_policy(
                    &document.path,
                    &document.source,
                    document.body_start,
                    self.config.markdown.raw_html,
                ));
                let held_back = (document.common.draft
                    || self.drafts.iter().any(|d| Arc::ptr_eq(d, original)))
                    && !self.include_drafts;
                if !held_back {
                    translated.push(Arc::new(document));
                }
            }
        }
        for (_, document, found) in parse(orphans, self.config.markdown.raw_html) {
            problems.extend(found);
            if let Ok(document) = document {
                translated.push(Arc::new(document));
            }
        }
        documents.extend(translated);
        problems
    }

    /// Re-reads Markdown files under `content/` that were added, changed or
    /// removed (paths relative to the site root), then relinks. Returns the
    /// documents whose pages may show something different: the changed
    /// ones and every document linked to them, before or after the change.
    pub fn update_documents(&mut self, paths: &[PathBuf]) -> Vec<(DocKind, String)> {
        let languages: Vec<String> = self.config.languages.keys().cloned().collect();
        let languages: Vec<&str> = languages.iter().map(String::as_str).collect();
        // What the changed files linked to, and what linked to them, is read
        // from the graph as it was, before anything of it is taken apart.
        let mut touched = neighbours(&self.graph, &self.graph.documents, paths);
        let mut documents = std::mem::take(&mut self.graph.documents);
        for path in paths {
            // Compared as bytes: `Path` equality walks components.
            documents.retain(|d| d.path.as_os_str() != path.as_os_str());
            self.drafts
                .retain(|d| d.path.as_os_str() != path.as_os_str());
            self.file_problems.remove(path);
            self.broken.remove(path);
            let read = discover::read_document_file(
                &self.dirs,
                path,
                &languages,
                &self.config.default_language,
            );
            self.translations.remove(path);
            let file = match read {
                Ok(Some(file)) if file.lang.is_some() => {
                    touched.insert((file.kind, file.slug.clone()));
                    self.translations.insert(path.clone(), file);
                    continue;
                }
                Ok(Some(file)) => file,
                Ok(None) => continue,
                Err(problem) => {
                    self.file_problems.insert(path.clone(), vec![problem]);
                    continue;
                }
            };
            for (path, document, problems) in parse(vec![file], self.config.markdown.raw_html) {
                self.file_problems.insert(path.clone(), problems);
                match document {
                    Ok(d) => {
                        touched.insert((d.kind, d.slug.clone()));
                        if d.common.draft && !self.include_drafts {
                            self.drafts.push(Arc::new(d));
                        } else {
                            documents.push(Arc::new(d));
                        }
                    }
                    Err(unread) => {
                        self.broken.insert(path, Arc::new(unread));
                    }
                }
            }
        }
        // The graph held the translations too; `relink` reads each again
        // from `self.translations`.
        documents.retain(|d| !self.translations.contains_key(&d.path));
        self.relink(documents);
        let after = neighbours(&self.graph, &self.graph.documents, paths);
        touched.extend(after);
        touched.into_iter().collect()
    }

    /// Every problem known, sorted by file and position.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let mut problems: Vec<Diagnostic> = self.every_problem().cloned().collect();
        problems.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        problems
    }

    pub fn has_errors(&self) -> bool {
        self.every_problem().any(Diagnostic::is_error)
    }

    fn every_problem(&self) -> impl Iterator<Item = &Diagnostic> {
        self.found
            .problems
            .iter()
            .chain(self.file_problems.values().flatten())
            .chain(&self.theme_problems)
            .chain(&self.linked_problems)
    }

    /// Files copied as they are: content assets and static files, less the
    /// archived copies of draft sources that no published source names
    /// (a witness statement awaiting consent stays unpublished, and
    /// unlisted, with its draft).
    pub fn copies(&self) -> impl Iterator<Item = &Asset> {
        let held_back = self.drafts_archives();
        self.found
            .assets
            .iter()
            .filter(move |asset| !held_back.contains(asset.output.as_str()))
            .chain(&self.found.static_files)
    }

    /// The images and attachments bodies name, checked against the files
    /// published, each read once per loaded site (`ArchiveHashes`).
    fn check_files(
        &self,
        graph: &Graph,
    ) -> (Vec<Diagnostic>, BTreeMap<String, crate::images::FileFacts>) {
        let copies: BTreeMap<&str, &Asset> = self
            .copies()
            .map(|asset| (asset.output.as_str(), asset))
            .collect();
        let published: BTreeSet<&str> = copies.keys().copied().collect();
        let facts = |output: &str| {
            let asset = copies.get(output)?;
            match asset.embedded {
                Some(bytes) => Some(crate::images::FileFacts::of(output, bytes)),
                None => self
                    .archives
                    .facts(&self.root, output, &asset.absolute)
                    .ok(),
            }
        };
        let (problems, mut files) =
            crate::images::check_files(&graph.documents, &published, &facts);
        // The archived copies too, which their sources' pages list the
        // same way (their own checks are `checks::check_archive`'s).
        for document in &graph.documents {
            if let model::Fields::Source(source) = &document.fields
                && let Some(file) = source.archive.as_ref().and_then(|a| a.file.as_deref())
                && let Some(found) = facts(file)
            {
                files.insert(file.to_string(), found);
            }
        }
        (problems, files)
    }

    /// The archived copies (`archive.file`) only drafts name.
    fn drafts_archives(&self) -> BTreeSet<&str> {
        fn archived(document: &Document) -> Option<&str> {
            match &document.fields {
                model::Fields::Source(source) => source.archive.as_ref()?.file.as_deref(),
                _ => None,
            }
        }
        if self.drafts.is_empty() {
            return BTreeSet::new();
        }
        let published: BTreeSet<&str> = self
            .graph
            .documents
            .iter()
            .filter_map(|d| archived(d))
            .collect();
        self.drafts
            .iter()
            .filter_map(|d| archived(d))
            .filter(|file| !published.contains(file))
            .collect()
    }
}

/// Whether a path (relative to the site root) is a Markdown file of
/// `content/`.
pub fn is_content_markdown(path: &Path) -> bool {
    path.starts_with("content") && path.extension().is_some_and(|e| e == "md")
}

/// The documents at `paths` and every document linked to them either way.
fn neighbours(
    graph: &Graph,
    documents: &[Arc<Document>],
    paths: &[PathBuf],
) -> BTreeSet<(DocKind, String)> {
    let mut found = BTreeSet::new();
    let paths: HashSet<&std::ffi::OsStr> = paths.iter().map(|p| p.as_os_str()).collect();
    for document in documents
        .iter()
        .filter(|d| paths.contains(d.path.as_os_str()))
    {
        found.insert((document.kind, document.slug.clone()));
        for reference in &document.references {
            found.insert((DocKind::Entry(reference.target), reference.slug.clone()));
        }
        for link in &document.body_links {
            let internal = &link.target[crate::markdown::INTERNAL_PREFIX.len()..];
            if let Some(target) =
                graph::parse_internal_path(crate::markdown::split_fragment(internal).0)
            {
                found.insert(target);
            }
        }
        if let Some(id) = graph.get(document.kind, &document.slug)
            && let Some(backlinks) = graph.backlinks.get(id)
        {
            for backlink in backlinks {
                if let Some(from) = graph.documents.get(backlink.from) {
                    found.insert((from.kind, from.slug.clone()));
                }
            }
        }
    }
    found
}

/// Today's date in UTC: the one reading of the clock in a build, for the
/// check that no correction is dated in the future. It decides nothing
/// that is published.
fn today() -> model::PartialDate {
    let date = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    model::PartialDate {
        year: date.year(),
        month: Some(date.month() as u8),
        day: Some(date.day() as u8),
    }
}

/// Builds a site. `Err` is for failures of the machine (a folder that cannot
/// be written); problems in the site are in the report.
pub fn build(options: &Options) -> anyhow::Result<Report> {
    let mut clock = Stopwatch::start();
    let mut site = match Site::load(&options.root, options.drafts)? {
        Ok(site) => site,
        Err(problems) => return Ok(clock.report(problems, (0, 0), None)),
    };
    let strict = options.strict || site.config.check.strict;
    clock.strict = strict;
    // What stops the build before anything is written.
    let stops = |problem: &Diagnostic| problem.is_error() || strict;
    let refused_base_url = (options.base_url.as_deref()).and_then(crate::config::check_base_url);
    if let Some(base_url) = options
        .base_url
        .clone()
        .filter(|_| refused_base_url.is_none())
    {
        // Only rendering and the exports read it, so replacing it after
        // loading changes every absolute URL and nothing else.
        site.config.base_url = Some(base_url);
    }
    clock.lap("load, parse, link, check");
    site.history = Arc::new(History::read(&site.root));
    clock.notes.extend(site.history.note.clone());
    if site.config.base_url.is_none() {
        clock.notes.push(crate::share::WITHOUT_BASE_URL.to_string());
    }
    clock.lap("git history");
    clock.sourcing = cite::Tally::of(&site.graph);
    let mut problems = site.problems();
    problems.extend(refused_base_url);
    let output = match &options.mode {
        Mode::Check => None,
        Mode::Publish { output } => match output_folder(&site, output.as_deref())? {
            Ok(output) => Some(output),
            Err(refusal) => {
                problems.push(refusal);
                None
            }
        },
    };
    if let Some(output) = &output {
        problems.extend(prepare_output(&site, output)?);
    }
    let tera = site.tera.as_ref();
    let Some(tera) = tera.filter(|_| !problems.iter().any(stops)) else {
        return Ok(clock.report(problems, (0, 0), None));
    };
    let mut data = SiteData::new(&site.graph, &site.config, &site.pages, site.map.clone());
    // The files made from the whole site, before the pages: the data
    // pages give their sizes.
    let generated = output.as_ref().map(|_| generated_files(&site));
    if let Some(generated) = &generated {
        data.file_sizes = file_sizes(generated);
    }
    clock.lap("site-wide data");
    let renderer = Renderer {
        tera,
        templates: &site.found.templates,
        graph: &site.graph,
        config: &site.config,
        data: &data,
        strings: &site.strings,
        history: &site.history,
    };
    let counts = (site.pages.len(), site.copies().count());
    let Some(output) = output else {
        problems.extend(renderer.render_all(&site.pages, &|_, _| Ok(()))?);
        clock.lap("render");
        return Ok(clock.report(problems, counts, None));
    };
    let staging = Staging::create(&output, &site.config.build.keep)?;
    let generated = generated.unwrap_or_default();
    match publish(&site, &renderer, &staging, generated, &mut clock) {
        Ok(render_problems) => problems.extend(render_problems),
        Err(error) => {
            staging.abandon();
            return Err(error);
        }
    }
    if problems.iter().any(stops) {
        staging.abandon();
        return Ok(clock.report(problems, (0, 0), None));
    }
    staging.write_manifest(options.sign.as_deref())?;
    staging.commit()?;
    clock.lap("swap into place");
    Ok(clock.report(problems, counts, Some(output)))
}

/// The absolute output folder: the one asked for on the command line
/// (anywhere its caller chooses), or `build.output_dir`, which the site's
/// own files set and so may only name a folder inside the site, reached
/// through no link.
fn output_folder(site: &Site, asked: Option<&Path>) -> anyhow::Result<Result<PathBuf, Diagnostic>> {
    let output = match asked {
        Some(output) => output.to_path_buf(),
        None => match trust::output_in_site(&site.root, &site.config.build.output_dir) {
            Ok(output) => output,
            Err(message) => {
                return Ok(Err(Diagnostic::error(Code::OutputRefused, message)
                    .in_file(Path::new(crate::config::FILE_NAME))
                    .hint("name a folder inside the site, such as `public`; to publish elsewhere, pass `--output` on the command line")));
            }
        },
    };
    Ok(Ok(write::absolute(&output)?))
}

/// Checks the output folder, first where it is (before its lock file is
/// made beside it), then, with what killed builds left repaired, what it
/// holds. Returns the problems: a refusal, and folders named like a
/// build's leftovers that no build here made, which were left alone.
fn prepare_output(site: &Site, output: &Path) -> anyhow::Result<Vec<Diagnostic>> {
    let refused = |write::Refusal(message, hint)| {
        vec![Diagnostic::error(Code::OutputRefused, message).hint(hint)]
    };
    if let Err(refusal) = write::check_output_place(output, &site.root) {
        return Ok(refused(refusal));
    }
    // A build killed inside the swap leaves the published site aside;
    // put it back before anything else looks at the output folder.
    let mut problems: Vec<Diagnostic> = write::recover(output)?
        .into_iter()
        .map(|folder| {
            Diagnostic::warning(
                Code::UnknownLeftover,
                format!(
                    "`{}` is named like a folder a build left beside the output, but no build here made it; it was left alone",
                    folder.display()
                ),
            )
            .hint("if it holds nothing you need, delete it; it is never published, deleted or put in place by a build")
        })
        .collect();
    if let Err(refusal) = write::check_output(output, &site.root, &site.config.build.keep) {
        problems.extend(refused(refusal));
    }
    Ok(problems)
}

/// Renders every page into `staging`, with the search index built as the
/// pages it indexes render, then the copied files and the exports. Returns
/// the problems met while rendering.
fn publish(
    site: &Site,
    renderer: &Renderer,
    staging: &Staging,
    generated: Vec<(String, Vec<u8>)>,
    clock: &mut Stopwatch,
) -> anyhow::Result<Vec<Diagnostic>> {
    let (graph, config) = (&site.graph, &site.config);
    let write = |page: &Planned, bytes: &[u8]| staging.write(&page.output, bytes);
    let pages = || -> anyhow::Result<Indexed> {
        if config.build.search {
            let (indexed, rest): (Vec<&Planned>, Vec<&Planned>) = site
                .pages
                .iter()
                .partition(|page| urls::is_indexed(graph, page));
            let (rest, bundles) = rayon::join(
                || renderer.render_all(rest, &write),
                || index_while_rendering(site, renderer, &indexed, &write),
            );
            let (bundles, mut problems) = bundles?;
            problems.extend(rest?);
            Ok((bundles, problems))
        } else {
            Ok((Vec::new(), renderer.render_all(&site.pages, &write)?))
        }
    };
    // Share images are drawn beside the pages, on the same pool.
    let (pages, shared) = rayon::join(pages, || write_share_images(site, staging));
    let (bundles, problems) = pages?;
    shared?;
    clock.lap("render and write pages, search index, share images");
    let (images, copies): (Vec<&Asset>, Vec<&Asset>) = site
        .copies()
        .partition(|asset| crate::images::format_of(&asset.output).is_some());
    copies
        .par_iter()
        .try_for_each(|asset| staging.copy(asset))?;
    clock.lap("copy files");
    let mut problems = problems;
    let published = images
        .par_iter()
        .map(|asset| publish_image(site, staging, asset))
        .collect::<anyhow::Result<Vec<_>>>()?;
    for (asset, image) in images.iter().zip(published) {
        if !image.removed.is_empty() {
            let kinds: Vec<&str> = image.removed.iter().map(|k| k.name()).collect();
            clock.notes.push(format!(
                "removed {} metadata from {}",
                kinds.join(", "),
                asset.path.display()
            ));
        }
        if let Some(problem) = image.problem {
            problems.push(
                Diagnostic::warning(
                    Code::ImageNotResized,
                    format!("no smaller copies of this image could be made: {problem}"),
                )
                .in_file(&asset.path)
                .hint("open it in an image editor and save it again as JPEG, PNG or WebP; it is published as it is"),
            );
        }
    }
    clock.lap("images");
    for (path, bytes) in generated {
        staging.write(&path, &bytes)?;
    }
    for (path, bytes) in bundles {
        staging.write(&path, &bytes)?;
    }
    clock.lap("exports, search bundles");
    Ok(problems)
}

/// Publishes an image into `staging` (see [`published_image`]).
fn publish_image(
    site: &Site,
    staging: &Staging,
    asset: &Asset,
) -> anyhow::Result<crate::images::Published> {
    let published = published_image(site, asset)?;
    for (path, bytes) in &published.files {
        staging.write(path, bytes)?;
    }
    Ok(published)
}

/// An image as published: without its metadata unless `[build]
/// keep_metadata` names it, and with its smaller copies (at
/// [`image_widths`]). `serve` serves the same.
pub(crate) fn published_image(
    site: &Site,
    asset: &Asset,
) -> anyhow::Result<crate::images::Published> {
    let bytes = match asset.embedded {
        Some(bytes) => bytes.to_vec(),
        None => discover::read_bytes(&site.root, &asset.absolute)
            .map_err(|error| anyhow::anyhow!("cannot read {}: {error}", asset.path.display()))?,
    };
    let keep = site.config.build.keep_metadata.contains(&asset.output);
    Ok(crate::images::publish(
        &asset.output,
        &bytes,
        keep,
        &image_widths(site, asset),
    ))
}

/// The widths of an image's smaller copies: those of `images::WIDTHS`
/// narrower than it, when a body shows it; none otherwise.
pub(crate) fn image_widths(site: &Site, asset: &Asset) -> Vec<u32> {
    site.graph
        .files
        .get(&asset.output)
        .and_then(|facts| facts.dimensions)
        .map_or(Vec::new(), |(width, _)| {
            crate::images::variant_widths(width)
        })
}

/// Draws each page's share image that the page is the one drawn for, in
/// parallel, and writes it into `staging`.
fn write_share_images(site: &Site, staging: &Staging) -> anyhow::Result<()> {
    site.pages.par_iter().with_max_len(1).try_for_each(|page| {
        match crate::share::image(&site.graph, &site.config, &site.strings, page) {
            Some((path, bytes)) => staging.write(&path, &bytes),
            None => Ok(()),
        }
    })
}

/// The files a build makes from the whole site rather than from one page:
/// the exports, then each search page's folder index. `serve` makes them
/// here too.
pub(crate) fn generated_files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut files = export::files(&site.graph, &site.config, &site.pages, &site.history);
    files.extend(export::feeds(
        &site.graph,
        &site.config,
        &site.strings,
        &site.pages,
    ));
    files.extend(crate::folder_search::files(
        &site.graph,
        &site.config,
        &site.strings,
        &site.pages,
    ));
    files
}

/// The size of each of `files`, by path.
pub(crate) fn file_sizes(files: &[(String, Vec<u8>)]) -> std::collections::BTreeMap<String, u64> {
    files
        .iter()
        .map(|(path, bytes)| (path.clone(), bytes.len() as u64))
        .collect()
}

/// Search bundle files (path in the output, bytes) and the problems met
/// rendering the pages they index.
type Indexed = (Vec<(String, Vec<u8>)>, Vec<Diagnostic>);

/// Renders the pages search indexes, bundle by bundle in parallel: each
/// bundle's pages render in URL order on one thread, are written, and are
/// indexed at once, so no page's HTML is held and the index grows as the
/// pages render. Only the bundles being built are in memory; each is
/// turned into its files as soon as its last page is indexed. Returns the
/// bundles' files and the problems met.
fn index_while_rendering(
    site: &Site,
    renderer: &Renderer,
    pages: &[&Planned],
    write: &(dyn Fn(&Planned, &[u8]) -> anyhow::Result<()> + Sync),
) -> anyhow::Result<Indexed> {
    let (graph, config) = (&site.graph, &site.config);
    let mut pages = pages.to_vec();
    pages.sort_by(|a, b| a.output.cmp(&b.output));
    let dealt = search::deal(pages, urls::search_bundles(&site.pages), |page| {
        page.lang.as_deref().unwrap_or(&config.default_language)
    });
    let built: Vec<anyhow::Result<Indexed>> = dealt
        .into_par_iter()
        .enumerate()
        .with_max_len(1)
        .map(|(i, pages)| {
            let mut indexer = search::Indexer::new()?;
            let mut problems = Vec::new();
            for page in pages {
                match renderer.render(page) {
                    Ok(html) => {
                        write(page, html.as_bytes())?;
                        if let Some(entry) =
                            search_entry(graph, config, &site.strings, page, html.as_bytes())
                        {
                            indexer.add(entry)?;
                        }
                    }
                    Err(problem) => problems.push(problem),
                }
            }
            Ok((indexer.files(i)?, problems))
        })
        .collect();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for result in built {
        let (bundle, found) = result?;
        files.extend(bundle);
        problems.extend(found);
    }
    Ok((files, problems))
}

/// What search indexes of a rendered page: document pages only, not lists.
pub(crate) fn search_entry(
    graph: &Graph,
    config: &Config,
    strings: &Strings,
    page: &Planned,
    bytes: &[u8],
) -> Option<search::Entry> {
    let urls::Job::Document(id) = page.job else {
        return None;
    };
    if graph.documents[id].kind == DocKind::Home {
        return None;
    }
    let lang = page.lang.as_deref().unwrap_or(&config.default_language);
    let html = String::from_utf8_lossy(bytes);
    let title = &graph.documents[id].common.title;
    Some(search::entry(
        format!("/{}", page.output),
        &html,
        lang,
        title,
        search::filters(
            graph,
            id,
            &search::Words {
                strings,
                lang,
                digits: config.digits(lang),
            },
        ),
    ))
}

/// A parsed file: its path, the kind and slug its name gives, the document
/// when it could be read, and the problems found in it.
type Parsed = (PathBuf, Result<Document, Unread>, Vec<Diagnostic>);

/// Parses documents in parallel, each with the problems found in it.
fn parse(files: Vec<SourceFile>, raw_html: crate::policy::RawHtml) -> Vec<Parsed> {
    files
        .into_par_iter()
        .map(|file| {
            let path = file.path.clone();
            let parts = match front_matter::split(&file.path, &file.text) {
                Ok(parts) => parts,
                Err(problem) => {
                    let unread = Unread {
                        kind: file.kind,
                        slug: file.slug,
                        path: file.path,
                        source: file.text,
                        body_start: 0,
                        references: Vec::new(),
                        body_links: Vec::new(),
                        citations: Default::default(),
                    };
                    return (path, Err(unread), vec![problem]);
                }
            };
            let lang = file.lang.unwrap_or_default();
            let (document, mut problems) =
                model::read_document(file.kind, file.slug, lang, file.path, file.text, &parts);
            let document = match document {
                Ok(mut d) => {
                    d.body_links = markdown::scan_links(d.body(), d.body_start);
                    d.citations = cite::scan(d.body(), d.body_start);
                    problems.extend(markdown::check_policy(
                        &d.path,
                        &d.source,
                        d.body_start,
                        raw_html,
                    ));
                    Ok(d)
                }
                Err(mut u) => {
                    u.body_links = markdown::scan_links(&u.source[u.body_start..], u.body_start);
                    u.citations = cite::scan(&u.source[u.body_start..], u.body_start);
                    problems.extend(markdown::check_policy(
                        &u.path,
                        &u.source,
                        u.body_start,
                        raw_html,
                    ));
                    Err(u)
                }
            };
            (path, document, problems)
        })
        .collect()
}
