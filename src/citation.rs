//! "Cite this page": a document page's own citation, as text in the
//! citation style `site.toml` picks (`[cite] style`, formatted by
//! hayagriva from the CSL styles it bundles), as CSL-JSON for citation
//! managers and as BibTeX (written by the biblatex crate).
//!
//! The citation names the page's title, the dossier's title in the page's
//! language, the publisher from `[cite] publisher`, the date the document
//! was last `updated`, and its address when `base_url` is set. Pure: the
//! same document and settings give the same bytes.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode, Style};
use hayagriva::{BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest};
use serde_json::{Value, json};

use crate::model::PartialDate;

/// The style used when `site.toml` names none.
pub const DEFAULT_STYLE: &str = "apa";

/// What a page's citation is made of.
pub struct PageCite<'a> {
    /// A key for citation managers: `dossier-incidents-haditha-2005`.
    pub key: String,
    pub title: &'a str,
    pub site_title: &'a str,
    pub publisher: Option<&'a str>,
    pub updated: Option<PartialDate>,
    pub url: Option<String>,
    pub lang: &'a str,
}

/// The citation as the page shows and offers it.
pub struct Cited {
    pub text: String,
    pub csl_json: String,
    pub bibtex: String,
}

/// A style bundled with hayagriva, by its short name (`apa`,
/// `chicago-author-date`, `modern-language-association`), decoded once
/// per process and shared by every page.
pub fn style(name: &str) -> Option<Arc<IndependentStyle>> {
    static STYLES: OnceLock<Mutex<BTreeMap<String, Option<Arc<IndependentStyle>>>>> =
        OnceLock::new();
    let styles = STYLES.get_or_init(Default::default);
    let mut styles = styles
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    styles
        .entry(name.to_string())
        .or_insert_with(|| match ArchivedStyle::by_name(name)?.get() {
            Style::Independent(style) => Some(Arc::new(style)),
            Style::Dependent(_) => None,
        })
        .clone()
}

/// The bundled CSL locales of these languages, of English and of the
/// style's own default locale (what the engine falls back to). Decoding
/// all of them costs as much as citing two hundred pages.
fn locales_of(langs: &[&str], style: &IndependentStyle) -> Vec<Locale> {
    let primary = |code: &str| {
        code.split(['-', '_'])
            .next()
            .unwrap_or(code)
            .to_ascii_lowercase()
    };
    let mut wanted: std::collections::BTreeSet<String> = langs.iter().map(|l| primary(l)).collect();
    wanted.insert("en".into());
    if let Some(LocaleCode(code)) = &style.default_locale {
        wanted.insert(primary(code));
    }
    hayagriva::archive::LOCALES
        .iter()
        .filter(|bytes| locale_code(bytes).is_none_or(|code| wanted.contains(&primary(code))))
        .filter_map(|bytes| ciborium::de::from_reader::<Locale, _>(*bytes).ok())
        .collect()
}

/// The language of a bundled locale, read from the start of its CBOR
/// without decoding the rest: a map whose first key is `@xml:lang`. None
/// when it starts otherwise (the locale is then decoded and kept).
fn locale_code(bytes: &[u8]) -> Option<&str> {
    let rest = match bytes.first()? {
        0xa1..=0xb7 | 0xbf => &bytes[1..],
        _ => return None,
    };
    let rest = rest.strip_prefix(b"\x69@xml:lang")?;
    let header = *rest.first()?;
    if !(0x60..0x78).contains(&header) {
        return None;
    }
    let len = usize::from(header - 0x60);
    std::str::from_utf8(rest.get(1..1 + len)?).ok()
}

