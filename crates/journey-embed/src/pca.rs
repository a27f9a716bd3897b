//! Principal component analysis (Pearson 1901; Hotelling 1933): the
//! orthogonal directions of largest variance, used here to draw word vectors
//! in two dimensions.
//!
//! The rows are centred, the d × d covariance `Xᵀ X / (n − 1)` is formed and
//! diagonalised by cyclic Jacobi rotations (Golub & Van Loan, *Matrix
//! Computations*, §8.5), which is exact to rounding for the few hundred
//! dimensions of word vectors. Components are ordered by variance and signed
//! as scikit-learn's `PCA` signs them (`svd_flip` on the components: the
//! entry of largest magnitude is positive), so projections agree with it.
//!
//! Cost: O(n d²) to form the covariance, O(d³) per Jacobi sweep (a handful
//! of sweeps), O(d²) memory.

use crate::error::EmbedError;

/// A fitted PCA: the mean, the components and their variances.
#[derive(Debug, Clone)]
pub struct Pca {
    dim: usize,
    mean: Vec<f64>,
    /// `components[k]` is the unit direction of the k-th largest variance.
    pub components: Vec<Vec<f64>>,
    /// Variance along each component (eigenvalues of the covariance).
    pub explained_variance: Vec<f64>,
    /// Each component's share of the total variance.
    pub explained_variance_ratio: Vec<f64>,
}

impl Pca {
    /// Fits `k` components to the `rows` (all of the same length).
    pub fn fit(rows: &[&[f32]], k: usize) -> Result<Pca, EmbedError> {
        let n = rows.len();
        if n < 2 {
            return Err(EmbedError::Empty(format!(
                "PCA needs at least 2 vectors, got {n}"
            )));
        }
        let d = rows[0].len();
        if let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != d) {
            return Err(EmbedError::Invalid(format!(
                "PCA: vector {i} has {} dimensions, the first has {d}",
                r.len()
            )));
        }
        if k == 0 || k > d {
            return Err(EmbedError::Config(format!(
                "PCA components must be in 1..={d}, got {k}"
            )));
        }
        let mut mean = vec![0.0f64; d];
        for r in rows {
            for (m, &x) in mean.iter_mut().zip(r.iter()) {
                *m += x as f64;
            }
        }
        for m in &mut mean {
            *m /= n as f64;
        }
        // Covariance, upper triangle then mirrored.
        let mut cov = vec![0.0f64; d * d];
        let mut centred = vec![0.0f64; d];
        for r in rows {
            for (c, (&x, m)) in centred.iter_mut().zip(r.iter().zip(&mean)) {
                *c = x as f64 - m;
            }
            for a in 0..d {
                let ca = centred[a];
                let row = &mut cov[a * d..(a + 1) * d];
                for b in a..d {
                    row[b] += ca * centred[b];
                }
            }
        }
        for a in 0..d {
            for b in a..d {
                let v = cov[a * d + b] / (n - 1) as f64;
                cov[a * d + b] = v;
                cov[b * d + a] = v;
            }
        }
        let total: f64 = (0..d).map(|a| cov[a * d + a]).sum();
        let (values, vectors) = jacobi_eigen(cov, d);
        let mut order: Vec<usize> = (0..d).collect();
        order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
        let mut components = Vec::with_capacity(k);
        let mut explained_variance = Vec::with_capacity(k);
        for &j in order.iter().take(k) {
            let mut v: Vec<f64> = (0..d).map(|i| vectors[i * d + j]).collect();
            // scikit-learn's sign convention: largest |entry| positive.
            let big = v
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()).then(b.0.cmp(&a.0)))
                .map(|(i, _)| i)
                .unwrap_or(0);
            if v[big] < 0.0 {
                v.iter_mut().for_each(|x| *x = -*x);
            }
            components.push(v);
            explained_variance.push(values[j].max(0.0));
        }
        let explained_variance_ratio = explained_variance
            .iter()
            .map(|v| if total > 0.0 { v / total } else { 0.0 })
            .collect();
        Ok(Pca {
            dim: d,
            mean,
            components,
            explained_variance,
            explained_variance_ratio,
        })
    }

    /// Coordinates of `row` on the components.
    pub fn transform_one(&self, row: &[f32]) -> Result<Vec<f64>, EmbedError> {
        if row.len() != self.dim {
            return Err(EmbedError::Invalid(format!(
                "PCA was fitted on {} dimensions, got a vector of {}",
                self.dim,
                row.len()
            )));
        }
        Ok(self
            .components
            .iter()
            .map(|c| {
                c.iter()
                    .zip(row.iter().zip(&self.mean))
                    .map(|(w, (&x, m))| w * (x as f64 - m))
                    .sum()
            })
            .collect())
    }

    /// Coordinates of every row.
    pub fn transform(&self, rows: &[&[f32]]) -> Result<Vec<Vec<f64>>, EmbedError> {
        rows.iter().map(|r| self.transform_one(r)).collect()
    }
}

