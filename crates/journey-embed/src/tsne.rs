//! t-SNE, t-distributed stochastic neighbour embedding (van der Maaten &
//! Hinton, "Visualizing Data using t-SNE", JMLR 9, 2008), the exact O(n²)
//! method as scikit-learn's `TSNE(method="exact")` runs it.
//!
//! 1. Affinities in the input space: for each point i, a Gaussian over the
//!    squared distances whose precision β_i is found by bisection so that the
//!    entropy of P(·|i) is ln(perplexity) (within 1e-5, at most 100 steps);
//!    then `p_ij = (p_j|i + p_i|j) / Σ`, floored at machine epsilon.
//! 2. Affinities in the plane: a Student-t with one degree of freedom,
//!    `q_ij ∝ (1 + ‖y_i − y_j‖²)⁻¹`.
//! 3. Gradient descent on KL(P‖Q), gradient
//!    `4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + ‖y_i − y_j‖²)⁻¹` (eq. 5), with
//!    momentum (0.5, then 0.8), per-coordinate gains (Jacobs 1988: +0.2 when
//!    the sign of the step flips, ×0.8 otherwise, at least 0.01), and "early
//!    exaggeration" (P × 12) for the first 250 iterations, after which the
//!    momentum and gains start afresh; the learning rate
//!    is `max(n / 12 / 4, 50)` (Belkina et al. 2019, scikit-learn's "auto").
//!    The start is the PCA projection scaled to a standard deviation of 1e-4
//!    along the first axis, so the result depends on no random seed.
//!
//! Cost: O(n² · dim) for the distances, O(n²) time per iteration and O(n²)
//! memory: meant for the few hundred words of a plot, not a vocabulary.

use crate::error::EmbedError;
use crate::pca::Pca;

/// Settings; `Default` is scikit-learn's (`TSNE()` with `method="exact"`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TsneConfig {
    pub perplexity: f64,
    pub early_exaggeration: f64,
    /// `None`: `max(n / early_exaggeration / 4, 50)`.
    pub learning_rate: Option<f64>,
    pub max_iter: usize,
    /// Stop when the error has not improved for this many iterations.
    pub n_iter_without_progress: usize,
    pub min_grad_norm: f64,
}

impl Default for TsneConfig {
    fn default() -> Self {
        TsneConfig {
            perplexity: 30.0,
            early_exaggeration: 12.0,
            learning_rate: None,
            max_iter: 1000,
            n_iter_without_progress: 300,
            min_grad_norm: 1e-7,
        }
    }
}

/// Iterations with early exaggeration and momentum 0.5.
const EXPLORATION_ITER: usize = 250;
/// The error is computed (and progress checked) every this many iterations.
const CHECK_EVERY: usize = 50;
const PERPLEXITY_TOLERANCE: f64 = 1e-5;
const MACHINE_EPSILON: f64 = f64::EPSILON;

/// The 2-D points and how the optimisation ended.
#[derive(Debug, Clone)]
pub struct TsneResult {
    pub points: Vec<[f64; 2]>,
    /// KL(P‖Q) at the end.
    pub kl_divergence: f64,
    /// Iterations run.
    pub n_iter: usize,
}

/// Squared Euclidean distances, row-major n × n.
pub fn squared_distances(rows: &[&[f32]]) -> Vec<f64> {
    let n = rows.len();
    let mut d = vec![0.0f64; n * n];
    for i in 0..n {
        for j in (i + 1)..n {
            let s: f64 = rows[i]
                .iter()
                .zip(rows[j].iter())
                .map(|(&a, &b)| {
                    let t = a as f64 - b as f64;
                    t * t
                })
                .sum();
            d[i * n + j] = s;
            d[j * n + i] = s;
        }
    }
    d
}

/// The joint probabilities `p_ij` (row-major n × n, zero diagonal) for the
/// given squared distances and perplexity (step 1 above).
pub fn joint_probabilities(sqdist: &[f64], n: usize, perplexity: f64) -> Vec<f64> {
    let desired = perplexity.ln();
    let mut cond = vec![0.0f64; n * n];
    for i in 0..n {
        // scikit-learn searches on float32 distances; rounding them the same
        // way keeps P equal to its to 1e-9 rather than 1e-7.
        let row: Vec<f64> = sqdist[i * n..(i + 1) * n]
            .iter()
            .map(|&d| d as f32 as f64)
            .collect();
        let (mut beta, mut lo, mut hi) = (1.0f64, f64::NEG_INFINITY, f64::INFINITY);
        let p = &mut cond[i * n..(i + 1) * n];
        for _ in 0..100 {
            let mut sum = 0.0;
            for j in 0..n {
                p[j] = if j == i { 0.0 } else { (-row[j] * beta).exp() };
                sum += p[j];
            }
            if sum == 0.0 {
                sum = 1e-8;
            }
            let mut sum_dp = 0.0;
            for j in 0..n {
                p[j] /= sum;
                sum_dp += row[j] * p[j];
            }
            let entropy = sum.ln() + beta * sum_dp;
            let diff = entropy - desired;
            if diff.abs() <= PERPLEXITY_TOLERANCE {
                break;
            }
            if diff > 0.0 {
                lo = beta;
                beta = if hi == f64::INFINITY {
                    beta * 2.0
                } else {
                    (beta + hi) / 2.0
                };
            } else {
                hi = beta;
                beta = if lo == f64::NEG_INFINITY {
                    beta / 2.0
                } else {
                    (beta + lo) / 2.0
                };
            }
        }
    }
    let mut joint = vec![0.0f64; n * n];
    let mut total = 0.0;
    for i in 0..n {
        for j in 0..n {
            let v = cond[i * n + j] + cond[j * n + i];
            joint[i * n + j] = v;
            total += v;
        }
    }
    let total = total.max(MACHINE_EPSILON);
    for i in 0..n {
        for j in 0..n {
            joint[i * n + j] = if i == j {
                0.0
            } else {
                (joint[i * n + j] / total).max(MACHINE_EPSILON)
            };
        }
    }
    joint
}

