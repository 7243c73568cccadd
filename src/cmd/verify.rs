//! `dossier verify`: check a copy of a site against its signed manifest.

use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use dossier::verify::{self, Copy};

#[derive(clap::Args)]
#[command(
    after_help = "A folder is checked for missing, changed and added files. A mirror (an http:// or https:// address) cannot list its files, so only missing and changed files are found there, not added ones."
)]
pub struct Args {
    /// The copy to check: a folder, or the http:// or https:// address a
    /// mirror serves the site at.
    pub copy: String,
    /// The publisher's public key: its `RW...` line, or a .pub file.
    /// Without it, `[sign] public_key` of site.toml in the current folder.
    #[arg(long, value_name = "PUBKEY")]
    pub key: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let key = match &args.key {
        Some(key) => verify::key_from_argument(key)?,
        None => key_of_this_site()?,
    };
    let verdict = verify::verify(&Copy::of(&args.copy), &key)?;
    for problem in &verdict.problems {
        eprintln!("{problem}");
    }
    if verdict.intact() {
        eprintln!(
            "verify: {} is intact: {} files as listed in its manifest, signed by key {}",
            args.copy, verdict.checked, verdict.key_id
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "verify failed: {} {} in {}; it is not the copy the key's owner signed",
            verdict.problems.len(),
            if verdict.problems.len() == 1 {
                "problem"
            } else {
                "problems"
            },
            args.copy
        );
        Ok(ExitCode::FAILURE)
    }
}

/// `[sign] public_key` of the site in the current folder.
fn key_of_this_site() -> anyhow::Result<minisign::PublicKey> {
    let root = Path::new(".");
    let missing = "no key to check with: pass --key with the publisher's public key (its RW... line or .pub file)";
    let Ok(text) = dossier::discover::read_config(root) else {
        bail!("{missing}");
    };
    let config = match dossier::config::Config::parse(Path::new(dossier::config::FILE_NAME), &text)
    {
        Ok(config) => config,
        Err(problems) => {
            super::print_problems(&problems);
            bail!("site.toml here cannot be read, so its public key cannot be used; pass --key");
        }
    };
    match config.sign.public_key {
        Some(key) => dossier::sign::parse_public_key(&key).map_err(anyhow::Error::msg),
        None => bail!("{missing}; site.toml here has no `[sign] public_key`"),
    }
}
