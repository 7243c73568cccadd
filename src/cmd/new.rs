//! `dossier new`: start a document with every field of its collection.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use dossier::model::Collection;
use dossier::scaffold;

#[derive(clap::Args)]
pub struct Args {
    /// demands, incidents, actors, sources or figures (or demand, incident...).
    pub collection: String,
    /// The document's title.
    pub title: String,
    /// The file name to use (lowercase letters, digits, hyphens); needed when
    /// the title has no Latin letters.
    #[arg(long)]
    pub slug: Option<String>,
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let Some(collection) = Collection::from_word(&args.collection) else {
        let names: Vec<&str> = Collection::ALL.iter().map(|c| c.name()).collect();
        bail!(
            "`{}` is not a collection; use one of: {}",
            args.collection,
            names.join(", ")
        );
    };
    if let Some(problem) = scaffold::title_problem(&args.title) {
        bail!("{problem}");
    }
    if !args.root.join(dossier::config::FILE_NAME).is_file() {
        bail!(
            "{} has no site.toml; run this in a dossier's folder or pass --root",
            args.root.display()
        );
    }
    let slug = match args.slug {
        Some(slug) => {
            if scaffold::slug_for(&slug).as_deref() != Some(slug.as_str()) {
                bail!("`{slug}` cannot be a file name: use lowercase letters, digits and hyphens");
            }
            slug
        }
        None => match scaffold::slug_for(&args.title) {
            Some(slug) => slug,
            None => bail!(
                "the title has no Latin letters to make a file name from; give one with --slug, for example --slug haditha-2005"
            ),
        },
    };
    let relative = format!("content/{collection}/{slug}.md");
    let text = scaffold::document(collection, &args.title);
    dossier::write::create_new_files(&args.root, &[(relative.clone(), text.into_bytes())])?;
    eprintln!(
        "new: wrote {relative}\nNext: fill in its fields (each line says what it accepts) and write its text; `dossier check` points at anything still to fill in, and `dossier serve` shows the page as you write"
    );
    Ok(ExitCode::SUCCESS)
}