/// Eigenvalues and eigenvectors (columns of the returned row-major d × d
/// matrix) of a symmetric matrix, by cyclic Jacobi rotations.
fn jacobi_eigen(mut a: Vec<f64>, d: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0.0f64; d * d];
    for i in 0..d {
        v[i * d + i] = 1.0;
    }
    let scale: f64 = a
        .iter()
        .map(|x| x * x)
        .sum::<f64>()
        .sqrt()
        .max(f64::MIN_POSITIVE);
    for _sweep in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|p| ((p + 1)..d).map(move |q| (p, q)))
            .map(|(p, q)| a[p * d + q] * a[p * d + q])
            .sum::<f64>()
            .sqrt();
        if off <= 1e-15 * scale {
            break;
        }
        for p in 0..d {
            for q in (p + 1)..d {
                let apq = a[p * d + q];
                if apq.abs() <= 1e-300 {
                    continue;
                }
                let (app, aqq) = (a[p * d + p], a[q * d + q]);
                // Rotation angle that zeroes a[p][q] (Golub & Van Loan 8.5.2).
                let theta = (aqq - app) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let (akp, akq) = (a[k * d + p], a[k * d + q]);
                    a[k * d + p] = c * akp - s * akq;
                    a[k * d + q] = s * akp + c * akq;
                }
                for k in 0..d {
                    let (apk, aqk) = (a[p * d + k], a[q * d + k]);
                    a[p * d + k] = c * apk - s * aqk;
                    a[q * d + k] = s * apk + c * aqk;
                }
                for k in 0..d {
                    let (vkp, vkq) = (v[k * d + p], v[k * d + q]);
                    v[k * d + p] = c * vkp - s * vkq;
                    v[k * d + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..d).map(|i| a[i * d + i]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_known_direction() {
        // Points along (3, 4)/5 with a small orthogonal spread.
        // Each step along the line has one point either side of it, so the
        // spread is uncorrelated with the position.
        let pts: Vec<[f32; 2]> = (0..100)
            .map(|i| {
                let t = (i / 2) as f32 - 24.5;
                let e = if i % 2 == 0 { 0.125 } else { -0.125 };
                [0.6 * t - 0.8 * e + 1.0, 0.8 * t + 0.6 * e - 2.0]
            })
            .collect();
        let rows: Vec<&[f32]> = pts.iter().map(|p| &p[..]).collect();
        let pca = Pca::fit(&rows, 2).unwrap();
        let c = &pca.components[0];
        assert!(
            (c[0] - 0.6).abs() < 1e-5 && (c[1] - 0.8).abs() < 1e-5,
            "{c:?}"
        );
        assert!(pca.explained_variance_ratio[0] > 0.99);
        let sum: f64 = pca.explained_variance_ratio.iter().sum();
        assert!((sum - 1.0).abs() < 1e-12);
        // The mean projects to the origin.
        let m = pca.transform_one(&[1.0, -2.0]).unwrap();
        assert!(m[0].abs() < 1e-5 && m[1].abs() < 1e-5, "{m:?}");
    }

    #[test]
    fn bad_input_is_named() {
        assert!(Pca::fit(&[&[1.0, 2.0]], 1).is_err());
        assert!(Pca::fit(&[&[1.0, 2.0], &[1.0]], 1).is_err());
        assert!(Pca::fit(&[&[1.0, 2.0], &[3.0, 1.0]], 3).is_err());
        let p = Pca::fit(&[&[1.0, 2.0], &[3.0, 1.0]], 1).unwrap();
        assert!(p.transform_one(&[1.0]).is_err());
    }
}
