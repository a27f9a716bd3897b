//! Limited-memory BFGS for smooth unconstrained minimisation (Liu & Nocedal,
//! *On the limited memory BFGS method for large scale optimization*, Math.
//! Programming 1989), as laid out in Nocedal & Wright, *Numerical
//! Optimization* (2nd ed.): the two-loop recursion of Algorithm 7.4 for the
//! search direction, the outer iteration of Algorithm 7.5, and a line search
//! that satisfies the strong Wolfe conditions (Algorithms 3.5 and 3.6, with
//! the cubic interpolation of eq. 3.59 inside `zoom`).
//!
//! Stopping follows SciPy's L-BFGS-B (what scikit-learn's
//! `LogisticRegression(solver="lbfgs")` calls): the largest gradient entry
//! `‖g‖∞ ≤ gtol`, or a relative decrease `(f_k − f_{k+1}) / max(|f_k|,
//! |f_{k+1}|, 1) ≤ ftol`, or `max_iter` iterations.
//!
//! Memory: 2·m + 4 vectors of the problem size n (m = `memory`, 10 as SciPy).
//! Time per iteration: O(m·n) plus the function evaluations of the line
//! search (usually one).

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LbfgsConfig {
    /// Number of correction pairs kept (SciPy's `maxcor`).
    pub memory: usize,
    pub max_iter: usize,
    /// Stop when `max |g_i| ≤ gtol`.
    pub gtol: f64,
    /// Stop when the relative decrease of f is at most this.
    pub ftol: f64,
    /// Function evaluations allowed per line search (SciPy's `maxls`).
    pub max_linesearch: usize,
    /// Sufficient decrease (Armijo) constant of the Wolfe conditions.
    pub c1: f64,
    /// Curvature constant of the strong Wolfe conditions.
    pub c2: f64,
}

impl Default for LbfgsConfig {
    fn default() -> Self {
        LbfgsConfig {
            memory: 10,
            max_iter: 100,
            gtol: 1e-5,
            ftol: 64.0 * f64::EPSILON,
            max_linesearch: 50,
            c1: 1e-4,
            c2: 0.9,
        }
    }
}

/// Why the iteration stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LbfgsStatus {
    /// `‖g‖∞ ≤ gtol`.
    GradientTolerance,
    /// The relative decrease fell below `ftol`.
    FunctionTolerance,
    /// `max_iter` reached first.
    MaxIterations,
    /// No step satisfying the Wolfe conditions was found (usually at the
    /// limit of floating-point precision).
    LineSearchFailed,
}

impl LbfgsStatus {
    pub fn converged(self) -> bool {
        matches!(
            self,
            LbfgsStatus::GradientTolerance | LbfgsStatus::FunctionTolerance
        )
    }
}

#[derive(Debug, Clone)]
pub struct LbfgsResult {
    pub x: Vec<f64>,
    pub f: f64,
    /// `max |g_i|` at `x`.
    pub grad_max: f64,
    pub iterations: usize,
    pub evaluations: usize,
    pub status: LbfgsStatus,
}

/// Minimises `f` from `x0`. `fg(x, g)` returns `f(x)` and writes `∇f(x)` into `g`.
pub fn minimize<F>(mut fg: F, x0: Vec<f64>, cfg: &LbfgsConfig) -> LbfgsResult
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    let n = x0.len();
    let memory = cfg.memory.max(1);
    let mut x = x0;
    let mut g = vec![0.0; n];
    let mut f = fg(&x, &mut g);
    let mut evaluations = 1;
    let mut history: VecDeque<(Vec<f64>, Vec<f64>, f64)> = VecDeque::with_capacity(memory);
    let mut d = vec![0.0; n];
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    let mut iterations = 0;
    let status = loop {
        if max_abs(&g) <= cfg.gtol {
            break LbfgsStatus::GradientTolerance;
        }
        if iterations >= cfg.max_iter {
            break LbfgsStatus::MaxIterations;
        }
        two_loop(&g, &history, &mut d);
        let mut slope = dot(&g, &d);
        if slope.is_nan() || slope >= 0.0 {
            // Not a descent direction (lost curvature information): restart.
            history.clear();
            two_loop(&g, &history, &mut d);
            slope = dot(&g, &d);
        }
        // First step of a fresh memory: length 1/‖d‖ as L-BFGS-B; else 1.
        let step0 = if history.is_empty() {
            (1.0 / norm(&d)).min(1.0)
        } else {
            1.0
        };
        let search = line_search(
            &mut fg, &x, f, &d, slope, step0, cfg, &mut x_new, &mut g_new,
        );
        evaluations += search.evaluations;
        let Some(f_new) = search.value else {
            if history.is_empty() {
                break LbfgsStatus::LineSearchFailed;
            }
            // Retry along the steepest descent before giving up.
            history.clear();
            continue;
        };
        // Correction pair s = x_{k+1} − x_k, y = g_{k+1} − g_k, kept when the
        // curvature sᵀy is positive; written into the oldest pair's buffers
        // once the memory is full.
        let (mut sy, mut yy) = (0.0, 0.0);
        for i in 0..n {
            let (si, yi) = (x_new[i] - x[i], g_new[i] - g[i]);
            sy += si * yi;
            yy += yi * yi;
        }
        if sy > f64::EPSILON * yy {
            let (mut s, mut y) = if history.len() == memory {
                let (s, y, _) = history.pop_front().expect("memory ≥ 1");
                (s, y)
            } else {
                (vec![0.0; n], vec![0.0; n])
            };
            for i in 0..n {
                s[i] = x_new[i] - x[i];
                y[i] = g_new[i] - g[i];
            }
            history.push_back((s, y, 1.0 / sy));
        }
        let decrease = (f - f_new) / f.abs().max(f_new.abs()).max(1.0);
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut g, &mut g_new);
        f = f_new;
        iterations += 1;
        if decrease <= cfg.ftol {
            break LbfgsStatus::FunctionTolerance;
        }
    };
    LbfgsResult {
        grad_max: max_abs(&g),
        x,
        f,
        iterations,
        evaluations,
        status,
    }
}

