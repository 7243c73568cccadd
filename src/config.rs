//! `site.toml`: the site's title, languages, theme and build options.
//!
//! Parsing is pure: it takes the file's text and returns the settings or the
//! diagnostics that explain why they could not be read. Unknown keys are
//! errors, with the nearest known key as a hint, because a misspelt setting
//! that is silently ignored is worse than one that stops the build.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::front_matter::improve_serde_message;
use crate::locale::Digits;

pub const FILE_NAME: &str = "site.toml";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// Only used where a URL must be absolute (feed, sitemap); pages link to
    /// each other relatively and never need it.
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default = "default_language")]
    pub default_language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The country the dossier is about, as an ISO 3166-1 code (`IQ`): the
    /// `addressCountry` of places in JSON-LD. Left out where absent.
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub languages: BTreeMap<String, Language>,
    #[serde(default)]
    pub build: BuildOptions,
    /// What raw HTML in Markdown becomes (see [`crate::policy`]).
    #[serde(default)]
    pub markdown: crate::policy::MarkdownOptions,
    #[serde(default)]
    pub cms: CmsOptions,
    #[serde(default)]
    pub check: CheckOptions,
    #[serde(default)]
    pub cite: CiteOptions,
    /// `[sign]`: the key files of the published manifest's signature.
    #[serde(default)]
    pub sign: crate::sign::SignOptions,
    /// `[licence]`: the licence of the dossier's text and data, which the
    /// data pages name beside every file.
    #[serde(default)]
    pub licence: Option<Licence>,
    /// `[publisher]`: who publishes the dossier and how to reach them.
    #[serde(default)]
    pub publisher: Publisher,
    /// `[share]`: what a link to a page shows when it is shared.
    #[serde(default)]
    pub share: ShareOptions,
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    pub name: String,
    #[serde(default)]
    pub direction: Direction,
    /// The site's title and description on this language's pages; the
    /// top-level ones where absent.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The publisher's name in this language; `[publisher] name` where
    /// absent.
    #[serde(default)]
    pub publisher: Option<String>,
    /// The digits the theme writes numbers with on this language's pages;
    /// [`Digits::default_for`] the language where absent.
    #[serde(default)]
    pub digits: Option<Digits>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildOptions {
    #[serde(default = "default_output")]
    pub output_dir: String,
    /// Build the search index (`pagefind/`). Indexing is most of the build
    /// time of a very large dossier; `false` leaves search out.
    #[serde(default = "default_true")]
    pub search: bool,
    /// The largest Markdown file, template or strings file read, in bytes.
    #[serde(default = "default_max_file_size")]
    pub max_file_size: u64,
    /// Names of entries at the top of the output folder that a build did not
    /// write and carries over into every new output (a gh-pages worktree's
    /// `.git`, `CNAME`), instead of refusing to replace the folder.
    #[serde(default = "default_keep")]
    pub keep: Vec<String>,
    /// Indent the JSON exports (`data/*.json`) for people reading them:
    /// `true` or `false`; unset, they are indented only for a dossier of at
    /// most [`PRETTY_JSON_LIMIT`] documents, so a large one's exports are
    /// not a third white space.
    #[serde(default)]
    pub pretty_json: Option<bool>,
    /// What a build does with a file under `content/` that a browser would
    /// open as a page or run (HTML, SVG, XML, scripts): refuse it (the
    /// default), or publish it, accepting that its script runs as the site.
    #[serde(default)]
    pub active_attachments: ActiveAttachments,
    /// Images published with their EXIF, XMP and IPTC metadata, named from
    /// `content/` (`files/map.png`): every other JPEG, PNG and WebP loses
    /// it, since a photo's EXIF data can say where it was taken and with
    /// which device.
    #[serde(default)]
    pub keep_metadata: Vec<String>,
}

/// `[build] active_attachments`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActiveAttachments {
    #[default]
    Refuse,
    Publish,
}

/// The most documents a dossier may have for its JSON exports to be
/// indented unless `[build] pretty_json` says otherwise.
pub const PRETTY_JSON_LIMIT: usize = 1000;

/// What a GitHub Pages branch holds besides the site.
pub const DEFAULT_KEEP: [&str; 3] = [".git", "CNAME", ".nojekyll"];

