//! The Content-Security-Policy every built page carries, as a `<meta
//! http-equiv>` (a static host sends no headers we control).
//!
//! The policy allows nothing from another origin and no inline script but
//! the page's own: each inline `<script>` the page holds when it is
//! finished (the theme's, such as the search page's start-up code) is
//! allowed by its `sha256-` hash, computed here from the rendered bytes.
//! Event-handler attributes (`onerror=`), `javascript:` URLs and any
//! script a page gains later never run. Pure: text in, text out.

use sha2::{Digest as _, Sha256};

const META_START: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"";

/// `html` with its policy: any policy this module wrote before is
/// replaced (so `serve` can re-apply it after adding its reload script).
/// Text that is not a page with a `<head>` is returned as it is.
pub fn apply(html: &str) -> String {
    let html = without_policy(html);
    let Some(at) = insertion_point(&html) else {
        return html.into_owned();
    };
    let meta = format!("{META_START}{}\">", policy(&html));
    let mut out = String::with_capacity(html.len() + meta.len());
    out.push_str(&html[..at]);
    out.push_str(&meta);
    out.push_str(&html[at..]);
    out
}

/// Whether `html` carries a policy this module wrote: the pages dossier
/// renders do; files a site copies as they are (its web editor's page)
/// keep whatever they bring.
pub fn has_policy(html: &str) -> bool {
    html.contains(META_START)
}

/// The policy for a finished page.
pub fn policy(html: &str) -> String {
    let mut script = vec!["'self'".to_string()];
    let hashes: Vec<String> = inline_scripts(html)
        .map(|body| format!("'sha256-{}'", base64(&Sha256::digest(body.as_bytes()))))
        .collect();
    if html.contains("pagefind/") {
        // Pagefind's index is WebAssembly.
        script.push("'wasm-unsafe-eval'".to_string());
    }
    script.extend(hashes);
    format!(
        "default-src 'none'; script-src {}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; media-src 'self'; form-action 'self'; base-uri 'none'",
        script.join(" ")
    )
}

/// The text of every inline script that a browser would run: `<script>`
/// elements without `src` whose type is JavaScript (JSON-LD and other data
/// blocks are never run, so they need no hash).
pub fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find("<script")?;
            let after = &rest[start + "<script".len()..];
            let tag_end = after.find('>')?;
            let attributes = &after[..tag_end];
            let body_start = &after[tag_end + 1..];
            let body_end = body_start.find("</script").unwrap_or(body_start.len());
            let body = &body_start[..body_end];
            rest = &body_start[body_end..];
            let is_element = attributes.is_empty() || attributes.starts_with([' ', '\n', '\t']);
            if is_element && !attributes.contains("src=") && runs(attributes) {
                return Some(body);
            }
        }
    })
}

/// Whether a script's `type` (if any) is one a browser runs.
fn runs(attributes: &str) -> bool {
    let Some(at) = attributes.find("type=") else {
        return true;
    };
    let value = attributes[at + "type=".len()..]
        .trim_start_matches(['"', '\''])
        .to_ascii_lowercase();
    ["text/javascript", "module", "application/javascript"]
        .iter()
        .any(|t| value.starts_with(t))
}

fn without_policy(html: &str) -> std::borrow::Cow<'_, str> {
    let Some(start) = html.find(META_START) else {
        return html.into();
    };
    let end = html[start..]
        .find('>')
        .map_or(html.len(), |i| start + i + 1);
    format!("{}{}", &html[..start], &html[end..]).into()
}

/// Right after `<meta charset>` (which must stay in the first bytes), else
/// right after `<head>`: before any script.
fn insertion_point(html: &str) -> Option<usize> {
    let head = html.find("<head>")? + "<head>".len();
    let charset = html[head..]
        .find("<meta charset")
        .filter(|&i| html[head..head + i].trim().is_empty())
        .and_then(|i| html[head + i..].find('>').map(|j| head + i + j + 1));
    Some(charset.unwrap_or(head))
}

/// Standard base64 with padding, for hashes.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn hashes_inline_scripts_only_and_lands_before_any_script() {
        let page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script src=\"a.js\"></script><script type=\"application/ld+json\">{}</script></head><body><script>run()</script></body></html>";
        let out = apply(page);
        // The hash of `run()`, as `openssl dgst -sha256 -binary | base64` gives it.
        let expected = "AvyuiL0SD1mVY3NNxR+V2uo+lhk6RMFrytWmRt6CrJQ=";
        assert!(out.contains(&format!("'sha256-{expected}'")), "{out}");
        assert_eq!(out.matches("'sha256-").count(), 1, "{out}");
        assert!(
            out.find("Content-Security-Policy").unwrap() < out.find("<script").unwrap(),
            "{out}"
        );
        assert!(
            out.starts_with("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv")
        );
        // Applying again replaces the policy instead of adding a second.
        let again = apply(&out.replace("</body>", "<script>more()</script></body>"));
        assert_eq!(again.matches("Content-Security-Policy").count(), 1);
        assert_eq!(again.matches("'sha256-").count(), 2);
        assert_eq!(apply("not a page"), "not a page");
    }
}
