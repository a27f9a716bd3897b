//! Linear support vector machine trained as LIBLINEAR does it (Fan, Chang,
//! Hsieh, Wang & Lin, *LIBLINEAR: A Library for Large Linear Classification*,
//! JMLR 2008), the solver behind scikit-learn's `LinearSVC(dual=True)`:
//! dual coordinate descent (Hsieh, Chang, Lin, Keerthi & Sundararajan, *A Dual
//! Coordinate Descent Method for Large-scale Linear SVM*, ICML 2008, Alg. 3)
//! for the L2-regularised primal
//!
//! ```text
//! min_w  ½‖w‖² + Σ_i C_i ξ(w; x_i, y_i)
//!        ξ = max(0, 1 − y wᵀx)     (hinge, "L1-loss")
//!        ξ = max(0, 1 − y wᵀx)²    (squared hinge, "L2-loss", the default)
//! ```
//!
//! through its dual `min_α ½ αᵀ(Q + D)α − eᵀα, 0 ≤ α_i ≤ U_i` with
//! `Q_ij = y_i y_j x_iᵀx_j`, `D_ii = 1/(2C_i), U_i = ∞` (squared hinge) or
//! `D_ii = 0, U_i = C_i` (hinge). One coordinate step is a closed-form
//! Newton step clipped to the box, and `w = Σ α_i y_i x_i` is kept up to date,
//! so a step costs O(nnz of the row). Each epoch visits the active rows in a
//! random order (seeded), and rows whose projected gradient shows they will
//! stay at a bound are shrunk away (§3.2), as LIBLINEAR. It stops when the
//! projected gradient's spread `max PG − min PG ≤ tol` over all rows.
//!
//! As LIBLINEAR, the intercept is the weight of an extra constant feature of
//! value `intercept_scaling` — so it is regularised too — and multiclass
//! problems are one-vs-rest (the positive class gets `C · weight_c`, the rest
//! plain `C`; for two classes the classes get `C · weight_c` each). The
//! one-vs-rest problems are solved in parallel.
//!
//! Time O(epochs · nnz) per binary problem; memory O(n + F) per problem.
//! The random order differs from LIBLINEAR's `rand()`, so coefficients agree
//! with scikit-learn's to the solver tolerance rather than bit for bit.

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::classifier::{
    by_feature, check_fit_input, check_predict_input, encode_positions, linear_scores, ClassWeight,
    Classifier, Scores,
};
use crate::error::MlError;
use crate::rng::SplitMix64;
use crate::sparse::{row_dot, CsrMatrix};

/// The loss of the SVM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SvmLoss {
    /// `max(0, 1 − y wᵀx)`.
    Hinge,
    /// `max(0, 1 − y wᵀx)²`.
    #[default]
    SquaredHinge,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LinearSvcConfig {
    /// Inverse regularisation strength.
    pub c: f64,
    pub loss: SvmLoss,
    /// Stop when the projected-gradient spread is at most this.
    pub tol: f64,
    /// Epochs (passes over the active rows) per binary problem.
    pub max_iter: usize,
    pub fit_intercept: bool,
    /// Value of the constant feature whose weight is the intercept.
    pub intercept_scaling: f64,
    pub class_weight: ClassWeight,
    /// Drop rows stuck at a bound from the epochs (LIBLINEAR's shrinking).
    pub shrinking: bool,
    /// Seed of the random visiting order.
    pub seed: u64,
}

