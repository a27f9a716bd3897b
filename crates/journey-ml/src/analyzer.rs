//! The analyzer: from a raw document to the features a vectorizer counts.
//!
//! It is scikit-learn's `build_analyzer` (`sklearn.feature_extraction.text`),
//! step for step, so that our vectorizers see the same features:
//!
//! 1. preprocess: lower-case (`str.lower`), then strip accents —
//!    `"unicode"`: NFKD and drop every character with a non-zero canonical
//!    combining class (left as is when the text is ASCII); `"ascii"`: NFKD and
//!    drop every non-ASCII character;
//! 2. `analyzer = "word"`: tokens of the [`TokenPattern`], stop words removed,
//!    then word n-grams joined by a space;
//!    `"char"`: character n-grams of the text with whitespace runs collapsed;
//!    `"char_wb"`: character n-grams inside each whitespace-separated word
//!    padded with a space (see `journey_text::ngrams`, whose extractors are the
//!    tested oracle of the allocation-free versions here).
//!
//! Cost: O(L · (max_n − min_n + 1)) features for L tokens or characters; a
//! feature is handed out as a borrowed `&str` (no allocation per feature).

use std::borrow::Cow;

use journey_text::ngrams::is_python_whitespace;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

use crate::error::MlError;
use crate::token_pattern::{TokenPattern, DEFAULT_TOKEN_PATTERN};

/// What a feature is made of (scikit-learn's `analyzer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalyzerKind {
    /// Word n-grams of the token pattern's tokens.
    #[default]
    Word,
    /// Character n-grams over the whole text.
    Char,
    /// Character n-grams inside word boundaries, words padded with spaces.
    CharWb,
}

impl AnalyzerKind {
    /// scikit-learn's name: `word`, `char` or `char_wb`.
    pub fn name(self) -> &'static str {
        match self {
            AnalyzerKind::Word => "word",
            AnalyzerKind::Char => "char",
            AnalyzerKind::CharWb => "char_wb",
        }
    }
}

/// Accent stripping (scikit-learn's `strip_accents`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StripAccents {
    #[default]
    None,
    /// NFKD, then keep ASCII only.
    Ascii,
    /// NFKD, then drop combining characters.
    Unicode,
}

/// Stop words removed from the tokens of the word analyzer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StopWordList {
    #[default]
    None,
    /// scikit-learn's English list (`ENGLISH_STOP_WORDS`, 318 words).
    English,
    /// Any list, matched exactly against the (preprocessed) tokens.
    List(Vec<String>),
}

/// How documents become features; the part of the configuration that every
/// vectorizer (count, TF-IDF, hashing) shares. `Default` is scikit-learn's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyzerConfig {
    pub analyzer: AnalyzerKind,
    pub lowercase: bool,
    pub strip_accents: StripAccents,
    /// Used by the word analyzer only.
    pub token_pattern: String,
    /// Smallest and largest n of the n-grams.
    pub ngram_range: (usize, usize),
    /// Used by the word analyzer only.
    pub stop_words: StopWordList,
}

impl Default for AnalyzerConfig {
    fn default() -> Self {
        AnalyzerConfig {
            analyzer: AnalyzerKind::Word,
            lowercase: true,
            strip_accents: StripAccents::None,
            token_pattern: DEFAULT_TOKEN_PATTERN.to_string(),
            ngram_range: (1, 1),
            stop_words: StopWordList::None,
        }
    }
}

/// A compiled [`AnalyzerConfig`].
#[derive(Debug, Clone)]
pub struct Analyzer {
    config: AnalyzerConfig,
    tokens: TokenPattern,
    stop_words: Option<FxHashSet<String>>,
}

/// Reusable buffers, so that analysing a document allocates nothing once warm.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    spans: Vec<(usize, usize)>,
    joined: String,
    collapsed: String,
    offsets: Vec<usize>,
}

