//! The build pipeline, as a table of contents: load config → discover →
//! parse → link → check → plan → render → write.
//!
//! Each stage is a function of the previous stage's data. Problems found in
//! the site are gathered from every stage and reported together; the output
//! folder is only touched once no stage has found an error.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::checks::check_documents;
use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::discover::{self, Asset, Discovered, SiteDirs, SourceFile};
use crate::export;
use crate::front_matter;
use crate::geography::{self, Geography};
use crate::graph::{self, Graph};
use crate::i18n::Strings;
use crate::markdown;
use crate::model::{self, DocKind, Document, Unread};
use crate::render::{self, Renderer, SiteData};
use crate::search;
use crate::urls::{self, Planned, check_collisions};
use crate::write::{self, Staging};
use tera::Tera;

#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder, holding `site.toml`.
    pub root: PathBuf,
    /// Where to publish; `build.output_dir` from site.toml when absent.
    pub output: Option<PathBuf>,
    /// Publish documents marked `draft: true`.
    pub drafts: bool,
    /// `false` runs every stage, rendering included, but writes nothing.
    pub write: bool,
    /// Replaces `base_url` from site.toml for this build (a deploy preview
    /// published at another address).
    pub base_url: Option<String>,
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
}

/// Times the stages of a build.
struct Stopwatch {
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
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
        self.errors() == 0
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
    pub graph: Graph,
    pub pages: Vec<Planned>,
    pub strings: Arc<Strings>,
    /// `None` when the templates have errors.
    pub tera: Option<Tera>,
    /// The theme's or the site's geography; without one there is no map.
    pub geography: Option<Arc<Geography>>,
    theme_problems: Vec<Diagnostic>,
    /// Problems of the site as a whole: references, checks, collisions.
    linked_problems: Vec<Diagnostic>,
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
        let dirs = SiteDirs::new(&root, &config.theme);
        let languages: Vec<&str> = config.languages.keys().map(String::as_str).collect();
        let mut found = discover::discover(&dirs, &languages, &config.default_language);
        let files = std::mem::take(&mut found.documents);
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
        for (path, document, problems) in parse(files) {
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

        // Templates and interface strings.
        let (strings, mut theme_problems) =
            Strings::parse(&found.strings, &config.default_language);
        let strings = Arc::new(strings);
        let tera = match render::load_templates(&found.templates, &config, &strings) {
            Ok(tera) => Some(tera),
            Err(problems) => {
                theme_problems.extend(problems);
                None
            }
        };

        let geography = match found.geography.as_ref().map(Geography::parse) {
            Some(Ok(geography)) => Some(Arc::new(geography)),
            Some(Err(problem)) => {
                theme_problems.push(problem);
                None
            }
            None => None,
        };

        let mut site = Site {
            geography,
            root,
            dirs,
            config,
            include_drafts,
            found,
            file_problems,
            drafts,
            broken,
            graph: graph::link(Vec::new(), &[], &[]).0,
            pages: Vec::new(),
            strings,
            tera,
            theme_problems,
            linked_problems: Vec::new(),
        };
        site.relink(documents);
        Ok(Ok(site))
    }

