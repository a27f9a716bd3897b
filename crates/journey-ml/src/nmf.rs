//! Non-negative matrix factorisation X ≈ W H (X: documents × terms, W:
//! documents × k, H: k × terms, all ≥ 0), as scikit-learn's `NMF`.
//!
//! - Losses: Frobenius ½‖X − WH‖² and the generalised Kullback–Leibler
//!   divergence (β-divergence with β = 1).
//! - Solvers: coordinate descent for Frobenius (Cichocki & Phan, "Fast local
//!   algorithms for large scale NMF and NTF", 2009; scikit-learn's `cd`): each
//!   column of W is updated in closed form `W[:,t] ← max(0, W[:,t] − ∇/HHᵀ[t,t])`
//!   given the Gram matrices, then the same for Hᵀ; it stops when the
//!   projected-gradient violation falls below `tol` × the first one.
//!   Multiplicative updates (Lee & Seung, "Algorithms for non-negative matrix
//!   factorization", NIPS 2001; scikit-learn's `mu`) for both losses: W ←
//!   W ∘ (XHᵀ)/(WHHᵀ), H ← H ∘ (WᵀX)/(WᵀWH) for Frobenius and W ← W ∘
//!   ((X/WH)Hᵀ)/(1Hᵀ), H ← H ∘ (Wᵀ(X/WH))/(Wᵀ1) for KL, checked every 10
//!   iterations against the relative decrease of the loss.
//! - Initialisation: NNDSVD (Boutsidis & Gallopoulos, "SVD based
//!   initialization: A head start for nonnegative matrix factorization",
//!   2008) from the top-k SVD (our randomized SVD, `randomized_svd.rs`):
//!   each singular pair is split into its positive and negative parts and the
//!   dominant part kept; NNDSVDa fills the zeros with mean(X), NNDSVDar with
//!   small random values; `random` is scaled |N(0,1)| · √(mean(X)/k).
//!
//! With the same initialisation the `cd` solver is deterministic, so it
//! reproduces scikit-learn's NMF(init='nndsvd', solver='cd') (tested on TF-IDF
//! of the Lee corpus). Cost per iteration: O(nnz(X) · k + (n + m) · k²) for
//! `cd` and Frobenius `mu`, O(nnz(X) · k + (n + m) · k) more for KL; memory
//! O((n + m) · k) beyond X.

use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::MlError;
use crate::randomized_svd::{randomized_svd, SvdConfig};
use crate::sparse::CsrMatrix;
use crate::xoshiro::Xoshiro256;

/// scikit-learn's guard against division by zero (float32 machine epsilon).
const EPSILON: f64 = f32::EPSILON as f64;

/// Which loss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BetaLoss {
    Frobenius,
    KullbackLeibler,
}

/// Which solver.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NmfSolver {
    /// Coordinate descent (Frobenius only).
    Cd,
    /// Multiplicative updates.
    Mu,
}

/// Which initialisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NmfInit {
    Nndsvd,
    Nndsvda,
    Nndsvdar,
    Random,
}

/// Settings (scikit-learn's names and defaults).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NmfConfig {
    pub n_components: usize,
    pub init: NmfInit,
    pub solver: NmfSolver,
    pub beta_loss: BetaLoss,
    pub tol: f64,
    pub max_iter: usize,
    pub seed: u64,
    /// The truncated SVD behind the NNDSVD initialisations.
    pub svd: SvdConfig,
}

impl Default for NmfConfig {
    fn default() -> Self {
        Self {
            n_components: 10,
            init: NmfInit::Nndsvd,
            solver: NmfSolver::Cd,
            beta_loss: BetaLoss::Frobenius,
            tol: 1e-4,
            max_iter: 200,
            seed: 0,
            svd: SvdConfig::default(),
        }
    }
}

