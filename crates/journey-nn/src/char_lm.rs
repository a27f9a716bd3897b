//! A character-level LSTM language model: Karpathy's char-rnn (2015), after
//! Graves, "Generating Sequences With Recurrent Neural Networks" (2013).
//!
//! Characters are ids in a vocabulary built from the training text (id 0 is
//! `unk`, for characters never seen in training). The network is
//! embedding → multi-layer LSTM ([`crate::recurrent::Recurrent`]) → linear →
//! softmax over the next character; the loss is the mean cross-entropy
//! (fused op, [`crate::fused::cross_entropy`]).
//!
//! Training uses truncated backpropagation through time over contiguous
//! streams: the training ids are cut into B equal streams (row b holds
//! `ids[b·L .. (b+1)·L]`) that are read in parallel, window after window of
//! T characters. The hidden state at the end of a window is the initial state
//! of the next one, detached from the graph, so the model sees context
//! longer than T while gradients flow back at most T steps. The state starts
//! at zero at the start of each epoch (and when a run resumes from a
//! checkpoint mid-epoch: the carried state is not saved, so a resumed run
//! is not bit-exact with an uninterrupted one).
//!
//! Validation reads the held-out text the same way (B streams, carried
//! state) and reports the loss in nats, the perplexity `e^loss` and bits per
//! character `loss / ln 2`. Sampling draws from `softmax(z / temperature)`,
//! optionally restricted to the `top_k` most likely characters, with our
//! seeded [`Rng`]: same seed, same text.
//!
//! Cost per window: O(B·T·(L_layers·4H·(E+H) + H·V)) time; memory
//! O(B·T·L_layers·4H) activations for the backward pass. Parameters:
//! V·E + Σ_layers 4H·(in + H + 2) + (H + 1)·V.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::{Embedding, Linear, Module, VarBuilder, VarMap};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::checkpoint::load_checkpoint;
use crate::dropout::dropout;
use crate::fused::cross_entropy;
use crate::model_file::{field, save_model, ModelFile};
use crate::optim::{AdamConfig, OptimizerConfig, Params};
use crate::recurrent::{Recurrent, RecurrentConfig, RecurrentState};
use crate::rng::Rng;
use crate::schedule::Schedule;
use crate::trainer::{Metrics, TrainReport, TrainTask, Trainer, TrainerConfig};
use crate::{NnError, Result};

/// The `format` tag in a model file's metadata.
const FORMAT: &str = "journey-char-lm";
const VERSION: u32 = 1;

/// Id of characters not in the vocabulary.
pub const UNK: u32 = 0;

/// Characters ↔ ids: `unk` is 0, then the training text's distinct
/// characters in code-point order (as char-rnn and nanoGPT's
/// `sorted(set(text))`, shifted by one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CharVocab {
    chars: Vec<char>,
    index: HashMap<char, u32>,
}

impl CharVocab {
    /// The distinct characters of `text`. Empty text is an error.
    pub fn build(text: &str) -> Result<Self> {
        let mut set: Vec<char> = text.chars().collect();
        set.sort_unstable();
        set.dedup();
        if set.is_empty() {
            return Err(NnError::Empty(
                "character vocabulary: the training text is empty".into(),
            ));
        }
        Ok(Self::from_chars(set))
    }

    /// A vocabulary of these characters (ids 1, 2, ... in the given order).
    pub fn from_chars(chars: Vec<char>) -> Self {
        let index = chars
            .iter()
            .enumerate()
            .map(|(i, &c)| (c, i as u32 + 1))
            .collect();
        Self { chars, index }
    }