/// The CSL-JSON item of a page.
pub fn csl_item(cite: &PageCite<'_>) -> Value {
    let mut item = json!({
        "id": cite.key,
        "type": "webpage",
        "title": cite.title,
        "container-title": cite.site_title,
        "language": cite.lang,
    });
    if let Some(publisher) = cite.publisher {
        item["publisher"] = json!(publisher);
    }
    if let Some(date) = cite.updated {
        let mut parts = vec![i64::from(date.year)];
        parts.extend(date.month.map(i64::from));
        parts.extend(date.day.map(i64::from));
        item["issued"] = json!({"date-parts": [parts]});
    }
    if let Some(url) = &cite.url {
        item["URL"] = json!(url);
    }
    item
}

fn csl_json(cite: &PageCite<'_>) -> String {
    serde_json::to_string_pretty(&json!([csl_item(cite)])).unwrap_or_default() + "\n"
}

/// The citation's text, from the CSL engine.
fn engine_text(cite: &PageCite<'_>, style: &IndependentStyle, locales: &[Locale]) -> String {
    serde_json::from_value::<hayagriva::citationberg::json::Item>(csl_item(cite))
        .ok()
        .and_then(|entry| {
            let mut driver = BibliographyDriver::new();
            driver.citation(CitationRequest::from_items(
                vec![CitationItem::with_entry(&entry)],
                style,
                locales,
            ));
            let rendered = driver.finish(BibliographyRequest::new(
                style,
                Some(LocaleCode(cite.lang.to_string())),
                locales,
            ));
            let bibliography = rendered.bibliography?;
            let first = bibliography.items.first()?;
            Some(format!("{:#}", first.content))
        })
        .unwrap_or_default()
}

/// Citations of many pages in one style. Running the CSL engine is most of
/// what a page's citation costs, and the pages of one language differ, as
/// the engine sees them, only in their title, address and date. So the
/// engine runs a few times for each language and precision of date, with
/// stand-ins for the title, the address and the date, and each page's
/// text is that pattern with its own put in. A pattern is used only where
/// it cannot differ from the engine's own text:
/// - every stand-in comes back once and word for word (a style that
///   changes the case of titles or addresses, drops one, or writes years
///   in other digits gets no pattern);
/// - the month's words are the engine's, one stand-in date for each month;
/// - the pattern gives the engine's text for three more dates and for the
///   first page it serves, or it is dropped;
/// - the title begins and ends with a letter or digit and holds no quote
///   mark, bracket, markup character or full stop, and the address is
///   plain ASCII ending in `/` (as the stand-ins do), so that no
///   punctuation rule of the style treats the page otherwise.
///
/// Any other page is cited by the engine.
pub struct Citer {
    style: Arc<IndependentStyle>,
    /// The locales of the site's languages ([`locales_of`]).
    locales: Vec<Locale>,
    patterns: Mutex<HashMap<PatternKey, Option<Arc<Pattern>>>>,
}

/// What a pattern is shared by: everything a citation shows but the title,
/// the address and the date's values.
#[derive(PartialEq, Eq, Hash)]
struct PatternKey {
    site_title: String,
    publisher: Option<String>,
    /// How much of the date is known: none, year, month or day.
    precision: u8,
    has_url: bool,
    lang: String,
}

/// A citation's text cut where the page's own values go.
struct Pattern {
    pieces: Vec<(String, Option<Slot>)>,
    /// The words of each month, January first, when the date has one.
    months: Vec<String>,
}

#[derive(Clone, Copy)]
enum Slot {
    Title,
    Url,
    Year,
    Month,
    Day,
}

/// Stand-ins in three cases, so that any change of case shows.
const TITLE_STAND_IN: &str = "qzxv Qzxv QZXV";
const URL_STAND_IN: &str = "https://qzxv.invalid/QzxV/";
/// The stand-in date: numbers no other part of a citation is likely to hold.
const YEAR_STAND_IN: i16 = 1987;
const DAY_STAND_IN: u8 = 27;
const MONTH_STAND_IN: u8 = 11;
/// Dates the pattern must also give the engine's text for.
const CHECK_DATES: [(i16, u8, u8); 3] = [(2003, 3, 5), (1999, 12, 31), (2026, 1, 1)];