/// KL(P‖Q) and its gradient at `y` (n points in 2-D), step 2–3 above.
fn kl_and_gradient(p: &[f64], y: &[[f64; 2]], grad: &mut [[f64; 2]]) -> f64 {
    let n = y.len();
    let mut w = vec![0.0f64; n * n];
    let mut sum = 0.0;
    for i in 0..n {
        for j in (i + 1)..n {
            let dx = y[i][0] - y[j][0];
            let dy = y[i][1] - y[j][1];
            let v = 1.0 / (1.0 + dx * dx + dy * dy);
            w[i * n + j] = v;
            w[j * n + i] = v;
            sum += 2.0 * v;
        }
    }
    let mut kl = 0.0;
    for (i, g) in grad.iter_mut().enumerate() {
        let mut gx = 0.0;
        let mut gy = 0.0;
        for j in 0..n {
            if i == j {
                continue;
            }
            let wij = w[i * n + j];
            let q = (wij / sum).max(MACHINE_EPSILON);
            let pij = p[i * n + j];
            if j > i {
                kl += 2.0 * pij * (pij.max(MACHINE_EPSILON) / q).ln();
            }
            let m = (pij - q) * wij;
            gx += m * (y[i][0] - y[j][0]);
            gy += m * (y[i][1] - y[j][1]);
        }
        *g = [4.0 * gx, 4.0 * gy];
    }
    kl
}

/// Embeds `rows` in two dimensions.
pub fn tsne(rows: &[&[f32]], config: &TsneConfig) -> Result<TsneResult, EmbedError> {
    let n = rows.len();
    if n < 3 {
        return Err(EmbedError::Empty(format!(
            "t-SNE needs at least 3 vectors, got {n}"
        )));
    }
    if !(config.perplexity > 0.0 && config.perplexity < n as f64) {
        return Err(EmbedError::Config(format!(
            "t-SNE perplexity must be in (0, {n}) for {n} points, got {}",
            config.perplexity
        )));
    }
    if config.early_exaggeration.is_nan() || config.early_exaggeration < 1.0 {
        return Err(EmbedError::Config(format!(
            "early exaggeration must be ≥ 1, got {}",
            config.early_exaggeration
        )));
    }
    let pca = Pca::fit(rows, 2)?;
    let mut y: Vec<[f64; 2]> = pca
        .transform(rows)?
        .into_iter()
        .map(|v| [v[0], v[1]])
        .collect();
    let mean0 = y.iter().map(|p| p[0]).sum::<f64>() / n as f64;
    let sd0 = (y.iter().map(|p| (p[0] - mean0).powi(2)).sum::<f64>() / n as f64).sqrt();
    let scale = if sd0 > 0.0 { 1e-4 / sd0 } else { 1.0 };
    for p in &mut y {
        p[0] *= scale;
        p[1] *= scale;
    }
    let sq = squared_distances(rows);
    let mut p = joint_probabilities(&sq, n, config.perplexity);
    let lr = config
        .learning_rate
        .unwrap_or_else(|| (n as f64 / config.early_exaggeration / 4.0).max(50.0));
    if !(lr > 0.0 && lr.is_finite()) {
        return Err(EmbedError::Config(format!(
            "t-SNE learning rate must be > 0, got {lr}"
        )));
    }

    let mut update = vec![[0.0f64; 2]; n];
    let mut gains = vec![[1.0f64; 2]; n];
    let mut grad = vec![[0.0f64; 2]; n];
    p.iter_mut().for_each(|v| *v *= config.early_exaggeration);
    let mut kl = f64::NAN;
    let mut it = 0;
    // Two phases: exploration (exaggerated P, momentum 0.5), then the rest.
    let phases = [
        (EXPLORATION_ITER.min(config.max_iter), 0.5, EXPLORATION_ITER),
        (config.max_iter, 0.8, config.n_iter_without_progress),
    ];
    for (phase, &(end, momentum, patience)) in phases.iter().enumerate() {
        if phase == 1 {
            p.iter_mut().for_each(|v| *v /= config.early_exaggeration);
        }
        // Each phase starts from rest, with fresh gains (as scikit-learn's
        // two calls of its gradient descent do).
        update.iter_mut().for_each(|u| *u = [0.0; 2]);
        gains.iter_mut().for_each(|g| *g = [1.0; 2]);
        let (mut best_error, mut best_iter) = (f64::MAX, it);
        while it < end {
            kl = kl_and_gradient(&p, &y, &mut grad);
            for i in 0..n {
                for c in 0..2 {
                    let g = &mut gains[i][c];
                    if update[i][c] * grad[i][c] < 0.0 {
                        *g += 0.2;
                    } else {
                        *g *= 0.8;
                    }
                    *g = g.max(0.01);
                    grad[i][c] *= *g;
                    update[i][c] = momentum * update[i][c] - lr * grad[i][c];
                    y[i][c] += update[i][c];
                }
            }
            let check = (it + 1) % CHECK_EVERY == 0;
            it += 1;
            if check {
                if kl < best_error {
                    best_error = kl;
                    best_iter = it - 1;
                } else if it - 1 - best_iter > patience {
                    break;
                }
                let norm = grad
                    .iter()
                    .map(|g| g[0] * g[0] + g[1] * g[1])
                    .sum::<f64>()
                    .sqrt();
                if norm <= config.min_grad_norm {
                    break;
                }
            }
        }
    }
    // The error of the final layout, without exaggeration.
    if it > 0 {
        kl = kl_and_gradient(&p, &y, &mut grad);
    }
    Ok(TsneResult {
        points: y,
        kl_divergence: kl,
        n_iter: it,
    })
}