    /// Size including `unk`.
    pub fn len(&self) -> usize {
        self.chars.len() + 1
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// The known characters, in id order (id = position + 1).
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    pub fn id(&self, c: char) -> u32 {
        self.index.get(&c).copied().unwrap_or(UNK)
    }

    pub fn encode(&self, text: &str) -> Vec<u32> {
        text.chars().map(|c| self.id(c)).collect()
    }

    /// `unk` decodes to U+FFFD.
    pub fn decode(&self, ids: &[u32]) -> String {
        ids.iter()
            .map(|&i| match i {
                UNK => '\u{FFFD}',
                i => self
                    .chars
                    .get(i as usize - 1)
                    .copied()
                    .unwrap_or('\u{FFFD}'),
            })
            .collect()
    }
}

/// The first 90% of the characters for training, the rest for validation
/// (nanoGPT's `shakespeare_char` split: `data[:int(n*0.9)]`).
pub fn train_val_split(text: &str) -> (&str, &str) {
    let n = text.chars().count();
    let cut = (n as f64 * 0.9) as usize;
    let byte = text.char_indices().nth(cut).map_or(text.len(), |(b, _)| b);
    text.split_at(byte)
}

/// Entropy in nats of the character frequencies of `ids`: the lowest mean
/// cross-entropy any context-free (unigram) model can reach on them.
pub fn unigram_entropy(ids: &[u32]) -> f64 {
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    for &i in ids {
        *counts.entry(i).or_default() += 1;
    }
    let n = ids.len() as f64;
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.ln()
        })
        .sum()
}

/// The network's shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CharLmConfig {
    pub embedding_dim: usize,
    pub hidden_size: usize,
    pub num_layers: usize,
    /// Dropout on the last LSTM layer's outputs during training.
    pub dropout: f32,
}

impl Default for CharLmConfig {
    fn default() -> Self {
        Self {
            embedding_dim: 64,
            hidden_size: 256,
            num_layers: 2,
            dropout: 0.0,
        }
    }
}

/// How training runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CharLmFitConfig {
    /// Parallel streams B.
    pub batch_size: usize,
    /// BPTT window T (characters per stream per step).
    pub window: usize,
    /// Optimiser steps (one window each); `None`: `epochs` full passes.
    pub max_steps: Option<u64>,
    pub epochs: u64,
    pub lr: f64,
    pub weight_decay: f64,
    pub clip_norm: Option<f64>,
    /// Evaluate every this many steps (and the last checkpoint at the end).
    pub eval_every: Option<u64>,
    /// Validate on at most this many windows per stream (`None`: all).
    pub eval_windows: Option<usize>,
    pub seed: u64,
    pub runs_dir: PathBuf,
    pub run_name: String,
    pub quiet: bool,
}

impl Default for CharLmFitConfig {
    fn default() -> Self {
        Self {
            batch_size: 32,
            window: 64,
            max_steps: Some(1000),
            epochs: 1,
            lr: 2e-3,
            weight_decay: 0.0,
            clip_norm: Some(5.0),
            eval_every: Some(200),
            eval_windows: None,
            seed: 0,
            runs_dir: PathBuf::from("runs"),
            run_name: "char-lm".into(),
            quiet: false,
        }
    }
}

/// B contiguous streams of a text's ids, read in windows of T.
#[derive(Clone, Debug)]
pub struct Streams {
    /// `[B][L]` row-major.
    ids: Vec<u32>,
    batch: usize,
    len: usize,
    window: usize,
}

impl Streams {
    /// Cuts `ids` into `batch` streams of `⌊n / batch⌋` ids (the tail is
    /// dropped). Each stream must hold at least one window plus one target.
    pub fn new(ids: &[u32], batch: usize, window: usize) -> Result<Self> {
        if batch == 0 || window == 0 {
            return Err(NnError::Config(format!(
                "batch_size and window must be > 0 (got {batch}, {window})"
            )));
        }
        let len = ids.len() / batch;
        if len < window + 1 {
            return Err(NnError::Empty(format!(
                "{} characters make {batch} streams of {len}, fewer than window + 1 = {}",
                ids.len(),
                window + 1
            )));
        }
        Ok(Self {
            ids: ids[..batch * len].to_vec(),
            batch,
            len,
            window,
        })
    }

    /// Number of full windows (each needs its next-character targets).
    pub fn windows(&self) -> usize {
        (self.len - 1) / self.window
    }

    /// Inputs and targets `[B, T]` (u32) of window `k`.
    pub fn window(&self, k: usize) -> Result<(Tensor, Tensor)> {
        let t = self.window;
        let mut x = Vec::with_capacity(self.batch * t);
        let mut y = Vec::with_capacity(self.batch * t);
        for b in 0..self.batch {
            let row = &self.ids[b * self.len..(b + 1) * self.len];
            x.extend_from_slice(&row[k * t..(k + 1) * t]);
            y.extend_from_slice(&row[k * t + 1..(k + 1) * t + 1]);
        }
        Ok((
            Tensor::from_vec(x, (self.batch, t), &Device::Cpu)?,
            Tensor::from_vec(y, (self.batch, t), &Device::Cpu)?,
        ))
    }
}

