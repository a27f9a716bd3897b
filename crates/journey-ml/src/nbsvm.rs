//! NBSVM (Wang & Manning, *Baselines and Bigrams: Simple, Good Sentiment and
//! Topic Classification*, ACL 2012, §2.3): a linear SVM on binarized features
//! scaled by the Naive Bayes log-count ratio, with the weights interpolated
//! towards their mean magnitude.
//!
//! ```text
//! x̂ = 1{x > 0}
//! p = α + Σ_{i: y_i = +1} x̂_i,   q = α + Σ_{i: y_i = −1} x̂_i
//! r = log( (p / ‖p‖₁) / (q / ‖q‖₁) )
//! (w, b) = LinearSVC trained on x̃ = r ∘ x̂  (L2-regularised squared hinge)
//! w′ = (1 − β) w̄ + β w,   w̄ = ‖w‖₁ / |V|
//! score(x) = w′ᵀ (r ∘ x̂) + b
//! ```
//!
//! The paper's defaults are α = 1, C = 1, β = 0.25. More than two classes are
//! one-vs-rest: one ratio r and one SVM per class, the largest score wins.
//! The SVM is [`crate::linear_svm`]'s dual coordinate descent.
//!
//! Cost: O(nnz + F) for each ratio, then the SVM's O(epochs · nnz) per class;
//! memory: the scaled copy of the matrix (nnz) and 2 · F floats per class.

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::classifier::{
    check_fit_input, check_predict_input, encode_positions, Classifier, Scores,
};
use crate::error::MlError;
use crate::linear_svm::{solve_dual_cd, BinaryProblem, LinearSvcConfig, SvmLoss};
use crate::naive_bayes;
use crate::rng::SplitMix64;
use crate::sparse::CsrMatrix;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NbSvmConfig {
    /// Smoothing of the log-count ratio.
    pub alpha: f64,
    /// SVM inverse regularisation strength.
    pub c: f64,
    /// Interpolation weight: 1 is the plain SVM on scaled features, 0 is the
    /// mean weight (Naive Bayes-like).
    pub beta: f64,
    pub loss: SvmLoss,
    pub tol: f64,
    pub max_iter: usize,
    pub fit_intercept: bool,
    pub seed: u64,
}

