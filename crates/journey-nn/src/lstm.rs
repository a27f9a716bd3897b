//! The LSTM cell (Hochreiter & Schmidhuber 1997, "Long short-term memory",
//! with the forget gate of Gers, Schmidhuber & Cummins 2000), in PyTorch's
//! form (`torch.nn.LSTM`, gate order i, f, g, o):
//!
//! ```text
//! i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)      input gate
//! f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)      forget gate
//! g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)   candidate
//! o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)      output gate
//! c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
//! h_t = o_t ⊙ tanh(c_t)
//! ```
//!
//! Parameters (PyTorch names and layouts): `weight_ih_l{k}` `[4H, F]`,
//! `weight_hh_l{k}` `[4H, H]`, `bias_ih_l{k}` `[4H]`, `bias_hh_l{k}` `[4H]`
//! (rows stacked i, f, g, o; suffix `_reverse` for the backward direction).
//!
//! Cost per step: `O(B·4H·(F + H))` time; the fused sequence kernel keeps
//! the four gates, `c_t` and `h_t` of every step for the backward pass,
//! `O(6·T·B·H)` memory. Backward (BPTT), with `dc` the total gradient of c_t:
//!
//! ```text
//! dc  = dc_{t+1}·f_{t+1} + ∂L/∂c_t + dh·o·(1 − tanh²c)
//! do  = dh·tanh(c)      di = dc·g      dg = dc·i      df = dc·c_{t-1}
//! ```
//!
//! Whole sequences, stacking and directions live in
//! [`crate::recurrent::Recurrent`].

use candle_core::Tensor;
use candle_nn::VarBuilder;

use crate::recurrent::{CellKind, CellParams};
use crate::Result;

/// One direction of one layer of an LSTM.
#[derive(Clone, Debug)]
pub struct LstmCell {
    pub params: CellParams,
}

impl LstmCell {
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
            CellKind::Lstm,
            input_size,
            hidden_size,
            layer,
            reverse,
            bias,
            vb,
        )?;
        Ok(Self { params })
    }

    /// One step: `x` `[B, F]`, `(h, c)` `[B, H]` each → `(h', c')`.
    pub fn step(&self, x: &Tensor, h: &Tensor, c: &Tensor) -> Result<(Tensor, Tensor)> {
        let hs = self.params.hidden_size;
        let pre = (self.params.input_projection(x)? + self.params.hidden_projection(h)?)?;
        let i = candle_nn::ops::sigmoid(&pre.narrow(1, 0, hs)?)?;
        let f = candle_nn::ops::sigmoid(&pre.narrow(1, hs, hs)?)?;
        let g = pre.narrow(1, 2 * hs, hs)?.tanh()?;
        let o = candle_nn::ops::sigmoid(&pre.narrow(1, 3 * hs, hs)?)?;
        let c = ((f * c)? + (i * g)?)?;
        let h = (o * c.tanh()?)?;
        Ok((h, c))
    }
}

use crate::fast_math::{sigmoid, tanh};

/// Forward pointwise part for a batch of `b` rows: `pre` `[B, 4H]` (both
/// projections and biases), `c_prev` `[B, H]` → activated gates `[B, 4H]`,
/// `c` and `h` `[B, H]`.
pub(crate) fn pointwise_forward(
    hs: usize,
    pre: &[f32],
    c_prev: &[f32],
    gates: &mut [f32],
    c: &mut [f32],
    h: &mut [f32],
) {
    for ((pre, gates), (c_prev, (c, h))) in pre
        .chunks_exact(4 * hs)
        .zip(gates.chunks_exact_mut(4 * hs))
        .zip(
            c_prev
                .chunks_exact(hs)
                .zip(c.chunks_exact_mut(hs).zip(h.chunks_exact_mut(hs))),
        )
    {
        let (pi, rest) = pre.split_at(hs);
        let (pf, rest) = rest.split_at(hs);
        let (pg, po) = rest.split_at(hs);
        let (gi, rest) = gates.split_at_mut(hs);
        let (gf, rest) = rest.split_at_mut(hs);
        let (gg, go) = rest.split_at_mut(hs);
        let (c_prev, c, h) = (&c_prev[..hs], &mut c[..hs], &mut h[..hs]);
        let (po, go) = (&po[..hs], &mut go[..hs]);
        for j in 0..hs {
            let i = sigmoid(pi[j]);
            let f = sigmoid(pf[j]);
            let g = tanh(pg[j]);
            let o = sigmoid(po[j]);
            let cj = f * c_prev[j] + i * g;
            gi[j] = i;
            gf[j] = f;
            gg[j] = g;
            go[j] = o;
            c[j] = cj;
            h[j] = o * tanh(cj);
        }
    }
}

/// Backward pointwise part. `dh` is the total gradient reaching `h_t`, `dc`
/// the gradient reaching `c_t` from outside and from step t+1 (it is
/// overwritten with the gradient of `c_{t-1}`); writes the gradient of the
/// pre-activations into `dpre` `[B, 4H]`.
pub(crate) fn pointwise_backward(
    hs: usize,
    gates: &[f32],
    c: &[f32],
    c_prev: &[f32],
    dh: &[f32],
    dc: &mut [f32],
    dpre: &mut [f32],
) {
    for (((gates, dpre), (c, c_prev)), (dh, dc)) in gates
        .chunks_exact(4 * hs)
        .zip(dpre.chunks_exact_mut(4 * hs))
        .zip(c.chunks_exact(hs).zip(c_prev.chunks_exact(hs)))
        .zip(dh.chunks_exact(hs).zip(dc.chunks_exact_mut(hs)))
    {
        let (gi, rest) = gates.split_at(hs);
        let (gf, rest) = rest.split_at(hs);
        let (gg, go) = rest.split_at(hs);
        let (di, rest) = dpre.split_at_mut(hs);
        let (df, rest) = rest.split_at_mut(hs);
        let (dg, dout) = rest.split_at_mut(hs);
        let (go, dout) = (&go[..hs], &mut dout[..hs]);
        let (c, c_prev, dh, dc) = (&c[..hs], &c_prev[..hs], &dh[..hs], &mut dc[..hs]);
        for j in 0..hs {
            let (i, f, g, o) = (gi[j], gf[j], gg[j], go[j]);
            let tc = tanh(c[j]);
            let dcj = dc[j] + dh[j] * o * (1.0 - tc * tc);
            di[j] = dcj * g * i * (1.0 - i);
            df[j] = dcj * c_prev[j] * f * (1.0 - f);
            dg[j] = dcj * i * (1.0 - g * g);
            dout[j] = dh[j] * tc * o * (1.0 - o);
            dc[j] = dcj * f;
        }
    }
}