fn default_keep() -> Vec<String> {
    DEFAULT_KEEP.map(String::from).to_vec()
}

/// 8 MiB: far above any document of the shipped dossier (a few kilobytes),
/// far below what would make a build crawl.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

fn default_max_file_size() -> u64 {
    DEFAULT_MAX_FILE_SIZE
}

/// The web editor that `dossier cms` sets up (`static/admin/`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CmsOptions {
    /// Where the editor page loads the CMS from. Only `admin/index.html`
    /// loads it; no reader page does.
    #[serde(default = "default_cms_script")]
    pub script: String,
    /// Decap's backend: where saved changes go (`git-gateway`, `github`,
    /// `gitlab`, ...).
    #[serde(default = "default_cms_backend")]
    pub backend: String,
    /// `owner/name` of the repository, for the `github` and `gitlab`
    /// backends.
    #[serde(default)]
    pub repo: Option<String>,
    #[serde(default = "default_cms_branch")]
    pub branch: String,
}

/// The default CMS script: one pinned release of Decap CMS, so that the
/// editor does not change under an editor's hands.
pub const DEFAULT_CMS_SCRIPT: &str = "https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js";

fn default_cms_script() -> String {
    DEFAULT_CMS_SCRIPT.to_string()
}

fn default_cms_backend() -> String {
    "git-gateway".to_string()
}

fn default_cms_branch() -> String {
    "main".to_string()
}

impl Default for CmsOptions {
    fn default() -> Self {
        CmsOptions {
            script: default_cms_script(),
            backend: default_cms_backend(),
            repo: None,
            branch: default_cms_branch(),
        }
    }
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            output_dir: default_output(),
            search: true,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            keep: default_keep(),
            pretty_json: None,
            active_attachments: ActiveAttachments::Refuse,
            keep_metadata: Vec::new(),
        }
    }
}

/// `[check]`: how strict `dossier check` and `dossier build` are about
/// what the content model recommends but does not require.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckOptions {
    /// A warning for each paragraph of an incident, demand or figure body
    /// with neither a citation nor ` {.editorial}`; `off` for a dossier
    /// still moving its older text to citations.
    #[serde(default)]
    pub uncited_paragraphs: Strictness,
    /// A warning for each source with neither `url` nor `archive` whose
    /// `copy` does not say what was read instead.
    #[serde(default)]
    pub sources_without_copy: Strictness,
    /// An incident that lists no source is an error (the default: no claim
    /// goes in without one), or only a warning (`warn`), for a dossier
    /// still finding the sources of what it has published.
    #[serde(default)]
    pub incidents_without_sources: Requirement,
    /// `dossier check` and `dossier build` fail on warnings too, as
    /// `--strict` does: for a dossier's CI that keeps it free of warnings.
    #[serde(default)]
    pub strict: bool,
}

/// `[publisher]`: who publishes the dossier (named in every page's footer,
/// the about page and every citation), its website, how to reach its
/// editors and where to send a correction. An address is a web address or
/// an email address.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub contact: Option<String>,
    #[serde(default)]
    pub corrections: Option<String>,
}

/// An address of `[publisher]` as a link: an email address gets `mailto:`.
pub fn address_href(address: &str) -> String {
    let address = address.trim();
    if address.contains('@') && !address.contains(':') && !address.contains('/') {
        format!("mailto:{address}")
    } else {
        address.to_string()
    }
}

/// `[licence]`: the name of the licence and where it is written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
}

/// `[share]`: link previews. `images = false` leaves out the share image
/// drawn for each document (`crate::share`), for a site that wants the
/// build's speed more than pictures in shared links.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareOptions {
    #[serde(default = "default_true")]
    pub images: bool,
}

impl Default for ShareOptions {
    fn default() -> Self {
        ShareOptions { images: true }
    }
}

/// `[cite]`: how each page's "Cite this page" reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CiteOptions {
    /// Who publishes the dossier, named in every page's citation.
    #[serde(default)]
    pub publisher: Option<String>,
    /// The CSL style, by the short name hayagriva knows it by (`apa`,
    /// `chicago-author-date`, `modern-language-association`, `ieee`).
    #[serde(default = "default_cite_style")]
    pub style: String,
}

