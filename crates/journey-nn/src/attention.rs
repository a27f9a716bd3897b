//! Attention over a source sequence: Bahdanau's additive score (Bahdanau,
//! Cho & Bengio 2015, "Neural machine translation by jointly learning to
//! align and translate") and Luong's multiplicative scores (Luong, Pham &
//! Manning 2015, "Effective approaches to attention-based neural machine
//! translation"), for queries `q_i` `[B, Tq, Dq]` over keys `k_j`
//! `[B, Ts, Dk]` and values `v_j` `[B, Ts, Dv]` (usually keys = values =
//! encoder states):
//!
//! ```text
//! additive: e_ij = vᵀ tanh(W_q q_i + W_k k_j)      (Bahdanau's v_aᵀ tanh(W_a s + U_a h))
//! dot:      e_ij = q_iᵀ k_j                          (Luong "dot", Dq = Dk)
//! general:  e_ij = q_iᵀ W k_j                        (Luong "general")
//! α_ij = softmax_j(e_ij) over the real source positions (j < len_b)
//! c_i  = Σ_j α_ij v_j
//! ```
//!
//! Masked (padded) positions get the score −∞, so exactly zero weight.
//! Parameters (no biases, as in the papers): additive `w_query.weight`
//! `[A, Dq]`, `w_key.weight` `[A, Dk]`, `v.weight` `[1, A]`; general
//! `w.weight` `[Dq, Dk]`; dot has none.
//!
//! Cost: dot and general `O(B·Tq·Ts·D)` time; additive `O(B·Tq·Ts·A)` time
//! and memory (the `[B, Tq, Ts, A]` tanh tensor). Weights `O(B·Tq·Ts)`.

use candle_core::{DType, Tensor, D};
use candle_nn::{Init, VarBuilder};
use serde::{Deserialize, Serialize};

use crate::{NnError, Result};

/// Which score function an [`Attention`] uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AttentionScore {
    /// Bahdanau: `vᵀ tanh(W_q q + W_k k)`.
    #[default]
    Additive,
    /// Luong dot: `qᵀ k`.
    Dot,
    /// Luong general: `qᵀ W k`.
    General,
}

/// Sizes of an [`Attention`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AttentionConfig {
    pub score: AttentionScore,
    pub query_dim: usize,
    pub key_dim: usize,
    /// Hidden size `A` of the additive score (unused otherwise).
    pub attention_dim: usize,
}

impl Default for AttentionConfig {
    fn default() -> Self {
        Self {
            score: AttentionScore::Additive,
            query_dim: 256,
            key_dim: 256,
            attention_dim: 256,
        }
    }
}

/// Additive or multiplicative attention (see the module documentation).
#[derive(Clone, Debug)]
pub struct Attention {
    config: AttentionConfig,
    /// additive: (W_q [A, Dq], W_k [A, Dk], v [1, A]); general: W [Dq, Dk].
    params: Vec<Tensor>,
}

/// Context vectors and attention weights.
#[derive(Clone, Debug)]
pub struct AttentionOutput {
    /// `[B, Tq, Dv]`
    pub context: Tensor,
    /// `[B, Tq, Ts]`, rows sum to 1, exactly 0 at masked positions.
    pub weights: Tensor,
}

fn uniform(fan_in: usize) -> Init {
    let bound = 1.0 / (fan_in as f64).sqrt();
    Init::Uniform {
        lo: -bound,
        up: bound,
    }
}

impl Attention {
    /// Reads or creates the parameters of the chosen score under `vb`.
    pub fn new(config: AttentionConfig, vb: VarBuilder) -> Result<Self> {
        let (dq, dk, a) = (config.query_dim, config.key_dim, config.attention_dim);
        if dq == 0 || dk == 0 {
            return Err(NnError::Config(
                "attention: query_dim and key_dim must be > 0".into(),
            ));
        }
        let params = match config.score {
            AttentionScore::Additive => {
                if a == 0 {
                    return Err(NnError::Config(
                        "attention: attention_dim must be > 0".into(),
                    ));
                }
                vec![
                    vb.get_with_hints((a, dq), "w_query.weight", uniform(dq))?,
                    vb.get_with_hints((a, dk), "w_key.weight", uniform(dk))?,
                    vb.get_with_hints((1, a), "v.weight", uniform(a))?,
                ]
            }
            AttentionScore::Dot => {
                if dq != dk {
                    return Err(NnError::Config(format!(
                        "attention: the dot score needs query_dim = key_dim (got {dq}, {dk})"
                    )));
                }
                vec![]
            }
            AttentionScore::General => {
                vec![vb.get_with_hints((dq, dk), "w.weight", uniform(dk))?]
            }
        };
        Ok(Self { config, params })
    }

