//! Latent Dirichlet allocation by online variational Bayes (Hoffman, Blei &
//! Bach, "Online Learning for Latent Dirichlet Allocation", NIPS 2010), as
//! scikit-learn's `LatentDirichletAllocation(learning_method='online')` and
//! gensim's `LdaModel` fit it.
//!
//! The variational posterior is q(θ_d) = Dir(γ_d), q(β_k) = Dir(λ_k).
//! - E-step, per document (from γ = Gamma(100, 1/100) draws when fitting, ones
//!   when inferring): repeat φ_dwk ∝ exp(E[ln θ_dk] + E[ln β_kw]),
//!   γ_dk = α + Σ_w n_dw φ_dwk until the mean change of γ_d is below
//!   `mean_change_tol` (or `max_doc_update_iter`), with E[ln θ_dk] =
//!   ψ(γ_dk) − ψ(Σ_j γ_dj) (`special::digamma`).
//! - M-step, per minibatch S of a corpus of D documents: λ ← (1 − ρ_t) λ +
//!   ρ_t (η + D/|S| Σ_{d∈S} n_dw φ_dwk), with ρ_t = (τ0 + t)^(−κ), t counting
//!   minibatches from 1 (scikit-learn's schedule; gensim's `offset`/`decay`
//!   are τ0/κ with t = pass + documents seen / chunksize). κ = 0 and one
//!   minibatch holding the whole corpus gives batch variational Bayes, whose
//!   bound never decreases.
//! - The evidence lower bound is scikit-learn's `_approx_bound`:
//!   Σ_dw n_dw log Σ_k exp(E[ln θ_dk] + E[ln β_kw]) + E[ln p(θ|α) − ln q(θ|γ)] +
//!   E[ln p(β|η) − ln q(β|λ)]; perplexity = exp(−bound / Σ n_dw), on held-out
//!   documents through the E-step with λ fixed (scikit-learn's `perplexity`,
//!   gensim's `exp(−log_perplexity)`).
//!
//! Documents of a minibatch are inferred in parallel (rayon); each draws its
//! start from its own seeded stream and the statistics are summed in document
//! order, so a seed gives the same model whatever the thread count.
//! Cost per pass: O(nnz · K · inner iterations) time, O(K · V) memory for λ.

use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::MlError;
use crate::sparse::CsrMatrix;
use crate::special::{dirichlet_expectation, lgamma};
use crate::xoshiro::Xoshiro256;

/// The smallest positive normal-ish guard scikit-learn adds to φ's normaliser.
const EPS: f64 = f64::EPSILON;

/// Settings (scikit-learn's defaults).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OnlineLdaConfig {
    pub n_topics: usize,
    /// Document–topic prior α; `None` is 1/K.
    pub alpha: Option<f64>,
    /// Topic–word prior η; `None` is 1/K.
    pub eta: Option<f64>,
    /// κ in ρ_t = (τ0 + t)^(−κ).
    pub learning_decay: f64,
    /// τ0.
    pub learning_offset: f64,
    /// Documents per minibatch.
    pub batch_size: usize,
    /// Passes over the corpus.
    pub passes: usize,
    /// Most E-step iterations per document.
    pub max_doc_update_iter: usize,
    /// E-step stops when the mean change of γ_d falls below this.
    pub mean_change_tol: f64,
    pub seed: u64,
}

impl Default for OnlineLdaConfig {
    fn default() -> Self {
        Self {
            n_topics: 10,
            alpha: None,
            eta: None,
            learning_decay: 0.7,
            learning_offset: 10.0,
            batch_size: 128,
            passes: 10,
            max_doc_update_iter: 100,
            mean_change_tol: 1e-3,
            seed: 0,
        }
    }
}

/// A fitted online-VB LDA model: λ and the priors.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OnlineLda {
    pub config: OnlineLdaConfig,
    pub n_features: usize,
    pub alpha: f64,
    pub eta: f64,
    /// λ, K × V, row-major.
    pub lambda: Vec<f64>,
    /// Minibatches seen (t of the learning rate).
    pub n_batch_iter: usize,
    /// exp(E[ln β]) transposed (V × K), rebuilt from λ.
    #[serde(skip)]
    exp_elog_beta_t: Vec<f64>,
}

/// Per-document E-step output.
struct DocStats {
    gamma: Vec<f64>,
    /// exp(E[ln θ_d]) and n_dw / normaliser per word, for the sufficient statistics.
    exp_theta: Vec<f64>,
    weights: Vec<f64>,
}

