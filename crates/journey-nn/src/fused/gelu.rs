//! GELU, the Gaussian error linear unit (Hendrycks & Gimpel 2016), as one
//! fused element-wise op with its backward pass.
//!
//! * exact: `gelu(x) = x · Φ(x) = ½ x (1 + erf(x/√2))`,
//!   `gelu'(x) = Φ(x) + x · φ(x)` with φ the standard normal density;
//! * tanh approximation (GPT-2, BERT): `½ x (1 + tanh u)`,
//!   `u = √(2/π) (x + 0.044715 x³)`,
//!   `gelu'(x) = ½ (1 + tanh u) + ½ x (1 − tanh² u) √(2/π) (1 + 3 · 0.044715 x²)`.
//!
//! Values are computed in f64 and stored as f32 (erf is candle's own).
//! Cost: O(n) time, one pass forward and one backward; memory: the output.

use candle_core::cpu::erf::erf_f64 as erf;
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
const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
const COEF: f64 = 0.044_715;

struct GeluOp(GeluApproximation);

/// GELU of every element of `x` (f32), differentiable.
pub fn gelu(x: &Tensor, approximation: GeluApproximation) -> Result<Tensor> {
    Ok(x.contiguous()?.apply_op1(GeluOp(approximation))?)
}

#[inline]
fn forward(a: GeluApproximation, x: f64) -> f64 {
    match a {
        GeluApproximation::Erf => 0.5 * x * (1.0 + erf(x * std::f64::consts::FRAC_1_SQRT_2)),
        GeluApproximation::Tanh => {
            0.5 * x * (1.0 + (SQRT_2_OVER_PI * (x + COEF * x * x * x)).tanh())
        }
    }
}

#[inline]
fn derivative(a: GeluApproximation, x: f64) -> f64 {
    match a {
        GeluApproximation::Erf => {
            let cdf = 0.5 * (1.0 + erf(x * std::f64::consts::FRAC_1_SQRT_2));
            let pdf = (-0.5 * x * x).exp() * 0.398_942_280_401_432_7;
            cdf + x * pdf
        }
        GeluApproximation::Tanh => {
            let t = (SQRT_2_OVER_PI * (x + COEF * x * x * x)).tanh();
            0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * SQRT_2_OVER_PI * (1.0 + 3.0 * COEF * x * x)
        }
    }
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
        let mut y = vec![0f32; x.len()];
        y.par_chunks_mut(CHUNK)
            .zip(x.par_chunks(CHUNK))
            .for_each(|(y, x)| {
                for (y, &x) in y.iter_mut().zip(x) {
                    *y = forward(self.0, x as f64) as f32;
                }
            });
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
                let mut dx = vec![0f32; x.len()];
                dx.par_chunks_mut(CHUNK)
                    .zip(x.par_chunks(CHUNK).zip(g.par_chunks(CHUNK)))
                    .for_each(|(dx, (x, g))| {
                        for ((d, &x), &g) in dx.iter_mut().zip(x).zip(g) {
                            *d = (derivative(self.0, x as f64) * g as f64) as f32;
                        }
                    });
                Ok(dx)
            })
        })?;
        Ok(Some(Tensor::from_vec(dx, arg.shape(), arg.device())?))
    }
}
