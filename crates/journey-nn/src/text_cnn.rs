//! Convolutional sentence classifier of Kim (2014), "Convolutional neural
//! networks for sentence classification": word vectors `[B, T, E]` →
//! for each filter width `k` (e.g. 3, 4, 5), `n` filters
//! `c_{p} = relu(W_k · x_{p..p+k} + b_k)` → max over time → concatenation
//! `[B, n·|widths|]` → (dropout, applied by the caller) → linear layer.
//!
//! Padding never changes the result: padded embeddings are zeroed, and the
//! max runs over the windows that start inside the sequence,
//! `p ≤ max(len − k, 0)` (a sequence shorter than `k` gets one window,
//! zero-padded, as if padded to `k`). Since ReLU outputs are ≥ 0, masking
//! invalid windows to 0 before the max leaves the max unchanged.
//!
//! Each convolution is an unfold + one matmul: the `k` shifted copies of
//! the input side by side `[B·P, k·E]` times `W_kᵀ` `[k·E, n]`. Parameters use
//! PyTorch's `nn.Conv1d` layout and `nn.ModuleList` names: `convs.{i}.weight`
//! `[n, E, k]`, `convs.{i}.bias` `[n]`, and `fc.weight` `[C, n·|widths|]`,
//! `fc.bias` `[C]`.
//!
//! Cost: `O(B·T·E·n·Σk)` time, `O(B·T·(E·max k + n·|widths|))` memory.

use candle_core::{DType, Tensor, D};
use candle_nn::{Init, Linear, Module, VarBuilder};
use serde::{Deserialize, Serialize};

use crate::{NnError, Result};

/// Sizes of a [`TextCnn`] (Kim 2014 used widths 3, 4, 5 with 100 filters
/// each on 300-dimensional vectors).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TextCnnConfig {
    pub embedding_dim: usize,
    pub widths: Vec<usize>,
    pub filters: usize,
    pub num_classes: usize,
}

impl Default for TextCnnConfig {
    fn default() -> Self {
        Self {
            embedding_dim: 300,
            widths: vec![3, 4, 5],
            filters: 100,
            num_classes: 2,
        }
    }
}

/// Kim's text CNN (see the module documentation).
#[derive(Clone, Debug)]
pub struct TextCnn {
    config: TextCnnConfig,
    /// `(weight [n, E, k], bias [n])` per width.
    convs: Vec<(Tensor, Tensor)>,
    fc: Linear,
}

impl TextCnn {
    /// Reads or creates `convs.{i}.weight`, `convs.{i}.bias`, `fc.weight`,
    /// `fc.bias` under `vb` (new ones uniform in `±1/√fan_in`, PyTorch's
    /// default bounds).
    pub fn new(config: TextCnnConfig, vb: VarBuilder) -> Result<Self> {
        if config.embedding_dim == 0
            || config.filters == 0
            || config.num_classes == 0
            || config.widths.is_empty()
            || config.widths.contains(&0)
        {
            return Err(NnError::Config(format!(
                "text CNN needs embedding_dim, filters, num_classes > 0 and widths >= 1, got {config:?}"
            )));
        }
        let e = config.embedding_dim;
        let mut convs = Vec::with_capacity(config.widths.len());
        for (i, &k) in config.widths.iter().enumerate() {
            let bound = 1.0 / ((e * k) as f64).sqrt();
            let init = Init::Uniform {
                lo: -bound,
                up: bound,
            };
            let vbi = vb.pp(format!("convs.{i}"));
            let w = vbi.get_with_hints((config.filters, e, k), "weight", init)?;
            let b = vbi.get_with_hints(config.filters, "bias", init)?;
            convs.push((w, b));
        }
        let fin = config.filters * config.widths.len();
        let bound = 1.0 / (fin as f64).sqrt();
        let init = Init::Uniform {
            lo: -bound,
            up: bound,
        };
        let vbf = vb.pp("fc");
        let fc = Linear::new(
            vbf.get_with_hints((config.num_classes, fin), "weight", init)?,
            Some(vbf.get_with_hints(config.num_classes, "bias", init)?),
        );
        Ok(Self { config, convs, fc })
    }

    /// Redraws every parameter uniformly in `±1/√fan_in` (PyTorch's
    /// default bounds) from a seeded generator: same seed, same weights.
    pub fn reset_parameters(&self, seed: u64) -> Result<()> {
        let mut rng = crate::recurrent::SplitMix64(seed);
        let e = self.config.embedding_dim;
        for ((w, b), &k) in self.convs.iter().zip(&self.config.widths) {
            let bound = 1.0 / ((e * k) as f32).sqrt();
            crate::recurrent::fill_uniform(w, bound, &mut rng)?;
            crate::recurrent::fill_uniform(b, bound, &mut rng)?;
        }
        let fin = self.config.filters * self.config.widths.len();
        let bound = 1.0 / (fin as f32).sqrt();
        crate::recurrent::fill_uniform(self.fc.weight(), bound, &mut rng)?;
        if let Some(b) = self.fc.bias() {
            crate::recurrent::fill_uniform(b, bound, &mut rng)?;
        }
        Ok(())
    }

