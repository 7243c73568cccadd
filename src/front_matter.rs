//! Front matter: splitting a document into its YAML block and its Markdown
//! body, and reading typed fields out of the YAML one at a time.
//!
//! This is the only module that knows serde_yaml: swapping the YAML parser
//! touches this file alone. Fields are deserialized one by one, not as one
//! struct, so that a file with three mistakes reports three diagnostics, each
//! pointing at the line and column of the value that is wrong. Nothing here
//! reads files or knows which collection a document belongs to.

use std::ops::Range;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, Location, join_code, suggestion};

/// Where a document's text is cut in two, as byte offsets into the text that
/// was split, so diagnostics can point back at the original lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    pub yaml: std::ops::Range<usize>,
    pub body_start: usize,
}

impl Parts {
    /// The line number, in `text`, of the front matter's first line.
    fn first_line(&self, text: &str) -> usize {
        text[..self.yaml.start].matches('\n').count() + 1
    }
}

const FRONT_MATTER_HINT: &str =
    "start the file with a line `---`, then fields such as `title: ...`, then another line `---`";

/// Splits `---`-fenced front matter from the body. The fences must be alone on
/// their lines (trailing spaces and CRLF line ends are fine). A closing `...`
/// is accepted, as YAML allows it.
pub fn split(path: &Path, text: &str) -> Result<Parts, Diagnostic> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Err(
            Diagnostic::error(Code::NoFrontMatter, "this document has no front matter")
                .at(Location::at(path, text, 0, first_end.saturating_sub(1)))
                .hint(FRONT_MATTER_HINT),
        );
    }
    let yaml_start = first_end;
    let mut line_start = yaml_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i + 1);
        let line = text[line_start..line_end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Parts {
                yaml: yaml_start..line_start,
                body_start: line_end,
            });
        }
        line_start = line_end;
    }
    Err(Diagnostic::error(
        Code::UnclosedFrontMatter,
        "the front matter is never closed",
    )
    .at(Location::at(path, text, 0, 3))
    .label("opened here")
    .hint("add a line with only `---` after the last field, before the text of the document"))
}

/// A YAML syntax error, pointed at the most useful place: for an unclosed
/// `[` or `{`, where it was opened; for an error at the very end, the last
/// line written rather than the closing fence.
fn yaml_problem(path: &Path, text: &str, parts: &Parts, error: &serde_yaml::Error) -> Diagnostic {
    let yaml = &text[parts.yaml.clone()];
    let message = error.to_string();
    let positions = positions_in(&message);
    let mut offset = error.location().map_or(0, |l| l.index()).min(yaml.len());
    let mut hint = "check the indentation, and put quotes around values that contain `: ` or start with `[`, `{`, `*` or `&`";
    let mut duplicate_hint = None;
    if message.contains("while parsing a flow")
        && let Some(&(line, column)) = positions.last()
    {
        offset = yaml
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum::<usize>()
            + column
            - 1;
        hint =
            "a list opened with `[` (or a group opened with `{`) must be closed with `]` (or `}`)";
    } else if let Some(key) = duplicate_key(&message) {
        // serde_yaml points at the mapping that holds the key twice; the
        // editor needs the second time it is written.
        let keys = keys_of_mapping(yaml, offset, key);
        if let [first, second, ..] = keys[..] {
            offset = second;
            let line = text[..parts.yaml.start + first].matches('\n').count() + 1;
            duplicate_hint = Some(format!(
                "`{key}` is already given on line {line}; keep one of the two"
            ));
        }
    } else if yaml[offset..].trim().is_empty() {
        let written = yaml.trim_end();
        offset = written.rfind('\n').map_or(0, |i| i + 1);
    }
    if duplicate_hint.is_none()
        && let Some(explained) = crate::yaml_words::explain(yaml, offset, parts.first_line(text))
    {
        return explained_problem(path, text, parts, explained);
    }
    let hint = duplicate_hint.as_deref().unwrap_or(hint);
    let (message, _) = improve_serde_message(&message);
    Diagnostic::error(
        Code::YamlSyntax,
        format!("the front matter is not valid YAML: {message}"),
    )
    .at(Location::at(
        path,
        text,
        parts.yaml.start + offset.min(yaml.len()),
        1,
    ))
    .hint(hint)
}

