//! `dossier schema`: write a JSON Schema of each collection's front matter,
//! for editors that check YAML as it is typed.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use dossier::schema;

#[derive(clap::Args)]
pub struct Args {
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The folder to write the schemas into, relative to the site folder.
    #[arg(long, default_value = "schema")]
    pub output: PathBuf,
    /// List the existing slugs in every reference field, so that an editor
    /// offers them and flags any other (regenerate after adding documents).
    #[arg(long)]
    pub with_slugs: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !args.root.join(dossier::config::FILE_NAME).is_file() {
        bail!(
            "{} has no site.toml; run this in a dossier's folder or pass --root",
            args.root.display()
        );
    }
    let slugs = if args.with_slugs {
        match dossier::site::Site::load(&args.root, true)? {
            Ok(site) => Some(schema::slugs_of(&site.graph)),
            Err(problems) => return Ok(super::print_problems(&problems)),
        }
    } else {
        None
    };
    let files = schema::files(slugs.as_ref());
    // A folder inside the site is named from its root, so that a link on
    // the way is refused; an absolute one is the caller's own choice.
    let (dir, files) = if args.output.is_absolute() {
        (args.output.clone(), files)
    } else {
        let folder = args
            .output
            .components()
            .filter(|part| !matches!(part, std::path::Component::CurDir))
            .map(|part| part.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let files = files
            .into_iter()
            .map(|(name, bytes)| (format!("{folder}/{name}"), bytes))
            .collect();
        (args.root.clone(), files)
    };
    dossier::write::replace_files(&dir, &files)?;
    eprintln!(
        "schema: wrote {} schemas to {}",
        files.len(),
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
