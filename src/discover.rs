//! Discovery: the one stage that reads the site folder.
//!
//! It walks `content/`, the theme and the site's overrides, classifies every
//! file (a collection entry, a free page, a translation, an asset to copy),
//! and reads the text of documents, templates and `site.toml`. Problems with
//! files themselves (bad names, invalid UTF-8, symlinks that leave the site,
//! symlink loops) become diagnostics. It never writes anything and never
//! interprets what a document says.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::is_language_code;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::geography::GeographyFile;
use crate::i18n::StringsFile;
use crate::model::{Collection, DocKind};
use crate::slug::slugify;
use crate::trust;

/// A Markdown document found under `content/`, read but not yet parsed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub kind: DocKind,
    pub slug: String,
    /// The language code from `slug.LANG.md`, or `None` for the default
    /// language.
    pub lang: Option<String>,
    /// Relative to the site root, with `/` separators.
    pub path: PathBuf,
    /// The file's text, without a UTF-8 byte-order mark.
    pub text: String,
}

/// A file copied as it is: from `absolute` (or from the bytes of the
/// built-in theme) to `output` (relative to the output folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub absolute: PathBuf,
    pub output: String,
    /// Relative to the site root: how diagnostics name it.
    pub path: PathBuf,
    /// Set for the built-in theme's files, which are not on disk.
    pub embedded: Option<&'static [u8]>,
}

#[derive(Debug, Clone)]
pub struct TemplateFile {
    pub name: String,
    pub path: PathBuf,
    pub text: String,
}

#[derive(Debug, Default, Clone)]
pub struct Discovered {
    pub documents: Vec<SourceFile>,
    pub assets: Vec<Asset>,
    pub templates: Vec<TemplateFile>,
    pub static_files: Vec<Asset>,
    /// Interface strings, the theme's first, then the site's overrides.
    pub strings: Vec<StringsFile>,
    /// `data/geography.json`, the site's if it has one, else the theme's.
    pub geography: Option<GeographyFile>,
    /// The site's `glossary/<lang>.toml` files (`crate::glossary`).
    pub glossaries: Vec<StringsFile>,
    pub problems: Vec<Diagnostic>,
}

/// The folders of a site, all under one root.
#[derive(Debug, Clone)]
pub struct SiteDirs {
    pub root: PathBuf,
    pub content: PathBuf,
    pub theme: PathBuf,
    pub templates: PathBuf,
    pub static_dir: PathBuf,
    /// The largest text file read (Markdown, templates, strings), in bytes:
    /// `[build] max_file_size`.
    pub max_file_bytes: u64,
    /// `[build] active_attachments = "publish"`: copy files of the
    /// [`trust::ACTIVE_TYPES`] from `content/` instead of refusing them.
    pub publish_active: bool,
}

impl SiteDirs {
    pub fn new(root: &Path, theme: &str) -> SiteDirs {
        SiteDirs {
            root: root.to_path_buf(),
            content: root.join("content"),
            theme: root.join("themes").join(theme),
            templates: root.join("templates"),
            static_dir: root.join("static"),
            max_file_bytes: crate::config::DEFAULT_MAX_FILE_SIZE,
            publish_active: false,
        }
    }
}

/// Reads `site.toml` from the site root.
pub fn read_config(root: &Path) -> anyhow::Result<String> {
    let path = root.join(crate::config::FILE_NAME);
    fs::read_to_string(&path).map_err(|error| {
        anyhow::anyhow!(
            "cannot read {}: {error}; is {} the folder of a dossier?",
            path.display(),
            root.display()
        )
    })
}

