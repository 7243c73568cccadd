//! `dossier build`: publish the site.

use std::path::PathBuf;
use std::process::ExitCode;

use dossier::Mode;

#[derive(clap::Args)]
pub struct Args {
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to publish (default: `build.output_dir` from site.toml, `public`).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Publish documents marked `draft: true` too.
    #[arg(long)]
    pub drafts: bool,
    /// Print how long each stage took.
    #[arg(long)]
    pub timings: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mode = Mode::Publish {
        output: args.output,
    };
    super::build_and_finish(args.root, args.drafts, mode, args.timings)
}
