//! Problems in a site's text, as values.
//!
//! Every stage that can find a mistake in what an editor wrote returns it as a
//! [`Diagnostic`] instead of stopping: a build gathers all of them, prints them
//! all, and fails at the end. A diagnostic points at the text (path, line,
//! column, the line itself and a caret) and carries a hint an editor can act on.
//! This module never decides whether a build fails; it only describes problems.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// Declares the stable code of every kind of diagnostic. A code never
/// changes meaning and is never reused; `docs/diagnostics.md` explains each
/// one with an example, and a test fails when one is missing there.
macro_rules! codes {
    ($($variant:ident = $code:literal $name:literal),+ $(,)?) => {
        /// The kind of a diagnostic, with its stable code (`E0304`) and name
        /// (`unknown-reference`), for tools that read diagnostics.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant),+
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code),+
                }
            }

            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name),+
                }
            }
        }
    };
}

codes! {
    NoFrontMatter = "E0101" "no-front-matter",
    UnclosedFrontMatter = "E0102" "unclosed-front-matter",
    YamlSyntax = "E0103" "yaml-syntax",
    FrontMatterShape = "E0104" "front-matter-shape",
    NestedTooDeep = "E0105" "nested-too-deep",
    MissingField = "E0110" "missing-field",
    WrongType = "E0111" "wrong-type",
    UnknownWord = "E0112" "unknown-word",
    BadDate = "E0113" "bad-date",
    UnknownField = "E0114" "unknown-field",
    InvalidValue = "E0115" "invalid-value",
    EmptyTitle = "E0201" "empty-title",
    DemandWithoutStatus = "E0202" "demand-without-status",
    EndBeforeStart = "E0203" "end-before-start",
    OutsideTheGlobe = "E0204" "outside-the-globe",
    BadSha256 = "E0205" "bad-sha256",
    MinAboveMax = "E0206" "min-above-max",
    BadPeriod = "E0207" "bad-period",
    EstimateTooLarge = "E0208" "estimate-too-large",
    HalfCoordinate = "E0209" "half-coordinate",
    UnknownGovernorate = "E0210" "unknown-governorate",
    OutsideTheCountry = "E0211" "outside-the-country",
    CorrectionDate = "E0215" "correction-date",
    Placeholder = "E0216" "placeholder",
    DuplicateSlug = "E0301" "duplicate-slug",
    OrphanTranslation = "E0302" "orphan-translation",
    TranslationChangesFact = "E0307" "translation-changes-fact",
    StaleTranslation = "W0308" "stale-translation",
    ReferenceToDraft = "W0303" "reference-to-draft",
    UnknownReference = "E0304" "unknown-reference",
    LinkToDraft = "W0305" "link-to-draft",
    UnknownLink = "E0306" "unknown-link",
    OutputRefused = "E0401" "output-refused",
    IncidentWithoutSource = "W0402" "incident-without-source",
    UnsourcedIncident = "E0411" "unsourced-incident",
    SourceWithoutPerspective = "W0403" "source-without-perspective",
    SourceWithoutCopy = "W0408" "source-without-copy",
    UnknownCitation = "E0309" "unknown-citation",
    CitationOfDraft = "W0310" "citation-of-draft",
    UncitedParagraph = "W0311" "uncited-paragraph",
    RawHtmlShownAsText = "W0312" "raw-html-shown-as-text",
    RefusedUrlScheme = "E0313" "refused-url-scheme",
    HeadingAttributeDropped = "W0314" "heading-attribute-dropped",
    MissingFile = "E0315" "missing-file",
    FileOutsideContent = "E0316" "file-outside-content",
    ImageWithoutAlt = "W0317" "image-without-alt",
    ImageNotResized = "W0318" "image-not-resized",
    OffGlossary = "W0707" "off-glossary",
    ArchiveThroughRefusedLink = "E0409" "archive-through-refused-link",
    RefusedSymlink = "E0511" "refused-symlink",
    FileTooLarge = "E0512" "file-too-large",
    ActiveAttachment = "E0513" "active-attachment",
    ArchiveOutsideContent = "E0404" "archive-outside-content",
    ArchiveMissing = "E0405" "archive-missing",
    ArchiveHashMismatch = "E0406" "archive-hash-mismatch",
    OutputCollision = "E0407" "output-collision",
    UnknownLeftover = "W0410" "unknown-leftover",
    NoContentFolder = "E0501" "no-content-folder",
    ThemeMissing = "E0502" "theme-missing",
    LinkOutsideSite = "E0503" "link-outside-site",
    SymlinkLoop = "E0504" "symlink-loop",
    BrokenSymlink = "E0505" "broken-symlink",
    UnreadableFile = "E0506" "unreadable-file",
    UndeclaredLanguage = "E0507" "undeclared-language",
    MisplacedIndex = "E0508" "misplaced-index",
    BadFileName = "E0509" "bad-file-name",
    NotUtf8 = "E0510" "not-utf8",
    BadSetting = "E0601" "bad-setting",
    BadLanguageCode = "E0602" "bad-language-code",
    LanguageWithoutTitle = "W0603" "language-without-title",
    InterfaceStrings = "E0701" "interface-strings",
    MissingInterfaceString = "W0705" "missing-interface-string",
    BadGeography = "E0704" "bad-geography",
    BadGlossary = "E0706" "bad-glossary",
    MissingTemplate = "E0702" "missing-template",
    TemplateError = "E0703" "template-error",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
/// Separates a message from its hint inside a serde error, which can only
/// carry one string. `front_matter::improve_serde_message` splits them again. It lives here,
/// beside the diagnostics it becomes, so that the model (which writes it)
/// and front matter (which reads it) need not know each other.
pub const HINT_SEPARATOR: char = '\u{1}';

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// Where in a file a problem is: 1-based line and column (in characters), the
/// text around it, and how many characters the caret should cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The line, or on a long line the part of it around the problem
    /// (marked `…` where cut), so that each diagnostic costs the same
    /// however long its line.
    pub line_text: String,
    /// The column of the line that the first character of `line_text`
    /// stands for: 1 unless the line was cut.
    pub text_column: usize,
    pub width: usize,
}

