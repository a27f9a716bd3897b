//! Latent Dirichlet allocation by collapsed Gibbs sampling (Griffiths &
//! Steyvers, "Finding scientific topics", PNAS 2004) with the SparseLDA
//! sampler (Yao, Mimno & McCallum, "Efficient methods for topic model
//! inference on streaming document collections", KDD 2009).
//!
//! θ and β are integrated out; each token's topic is resampled from
//! p(z = k | rest) ∝ (n_dk + α)(n_wk + η)/(n_k + Vη), counts excluding the
//! token. SparseLDA splits that mass into three buckets,
//! s = Σ_k αη/(n_k + Vη) (smoothing, all topics, kept up to date in O(1)),
//! r = Σ_{k: n_dk>0} n_dk η/(n_k + Vη) (the document's topics) and
//! q = Σ_{k: n_wk>0} (n_dk + α) n_wk/(n_k + Vη) (the word's topics, with the
//! coefficient (n_dk + α)/(n_k + Vη) cached per topic), so a draw costs
//! O(topics of the word + topics of the document), not O(K); the sparse
//! lists of each word's and document's topics are kept as counts change.
//!
//! Estimates: φ_kw = (n_wk + η)/(n_k + Vη), θ_dk = (n_dk + α)/(N_d + Kα).
//! New documents are folded in by sampling their tokens with φ fixed and
//! averaging θ over the second half of the sweeps; perplexity is
//! exp(−Σ_dw n_dw ln Σ_k θ_dk φ_kw / Σ n_dw).
//!
//! The sampler is sequential (one seeded stream), so a seed gives one
//! result; fold-in runs documents in parallel, each with its own stream.
//! Cost: O(tokens · (K_w + K_d)) per sweep, where K_w, K_d are the topics
//! present for the word and the document (≤ K); memory O(tokens + V · K).

use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::MlError;
use crate::lda_online::check_counts;
use crate::sparse::CsrMatrix;
use crate::xoshiro::Xoshiro256;

/// Settings.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GibbsLdaConfig {
    pub n_topics: usize,
    /// Symmetric document–topic prior α; `None` is 50/K (Griffiths & Steyvers).
    pub alpha: Option<f64>,
    /// Symmetric topic–word prior η.
    pub eta: f64,
    /// Gibbs sweeps over the corpus.
    pub iterations: usize,
    /// Sweeps when folding in new documents.
    pub infer_iterations: usize,
    pub seed: u64,
}

impl Default for GibbsLdaConfig {
    fn default() -> Self {
        Self {
            n_topics: 10,
            alpha: None,
            eta: 0.1,
            iterations: 500,
            infer_iterations: 50,
            seed: 0,
        }
    }
}

/// A fitted model: the word–topic counts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GibbsLda {
    pub config: GibbsLdaConfig,
    pub n_features: usize,
    pub alpha: f64,
    pub eta: f64,
    /// n_wk, V × K, row-major.
    pub word_topic: Vec<u32>,
    /// n_k.
    pub topic_totals: Vec<u64>,
}

/// The sampler's state over a training corpus.
struct Sampler {
    k: usize,
    alpha: f64,
    eta: f64,
    v_eta: f64,
    words: Vec<u32>,
    doc_ptr: Vec<usize>,
    z: Vec<u16>,
    nwk: Vec<u32>,
    nk: Vec<u64>,
    word_topics: Vec<Vec<u16>>,
    rng: Xoshiro256,
}

fn remove_from(list: &mut Vec<u16>, t: u16) {
    if let Some(p) = list.iter().position(|&x| x == t) {
        list.swap_remove(p);
    }
}

impl Sampler {
    fn new(x: &CsrMatrix, k: usize, alpha: f64, eta: f64, seed: u64) -> Self {
        let v = x.n_cols();
        let mut words = Vec::new();
        let mut doc_ptr = vec![0];
        for (ids, cnts) in x.rows() {
            for (&id, &c) in ids.iter().zip(cnts) {
                for _ in 0..c.round() as usize {
                    words.push(id);
                }
            }
            doc_ptr.push(words.len());
        }
        let mut rng = Xoshiro256::new(seed);
        let z: Vec<u16> = words.iter().map(|_| rng.below(k) as u16).collect();
        let mut nwk = vec![0u32; v * k];
        let mut nk = vec![0u64; k];
        for (&w, &t) in words.iter().zip(&z) {
            nwk[w as usize * k + t as usize] += 1;
            nk[t as usize] += 1;
        }
        let word_topics = (0..v)
            .map(|w| {
                (0..k as u16)
                    .filter(|&t| nwk[w * k + t as usize] > 0)
                    .collect()
            })
            .collect();
        Sampler {
            k,
            alpha,
            eta,
            v_eta: v as f64 * eta,
            words,
            doc_ptr,
            z,
            nwk,
            nk,
            word_topics,
            rng,
        }
    }

