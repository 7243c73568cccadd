//! `dossier check`: every check of a build, writing nothing; for a
//! dossier's own CI.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Check documents marked `draft: true` as if they were published.
    #[arg(long)]
    pub drafts: bool,
    /// How to print problems: `human` (default), `json` (one object per
    /// line, then a summary) or `github` (annotations in GitHub Actions).
    #[arg(long, value_enum, default_value_t)]
    pub format: super::Format,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let report = dossier::build(&dossier::Options {
        root: args.root.clone(),
        output: None,
        drafts: args.drafts,
        write: false,
        base_url: None,
    })?;
    let root = dossier::write::absolute(&args.root)?;
    Ok(super::finish(
        &report,
        "check",
        &root,
        args.format,
        &args.root,
    ))
}
