//! The Elman recurrent cell (Elman 1990, "Finding structure in time"), in
//! PyTorch's form (`torch.nn.RNN`):
//!
//! ```text
//! h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),   act = tanh or relu
//! ```
//!
//! Parameters (PyTorch names and layouts): `weight_ih_l{k}` `[H, F]`,
//! `weight_hh_l{k}` `[H, H]`, `bias_ih_l{k}` `[H]`, `bias_hh_l{k}` `[H]`
//! (suffix `_reverse` for the backward direction).
//!
//! Cost per step and sequence of batch `B`: `O(B·H·(F + H))` time; the fused
//! sequence kernel keeps every `h_t` for the backward pass, `O(T·B·H)` memory.
//! Whole sequences, stacking and directions live in
//! [`crate::recurrent::Recurrent`]; this file holds the cell's equations:
//! [`RnnCell::step`] for one step with candle ops, and the pointwise parts of
//! the fused forward and backward kernels.

use candle_core::Tensor;
use candle_nn::VarBuilder;
use serde::{Deserialize, Serialize};

use crate::recurrent::{CellKind, CellParams};
use crate::Result;

/// The non-linearity of an Elman cell (`nonlinearity=` in PyTorch).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Nonlinearity {
    #[default]
    Tanh,
    Relu,
}

/// One direction of one layer of an Elman RNN.
#[derive(Clone, Debug)]
pub struct RnnCell {
    pub params: CellParams,
    pub nonlinearity: Nonlinearity,
}

impl RnnCell {
    /// Reads (or creates) `weight_ih_l{layer}{suffix}` etc. under `vb`.
    pub fn new(
        input_size: usize,
        hidden_size: usize,
        nonlinearity: Nonlinearity,
        layer: usize,
        reverse: bool,
        bias: bool,
        vb: VarBuilder,
    ) -> Result<Self> {
        let kind = match nonlinearity {
            Nonlinearity::Tanh => CellKind::RnnTanh,
            Nonlinearity::Relu => CellKind::RnnRelu,
        };
        let params = CellParams::new(kind, input_size, hidden_size, layer, reverse, bias, vb)?;
        Ok(Self {
            params,
            nonlinearity,
        })
    }

    /// One step: `x` `[B, F]`, `h` `[B, H]` → `h'` `[B, H]`.
    pub fn step(&self, x: &Tensor, h: &Tensor) -> Result<Tensor> {
        let pre = self.params.input_projection(x)?;
        let pre = (pre + self.params.hidden_projection(h)?)?;
        Ok(match self.nonlinearity {
            Nonlinearity::Tanh => pre.tanh()?,
            Nonlinearity::Relu => pre.relu()?,
        })
    }
}

/// Forward pointwise part: `pre` `[B, H]` (both projections and biases) →
/// `h` `[B, H]`.
pub(crate) fn pointwise_forward(relu: bool, pre: &[f32], h: &mut [f32]) {
    if relu {
        for (o, &p) in h.iter_mut().zip(pre) {
            *o = p.max(0.0);
        }
    } else {
        for (o, &p) in h.iter_mut().zip(pre) {
            *o = crate::fast_math::tanh(p);
        }
    }
}

/// Backward pointwise part: from `dh` (total gradient reaching `h_t`) and
/// `h_t`, the gradient of the pre-activation, written into `dpre`.
/// relu'(0) = 0, as in PyTorch.
pub(crate) fn pointwise_backward(relu: bool, h: &[f32], dh: &[f32], dpre: &mut [f32]) {
    if relu {
        for ((d, &g), &y) in dpre.iter_mut().zip(dh).zip(h) {
            *d = if y > 0.0 { g } else { 0.0 };
        }
    } else {
        for ((d, &g), &y) in dpre.iter_mut().zip(dh).zip(h) {
            *d = g * (1.0 - y * y);
        }
    }
}
