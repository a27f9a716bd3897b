//! Topic coherence: UMass, UCI, NPMI and C_v, computed exactly as gensim 4.x
//! `CoherenceModel` does, following the framework of Röder, Both & Hinneburg,
//! "Exploring the Space of Topic Coherence Measures" (WSDM 2015): a measure is
//! segmentation → probability estimation → confirmation → aggregation.
//!
//! | measure | segmentation | probabilities | confirmation |
//! |---------|--------------|---------------|--------------|
//! | u_mass  | one-pre: (w_i, w_j), j < i | boolean document | log((P(w_i,w_j)+ε) / P(w_j)) (Mimno et al. 2011) |
//! | c_uci   | one-one: all ordered pairs | boolean sliding window of 10 | log((P(w_i,w_j)+ε) / (P(w_i) P(w_j))) (Newman et al. 2010) |
//! | c_npmi  | one-one | sliding window of 10 | the above / −log(P(w_i,w_j)+ε) (Bouma 2009) |
//! | c_v     | one-set: (w_i, whole topic) | sliding window of 110 | cosine of NPMI context vectors |
//!
//! ε = 1e-12; each topic's value is the mean over its segments. Details kept
//! for parity with gensim:
//!
//! - topic words missing from the dictionary are dropped; if the first topic
//!   is longer than `topn` every topic is cut to `topn`;
//! - a text is turned into a sequence of the topic words it contains, any
//!   other token (in the dictionary or not) keeping its position as a "none"
//!   token; each text gives `len − window + 1` windows, or one window (the
//!   whole text) when it is not longer than the window; every window counts in
//!   the total, even one without topic words, and an empty text counts once;
//! - the set of words "in the window" is updated incrementally as gensim's
//!   `WordOccurrenceAccumulator._slide_window` does: when the window slides, the
//!   token that left is marked absent even if another copy of it is still
//!   inside the window. We reproduce that, so the counts are gensim's;
//! - u_mass counts documents (the texts' bags of words over the dictionary),
//!   and a pair whose conditioning word never occurs scores 0;
//! - in C_v the pair similarities are taken with the smaller dictionary id
//!   first, as gensim's `tuple(sorted(pair))`.
//!
//! Cost: the sliding window pass is O(tokens + changes · m²) where m is the
//! number of topic words in a window (counts are added once per run of
//! windows with the same set); memory O(V_t²) for V_t distinct topic words.
//! Measures are O(K · n²) for K topics of n words (O(K · n³) for C_v).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::dictionary::Dictionary;
use crate::error::MlError;

const EPSILON: f64 = 1e-12;

/// Which coherence measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    UMass,
    CUci,
    CNpmi,
    CV,
}

impl Measure {
    /// gensim's default sliding window (0 for the document-based u_mass).
    pub fn default_window(self) -> usize {
        match self {
            Measure::UMass => 0,
            Measure::CUci | Measure::CNpmi => 10,
            Measure::CV => 110,
        }
    }

    /// gensim's name for the measure.
    pub fn name(self) -> &'static str {
        match self {
            Measure::UMass => "u_mass",
            Measure::CUci => "c_uci",
            Measure::CNpmi => "c_npmi",
            Measure::CV => "c_v",
        }
    }
}

/// Settings of a coherence computation (gensim `CoherenceModel` arguments).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CoherenceConfig {
    pub measure: Measure,
    /// Sliding window; `None` for the measure's default.
    pub window_size: Option<usize>,
    /// Words per topic taken into account.
    pub topn: usize,
}

impl Default for CoherenceConfig {
    fn default() -> Self {
        Self {
            measure: Measure::CV,
            window_size: None,
            topn: 20,
        }
    }
}

/// Occurrence and co-occurrence counts of the topic words.
struct Counts {
    /// Dictionary id → row of the count tables.
    index: HashMap<u32, usize>,
    occ: Vec<u64>,
    co: Vec<u64>,
    n: usize,
    num_docs: f64,
}

impl Counts {
    fn new(ids: &[u32]) -> Self {
        let mut index = HashMap::new();
        for &id in ids {
            let next = index.len();
            index.entry(id).or_insert(next);
        }
        let n = index.len();
        Self {
            index,
            occ: vec![0; n],
            co: vec![0; n * n],
            n,
            num_docs: 0.0,
        }
    }

    fn add_set(&mut self, active: &[usize], times: u64) {
        for (a, &i) in active.iter().enumerate() {
            self.occ[i] += times;
            for &j in &active[a + 1..] {
                self.co[i * self.n + j] += times;
                self.co[j * self.n + i] += times;
            }
        }
    }

    fn occurrences(&self, id: u32) -> f64 {
        self.occ[self.index[&id]] as f64
    }