/// Walks the site and reads everything a build needs. `languages` are the
/// codes declared in `site.toml`, used to tell `slug.ar.md` from a bad name.
pub fn discover(dirs: &SiteDirs, languages: &[&str], default_language: &str) -> Discovered {
    let mut found = Discovered::default();
    let canonical_root = fs::canonicalize(&dirs.root).unwrap_or_else(|_| dirs.root.clone());

    if !dirs.content.is_dir() {
        found.problems.push(
            Diagnostic::error(Code::NoContentFolder, "this site has no `content/` folder")
                .hint("create `content/` with `_index.md` and the collection folders (`demands/`, `incidents/`, ...)"),
        );
    }
    let content_files = walk(
        &dirs.content,
        &dirs.root,
        &canonical_root,
        &mut found.problems,
    );
    let mut markdown = Vec::new();
    for (absolute, relative) in content_files {
        let name = relative.rsplit('/').next().unwrap_or("");
        if name.ends_with(".md") {
            markdown.push((absolute, relative));
            continue;
        }
        let path = Path::new("content").join(&relative);
        if trust::is_active_type(name) && !dirs.publish_active {
            found.problems.push(
                Diagnostic::error(
                    Code::ActiveAttachment,
                    format!(
                        "`{}` would be published as a page a browser opens, and any script in it would run as this site",
                        path.display()
                    ),
                )
                .in_file(&path)
                .hint("convert an archived page to PDF, or publish its text as a Markdown page; to publish such files anyway, set `active_attachments = \"publish\"` under `[build]` in site.toml (anyone who can add a file could then run script on the site)"),
            );
            continue;
        }
        found.assets.push(Asset {
            embedded: None,
            path,
            absolute,
            output: relative,
        });
    }

    let read: Vec<Result<SourceFile, Diagnostic>> = markdown
        .par_iter()
        .map(|(absolute, relative)| {
            let path = Path::new("content").join(relative);
            let (kind, slug, lang) = classify(relative, &path, languages, default_language)?;
            let text = read_text(absolute, &path, dirs.max_file_bytes)?;
            Ok(SourceFile {
                kind,
                slug,
                lang,
                path,
                text,
            })
        })
        .collect();
    for result in read {
        match result {
            Ok(file) => found.documents.push(file),
            Err(problem) => found.problems.push(problem),
        }
    }

    // The theme's templates, static files and strings (after those of the
    // theme it extends, if any), then the site's, each overriding the one
    // before by name. A `default` theme with no folder is the copy built
    // into dossier.
    let mut templates: BTreeMap<String, TemplateFile> = BTreeMap::new();
    let mut statics: BTreeMap<String, Asset> = BTreeMap::new();
    let mut bases: Vec<PathBuf> = Vec::new();
    for layer in theme_layers(dirs, &mut found.problems) {
        match layer {
            ThemeLayer::BuiltIn => built_in_theme(&mut found, &mut templates, &mut statics),
            ThemeLayer::Folder(dir) => bases.push(dir),
        }
    }
    bases.push(dirs.root.clone());
    for base in &bases {
        for (absolute, name) in walk(
            &base.join("templates"),
            &dirs.root,
            &canonical_root,
            &mut found.problems,
        ) {
            let path = relative_to(&absolute, &dirs.root);
            match read_text(&absolute, &path, dirs.max_file_bytes) {
                Ok(text) => {
                    templates.insert(name.clone(), TemplateFile { name, path, text });
                }
                Err(problem) => found.problems.push(problem),
            }
        }
        for (absolute, name) in walk(
            &base.join("static"),
            &dirs.root,
            &canonical_root,
            &mut found.problems,
        ) {
            let path = relative_to(&absolute, &dirs.root);
            statics.insert(
                name.clone(),
                Asset {
                    absolute,
                    output: name,
                    path,
                    embedded: None,
                },
            );
        }
        for (absolute, name) in walk(
            &base.join("data"),
            &dirs.root,
            &canonical_root,
            &mut found.problems,
        ) {
            if format!("data/{name}") != crate::geography::FILE {
                continue;
            }
            let path = relative_to(&absolute, &dirs.root);
            match read_text(&absolute, &path, dirs.max_file_bytes) {
                Ok(text) => found.geography = Some(GeographyFile { path, text }),
                Err(problem) => found.problems.push(problem),
            }
        }
        let strings = per_language(
            &base.join("i18n"),
            dirs,
            &canonical_root,
            &mut found.problems,
        );
        found.strings.extend(strings);
    }
    found.glossaries = per_language(
        &dirs.root.join(crate::glossary::FOLDER),
        dirs,
        &canonical_root,
        &mut found.problems,
    );
    found.templates = templates.into_values().collect();
    found.static_files = statics.into_values().collect();
    found
}

