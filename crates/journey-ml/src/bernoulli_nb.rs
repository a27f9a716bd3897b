//! Bernoulli Naive Bayes (McCallum & Nigam 1998, the multi-variate Bernoulli
//! event model; IIR §13.3), exactly as scikit-learn 1.7's `BernoulliNB`.
//! Features are made binary (`x > threshold`), and absent words count too:
//!
//! ```text
//! p[c, f]     = (N[c, f] + α) / (count_c + 2α)
//! jll(x, c)   = log P(c) + Σ_f log(1 − p[c, f])
//!             + Σ_{f: x_f = 1} (log p[c, f] − log(1 − p[c, f]))
//! ```
//!
//! The second line is the same for every document, so scoring stays one sparse
//! product, O(nnz·k); training O(nnz + k·F); k·F floats.

use serde::{Deserialize, Serialize};

use crate::classifier::{
    check_fit_input, check_predict_input, encode_positions, Classifier, Scores,
};
use crate::error::MlError;
use crate::naive_bayes::{self, NbPrior};
use crate::sparse::CsrMatrix;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BernoulliNbConfig {
    pub alpha: f64,
    /// Threshold for making features binary (`x > t` → 1); `None` takes the
    /// input as already binary.
    pub binarize: Option<f64>,
    #[serde(flatten)]
    pub prior: NbPrior,
}

impl Default for BernoulliNbConfig {
    fn default() -> Self {
        BernoulliNbConfig {
            alpha: 1.0,
            binarize: Some(0.0),
            prior: NbPrior::default(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BernoulliNb {
    pub config: BernoulliNbConfig,
    classes: Vec<usize>,
    n_features: usize,
    pub class_log_prior: Vec<f64>,
    /// Feature-major `log p[c, f]` at `[f · k + c]`.
    pub feature_log_prob: Vec<f64>,
    /// Feature-major `log p − log(1 − p)`, the weight of a present feature.
    weights: Vec<f64>,
    /// `log P(c) + Σ_f log(1 − p[c, f])`.
    bias: Vec<f64>,
}

impl BernoulliNb {
    pub fn new(config: BernoulliNbConfig) -> Self {
        BernoulliNb {
            config,
            ..Default::default()
        }
    }

    pub fn predict_log_proba(&self, x: &CsrMatrix) -> Result<Scores, MlError> {
        Ok(naive_bayes::log_proba(self.decision_function(x)?))
    }

    /// `x > threshold` as 1, else 0 (stored zeros stay out).
    fn binarized(&self, x: &CsrMatrix) -> Result<Option<CsrMatrix>, MlError> {
        let Some(t) = self.config.binarize else {
            return Ok(None);
        };
        if t < 0.0 || t.is_nan() {
            return Err(MlError::Config(format!(
                "binarize threshold {t} must be ≥ 0 for sparse input"
            )));
        }
        Ok(Some(naive_bayes::binarize(x, t)))
    }
}

impl Classifier for BernoulliNb {
    fn fit(&mut self, x: &CsrMatrix, y: &[usize]) -> Result<(), MlError> {
        let classes = check_fit_input(x, y, 1, "BernoulliNB")?;
        let alpha = self.config.alpha;
        if !(alpha.is_finite() && alpha >= 0.0) {
            return Err(MlError::Config(format!("alpha must be ≥ 0, got {alpha}")));
        }
        let bin = self.binarized(x)?;
        let x = bin.as_ref().unwrap_or(x);
        let k = classes.len();
        let counts = naive_bayes::count(x, &encode_positions(&classes, y), k);
        let log_cc: Vec<f64> = counts
            .class_count
            .iter()
            .map(|c| (c + 2.0 * alpha).ln())
            .collect();
        let mut flp = counts.feature_count;
        for row in flp.chunks_exact_mut(k) {
            for (v, l) in row.iter_mut().zip(&log_cc) {
                *v = (*v + alpha).ln() - l;
            }
        }
        let prior = naive_bayes::class_log_prior(&self.config.prior, &counts.class_count)?;
        let mut bias = prior.clone();
        let mut weights = vec![0.0; flp.len()];
        for (wr, pr) in weights.chunks_exact_mut(k).zip(flp.chunks_exact(k)) {
            for c in 0..k {
                let neg = (1.0 - pr[c].exp()).ln();
                wr[c] = pr[c] - neg;
                bias[c] += neg;
            }
        }
        self.class_log_prior = prior;
        self.feature_log_prob = flp;
        self.weights = weights;
        self.bias = bias;
        self.n_features = x.n_cols();
        self.classes = classes;
        Ok(())
    }

    fn classes(&self) -> &[usize] {
        &self.classes
    }

    fn decision_function(&self, x: &CsrMatrix) -> Result<Scores, MlError> {
        check_predict_input(x, self.n_features, !self.classes.is_empty())?;
        let bin = self.binarized(x)?;
        crate::classifier::linear_scores(bin.as_ref().unwrap_or(x), &self.weights, &self.bias)
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

    /// IIR Example 13.2: P(China | d5) ∝ 3/4 · 4/5 · 1/5 · 1/5 · (1−2/5) ·
    /// (1−2/5) · (1−2/5) ≈ 0.005 and P(not | d5) ∝ 1/4 · 2/3 · 2/3 · 2/3 ·
    /// (1−1/3) · (1−1/3) · (1−1/3) ≈ 0.022.
    #[test]
    fn iir_example_13_2() {
        let x = CsrMatrix::from_dense(&[
            vec![2.0, 1.0, 0.0, 0.0, 0.0, 0.0],
            vec![2.0, 0.0, 1.0, 0.0, 0.0, 0.0],
            vec![1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
            vec![1.0, 0.0, 0.0, 0.0, 1.0, 1.0],
        ])
        .unwrap();
        let mut nb = BernoulliNb::default();
        nb.fit(&x, &[1, 1, 1, 0]).unwrap();
        let d5 = CsrMatrix::from_dense(&[vec![3.0, 0.0, 0.0, 0.0, 1.0, 1.0]]).unwrap();
        let jll = nb.decision_function(&d5).unwrap();
        let china: f64 = 0.75 * 0.8 * 0.2 * 0.2 * 0.6f64.powi(3);
        let other: f64 = 0.25 * (2.0f64 / 3.0).powi(3) * (2.0f64 / 3.0).powi(3);
        assert!((jll.data[1] - china.ln()).abs() < 1e-12, "{:?}", jll.data);
        assert!((jll.data[0] - other.ln()).abs() < 1e-12);
        assert_eq!(nb.predict(&d5).unwrap(), [0]);
    }
}
