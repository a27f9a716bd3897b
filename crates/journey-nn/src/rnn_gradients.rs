//! Vanishing and exploding gradients in recurrent networks, measured
//! (Hochreiter 1991; Bengio, Simard & Frasconi 1994; Pascanu, Mikolov &
//! Bengio, "On the difficulty of training recurrent neural networks", 2013).
//!
//! Backpropagation through time multiplies one Jacobian per step:
//! `∂h_T/∂h_{T−k} = Π_{t} diag(f'(a_t)) W_hh`. When the factors are
//! contractions the product shrinks geometrically in k (vanishing); when the
//! spectral radius of `W_hh` exceeds 1 and the nonlinearity does not
//! saturate, it grows geometrically (exploding). The LSTM's additive cell
//! path replaces the product by `Π f_t` (the forget gates), which stays near
//! 1 when the forget gates are open.
//!
//! Experiments, each returning plain data ready to plot:
//! - [`vanishing`]: `‖∂L/∂x_{T−k}‖` (loss at the last step, input at k steps
//!   before it) against k, for a tanh RNN and an LSTM reading embedded
//!   characters of real text.
//! - [`exploding_norms`]: a linear RNN with `W_hh = r·Q` (Q orthogonal, so
//!   the spectral radius is exactly r): `‖∂L/∂h_0‖` against the sequence
//!   length, which is `r^T ‖v‖` for the loss `L = v·h_T`.
//! - [`clipping_runs`]: a tanh-RNN character model whose recurrent matrix
//!   starts with spectral radius r > 1, trained by SGD with and without
//!   gradient-norm clipping ([`crate::clip`]): loss curves and gradient norms
//!   per step.
//!
//! Cost: [`vanishing`] one forward and backward pass over `B × T` inputs per
//! cell; [`exploding_norms`] O(T·H²) per length; [`clipping_runs`] `steps`
//! training steps of a small RNN, twice.

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{Embedding, Linear, Module, VarBuilder, VarMap};
use serde::{Deserialize, Serialize};

use crate::clip::clip_grad_norm;
use crate::fused::cross_entropy;
use crate::optim::{OptimizerConfig, Params, SgdConfig};
use crate::recurrent::{CellKind, Recurrent, RecurrentConfig, RecurrentState};
use crate::rng::Rng;
use crate::{NnError, Result};

/// Settings of the vanishing-gradient experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VanishingConfig {
    pub embedding_dim: usize,
    pub hidden_size: usize,
    /// Sequence length T (k runs over 0..T).
    pub seq_len: usize,
    /// Sequences averaged (contiguous slices of the text).
    pub sequences: usize,
    /// Initial bias of the LSTM forget gates (in `bias_ih`; the common
    /// practice of Gers et al. 2000 and Jozefowicz et al. 2015). `None`
    /// keeps PyTorch's default init.
    pub lstm_forget_bias: Option<f32>,
    pub seed: u64,
}

impl Default for VanishingConfig {
    fn default() -> Self {
        Self {
            embedding_dim: 32,
            hidden_size: 128,
            seq_len: 60,
            sequences: 8,
            lstm_forget_bias: Some(2.0),
            seed: 0,
        }
    }
}

/// Gradient norms by distance: `norms[k]` is the mean over sequences of
/// `‖∂L/∂x_{T−1−k}‖`; `relative[k] = norms[k] / norms[0]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradientCurve {
    pub cell: CellKind,
    pub norms: Vec<f64>,
    pub relative: Vec<f64>,
}

/// Character ids of `text` (bytes, so any text works: ids 0..256).
fn byte_ids(text: &str) -> Vec<u32> {
    text.bytes().map(u32::from).collect()
}

/// A recurrent layer with PyTorch's init from `seed`; for an LSTM with
/// `forget_bias`, the forget-gate block of `bias_ih` is set to it.
fn recurrent(
    cell: CellKind,
    input: usize,
    hidden: usize,
    forget_bias: Option<f32>,
    seed: u64,
    varmap: &VarMap,
) -> Result<Recurrent> {
    let vb = VarBuilder::from_varmap(varmap, DType::F32, &Device::Cpu);
    let rnn = Recurrent::new(
        RecurrentConfig {
            cell,
            input_size: input,
            hidden_size: hidden,
            num_layers: 1,
            bidirectional: false,
            bias: true,
        },
        vb.pp("rnn"),
    )?;
    rnn.reset_parameters(seed)?;
    if let (CellKind::Lstm, Some(b)) = (cell, forget_bias) {
        let bias = rnn.cells()[0][0]
            .bias_ih
            .as_ref()
            .expect("the layer has biases");
        // PyTorch's gate order: input, forget, cell, output.
        bias.slice_set(&Tensor::full(b, hidden, &Device::Cpu)?, 0, hidden)?;
    }
    Ok(rnn)
}

