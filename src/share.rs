//! Link previews: what a page shows when a link to it is pasted into a
//! chat or a social network. Its OpenGraph and Twitter card values
//! (`Tags`, the `share` of every page's context) and its share image: a
//! 1200×630 PNG drawn at build time from an SVG made here, for every
//! document (its kind, date, title and key fact) and once per language for
//! every other page (the dossier's title and description), in the page's
//! language and direction.
//!
//! The image is rendered by resvg from fonts built into the binary (Noto
//! Sans and Noto Sans Arabic, `fonts/`), never from the system's, so the
//! same page gives the same bytes on every machine and with any number of
//! threads. Pure: it reads no file and writes none; the build writes what
//! it returns.

use std::sync::{Arc, LazyLock};

use resvg::usvg::{self, fontdb};
use serde::Serialize;

use crate::config::{Config, Direction};
use crate::export::xml;
use crate::graph::Graph;
use crate::i18n::Strings;
use crate::locale::{self, Digits};
use crate::model::{Count, CountKind, DocKind, Document, Fields};
use crate::urls::{Job, Planned};

/// The build's note when there is no `base_url`: OpenGraph wants absolute
/// addresses, so a link preview then has no address and no image.
pub const WITHOUT_BASE_URL: &str = "links to this site, when shared, show no image: set `base_url` in site.toml (or pass --base-url) to the address the site is published at";

/// The size OpenGraph and Twitter recommend for a large preview.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The fonts every image is drawn with: Latin, Greek and Cyrillic from
/// Noto Sans, Arabic script from Noto Sans Arabic, each in the regular
/// and the bold weight (SIL Open Font License, `fonts/OFL.txt`).
const FONTS: [&[u8]; 4] = [
    include_bytes!("../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../fonts/NotoSansArabic-Bold.ttf"),
];

const LATIN: &str = "Noto Sans";
const ARABIC: &str = "Noto Sans Arabic";

/// The font database, made once per process and shared by every image.
static DATABASE: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
    let mut database = fontdb::Database::new();
    for font in FONTS {
        database.load_font_source(fontdb::Source::Binary(Arc::new(font)));
    }
    Arc::new(database)
});

/// What a page's share image says, in the page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub direction: Direction,
    /// The line above the title: the document's kind and date, or the
    /// dossier's tagline.
    pub kicker: String,
    pub title: String,
    /// The line below: an incident's toll, a figure's estimates, a
    /// demand's status, or the dossier's description.
    pub fact: Option<String>,
    /// The dossier's title, at the foot (none on the dossier's own card).
    pub footer: Option<String>,
}

/// `share` in every page's context: what its OpenGraph and Twitter card
/// tags say beyond its title and description (which the theme takes from
/// `page` and `site`). `url` and `image` are absolute addresses, so only
/// there when `base_url` is set.
#[derive(Debug, Serialize)]
pub struct Tags {
    /// `article` for a document, `website` for every other page.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The page's language as OpenGraph writes a locale (`en`, `pt_BR`).
    pub locale: String,
    /// The page's other languages, the same way.
    pub locale_alternates: Vec<String>,
    pub url: Option<String>,
    pub image: Option<Image>,
}

#[derive(Debug, Serialize)]
pub struct Image {
    pub url: String,
    pub width: u32,
    pub height: u32,
    #[serde(rename = "type")]
    pub media_type: &'static str,
    /// What the image says, for readers who do not see it.
    pub alt: String,
}

/// A language code as OpenGraph writes a locale: `language_TERRITORY`
/// where the code names a territory (`pt-br` → `pt_BR`), else the
/// language alone, which is all a site's language code says.
pub fn locale(lang: &str) -> String {
    match lang.split_once('-') {
        Some((language, territory)) => format!("{language}_{}", territory.to_uppercase()),
        None => lang.to_string(),
    }
}

