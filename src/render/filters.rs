//! The filters and functions templates use beyond Tera's own.

use std::collections::BTreeMap;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, Value};

use crate::config::Config;
use crate::graph::Taxonomy;
use crate::i18n::Strings;
use crate::locale::{self, Digits};
use crate::model::PartialDate;
use crate::urls::term_href;

/// The filters and functions themes use beyond Tera's own: `date`,
/// `quantity`, `num`, `bdi`, `isolate`, `slug`, `words`, `t(key=...)` for
/// interface strings and `word(kind=..., name=...)` for the words of the
/// content in the page's language. `date`, `quantity` and `num` write
/// numbers in the page language's digits (`[languages.<code>] digits`);
/// `bdi` and `isolate` keep a number or range in its own direction inside
/// text of the other.
pub(crate) fn register_filters(tera: &mut Tera, strings: &Arc<Strings>, config: &Config) {
    let digits = Arc::new(Locales::of_config(config));
    let date_strings = Arc::clone(strings);
    let date_digits = Arc::clone(&digits);
    tera.register_filter(
        "date",
        move |value: &Value, _: Kwargs, state: &State| -> Value {
            match value.as_str().map(PartialDate::parse) {
                Some(Ok(date)) => {
                    let lang = page_lang(state);
                    Value::from(date_strings.date(date, &lang, date_digits.of(&lang)))
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
            let lang = page_lang(state);
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
    let quantity_digits = Arc::clone(&digits);
    let count_strings = Arc::clone(strings);
    tera.register_filter(
        "quantity",
        move |value: &Value, _: Kwargs, state: &State| -> Value {
            let lang = page_lang(state);
            let digits = quantity_digits.of(&lang);
            let number = |key: &str| value.get_from_path(key).and_then(Value::as_u64);
            let kind = value
                .get_from_path("kind")
                .and_then(|k| k.as_str().map(str::to_string));
            // "at least 40": the source's wording around the number.
            let worded = |key: &str, n: u64| {
                let pattern = count_strings
                    .get(&lang, &format!("count_{key}"))
                    .unwrap_or("{n}");
                Value::from(pattern.replace("{n}", &locale::group(n, digits)))
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
                (_, Some(min), Some(max), _) => Value::from(locale::range(min, max, digits)),
                (_, _, _, Some(n)) => Value::from(locale::group(n, digits)),
                _ => value.clone(),
            }
        },
    );
    let num_digits = Arc::clone(&digits);
    tera.register_filter(
        "num",
        move |value: &Value, _: Kwargs, state: &State| -> Value {
            let digits = num_digits.of(&page_lang(state));
            match (value.as_u64(), value.as_str()) {
                (Some(n), _) => Value::from(locale::localize(&n.to_string(), digits)),
                (_, Some(text)) => Value::from(locale::localize(text, digits)),
                _ => value.clone(),
            }
        },
    );
    let bdi_digits = Arc::clone(&digits);
    tera.register_filter(
        "bdi",
        move |value: &Value, _: Kwargs, state: &State| -> Value {
            let dir = bdi_digits.of(&page_lang(state)).direction();
            let text = crate::export::xml(&plain_text(value));
            Value::safe_string(&format!("<bdi dir=\"{dir}\">{text}</bdi>"))
        },
    );
    let isolate_digits = Arc::clone(&digits);
    tera.register_filter(
        "isolate",
        move |value: &Value, _: Kwargs, state: &State| -> Value {
            let digits = isolate_digits.of(&page_lang(state));
            Value::from(format!(
                "{}{}{}",
                digits.isolate(),
                plain_text(value),
                locale::POP_ISOLATE
            ))
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
            let slug = crate::slug::term_slug(term);
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

/// A word of the content (a tag, a place, a country) in `lang`, as
/// `{name, lang, dir}`: the word in `lang` (`Strings::content_word`), with
/// the language it is shown in, so that the theme can mark it with its
/// `lang` and `dir`.
fn word(strings: &Strings, config: &Config, lang: &str, prefix: &str, written: &str) -> Value {
    let (name, shown_in) = strings.content_word(lang, prefix, written);
    Value::from(std::collections::BTreeMap::from([
        ("name", Value::from(name)),
        ("lang", Value::from(shown_in)),
        (
            "dir",
            Value::from(super::view::direction_word(config.direction(shown_in))),
        ),
    ]))
}

/// The language of the page being rendered (the `lang` every page's
/// context holds).
fn page_lang(state: &State) -> String {
    state.get("lang").ok().flatten().unwrap_or_default()
}

/// A value as the text it prints.
fn plain_text(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_string)
}

/// The digits of each language of the site, looked up by the page's
/// language while rendering.
struct Locales {
    digits: BTreeMap<String, Digits>,
}

impl Locales {
    fn of_config(config: &Config) -> Locales {
        Locales {
            digits: config
                .languages
                .keys()
                .map(|lang| (lang.clone(), config.digits(lang)))
                .collect(),
        }
    }

    fn of(&self, lang: &str) -> Digits {
        self.digits
            .get(lang)
            .copied()
            .unwrap_or_else(|| Digits::default_for(lang))
    }
}
