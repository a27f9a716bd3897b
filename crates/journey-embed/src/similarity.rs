//! # Cosine neighbours, analogies and sentence vectors
//!
//! * Nearest neighbours by cosine similarity, exact: one dot product per
//!   row of the vocabulary, rows scanned in parallel (rayon). O(n·d) per
//!   query, O(n) extra memory.
//! * Analogies a : b :: c : ? (Mikolov et al. 2013, "Linguistic
//!   regularities"), with the two objectives of Levy & Goldberg 2014
//!   ("Linguistic regularities in sparse and explicit word
//!   representations"): 3CosAdd, argmax cos(x, b − a + c) — computed as
//!   gensim's `most_similar` does, on the normalised mean of the unit vectors
//!   with weights +1, +1, −1 — and 3CosMul, argmax cos'(x,b)·cos'(x,c) /
//!   (cos'(x,a) + ε) with cos' = (1 + cos)/2 and ε = 0.001 (gensim's
//!   `most_similar_cosmul`). The question words are never answers.
//! * Sentence vectors: the plain average, and SIF (Arora, Liang & Ma 2017,
//!   "A simple but tough-to-beat baseline for sentence embeddings"): each
//!   word weighted a / (a + p(w)), then the projection on the first principal
//!   component of the sentence matrix removed (power iteration).

use crate::Embeddings;
use rayon::prelude::*;

/// The unit-length matrix of a store, with the raw norms (as gensim's
/// `fill_norms`): what every cosine query here needs.
pub struct CosineIndex<'a> {
    pub emb: &'a Embeddings,
    pub unit: Vec<f32>,
    pub norms: Vec<f32>,
}

pub(crate) fn dot(a: &[f32], b: &[f32]) -> f64 {
    let mut s = [0f32; 8];
    let mut ca = a.chunks_exact(8);
    let mut cb = b.chunks_exact(8);
    for (x, y) in (&mut ca).zip(&mut cb) {
        for k in 0..8 {
            s[k] += x[k] * y[k];
        }
    }
    let mut t: f64 = s.iter().map(|&v| f64::from(v)).sum();
    for (x, y) in ca.remainder().iter().zip(cb.remainder()) {
        t += f64::from(*x) * f64::from(*y);
    }
    t
}

fn dot64(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(&x, &y)| f64::from(x) * f64::from(y))
        .sum()
}

/// Unit vector in `f32` (zero stays zero).
pub fn unit(v: &[f32]) -> Vec<f32> {
    let n = dot64(v, v).sqrt();
    if n == 0.0 {
        return v.to_vec();
    }
    v.iter().map(|&x| (f64::from(x) / n) as f32).collect()
}

/// Cosine similarity of two vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let na = dot64(a, a).sqrt();
    let nb = dot64(b, b).sqrt();
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    dot64(a, b) / (na * nb)
}

impl<'a> CosineIndex<'a> {
    /// Normalises the rows of `emb` (O(n·d) time and memory).
    pub fn new(emb: &'a Embeddings) -> Self {
        CosineIndex {
            emb,
            unit: emb.normalized(),
            norms: emb.norms(),
        }
    }

    /// Unit vector of row `i`.
    pub fn unit_row(&self, i: usize) -> &[f32] {
        let d = self.emb.dim();
        &self.unit[i * d..(i + 1) * d]
    }