/// The link-preview values of `page`.
pub fn tags(graph: &Graph, config: &Config, strings: &Strings, page: &Planned) -> Tags {
    let lang = page.lang.as_deref().unwrap_or(&config.default_language);
    let article =
        matches!(page.job, Job::Document(id) if graph.documents[id].kind != DocKind::Home);
    let absolute = |path: &str| {
        config
            .base_url
            .as_ref()
            .map(|_| crate::export::absolute(config, path))
    };
    let image = page.share.as_ref().and_then(|share| {
        Some(Image {
            url: absolute(&share.path)?,
            width: WIDTH,
            height: HEIGHT,
            media_type: "image/png",
            alt: alt(&card_of(graph, config, strings, page)),
        })
    });
    Tags {
        kind: if article { "article" } else { "website" },
        locale: locale(lang),
        locale_alternates: page
            .alternates
            .iter()
            .filter(|alternate| alternate.lang != lang)
            .map(|alternate| locale(&alternate.lang))
            .collect(),
        url: absolute(page.output.trim_end_matches("index.html")),
        image,
    }
}

/// The words of a card, as one text: the image's `alt`.
pub fn alt(card: &Card) -> String {
    let mut parts = vec![card.kicker.as_str(), card.title.as_str()];
    parts.extend(card.fact.as_deref());
    parts.extend(card.footer.as_deref());
    parts.retain(|part| !part.is_empty());
    parts.join(". ")
}

/// The share image published for `page`, when the page is the one it is
/// drawn for: its path and PNG bytes.
pub fn image(
    graph: &Graph,
    config: &Config,
    strings: &Strings,
    page: &Planned,
) -> Option<(String, Vec<u8>)> {
    let share = page.share.as_ref().filter(|share| share.drawn_here)?;
    let card = card_of(graph, config, strings, page);
    Some((share.path.clone(), png(&card)))
}

/// The card of `page`'s share image: the document's own, or the
/// dossier's in the page's language.
fn card_of(graph: &Graph, config: &Config, strings: &Strings, page: &Planned) -> Card {
    let lang = page.lang.as_deref().unwrap_or(&config.default_language);
    let language = config.languages.get(lang);
    let site_title = language
        .and_then(|l| l.title.as_deref())
        .unwrap_or(&config.title);
    let own = match page.job {
        Job::Document(id) => Some(&*graph.documents[id]).filter(|d| d.kind != DocKind::Home),
        _ => None,
    };
    let direction = config.direction(lang);
    match own {
        Some(document) => Card {
            direction,
            kicker: kicker(document, strings, lang, config.digits(lang)),
            title: document.common.title.clone(),
            fact: fact(document, strings, lang, config.digits(lang)),
            footer: Some(site_title.to_string()),
        },
        None => Card {
            direction,
            kicker: strings
                .get(lang, "site_tagline")
                .unwrap_or_default()
                .to_string(),
            title: site_title.to_string(),
            fact: Some(
                language
                    .and_then(|l| l.description.as_deref())
                    .unwrap_or(&config.description)
                    .to_string(),
            )
            .filter(|description| !description.is_empty()),
            footer: None,
        },
    }
}

