//! What the discrete Naive Bayes models share (McCallum & Nigam, *A
//! comparison of event models for Naive Bayes text classification*, 1998):
//! per-class feature counts, the class prior, and the normalisation of a
//! joint log-likelihood into class probabilities.
//!
//! The formulas are scikit-learn 1.7's `_BaseDiscreteNB`:
//!
//! - `class_count[c]` = number of training rows of class c;
//!   `feature_count[c, f]` = Σ of feature f over the rows of class c;
//! - `log P(c)` = `log class_prior[c]` if given, else with `fit_prior`
//!   `log count_c − log n`, else `−log k`;
//! - `log P(c | x)` = `jll(x, c) − logsumexp_c' jll(x, c')`.
//!
//! Counting is one pass over the non-zeros, O(nnz + k·F) time; the counts take
//! k·F floats. Weights are stored feature-major (`w[f·k + c]`) so that scoring
//! is one sparse × dense product, O(nnz·k).

use serde::{Deserialize, Serialize};

use crate::classifier::Scores;
use crate::error::MlError;
use crate::sparse::CsrMatrix;

/// The settings every discrete Naive Bayes model has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NbPrior {
    /// Learn the class prior from the class frequencies (else uniform).
    pub fit_prior: bool,
    /// Fixed prior probabilities, one per class seen in training.
    pub class_prior: Option<Vec<f64>>,
}

impl Default for NbPrior {
    fn default() -> Self {
        NbPrior {
            fit_prior: true,
            class_prior: None,
        }
    }
}

/// Class and feature counts of a training set.
pub(crate) struct Counts {
    /// Rows per class.
    pub class_count: Vec<f64>,
    /// Feature-major sums: `feature_count[f * k + c]`.
    pub feature_count: Vec<f64>,
}

/// Counts the rows of `x` per class position `pos[i]` in `0..k`.
pub(crate) fn count(x: &CsrMatrix, pos: &[usize], k: usize) -> Counts {
    let mut class_count = vec![0.0; k];
    let mut feature_count = vec![0.0; x.n_cols() * k];
    for (i, (cols, vals)) in x.rows().enumerate() {
        let c = pos[i];
        class_count[c] += 1.0;
        for (&f, &v) in cols.iter().zip(vals) {
            feature_count[f as usize * k + c] += v;
        }
    }
    Counts {
        class_count,
        feature_count,
    }
}

/// `log P(c)` per class, as `_update_class_log_prior`.
pub(crate) fn class_log_prior(prior: &NbPrior, class_count: &[f64]) -> Result<Vec<f64>, MlError> {
    let k = class_count.len();
    if let Some(p) = &prior.class_prior {
        if p.len() != k {
            return Err(MlError::Config(format!(
                "{} class priors given for {k} classes",
                p.len()
            )));
        }
        if p.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(MlError::Config(
                "class priors must be finite and ≥ 0".into(),
            ));
        }
        Ok(p.iter().map(|v| v.ln()).collect())
    } else if prior.fit_prior {
        let total: f64 = class_count.iter().sum();
        Ok(class_count.iter().map(|c| c.ln() - total.ln()).collect())
    } else {
        Ok(vec![-(k as f64).ln(); k])
    }
}

/// Rejects negative features (a count model cannot take them).
pub(crate) fn check_non_negative(x: &CsrMatrix, model: &str) -> Result<(), MlError> {
    if x.data().iter().any(|&v| v < 0.0) {
        return Err(MlError::Invalid(format!(
            "{model} needs non-negative features (counts or TF-IDF); the input has a negative value"
        )));
    }
    Ok(())
}

/// `jll − logsumexp(jll)` per row: the log posterior.
pub(crate) fn log_proba(mut jll: Scores) -> Scores {
    let k = jll.n_cols;
    for row in jll.data.chunks_exact_mut(k) {
        let lse = logsumexp(row);
        row.iter_mut().for_each(|v| *v -= lse);
    }
    jll
}

/// `log Σ exp(a_i)`, shifted by the maximum (as `scipy.special.logsumexp`).
pub fn logsumexp(a: &[f64]) -> f64 {
    let m = a.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !m.is_finite() {
        return m;
    }
    let s: f64 = a.iter().map(|v| (v - m).exp()).sum();
    s.ln() + m
}

/// `1` where `x > threshold`, dropping the other stored entries (scikit-learn's
/// `binarize` on a sparse matrix). O(nnz).
pub fn binarize(x: &CsrMatrix, threshold: f64) -> CsrMatrix {
    let mut indptr = Vec::with_capacity(x.n_rows() + 1);
    let mut indices = Vec::with_capacity(x.nnz());
    indptr.push(0);
    for (cols, vals) in x.rows() {
        indices.extend(
            cols.iter()
                .zip(vals)
                .filter(|(_, &v)| v > threshold)
                .map(|(&c, _)| c),
        );
        indptr.push(indices.len());
    }
    let data = vec![1.0; indices.len()];
    CsrMatrix::from_parts(x.n_rows(), x.n_cols(), indptr, indices, data)
        .expect("a subset of a valid matrix's entries")
}

/// `exp` of every entry (log probabilities → probabilities).
pub(crate) fn exp_scores(mut s: Scores) -> Scores {
    s.data.iter_mut().for_each(|v| *v = v.exp());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logsumexp_is_stable() {
        assert!((logsumexp(&[1000.0, 1000.0]) - (1000.0 + 2f64.ln())).abs() < 1e-12);
        assert_eq!(logsumexp(&[f64::NEG_INFINITY; 2]), f64::NEG_INFINITY);
        let p = log_proba(Scores::new(2, vec![0.0, 0.0]));
        assert!((p.data[0] - 0.5f64.ln()).abs() < 1e-15);
    }
}