    /// Redraws every parameter uniformly in `±1/√fan_in` from a seeded
    /// generator: same seed, same weights.
    pub fn reset_parameters(&self, seed: u64) -> Result<()> {
        let mut rng = crate::recurrent::SplitMix64(seed);
        for p in &self.params {
            let bound = 1.0 / (p.dim(1)? as f32).sqrt();
            crate::recurrent::fill_uniform(p, bound, &mut rng)?;
        }
        Ok(())
    }

    pub fn config(&self) -> &AttentionConfig {
        &self.config
    }

    /// Scores `[B, Tq, Ts]` before masking.
    pub fn scores(&self, queries: &Tensor, keys: &Tensor) -> Result<Tensor> {
        Ok(match self.config.score {
            AttentionScore::Additive => {
                let (wq, wk, v) = (&self.params[0], &self.params[1], &self.params[2]);
                let q = queries.broadcast_matmul(&wq.t()?)?; // [B, Tq, A]
                let k = keys.broadcast_matmul(&wk.t()?)?; // [B, Ts, A]
                let e = q.unsqueeze(2)?.broadcast_add(&k.unsqueeze(1)?)?.tanh()?; // [B, Tq, Ts, A]
                e.broadcast_matmul(&v.t()?)?.squeeze(D::Minus1)?
            }
            AttentionScore::Dot => queries.matmul(&keys.transpose(1, 2)?.contiguous()?)?,
            AttentionScore::General => {
                let kw = keys.broadcast_matmul(&self.params[0].t()?)?; // [B, Ts, Dq]
                queries.matmul(&kw.transpose(1, 2)?.contiguous()?)?
            }
        })
    }

    /// Attends from `queries` `[B, Tq, Dq]` over `keys` `[B, Ts, Dk]` and
    /// `values` `[B, Ts, Dv]`; `lengths` (each in `1..=Ts`, `None` = all)
    /// marks the real source positions.
    pub fn forward(
        &self,
        queries: &Tensor,
        keys: &Tensor,
        values: &Tensor,
        lengths: Option<&[usize]>,
    ) -> Result<AttentionOutput> {
        let shape_err = |what: &str, t: &Tensor| {
            NnError::Shape(format!(
                "attention {what} must be [batch, time, dim], got {:?}",
                t.dims()
            ))
        };
        let (b, _tq, dq) = queries.dims3().map_err(|_| shape_err("queries", queries))?;
        let (bk, ts, dk) = keys.dims3().map_err(|_| shape_err("keys", keys))?;
        let (bv, tv, _) = values.dims3().map_err(|_| shape_err("values", values))?;
        if dq != self.config.query_dim || dk != self.config.key_dim {
            return Err(NnError::Shape(format!(
                "attention expects query dim {} and key dim {}, got {dq} and {dk}",
                self.config.query_dim, self.config.key_dim
            )));
        }
        if bk != b || bv != b || tv != ts {
            return Err(NnError::Shape(format!(
                "attention: queries {:?}, keys {:?} and values {:?} disagree on batch or source length",
                queries.dims(),
                keys.dims(),
                values.dims()
            )));
        }
        if ts == 0 {
            return Err(NnError::Empty("attention over an empty source".into()));
        }
        let mut scores = self.scores(queries, keys)?;
        if let Some(l) = lengths {
            if l.len() != b {
                return Err(NnError::Shape(format!(
                    "{} lengths for a batch of {b}",
                    l.len()
                )));
            }
            if let Some((i, &bad)) = l.iter().enumerate().find(|(_, &n)| n == 0 || n > ts) {
                return Err(NnError::Shape(format!(
                    "source length of sequence {i} is {bad}, must be in 1..={ts}"
                )));
            }
            if l.iter().any(|&n| n < ts) {
                let m: Vec<u8> = l
                    .iter()
                    .flat_map(|&n| (0..ts).map(move |j| u8::from(j < n)))
                    .collect();
                let mask = Tensor::from_vec(m, (b, 1, ts), scores.device())?
                    .broadcast_as(scores.shape())?;
                let neg = Tensor::full(f32::NEG_INFINITY, scores.shape(), scores.device())?
                    .to_dtype(DType::F32)?;
                scores = mask.where_cond(&scores, &neg)?;
            }
        }
        let weights = candle_nn::ops::softmax(&scores, D::Minus1)?;
        let context = weights.matmul(&values.contiguous()?)?;
        Ok(AttentionOutput { context, weights })
    }
}
