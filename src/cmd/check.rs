//! `dossier check`: every check of a build, writing nothing; for a
//! dossier's own CI.

use std::path::PathBuf;
use std::process::ExitCode;

use dossier::Mode;

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
    /// Fail on warnings too, not only on errors (also `strict = true`
    /// under `[check]` in site.toml).
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    super::build_and_finish(
        super::Run {
            root: args.root,
            drafts: args.drafts,
            mode: Mode::Check,
            base_url: None,
            strict: args.strict,
            sign: None,
        },
        false,
        args.format,
    )
}