/// The document's kind and date: "Incident · 19 November 2005".
fn kicker(document: &Document, strings: &Strings, lang: &str, digits: Digits) -> String {
    let kind = document
        .collection()
        .and_then(|collection| strings.get(lang, collection.singular()));
    let date = document.date().map(|date| strings.date(date, lang, digits));
    [kind.map(str::to_string), date]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The one fact a card shows of its document, labelled.
fn fact(document: &Document, strings: &Strings, lang: &str, digits: Digits) -> Option<String> {
    let word = |key: &str| strings.get(lang, key).unwrap_or(key).to_string();
    let labelled = |label: &str, value: String| format!("{}: {value}", word(label));
    match &document.fields {
        Fields::Incident(incident) => {
            let casualties = &incident.casualties;
            [
                ("killed", casualties.killed),
                ("injured", casualties.injured),
                ("detained", casualties.detained),
            ]
            .into_iter()
            .find_map(|(label, count)| {
                Some(labelled(label, count_text(&count?, strings, lang, digits)))
            })
        }
        Fields::Figure(figure) if !figure.estimates.is_empty() => {
            let values: Vec<String> = figure
                .estimates
                .iter()
                .map(|estimate| count_text(&estimate.count, strings, lang, digits))
                .collect();
            Some(labelled("estimates", values.join(" · ")))
        }
        Fields::Demand(demand) => Some(labelled(
            "status",
            word(&format!("status_{}", demand.status.as_str())),
        )),
        Fields::Actor(actor) => Some(word(&format!("actor_kind_{}", actor.kind.as_str()))),
        Fields::Source(source) => Some(word(&format!("source_kind_{}", source.kind.as_str()))),
        _ => None,
    }
}

/// A count as the source words it, in the page's digits: "24",
/// "12–18", "at least 40".
fn count_text(count: &Count, strings: &Strings, lang: &str, digits: Digits) -> String {
    let high = count.high.unwrap_or(count.low);
    let worded = |key: &str, n: u64| {
        strings
            .get(lang, &format!("count_{key}"))
            .unwrap_or("{n}")
            .replace("{n}", &locale::group(n, digits))
    };
    match count.kind {
        CountKind::Exact | CountKind::Range => locale::range(count.low, high, digits),
        CountKind::AtLeast => worded("at_least", count.low),
        CountKind::MoreThan => worded("more_than", count.low),
        CountKind::About => worded("about", count.low),
        CountKind::UpTo => worded("up_to", high),
        CountKind::FewerThan => worded("fewer_than", high),
        CountKind::Nearly => worded("nearly", high),
    }
}

// The layout, in pixels of the image. Left to right it is as written here;
// right to left it is mirrored.
const MARGIN: f32 = 80.0;
const TEXT_WIDTH: f32 = WIDTH as f32 - 2.0 * MARGIN;
const BAR: f32 = 16.0;
const BACKGROUND: &str = "#151a22";
const ACCENT: &str = "#e0464b";
const TEXT: &str = "#ffffff";
const MUTED: &str = "#aeb6c0";
/// The title's sizes, largest first, each tried in turn until the title
/// fits in [`TITLE_LINES`] lines; at the smallest it may take one more
/// line, and what does not fit ends in an ellipsis.
const TITLE_SIZES: [f32; 3] = [66.0, 56.0, 48.0];
const TITLE_LINES: usize = 3;
const TITLE_TOP: f32 = 172.0;
const KICKER_SIZE: f32 = 30.0;
const FACT_SIZE: f32 = 36.0;
const FOOTER_SIZE: f32 = 26.0;
/// The size words are measured at; widths scale with the size.
const MEASURE_SIZE: f32 = 100.0;
const ELLIPSIS: &str = "…";

/// Draws a card as a PNG of [`WIDTH`] × [`HEIGHT`] pixels.
pub fn png(card: &Card) -> Vec<u8> {
    let svg = svg(card);
    let tree = usvg::Tree::from_str(&svg, &options()).expect("the card's SVG is made here");
    let mut pixmap = resvg::tiny_skia::Pixmap::new(WIDTH, HEIGHT).expect("a non-empty size");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    encode(pixmap.data())
}

/// A card's pixels as a PNG, compressed by the fast encoder, which costs a
/// fraction of the default's time. The card is opaque, so its
/// premultiplied pixels are its colours, and drawn in a few colours and
/// their blends: where they are 256 or fewer, as is usual, each pixel is
/// one byte of a palette (in the order the colours first appear), which
/// makes the file smaller and faster to compress; else three bytes.
fn encode(rgba: &[u8]) -> Vec<u8> {
    let mut palette: Vec<[u8; 3]> = Vec::new();
    let mut index: std::collections::HashMap<[u8; 3], u8> = std::collections::HashMap::new();
    let mut indexed = Vec::with_capacity(rgba.len() / 4);
    // Most pixels are the one before them again: the background, a bar.
    let mut last: Option<([u8; 3], u8)> = None;
    for pixel in rgba.chunks_exact(4) {
        let colour = [pixel[0], pixel[1], pixel[2]];
        if let Some((same, i)) = last
            && same == colour
        {
            indexed.push(i);
            continue;
        }
        let i = match index.get(&colour) {
            Some(&i) => i,
            None if palette.len() < 256 => {
                let i = palette.len() as u8;
                palette.push(colour);
                index.insert(colour, i);
                i
            }
            None => {
                palette.clear();
                break;
            }
        };
        last = Some((colour, i));
        indexed.push(i);
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let data = if palette.is_empty() {
        encoder.set_color(png::ColorType::Rgb);
        rgba.chunks_exact(4)
            .flat_map(|pixel| [pixel[0], pixel[1], pixel[2]])
            .collect()
    } else {
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_palette(palette.concat());
        indexed
    };
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&data))
        .expect("a PNG is encoded into memory, which cannot fail to be written");
    out
}

