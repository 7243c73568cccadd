//! `dossier build`: publish the site.

use std::path::PathBuf;
use std::process::ExitCode;

use dossier::Mode;

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
    let mode = Mode::Publish {
        output: args.output,
    };
    super::build_and_finish(
        super::Run {
            root: args.root,
            drafts: args.drafts,
            mode,
            base_url: args.base_url,
            strict: false,
        },
        args.timings,
        super::Format::Human,
    )
}
