//! Hand-made token features for sequence taggers, in the tradition of
//! Ratinov & Roth (2009) and the CRFsuite/sklearn-crfsuite CoNLL examples:
//! the word and its lower-case form, word shape (`Xxxxx`, `dd-dd`) and short
//! shape (runs collapsed: `Xx`, `d-d`), prefixes and suffixes of 1–4
//! characters, capitalisation, digit, hyphen and punctuation flags, the
//! lower-cased words and short shapes of the neighbours within ±`window`,
//! word bigrams around the token, sentence boundaries, optional extra CoNLL
//! columns (POS, chunk) and optional gazetteer hits (`gaz:B-LOC`).
//!
//! Each attribute is a string, hashed (FxHash, 64 bits) without being built
//! as a `String`; an [`AttributeIndex`] learnt on the training data maps the
//! hashes to dense ids (attributes unseen in training are dropped).
//!
//! Cost: O(window + affix length) attributes per token, each hashed in
//! O(length); memory O(distinct attributes) for the index.

use std::hash::Hasher;

use rustc_hash::{FxHashMap, FxHasher};
use serde::{Deserialize, Serialize};

use crate::gazetteer::Gazetteer;

/// Which features to extract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FeatureConfig {
    /// Neighbouring words on each side (0–3).
    pub window: usize,
    /// Longest prefix and suffix, in characters.
    pub affix: usize,
    /// Use the columns between word and tag (CoNLL-2003's POS and chunk tags).
    pub use_columns: bool,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            window: 2,
            affix: 4,
            use_columns: false,
        }
    }
}

/// `Xxxx-dd`: upper → X, lower → x, digit → d, anything else kept.
pub fn word_shape(w: &str) -> String {
    w.chars()
        .map(|c| {
            if c.is_uppercase() {
                'X'
            } else if c.is_lowercase() {
                'x'
            } else if c.is_numeric() {
                'd'
            } else {
                c
            }
        })
        .collect()
}

/// The shape with runs of one class collapsed: `Xx-d`.
pub fn short_shape(w: &str) -> String {
    let mut out = String::new();
    for c in word_shape(w).chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Feature extraction: config plus an optional gazetteer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FeatureExtractor {
    pub config: FeatureConfig,
    pub gazetteer: Option<Gazetteer>,
}

struct Emit<'a> {
    out: &'a mut Vec<u64>,
}

impl Emit<'_> {
    fn push(&mut self, kind: u8, offset: i8, parts: &[&str]) {
        let mut h = FxHasher::default();
        h.write_u8(kind);
        h.write_i8(offset);
        for p in parts {
            h.write(p.as_bytes());
            h.write_u8(0xff);
        }
        self.out.push(h.finish());
    }
    fn flag(&mut self, kind: u8, offset: i8, on: bool) {
        if on {
            self.push(kind, offset, &[]);
        }
    }
}

impl FeatureExtractor {
    pub fn new(config: FeatureConfig, gazetteer: Option<Gazetteer>) -> Self {
        FeatureExtractor { config, gazetteer }
    }