/// The `<lang>.toml` files directly in `dir` (interface strings, glossaries),
/// each with its language code.
fn per_language(
    dir: &Path,
    dirs: &SiteDirs,
    canonical_root: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<StringsFile> {
    let mut files = Vec::new();
    for (absolute, name) in walk(dir, &dirs.root, canonical_root, problems) {
        let Some(lang) = name.strip_suffix(".toml").filter(|l| !l.contains('/')) else {
            continue;
        };
        let path = relative_to(&absolute, &dirs.root);
        match read_text(&absolute, &path, dirs.max_file_bytes) {
            Ok(text) => files.push(StringsFile {
                lang: lang.to_string(),
                path,
                text,
            }),
            Err(problem) => problems.push(problem),
        }
    }
    files
}

/// One theme whose files a site uses, in the order they override each
/// other: the theme a theme extends comes first.
enum ThemeLayer {
    BuiltIn,
    Folder(PathBuf),
}

/// What a theme's `theme.toml` says of it.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeManifest {
    /// The theme whose files this one starts from: it overrides single
    /// templates, static files and strings, and inherits the rest.
    #[serde(default)]
    extends: Option<String>,
}

/// The site's theme and the themes it extends (`extends` in each
/// `theme.toml`), the furthest ancestor first.
fn theme_layers(dirs: &SiteDirs, problems: &mut Vec<Diagnostic>) -> Vec<ThemeLayer> {
    let themes = dirs
        .theme
        .parent()
        .map_or_else(|| dirs.root.join("themes"), Path::to_path_buf);
    let mut name = dirs
        .theme
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    // The theme that named `name`, for the message when it is missing.
    let mut named_by: Option<PathBuf> = None;
    let mut layers = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    loop {
        if seen.contains(&name) {
            problems.push(
                Diagnostic::error(
                    Code::ThemeMissing,
                    format!(
                        "the theme `{name}` extends itself, through {}",
                        seen.join(" → ")
                    ),
                )
                .in_file(
                    named_by
                        .as_deref()
                        .unwrap_or(Path::new(crate::config::FILE_NAME)),
                )
                .hint("a theme may extend another, which may not extend it back"),
            );
            break;
        }
        seen.push(name.clone());
        let dir = themes.join(&name);
        if !dir.is_dir() {
            if name == crate::theme::DEFAULT_NAME {
                layers.push(ThemeLayer::BuiltIn);
            } else {
                let (file, message) = match &named_by {
                    Some(manifest) => (
                        manifest.clone(),
                        format!(
                            "the theme `{name}` that `{}` extends is not in `themes/`",
                            manifest.display()
                        ),
                    ),
                    None => (
                        PathBuf::from(crate::config::FILE_NAME),
                        format!("the theme `{name}` is not in `themes/`"),
                    ),
                };
                problems.push(
                    Diagnostic::error(Code::ThemeMissing, message)
                        .in_file(&file)
                        .hint("set `theme = \"default\"` in site.toml, or add the theme's folder under `themes/`"),
                );
            }
            break;
        }
        let canonical_root = fs::canonicalize(&dirs.root).unwrap_or_else(|_| dirs.root.clone());
        if let Err(problem) = check_folder(&dir, &dirs.root, &canonical_root) {
            problems.push(problem);
            break;
        }
        layers.push(ThemeLayer::Folder(dir.clone()));
        let absolute = dir.join(THEME_MANIFEST);
        if !absolute.is_file() {
            break;
        }
        let path = relative_to(&absolute, &dirs.root);
        let text = match read_text(&absolute, &path, dirs.max_file_bytes) {
            Ok(text) => text,
            Err(problem) => {
                problems.push(problem);
                break;
            }
        };
        match toml::from_str::<ThemeManifest>(&text) {
            Ok(ThemeManifest {
                extends: Some(parent),
            }) => {
                name = parent;
                named_by = Some(path);
            }
            Ok(ThemeManifest { extends: None }) => break,
            Err(error) => {
                let span = error.span().unwrap_or(0..0);
                let (message, hint) = crate::front_matter::improve_serde_message(error.message());
                problems.push(
                    Diagnostic::error(
                        Code::BadSetting,
                        format!("{message} in the theme's settings"),
                    )
                    .at(Location::at(&path, &text, span.start, span.len()))
                    .maybe_hint(hint),
                );
                break;
            }
        }
    }
    layers.reverse();
    layers
}

/// A theme's file of settings, beside its `templates/`.
pub const THEME_MANIFEST: &str = "theme.toml";