    pub fn config(&self) -> &TextCnnConfig {
        &self.config
    }

    /// Pooled features `[B, n·|widths|]` (width-major, as `torch.cat` of
    /// the pooled maps) of `xs` `[B, T, E]`; `lengths` (each in `1..=T`,
    /// `None` = all `T`) marks the real tokens.
    pub fn features(&self, xs: &Tensor, lengths: Option<&[usize]>) -> Result<Tensor> {
        let (b, t, e) = xs.dims3().map_err(|_| {
            NnError::Shape(format!(
                "text CNN input must be [batch, time, dim], got {:?}",
                xs.dims()
            ))
        })?;
        if e != self.config.embedding_dim {
            return Err(NnError::Shape(format!(
                "text CNN input has dim {e}, the model expects {}",
                self.config.embedding_dim
            )));
        }
        if b == 0 || t == 0 {
            return Err(NnError::Empty(
                "text CNN input has no sequence or no token".into(),
            ));
        }
        let lens: Vec<usize> = match lengths {
            Some(l) => {
                if l.len() != b {
                    return Err(NnError::Shape(format!(
                        "{} lengths for a batch of {b}",
                        l.len()
                    )));
                }
                if let Some((i, &bad)) = l.iter().enumerate().find(|(_, &n)| n == 0 || n > t) {
                    return Err(NnError::Shape(format!(
                        "length of sequence {i} is {bad}, must be in 1..={t}"
                    )));
                }
                l.to_vec()
            }
            None => vec![t; b],
        };
        let dev = xs.device();
        let mut x = xs.clone();
        if lens.iter().any(|&l| l < t) {
            let m: Vec<f32> = lens
                .iter()
                .flat_map(|&l| (0..t).map(move |p| if p < l { 1.0 } else { 0.0 }))
                .collect();
            x = x.broadcast_mul(&Tensor::from_vec(m, (b, t, 1), dev)?)?;
        }
        let kmax = *self.config.widths.iter().max().expect("widths");
        let tp = t.max(kmax);
        if tp > t {
            x = Tensor::cat(&[x, Tensor::zeros((b, tp - t, e), DType::F32, dev)?], 1)?;
        }
        let n = self.config.filters;
        let mut pooled = Vec::with_capacity(self.convs.len());
        for ((w, bias), &k) in self.convs.iter().zip(&self.config.widths) {
            let p = tp - k + 1;
            // unfold: window p = [x_p, ..., x_{p+k-1}] side by side: [B, P, k·E]
            let shifts: Vec<Tensor> = (0..k)
                .map(|j| x.narrow(1, j, p))
                .collect::<candle_core::Result<_>>()?;
            let windows = Tensor::cat(&shifts, 2)?.reshape((b * p, k * e))?;
            // W [n, E, k] -> [n, k, E] -> [n, k·E], matching the unfold order
            let wk = w.permute((0, 2, 1))?.reshape((n, k * e))?;
            let maps = windows
                .matmul(&wk.t()?)?
                .broadcast_add(bias)?
                .relu()?
                .reshape((b, p, n))?;
            let maps = if lens.iter().any(|&l| l.max(k) - k + 1 < p) {
                let m: Vec<f32> = lens
                    .iter()
                    .flat_map(|&l| {
                        let valid = l.max(k) - k + 1;
                        (0..p).map(move |q| if q < valid { 1.0 } else { 0.0 })
                    })
                    .collect();
                maps.broadcast_mul(&Tensor::from_vec(m, (b, p, 1), dev)?)?
            } else {
                maps
            };
            pooled.push(maps.max(1)?);
        }
        Ok(Tensor::cat(&pooled, D::Minus1)?)
    }

    /// The final linear layer on (dropped-out) features: logits `[B, C]`.
    pub fn classify(&self, features: &Tensor) -> Result<Tensor> {
        Ok(self.fc.forward(features)?)
    }

    /// `classify(features(xs, lengths))`, without dropout (evaluation, or
    /// training without dropout).
    pub fn forward(&self, xs: &Tensor, lengths: Option<&[usize]>) -> Result<Tensor> {
        self.classify(&self.features(xs, lengths)?)
    }
}