fn precision(date: Option<PartialDate>) -> u8 {
    match date {
        None => 0,
        Some(PartialDate { month: None, .. }) => 1,
        Some(PartialDate { day: None, .. }) => 2,
        Some(_) => 3,
    }
}

/// `(year, month, day)` cut to `precision`.
fn date_of(precision: u8, (year, month, day): (i16, u8, u8)) -> Option<PartialDate> {
    (precision > 0).then_some(PartialDate {
        year,
        month: (precision > 1).then_some(month),
        day: (precision > 2).then_some(day),
    })
}

impl Citer {
    /// Citations in `style` of pages in `langs`.
    pub fn new(style: Arc<IndependentStyle>, langs: &[&str]) -> Citer {
        Citer {
            locales: locales_of(langs, &style),
            style,
            patterns: Mutex::new(HashMap::new()),
        }
    }

    /// The page's citation in the style, with the style's terms in the
    /// page's language where hayagriva has them: the text is the engine's,
    /// run with every bundled locale.
    pub fn cite(&self, page: &PageCite<'_>) -> Cited {
        let fits = plain_title(page.title) && page.url.as_deref().is_none_or(plain_url);
        let text = fits
            .then(|| self.patterned_text(page))
            .flatten()
            .unwrap_or_else(|| engine_text(page, &self.style, &self.locales));
        Cited {
            text,
            csl_json: csl_json(page),
            bibtex: bibtex(page),
        }
    }

    fn patterned_text(&self, page: &PageCite<'_>) -> Option<String> {
        let key = PatternKey {
            site_title: page.site_title.to_string(),
            publisher: page.publisher.map(str::to_string),
            precision: precision(page.updated),
            has_url: page.url.is_some(),
            lang: page.lang.to_string(),
        };
        let known = self.lock().get(&key).cloned();
        let pattern = match known {
            Some(pattern) => pattern?,
            None => {
                // Made outside the lock: two threads may both make the same
                // pattern, and keep the same.
                let made = self.make_pattern(page).map(Arc::new);
                self.lock().entry(key).or_insert(made).clone()?
            }
        };
        Some(pattern.fill(page))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PatternKey, Option<Arc<Pattern>>>> {
        self.patterns
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The engine's text for a page like `page`, with the stand-ins and
    /// `date`.
    fn stand_in_text(&self, page: &PageCite<'_>, date: Option<PartialDate>) -> String {
        engine_text(&stand_in(page, date), &self.style, &self.locales)
    }

    /// The pattern of pages like `page`, if the stand-ins come back as they
    /// went in and the pattern gives the engine's own text.
    fn make_pattern(&self, page: &PageCite<'_>) -> Option<Pattern> {
        let precision = precision(page.updated);
        let stand_in_date = |month| date_of(precision, (YEAR_STAND_IN, month, DAY_STAND_IN));
        // One text for each month (or one, with no month): the month's
        // words are where they differ.
        let texts: Vec<String> = if precision > 1 {
            (1..=12)
                .map(|month| self.stand_in_text(page, stand_in_date(month)))
                .collect()
        } else {
            vec![self.stand_in_text(page, stand_in_date(MONTH_STAND_IN))]
        };
        let (text, month_span, months) = if precision > 1 {
            let (start, end_back) = common_ends(&texts);
            let months: Vec<String> = texts
                .iter()
                .map(|t| t[start..t.len() - end_back].to_string())
                .collect();
            let text = texts[usize::from(MONTH_STAND_IN) - 1].clone();
            let span = (start, text.len() - end_back);
            (text, Some(span), months)
        } else {
            (texts.into_iter().next()?, None, Vec::new())
        };

        let mut slots: Vec<(usize, usize, Slot)> = Vec::new();
        let mut find = |needle: &str, slot: Slot| -> Option<()> {
            let mut at = text.match_indices(needle);
            let (first, _) = at.next()?;
            if at.next().is_some() {
                return None;
            }
            slots.push((first, first + needle.len(), slot));
            Some(())
        };
        find(TITLE_STAND_IN, Slot::Title)?;
        if page.url.is_some() {
            find(URL_STAND_IN, Slot::Url)?;
        }
        if precision > 0 {
            find(&YEAR_STAND_IN.to_string(), Slot::Year)?;
        }
        if precision > 2 {
            find(&DAY_STAND_IN.to_string(), Slot::Day)?;
        }
        if let Some((start, end)) = month_span {
            if start >= end {
                return None;
            }
            slots.push((start, end, Slot::Month));
        }
        slots.sort_by_key(|&(start, ..)| start);
        let mut pieces = Vec::new();
        let mut from = 0;
        for (start, end, slot) in slots {
            if start < from {
                // Two stand-ins overlap: the cut would be a guess.
                return None;
            }
            pieces.push((text[from..start].to_string(), Some(slot)));
            from = end;
        }
        pieces.push((text[from..].to_string(), None));
        let pattern = Pattern { pieces, months };

        let gives_the_engines_text = |date: Option<PartialDate>| {
            pattern.fill(&stand_in(page, date)) == self.stand_in_text(page, date)
        };
        let checked = CHECK_DATES
            .into_iter()
            .all(|date| gives_the_engines_text(date_of(precision, date)));
        (checked && pattern.fill(page) == engine_text(page, &self.style, &self.locales))
            .then_some(pattern)
    }
}

/// A page like `page` with the stand-ins for its title and address, and
/// `date`.
fn stand_in<'a>(page: &PageCite<'a>, date: Option<PartialDate>) -> PageCite<'a> {
    PageCite {
        key: page.key.clone(),
        title: TITLE_STAND_IN,
        url: page.url.as_ref().map(|_| URL_STAND_IN.to_string()),
        updated: date,
        ..*page
    }
}

