//! The `dossier` command line: parses arguments, calls the library, prints
//! diagnostics and turns the result into an exit code. Nothing else.

#![forbid(unsafe_code)]

mod cmd;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "dossier",
    version = dossier::VERSION,
    about = "Builds accountability dossiers: cross-linked static sites of demands, incidents, actors, sources and disputed figures."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder (public/ unless site.toml says otherwise).
    Build(cmd::build::Args),
    /// Run every check of a build, templates included, without writing anything.
    Check(cmd::check::Args),
    /// Preview the site on this computer, rebuilt and reloaded on every save.
    Serve(cmd::serve::Args),
    /// Start a new document with every field of its collection.
    New(cmd::new::Args),
    /// Start a new language: its interface strings to translate and its settings.
    I18n(cmd::i18n::Args),
    /// Create a new dossier folder that builds at once.
    Init(cmd::init::Args),
    /// Write the map of the countries the dossier is about (data/geography.json).
    Geography(cmd::geography::Args),
    /// Write the web editor (static/admin/), generated from the content model.
    Cms(cmd::cms::Args),
    /// Write a JSON Schema of each collection's front matter, for editors.
    Schema(cmd::schema::Args),
    /// Pack the site, every language, into one ZIM file for Kiwix (needs zimwriterfs).
    Zim(cmd::zim::Args),
    /// Make a key pair to sign the site's manifest with (`build --sign`).
    Keygen(cmd::keygen::Args),
    /// Check a copy of the site (a folder or a mirror's address) against its signed manifest.
    Verify(cmd::verify::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::I18n(args) => cmd::i18n::run(args),
        Command::Init(args) => cmd::init::run(args),
        Command::Geography(args) => cmd::geography::run(args),
        Command::Cms(args) => cmd::cms::run(args),
        Command::Schema(args) => cmd::schema::run(args),
        Command::Zim(args) => cmd::zim::run(args),
        Command::Keygen(args) => cmd::keygen::run(args),
        Command::Verify(args) => cmd::verify::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Colour only for a terminal, and never when NO_COLOR is set.
pub fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