    fn co_occurrences(&self, a: u32, b: u32) -> f64 {
        let (i, j) = (self.index[&a], self.index[&b]);
        if i == j {
            self.occ[i] as f64
        } else {
            self.co[i * self.n + j] as f64
        }
    }

    /// Boolean document: each text is one document.
    fn boolean_document<S: AsRef<str>>(&mut self, texts: &[Vec<S>], dict: &Dictionary) {
        for text in texts {
            let mut active: Vec<usize> = dict
                .doc2bow(text)
                .iter()
                .filter_map(|(id, _)| self.index.get(id).copied())
                .collect();
            active.sort_unstable();
            self.add_set(&active, 1);
            self.num_docs += 1.0;
        }
    }

    /// Boolean sliding window, with gensim's incremental window set.
    fn sliding_window<S: AsRef<str>>(
        &mut self,
        texts: &[Vec<S>],
        dict: &Dictionary,
        window: usize,
    ) {
        let none = self.n;
        let mut present = vec![false; self.n + 1];
        let mut active: Vec<usize> = Vec::new();
        let mut ids: Vec<usize> = Vec::new();
        for text in texts {
            ids.clear();
            ids.extend(text.iter().map(|w| {
                dict.id(w.as_ref())
                    .and_then(|id| self.index.get(&id).copied())
                    .unwrap_or(none)
            }));
            if ids.is_empty() {
                self.num_docs += 1.0;
                continue;
            }
            let (win, count) = if ids.len() <= window {
                (ids.len(), 1)
            } else {
                (window, ids.len() - window + 1)
            };
            // First window of the text: the set of its distinct words.
            present.iter_mut().for_each(|p| *p = false);
            active.clear();
            for &t in &ids[..win] {
                if !present[t] {
                    present[t] = true;
                    if t != none {
                        active.push(t);
                    }
                }
            }
            let mut run: u64 = 1;
            let mut edge = ids[0];
            for start in 1..count {
                let last = ids[start + win - 1];
                let mut changed = false;
                if present[edge] {
                    present[edge] = false;
                    if edge != none {
                        changed = true;
                    }
                }
                if !present[last] {
                    present[last] = true;
                    if last != none {
                        changed = true;
                    }
                }
                if changed {
                    active.sort_unstable();
                    self.add_set(&active, run);
                    run = 0;
                    active.clear();
                    active.extend((0..self.n).filter(|&i| present[i]));
                }
                run += 1;
                edge = ids[start];
            }
            active.sort_unstable();
            self.add_set(&active, run);
            self.num_docs += count as f64;
        }
    }

    fn log_ratio(&self, w_prime: u32, w_star: u32) -> f64 {
        let n = self.num_docs;
        let numerator = self.co_occurrences(w_prime, w_star) / n + EPSILON;
        let denominator = (self.occurrences(w_prime) / n) * (self.occurrences(w_star) / n);
        (numerator / denominator).ln()
    }

    fn npmi(&self, w_prime: u32, w_star: u32) -> f64 {
        let co_prob = self.co_occurrences(w_prime, w_star) / self.num_docs;
        self.log_ratio(w_prime, w_star) / -(co_prob + EPSILON).ln()
    }

