//! Diagnostics for machines: one JSON object per line, or GitHub Actions
//! workflow commands, for `dossier check --format json|github`.
//!
//! Pure: it turns diagnostics into lines of text and prints nothing. The
//! human format (annotated snippets) stays in `diagnostic` and is the
//! default.

use std::path::Path;

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Severity, visible};

/// The file a diagnostic names, as seen from where the command was run:
/// `prefix` is the `--root` given (empty for the current folder).
fn shown_path(prefix: &Path, path: &Path) -> String {
    prefix.join(path).to_string_lossy().replace('\\', "/")
}

fn severity(diagnostic: &Diagnostic) -> &'static str {
    match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The name a "did you mean `x`?" hint suggests, for tools that offer a fix.
pub fn suggestion(diagnostic: &Diagnostic) -> Option<&str> {
    let hint = diagnostic.hint.as_deref()?;
    let rest = hint.strip_prefix("did you mean `")?;
    rest.find("`?").map(|end| &rest[..end])
}

/// One diagnostic as a line of JSON. Positions are 1-based; the end column
/// is one past the last character the problem covers.
pub fn json(diagnostic: &Diagnostic, prefix: &Path) -> String {
    json_line(&json_value(diagnostic, prefix))
}

/// `value` as one line of JSON in which no character drives a terminal:
/// serde_json escapes the C0 controls, and the delete character and the
/// C1 controls, which it writes as they are, are escaped here. They can
/// only stand inside strings, where `\u` escapes mean the same text.
pub fn json_line(value: &Value) -> String {
    let line = value.to_string();
    if !line.chars().any(is_raw_control) {
        return line;
    }
    let mut escaped = String::with_capacity(line.len() + 16);
    for c in line.chars() {
        if is_raw_control(c) {
            escaped.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    escaped
}

fn is_raw_control(c: char) -> bool {
    matches!(u32::from(c), 0x7f..=0x9f)
}

fn json_value(diagnostic: &Diagnostic, prefix: &Path) -> Value {
    let location = diagnostic.location.as_deref();
    json!({
        "type": "diagnostic",
        "severity": severity(diagnostic),
        "code": diagnostic.code.as_str(),
        "name": diagnostic.code.name(),
        "message": diagnostic.message,
        "path": location.map(|l| shown_path(prefix, &l.path)),
        "line": location.map(|l| l.line),
        "column": location.map(|l| l.column),
        "end_line": location.map(|l| l.line),
        "end_column": location.map(|l| l.column + l.width.max(1)),
        "hint": diagnostic.hint,
        "suggestion": suggestion(diagnostic),
    })
}

/// The last line of `--format json`.
pub fn json_summary(errors: usize, warnings: usize, succeeded: bool) -> Value {
    json!({
        "type": "summary",
        "errors": errors,
        "warnings": warnings,
        "succeeded": succeeded,
    })
}

/// Escapes the message of a workflow command, as the runner expects. What
/// comes from files is passed through `visible` first: a line feed or
/// carriage return of its own would reach the runner as a new command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command, which also may not hold
/// `:` or `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One diagnostic as a GitHub Actions workflow command, which the runner
/// shows as an annotation on the file and line.
pub fn github(diagnostic: &Diagnostic, prefix: &Path) -> String {
    let mut properties = Vec::new();
    if let Some(location) = diagnostic.location.as_deref() {
        properties.push(format!(
            "file={}",
            escape_property(&visible(&shown_path(prefix, &location.path)))
        ));
        properties.push(format!("line={}", location.line));
        properties.push(format!("col={}", location.column));
        properties.push(format!("endLine={}", location.line));
        properties.push(format!(
            "endColumn={}",
            location.column + location.width.max(1)
        ));
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!(
            "{} {}",
            diagnostic.code.as_str(),
            diagnostic.code.name()
        ))
    ));
    // The line feed before the hint is the one the runner is meant to see
    // (as `%0A`); any in the text itself is shown, not kept.
    let mut message = visible(&diagnostic.message).into_owned();
    if let Some(hint) = &diagnostic.hint {
        message.push_str("\nhelp: ");
        message.push_str(&visible(hint));
    }
    format!(
        "::{} {}::{}",
        severity(diagnostic),
        properties.join(","),
        escape_data(&message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Location};

    fn sample() -> Diagnostic {
        let text = "---\nperpetrators: [us-marines]\n---\n";
        Diagnostic::error(
            Code::UnknownReference,
            "unknown actor `us-marines`, 100% sure",
        )
        .at(Location::at(
            Path::new("content/incidents/a,b.md"),
            text,
            19,
            10,
        ))
        .hint("did you mean `us-marine-corps`?")
    }

    #[test]
    fn github_commands_escape_what_the_runner_would_misread() {
        let line = github(&sample(), Path::new(""));
        assert_eq!(
            line,
            "::error file=content/incidents/a%2Cb.md,line=2,col=16,endLine=2,endColumn=26,title=E0304 unknown-reference::unknown actor `us-marines`, 100%25 sure%0Ahelp: did you mean `us-marine-corps`?"
        );
    }

    #[test]
    fn json_carries_the_code_the_span_and_the_suggestion() {
        let value: Value = serde_json::from_str(&json(&sample(), Path::new("site"))).unwrap();
        assert_eq!(value["code"], "E0304");
        assert_eq!(value["path"], "site/content/incidents/a,b.md");
        assert_eq!(
            (value["line"].as_u64(), value["column"].as_u64()),
            (Some(2), Some(16))
        );
        assert_eq!(value["end_column"], 26);
        assert_eq!(value["suggestion"], "us-marine-corps");
    }
}