/// Algorithm 7.4: `d = −H_k g` with `H_k⁰ = γ I`, `γ = sᵀy / yᵀy` of the
/// newest pair (eq. 7.20).
fn two_loop(g: &[f64], history: &VecDeque<(Vec<f64>, Vec<f64>, f64)>, d: &mut [f64]) {
    d.iter_mut().zip(g).for_each(|(di, gi)| *di = -gi);
    let mut a = vec![0.0; history.len()];
    for (j, (s, y, rho)) in history.iter().enumerate().rev() {
        a[j] = rho * dot(s, d);
        axpy(-a[j], y, d);
    }
    if let Some((s, y, _)) = history.back() {
        let gamma = dot(s, y) / dot(y, y);
        d.iter_mut().for_each(|v| *v *= gamma);
    }
    for (j, (s, y, rho)) in history.iter().enumerate() {
        let b = rho * dot(y, d);
        axpy(a[j] - b, s, d);
    }
}

struct Search {
    /// `f` at the accepted point (written to `x_out`, its gradient to
    /// `g_out`), or `None` when no acceptable step was found.
    value: Option<f64>,
    evaluations: usize,
}

/// One trial point of the line search.
#[derive(Clone, Copy)]
struct Trial {
    step: f64,
    f: f64,
    slope: f64,
}

/// Algorithm 3.5 (bracketing) and 3.6 (`zoom`): a step `α` with
/// `f(x + αd) ≤ f(x) + c1 α gᵀd` and `|∇f(x + αd)ᵀd| ≤ c2 |gᵀd|`.
#[allow(clippy::too_many_arguments)]
fn line_search<F>(
    fg: &mut F,
    x: &[f64],
    f0: f64,
    d: &[f64],
    slope0: f64,
    step0: f64,
    cfg: &LbfgsConfig,
    x_out: &mut [f64],
    g_out: &mut [f64],
) -> Search
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    let mut evaluations = 0;
    let mut eval = |step: f64, x_out: &mut [f64], g_out: &mut [f64]| -> Trial {
        for ((xo, xi), di) in x_out.iter_mut().zip(x).zip(d) {
            *xo = xi + step * di;
        }
        let f = fg(x_out, g_out);
        Trial {
            step,
            f,
            slope: dot(g_out, d),
        }
    };
    let armijo = |t: &Trial| t.f <= f0 + cfg.c1 * t.step * slope0;
    let curvature = |t: &Trial| t.slope.abs() <= -cfg.c2 * slope0;
    let mut prev = Trial {
        step: 0.0,
        f: f0,
        slope: slope0,
    };
    let mut step = step0;
    let (mut lo, mut hi);
    let mut first = true;
    loop {
        if evaluations >= cfg.max_linesearch {
            return Search {
                value: None,
                evaluations,
            };
        }
        let t = eval(step, x_out, g_out);
        evaluations += 1;
        if !t.f.is_finite() {
            // Overshot into overflow: shrink the step.
            step = 0.5 * (prev.step + step);
            continue;
        }
        if !armijo(&t) || (!first && t.f >= prev.f) {
            (lo, hi) = (prev, t);
            break;
        }
        if curvature(&t) {
            return Search {
                value: Some(t.f),
                evaluations,
            };
        }
        if t.slope >= 0.0 {
            (lo, hi) = (t, prev);
            break;
        }
        prev = t;
        first = false;
        step *= 2.0;
    }
    // zoom: lo satisfies Armijo and has the lowest f so far; the minimiser
    // lies between lo and hi.
    while evaluations < cfg.max_linesearch {
        let (a, b) = (lo.step, hi.step);
        let width = (b - a).abs();
        if width <= f64::EPSILON * a.abs().max(b.abs()) {
            break;
        }
        let mut step = cubic_minimizer(&lo, &hi);
        let (left, right) = (a.min(b), a.max(b));
        let margin = 0.1 * width;
        if !step.is_finite() || step < left + margin || step > right - margin {
            step = 0.5 * (a + b);
        }
        let t = eval(step, x_out, g_out);
        evaluations += 1;
        if !armijo(&t) || t.f >= lo.f {
            hi = t;
        } else {
            if curvature(&t) {
                return Search {
                    value: Some(t.f),
                    evaluations,
                };
            }
            if t.slope * (hi.step - lo.step) >= 0.0 {
                hi = lo;
            }
            lo = t;
        }
    }
    // No strong-Wolfe point within the budget: accept lo if it decreased f
    // (it satisfies the Armijo condition), as a last resort.
    if lo.step > 0.0 && lo.f < f0 {
        let t = eval(lo.step, x_out, g_out);
        evaluations += 1;
        return Search {
            value: Some(t.f),
            evaluations,
        };
    }
    Search {
        value: None,
        evaluations,
    }
}