fn seeded_tensor(shape: (usize, usize), scale: f32, rng: &mut Rng) -> Result<Tensor> {
    let v: Vec<f32> = (0..shape.0 * shape.1)
        .map(|_| rng.normal() * scale)
        .collect();
    Ok(Tensor::from_vec(v, shape, &Device::Cpu)?)
}

/// `‖∂L/∂x_{T−1−k}‖` for k = 0..T, for a tanh RNN and an LSTM (same
/// embeddings, same text). The input is `sequences` contiguous slices of
/// `text` (bytes) embedded by a seeded N(0, 1) table; L is the cross-entropy
/// of a seeded linear readout of `h_{T−1}` against the next byte.
pub fn vanishing(text: &str, config: &VanishingConfig) -> Result<Vec<GradientCurve>> {
    let (t, b, e, h) = (
        config.seq_len,
        config.sequences,
        config.embedding_dim,
        config.hidden_size,
    );
    if t == 0 || b == 0 || e == 0 || h == 0 {
        return Err(NnError::Config(
            "vanishing: seq_len, sequences, embedding_dim and hidden_size must be > 0".into(),
        ));
    }
    let ids = byte_ids(text);
    if ids.len() < b * (t + 1) {
        return Err(NnError::Empty(format!(
            "vanishing: the text has {} bytes, {b} sequences of {} need more",
            ids.len(),
            t + 1
        )));
    }
    let stride = ids.len() / b;
    let mut rng = Rng::seed(config.seed);
    let table = seeded_tensor((256, e), 1.0, &mut rng)?;
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for s in 0..b {
        let start = s * stride;
        xs.extend_from_slice(&ids[start..start + t]);
        ys.push(ids[start + t]);
    }
    let x = Embedding::new(table, e).forward(&Tensor::from_vec(xs, (b, t), &Device::Cpu)?)?;
    let y = Tensor::from_vec(ys, b, &Device::Cpu)?;
    let readout = seeded_tensor((256, h), 1.0 / (h as f32).sqrt(), &mut rng)?;
    let rnn_seed = rng.next_u64();
    let mut curves = Vec::new();
    for cell in [CellKind::RnnTanh, CellKind::Lstm] {
        let varmap = VarMap::new();
        let rnn = recurrent(cell, e, h, config.lstm_forget_bias, rnn_seed, &varmap)?;
        let input = Var::from_tensor(&x)?;
        let out = rnn.forward(input.as_tensor(), None, None)?.output;
        let last = out.narrow(1, t - 1, 1)?.squeeze(1)?;
        let logits = last.matmul(&readout.t()?)?;
        let loss = cross_entropy(&logits, &y, None)?;
        let grads = loss.backward()?;
        let g = grads
            .get(input.as_tensor())
            .ok_or_else(|| NnError::Config("no gradient reached the input".into()))?;
        // [B, T] norms over the embedding dimension
        let per = g.sqr()?.sum(2)?.sqrt()?.to_vec2::<f32>()?;
        let norms: Vec<f64> = (0..t)
            .map(|k| per.iter().map(|row| row[t - 1 - k] as f64).sum::<f64>() / b as f64)
            .collect();
        let relative = norms.iter().map(|n| n / norms[0]).collect();
        curves.push(GradientCurve {
            cell,
            norms,
            relative,
        });
    }
    Ok(curves)
}

/// An orthogonal `n × n` matrix: Gram–Schmidt on a seeded Gaussian matrix.
pub fn random_orthogonal(n: usize, rng: &mut Rng) -> Vec<f64> {
    let mut q: Vec<Vec<f64>> = Vec::with_capacity(n);
    while q.len() < n {
        let mut v: Vec<f64> = (0..n).map(|_| rng.normal_f64()).collect();
        for _ in 0..2 {
            for u in &q {
                let d: f64 = v.iter().zip(u).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(u).for_each(|(a, b)| *a -= d * b);
            }
        }
        let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
        if norm > 1e-6 {
            q.push(v.into_iter().map(|a| a / norm).collect());
        }
    }
    q.into_iter().flatten().collect()
}

