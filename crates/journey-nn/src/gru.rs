//! The GRU cell (Cho et al. 2014, "Learning phrase representations using RNN
//! encoder–decoder for statistical machine translation"), in PyTorch's form
//! (`torch.nn.GRU`, gate order r, z, n):
//!
//! ```text
//! r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)            reset gate
//! z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)            update gate
//! n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn)) candidate
//! h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t-1}
//! ```
//!
//! Note that PyTorch (like cuDNN) puts the reset gate *inside* the
//! `(W_hn h + b_hn)` term, where the paper has `W_hn (r ⊙ h)`; that is why
//! `b_hn` cannot be folded into the input projection.
//!
//! Parameters (PyTorch names and layouts): `weight_ih_l{k}` `[3H, F]`,
//! `weight_hh_l{k}` `[3H, H]`, `bias_ih_l{k}` `[3H]`, `bias_hh_l{k}` `[3H]`
//! (rows stacked r, z, n; suffix `_reverse` for the backward direction).
//!
//! Cost per step: `O(B·3H·(F + H))` time; the fused sequence kernel keeps the
//! three gates, `W_hn h + b_hn` and `h_t` of every step, `O(5·T·B·H)` memory.
//! Whole sequences, stacking and directions live in
//! [`crate::recurrent::Recurrent`].

use candle_core::Tensor;
use candle_nn::VarBuilder;

use crate::recurrent::{CellKind, CellParams};
use crate::Result;

/// One direction of one layer of a GRU.
#[derive(Clone, Debug)]
pub struct GruCell {
    pub params: CellParams,
}

impl GruCell {
    /// Reads (or creates) `weight_ih_l{layer}{suffix}` etc. under `vb`.
    pub fn new(
        input_size: usize,
        hidden_size: usize,
        layer: usize,
        reverse: bool,
        bias: bool,
        vb: VarBuilder,
    ) -> Result<Self> {
        let params = CellParams::new(
            CellKind::Gru,
            input_size,
            hidden_size,
            layer,
            reverse,
            bias,
            vb,
        )?;
        Ok(Self { params })
    }

    /// One step: `x` `[B, F]`, `h` `[B, H]` → `h'`.
    pub fn step(&self, x: &Tensor, h: &Tensor) -> Result<Tensor> {
        let hs = self.params.hidden_size;
        let gi = self.params.input_projection(x)?;
        let gh = self.params.hidden_projection(h)?;
        let r = candle_nn::ops::sigmoid(&(gi.narrow(1, 0, hs)? + gh.narrow(1, 0, hs)?)?)?;
        let z = candle_nn::ops::sigmoid(&(gi.narrow(1, hs, hs)? + gh.narrow(1, hs, hs)?)?)?;
        let n = (gi.narrow(1, 2 * hs, hs)? + (r * gh.narrow(1, 2 * hs, hs)?)?)?.tanh()?;
        let h = (((1.0 - &z)? * n)? + (z * h)?)?;
        Ok(h)
    }
}

use crate::fast_math::{sigmoid, tanh};

/// Forward pointwise part: `gi` `[B, 3H]` (input projection + b_ih), `gh`
/// `[B, 3H]` (hidden projection + b_hh), `h_prev` → gates r, z, n `[B, 3H]`,
/// `ghn` `[B, H]` (kept for backward) and `h`.
pub(crate) fn pointwise_forward(
    hs: usize,
    gi: &[f32],
    gh: &[f32],
    h_prev: &[f32],
    gates: &mut [f32],
    ghn: &mut [f32],
    h: &mut [f32],
) {
    for (((gi, gh), (h_prev, gates)), (ghn, h)) in gi
        .chunks_exact(3 * hs)
        .zip(gh.chunks_exact(3 * hs))
        .zip(h_prev.chunks_exact(hs).zip(gates.chunks_exact_mut(3 * hs)))
        .zip(ghn.chunks_exact_mut(hs).zip(h.chunks_exact_mut(hs)))
    {
        for j in 0..hs {
            let r = sigmoid(gi[j] + gh[j]);
            let z = sigmoid(gi[hs + j] + gh[hs + j]);
            let n = tanh(gi[2 * hs + j] + r * gh[2 * hs + j]);
            gates[j] = r;
            gates[hs + j] = z;
            gates[2 * hs + j] = n;
            ghn[j] = gh[2 * hs + j];
            h[j] = (1.0 - z) * n + z * h_prev[j];
        }
    }
}

/// Backward pointwise part: from `dh` (total gradient reaching `h_t`), writes
/// the gradients of the input pre-activations `dgi` `[B, 3H]`, of the hidden
/// pre-activations `dgh` `[B, 3H]` and the direct part of the gradient of
/// `h_{t-1}` (`dh · z`) into `dh_prev`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn pointwise_backward(
    hs: usize,
    gates: &[f32],
    ghn: &[f32],
    h_prev: &[f32],
    dh: &[f32],
    dgi: &mut [f32],
    dgh: &mut [f32],
    dh_prev: &mut [f32],
) {
    for (((gates, ghn), (h_prev, dh)), ((dgi, dgh), dh_prev)) in gates
        .chunks_exact(3 * hs)
        .zip(ghn.chunks_exact(hs))
        .zip(h_prev.chunks_exact(hs).zip(dh.chunks_exact(hs)))
        .zip(
            dgi.chunks_exact_mut(3 * hs)
                .zip(dgh.chunks_exact_mut(3 * hs))
                .zip(dh_prev.chunks_exact_mut(hs)),
        )
    {
        for j in 0..hs {
            let (r, z, n) = (gates[j], gates[hs + j], gates[2 * hs + j]);
            let g = dh[j];
            let dpre_n = g * (1.0 - z) * (1.0 - n * n);
            let dpre_z = g * (h_prev[j] - n) * z * (1.0 - z);
            let dpre_r = dpre_n * ghn[j] * r * (1.0 - r);
            dgi[j] = dpre_r;
            dgi[hs + j] = dpre_z;
            dgi[2 * hs + j] = dpre_n;
            dgh[j] = dpre_r;
            dgh[hs + j] = dpre_z;
            dgh[2 * hs + j] = dpre_n * r;
            dh_prev[j] = g * z;
        }
    }
}