/// A mistake [`crate::yaml_words`] explains, as the error of this file.
fn explained_problem(
    path: &Path,
    text: &str,
    parts: &Parts,
    explained: crate::yaml_words::Explained,
) -> Diagnostic {
    Diagnostic::error(Code::YamlSyntax, explained.message)
        .at(Location::at(
            path,
            text,
            parts.yaml.start + explained.offset,
            explained.width,
        ))
        .hint(explained.hint)
}

/// How deep lists (`[`) and groups (`{`) may be written inside each other.
/// No field needs more than a few levels. The YAML reader works through
/// every level for each token it reads, so deep nesting costs time that
/// grows with the square of the file, and serde_yaml's own limit (128)
/// applies only after the whole text has been read that way.
pub const MAX_NESTING: usize = 64;

/// The error for front matter nested more than [`MAX_NESTING`] levels
/// deep, found in one pass before the YAML reader sees the text. Every
/// bracket counts, quoted or not: telling a bracket in a quoted string from
/// one in a list is the reader's work this avoids, and only in a hostile
/// file do 64 brackets stay open at once.
fn too_deep(path: &Path, text: &str, parts: &Parts) -> Option<Diagnostic> {
    let yaml = &text[parts.yaml.clone()];
    let mut depth = 0usize;
    let mut deepest = 0;
    let mut over_at = None;
    for (i, byte) in yaml.bytes().enumerate() {
        match byte {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING && over_at.is_none() {
                    over_at = Some(i);
                }
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let offset = over_at?;
    Some(
        Diagnostic::error(
            Code::NestedTooDeep,
            format!("the front matter is nested {deepest} levels deep; the most is {MAX_NESTING}"),
        )
        .at(Location::at(path, text, parts.yaml.start + offset, 1))
        .label(format!("level {} opens here", MAX_NESTING + 1))
        .hint("write lists (`[...]`) and groups (`{...}`) with fewer levels inside each other; brackets inside quoted text count too"),
    )
}

/// The key of serde_yaml's "duplicate entry with key \"K\"".
fn duplicate_key(message: &str) -> Option<&str> {
    let rest = message.split("duplicate entry with key \"").nth(1)?;
    rest.split('"').next()
}

/// The offsets at which `key` is written as a key of the block mapping that
/// starts at `start`: lines at the mapping's indentation (a `- ` item's
/// dash counts as indentation), until a line indented less.
fn keys_of_mapping(yaml: &str, start: usize, key: &str) -> Vec<usize> {
    let line_start = yaml[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = start - line_start;
    let mut found = Vec::new();
    let mut at = line_start;
    for line in yaml[line_start..].split_inclusive('\n') {
        let content = line.trim_end();
        let lead = content.len() - content.trim_start_matches([' ', '-']).len();
        let text = &content[lead.min(content.len())..];
        if at > line_start && !text.is_empty() && !text.starts_with('#') && lead < indent {
            break;
        }
        if lead == indent {
            let name = text.split(':').next().unwrap_or("");
            if text.contains(':') && name.trim().trim_matches(['"', '\'']) == key {
                found.push(at + lead);
            }
        }
        at += line.len();
    }
    found
}

/// Every " at line L column C" in a message, 1-based.
fn positions_in(message: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        rest = &rest[i + " at line ".len()..];
        let line: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Some(after) = rest[line.len()..].strip_prefix(" column ") {
            let column: String = after.chars().take_while(char::is_ascii_digit).collect();
            if let (Ok(line), Ok(column)) = (line.parse(), column.parse()) {
                found.push((line, column));
            }
        }
    }
    found
}

/// Where a top-level field is written in the front matter, as byte offsets
/// into the whole document: recorded once when the front matter is read, so
/// that every later check points at the field itself, never at the first
/// place its name happens to occur in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpan {
    pub name: String,
    /// The key as written, without quotes.
    pub key: Range<usize>,
    /// From the first character after `key:` (spaces skipped) to the start
    /// of the next field: the whole value, on one line or many.
    pub value: Range<usize>,
}

impl FieldSpan {
    /// The key `name` of a mapping inside this field's value (`file` in
    /// `archive: {file: a.pdf}` or on an indented line of its own): the
    /// first whole word `name` followed by `:`.
    pub fn inner_key(&self, text: &str, name: &str) -> Option<Range<usize>> {
        let value = &text[self.value.clone()];
        let mut from = 0;
        while let Some(i) = find_word(&value[from..], name) {
            let start = from + i;
            let end = start + name.len();
            let rest = value[end..].trim_start_matches([' ', '\t', '"', '\'']);
            if rest.starts_with(':') {
                return Some(self.value.start + start..self.value.start + end);
            }
            from = end;
        }
        None
    }

    /// The value written after the inner key `name`, up to the end of its
    /// line, a `,` or a `}`, without quotes.
    pub fn inner_value(&self, text: &str, name: &str) -> Option<Range<usize>> {
        let key = self.inner_key(text, name)?;
        let rest = &text[key.end..self.value.end];
        let colon = rest.find(':')? + 1;
        let after = &rest[colon..];
        let skipped = after.len() - after.trim_start_matches([' ', '\t']).len();
        let value = &after[skipped..];
        let (value, quoted) = match value.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) => {
                let inner = &value[1..];
                (&inner[..inner.find(q as char).unwrap_or(inner.len())], 1)
            }
            _ => {
                let end = value.find([',', '}', '\n', '\r']).unwrap_or(value.len());
                (value[..end].trim_end(), 0)
            }
        };
        let start = key.end + colon + skipped + quoted;
        Some(start..start + value.len())
    }
}

