//! Limited-memory BFGS (Nocedal 1980; Liu & Nocedal 1989) for the CRF's
//! smooth L2-regularised objective: the two-loop recursion for the search
//! direction, an Armijo backtracking line search (Nocedal & Wright 2006,
//! alg. 3.1), and CRFsuite's stopping tests (gradient norm, relative
//! improvement over the last `past` iterations, iteration cap).
//!
//! Kept local to the CRF so that it can evolve with it; a general optimiser
//! lives elsewhere in the workspace.
//!
//! Cost per iteration: O(m · d) time plus the objective's evaluations
//! (usually one), O(m · d) memory for m correction pairs of dimension d.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// L-BFGS settings (CRFsuite's defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LbfgsConfig {
    /// Correction pairs kept.
    pub memory: usize,
    /// Stop when |g| / max(1, |x|) falls below this.
    pub epsilon: f64,
    /// Stop when (f_{k-past} - f_k) / f_k falls below this.
    pub delta: f64,
    pub past: usize,
    /// Line-search halvings before giving up.
    pub max_linesearch: usize,
}

impl Default for LbfgsConfig {
    fn default() -> Self {
        LbfgsConfig {
            memory: 6,
            epsilon: 1e-5,
            delta: 1e-5,
            past: 10,
            max_linesearch: 20,
        }
    }
}

/// Why the optimisation stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Converged,
    MaxIterations,
    /// The line search found no decrease (often: converged to precision).
    LineSearch,
    /// The callback asked to stop.
    Callback,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Minimises `f` from `x` for at most `iterations` iterations. `f(x, g)`
/// returns the value and writes the gradient into `g`; `after(k, fx, x)` is
/// called after each iteration (1-based) and stops the run by returning false.
pub fn minimize(
    x: &mut [f64],
    iterations: usize,
    cfg: &LbfgsConfig,
    mut f: impl FnMut(&[f64], &mut [f64]) -> f64,
    mut after: impl FnMut(usize, f64, &[f64]) -> bool,
) -> Stop {
    let d_len = x.len();
    let mut g = vec![0.0; d_len];
    let mut fx = f(x, &mut g);
    let mut history: VecDeque<(Vec<f64>, Vec<f64>, f64)> = VecDeque::new();
    let mut past_f: VecDeque<f64> = VecDeque::new();
    let mut dir = vec![0.0; d_len];
    let mut xn = vec![0.0; d_len];
    let mut gn = vec![0.0; d_len];
    let mut alpha = vec![0.0; cfg.memory.max(1)];
    for k in 1..=iterations {
        let gnorm = dot(&g, &g).sqrt();
        if gnorm / dot(x, x).sqrt().max(1.0) < cfg.epsilon {
            return Stop::Converged;
        }
        // Two-loop recursion: dir = -H g.
        dir.copy_from_slice(&g);
        for (i, (s, y, rho)) in history.iter().enumerate().rev() {
            alpha[i] = rho * dot(s, &dir);
            for (d, yv) in dir.iter_mut().zip(y) {
                *d -= alpha[i] * yv;
            }
        }
        if let Some((s, y, _)) = history.back() {
            let gamma = dot(s, y) / dot(y, y);
            dir.iter_mut().for_each(|d| *d *= gamma);
        }
        for (i, (s, y, rho)) in history.iter().enumerate() {
            let b = rho * dot(y, &dir);
            for (d, sv) in dir.iter_mut().zip(s) {
                *d += sv * (alpha[i] - b);
            }
        }
        dir.iter_mut().for_each(|d| *d = -*d);
        let mut slope = dot(&g, &dir);
        if slope >= 0.0 {
            history.clear();
            dir.iter_mut().zip(&g).for_each(|(d, gv)| *d = -gv);
            slope = -gnorm * gnorm;
        }
        let mut step = if history.is_empty() {
            1.0 / gnorm.max(1e-12)
        } else {
            1.0
        };
        let mut accepted = None;
        for _ in 0..cfg.max_linesearch {
            for ((xn, xv), dv) in xn.iter_mut().zip(x.iter()).zip(&dir) {
                *xn = xv + step * dv;
            }
            let fnew = f(&xn, &mut gn);
            if fnew.is_finite() && fnew <= fx + 1e-4 * step * slope {
                accepted = Some(fnew);
                break;
            }
            step *= 0.5;
        }
        let Some(fnew) = accepted else {
            return Stop::LineSearch;
        };
        let s: Vec<f64> = xn.iter().zip(x.iter()).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-10 {
            if history.len() == cfg.memory.max(1) {
                history.pop_front();
            }
            history.push_back((s, y, 1.0 / sy));
        }
        x.copy_from_slice(&xn);
        g.copy_from_slice(&gn);
        fx = fnew;
        if !after(k, fx, x) {
            return Stop::Callback;
        }
        past_f.push_back(fx);
        if past_f.len() > cfg.past {
            let old = past_f.pop_front().unwrap();
            if (old - fx) / fx.abs().max(1e-12) < cfg.delta {
                return Stop::Converged;
            }
        }
    }
    Stop::MaxIterations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_rosenbrock() {
        let mut x = vec![-1.2, 1.0];
        let cfg = LbfgsConfig {
            delta: 0.0,
            epsilon: 1e-8,
            ..Default::default()
        };
        minimize(
            &mut x,
            500,
            &cfg,
            |x, g| {
                let (a, b) = (x[0], x[1]);
                g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
                g[1] = 200.0 * (b - a * a);
                (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
            },
            |_, _, _| true,
        );
        assert!(
            (x[0] - 1.0).abs() < 1e-4 && (x[1] - 1.0).abs() < 1e-4,
            "{x:?}"
        );
    }
}
