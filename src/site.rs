//! The build pipeline, as a table of contents: load config → discover →
//! parse → link → check → plan → render → write.
//!
//! Each stage is a function of the previous stage's data. Problems found in
//! the site are gathered from every stage and reported together; the output
//! folder is only touched once no stage has found an error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::{self, Asset, SiteDirs, SourceFile};
use crate::export;
use crate::front_matter;
use crate::graph::{self, Graph};
use crate::i18n::Strings;
use crate::markdown;
use crate::model::{self, DocKind, Document, Fields};
use crate::render::{self, Planned, Renderer};
use crate::search;
use crate::write::{self, Staging};

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
}

#[derive(Debug)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub pages: usize,
    pub files: usize,
    /// Where the site was published, when it was.
    pub output: Option<PathBuf>,
    pub elapsed: Duration,
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

/// Builds a site. `Err` is for failures of the machine (a folder that cannot
/// be written); problems in the site are in the report.
pub fn build(options: &Options) -> anyhow::Result<Report> {
    let started = Instant::now();
    let finish = |mut diagnostics: Vec<Diagnostic>, pages, files, output| {
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Report {
            diagnostics,
            pages,
            files,
            output,
            elapsed: started.elapsed(),
        }
    };

    // Load config.
    let root = write::absolute(&options.root)?;
    let config_text = discover::read_config(&root)?;
    let config = match Config::parse(Path::new(crate::config::FILE_NAME), &config_text) {
        Ok(config) => config,
        Err(problems) => return Ok(finish(problems, 0, 0, None)),
    };
    let output = write::absolute(
        &options
            .output
            .clone()
            .unwrap_or_else(|| root.join(&config.build.output_dir)),
    )?;
    let mut problems = Vec::new();
    if options.write
        && let Err(write::Refusal(message, hint)) = write::check_output(&output, &root)
    {
        problems.push(Diagnostic::error(message).hint(hint));
    }

    // Discover.
    let dirs = SiteDirs::new(&root, &config.theme);
    let languages: Vec<&str> = config.languages.keys().map(String::as_str).collect();
    let found = discover::discover(&dirs, &languages, &config.default_language);
    problems.extend(found.problems);

    // Parse.
    let (documents, drafts, parse_problems) = parse(found.documents, options.drafts);
    problems.extend(parse_problems);

    // Link.
    let (graph, link_problems) = graph::link(documents, &drafts);
    problems.extend(link_problems);

    // Check what the content model asks beyond references.
    problems.extend(check_documents(&graph, &dirs.content));

    // Plan.
    let pages = render::plan(&graph, &config);
    problems.extend(check_collisions(&pages, &found.assets, &found.static_files));
    let (strings, string_problems) = Strings::parse(&found.strings, &config.default_language);
    problems.extend(string_problems);
    let strings = Arc::new(strings);
    let tera = match render::load_templates(&found.templates, &config, &strings) {
        Ok(tera) => {
            problems.extend(render::check_templates(&tera, &pages, &config));
            Some(tera)
        }
        Err(template_problems) => {
            problems.extend(template_problems);
            None
        }
    };
    let Some(tera) = tera.filter(|_| !problems.iter().any(Diagnostic::is_error)) else {
        return Ok(finish(problems, 0, 0, None));
    };

    // Render and write.
    let renderer = Renderer::new(&tera, &found.templates, &graph, &config, &pages);
    let copies: Vec<&Asset> = found.assets.iter().chain(&found.static_files).collect();
    if !options.write {
        problems.extend(renderer.render_all(&pages, &|_, _| Ok(()))?);
        return Ok(finish(problems, pages.len(), copies.len(), None));
    }
    let staging = Staging::create(&output)?;
    let search_entries = Mutex::new(Vec::new());
    let sink = |page: &Planned, bytes: &[u8]| {
        if let render::Job::Document(id) = page.job
            && graph.documents[id].kind != DocKind::Home
        {
            let lang = page.lang.as_deref().unwrap_or(&config.default_language);
            let url = format!("/{}", page.output);
            let html = String::from_utf8_lossy(bytes);
            let entry = search::entry(url, &html, lang, &search::filters(&graph, id));
            search_entries
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(entry);
        }
        staging.write(&page.output, bytes)
    };
    let written = renderer
        .render_all(&pages, &sink)
        .and_then(|render_problems| {
            copies
                .par_iter()
                .try_for_each(|asset| staging.copy(&asset.output, &asset.absolute))?;
            for (path, bytes) in export::files(&graph, &config) {
                staging.write(&path, &bytes)?;
            }
            let entries = search_entries
                .into_inner()
                .unwrap_or_else(|e| e.into_inner());
            for (path, bytes) in search::bundle(entries)? {
                staging.write(&format!("{}/{path}", search::BUNDLE_DIR), &bytes)?;
            }
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
    Ok(finish(problems, pages.len(), copies.len(), Some(output)))
}

/// Parses every document in parallel. Drafts are returned apart: they are
/// not published unless asked for, but references to them stay valid.
fn parse(
    files: Vec<SourceFile>,
    include_drafts: bool,
) -> (Vec<Document>, Vec<Document>, Vec<Diagnostic>) {
    let parsed: Vec<(Option<Document>, Vec<Diagnostic>)> = files
        .into_par_iter()
        .map(|file| {
            let parts = match front_matter::split(&file.path, &file.text) {
                Ok(parts) => parts,
                Err(problem) => return (None, vec![problem]),
            };
            let lang = file.lang.unwrap_or_default();
            let (document, problems) =
                model::read_document(file.kind, file.slug, lang, file.path, file.text, &parts);
            let document = document.map(|mut d| {
                d.body_links = markdown::scan_links(d.body(), d.body_start);
                d
            });
            (document, problems)
        })
        .collect();
    let mut documents = Vec::new();
    let mut drafts = Vec::new();
    let mut problems = Vec::new();
    for (document, document_problems) in parsed {
        problems.extend(document_problems);
        match document {
            Some(d) if d.common.draft && !include_drafts => drafts.push(d),
            Some(d) => documents.push(d),
            None => {}
        }
    }
    (documents, drafts, problems)
}

/// What the content model asks of documents beyond well-formed fields:
/// sources behind incidents, a perspective on every source, archived copies
/// that match their recorded hash.
fn check_documents(graph: &Graph, content: &Path) -> Vec<Diagnostic> {
    graph
        .documents
        .par_iter()
        .flat_map_iter(|document| {
            let mut problems = Vec::new();
            let start = document.source.find('\n').map_or(0, |i| i + 1);
            let at_title = || {
                let offset = document.source[start..].find("title").map_or(start, |i| start + i);
                document.location(offset, "title".len())
            };
            match &document.fields {
                Fields::Incident(incident) if incident.sources.is_empty() => problems.push(
                    Diagnostic::warning("this incident has no source")
                        .at(at_title())
                        .hint("add `sources: [slug]` naming the report or article it rests on"),
                ),
                Fields::Source(source) => {
                    if source.perspective.is_none() {
                        problems.push(
                            Diagnostic::warning("this source has no `perspective` note")
                                .at(at_title())
                                .hint("add `perspective: ...`: one neutral sentence on where the source stands, so readers can weigh it"),
                        );
                    }
                    if let Some(archive) = &source.archive
                        && let Some(file) = &archive.file
                    {
                        problems.extend(check_archive(document, content, file, archive.sha256.as_deref()));
                    }
                }
                _ => {}
            }
            problems
        })
        .collect()
}

fn check_archive(
    document: &Document,
    content: &Path,
    file: &str,
    expected: Option<&str>,
) -> Option<Diagnostic> {
    let offset = document.source.find(file).unwrap_or(0);
    let location = document.location(offset, file.len());
    let inside =
        !file.split('/').any(|part| part == ".." || part.is_empty()) && !file.starts_with('/');
    if !inside {
        return Some(
            Diagnostic::error(format!("the archived copy `{file}` is outside `content/`"))
                .at(location)
                .hint("name the file from `content/`, for example `files/report.pdf`"),
        );
    }
    let bytes = match discover::read_bytes(&content.join(file)) {
        Ok(bytes) => bytes,
        Err(_) => {
            return Some(
                Diagnostic::error(format!("the archived copy `{file}` does not exist"))
                    .at(location)
                    .hint(format!(
                        "put the file at `content/{file}`, or correct the path"
                    )),
            );
        }
    };
    let actual: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    match expected {
        Some(expected) if !expected.eq_ignore_ascii_case(&actual) => {
            let offset = document.source.find(expected).unwrap_or(offset);
            Some(
                Diagnostic::error(format!("the archived copy `{file}` does not match its `sha256`"))
                    .at(document.location(offset, expected.len()))
                    .label(format!("the file's SHA-256 is {actual}"))
                    .hint("if the file was replaced on purpose, update `sha256`; otherwise restore the original file"),
            )
        }
        _ => None,
    }
}

/// Two things published at the same path, or at paths that differ only in
/// case or Unicode normalisation (which collide on many file systems and
/// hosts).
fn check_collisions(pages: &[Planned], assets: &[Asset], statics: &[Asset]) -> Vec<Diagnostic> {
    let mut seen: HashMap<String, (String, String)> = HashMap::new();
    let mut problems = Vec::new();
    let describe_page = |page: &Planned| match &page.from {
        Some(path) => format!("`{}`", path.display()),
        None => format!("the generated page `{}`", page.output),
    };
    let mut claims: Vec<(String, String, Option<PathBuf>)> = Vec::new();
    for page in pages {
        claims.push((page.output.clone(), describe_page(page), page.from.clone()));
    }
    for path in export::paths() {
        claims.push((path.clone(), format!("the export `{path}`"), None));
    }
    for asset in assets.iter().chain(statics) {
        claims.push((
            asset.output.clone(),
            format!("`{}`", asset.path.display()),
            Some(asset.path.clone()),
        ));
    }
    for (output, origin, path) in claims {
        let key: String = output.nfc().collect::<String>().to_lowercase();
        match seen.get(&key) {
            Some((first_output, first_origin)) => {
                let how = if *first_output == output {
                    "the same path".to_string()
                } else {
                    format!("`{first_output}`, which differs only in case or accents")
                };
                let problem = Diagnostic::error(format!(
                    "{origin} would be published at `{output}`, and so would {first_origin} ({how})"
                ))
                .hint("rename one of them: two files cannot share one address");
                problems.push(match path {
                    Some(path) => problem.in_file(&path),
                    None => problem,
                });
            }
            None => {
                seen.insert(key, (output, origin));
            }
        }
    }
    problems
}

/// Where a build publishes by default.
pub fn default_output(root: &Path) -> anyhow::Result<PathBuf> {
    let config = Config::parse(
        Path::new(crate::config::FILE_NAME),
        &discover::read_config(root)?,
    )
    .map_err(|_| anyhow::anyhow!("site.toml has errors"))?;
    Ok(root.join(config.build.output_dir))
}
