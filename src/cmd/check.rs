//! `dossier check`: every check of a build, writing nothing; for a
//! dossier's own CI.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dossier::Mode;

#[derive(clap::Args)]
pub struct Args {
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Check documents marked `draft: true` as if they were published.
    #[arg(long)]
    pub drafts: bool,
    /// How to print problems: `human` (default), `json` (one object per
    /// line, then a summary) or `github` (annotations in GitHub Actions).
    #[arg(long, value_enum, default_value_t)]
    pub format: super::Format,
    /// Fail on warnings too, not only on errors (also `strict = true`
    /// under `[check]` in site.toml).
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let strict = args.strict || strict_in_site_toml(&args.root);
    super::build_and_finish(
        super::Run {
            root: args.root,
            drafts: args.drafts,
            mode: Mode::Check,
            base_url: None,
            strict,
            sign: None,
        },
        false,
        args.format,
    )
}

/// Whether site.toml asks for strict checks. A site.toml that cannot be
/// read or parsed asks for nothing here: the check itself reports why.
fn strict_in_site_toml(root: &Path) -> bool {
    let Ok(text) = dossier::discover::read_config(root) else {
        return false;
    };
    let path = root.join(dossier::config::FILE_NAME);
    dossier::config::Config::parse(&path, &text).is_ok_and(|config| config.check.strict)
}
