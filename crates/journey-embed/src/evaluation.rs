//! # Intrinsic evaluation: analogy accuracy and word-pair similarity
//!
//! With gensim 4.4's semantics (`KeyedVectors.evaluate_word_analogies` and
//! `evaluate_word_pairs`), so the figures can be compared number for number:
//!
//! * Analogies (Mikolov et al. 2013, `questions-words.txt`, 19,544 questions
//!   in 14 sections): only the first `restrict_vocab` words take part; words
//!   are compared upper-cased (a cased form maps to its most frequent
//!   variant); a question with any word outside that vocabulary is skipped
//!   and counted as OOV; the answer is the best 3CosAdd word among the
//!   restricted vocabulary, the three question words excluded. Accuracy per
//!   section and in total, over the questions not skipped.
//! * Word pairs (WordSim-353, Finkelstein et al. 2002; SimLex-999, Hill et
//!   al. 2015): tab-separated `w1 w2 score`, `#` lines skipped; pairs with an
//!   OOV word are dropped and their share reported; the model's cosine is
//!   compared with the human scores by Spearman's ρ (average ranks for ties)
//!   and Pearson's r.
//!
//! Cost: analogies O(q·n·d) for q questions over n words (parallel over
//! words); word pairs O(p·d + p log p).

use crate::similarity::{top_k, CosineIndex};
use crate::{EmbedError, Embeddings};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Analogy counts of one section (or of the total).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SectionScore {
    pub section: String,
    pub correct: usize,
    pub incorrect: usize,
}

impl SectionScore {
    /// correct / (correct + incorrect), 0 when empty.
    pub fn accuracy(&self) -> f64 {
        let n = self.correct + self.incorrect;
        if n == 0 {
            0.0
        } else {
            self.correct as f64 / n as f64
        }
    }
}

/// Result of the analogy evaluation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AnalogyReport {
    pub sections: Vec<SectionScore>,
    pub total: SectionScore,
    pub questions: usize,
    pub oov: usize,
    pub oov_ratio_percent: f64,
    pub restrict_vocab: usize,
}

/// Result of a word-pair evaluation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PairReport {
    pub pairs: usize,
    pub oov: usize,
    pub oov_ratio_percent: f64,
    pub spearman: f64,
    pub pearson: f64,
}

fn upper_vocab(emb: &Embeddings, restrict: usize) -> FxHashMap<String, usize> {
    let n = restrict.min(emb.len());
    let mut map = FxHashMap::default();
    for i in (0..n).rev() {
        map.insert(emb.words()[i].to_uppercase(), i);
    }
    map
}

/// Google analogy evaluation with gensim's rules (see the module doc).
pub fn evaluate_analogies(
    emb: &Embeddings,
    path: &Path,
    restrict_vocab: usize,
) -> Result<AnalogyReport, EmbedError> {
    let text = std::fs::read_to_string(path).map_err(|e| EmbedError::io(path, e))?;
    let vocab = upper_vocab(emb, restrict_vocab);
    let limit = restrict_vocab.min(emb.len());
    // (section index, [a, b, c, expected] upper-cased) of the usable questions.
    let mut sections: Vec<SectionScore> = Vec::new();
    let mut questions: Vec<(usize, [String; 4])> = Vec::new();
    let mut total_q = 0usize;
    let mut oov = 0usize;
    for (no, line) in text.lines().enumerate() {
        if let Some(name) = line.strip_prefix(": ") {
            sections.push(SectionScore {
                section: name.trim().to_string(),
                correct: 0,
                incorrect: 0,
            });
            continue;
        }
        let words: Vec<String> = line.split_whitespace().map(str::to_uppercase).collect();
        if sections.is_empty() {
            return Err(EmbedError::parse(
                path,
                no + 1,
                "question before the first ': section' line",
            ));
        }
        let Ok(q) = <[String; 4]>::try_from(words) else {
            continue; // gensim skips lines that are not four words
        };
        total_q += 1;
        if q.iter().any(|w| !vocab.contains_key(w)) {
            oov += 1;
            continue;
        }
        questions.push((sections.len() - 1, q));
    }
    if sections.is_empty() {
        return Err(EmbedError::Empty(format!(
            "{} has no sections",
            path.display()
        )));
    }
    let index = CosineIndex::new(emb);
    let verdicts: Vec<bool> = questions
        .par_iter()
        .map(|(_, q)| {
            let (a, b, c) = (vocab[&q[0]], vocab[&q[1]], vocab[&q[2]]);
            let scores = index.cos_add_scores_serial(a, b, c, limit);
            let best = top_k(&scores, 5, &[a, b, c]);
            let mut predicted = String::new();
            for (j, _) in best {
                predicted = emb.words()[j].to_uppercase();
                if vocab.contains_key(&predicted) && !q[..3].contains(&predicted) {
                    break;
                }
            }
            predicted == q[3]
        })
        .collect();
    for ((s, _), ok) in questions.iter().zip(verdicts) {
        if ok {
            sections[*s].correct += 1;
        } else {
            sections[*s].incorrect += 1;
        }
    }
    let total = SectionScore {
        section: "Total accuracy".into(),
        correct: sections.iter().map(|s| s.correct).sum(),
        incorrect: sections.iter().map(|s| s.incorrect).sum(),
    };
    Ok(AnalogyReport {
        sections,
        total,
        questions: total_q,
        oov,
        oov_ratio_percent: if total_q == 0 {
            0.0
        } else {
            oov as f64 / total_q as f64 * 100.0
        },
        restrict_vocab,
    })
}

