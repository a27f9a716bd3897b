//! Multinomial Naive Bayes (McCallum & Nigam 1998; Manning, Raghavan &
//! Schütze, *Introduction to Information Retrieval*, §13.2), exactly as
//! scikit-learn 1.7's `MultinomialNB`:
//!
//! ```text
//! log θ[c, f] = log(N[c, f] + α) − log Σ_f' (N[c, f'] + α)
//! jll(x, c)   = log P(c) + Σ_f x_f · log θ[c, f]
//! ```
//!
//! where `N[c, f]` sums feature f over the training rows of class c (counts,
//! or TF-IDF values as scikit-learn allows). Training is one pass over the
//! non-zeros, O(nnz + k·F); prediction O(nnz·k); the model holds k·F floats.

use serde::{Deserialize, Serialize};

use crate::classifier::{
    check_fit_input, check_predict_input, encode_positions, Classifier, Scores,
};
use crate::error::MlError;
use crate::naive_bayes::{self, NbPrior};
use crate::sparse::CsrMatrix;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MultinomialNbConfig {
    /// Additive (Laplace/Lidstone) smoothing; 0 means none.
    pub alpha: f64,
    #[serde(flatten)]
    pub prior: NbPrior,
}

impl Default for MultinomialNbConfig {
    fn default() -> Self {
        MultinomialNbConfig {
            alpha: 1.0,
            prior: NbPrior::default(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MultinomialNb {
    pub config: MultinomialNbConfig,
    classes: Vec<usize>,
    n_features: usize,
    /// `log P(c)`.
    pub class_log_prior: Vec<f64>,
    /// Feature-major `log θ[c, f]` at `[f · k + c]`.
    pub feature_log_prob: Vec<f64>,
}

impl MultinomialNb {
    pub fn new(config: MultinomialNbConfig) -> Self {
        MultinomialNb {
            config,
            ..Default::default()
        }
    }

    /// `log P(c | x)` for each row and class.
    pub fn predict_log_proba(&self, x: &CsrMatrix) -> Result<Scores, MlError> {
        Ok(naive_bayes::log_proba(self.decision_function(x)?))
    }
}

impl Classifier for MultinomialNb {
    fn fit(&mut self, x: &CsrMatrix, y: &[usize]) -> Result<(), MlError> {
        let classes = check_fit_input(x, y, 1, "MultinomialNB")?;
        naive_bayes::check_non_negative(x, "MultinomialNB")?;
        let alpha = self.config.alpha;
        if !(alpha.is_finite() && alpha >= 0.0) {
            return Err(MlError::Config(format!("alpha must be ≥ 0, got {alpha}")));
        }
        let k = classes.len();
        let counts = naive_bayes::count(x, &encode_positions(&classes, y), k);
        let mut flp: Vec<f64> = counts.feature_count.iter().map(|n| n + alpha).collect();
        let mut totals = vec![0.0; k];
        for row in flp.chunks_exact(k) {
            for (t, v) in totals.iter_mut().zip(row) {
                *t += v;
            }
        }
        let log_totals: Vec<f64> = totals.iter().map(|t| t.ln()).collect();
        for row in flp.chunks_exact_mut(k) {
            for (v, lt) in row.iter_mut().zip(&log_totals) {
                *v = v.ln() - lt;
            }
        }
        self.class_log_prior =
            naive_bayes::class_log_prior(&self.config.prior, &counts.class_count)?;
        self.feature_log_prob = flp;
        self.n_features = x.n_cols();
        self.classes = classes;
        Ok(())
    }

    fn classes(&self) -> &[usize] {
        &self.classes
    }

    /// The joint log-likelihood `log P(c) + log P(x | c)`.
    fn decision_function(&self, x: &CsrMatrix) -> Result<Scores, MlError> {
        check_predict_input(x, self.n_features, !self.classes.is_empty())?;
        crate::classifier::linear_scores(x, &self.feature_log_prob, &self.class_log_prior)
    }

    fn predict_proba(&self, x: &CsrMatrix) -> Result<Option<Scores>, MlError> {
        Ok(Some(naive_bayes::exp_scores(self.predict_log_proba(x)?)))
    }

    fn predict(&self, x: &CsrMatrix) -> Result<Vec<usize>, MlError> {
        let jll = self.decision_function(x)?;
        Ok(jll
            .column_argmax()
            .into_iter()
            .map(|j| self.classes[j])
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Worked example of Manning et al., IIR Example 13.1 (Chinese/Japan):
    /// P(c | d5) ∝ 3/4 · (3/7)³ · 1/14 · 1/14 ≈ 0.0003 for China and
    /// 1/4 · (2/9)³ · 2/9 · 2/9 ≈ 0.0001 for not-China.
    #[test]
    fn iir_example_13_1() {
        // Columns: Chinese, Beijing, Shanghai, Macao, Tokyo, Japan.
        let x = CsrMatrix::from_dense(&[
            vec![2.0, 1.0, 0.0, 0.0, 0.0, 0.0],
            vec![2.0, 0.0, 1.0, 0.0, 0.0, 0.0],
            vec![1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
            vec![1.0, 0.0, 0.0, 0.0, 1.0, 1.0],
        ])
        .unwrap();
        let mut nb = MultinomialNb::default();
        nb.fit(&x, &[1, 1, 1, 0]).unwrap();
        let d5 = CsrMatrix::from_dense(&[vec![3.0, 0.0, 0.0, 0.0, 1.0, 1.0]]).unwrap();
        let jll = nb.decision_function(&d5).unwrap();
        let china = 0.75f64 * (3.0f64 / 7.0).powi(3) / 14.0 / 14.0;
        let other = 0.25f64 * (2.0f64 / 9.0).powi(5);
        assert!((jll.data[1] - china.ln()).abs() < 1e-12);
        assert!((jll.data[0] - other.ln()).abs() < 1e-12);
        assert_eq!(nb.predict(&d5).unwrap(), [1]);
        let p = nb.predict_proba(&d5).unwrap().unwrap();
        assert!((p.data[1] - china / (china + other)).abs() < 1e-12);
    }

    #[test]
    fn one_class_and_bad_input() {
        let x = CsrMatrix::from_dense(&[vec![1.0, 0.0], vec![0.0, 2.0]]).unwrap();
        let mut nb = MultinomialNb::default();
        nb.fit(&x, &[3, 3]).unwrap();
        assert_eq!(nb.predict(&x).unwrap(), [3, 3]);
        let neg = CsrMatrix::from_dense(&[vec![-1.0]]).unwrap();
        assert!(nb.fit(&neg, &[0]).is_err());
        assert!(nb.fit(&x, &[0]).is_err());
        let wide = CsrMatrix::zeros(1, 3);
        assert!(nb.predict(&wide).is_err());
        assert!(MultinomialNb::default().predict(&x).is_err());
    }
}
