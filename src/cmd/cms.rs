//! `dossier cms`: write the web editor's page and configuration
//! (`static/admin/`), generated from the content model.

use std::path::PathBuf;
use std::process::ExitCode;

use dossier::cms;
use dossier::model::DocKind;
use dossier::write::Generated;

#[derive(clap::Args)]
pub struct Args {
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Replace the files even if they were edited by hand.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let site = match dossier::site::Site::load(&args.root, true)? {
        Ok(site) => site,
        Err(problems) => return Ok(super::print_problems(&problems)),
    };
    // Each translation of a free page, by its original's path.
    let translated: Vec<(std::path::PathBuf, String)> = site
        .graph
        .documents
        .iter()
        .filter(|d| matches!(d.kind, DocKind::Page | DocKind::Home) && !d.lang.is_empty())
        .map(|d| (original_path(&d.path, &d.lang), d.lang.clone()))
        .collect();
    let mut pages: Vec<cms::FreePage> = site
        .graph
        .documents
        .iter()
        .filter(|d| matches!(d.kind, DocKind::Page | DocKind::Home) && d.lang.is_empty())
        .map(|d| cms::FreePage {
            file: d
                .path
                .strip_prefix("content")
                .unwrap_or(&d.path)
                .to_string_lossy()
                .replace('\\', "/"),
            title: d.common.title.clone(),
            translations: translated
                .iter()
                .filter(|(path, _)| *path == d.path)
                .map(|(_, lang)| lang.clone())
                .collect(),
        })
        .collect();
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    // Named from the site root, so that a link anywhere on the way
    // (`static/` itself included) is refused.
    let files: Vec<(String, String)> = cms::files(&site.config, &pages)
        .into_iter()
        .map(|(name, text)| (format!("{}/{name}", cms::DIR), text))
        .collect();
    let done =
        dossier::write::write_generated(&site.root, &files, args.force, cms::is_as_generated)?;
    for (path, outcome) in done {
        let what = match outcome {
            Generated::Created => "wrote",
            Generated::Replaced => "updated",
            Generated::Unchanged => "unchanged:",
        };
        eprintln!("cms: {what} {path}");
    }
    eprintln!(
        "cms: the editor is published at admin/ by the next build. To try it here: run `BIND_HOST=127.0.0.1 npx decap-server` in this folder (without BIND_HOST it lets other computers on the network read and change the dossier), then `dossier serve` and open http://localhost:1111/admin/"
    );
    Ok(ExitCode::SUCCESS)
}

/// `about.ar.md` to `about.md`.
fn original_path(path: &std::path::Path, lang: &str) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().replace(&format!(".{lang}.md"), ".md"))
        .unwrap_or_default();
    path.with_file_name(name)
}
