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

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Annotated snippets for people, on stderr.
    #[default]
    Human,
    /// One JSON object per line on stdout, a summary object last.
    Json,
    /// GitHub Actions workflow commands on stdout (annotations on the files).
    Github,
}

/// Prints every diagnostic, then one summary line, and returns the exit code.
/// `given_root` is the `--root` as typed, so that machine formats name
/// files as seen from where the command was run.
pub fn finish(
    report: &Report,
    verb: &str,
    root: &Path,
    format: Format,
    given_root: &Path,
) -> ExitCode {
    let errors = report.errors();
    let warnings = report.warnings();
    let prefix = if given_root == Path::new(".") {
        Path::new("")
    } else {
        given_root
    };
    match format {
        Format::Human => {
            let color = crate::use_color();
            for diagnostic in &report.diagnostics {
                eprintln!("{}\n", diagnostic.render(color));
            }
        }
        Format::Json => {
            for diagnostic in &report.diagnostics {
                println!("{}", dossier::machine::json(diagnostic, prefix));
            }
            println!(
                "{}",
                dossier::machine::json_summary(errors, warnings, report.succeeded())
            );
            return exit_code(report);
        }
        Format::Github => {
            for diagnostic in &report.diagnostics {
                println!("{}", dossier::machine::github(diagnostic, prefix));
            }
        }
    }
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
    } else {
        eprintln!(
            "{verb} failed: {counts}; nothing was written, the published site is as it was; {seconds:.2} s"
        );
    }
    exit_code(report)
}

fn exit_code(report: &Report) -> ExitCode {
    if report.succeeded() {
        ExitCode::SUCCESS
    } else {
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