/// Adds the built-in default theme's files.
fn built_in_theme(
    found: &mut Discovered,
    templates: &mut BTreeMap<String, TemplateFile>,
    statics: &mut BTreeMap<String, Asset>,
) {
    let theme_name = crate::theme::DEFAULT_NAME;
    for (relative, bytes) in crate::theme::files() {
        let path = Path::new("themes").join(theme_name).join(&relative);
        let text = || String::from_utf8_lossy(bytes).into_owned();
        if let Some(name) = relative.strip_prefix("templates/") {
            templates.insert(
                name.to_string(),
                TemplateFile {
                    name: name.to_string(),
                    path,
                    text: text(),
                },
            );
        } else if let Some(name) = relative.strip_prefix("static/") {
            statics.insert(
                name.to_string(),
                Asset {
                    absolute: PathBuf::new(),
                    output: name.to_string(),
                    path,
                    embedded: Some(bytes),
                },
            );
        } else if relative == crate::geography::FILE {
            found.geography = Some(GeographyFile { path, text: text() });
        } else if let Some(lang) = relative
            .strip_prefix("i18n/")
            .and_then(|n| n.strip_suffix(".toml"))
        {
            found.strings.push(StringsFile {
                lang: lang.to_string(),
                path,
                text: text(),
            });
        }
    }
}

/// Reads one Markdown file of `content/` again (`path` relative to the site
/// root), for incremental rebuilds. `Ok(None)` when it no longer exists.
pub fn read_document_file(
    dirs: &SiteDirs,
    path: &Path,
    languages: &[&str],
    default_language: &str,
) -> Result<Option<SourceFile>, Diagnostic> {
    let absolute = dirs.root.join(path);
    if !absolute.is_file() {
        return Ok(None);
    }
    let canonical_root = fs::canonicalize(&dirs.root).unwrap_or_else(|_| dirs.root.clone());
    match fs::canonicalize(&absolute) {
        Ok(target) if target.starts_with(&canonical_root) => {}
        _ => {
            return Err(Diagnostic::error(
                Code::LinkOutsideSite,
                format!("`{}` is a link to a file outside the site", path.display()),
            )
            .in_file(path)
            .hint("copy the file into the site instead of linking to it"));
        }
    }
    let relative = path
        .strip_prefix("content")
        .unwrap_or(path)
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/");
    let (kind, slug, lang) = classify(&relative, path, languages, default_language)?;
    let text = read_text(&absolute, path, dirs.max_file_bytes)?;
    Ok(Some(SourceFile {
        kind,
        slug,
        lang,
        path: path.to_path_buf(),
        text,
    }))
}