/// A fitted factorisation: H (the topics) and the fit statistics.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Nmf {
    pub config: NmfConfig,
    /// H, k × n_features, row-major.
    pub components: Vec<f64>,
    pub n_features: usize,
    /// ‖X − WH‖_F (Frobenius) or √(2 · KL) on the training data, as
    /// scikit-learn's `reconstruction_err_`.
    pub reconstruction_err: f64,
    pub n_iter: usize,
}

impl Nmf {
    /// Fits on `x` and returns the model and W (n_samples × k, row-major).
    pub fn fit_transform(x: &CsrMatrix, config: &NmfConfig) -> Result<(Nmf, Vec<f64>), MlError> {
        check_input(x, config)?;
        let k = config.n_components;
        let (w, h) = initialize(x, config)?;
        let mut ht = transpose(&h, k, x.n_cols());
        let mut w = w;
        let n_iter = solve(x, &mut w, &mut ht, config, true)?;
        let h = transpose(&ht, x.n_cols(), k);
        let err = divergence(x, &w, &h, k, config.beta_loss);
        Ok((
            Nmf {
                config: config.clone(),
                components: h,
                n_features: x.n_cols(),
                reconstruction_err: err,
                n_iter,
            },
            w,
        ))
    }

    /// Fits on `x`.
    pub fn fit(x: &CsrMatrix, config: &NmfConfig) -> Result<Nmf, MlError> {
        Ok(Self::fit_transform(x, config)?.0)
    }

    /// W for new documents with H fixed (scikit-learn's `transform`: W starts
    /// at zero for `cd`, at √(mean(X)/k) for `mu`).
    pub fn transform(&self, x: &CsrMatrix) -> Result<Vec<f64>, MlError> {
        if x.n_cols() != self.n_features {
            return Err(MlError::Shape(format!(
                "the model has {} features but the input has {} columns",
                self.n_features,
                x.n_cols()
            )));
        }
        check_values(x)?;
        let k = self.config.n_components;
        let n = x.n_rows();
        let mut w = match self.config.solver {
            NmfSolver::Cd => vec![0.0; n * k],
            NmfSolver::Mu => vec![(mean(x) / k as f64).sqrt(); n * k],
        };
        let mut ht = transpose(&self.components, k, self.n_features);
        solve(x, &mut w, &mut ht, &self.config, false)?;
        Ok(w)
    }

    /// H as rows.
    pub fn component(&self, t: usize) -> &[f64] {
        &self.components[t * self.n_features..(t + 1) * self.n_features]
    }

    /// The `n` largest entries of each row of H, as (feature, weight).
    pub fn top_features(&self, n: usize) -> Vec<Vec<(usize, f64)>> {
        (0..self.config.n_components)
            .map(|t| top_n(self.component(t), n))
            .collect()
    }

    /// Saves as JSON (atomic write).
    pub fn save(&self, path: &Path) -> Result<(), MlError> {
        let json = serde_json::to_vec(self)
            .map_err(|e| MlError::Invalid(format!("cannot serialise NMF model: {e}")))?;
        crate::error::write_atomic(path, &json)
    }

    /// Loads a model written by `save`.
    pub fn load(path: &Path) -> Result<Nmf, MlError> {
        let bytes = std::fs::read(path).map_err(|e| MlError::io(path, e))?;
        let m: Nmf = serde_json::from_slice(&bytes).map_err(|e| {
            MlError::parse(
                path,
                e.line(),
                format!("not an NMF model (truncated?): {e}"),
            )
        })?;
        if m.components.len() != m.config.n_components * m.n_features {
            return Err(MlError::parse(
                path,
                1,
                "NMF model: components do not match n_components × n_features",
            ));
        }
        Ok(m)
    }
}

/// Indices of the `n` largest values, largest first (ties by index).
pub fn top_n(values: &[f64], n: usize) -> Vec<(usize, f64)> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    idx.into_iter().take(n).map(|i| (i, values[i])).collect()
}

