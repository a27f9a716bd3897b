//! GELU, the Gaussian error linear unit (Hendrycks & Gimpel 2016), as one
//! fused element-wise op with its backward pass.
//!
//! * exact: `gelu(x) = x · Φ(x) = ½ x (1 + erf(x/√2))`,
//!   `gelu'(x) = Φ(x) + x · φ(x)` with φ the standard normal density;
//! * tanh approximation (GPT-2, BERT): `½ x (1 + tanh u)`,
//!   `u = √(2/π) (x + 0.044715 x³)`,
//!   `gelu'(x) = ½ (1 + tanh u) + ½ x (1 − tanh² u) √(2/π) (1 + 3 · 0.044715 x²)`.
//!
//! Computed in f32; 1 ± tanh through one exp. erf is Abramowitz & Stegun's formula 7.1.26
//! (|error| ≤ 1.5·10⁻⁷, a rational polynomial times one exp), cheaper than a
//! full-precision erf and well inside f32 training noise; the test bounds the
//! difference to the composition over candle's erf.
//! Cost: O(n) time, one pass forward and one backward; memory: the output.

use candle_core::{CpuStorage, CustomOp1, Layout, Shape, Tensor};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{f32_slice, with_f32};
use crate::Result;

/// Which GELU: exact (erf) or the tanh approximation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GeluApproximation {
    /// `x Φ(x)` with erf (PyTorch's default `approximate="none"`).
    #[default]
    Erf,
    /// The tanh approximation (PyTorch's `approximate="tanh"`).
    Tanh,
}

/// Elements per parallel task.
const CHUNK: usize = 4096;
const SQRT_2_OVER_PI: f32 = 0.797_884_6;
const COEF: f32 = 0.044_715;
const INV_SQRT_2: f32 = std::f32::consts::FRAC_1_SQRT_2;
const INV_SQRT_2PI: f32 = 0.398_942_3;

struct GeluOp(GeluApproximation);

/// GELU of every element of `x` (f32), differentiable.
pub fn gelu(x: &Tensor, approximation: GeluApproximation) -> Result<Tensor> {
    Ok(x.contiguous()?.apply_op1(GeluOp(approximation))?)
}

/// erf by Abramowitz & Stegun 7.1.26.
#[inline]
fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152 + t * 1.061_405_4))));
    let y = 1.0 - poly * (-a * a).exp();
    y.copysign(x)
}

/// `(1 − tanh u, 1 + tanh u)` through one exp, without cancellation:
/// with e = e^{2u}, 1 − tanh u = 2/(e + 1) and 1 + tanh u = e · 2/(e + 1).
/// u is clamped to ±20, where tanh is ±1 in f32 already.
#[inline]
fn one_minus_plus_tanh(u: f32) -> (f32, f32) {
    let e = (2.0 * u.clamp(-20.0, 20.0)).exp();
    let a = 2.0 / (e + 1.0);
    (a, a * e)
}

#[inline]
fn forward_erf(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * INV_SQRT_2))
}

#[inline]
fn forward_tanh(x: f32) -> f32 {
    0.5 * x * one_minus_plus_tanh(SQRT_2_OVER_PI * (x + COEF * x * x * x)).1
}

#[inline]
fn derivative_erf(x: f32) -> f32 {
    0.5 * (1.0 + erf(x * INV_SQRT_2)) + x * (-0.5 * x * x).exp() * INV_SQRT_2PI
}

#[inline]
fn derivative_tanh(x: f32) -> f32 {
    let (a, b) = one_minus_plus_tanh(SQRT_2_OVER_PI * (x + COEF * x * x * x));
    0.5 * b + 0.5 * x * (a * b) * SQRT_2_OVER_PI * (1.0 + 3.0 * COEF * x * x)
}

/// `out[i] = f(x[i]) · g[i]` (or `f(x[i])` without g), in parallel chunks.
fn map(x: &[f32], g: Option<&[f32]>, f: impl Fn(f32) -> f32 + Sync) -> Vec<f32> {
    let mut out = vec![0f32; x.len()];
    out.par_chunks_mut(CHUNK).enumerate().for_each(|(c, out)| {
        let x = &x[c * CHUNK..c * CHUNK + out.len()];
        match g {
            Some(g) => {
                let g = &g[c * CHUNK..c * CHUNK + out.len()];
                for ((o, &x), &g) in out.iter_mut().zip(x).zip(g) {
                    *o = f(x) * g;
                }
            }
            None => {
                for (o, &x) in out.iter_mut().zip(x) {
                    *o = f(x);
                }
            }
        }
    });
    out
}

impl CustomOp1 for GeluOp {
    fn name(&self) -> &'static str {
        "fused-gelu"
    }

    fn cpu_fwd(
        &self,
        storage: &CpuStorage,
        layout: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let x = f32_slice(self.name(), storage, layout)?;
        let y = match self.0 {
            GeluApproximation::Erf => map(x, None, forward_erf),
            GeluApproximation::Tanh => map(x, None, forward_tanh),
        };
        Ok((CpuStorage::F32(y), layout.shape().clone()))
    }

    fn bwd(
        &self,
        arg: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<Option<Tensor>> {
        let dx = with_f32(self.name(), arg, |x| {
            with_f32(self.name(), grad, |g| {
                Ok(match self.0 {
                    GeluApproximation::Erf => map(x, Some(g), derivative_erf),
                    GeluApproximation::Tanh => map(x, Some(g), derivative_tanh),
                })
            })
        })?;
        Ok(Some(Tensor::from_vec(dx, arg.shape(), arg.device())?))
    }
}