    /// One SparseLDA sweep over every token.
    fn sweep(&mut self) {
        let k = self.k;
        let (alpha, eta, v_eta) = (self.alpha, self.eta, self.v_eta);
        let mut ndk = vec![0u32; k];
        let mut doc_topics: Vec<u16> = Vec::with_capacity(k);
        let mut coef: Vec<f64> = self
            .nk
            .iter()
            .map(|&n| alpha / (n as f64 + v_eta))
            .collect();
        let mut qbuf: Vec<f64> = Vec::with_capacity(k);
        for d in 0..self.doc_ptr.len() - 1 {
            let (start, end) = (self.doc_ptr[d], self.doc_ptr[d + 1]);
            if start == end {
                continue;
            }
            for &t in &self.z[start..end] {
                if ndk[t as usize] == 0 {
                    doc_topics.push(t);
                }
                ndk[t as usize] += 1;
            }
            let mut s: f64 = self
                .nk
                .iter()
                .map(|&n| alpha * eta / (n as f64 + v_eta))
                .sum();
            let mut r = 0.0;
            for &t in &doc_topics {
                let den = self.nk[t as usize] as f64 + v_eta;
                r += ndk[t as usize] as f64 * eta / den;
                coef[t as usize] = (ndk[t as usize] as f64 + alpha) / den;
            }
            for i in start..end {
                let w = self.words[i] as usize;
                let old = self.z[i] as usize;
                // Take the token out.
                let den = self.nk[old] as f64 + v_eta;
                s -= alpha * eta / den;
                r -= ndk[old] as f64 * eta / den;
                self.nk[old] -= 1;
                ndk[old] -= 1;
                self.nwk[w * k + old] -= 1;
                let den = self.nk[old] as f64 + v_eta;
                s += alpha * eta / den;
                r += ndk[old] as f64 * eta / den;
                coef[old] = (ndk[old] as f64 + alpha) / den;
                if ndk[old] == 0 {
                    remove_from(&mut doc_topics, old as u16);
                }
                if self.nwk[w * k + old] == 0 {
                    remove_from(&mut self.word_topics[w], old as u16);
                }
                // The word bucket.
                qbuf.clear();
                let mut q = 0.0;
                for &t in &self.word_topics[w] {
                    let val = coef[t as usize] * self.nwk[w * k + t as usize] as f64;
                    q += val;
                    qbuf.push(val);
                }
                let mut u = self.rng.uniform() * (s + r + q);
                let mut new = usize::MAX;
                if u < q {
                    for (j, &val) in qbuf.iter().enumerate() {
                        u -= val;
                        if u <= 0.0 {
                            new = self.word_topics[w][j] as usize;
                            break;
                        }
                    }
                    if new == usize::MAX {
                        new = *self.word_topics[w].last().unwrap() as usize;
                    }
                } else {
                    u -= q;
                    if u < r && !doc_topics.is_empty() {
                        for &t in &doc_topics {
                            u -=
                                ndk[t as usize] as f64 * eta / (self.nk[t as usize] as f64 + v_eta);
                            if u <= 0.0 {
                                new = t as usize;
                                break;
                            }
                        }
                        if new == usize::MAX {
                            new = *doc_topics.last().unwrap() as usize;
                        }
                    } else {
                        u -= r;
                        for t in 0..k {
                            u -= alpha * eta / (self.nk[t] as f64 + v_eta);
                            if u <= 0.0 {
                                new = t;
                                break;
                            }
                        }
                        if new == usize::MAX {
                            new = k - 1;
                        }
                    }
                }
                // Put it back under its new topic.
                let den = self.nk[new] as f64 + v_eta;
                s -= alpha * eta / den;
                r -= ndk[new] as f64 * eta / den;
                self.nk[new] += 1;
                ndk[new] += 1;
                self.nwk[w * k + new] += 1;
                let den = self.nk[new] as f64 + v_eta;
                s += alpha * eta / den;
                r += ndk[new] as f64 * eta / den;
                coef[new] = (ndk[new] as f64 + alpha) / den;
                if ndk[new] == 1 {
                    doc_topics.push(new as u16);
                }
                if self.nwk[w * k + new] == 1 {
                    self.word_topics[w].push(new as u16);
                }
                self.z[i] = new as u16;
            }
            for &t in &doc_topics {
                coef[t as usize] = alpha / (self.nk[t as usize] as f64 + v_eta);
                ndk[t as usize] = 0;
            }
            doc_topics.clear();
        }
    }

