//! `dossier zim`: the site as one ZIM file, for Kiwix and other offline
//! libraries.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The ZIM file to write. An earlier file of that name is replaced only
    /// once the new one is complete.
    pub file: PathBuf,
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include documents marked `draft: true` too.
    #[arg(long)]
    pub drafts: bool,
    /// The identifier Kiwix libraries know every version of this ZIM by
    /// (default: the title's slug and the language, or `mul` for several).
    #[arg(long)]
    pub name: Option<String>,
    /// Print how long each stage took, packing included.
    #[arg(long)]
    pub timings: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let tool = dossier::zim::find_tool(std::env::var_os("PATH").as_deref())?;
    let report = dossier::zim::pack(&dossier::zim::ZimOptions {
        root: args.root.clone(),
        drafts: args.drafts,
        zim: args.file,
        name: args.name,
        tool,
    })?;
    if args.timings {
        super::print_timings(&report);
    }
    let root = dossier::write::absolute(&args.root)?;
    Ok(super::finish(
        &report,
        "zim",
        &root,
        super::Format::Human,
        &args.root,
    ))
}
