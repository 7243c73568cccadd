//! One module per subcommand, each with its `Args` and one `run` function.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;

use std::path::Path;
use std::process::ExitCode;

use dossier::Report;

/// Prints every diagnostic, then one summary line, and returns the exit code.
pub fn finish(report: &Report, verb: &str, root: &Path) -> ExitCode {
    let color = crate::use_color();
    for line in printed(&report.diagnostics, |d| d.render(color)) {
        eprintln!("{line}\n");
    }
    let errors = report.errors();
    let warnings = report.warnings();
    let counts = format!(
        "{} {}, {} {}",
        errors,
        plural(errors, "error"),
        warnings,
        plural(warnings, "warning")
    );
    let seconds = report.elapsed.as_secs_f64();
    if report.succeeded() {
        let place = match &report.output {
            Some(output) => format!(
                " to {}",
                output.strip_prefix(root).unwrap_or(output).display()
            ),
            None => String::new(),
        };
        eprintln!(
            "{verb}: {} {} and {} {}{place}; {counts}; {seconds:.2} s",
            report.pages,
            plural(report.pages, "page"),
            report.files,
            plural(report.files, "file"),
        );
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{verb} failed: {counts}; nothing was written, the published site is as it was; {seconds:.2} s"
        );
        ExitCode::FAILURE
    }
}

/// How many diagnostics of one file are printed; the rest are counted.
pub const PRINTED_PER_FILE: usize = 50;

/// The text printed for `diagnostics` (sorted by file): at most
/// [`PRINTED_PER_FILE`] for each file, then one line counting the rest, so
/// that a file with thousands of mistakes does not bury the others.
pub fn printed(
    diagnostics: &[dossier::Diagnostic],
    render: impl Fn(&dossier::Diagnostic) -> String,
) -> Vec<String> {
    let mut lines = Vec::new();
    let file_of = |d: &dossier::Diagnostic| d.location.as_ref().map(|l| l.path.clone());
    for group in diagnostics.chunk_by(|a, b| file_of(a) == file_of(b)) {
        lines.extend(group.iter().take(PRINTED_PER_FILE).map(&render));
        if let (Some(path), Some(rest)) = (
            file_of(&group[0]),
            group.len().checked_sub(PRINTED_PER_FILE).filter(|&n| n > 0),
        ) {
            lines.push(format!(
                "... and {rest} more {} in {}, not shown (fix these first)",
                plural(rest, "problem"),
                path.display()
            ));
        }
    }
    lines
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