    /// Cosine of every one of the first `limit` rows with `query` (any length).
    pub fn scores(&self, query: &[f32], limit: usize) -> Vec<f32> {
        let d = self.emb.dim();
        let q = unit(query);
        let limit = limit.min(self.emb.len());
        self.unit[..limit * d]
            .par_chunks(d * 1024)
            .flat_map_iter(|block| {
                block
                    .chunks_exact(d)
                    .map(|r| dot(r, &q) as f32)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The `k` rows (among the first `limit`) most similar to `query`,
    /// best first, skipping `exclude`. Ties go to the lower row.
    pub fn nearest(
        &self,
        query: &[f32],
        k: usize,
        limit: usize,
        exclude: &[usize],
    ) -> Vec<(usize, f32)> {
        top_k(&self.scores(query, limit), k, exclude)
    }

    /// Neighbours of a word (the word itself excluded); `None` if unknown.
    pub fn neighbours(&self, word: &str, k: usize) -> Option<Vec<(String, f32)>> {
        let i = self.emb.index_of(word)?;
        Some(
            self.nearest(self.emb.row(i), k, usize::MAX, &[i])
                .into_iter()
                .map(|(j, s)| (self.emb.words()[j].clone(), s))
                .collect(),
        )
    }

    /// gensim's `most_similar` target: unit vectors of `positive` (+1) and
    /// `negative` (−1) rows summed, divided by the number of words, and
    /// normalised.
    pub fn mean_unit(&self, positive: &[usize], negative: &[usize]) -> Vec<f32> {
        let d = self.emb.dim();
        let mut mean = vec![0f32; d];
        let signed = positive.iter().map(|&i| (i, 1f32));
        for (i, w) in signed.chain(negative.iter().map(|&i| (i, -1f32))) {
            for (m, &x) in mean.iter_mut().zip(self.unit_row(i)) {
                *m += w * x;
            }
        }
        let total = (positive.len() + negative.len()).max(1) as f64;
        let scaled: Vec<f64> = mean.iter().map(|&m| f64::from(m) / total).collect();
        let n = scaled.iter().map(|x| x * x).sum::<f64>().sqrt();
        scaled
            .iter()
            .map(|&x| if n > 0.0 { (x / n) as f32 } else { 0.0 })
            .collect()
    }

    /// 3CosAdd scores of the first `limit` rows for a : b :: c : ?, as
    /// gensim computes `most_similar(positive=[b, c], negative=[a])`:
    /// dot with the raw row over the row's norm.
    pub fn cos_add_scores(&self, a: usize, b: usize, c: usize, limit: usize) -> Vec<f32> {
        let mean = self.mean_unit(&[b, c], &[a]);
        let mean = &mean;
        let d = self.emb.dim();
        let limit = limit.min(self.emb.len());
        let data = &self.emb.data()[..limit * d];
        data.par_chunks(d * 1024)
            .enumerate()
            .flat_map_iter(|(bi, block)| {
                let norms = &self.norms;
                block
                    .chunks_exact(d)
                    .enumerate()
                    .map(move |(k, r)| {
                        let n = norms[bi * 1024 + k];
                        if n > 0.0 {
                            (dot(r, mean) / f64::from(n)) as f32
                        } else {
                            0.0
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// [`Self::cos_add_scores`] on the calling thread only (for callers that
    /// are parallel over questions).
    pub fn cos_add_scores_serial(&self, a: usize, b: usize, c: usize, limit: usize) -> Vec<f32> {
        let mean = self.mean_unit(&[b, c], &[a]);
        let d = self.emb.dim();
        let limit = limit.min(self.emb.len());
        self.emb.data()[..limit * d]
            .chunks_exact(d)
            .zip(&self.norms)
            .map(|(r, &n)| {
                if n > 0.0 {
                    (dot(r, &mean) / f64::from(n)) as f32
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// 3CosMul scores (Levy & Goldberg 2014, as gensim's
    /// `most_similar_cosmul`).
    pub fn cos_mul_scores(&self, a: usize, b: usize, c: usize, limit: usize) -> Vec<f32> {
        let sa = self.scores(self.unit_row(a), limit);
        let sb = self.scores(self.unit_row(b), limit);
        let sc = self.scores(self.unit_row(c), limit);
        sa.iter()
            .zip(&sb)
            .zip(&sc)
            .map(|((&x, &y), &z)| ((1.0 + y) / 2.0) * ((1.0 + z) / 2.0) / ((1.0 + x) / 2.0 + 0.001))
            .collect()
    }

    /// Best answers to a : b :: c : ? by 3CosAdd or 3CosMul, question words
    /// excluded.
    pub fn analogy(
        &self,
        a: &str,
        b: &str,
        c: &str,
        k: usize,
        method: AnalogyMethod,
    ) -> Option<Vec<(String, f32)>> {
        let ia = self.emb.index_of(a)?;
        let ib = self.emb.index_of(b)?;
        let ic = self.emb.index_of(c)?;
        let scores = match method {
            AnalogyMethod::CosAdd => self.cos_add_scores(ia, ib, ic, usize::MAX),
            AnalogyMethod::CosMul => self.cos_mul_scores(ia, ib, ic, usize::MAX),
        };
        Some(
            top_k(&scores, k, &[ia, ib, ic])
                .into_iter()
                .map(|(j, s)| (self.emb.words()[j].clone(), s))
                .collect(),
        )
    }
}

/// The analogy objectives of Levy & Goldberg 2014.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum AnalogyMethod {
    #[default]
    CosAdd,
    CosMul,
}

/// Indices of the `k` largest scores, best first, skipping `exclude`;
/// equal scores keep the lower index first.
pub fn top_k(scores: &[f32], k: usize, exclude: &[usize]) -> Vec<(usize, f32)> {
    let mut idx: Vec<usize> = (0..scores.len()).filter(|i| !exclude.contains(i)).collect();
    let cmp = |a: &usize, b: &usize| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b));
    if k < idx.len() {
        idx.select_nth_unstable_by(k, cmp);
        idx.truncate(k);
    }
    idx.sort_by(cmp);
    idx.into_iter().map(|i| (i, scores[i])).collect()
}

/// Average of the known words' vectors (`None` if none is known).
pub fn average_vector(emb: &Embeddings, words: &[&str]) -> Option<Vec<f32>> {
    let mut sum = vec![0f64; emb.dim()];
    let mut n = 0usize;
    for w in words {
        if let Some(v) = emb.get(w) {
            for (s, &x) in sum.iter_mut().zip(v) {
                *s += f64::from(x);
            }
            n += 1;
        }
    }
    (n > 0).then(|| sum.iter().map(|s| (s / n as f64) as f32).collect())
}

/// SIF sentence embeddings (Arora et al. 2017): `prob(word)` is the word's
/// unigram probability, `a` the smoothing weight (the paper uses 1e-3).
/// Every sentence is the a/(a+p(w))-weighted average of its known words;
/// then the first principal component of the sentence matrix (uncentred,
/// as in the paper's `TruncatedSVD`) is projected out. Sentences with no
/// known word get a zero vector.
pub fn sif_vectors(
    emb: &Embeddings,
    sentences: &[Vec<&str>],
    prob: impl Fn(&str) -> f64,
    a: f64,
) -> Vec<Vec<f32>> {
    let d = emb.dim();
    let rows: Vec<Vec<f64>> = sentences
        .iter()
        .map(|s| {
            let mut sum = vec![0f64; d];
            let mut n = 0usize;
            for w in s {
                if let Some(v) = emb.get(w) {
                    let wt = a / (a + prob(w));
                    for (acc, &x) in sum.iter_mut().zip(v) {
                        *acc += wt * f64::from(x);
                    }
                    n += 1;
                }
            }
            if n > 0 {
                sum.iter_mut().for_each(|x| *x /= n as f64);
            }
            sum
        })
        .collect();
    let u = first_component(&rows, d);
    rows.into_iter()
        .map(|r| {
            let p: f64 = r.iter().zip(&u).map(|(x, y)| x * y).sum();
            r.iter().zip(&u).map(|(x, y)| (x - p * y) as f32).collect()
        })
        .collect()
}

/// Leading right singular vector of the rows (power iteration on XᵀX,
/// deterministic start).
fn first_component(rows: &[Vec<f64>], d: usize) -> Vec<f64> {
    let mut u = vec![1.0 / (d as f64).sqrt(); d];
    for _ in 0..200 {
        let mut next = vec![0f64; d];
        for r in rows {
            let p: f64 = r.iter().zip(&u).map(|(x, y)| x * y).sum();
            for (n, x) in next.iter_mut().zip(r) {
                *n += p * x;
            }
        }
        let norm = next.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm == 0.0 {
            return vec![0.0; d];
        }
        next.iter_mut().for_each(|x| *x /= norm);
        let delta: f64 = next.iter().zip(&u).map(|(a, b)| (a - b).abs()).sum();
        u = next;
        if delta < 1e-12 {
            break;
        }
    }
    u
}
