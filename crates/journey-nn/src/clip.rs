//! Gradient clipping, as `torch.nn.utils.clip_grad_norm_` and
//! `clip_grad_value_`. Clipping by the global L2 norm rescales all gradients
//! together when their joint norm exceeds a threshold (Pascanu, Mikolov and
//! Bengio, "On the difficulty of training recurrent neural networks", ICML
//! 2013, algorithm 2); clipping by value clamps each entry.
//!
//! Cost: O(P) time for P parameters; the new gradients replace the old ones
//! in the `GradStore` (one P-sized allocation).

use candle_core::backprop::GradStore;
use candle_core::{DType, Tensor};

use crate::error::{NnError, Result};
use crate::optim::Params;

/// The global L2 norm of the gradients of `params` (those with a gradient):
/// the norm of the per-tensor norms, as PyTorch computes it.
pub fn grad_norm(grads: &GradStore, params: &Params) -> Result<f64> {
    let mut norms = Vec::with_capacity(params.len());
    for var in params.vars() {
        if let Some(g) = grads.get(var.as_tensor()) {
            let n = g
                .to_dtype(DType::F32)?
                .sqr()?
                .sum_all()?
                .sqrt()?
                .to_scalar::<f32>()?;
            norms.push(n);
        }
    }
    let total: f32 = norms.iter().map(|n| n * n).sum::<f32>().sqrt();
    Ok(total as f64)
}

/// Scales the gradients so their global L2 norm is at most `max_norm`, as
/// `clip_grad_norm_`: every gradient is multiplied by
/// `min(1, max_norm / (norm + 1e-6))`. Returns the norm before clipping.
/// A non-finite norm is an error (PyTorch's `error_if_nonfinite=True`).
pub fn clip_grad_norm(grads: &mut GradStore, params: &Params, max_norm: f64) -> Result<f64> {
    if !(max_norm.is_finite() && max_norm > 0.0) {
        return Err(NnError::Config(format!(
            "clip norm must be finite and > 0, got {max_norm}"
        )));
    }
    let total = grad_norm(grads, params)?;
    if !total.is_finite() {
        return Err(NnError::Config(format!(
            "the total gradient norm is {total}: the loss diverged (lower the learning rate)"
        )));
    }
    // PyTorch computes the coefficient in the gradients' dtype (f32).
    let coef = (max_norm as f32 / (total as f32 + 1e-6)).min(1.0);
    if coef < 1.0 {
        for var in params.vars() {
            if let Some(g) = grads.remove(var.as_tensor()) {
                grads.insert(var.as_tensor(), g.affine(coef as f64, 0.0)?);
            }
        }
    }
    Ok(total)
}

/// Clamps every gradient entry into `[-clip, clip]`, as `clip_grad_value_`.
pub fn clip_grad_value(grads: &mut GradStore, params: &Params, clip: f64) -> Result<()> {
    if !(clip.is_finite() && clip > 0.0) {
        return Err(NnError::Config(format!(
            "clip value must be finite and > 0, got {clip}"
        )));
    }
    for var in params.vars() {
        if let Some(g) = grads.remove(var.as_tensor()) {
            let clamped: Tensor = g.clamp(-clip as f32, clip as f32)?;
            grads.insert(var.as_tensor(), clamped);
        }
    }
    Ok(())
}
