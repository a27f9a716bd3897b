//! Multi-head attention (Vaswani et al. 2017, §3.2.2):
//! `MultiHead(X) = Concat(head_1 … head_h) W_O` with
//! `head_i = Attention(X W_Q^i, C W_K^i, C W_V^i)`, where the context C is
//! X itself (self-attention) or another sequence (cross-attention, the
//! encoder's output in an encoder–decoder). With fewer key/value heads than
//! query heads it is grouped-query attention (Ainslie et al., "GQA", 2023):
//! each key/value head serves `heads / kv_heads` query heads; one key/value
//! head is multi-query attention (Shazeer 2019).
//!
//! Cost: O(T·D²) for the projections plus O(H·Tq·Tk·d) for the attention.

use candle_core::Tensor;
use candle_nn::{Linear, Module, VarBuilder};
use serde::{Deserialize, Serialize};

use crate::scaled_dot_product::attention_probs;
use crate::{LlmError, Result};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionConfig {
    /// Model width D.
    pub dim: usize,
    /// Query heads h; the head width is D / h.
    pub heads: usize,
    /// Key/value heads (h for multi-head attention; must divide h).
    pub kv_heads: usize,
    /// Biases on the four projections (BERT, GPT-2: yes; LLaMA: no).
    pub bias: bool,
}

impl AttentionConfig {
    pub fn check(&self) -> Result<()> {
        if self.heads == 0 || self.dim == 0 {
            return Err(LlmError::Config(
                "attention: width and heads must be > 0".into(),
            ));
        }
        if self.dim % self.heads != 0 {
            return Err(LlmError::Config(format!(
                "attention: {} heads do not divide the width {}",
                self.heads, self.dim
            )));
        }
        if self.kv_heads == 0 || self.heads % self.kv_heads != 0 {
            return Err(LlmError::Config(format!(
                "attention: {} key/value heads do not divide {} query heads",
                self.kv_heads, self.heads
            )));
        }
        Ok(())
    }

    pub fn head_dim(&self) -> usize {
        self.dim / self.heads
    }
}

pub struct MultiHeadAttention {
    config: AttentionConfig,
    q: Linear,
    k: Linear,
    v: Linear,
    o: Linear,
}

impl MultiHeadAttention {
    /// The projections W_Q, W_K, W_V, W_O from four builders (the caller
    /// picks the checkpoint's names).
    pub fn new(
        config: AttentionConfig,
        q: VarBuilder,
        k: VarBuilder,
        v: VarBuilder,
        o: VarBuilder,
    ) -> Result<Self> {
        config.check()?;
        let kv = config.kv_heads * config.head_dim();
        let lin = |i, o, vb| -> Result<Linear> {
            Ok(if config.bias {
                candle_nn::linear(i, o, vb)?
            } else {
                candle_nn::linear_no_bias(i, o, vb)?
            })
        };
        Ok(Self {
            q: lin(config.dim, config.dim, q)?,
            k: lin(config.dim, kv, k)?,
            v: lin(config.dim, kv, v)?,
            o: lin(config.dim, config.dim, o)?,
            config,
        })
    }

    pub fn config(&self) -> &AttentionConfig {
        &self.config
    }

    /// `[B, T, D]` → `[B, heads, T, d]`.
    fn split(&self, x: &Tensor, heads: usize) -> Result<Tensor> {
        let (b, t, _) = x.dims3()?;
        Ok(x.reshape((b, t, heads, self.config.head_dim()))?
            .transpose(1, 2)?
            .contiguous()?)
    }

    /// Attention of `x` `[B, T, D]` over `context` (`x` itself when `None`)
    /// with an additive `mask` broadcastable to `[B, heads, T, Tk]`; also
    /// returns the probabilities `[B, heads, T, Tk]` (for heat maps).
    pub fn forward_with_probs(
        &self,
        x: &Tensor,
        context: Option<&Tensor>,
        mask: Option<&Tensor>,
        causal: bool,
    ) -> Result<(Tensor, Tensor)> {
        let (b, t, d) = x.dims3().map_err(|_| {
            LlmError::Shape(format!(
                "attention input must be [batch, time, width], got {:?}",
                x.dims()
            ))
        })?;
        if d != self.config.dim {
            return Err(LlmError::Shape(format!(
                "attention input has width {d}, the layer {}",
                self.config.dim
            )));
        }
        let c = context.unwrap_or(x);
        let h = self.config.heads;
        let kvh = self.config.kv_heads;
        let q = self.split(&self.q.forward(x)?, h)?;
        let mut k = self.split(&self.k.forward(c)?, kvh)?;
        let mut v = self.split(&self.v.forward(c)?, kvh)?;
        if kvh != h {
            k = repeat_kv(&k, h / kvh)?;
            v = repeat_kv(&v, h / kvh)?;
        }
        let p = attention_probs(&q, &k, mask, causal, None)?;
        let out = p
            .matmul(&v)?
            .transpose(1, 2)?
            .contiguous()?
            .reshape((b, t, d))?;
        Ok((self.o.forward(&out)?, p))
    }

    pub fn forward(
        &self,
        x: &Tensor,
        context: Option<&Tensor>,
        mask: Option<&Tensor>,
        causal: bool,
    ) -> Result<Tensor> {
        Ok(self.forward_with_probs(x, context, mask, causal)?.0)
    }
}

/// `[B, kv, T, d]` → `[B, kv·n, T, d]`, each key/value head repeated n times
/// in place (head j serves query heads j·n … j·n + n − 1).
pub fn repeat_kv(x: &Tensor, n: usize) -> Result<Tensor> {
    if n == 1 {
        return Ok(x.clone());
    }
    let (b, kv, t, d) = x.dims4()?;
    Ok(x.unsqueeze(2)?
        .broadcast_as((b, kv, n, t, d))?
        .contiguous()?
        .reshape((b, kv * n, t, d))?)
}