/// How many bytes every text shares at its start and at its end, cut at
/// character boundaries, never overlapping.
fn common_ends(texts: &[String]) -> (usize, usize) {
    let shortest = texts.iter().map(String::len).min().unwrap_or(0);
    let first = texts.first().map_or("", String::as_str);
    let boundary = |n: usize, text: &str| text.is_char_boundary(n);
    let mut start = 0;
    while start < shortest
        && texts
            .iter()
            .all(|t| t.as_bytes()[start] == first.as_bytes()[start])
    {
        start += 1;
    }
    while start > 0 && !texts.iter().all(|t| boundary(start, t)) {
        start -= 1;
    }
    let mut end = 0;
    while end < shortest - start
        && texts
            .iter()
            .all(|t| t.as_bytes()[t.len() - 1 - end] == first.as_bytes()[first.len() - 1 - end])
    {
        end += 1;
    }
    while end > 0 && !texts.iter().all(|t| boundary(t.len() - end, t)) {
        end -= 1;
    }
    (start, end)
}

impl Pattern {
    fn fill(&self, page: &PageCite<'_>) -> String {
        let mut text = String::new();
        for (before, slot) in &self.pieces {
            text.push_str(before);
            match slot {
                Some(Slot::Title) => text.push_str(page.title),
                Some(Slot::Url) => text.push_str(page.url.as_deref().unwrap_or_default()),
                Some(Slot::Year) => {
                    if let Some(date) = page.updated {
                        text.push_str(&date.year.to_string());
                    }
                }
                Some(Slot::Month) => {
                    let month = page.updated.and_then(|d| d.month).unwrap_or(1);
                    let words = self.months.get(usize::from(month).saturating_sub(1));
                    text.push_str(words.map_or("", String::as_str));
                }
                Some(Slot::Day) => {
                    if let Some(day) = page.updated.and_then(|d| d.day) {
                        text.push_str(&day.to_string());
                    }
                }
                None => {}
            }
        }
        text
    }
}

