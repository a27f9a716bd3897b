//! Truncated SVD of a sparse matrix by randomized subspace iteration
//! (Halko, Martinsson & Tropp, "Finding structure with randomness", SIAM
//! Review 2011, algorithms 4.4 and 5.1), the method behind scikit-learn's
//! `randomized_svd`, used here for NMF's NNDSVD initialisation.
//!
//! For `A` (m × n) and rank `k`: draw a Gaussian `Ω` (n × l, l = k +
//! oversamples), `Q = orth(A Ω)`, then `n_iter` power steps `Q = orth(A
//! orth(Aᵀ Q))` (orthonormalised every half step by twice-repeated modified
//! Gram–Schmidt, which keeps the small singular directions from being lost);
//! `B = Qᵀ A` (l × n) is then decomposed exactly: the eigenvectors `E` of the
//! small `B Bᵀ` (cyclic Jacobi) give `U = Q E`, `σ = √λ`, `Vᵀ = Eᵀ B / σ`.
//! With enough power steps the top `k` triplets are those of the exact SVD
//! (the error decays as (σ_{l+1}/σ_k)^(2 n_iter + 1)).
//!
//! Cost: O(nnz(A) · l · (2 n_iter + 2) + (m + n) · l²) time, O((m + n) · l)
//! memory. Signs are fixed so that the largest |entry| of each column of U is
//! positive.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::MlError;
use crate::sparse::CsrMatrix;
use crate::xoshiro::Xoshiro256;

/// Settings of the randomized SVD.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SvdConfig {
    /// Extra random directions beyond k.
    pub n_oversamples: usize,
    /// Power iterations.
    pub n_iter: usize,
    pub seed: u64,
}

impl Default for SvdConfig {
    fn default() -> Self {
        Self {
            n_oversamples: 10,
            n_iter: 10,
            seed: 0,
        }
    }
}

