//! `dossier init`: create a new dossier folder that builds at once.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use dossier::scaffold;

#[derive(clap::Args)]
pub struct Args {
    /// The folder to create.
    pub dir: PathBuf,
    /// The dossier's title.
    #[arg(long, default_value = "A new dossier")]
    pub title: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.dir.exists() && std::fs::read_dir(&args.dir)?.next().is_some() {
        bail!(
            "{} exists and is not empty; choose a new folder",
            args.dir.display()
        );
    }
    dossier::write::create_new_files(&args.dir, &scaffold::site(&args.title))?;
    eprintln!(
        "init: created {0}. Next: cd {0} && dossier serve, then read README.md",
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
