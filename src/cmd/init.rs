//! `dossier init`: create a new dossier folder that builds at once, with
//! the files that publish it on the chosen host.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use dossier::scaffold::{self, Host};

#[derive(clap::Args)]
pub struct Args {
    /// The folder to create.
    pub dir: PathBuf,
    /// The dossier's title.
    #[arg(long, default_value = "A new dossier")]
    pub title: String,
    /// Where it will be published: github (a GitHub Pages workflow),
    /// gitlab (.gitlab-ci.yml), netlify (netlify.toml), cloudflare
    /// (a build script for Cloudflare Pages) or none.
    #[arg(long, default_value = "github", value_parser = Host::ALL.map(Host::name))]
    pub host: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Some(host) = Host::from_word(&args.host) else {
        bail!("`{}` is not a host", args.host);
    };
    if let Some(problem) = scaffold::title_problem(&args.title) {
        bail!("{problem}");
    }
    if args.dir.exists() && std::fs::read_dir(&args.dir)?.next().is_some() {
        bail!(
            "{} exists and is not empty; choose a new folder",
            args.dir.display()
        );
    }
    dossier::write::create_new_files(&args.dir, &scaffold::site(&args.title, host))?;
    eprintln!(
        "init: created {0}. Next: cd {0} && dossier serve, then read README.md",
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