/// Trustworthiness (Venna & Kaski 2001): how far the `k` nearest neighbours
/// of each point in the plane are from being its neighbours in the input
/// space, 1 = every plane neighbour was an input neighbour. As
/// `sklearn.manifold.trustworthiness` (Euclidean distances).
pub fn trustworthiness(rows: &[&[f32]], points: &[[f64; 2]], k: usize) -> f64 {
    let n = rows.len();
    if n < 2 || k == 0 || 2 * k >= n {
        return f64::NAN;
    }
    let sq = squared_distances(rows);
    let mut penalty = 0.0;
    for i in 0..n {
        // Rank of each point by input distance (self excluded, rank 1 = nearest).
        let mut by_input: Vec<usize> = (0..n).filter(|&j| j != i).collect();
        by_input.sort_by(|&a, &b| sq[i * n + a].total_cmp(&sq[i * n + b]).then(a.cmp(&b)));
        let mut rank = vec![0usize; n];
        for (r, &j) in by_input.iter().enumerate() {
            rank[j] = r + 1;
        }
        let d2 = |j: usize| {
            let dx = points[i][0] - points[j][0];
            let dy = points[i][1] - points[j][1];
            dx * dx + dy * dy
        };
        let mut by_plane: Vec<usize> = (0..n).filter(|&j| j != i).collect();
        by_plane.sort_by(|&a, &b| d2(a).total_cmp(&d2(b)).then(a.cmp(&b)));
        for &j in by_plane.iter().take(k) {
            if rank[j] > k {
                penalty += (rank[j] - k) as f64;
            }
        }
    }
    let (n, k) = (n as f64, k as f64);
    1.0 - penalty * 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three well-separated clusters of 10 points in 5-D.
    fn clusters() -> Vec<Vec<f32>> {
        let mut s = 7u64;
        let mut noise = move || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        };
        (0..30)
            .map(|i| {
                let c = (i / 10) as f32 * 10.0;
                (0..5)
                    .map(|d| if d == 0 { c } else { 0.0 } + noise())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn conditional_rows_have_the_asked_perplexity() {
        let data = clusters();
        let rows: Vec<&[f32]> = data.iter().map(|v| &v[..]).collect();
        let n = rows.len();
        let p = joint_probabilities(&squared_distances(&rows), n, 5.0);
        let total: f64 = p.iter().sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        for i in 0..n {
            for j in 0..n {
                assert_eq!(p[i * n + j], p[j * n + i]);
            }
        }
    }

    #[test]
    fn separates_clusters_and_is_deterministic() {
        let data = clusters();
        let rows: Vec<&[f32]> = data.iter().map(|v| &v[..]).collect();
        let cfg = TsneConfig {
            perplexity: 5.0,
            ..Default::default()
        };
        let a = tsne(&rows, &cfg).unwrap();
        let b = tsne(&rows, &cfg).unwrap();
        assert_eq!(a.points, b.points);
        assert!(
            a.kl_divergence.is_finite() && a.kl_divergence < 1.0,
            "{a:?}"
        );
        assert!(trustworthiness(&rows, &a.points, 5) > 0.95);
        assert!(tsne(&rows[..2], &cfg).is_err());
        let bad = TsneConfig {
            perplexity: 40.0,
            ..Default::default()
        };
        assert!(tsne(&rows, &bad)
            .unwrap_err()
            .to_string()
            .contains("perplexity"));
    }
}