/// One point of [`exploding_norms`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplodingPoint {
    pub seq_len: usize,
    /// `‖∂L/∂h_0‖`, measured by backpropagation.
    pub grad_h0: f64,
    /// `‖∂L/∂W_hh‖` (Frobenius), measured.
    pub grad_w: f64,
    /// `r^T ‖v‖`, the exact value of `‖∂L/∂h_0‖` for this network.
    pub predicted_h0: f64,
}

/// A linear RNN `h_t = W h_{t−1} + U x_t` with `W = r·Q` (Q a seeded
/// orthogonal matrix, so every eigenvalue has modulus r), inputs drawn
/// N(0, 1), loss `L = v·h_T` for a seeded v. For each length T in
/// `lengths`, the gradient norms by candle's autograd next to the exact
/// `‖∂L/∂h_0‖ = ‖(W^T)ᵀ v‖ = r^T ‖v‖`.
pub fn exploding_norms(
    radius: f64,
    hidden: usize,
    lengths: &[usize],
    seed: u64,
) -> Result<Vec<ExplodingPoint>> {
    if hidden == 0 || !(radius.is_finite() && radius > 0.0) {
        return Err(NnError::Config(format!(
            "exploding: hidden must be > 0 and radius finite > 0 (got {hidden}, {radius})"
        )));
    }
    let mut rng = Rng::seed(seed);
    let q = random_orthogonal(hidden, &mut rng);
    let w: Vec<f32> = q.iter().map(|a| (a * radius) as f32).collect();
    let w = Var::from_tensor(&Tensor::from_vec(w, (hidden, hidden), &Device::Cpu)?)?;
    let v = seeded_tensor((hidden, 1), 1.0, &mut rng)?;
    let v_norm = v.sqr()?.sum_all()?.sqrt()?.to_scalar::<f32>()? as f64;
    let max_t = lengths.iter().copied().max().unwrap_or(0);
    let inputs = seeded_tensor((max_t.max(1), hidden), 1.0, &mut rng)?;
    let mut out = Vec::new();
    for &t in lengths {
        let h0 = Var::from_tensor(&Tensor::zeros((1, hidden), DType::F32, &Device::Cpu)?)?;
        let mut h = h0.as_tensor().clone();
        for s in 0..t {
            h = (h.matmul(&w.as_tensor().t()?)? + inputs.narrow(0, s, 1)?)?;
        }
        let loss = h.matmul(&v)?.sum_all()?;
        let grads = loss.backward()?;
        let norm = |x: &Tensor| -> Result<f64> {
            Ok(match grads.get(x) {
                Some(g) => g.sqr()?.sum_all()?.sqrt()?.to_scalar::<f32>()? as f64,
                None => 0.0,
            })
        };
        out.push(ExplodingPoint {
            seq_len: t,
            grad_h0: norm(h0.as_tensor())?,
            grad_w: norm(w.as_tensor())?,
            predicted_h0: radius.powi(t as i32) * v_norm,
        });
    }
    Ok(out)
}

/// Settings of [`clipping_runs`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClippingConfig {
    pub embedding_dim: usize,
    pub hidden_size: usize,
    /// Spectral radius of the initial recurrent matrix `r·Q`.
    pub radius: f64,
    pub batch_size: usize,
    pub seq_len: usize,
    pub steps: usize,
    /// Plain SGD.
    pub lr: f64,
    /// The clipped run's maximum gradient norm.
    pub clip_norm: f64,
    pub seed: u64,
}

impl Default for ClippingConfig {
    fn default() -> Self {
        Self {
            embedding_dim: 32,
            hidden_size: 128,
            radius: 1.5,
            batch_size: 16,
            seq_len: 50,
            steps: 60,
            lr: 3.0,
            clip_norm: 1.0,
            seed: 0,
        }
    }
}

/// A training run's curve: per step, the loss and the gradient norm before
/// any clipping; the run stops early when the loss is not finite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingCurve {
    pub clip_norm: Option<f64>,
    pub losses: Vec<f64>,
    pub grad_norms: Vec<f64>,
    /// Whether the loss became NaN or infinite.
    pub diverged: bool,
}

impl TrainingCurve {
    /// The largest rise of the loss from one step to the next.
    pub fn max_jump(&self) -> f64 {
        self.losses
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(0.0, f64::max)
    }
}