    /// Training-set perplexity from the current counts.
    fn perplexity(&self) -> f64 {
        let k = self.k;
        let mut ll = 0.0;
        let mut n = 0usize;
        let mut ndk = vec![0u32; k];
        for d in 0..self.doc_ptr.len() - 1 {
            let (start, end) = (self.doc_ptr[d], self.doc_ptr[d + 1]);
            ndk.iter_mut().for_each(|c| *c = 0);
            for &t in &self.z[start..end] {
                ndk[t as usize] += 1;
            }
            let nd = (end - start) as f64 + k as f64 * self.alpha;
            for &w in &self.words[start..end] {
                let w = w as usize;
                let p: f64 = (0..k)
                    .map(|t| {
                        (ndk[t] as f64 + self.alpha) / nd * (self.nwk[w * k + t] as f64 + self.eta)
                            / (self.nk[t] as f64 + self.v_eta)
                    })
                    .sum();
                ll += p.ln();
            }
            n += end - start;
        }
        (-ll / n as f64).exp()
    }
}

impl GibbsLda {
    fn validate(config: &GibbsLdaConfig) -> Result<(), MlError> {
        if config.n_topics == 0 {
            return Err(MlError::Config(
                "the number of topics must be at least 1".into(),
            ));
        }
        if config.n_topics > u16::MAX as usize {
            return Err(MlError::Config(format!(
                "at most {} topics, got {}",
                u16::MAX,
                config.n_topics
            )));
        }
        if !(config.eta > 0.0 && config.eta.is_finite()) {
            return Err(MlError::Config(format!(
                "eta must be positive, got {}",
                config.eta
            )));
        }
        if let Some(a) = config.alpha {
            if !(a > 0.0 && a.is_finite()) {
                return Err(MlError::Config(format!("alpha must be positive, got {a}")));
            }
        }
        Ok(())
    }

    /// Fits on a document–term count matrix.
    pub fn fit(x: &CsrMatrix, config: &GibbsLdaConfig) -> Result<Self, MlError> {
        Ok(Self::fit_tracked(x, config, 0)?.0)
    }

    /// Fits and records the training perplexity every `every` sweeps (and
    /// after the random start as sweep 0); `every = 0` records nothing.
    pub fn fit_tracked(
        x: &CsrMatrix,
        config: &GibbsLdaConfig,
        every: usize,
    ) -> Result<(Self, Vec<(usize, f64)>), MlError> {
        Self::validate(config)?;
        check_counts(x)?;
        let k = config.n_topics;
        let alpha = config.alpha.unwrap_or(50.0 / k as f64);
        let mut sampler = Sampler::new(x, k, alpha, config.eta, config.seed);
        let mut history = Vec::new();
        if every > 0 {
            history.push((0, sampler.perplexity()));
        }
        for it in 1..=config.iterations {
            sampler.sweep();
            if every > 0 && it % every == 0 {
                history.push((it, sampler.perplexity()));
            }
        }
        Ok((
            GibbsLda {
                config: config.clone(),
                n_features: x.n_cols(),
                alpha,
                eta: config.eta,
                word_topic: sampler.nwk,
                topic_totals: sampler.nk,
            },
            history,
        ))
    }

    /// φ, K × V, row-major.
    pub fn topic_word(&self) -> Vec<f64> {
        let (k, v) = (self.config.n_topics, self.n_features);
        let mut phi = vec![0.0; k * v];
        for t in 0..k {
            let den = self.topic_totals[t] as f64 + v as f64 * self.eta;
            for w in 0..v {
                phi[t * v + w] = (self.word_topic[w * k + t] as f64 + self.eta) / den;
            }
        }
        phi
    }

    fn check_width(&self, x: &CsrMatrix) -> Result<(), MlError> {
        if x.n_cols() != self.n_features {
            return Err(MlError::Shape(format!(
                "the model has {} terms but the documents have {} columns",
                self.n_features,
                x.n_cols()
            )));
        }
        Ok(())
    }

