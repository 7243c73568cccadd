//! `dossier i18n new <code>`: start a language in one step: its interface
//! strings to translate (`i18n/<code>.toml`) and its table in site.toml.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use dossier::config::{Config, Direction, NewLanguage};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Start a language: `i18n/<code>.toml` with every interface string to
    /// translate, and `[languages.<code>]` in site.toml.
    New(NewArgs),
}

#[derive(clap::Args)]
pub struct NewArgs {
    /// The language's code, such as `fr`, `ckb` or `pt-br`.
    pub code: String,
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.action {
        Action::New(args) => new(&args.code, &args.root),
    }
}

fn new(code: &str, root: &Path) -> anyhow::Result<ExitCode> {
    if !dossier::config::is_language_code(code) {
        bail!(
            "`{code}` is not a language code; use a lowercase code such as `fr` or `ckb`, with a region if needed (`pt-br`)"
        );
    }
    let path = Path::new(dossier::config::FILE_NAME);
    let text = dossier::discover::read_config(root)?;
    let config = match Config::parse(path, &text) {
        Ok(config) => config,
        Err(problems) => return Ok(super::print_problems(&problems)),
    };
    if config.is_default_language(code) {
        bail!(
            "`{code}` is the dossier's default language, whose interface strings are the theme's own; name another language"
        );
    }
    let site = match dossier::site::Site::load(root, false)? {
        Ok(site) => site,
        Err(problems) => return Ok(super::print_problems(&problems)),
    };
    // A language already declared keeps its table as written.
    let declared = config.languages.get(code);
    let language = NewLanguage::for_code(code);
    let name = declared.map_or(language.name.as_str(), |declared| &declared.name);
    let strings = format!("i18n/{code}.toml");
    let default_name = config
        .languages
        .get(&config.default_language)
        .map_or(config.default_language.as_str(), |default| &default.name);
    let untranslated = site.strings.untranslated(code).len();
    let mut files = Vec::new();
    if untranslated > 0 {
        let text = site.strings.starter_file(code, name, default_name);
        files.push((strings.clone(), text.into_bytes()));
    }
    let edited = match declared {
        Some(_) => None,
        None => Some(
            dossier::config::add_language(path, &text, &language)
                .map_err(|why| anyhow::anyhow!("nothing was written: {why}"))?,
        ),
    };
    dossier::write::create_new_files(root, &files)?;
    if let Some(edited) = &edited {
        dossier::write::replace_files(
            root,
            &[(
                dossier::config::FILE_NAME.to_string(),
                edited.clone().into_bytes(),
            )],
        )?;
    }

    match untranslated {
        0 => eprintln!("i18n: the theme has every interface string in {name} already"),
        n => eprintln!("i18n: wrote {strings}: {n} interface strings to translate into {name}"),
    }
    if edited.is_some() {
        let direction = match language.direction {
            Direction::Ltr => "left to right",
            Direction::Rtl => "right to left",
        };
        eprintln!(
            "i18n: declared [languages.{code}] in site.toml: {name}, written {direction}, digits `{}`",
            language.digits.as_str()
        );
        if !language.known {
            eprintln!(
                "note: `{code}` is not a language dossier knows, so it is named `{code}` and written left to right in Latin digits; correct `name`, `direction` and `digits` under [languages.{code}] in site.toml if they differ"
            );
        }
    }
    eprintln!(
        "Next: translate each string of {strings} below its {default_name}, write the dossier's `title` under [languages.{code}] in site.toml, and translate a document as `slug.{code}.md` beside it; `dossier check` says what is left"
    );
    Ok(ExitCode::SUCCESS)
}
