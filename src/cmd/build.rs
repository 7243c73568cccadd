//! `dossier build`: publish the site.

use std::path::PathBuf;
use std::process::ExitCode;

use std::io::IsTerminal as _;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use dossier::Mode;
use dossier::sign::{PASSWORD_VARIABLE, Signer};

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
    /// The address this build will be published at, instead of `base_url`
    /// from site.toml (for a deploy preview). Only the feed, the sitemap,
    /// robots.txt, JSON-LD and the 404 page use it; links stay relative.
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
    /// Sign the published manifest (manifest.txt) with this secret key file
    /// (made by `dossier keygen`), instead of `[sign] secret_key` from
    /// site.toml. Its password is read from DOSSIER_SIGN_PASSWORD, else
    /// asked on the terminal.
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,
    /// Fail on warnings too, publishing nothing (also `strict = true`
    /// under `[check]` in site.toml).
    #[arg(long)]
    pub strict: bool,
}

/// `--base-url` is held to the rule of `base_url` in site.toml.
fn parse_base_url(text: &str) -> Result<String, String> {
    match dossier::config::check_base_url(text) {
        None => Ok(text.to_string()),
        Some(problem) => Err(match problem.hint {
            Some(hint) => format!("{}; {hint}", problem.message),
            None => problem.message,
        }),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // The key is read before the build, so that a wrong password or an
    // unreadable key stops it with the published output untouched.
    let sign = match args
        .sign
        .clone()
        .or_else(|| secret_key_in_site_toml(&args.root))
    {
        Some(path) => {
            if let Some(folder) = dossier::sign::published_folder(&args.root, &path) {
                anyhow::bail!(
                    "the secret key {} is inside the site's {folder}/ folder, which a build publishes; nothing was built: move the key out of the site (if it was ever published or committed, anyone can sign as you: make a new one with `dossier keygen`)",
                    path.display()
                );
            }
            Some(Arc::new(load_signer(&path)?))
        }
        None => None,
    };
    let mode = Mode::Publish {
        output: args.output,
    };
    super::build_and_finish(
        super::Run {
            root: args.root,
            drafts: args.drafts,
            mode,
            base_url: args.base_url,
            strict: args.strict,
            sign,
        },
        args.timings,
        super::Format::Human,
    )
}

/// `[sign] secret_key` of site.toml, as a path from the site. A site.toml
/// that cannot be read names no key here: the build reports why.
fn secret_key_in_site_toml(root: &Path) -> Option<PathBuf> {
    let text = dossier::discover::read_config(root).ok()?;
    let path = root.join(dossier::config::FILE_NAME);
    let config = dossier::config::Config::parse(&path, &text).ok()?;
    config.sign.secret_key.map(|key| root.join(key))
}

/// The secret key at `path`, decrypted with the password from
/// DOSSIER_SIGN_PASSWORD or, failing that, the terminal.
fn load_signer(path: &Path) -> anyhow::Result<Signer> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "cannot read the secret key {}; nothing was built",
            path.display()
        )
    })?;
    let password = match dossier::sign::is_encrypted(&text) {
        Some(true) => Some(match std::env::var(PASSWORD_VARIABLE) {
            Ok(password) => password,
            Err(_) if std::io::stdin().is_terminal() => rpassword::prompt_password(format!(
                "Password for the secret key {}: ",
                path.display()
            ))?,
            Err(_) => anyhow::bail!(
                "the secret key {} needs its password: set {PASSWORD_VARIABLE} (there is no terminal to ask on); nothing was built",
                path.display()
            ),
        }),
        _ => None,
    };
    Signer::load(path, password.as_deref()).map_err(|error| error.context("nothing was built"))
}
