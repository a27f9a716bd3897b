//! Python's `str` and `float` semantics that the reference implementations
//! (vaderSentiment, TextBlob) rely on, so that our ports split, case and round
//! text exactly as they do.
//!
//! * `str.isspace` / `str.split()` / `str.strip()`: Unicode `White_Space` plus
//!   the four ASCII information separators U+001C..U+001F, which Python counts
//!   as whitespace and Rust does not.
//! * `str.isupper`: at least one cased character and no lower-case or
//!   title-case one (`Lowercase` / `Uppercase` derived properties, category Lt).
//! * `str.lower`: full Unicode lower-casing with final sigma, as Rust's
//!   `to_lowercase` (Python 3.11 uses Unicode 14, Rust a later version; the
//!   few characters added since are the only possible difference).
//! * `round(x, n)`: the double nearest to the exact decimal rounding of `x`
//!   (ties to even on the exact binary value), i.e. `float(f"{x:.{n}f}")`.
//!
//! All are O(length of the string).

use std::borrow::Cow;

/// Python's `str.isspace` for one character.
#[inline]
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

/// Python's `str.split()` without arguments: runs of whitespace separate, no
/// empty pieces.
pub fn split(s: &str) -> impl Iterator<Item = &str> {
    s.split(is_space).filter(|t| !t.is_empty())
}

/// Python's `str.strip()` without arguments.
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Title-case letters (general category Lt), which make `isupper` false.
fn is_titlecase(c: char) -> bool {
    matches!(c,
        '\u{1c5}' | '\u{1c8}' | '\u{1cb}' | '\u{1f2}'
        | '\u{1f88}'..='\u{1f8f}' | '\u{1f98}'..='\u{1f9f}' | '\u{1fa8}'..='\u{1faf}'
        | '\u{1fbc}' | '\u{1fcc}' | '\u{1ffc}')
}

/// Python's `str.isupper`.
pub fn is_upper(s: &str) -> bool {
    if s.is_ascii() {
        let b = s.as_bytes();
        return b.iter().any(u8::is_ascii_uppercase) && !b.iter().any(u8::is_ascii_lowercase);
    }
    let mut cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase(c) {
            return false;
        }
        cased |= c.is_uppercase();
    }
    cased
}

/// Python's `str.isalpha` (letters of categories L*; Rust's `is_alphabetic`
/// also admits letter numbers and some combining marks, which matters only
/// for strings no caller here tests).
pub fn is_alpha(s: &str) -> bool {
    !s.is_empty() && s.chars().all(char::is_alphabetic)
}

/// Python's `str.lower`, borrowing when nothing changes.
pub fn lower(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// Python's `round(x, ndigits)` for a float.
pub fn round(x: f64, ndigits: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    format!("{x:.ndigits$}").parse().unwrap_or(x)
}

/// Python's `repr` of a float for the magnitudes printed here (shortest
/// round-trip digits, `1.0` rather than `1`, `-0.0` kept).
pub fn repr(x: f64) -> String {
    format!("{x:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_includes_information_separators() {
        let got: Vec<&str> = split(" a\u{1c}b\u{a0}c\td\u{200b}e ").collect();
        assert_eq!(got, ["a", "b", "c", "d\u{200b}e"]);
        assert_eq!(strip("\u{1f} x \u{3000}"), "x");
    }

    #[test]
    fn isupper_like_python() {
        assert!(is_upper("GOOD!") && is_upper("Ä1") && is_upper("ΣΟΦΟΣ"));
        assert!(!is_upper("Good") && !is_upper("123") && !is_upper(":)") && !is_upper(""));
        assert!(!is_upper("\u{1c5}") && !is_upper("A\u{1c5}"));
        assert!(!is_upper("中文"));
    }

    #[test]
    fn lower_borrows_when_unchanged() {
        assert!(matches!(lower("good"), Cow::Borrowed(_)));
        assert_eq!(lower("GOOD"), "good");
        assert_eq!(lower("ΣΟΦΟΣ"), "σοφος");
        assert_eq!(lower("İ"), "i\u{307}");
    }

    #[test]
    fn round_half_even_on_exact_value() {
        // Python: round(0.0625, 3) == 0.062, round(2.675, 2) == 2.67,
        // round(0.0005, 3) == 0.001, round(-0.00001, 4) == -0.0.
        assert_eq!(round(0.0625, 3), 0.062);
        assert_eq!(round(2.675, 2), 2.67);
        assert_eq!(round(0.0005, 3), 0.001);
        let z = round(-0.00001, 4);
        assert!(z == 0.0 && z.is_sign_negative());
        assert_eq!(repr(1.0), "1.0");
        assert_eq!(repr(-0.0), "-0.0");
        assert_eq!(repr(0.4404), "0.4404");
    }
}