    /// Link, check and plan: the stages that look at the whole dossier.
    fn relink(&mut self, documents: Vec<Arc<Document>>) {
        let unread: Vec<Arc<Unread>> = self.broken.values().cloned().collect();
        let (graph, mut problems) = graph::link(documents, &self.drafts, &unread);
        problems.extend(check_documents(&graph, &self.dirs.content));
        problems.extend(geography::check(&graph, self.geography.as_deref()));
        let pages = urls::plan(&graph, &self.config, self.geography.is_some());
        problems.extend(check_collisions(
            &pages,
            &self.found.assets,
            &self.found.static_files,
            self.config.build.search,
        ));
        if let Some(tera) = &self.tera {
            problems.extend(render::check_templates(tera, &pages, &self.config));
        }
        self.graph = graph;
        self.pages = pages;
        self.linked_problems = problems;
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
            let file = match read {
                Ok(Some(file)) => file,
                Ok(None) => continue,
                Err(problem) => {
                    self.file_problems.insert(path.clone(), vec![problem]);
                    continue;
                }
            };
            for (path, document, problems) in parse(vec![file]) {
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

    /// Files copied as they are: content assets and static files.
    pub fn copies(&self) -> impl Iterator<Item = &Asset> {
        self.found.assets.iter().chain(&self.found.static_files)
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

/// Builds a site. `Err` is for failures of the machine (a folder that cannot
/// be written); problems in the site are in the report.
pub fn build(options: &Options) -> anyhow::Result<Report> {
    let started = Instant::now();
    let clock = std::cell::RefCell::new(Stopwatch {
        last: started,
        stages: Vec::new(),
    });
    let lap = |stage| clock.borrow_mut().lap(stage);
    let finish = |mut diagnostics: Vec<Diagnostic>, pages, files, output| {
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Report {
            diagnostics,
            pages,
            files,
            output,
            elapsed: started.elapsed(),
            stages: clock.borrow().stages.clone(),
        }
    };
    let mut site = match Site::load(&options.root, options.drafts)? {
        Ok(site) => site,
        Err(problems) => return Ok(finish(problems, 0, 0, None)),
    };
    if let Some(base_url) = &options.base_url {
        // Only rendering and the exports read it, so replacing it after
        // loading changes every absolute URL and nothing else.
        site.config.base_url = Some(base_url.clone());
    }
    lap("load, parse, link, check");
    let mut problems = site.problems();
    let output = write::absolute(
        &options
            .output
            .clone()
            .unwrap_or_else(|| site.root.join(&site.config.build.output_dir)),
    )?;
    if options.write
        && let Err(write::Refusal(message, hint)) = write::check_output(&output, &site.root)
    {
        problems.push(Diagnostic::error(Code::OutputRefused, message).hint(hint));
    }
    let tera = site.tera.as_ref();
    let Some(tera) = tera.filter(|_| !problems.iter().any(Diagnostic::is_error)) else {
        return Ok(finish(problems, 0, 0, None));
    };
    let (graph, config, pages) = (&site.graph, &site.config, &site.pages);

    // Render and write.
    let data = SiteData::new(graph, config, pages, site.geography.clone());
    lap("site-wide data");
    let renderer = Renderer {
        tera,
        templates: &site.found.templates,
        graph,
        config,
        data: &data,
    };
    let copies: Vec<&Asset> = site.copies().collect();
    if !options.write {
        problems.extend(renderer.render_all(pages, &|_, _| Ok(()))?);
        lap("render");
        return Ok(finish(problems, pages.len(), copies.len(), None));
    }
    let staging = Staging::create(&output)?;
    let search_entries = Mutex::new(Vec::new());
    let sink = |page: &Planned, bytes: &[u8]| {
        if !config.build.search {
            return staging.write(&page.output, bytes);
        }
        if let Some(entry) = search_entry(graph, config, page, bytes) {
            search_entries
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(entry);
        }
        staging.write(&page.output, bytes)
    };
    let written = renderer
        .render_all(pages, &sink)
        .and_then(|render_problems| {
            lap("render and write pages");
            copies
                .par_iter()
                .try_for_each(|asset| staging.copy(asset))?;
            lap("copy files");
            for (path, bytes) in export::files(graph, config) {
                staging.write(&path, &bytes)?;
            }
            lap("exports");
            let entries = search_entries
                .into_inner()
                .unwrap_or_else(|e| e.into_inner());
            if config.build.search {
                for (path, bytes) in search::bundle(entries)? {
                    staging.write(&format!("{}/{path}", search::BUNDLE_DIR), &bytes)?;
                }
            }
            lap("search index");
            Ok(render_problems)
        });
    let render_problems = match written {
        Ok(render_problems) => render_problems,
        Err(error) => {
            staging.abandon();
            return Err(error);
        }
    };
    problems.extend(render_problems);
    if problems.iter().any(Diagnostic::is_error) {
        staging.abandon();
        return Ok(finish(problems, 0, 0, None));
    }
    let old = staging.commit()?;
    if let Some(old) = old {
        write::remove_own(&old)?;
    }
    lap("swap into place");
    Ok(finish(problems, pages.len(), copies.len(), Some(output)))
}

/// What search indexes of a rendered page: document pages only, not lists.
pub(crate) fn search_entry(
    graph: &Graph,
    config: &Config,
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
        search::filters(graph, id),
    ))
}

/// A parsed file: its path, the kind and slug its name gives, the document
/// when it could be read, and the problems found in it.
type Parsed = (PathBuf, Result<Document, Unread>, Vec<Diagnostic>);

/// Parses documents in parallel, each with the problems found in it.
fn parse(files: Vec<SourceFile>) -> Vec<Parsed> {
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
                    };
                    return (path, Err(unread), vec![problem]);
                }
            };
            let lang = file.lang.unwrap_or_default();
            let (document, problems) =
                model::read_document(file.kind, file.slug, lang, file.path, file.text, &parts);
            let document = match document {
                Ok(mut d) => {
                    d.body_links = markdown::scan_links(d.body(), d.body_start);
                    Ok(d)
                }
                Err(mut u) => {
                    u.body_links = markdown::scan_links(&u.source[u.body_start..], u.body_start);
                    Err(u)
                }
            };
            (path, document, problems)
        })
        .collect()
}
