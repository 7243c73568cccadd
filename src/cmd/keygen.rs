//! `dossier keygen`: make the key pair that signs a site's manifest.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use dossier::sign::{self, PASSWORD_VARIABLE};

#[derive(clap::Args)]
pub struct Args {
    /// The folder to write `dossier.key` (secret) and `dossier.pub`
    /// (public) into. Keep it outside the site's repository.
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    /// Store the secret key WITHOUT a password: anyone who gets a copy of
    /// the file can sign as you. Only for a machine that signs unattended
    /// and keeps the file as a secret (a CI secret, for example).
    #[arg(long)]
    pub no_password: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let password = if args.no_password {
        None
    } else {
        Some(new_password()?)
    };
    let keys = sign::generate(password.as_deref())?;
    let (secret, public) = sign::write_keys(&args.out, &keys)?;
    let protection = if password.is_some() {
        "protected by your password"
    } else {
        "NOT protected by a password: anyone with the file can sign"
    };
    println!(
        "keygen: made a signing key pair.\n\
         \n  secret key: {} ({protection})\n  public key: {}\n\
         \nThe secret key signs your site: never commit it to a repository or publish it.\n\
         Keep it outside the site folder (or add `{}` to .gitignore), and in CI store it as a secret.\n\
         \nTo publish the public key and have readers check copies with it, put this in site.toml:\n",
        secret.display(),
        public.display(),
        sign::SECRET_KEY_FILE,
    );
    println!("[sign]\npublic_key = \"{}\"", keys.public_line);
    println!(
        "\nThen sign each build with `dossier build --sign {}` (or `secret_key = \"<its path>\"` under [sign]).",
        secret.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The new key's password: from the environment variable for CI, else
/// asked twice on the terminal. An empty one is refused: no password is
/// said with `--no-password`.
fn new_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var(PASSWORD_VARIABLE) {
        if password.is_empty() {
            bail!(
                "{PASSWORD_VARIABLE} is empty; set a password, or pass --no-password to store the key without one"
            );
        }
        return Ok(password);
    }
    if !std::io::stdin().is_terminal() {
        bail!(
            "no terminal to ask for the secret key's password; set {PASSWORD_VARIABLE}, or pass --no-password to store the key without one"
        );
    }
    let first = rpassword::prompt_password("Password for the new secret key: ")?;
    if first.is_empty() {
        bail!(
            "no password given; nothing was written (pass --no-password to store the key without one)"
        );
    }
    let second = rpassword::prompt_password("The same password again: ")?;
    if first != second {
        bail!("the two passwords differ; nothing was written");
    }
    Ok(first)
}