/// The parsed YAML of one document, read field by field. Each read records
/// problems instead of returning them, and `finish` adds one diagnostic per
/// key that no read asked for.
pub struct FrontMatter<'a> {
    path: &'a Path,
    text: &'a str,
    fields: Vec<(String, serde_yaml::Value)>,
    spans: Vec<FieldSpan>,
    known: Vec<&'static str>,
    problems: Vec<Diagnostic>,
}

impl<'a> FrontMatter<'a> {
    /// Parses the YAML part of `text` (the whole document, so that positions
    /// are those of the file).
    pub fn parse(
        path: &'a Path,
        text: &'a str,
        parts: &Parts,
    ) -> Result<FrontMatter<'a>, Diagnostic> {
        let yaml = &text[parts.yaml.clone()];
        if let Some(problem) = too_deep(path, text, parts) {
            return Err(problem);
        }
        let value: serde_yaml::Value =
            serde_yaml::from_str(yaml).map_err(|error| yaml_problem(path, text, parts, &error))?;
        if let Some(explained) = crate::yaml_words::deeper_item(yaml, parts.first_line(text)) {
            return Err(explained_problem(path, text, parts, explained));
        }
        let fields = match value {
            serde_yaml::Value::Null => Vec::new(),
            serde_yaml::Value::Mapping(mapping) => {
                let mut fields = Vec::with_capacity(mapping.len());
                for (key, value) in mapping {
                    match key {
                        serde_yaml::Value::String(key) => fields.push((key, value)),
                        other => {
                            let shown = serde_yaml::to_string(&other).unwrap_or_default();
                            return Err(Diagnostic::error(
                                Code::FrontMatterShape,
                                format!("front-matter keys must be words, not `{}`", shown.trim()),
                            )
                            .at(Location::at(
                                path,
                                text,
                                parts.yaml.start,
                                1,
                            )));
                        }
                    }
                }
                fields
            }
            _ => {
                return Err(Diagnostic::error(
                    Code::FrontMatterShape,
                    "the front matter must be a list of `field: value` lines",
                )
                .at(Location::at(path, text, parts.yaml.start, 1))
                .hint(FRONT_MATTER_HINT));
            }
        };
        Ok(FrontMatter {
            path,
            text,
            fields,
            spans: key_spans(text, parts.yaml.start, parts.yaml.end),
            known: Vec::new(),
            problems: Vec::new(),
        })
    }

    /// Reads a field that must be present. Written with no value
    /// (`date:`), it is as missing, at its own key: read as absent without
    /// a word, its document would vanish from the site.
    pub fn required<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        let present = self.fields.iter().any(|(k, v)| k == key && !v.is_null());
        if !present {
            self.known.push(key);
            let written = self.spans.iter().find(|s| s.name == key);
            let location = Location::at(
                self.path,
                self.text,
                written.or(self.spans.first()).map_or(0, |s| s.key.start),
                0,
            );
            let hint = match written {
                Some(_) => format!("write its value after `{key}:`"),
                None => format!("add a line `{key}: ...` to the front matter"),
            };
            self.problems.push(
                Diagnostic::error(
                    Code::MissingField,
                    format!("missing required field `{key}`"),
                )
                .at(location)
                .hint(hint),
            );
            return None;
        }
        self.optional(key)
    }

    /// Reads a field that may be absent. A value of the wrong shape is
    /// reported and read as absent.
    pub fn optional<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        self.known.push(key);
        let value = self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)?;
        if value.is_null() {
            return None;
        }
        match serde_yaml::from_value::<T>(value.clone()) {
            Ok(value) => Some(value),
            Err(error) => {
                let raw = error.to_string();
                let code = serde_code(&raw);
                let (message, hint) = improve_serde_message(&raw);
                let token = first_quoted(&message);
                let location = match token {
                    Some(token) => self.locate(key, token),
                    None => self.locate_value(key),
                };
                self.problems.push(
                    Diagnostic::error(code, format!("{message} in `{key}`"))
                        .at(location)
                        .maybe_hint(hint),
                );
                None
            }
        }
    }

    /// Where each top-level field is written, in the order written: what a
    /// document keeps so that later checks can point at its fields.
    pub fn spans(&self) -> &[FieldSpan] {
        &self.spans
    }

    /// The fields read so far, in the order they were asked for.
    pub fn asked(&self) -> &[&'static str] {
        &self.known
    }

    pub fn or_default<T: DeserializeOwned + Default>(&mut self, key: &'static str) -> T {
        self.optional(key).unwrap_or_default()
    }

    /// Whether the front matter has `key` at all, valid or not.
    pub fn has(&self, key: &str) -> bool {
        self.fields.iter().any(|(k, _)| k == key)
    }

    /// Records a problem found by the caller in a value it read.
    pub fn report(&mut self, diagnostic: Diagnostic) {
        self.problems.push(diagnostic);
    }

    /// The byte offset and length of `token` in the value of `key`: where a
    /// caret should point when the value is wrong. Falls back to the key.
    pub fn offset_of(&self, key: &str, token: &str) -> (usize, usize) {
        self.offset_after(key, token, 0)
    }

    /// The same, searching from byte `after` of the text on first: the items
    /// of one list are found in order, each after the one before, so a long
    /// list costs its length once and repeated items point at themselves.
    pub fn offset_after(&self, key: &str, token: &str, after: usize) -> (usize, usize) {
        let Some(span) = self.spans.iter().find(|s| s.name == key) else {
            return (self.spans.first().map_or(0, |s| s.key.start), 0);
        };
        let from = after.clamp(span.value.start, span.value.end);
        let found = find_word(&self.text[from..span.value.end], token)
            .map(|i| from + i)
            .or_else(|| {
                find_word(&self.text[span.value.start..from], token).map(|i| span.value.start + i)
            });
        found
            .map(|start| (start, token.len()))
            .unwrap_or((span.key.start, span.key.len()))
    }

    pub fn locate(&self, key: &str, token: &str) -> Location {
        let (offset, len) = self.offset_of(key, token);
        self.location(offset, len)
    }

    /// The place of `len` bytes at byte `offset` of the file.
    pub fn location(&self, offset: usize, len: usize) -> Location {
        Location::at(self.path, self.text, offset, len)
    }

    fn locate_value(&self, key: &str) -> Location {
        match self.spans.iter().find(|s| s.name == key) {
            Some(span) => {
                let value = self.text[span.value.clone()].trim_end();
                let first_line = value.split('\n').next().unwrap_or("").trim_end();
                if first_line.is_empty() {
                    Location::at(self.path, self.text, span.key.start, span.key.len())
                } else {
                    Location::at(self.path, self.text, span.value.start, first_line.len())
                }
            }
            None => Location::at(self.path, self.text, 0, 0),
        }
    }

    /// Reports every key that no read asked for, with the nearest known key
    /// as a hint, and returns all problems found in this front matter.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        for (key, _) in &self.fields {
            if self.known.contains(&key.as_str()) {
                continue;
            }
            let location = match self.spans.iter().find(|s| &s.name == key) {
                Some(span) => Location::at(self.path, self.text, span.key.start, span.key.len()),
                None => Location::at(self.path, self.text, 0, 0),
            };
            let mut known = self.known.clone();
            known.sort_unstable();
            known.dedup();
            self.problems.push(
                Diagnostic::error(Code::UnknownField, format!("unknown field `{key}`"))
                    .at(location)
                    .maybe_hint(suggestion(key, &known, "the fields of this collection are")),
            );
        }
        self.problems
    }
}