fn relative_to(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Lists the files under `dir` as (absolute path, path relative to `dir`
/// with `/` separators), sorted. Symlinks are followed only while they stay
/// inside the site; loops are reported, never followed. Hidden files and
/// editor backups are skipped.
fn walk(
    dir: &Path,
    root: &Path,
    canonical_root: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return files;
    }
    // A folder that is itself a link is the walk's first entry, checked
    // below like every other; links above it are checked here.
    let is_link = fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link && let Err(problem) = check_folder(dir, root, canonical_root) {
        problems.push(problem);
        return files;
    }
    let mut refused = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            if entry.depth() > 0 && (name.starts_with('.') || name.ends_with('~')) {
                return false;
            }
            if entry.path_is_symlink() {
                match fs::canonicalize(entry.path()) {
                    Ok(target) if link_target_allowed(canonical_root, &target) => {}
                    Ok(target) if target.starts_with(canonical_root) => {
                        refused.push(
                            Diagnostic::error(Code::RefusedSymlink, format!(
                                "`{}` is a link to `{}`, which a build may not publish",
                                relative_to(entry.path(), root).display(),
                                Path::new(".").join(relative_to(&target, canonical_root)).display()
                            ))
                            .in_file(&relative_to(entry.path(), root))
                            .hint("links may only point into `content/`, `static/`, `templates/` or `themes/`, never at hidden files, the output or the site itself; copy the file instead"),
                        );
                        return false;
                    }
                    Ok(target) => {
                        refused.push(
                            Diagnostic::error(Code::LinkOutsideSite, format!(
                                "`{}` is a link to `{}`, outside the site",
                                relative_to(entry.path(), root).display(),
                                target.display()
                            ))
                            .in_file(&relative_to(entry.path(), root))
                            .hint("copy the file into the site instead of linking to it: a build only reads files inside the site folder"),
                        );
                        return false;
                    }
                    // A broken link or a loop: walkdir reports it below.
                    Err(_) => {}
                }
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_file() {
                    let relative = entry
                        .path()
                        .strip_prefix(dir)
                        .unwrap_or(entry.path())
                        .components()
                        .filter_map(|c| match c {
                            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                        .join("/");
                    files.push((entry.path().to_path_buf(), relative));
                }
            }
            Err(error) => {
                let path = error
                    .path()
                    .map(|p| relative_to(p, root))
                    .unwrap_or_default();
                let problem = if error.loop_ancestor().is_some() {
                    Diagnostic::error(
                        Code::SymlinkLoop,
                        format!(
                            "`{}` is a symbolic link that loops back to a folder that contains it",
                            path.display()
                        ),
                    )
                    .hint("remove the link; it was not followed")
                } else if error.io_error().map(|e| e.kind()) == Some(std::io::ErrorKind::NotFound) {
                    Diagnostic::error(
                        Code::BrokenSymlink,
                        format!(
                            "`{}` is a symbolic link to a file that does not exist",
                            path.display()
                        ),
                    )
                    .hint("remove the link or point it at an existing file inside the site")
                } else {
                    Diagnostic::error(
                        Code::UnreadableFile,
                        format!("cannot read `{}`: {error}", path.display()),
                    )
                };
                problems.push(problem.in_file(&path));
            }
        }
    }
    problems.extend(refused);
    files
}

/// Refuses a folder the build would read (`content/`, a theme, the site's
/// `templates/`, `static/`, `data/`, `i18n/`) that is reached through a
/// symbolic link, or is one, pointing where a link may not
/// ([`link_target_allowed`]): the walk below it checks each link it meets,
/// but not the ones above where it starts.
fn check_folder(dir: &Path, root: &Path, canonical_root: &Path) -> Result<(), Diagnostic> {
    let Ok(actual) = fs::canonicalize(dir) else {
        return Ok(());
    };
    let relative = relative_to(dir, root);
    let lexical = canonical_root.join(&relative);
    if actual == lexical || link_target_allowed(canonical_root, &actual) {
        return Ok(());
    }
    Err(Diagnostic::error(
        Code::LinkOutsideSite,
        format!(
            "`{}` leads through a symbolic link to `{}`, outside the folders a build may read",
            relative.display(),
            actual.display()
        ),
    )
    .in_file(&relative)
    .hint("copy the folder into the site instead of linking to it: a build only reads files inside the site folder"))
}

/// Decides what a `.md` file under `content/` is from its path alone.
fn classify(
    relative: &str,
    path: &Path,
    languages: &[&str],
    default_language: &str,
) -> Result<(DocKind, String, Option<String>), Diagnostic> {
    let segments: Vec<&str> = relative.split('/').collect();
    let file = segments[segments.len() - 1];
    let stem = &file[..file.len() - ".md".len()];
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((stem, lang)) => {
            if !languages.contains(&lang) {
                let hint = if is_language_code(lang) {
                    format!(
                        "declare it in site.toml with `[languages.{lang}]` and `name = \"...\"`, or rename the file"
                    )
                } else {
                    format!(
                        "file names are `slug.md`, or `slug.LANG.md` for a translation; rename it to `{}.md`",
                        slugify(stem)
                    )
                };
                return Err(Diagnostic::error(
                    Code::UndeclaredLanguage,
                    format!(
                        "`{file}` names the language `{lang}`, which site.toml does not declare"
                    ),
                )
                .in_file(path)
                .hint(hint));
            }
            let lang = (lang != default_language).then(|| lang.to_string());
            (stem, lang)
        }
        None => (stem, None),
    };
    for segment in &segments[..segments.len() - 1] {
        check_slug(segment, path, "folder")?;
    }
    let collection = Collection::from_name(segments[0]).filter(|_| segments.len() > 1);
    if stem == "_index" {
        return if segments.len() == 1 {
            Ok((DocKind::Home, String::new(), lang))
        } else {
            Err(Diagnostic::error(
                Code::MisplacedIndex,
                "`_index.md` is only used for the home page, at `content/_index.md`",
            )
            .in_file(path)
            .hint("move this text to `content/_index.md`, or give the file another name"))
        };
    }
    check_slug(stem, path, "file")?;
    match collection {
        Some(collection) => Ok((DocKind::Entry(collection), stem.to_string(), lang)),
        None => {
            let mut slug = segments[..segments.len() - 1].join("/");
            if !slug.is_empty() {
                slug.push('/');
            }
            slug.push_str(stem);
            Ok((DocKind::Page, slug, lang))
        }
    }
}