/// How usvg reads a card: only the fonts built in, and no fallback
/// between them, since every piece of text is in one font ([`tokens`]).
fn options() -> usvg::Options<'static> {
    usvg::Options {
        fontdb: Arc::clone(&DATABASE),
        font_resolver: usvg::FontResolver {
            select_font: usvg::FontResolver::default_font_selector(),
            select_fallback: Box::new(|_, _, _| None),
        },
        ..usvg::Options::default()
    }
}

/// A piece of text drawn as one `<text>`: one font, one direction.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Token {
    /// Text, and whether it is drawn with the Arabic font.
    Text(String, bool),
    Space,
}

/// Whether a character is drawn with the Arabic font: the Arabic blocks,
/// and the joiners that shape Arabic letters.
fn is_arabic(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{0870}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}'
        | '\u{200C}'
        | '\u{200D}')
}

/// A text cut into its words and, inside a word, into the pieces of each
/// font, in the order written; white space is one `Space`.
fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut piece = String::new();
    let mut kind = (false, false);
    for c in text.chars() {
        // The font, and for Arabic whether a letter: Arabic punctuation
        // (`،`) is a piece of its own, placed by the line's direction
        // rather than by usvg's left-to-right reading of a piece.
        let letter = c.is_alphabetic() || is_mark(c) || matches!(c, '\u{200C}' | '\u{200D}');
        let next = (!c.is_whitespace()).then(|| (is_arabic(c), is_arabic(c) && letter));
        if !piece.is_empty() && next != Some(kind) {
            out.push(Token::Text(std::mem::take(&mut piece), kind.0));
        }
        match next {
            Some(next) => {
                kind = next;
                piece.push(c);
            }
            None if out.last() != Some(&Token::Space) => out.push(Token::Space),
            None => {}
        }
    }
    if !piece.is_empty() {
        out.push(Token::Text(piece, kind.0));
    }
    out
}

/// A line's pieces in the order they are drawn, left to right, by the
/// Unicode bidirectional algorithm over the line in the card's direction:
/// a right-to-left run's pieces turned around, and in a run of neutral
/// signs inside it (a bracket, a full stop) the signs turned and brackets
/// mirrored. usvg then draws each piece in its own direction.
fn visual(line: &str, rtl: bool) -> Vec<Token> {
    if line.is_empty() {
        return Vec::new();
    }
    let level = if rtl {
        unicode_bidi::Level::rtl()
    } else {
        unicode_bidi::Level::ltr()
    };
    let info = unicode_bidi::ParagraphBidiInfo::new(line, Some(level));
    let (levels, runs) = info.visual_runs(0..line.len());
    let mut out = Vec::new();
    for run in runs {
        let mut pieces = tokens(&line[run.clone()]);
        if levels[run.start].is_rtl() {
            pieces.reverse();
            for piece in &mut pieces {
                if let Token::Text(text, false) = piece {
                    *text = text.chars().rev().map(mirrored).collect();
                }
            }
        }
        out.extend(pieces);
    }
    out.dedup_by(|a, b| *a == Token::Space && *b == Token::Space);
    while out.last() == Some(&Token::Space) {
        out.pop();
    }
    if out.first() == Some(&Token::Space) {
        out.remove(0);
    }
    out
}

/// A bracket as a right-to-left line draws it.
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        c => c,
    }
}

/// One line of text to draw: its words, size, weight and colour.
struct Line {
    text: String,
    size: f32,
    bold: bool,
    fill: &'static str,
    baseline: f32,
}

