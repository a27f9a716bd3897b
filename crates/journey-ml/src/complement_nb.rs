//! Complement Naive Bayes (Rennie, Shih, Teevan & Karger, *Tackling the Poor
//! Assumptions of Naive Bayes Text Classifiers*, ICML 2003), exactly as
//! scikit-learn 1.7's `ComplementNB`. Each class is scored by how badly the
//! document fits the *other* classes, which evens out skewed class sizes:
//!
//! ```text
//! Ñ[c, f] = Σ_c' N[c', f] + α − N[c, f]          (counts of the complement)
//! w[c, f] = −log(Ñ[c, f] / Σ_f' Ñ[c, f'])        (or, with `norm`,
//!           log(…) / Σ_f' log(…), the weight normalisation of §3.2)
//! score(x, c) = Σ_f x_f · w[c, f]                (+ log P(c) with one class)
//! ```
//!
//! O(nnz + k·F) to train, O(nnz·k) to score, k·F floats.

use serde::{Deserialize, Serialize};

use crate::classifier::{
    check_fit_input, check_predict_input, encode_positions, Classifier, Scores,
};
use crate::error::MlError;
use crate::naive_bayes::{self, NbPrior};
use crate::sparse::CsrMatrix;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ComplementNbConfig {
    pub alpha: f64,
    /// Second normalisation of the weights (Rennie et al. §3.2).
    pub norm: bool,
    /// Only used when training sees a single class (as scikit-learn).
    #[serde(flatten)]
    pub prior: NbPrior,
}

impl Default for ComplementNbConfig {
    fn default() -> Self {
        ComplementNbConfig {
            alpha: 1.0,
            norm: false,
            prior: NbPrior::default(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ComplementNb {
    pub config: ComplementNbConfig,
    classes: Vec<usize>,
    n_features: usize,
    pub class_log_prior: Vec<f64>,
    /// Feature-major weights `w[c, f]` at `[f · k + c]`.
    pub feature_log_prob: Vec<f64>,
}

impl ComplementNb {
    pub fn new(config: ComplementNbConfig) -> Self {
        ComplementNb {
            config,
            ..Default::default()
        }
    }

    pub fn predict_log_proba(&self, x: &CsrMatrix) -> Result<Scores, MlError> {
        Ok(naive_bayes::log_proba(self.decision_function(x)?))
    }
}

impl Classifier for ComplementNb {
    fn fit(&mut self, x: &CsrMatrix, y: &[usize]) -> Result<(), MlError> {
        let classes = check_fit_input(x, y, 1, "ComplementNB")?;
        naive_bayes::check_non_negative(x, "ComplementNB")?;
        let alpha = self.config.alpha;
        if !(alpha.is_finite() && alpha >= 0.0) {
            return Err(MlError::Config(format!("alpha must be ≥ 0, got {alpha}")));
        }
        let k = classes.len();
        let counts = naive_bayes::count(x, &encode_positions(&classes, y), k);
        // Complement counts, feature-major like the counts.
        let mut w = vec![0.0; counts.feature_count.len()];
        for (wr, nr) in w
            .chunks_exact_mut(k)
            .zip(counts.feature_count.chunks_exact(k))
        {
            let all: f64 = nr.iter().sum();
            for (wc, n) in wr.iter_mut().zip(nr) {
                *wc = all + alpha - n;
            }
        }
        let mut totals = vec![0.0; k];
        for row in w.chunks_exact(k) {
            for (t, v) in totals.iter_mut().zip(row) {
                *t += v;
            }
        }
        for row in w.chunks_exact_mut(k) {
            for (v, t) in row.iter_mut().zip(&totals) {
                *v = (*v / t).ln();
            }
        }
        if self.config.norm {
            let mut sums = vec![0.0; k];
            for row in w.chunks_exact(k) {
                for (s, v) in sums.iter_mut().zip(row) {
                    *s += v;
                }
            }
            for row in w.chunks_exact_mut(k) {
                for (v, s) in row.iter_mut().zip(&sums) {
                    *v /= s;
                }
            }
        } else {
            w.iter_mut().for_each(|v| *v = -*v);
        }
        self.class_log_prior =
            naive_bayes::class_log_prior(&self.config.prior, &counts.class_count)?;
        self.feature_log_prob = w;
        self.n_features = x.n_cols();
        self.classes = classes;
        Ok(())
    }

    fn classes(&self) -> &[usize] {
        &self.classes
    }

    fn decision_function(&self, x: &CsrMatrix) -> Result<Scores, MlError> {
        check_predict_input(x, self.n_features, !self.classes.is_empty())?;
        let k = self.classes.len();
        let bias = if k == 1 {
            self.class_log_prior.clone()
        } else {
            vec![0.0; k]
        };
        crate::classifier::linear_scores(x, &self.feature_log_prob, &bias)
    }

    fn predict_proba(&self, x: &CsrMatrix) -> Result<Option<Scores>, MlError> {
        Ok(Some(naive_bayes::exp_scores(self.predict_log_proba(x)?)))
    }

    fn predict(&self, x: &CsrMatrix) -> Result<Vec<usize>, MlError> {
        let s = self.decision_function(x)?;
        Ok(s.column_argmax()
            .into_iter()
            .map(|j| self.classes[j])
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complement_weights_by_hand() {
        // Two classes, two features; class 0 rows use feature 0, class 1 feature 1.
        let x = CsrMatrix::from_dense(&[vec![3.0, 0.0], vec![1.0, 1.0], vec![0.0, 2.0]]).unwrap();
        let mut m = ComplementNb::default();
        m.fit(&x, &[0, 0, 1]).unwrap();
        // Complement of class 0 is class 1: counts (0, 2) + 1 → (1, 3)/4.
        let w00 = -(1.0f64 / 4.0).ln();
        let w10 = -(3.0f64 / 4.0).ln();
        assert!((m.feature_log_prob[0] - w00).abs() < 1e-15);
        assert!((m.feature_log_prob[2] - w10).abs() < 1e-15);
        assert_eq!(m.predict(&x).unwrap(), [0, 0, 1]);
        let mut n = ComplementNb::new(ComplementNbConfig {
            norm: true,
            ..Default::default()
        });
        n.fit(&x, &[0, 0, 1]).unwrap();
        let s = (0.25f64).ln() + (0.75f64).ln();
        assert!((n.feature_log_prob[0] - (0.25f64).ln() / s).abs() < 1e-15);
    }
}
