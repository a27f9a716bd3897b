//! Unicode word tokenization by the default word boundaries of Unicode
//! Standard Annex #29, *Unicode Text Segmentation*.
//!
//! Unlike the Penn Treebank rules (English-specific), UAX #29 segments any
//! script: it keeps "can't", "3.14" and "e.g" together, splits CJK
//! ideographs one by one, and never looks at a dictionary. The boundary rules
//! themselves come from the `unicode-segmentation` crate (the Unicode
//! character tables are infrastructure); this file decides which segments
//! are tokens.
//!
//! Cost: one linear pass.

use crate::Tokenizer;

/// Splits on UAX #29 word boundaries.
#[derive(Debug, Clone, Copy, Default)]
pub struct UnicodeWordTokenizer {
    /// Keep punctuation and symbol segments as tokens (whitespace is always
    /// dropped). When false, only segments with a letter or digit are kept.
    pub keep_punctuation: bool,
}

impl UnicodeWordTokenizer {
    /// Tokens with their byte offsets in `text`.
    pub fn tokenize_spans<'a>(&self, text: &'a str) -> Vec<(usize, &'a str)> {
        use unicode_segmentation::UnicodeSegmentation;
        if self.keep_punctuation {
            text.split_word_bound_indices()
                .filter(|(_, s)| !s.chars().all(char::is_whitespace))
                .collect()
        } else {
            text.unicode_word_indices().collect()
        }
    }
}

impl Tokenizer for UnicodeWordTokenizer {
    fn tokenize(&self, text: &str) -> Vec<String> {
        self.tokenize_spans(text)
            .into_iter()
            .map(|(_, s)| s.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_numbers_and_scripts() {
        let t = UnicodeWordTokenizer::default();
        assert_eq!(
            t.tokenize("The quick (\"brown\") fox can't jump 32.3 feet, right?"),
            ["The", "quick", "brown", "fox", "can't", "jump", "32.3", "feet", "right"]
        );
        assert_eq!(t.tokenize("東京は晴れ"), ["東", "京", "は", "晴", "れ"]);
        assert!(t.tokenize("").is_empty());
    }

    #[test]
    fn punctuation_kept_on_request() {
        let t = UnicodeWordTokenizer {
            keep_punctuation: true,
        };
        assert_eq!(t.tokenize("Hi, you!"), ["Hi", ",", "you", "!"]);
        let spans = t.tokenize_spans("a  b");
        assert_eq!(spans, vec![(0, "a"), (3, "b")]);
    }
}