/// The card as an SVG document.
fn svg(card: &Card) -> String {
    let rtl = card.direction == Direction::Rtl;
    let mut measure = Measure::new(card);
    let mut lines = Vec::new();
    // Arabic script reaches further above and below the line than Latin.
    let leading = if rtl { 1.4 } else { 1.22 };
    lines.push(Line {
        text: measure.fit(&card.kicker, KICKER_SIZE, true, 1).join(" "),
        size: KICKER_SIZE,
        bold: true,
        fill: ACCENT,
        baseline: 120.0,
    });
    let (size, title) = measure.title(&card.title);
    let mut baseline = TITLE_TOP + size;
    for line in title {
        lines.push(Line {
            text: line,
            size,
            bold: true,
            fill: TEXT,
            baseline,
        });
        baseline += size * leading;
    }
    if let Some(fact) = &card.fact {
        // The dossier's description may take two lines; a document's fact
        // one.
        let most = if card.footer.is_none() { 2 } else { 1 };
        let mut baseline = baseline - size * leading + FACT_SIZE * 2.0;
        for line in measure.fit(fact, FACT_SIZE, false, most) {
            lines.push(Line {
                text: line,
                size: FACT_SIZE,
                bold: false,
                fill: MUTED,
                baseline,
            });
            baseline += FACT_SIZE * leading;
        }
    }
    if let Some(footer) = &card.footer {
        lines.push(Line {
            text: measure.fit(footer, FOOTER_SIZE, false, 1).join(" "),
            size: FOOTER_SIZE,
            bold: false,
            fill: MUTED,
            baseline: HEIGHT as f32 - 56.0,
        });
    }
    let bar_x = if rtl { WIDTH as f32 - BAR } else { 0.0 };
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\">\
<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{BACKGROUND}\"/>\
<rect x=\"{bar_x}\" width=\"{BAR}\" height=\"{HEIGHT}\" fill=\"{ACCENT}\"/>"
    );
    if card.footer.is_some() {
        out.push_str(&format!(
            "<rect x=\"{MARGIN}\" y=\"{}\" width=\"{TEXT_WIDTH}\" height=\"2\" fill=\"#2c3440\"/>",
            HEIGHT as f32 - 110.0
        ));
    }
    let drawn: Vec<(Vec<Token>, &Line)> = lines
        .iter()
        .map(|line| (visual(&line.text, rtl), line))
        .collect();
    measure.add(drawn.iter().flat_map(|(pieces, line)| {
        pieces.iter().filter_map(move |piece| match piece {
            Token::Text(text, arabic) => Some(((text.clone(), *arabic), line.bold)),
            Token::Space => None,
        })
    }));
    for (pieces, line) in drawn {
        let scale = line.size / MEASURE_SIZE;
        let width_of = |piece: &Token| match piece {
            Token::Text(text, arabic) => measure.width(&(text.clone(), *arabic), line.bold),
            Token::Space => measure.space[usize::from(line.bold)],
        } * scale;
        let width: f32 = pieces.iter().map(width_of).sum();
        let mut x = if rtl {
            WIDTH as f32 - MARGIN - width
        } else {
            MARGIN
        };
        for piece in &pieces {
            if let Token::Text(text, arabic) = piece {
                out.push_str(&format!(
                    "<text x=\"{x}\" y=\"{}\" font-family=\"{}\" font-size=\"{}\" font-weight=\"{}\" fill=\"{}\">{}</text>",
                    line.baseline,
                    if *arabic { ARABIC } else { LATIN },
                    line.size,
                    if line.bold { 700 } else { 400 },
                    line.fill,
                    xml(text),
                ));
            }
            x += width_of(piece);
        }
    }
    out.push_str("</svg>");
    out
}

/// A piece of text in one font (`true` for Arabic), as measured.
type Piece = (String, bool);

/// The width of pieces of text, measured by usvg's own layout (the same
/// shaping that draws them) at [`MEASURE_SIZE`], many in one reading.
struct Measure {
    /// By piece and weight (`bold`).
    widths: std::collections::HashMap<(Piece, bool), f32>,
    /// A space, regular and bold.
    space: [f32; 2],
}

impl Measure {
    /// The pieces of every word of a card, and the space, measured.
    fn new(card: &Card) -> Measure {
        let mut measure = Measure {
            widths: Default::default(),
            space: [0.0; 2],
        };
        let texts = [
            (card.kicker.as_str(), true),
            (card.title.as_str(), true),
            (card.fact.as_deref().unwrap_or_default(), false),
            (card.footer.as_deref().unwrap_or_default(), false),
        ];
        let probes = ["x x", "xx", ELLIPSIS];
        measure.add(
            texts
                .into_iter()
                .flat_map(|(text, bold)| tokens(text).into_iter().map(move |t| (t, bold)))
                .filter_map(|(token, bold)| match token {
                    Token::Text(text, arabic) => Some(((text, arabic), bold)),
                    Token::Space => None,
                })
                .chain(
                    [false, true]
                        .into_iter()
                        .flat_map(|bold| probes.map(|p| ((p.to_string(), false), bold))),
                ),
        );
        // A space is what it adds between two letters.
        measure.space = [false, true].map(|bold| {
            measure.width(&("x x".to_string(), false), bold)
                - measure.width(&("xx".to_string(), false), bold)
        });
        measure
    }

