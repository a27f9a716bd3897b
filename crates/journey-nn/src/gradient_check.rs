//! Gradient checking: compare an analytic gradient (our scalar autograd,
//! candle's autograd) with central finite differences,
//!
//! ```text
//! ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h,
//! ```
//!
//! whose error is O(h²) (the h² f'''/6 Taylor term) plus the rounding error
//! of f divided by h, so h ≈ 1e-6 in f64 gives about 1e-10 absolute accuracy
//! for a well-scaled f. The comparison uses the relative error
//! `|a − b| / max(|a|, |b|, floor)` (CS231n's gradient-check recipe; the floor
//! keeps gradients that are both almost 0 from dividing noise by noise).
//! Checks on candle run in f64, as `torch.autograd.gradcheck` does: f32's
//! rounding (1e-7 relative) over h would swamp the comparison.
//!
//! Cost: 2n evaluations of f for n inputs, O(n) extra memory.

use candle_core::{DType, Tensor, Var};

use crate::Result;

/// Below this magnitude the relative error becomes an absolute one.
pub const RELATIVE_ERROR_FLOOR: f64 = 1e-6;

/// Central finite differences of `f` at `x`, one input at a time.
pub fn numerical_gradient(mut f: impl FnMut(&[f64]) -> f64, x: &[f64], h: f64) -> Vec<f64> {
    let mut x = x.to_vec();
    (0..x.len())
        .map(|i| {
            let orig = x[i];
            x[i] = orig + h;
            let plus = f(&x);
            x[i] = orig - h;
            let minus = f(&x);
            x[i] = orig;
            (plus - minus) / (2.0 * h)
        })
        .collect()
}

/// `|a − b| / max(|a|, |b|, RELATIVE_ERROR_FLOOR)`.
pub fn relative_error(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(RELATIVE_ERROR_FLOOR)
}

/// The largest [`relative_error`] over two gradients of the same length.
pub fn max_relative_error(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "gradients of different lengths");
    a.iter()
        .zip(b)
        .map(|(&x, &y)| relative_error(x, y))
        .fold(0.0, f64::max)
}

/// The largest `|a_i − b_i|`.
pub fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "vectors of different lengths");
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// Central finite differences of a candle function that returns a scalar
/// (a tensor of one element), taken in f64 whatever the dtype of `x`.
/// Returns the gradient as a flat vector in `x`'s row-major order.
pub fn numerical_gradient_candle(
    f: impl Fn(&Tensor) -> Result<Tensor>,
    x: &Tensor,
    h: f64,
) -> Result<Vec<f64>> {
    let shape = x.shape().clone();
    let device = x.device().clone();
    let flat: Vec<f64> = x.to_dtype(DType::F64)?.flatten_all()?.to_vec1()?;
    let mut err = None;
    let grad = numerical_gradient(
        |v| {
            let eval = || -> Result<f64> {
                let t = Tensor::from_slice(v, shape.clone(), &device)?;
                scalar(&f(&t)?)
            };
            eval().unwrap_or_else(|e| {
                err.get_or_insert(e);
                f64::NAN
            })
        },
        &flat,
        h,
    );
    match err {
        Some(e) => Err(e),
        None => Ok(grad),
    }
}

/// The value of a one-element tensor as f64.
pub fn scalar(t: &Tensor) -> Result<f64> {
    Ok(t.to_dtype(DType::F64)?
        .flatten_all()?
        .to_vec1::<f64>()?
        .first()
        .copied()
        .unwrap_or(f64::NAN))
}

/// The result of comparing candle's autograd with finite differences.
#[derive(Debug, Clone, PartialEq)]
pub struct GradCheck {
    pub analytic: Vec<f64>,
    pub numeric: Vec<f64>,
    pub max_relative_error: f64,
    pub max_abs_diff: f64,
}

/// Candle's gradient of `f` at `x` (in f64) next to finite differences.
pub fn check_candle(
    f: impl Fn(&Tensor) -> Result<Tensor>,
    x: &Tensor,
    h: f64,
) -> Result<GradCheck> {
    let x64 = x.to_dtype(DType::F64)?;
    let var = Var::from_tensor(&x64)?;
    let out = f(var.as_tensor())?;
    let grads = out.backward()?;
    let analytic: Vec<f64> = match grads.get(var.as_tensor()) {
        Some(g) => g.flatten_all()?.to_vec1()?,
        None => vec![0.0; x64.elem_count()],
    };
    let numeric = numerical_gradient_candle(&f, &x64, h)?;
    Ok(GradCheck {
        max_relative_error: max_relative_error(&analytic, &numeric),
        max_abs_diff: max_abs_diff(&analytic, &numeric),
        analytic,
        numeric,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    #[test]
    fn finite_differences_of_a_known_function() {
        // f = x0² x1 + sin x1: ∇f = (2 x0 x1, x0² + cos x1).
        let f = |x: &[f64]| x[0] * x[0] * x[1] + x[1].sin();
        let x = [1.5, -0.7];
        let g = numerical_gradient(f, &x, 1e-5);
        let exact = [2.0 * 1.5 * -0.7, 1.5 * 1.5 + (-0.7f64).cos()];
        assert!(max_abs_diff(&g, &exact) < 1e-9, "{g:?}");
        assert!(relative_error(1.0, 1.01) > 0.009);
        assert_eq!(relative_error(1e-9, 0.0), 1e-3);
    }

    #[test]
    fn candle_softmax_cross_entropy_gradient_checks() {
        let x = Tensor::new(&[[0.3f32, -1.2, 2.0], [0.1, 0.5, -0.4]], &Device::Cpu).unwrap();
        let f = |t: &Tensor| -> Result<Tensor> {
            let ls = candle_nn::ops::log_softmax(t, 1)?;
            let picked = ls.gather(&Tensor::new(&[[2u32], [0]], t.device())?, 1)?;
            Ok(picked.neg()?.mean_all()?)
        };
        let check = check_candle(f, &x, 1e-6).unwrap();
        assert!(check.max_relative_error < 1e-7, "{check:?}");
        // A wrong gradient must fail: the check is not vacuous.
        let bad: Vec<f64> = check.analytic.iter().map(|g| g * 1.01).collect();
        assert!(max_relative_error(&bad, &check.numeric) > 1e-3);
    }
}
