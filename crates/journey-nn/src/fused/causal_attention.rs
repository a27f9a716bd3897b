//! Causal scaled dot-product attention (Vaswani et al. 2017, "Attention Is
//! All You Need") as one fused op with its backward pass, never storing the
//! T × T attention matrix — the recomputation idea of FlashAttention (Dao et
//! al. 2022), written plainly for the CPU.
//!
//! For each sequence (q, k, v of shape [T, Dh]) and position i:
//! `s_ij = scale · q_i·k_j` for j ≤ i, `p_i = softmax(s_i)`,
//! `o_i = Σ_j p_ij v_j`. Only the log-sum-exp `ℓ_i` of each row is kept.
//! Backward, with `dO` the output gradient, recomputing `p_ij = exp(s_ij − ℓ_i)`:
//!
//! ```text
//! D_i = dO_i·o_i,  dP_ij = dO_i·v_j,  dS_ij = p_ij (dP_ij − D_i)
//! dV_j = Σ_i p_ij dO_i,  dQ_i = scale Σ_j dS_ij k_j,  dK_j = scale Σ_i dS_ij q_i
//! ```
//!
//! Cost: O(B · T² · Dh) time forward and about twice that backward; memory
//! O(B · T) (ℓ) besides the inputs, outputs and gradients, plus a row of T
//! scores per thread. Sequences (the leading dimensions, e.g. batch × heads)
//! run in parallel; within one, work is sequential, so results do not depend
//! on the number of threads.

use std::sync::Mutex;

use candle_core::{CpuStorage, CustomOp3, Layout, Shape, Tensor};
use rayon::prelude::*;

use super::{f32_slice, with_f32};
use crate::{NnError, Result};

struct CausalAttentionOp {
    scale: f32,
    t: usize,
    dh: usize,
    lse: Mutex<Vec<f32>>,
}

/// Causal attention of `q`, `k`, `v` (all `[.., T, Dh]`, the leading
/// dimensions being independent sequences, e.g. batch × heads). `scale`
/// defaults to 1/√Dh. Differentiable in q, k and v.
pub fn causal_attention(q: &Tensor, k: &Tensor, v: &Tensor, scale: Option<f64>) -> Result<Tensor> {
    let dims = q.dims();
    if dims.len() < 2 {
        return Err(NnError::Shape(format!(
            "causal_attention: q needs at least [T, Dh], got {dims:?}"
        )));
    }
    for (name, t) in [("k", k), ("v", v)] {
        if t.dims() != dims {
            return Err(NnError::Shape(format!(
                "causal_attention: {name} has shape {:?}, q has {dims:?}",
                t.dims()
            )));
        }
    }
    let (t, dh) = (dims[dims.len() - 2], dims[dims.len() - 1]);
    if dh == 0 {
        return Err(NnError::Shape(
            "causal_attention: head dimension is 0".into(),
        ));
    }
    let scale = scale.unwrap_or(1.0 / (dh as f64).sqrt());
    if !scale.is_finite() {
        return Err(NnError::Config(format!(
            "causal_attention: scale must be finite, got {scale}"
        )));
    }
    let op = CausalAttentionOp {
        scale: scale as f32,
        t,
        dh,
        lse: Mutex::new(Vec::new()),
    };
    Ok(q.contiguous()?
        .apply_op3(&k.contiguous()?, &v.contiguous()?, op)?)
}

/// Dot product with 8 independent partial sums (lets the compiler use SIMD).
#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    acc.iter().sum::<f32>() + tail
}

impl CausalAttentionOp {
    /// Forward of one sequence: writes `o` and the row log-sum-exps.
    fn forward_seq(&self, q: &[f32], k: &[f32], v: &[f32], o: &mut [f32], lse: &mut [f32]) {
        let (t, dh) = (self.t, self.dh);
        let mut s = vec![0f32; t];
        for i in 0..t {
            let qi = &q[i * dh..(i + 1) * dh];
            let mut m = f32::NEG_INFINITY;
            for j in 0..=i {
                s[j] = self.scale * dot(qi, &k[j * dh..(j + 1) * dh]);
                m = m.max(s[j]);
            }
            let mut sum = 0f32;
            for sj in &mut s[..=i] {
                *sj = (*sj - m).exp();
                sum += *sj;
            }
            lse[i] = m + sum.ln();
            let oi = &mut o[i * dh..(i + 1) * dh];
            oi.fill(0.0);
            for j in 0..=i {
                let p = s[j] / sum;
                for (o, &vv) in oi.iter_mut().zip(&v[j * dh..(j + 1) * dh]) {
                    *o += p * vv;
                }
            }
        }
    }

