//! An ELMo-style bidirectional language model: Peters et al., "Deep
//! contextualized word representations" (NAACL 2018), §3.1–3.2.
//!
//! Two language models read each sentence `<s> w_1 … w_n </s>`: a forward
//! stack of LSTM layers models `p(w_k | w_1 … w_{k-1})`, a backward stack
//! models `p(w_k | w_{k+1} … w_n)`. The directions have their own LSTMs but
//! share the token embedding and the softmax (ELMo's tied Θ_x and Θ_s), and
//! training maximises the sum of both log-likelihoods (ELMo's eq. 1): the
//! loss is the mean cross-entropy over both directions' predictions.
//!
//! Unlike a bidirectional LSTM *tagger*, the directions never mix inside the
//! stack: layer `l` of the forward LM reads only layer `l − 1` of the forward
//! LM, so no direction sees the word it has to predict.
//!
//! Each layer then gives a contextual vector for every word (eq. 2):
//! layer 0 is the context-free token embedding, duplicated as `[x_k; x_k]`,
//! layer `l ≥ 1` is `[→h_{k,l}; ←h_{k,l}]`. A task mixes them with learned
//! softmax weights and a scale ([`crate::scalar_mix::ScalarMix`], eq. 1 of
//! §3.2), and [`crate::layer_probe`] measures what each layer knows.
//!
//! Differences from ELMo: the input is a word embedding over a capped
//! vocabulary (ELMo builds it from characters with a CNN, so it has no
//! out-of-vocabulary words), the sizes are CPU-sized, and the softmax is the
//! full one (ELMo trained on the 1B Word Benchmark with a sampled softmax).
//! Layers above the first carry a residual connection, as ELMo's do.
//!
//! Cost per sentence of n words: O(n·L·2·4d·2d) for the LSTMs and
//! O(n·2·d·V) for the softmax, which dominates for vocabularies over ~8d.
//! Parameters: V·d + 2·L·4d·(2d + 2) + (d + 1)·V.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor, D};
use candle_nn::{Embedding, Linear, Module, VarBuilder, VarMap};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::batching::{bucket_batches, pad_batch, PaddedBatch};
use crate::dropout::dropout;
use crate::fused::cross_entropy;
use crate::model_file::{field, save_model, ModelFile};
use crate::optim::{AdamConfig, OptimizerConfig, Params};
use crate::recurrent::{Recurrent, RecurrentConfig};
use crate::rng::Rng;
use crate::schedule::Schedule;
use crate::trainer::{Metrics, TrainReport, TrainTask, Trainer, TrainerConfig};
use crate::vocab::{Vocab, VocabConfig, PAD};
use crate::{NnError, Result};

const FORMAT: &str = "journey-bilm";
const VERSION: u32 = 1;

/// Sentence start and end markers (ids 2 and 3, after `<pad>` and `<unk>`).
pub const BOS: u32 = 2;
pub const EOS: u32 = 3;

/// The network's shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BilmConfig {
    /// Width of the embedding and of every LSTM layer (one width, so that
    /// residual connections and the layer mix line up).
    pub dim: usize,
    /// LSTM layers per direction.
    pub num_layers: usize,
    /// Dropout on the embeddings, between layers and before the softmax.
    pub dropout: f32,
    /// Residual connections around layers 2 and up.
    pub residual: bool,
    /// Lower-case words before looking them up.
    pub lowercase: bool,
}

impl Default for BilmConfig {
    fn default() -> Self {
        Self {
            dim: 128,
            num_layers: 2,
            dropout: 0.1,
            residual: true,
            lowercase: false,
        }
    }
}

/// How training runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BilmFitConfig {
    /// Vocabulary: at most this many words (0 = all)...
    pub max_vocab: usize,
    /// ...each seen at least this often in training.
    pub min_count: usize,
    pub batch_size: usize,
    pub epochs: u64,
    /// Stop after this many optimiser steps (`None`: all epochs).
    pub max_steps: Option<u64>,
    /// Stop after this many seconds (checkpointed, so it can resume).
    pub time_limit_s: Option<f64>,
    pub lr: f64,
    pub clip_norm: Option<f64>,
    /// Evaluate every this many steps (and at each epoch's end).
    pub eval_every: Option<u64>,
    pub seed: u64,
    pub runs_dir: PathBuf,
    pub run_name: String,
    pub quiet: bool,
}

