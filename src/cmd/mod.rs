//! One module per subcommand, each with its `Args` and one `run` function.

pub mod build;
pub mod check;
pub mod cms;
pub mod geography;
pub mod i18n;
pub mod init;
pub mod keygen;
pub mod new;
pub mod schema;
pub mod serve;
pub mod verify;
pub mod zim;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dossier::{Mode, Report};

/// What `build` and `check` both ask of a build.
pub struct Run {
    pub root: PathBuf,
    pub drafts: bool,
    pub mode: Mode,
    pub base_url: Option<String>,
    /// Warnings fail the run too (`--strict`).
    pub strict: bool,
    /// Signs the published manifest (`build --sign`).
    pub sign: Option<std::sync::Arc<dossier::sign::Signer>>,
}

/// Runs a build in `run.mode` (`build` publishes, `check` does not) and
/// reports it the same way for both.
pub fn build_and_finish(run: Run, timings: bool, format: Format) -> anyhow::Result<ExitCode> {
    let verb = match run.mode {
        Mode::Check => "check",
        Mode::Publish { .. } => "build",
    };
    let given_root = run.root;
    let report = dossier::build(&dossier::Options {
        root: given_root.clone(),
        drafts: run.drafts,
        mode: run.mode,
        base_url: run.base_url,
        sign: run.sign,
        strict: run.strict,
    })?;
    if timings {
        print_timings(&report);
    }
    if format == Format::Human {
        for note in &report.notes {
            eprintln!("note: {note}");
        }
    }
    let root = dossier::write::absolute(&given_root)?;
    let code = finish(&report, verb, &root, format, &given_root);
    if verb == "check" && format == Format::Human {
        eprintln!("sourcing: {}", report.sourcing);
    }
    Ok(code)
}

/// Prints how long each stage of a run took (`--timings`).
pub fn print_timings(report: &Report) {
    for (stage, duration) in &report.stages {
        eprintln!("{:>8.3} s  {stage}", duration.as_secs_f64());
    }
}

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
            for line in printed(&report.diagnostics, |d| d.render(color)) {
                eprintln!("{line}\n");
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
        if report.failed_by_strictness() {
            eprintln!(
                "{verb} is strict (--strict, or `strict = true` under [check] in site.toml): warnings fail it as errors do"
            );
        }
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
                dossier::diagnostic::visible(&path.display().to_string())
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
