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
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    super::build_and_finish(args.root, args.drafts, Mode::Check, false)
}