/// Trains a byte-level tanh-RNN language model (embedding → RNN → linear)
/// on `text` twice from the same initial weights, with the recurrent matrix
/// set to `r·Q`: once without clipping, once with the gradient norm clipped
/// to `clip_norm`. Same batches in both runs.
pub fn clipping_runs(text: &str, config: &ClippingConfig) -> Result<[TrainingCurve; 2]> {
    let c = config;
    if c.batch_size == 0 || c.seq_len == 0 || c.hidden_size == 0 || c.embedding_dim == 0 {
        return Err(NnError::Config(
            "clipping: batch_size, seq_len, hidden_size and embedding_dim must be > 0".into(),
        ));
    }
    let ids = byte_ids(text);
    let per = ids.len() / c.batch_size;
    if per < c.seq_len + 1 {
        return Err(NnError::Empty(format!(
            "clipping: {} bytes are too few for {} streams of {}",
            ids.len(),
            c.batch_size,
            c.seq_len + 1
        )));
    }
    let windows = (per - 1) / c.seq_len;
    let run = |clip: Option<f64>| -> Result<TrainingCurve> {
        let mut rng = Rng::seed(c.seed);
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let emb = candle_nn::embedding(256, c.embedding_dim, vb.pp("embedding"))?;
        emb.embeddings()
            .slice_set(&seeded_tensor((256, c.embedding_dim), 1.0, &mut rng)?, 0, 0)?;
        let rnn = recurrent(
            CellKind::RnnTanh,
            c.embedding_dim,
            c.hidden_size,
            None,
            rng.next_u64(),
            &varmap,
        )?;
        let q = random_orthogonal(c.hidden_size, &mut rng);
        let w: Vec<f32> = q.iter().map(|a| (a * c.radius) as f32).collect();
        rnn.cells()[0][0].weight_hh.slice_set(
            &Tensor::from_vec(w, (c.hidden_size, c.hidden_size), &Device::Cpu)?,
            0,
            0,
        )?;
        let head: Linear = candle_nn::linear(c.hidden_size, 256, vb.pp("head"))?;
        let bound = 1.0 / (c.hidden_size as f32).sqrt();
        for p in [head.weight(), head.bias().expect("bias")] {
            let v: Vec<f32> = (0..p.elem_count())
                .map(|_| (2.0 * rng.uniform() - 1.0) * bound)
                .collect();
            p.slice_set(&Tensor::from_vec(v, p.shape(), &Device::Cpu)?, 0, 0)?;
        }
        let params = Params::from_varmap(&varmap);
        let mut opt = OptimizerConfig::Sgd(SgdConfig {
            lr: c.lr,
            ..Default::default()
        })
        .build(params.clone())?;
        let mut curve = TrainingCurve {
            clip_norm: clip,
            losses: Vec::new(),
            grad_norms: Vec::new(),
            diverged: false,
        };
        let mut state: Option<RecurrentState> = None;
        for step in 0..c.steps {
            let k = step % windows;
            if k == 0 {
                state = None;
            }
            let (mut x, mut y) = (Vec::new(), Vec::new());
            for b in 0..c.batch_size {
                let row = &ids[b * per..(b + 1) * per];
                x.extend_from_slice(&row[k * c.seq_len..(k + 1) * c.seq_len]);
                y.extend_from_slice(&row[k * c.seq_len + 1..(k + 1) * c.seq_len + 1]);
            }
            let x = Tensor::from_vec(x, (c.batch_size, c.seq_len), &Device::Cpu)?;
            let y = Tensor::from_vec(y, (c.batch_size, c.seq_len), &Device::Cpu)?;
            let out = rnn.forward(&emb.forward(&x)?, None, state.as_ref())?;
            state = Some(RecurrentState {
                h: out.state.h.detach(),
                c: None,
            });
            let logits = head.forward(&out.output)?;
            let loss = cross_entropy(&logits, &y, None)?;
            let value = loss.to_scalar::<f32>()? as f64;
            if !value.is_finite() {
                curve.diverged = true;
                break;
            }
            let mut grads = loss.backward()?;
            let norm = crate::clip::grad_norm(&grads, &params)?;
            if !norm.is_finite() {
                curve.losses.push(value);
                curve.grad_norms.push(norm);
                curve.diverged = true;
                break;
            }
            if let Some(m) = clip {
                clip_grad_norm(&mut grads, &params, m)?;
            }
            opt.step(&grads)?;
            curve.losses.push(value);
            curve.grad_norms.push(norm);
        }
        Ok(curve)
    };
    Ok([run(None)?, run(Some(c.clip_norm))?])
}