impl Default for BilmFitConfig {
    fn default() -> Self {
        Self {
            max_vocab: 10_000,
            min_count: 2,
            batch_size: 32,
            epochs: 5,
            max_steps: None,
            time_limit_s: None,
            lr: 2e-3,
            clip_norm: Some(5.0),
            eval_every: None,
            seed: 0,
            runs_dir: PathBuf::from("runs"),
            run_name: "bilm".into(),
            quiet: false,
        }
    }
}

/// The vocabulary of a biLM over `sentences`: `<pad> <unk> <s> </s>`, then
/// the words by falling count (ties by first appearance), cut by `fit`.
pub fn build_vocab(
    sentences: &[Vec<String>],
    config: &BilmConfig,
    fit: &BilmFitConfig,
) -> Result<Vocab> {
    let words: Vec<Vec<String>> = sentences
        .iter()
        .map(|s| s.iter().map(|w| normalise(w, config.lowercase)).collect())
        .collect();
    let base = Vocab::build(
        words.iter().map(|s| s.iter().map(String::as_str)),
        &VocabConfig {
            min_count: fit.min_count,
            max_size: fit.max_vocab,
        },
    )?;
    let tokens: Vec<String> = ["<pad>", "<unk>", "<s>", "</s>"]
        .into_iter()
        .map(str::to_string)
        .chain(
            base.tokens()[2..]
                .iter()
                .filter(|t| *t != "<s>" && *t != "</s>")
                .cloned(),
        )
        .collect();
    Ok(Vocab::from_tokens(tokens))
}

fn normalise(w: &str, lowercase: bool) -> String {
    if lowercase {
        w.to_lowercase()
    } else {
        w.to_string()
    }
}

/// Every layer's contextual vectors for a batch: `layers[l]` is
/// `(forward, backward)`, each `[B, T, d]`, at the positions of the input
/// ids (`<s>` and `</s>` included). Layer 0 is the embedding in both.
pub struct BilmLayers {
    pub layers: Vec<(Tensor, Tensor)>,
}

impl BilmLayers {
    /// Layer `l` as one `[B, T, 2d]` tensor `[→h; ←h]`.
    pub fn layer(&self, l: usize) -> Result<Tensor> {
        let (f, b) = &self.layers[l];
        Ok(Tensor::cat(&[f, b], D::Minus1)?)
    }
}

/// The model: configuration, vocabulary and weights.
pub struct Bilm {
    config: BilmConfig,
    vocab: Vocab,
    varmap: VarMap,
    embedding: Embedding,
    forward: Vec<Recurrent>,
    backward: Vec<Recurrent>,
    softmax: Linear,
}

impl Bilm {
    /// A new model over `vocab` with seeded weights: PyTorch's defaults
    /// (embedding N(0, 1), LSTM and linear uniform in ±1/√fan_in).
    pub fn new(config: BilmConfig, vocab: Vocab, seed: u64) -> Result<Self> {
        let m = Self::build(config, vocab)?;
        let mut rng = Rng::seed(seed);
        let (v, d) = (m.vocab.len(), m.config.dim);
        let emb: Vec<f32> = (0..v * d).map(|_| rng.normal()).collect();
        m.embedding
            .embeddings()
            .slice_set(&Tensor::from_vec(emb, (v, d), &Device::Cpu)?, 0, 0)?;
        for r in m.forward.iter().chain(&m.backward) {
            r.reset_parameters(rng.next_u64())?;
        }
        let bound = 1.0 / (d as f32).sqrt();
        for p in [m.softmax.weight(), m.softmax.bias().expect("softmax bias")] {
            let vals: Vec<f32> = (0..p.elem_count())
                .map(|_| (2.0 * rng.uniform() - 1.0) * bound)
                .collect();
            p.slice_set(&Tensor::from_vec(vals, p.shape(), &Device::Cpu)?, 0, 0)?;
        }
        Ok(m)
    }

    fn build(config: BilmConfig, vocab: Vocab) -> Result<Self> {
        if config.dim == 0 || config.num_layers == 0 {
            return Err(NnError::Config(
                "biLM: dim and num_layers must be > 0".into(),
            ));
        }
        if !(0.0..1.0).contains(&config.dropout) {
            return Err(NnError::Config(format!(
                "biLM: dropout must be in [0, 1), got {}",
                config.dropout
            )));
        }
        if vocab.token(BOS) != Some("<s>") || vocab.token(EOS) != Some("</s>") {
            return Err(NnError::Config(
                "biLM: the vocabulary must hold <s> and </s> at ids 2 and 3".into(),
            ));
        }
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let d = config.dim;
        let embedding = candle_nn::embedding(vocab.len(), d, vb.pp("embedding"))?;
        let stack = |name: &str| -> Result<Vec<Recurrent>> {
            (0..config.num_layers)
                .map(|l| {
                    Recurrent::new(
                        RecurrentConfig {
                            input_size: d,
                            hidden_size: d,
                            num_layers: 1,
                            ..Default::default()
                        },
                        vb.pp(name).pp(format!("l{l}")),
                    )
                })
                .collect()
        };
        let forward = stack("forward")?;
        let backward = stack("backward")?;
        let softmax = candle_nn::linear(d, vocab.len(), vb.pp("softmax"))?;
        Ok(Self {
            config,
            vocab,
            varmap,
            embedding,
            forward,
            backward,
            softmax,
        })
    }

