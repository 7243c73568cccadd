//! Slugs: the lowercase, hyphenated names that become URL segments and
//! anchors. Pure string functions, shared by discovery (file names), the
//! linker (taxonomy terms), Markdown (heading ids) and templates.

/// Lowercase ASCII letters and digits, every other run of characters one
/// hyphen: `Nisour Square 2007` becomes `nisour-square-2007`.
pub fn slugify(text: &str) -> String {
    hyphenate(text, |c| c.is_ascii_alphanumeric())
}

/// The slug of a taxonomy term (a tag, a place) in any script: letters
/// and digits of every alphabet, lowercased, in Unicode's composed form,
/// every other run of characters one hyphen. `Torture` is `torture` as
/// with [`slugify`]; `تعذيب` stays `تعذيب`, where [`slugify`] would leave
/// nothing, so a dossier written in Arabic (or any other script) gets its
/// terms' pages. Empty for a term with no letter or digit.
pub fn term_slug(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let composed: String = text.nfc().collect();
    hyphenate(&composed, char::is_alphanumeric)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_slugs_keep_every_script_and_match_slugify_on_ascii() {
        for ascii in ["Torture", "unlawful killing", "Nisour Square, 2007!"] {
            assert_eq!(term_slug(ascii), slugify(ascii));
        }
        assert_eq!(term_slug("تعذيب"), "تعذيب");
        assert_eq!(term_slug("الاختفاء القسري"), "الاختفاء-القسري");
        assert_eq!(term_slug("Qādisiyyah"), "qādisiyyah");
        // Composed and decomposed spellings are one term.
        assert_eq!(term_slug("Qa\u{304}disiyyah"), term_slug("Qādisiyyah"));
        assert_eq!(term_slug("🤡 !"), "");
    }
}