/// WordSim-353 / SimLex-999 style evaluation with gensim's rules.
pub fn evaluate_word_pairs(
    emb: &Embeddings,
    path: &Path,
    restrict_vocab: usize,
) -> Result<PairReport, EmbedError> {
    let text = std::fs::read_to_string(path).map_err(|e| EmbedError::io(path, e))?;
    let vocab = upper_vocab(emb, restrict_vocab);
    let mut gold = Vec::new();
    let mut model = Vec::new();
    let mut oov = 0usize;
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split('\t').collect();
        let [a, b, s] = parts.as_slice() else {
            continue;
        };
        let Ok(sim) = s.trim().parse::<f64>() else {
            continue;
        };
        let (a, b) = (a.to_uppercase(), b.to_uppercase());
        match (vocab.get(&a), vocab.get(&b)) {
            (Some(&i), Some(&j)) => {
                gold.push(sim);
                model.push(gensim_similarity(emb.row(i), emb.row(j)));
            }
            _ => oov += 1,
        }
    }
    if gold.is_empty() {
        return Err(EmbedError::Empty(format!(
            "no pair of {} is in the vocabulary",
            path.display()
        )));
    }
    Ok(PairReport {
        pairs: gold.len(),
        oov,
        oov_ratio_percent: oov as f64 / (gold.len() + oov) as f64 * 100.0,
        spearman: spearman(&gold, &model),
        pearson: pearson(&gold, &model),
    })
}

/// gensim's `KeyedVectors.similarity`: both vectors scaled in `f32` by
/// `1/‖v‖` (`unitvec`), then their `f32` dot product.
fn gensim_similarity(a: &[f32], b: &[f32]) -> f64 {
    let scale = |v: &[f32]| -> Vec<f32> {
        let n = v
            .iter()
            .map(|&x| f64::from(x) * f64::from(x))
            .sum::<f64>()
            .sqrt() as f32;
        if n > 0.0 {
            let inv = (1.0 / f64::from(n)) as f32;
            v.iter().map(|&x| x * inv).collect()
        } else {
            v.to_vec()
        }
    };
    let (ua, ub) = (scale(a), scale(b));
    f64::from(ua.iter().zip(&ub).map(|(x, y)| x * y).sum::<f32>())
}

/// Pearson's correlation coefficient.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        return f64::NAN;
    }
    sxy / (sxx.sqrt() * syy.sqrt())
}

/// Ranks from 1, ties sharing their average rank.
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            ranks[k] = r;
        }
        i = j + 1;
    }
    ranks
}

/// Spearman's ρ: Pearson's r of the average ranks.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&average_ranks(x), &average_ranks(y))
}
