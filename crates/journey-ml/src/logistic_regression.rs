//! L2-regularised logistic regression — binary (sigmoid) or multinomial
//! (softmax) — fitted by L-BFGS ([`crate::lbfgs`]), the same problem as
//! scikit-learn 1.7's `LogisticRegression(solver="lbfgs")`:
//!
//! ```text
//! min_{W,b}  (1/S) Σ_i s_i ℓ(y_i, W x_i + b) + (1 / (2 C S)) ‖W‖²
//!   binary:       ℓ = log(1 + e^z) − y z,      y ∈ {0, 1}, one weight row
//!   multinomial:  ℓ = logsumexp(z) − z_y,      one weight row per class
//! ```
//!
//! with sample weights `s_i` from the class weights (`S = Σ s_i`, the number
//! of rows without weights) and the intercept `b` not penalised (Hastie,
//! Tibshirani & Friedman, *Elements of Statistical Learning*, §4.4). The
//! gradient is `(1/S) Xᵀ R + W/(C S)` with `R_i = s_i (p_i − y_i)`.
//!
//! The problem is strictly convex in W, so any solver converged to a tight
//! tolerance lands on scikit-learn's coefficients. One evaluation costs two
//! passes over the non-zeros (`X W`, then `Xᵀ R` through the transposed
//! matrix), O(nnz·k), parallel over rows and then over features and summed in
//! a fixed order, so results do not depend on the thread count. Memory:
//! the transpose (nnz) plus (2m + 4) copies of the k·(F + 1) parameters.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use std::sync::OnceLock;

use crate::classifier::{
    check_fit_input, check_predict_input, encode_positions, linear_scores, ClassWeight, Classifier,
    Scores,
};
use crate::error::MlError;
use crate::lbfgs::{self, LbfgsConfig, LbfgsStatus};
use crate::naive_bayes::logsumexp;
use crate::sparse::CsrMatrix;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogisticRegressionConfig {
    /// Inverse regularisation strength.
    pub c: f64,
    pub fit_intercept: bool,
    pub class_weight: ClassWeight,
    /// Stop when the largest gradient entry is at most this (SciPy's `gtol`).
    pub tol: f64,
    /// L-BFGS iterations.
    pub max_iter: usize,
    /// L-BFGS memory (correction pairs).
    pub memory: usize,
}

impl Default for LogisticRegressionConfig {
    fn default() -> Self {
        LogisticRegressionConfig {
            c: 1.0,
            fit_intercept: true,
            class_weight: ClassWeight::None,
            tol: 1e-4,
            max_iter: 100,
            memory: 10,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LogisticRegression {
    pub config: LogisticRegressionConfig,
    classes: Vec<usize>,
    n_features: usize,
    /// Weight rows (one for two classes, else one per class), `coef[p·F + f]`.
    pub coef: Vec<f64>,
    pub intercept: Vec<f64>,
    pub n_iter: usize,
    /// Objective evaluations (each one pass over the data and one back).
    pub n_evaluations: usize,
    /// Objective value at the solution.
    pub objective: f64,
    pub status: Option<LbfgsStatus>,
    /// `coef` by feature, kept from the fit or rebuilt on first use.
    #[serde(skip)]
    scoring: OnceLock<Vec<f64>>,
}

impl LogisticRegression {
    pub fn new(config: LogisticRegressionConfig) -> Self {
        LogisticRegression {
            config,
            ..Default::default()
        }
    }

    pub fn converged(&self) -> bool {
        self.status.is_some_and(LbfgsStatus::converged)
    }
}

/// The data term and penalty of the problem, evaluated for L-BFGS.
struct Objective<'a> {
    x: &'a CsrMatrix,
    xt: CsrMatrix,
    /// Class position of each row.
    pos: Vec<usize>,
    /// Sample weights.
    s: Vec<f64>,
    s_sum: f64,
    /// Outputs: 1 (binary) or k.
    p: usize,
    l2: f64,
    fit_intercept: bool,
    /// Scratch, reused between evaluations: scores, then residuals (n × p),
    /// and the loss of each row.
    z: Vec<f64>,
    losses: Vec<f64>,
}

/// Rows (or features) per parallel task.
const BLOCK: usize = 256;

impl<'a> Objective<'a> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        x: &'a CsrMatrix,
        pos: Vec<usize>,
        s: Vec<f64>,
        s_sum: f64,
        p: usize,
        l2: f64,
        fit_intercept: bool,
    ) -> Self {
        Objective {
            xt: x.transpose(),
            z: vec![0.0; x.n_rows() * p],
            losses: vec![0.0; x.n_rows()],
            x,
            pos,
            s,
            s_sum,
            p,
            l2,
            fit_intercept,
        }
    }

