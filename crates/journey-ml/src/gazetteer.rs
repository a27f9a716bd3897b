//! Gazetteers: lists of known entity phrases (`TYPE<TAB>phrase` per line, the
//! phrase split on whitespace into tokens), matched over token sequences
//! longest-match-first, left to right, without overlaps. Used as a rule-based
//! tagger in [`crate::ner_rules`] and as features in [`crate::ner_features`].
//!
//! Cost: building O(total phrase length); matching O(n · L) hash look-ups for
//! n tokens and a longest phrase of L tokens; memory O(total phrase length).

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::tag_scheme::Span;
use crate::MlError;

/// Entity phrases by token sequence.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Gazetteer {
    /// Compare lower-cased tokens.
    pub lowercase: bool,
    /// `(type, phrase)` in file order; the first type listed for a phrase wins.
    pub entries: Vec<(String, String)>,
    #[serde(skip)]
    index: HashMap<Vec<String>, usize>,
    #[serde(skip)]
    longest: usize,
}

impl Gazetteer {
    pub fn new(entries: Vec<(String, String)>, lowercase: bool) -> Self {
        let mut g = Gazetteer {
            lowercase,
            entries,
            ..Default::default()
        };
        g.rebuild();
        g
    }

    /// Rebuilds the look-up table (after deserialising).
    pub fn rebuild(&mut self) {
        self.index.clear();
        self.longest = 0;
        for (i, (_, phrase)) in self.entries.iter().enumerate() {
            let key: Vec<String> = phrase.split_whitespace().map(|t| self.norm(t)).collect();
            if key.is_empty() {
                continue;
            }
            self.longest = self.longest.max(key.len());
            self.index.entry(key).or_insert(i);
        }
    }

    fn norm(&self, t: &str) -> String {
        if self.lowercase {
            t.to_lowercase()
        } else {
            t.to_string()
        }
    }

    /// Reads `TYPE<TAB>phrase` lines; blank lines and `#` comments are skipped.
    pub fn read(path: &Path, lowercase: bool) -> Result<Self, MlError> {
        let text = std::fs::read_to_string(path).map_err(|e| MlError::io(path, e))?;
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            match line.split_once('\t') {
                Some((kind, phrase)) if !kind.trim().is_empty() && !phrase.trim().is_empty() => {
                    entries.push((kind.trim().to_string(), phrase.trim().to_string()))
                }
                _ => {
                    return Err(MlError::parse(
                        path,
                        i + 1,
                        "expected TYPE<TAB>phrase (a tab between the type and the phrase)",
                    ))
                }
            }
        }
        Ok(Gazetteer::new(entries, lowercase))
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Longest-first, non-overlapping matches over `tokens`, left to right.
    pub fn find<S: AsRef<str>>(&self, tokens: &[S]) -> Vec<Span> {
        let norm: Vec<String> = tokens.iter().map(|t| self.norm(t.as_ref())).collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < norm.len() {
            let mut hit = None;
            for len in (1..=self.longest.min(norm.len() - i)).rev() {
                if let Some(&e) = self.index.get(&norm[i..i + len]) {
                    hit = Some((len, e));
                    break;
                }
            }
            match hit {
                Some((len, e)) => {
                    out.push(Span {
                        kind: self.entries[e].0.clone(),
                        start: i,
                        end: i + len,
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_match_first() {
        let g = Gazetteer::new(
            vec![
                ("LOC".into(), "New York".into()),
                ("ORG".into(), "New York Times".into()),
                ("LOC".into(), "York".into()),
            ],
            true,
        );
        let s = g.find(&["the", "new", "york", "times", "in", "York"]);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].kind.as_str(), s[0].start, s[0].end), ("ORG", 1, 4));
        assert_eq!((s[1].kind.as_str(), s[1].start, s[1].end), ("LOC", 5, 6));
    }
}