/// The model: vocabulary, configuration and weights.
pub struct CharLm {
    config: CharLmConfig,
    vocab: CharVocab,
    varmap: VarMap,
    embedding: Embedding,
    rnn: Recurrent,
    head: Linear,
}

impl CharLm {
    /// A new model over `vocab` with seeded weights: PyTorch's defaults
    /// (embedding N(0, 1), LSTM and linear uniform in ±1/√fan_in).
    pub fn new(config: CharLmConfig, vocab: CharVocab, seed: u64) -> Result<Self> {
        let m = Self::build(config, vocab)?;
        let mut rng = Rng::seed(seed);
        let v = m.vocab.len();
        let e = m.config.embedding_dim;
        let emb: Vec<f32> = (0..v * e).map(|_| rng.normal()).collect();
        m.embedding
            .embeddings()
            .slice_set(&Tensor::from_vec(emb, (v, e), &Device::Cpu)?, 0, 0)?;
        m.rnn.reset_parameters(rng.next_u64())?;
        let bound = 1.0 / (m.config.hidden_size as f32).sqrt();
        for p in [m.head.weight(), m.head.bias().expect("head has a bias")] {
            let vals: Vec<f32> = (0..p.elem_count())
                .map(|_| (2.0 * rng.uniform() - 1.0) * bound)
                .collect();
            p.slice_set(&Tensor::from_vec(vals, p.shape(), &Device::Cpu)?, 0, 0)?;
        }
        Ok(m)
    }

    fn build(config: CharLmConfig, vocab: CharVocab) -> Result<Self> {
        if config.embedding_dim == 0 || config.hidden_size == 0 || config.num_layers == 0 {
            return Err(NnError::Config(
                "char LM: embedding_dim, hidden_size and num_layers must be > 0".into(),
            ));
        }
        if !(0.0..1.0).contains(&config.dropout) {
            return Err(NnError::Config(format!(
                "char LM: dropout must be in [0, 1), got {}",
                config.dropout
            )));
        }
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let embedding =
            candle_nn::embedding(vocab.len(), config.embedding_dim, vb.pp("embedding"))?;
        let rnn = Recurrent::new(
            RecurrentConfig {
                input_size: config.embedding_dim,
                hidden_size: config.hidden_size,
                num_layers: config.num_layers,
                ..Default::default()
            },
            vb.pp("lstm"),
        )?;
        let head = candle_nn::linear(config.hidden_size, vocab.len(), vb.pp("head"))?;
        Ok(Self {
            config,
            vocab,
            varmap,
            embedding,
            rnn,
            head,
        })
    }

    pub fn config(&self) -> &CharLmConfig {
        &self.config
    }

    pub fn vocab(&self) -> &CharVocab {
        &self.vocab
    }

    pub fn varmap(&self) -> &VarMap {
        &self.varmap
    }

    /// Logits `[B, T, V]` for ids `[B, T]` (u32) from `state` (zeros when
    /// `None`), and the state after the last step. Dropout only with `rng`.
    pub fn forward(
        &self,
        ids: &Tensor,
        state: Option<&RecurrentState>,
        rng: Option<&mut Rng>,
    ) -> Result<(Tensor, RecurrentState)> {
        let (b, t) = ids.dims2().map_err(|_| {
            NnError::Shape(format!(
                "char LM input must be [batch, time], got {:?}",
                ids.dims()
            ))
        })?;
        let x = self.embedding.forward(ids)?;
        let out = self.rnn.forward(&x, None, state)?;
        let mut h = out.output;
        if let Some(rng) = rng {
            if self.config.dropout > 0.0 {
                h = dropout(&h, self.config.dropout, rng)?;
            }
        }
        let logits = self
            .head
            .forward(&h.reshape((b * t, self.config.hidden_size))?)?
            .reshape((b, t, self.vocab.len()))?;
        Ok((logits, out.state))
    }

