//! BERT, the encoder-only transformer of Devlin et al., "BERT: Pre-training
//! of Deep Bidirectional Transformers for Language Understanding" (NAACL
//! 2019), in the layout of Hugging Face's `BertModel`, so that its
//! checkpoints (all-MiniLM-L6-v2 among them) load as they are:
//!
//! ```text
//! h₀ = LayerNorm(E_word[x] + E_pos[0..T] + E_type[s])
//! a  = LayerNorm(h + W_O · MultiHead(h, padding mask))        (post-norm)
//! h' = LayerNorm(a + W₂ · GELU(W₁ a))
//! pooled = tanh(W_p h_L[0])                                   ([CLS])
//! ```
//!
//! Tensor names: `embeddings.{word,position,token_type}_embeddings.weight`,
//! `embeddings.LayerNorm.{weight,bias}`, `encoder.layer.N.attention.self.
//! {query,key,value}`, `….attention.output.{dense,LayerNorm}`,
//! `….intermediate.dense`, `….output.{dense,LayerNorm}`, `pooler.dense`; a
//! `bert.` prefix (checkpoints of `BertFor…` heads) is accepted.
//!
//! Cost per sequence of T tokens: O(L·(T·D² · 12 + T²·D)) time (4 D² for
//! attention projections, 8 D² for the feed-forward with H = 4D);
//! parameters ≈ V·D + L·12·D².

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::{Embedding, Linear, Module, VarBuilder};
use journey_nn::fused::layer_norm::layer_norm;
use serde::{Deserialize, Serialize};

use crate::feed_forward::{Activation, FeedForward};
use crate::multi_head_attention::{AttentionConfig, MultiHeadAttention};
use crate::scaled_dot_product::padding_mask;
use crate::{LlmError, Result};

/// Hugging Face's `BertConfig` (the fields BERT uses).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BertConfig {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    #[serde(default = "default_act")]
    pub hidden_act: String,
    pub max_position_embeddings: usize,
    #[serde(default = "default_types")]
    pub type_vocab_size: usize,
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    #[serde(default)]
    pub pad_token_id: u32,
}

fn default_act() -> String {
    "gelu".into()
}
fn default_types() -> usize {
    2
}
fn default_eps() -> f64 {
    1e-12
}

impl BertConfig {
    /// Reads a `config.json`.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| LlmError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let c: Self = serde_json::from_str(&text).map_err(|e| LlmError::Model {
            path: path.to_path_buf(),
            message: format!("not a BERT config: {e}"),
        })?;
        c.check().map_err(|e| LlmError::Model {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Ok(c)
    }

    pub fn check(&self) -> Result<()> {
        if self.vocab_size == 0 || self.num_hidden_layers == 0 || self.intermediate_size == 0 {
            return Err(LlmError::Config(
                "BERT: vocab_size, num_hidden_layers and intermediate_size must be > 0".into(),
            ));
        }
        self.attention().check()?;
        Activation::from_hf(&self.hidden_act)?;
        Ok(())
    }

    fn attention(&self) -> AttentionConfig {
        AttentionConfig {
            dim: self.hidden_size,
            heads: self.num_attention_heads,
            kv_heads: self.num_attention_heads,
            bias: true,
        }
    }
}

struct Norm {
    weight: Tensor,
    bias: Tensor,
    eps: f64,
}

impl Norm {
    fn new(dim: usize, eps: f64, vb: VarBuilder) -> Result<Self> {
        Ok(Self {
            weight: vb.get(dim, "weight")?,
            bias: vb.get(dim, "bias")?,
            eps,
        })
    }

    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(layer_norm(x, &self.weight, &self.bias, self.eps)?)
    }
}

struct BertLayer {
    attention: MultiHeadAttention,
    attention_norm: Norm,
    ffn: FeedForward,
    output_norm: Norm,
}

impl BertLayer {
    fn new(c: &BertConfig, vb: VarBuilder) -> Result<Self> {
        let a = vb.pp("attention");
        let s = a.pp("self");
        Ok(Self {
            attention: MultiHeadAttention::new(
                c.attention(),
                s.pp("query"),
                s.pp("key"),
                s.pp("value"),
                a.pp("output").pp("dense"),
            )?,
            attention_norm: Norm::new(
                c.hidden_size,
                c.layer_norm_eps,
                a.pp("output").pp("LayerNorm"),
            )?,
            ffn: FeedForward::new(
                c.hidden_size,
                c.intermediate_size,
                Activation::from_hf(&c.hidden_act)?,
                true,
                vb.pp("intermediate").pp("dense"),
                vb.pp("output").pp("dense"),
                None,
            )?,
            output_norm: Norm::new(
                c.hidden_size,
                c.layer_norm_eps,
                vb.pp("output").pp("LayerNorm"),
            )?,
        })
    }

    fn forward(&self, h: &Tensor, mask: &Tensor) -> Result<(Tensor, Tensor)> {
        let (att, probs) = self
            .attention
            .forward_with_probs(h, None, Some(mask), false)?;
        let a = self.attention_norm.forward(&(att + h)?)?;
        let out = self.output_norm.forward(&(self.ffn.forward(&a)? + &a)?)?;
        Ok((out, probs))
    }
}