    pub fn config(&self) -> &BilmConfig {
        &self.config
    }

    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    pub fn varmap(&self) -> &VarMap {
        &self.varmap
    }

    /// `<s> w_1 … w_n </s>` as ids.
    pub fn encode(&self, words: &[impl AsRef<str>]) -> Vec<u32> {
        let mut ids = Vec::with_capacity(words.len() + 2);
        ids.push(BOS);
        ids.extend(
            words
                .iter()
                .map(|w| self.vocab.id(&normalise(w.as_ref(), self.config.lowercase))),
        );
        ids.push(EOS);
        ids
    }

    /// Every layer of both LMs over a padded batch of encoded sentences.
    /// Dropout only with `rng`.
    pub fn layers(&self, batch: &PaddedBatch, mut rng: Option<&mut Rng>) -> Result<BilmLayers> {
        let (b, t, d) = (batch.rows(), batch.max_len, self.config.dim);
        let ids = batch.ids_tensor(&Device::Cpu)?;
        let x = self.embedding.forward(&ids)?;
        let x = self.drop(x, rng.as_deref_mut())?;
        // The backward LM reads each sentence reversed within its own
        // length (padding stays at the end), so it runs as a forward LSTM.
        let rev = reverse_index(&batch.lengths, t)?;
        let reverse = |x: &Tensor| -> Result<Tensor> {
            Ok(x.reshape((b * t, d))?
                .index_select(&rev, 0)?
                .reshape((b, t, d))?)
        };
        let mut layers = vec![(x.clone(), x.clone())];
        let (mut hf, mut hb) = (x.clone(), reverse(&x)?);
        for l in 0..self.config.num_layers {
            let mut of = self.forward[l]
                .forward(&hf, Some(&batch.lengths), None)?
                .output;
            let mut ob = self.backward[l]
                .forward(&hb, Some(&batch.lengths), None)?
                .output;
            if self.config.residual && l > 0 {
                of = (of + &hf)?;
                ob = (ob + &hb)?;
            }
            layers.push((of.clone(), reverse(&ob)?));
            hf = self.drop(of, rng.as_deref_mut())?;
            hb = self.drop(ob, rng.as_deref_mut())?;
        }
        Ok(BilmLayers { layers })
    }

    fn drop(&self, x: Tensor, rng: Option<&mut Rng>) -> Result<Tensor> {
        match rng {
            Some(r) if self.config.dropout > 0.0 => dropout(&x, self.config.dropout, r),
            _ => Ok(x),
        }
    }

    /// Logits `[2B, T, V]` — the forward LM's rows, then the backward
    /// LM's — with their targets ([`PAD`] where a position predicts
    /// nothing): one softmax matmul for both directions. Dropout only with
    /// `rng`.
    fn logits(&self, batch: &PaddedBatch, mut rng: Option<&mut Rng>) -> Result<(Tensor, Tensor)> {
        let ls = self.layers(batch, rng.as_deref_mut())?;
        let (f, b) = ls.layers.last().expect("at least one layer");
        let h = self.drop(Tensor::cat(&[f, b], 0)?, rng)?;
        let (tf, tb) = targets(batch)?;
        Ok((self.softmax.forward(&h)?, Tensor::cat(&[&tf, &tb], 0)?))
    }

    /// Mean cross-entropy of a batch, both directions' predictions pooled
    /// (each direction predicts n + 1 tokens of a sentence of n words).
    /// Dropout only with `rng`.
    pub fn loss(&self, batch: &PaddedBatch, rng: Option<&mut Rng>) -> Result<Tensor> {
        let (logits, targets) = self.logits(batch, rng)?;
        cross_entropy(&logits, &targets, Some(PAD as i64))
    }