    /// Measures the pieces not measured yet, in one reading.
    fn add(&mut self, pieces: impl IntoIterator<Item = (Piece, bool)>) {
        let mut new: Vec<(Piece, bool)> = Vec::new();
        for key in pieces {
            if !self.widths.contains_key(&key) && !new.contains(&key) {
                new.push(key);
            }
        }
        if new.is_empty() {
            return;
        }
        let mut svg =
            String::from("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">");
        for (i, ((text, arabic), bold)) in new.iter().enumerate() {
            svg.push_str(&format!(
                "<text id=\"w{i}\" y=\"{MEASURE_SIZE}\" font-family=\"{}\" font-size=\"{MEASURE_SIZE}\" font-weight=\"{}\">{}</text>",
                if *arabic { ARABIC } else { LATIN },
                if *bold { 700 } else { 400 },
                xml(text)
            ));
        }
        svg.push_str("</svg>");
        let tree = usvg::Tree::from_str(&svg, &options()).ok();
        for (i, key) in new.into_iter().enumerate() {
            let width = match tree.as_ref().and_then(|t| t.node_by_id(&format!("w{i}"))) {
                Some(usvg::Node::Text(text)) => text.bounding_box().width(),
                // Nothing the fonts can draw is measured as nothing.
                _ => 0.0,
            };
            self.widths.insert(key, width);
        }
    }

    fn width(&self, piece: &Piece, bold: bool) -> f32 {
        // A piece is cloned into the key only to look it up.
        self.widths
            .get(&(piece.clone(), bold))
            .copied()
            .unwrap_or(0.0)
    }

    /// A word's width at `size`: its pieces side by side.
    fn word(&self, word: &str, bold: bool, size: f32) -> f32 {
        tokens(word)
            .iter()
            .map(|token| match token {
                Token::Text(text, arabic) => self.width(&(text.clone(), *arabic), bold),
                Token::Space => self.space[usize::from(bold)],
            })
            .sum::<f32>()
            * size
            / MEASURE_SIZE
    }

    /// `text` in at most `most` lines of [`TEXT_WIDTH`] at `size`, words
    /// kept whole; what does not fit is cut off with an ellipsis. Whether
    /// all of it fitted.
    fn wrap(&self, text: &str, size: f32, bold: bool, most: usize) -> (Vec<String>, bool) {
        let space = self.space[usize::from(bold)] * size / MEASURE_SIZE;
        let mut lines: Vec<(Vec<&str>, f32)> = Vec::new();
        for word in text.split_whitespace() {
            let width = self.word(word, bold, size);
            match lines.last_mut() {
                Some((words, used)) if *used + space + width <= TEXT_WIDTH => {
                    words.push(word);
                    *used += space + width;
                }
                _ => lines.push((vec![word], width)),
            }
        }
        let fitted = lines.len() <= most && lines.iter().all(|(_, used)| *used <= TEXT_WIDTH);
        if fitted {
            return (
                lines
                    .into_iter()
                    .map(|(words, _)| words.join(" "))
                    .collect(),
                true,
            );
        }
        lines.truncate(most);
        let ellipsis = self.word(ELLIPSIS, bold, size);
        let mut out: Vec<String> = lines.iter().map(|(words, _)| words.join(" ")).collect();
        if let Some((words, used)) = lines.last_mut() {
            // Drop words until the ellipsis fits after the last one kept.
            while words.len() > 1 && *used + ellipsis > TEXT_WIDTH {
                let dropped = words.pop().unwrap_or_default();
                *used -= space + self.word(dropped, bold, size);
            }
            let mut last = words.join(" ");
            if *used + ellipsis > TEXT_WIDTH {
                // One word longer than the line: cut it in proportion.
                last = cut(&last, (TEXT_WIDTH - ellipsis) / *used);
            }
            last.push_str(ELLIPSIS);
            if let Some(line) = out.last_mut() {
                *line = last;
            }
        }
        (out, false)
    }

    /// `text` in at most `most` lines at `size`.
    fn fit(&self, text: &str, size: f32, bold: bool, most: usize) -> Vec<String> {
        self.wrap(text, size, bold, most).0
    }

    /// The title at the largest size at which it fits in [`TITLE_LINES`]
    /// lines, else at the smallest in one more, cut with an ellipsis.
    fn title(&self, title: &str) -> (f32, Vec<String>) {
        for size in TITLE_SIZES {
            let (lines, fitted) = self.wrap(title, size, true, TITLE_LINES);
            if fitted {
                return (size, lines);
            }
        }
        let smallest = TITLE_SIZES[TITLE_SIZES.len() - 1];
        (smallest, self.fit(title, smallest, true, TITLE_LINES + 1))
    }
}

/// The first `share` of a word's characters, never ending before a
/// combining mark (which belongs to the letter before it).
fn cut(word: &str, share: f32) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut keep = ((chars.len() as f32) * share.clamp(0.0, 1.0)) as usize;
    while keep > 0 && keep < chars.len() && is_mark(chars[keep]) {
        keep -= 1;
    }
    chars[..keep].iter().collect()
}