impl Default for LinearSvcConfig {
    fn default() -> Self {
        LinearSvcConfig {
            c: 1.0,
            loss: SvmLoss::SquaredHinge,
            tol: 1e-4,
            max_iter: 1000,
            fit_intercept: true,
            intercept_scaling: 1.0,
            class_weight: ClassWeight::None,
            shrinking: true,
            seed: 0,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LinearSvc {
    pub config: LinearSvcConfig,
    classes: Vec<usize>,
    n_features: usize,
    /// One weight row per binary problem (one for two classes, else one per
    /// class), `coef[p · F + f]`.
    pub coef: Vec<f64>,
    pub intercept: Vec<f64>,
    /// Epochs each binary problem took.
    pub n_iter: Vec<usize>,
    /// Primal objective of each binary problem at the solution.
    pub objective: Vec<f64>,
    /// Whether every problem met `tol` within `max_iter` epochs.
    pub converged: bool,
    /// `coef` by feature for scoring: built by `fit`, or on first use after
    /// loading.
    #[serde(skip)]
    scoring: OnceLock<Vec<f64>>,
}

impl LinearSvc {
    pub fn new(config: LinearSvcConfig) -> Self {
        LinearSvc {
            config,
            ..Default::default()
        }
    }

    fn check_config(&self) -> Result<(), MlError> {
        let c = &self.config;
        if !(c.c.is_finite() && c.c > 0.0) {
            return Err(MlError::Config(format!("C must be > 0, got {}", c.c)));
        }
        if !(c.tol.is_finite() && c.tol > 0.0) {
            return Err(MlError::Config(format!("tol must be > 0, got {}", c.tol)));
        }
        if c.max_iter == 0 {
            return Err(MlError::Config("max_iter must be ≥ 1".into()));
        }
        if c.fit_intercept && !(c.intercept_scaling.is_finite() && c.intercept_scaling > 0.0) {
            return Err(MlError::Config(format!(
                "intercept_scaling must be > 0, got {}",
                c.intercept_scaling
            )));
        }
        Ok(())
    }
}

impl Classifier for LinearSvc {
    fn fit(&mut self, x: &CsrMatrix, y: &[usize]) -> Result<(), MlError> {
        self.check_config()?;
        let classes = check_fit_input(x, y, 2, "LinearSVC")?;
        let pos = encode_positions(&classes, y);
        let weights = self.config.class_weight.weights(&classes, y)?;
        let cfg = &self.config;
        let bias = if cfg.fit_intercept {
            cfg.intercept_scaling
        } else {
            0.0
        };
        let k = classes.len();
        // (positive-class test, C of positives, C of negatives) per problem.
        let problems: Vec<(usize, f64, f64)> = if k == 2 {
            vec![(1, cfg.c * weights[1], cfg.c * weights[0])]
        } else {
            (0..k).map(|c| (c, cfg.c * weights[c], cfg.c)).collect()
        };
        let solutions: Vec<DualCdSolution> = problems
            .par_iter()
            .map(|&(positive, cp, cn)| {
                let y_pos: Vec<bool> = pos.iter().map(|&p| p == positive).collect();
                let problem = BinaryProblem {
                    x,
                    y_pos: &y_pos,
                    c_pos: cp,
                    c_neg: cn,
                    bias,
                };
                let mut rng =
                    SplitMix64::new(cfg.seed ^ (positive as u64).wrapping_mul(0x9E37_79B9));
                solve_dual_cd(&problem, cfg, &mut rng)
            })
            .collect();
        let f = x.n_cols();
        self.coef = Vec::with_capacity(f * solutions.len());
        self.intercept = Vec::with_capacity(solutions.len());
        self.n_iter = Vec::with_capacity(solutions.len());
        self.objective = Vec::with_capacity(solutions.len());
        self.converged = true;
        for s in solutions {
            self.coef.extend_from_slice(&s.w);
            self.intercept.push(bias * s.w_bias);
            self.n_iter.push(s.iterations);
            self.objective.push(s.primal_objective);
            self.converged &= s.converged;
        }
        self.n_features = f;
        self.classes = classes;
        self.scoring = OnceLock::from(by_feature(&self.coef, self.intercept.len()));
        Ok(())
    }

    fn classes(&self) -> &[usize] {
        &self.classes
    }

    fn decision_function(&self, x: &CsrMatrix) -> Result<Scores, MlError> {
        check_predict_input(x, self.n_features, !self.classes.is_empty())?;
        let w = self
            .scoring
            .get_or_init(|| by_feature(&self.coef, self.intercept.len()));
        linear_scores(x, w, &self.intercept)
    }
}

/// One binary problem: rows of `x`, positives marked in `y_pos`, per-sample
/// C by side, and the value of the constant bias feature (0: no bias).
pub(crate) struct BinaryProblem<'a> {
    pub x: &'a CsrMatrix,
    pub y_pos: &'a [bool],
    pub c_pos: f64,
    pub c_neg: f64,
    pub bias: f64,
}

pub(crate) struct DualCdSolution {
    pub w: Vec<f64>,
    /// Weight of the bias feature (the intercept is `bias · w_bias`).
    pub w_bias: f64,
    pub iterations: usize,
    pub converged: bool,
    pub primal_objective: f64,
}

/// Hsieh et al. (2008) Algorithm 3 with LIBLINEAR's shrinking and stopping
/// rule (`solve_l2r_l1l2_svc`).
pub(crate) fn solve_dual_cd(
    p: &BinaryProblem<'_>,
    cfg: &LinearSvcConfig,
    rng: &mut SplitMix64,
) -> DualCdSolution {
    let l = p.x.n_rows();
    let mut w = vec![0.0; p.x.n_cols()];
    let mut w_bias = 0.0;
    let mut alpha = vec![0.0; l];
    let (diag_pos, diag_neg, ub_pos, ub_neg) = match cfg.loss {
        SvmLoss::SquaredHinge => (0.5 / p.c_pos, 0.5 / p.c_neg, f64::INFINITY, f64::INFINITY),
        SvmLoss::Hinge => (0.0, 0.0, p.c_pos, p.c_neg),
    };
    let sign = |i: usize| if p.y_pos[i] { 1.0 } else { -1.0 };
    let qd: Vec<f64> = (0..l)
        .map(|i| {
            let (_, vals) = p.x.row(i);
            let d = if p.y_pos[i] { diag_pos } else { diag_neg };
            d + vals.iter().map(|v| v * v).sum::<f64>() + p.bias * p.bias
        })
        .collect();
    let mut index: Vec<usize> = (0..l).collect();
    let mut active = l;
    let mut pg_max_old = f64::INFINITY;
    let mut pg_min_old = f64::NEG_INFINITY;
    let mut iter = 0;
    let mut converged = false;
    while iter < cfg.max_iter {
        let mut pg_max_new = f64::NEG_INFINITY;
        let mut pg_min_new = f64::INFINITY;
        for s in 0..active {
            let j = s + rng.below(active - s);
            index.swap(s, j);
        }
        let mut s = 0;
        while s < active {
            let i = index[s];
            let yi = sign(i);
            let (diag, ub) = if p.y_pos[i] {
                (diag_pos, ub_pos)
            } else {
                (diag_neg, ub_neg)
            };
            let (cols, vals) = p.x.row(i);
            let g = yi * (row_dot(cols, vals, &w) + w_bias * p.bias) - 1.0 + alpha[i] * diag;
            let mut pg = 0.0;
            if alpha[i] == 0.0 {
                if cfg.shrinking && g > pg_max_old {
                    active -= 1;
                    index.swap(s, active);
                    continue;
                } else if g < 0.0 {
                    pg = g;
                }
            } else if alpha[i] == ub {
                if cfg.shrinking && g < pg_min_old {
                    active -= 1;
                    index.swap(s, active);
                    continue;
                } else if g > 0.0 {
                    pg = g;
                }
            } else {
                pg = g;
            }
            pg_max_new = pg_max_new.max(pg);
            pg_min_new = pg_min_new.min(pg);
            if pg.abs() > 1e-12 {
                let old = alpha[i];
                alpha[i] = (alpha[i] - g / qd[i]).max(0.0).min(ub);
                let d = (alpha[i] - old) * yi;
                for (&c, &v) in cols.iter().zip(vals) {
                    w[c as usize] += d * v;
                }
                w_bias += d * p.bias;
            }
            s += 1;
        }
        iter += 1;
        if pg_max_new - pg_min_new <= cfg.tol {
            if active == l {
                converged = true;
                break;
            }
            // Converged on the shrunk set: check again on every row.
            active = l;
            pg_max_old = f64::INFINITY;
            pg_min_old = f64::NEG_INFINITY;
            continue;
        }
        pg_max_old = if pg_max_new <= 0.0 {
            f64::INFINITY
        } else {
            pg_max_new
        };
        pg_min_old = if pg_min_new >= 0.0 {
            f64::NEG_INFINITY
        } else {
            pg_min_new
        };
    }
    let primal_objective = primal_objective(p, cfg.loss, &w, w_bias);
    DualCdSolution {
        w,
        w_bias,
        iterations: iter,
        converged,
        primal_objective,
    }
}

/// `½‖(w, w_bias)‖² + Σ C_i ξ_i` of a binary problem.
pub(crate) fn primal_objective(
    p: &BinaryProblem<'_>,
    loss: SvmLoss,
    w: &[f64],
    w_bias: f64,
) -> f64 {
    let reg = 0.5 * (w.iter().map(|v| v * v).sum::<f64>() + w_bias * w_bias);
    let mut data = 0.0;
    for (i, (cols, vals)) in p.x.rows().enumerate() {
        let (yi, ci) = if p.y_pos[i] {
            (1.0, p.c_pos)
        } else {
            (-1.0, p.c_neg)
        };
        let margin = 1.0 - yi * (row_dot(cols, vals, w) + w_bias * p.bias);
        if margin > 0.0 {
            data += ci
                * match loss {
                    SvmLoss::Hinge => margin,
                    SvmLoss::SquaredHinge => margin * margin,
                };
        }
    }
    reg + data
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> (CsrMatrix, Vec<usize>) {
        // Separable: class 1 has feature 0 large, class 0 feature 1 large.
        let x = CsrMatrix::from_dense(&[
            vec![2.0, 0.0],
            vec![1.5, 0.5],
            vec![0.0, 2.0],
            vec![0.5, 1.5],
        ])
        .unwrap();
        (x, vec![1, 1, 0, 0])
    }

    /// At the optimum of the squared-hinge problem the primal gradient
    /// `w − 2 Σ C_i ξ_i y_i x_i` vanishes.
    #[test]
    fn squared_hinge_optimum_has_zero_gradient() {
        let (x, y) = toy();
        let mut svm = LinearSvc::new(LinearSvcConfig {
            tol: 1e-10,
            max_iter: 100_000,
            ..Default::default()
        });
        svm.fit(&x, &y).unwrap();
        assert!(svm.converged);
        let w = [svm.coef[0], svm.coef[1], svm.intercept[0]];
        let mut grad = w;
        for (i, (cols, vals)) in x.rows().enumerate() {
            let yi = if y[i] == 1 { 1.0 } else { -1.0 };
            let xi = [x.get(i, 0), x.get(i, 1), 1.0];
            let margin = 1.0 - yi * (row_dot(cols, vals, &w[..2]) + w[2]);
            if margin > 0.0 {
                for d in 0..3 {
                    grad[d] -= 2.0 * margin * yi * xi[d];
                }
            }
        }
        assert!(grad.iter().all(|g| g.abs() < 1e-6), "{grad:?}");
        assert_eq!(svm.predict(&x).unwrap(), y);
    }

    #[test]
    fn hinge_multiclass_and_seed() {
        let x = CsrMatrix::from_dense(&[
            vec![1.0, 0.0, 0.0],
            vec![0.9, 0.1, 0.0],
            vec![0.0, 1.0, 0.0],
            vec![0.1, 0.9, 0.0],
            vec![0.0, 0.0, 1.0],
            vec![0.0, 0.1, 0.9],
        ])
        .unwrap();
        let y = [0, 0, 1, 1, 2, 2];
        let cfg = LinearSvcConfig {
            loss: SvmLoss::Hinge,
            c: 10.0,
            ..Default::default()
        };
        let mut a = LinearSvc::new(cfg.clone());
        a.fit(&x, &y).unwrap();
        assert_eq!(a.predict(&x).unwrap(), y);
        assert_eq!(a.decision_function(&x).unwrap().n_cols, 3);
        let mut b = LinearSvc::new(cfg);
        b.fit(&x, &y).unwrap();
        assert_eq!(a.coef, b.coef, "same seed, same model");
        let mut bad = LinearSvc::new(LinearSvcConfig {
            c: 0.0,
            ..Default::default()
        });
        assert!(bad.fit(&x, &y).is_err());
        assert!(LinearSvc::default().fit(&x, &[0; 6]).is_err());
    }
}
