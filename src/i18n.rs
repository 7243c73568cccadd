//! Interface strings: the words a theme shows around the content ("Sources",
//! "not known", month names), per language.
//!
//! Each language has a flat TOML file `i18n/<lang>.toml` in the theme, and a
//! site may override single strings with its own `i18n/<lang>.toml`. A
//! string missing in a language falls back to the default language, so a
//! partly translated interface still renders. Parsing is pure.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostic::{Code, Diagnostic, Location};

/// One `i18n/<lang>.toml` file as discovery read it.
#[derive(Debug, Clone)]
pub struct StringsFile {
    pub lang: String,
    pub path: PathBuf,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct Strings {
    by_lang: BTreeMap<String, BTreeMap<String, String>>,
    default_language: String,
}

impl Strings {
    /// Parses the files in order: later files (the site's) override earlier
    /// ones (the theme's) key by key.
    pub fn parse(files: &[StringsFile], default_language: &str) -> (Strings, Vec<Diagnostic>) {
        let mut strings = Strings {
            by_lang: BTreeMap::new(),
            default_language: default_language.to_string(),
        };
        let mut problems = Vec::new();
        for file in files {
            match toml::from_str::<BTreeMap<String, String>>(&file.text) {
                Ok(table) => strings
                    .by_lang
                    .entry(file.lang.clone())
                    .or_default()
                    .extend(table),
                Err(error) => {
                    let span = error.span().unwrap_or(0..0);
                    problems.push(
                        Diagnostic::error(
                            Code::InterfaceStrings,
                            format!("cannot read interface strings: {}", error.message()),
                        )
                        .at(Location::at(&file.path, &file.text, span.start, span.len()))
                        .hint("each line is `key = \"text\"`"),
                    );
                }
            }
        }
        (strings, problems)
    }

    /// The string for `key` in `lang`, else in the default language.
    pub fn get(&self, lang: &str, key: &str) -> Option<&str> {
        self.by_lang
            .get(lang)
            .and_then(|t| t.get(key))
            .or_else(|| {
                self.by_lang
                    .get(&self.default_language)
                    .and_then(|t| t.get(key))
            })
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_the_default_language_and_lets_the_site_override() {
        let file = |lang: &str, text: &str| StringsFile {
            lang: lang.to_string(),
            path: PathBuf::from(format!("i18n/{lang}.toml")),
            text: text.to_string(),
        };
        let (strings, problems) = Strings::parse(
            &[
                file("en", "sources = \"Sources\"\nactors = \"Actors\"\n"),
                file("ar", "sources = \"المصادر\"\n"),
                file("en", "actors = \"Who\"\n"),
            ],
            "en",
        );
        assert!(problems.is_empty());
        assert_eq!(strings.get("ar", "sources"), Some("المصادر"));
        assert_eq!(strings.get("ar", "actors"), Some("Who"));
        assert_eq!(strings.get("ar", "missing"), None);
    }
}
