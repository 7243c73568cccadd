//! The filters and functions templates use beyond Tera's own.

use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::config::Config;
use crate::graph::Taxonomy;
use crate::i18n::Strings;
use crate::model::PartialDate;
use crate::urls::term_href;

/// The filters and functions themes use beyond Tera's own: `date`,
/// `quantity`, `slug`, `words`, `t(key=...)` for interface strings and
/// `word(kind=..., name=...)` for the words of the content in the page's
/// language.
pub(crate) fn register_filters(tera: &mut Tera, strings: &Arc<Strings>, config: &Config) {
    let date_strings = Arc::clone(strings);
    tera.register_filter(
        "date",
        move |value: &Value, _: Kwargs, state: &State| -> Value {
            match value.as_str().map(PartialDate::parse) {
                Some(Ok(date)) => {
                    let lang: String = state.get("lang").ok().flatten().unwrap_or_default();
                    let month = date
                        .month
                        .and_then(|m| date_strings.get(&lang, &format!("month_{m}")));
                    Value::from(match month {
                        Some(month) => date.display_with(month),
                        None => date.display(),
                    })
                }
                _ => value.clone(),
            }
        },
    );
    let t_strings = Arc::clone(strings);
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let key: &str = kwargs.must_get("key")?;
            let lang: String = state.get("lang")?.unwrap_or_default();
            match t_strings.get(&lang, key) {
                Some(text) => Ok(Value::from(text)),
                None => Err(tera::Error::message(format!(
                    "no interface string `{key}`: add `{key} = \"...\"` to i18n/{lang}.toml"
                ))),
            }
        },
    );
    let word_strings = Arc::clone(strings);
    let languages = config.clone();
    tera.register_function(
        "word",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let lang: String = state.get("lang")?.unwrap_or_default();
            let kind: &str = kwargs.must_get("kind")?;
            let name: &str = kwargs.must_get("name")?;
            let prefix = match kind {
                "tags" => "tag",
                "places" => "place",
                "country" => "country",
                other => {
                    return Err(tera::Error::message(format!(
                        "`{other}` is not a kind of word: use `tags`, `places` or `country`"
                    )));
                }
            };
            Ok(word(&word_strings, &languages, &lang, prefix, name))
        },
    );
    tera.register_filter("quantity", |value: &Value, _: Kwargs, _: &State| -> Value {
        let number = |key: &str| value.get_from_path(key).and_then(Value::as_u64);
        match (number("min"), number("max"), value.as_u64()) {
            (Some(min), Some(max), _) if min == max => Value::from(group_digits(min)),
            (Some(min), Some(max), _) => {
                Value::from(format!("{}–{}", group_digits(min), group_digits(max)))
            }
            (_, _, Some(n)) => Value::from(group_digits(n)),
            _ => value.clone(),
        }
    });
    let default_language = config.default_language.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let lang: String = state.get("lang")?.unwrap_or_default();
            let prefix = if lang == default_language || lang.is_empty() {
                String::new()
            } else {
                format!("{lang}/")
            };
            let taxonomy: &str = kwargs.must_get("taxonomy")?;
            let taxonomy = match taxonomy {
                "tags" => Taxonomy::Tags,
                "places" => Taxonomy::Places,
                other => {
                    return Err(tera::Error::message(format!(
                        "`{other}` is not a taxonomy: use `tags` or `places`"
                    )));
                }
            };
            let term: &str = kwargs.must_get("term")?;
            let slug = crate::slug::slugify(term);
            Ok(Value::from(term_href(taxonomy, &slug, &prefix)))
        },
    );
    tera.register_filter("slug", |value: &str, _: Kwargs, _: &State| -> Value {
        Value::from(crate::slug::slugify(value))
    });
    tera.register_filter("words", |value: &str, _: Kwargs, _: &State| -> Value {
        Value::from(value.replace('-', " "))
    });
}

/// A word of the content (a tag, a place, a country) in `lang`, as
/// `{name, lang, dir}`: the site's string `<prefix>_<slug>` in `lang`, else
/// the word as the editor wrote it, in the default language, so that the
/// theme can mark it with its `lang` and `dir`.
fn word(strings: &Strings, config: &Config, lang: &str, prefix: &str, written: &str) -> Value {
    let key = format!("{prefix}_{}", crate::slug::slugify(written));
    let (name, shown_in) = match strings.get_own(lang, &key) {
        Some(name) => (name, lang),
        None => match strings.get_own(&config.default_language, &key) {
            Some(name) => (name, config.default_language.as_str()),
            None => (written, config.default_language.as_str()),
        },
    };
    Value::from(std::collections::BTreeMap::from([
        ("name", Value::from(name)),
        ("lang", Value::from(shown_in)),
        (
            "dir",
            Value::from(super::view::direction_word(config.direction(shown_in))),
        ),
    ]))
}

/// 1234567 → "1,234,567".
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_digits() {
        assert_eq!(group_digits(1234567), "1,234,567");
        assert_eq!(group_digits(999), "999");
    }
}