/// Which fields of a document are text a translation may rewrite: whole
/// top-level fields, and fields inside a mapping (`place`) or inside each
/// entry of a list (`history`). Every other field is a fact, which a
/// translation inherits from its original.
pub struct TextFields {
    pub top: &'static [&'static str],
    pub nested: &'static [(&'static str, &'static [&'static str])],
}

/// A fact that a translation wrote with another value than its original,
/// with where each wrote it.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// `date`, or `history` entry 2's `status` as `history.2.status`.
    pub field: String,
    pub translation: Location,
    pub original: Location,
}

impl<'a> FrontMatter<'a> {
    /// Turns a translation's front matter into the whole front matter of the
    /// translated document: every field the translation lacks is taken from
    /// `original`, and text fields (`text`) it writes replace the original's.
    /// A fact written with another value than the original's, or one the
    /// original does not have, is returned as a conflict and the original's
    /// value is kept.
    pub fn inherit(&mut self, original: &FrontMatter<'_>, text: &TextFields) -> Vec<Conflict> {
        let mut conflicts = Vec::new();
        let mut merged = Vec::with_capacity(original.fields.len());
        for (key, theirs) in &original.fields {
            let ours = self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v);
            let value = match ours {
                None => theirs.clone(),
                Some(ours) if text.top.contains(&key.as_str()) => ours.clone(),
                Some(ours) => match text.nested.iter().find(|(k, _)| k == key) {
                    Some((_, inner)) => {
                        self.merge_nested(original, key, theirs, ours, inner, &mut conflicts)
                    }
                    None => {
                        if ours != theirs {
                            conflicts.push(self.conflict(original, key, key, ours));
                        }
                        theirs.clone()
                    }
                },
            };
            merged.push((key.clone(), value));
        }
        for (key, ours) in &self.fields {
            if original.fields.iter().any(|(k, _)| k == key) {
                continue;
            }
            let is_text = text.top.contains(&key.as_str());
            let is_fact = !is_text && original.known.contains(&key.as_str());
            if is_fact {
                conflicts.push(self.conflict(original, key, key, ours));
            } else {
                // Text the original lacks, or a field that is neither, which
                // `finish` reports as unknown.
                merged.push((key.clone(), ours.clone()));
            }
        }
        self.fields = merged;
        conflicts
    }

    /// Merges a mapping (`place`) or a list of mappings (`history`) field
    /// by field, entry by entry in the order written.
    fn merge_nested(
        &self,
        original: &FrontMatter<'_>,
        key: &str,
        theirs: &serde_yaml::Value,
        ours: &serde_yaml::Value,
        inner: &[&str],
        conflicts: &mut Vec<Conflict>,
    ) -> serde_yaml::Value {
        use serde_yaml::Value;
        let mut merge_entry = |path: String, theirs: &Value, ours: &Value| -> Value {
            let (Value::Mapping(theirs_map), Value::Mapping(ours_map)) = (theirs, ours) else {
                if theirs != ours {
                    conflicts.push(self.conflict(original, key, &path, ours));
                }
                return theirs.clone();
            };
            let mut merged = theirs_map.clone();
            for (field, value) in ours_map {
                let name = field.as_str().unwrap_or_default();
                if inner.contains(&name) {
                    merged.insert(field.clone(), value.clone());
                } else if theirs_map.get(field) != Some(value) {
                    conflicts.push(self.conflict(original, key, &format!("{path}.{name}"), value));
                }
            }
            Value::Mapping(merged)
        };
        match (theirs, ours) {
            (Value::Sequence(theirs), Value::Sequence(ours)) => {
                // Entries the original does not have, reported once the
                // merging (which borrows the conflicts) is done.
                let mut extra = Vec::new();
                let mut merged = theirs.clone();
                for (i, entry) in ours.iter().enumerate() {
                    match theirs.get(i) {
                        Some(original_entry) => {
                            merged[i] =
                                merge_entry(format!("{key}.{}", i + 1), original_entry, entry);
                        }
                        None => extra.push((format!("{key}.{}", i + 1), entry)),
                    }
                }
                for (path, entry) in extra {
                    conflicts.push(self.conflict(original, key, &path, entry));
                }
                Value::Sequence(merged)
            }
            _ => merge_entry(key.to_string(), theirs, ours),
        }
    }

    fn conflict(
        &self,
        original: &FrontMatter<'_>,
        key: &str,
        field: &str,
        ours: &serde_yaml::Value,
    ) -> Conflict {
        let token = scalar_text(ours);
        let translation = self.locate(key, token.as_deref().unwrap_or(key));
        // In the original, the caret goes to the inner field's name when
        // there is one (`status` of a history entry), else to the field.
        let inner = field
            .rsplit('.')
            .next()
            .filter(|last| last.parse::<usize>().is_err() && *last != key);
        Conflict {
            field: field.to_string(),
            translation,
            original: match inner {
                Some(inner) => original.locate(key, inner),
                None => {
                    let theirs = original.fields.iter().find(|(k, _)| k == key);
                    let token = theirs.and_then(|(_, v)| scalar_text(v));
                    original.locate(key, token.as_deref().unwrap_or(key))
                }
            },
        }
    }

    /// The text values of `text`'s fields, in the order written, with their
    /// field names: what a translation translates, and what its record of
    /// the original's text is a hash of.
    pub fn text_values(&self, text: &TextFields) -> Vec<(String, String)> {
        let mut values = Vec::new();
        for (key, value) in &self.fields {
            if text.top.contains(&key.as_str()) {
                if let Some(s) = scalar_text(value) {
                    values.push((key.clone(), s));
                }
            } else if let Some((_, inner)) = text.nested.iter().find(|(k, _)| k == key) {
                let entries: Vec<&serde_yaml::Value> = match value {
                    serde_yaml::Value::Sequence(list) => list.iter().collect(),
                    other => vec![other],
                };
                for (i, entry) in entries.into_iter().enumerate() {
                    for field in inner.iter() {
                        if let Some(s) = entry.get(field).and_then(scalar_text) {
                            values.push((format!("{key}.{}.{field}", i + 1), s));
                        }
                    }
                }
            }
        }
        values
    }
}

