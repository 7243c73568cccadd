//! Slugs: the lowercase, hyphenated names that become URL segments and
//! anchors. Pure string functions, shared by discovery (file names), the
//! linker (taxonomy terms), Markdown (heading ids) and templates.

/// Lowercase ASCII letters and digits, every other run of characters one
/// hyphen: `Nisour Square 2007` becomes `nisour-square-2007`.
pub fn slugify(text: &str) -> String {
    hyphenate(text, |c| c.is_ascii_alphanumeric())
}

/// Lowercases the characters `keep` accepts and turns every run of other
/// characters into one hyphen (none at either end).
pub fn hyphenate(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if keep(c) {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.extend(c.to_lowercase());
        } else {
            pending_hyphen = true;
        }
    }
    out
}