impl OnlineLda {
    fn validate(config: &OnlineLdaConfig) -> Result<(), MlError> {
        if config.n_topics == 0 {
            return Err(MlError::Config(
                "the number of topics must be at least 1".into(),
            ));
        }
        if config.batch_size == 0 {
            return Err(MlError::Config("batch size must be at least 1".into()));
        }
        for (name, v) in [("alpha", config.alpha), ("eta", config.eta)] {
            if let Some(v) = v {
                if !(v > 0.0 && v.is_finite()) {
                    return Err(MlError::Config(format!("{name} must be positive, got {v}")));
                }
            }
        }
        Ok(())
    }

    /// A model with λ drawn from Gamma(100, 1/100), before any data.
    pub fn new(config: &OnlineLdaConfig, n_features: usize) -> Result<Self, MlError> {
        Self::validate(config)?;
        if n_features == 0 {
            return Err(MlError::Empty("the vocabulary is empty".into()));
        }
        let k = config.n_topics;
        let mut rng = Xoshiro256::new(config.seed);
        let lambda = (0..k * n_features)
            .map(|_| rng.gamma(100.0, 0.01))
            .collect();
        let mut m = OnlineLda {
            config: config.clone(),
            n_features,
            alpha: config.alpha.unwrap_or(1.0 / k as f64),
            eta: config.eta.unwrap_or(1.0 / k as f64),
            lambda,
            n_batch_iter: 1,
            exp_elog_beta_t: Vec::new(),
        };
        m.refresh();
        Ok(m)
    }

    /// Fits on a document–term count matrix.
    pub fn fit(x: &CsrMatrix, config: &OnlineLdaConfig) -> Result<Self, MlError> {
        check_counts(x)?;
        let mut m = Self::new(config, x.n_cols())?;
        for _ in 0..config.passes {
            m.update(x)?;
        }
        Ok(m)
    }