/// A scalar as it reads: the text of a string, the digits of a number.
fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The kind of mistake a serde error describes, from its wording.
fn serde_code(raw: &str) -> Code {
    if raw.starts_with("unknown variant") {
        Code::UnknownWord
    } else if raw.starts_with("unknown field") {
        Code::UnknownField
    } else if raw.starts_with("missing field") {
        Code::MissingField
    } else if raw.contains("is not a date") {
        Code::BadDate
    } else if raw.starts_with("invalid type") {
        Code::WrongType
    } else {
        Code::InvalidValue
    }
}

/// Finds the top-level keys of a YAML block by their lines: a key starts at
/// column one and its value runs until the next such line.
fn key_spans(text: &str, start: usize, end: usize) -> Vec<FieldSpan> {
    let mut spans: Vec<FieldSpan> = Vec::new();
    let mut offset = start;
    for line in text[start..end].split_inclusive('\n') {
        let first = line.as_bytes().first().copied().unwrap_or(b' ');
        let is_key_line =
            !matches!(first, b' ' | b'\t' | b'#' | b'-' | b'\r' | b'\n') && line.contains(':');
        if is_key_line && let Some(colon) = key_colon(line) {
            let written = &line[..colon];
            let name = written.trim().trim_matches(|c| c == '"' || c == '\'');
            let name_at = written.find(name).unwrap_or(0);
            let after = &line[colon + 1..];
            let value_start =
                offset + colon + 1 + (after.len() - after.trim_start_matches([' ', '\t']).len());
            if let Some(previous) = spans.last_mut() {
                previous.value.end = offset;
            }
            spans.push(FieldSpan {
                name: name.to_string(),
                key: offset + name_at..offset + name_at + name.len(),
                value: value_start..end,
            });
        }
        offset += line.len();
    }
    spans
}