    fn log_conditional(&self, w_prime: u32, w_star: u32) -> f64 {
        let n = self.num_docs;
        let star = self.occurrences(w_star);
        if star == 0.0 {
            return 0.0;
        }
        ((self.co_occurrences(w_prime, w_star) / n + EPSILON) / (star / n)).ln()
    }
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Topics as dictionary ids, the way gensim's `CoherenceModel` reads them.
fn topic_ids<S: AsRef<str>>(
    topics: &[Vec<S>],
    dict: &Dictionary,
    topn: usize,
) -> Result<Vec<Vec<u32>>, MlError> {
    if topics.is_empty() {
        return Err(MlError::Empty("no topics to score".into()));
    }
    let mut out = Vec::with_capacity(topics.len());
    for (k, topic) in topics.iter().enumerate() {
        let ids: Vec<u32> = topic.iter().filter_map(|w| dict.id(w.as_ref())).collect();
        if ids.is_empty() {
            return Err(MlError::Invalid(format!(
                "topic {k}: none of its {} words is in the dictionary",
                topic.len()
            )));
        }
        out.push(ids);
    }
    if out[0].len() > topn {
        for t in &mut out {
            t.truncate(topn);
        }
    }
    Ok(out)
}

/// Coherence of each topic (lists of words, best first) on `texts`
/// (tokenised documents) with `dict`, as gensim's
/// `CoherenceModel(topics, texts, dictionary, coherence).get_coherence_per_topic()`.
pub fn coherence_per_topic<S: AsRef<str>, T: AsRef<str>>(
    topics: &[Vec<S>],
    texts: &[Vec<T>],
    dict: &Dictionary,
    config: &CoherenceConfig,
) -> Result<Vec<f64>, MlError> {
    if config.topn == 0 {
        return Err(MlError::Config("coherence topn must be at least 1".into()));
    }
    if texts.is_empty() {
        return Err(MlError::Empty("no texts to estimate coherence on".into()));
    }
    let topics = topic_ids(topics, dict, config.topn)?;
    let all: Vec<u32> = topics.iter().flatten().copied().collect();
    let mut counts = Counts::new(&all);
    let window = config
        .window_size
        .unwrap_or_else(|| config.measure.default_window());
    match config.measure {
        Measure::UMass => counts.boolean_document(texts, dict),
        _ => {
            if window == 0 {
                return Err(MlError::Config(
                    "coherence window size must be at least 1".into(),
                ));
            }
            counts.sliding_window(texts, dict, window)
        }
    }
    let scores = topics
        .iter()
        .map(|t| match config.measure {
            Measure::UMass => {
                let mut s = Vec::new();
                for i in 1..t.len() {
                    for j in 0..i {
                        s.push(counts.log_conditional(t[i], t[j]));
                    }
                }
                mean(&s)
            }
            Measure::CUci | Measure::CNpmi => {
                let mut s = Vec::new();
                for (i, &a) in t.iter().enumerate() {
                    for (j, &b) in t.iter().enumerate() {
                        if i != j {
                            s.push(if config.measure == Measure::CUci {
                                counts.log_ratio(a, b)
                            } else {
                                counts.npmi(a, b)
                            });
                        }
                    }
                }
                mean(&s)
            }
            Measure::CV => c_v(&counts, t),
        })
        .collect();
    Ok(scores)
}

/// Mean over topics of `coherence_per_topic` (gensim's `get_coherence`).
pub fn coherence<S: AsRef<str>, T: AsRef<str>>(
    topics: &[Vec<S>],
    texts: &[Vec<T>],
    dict: &Dictionary,
    config: &CoherenceConfig,
) -> Result<f64, MlError> {
    Ok(mean(&coherence_per_topic(topics, texts, dict, config)?))
}

/// C_v of one topic: the cosine between each word's NPMI context vector and
/// the topic's (the sum of its words' vectors), averaged.
fn c_v(counts: &Counts, t: &[u32]) -> f64 {
    let n = t.len();
    let sim = |a: u32, b: u32| {
        if a <= b {
            counts.npmi(a, b)
        } else {
            counts.npmi(b, a)
        }
    };
    let pair: Vec<f64> = (0..n * n).map(|x| sim(t[x / n], t[x % n])).collect();
    let topic_vector: Vec<f64> = (0..n)
        .map(|j| {
            let mut s = 0.0;
            for i in 0..n {
                s += pair[i * n + j];
            }
            s
        })
        .collect();
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let topic_norm = norm(&topic_vector);
    let sims: Vec<f64> = (0..n)
        .map(|i| {
            let v = &pair[i * n..(i + 1) * n];
            let dot: f64 = v.iter().zip(&topic_vector).map(|(a, b)| a * b).sum();
            dot / (norm(v) * topic_norm)
        })
        .collect();
    mean(&sims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn sliding_window_counts_follow_gensim_incremental_set() {
        // Window 3 over "a b a c": windows [a b a], [b a c]; gensim marks `a`
        // absent after the first slide (the edge token), so the second
        // window counts {b, c} only.
        let texts = vec![toks("a b a c")];
        let dict = Dictionary::from_documents(&texts);
        let mut c = Counts::new(&[0, 1, 2]);
        c.sliding_window(&texts, &dict, 3);
        assert_eq!(c.num_docs, 2.0);
        assert_eq!(c.occ, vec![1, 2, 1]);
        assert_eq!(c.co_occurrences(0, 1), 1.0);
        assert_eq!(c.co_occurrences(1, 2), 1.0);
        assert_eq!(c.co_occurrences(0, 2), 0.0);
    }

    #[test]
    fn errors_are_clear() {
        let texts = vec![toks("a b")];
        let dict = Dictionary::from_documents(&texts);
        let cfg = CoherenceConfig::default();
        let err = coherence_per_topic(&[toks("x y")], &texts, &dict, &cfg).unwrap_err();
        assert!(err.to_string().contains("topic 0"), "{err}");
        let none: Vec<Vec<String>> = vec![];
        assert!(coherence_per_topic(&none, &texts, &dict, &cfg).is_err());
    }
}
