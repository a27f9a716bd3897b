//! BERT's basic tokenizer: the normalisation and word splitting that run
//! before WordPiece (Devlin et al. 2019, *BERT*, §A.2 and Google's
//! `tokenization.py` `BasicTokenizer`; HF tokenizers' `BertNormalizer` +
//! `BertPreTokenizer`, whose behaviour we match character for character).
//!
//! Steps, each one character at a time:
//!
//! 1. **clean text**: drop NUL, U+FFFD and control characters (Cc, Cf, Co
//!    except tab, LF and CR); turn every whitespace character into a space;
//! 2. **CJK**: surround each CJK ideograph with spaces, so that each becomes a
//!    word of its own (Chinese has no spaces between words);
//! 3. **strip accents**: canonical decomposition (NFD) and drop non-spacing
//!    marks (Mn), "café" -> "cafe"; HF does this when `strip_accents` is
//!    `true`, or when it is `null` and `lowercase` is `true`;
//! 4. **lower-case** (full Unicode, `char::to_lowercase`);
//! 5. **split** on whitespace (dropped) and punctuation (kept, one character a
//!    word). Punctuation is ASCII 33-47, 58-64, 91-96, 123-126 plus Unicode
//!    P*: "$" and "`" are punctuation here although Unicode calls them symbols.
//!
//! Every normalised byte remembers the byte span of the original character it
//! came from, so tokens report offsets into the text the caller gave.
//!
//! Cost: one pass, O(n) time; the normalised text and one span per normalised
//! byte, O(n) memory.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use unicode_normalization::char::decompose_canonical;

use crate::bert_tables::{CJK, DECOMPOSES, NONSPACING_MARKS, PUNCTUATION, REMOVED};

/// Settings of HF's `BertNormalizer` (the field names of `tokenizer.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BertNormalizerConfig {
    pub clean_text: bool,
    pub handle_chinese_chars: bool,
    /// `None` follows `lowercase`, as in HF and Google's BERT.
    pub strip_accents: Option<bool>,
    pub lowercase: bool,
}

impl Default for BertNormalizerConfig {
    fn default() -> Self {
        Self {
            clean_text: true,
            handle_chinese_chars: true,
            strip_accents: None,
            lowercase: true,
        }
    }
}

/// Text after normalisation and word splitting.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicSplit {
    /// The normalised text.
    pub normalized: String,
    /// For each byte of `normalized`, the byte span of the original character
    /// it came from.
    pub spans: Vec<(usize, usize)>,
    /// The words, as byte ranges of `normalized`.
    pub words: Vec<Range<usize>>,
}

impl BasicSplit {
    /// The original byte span of the normalised byte range `r` (non-empty).
    pub fn original_span(&self, r: Range<usize>) -> (usize, usize) {
        (self.spans[r.start].0, self.spans[r.end - 1].1)
    }

    /// The text of word `i`.
    pub fn word(&self, i: usize) -> &str {
        &self.normalized[self.words[i].clone()]
    }
}

/// The BERT basic tokenizer (normaliser + pre-tokenizer).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BertBasic {
    pub config: BertNormalizerConfig,
}

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Whether the BERT pre-tokenizer isolates `c` (HF's definition).
pub fn is_bert_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    in_table(PUNCTUATION, c)
}