    /// Backward of one sequence into `dq`, `dk`, `dv` (zeroed).
    #[allow(clippy::too_many_arguments)]
    fn backward_seq(
        &self,
        (q, k, v): (&[f32], &[f32], &[f32]),
        o: &[f32],
        g: &[f32],
        lse: &[f32],
        dq: &mut [f32],
        dk: &mut [f32],
        dv: &mut [f32],
    ) {
        let dh = self.dh;
        for (i, &lse_i) in lse[..self.t].iter().enumerate() {
            let row = i * dh..(i + 1) * dh;
            let (qi, gi) = (&q[row.clone()], &g[row.clone()]);
            let d_i = dot(gi, &o[row.clone()]);
            for j in 0..=i {
                let col = j * dh..(j + 1) * dh;
                let p = (self.scale * dot(qi, &k[col.clone()]) - lse_i).exp();
                let dp = dot(gi, &v[col.clone()]);
                let ds = p * (dp - d_i) * self.scale;
                for ((dv, dk), (&gg, &qq)) in dv[col.clone()]
                    .iter_mut()
                    .zip(&mut dk[col.clone()])
                    .zip(gi.iter().zip(qi))
                {
                    *dv += p * gg;
                    *dk += ds * qq;
                }
                for (dq, &kk) in dq[row.clone()].iter_mut().zip(&k[col.clone()]) {
                    *dq += ds * kk;
                }
            }
        }
    }
}

impl CustomOp3 for CausalAttentionOp {
    fn name(&self) -> &'static str {
        "fused-causal-attention"
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
        let q = f32_slice(self.name(), s1, l1)?;
        let k = f32_slice(self.name(), s2, l2)?;
        let v = f32_slice(self.name(), s3, l3)?;
        let seq = (self.t * self.dh).max(1);
        let mut o = vec![0f32; q.len()];
        let mut lse = vec![0f32; q.len() / self.dh];
        o.par_chunks_mut(seq)
            .zip(lse.par_chunks_mut(self.t.max(1)))
            .zip(
                q.par_chunks(seq)
                    .zip(k.par_chunks(seq))
                    .zip(v.par_chunks(seq)),
            )
            .for_each(|((o, lse), ((q, k), v))| self.forward_seq(q, k, v, o, lse));
        *self.lse.lock().unwrap_or_else(|e| e.into_inner()) = lse;
        Ok((CpuStorage::F32(o), l1.shape().clone()))
    }

    fn bwd(
        &self,
        q: &Tensor,
        k: &Tensor,
        v: &Tensor,
        res: &Tensor,
        grad: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let lse = self.lse.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let n = q.elem_count();
        if lse.len() * self.dh != n {
            candle_core::bail!("{}: backward without a forward pass", self.name());
        }
        let seq = (self.t * self.dh).max(1);
        let (mut dq, mut dk, mut dv) = (vec![0f32; n], vec![0f32; n], vec![0f32; n]);
        with_f32(self.name(), q, |q| {
            with_f32(self.name(), k, |k| {
                with_f32(self.name(), v, |v| {
                    with_f32(self.name(), res, |o| {
                        with_f32(self.name(), grad, |g| {
                            dq.par_chunks_mut(seq)
                                .zip(dk.par_chunks_mut(seq))
                                .zip(dv.par_chunks_mut(seq))
                                .enumerate()
                                .for_each(|(b, ((dq, dk), dv))| {
                                    let r = b * seq..(b + 1) * seq;
                                    let l = &lse[b * self.t..(b + 1) * self.t];
                                    self.backward_seq(
                                        (&q[r.clone()], &k[r.clone()], &v[r.clone()]),
                                        &o[r.clone()],
                                        &g[r],
                                        l,
                                        dq,
                                        dk,
                                        dv,
                                    );
                                });
                            Ok(())
                        })
                    })
                })
            })
        })?;
        let (shape, dev) = (q.shape(), q.device());
        Ok((
            Some(Tensor::from_vec(dq, shape, dev)?),
            Some(Tensor::from_vec(dk, shape, dev)?),
            Some(Tensor::from_vec(dv, shape, dev)?),
        ))
    }
}
