//! Softmax cross-entropy with integer targets as one fused op with its
//! backward pass — the loss of every classifier and language model here.
//!
//! For a row of logits z (C classes) and target t:
//! `ℓ = log Σ_j exp(z_j) − z_t`, computed stably as
//! `m + log Σ_j exp(z_j − m)` with m = max z. The loss is the mean of ℓ over
//! the rows whose target is not `ignore_index` (PyTorch's
//! `F.cross_entropy(..., ignore_index=...)`, reduction "mean"). The gradient
//! never materialises log-softmax:
//!
//! ```text
//! ∂L/∂z_j = (softmax(z)_j − [j = t]) · ∂L/∂loss / n_valid   (0 on ignored rows)
//! ```
//!
//! If every row is ignored the loss is 0 with a zero gradient (PyTorch gives
//! NaN). Cost: forward 2 passes over the logits (max, then Σ exp), backward
//! 1 pass; O(N · C) time, memory N floats (the log-sum-exp of each row, kept
//! for the backward pass) besides the gradient. Rows run in parallel; the
//! loss is summed in row order (deterministic).

use std::sync::Mutex;

use candle_core::backend::BackendStorage;
use candle_core::{CpuStorage, CustomOp2, DType, Layout, Shape, Tensor};
use rayon::prelude::*;

use super::{f32_slice, with_f32};
use crate::{NnError, Result};

/// The fused op; `lse` keeps log Σ exp per row for the backward pass.
struct CrossEntropyOp {
    ignore_index: Option<i64>,
    lse: Mutex<Vec<f32>>,
}

/// Mean cross-entropy of `logits` (`[N, C]`, or `[.., C]` with targets of
/// the leading shape) against integer `targets` (u8, u32 or i64), skipping
/// rows whose target equals `ignore_index`. Returns a scalar tensor,
/// differentiable in the logits.
pub fn cross_entropy(
    logits: &Tensor,
    targets: &Tensor,
    ignore_index: Option<i64>,
) -> Result<Tensor> {
    let dims = logits.dims();
    if dims.is_empty() || dims[dims.len() - 1] == 0 {
        return Err(NnError::Shape(format!(
            "cross_entropy: logits need a non-empty class dimension, got {dims:?}"
        )));
    }
    if targets.dims() != &dims[..dims.len() - 1] {
        return Err(NnError::Shape(format!(
            "cross_entropy: targets have shape {:?}, expected {:?} (the logits' shape without the class dimension)",
            targets.dims(),
            &dims[..dims.len() - 1]
        )));
    }
    if !matches!(targets.dtype(), DType::U8 | DType::U32 | DType::I64) {
        return Err(NnError::Config(format!(
            "cross_entropy: targets must be u8, u32 or i64, got {:?}",
            targets.dtype()
        )));
    }
    let op = CrossEntropyOp {
        ignore_index,
        lse: Mutex::new(Vec::new()),
    };
    Ok(logits.contiguous()?.apply_op2(&targets.contiguous()?, op)?)
}

/// The targets as i64, whatever their integer dtype.
fn targets_i64(storage: &CpuStorage, layout: &Layout) -> candle_core::Result<Vec<i64>> {
    let Some((a, b)) = layout.contiguous_offsets() else {
        candle_core::bail!("cross_entropy: targets must be contiguous");
    };
    Ok(match storage {
        CpuStorage::U8(v) => v[a..b].iter().map(|&t| t as i64).collect(),
        CpuStorage::U32(v) => v[a..b].iter().map(|&t| t as i64).collect(),
        CpuStorage::I64(v) => v[a..b].to_vec(),
        other => candle_core::bail!(
            "cross_entropy: targets must be integers, got {:?}",
            other.dtype()
        ),
    })
}

impl CrossEntropyOp {
    /// Checks the targets; returns how many rows count.
    fn valid_rows(&self, targets: &[i64], classes: usize) -> candle_core::Result<usize> {
        let mut n = 0;
        for (i, &t) in targets.iter().enumerate() {
            if Some(t) == self.ignore_index {
                continue;
            }
            if t < 0 || t as usize >= classes {
                candle_core::bail!(
                    "cross_entropy: target {t} of row {i} is outside 0..{classes} (and is not the ignore index {:?})",
                    self.ignore_index
                );
            }
            n += 1;
        }
        Ok(n)
    }
}

/// log Σ exp of a row, stable.
fn log_sum_exp(z: &[f32]) -> f32 {
    let m = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let s: f32 = z.iter().map(|&v| (v - m).exp()).sum();
    m + s.ln()
}

impl CustomOp2 for CrossEntropyOp {
    fn name(&self) -> &'static str {
        "fused-cross-entropy"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let z = f32_slice(self.name(), s1, l1)?;
        let targets = targets_i64(s2, l2)?;
        let classes = l1.dims().last().copied().unwrap_or(1).max(1);
        let n_valid = self.valid_rows(&targets, classes)?;
        let lse: Vec<f32> = z.par_chunks(classes).map(log_sum_exp).collect();
        let mut total = 0f64;
        for (i, &t) in targets.iter().enumerate() {
            if Some(t) != self.ignore_index {
                total += (lse[i] - z[i * classes + t as usize]) as f64;
            }
        }
        let loss = if n_valid == 0 {
            0.0
        } else {
            (total / n_valid as f64) as f32
        };
        *self.lse.lock().unwrap_or_else(|e| e.into_inner()) = lse;
        Ok((CpuStorage::F32(vec![loss]), Shape::from(())))
    }

    fn bwd(
        &self,
        logits: &Tensor,
        targets: &Tensor,
        _res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>)> {
        let g = grad.flatten_all()?.to_vec1::<f32>()?[0];
        let targets = targets
            .to_dtype(DType::I64)?
            .flatten_all()?
            .to_vec1::<i64>()?;
        let cached = self.lse.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let classes = logits.dims().last().copied().unwrap_or(1).max(1);
        let dz = with_f32(self.name(), logits, |z| {
            let n_valid = self.valid_rows(&targets, classes)?;
            let scale = if n_valid == 0 {
                0.0
            } else {
                g / n_valid as f32
            };
            let mut dz = vec![0f32; z.len()];
            dz.par_chunks_mut(classes)
                .zip(z.par_chunks(classes))
                .enumerate()
                .for_each(|(i, (dz, z))| {
                    let t = targets[i];
                    if Some(t) == self.ignore_index || scale == 0.0 {
                        return;
                    }
                    let lse = if cached.len() == targets.len() {
                        cached[i]
                    } else {
                        log_sum_exp(z)
                    };
                    for (d, &v) in dz.iter_mut().zip(z) {
                        *d = (v - lse).exp() * scale;
                    }
                    dz[t as usize] -= scale;
                });
            Ok(dz)
        })?;
        Ok((
            Some(Tensor::from_vec(dz, logits.shape(), logits.device())?),
            None,
        ))
    }
}
