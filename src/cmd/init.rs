//! `dossier init`: create a new dossier folder that builds at once, with
//! the files that publish it on the chosen host, and the map of the
//! countries it is about (`--country`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use dossier::geography;
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
    /// The country the dossier is about, by its two-letter ISO 3166-1 code
    /// (IQ for Iraq, CO for Colombia), in any case; several separated by
    /// commas. Its divisions and outline make the map. Without it, the map
    /// shows incidents by their coordinates only.
    #[arg(long, value_delimiter = ',')]
    pub country: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Some(host) = Host::from_word(&args.host) else {
        bail!("`{}` is not a host", args.host);
    };
    if let Some(problem) = scaffold::title_problem(&args.title) {
        bail!("{problem}");
    }
    let countries = geography::countries_named(&args.country).map_err(|e| anyhow!(e))?;
    if args.dir.exists() && std::fs::read_dir(&args.dir)?.next().is_some() {
        bail!(
            "{} exists and is not empty; choose a new folder",
            args.dir.display()
        );
    }
    let mut files = scaffold::site(&args.title, host);
    if !countries.is_empty() {
        files.push((
            geography::FILE.to_string(),
            geography::file_for(&countries).into_bytes(),
        ));
    }
    dossier::write::create_new_files(&args.dir, &files)?;
    if countries.is_empty() {
        eprintln!(
            "init: no country given, so the map shows incidents by their coordinates only. To draw a country's map and check its divisions, run `dossier geography XX` in the folder, XX the country's two-letter code (IQ for Iraq)."
        );
    } else {
        eprintln!("init: the map is of {}", geography::describe(&countries));
    }
    eprintln!(
        "init: created {0}. Next: cd {0} && dossier serve, then read README.md",
        args.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
