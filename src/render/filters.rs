//! The filters and functions templates use beyond Tera's own.

use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::config::Config;
use crate::graph::Taxonomy;
use crate::i18n::Strings;
use crate::model::PartialDate;
use crate::urls::term_href;

/// The filters and functions themes use beyond Tera's own: `date`,
/// `quantity`, `slug`, `words`, and `t(key=...)` for interface strings.
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
    let count_strings = Arc::clone(strings);
    tera.register_filter(
        "quantity",
        move |value: &Value, _: Kwargs, state: &State| -> Value {
            let lang: String = state.get("lang").ok().flatten().unwrap_or_default();
            let number = |key: &str| value.get_from_path(key).and_then(Value::as_u64);
            let kind = value
                .get_from_path("kind")
                .and_then(|k| k.as_str().map(str::to_string));
            // "at least 40": the source's wording around the number.
            let worded = |key: &str, n: u64| {
                let pattern = count_strings
                    .get(&lang, &format!("count_{key}"))
                    .unwrap_or("{n}");
                Value::from(pattern.replace("{n}", &group_digits(n)))
            };
            match (
                kind.as_deref(),
                number("min"),
                number("max"),
                value.as_u64(),
            ) {
                (Some(k @ ("at-least" | "more-than")), Some(min), _, _) => {
                    worded(&k.replace('-', "_"), min)
                }
                (Some(k @ ("up-to" | "fewer-than" | "nearly")), _, Some(max), _) => {
                    worded(&k.replace('-', "_"), max)
                }
                (Some("about"), Some(n), _, _) => worded("about", n),
                (_, Some(min), Some(max), _) if min == max => Value::from(group_digits(min)),
                (_, Some(min), Some(max), _) => {
                    Value::from(format!("{}–{}", group_digits(min), group_digits(max)))
                }
                (_, _, _, Some(n)) => Value::from(group_digits(n)),
                _ => value.clone(),
            }
        },
    );
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
    // The `lang` and `dir` to mark a text written in `of` (a source's own
    // words) on a page in another language; none on a page in its own.
    let languages = config.clone();
    tera.register_function(
        "lang_mark",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let page: String = state.get("lang")?.unwrap_or_default();
            let of: Option<String> = kwargs.get("of")?;
            let of = of
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| languages.default_language.clone());
            if of == page {
                return Ok(Value::none());
            }
            let dir = crate::render::view::direction_word(languages.direction(&of));
            Ok(Value::from(std::collections::BTreeMap::from([
                ("lang", Value::from(of.as_str())),
                ("dir", Value::from(dir)),
            ])))
        },
    );
    tera.register_filter("slug", |value: &str, _: Kwargs, _: &State| -> Value {
        Value::from(crate::slug::slugify(value))
    });
    tera.register_filter("words", |value: &str, _: Kwargs, _: &State| -> Value {
        Value::from(value.replace('-', " "))
    });
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