/// The colon that ends a key: the first `:` followed by a space or the end
/// of the line, outside quotes.
fn key_colon(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') if i == 0 => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b':') => {
                let next = bytes.get(i + 1).copied().unwrap_or(b'\n');
                if matches!(next, b' ' | b'\t' | b'\r' | b'\n') {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// The first occurrence of `word` in `haystack` that is not part of a longer
/// word.
pub fn find_word(haystack: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let bytes = haystack.as_bytes();
    let mut from = 0;
    while let Some(i) = haystack[from..].find(word) {
        let start = from + i;
        let end = start + word.len();
        let before_ok = start == 0 || !is_word_byte(bytes[start - 1]);
        let after_ok = end >= bytes.len() || !is_word_byte(bytes[end]);
        if before_ok && after_ok {
            return Some(start);
        }
        from = start + word.len().max(1);
        while !haystack.is_char_boundary(from) {
            from += 1;
        }
    }
    None
}

/// The first `backticked` or "quoted" word of a message: the value a serde
/// error complains about.
fn first_quoted(message: &str) -> Option<&str> {
    for quote in ['`', '"'] {
        if let Some(start) = message.find(quote) {
            let rest = &message[start + 1..];
            if let Some(end) = rest.find(quote) {
                return Some(&rest[..end]);
            }
        }
    }
    None
}

/// Turns serde's messages into an editor's words, and splits off a hint:
/// "unknown field `x`, expected one of `a`, `b`" becomes "unknown field `x`"
/// with "did you mean `a`?".
pub fn improve_serde_message(message: &str) -> (String, Option<String>) {
    let message = strip_position(message.trim());
    let message = message.as_str();
    if let Some((message, hint)) = message.split_once(crate::diagnostic::HINT_SEPARATOR) {
        return (message.to_string(), Some(hint.to_string()));
    }
    for (prefix, noun, what) in [
        ("unknown field `", "unknown field", "allowed fields are"),
        ("unknown variant `", "unknown value", "allowed values are"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some(end) = rest.find('`')
        {
            let wanted = &rest[..end];
            let allowed: Vec<&str> = rest[end + 1..].split('`').skip(1).step_by(2).collect();
            let mut hint = suggestion(wanted, &allowed, what);
            if let Some(h) = &mut hint
                && h.starts_with("did you mean")
                && allowed.len() <= 12
            {
                h.push_str(&format!(" ({what} {})", join_code(&allowed)));
            }
            if allowed.is_empty() && noun == "unknown field" {
                hint = Some("this entry takes no fields".to_string());
            }
            return (format!("{noun} `{wanted}`"), hint);
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(end) = rest.find('`')
    {
        let field = &rest[..end];
        return (
            format!("missing field `{field}`"),
            Some(format!("add `{field}: ...` to this entry")),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        // "string \"abc\", expected u64"
        if let Some((found, expected)) = rest.split_once(", expected ") {
            let found = found
                .replace("string ", "text ")
                .replace("sequence", "a list")
                .replace("map", "a set of fields");
            let hint = (expected == "a string"
                && ["integer", "floating point", "boolean"]
                    .iter()
                    .any(|kind| found.starts_with(kind)))
            .then(|| {
                let value = found.split('`').nth(1).unwrap_or_default();
                format!("put it in quotes to have it read as text: `\"{value}\"`")
            });
            let expected = plain_type(expected);
            return (format!("expected {expected}, found {found}"), hint);
        }
    }
    (message.to_string(), None)
}

fn plain_type(expected: &str) -> String {
    match expected {
        "u64" | "u32" | "u16" | "i64" | "i32" | "usize" => "a whole number".to_string(),
        "f64" | "f32" => "a number".to_string(),
        "a string" => "text".to_string(),
        "a boolean" => "`true` or `false`".to_string(),
        "a sequence" => "a list".to_string(),
        "a map" => "a set of fields".to_string(),
        other => other.to_string(),
    }
}

/// serde_yaml and toml add " at line 3 column 5": the diagnostic shows the
/// position itself.
fn strip_position(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(" at line ") {
        let after = &rest[start + " at line ".len()..];
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let line_len = digits(after);
        match after[line_len..].strip_prefix(" column ") {
            Some(column) if line_len > 0 => {
                out.push_str(&rest[..start]);
                rest = &column[digits(column)..];
            }
            _ => {
                out.push_str(&rest[..start + " at line ".len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Parts {
        split(Path::new("x.md"), text).unwrap()
    }

    #[test]
    fn splits_crlf_front_matter_and_keeps_later_rules_in_the_body() {
        let text = "---\r\ntitle: A\r\n---\r\nBody\r\n\r\n---\r\n\r\nMore\r\n";
        let parts = parts(text);
        assert_eq!(&text[parts.yaml], "title: A\r\n");
        assert_eq!(&text[parts.body_start..], "Body\r\n\r\n---\r\n\r\nMore\r\n");
    }

    #[test]
    fn a_file_without_fences_is_an_error_with_a_hint() {
        let error = split(Path::new("x.md"), "title: A\n").unwrap_err();
        assert!(error.to_string().contains("no front matter"));
        assert!(error.hint.is_some());
    }

    #[test]
    fn an_unclosed_block_is_an_error() {
        let error = split(Path::new("x.md"), "---\ntitle: A\nbody\n").unwrap_err();
        assert!(error.to_string().contains("never closed"));
    }

    #[test]
    fn every_wrong_field_is_reported_with_its_position() {
        let text = "---\ntitle: A\ncount: many\nextra_field: 1\ntitl: B\n---\n";
        let parts = parts(text);
        let mut fm = FrontMatter::parse(Path::new("x.md"), text, &parts).unwrap();
        let _: Option<String> = fm.required("title");
        let _: Option<u64> = fm.optional("count");
        let problems = fm.finish();
        assert_eq!(problems.len(), 3, "{problems:#?}");
        let count = problems[0].location.as_ref().unwrap();
        assert_eq!((count.line, count.column), (3, 8));
        assert!(problems[2].hint.as_deref().unwrap().contains("`title`"));
    }

    #[test]
    fn field_spans_hold_each_key_and_value_and_find_the_keys_inside_a_value() {
        let text = "---\nsummary: 'Read file: files/a.pdf'\n\"archive\": {url: https://x.org/file.pdf, file: files/a.pdf, sha256: 'ab'}\nplace:\n  name: lat\n  lat: 33.3\n---\n";
        let parts = parts(text);
        let fm = FrontMatter::parse(Path::new("x.md"), text, &parts).unwrap();
        let span = |name: &str| fm.spans().iter().find(|s| s.name == name).unwrap();
        let archive = span("archive");
        assert_eq!(&text[archive.key.clone()], "archive");
        assert!(text[archive.value.clone()].starts_with("{url:"));
        let file = archive.inner_value(text, "file").unwrap();
        assert_eq!(&text[file.clone()], "files/a.pdf");
        assert!(file.start > text.find("archive").unwrap());
        let hash = archive.inner_value(text, "sha256").unwrap();
        assert_eq!(&text[hash], "ab");
        let place = span("place");
        let lat = place.inner_key(text, "lat").unwrap();
        assert_eq!(&text[lat.start..lat.end + 1], "lat:");
        assert_eq!(&text[place.inner_value(text, "lat").unwrap()], "33.3");
        assert!(place.inner_key(text, "lon").is_none());
    }

    #[test]
    fn finds_whole_words_only() {
        assert_eq!(find_word("[us-army-x, us-army]", "us-army"), Some(12));
        assert_eq!(find_word("abc", "b"), None);
    }

    #[test]
    fn improves_unknown_variant_messages() {
        let (message, hint) = improve_serde_message(
            "unknown variant `unmt`, expected one of `unmet`, `partial`, `met`",
        );
        assert_eq!(message, "unknown value `unmt`");
        assert!(hint.unwrap().starts_with("did you mean `unmet`?"));
    }
}
