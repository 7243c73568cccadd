//! Loading the theme's templates into Tera, with every syntax error located
//! in its template, and turning Tera's errors into diagnostics.

use std::sync::Arc;

use tera::Tera;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::discover::TemplateFile;
use crate::i18n::Strings;
use crate::urls::Planned;

use super::filters::register_filters;
use super::view::site_value;

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
        .insert_value("site", site_value(config, &config.default_language));
    Ok(tera)
}

/// The most one rendered page may weigh. No page of a dossier comes near
/// it (a print part of 150 documents is a few MiB); a page past it comes
/// from loops that run away.
const MAX_PAGE_BYTES: usize = 64 << 20;

/// Renders one page from `template`, every error a diagnostic. Rendering
/// stops once the page passes `MAX_PAGE_BYTES`: Tera 2 bounds neither
/// loops nor output, so nested loops that multiply would otherwise fill
/// memory for as long as they run.
pub fn render_page(
    tera: &Tera,
    template: &str,
    context: &tera::Context,
    templates: &[TemplateFile],
) -> Result<String, Diagnostic> {
    let mut page = BoundedPage::default();
    match tera.render_to(template, context, &mut page) {
        // Tera writes whole strings, and a refused one is not written.
        Ok(()) => Ok(String::from_utf8_lossy(&page.bytes).into_owned()),
        Err(_) if page.passed => {
            // Said in the message: the renderer's hint names the document.
            let problem = Diagnostic::error(
                Code::TemplateError,
                format!(
                    "the page rendered from template `{template}` grew past {} MiB: loops in it, or in a template it extends or includes, multiply each other or do not end",
                    MAX_PAGE_BYTES >> 20
                ),
            );
            Err(match templates.iter().find(|t| t.name == template) {
                Some(file) => problem.in_file(&file.path),
                None => problem,
            })
        }
        Err(error) => Err(template_problem(&error, templates)),
    }
}

/// A page being rendered, refusing to grow past [`MAX_PAGE_BYTES`].
#[derive(Default)]
struct BoundedPage {
    bytes: Vec<u8>,
    passed: bool,
}

impl std::io::Write for BoundedPage {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + bytes.len() > MAX_PAGE_BYTES {
            self.passed = true;
            return Err(std::io::Error::other("the page is too large"));
        }
        self.bytes.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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
            Diagnostic::error(
                Code::MissingTemplate,
                format!("the theme `{}` has no template `{name}`", config.theme),
            )
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
        return Diagnostic::error(Code::TemplateError, format!("template error: {message}"));
    };
    let kind = if syntax {
        "syntax error"
    } else {
        "error while rendering"
    };
    let diagnostic = Diagnostic::error(
        Code::TemplateError,
        format!(
            "{kind} in template `{}`: {}",
            report.filename(),
            report.message()
        ),
    );
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
        Diagnostic::error(
            Code::TemplateError,
            format!("error in template `{name}`: {message}"),
        )
        .at(Location::line_column(
            &template.path,
            &template.text,
            line,
            column,
            width,
        )),
    )
}