fn check_values(x: &CsrMatrix) -> Result<(), MlError> {
    if x.data().iter().any(|v| !v.is_finite() || *v < 0.0) {
        return Err(MlError::Invalid(
            "NMF needs a matrix of finite, non-negative values".into(),
        ));
    }
    Ok(())
}

fn check_input(x: &CsrMatrix, config: &NmfConfig) -> Result<(), MlError> {
    if config.n_components == 0 {
        return Err(MlError::Config(
            "the number of topics must be at least 1".into(),
        ));
    }
    if x.n_rows() == 0 || x.n_cols() == 0 || x.nnz() == 0 {
        return Err(MlError::Empty(format!(
            "NMF input is empty ({} documents, {} terms, {} non-zeros)",
            x.n_rows(),
            x.n_cols(),
            x.nnz()
        )));
    }
    if config.solver == NmfSolver::Cd && config.beta_loss != BetaLoss::Frobenius {
        return Err(MlError::Config(
            "the coordinate descent solver handles only the Frobenius loss; use --solver mu".into(),
        ));
    }
    check_values(x)
}

fn mean(x: &CsrMatrix) -> f64 {
    x.data().iter().sum::<f64>() / (x.n_rows() as f64 * x.n_cols() as f64)
}

fn transpose(a: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    let mut t = vec![0.0; rows * cols];
    for i in 0..rows {
        for j in 0..cols {
            t[j * rows + i] = a[i * cols + j];
        }
    }
    t
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// W (n × k) and H (k × m), row-major.
fn initialize(x: &CsrMatrix, config: &NmfConfig) -> Result<(Vec<f64>, Vec<f64>), MlError> {
    let (n, m) = x.shape();
    let k = config.n_components;
    let mut rng = Xoshiro256::new(config.seed);
    if config.init == NmfInit::Random {
        let avg = (mean(x) / k as f64).sqrt();
        let h = (0..k * m).map(|_| avg * rng.normal().abs()).collect();
        let w = (0..n * k).map(|_| avg * rng.normal().abs()).collect();
        return Ok((w, h));
    }
    if k > n.min(m) {
        return Err(MlError::Config(format!(
            "NNDSVD needs at most min(documents, terms) = {} topics, got {k}; use init random",
            n.min(m)
        )));
    }
    let svd = randomized_svd(x, k, &config.svd)?;
    let mut w = vec![0.0; n * k];
    let mut h = vec![0.0; k * m];
    let s0 = svd.s[0].sqrt();
    for i in 0..n {
        w[i * k] = s0 * svd.u[0][i].abs();
    }
    for (hj, vj) in h[..m].iter_mut().zip(&svd.v[0]) {
        *hj = s0 * vj.abs();
    }
    for t in 1..k {
        let (xv, yv) = (&svd.u[t], &svd.v[t]);
        let xp: Vec<f64> = xv.iter().map(|v| v.max(0.0)).collect();
        let yp: Vec<f64> = yv.iter().map(|v| v.max(0.0)).collect();
        let xn: Vec<f64> = xv.iter().map(|v| v.min(0.0).abs()).collect();
        let yn: Vec<f64> = yv.iter().map(|v| v.min(0.0).abs()).collect();
        let (xpn, ypn, xnn, ynn) = (norm(&xp), norm(&yp), norm(&xn), norm(&yn));
        let (mp, mn) = (xpn * ypn, xnn * ynn);
        let (u, v, sigma, un, vn) = if mp > mn {
            (xp, yp, mp, xpn, ypn)
        } else {
            (xn, yn, mn, xnn, ynn)
        };
        let lbd = (svd.s[t] * sigma).sqrt();
        for i in 0..n {
            w[i * k + t] = lbd * u[i] / un;
        }
        for j in 0..m {
            h[t * m + j] = lbd * v[j] / vn;
        }
    }
    let eps = 1e-6;
    w.iter_mut().chain(h.iter_mut()).for_each(|v| {
        if *v < eps {
            *v = 0.0
        }
    });
    match config.init {
        NmfInit::Nndsvda => {
            let avg = mean(x);
            w.iter_mut().chain(h.iter_mut()).for_each(|v| {
                if *v == 0.0 {
                    *v = avg
                }
            });
        }
        NmfInit::Nndsvdar => {
            let avg = mean(x);
            for v in w.iter_mut().chain(h.iter_mut()) {
                if *v == 0.0 {
                    *v = (avg * rng.normal() / 100.0).abs();
                }
            }
        }
        _ => {}
    }
    Ok((w, h))
}

/// `a` (n × c sparse) times `b` (c × k dense, row-major): n × k.
fn sparse_dense(a: &CsrMatrix, b: &[f64], k: usize) -> Vec<f64> {
    let mut out = vec![0.0; a.n_rows() * k];
    out.par_chunks_mut(k.max(1))
        .enumerate()
        .for_each(|(i, row)| {
            let (idx, val) = a.row(i);
            for (&j, &v) in idx.iter().zip(val) {
                let src = &b[j as usize * k..(j as usize + 1) * k];
                for (o, s) in row.iter_mut().zip(src) {
                    *o += v * s;
                }
            }
        });
    out
}

/// Aᵀ A for a row-major n × k matrix: k × k.
fn gram(a: &[f64], k: usize) -> Vec<f64> {
    let mut g = vec![0.0; k * k];
    for row in a.chunks(k) {
        for r in 0..k {
            let x = row[r];
            if x == 0.0 {
                continue;
            }
            for s in 0..k {
                g[r * k + s] += x * row[s];
            }
        }
    }
    g
}

/// One coordinate-descent sweep over the columns of `w` (n × k): the body
/// of scikit-learn's `_update_cdnmf_fast`; rows are independent, so they run
/// in parallel with the same result. Returns the projected-gradient norm.
fn cd_sweep(w: &mut [f64], hht: &[f64], xht: &[f64], k: usize) -> f64 {
    let violations: Vec<f64> = w
        .par_chunks_mut(k)
        .zip(xht.par_chunks(k))
        .map(|(wi, xi)| {
            let mut violation = 0.0;
            for t in 0..k {
                let mut grad = -xi[t];
                for r in 0..k {
                    grad += hht[t * k + r] * wi[r];
                }
                let pg = if wi[t] == 0.0 { grad.min(0.0) } else { grad };
                violation += pg.abs();
                let hess = hht[t * k + t];
                if hess != 0.0 {
                    wi[t] = (wi[t] - grad / hess).max(0.0);
                }
            }
            violation
        })
        .collect();
    violations.iter().sum()
}

/// Runs the solver; `w` is n × k, `ht` is m × k (H transposed). Returns the
/// iterations done.
fn solve(
    x: &CsrMatrix,
    w: &mut [f64],
    ht: &mut [f64],
    config: &NmfConfig,
    update_h: bool,
) -> Result<usize, MlError> {
    let k = config.n_components;
    let xt = if update_h { Some(x.transpose()) } else { None };
    match config.solver {
        NmfSolver::Cd => {
            let mut violation_init = 0.0;
            for n_iter in 1..=config.max_iter {
                let mut violation = cd_sweep(w, &gram(ht, k), &sparse_dense(x, ht, k), k);
                if let Some(xt) = &xt {
                    violation += cd_sweep(ht, &gram(w, k), &sparse_dense(xt, w, k), k);
                }
                if n_iter == 1 {
                    violation_init = violation;
                }
                if violation_init == 0.0 || violation / violation_init <= config.tol {
                    return Ok(n_iter);
                }
            }
            Ok(config.max_iter)
        }
        NmfSolver::Mu => Ok(multiplicative(x, xt.as_ref(), w, ht, config)),
    }
}

/// (WH)_{ij} at the non-zeros of X, in X's order.
fn wh_at_nonzeros(x: &CsrMatrix, w: &[f64], ht: &[f64], k: usize) -> Vec<f64> {
    let mut out = vec![0.0; x.nnz()];
    let indptr = x.indptr();
    let chunks: Vec<(usize, &mut [f64])> = {
        let mut rest: &mut [f64] = &mut out;
        let mut v = Vec::with_capacity(x.n_rows());
        for i in 0..x.n_rows() {
            let (a, b) = rest.split_at_mut(indptr[i + 1] - indptr[i]);
            v.push((i, a));
            rest = b;
        }
        v
    };
    chunks.into_par_iter().for_each(|(i, dst)| {
        let wi = &w[i * k..(i + 1) * k];
        for (d, &j) in dst.iter_mut().zip(x.row(i).0) {
            let hj = &ht[j as usize * k..(j as usize + 1) * k];
            *d = wi.iter().zip(hj).map(|(a, b)| a * b).sum();
        }
    });
    out
}

/// Multiplicative updates (W then H each iteration); returns the iterations.
fn multiplicative(
    x: &CsrMatrix,
    xt: Option<&CsrMatrix>,
    w: &mut [f64],
    ht: &mut [f64],
    config: &NmfConfig,
) -> usize {
    let k = config.n_components;
    let m = x.n_cols();
    let loss = |w: &[f64], ht: &[f64]| divergence(x, w, &transpose(ht, m, k), k, config.beta_loss);
    let error_at_init = loss(w, ht);
    let mut previous = error_at_init;
    for n_iter in 1..=config.max_iter {
        mu_step(x, w, ht, k, config.beta_loss);
        if let Some(xt) = xt {
            mu_step(xt, ht, w, k, config.beta_loss);
        }
        if config.beta_loss == BetaLoss::KullbackLeibler && xt.is_some() {
            ht.iter_mut().for_each(|v| {
                if *v < f64::EPSILON {
                    *v = 0.0
                }
            });
        }
        if config.tol > 0.0 && n_iter % 10 == 0 {
            let error = loss(w, ht);
            if (previous - error) / error_at_init < config.tol {
                return n_iter;
            }
            previous = error;
        }
    }
    config.max_iter
}

/// One multiplicative update of `a` (rows × k) in X ≈ A Bᵀ, `b` (cols × k).
fn mu_step(x: &CsrMatrix, a: &mut [f64], b: &[f64], k: usize, loss: BetaLoss) {
    let (numerator, denominator): (Vec<f64>, Vec<f64>) = match loss {
        BetaLoss::Frobenius => {
            let num = sparse_dense(x, b, k);
            let btb = gram(b, k);
            let mut den = vec![0.0; a.len()];
            for (d, ai) in den.chunks_mut(k).zip(a.chunks(k)) {
                for t in 0..k {
                    d[t] = (0..k).map(|r| ai[r] * btb[r * k + t]).sum();
                }
            }
            (num, den)
        }
        BetaLoss::KullbackLeibler => {
            let mut ratio = wh_at_nonzeros(x, a, b, k);
            for (r, &xv) in ratio.iter_mut().zip(x.data()) {
                *r = xv / r.max(EPSILON);
            }
            let q = CsrMatrix::from_parts(
                x.n_rows(),
                x.n_cols(),
                x.indptr().to_vec(),
                x.indices().to_vec(),
                ratio,
            )
            .expect("same structure as X");
            let num = sparse_dense(&q, b, k);
            let mut col_sums = vec![0.0; k];
            for row in b.chunks(k) {
                for t in 0..k {
                    col_sums[t] += row[t];
                }
            }
            let den = (0..a.len()).map(|i| col_sums[i % k]).collect();
            (num, den)
        }
    };
    for ((v, n), d) in a.iter_mut().zip(&numerator).zip(&denominator) {
        let d = if *d == 0.0 { EPSILON } else { *d };
        *v *= n / d;
    }
}

/// scikit-learn's `_beta_divergence(X, W, H, beta, square_root=True)`.
pub fn divergence(x: &CsrMatrix, w: &[f64], h: &[f64], k: usize, loss: BetaLoss) -> f64 {
    let m = x.n_cols();
    let ht = transpose(h, k, m);
    match loss {
        BetaLoss::Frobenius => {
            let norm_x: f64 = x.data().iter().map(|v| v * v).sum();
            let wtw = gram(w, k);
            let hht = gram(&ht, k);
            let norm_wh: f64 = wtw.iter().zip(&hht).map(|(a, b)| a * b).sum();
            let xht = sparse_dense(x, &ht, k);
            let cross: f64 = xht.iter().zip(w).map(|(a, b)| a * b).sum();
            let res = ((norm_x + norm_wh - 2.0 * cross) / 2.0).max(0.0);
            (2.0 * res).sqrt()
        }
        BetaLoss::KullbackLeibler => {
            let wh = wh_at_nonzeros(x, w, &ht, k);
            let mut res = 0.0;
            let mut x_sum = 0.0;
            for (&xv, &v) in x.data().iter().zip(&wh) {
                if xv > EPSILON {
                    res += xv * (xv / v.max(EPSILON)).ln();
                    x_sum += xv;
                }
            }
            let mut wsum = vec![0.0; k];
            for row in w.chunks(k) {
                for t in 0..k {
                    wsum[t] += row[t];
                }
            }
            let hsum: Vec<f64> = (0..k).map(|t| h[t * m..(t + 1) * m].iter().sum()).collect();
            res += wsum.iter().zip(&hsum).map(|(a, b)| a * b).sum::<f64>() - x_sum;
            (2.0 * res.max(0.0)).sqrt()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> CsrMatrix {
        CsrMatrix::from_dense(&[
            vec![3.0, 2.0, 0.0, 0.0, 1.0],
            vec![2.0, 3.0, 0.0, 0.0, 0.0],
            vec![0.0, 0.0, 4.0, 1.0, 0.0],
            vec![0.0, 1.0, 3.0, 2.0, 0.0],
            vec![1.0, 0.0, 0.0, 1.0, 2.0],
        ])
        .unwrap()
    }

    #[test]
    fn every_solver_reduces_the_loss_and_transform_agrees() {
        let x = toy();
        for (solver, loss) in [
            (NmfSolver::Cd, BetaLoss::Frobenius),
            (NmfSolver::Mu, BetaLoss::Frobenius),
            (NmfSolver::Mu, BetaLoss::KullbackLeibler),
        ] {
            let cfg = NmfConfig {
                n_components: 2,
                solver,
                beta_loss: loss,
                init: NmfInit::Nndsvda,
                max_iter: 500,
                ..Default::default()
            };
            let (w0, h0) = initialize(&x, &cfg).unwrap();
            let before = divergence(&x, &w0, &h0, 2, loss);
            let (model, w) = Nmf::fit_transform(&x, &cfg).unwrap();
            assert!(model.reconstruction_err < before, "{solver:?} {loss:?}");
            assert!(w.iter().chain(&model.components).all(|v| *v >= 0.0));
            let w2 = model.transform(&x).unwrap();
            let err2 = divergence(&x, &w2, &model.components, 2, loss);
            assert!(err2 <= model.reconstruction_err * 1.05 + 1e-9, "{err2}");
        }
    }

    #[test]
    fn bad_settings_are_refused() {
        let x = toy();
        let zero = NmfConfig {
            n_components: 0,
            ..Default::default()
        };
        assert!(Nmf::fit(&x, &zero)
            .unwrap_err()
            .to_string()
            .contains("at least 1"));
        let kl_cd = NmfConfig {
            beta_loss: BetaLoss::KullbackLeibler,
            ..Default::default()
        };
        assert!(Nmf::fit(&x, &kl_cd).is_err());
        assert!(Nmf::fit(&CsrMatrix::zeros(3, 3), &NmfConfig::default()).is_err());
    }
}
