//! One module per subcommand, each with its `Args` and one `run` function.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dossier::{Mode, Report};

/// Runs a build in `mode` (`build` publishes, `check` does not) and
/// reports it the same way for both.
pub fn build_and_finish(
    root: PathBuf,
    drafts: bool,
    mode: Mode,
    timings: bool,
) -> anyhow::Result<ExitCode> {
    let verb = match mode {
        Mode::Check => "check",
        Mode::Publish { .. } => "build",
    };
    let report = dossier::build(&dossier::Options {
        root: root.clone(),
        drafts,
        mode,
    })?;
    if timings {
        for (stage, duration) in &report.stages {
            eprintln!("{:>8.3} s  {stage}", duration.as_secs_f64());
        }
    }
    let root = dossier::write::absolute(&root)?;
    Ok(finish(&report, verb, &root))
}

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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}