/// A title no punctuation or case rule of a style can treat otherwise than
/// the stand-in: it begins and ends with a letter or digit, and holds no
/// quote mark, bracket, markup or control character, nor a full stop
/// (which a style may strip).
fn plain_title(title: &str) -> bool {
    let ends_plain = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    ends_plain(title.chars().next())
        && ends_plain(title.chars().next_back())
        && !title.chars().any(|c| {
            c.is_control()
                || matches!(
                    c,
                    '"' | '\''
                        | '`'
                        | '<'
                        | '>'
                        | '&'
                        | '*'
                        | '_'
                        | '['
                        | ']'
                        | '{'
                        | '}'
                        | '\\'
                        | '.'
                )
                || matches!(
                    c,
                    '\u{2018}'..='\u{201f}' | '\u{00ab}' | '\u{00bb}' | '\u{2039}' | '\u{203a}'
                )
        })
}

/// An address shaped as the stand-in is: `http`, then ASCII with no quote
/// or markup character, ending in `/`.
fn plain_url(url: &str) -> bool {
    url.starts_with("http")
        && url.ends_with('/')
        && url
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'\\'))
}

/// The page as a BibTeX `@misc` entry (BibLaTeX's `@online`, as BibTeX
/// writes it).
fn bibtex(cite: &PageCite<'_>) -> String {
    use biblatex::{Chunk, Entry, EntryType, Spanned};
    let mut entry = Entry::new(cite.key.clone(), EntryType::Online);
    let mut set = |key: &str, value: &str| {
        entry.set(
            key,
            vec![Spanned::detached(Chunk::Verbatim(value.to_string()))],
        );
    };
    set("title", cite.title);
    set("organization", cite.site_title);
    if let Some(publisher) = cite.publisher {
        set("publisher", publisher);
    }
    if let Some(date) = cite.updated {
        set("year", &date.year.to_string());
        if let Some(month) = date.month {
            set("month", &month.to_string());
        }
        set("date", &date.to_string());
    }
    if let Some(url) = &cite.url {
        set("url", url);
    }
    set("langid", cite.lang);
    let text = entry
        .to_bibtex_string()
        .unwrap_or_else(|_| entry.to_biblatex_string());
    text + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the engine alone gives, with every bundled locale: what a
    /// [`Citer`] must give too.
    fn cite(page: &PageCite<'_>, style: &IndependentStyle) -> Cited {
        static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
        let locales = LOCALES.get_or_init(hayagriva::archive::locales);
        Cited {
            text: engine_text(page, style, locales),
            csl_json: csl_json(page),
            bibtex: bibtex(page),
        }
    }

    fn page() -> PageCite<'static> {
        PageCite {
            key: "dossier-incidents-haditha-2005".into(),
            title: "Haditha killings",
            site_title: "Accountability for abuses in Iraq",
            publisher: Some("The editors"),
            updated: PartialDate::parse("2026-12-01").ok(),
            url: Some("https://example.org/incidents/haditha-2005/".into()),
            lang: "en",
        }
    }

    #[test]
    fn the_citation_names_the_page_the_dossier_the_date_and_the_address() {
        let cited = cite(&page(), &style(DEFAULT_STYLE).unwrap());
        // APA writes the container's title in title case.
        for part in [
            "Haditha killings",
            "Accountability for Abuses in Iraq",
            "2026",
            "https://example.org/incidents/haditha-2005/",
        ] {
            assert!(cited.text.contains(part), "{part} not in {}", cited.text);
        }
        let json: Value = serde_json::from_str(&cited.csl_json).unwrap();
        assert_eq!(json[0]["issued"], json!({"date-parts": [[2026, 12, 1]]}));
        assert!(
            cited.bibtex.contains("Haditha killings"),
            "{}",
            cited.bibtex
        );
        assert!(
            cited
                .bibtex
                .starts_with("@misc{dossier-incidents-haditha-2005,"),
            "{}",
            cited.bibtex
        );
    }

    /// Pages whose citations a pattern may or may not serve: plain and
    /// awkward titles, in both directions, with and without an address,
    /// at every precision of date.
    fn pages() -> Vec<PageCite<'static>> {
        let titles = [
            "Haditha killings",
            "abduction of residents at a water plant in Hawija",
            "Killings at Nisour Square 2007",
            "U.S. forces at Fallujah",
            "Who ordered the strike?",
            "The \"Highway of Death\"",
            "Mosul: the siege of 2017",
            "مجزرة حديثة",
            "«الطريق السريع» في 1991",
            "Torture_at_Abu Ghraib",
        ];
        let dates = [
            None,
            Some("2005"),
            Some("2005-03"),
            Some("2005-03-09"),
            Some("2026-12-01"),
            Some("1999-01-31"),
        ];
        let mut pages = Vec::new();
        for (i, title) in titles.into_iter().enumerate() {
            for (j, date) in dates.into_iter().enumerate() {
                for lang in ["en", "ar"] {
                    let url = (i + j) % 3 != 0;
                    pages.push(PageCite {
                        key: format!("dossier-incidents-{i}-{j}"),
                        title,
                        site_title: if lang == "ar" {
                            "المساءلة عن الانتهاكات في العراق"
                        } else {
                            "Accountability for abuses in Iraq"
                        },
                        publisher: (j % 2 == 0).then_some("The editors"),
                        updated: date.and_then(|d| PartialDate::parse(d).ok()),
                        url: url.then(|| format!("https://example.org/{lang}/incidents/x-{i}/")),
                        lang,
                    });
                }
            }
        }
        pages
    }

    #[test]
    fn patterns_give_the_engines_own_text_in_every_bundled_style_we_name() {
        for name in [
            "apa",
            "chicago-author-date",
            "modern-language-association",
            "ieee",
            "harvard-cite-them-right",
        ] {
            let style = style(name).unwrap();
            // A site in each language alone: each gets only its locales.
            let english = Citer::new(style.clone(), &["en"]);
            let arabic = Citer::new(style.clone(), &["ar"]);
            for page in pages() {
                let citer = if page.lang == "ar" { &arabic } else { &english };
                assert_eq!(
                    citer.cite(&page).text,
                    cite(&page, &style).text,
                    "{name}: {} ({:?}, {})",
                    page.title,
                    page.updated,
                    page.lang
                );
            }
        }
    }

    #[test]
    fn plain_pages_of_one_language_and_precision_share_a_pattern() {
        let citer = Citer::new(style(DEFAULT_STYLE).unwrap(), &["en"]);
        for page in pages() {
            citer.cite(&page);
        }
        let patterns = citer.lock();
        // APA keeps titles and addresses as written, so every shape a
        // plain page has gets its pattern: no date, year, month, day, each
        // with and without an address and a publisher, in two languages.
        let made = patterns.values().filter(|p| p.is_some()).count();
        assert!(made >= 16, "{made} patterns of {}", patterns.len());
    }

    #[test]
    fn a_locale_s_language_is_read_without_decoding_it() {
        let codes: Vec<&str> = hayagriva::archive::LOCALES
            .iter()
            .filter_map(|bytes| locale_code(bytes))
            .collect();
        assert_eq!(codes.len(), hayagriva::archive::LOCALES.len());
        assert!(
            codes.contains(&"ar") && codes.contains(&"en-US"),
            "{codes:?}"
        );
        let kept = locales_of(&["ar"], &style(DEFAULT_STYLE).unwrap());
        assert!(
            kept.len() < codes.len() / 4,
            "{} of {}",
            kept.len(),
            codes.len()
        );
    }

    #[test]
    fn the_same_page_cites_the_same_every_time_and_styles_differ() {
        let apa = style("apa").unwrap();
        let first = cite(&page(), &apa).text;
        assert_eq!(first, cite(&page(), &apa).text);
        let mla = style("modern-language-association").unwrap();
        assert_ne!(first, cite(&page(), &mla).text);
        assert!(style("no-such-style").is_none());
    }
}
