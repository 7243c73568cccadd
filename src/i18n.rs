//! Interface strings: the words a theme shows around the content ("Sources",
//! "not known", month names), per language.
//!
//! Each language has a flat TOML file `i18n/<lang>.toml` in the theme, and a
//! site may override single strings with its own `i18n/<lang>.toml`. A
//! string missing in a language falls back to the default language, so a
//! partly translated interface still renders, and is reported once
//! (`Strings::missing`). An empty string counts as missing: that is how
//! `dossier i18n new` leaves each one to translate. Besides the theme's words, a site's strings may
//! name the words of its content in other languages: `tag_<slug>` for a
//! tag, `country_<slug>` for a country, `place_<slug>` for a place (the
//! geography's region names are added as `place_` strings). Parsing is
//! pure.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::locale::Digits;
use crate::model::PartialDate;

/// One `i18n/<lang>.toml` file as discovery read it.
#[derive(Debug, Clone)]
pub struct StringsFile {
    pub lang: String,
    pub path: PathBuf,
    pub text: String,
}

/// The prefixes of strings that name words of the content rather than the
/// theme's.
pub const CONTENT_WORDS: [&str; 3] = ["tag_", "country_", "place_"];

/// What parts a string's key from the division it is worded for
/// (`map_table__province`).
const DIVISION_MARK: &str = "__";

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
                Ok(table) => {
                    let strings = strings.by_lang.entry(file.lang.clone()).or_default();
                    // An empty string is one still to translate: it counts
                    // as missing, and words nothing.
                    let table: Vec<(String, String)> = table
                        .into_iter()
                        .filter(|(_, text)| !text.trim().is_empty())
                        .collect();
                    // A later file's `<key>` replaces an earlier file's
                    // `<key>__<division>` variants too, so that a site's own
                    // wording is not undone by the theme's for a division.
                    for (key, _) in table.iter().filter(|(k, _)| !k.contains(DIVISION_MARK)) {
                        let prefix = format!("{key}{DIVISION_MARK}");
                        strings.retain(|k, _| !k.starts_with(&prefix));
                    }
                    strings.extend(table);
                }
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

    /// The string for `key` in `lang` itself, with no fallback.
    pub fn get_own(&self, lang: &str, key: &str) -> Option<&str> {
        self.by_lang
            .get(lang)
            .and_then(|t| t.get(key))
            .map(String::as_str)
    }

    /// Adds the names of the geography's regions in each language as
    /// `place_<slug>` strings (for each name and alias an editor may
    /// write), unless the site's strings name the place already.
    pub fn add_places(&mut self, geography: &crate::geography::Geography) {
        for region in &geography.regions {
            let written: Vec<&String> = region.names.values().chain(&region.aliases).collect();
            for (lang, name) in &region.names {
                let table = self.by_lang.entry(lang.clone()).or_default();
                for word in &written {
                    table
                        .entry(format!("place_{}", crate::slug::term_slug(word)))
                        .or_insert_with(|| name.clone());
                }
            }
        }
    }

    /// Names the divisions as the geography's countries call them: each
    /// string `<key>__<division>` (a theme's `map_table__province`, "Incidents
    /// by province") replaces `<key>` ("Incidents by region") in its
    /// language. Strings with no variant for the division keep the neutral
    /// word.
    pub fn use_division(&mut self, division: &str) {
        let suffix = format!("{DIVISION_MARK}{division}");
        for table in self.by_lang.values_mut() {
            let variants: Vec<(String, String)> = table
                .iter()
                .filter_map(|(key, text)| {
                    let base = key.strip_suffix(&suffix)?;
                    Some((base.to_string(), text.clone()))
                })
                .collect();
            table.extend(variants);
        }
    }

    /// The interface strings of the default language (key and text), in
    /// order of key. Words of the content (`tag_`, `country_`, `place_`)
    /// are not among them: they are named in other languages only where a
    /// site has them.
    fn interface(&self) -> Vec<(&str, &str)> {
        let Some(default) = self.by_lang.get(&self.default_language) else {
            return Vec::new();
        };
        default
            .iter()
            .filter(|(key, _)| !CONTENT_WORDS.iter().any(|p| key.starts_with(p)))
            .map(|(key, text)| (key.as_str(), text.as_str()))
            .collect()
    }

    /// The interface strings `lang` lacks (key and the default language's
    /// text): what its pages show in the default language.
    pub fn untranslated(&self, lang: &str) -> Vec<(&str, &str)> {
        let own = self.by_lang.get(lang);
        let mut interface = self.interface();
        interface.retain(|(key, _)| own.is_none_or(|t| !t.contains_key(*key)));
        interface
    }

    /// The text of a new `i18n/<lang>.toml` (`dossier i18n new`): every
    /// string `lang` lacks, each with the default language's text as a
    /// comment above it and an empty value, which the build counts as
    /// missing until it is translated. `name` is the language's own name,
    /// `default_name` the default language's.
    pub fn starter_file(&self, lang: &str, name: &str, default_name: &str) -> String {
        let mut out = format!(
            "# The interface strings of this dossier in {name} (`{lang}`): the words\n\
             # around the content. Write each below the {default_name} text it translates;\n\
             # a string left empty shows the {default_name} one, and `dossier check`\n\
             # counts those left.\n",
        );
        for (key, text) in self.untranslated(lang) {
            out.push('\n');
            for line in text.lines() {
                out.push_str(&format!("# {line}\n"));
            }
            out.push_str(&format!("{} = \"\"\n", toml_key(key)));
        }
        out
    }

    /// One warning for all the strings the default language has and `lang`
    /// lacks: pages in `lang` show the default language's string instead.
    /// `files` locate the warning at the language's own file, if it has one.
    pub fn missing(&self, lang: &str, files: &[StringsFile]) -> Vec<Diagnostic> {
        let file = files.iter().rev().find(|f| f.lang == lang);
        let interface = self.interface();
        let missing: Vec<&str> = self
            .untranslated(lang)
            .into_iter()
            .map(|(key, _)| key)
            .collect();
        if missing.is_empty() {
            return Vec::new();
        }
        // One warning for the language, not one per string: a new
        // language lacks them all at first.
        const NAMED: usize = 5;
        let problem = Diagnostic::warning(
            Code::MissingInterfaceString,
            format!(
                "`{lang}` lacks {} of the {} interface strings: its pages show the {} ones",
                missing.len(),
                interface.len(),
                self.default_language
            ),
        )
        .label(crate::diagnostic::name_a_few(&missing, NAMED))
        .hint(match file {
            Some(_) => format!(
                "translate them in i18n/{lang}.toml, each as `key = \"...\"`: an empty value counts as missing"
            ),
            None => format!(
                "`dossier i18n new {lang}` writes i18n/{lang}.toml with every one of them to translate"
            ),
        });
        vec![match file {
            Some(file) => problem.at(Location::at(&file.path, &file.text, 0, 0)),
            None => problem.in_file(&std::path::PathBuf::from(format!("i18n/{lang}.toml"))),
        }]
    }

    /// A word of the content (a tag, a country, a place) in `lang`: its
    /// `<prefix>_<slug>` string there, else in the default language, else
    /// as the editor wrote it; with the language it is shown in.
    pub fn content_word<'a>(
        &'a self,
        lang: &'a str,
        prefix: &str,
        written: &'a str,
    ) -> (&'a str, &'a str) {
        let key = format!("{prefix}_{}", crate::slug::term_slug(written));
        match self.get_own(lang, &key) {
            Some(name) => (name, lang),
            None => match self.get_own(&self.default_language, &key) {
                Some(name) => (name, self.default_language.as_str()),
                None => (written, self.default_language.as_str()),
            },
        }
    }

    /// A date as `lang`'s pages write it: the month by its name where the
    /// language has one, in `digits`.
    pub fn date(&self, date: PartialDate, lang: &str, digits: Digits) -> String {
        let month = date
            .month
            .and_then(|m| self.get(lang, &format!("month_{m}")));
        let text = match month {
            Some(month) => date.display_with(month),
            None => date.display(),
        };
        crate::locale::localize(&text, digits)
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

/// `key` as TOML writes it: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        key.to_string()
    } else {
        toml::Value::String(key.to_string()).to_string()
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

    #[test]
    fn a_division_words_its_strings_unless_the_site_words_them_itself() {
        let file = |lang: &str, text: &str| StringsFile {
            lang: lang.to_string(),
            path: PathBuf::from(format!("i18n/{lang}.toml")),
            text: text.to_string(),
        };
        let theme = file(
            "en",
            "map_table = \"By region\"\nmap_table__province = \"By province\"\nheading = \"Region\"\nheading__province = \"Province\"\n",
        );
        let (mut strings, _) =
            Strings::parse(&[theme.clone(), file("en", "heading = \"Area\"\n")], "en");
        strings.use_division("province");
        assert_eq!(strings.get("en", "map_table"), Some("By province"));
        assert_eq!(strings.get("en", "heading"), Some("Area"));
        let (mut strings, _) = Strings::parse(&[theme], "en");
        strings.use_division("state");
        assert_eq!(strings.get("en", "map_table"), Some("By region"));
    }
}
