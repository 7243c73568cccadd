//! `dossier build`: publish the site.

use std::path::PathBuf;
use std::process::ExitCode;

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
    let report = dossier::build(&dossier::Options {
        root: args.root.clone(),
        output: args.output,
        drafts: args.drafts,
        write: true,
    })?;
    if args.timings {
        for (stage, duration) in &report.stages {
            eprintln!("{:>8.3} s  {stage}", duration.as_secs_f64());
        }
    }
    let root = dossier::write::absolute(&args.root)?;
    Ok(super::finish(&report, "build", &root))
}
