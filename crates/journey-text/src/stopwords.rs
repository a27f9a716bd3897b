//! Stop words: the very frequent function words ("the", "of", "and") that
//! carry little topic information and are often dropped before counting.
//!
//! Built-in lists are NLTK's stop-word corpus (originally from the Snowball
//! project, M. Porter), shipped by the `stop-words` crate for two dozen
//! languages; any list can also be read from a file, one word per line
//! (`#` starts a comment), e.g. `shared/data/lexicons/stopwords_nltk_english.txt`.
//! scikit-learn's English list (318 words, `stop_words="english"` of its
//! vectorizers) is a different one: [`StopWords::sklearn_english`].
//!
//! Cost: a hash-set lookup per token.

use std::collections::HashSet;
use std::path::Path;

use crate::TextError;

/// A set of stop words, matched exactly (callers lower-case first if they want).
#[derive(Debug, Clone, Default)]
pub struct StopWords {
    words: HashSet<String>,
}

/// Accepts English language names as well as ISO 639-1 codes.
fn language_code(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let code = match lower.as_str() {
        "arabic" => "ar",
        "azerbaijani" => "az",
        "basque" => "eu",
        "bengali" => "bn",
        "catalan" => "ca",
        "chinese" => "zh",
        "danish" => "da",
        "dutch" => "nl",
        "english" => "en",
        "finnish" => "fi",
        "french" => "fr",
        "german" => "de",
        "greek" => "el",
        "hebrew" => "he",
        "hungarian" => "hu",
        "indonesian" => "id",
        "italian" => "it",
        "kazakh" => "kk",
        "nepali" => "ne",
        "norwegian" => "no",
        "portuguese" => "pt",
        "romanian" => "ro",
        "russian" => "ru",
        "slovene" => "sl",
        "spanish" => "es",
        "swedish" => "sv",
        "tajik" => "tg",
        "turkish" => "tr",
        other => other,
    };
    code.to_string()
}

impl StopWords {
    /// The built-in NLTK list for a language, by name ("english") or ISO code ("en").
    pub fn builtin(language: &str) -> Result<Self, TextError> {
        let code = language_code(language);
        let list = stop_words::lookup(&code).ok_or_else(|| {
            TextError::Invalid(format!(
                "no built-in stop-word list for '{language}'; available: {}",
                Self::languages().join(", ")
            ))
        })?;
        Ok(Self::from_words(list.iter().copied()))
    }

    /// scikit-learn's English list (`ENGLISH_STOP_WORDS`, 318 words), the one
    /// its vectorizers use for `stop_words="english"`.
    pub fn sklearn_english() -> Self {
        Self::from_words(crate::stopwords_sklearn::SKLEARN_ENGLISH)
    }

    /// The ISO codes of the built-in lists.
    pub fn languages() -> Vec<&'static str> {
        stop_words::available_languages().to_vec()
    }

    pub fn from_words<I, S>(words: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            words: words.into_iter().map(Into::into).collect(),
        }
    }

    /// Reads one word per line; blank lines and `#` comments are skipped.
    pub fn from_file(path: &Path) -> Result<Self, TextError> {
        let text = crate::error::read_utf8(path)?;
        Ok(Self::from_words(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#')),
        ))
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Adds the words of another list (e.g. a custom domain list).
    pub fn extend(&mut self, other: &StopWords) {
        self.words.extend(other.words.iter().cloned());
    }

    /// Keeps the tokens that are not stop words (compared lower-cased).
    pub fn filter<'a>(&self, tokens: &'a [String]) -> Vec<&'a str> {
        tokens
            .iter()
            .map(String::as_str)
            .filter(|t| !self.words.contains(&t.to_lowercase()))
            .collect()
    }

    /// The words in sorted order (for printing and files).
    pub fn sorted(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.words.iter().map(String::as_str).collect();
        v.sort_unstable();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lists_by_name_and_code() {
        let en = StopWords::builtin("english").unwrap();
        assert!(en.contains("the") && en.contains("wouldn't") && !en.contains("bible"));
        assert_eq!(en.len(), StopWords::builtin("en").unwrap().len());
        let de = StopWords::builtin("German").unwrap();
        assert!(de.contains("und"));
        let err = StopWords::builtin("klingon-ish").unwrap_err().to_string();
        assert!(err.contains("no built-in stop-word list"), "{err}");
    }

    #[test]
    fn filter_is_case_insensitive() {
        let sw = StopWords::from_words(["the", "of"]);
        let toks: Vec<String> = ["The", "book", "of", "Job"].map(String::from).to_vec();
        assert_eq!(sw.filter(&toks), vec!["book", "Job"]);
    }
}