/// Slugs become URLs and are compared across files, so they are limited to
/// lowercase ASCII letters, digits and hyphens.
fn check_slug(name: &str, path: &Path, what: &str) -> Result<(), Diagnostic> {
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    if valid {
        return Ok(());
    }
    let suggestion = slugify(name);
    let hint = if suggestion.is_empty() {
        "use lowercase ASCII letters, digits and hyphens, for example `haditha-2005`".to_string()
    } else {
        format!("rename it to `{suggestion}`: use lowercase ASCII letters, digits and hyphens")
    };
    Err(Diagnostic::error(
        Code::BadFileName,
        format!("the {what} name `{name}` cannot be used in a web address"),
    )
    .in_file(path)
    .hint(hint))
}

/// Reads a text file; a byte-order mark is dropped and invalid UTF-8 is
/// reported with the byte offset and line where it starts.
fn read_text(absolute: &Path, path: &Path, limit: u64) -> Result<String, Diagnostic> {
    // Refused before reading: parsing and checking cost grows with size,
    // and no document of a dossier comes near the limit.
    if let Ok(metadata) = fs::metadata(absolute)
        && metadata.len() > limit
    {
        return Err(Diagnostic::error(Code::FileTooLarge, format!(
            "`{}` is {} bytes, more than the limit of {limit} bytes for one file",
            path.display(),
            metadata.len()
        ))
        .in_file(path)
        .hint("split the document into several, or raise `max_file_size` under `[build]` in site.toml"));
    }
    let bytes = fs::read(absolute).map_err(|error| {
        Diagnostic::error(
            Code::UnreadableFile,
            format!("cannot read `{}`: {error}", path.display()),
        )
        .in_file(path)
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match String::from_utf8(bytes.to_vec()) {
        Ok(text) => Ok(text),
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&bytes[..valid_up_to]).into_owned();
            let location = Location::at(path, &valid, valid.len(), 0);
            Err(Diagnostic::error(
                Code::NotUtf8,
                format!("this file is not valid UTF-8 text (at byte {valid_up_to})"),
            )
            .at(location)
            .hint("save the file as UTF-8 in your editor (\"Save with encoding\" → UTF-8)"))
        }
    }
}

/// Reads a file that is copied or checked as bytes (archived sources),
/// only if it resolves to a place a link may point at (see
/// [`link_target_allowed`]): a refused link is never read.
pub fn read_bytes(root: &Path, path: &Path) -> std::io::Result<Vec<u8>> {
    let canonical_root = fs::canonicalize(root)?;
    let target = fs::canonicalize(path)?;
    if !link_target_allowed(&canonical_root, &target) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "a link to a place a build may not read",
        ));
    }
    fs::read(target)
}

/// Where a symbolic link inside the site may point: inside the site, into
/// one of its source folders (`content/`, `static/`, `templates/`,
/// `themes/`), through no hidden folder or file (`.git`, `.env`). So a link
/// to the site itself, to `public/` or to a secret is refused. Both paths
/// are canonical.
pub fn link_target_allowed(canonical_root: &Path, target: &Path) -> bool {
    let Ok(inside) = target.strip_prefix(canonical_root) else {
        return false;
    };
    let mut parts = inside.components().map(|c| c.as_os_str().to_string_lossy());
    let allowed_top = parts
        .next()
        .is_some_and(|top| ["content", "static", "templates", "themes"].contains(&top.as_ref()));
    allowed_top
        && inside
            .components()
            .all(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_entries_pages_and_translations() {
        let langs = ["en", "ar"];
        let path = Path::new("content/x");
        let (kind, slug, lang) =
            classify("incidents/haditha-2005.ar.md", path, &langs, "en").unwrap();
        assert_eq!(
            (kind, slug.as_str(), lang.as_deref()),
            (
                DocKind::Entry(Collection::Incidents),
                "haditha-2005",
                Some("ar")
            )
        );
        let (kind, slug, _) = classify("guides/adding.md", path, &langs, "en").unwrap();
        assert_eq!((kind, slug.as_str()), (DocKind::Page, "guides/adding"));
        let (kind, _, lang) = classify("_index.en.md", path, &langs, "en").unwrap();
        assert_eq!((kind, lang), (DocKind::Home, None));
        assert!(classify("incidents/Haditha.md", path, &langs, "en").is_err());
        assert!(classify("incidents/x.fr.md", path, &langs, "en").is_err());
    }

    #[test]
    fn slugify_keeps_ascii_words() {
        use crate::slug::slugify;
        assert_eq!(slugify("Nisour Square, 2007!"), "nisour-square-2007");
        assert_eq!(slugify("حديثة"), "");
    }
}
