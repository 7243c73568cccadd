//! What makes hostile content harmless wherever it leaves the build:
//! escaping for JSON inlined in a page, spreadsheet-formula neutralisation
//! for CSV cells, and the allow-list of URL schemes a page may link to.
//!
//! Pure functions on strings; the callers decide where each applies.

use std::borrow::Cow;

/// JSON text made safe to sit inside a `<script>` element: `<`, `>` and
/// `&` become `\u003c`, `\u003e` and `\u0026`, which every JSON reader
/// decodes back, so no `</script>`, `<!--` or entity can end or change the
/// element. (U+2028 and U+2029 are escaped too, for older JavaScript.)
pub fn inline_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A text cell of a CSV export, safe to open in a spreadsheet (OWASP's rule
/// against formula injection): a cell that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading `'`, so spreadsheets show it
/// as text instead of evaluating it. The start is looked for after any
/// white space or invisible character (` =1+1`, a no-break space before
/// `@`), because spreadsheets skip those before a formula too. Cells that
/// are numbers (`-12`, `3.5`) are left as they are, so numeric columns keep
/// their values.
pub fn csv_cell(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['\t', '\r'])
        || cell
            .trim_start_matches(is_blank)
            .starts_with(['=', '+', '-', '@']);
    if risky && !is_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// What shows as nothing before a cell's text: white space (Unicode's, so
/// a no-break or ideographic space too), control characters, and the
/// zero-width characters (U+200B to U+200F, U+2060, U+FEFF).
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}')
}

fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    !digits.is_empty()
        && digits.bytes().any(|b| b.is_ascii_digit())
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
}

/// The URL schemes a page may link to. Anything else (`javascript:`,
/// `data:`, `vbscript:`, `file:`…) is refused where the URL is written.
pub const ALLOWED_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Why a URL is refused: its scheme with the character that ends it, as
/// written (lower-cased): `javascript:`, or `javascript&colon;`.
#[derive(Debug, PartialEq, Eq)]
pub struct RefusedScheme(pub String);

/// Accepts `http:`, `https:` and `mailto:` URLs and relative ones (paths,
/// `#fragments`, `?queries`, and `@/` links between documents); refuses
/// every other scheme. The scheme is read the way browsers read it:
/// ASCII tabs and line breaks anywhere and control characters or spaces at
/// the start are ignored, letters in any case. A character reference
/// before the first `/`, `?` or `#` (`javascript&colon;x`) is refused too:
/// whatever decodes it on the way to a browser turns it into a scheme.
pub fn check_url(url: &str) -> Result<(), RefusedScheme> {
    let cleaned = as_browsers_read(url);
    // Up to where a path, query or fragment starts (`&#` opens a reference).
    let head_end = cleaned
        .char_indices()
        .find(|&(i, c)| c == '/' || c == '?' || (c == '#' && !cleaned[..i].ends_with('&')))
        .map_or(cleaned.len(), |(i, _)| i);
    let head = &cleaned[..head_end];
    if let Some(reference) = first_character_reference(head) {
        return Err(RefusedScheme(head[..reference.end].to_ascii_lowercase()));
    }
    let end = cleaned.find([':', '/', '?', '#']);
    let Some(colon) = end.filter(|&i| cleaned[i..].starts_with(':')) else {
        // No scheme: relative.
        return Ok(());
    };
    let scheme = cleaned[..colon].to_ascii_lowercase();
    let is_scheme = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if is_scheme && ALLOWED_SCHEMES.contains(&scheme.as_str()) {
        Ok(())
    } else if !is_scheme && !scheme.is_empty() && !scheme.contains('%') {
        // "a b:c" or "über:x" is no scheme to a browser: a relative path.
        // A percent escape before the colon (`%6Aavascript:`) is refused:
        // whatever decodes the address turns it into a scheme.
        Ok(())
    } else {
        Err(RefusedScheme(format!("{scheme}:")))
    }
}

/// `url` as browsers read it before looking for a scheme: controls and
/// spaces at the start dropped, and ASCII tabs and line breaks anywhere.
pub fn as_browsers_read(url: &str) -> String {
    url.trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// Where the first HTML character reference in `text` is (`&colon;`,
/// `&#58;`, `&#x3A;`), if it holds one.
fn first_character_reference(text: &str) -> Option<std::ops::Range<usize>> {
    text.match_indices('&').find_map(|(start, _)| {
        let rest = &text[start + 1..];
        let name = rest.strip_prefix('#').map_or(rest, |digits| {
            digits.strip_prefix(['x', 'X']).unwrap_or(digits)
        });
        let len = name.find(|c: char| !c.is_ascii_alphanumeric())?;
        (len > 0 && name[len..].starts_with(';')).then(|| {
            let end = text.len() - name.len() + len + 1;
            start..end
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_json_cannot_close_or_comment_out_a_script() {
        let json = serde_json::to_string("<!--<script></script>&amp;").unwrap();
        let safe = inline_json(&json);
        assert!(!safe.contains(['<', '>', '&']), "{safe}");
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "<!--<script></script>&amp;");
    }

    #[test]
    fn neutralises_formulas_but_not_numbers() {
        for risky in [
            "=1+1",
            "+cmd",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "=HYPERLINK(\"x\")",
        ] {
            assert_eq!(csv_cell(risky), format!("'{risky}"));
        }
        for led in [
            " =1+1",
            "\u{a0}@SUM(A1)",
            "\u{3000}+cmd",
            "\u{feff}-2+3",
            "\n=1",
        ] {
            assert_eq!(csv_cell(led), format!("'{led}"), "{led:?}");
        }
        for kept in ["-12", "-33.3", "+4", "12", "Anbar", "", "a=b", " a=b"] {
            assert_eq!(csv_cell(kept), kept);
        }
    }

    #[test]
    fn allows_only_web_and_mail_schemes_and_relative_urls() {
        for ok in [
            "https://example.org/a",
            "HTTP://x",
            "mailto:a@b.org",
            "../a/index.html",
            "#top",
            "?q=1",
            "@/incidents/x.md",
            "files/report.pdf",
            "//example.org/x",
            "a b:c",
        ] {
            assert_eq!(check_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:x",
            "data:text/html,<script>",
            "vbscript:x",
            "file:///etc/passwd",
            ":x",
            "javascript&colon;alert(1)",
            "javascript&#58;alert(1)",
            "javascript&#x3A;alert(1)",
            "java&Tab;script:alert(1)",
            "%6Aavascript:alert(1)",
        ] {
            assert!(check_url(bad).is_err(), "{bad:?}");
        }
        // What the message names: the scheme as written, with its end.
        assert_eq!(
            check_url("JavaScript:x"),
            Err(RefusedScheme("javascript:".into()))
        );
        assert_eq!(
            check_url("javascript&colon;x"),
            Err(RefusedScheme("javascript&colon;".into()))
        );
        // A reference after the path starts or in a query is no scheme.
        for ok in [
            "https://example.org/?a=1&amp;b=2",
            "files/a&amp;b.pdf",
            "a&b",
            "report%20one.pdf",
            "https://example.org/%6Aavascript:x",
        ] {
            assert_eq!(check_url(ok), Ok(()), "{ok}");
        }
    }
}