    /// Attribute hashes of every token of one sentence. `extra[t]` are the
    /// extra columns of token t (ignored unless `use_columns`).
    pub fn extract<S: AsRef<str>>(&self, words: &[S], extra: &[Vec<String>]) -> Vec<Vec<u64>> {
        let n = words.len();
        let words: Vec<&str> = words.iter().map(|w| w.as_ref()).collect();
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let shapes: Vec<String> = words.iter().map(|w| short_shape(w)).collect();
        let mut gaz = vec![String::new(); n];
        if let Some(g) = &self.gazetteer {
            for s in g.find(&words) {
                for (i, slot) in gaz.iter_mut().enumerate().take(s.end).skip(s.start) {
                    let p = if i == s.start { "B" } else { "I" };
                    *slot = format!("{p}-{}", s.kind);
                }
            }
        }
        let win = self.config.window.min(3) as isize;
        let mut all = Vec::with_capacity(n);
        for t in 0..n {
            let mut out = Vec::with_capacity(48);
            let mut e = Emit { out: &mut out };
            let w = words[t];
            e.push(0, 0, &[]); // bias
            e.push(1, 0, &[w]);
            e.push(2, 0, &[&lower[t]]);
            e.push(3, 0, &[&word_shape(w)]);
            e.push(4, 0, &[&shapes[t]]);
            let chars: Vec<(usize, char)> = w.char_indices().collect();
            for k in 1..=self.config.affix.min(chars.len()) {
                let cut = chars.get(k).map_or(w.len(), |c| c.0);
                e.push(5, k as i8, &[&w[..cut]]);
                let from = chars[chars.len() - k].0;
                e.push(6, k as i8, &[&w[from..]]);
            }
            let first_upper = w.chars().next().is_some_and(char::is_uppercase);
            let letters = w.chars().any(char::is_alphabetic);
            let is_title = first_upper && w.chars().skip(1).all(|c| !c.is_uppercase());
            e.flag(7, 0, is_title);
            e.flag(8, 0, letters && w.chars().all(|c| !c.is_lowercase()));
            e.flag(9, 0, letters && w.chars().all(|c| !c.is_uppercase()));
            e.flag(10, 0, w.chars().all(|c| c.is_ascii_digit()));
            e.flag(11, 0, w.chars().any(|c| c.is_ascii_digit()));
            e.flag(12, 0, w.contains('-'));
            e.flag(13, 0, w.chars().all(|c| !c.is_alphanumeric()));
            e.flag(14, 0, first_upper && t == 0);
            e.flag(15, 0, first_upper && t > 0);
            e.flag(16, 0, w.chars().skip(1).any(char::is_uppercase));
            e.push(17, 0, &[&w.chars().count().min(8).to_string()]);
            e.flag(18, 0, t == 0);
            e.flag(19, 0, t + 1 == n);
            for d in -win..=win {
                if d == 0 {
                    continue;
                }
                let j = t as isize + d;
                if j < 0 || j >= n as isize {
                    e.push(20, d as i8, &["<pad>"]);
                    continue;
                }
                let j = j as usize;
                e.push(21, d as i8, &[&lower[j]]);
                e.push(22, d as i8, &[&shapes[j]]);
                if d.abs() == 1 {
                    let wj = words[j];
                    let title = wj.chars().next().is_some_and(char::is_uppercase);
                    e.flag(23, d as i8, title);
                    let s3 = wj.char_indices().rev().nth(2).map_or(wj, |(i, _)| &wj[i..]);
                    e.push(24, d as i8, &[&s3.to_lowercase()]);
                }
            }
            if t > 0 {
                e.push(25, -1, &[&lower[t - 1], &lower[t]]);
                e.push(26, -1, &[&shapes[t - 1], &shapes[t]]);
            }
            if t + 1 < n {
                e.push(25, 1, &[&lower[t], &lower[t + 1]]);
                e.push(26, 1, &[&shapes[t], &shapes[t + 1]]);
            }
            if self.config.use_columns {
                for d in -1isize..=1 {
                    let j = t as isize + d;
                    if j < 0 || j >= n as isize {
                        continue;
                    }
                    if let Some(cols) = extra.get(j as usize) {
                        for (c, v) in cols.iter().enumerate() {
                            e.push(30 + c as u8, d as i8, &[v]);
                        }
                    }
                }
            }
            if !gaz[t].is_empty() {
                e.push(27, 0, &[&gaz[t]]);
                let kind = gaz[t].split_once('-').map_or("", |p| p.1);
                e.push(28, 0, &[kind]);
            }
            all.push(out);
        }
        all
    }
}

/// Dense ids for attribute hashes seen (at least `min_count` times) in training.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AttributeIndex {
    /// Hash of attribute id i.
    pub hashes: Vec<u64>,
    #[serde(skip)]
    ids: FxHashMap<u64, u32>,
}

impl AttributeIndex {
    /// Ids in order of first appearance among attributes seen `min_count` times.
    pub fn fit<'a>(sentences: impl Iterator<Item = &'a Vec<Vec<u64>>>, min_count: usize) -> Self {
        let mut counts: FxHashMap<u64, usize> = FxHashMap::default();
        let mut order = Vec::new();
        for s in sentences {
            for tok in s {
                for &h in tok {
                    let c = counts.entry(h).or_insert(0);
                    if *c == 0 {
                        order.push(h);
                    }
                    *c += 1;
                }
            }
        }
        let hashes: Vec<u64> = order
            .into_iter()
            .filter(|h| counts[h] >= min_count.max(1))
            .collect();
        let mut idx = AttributeIndex {
            hashes,
            ids: FxHashMap::default(),
        };
        idx.rebuild();
        idx
    }

    /// Rebuilds the hash → id map (after deserialising).
    pub fn rebuild(&mut self) {
        self.ids = self
            .hashes
            .iter()
            .enumerate()
            .map(|(i, &h)| (h, i as u32))
            .collect();
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Known attribute ids of each token.
    pub fn encode(&self, sentence: &[Vec<u64>]) -> Vec<Vec<u32>> {
        sentence
            .iter()
            .map(|tok| {
                tok.iter()
                    .filter_map(|h| self.ids.get(h).copied())
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_features() {
        assert_eq!(word_shape("Jean-Luc99"), "Xxxx-Xxxdd");
        assert_eq!(short_shape("Jean-Luc99"), "Xx-Xxd");
        let fx = FeatureExtractor::default();
        let f = fx.extract(&["EU", "rejects", "German", "call"], &[]);
        assert_eq!(f.len(), 4);
        // Same word, same context → same attributes; different word → differ.
        let g = fx.extract(&["EU", "rejects", "German", "call"], &[]);
        assert_eq!(f, g);
        assert_ne!(f[0], f[1]);
        let idx = AttributeIndex::fit(std::iter::once(&f), 1);
        let enc = idx.encode(&f);
        assert_eq!(enc[0].len(), f[0].len());
        let unseen = fx.extract(&["Zzyzx"], &[]);
        assert!(idx.encode(&unseen)[0].len() < unseen[0].len());
    }
}