/// The encoder's output: every token's last hidden state `[B, T, D]`, the
/// pooled `[CLS]` vector `[B, D]` (when the checkpoint has a pooler) and,
/// when asked for, each layer's attention probabilities `[B, H, T, T]`.
pub struct BertOutput {
    pub hidden: Tensor,
    pub pooled: Option<Tensor>,
    pub attentions: Vec<Tensor>,
}

pub struct Bert {
    config: BertConfig,
    word: Embedding,
    position: Embedding,
    token_type: Embedding,
    embedding_norm: Norm,
    layers: Vec<BertLayer>,
    pooler: Option<Linear>,
}

impl Bert {
    /// BERT with its variables from `vb` (a checkpoint, or a `VarMap` for
    /// training); `pooler` also reads `pooler.dense`.
    pub fn new(config: BertConfig, vb: VarBuilder, pooler: bool) -> Result<Self> {
        config.check()?;
        let c = &config;
        let e = vb.pp("embeddings");
        let d = c.hidden_size;
        Ok(Self {
            word: candle_nn::embedding(c.vocab_size, d, e.pp("word_embeddings"))?,
            position: candle_nn::embedding(
                c.max_position_embeddings,
                d,
                e.pp("position_embeddings"),
            )?,
            token_type: candle_nn::embedding(c.type_vocab_size, d, e.pp("token_type_embeddings"))?,
            embedding_norm: Norm::new(d, c.layer_norm_eps, e.pp("LayerNorm"))?,
            layers: (0..c.num_hidden_layers)
                .map(|i| BertLayer::new(c, vb.pp("encoder").pp("layer").pp(i)))
                .collect::<Result<_>>()?,
            pooler: if pooler {
                Some(candle_nn::linear(d, d, vb.pp("pooler").pp("dense"))?)
            } else {
                None
            },
            config,
        })
    }

    /// Loads a Hugging Face BERT folder: `config.json` and
    /// `model.safetensors`. Missing or mis-shaped tensors are errors naming
    /// the tensor and the file.
    pub fn load(dir: &Path) -> Result<Self> {
        let config = BertConfig::from_file(&dir.join("config.json"))?;
        let weights = dir.join("model.safetensors");
        let tensors = read_safetensors(&weights)?;
        let prefixed = tensors.contains_key("bert.embeddings.word_embeddings.weight");
        let pooler = tensors.contains_key(if prefixed {
            "bert.pooler.dense.weight"
        } else {
            "pooler.dense.weight"
        });
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &Device::Cpu);
        let vb = if prefixed { vb.pp("bert") } else { vb };
        Self::new(config, vb, pooler).map_err(|e| LlmError::Model {
            path: weights,
            message: e.to_string(),
        })
    }

    pub fn config(&self) -> &BertConfig {
        &self.config
    }

    /// Encodes `ids` `[B, T]` (u32) with `type_ids` (zeros when `None`) and
    /// `attention_mask` `[B, T]` (1 = token, 0 = padding; all ones when
    /// `None`). `attentions`: also return every layer's probabilities.
    pub fn forward(
        &self,
        ids: &Tensor,
        type_ids: Option<&Tensor>,
        attention_mask: Option<&Tensor>,
        attentions: bool,
    ) -> Result<BertOutput> {
        let (b, t) = ids.dims2().map_err(|_| {
            LlmError::Shape(format!(
                "BERT input must be [batch, time], got {:?}",
                ids.dims()
            ))
        })?;
        if t > self.config.max_position_embeddings {
            return Err(LlmError::Shape(format!(
                "{t} tokens, but the model has {} positions",
                self.config.max_position_embeddings
            )));
        }
        let dev = ids.device();
        let positions = Tensor::arange(0u32, t as u32, dev)?;
        let zeros;
        let type_ids = match type_ids {
            Some(t) => t,
            None => {
                zeros = Tensor::zeros((b, t), DType::U32, dev)?;
                &zeros
            }
        };
        let x = self
            .word
            .forward(ids)?
            .broadcast_add(&self.position.forward(&positions)?)?
            .add(&self.token_type.forward(type_ids)?)?;
        let mut h = self.embedding_norm.forward(&x)?;
        let ones;
        let mask = match attention_mask {
            Some(m) => m,
            None => {
                ones = Tensor::ones((b, t), DType::F32, dev)?;
                &ones
            }
        };
        let mask = padding_mask(mask)?;
        let mut probs = Vec::new();
        for layer in &self.layers {
            let (next, p) = layer.forward(&h, &mask)?;
            h = next;
            if attentions {
                probs.push(p);
            }
        }
        let pooled = match &self.pooler {
            Some(p) => Some(p.forward(&h.narrow(1, 0, 1)?.squeeze(1)?)?.tanh()?),
            None => None,
        };
        Ok(BertOutput {
            hidden: h,
            pooled,
            attentions: probs,
        })
    }
}

/// Every tensor of a safetensors file, as f32.
pub fn read_safetensors(path: &Path) -> Result<HashMap<String, Tensor>> {
    let bytes = std::fs::read(path).map_err(|e| LlmError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let bad = |m: String| LlmError::Model {
        path: PathBuf::from(path),
        message: m,
    };
    let map = candle_core::safetensors::load_buffer(&bytes, &Device::Cpu)
        .map_err(|e| bad(format!("not a readable safetensors file: {e}")))?;
    map.into_iter()
        .map(|(k, v)| {
            let v = v
                .to_dtype(DType::F32)
                .map_err(|e| bad(format!("tensor {k}: {e}")))?;
            Ok((k, v))
        })
        .collect()
}