/// How many bytes of a line a diagnostic shows on each side of its caret.
const EXCERPT_BYTES: usize = 120;
/// Characters are counted from a checkpoint every this many bytes.
const CHUNK: usize = 1024;

/// A file's text indexed once (where each line starts, how many characters
/// precede every `CHUNK` bytes), so that locating any number of
/// diagnostics in it costs a bounded amount each: no counting from the
/// start of the file or of the line, and no copy of the whole line.
pub struct Lines<'a> {
    path: &'a Path,
    text: &'a str,
    starts: Vec<usize>,
    chars: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(path: &'a Path, text: &'a str) -> Lines<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut chars = Vec::with_capacity(bytes.len() / CHUNK + 1);
        let mut before = 0;
        for chunk in bytes.chunks(CHUNK) {
            chars.push(before);
            before += count_chars(chunk);
        }
        chars.push(before);
        Lines {
            path,
            text,
            starts,
            chars,
        }
    }

    /// Characters before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let chunk = offset / CHUNK;
        self.chars[chunk] + count_chars(&self.text.as_bytes()[chunk * CHUNK..offset])
    }

    /// Locates `offset` (a byte offset into the text) and covers `len`
    /// bytes, clipped to the end of the line.
    pub fn at(&self, offset: usize, len: usize) -> Location {
        let text = self.text;
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        let line_end = self.starts.get(line).map_or(text.len(), |&next| next - 1);
        let line_end = if text[line_start..line_end].ends_with('\r') {
            line_end - 1
        } else {
            line_end
        };
        let end = floor_char_boundary(text, offset.saturating_add(len).min(line_end)).max(offset);
        let first = floor_char_boundary(text, offset.saturating_sub(EXCERPT_BYTES).max(line_start));
        let last = floor_char_boundary(text, end.saturating_add(EXCERPT_BYTES).min(line_end));
        let column_of = |at: usize| self.chars_before(at) - self.chars_before(line_start) + 1;
        let mut line_text = String::new();
        let mut text_column = 1;
        if first > line_start {
            line_text.push('…');
            text_column = column_of(first) - 1;
        }
        line_text.push_str(&text[first..last]);
        if last < line_end {
            line_text.push('…');
        }
        Location {
            path: self.path.to_path_buf(),
            line,
            column: column_of(offset),
            line_text,
            text_column,
            width: self.chars_before(end) - self.chars_before(offset),
        }
    }
}