impl Analyzer {
    /// Checks and compiles the configuration.
    pub fn new(config: AnalyzerConfig) -> Result<Self, MlError> {
        let (min_n, max_n) = config.ngram_range;
        if min_n == 0 {
            return Err(MlError::Config(format!(
                "ngram_range ({min_n}, {max_n}): the smallest n must be at least 1"
            )));
        }
        if min_n > max_n {
            return Err(MlError::Config(format!(
                "ngram_range ({min_n}, {max_n}): lower boundary larger than the upper boundary"
            )));
        }
        let tokens = TokenPattern::new(&config.token_pattern)?;
        let stop_words = match &config.stop_words {
            StopWordList::None => None,
            StopWordList::English => Some(
                journey_text::stopwords_sklearn::SKLEARN_ENGLISH
                    .iter()
                    .map(|w| w.to_string())
                    .collect(),
            ),
            StopWordList::List(words) => Some(words.iter().cloned().collect()),
        };
        Ok(Analyzer {
            config,
            tokens,
            stop_words,
        })
    }

    pub fn config(&self) -> &AnalyzerConfig {
        &self.config
    }

    /// Lower-casing and accent stripping (scikit-learn's preprocessor).
    pub fn preprocess<'a>(&self, doc: &'a str) -> Cow<'a, str> {
        let mut text = Cow::Borrowed(doc);
        if self.config.lowercase {
            text = if doc.is_ascii() {
                if doc.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(doc.to_ascii_lowercase())
                } else {
                    text
                }
            } else {
                Cow::Owned(doc.to_lowercase())
            };
        }
        match self.config.strip_accents {
            StripAccents::None => text,
            StripAccents::Unicode => {
                if text.is_ascii() {
                    text
                } else {
                    Cow::Owned(
                        text.nfkd()
                            .filter(|&c| canonical_combining_class(c) == 0)
                            .collect(),
                    )
                }
            }
            StripAccents::Ascii => Cow::Owned(text.nfkd().filter(char::is_ascii).collect()),
        }
    }

    /// Calls `f` with every feature of `doc`, in scikit-learn's order.
    pub fn for_each_feature(&self, doc: &str, f: impl FnMut(&str)) {
        self.for_each_feature_with(doc, &mut Scratch::default(), f)
    }

    /// The features of `doc` as strings, in scikit-learn's order.
    pub fn analyze(&self, doc: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_feature(doc, |s| out.push(s.to_string()));
        out
    }

    pub(crate) fn for_each_feature_with(
        &self,
        doc: &str,
        scratch: &mut Scratch,
        mut f: impl FnMut(&str),
    ) {
        let text = self.preprocess(doc);
        let (min_n, max_n) = self.config.ngram_range;
        match self.config.analyzer {
            AnalyzerKind::Word => {
                let spans = &mut scratch.spans;
                spans.clear();
                let base = text.as_ptr() as usize;
                let stop = self.stop_words.as_ref();
                self.tokens.for_each(&text, |t| {
                    if stop.is_some_and(|s| s.contains(t)) {
                        return;
                    }
                    // A token is a slice of `text` (or an empty group match).
                    let start = (t.as_ptr() as usize).wrapping_sub(base);
                    if start <= text.len() && !t.is_empty() {
                        spans.push((start, start + t.len()));
                    } else {
                        spans.push((0, 0));
                    }
                });
                let token = |i: usize| &text[spans[i].0..spans[i].1];
                for n in min_n..=max_n.min(spans.len()) {
                    if n == 1 {
                        (0..spans.len()).for_each(|i| f(token(i)));
                        continue;
                    }
                    let joined = &mut scratch.joined;
                    for i in 0..=spans.len() - n {
                        joined.clear();
                        for k in i..i + n {
                            if k > i {
                                joined.push(' ');
                            }
                            joined.push_str(token(k));
                        }
                        f(joined);
                    }
                }
            }
            AnalyzerKind::Char => {
                collapse_whitespace_runs(&text, &mut scratch.collapsed);
                let s = scratch.collapsed.as_str();
                let offsets = &mut scratch.offsets;
                offsets.clear();
                offsets.extend(s.char_indices().map(|(i, _)| i));
                let len = offsets.len();
                offsets.push(s.len());
                for n in min_n..=max_n.min(len) {
                    for i in 0..=len - n {
                        f(&s[offsets[i]..offsets[i + n]]);
                    }
                }
            }
            AnalyzerKind::CharWb => {
                let padded = &mut scratch.joined;
                let offsets = &mut scratch.offsets;
                for word in text.split(is_python_whitespace).filter(|w| !w.is_empty()) {
                    padded.clear();
                    padded.push(' ');
                    padded.push_str(word);
                    padded.push(' ');
                    offsets.clear();
                    offsets.extend(padded.char_indices().map(|(i, _)| i));
                    let len = offsets.len();
                    offsets.push(padded.len());
                    for n in min_n..=max_n {
                        let mut offset = 0;
                        f(&padded[..offsets[n.min(len)]]);
                        while offset + n < len {
                            offset += 1;
                            f(&padded[offsets[offset]..offsets[offset + n]]);
                        }
                        // The whole padded word was emitted: a larger n repeats it.
                        if offset == 0 {
                            break;
                        }
                    }
                }
            }
        }
    }
}