    /// θ of new documents (n × K, rows sum to 1) by fold-in Gibbs sampling.
    pub fn transform(&self, x: &CsrMatrix) -> Result<Vec<f64>, MlError> {
        self.check_width(x)?;
        let k = self.config.n_topics;
        let v = self.n_features;
        let phi = self.topic_word();
        // φ word-major for the sampler.
        let mut phi_t = vec![0.0; v * k];
        for t in 0..k {
            for w in 0..v {
                phi_t[w * k + t] = phi[t * v + w];
            }
        }
        let iters = self.config.infer_iterations.max(2);
        let thetas: Vec<Vec<f64>> = (0..x.n_rows())
            .into_par_iter()
            .map(|d| {
                let (ids, cnts) = x.row(d);
                let words: Vec<usize> = ids
                    .iter()
                    .zip(cnts)
                    .flat_map(|(&id, &c)| std::iter::repeat_n(id as usize, c.round() as usize))
                    .collect();
                if words.is_empty() {
                    return vec![1.0 / k as f64; k];
                }
                let mut rng = Xoshiro256::new(
                    self.config.seed ^ (d as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
                );
                let mut z: Vec<usize> = words.iter().map(|_| rng.below(k)).collect();
                let mut ndk = vec![0.0f64; k];
                for &t in &z {
                    ndk[t] += 1.0;
                }
                let mut acc = vec![0.0; k];
                let mut p = vec![0.0; k];
                for it in 0..iters {
                    for (i, &w) in words.iter().enumerate() {
                        ndk[z[i]] -= 1.0;
                        let mut total = 0.0;
                        for t in 0..k {
                            total += (ndk[t] + self.alpha) * phi_t[w * k + t];
                            p[t] = total;
                        }
                        let u = rng.uniform() * total;
                        let t = p.iter().position(|&c| u < c).unwrap_or(k - 1);
                        z[i] = t;
                        ndk[t] += 1.0;
                    }
                    if it >= iters / 2 {
                        for t in 0..k {
                            acc[t] += ndk[t] + self.alpha;
                        }
                    }
                }
                let s: f64 = acc.iter().sum();
                acc.iter().map(|a| a / s).collect()
            })
            .collect();
        Ok(thetas.into_iter().flatten().collect())
    }

    /// Held-out perplexity exp(−Σ n_dw ln Σ_k θ_dk φ_kw / Σ n_dw), θ by fold-in.
    pub fn perplexity(&self, x: &CsrMatrix) -> Result<f64, MlError> {
        let theta = self.transform(x)?;
        let k = self.config.n_topics;
        let v = self.n_features;
        let phi = self.topic_word();
        let mut ll = 0.0;
        let mut n = 0.0;
        for d in 0..x.n_rows() {
            let (ids, cnts) = x.row(d);
            for (&id, &c) in ids.iter().zip(cnts) {
                let p: f64 = (0..k)
                    .map(|t| theta[d * k + t] * phi[t * v + id as usize])
                    .sum();
                ll += c * p.ln();
                n += c;
            }
        }
        if n == 0.0 {
            return Err(MlError::Empty("perplexity needs at least one word".into()));
        }
        Ok((-ll / n).exp())
    }

    /// Saves as JSON (atomic write).
    pub fn save(&self, path: &Path) -> Result<(), MlError> {
        let json = serde_json::to_vec(self)
            .map_err(|e| MlError::Invalid(format!("cannot serialise LDA model: {e}")))?;
        crate::error::write_atomic(path, &json)
    }

    /// Loads a model written by `save`.
    pub fn load(path: &Path) -> Result<Self, MlError> {
        let bytes = std::fs::read(path).map_err(|e| MlError::io(path, e))?;
        let m: GibbsLda = serde_json::from_slice(&bytes).map_err(|e| {
            MlError::parse(
                path,
                e.line(),
                format!("not a Gibbs LDA model (truncated?): {e}"),
            )
        })?;
        m.check()
            .map_err(|e| MlError::parse(path, 1, e.to_string()))?;
        Ok(m)
    }

    /// Checks the shapes after deserialisation.
    pub fn check(&self) -> Result<(), MlError> {
        Self::validate(&self.config)?;
        let k = self.config.n_topics;
        if self.word_topic.len() != k * self.n_features || self.topic_totals.len() != k {
            return Err(MlError::Invalid(
                "Gibbs LDA model: counts do not match n_topics × n_features".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> CsrMatrix {
        let rows = (0..40)
            .map(|d| {
                let b = if d % 2 == 0 { 0 } else { 4 };
                vec![(b, 3.0), (b + 1, 2.0), (b + 2, 1.0), (b + 3, 2.0)]
            })
            .collect();
        CsrMatrix::from_rows(8, rows).unwrap()
    }

    #[test]
    fn counts_stay_consistent_and_topics_separate() {
        let cfg = GibbsLdaConfig {
            n_topics: 2,
            alpha: Some(0.1),
            eta: 0.01,
            iterations: 50,
            ..Default::default()
        };
        let x = toy();
        let (m, hist) = GibbsLda::fit_tracked(&x, &cfg, 10).unwrap();
        assert_eq!(m.topic_totals.iter().sum::<u64>(), 320);
        assert_eq!(m.word_topic.iter().map(|&c| c as u64).sum::<u64>(), 320);
        assert!(hist.last().unwrap().1 < hist[0].1);
        let theta = m.transform(&x).unwrap();
        assert!(theta[0].max(theta[1]) > 0.9);
        assert_eq!(theta[0] > 0.5, theta[3] > 0.5);
        assert_eq!(m.word_topic, GibbsLda::fit(&x, &cfg).unwrap().word_topic);
    }
}
