//! How a language writes the numbers the theme prints: its digits, its
//! thousands separator, and the direction a number or range reads in.
//!
//! Each language of `site.toml` may say `digits = "latn"` (0123456789) or
//! `digits = "arab"` (٠١٢٣٤٥٦٧٨٩, with `٬` between thousands). Only the text
//! the theme makes (dates, counts, ranges, chart axes) goes through these
//! functions; the body text editors wrote, slugs, URLs and code never do.
//! Pure string functions.

use serde::{Deserialize, Serialize};

/// The digits a language writes numbers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Digits {
    /// 0123456789, thousands separated by `,`.
    Latn,
    /// The Arabic-Indic digits used in Iraq and the Mashriq, ٠١٢٣٤٥٦٧٨٩,
    /// thousands separated by `٬` (U+066C).
    Arab,
}

impl Digits {
    /// The digits a language uses when `site.toml` does not say: Arabic
    /// (`ar`) is written with Arabic-Indic digits, as in Iraq's press,
    /// schoolbooks and official papers (and CLDR's `ar-IQ`); every other
    /// language with Latin digits.
    pub fn default_for(lang: &str) -> Digits {
        match lang.split('-').next() {
            Some("ar") => Digits::Arab,
            _ => Digits::Latn,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Digits::Latn => "latn",
            Digits::Arab => "arab",
        }
    }

    fn zero(self) -> char {
        match self {
            Digits::Latn => '0',
            Digits::Arab => '\u{0660}',
        }
    }

    fn group_separator(self) -> char {
        match self {
            Digits::Latn => ',',
            Digits::Arab => '\u{066C}',
        }
    }

    /// The direction a number, or a range of two, reads in: Latin digits
    /// left to right in every page, so that "1,300,000–2,000,000" is not
    /// turned around in a right-to-left line; Arabic-Indic digits right to
    /// left, as the words around them (the lower bound first, on the right).
    pub fn direction(self) -> &'static str {
        match self {
            Digits::Latn => "ltr",
            Digits::Arab => "rtl",
        }
    }

    /// The Unicode isolate that starts a number in plain text (SVG text,
    /// where there is no `<bdi>`): LRI or RLI, closed by [`POP_ISOLATE`].
    pub fn isolate(self) -> char {
        match self {
            Digits::Latn => '\u{2066}',
            Digits::Arab => '\u{2067}',
        }
    }
}

/// PDI, which closes [`Digits::isolate`].
pub const POP_ISOLATE: char = '\u{2069}';

/// Every ASCII digit of `text` written in `digits`, and a decimal point
/// between two digits as the Arabic decimal separator (`١٫٥`); the rest
/// unchanged.
pub fn localize(text: &str, digits: Digits) -> String {
    if digits == Digits::Latn {
        return text.to_string();
    }
    let zero = digits.zero() as u32;
    let chars: Vec<char> = text.chars().collect();
    let digit_at = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match c {
            '0'..='9' => char::from_u32(zero + (c as u32 - '0' as u32)).unwrap_or(c),
            '.' if i > 0 && digit_at(i - 1) && digit_at(i + 1) => '\u{66B}',
            _ => c,
        })
        .collect()
}

/// 1234567 → "1,234,567", or "١٬٢٣٤٬٥٦٧" in Arabic-Indic digits.
pub fn group(n: u64, digits: Digits) -> String {
    let plain = n.to_string();
    let mut out = String::with_capacity(plain.len() * 3);
    for (i, c) in plain.chars().enumerate() {
        if i > 0 && (plain.len() - i).is_multiple_of(3) {
            out.push(digits.group_separator());
        }
        out.push(c);
    }
    localize(&out, digits)
}

/// A count or a range: "150,000–223,000", a single number when both ends
/// are the same.
pub fn range(min: u64, max: u64, digits: Digits) -> String {
    if min == max {
        group(min, digits)
    } else {
        format!("{}–{}", group(min, digits), group(max, digits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_numbers_in_either_digits() {
        assert_eq!(group(1234567, Digits::Latn), "1,234,567");
        assert_eq!(group(999, Digits::Latn), "999");
        assert_eq!(group(1234567, Digits::Arab), "١٬٢٣٤٬٥٦٧");
        assert_eq!(range(24, 24, Digits::Arab), "٢٤");
        assert_eq!(range(1, 3, Digits::Latn), "1–3");
        assert_eq!(localize("19 May 2005", Digits::Arab), "١٩ May ٢٠٠٥");
        assert_eq!(
            localize("1.5 KB, para. 3.", Digits::Arab),
            "١٫٥ KB, para. ٣."
        );
    }

    #[test]
    fn arabic_defaults_to_arabic_indic_digits() {
        assert_eq!(Digits::default_for("ar"), Digits::Arab);
        assert_eq!(Digits::default_for("ar-iq"), Digits::Arab);
        assert_eq!(Digits::default_for("en"), Digits::Latn);
        assert_eq!(Digits::default_for("ckb"), Digits::Latn);
    }
}