impl Default for NbSvmConfig {
    fn default() -> Self {
        NbSvmConfig {
            alpha: 1.0,
            c: 1.0,
            beta: 0.25,
            loss: SvmLoss::SquaredHinge,
            tol: 1e-4,
            max_iter: 1000,
            fit_intercept: true,
            seed: 0,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NbSvm {
    pub config: NbSvmConfig,
    classes: Vec<usize>,
    n_features: usize,
    /// Log-count ratio per problem, `r[p·F + f]`.
    pub r: Vec<f64>,
    /// Interpolated SVM weights w′ per problem, `coef[p·F + f]`.
    pub coef: Vec<f64>,
    pub intercept: Vec<f64>,
    pub converged: bool,
    /// `w′ ∘ r` by feature (`[f · p + j]`) for scoring.
    #[serde(skip)]
    scoring: OnceLock<Vec<f64>>,
}

impl NbSvm {
    pub fn new(config: NbSvmConfig) -> Self {
        NbSvm {
            config,
            ..Default::default()
        }
    }

    /// `w′ ∘ r` by feature: built by `fit`, or on first use after loading.
    fn scoring_weights(&self) -> &[f64] {
        self.scoring.get_or_init(|| {
            let effective: Vec<f64> = self.coef.iter().zip(&self.r).map(|(w, r)| w * r).collect();
            crate::classifier::by_feature(&effective, self.intercept.len())
        })
    }

    fn check_config(&self) -> Result<(), MlError> {
        let c = &self.config;
        if !(c.alpha.is_finite() && c.alpha > 0.0) {
            return Err(MlError::Config(format!(
                "NBSVM alpha must be > 0 (the ratio divides by it), got {}",
                c.alpha
            )));
        }
        if !(0.0..=1.0).contains(&c.beta) {
            return Err(MlError::Config(format!(
                "beta must be in [0, 1], got {}",
                c.beta
            )));
        }
        if !(c.c.is_finite() && c.c > 0.0 && c.tol.is_finite() && c.tol > 0.0) || c.max_iter == 0 {
            return Err(MlError::Config(
                "NBSVM needs C > 0, tol > 0 and max_iter ≥ 1".into(),
            ));
        }
        Ok(())
    }
}

/// `1{x > 0}` with the sparsity pattern of the positive entries.
pub fn binarize(x: &CsrMatrix) -> CsrMatrix {
    naive_bayes::binarize(x, 0.0)
}

/// The log-count ratio `r` of positives against the rest, from binary rows.
pub fn log_count_ratio(xb: &CsrMatrix, positive: &[bool], alpha: f64) -> Vec<f64> {
    let nf = xb.n_cols();
    let mut p = vec![alpha; nf];
    let mut q = vec![alpha; nf];
    for (i, (cols, vals)) in xb.rows().enumerate() {
        let side = if positive[i] { &mut p } else { &mut q };
        for (&c, &v) in cols.iter().zip(vals) {
            side[c as usize] += v;
        }
    }
    let (sp, sq): (f64, f64) = (p.iter().sum(), q.iter().sum());
    p.iter()
        .zip(&q)
        .map(|(pf, qf)| ((pf / sp) / (qf / sq)).ln())
        .collect()
}

impl Classifier for NbSvm {
    fn fit(&mut self, x: &CsrMatrix, y: &[usize]) -> Result<(), MlError> {
        self.check_config()?;
        let classes = check_fit_input(x, y, 2, "NBSVM")?;
        naive_bayes::check_non_negative(x, "NBSVM")?;
        let pos = encode_positions(&classes, y);
        let xb = binarize(x);
        let k = classes.len();
        let positives: Vec<usize> = if k == 2 { vec![1] } else { (0..k).collect() };
        let cfg = &self.config;
        let svm_cfg = LinearSvcConfig {
            c: cfg.c,
            loss: cfg.loss,
            tol: cfg.tol,
            max_iter: cfg.max_iter,
            fit_intercept: cfg.fit_intercept,
            ..Default::default()
        };
        let bias = if cfg.fit_intercept { 1.0 } else { 0.0 };
        let nf = x.n_cols();
        let solved: Vec<(Vec<f64>, Vec<f64>, f64, bool)> = positives
            .par_iter()
            .map(|&positive| {
                let y_pos: Vec<bool> = pos.iter().map(|&p| p == positive).collect();
                let r = log_count_ratio(&xb, &y_pos, cfg.alpha);
                let mut scaled = xb.clone();
                for i in 0..scaled.n_rows() {
                    let (cols, vals) = scaled.row_mut(i);
                    for (&c, v) in cols.iter().zip(vals.iter_mut()) {
                        *v = r[c as usize];
                    }
                }
                let problem = BinaryProblem {
                    x: &scaled,
                    y_pos: &y_pos,
                    c_pos: cfg.c,
                    c_neg: cfg.c,
                    bias,
                };
                let mut rng =
                    SplitMix64::new(cfg.seed ^ (positive as u64).wrapping_mul(0x9E37_79B9));
                let sol = solve_dual_cd(&problem, &svm_cfg, &mut rng);
                let mean_abs = sol.w.iter().map(|v| v.abs()).sum::<f64>() / nf.max(1) as f64;
                let w: Vec<f64> = sol
                    .w
                    .iter()
                    .map(|&v| (1.0 - cfg.beta) * mean_abs + cfg.beta * v)
                    .collect();
                (r, w, bias * sol.w_bias, sol.converged)
            })
            .collect();
        self.r.clear();
        self.coef.clear();
        self.intercept.clear();
        self.converged = true;
        for (r, w, b, ok) in solved {
            self.r.extend(r);
            self.coef.extend(w);
            self.intercept.push(b);
            self.converged &= ok;
        }
        self.n_features = nf;
        self.classes = classes;
        self.scoring = OnceLock::new();
        self.scoring_weights();
        Ok(())
    }

    fn classes(&self) -> &[usize] {
        &self.classes
    }

    fn decision_function(&self, x: &CsrMatrix) -> Result<Scores, MlError> {
        check_predict_input(x, self.n_features, !self.classes.is_empty())?;
        let p = self.intercept.len();
        let w = self.scoring_weights();
        let mut out = vec![0.0; x.n_rows() * p];
        out.par_chunks_mut(p).enumerate().for_each(|(i, o)| {
            o.copy_from_slice(&self.intercept);
            let (cols, vals) = x.row(i);
            // Binarized on the fly: each positive entry counts as 1.
            for (&c, _) in cols.iter().zip(vals).filter(|(_, &v)| v > 0.0) {
                let wc = &w[c as usize * p..(c as usize + 1) * p];
                for (oj, wj) in o.iter_mut().zip(wc) {
                    *oj += wj;
                }
            }
        });
        Ok(Scores::new(p, out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_by_hand_and_fit() {
        let x = CsrMatrix::from_dense(&[
            vec![2.0, 0.0, 1.0],
            vec![1.0, 0.0, 0.0],
            vec![0.0, 3.0, 1.0],
        ])
        .unwrap();
        let xb = binarize(&x);
        assert_eq!(xb.data(), &[1.0; 5]);
        let r = log_count_ratio(&xb, &[true, true, false], 1.0);
        // p = 1 + (2, 0, 1) = (3, 1, 2), |p| = 6; q = 1 + (0, 1, 1) = (1, 2, 2), |q| = 5.
        let want = [
            (3.0f64 / 6.0) / (1.0 / 5.0),
            (1.0 / 6.0) / (2.0 / 5.0),
            (2.0 / 6.0) / (2.0 / 5.0),
        ];
        for (a, b) in r.iter().zip(want) {
            assert!((a - b.ln()).abs() < 1e-15);
        }
        let mut m = NbSvm::default();
        m.fit(&x, &[1, 1, 0]).unwrap();
        assert_eq!(m.predict(&x).unwrap(), [1, 1, 0]);
        let mut multi = NbSvm::default();
        multi.fit(&x, &[0, 1, 2]).unwrap();
        assert_eq!(multi.decision_function(&x).unwrap().n_cols, 3);
        let mut bad = NbSvm::new(NbSvmConfig {
            beta: 2.0,
            ..Default::default()
        });
        assert!(bad.fit(&x, &[1, 1, 0]).is_err());
    }
}