    /// Mean cross-entropy (nats) of window `ids` → `targets` from `state`;
    /// returns the loss and the final state detached from the graph.
    pub fn window_loss(
        &self,
        ids: &Tensor,
        targets: &Tensor,
        state: Option<&RecurrentState>,
        rng: Option<&mut Rng>,
    ) -> Result<(Tensor, RecurrentState)> {
        let (logits, st) = self.forward(ids, state, rng)?;
        let loss = cross_entropy(&logits, targets, None)?;
        Ok((loss, detach(&st)))
    }

    /// Validation on `ids`: B streams with carried state, at most
    /// `max_windows` windows each. Metrics `loss` (nats/char), `perplexity`,
    /// `bpc` (bits/char) and `tokens`.
    pub fn evaluate_ids(
        &self,
        ids: &[u32],
        batch: usize,
        window: usize,
        max_windows: Option<usize>,
    ) -> Result<Metrics> {
        let streams = Streams::new(ids, batch, window)?;
        let n = streams.windows().min(max_windows.unwrap_or(usize::MAX));
        let mut state: Option<RecurrentState> = None;
        let mut total = 0f64;
        for k in 0..n {
            let (x, y) = streams.window(k)?;
            let (loss, st) = self.window_loss(&x, &y, state.as_ref(), None)?;
            total += loss.to_scalar::<f32>()? as f64;
            state = Some(st);
        }
        let loss = total / n as f64;
        Ok(Metrics::from([
            ("loss".to_string(), loss),
            ("perplexity".to_string(), loss.exp()),
            ("bpc".to_string(), loss / std::f64::consts::LN_2),
            ("tokens".to_string(), (n * batch * window) as f64),
        ]))
    }

    /// Trains on `train` text, validating on `val`, through the [`Trainer`]
    /// (AdamW, gradient-norm clipping, run folder, checkpoints).
    pub fn fit(&self, train: &str, val: &str, fit: &CharLmFitConfig) -> Result<TrainReport> {
        let train_streams = Streams::new(&self.vocab.encode(train), fit.batch_size, fit.window)?;
        let val_ids = self.vocab.encode(val);
        Streams::new(&val_ids, fit.batch_size, fit.window)?;
        let trainer_config = TrainerConfig {
            run_name: fit.run_name.clone(),
            runs_dir: fit.runs_dir.clone(),
            // with max_steps, as many passes as the steps need
            epochs: if fit.max_steps.is_some() {
                u64::MAX
            } else {
                fit.epochs.max(1)
            },
            max_steps: fit.max_steps,
            clip_norm: fit.clip_norm,
            schedule: Schedule::Constant { lr: fit.lr },
            log_every: 10,
            eval_every: fit.eval_every,
            seed: fit.seed,
            quiet: fit.quiet,
            ..Default::default()
        };
        let mut trainer = Trainer::new(trainer_config)?;
        let mut opt = OptimizerConfig::AdamW(AdamConfig {
            lr: fit.lr,
            weight_decay: fit.weight_decay,
            ..AdamConfig::adamw()
        })
        .build(Params::from_varmap(&self.varmap))?;
        let mut task = CharLmTask {
            model: self,
            train: train_streams,
            val_ids,
            eval_windows: fit.eval_windows,
            state: None,
            next_window: 0,
        };
        trainer.fit(&mut task, opt.as_mut(), None)
    }

