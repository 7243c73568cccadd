//! `dossier geography`: write the map of one country or several into a
//! dossier (`data/geography.json`), from the geography of every country
//! built into dossier.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use dossier::geography;

#[derive(clap::Args)]
pub struct Args {
    /// The countries the dossier is about, each by its two-letter ISO 3166-1
    /// code (IQ for Iraq, CO for Colombia), in any case.
    #[arg(required = true, value_delimiter = ',')]
    pub countries: Vec<String>,
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !args.root.join(dossier::config::FILE_NAME).is_file() {
        bail!(
            "{} has no site.toml; run this in a dossier's folder or pass --root",
            args.root.display()
        );
    }
    let countries = geography::countries_named(&args.countries).map_err(|e| anyhow!(e))?;
    let text = geography::file_for(&countries);
    dossier::write::replace_files(
        &args.root,
        &[(geography::FILE.to_string(), text.into_bytes())],
    )?;
    eprintln!(
        "geography: wrote {}: {}",
        geography::FILE,
        geography::describe(&countries)
    );
    Ok(ExitCode::SUCCESS)
}