    /// Mean cross-entropy of the forward and of the backward LM on a batch.
    pub fn direction_losses(&self, batch: &PaddedBatch) -> Result<(f64, f64)> {
        let (logits, targets) = self.logits(batch, None)?;
        let b = batch.rows();
        let ce = |start: usize| -> Result<f64> {
            let l = logits.narrow(0, start, b)?;
            let t = targets.narrow(0, start, b)?;
            Ok(cross_entropy(&l, &t, Some(PAD as i64))?.to_scalar::<f32>()? as f64)
        };
        Ok((ce(0)?, ce(b)?))
    }

    /// Loss and perplexity of both LMs on `sentences` (batches of
    /// `batch_size`): metrics `loss` (mean over both directions, nats),
    /// `loss_forward`, `loss_backward`, `ppl_forward`, `ppl_backward`,
    /// `tokens`.
    pub fn evaluate(&self, sentences: &[Vec<String>], batch_size: usize) -> Result<Metrics> {
        let encoded: Vec<Vec<u32>> = sentences.iter().map(|s| self.encode(s)).collect();
        if encoded.is_empty() {
            return Err(NnError::Empty("biLM evaluation: no sentences".into()));
        }
        let mut order: Vec<usize> = (0..encoded.len()).collect();
        order.sort_by_key(|&i| encoded[i].len());
        let (mut sf, mut sb, mut n) = (0f64, 0f64, 0f64);
        for chunk in order.chunks(batch_size.max(1)) {
            let batch = pad_batch(&encoded, chunk, PAD)?;
            let count = (batch.tokens() - batch.rows()) as f64;
            let (lf, lb) = self.direction_losses(&batch)?;
            sf += lf * count;
            sb += lb * count;
            n += count;
        }
        let (lf, lb) = (sf / n, sb / n);
        Ok(Metrics::from([
            ("loss".to_string(), (lf + lb) / 2.0),
            ("loss_forward".to_string(), lf),
            ("loss_backward".to_string(), lb),
            ("ppl_forward".to_string(), lf.exp()),
            ("ppl_backward".to_string(), lb.exp()),
            ("tokens".to_string(), n),
        ]))
    }

    /// Contextual vectors of the words of each sentence: `out[s][l]` is
    /// `[n_s, 2d]` for layer `l` (0 = embeddings), `<s>`/`</s>` dropped.
    pub fn embed(&self, sentences: &[Vec<String>], batch_size: usize) -> Result<Vec<Vec<Tensor>>> {
        let encoded: Vec<Vec<u32>> = sentences.iter().map(|s| self.encode(s)).collect();
        let mut out: Vec<Vec<Tensor>> = Vec::with_capacity(sentences.len());
        let all: Vec<usize> = (0..encoded.len()).collect();
        for chunk in all.chunks(batch_size.max(1)) {
            let batch = pad_batch(&encoded, chunk, PAD)?;
            let ls = self.layers(&batch, None)?;
            let per_layer: Vec<Tensor> = (0..ls.layers.len())
                .map(|l| ls.layer(l))
                .collect::<Result<_>>()?;
            for (r, &len) in batch.lengths.iter().enumerate() {
                // detached and compacted: the vectors must keep neither the batch's
                // autograd graph (every LSTM activation) nor its whole storage alive
                let rows = per_layer
                    .iter()
                    .map(|t| {
                        Ok(t.get(r)?
                            .narrow(0, 1, len - 2)?
                            .detach()
                            .force_contiguous()?)
                    })
                    .collect::<Result<Vec<_>>>()?;
                out.push(rows);
            }
        }
        Ok(out)
    }

    /// Trains on `train` sentences, validating on `dev`, through the
    /// [`Trainer`] (Adam, gradient-norm clipping, run folder, checkpoints,
    /// `resume` from a checkpoint).
    pub fn fit(
        &self,
        train: &[Vec<String>],
        dev: &[Vec<String>],
        fit: &BilmFitConfig,
        resume: Option<&Path>,
    ) -> Result<TrainReport> {
        if train.is_empty() || dev.is_empty() {
            return Err(NnError::Empty(
                "biLM training needs training and validation sentences".into(),
            ));
        }
        let encoded: Vec<Vec<u32>> = train.iter().map(|s| self.encode(s)).collect();
        let trainer_config = TrainerConfig {
            run_name: fit.run_name.clone(),
            runs_dir: fit.runs_dir.clone(),
            epochs: fit.epochs.max(1),
            max_steps: fit.max_steps,
            time_limit_s: fit.time_limit_s,
            clip_norm: fit.clip_norm,
            schedule: Schedule::Constant { lr: fit.lr },
            log_every: 10,
            eval_every: fit.eval_every,
            seed: fit.seed,
            quiet: fit.quiet,
            ..Default::default()
        };
        let mut trainer = Trainer::new(trainer_config)?;
        let mut opt = OptimizerConfig::Adam(AdamConfig {
            lr: fit.lr,
            ..AdamConfig::default()
        })
        .build(Params::from_varmap(&self.varmap))?;
        let mut task = BilmTask {
            model: self,
            lengths: encoded.iter().map(Vec::len).collect(),
            train: encoded,
            dev,
            batch_size: fit.batch_size,
        };
        trainer.fit(&mut task, opt.as_mut(), resume)
    }