/// Minimiser of the cubic through two trials (Nocedal & Wright eq. 3.59).
fn cubic_minimizer(a: &Trial, b: &Trial) -> f64 {
    let d1 = a.slope + b.slope - 3.0 * (a.f - b.f) / (a.step - b.step);
    let disc = d1 * d1 - a.slope * b.slope;
    if disc < 0.0 {
        return f64::NAN;
    }
    let d2 = (b.step - a.step).signum() * disc.sqrt();
    b.step - (b.step - a.step) * (b.slope + d2 - d1) / (b.slope - a.slope + 2.0 * d2)
}

/// `aᵀb` with eight running sums, so the compiler can vectorise it (the
/// order of additions is fixed, so the result is deterministic).
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 8];
    for (ca, cb) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        for l in 0..8 {
            acc[l] += ca[l] * cb[l];
        }
    }
    let tail: f64 = a[n - n % 8..]
        .iter()
        .zip(&b[n - n % 8..])
        .map(|(x, y)| x * y)
        .sum();
    acc.iter().sum::<f64>() + tail
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

fn max_abs(a: &[f64]) -> f64 {
    a.iter().fold(0.0, |m, v| m.max(v.abs()))
}

fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    y.iter_mut().zip(x).for_each(|(yi, xi)| *yi += alpha * xi);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Rosenbrock function, N&W's standard test (minimum 0 at (1, …, 1)).
    fn rosenbrock(x: &[f64], g: &mut [f64]) -> f64 {
        let mut f = 0.0;
        g.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..x.len() - 1 {
            let a = x[i + 1] - x[i] * x[i];
            let b = 1.0 - x[i];
            f += 100.0 * a * a + b * b;
            g[i] += -400.0 * a * x[i] - 2.0 * b;
            g[i + 1] += 200.0 * a;
        }
        f
    }

    #[test]
    fn minimises_rosenbrock() {
        let cfg = LbfgsConfig {
            max_iter: 1000,
            gtol: 1e-10,
            ..Default::default()
        };
        let r = minimize(rosenbrock, vec![-1.2, 1.0, -1.2, 1.0], &cfg);
        assert!(r.status.converged(), "{:?}", r.status);
        for v in &r.x {
            assert!((v - 1.0).abs() < 1e-6, "{:?}", r.x);
        }
    }

    #[test]
    fn quadratic_in_few_iterations() {
        // f = Σ i·(x_i − i)²: n distinct curvatures, exact in ≤ n+1 steps.
        let f = |x: &[f64], g: &mut [f64]| {
            let mut v = 0.0;
            for i in 0..x.len() {
                let c = (i + 1) as f64;
                v += c * (x[i] - c).powi(2);
                g[i] = 2.0 * c * (x[i] - c);
            }
            v
        };
        let cfg = LbfgsConfig {
            gtol: 1e-9,
            ..Default::default()
        };
        let r = minimize(f, vec![0.0; 5], &cfg);
        assert!(r.status.converged());
        assert!(r.iterations <= 20, "{}", r.iterations);
        for (i, v) in r.x.iter().enumerate() {
            assert!((v - (i + 1) as f64).abs() < 1e-8);
        }
    }
}