/// Characters in a run of UTF-8 bytes: every byte that does not continue
/// a character starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

impl Location {
    /// Locates `offset` (a byte offset into `text`) and covers `len` bytes,
    /// clipped to the end of the line. Indexes the whole text: where a file
    /// can have many diagnostics, index it once with [`Lines`].
    pub fn at(path: &Path, text: &str, offset: usize, len: usize) -> Location {
        Lines::new(path, text).at(offset, len)
    }

    /// Locates a 1-based line and column in `text`, covering `width` characters.
    pub fn line_column(
        path: &Path,
        text: &str,
        line: usize,
        column: usize,
        width: usize,
    ) -> Location {
        let line_text = text
            .split('\n')
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r');
        Location {
            path: path.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
            line_text: line_text.to_string(),
            text_column: 1,
            width,
        }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem this is; every diagnostic has one.
    pub code: Code,
    pub message: String,
    /// Absent for problems that belong to no single place in a file, such as
    /// an output folder that may not be used.
    pub location: Option<Box<Location>>,
    /// What to write under the caret.
    pub label: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            label: None,
            hint: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// The same problem, of a more precise kind.
    pub fn with_code(mut self, code: Code) -> Diagnostic {
        self.code = code;
        self
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(Box::new(location));
        self
    }

    pub fn in_file(self, path: &Path) -> Diagnostic {
        self.at(Location {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            line_text: String::new(),
            text_column: 1,
            width: 0,
        })
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn maybe_hint(self, hint: Option<String>) -> Diagnostic {
        match hint {
            Some(hint) => self.hint(hint),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The order diagnostics are printed in: by file, then position, so that
    /// output is the same whatever order the threads found them in.
    pub fn sort_key(&self) -> (Option<&Path>, usize, usize, Severity, &str) {
        let (path, line, column) = match &self.location {
            Some(l) => (Some(l.path.as_path()), l.line, l.column),
            None => (None, 0, 0),
        };
        (path, line, column, self.severity, &self.message)
    }

    /// Renders the diagnostic as plain text, the way a terminal shows it
    /// without colour.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        // Everything shown comes from the site's files, so none of it is
        // printed raw.
        let message = visible(&self.message);
        let mut group = Group::with_title(level.primary_title(message.as_ref()));
        let path_text;
        let line_text;
        let label;
        if let Some(location) = &self.location {
            path_text = visible(&location.path.display().to_string()).replace('\\', "/");
            // A tab is shown as `→`, one column as the file counts it,
            // so that an editor sees where one is.
            line_text = visible(&location.line_text).replace('\t', "→");
            if location.line_text.is_empty() && location.width == 0 {
                group = group.element(Level::NOTE.message(format!("in {path_text}")));
            } else {
                let column = location.column.saturating_sub(location.text_column) + 1;
                let start = byte_of_column(&line_text, column);
                let end = byte_of_column(&line_text, column + location.width.max(1)).max(start);
                let mut annotation = AnnotationKind::Primary.span(start..end);
                label = self.label.as_deref().map(visible);
                if let Some(label) = &label {
                    annotation = annotation.label(label.as_ref());
                }
                let snippet = Snippet::source(line_text.as_str())
                    .line_start(location.line)
                    .annotation(annotation);
                group = if location.text_column > 1 {
                    // A cut line: the snippet cannot know the true column.
                    group
                        .element(
                            Origin::path(path_text.as_str())
                                .line(location.line)
                                .char_column(location.column),
                        )
                        .element(snippet)
                } else {
                    group.element(snippet.path(path_text.as_str()))
                };
            }
        }
        let mut report = vec![group];
        let hint = self.hint.as_deref().map(visible);
        if let Some(hint) = &hint {
            report.push(Group::with_title(
                Level::HELP.secondary_title(hint.as_ref()),
            ));
        }
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&report)
    }
}

/// How many diagnostics of one kind one file reports: past it they are
/// counted, and one more diagnostic says how many there were. A file of
/// millions of the same mistake then costs the memory of a few.
pub const PER_KIND_IN_FILE: usize = 10;

/// Counts the diagnostics of each kind found in one file, admitting the
/// first [`PER_KIND_IN_FILE`] of each. A stage asks before it builds a
/// diagnostic, so that one it will not report costs nothing but a count.
#[derive(Default)]
pub struct PerKind {
    /// For each kind: how many were found, and where the first one not
    /// reported is (a byte offset, as the stage counts them).
    found: std::collections::BTreeMap<(Code, Severity), (usize, usize)>,
}

impl PerKind {
    /// Whether a diagnostic of `code` found at `offset` is to be reported.
    pub fn admit(&mut self, code: Code, severity: Severity, offset: usize) -> bool {
        let (count, first_dropped) = self.found.entry((code, severity)).or_insert((0, 0));
        *count += 1;
        if *count == PER_KIND_IN_FILE + 1 {
            *first_dropped = offset;
        }
        *count <= PER_KIND_IN_FILE
    }

    /// One diagnostic for each kind that passed the limit, with the offset
    /// of the first one not reported: "and 2,499,990 more like this in this
    /// file".
    pub fn overflow(&self) -> impl Iterator<Item = (usize, Diagnostic)> + '_ {
        self.found
            .iter()
            .filter(|(_, (count, _))| *count > PER_KIND_IN_FILE)
            .map(|(&(code, severity), &(count, offset))| {
                let more = count - PER_KIND_IN_FILE;
                let diagnostic = Diagnostic {
                    severity,
                    ..Diagnostic::error(
                        code,
                        format!(
                            "and {} more like this in this file, from here on",
                            thousands(more)
                        ),
                    )
                }
                .hint(format!(
                    "only the first {PER_KIND_IN_FILE} of each kind of problem in a file are shown; fix those, and the next ones will be"
                ));
                (offset, diagnostic)
            })
    }
}

/// `n` with its thousands grouped by commas, for counts in messages.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// `text` as it may be printed to a terminal or a CI log: every control
/// character (but tab) is replaced by one visible character that stands for
/// it (`␛` for escape, `␊` for a line feed, `�` for the C1 controls, which
/// have no picture), so that text from a file can neither drive the
/// terminal nor start a line that a CI runner reads as a command. One
/// character for one, so the columns of a shown line stay true.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    fn shown(c: char) -> Option<char> {
        match u32::from(c) {
            0x09 => None,
            code @ 0x00..=0x1f => char::from_u32(0x2400 + code),
            0x7f => Some('\u{2421}'),
            0x80..=0x9f => Some('\u{fffd}'),
            _ => None,
        }
    }
    if !text.chars().any(|c| shown(c).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars().map(|c| shown(c).unwrap_or(c)).collect()
}

