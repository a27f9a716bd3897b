//! The position-wise feed-forward block of a transformer layer (Vaswani et
//! al. 2017, eq. 2): `FFN(x) = W₂ · act(W₁ x + b₁) + b₂`, with GELU (BERT,
//! GPT-2; Hendrycks & Gimpel 2016), ReLU (the original), or the gated
//! SwiGLU `W₂ (SiLU(W_g x) ⊙ W₁ x)` of Shazeer, "GLU Variants Improve
//! Transformer" (2020), used by LLaMA-family models.
//!
//! Cost: O(T·D·H) time for T positions, width D and hidden width H
//! (1.5× that for SwiGLU's extra projection).

use candle_core::Tensor;
use candle_nn::{Linear, Module, VarBuilder};
use journey_nn::fused::gelu::{gelu, GeluApproximation};
use serde::{Deserialize, Serialize};

use crate::{LlmError, Result};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// `x Φ(x)` with erf (BERT's "gelu").
    #[default]
    Gelu,
    /// GELU's tanh approximation (GPT-2's "gelu_new").
    GeluTanh,
    Relu,
    /// Gated: `SiLU(gate(x)) ⊙ up(x)`.
    SwiGlu,
}

impl Activation {
    /// From a Hugging Face `hidden_act` name.
    pub fn from_hf(name: &str) -> Result<Self> {
        Ok(match name {
            "gelu" => Self::Gelu,
            "gelu_new" | "gelu_pytorch_tanh" => Self::GeluTanh,
            "relu" => Self::Relu,
            "silu" | "swiglu" => Self::SwiGlu,
            other => {
                return Err(LlmError::Config(format!(
                    "activation {other:?} is not supported (gelu, gelu_new, relu, silu)"
                )))
            }
        })
    }
}

pub struct FeedForward {
    up: Linear,
    gate: Option<Linear>,
    down: Linear,
    activation: Activation,
}

impl FeedForward {
    /// `up` (D → H), `down` (H → D) and, for SwiGLU, `gate` (D → H) read
    /// from the given builders (the caller picks the checkpoint's names).
    pub fn new(
        dim: usize,
        hidden: usize,
        activation: Activation,
        bias: bool,
        up: VarBuilder,
        down: VarBuilder,
        gate: Option<VarBuilder>,
    ) -> Result<Self> {
        if dim == 0 || hidden == 0 {
            return Err(LlmError::Config("feed-forward widths must be > 0".into()));
        }
        let lin = |i, o, vb| -> Result<Linear> {
            Ok(if bias {
                candle_nn::linear(i, o, vb)?
            } else {
                candle_nn::linear_no_bias(i, o, vb)?
            })
        };
        let gate = match (activation, gate) {
            (Activation::SwiGlu, Some(vb)) => Some(lin(dim, hidden, vb)?),
            (Activation::SwiGlu, None) => {
                return Err(LlmError::Config("SwiGLU needs a gate projection".into()))
            }
            _ => None,
        };
        Ok(Self {
            up: lin(dim, hidden, up)?,
            gate,
            down: lin(hidden, dim, down)?,
            activation,
        })
    }

    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let h = self.up.forward(x)?;
        let h = match self.activation {
            Activation::Gelu => gelu(&h, GeluApproximation::Erf)?,
            Activation::GeluTanh => gelu(&h, GeluApproximation::Tanh)?,
            Activation::Relu => h.relu()?,
            Activation::SwiGlu => {
                let g = self.gate.as_ref().expect("checked in new").forward(x)?;
                (candle_nn::ops::silu(&g)? * h)?
            }
        };
        Ok(self.down.forward(&h)?)
    }
}
