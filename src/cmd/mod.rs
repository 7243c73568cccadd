//! One module per subcommand, each with its `Args` and one `run` function.

pub mod build;
pub mod check;
pub mod cms;
pub mod init;
pub mod new;
pub mod schema;
pub mod serve;

use std::path::Path;
use std::process::ExitCode;

use dossier::Report;

/// Prints every diagnostic, then one summary line, and returns the exit code.
pub fn finish(report: &Report, verb: &str, root: &Path) -> ExitCode {
    let color = crate::use_color();
    for diagnostic in &report.diagnostics {
        eprintln!("{}\n", diagnostic.render(color));
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

/// Prints problems that stopped a command before it could start, such as an
/// unreadable site.toml, and returns the failing exit code.
pub fn print_problems(problems: &[dossier::Diagnostic]) -> ExitCode {
    let color = crate::use_color();
    for problem in problems {
        eprintln!("{}\n", problem.render(color));
    }
    ExitCode::FAILURE
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
