//! Phrase detection (Mikolov et al. 2013, "Distributed representations of
//! words and phrases and their compositionality", §4; `word2phrase.c`), as
//! gensim 4's `Phrases` does it, so that "new york" can be trained as one
//! token `new_york`.
//!
//! * Counting: every token that is not a connector word, and every pair of
//!   such tokens with only connector words between them ("bank_of_america"
//!   with connectors {of}), joined by the delimiter; one table keyed by the
//!   joined string, as gensim's (so its size counts unigrams and phrases).
//! * Score of a candidate a … b seen together n times (Mikolov's eq. 6
//!   scaled by the table size |V|): `(n − min_count) · |V| / (count(a) ·
//!   count(b))`; a phrase when the score exceeds `threshold`.
//! * Applying: left to right, greedily: when the running token and the next
//!   non-connector token score as a phrase they are joined (with the
//!   connectors between) and the scan restarts after them.
//!
//! Cost: O(tokens) time to count and to apply; memory one entry per distinct
//! token and adjacent pair.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::EmbedError;

/// Settings; `Default` is gensim 4's `Phrases()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PhrasesConfig {
    pub min_count: u64,
    pub threshold: f64,
    pub delimiter: String,
    /// Words that may sit inside a phrase but never start or end one.
    pub connector_words: Vec<String>,
}

impl Default for PhrasesConfig {
    fn default() -> Self {
        PhrasesConfig {
            min_count: 5,
            threshold: 10.0,
            delimiter: "_".into(),
            connector_words: Vec::new(),
        }
    }
}

/// gensim's `ENGLISH_CONNECTOR_WORDS`: articles, a few prepositions and
/// conjunctions.
pub const ENGLISH_CONNECTOR_WORDS: [&str; 15] = [
    "a", "an", "the", "for", "of", "with", "without", "at", "from", "to", "in", "on", "by", "and",
    "or",
];

/// Counted unigrams and phrases.
#[derive(Debug, Clone)]
pub struct Phrases {
    pub config: PhrasesConfig,
    counts: FxHashMap<String, u64>,
    connectors: rustc_hash::FxHashSet<String>,
    /// Tokens seen (connector words included).
    pub corpus_words: u64,
}

impl Phrases {
    /// Counts the sentences (each a list of tokens).
    pub fn learn<'a, S, I>(sentences: S, config: PhrasesConfig) -> Result<Phrases, EmbedError>
    where
        S: IntoIterator<Item = I>,
        I: IntoIterator<Item = &'a str>,
    {
        if config.delimiter.is_empty() {
            return Err(EmbedError::Config("the phrase delimiter is empty".into()));
        }
        if config.threshold.is_nan() {
            return Err(EmbedError::Config("the phrase threshold is NaN".into()));
        }
        let connectors = config.connector_words.iter().cloned().collect();
        let mut p = Phrases {
            config,
            counts: FxHashMap::default(),
            connectors,
            corpus_words: 0,
        };
        for sentence in sentences {
            let mut start: Option<&str> = None;
            let mut between: Vec<&str> = Vec::new();
            for word in sentence {
                if !p.connectors.contains(word) {
                    *p.counts.entry(word.to_string()).or_insert(0) += 1;
                    if let Some(a) = start {
                        let joined = p.join(a, &between, word);
                        *p.counts.entry(joined).or_insert(0) += 1;
                    }
                    start = Some(word);
                    between.clear();
                } else if start.is_some() {
                    between.push(word);
                }
                p.corpus_words += 1;
            }
        }
        if p.corpus_words == 0 {
            return Err(EmbedError::Empty("no tokens to learn phrases from".into()));
        }
        Ok(p)
    }

    fn join(&self, a: &str, between: &[&str], b: &str) -> String {
        let d = &self.config.delimiter;
        let mut s = String::from(a);
        for w in between.iter().chain([&b]) {
            s.push_str(d);
            s.push_str(w);
        }
        s
    }

    /// Entries of the table (unigrams and phrases).
    pub fn vocab_len(&self) -> usize {
        self.counts.len()
    }

    /// The joined phrase and its score when a … b is a phrase.
    pub fn score(&self, a: &str, between: &[&str], b: &str) -> Option<(String, f64)> {
        let ca = *self.counts.get(a).filter(|&&c| c > 0)?;
        let cb = *self.counts.get(b).filter(|&&c| c > 0)?;
        let phrase = self.join(a, between, b);
        let n = *self.counts.get(&phrase).filter(|&&c| c > 0)?;
        let score = (n as f64 - self.config.min_count as f64) / (ca as f64 * cb as f64)
            * self.counts.len() as f64;
        (score > self.config.threshold).then_some((phrase, score))
    }

    /// The sentence with its phrases joined.
    pub fn apply<'a>(&self, sentence: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut out = Vec::new();
        let mut start: Option<&str> = None;
        let mut between: Vec<&str> = Vec::new();
        for word in sentence {
            if !self.connectors.contains(word) {
                match start {
                    Some(a) => match self.score(a, &between, word) {
                        Some((phrase, _)) => {
                            out.push(phrase);
                            start = None;
                            between.clear();
                        }
                        None => {
                            out.push(a.to_string());
                            out.extend(between.drain(..).map(str::to_string));
                            start = Some(word);
                        }
                    },
                    None => {
                        start = Some(word);
                        between.clear();
                    }
                }
            } else if start.is_some() {
                between.push(word);
            } else {
                out.push(word.to_string());
            }
        }
        if let Some(a) = start {
            out.push(a.to_string());
            out.extend(between.drain(..).map(str::to_string));
        }
        out
    }

    /// Every phrase of the table that scores above the threshold, with its
    /// score, sorted by phrase.
    pub fn export(&self) -> Vec<(String, f64)> {
        let d = self.config.delimiter.as_str();
        let mut out: Vec<(String, f64)> = self
            .counts
            .keys()
            .filter_map(|token| {
                let parts: Vec<&str> = token.split(d).collect();
                if parts.len() < 2 {
                    return None;
                }
                self.score(parts[0], &parts[1..parts.len() - 1], parts[parts.len() - 1])
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out.dedup_by(|a, b| a.0 == b.0);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences() -> Vec<Vec<&'static str>> {
        let mut s = Vec::new();
        for i in 0..20 {
            s.push(vec!["i", "live", "in", "new", "york"]);
            if i % 2 == 0 {
                s.push(vec!["bank", "of", "america", "is", "big"]);
            }
        }
        s
    }

    /// Expected outputs from gensim 4.4.0: `Phrases(s, threshold=0.5,
    /// connector_words=ENGLISH_CONNECTOR_WORDS)` on the same sentences.
    #[test]
    fn joins_frequent_pairs_and_connector_phrases() {
        let p = Phrases::learn(
            sentences(),
            PhrasesConfig {
                threshold: 0.5,
                connector_words: ENGLISH_CONNECTOR_WORDS.map(String::from).to_vec(),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            p.apply(["i", "live", "in", "new", "york"]),
            ["i_live", "in", "new_york"]
        );
        assert_eq!(p.vocab_len(), 14);
        assert_eq!(p.apply(["bank", "of", "america"]), ["bank_of_america"]);
        assert_eq!(p.apply(["the", "of"]), ["the", "of"]);
        let phrases: Vec<String> = p.export().into_iter().map(|x| x.0).collect();
        assert!(phrases.contains(&"new_york".to_string()), "{phrases:?}");
        assert!(Phrases::learn(Vec::<Vec<&str>>::new(), PhrasesConfig::default()).is_err());
    }
}