/// `re.sub(r"\s\s+", " ", text)`: runs of two or more whitespace characters
/// become one space; a single whitespace character stays as it is.
fn collapse_whitespace_runs(text: &str, out: &mut String) {
    out.clear();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_python_whitespace(c) && chars.peek().is_some_and(|&d| is_python_whitespace(d)) {
            while chars.peek().is_some_and(|&d| is_python_whitespace(d)) {
                chars.next();
            }
            out.push(' ');
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use journey_text::ngrams::{char_ngrams, char_wb_ngrams, word_ngrams};
    use proptest::prelude::*;

    fn analyzer(kind: AnalyzerKind, ngram_range: (usize, usize)) -> Analyzer {
        Analyzer::new(AnalyzerConfig {
            analyzer: kind,
            ngram_range,
            ..AnalyzerConfig::default()
        })
        .unwrap()
    }

    #[test]
    fn word_analyzer_lowercases_filters_and_joins() {
        let a = Analyzer::new(AnalyzerConfig {
            ngram_range: (1, 2),
            stop_words: StopWordList::English,
            ..AnalyzerConfig::default()
        })
        .unwrap();
        // scikit-learn: CountVectorizer(ngram_range=(1, 2), stop_words="english")
        // .build_analyzer()("The Quick brown fox of the Forest")
        assert_eq!(
            a.analyze("The Quick brown fox of the Forest"),
            vec![
                "quick",
                "brown",
                "fox",
                "forest",
                "quick brown",
                "brown fox",
                "fox forest"
            ]
        );
    }

    #[test]
    fn accents_are_stripped_as_sklearn_does() {
        let mut cfg = AnalyzerConfig {
            strip_accents: StripAccents::Unicode,
            ..AnalyzerConfig::default()
        };
        let a = Analyzer::new(cfg.clone()).unwrap();
        // NFKD folds the ligature and the superscript; ø has no decomposition.
        assert_eq!(a.preprocess("Naïve ﬁancé ø x²"), "naive fiance ø x2");
        cfg.strip_accents = StripAccents::Ascii;
        let a = Analyzer::new(cfg).unwrap();
        assert_eq!(a.preprocess("Naïve ﬁancé ø x²"), "naive fiance  x2");
    }

    #[test]
    fn bad_ngram_ranges_are_errors() {
        for range in [(2, 1), (0, 1)] {
            let e = Analyzer::new(AnalyzerConfig {
                ngram_range: range,
                ..AnalyzerConfig::default()
            })
            .unwrap_err();
            assert!(e.to_string().contains("ngram_range"), "{e}");
        }
    }

    proptest! {
        /// The allocation-free analyzers give exactly what journey-text's
        /// (scikit-learn-tested) n-gram extractors give.
        #[test]
        fn same_features_as_the_ngram_extractors(
            text in "[a-cé ²\t\n\u{301}\u{2003}-]{0,24}",
            min_n in 1usize..4,
            extra in 0usize..3,
        ) {
            let max_n = min_n + extra;
            let lower = text.to_lowercase();
            let tokens = TokenPattern::new(DEFAULT_TOKEN_PATTERN).unwrap();
            let toks = tokens.tokens(&lower);
            prop_assert_eq!(
                analyzer(AnalyzerKind::Word, (min_n, max_n)).analyze(&text),
                word_ngrams(&toks, min_n, max_n)
            );
            prop_assert_eq!(
                analyzer(AnalyzerKind::Char, (min_n, max_n)).analyze(&text),
                char_ngrams(&lower, min_n, max_n)
            );
            prop_assert_eq!(
                analyzer(AnalyzerKind::CharWb, (min_n, max_n)).analyze(&text),
                char_wb_ngrams(&lower, min_n, max_n)
            );
        }
    }
}