impl Default for CiteOptions {
    fn default() -> Self {
        CiteOptions {
            publisher: None,
            style: default_cite_style(),
        }
    }
}

fn default_cite_style() -> String {
    crate::citation::DEFAULT_STYLE.to_string()
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strictness {
    #[default]
    Warn,
    Off,
}

/// Whether a rule of the content model stops the build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Requirement {
    /// An error: nothing is published until it is met.
    #[default]
    Error,
    /// A warning: the build goes on.
    Warn,
}

fn default_true() -> bool {
    true
}

fn default_language() -> String {
    "en".to_string()
}

fn default_theme() -> String {
    "default".to_string()
}

fn default_output() -> String {
    "public".to_string()
}

/// Where the settings that are checked after parsing are written, as toml
/// reports them (`toml::Spanned`): a diagnostic about a setting points at
/// the setting, not at the first place its text occurs in the file.
#[derive(Default, Deserialize)]
#[serde(default)]
struct Positions {
    default_language: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
    languages: BTreeMap<Spanned<String>, IgnoredAny>,
    build: BuildPositions,
    cite: CitePositions,
    sign: SignPositions,
    publisher: PublisherPositions,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct PublisherPositions {
    url: Option<Spanned<String>>,
    contact: Option<Spanned<String>>,
    corrections: Option<Spanned<String>>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct SignPositions {
    secret_key: Option<Spanned<String>>,
    public_key: Option<Spanned<String>>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct BuildPositions {
    keep: Vec<Spanned<String>>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct CitePositions {
    style: Option<Spanned<String>>,
}

/// The addresses of `[publisher]`: each a web or email address a reader's
/// browser may follow.
fn check_publisher(
    publisher: &Publisher,
    positions: &PublisherPositions,
    locate: &dyn Fn(Option<&Spanned<String>>) -> Location,
) -> Vec<Diagnostic> {
    [
        ("url", &publisher.url, &positions.url),
        ("contact", &publisher.contact, &positions.contact),
        ("corrections", &publisher.corrections, &positions.corrections),
    ]
    .into_iter()
    .filter_map(|(key, address, position)| {
        let href = address_href(address.as_deref()?);
        let refused = crate::safety::check_url(&href).is_err() || !href.contains(':');
        refused.then(|| {
            Diagnostic::error(
                Code::BadSetting,
                format!("`{}` in `[publisher] {key}` is not a web or email address", address.as_deref().unwrap_or_default()),
            )
            .at(locate(position.as_ref()))
            .hint("write a full web address (`https://example.org/contact`) or an email address (`editors@example.org`)")
        })
    })
    .collect()
}

/// Where a setting is in site.toml's `text`, or its start when it is not
/// written there.
fn locate(path: &Path, text: &str, span: Option<&Spanned<String>>) -> Location {
    match span {
        Some(span) => {
            let range = unquoted(text, span.span());
            Location::at(path, text, range.start, range.len())
        }
        None => Location::at(path, text, 0, 0),
    }
}

/// Where site.toml's `text` names the language `code` (its
/// `[languages.<code>]` table, else `default_language`), for a check of the
/// code made after parsing.
pub fn language_location(path: &Path, text: &str, code: &str) -> Location {
    let positions: Positions = toml::from_str(text).unwrap_or_default();
    let span = positions
        .languages
        .get_key_value(code)
        .map(|(key, _)| key)
        .or(positions
            .default_language
            .as_ref()
            .filter(|default| default.get_ref() == code));
    locate(path, text, span)
}

/// A string's span without its quotes: the caret goes under the text.
fn unquoted(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let written = text.get(span.clone()).unwrap_or_default();
    let quoted = written.len() >= 2
        && (written.starts_with('"') || written.starts_with('\''))
        && written.ends_with(&written[..1]);
    if quoted {
        span.start + 1..span.end - 1
    } else {
        span
    }
}

impl Config {
    /// Parses `site.toml`. `path` is only used to name the file in diagnostics.
    pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let mut config: Config = toml::from_str(text).map_err(|error| {
            let (message, hint) = improve_serde_message(error.message());
            let span = error.span().unwrap_or(0..0);
            vec![
                Diagnostic::error(Code::BadSetting, format!("{} in site settings", message))
                    .at(Location::at(path, text, span.start, span.len()))
                    .maybe_hint(hint),
            ]
        })?;
        let mut problems = Vec::new();
        // The text parsed once already: this second reading cannot fail.
        let positions: Positions = toml::from_str(text).unwrap_or_default();
        let locate = |span: Option<&Spanned<String>>| locate(path, text, span);
        if !is_language_code(&config.default_language) {
            problems.push(
                Diagnostic::error(
                    Code::BadLanguageCode,
                    format!("`{}` is not a language code", config.default_language),
                )
                .at(locate(positions.default_language.as_ref()))
                .hint("use a lowercase code such as `en` or `ar`"),
            );
        }
        for code in config.languages.keys() {
            if !is_language_code(code) {
                problems.push(
                    Diagnostic::error(
                        Code::BadLanguageCode,
                        format!("`{code}` is not a language code"),
                    )
                    .at(locate(
                        positions
                            .languages
                            .get_key_value(code.as_str())
                            .map(|(k, _)| k),
                    ))
                    .hint("use a lowercase code such as `en` or `ar`"),
                );
            }
        }
        if crate::citation::style(&config.cite.style).is_none() {
            problems.push(
                Diagnostic::error(
                    Code::BadSetting,
                    format!("`{}` is not a citation style", config.cite.style),
                )
                .at(locate(positions.cite.style.as_ref()))
                .hint("use the short name of a CSL style, such as `apa`, `chicago-author-date`, `modern-language-association` or `ieee`"),
            );
        }
        for name in &config.build.keep {
            if !crate::trust::is_keepable(name) {
                problems.push(
                    Diagnostic::error(
                        Code::BadSetting,
                        format!("`{name}` in `keep` is not the name of an entry at the top of the output folder"),
                    )
                    .at(locate(positions.build.keep.iter().find(|k| k.get_ref() == name)))
                    .hint("name a file or folder directly in the output, such as `CNAME` or `.git`, without `/`"),
                );
            }
        }
        if let Some(url) = &config.base_url
            && let Some(problem) = check_base_url(url)
        {
            problems.push(problem.at(locate(positions.base_url.as_ref())));
        }
        if let Some(key) = &config.sign.public_key
            && let Some(problem) = crate::sign::check_public_key(key)
        {
            problems.push(problem.at(locate(positions.sign.public_key.as_ref())));
        }
        if let Some(key) = &config.sign.secret_key
            && let Some(problem) = crate::sign::check_secret_key_setting(key)
        {
            problems.push(problem.at(locate(positions.sign.secret_key.as_ref())));
        }
        problems.extend(check_publisher(
            &config.publisher,
            &positions.publisher,
            &locate,
        ));
        if !config.languages.contains_key(&config.default_language) {
            let name = if config.default_language == "en" {
                "English".to_string()
            } else {
                config.default_language.clone()
            };
            config.languages.insert(
                config.default_language.clone(),
                Language {
                    name,
                    direction: Direction::Ltr,
                    title: None,
                    description: None,
                    publisher: None,
                    digits: None,
                },
            );
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// What site.toml's `text` leaves to the default language though it
    /// reads: a language without a `title` of its own, whose pages show the
    /// default language's title in its place.
    pub fn warnings(&self, path: &Path, text: &str) -> Vec<Diagnostic> {
        let default = &self.default_language;
        self.languages
            .iter()
            .filter(|(code, language)| *code != default && language.title.is_none())
            .map(|(code, language)| {
                Diagnostic::warning(
                    Code::LanguageWithoutTitle,
                    format!(
                        "{} (`{code}`) has no `title` of its own: its pages show the `{default}` title",
                        language.name
                    ),
                )
                .at(language_location(path, text, code))
                .hint(format!(
                    "write the dossier's title in {} as `title = \"...\"` under [languages.{code}]",
                    language.name
                ))
            })
            .collect()
    }

    /// The site's title and description on `lang`'s pages: the
    /// language's own where `site.toml` gives them, else the top-level ones.
    pub fn title_in(&self, lang: &str) -> (&str, &str) {
        let language = self.languages.get(lang);
        (
            language
                .and_then(|l| l.title.as_deref())
                .unwrap_or(&self.title),
            language
                .and_then(|l| l.description.as_deref())
                .unwrap_or(&self.description),
        )
    }

    /// Who publishes the dossier, as `lang`'s pages name it: the
    /// language's `publisher`, else `[publisher] name`, else none.
    pub fn publisher_in(&self, lang: &str) -> Option<&str> {
        self.languages
            .get(lang)
            .and_then(|l| l.publisher.as_deref())
            .or(self.publisher.name.as_deref())
    }

    pub fn is_default_language(&self, lang: &str) -> bool {
        self.default_language == lang
    }

    pub fn direction(&self, lang: &str) -> Direction {
        self.languages
            .get(lang)
            .map_or(Direction::Ltr, |language| language.direction)
    }

    /// The digits of `lang`'s pages: its `digits` setting, else the
    /// language's usual ones.
    pub fn digits(&self, lang: &str) -> Digits {
        self.languages
            .get(lang)
            .and_then(|language| language.digits)
            .unwrap_or_else(|| Digits::default_for(lang))
    }
}

/// What `base_url` must be, wherever it is given (site.toml or the command
/// line): one absolute `http:` or `https:` address with a host, and not one
/// white-space or control character, because it is copied as it is into
/// robots.txt (where a line break starts a rule of its own), the sitemap
/// and the feed. The problem is unlocated; site.toml's reading places it.
pub fn check_base_url(url: &str) -> Option<Diagnostic> {
    let odd = url.chars().find(|c| c.is_whitespace() || c.is_control());
    let after_scheme = ["https://", "http://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|written| written.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    });
    let has_host =
        after_scheme.is_some_and(|rest| !rest.starts_with(['/', '?', '#']) && !rest.is_empty());
    let why = match odd {
        Some('\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') => "it holds a line break",
        Some(c) if c.is_whitespace() => "it holds a space",
        Some(_) => "it holds a control character",
        None if after_scheme.is_none() => "it does not start with `https://` or `http://`",
        None if !has_host => "it names no host",
        None => return None,
    };
    Some(
        Diagnostic::error(
            Code::BadSetting,
            format!("`base_url` `{}` is not one web address: {why}", url.escape_debug()),
        )
        .hint("write the address the site is published at in full, for example https://example.org/dossier/"),
    )
}

/// Languages a dossier may add with `dossier i18n new`, by code: each
/// named in its own words, with its direction and digits. Persian, Urdu
/// and Sorani Kurdish are given the Arabic-Indic digits the theme knows
/// (`arab`), the nearest it has to their own.
const KNOWN_LANGUAGES: &[(&str, &str, Direction, Digits)] = &[
    ("ar", "العربية", Direction::Rtl, Digits::Arab),
    ("ckb", "کوردی", Direction::Rtl, Digits::Arab),
    ("de", "Deutsch", Direction::Ltr, Digits::Latn),
    ("en", "English", Direction::Ltr, Digits::Latn),
    ("es", "español", Direction::Ltr, Digits::Latn),
    ("fa", "فارسی", Direction::Rtl, Digits::Arab),
    ("fr", "français", Direction::Ltr, Digits::Latn),
    ("he", "עברית", Direction::Rtl, Digits::Latn),
    ("it", "italiano", Direction::Ltr, Digits::Latn),
    ("kmr", "Kurmancî", Direction::Ltr, Digits::Latn),
    ("nl", "Nederlands", Direction::Ltr, Digits::Latn),
    ("pt", "português", Direction::Ltr, Digits::Latn),
    ("ru", "русский", Direction::Ltr, Digits::Latn),
    ("sv", "svenska", Direction::Ltr, Digits::Latn),
    ("tr", "Türkçe", Direction::Ltr, Digits::Latn),
    ("ur", "اردو", Direction::Rtl, Digits::Arab),
];

/// A language as `dossier i18n new` declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLanguage {
    pub code: String,
    /// The language's own name for itself (`français`).
    pub name: String,
    pub direction: Direction,
    pub digits: Digits,
    /// Whether the code is one of the languages `KNOWN_LANGUAGES` lists (a region, as in
    /// `pt-br`, is read by its language); an unknown one is declared
    /// left to right with Latin digits and named by its code.
    pub known: bool,
}

impl NewLanguage {
    pub fn for_code(code: &str) -> NewLanguage {
        let primary = code.split('-').next().unwrap_or(code);
        match KNOWN_LANGUAGES.iter().find(|(known, ..)| *known == primary) {
            Some(&(_, name, direction, digits)) => NewLanguage {
                code: code.to_string(),
                name: name.to_string(),
                direction,
                digits,
                known: true,
            },
            None => NewLanguage {
                code: code.to_string(),
                name: code.to_string(),
                direction: Direction::Ltr,
                digits: Digits::Latn,
                known: false,
            },
        }
    }

    /// Its `[languages.<code>]` table, as site.toml writes it.
    fn table(&self) -> String {
        let direction = match self.direction {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        };
        format!(
            "[languages.{code}]\nname = {name}\ndirection = \"{direction}\"\ndigits = \"{digits}\"\n\
             # The dossier's title and description on the {name_plain} pages; the\n\
             # default language's are shown until they are written here.\n\
             # title = \"\"\n# description = \"\"\n",
            code = self.code,
            name = toml::Value::String(self.name.clone()),
            name_plain = self.name,
            digits = self.digits.as_str(),
        )
    }
}

/// site.toml's `text` with `language` declared: its table is added after
/// the last `[languages.*]` table (at the end when there is none), and
/// every other line is kept as it was, comments and order included. The
/// result is parsed again, and refused unless it reads and declares the
/// language as meant: what could not be added is said with the table to
/// add by hand.
pub fn add_language(path: &Path, text: &str, language: &NewLanguage) -> Result<String, String> {
    let table = language.table();
    let by_hand = || format!("add this to {} yourself:\n\n{table}", path.display());
    let positions: Positions = toml::from_str(text).map_err(|_| {
        format!(
            "{} cannot be read; run `dossier check` to see why, then {}",
            path.display(),
            by_hand()
        )
    })?;
    let last_table_at = positions
        .languages
        .keys()
        .map(|key| key.span().end)
        .max()
        .filter(|&end| {
            text[..end]
                .lines()
                .last()
                .is_some_and(|line| line.trim_start().starts_with('['))
        });
    let at = match last_table_at {
        Some(end) => end_of_table(text, end),
        None => text.len(),
    };
    let (before, after) = text.split_at(at);
    let mut edited = before.trim_end_matches('\n').to_string();
    if !edited.is_empty() {
        edited.push_str("\n\n");
    }
    edited.push_str(&table);
    if !after.trim().is_empty() {
        edited.push('\n');
        edited.push_str(after.trim_start_matches('\n'));
    }
    let config = Config::parse(path, &edited).map_err(|_| by_hand())?;
    let declared = config
        .languages
        .get(&language.code)
        .is_some_and(|declared| {
            declared.name == language.name
                && declared.direction == language.direction
                && declared.digits == Some(language.digits)
        });
    if declared { Ok(edited) } else { Err(by_hand()) }
}

/// Where the table whose header ends at byte `header_end` of `text` ends:
/// before the next table's header, the comment lines right above it (they
/// are about that table) and the blank lines above those; or at the end.
fn end_of_table(text: &str, header_end: usize) -> usize {
    let rest = text[header_end..]
        .find('\n')
        .map_or(text.len(), |i| header_end + i + 1);
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut offset = rest;
    for line in text[rest..].split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            let mut kept = lines.len();
            for belongs_below in [|line: &str| line.starts_with('#'), str::is_empty] {
                while kept > 0 && belongs_below(lines[kept - 1].1.trim()) {
                    kept -= 1;
                    offset = lines[kept].0;
                }
            }
            return offset;
        }
        lines.push((offset, line));
        offset += line.len();
    }
    text.len()
}

/// Two or three lowercase letters, optionally followed by a region
/// (`pt-br`): what `slug.LANG.md` file names and `/LANG/` URLs use.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_the_nearest_one() {
        let problems = Config::parse(Path::new("site.toml"), "titel = \"x\"\n").unwrap_err();
        let text = problems[0].to_string();
        assert!(text.contains("unknown field `titel`"), "{text}");
        assert!(text.contains("did you mean `title`?"), "{text}");
        assert!(text.contains("site.toml:1:1"), "{text}");
    }

    #[test]
    fn default_language_is_always_declared() {
        let config = Config::parse(Path::new("site.toml"), "title = \"x\"\n").unwrap();
        assert!(config.languages.contains_key("en"));
    }
}
