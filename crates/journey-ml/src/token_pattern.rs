//! Token patterns: the regular expression that cuts a document into words
//! before a word-level vectorizer counts them (scikit-learn's `token_pattern`,
//! applied with Python's `re.findall`).
//!
//! The default, `(?u)\b\w\w+\b`, keeps every maximal run of two or more word
//! characters. What a "word character" is differs between regex engines:
//! Python's `re` (str patterns) takes `str.isalnum()` plus `_` — letters (L*)
//! and numbers (N*, so "x²" is one token) — while the Unicode `\w` of Rust's
//! `regex` crate adds combining marks (Devanagari vowel signs, NFD accents),
//! all connector punctuation and letter-like symbols, and leaves out `No`
//! numbers. So that vectorizers agree with scikit-learn on every character,
//! the patterns `\b\w\w+\b` and `\b\w+\b` (with or without `(?u)`) are run
//! natively over Python's exact class ([`is_python_word`], a table probed from
//! CPython 3.11, Unicode 14.0).
//!
//! Any other pattern is compiled by the `regex` crate and follows its syntax
//! and Unicode classes; look-around and back-references, which Python has and
//! the `regex` crate has not, are a clear error. As with `re.findall`, a
//! pattern with one capturing group yields the group (an empty string when it
//! did not take part in the match), and more than one group is an error.
//!
//! Cost: one pass over the text; the native path looks up a 128-entry table
//! per ASCII byte and binary-searches 734 ranges per other character.

use regex::Regex;

use crate::error::MlError;
use crate::python_word_table::PYTHON_WORD;

/// scikit-learn's default `token_pattern`.
pub const DEFAULT_TOKEN_PATTERN: &str = r"(?u)\b\w\w+\b";

/// Python's `\w` for one character: alphanumeric (`str.isalnum`) or `_`.
#[inline]
pub fn is_python_word(c: char) -> bool {
    let cp = c as u32;
    if cp < 128 {
        return (c as u8).is_ascii_alphanumeric() || c == '_';
    }
    PYTHON_WORD
        .binary_search_by(|&(a, b)| {
            if b < cp {
                std::cmp::Ordering::Less
            } else if a > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// A compiled token pattern.
#[derive(Debug, Clone)]
pub enum TokenPattern {
    /// Maximal runs of at least `min_chars` Python word characters.
    WordRuns { min_chars: usize },
    /// Any other pattern, by the `regex` crate; `group` is whether the
    /// pattern's single capturing group is the token.
    Regex { regex: Regex, group: bool },
}

impl TokenPattern {
    /// Compiles `pattern`; errors name the pattern and say what is wrong.
    pub fn new(pattern: &str) -> Result<Self, MlError> {
        let body = pattern.strip_prefix("(?u)").unwrap_or(pattern);
        match body {
            r"\b\w\w+\b" => return Ok(TokenPattern::WordRuns { min_chars: 2 }),
            r"\b\w+\b" => return Ok(TokenPattern::WordRuns { min_chars: 1 }),
            _ => {}
        }
        let regex = Regex::new(pattern).map_err(|e| {
            MlError::Config(format!(
                "token_pattern {pattern:?} is not a valid regular expression for the \
                 Rust regex crate (no look-around or back-references): {e}"
            ))
        })?;
        let groups = regex.captures_len() - 1;
        if groups > 1 {
            return Err(MlError::Config(format!(
                "token_pattern {pattern:?} has {groups} capturing groups; only a single \
                 group should be captured (use (?:...) for the others)"
            )));
        }
        Ok(TokenPattern::Regex {
            regex,
            group: groups == 1,
        })
    }

    /// Calls `f` with each token of `text`, in order.
    pub fn for_each<'t>(&self, text: &'t str, mut f: impl FnMut(&'t str)) {
        match self {
            TokenPattern::WordRuns { min_chars } => word_runs(text, *min_chars, f),
            TokenPattern::Regex {
                regex,
                group: false,
            } => regex.find_iter(text).for_each(|m| f(m.as_str())),
            TokenPattern::Regex { regex, group: true } => {
                for caps in regex.captures_iter(text) {
                    f(caps.get(1).map_or("", |m| m.as_str()));
                }
            }
        }
    }

    /// The tokens of `text` (for tests and small inputs).
    pub fn tokens<'t>(&self, text: &'t str) -> Vec<&'t str> {
        let mut out = Vec::new();
        self.for_each(text, |t| out.push(t));
        out
    }
}

/// Maximal runs of Python word characters with at least `min_chars` chars.
fn word_runs<'t>(text: &'t str, min_chars: usize, mut f: impl FnMut(&'t str)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut start = 0;
    let mut run = 0usize; // characters in the current run
    while i < bytes.len() {
        let b = bytes[i];
        let (word, len) = if b < 128 {
            (b.is_ascii_alphanumeric() || b == b'_', 1)
        } else {
            let c = text[i..].chars().next().expect("char boundary");
            (is_python_word(c), c.len_utf8())
        };
        if word {
            if run == 0 {
                start = i;
            }
            run += 1;
        } else {
            if run >= min_chars {
                f(&text[start..i]);
            }
            run = 0;
        }
        i += len;
    }
    if run >= min_chars {
        f(&text[start..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_word_class_differs_from_rust_regex() {
        // Numbers of category No are words for Python, not for regex's \w.
        assert!(is_python_word('²') && is_python_word('½'));
        // Combining marks (Mn, Mc) are not Python word characters.
        assert!(!is_python_word('\u{301}') && !is_python_word('\u{93E}'));
        // Only '_' among the connector punctuation.
        assert!(is_python_word('_') && !is_python_word('\u{203F}'));
        assert!(is_python_word('é') && is_python_word('字') && !is_python_word('-'));
    }

    #[test]
    fn default_pattern_keeps_runs_of_two_or_more() {
        let p = TokenPattern::new(DEFAULT_TOKEN_PATTERN).unwrap();
        assert_eq!(
            p.tokens("I'd pay £5 for x² — naïve e\u{301}te snake_case!"),
            vec!["pay", "for", "x²", "naïve", "te", "snake_case"]
        );
        let one = TokenPattern::new(r"\b\w+\b").unwrap();
        assert_eq!(one.tokens("a bc"), vec!["a", "bc"]);
    }

    #[test]
    fn regex_patterns_and_groups() {
        let p = TokenPattern::new(r"[a-z]+").unwrap();
        assert_eq!(p.tokens("ab1cd"), vec!["ab", "cd"]);
        let g = TokenPattern::new(r"#(\w+)").unwrap();
        assert_eq!(g.tokens("#rust and #nlp"), vec!["rust", "nlp"]);
        let e = TokenPattern::new(r"(a)(b)").unwrap_err().to_string();
        assert!(e.contains("2 capturing groups"), "{e}");
        let e = TokenPattern::new(r"(?<=a)b").unwrap_err().to_string();
        assert!(e.contains("not a valid regular expression"), "{e}");
    }
}
