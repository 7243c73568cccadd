//! One input of each fuzz target (`fuzz/fuzz_targets/`), with the
//! invariants each must keep whatever the bytes: no panic, diagnostics that
//! point inside the file, no script in rendered bodies, request paths that
//! stay inside the site. The fuzz targets call these, and `tests/it/fuzz.rs`
//! replays the seed corpus (`fuzz/corpus/`) through them on stable Rust.
//! Never touches the file system.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::model::{Collection, DocKind};
use crate::policy::RawHtml;

/// Checks that a diagnostic about `text` points inside it and renders.
fn check_diagnostic(diagnostic: &Diagnostic, text: &str) {
    if let Some(location) = &diagnostic.location {
        let lines = text.split('\n').count();
        assert!(
            location.line >= 1 && location.line <= lines,
            "line {} of {lines}",
            location.line
        );
        assert!(location.column >= 1);
    }
    let _ = diagnostic.render(false);
}

/// A document file: front matter split, then read as every collection.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("content/incidents/fuzz.md");
    let parts = match crate::front_matter::split(path, text) {
        Ok(parts) => parts,
        Err(problem) => return check_diagnostic(&problem, text),
    };
    assert!(parts.yaml.end <= text.len() && parts.body_start <= text.len());
    let kinds = Collection::ALL
        .into_iter()
        .map(DocKind::Entry)
        .chain([DocKind::Page]);
    for kind in kinds {
        let (_, problems) = crate::model::read_document(
            kind,
            "fuzz".to_string(),
            String::new(),
            PathBuf::from(path),
            text.to_string(),
            &parts,
        );
        for problem in &problems {
            check_diagnostic(problem, text);
        }
    }
}

/// A Markdown body with `@/` links and citations, rendered under each
/// raw-HTML setting that does not trust the author.
pub fn markdown(data: &[u8]) {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let resolve = |path: &str| {
        path.strip_prefix("@/")
            .map(|p| format!("../../{}/index.html", p.trim_end_matches(".md")))
    };
    // Keys of even length are known sources, the others unknown: both
    // paths of the note renderer run.
    let lookup = |slug: &str| {
        slug.len()
            .is_multiple_of(2)
            .then(|| crate::cite::NoteSource {
                slug: slug.to_string(),
                title: format!("Source {slug}"),
                href: Some(format!("../../sources/{slug}/index.html")),
                original_url: None,
                archive_url: None,
            })
    };
    let _ = crate::markdown::scan_links(body, 0);
    let scanned = crate::cite::scan(body, 0);
    for item in scanned.citations.iter().flat_map(|c| &c.items) {
        assert!(item.offset + item.key.len() <= body.len());
    }
    let digits = [crate::locale::Digits::Latn, crate::locale::Digits::Arab];
    for (raw_html, digits) in [RawHtml::Escape, RawHtml::Sanitize].into_iter().zip(digits) {
        let plain = crate::markdown::render(body, &resolve, raw_html);
        let cited = crate::cite::render(
            body,
            &crate::cite::RenderContext {
                resolve: &resolve,
                files: &crate::markdown::no_files,
                lookup: &lookup,
                editorial_label: "Editorial",
                note_label: "Note",
                id_prefix: "",
                raw_html,
                digits,
            },
        );
        for html in [plain, cited.html] {
            // Text keeps `<` escaped, so every `<` opens real markup: only
            // tags are checked (escaped raw HTML may spell `src="javascript:`
            // as harmless text, and a relative URL may hold `javascript:`
            // after its start).
            for tag in html
                .split('<')
                .skip(1)
                .map(|rest| rest.split('>').next().unwrap_or(rest))
            {
                assert!(
                    !tag.to_ascii_lowercase().starts_with("script"),
                    "a script in {html}"
                );
                // A URL attribute a browser would follow to a refused scheme.
                for url in attribute_urls(tag) {
                    assert!(
                        browser_scheme(&url).is_none_or(|scheme| {
                            crate::safety::ALLOWED_SCHEMES.contains(&scheme.as_str())
                        }),
                        "a refused URL {url:?} in {html}"
                    );
                }
            }
        }
    }
    let _ = crate::markdown::check_policy(Path::new("content/fuzz.md"), body, 0, RawHtml::Escape);
}

/// The scheme a browser reads at the start of `url`, lower-cased, if it
/// has one: a letter, then letters, digits, `+`, `-` or `.`, then `:`,
/// once leading controls and spaces and every tab and line break are
/// dropped. (The build refuses more, e.g. percent escapes before a colon;
/// what is checked here is what a reader's browser would follow.)
fn browser_scheme(url: &str) -> Option<String> {
    let cleaned = crate::safety::as_browsers_read(url);
    let colon = cleaned.find(':')?;
    let scheme = &cleaned[..colon];
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// The values of a tag's `href` and `src` attributes as a browser reads
/// them: the escapes the renderer writes, decoded.
fn attribute_urls(tag: &str) -> Vec<String> {
    let lower = tag.to_ascii_lowercase();
    let mut urls = Vec::new();
    for name in [" href=\"", " src=\""] {
        for (at, _) in lower.match_indices(name) {
            let value = &tag[at + name.len()..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            urls.push(
                value
                    .replace("&quot;", "\"")
                    .replace("&#39;", "'")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            );
        }
    }
    urls
}

/// A `site.toml`.
pub fn site_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(problems) = crate::config::Config::parse(Path::new("site.toml"), text) {
        for problem in &problems {
            check_diagnostic(problem, text);
        }
    }
}

/// The path of a request to `serve`: what it maps to never leaves the
/// site, and the redirect for a folder names this host.
pub fn serve_path(data: &[u8]) {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let Some(path) = crate::serve::output_path(raw) else {
        return;
    };
    assert!(!path.starts_with('/'), "{path:?}");
    assert!(!path.contains(['\\', ':', '\0']), "{path:?}");
    assert!(
        path.split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".."),
        "{path:?}"
    );
    let redirect = crate::serve::folder_redirect(&path);
    assert!(
        redirect.starts_with('/') && !redirect.starts_with("//"),
        "{redirect:?}"
    );
}