    /// The model file: weights, with the configuration and the vocabulary
    /// in the metadata. Written atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        save_model(
            path,
            FORMAT,
            VERSION,
            &self.varmap,
            &[
                ("config", field(&self.config)),
                ("vocab", field(&self.vocab.tokens())),
            ],
        )
    }

    /// Reads a model file written by [`Bilm::save`] (or by
    /// `tools/reference/bilm_golden.py`).
    pub fn load(path: &Path) -> Result<Self> {
        let file = ModelFile::open(path, FORMAT, VERSION)?;
        let config: BilmConfig = file.field("config")?;
        let tokens: Vec<String> = file.field("vocab")?;
        let model = Self::build(config, Vocab::from_tokens(tokens))
            .map_err(|e| file.error(e.to_string()))?;
        file.restore(&model.varmap)?;
        Ok(model)
    }

    /// Restores the weights of a trainer checkpoint.
    pub fn restore_checkpoint(&self, path: &Path) -> Result<()> {
        crate::checkpoint::load_checkpoint(path)?.restore_model(&self.varmap)
    }
}

/// Row index (into `[B·T]`) that reverses each row within its length.
fn reverse_index(lengths: &[usize], t: usize) -> Result<Tensor> {
    let mut idx = Vec::with_capacity(lengths.len() * t);
    for (b, &len) in lengths.iter().enumerate() {
        for k in 0..t {
            let src = if k < len { len - 1 - k } else { k };
            idx.push((b * t + src) as u32);
        }
    }
    Ok(Tensor::from_vec(idx, lengths.len() * t, &Device::Cpu)?)
}

/// Targets `[B, T]` of the forward LM (position k predicts k + 1) and of the
/// backward LM (position k predicts k − 1); `<pad>` where there is none.
fn targets(batch: &PaddedBatch) -> Result<(Tensor, Tensor)> {
    let t = batch.max_len;
    let mut tf = vec![PAD; batch.ids.len()];
    let mut tb = vec![PAD; batch.ids.len()];
    for (r, &len) in batch.lengths.iter().enumerate() {
        let row = &batch.ids[r * t..(r + 1) * t];
        for k in 0..len {
            if k + 1 < len {
                tf[r * t + k] = row[k + 1];
            }
            if k > 0 {
                tb[r * t + k] = row[k - 1];
            }
        }
    }
    let shape = (batch.rows(), t);
    Ok((
        Tensor::from_vec(tf, shape, &Device::Cpu)?,
        Tensor::from_vec(tb, shape, &Device::Cpu)?,
    ))
}

struct BilmTask<'m> {
    model: &'m Bilm,
    train: Vec<Vec<u32>>,
    lengths: Vec<usize>,
    dev: &'m [Vec<String>],
    batch_size: usize,
}

impl TrainTask for BilmTask<'_> {
    type Batch = Vec<usize>;

    fn config(&self) -> Value {
        json!({
            "model": self.model.config,
            "vocab_size": self.model.vocab.len(),
            "batch_size": self.batch_size,
            "train_sentences": self.train.len(),
        })
    }

    fn varmap(&self) -> &VarMap {
        &self.model.varmap
    }

    fn epoch_batches(&mut self, _epoch: u64, rng: &mut Rng) -> Result<Vec<Vec<usize>>> {
        bucket_batches(&self.lengths, self.batch_size, 50, rng)
    }

    fn train_batch_loss(&mut self, batch: &Vec<usize>, rng: &mut Rng) -> Result<Tensor> {
        let padded = pad_batch(&self.train, batch, PAD)?;
        self.model.loss(&padded, Some(rng))
    }

    fn batch_tokens(&self, batch: &Vec<usize>) -> usize {
        batch.iter().map(|&i| self.lengths[i]).sum()
    }

    fn evaluate(&mut self) -> Result<Metrics> {
        self.model.evaluate(self.dev, 64)
    }
}