/// Combining marks of the scripts the fonts draw: Latin accents and
/// Arabic vowel signs.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(title: &str, direction: Direction) -> Card {
        Card {
            direction,
            kicker: "Incident · 19 November 2005".into(),
            title: title.into(),
            fact: Some("Killed: 24".into()),
            footer: Some("Test dossier".into()),
        }
    }

    #[test]
    fn locales_are_written_as_opengraph_writes_them() {
        assert_eq!(locale("ar"), "ar");
        assert_eq!(locale("pt-br"), "pt_BR");
    }

    #[test]
    fn a_long_title_is_cut_with_an_ellipsis_in_at_most_four_lines() {
        let title = "word ".repeat(80);
        let card = card(&title, Direction::Ltr);
        let (size, lines) = Measure::new(&card).title(&card.title);
        assert_eq!(size, TITLE_SIZES[2]);
        assert_eq!(lines.len(), TITLE_LINES + 1);
        assert!(lines[3].ends_with(ELLIPSIS), "{lines:?}");
        let short = Measure::new(&card).title("Haditha killings");
        assert_eq!(
            short,
            (TITLE_SIZES[0], vec!["Haditha killings".to_string()])
        );
    }

    #[test]
    fn a_word_longer_than_a_line_is_cut_between_letters() {
        let word = "x".repeat(200);
        let card = card(&word, Direction::Ltr);
        let (_, lines) = Measure::new(&card).title(&card.title);
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].ends_with(ELLIPSIS) && lines[0].len() < 200,
            "{lines:?}"
        );
    }

    #[test]
    fn a_free_page_with_neither_kind_nor_date_is_drawn() {
        let mut card = card("About this dossier", Direction::Rtl);
        card.kicker.clear();
        assert_eq!(&png(&card)[..8], b"\x89PNG\r\n\x1a\n");
    }

    #[test]
    fn a_right_to_left_line_is_drawn_in_pieces_from_its_last_word() {
        let text = |t: &str, arabic| Token::Text(t.to_string(), arabic);
        assert_eq!(
            visual("مقتل 24 (حديثة)، هنا.", true),
            [
                text(".", false),
                text("هنا", true),
                Token::Space,
                text("،", true),
                text("(", false),
                text("حديثة", true),
                text(")", false),
                Token::Space,
                text("24", false),
                Token::Space,
                text("مقتل", true),
            ]
        );
        assert_eq!(
            visual("Haditha حديثة", false),
            [text("Haditha", false), Token::Space, text("حديثة", true)]
        );
    }

    /// The pixels a PNG decodes to, as colours.
    fn decoded(bytes: &[u8]) -> (png::ColorType, Vec<[u8; 3]>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let kind = reader.info().color_type;
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        let colours = pixels
            .chunks(frame.color_type.samples())
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        (kind, colours)
    }

    #[test]
    fn a_card_of_few_colours_is_a_palette_and_of_many_full_colour_and_both_keep_every_pixel() {
        let pixels = (WIDTH * HEIGHT) as usize;
        for colours in [3usize, 300] {
            let rgba: Vec<u8> = (0..pixels)
                .flat_map(|i| {
                    let c = (i / 7 % colours) as u16;
                    [(c % 256) as u8, (c / 256) as u8, 40, 255]
                })
                .collect();
            let (kind, got) = decoded(&encode(&rgba));
            let expected = if colours <= 256 {
                png::ColorType::Indexed
            } else {
                png::ColorType::Rgb
            };
            assert_eq!(kind, expected);
            let want: Vec<[u8; 3]> = rgba.chunks(4).map(|p| [p[0], p[1], p[2]]).collect();
            assert!(got == want, "{colours} colours: pixels changed");
        }
    }
}