/// The byte offset of a 1-based character column, allowing one past the end so
/// that a caret can sit after the last character.
fn byte_of_column(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The first `most` of `items` in code quotes, and how many more there
/// are: "`a`, `b`, 12 more". For messages that name a few of many.
pub fn name_a_few(items: &[impl fmt::Display], most: usize) -> String {
    let mut named: Vec<String> = items.iter().take(most).map(|i| format!("`{i}`")).collect();
    if items.len() > most {
        named.push(format!("{} more", items.len() - most));
    }
    named.join(", ")
}

/// The closest of `candidates` to `wanted`, if one is close enough to be what
/// the editor meant: a few letters changed (a third of the word at most), or
/// the word cut short or run on (`us-marines` for `us-marine-corps`). A
/// suggestion that shares nothing with what was written only misleads.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates.into_iter().filter(|c| is_close(wanted, c)) {
        let score = strsim::jaro_winkler(wanted, candidate);
        let better = match best {
            None => true,
            Some((best_score, best_name)) => {
                score > best_score || (score == best_score && candidate < best_name)
            }
        };
        if better {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, name)| name)
}

fn is_close(wanted: &str, candidate: &str) -> bool {
    let shorter = wanted.chars().count().min(candidate.chars().count());
    let edits = strsim::osa_distance(wanted, candidate);
    if edits <= (shorter / 3).max(1) {
        return true;
    }
    let shared = wanted
        .chars()
        .zip(candidate.chars())
        .take_while(|(a, b)| a == b)
        .count();
    shared >= 4 && shared * 5 >= shorter * 4
}