    /// `θ = [W (F × p, feature-major), b (p)]`; returns f and writes ∇f.
    fn eval(&mut self, theta: &[f64], grad: &mut [f64]) -> f64 {
        let (p, nf) = (self.p, self.x.n_cols());
        let (w, b) = theta.split_at(nf * p);
        let (x, pos, s) = (self.x, &self.pos, &self.s);
        // Per row: the scores z = W x + b, the loss, and the residual
        // s_i (p_i − y_i) written over z.
        self.z
            .par_chunks_mut(BLOCK * p)
            .zip(self.losses.par_chunks_mut(BLOCK))
            .enumerate()
            .for_each(|(blk, (zb, lb))| {
                for (r, (zi, li)) in zb.chunks_exact_mut(p).zip(lb.iter_mut()).enumerate() {
                    let i = blk * BLOCK + r;
                    zi.copy_from_slice(b);
                    let (cols, vals) = x.row(i);
                    for (&c, &v) in cols.iter().zip(vals) {
                        let wc = &w[c as usize * p..(c as usize + 1) * p];
                        for (zj, wj) in zi.iter_mut().zip(wc) {
                            *zj += v * wj;
                        }
                    }
                    let si = s[i];
                    if p == 1 {
                        let y = if pos[i] == 1 { 1.0 } else { 0.0 };
                        let v = zi[0];
                        // log(1 + e^v) and σ(v) from one exponential.
                        let e = (-v.abs()).exp();
                        let log1pexp = v.max(0.0) + e.ln_1p();
                        let sig = if v >= 0.0 {
                            1.0 / (1.0 + e)
                        } else {
                            e / (1.0 + e)
                        };
                        *li = si * (log1pexp - y * v);
                        zi[0] = si * (sig - y);
                    } else {
                        let lse = logsumexp(zi);
                        *li = si * (lse - zi[pos[i]]);
                        for v in zi.iter_mut() {
                            *v = si * (*v - lse).exp();
                        }
                        zi[pos[i]] -= si;
                    }
                }
            });
        let data: f64 = self.losses.iter().sum::<f64>() / self.s_sum;
        let penalty = 0.5 * self.l2 * w.iter().map(|v| v * v).sum::<f64>();
        let (gw, gb) = grad.split_at_mut(nf * p);
        let inv = 1.0 / self.s_sum;
        let (xt, z, l2) = (&self.xt, &self.z, self.l2);
        gw.par_chunks_mut(BLOCK * p)
            .enumerate()
            .for_each(|(blk, gblock)| {
                for (r, g) in gblock.chunks_exact_mut(p).enumerate() {
                    let f = blk * BLOCK + r;
                    g.iter_mut().for_each(|v| *v = 0.0);
                    let (rows, vals) = xt.row(f);
                    for (&i, &v) in rows.iter().zip(vals) {
                        let ri = &z[i as usize * p..(i as usize + 1) * p];
                        for (gj, rj) in g.iter_mut().zip(ri) {
                            *gj += v * rj;
                        }
                    }
                    let wf = &w[f * p..(f + 1) * p];
                    for (gj, wj) in g.iter_mut().zip(wf) {
                        *gj = *gj * inv + l2 * wj;
                    }
                }
            });
        gb.iter_mut().for_each(|v| *v = 0.0);
        if self.fit_intercept {
            for r in z.chunks_exact(p) {
                for (gj, rj) in gb.iter_mut().zip(r) {
                    *gj += rj;
                }
            }
            gb.iter_mut().for_each(|v| *v *= inv);
        }
        data + penalty
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl Classifier for LogisticRegression {
    fn fit(&mut self, x: &CsrMatrix, y: &[usize]) -> Result<(), MlError> {
        let cfg = self.config.clone();
        if !(cfg.c.is_finite() && cfg.c > 0.0) {
            return Err(MlError::Config(format!("C must be > 0, got {}", cfg.c)));
        }
        if !(cfg.tol.is_finite() && cfg.tol > 0.0) {
            return Err(MlError::Config(format!("tol must be > 0, got {}", cfg.tol)));
        }
        if cfg.max_iter == 0 || cfg.memory == 0 {
            return Err(MlError::Config("max_iter and memory must be ≥ 1".into()));
        }
        let classes = check_fit_input(x, y, 2, "LogisticRegression")?;
        let pos = encode_positions(&classes, y);
        let class_w = cfg.class_weight.weights(&classes, y)?;
        let s: Vec<f64> = pos.iter().map(|&c| class_w[c]).collect();
        let s_sum: f64 = s.iter().sum();
        if s_sum.is_nan() || s_sum <= 0.0 {
            return Err(MlError::Config("the class weights sum to zero".into()));
        }
        let k = classes.len();
        let p = if k == 2 { 1 } else { k };
        let nf = x.n_cols();
        let mut objective = Objective::new(
            x,
            pos,
            s,
            s_sum,
            p,
            1.0 / (cfg.c * s_sum),
            cfg.fit_intercept,
        );
        let lbfgs_cfg = LbfgsConfig {
            memory: cfg.memory,
            max_iter: cfg.max_iter,
            gtol: cfg.tol,
            ..Default::default()
        };
        let result = lbfgs::minimize(
            |theta, grad| objective.eval(theta, grad),
            vec![0.0; (nf + 1) * p],
            &lbfgs_cfg,
        );
        let (w, b) = result.x.split_at(nf * p);
        // Feature-major → one row per output.
        let mut coef = vec![0.0; nf * p];
        for f in 0..nf {
            for j in 0..p {
                coef[j * nf + f] = w[f * p + j];
            }
        }
        self.coef = coef;
        self.intercept = b.to_vec();
        self.scoring = OnceLock::from(w.to_vec());
        self.n_iter = result.iterations;
        self.n_evaluations = result.evaluations;
        self.objective = result.f;
        self.status = Some(result.status);
        self.n_features = nf;
        self.classes = classes;
        Ok(())
    }

    fn classes(&self) -> &[usize] {
        &self.classes
    }

    fn decision_function(&self, x: &CsrMatrix) -> Result<Scores, MlError> {
        check_predict_input(x, self.n_features, !self.classes.is_empty())?;
        let w = self
            .scoring
            .get_or_init(|| crate::classifier::by_feature(&self.coef, self.intercept.len()));
        linear_scores(x, w, &self.intercept)
    }

    /// Binary: `[1 − σ(z), σ(z)]`; multinomial: `softmax(z)`.
    fn predict_proba(&self, x: &CsrMatrix) -> Result<Option<Scores>, MlError> {
        let z = self.decision_function(x)?;
        if z.n_cols == 1 {
            let data = z
                .data
                .iter()
                .flat_map(|&v| {
                    let p = sigmoid(v);
                    [1.0 - p, p]
                })
                .collect();
            return Ok(Some(Scores::new(2, data)));
        }
        let mut z = z;
        let k = z.n_cols;
        for row in z.data.chunks_exact_mut(k) {
            let lse = logsumexp(row);
            row.iter_mut().for_each(|v| *v = (*v - lse).exp());
        }
        Ok(Some(z))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finite differences agree with the analytic gradient.
    #[test]
    fn gradient_matches_finite_differences() {
        let x = CsrMatrix::from_dense(&[
            vec![1.0, 0.0, 2.0],
            vec![0.0, 1.5, 0.0],
            vec![0.5, 0.5, 0.5],
            vec![0.0, 0.0, 1.0],
        ])
        .unwrap();
        for (pos, p) in [(vec![0, 1, 1, 0], 1), (vec![0, 1, 2, 2], 3)] {
            let mut obj = Objective::new(&x, pos, vec![1.0, 2.0, 1.0, 0.5], 4.5, p, 0.3, true);
            let n = 4 * p;
            let theta: Vec<f64> = (0..n).map(|i| 0.1 * i as f64 - 0.2).collect();
            let mut g = vec![0.0; n];
            obj.eval(&theta, &mut g);
            let mut scratch = vec![0.0; n];
            for j in 0..n {
                let h = 1e-6;
                let mut tp = theta.clone();
                tp[j] += h;
                let fp = obj.eval(&tp, &mut scratch);
                tp[j] -= 2.0 * h;
                let fm = obj.eval(&tp, &mut scratch);
                let fd = (fp - fm) / (2.0 * h);
                assert!((fd - g[j]).abs() < 1e-7, "p={p} j={j}: {fd} vs {}", g[j]);
            }
        }
    }

    #[test]
    fn fits_and_gives_probabilities() {
        let x = CsrMatrix::from_dense(&[
            vec![2.0, 0.0],
            vec![1.5, 0.5],
            vec![0.0, 2.0],
            vec![0.5, 1.5],
        ])
        .unwrap();
        let mut lr = LogisticRegression::new(LogisticRegressionConfig {
            c: 10.0,
            tol: 1e-8,
            ..Default::default()
        });
        lr.fit(&x, &[1, 1, 0, 0]).unwrap();
        assert!(lr.converged());
        assert_eq!(lr.predict(&x).unwrap(), [1, 1, 0, 0]);
        let p = lr.predict_proba(&x).unwrap().unwrap();
        assert!(p.data[1] > 0.5 && (p.data[0] + p.data[1] - 1.0).abs() < 1e-15);
        assert!(LogisticRegression::default().fit(&x, &[1; 4]).is_err());
    }
}