    /// One pass over `x` in minibatches (scikit-learn's `partial_fit` on
    /// each, with D = the rows of `x`).
    pub fn update(&mut self, x: &CsrMatrix) -> Result<(), MlError> {
        self.check_width(x)?;
        let n = x.n_rows();
        let k = self.config.n_topics;
        let v = self.n_features;
        let mut start = 0;
        while start < n {
            let end = (start + self.config.batch_size).min(n);
            let rows: Vec<usize> = (start..end).collect();
            let stats = self.e_step(x, &rows, Some(self.n_batch_iter as u64));
            // Sufficient statistics, word-major (V × K), summed in document order.
            let mut sstats = vec![0.0; v * k];
            for (&d, s) in rows.iter().zip(&stats) {
                let (ids, _) = x.row(d);
                for (&id, &wgt) in ids.iter().zip(&s.weights) {
                    let dst = &mut sstats[id as usize * k..(id as usize + 1) * k];
                    for (o, &t) in dst.iter_mut().zip(&s.exp_theta) {
                        *o += t * wgt;
                    }
                }
            }
            let rho = (self.config.learning_offset + self.n_batch_iter as f64)
                .powf(-self.config.learning_decay);
            let ratio = n as f64 / rows.len() as f64;
            for t in 0..k {
                for w in 0..v {
                    let s = sstats[w * k + t] * self.exp_elog_beta_t[w * k + t];
                    let l = &mut self.lambda[t * v + w];
                    *l = (1.0 - rho) * *l + rho * (self.eta + ratio * s);
                }
            }
            self.n_batch_iter += 1;
            self.refresh();
            start = end;
        }
        Ok(())
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

    /// Recomputes exp(E[ln β]) from λ.
    fn refresh(&mut self) {
        let (k, v) = (self.config.n_topics, self.n_features);
        let mut t = vec![0.0; v * k];
        let mut row = vec![0.0; v];
        for topic in 0..k {
            dirichlet_expectation(&self.lambda[topic * v..(topic + 1) * v], &mut row);
            for w in 0..v {
                t[w * k + topic] = row[w].exp();
            }
        }
        self.exp_elog_beta_t = t;
    }

    /// The E-step on the given rows; `random` is the stream tag for the
    /// Gamma start (fitting), `None` starts from ones (inference).
    fn e_step(&self, x: &CsrMatrix, rows: &[usize], random: Option<u64>) -> Vec<DocStats> {
        let k = self.config.n_topics;
        rows.par_iter()
            .map(|&d| {
                let (ids, cnts) = x.row(d);
                let mut gamma: Vec<f64> = match random {
                    Some(tag) => {
                        let mut rng = Xoshiro256::new(
                            self.config.seed
                                ^ tag.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                                ^ (d as u64).wrapping_mul(0xD1B5_4A32_D192_ED03),
                        );
                        (0..k).map(|_| rng.gamma(100.0, 0.01)).collect()
                    }
                    None => vec![1.0; k],
                };
                let mut elog = vec![0.0; k];
                let mut exp_theta = vec![0.0; k];
                dirichlet_expectation(&gamma, &mut elog);
                for (e, l) in exp_theta.iter_mut().zip(&elog) {
                    *e = l.exp();
                }
                let mut weights = vec![0.0; ids.len()];
                let mut new_gamma = vec![0.0; k];
                let norm = |exp_theta: &[f64], weights: &mut [f64]| {
                    for ((w, &id), &c) in weights.iter_mut().zip(ids).zip(cnts) {
                        let beta = &self.exp_elog_beta_t[id as usize * k..(id as usize + 1) * k];
                        let dot: f64 = exp_theta.iter().zip(beta).map(|(a, b)| a * b).sum();
                        *w = c / (dot + EPS);
                    }
                };
                for _ in 0..self.config.max_doc_update_iter {
                    norm(&exp_theta, &mut weights);
                    new_gamma.iter_mut().for_each(|g| *g = 0.0);
                    for (&id, &w) in ids.iter().zip(&weights) {
                        let beta = &self.exp_elog_beta_t[id as usize * k..(id as usize + 1) * k];
                        for (g, b) in new_gamma.iter_mut().zip(beta) {
                            *g += w * b;
                        }
                    }
                    let mut change = 0.0;
                    for t in 0..k {
                        let g = exp_theta[t] * new_gamma[t] + self.alpha;
                        change += (g - gamma[t]).abs();
                        gamma[t] = g;
                    }
                    dirichlet_expectation(&gamma, &mut elog);
                    for (e, l) in exp_theta.iter_mut().zip(&elog) {
                        *e = l.exp();
                    }
                    if change / (k as f64) < self.config.mean_change_tol {
                        break;
                    }
                }
                norm(&exp_theta, &mut weights);
                DocStats {
                    gamma,
                    exp_theta,
                    weights,
                }
            })
            .collect()
    }

    /// Unnormalised γ of each document (n × K, row-major), topics fixed.
    pub fn infer_gamma(&self, x: &CsrMatrix) -> Result<Vec<f64>, MlError> {
        self.check_width(x)?;
        let rows: Vec<usize> = (0..x.n_rows()).collect();
        Ok(self
            .e_step(x, &rows, None)
            .into_iter()
            .flat_map(|s| s.gamma)
            .collect())
    }

    /// Document–topic distributions (rows sum to 1) of new documents.
    pub fn transform(&self, x: &CsrMatrix) -> Result<Vec<f64>, MlError> {
        let k = self.config.n_topics;
        let mut g = self.infer_gamma(x)?;
        for row in g.chunks_mut(k) {
            let s: f64 = row.iter().sum();
            row.iter_mut().for_each(|v| *v /= s);
        }
        Ok(g)
    }

    /// The variational lower bound on ln p(x) (scikit-learn's `_approx_bound`
    /// without subsampling) for documents `x` with their γ.
    pub fn bound(&self, x: &CsrMatrix, gamma: &[f64]) -> f64 {
        let (k, v) = (self.config.n_topics, self.n_features);
        let mut elog_beta_t = vec![0.0; v * k];
        let mut row = vec![0.0; v];
        let mut topic_term = 0.0;
        for t in 0..k {
            let lam = &self.lambda[t * v..(t + 1) * v];
            dirichlet_expectation(lam, &mut row);
            for w in 0..v {
                elog_beta_t[w * k + t] = row[w];
                topic_term += (self.eta - lam[w]) * row[w] + lgamma(lam[w]) - lgamma(self.eta);
            }
            topic_term += lgamma(self.eta * v as f64) - lgamma(lam.iter().sum());
        }
        let doc_terms: Vec<f64> = (0..x.n_rows())
            .into_par_iter()
            .map(|d| {
                let g = &gamma[d * k..(d + 1) * k];
                let mut elog = vec![0.0; k];
                dirichlet_expectation(g, &mut elog);
                let (ids, cnts) = x.row(d);
                let mut s = 0.0;
                for (&id, &c) in ids.iter().zip(cnts) {
                    let eb = &elog_beta_t[id as usize * k..(id as usize + 1) * k];
                    let m = elog
                        .iter()
                        .zip(eb)
                        .map(|(a, b)| a + b)
                        .fold(f64::NEG_INFINITY, f64::max);
                    let lse = m + elog
                        .iter()
                        .zip(eb)
                        .map(|(a, b)| (a + b - m).exp())
                        .sum::<f64>()
                        .ln();
                    s += c * lse;
                }
                for t in 0..k {
                    s += (self.alpha - g[t]) * elog[t] + lgamma(g[t]) - lgamma(self.alpha);
                }
                s + lgamma(self.alpha * k as f64) - lgamma(g.iter().sum())
            })
            .collect();
        doc_terms.iter().sum::<f64>() + topic_term
    }

    /// exp(−bound / words) on `x` (scikit-learn's `perplexity`).
    pub fn perplexity(&self, x: &CsrMatrix) -> Result<f64, MlError> {
        let gamma = self.infer_gamma(x)?;
        let words: f64 = x.data().iter().sum();
        if words == 0.0 {
            return Err(MlError::Empty("perplexity needs at least one word".into()));
        }
        Ok((-self.bound(x, &gamma) / words).exp())
    }

    /// Topic–word distributions (λ rows normalised), K × V.
    pub fn topic_word(&self) -> Vec<f64> {
        let v = self.n_features;
        let mut out = self.lambda.clone();
        for row in out.chunks_mut(v) {
            let s: f64 = row.iter().sum();
            row.iter_mut().for_each(|x| *x /= s);
        }
        out
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
        let mut m: OnlineLda = serde_json::from_slice(&bytes).map_err(|e| {
            MlError::parse(
                path,
                e.line(),
                format!("not an LDA model (truncated?): {e}"),
            )
        })?;
        m.after_load()
            .map_err(|e| MlError::parse(path, 1, e.to_string()))?;
        Ok(m)
    }

    /// Rebuilds the derived tables after deserialisation.
    pub fn after_load(&mut self) -> Result<(), MlError> {
        Self::validate(&self.config)?;
        if self.lambda.len() != self.config.n_topics * self.n_features {
            return Err(MlError::Invalid(
                "LDA model: lambda does not match n_topics × n_features".into(),
            ));
        }
        self.refresh();
        Ok(())
    }
}

/// Counts must be finite and non-negative, and some document non-empty.
pub(crate) fn check_counts(x: &CsrMatrix) -> Result<(), MlError> {
    if x.n_rows() == 0 {
        return Err(MlError::Empty("the corpus has no documents".into()));
    }
    if x.nnz() == 0 {
        return Err(MlError::Empty(
            "every document is empty after filtering the vocabulary".into(),
        ));
    }
    if x.data().iter().any(|v| !v.is_finite() || *v < 0.0) {
        return Err(MlError::Invalid(
            "LDA needs non-negative word counts".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> CsrMatrix {
        let mut rows = Vec::new();
        for d in 0..40 {
            let base = if d % 2 == 0 { 0 } else { 4 };
            rows.push(vec![
                (base, 3.0),
                (base + 1, 2.0),
                (base + 2, 1.0),
                (base + 3, 2.0),
            ]);
        }
        CsrMatrix::from_rows(8, rows).unwrap()
    }

    #[test]
    fn separates_two_obvious_topics_and_is_deterministic() {
        let cfg = OnlineLdaConfig {
            n_topics: 2,
            batch_size: 10,
            passes: 20,
            ..Default::default()
        };
        let x = toy();
        let m = OnlineLda::fit(&x, &cfg).unwrap();
        let again = OnlineLda::fit(&x, &cfg).unwrap();
        assert_eq!(m.lambda, again.lambda);
        let theta = m.transform(&x).unwrap();
        // Even and odd documents load on different topics.
        let even = theta[0] > 0.5;
        assert!(theta[0].max(theta[1]) > 0.9);
        assert_eq!(theta[2] > 0.5, !even);
        assert!(m.perplexity(&x).unwrap() < 8.0);
    }

    #[test]
    fn errors() {
        let cfg = OnlineLdaConfig {
            n_topics: 0,
            ..Default::default()
        };
        assert!(OnlineLda::fit(&toy(), &cfg).is_err());
        let empty = CsrMatrix::zeros(3, 4);
        let err = OnlineLda::fit(&empty, &OnlineLdaConfig::default()).unwrap_err();
        assert!(err.to_string().contains("empty after filtering"), "{err}");
    }
}
