//! The tokenizers BLEU scores are computed on, as sacreBLEU (Post 2018, "A
//! Call for Clarity in Reporting BLEU Scores") defines them, so that our
//! scores are comparable with published ones.
//!
//! * `13a` — the tokenization of NIST's `mteval-v13a.pl`, WMT's standard:
//!   drop `<skipped>`, join hyphenated line breaks, unescape `&quot; &amp;
//!   &lt; &gt;`, pad the line with one space each side, then
//!   1. put spaces around the ASCII symbols `{|}~[\]^_\`` space `!"#$%&()*+:;<=>?@/`,
//!   2. split `.` and `,` off a preceding non-digit,
//!   3. split `.` and `,` off a following non-digit,
//!   4. split `-` off a preceding digit,
//!
//!   and collapse whitespace (Python's `str.split`, which also counts
//!   U+001C..U+001F). Steps 2–4 are left-to-right, non-overlapping
//!   two-character matches on the previous step's output, exactly as a regular
//!   expression substitution would find them; here they are hand-written
//!   scans, one pass each.
//! * `intl` — `mteval-v14.pl`'s international tokenization: split Unicode
//!   punctuation (`\p{P}`) off a preceding and then a following non-number
//!   (`\P{N}`), put spaces around symbols (`\p{S}`). Unicode tables are the
//!   `regex` crate's (sacreBLEU uses the Python `regex` module's; the two can
//!   differ only for characters assigned in the newest Unicode versions).
//! * `none` — the line as it is.
//!
//! Cost: O(length) time and memory per line for `13a` and `none`; `intl`
//! runs three regex substitutions, also linear.

use std::borrow::Cow;
use std::str::FromStr;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::pystr;

/// Which sacreBLEU tokenizer to apply before counting n-grams.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BleuTokenizer {
    /// No tokenization: the line is split on whitespace as it is.
    #[serde(rename = "none")]
    None,
    /// `mteval-v13a.pl` (sacreBLEU's default).
    #[default]
    #[serde(rename = "13a")]
    Tok13a,
    /// `mteval-v14.pl --international-tokenization`.
    #[serde(rename = "intl")]
    Intl,
}

impl BleuTokenizer {
    /// The name sacreBLEU prints in its signature (`tok:13a`).
    pub fn signature(self) -> &'static str {
        match self {
            BleuTokenizer::None => "none",
            BleuTokenizer::Tok13a => "13a",
            BleuTokenizer::Intl => "intl",
        }
    }

    /// The tokenized line, tokens separated by single spaces.
    pub fn tokenize<'a>(self, line: &'a str) -> Cow<'a, str> {
        match self {
            BleuTokenizer::None => Cow::Borrowed(line),
            BleuTokenizer::Tok13a => Cow::Owned(tokenize_13a(line)),
            BleuTokenizer::Intl => Cow::Owned(tokenize_intl(line)),
        }
    }
}

impl FromStr for BleuTokenizer {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(BleuTokenizer::None),
            "13a" => Ok(BleuTokenizer::Tok13a),
            "intl" => Ok(BleuTokenizer::Intl),
            other => Err(format!(
                "unknown BLEU tokenizer {other:?}: use 13a, intl or none"
            )),
        }
    }
}

/// Step 1 of 13a: the ASCII characters that become tokens of their own.
#[inline]
fn is_13a_symbol(c: char) -> bool {
    matches!(c, '{'..='~' | '['..='`' | ' '..='&' | '('..='+' | ':'..='@' | '/')
}

/// One left-to-right pass over `chars` that rewrites each non-overlapping
/// pair `(a, b)` with `matches(a, b)` as `emit(a, b)`.
fn pair_pass(
    chars: &[char],
    matches: impl Fn(char, char) -> bool,
    emit: impl Fn(&mut Vec<char>, char, char),
) -> Vec<char> {
    let mut out = Vec::with_capacity(chars.len() + chars.len() / 4);
    let mut i = 0;
    while i < chars.len() {
        if i + 1 < chars.len() && matches(chars[i], chars[i + 1]) {
            emit(&mut out, chars[i], chars[i + 1]);
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// `mteval-v13a.pl` tokenization of one line (see the module docs).
pub fn tokenize_13a(line: &str) -> String {
    let mut line = line
        .replace("<skipped>", "")
        .replace("-\n", "")
        .replace('\n', " ");
    if line.contains('&') {
        line = line
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
    }
    // The padding makes a final "." count as followed by a non-digit.
    let mut chars: Vec<char> = Vec::with_capacity(line.len() + 8);
    chars.push(' ');
    for c in line.chars() {
        if is_13a_symbol(c) {
            chars.extend([' ', c, ' ']);
        } else {
            chars.push(c);
        }
    }
    chars.push(' ');
    let digit = |c: char| c.is_ascii_digit();
    let period_comma = |c: char| c == '.' || c == ',';
    let chars = pair_pass(
        &chars,
        |a, b| !digit(a) && period_comma(b),
        |out, a, b| out.extend([a, ' ', b, ' ']),
    );
    let chars = pair_pass(
        &chars,
        |a, b| period_comma(a) && !digit(b),
        |out, a, b| out.extend([' ', a, ' ', b]),
    );
    let chars = pair_pass(
        &chars,
        |a, b| digit(a) && b == '-',
        |out, a, b| out.extend([a, ' ', b, ' ']),
    );
    let spaced: String = chars.into_iter().collect();
    join_words(&spaced)
}

/// Python's `' '.join(s.split())`.
fn join_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in pystr::split(s) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn intl_patterns() -> &'static [(Regex, &'static str); 3] {
    static PATTERNS: OnceLock<[(Regex, &'static str); 3]> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        [
            (Regex::new(r"(\P{N})(\p{P})").unwrap(), "${1} ${2} "),
            (Regex::new(r"(\p{P})(\P{N})").unwrap(), " ${1} ${2}"),
            (Regex::new(r"(\p{S})").unwrap(), " ${1} "),
        ]
    })
}

/// `mteval-v14.pl` international tokenization of one line.
pub fn tokenize_intl(line: &str) -> String {
    let mut text = Cow::Borrowed(line);
    for (re, replacement) in intl_patterns() {
        if let Cow::Owned(s) = re.replace_all(&text, *replacement) {
            text = Cow::Owned(s);
        }
    }
    join_words(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_a_splits_punctuation_but_not_numbers() {
        assert_eq!(tokenize_13a("Hello, world!"), "Hello , world !");
        assert_eq!(tokenize_13a("3.5 and 1,000."), "3.5 and 1,000 .");
        assert_eq!(tokenize_13a("5-year"), "5 - year");
        assert_eq!(tokenize_13a("&quot;x&quot;"), "\" x \"");
    }

    #[test]
    fn intl_splits_symbols() {
        assert_eq!(tokenize_intl("€5, ok."), "€ 5 , ok .");
    }

    #[test]
    fn names_round_trip() {
        for t in [
            BleuTokenizer::None,
            BleuTokenizer::Tok13a,
            BleuTokenizer::Intl,
        ] {
            assert_eq!(t.signature().parse::<BleuTokenizer>().unwrap(), t);
        }
        assert!("zh".parse::<BleuTokenizer>().is_err());
    }
}