    /// Continues `prompt` by `n` characters drawn from
    /// `softmax(logits / temperature)` (only the `top_k` largest when set),
    /// with `rng`. An empty prompt starts from `"\n"`. Temperature must be > 0.
    pub fn sample(
        &self,
        prompt: &str,
        n: usize,
        temperature: f64,
        top_k: Option<usize>,
        rng: &mut Rng,
    ) -> Result<String> {
        if !(temperature.is_finite() && temperature > 0.0) {
            return Err(NnError::Config(format!(
                "sampling temperature must be > 0, got {temperature}"
            )));
        }
        if top_k == Some(0) {
            return Err(NnError::Config("top_k must be >= 1".into()));
        }
        let prompt = if prompt.is_empty() { "\n" } else { prompt };
        let ids = self.vocab.encode(prompt);
        let x = Tensor::from_vec(ids.clone(), (1, ids.len()), &Device::Cpu)?;
        let (logits, mut state) = self.forward(&x, None, None)?;
        let mut last: Vec<f32> = logits.get(0)?.get(ids.len() - 1)?.to_vec1()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let id = draw(&last, temperature, top_k, rng);
            out.push(id);
            let x = Tensor::from_vec(vec![id], (1, 1), &Device::Cpu)?;
            let (logits, st) = self.forward(&x, Some(&state), None)?;
            state = st;
            last = logits.flatten_all()?.to_vec1()?;
        }
        Ok(self.vocab.decode(&out))
    }

    /// The model file: weights, and the configuration and the vocabulary in
    /// the safetensors metadata. Written atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        save_model(
            path,
            FORMAT,
            VERSION,
            &self.varmap,
            &[
                ("config", field(&self.config)),
                ("vocab", field(&self.vocab.chars.iter().collect::<String>())),
            ],
        )
    }

    /// Reads a file written by [`CharLm::save`].
    pub fn load(path: &Path) -> Result<Self> {
        let file = ModelFile::open(path, FORMAT, VERSION)?;
        let config: CharLmConfig = file.field("config")?;
        let chars: String = file.field("vocab")?;
        let model = Self::build(config, CharVocab::from_chars(chars.chars().collect()))?;
        file.restore(&model.varmap)?;
        Ok(model)
    }

    /// Restores the weights of a trainer checkpoint (e.g. `last.safetensors`).
    pub fn restore_checkpoint(&self, path: &Path) -> Result<()> {
        load_checkpoint(path)?.restore_model(&self.varmap)
    }
}

fn detach(s: &RecurrentState) -> RecurrentState {
    RecurrentState {
        h: s.h.detach(),
        c: s.c.as_ref().map(Tensor::detach),
    }
}

/// One draw from `softmax(logits / temperature)` restricted to the `top_k`
/// largest logits (ties broken by lower id).
fn draw(logits: &[f32], temperature: f64, top_k: Option<usize>, rng: &mut Rng) -> u32 {
    let mut order: Vec<usize> = (0..logits.len()).collect();
    let k = top_k.unwrap_or(logits.len()).min(logits.len());
    if k < logits.len() {
        order.sort_by(|&a, &b| logits[b].total_cmp(&logits[a]).then(a.cmp(&b)));
        order.truncate(k);
    }
    let m = order
        .iter()
        .map(|&i| logits[i] as f64)
        .fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = order
        .iter()
        .map(|&i| ((logits[i] as f64 - m) / temperature).exp())
        .collect();
    let total: f64 = w.iter().sum();
    let mut u = rng.uniform_f64() * total;
    for (j, &wj) in w.iter().enumerate() {
        if u < wj {
            return order[j] as u32;
        }
        u -= wj;
    }
    order[k - 1] as u32
}

struct CharLmTask<'m> {
    model: &'m CharLm,
    train: Streams,
    val_ids: Vec<u32>,
    eval_windows: Option<usize>,
    /// The detached state after the previous window, carried into the next.
    state: Option<RecurrentState>,
    next_window: usize,
}

impl TrainTask for CharLmTask<'_> {
    type Batch = usize;

    fn config(&self) -> Value {
        json!({
            "model": self.model.config,
            "vocab_size": self.model.vocab.len(),
            "batch_size": self.train.batch,
            "window": self.train.window,
        })
    }

    fn varmap(&self) -> &VarMap {
        &self.model.varmap
    }

    /// Windows in order: the streams are contiguous text.
    fn epoch_batches(&mut self, _epoch: u64, _rng: &mut Rng) -> Result<Vec<usize>> {
        Ok((0..self.train.windows()).collect())
    }

    fn train_batch_loss(&mut self, &k: &usize, rng: &mut Rng) -> Result<Tensor> {
        if k != self.next_window {
            // a new epoch or a resumed run: start from zeros
            self.state = None;
        }
        let (x, y) = self.train.window(k)?;
        let (loss, st) = self
            .model
            .window_loss(&x, &y, self.state.as_ref(), Some(rng))?;
        self.state = Some(st);
        self.next_window = k + 1;
        Ok(loss)
    }

    fn batch_tokens(&self, _k: &usize) -> usize {
        self.train.batch * self.train.window
    }

    fn evaluate(&mut self) -> Result<Metrics> {
        self.model.evaluate_ids(
            &self.val_ids,
            self.train.batch,
            self.train.window,
            self.eval_windows,
        )
    }
}