/// The top-k singular triplets.
#[derive(Clone, Debug)]
pub struct TruncatedSvd {
    /// Left singular vectors, one `Vec` of length m per component.
    pub u: Vec<Vec<f64>>,
    /// Singular values, largest first.
    pub s: Vec<f64>,
    /// Right singular vectors, one `Vec` of length n per component.
    pub v: Vec<Vec<f64>>,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Orthonormalises the columns in place (modified Gram–Schmidt, twice);
/// a column that vanishes becomes zero.
fn orthonormalize(cols: &mut [Vec<f64>]) {
    for c in 0..cols.len() {
        for _pass in 0..2 {
            for p in 0..c {
                let (done, rest) = cols.split_at_mut(c);
                let r = dot(&done[p], &rest[0]);
                for (x, q) in rest[0].iter_mut().zip(&done[p]) {
                    *x -= r * q;
                }
            }
        }
        let norm = dot(&cols[c], &cols[c]).sqrt();
        if norm > 1e-300 {
            cols[c].iter_mut().for_each(|x| *x /= norm);
        } else {
            cols[c].iter_mut().for_each(|x| *x = 0.0);
        }
    }
}

fn times(a: &CsrMatrix, cols: &[Vec<f64>]) -> Vec<Vec<f64>> {
    cols.par_iter()
        .map(|c| {
            a.rows()
                .map(|(idx, val)| crate::sparse::row_dot(idx, val, c))
                .collect()
        })
        .collect()
}

/// Eigen-decomposition of a symmetric matrix (row-major, l × l) by cyclic
/// Jacobi rotations: returns (eigenvalues, eigenvectors as columns of a
/// row-major matrix).
pub(crate) fn jacobi_eigen(mut a: Vec<f64>, l: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0.0; l * l];
    for i in 0..l {
        v[i * l + i] = 1.0;
    }
    for _sweep in 0..100 {
        let off: f64 = (0..l)
            .flat_map(|i| (0..l).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * l + j] * a[i * l + j])
            .sum();
        let total: f64 = a.iter().map(|x| x * x).sum();
        if off <= 1e-30 * total || off == 0.0 {
            break;
        }
        for p in 0..l {
            for q in p + 1..l {
                let apq = a[p * l + q];
                if apq == 0.0 {
                    continue;
                }
                let theta = (a[q * l + q] - a[p * l + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..l {
                    let akp = a[k * l + p];
                    let akq = a[k * l + q];
                    a[k * l + p] = c * akp - s * akq;
                    a[k * l + q] = s * akp + c * akq;
                }
                for k in 0..l {
                    let apk = a[p * l + k];
                    let aqk = a[q * l + k];
                    a[p * l + k] = c * apk - s * aqk;
                    a[q * l + k] = s * apk + c * aqk;
                }
                for k in 0..l {
                    let vkp = v[k * l + p];
                    let vkq = v[k * l + q];
                    v[k * l + p] = c * vkp - s * vkq;
                    v[k * l + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..l).map(|i| a[i * l + i]).collect(), v)
}

/// The top-`k` singular triplets of `a`.
pub fn randomized_svd(
    a: &CsrMatrix,
    k: usize,
    config: &SvdConfig,
) -> Result<TruncatedSvd, MlError> {
    let (m, n) = a.shape();
    if k == 0 {
        return Err(MlError::Config("SVD rank must be at least 1".into()));
    }
    if k > m.min(n) {
        return Err(MlError::Config(format!(
            "SVD rank {k} exceeds the smaller side of a {m} x {n} matrix"
        )));
    }
    let l = (k + config.n_oversamples).min(m.min(n));
    let at = a.transpose();
    let mut rng = Xoshiro256::new(config.seed);
    let omega: Vec<Vec<f64>> = (0..l)
        .map(|_| (0..n).map(|_| rng.normal()).collect())
        .collect();
    let mut q = times(a, &omega);
    orthonormalize(&mut q);
    for _ in 0..config.n_iter {
        let mut z = times(&at, &q);
        orthonormalize(&mut z);
        q = times(a, &z);
        orthonormalize(&mut q);
    }
    // B = Qᵀ A, stored as its l rows (each of length n): row c = Aᵀ q_c.
    let b = times(&at, &q);
    let mut c = vec![0.0; l * l];
    for i in 0..l {
        for j in i..l {
            let x = dot(&b[i], &b[j]);
            c[i * l + j] = x;
            c[j * l + i] = x;
        }
    }
    let (lambda, e) = jacobi_eigen(c, l);
    let mut order: Vec<usize> = (0..l).collect();
    order.sort_by(|&x, &y| lambda[y].total_cmp(&lambda[x]));
    let mut out = TruncatedSvd {
        u: Vec::with_capacity(k),
        s: Vec::with_capacity(k),
        v: Vec::with_capacity(k),
    };
    for &r in order.iter().take(k) {
        let sigma = lambda[r].max(0.0).sqrt();
        let mut u = vec![0.0; m];
        let mut v = vec![0.0; n];
        for i in 0..l {
            let w = e[i * l + r];
            for (x, y) in u.iter_mut().zip(&q[i]) {
                *x += w * y;
            }
            for (x, y) in v.iter_mut().zip(&b[i]) {
                *x += w * y;
            }
        }
        if sigma > 0.0 {
            v.iter_mut().for_each(|x| *x /= sigma);
        }
        let big = u
            .iter()
            .copied()
            .fold(0.0f64, |acc, x| if x.abs() > acc.abs() { x } else { acc });
        if big < 0.0 {
            u.iter_mut().for_each(|x| *x = -*x);
            v.iter_mut().for_each(|x| *x = -*x);
        }
        out.u.push(u);
        out.s.push(sigma);
        out.v.push(v);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_singular_values_of_a_small_matrix() {
        // diag(5, 3, 1) rotated: singular values are 5, 3, 1.
        let a = CsrMatrix::from_dense(&[
            vec![5.0, 0.0, 0.0, 0.0],
            vec![0.0, 0.0, 3.0, 0.0],
            vec![0.0, 1.0, 0.0, 0.0],
        ])
        .unwrap();
        let svd = randomized_svd(&a, 2, &SvdConfig::default()).unwrap();
        assert!((svd.s[0] - 5.0).abs() < 1e-9 && (svd.s[1] - 3.0).abs() < 1e-9);
        assert!((svd.u[0][0].abs() - 1.0).abs() < 1e-9);
        assert!((svd.v[1][2].abs() - 1.0).abs() < 1e-9);
        assert!(randomized_svd(&a, 4, &SvdConfig::default()).is_err());
    }
}
