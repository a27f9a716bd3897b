//! Layer normalisation over the last dimension (Ba, Kiros & Hinton 2016,
//! "Layer Normalization") as one fused op with its backward pass.
//!
//! For a row x of length D: μ = mean(x), σ² = mean((x − μ)²) (biased, as
//! PyTorch), x̂ = (x − μ)/√(σ² + ε), y = x̂·w + b. Backward, with g = ∂L/∂y:
//!
//! ```text
//! ∂L/∂x = (1/√(σ²+ε)) · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)),   ĝ = g · w
//! ∂L/∂w = Σ_rows g · x̂,   ∂L/∂b = Σ_rows g
//! ```
//!
//! Cost: forward 2 passes over each row (statistics in f64, then output),
//! backward 2 passes; O(rows · D) time, the output plus 2 floats per row
//! (μ and 1/σ kept from the forward pass) of memory. Rows run in parallel;
//! the weight and bias gradients are summed per block of rows and the blocks
//! added in order (deterministic).

use std::sync::Mutex;

use candle_core::{CpuStorage, CustomOp3, Layout, Shape, Tensor};
use rayon::prelude::*;

use super::{f32_slice, with_f32, ROW_BLOCK};
use crate::{NnError, Result};

/// The fused op; `stats` keeps (μ, 1/σ) per row for the backward pass.
struct LayerNormOp {
    eps: f64,
    stats: Mutex<Vec<[f32; 2]>>,
}

/// Layer norm of `x` over its last dimension with `weight` and `bias` of
/// shape `[D]`; differentiable in all three.
pub fn layer_norm(x: &Tensor, weight: &Tensor, bias: &Tensor, eps: f64) -> Result<Tensor> {
    let d = x.dims().last().copied().unwrap_or(0);
    if x.rank() == 0 || d == 0 {
        return Err(NnError::Shape(format!(
            "layer_norm: input needs a non-empty last dimension, got {:?}",
            x.dims()
        )));
    }
    for (name, t) in [("weight", weight), ("bias", bias)] {
        if t.dims() != [d] {
            return Err(NnError::Shape(format!(
                "layer_norm: {name} has shape {:?}, expected [{d}]",
                t.dims()
            )));
        }
    }
    if !(eps > 0.0 && eps.is_finite()) {
        return Err(NnError::Config(format!(
            "layer_norm: eps must be > 0, got {eps}"
        )));
    }
    let op = LayerNormOp {
        eps,
        stats: Mutex::new(Vec::new()),
    };
    Ok(x.contiguous()?
        .apply_op3(&weight.contiguous()?, &bias.contiguous()?, op)?)
}

impl CustomOp3 for LayerNormOp {
    fn name(&self) -> &'static str {
        "fused-layer-norm"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let x = f32_slice(self.name(), s1, l1)?;
        let w = f32_slice(self.name(), s2, l2)?;
        let b = f32_slice(self.name(), s3, l3)?;
        let d = w.len();
        let rows = x.len() / d;
        let mut out = vec![0f32; x.len()];
        let mut stats = vec![[0f32; 2]; rows];
        out.par_chunks_mut(d)
            .zip(x.par_chunks(d))
            .zip(stats.par_iter_mut())
            .for_each(|((y, x), st)| {
                let mean = x.iter().map(|&v| v as f64).sum::<f64>() / d as f64;
                let var = x.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / d as f64;
                let rstd = 1.0 / (var + self.eps).sqrt();
                let (mean, rstd) = (mean as f32, rstd as f32);
                for j in 0..d {
                    y[j] = (x[j] - mean) * rstd * w[j] + b[j];
                }
                *st = [mean, rstd];
            });
        *self.stats.lock().unwrap_or_else(|e| e.into_inner()) = stats;
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }

    fn bwd(
        &self,
        x: &Tensor,
        w: &Tensor,
        _b: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let d = w.elem_count();
        let stats = self.stats.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let (dx, dw, db) = with_f32(self.name(), x, |x| {
            with_f32(self.name(), w, |w| {
                with_f32(self.name(), grad, |g| {
                    Ok(backward(x, w, g, &stats, d, self.eps))
                })
            })
        })?;
        let dev = x.device();
        Ok((
            Some(Tensor::from_vec(dx, x.shape(), dev)?),
            Some(Tensor::from_vec(dw, d, dev)?),
            Some(Tensor::from_vec(db, d, dev)?),
        ))
    }
}

/// Row statistics (μ, 1/σ), recomputed when the forward pass's are missing.
fn row_stats(x: &[f32], eps: f64) -> [f32; 2] {
    let d = x.len() as f64;
    let mean = x.iter().map(|&v| v as f64).sum::<f64>() / d;
    let var = x.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / d;
    [mean as f32, (1.0 / (var + eps).sqrt()) as f32]
}

/// `(∂x, ∂w, ∂b)` from the input, the weight and the output gradient.
fn backward(
    x: &[f32],
    w: &[f32],
    g: &[f32],
    stats: &[[f32; 2]],
    d: usize,
    eps: f64,
) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let rows = x.len() / d;
    let stats_ok = stats.len() == rows;
    let mut dx = vec![0f32; x.len()];
    let block = ROW_BLOCK * d;
    // Per block of rows: the input gradient in place, and partial ∂w, ∂b.
    let partials: Vec<(Vec<f32>, Vec<f32>)> = dx
        .par_chunks_mut(block)
        .zip(x.par_chunks(block))
        .zip(g.par_chunks(block))
        .enumerate()
        .map(|(bi, ((dx, x), g))| {
            let mut dw = vec![0f32; d];
            let mut db = vec![0f32; d];
            for (r, ((dx, x), g)) in dx
                .chunks_mut(d)
                .zip(x.chunks(d))
                .zip(g.chunks(d))
                .enumerate()
            {
                let [mean, rstd] = if stats_ok {
                    stats[bi * ROW_BLOCK + r]
                } else {
                    row_stats(x, eps)
                };
                let (mut sum_g, mut sum_gx) = (0f64, 0f64);
                for j in 0..d {
                    let xhat = (x[j] - mean) * rstd;
                    let gw = g[j] * w[j];
                    sum_g += gw as f64;
                    sum_gx += (gw * xhat) as f64;
                    dw[j] += g[j] * xhat;
                    db[j] += g[j];
                }
                let mean_g = (sum_g / d as f64) as f32;
                let mean_gx = (sum_gx / d as f64) as f32;
                for j in 0..d {
                    let xhat = (x[j] - mean) * rstd;
                    dx[j] = rstd * (g[j] * w[j] - mean_g - xhat * mean_gx);
                }
            }
            (dw, db)
        })
        .collect();
    let mut dw = vec![0f32; d];
    let mut db = vec![0f32; d];
    for (pw, pb) in &partials {
        for j in 0..d {
            dw[j] += pw[j];
            db[j] += pb[j];
        }
    }
    (dx, dw, db)
}
