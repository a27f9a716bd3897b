//! A token vocabulary for neural text models: ids for the words of a
//! training set, with two reserved ids — 0 pads a batch to its longest
//! sequence and 1 stands for every word the model has not seen.
//!
//! Words are ordered by falling count, ties by first appearance, so the same
//! corpus always gives the same ids. Building costs O(tokens) time and
//! O(types) memory.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::{NnError, Result};

/// The id that pads sequences.
pub const PAD: u32 = 0;
/// The id of out-of-vocabulary words.
pub const UNK: u32 = 1;

/// How the vocabulary is cut.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VocabConfig {
    /// Words seen fewer times than this map to [`UNK`].
    pub min_count: usize,
    /// At most this many words (besides the two reserved ids); 0 = no cap.
    pub max_size: usize,
}

impl Default for VocabConfig {
    fn default() -> Self {
        Self {
            min_count: 1,
            max_size: 0,
        }
    }
}

/// Save it as its token list ([`Vocab::tokens`]) and rebuild it with
/// [`Vocab::from_tokens`].
#[derive(Debug, Clone)]
pub struct Vocab {
    /// Token of each id; ids 0 and 1 are `<pad>` and `<unk>`.
    tokens: Vec<String>,
    index: HashMap<String, u32>,
}

impl Vocab {
    /// Counts the tokens of `docs` and keeps those that pass `config`.
    pub fn build<'a, D, T>(docs: D, config: &VocabConfig) -> Result<Self>
    where
        D: IntoIterator<Item = T>,
        T: IntoIterator<Item = &'a str>,
    {
        let mut counts: HashMap<&'a str, (usize, usize)> = HashMap::new();
        for doc in docs {
            for tok in doc {
                let next = counts.len();
                counts.entry(tok).or_insert((0, next)).0 += 1;
            }
        }
        if counts.is_empty() {
            return Err(NnError::Empty(
                "no tokens to build a vocabulary from".into(),
            ));
        }
        let mut kept: Vec<(&str, usize, usize)> = counts
            .into_iter()
            .filter(|(_, (c, _))| *c >= config.min_count.max(1))
            .map(|(w, (c, first))| (w, c, first))
            .collect();
        kept.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        if config.max_size > 0 {
            kept.truncate(config.max_size);
        }
        let tokens = ["<pad>", "<unk>"]
            .into_iter()
            .chain(kept.iter().map(|(w, _, _)| *w))
            .map(str::to_string)
            .collect();
        Ok(Self::from_tokens(tokens))
    }

    /// Rebuilds a vocabulary from its token list (id order), as saved.
    pub fn from_tokens(tokens: Vec<String>) -> Self {
        let index = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        Self { tokens, index }
    }

    /// The id of `token`, or [`UNK`].
    pub fn id(&self, token: &str) -> u32 {
        self.index.get(token).copied().unwrap_or(UNK)
    }

    pub fn encode<'a>(&self, tokens: impl IntoIterator<Item = &'a str>) -> Vec<u32> {
        tokens.into_iter().map(|t| self.id(t)).collect()
    }

    /// Number of ids, the two reserved ones included.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Never true for a built vocabulary (it holds the reserved ids).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    pub fn token(&self, id: u32) -> Option<&str> {
        self.tokens.get(id as usize).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_by_count_then_first_seen() {
        let docs = [vec!["b", "a", "c"], vec!["a", "c", "d", "c"]];
        let v = Vocab::build(
            docs.iter().map(|d| d.iter().copied()),
            &VocabConfig::default(),
        )
        .unwrap();
        assert_eq!(v.tokens(), ["<pad>", "<unk>", "c", "a", "b", "d"]);
        assert_eq!(v.encode(["a", "zzz", "d"]), vec![3, UNK, 5]);
        let cut = Vocab::build(
            docs.iter().map(|d| d.iter().copied()),
            &VocabConfig {
                min_count: 2,
                max_size: 1,
            },
        )
        .unwrap();
        assert_eq!(cut.tokens(), ["<pad>", "<unk>", "c"]);
        let back = Vocab::from_tokens(v.tokens().to_vec());
        assert_eq!(back.id("d"), 5);
    }

    #[test]
    fn empty_corpus_is_an_error() {
        let docs: [Vec<&str>; 1] = [vec![]];
        let err = Vocab::build(
            docs.iter().map(|d| d.iter().copied()),
            &VocabConfig::default(),
        );
        assert!(matches!(err, Err(NnError::Empty(_))));
    }
}