/// "did you mean `x`?" when a candidate is close, else the list of what is
/// allowed (when it is short enough to read).
pub fn suggestion(wanted: &str, candidates: &[&str], what: &str) -> Option<String> {
    if let Some(best) = closest(wanted, candidates.iter().copied()) {
        return Some(format!("did you mean `{best}`?"));
    }
    if candidates.is_empty() {
        None
    } else if candidates.len() <= 12 {
        Some(format!("{what}: {}", join_code(candidates)))
    } else {
        None
    }
}

pub fn join_code(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_offsets_in_crlf_text() {
        let text = "a: 1\r\nbb: two\r\n";
        let location = Location::at(Path::new("x.md"), text, 10, 3);
        assert_eq!((location.line, location.column), (2, 5));
        assert_eq!(location.line_text, "bb: two");
        assert_eq!(location.width, 3);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "title: حديثة x";
        let offset = text.find('x').unwrap();
        let location = Location::at(Path::new("x.md"), text, offset, 1);
        assert_eq!(location.column, 14);
    }

    #[test]
    fn a_long_line_is_cut_around_the_caret_and_columns_stay_exact() {
        let text = format!("a\n{}é target {}\n", "x".repeat(5000), "y".repeat(5000));
        let offset = text.find("target").unwrap();
        let location = Location::at(Path::new("x.md"), &text, offset, 6);
        assert_eq!(
            (location.line, location.column, location.width),
            (2, 5003, 6)
        );
        assert!(location.line_text.starts_with('…') && location.line_text.ends_with('…'));
        assert!(
            location.line_text.len() < 300,
            "{}",
            location.line_text.len()
        );
        let shown = location.column - location.text_column;
        assert_eq!(
            location
                .line_text
                .chars()
                .skip(shown)
                .take(6)
                .collect::<String>(),
            "target"
        );
        let rendered = Diagnostic::error(Code::UnknownReference, "x")
            .at(location)
            .render(false);
        assert!(rendered.contains("x.md:2:5003"), "{rendered}");
    }

    #[test]
    fn control_characters_are_shown_one_for_one_and_other_text_is_kept() {
        let shown = visible("a\u{1b}[31m\u{7}\n::x\r\t\u{7f}\u{9b}z");
        assert_eq!(shown, "a␛[31m␇␊::x␍\t␡\u{fffd}z");
        assert!(matches!(
            visible("حديثة, 100%"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(thousands(2_499_990), "2,499,990");
        assert_eq!(thousands(990), "990");
    }

    #[test]
    fn suggests_the_closest_name() {
        let found = closest("us-marines", ["us-army", "us-marine-corps", "blackwater"]);
        assert_eq!(found, Some("us-marine-corps"));
        assert_eq!(closest("zzzz", ["us-army"]), None);
        assert_eq!(closest("unmt", ["unmet", "met"]), Some("unmet"));
    }

    #[test]
    fn a_name_that_shares_nothing_is_not_suggested() {
        let slugs = ["mosul-christians-killed-2010", "haditha-2005", "mosul-2017"];
        assert_eq!(closest("no-such-incident-xyz", slugs), None);
        assert_eq!(closest("hadith-2005", slugs), Some("haditha-2005"));
    }
}