/// Whether `clean_text` drops `c`.
fn is_removed(c: char) -> bool {
    if c.is_ascii() {
        return (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\0';
    }
    in_table(REMOVED, c)
}

fn is_cjk(c: char) -> bool {
    (c as u32) >= 0x3400 && in_table(CJK, c)
}

fn is_nonspacing_mark(c: char) -> bool {
    (c as u32) >= 0x300 && in_table(NONSPACING_MARKS, c)
}

impl BertBasic {
    pub fn new(config: BertNormalizerConfig) -> Self {
        Self { config }
    }

    fn strips_accents(&self) -> bool {
        self.config.strip_accents.unwrap_or(self.config.lowercase)
    }

    /// Normalises `text` only (HF `BertNormalizer.normalize_str`).
    pub fn normalize(&self, text: &str) -> String {
        let mut out = BasicSplit::default();
        self.normalize_into(text, 0, &mut out);
        out.normalized
    }

    /// Normalises `text`, appending to `out`; original spans are shifted by
    /// `base` (the position of `text` in the caller's string).
    pub fn normalize_into(&self, text: &str, base: usize, out: &mut BasicSplit) {
        let strip = self.strips_accents();
        let cfg = &self.config;
        out.normalized.reserve(text.len());
        out.spans.reserve(text.len());
        let push = |out: &mut BasicSplit, c: char, span: (usize, usize)| {
            out.normalized.push(c);
            for _ in 0..c.len_utf8() {
                out.spans.push(span);
            }
        };
        // Steps 3 and 4 for one character; `decompose_canonical` emits the NFD
        // of one character, so the marks it produces can be dropped at once.
        let fold = |out: &mut BasicSplit, c: char, span: (usize, usize)| {
            if c.is_ascii() {
                let c = if cfg.lowercase {
                    c.to_ascii_lowercase()
                } else {
                    c
                };
                out.normalized.push(c);
                out.spans.push(span);
                return;
            }
            let mut emit = |d: char| {
                if cfg.lowercase {
                    for l in d.to_lowercase() {
                        push(out, l, span);
                    }
                } else {
                    push(out, d, span);
                }
            };
            // HF's NFD predates Unicode 16, whose new decompositions
            // (Tulu-Tigalari, Kirat Rai, ...) it leaves alone: decompose only
            // what it decomposes.
            if strip && in_table(DECOMPOSES, c) {
                decompose_canonical(c, |d| {
                    if !is_nonspacing_mark(d) {
                        emit(d)
                    }
                });
            } else if !(strip && is_nonspacing_mark(c)) {
                emit(c);
            }
        };
        for (i, c) in text.char_indices() {
            let span = (base + i, base + i + c.len_utf8());
            let c = if cfg.clean_text {
                if is_removed(c) || c == '\u{FFFD}' {
                    continue;
                }
                if c.is_whitespace() {
                    ' '
                } else {
                    c
                }
            } else {
                c
            };
            if cfg.handle_chinese_chars && is_cjk(c) {
                push(out, ' ', span);
                fold(out, c, span);
                push(out, ' ', span);
            } else {
                fold(out, c, span);
            }
        }
    }

    /// Normalises and splits `text` into words with original byte spans.
    pub fn split(&self, text: &str) -> BasicSplit {
        let mut out = BasicSplit::default();
        self.normalize_into(text, 0, &mut out);
        out.words = split_words(&out.normalized);
        out
    }
}

/// HF `BertPreTokenizer`: split on whitespace (removed) and punctuation
/// (isolated), as byte ranges of `text`.
pub fn split_words(text: &str) -> Vec<Range<usize>> {
    let mut words = Vec::with_capacity(text.len() / 4 + 1);
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                words.push(s..i);
            }
        } else if is_bert_punctuation(c) {
            if let Some(s) = start.take() {
                words.push(s..i);
            }
            words.push(i..i + c.len_utf8());
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        words.push(s..text.len());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let s = BertBasic::default().split(text);
        (0..s.words.len()).map(|i| s.word(i).to_string()).collect()
    }

    #[test]
    fn lowercases_strips_accents_and_splits_punctuation() {
        assert_eq!(words("Héllo, WORLD!"), ["hello", ",", "world", "!"]);
        assert_eq!(words("a$b`c"), ["a", "$", "b", "`", "c"]);
    }

    #[test]
    fn cjk_characters_are_words() {
        assert_eq!(words("我爱NLP"), ["我", "爱", "nlp"]);
    }

    #[test]
    fn control_characters_vanish_and_whitespace_splits() {
        assert_eq!(words("a\u{0}b\u{200B}c\td\u{3000}e"), ["abc", "d", "e"]);
    }

    #[test]
    fn spans_point_into_the_original() {
        let s = BertBasic::default().split("Café au");
        assert_eq!(s.word(0), "cafe");
        assert_eq!(s.original_span(s.words[0].clone()), (0, 5));
        assert_eq!(s.original_span(3..4), (3, 5));
    }

    #[test]
    fn accents_kept_when_asked() {
        let cfg = BertNormalizerConfig {
            strip_accents: Some(false),
            ..Default::default()
        };
        assert_eq!(BertBasic::new(cfg).normalize("Ärger"), "ärger");
    }
}
