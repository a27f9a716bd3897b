//! Neural text classifiers over word embeddings: a bidirectional LSTM whose
//! outputs are max- and mean-pooled over time (Graves & Schmidhuber 2005;
//! the pooling of Conneau et al. 2017), and Kim's (2014) convolutional
//! network with max-over-time pooling. Embeddings start from pretrained
//! vectors (GloVe, Pennington et al. 2014) where a word has one, and train
//! with the rest of the network.
//!
//! Training goes through [`crate::trainer::Trainer`]: length-bucketed
//! batches, AdamW, gradient clipping, evaluation on a dev set each epoch,
//! the best epoch kept (early stopping on dev accuracy), checkpoints and
//! exact resume. A fitted model is one safetensors file: the weights, and in
//! its metadata the configuration, the labels and the vocabulary.
//!
//! Cost per batch of B texts of at most T tokens: BiLSTM O(B·T·H·(E+H)),
//! text CNN O(B·T·n·E·Σk); memory for the backward pass of the same order.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor, D};
use candle_nn::{Embedding, Linear, Module, VarBuilder, VarMap};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::batching::{bucket_batches, pad_batch, PaddedBatch};
use crate::checkpoint::load_checkpoint;
use crate::dropout::dropout;
use crate::early_stopping::{EarlyStoppingConfig, Mode};
use crate::model_file::{field, save_model, ModelFile};
use crate::optim::{AdamConfig, OptimizerConfig, Params};
use crate::recurrent::{Recurrent, RecurrentConfig};
use crate::rng::Rng;
use crate::schedule::Schedule;
use crate::text_cnn::{TextCnn, TextCnnConfig};
use crate::trainer::{Metrics, TrainReport, TrainTask, Trainer, TrainerConfig};
use crate::vocab::{Vocab, VocabConfig, PAD};
use crate::{NnError, Result};

/// The `format` tag in a model file's metadata.
const FORMAT: &str = "journey-neural-classifier";
const VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Architecture {
    /// Bidirectional LSTM, max + mean pooling, dropout, linear layer.
    Bilstm,
    /// Kim's text CNN.
    Textcnn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tokenization {
    /// Split on white space (for text that is already tokenised, as SST-2).
    Whitespace,
    /// The Penn Treebank tokenizer of `journey-text` (as NLTK's).
    Treebank,
}

/// The network and its inputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NeuralClassifierConfig {
    pub architecture: Architecture,
    pub tokenization: Tokenization,
    pub lowercase: bool,
    /// Words seen fewer times in training become `<unk>`.
    pub min_count: usize,
    /// Width of the word vectors (replaced by the pretrained vectors' width
    /// when they are given).
    pub embedding_dim: usize,
    /// LSTM units per direction.
    pub hidden_size: usize,
    pub num_layers: usize,
    /// Text CNN filter widths and filters per width.
    pub widths: Vec<usize>,
    pub filters: usize,
    /// Dropout on the word vectors and on the pooled features.
    pub embedding_dropout: f32,
    pub dropout: f32,
    /// Keep the word vectors as initialised (Kim's "static" variant): useful
    /// with pretrained vectors and little training data.
    pub freeze_embeddings: bool,
}

impl Default for NeuralClassifierConfig {
    fn default() -> Self {
        Self {
            architecture: Architecture::Bilstm,
            tokenization: Tokenization::Treebank,
            lowercase: true,
            min_count: 1,
            embedding_dim: 50,
            hidden_size: 128,
            num_layers: 1,
            widths: vec![3, 4, 5],
            filters: 100,
            embedding_dropout: 0.25,
            dropout: 0.5,
            freeze_embeddings: false,
        }
    }
}

/// How training runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FitConfig {
    pub epochs: u64,
    pub batch_size: usize,
    pub lr: f64,
    pub weight_decay: f64,
    pub clip_norm: Option<f64>,
    pub seed: u64,
    /// Stop when dev accuracy has not improved for this many epochs.
    pub patience: u64,
    /// Stop after this many optimiser steps (for quick runs).
    pub max_steps: Option<u64>,
    pub runs_dir: PathBuf,
    pub run_name: String,
    pub quiet: bool,
}

impl Default for FitConfig {
    fn default() -> Self {
        Self {
            epochs: 4,
            batch_size: 64,
            lr: 1e-3,
            weight_decay: 0.0,
            clip_norm: Some(5.0),
            seed: 1,
            patience: 2,
            max_steps: None,
            runs_dir: PathBuf::from("runs"),
            run_name: "classifier".into(),
            quiet: false,
        }
    }
}

/// Labelled texts.
pub struct Labelled<'a> {
    pub texts: &'a [String],
    /// Index into the classifier's labels.
    pub labels: &'a [u32],
}

enum Net {
    Bilstm { rnn: Recurrent, out: Linear },
    Textcnn(TextCnn),
}

/// A fitted (or fitting) neural text classifier.
pub struct NeuralClassifier {
    pub config: NeuralClassifierConfig,
    labels: Vec<String>,
    vocab: Vocab,
    varmap: VarMap,
    embedding: Embedding,
    net: Net,
}

impl NeuralClassifier {
    /// Splits a text into tokens as the configuration says.
    pub fn tokenize(config: &NeuralClassifierConfig, text: &str) -> Vec<String> {
        let text = if config.lowercase {
            text.to_lowercase()
        } else {
            text.to_string()
        };
        match config.tokenization {
            Tokenization::Whitespace => text.split_whitespace().map(str::to_string).collect(),
            Tokenization::Treebank => {
                let mut out = Vec::new();
                journey_text::treebank::TreebankWordTokenizer::new()
                    .for_each_token(&text, |t| out.push(t.to_string()));
                out
            }
        }
    }

    /// A new network for `labels` over the vocabulary of `train_texts`,
    /// with seeded weights; rows of words found in `pretrained` start from
    /// those vectors. Returns the model and how many vocabulary words had a
    /// pretrained vector.
    pub fn new(
        mut config: NeuralClassifierConfig,
        labels: Vec<String>,
        train_texts: &[String],
        pretrained: Option<&journey_embed::Embeddings>,
        seed: u64,
    ) -> Result<(Self, usize)> {
        if labels.len() < 2 {
            return Err(NnError::Config(format!(
                "a classifier needs at least 2 labels, got {}",
                labels.len()
            )));
        }
        if let Some(p) = pretrained {
            config.embedding_dim = p.dim();
        }
        let tokens: Vec<Vec<String>> = train_texts
            .iter()
            .map(|t| Self::tokenize(&config, t))
            .collect();
        let vocab = Vocab::build(
            tokens.iter().map(|d| d.iter().map(String::as_str)),
            &VocabConfig {
                min_count: config.min_count,
                max_size: 0,
            },
        )?;
        let model = Self::build(config, labels, vocab)?;
        let hits = model.init_weights(pretrained, seed)?;
        Ok((model, hits))
    }

    fn build(config: NeuralClassifierConfig, labels: Vec<String>, vocab: Vocab) -> Result<Self> {
        if !(0.0..1.0).contains(&config.dropout) || !(0.0..1.0).contains(&config.embedding_dropout)
        {
            return Err(NnError::Config(format!(
                "dropout must be in [0, 1), got {} and {}",
                config.embedding_dropout, config.dropout
            )));
        }
        if config.embedding_dim == 0 || config.hidden_size == 0 || config.num_layers == 0 {
            return Err(NnError::Config(
                "embedding_dim, hidden_size and num_layers must be > 0".into(),
            ));
        }
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let embedding =
            candle_nn::embedding(vocab.len(), config.embedding_dim, vb.pp("embedding"))?;
        let classes = labels.len();
        let net = match config.architecture {
            Architecture::Bilstm => {
                let rnn = Recurrent::new(
                    RecurrentConfig {
                        input_size: config.embedding_dim,
                        hidden_size: config.hidden_size,
                        num_layers: config.num_layers,
                        bidirectional: true,
                        ..Default::default()
                    },
                    vb.pp("lstm"),
                )?;
                let out = candle_nn::linear(4 * config.hidden_size, classes, vb.pp("out"))?;
                Net::Bilstm { rnn, out }
            }
            Architecture::Textcnn => {
                if config.widths.is_empty() || config.widths.contains(&0) || config.filters == 0 {
                    return Err(NnError::Config(
                        "text CNN needs filter widths > 0 and filters > 0".into(),
                    ));
                }
                Net::Textcnn(TextCnn::new(
                    TextCnnConfig {
                        embedding_dim: config.embedding_dim,
                        widths: config.widths.clone(),
                        filters: config.filters,
                        num_classes: classes,
                    },
                    vb.pp("cnn"),
                )?)
            }
        };
        Ok(Self {
            config,
            labels,
            vocab,
            varmap,
            embedding,
            net,
        })
    }

    /// Seeded initial weights: PyTorch's default bounds for the layers,
    /// N(0, 0.1²) for word vectors without a pretrained one, zero for `<pad>`.
    fn init_weights(
        &self,
        pretrained: Option<&journey_embed::Embeddings>,
        seed: u64,
    ) -> Result<usize> {
        let mut rng = Rng::seed(seed);
        let dim = self.config.embedding_dim;
        let mut emb = vec![0f32; self.vocab.len() * dim];
        let mut hits = 0;
        for (id, tok) in self.vocab.tokens().iter().enumerate() {
            let row = &mut emb[id * dim..(id + 1) * dim];
            for x in row.iter_mut() {
                *x = 0.1 * rng.normal();
            }
            if id as u32 == PAD {
                row.fill(0.0);
            } else if let Some(v) = pretrained.and_then(|p| p.get(tok)) {
                row.copy_from_slice(v);
                hits += 1;
            }
        }
        set_var(
            &self.varmap,
            "embedding.weight",
            Tensor::from_vec(emb, (self.vocab.len(), dim), &Device::Cpu)?,
        )?;
        match &self.net {
            Net::Bilstm { rnn, .. } => {
                rnn.reset_parameters(rng.next_u64())?;
                let fan_in = 4 * self.config.hidden_size;
                for name in ["out.weight", "out.bias"] {
                    fill_uniform_var(&self.varmap, name, 1.0 / (fan_in as f32).sqrt(), &mut rng)?;
                }
            }
            Net::Textcnn(cnn) => cnn.reset_parameters(rng.next_u64())?,
        }
        Ok(hits)
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    pub fn varmap(&self) -> &VarMap {
        &self.varmap
    }

    /// Token ids of each text.
    pub fn encode(&self, texts: &[String]) -> Vec<Vec<u32>> {
        texts
            .iter()
            .map(|t| {
                let toks = Self::tokenize(&self.config, t);
                let mut ids = self.vocab.encode(toks.iter().map(String::as_str));
                if ids.is_empty() {
                    // An empty text still needs one step; `<unk>` says nothing.
                    ids.push(crate::vocab::UNK);
                }
                ids
            })
            .collect()
    }

    /// Logits `[B, classes]` of a padded batch; dropout only when `rng` is
    /// given (training).
    pub fn logits(&self, batch: &PaddedBatch, mut rng: Option<&mut Rng>) -> Result<Tensor> {
        let dev = Device::Cpu;
        let ids = batch.ids_tensor(&dev)?;
        let mut x = self.embedding.forward(&ids)?;
        if let Some(r) = rng.as_deref_mut() {
            x = dropout(&x, self.config.embedding_dropout, r)?;
        }
        match &self.net {
            Net::Bilstm { rnn, out } => {
                let h = rnn.forward(&x, Some(&batch.lengths), None)?.output;
                let mask = batch.mask_tensor(&dev)?.unsqueeze(2)?;
                // Padded steps are zero in `h`: push them far below any
                // output (|h| < 1) before the max.
                let max = h.broadcast_add(&((mask.clone() - 1.0)? * 1e4)?)?.max(1)?;
                let lens: Vec<f32> = batch.lengths.iter().map(|&l| l as f32).collect();
                let lens = Tensor::from_vec(lens, (batch.rows(), 1), &dev)?;
                let mean = h.sum(1)?.broadcast_div(&lens)?;
                let mut pooled = Tensor::cat(&[max, mean], D::Minus1)?;
                if let Some(r) = rng.as_deref_mut() {
                    pooled = dropout(&pooled, self.config.dropout, r)?;
                }
                Ok(out.forward(&pooled)?)
            }
            Net::Textcnn(cnn) => {
                let mut f = cnn.features(&x, Some(&batch.lengths))?;
                if let Some(r) = rng {
                    f = dropout(&f, self.config.dropout, r)?;
                }
                cnn.classify(&f)
            }
        }
    }

    /// Pads the texts `idx` of `ids` (the text CNN copes with texts
    /// shorter than its filters itself).
    fn pad(&self, ids: &[Vec<u32>], idx: &[usize]) -> Result<PaddedBatch> {
        pad_batch(ids, idx, PAD)
    }

    /// Class probabilities of each text.
    pub fn predict_proba(&self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        let ids = self.encode(texts);
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        let mut out = vec![Vec::new(); ids.len()];
        for chunk in order.chunks(256) {
            let b = self.pad(&ids, chunk)?;
            let p = candle_nn::ops::softmax_last_dim(&self.logits(&b, None)?)?.to_vec2::<f32>()?;
            for (&i, row) in chunk.iter().zip(p) {
                out[i] = row;
            }
        }
        Ok(out)
    }

    /// The most probable label index of each text.
    pub fn predict(&self, texts: &[String]) -> Result<Vec<u32>> {
        Ok(self
            .predict_proba(texts)?
            .iter()
            .map(|p| argmax(p) as u32)
            .collect())
    }

    /// Trains on `train`, evaluating on `dev` after each epoch and keeping
    /// the weights of the best dev accuracy. With `resume`, continues the
    /// run from that checkpoint.
    pub fn fit(
        &mut self,
        train: &Labelled,
        dev: &Labelled,
        fit: &FitConfig,
        resume: Option<&Path>,
    ) -> Result<TrainReport> {
        check_labelled(train, self.labels.len(), "training")?;
        check_labelled(dev, self.labels.len(), "dev")?;
        let steps_per_epoch = train.texts.len().div_ceil(fit.batch_size.max(1)) as u64;
        let trainer_config = TrainerConfig {
            run_name: fit.run_name.clone(),
            runs_dir: fit.runs_dir.clone(),
            epochs: fit.epochs,
            max_steps: fit.max_steps,
            clip_norm: fit.clip_norm,
            schedule: Schedule::Constant { lr: fit.lr },
            log_every: 50,
            eval_every: Some(steps_per_epoch),
            checkpoint_every: Some(steps_per_epoch),
            early_stopping: Some(EarlyStoppingConfig {
                metric: "accuracy".into(),
                mode: Mode::Max,
                patience: Some(fit.patience),
                ..Default::default()
            }),
            seed: fit.seed,
            quiet: fit.quiet,
            ..Default::default()
        };
        let mut trainer = Trainer::new(trainer_config)?;
        if let Some(from) = resume {
            carry_best_checkpoint(from, &trainer.run_dir().best_checkpoint())?;
        }
        let opt_config = OptimizerConfig::AdamW(AdamConfig {
            lr: fit.lr,
            weight_decay: fit.weight_decay,
            ..AdamConfig::adamw()
        });
        let trainable: Vec<(String, candle_core::Var)> = self
            .varmap
            .data()
            .lock()
            .expect("varmap lock")
            .iter()
            .filter(|(n, _)| !(self.config.freeze_embeddings && n.as_str() == "embedding.weight"))
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect();
        let mut opt = opt_config.build(Params::new(trainable))?;
        let mut task = ClassifierTask {
            train_ids: self.encode(train.texts),
            train_labels: train.labels.to_vec(),
            dev_ids: self.encode(dev.texts),
            dev_labels: dev.labels.to_vec(),
            batch_size: fit.batch_size,
            model: self,
        };
        let report = trainer.fit(&mut task, opt.as_mut(), resume)?;
        let best = trainer.run_dir().best_checkpoint();
        if best.exists() {
            load_checkpoint(&best)?.restore_model(&self.varmap)?;
        }
        Ok(report)
    }

    /// Accuracy and mean cross-entropy on labelled texts.
    pub fn evaluate(&self, data: &Labelled) -> Result<Metrics> {
        check_labelled(data, self.labels.len(), "evaluation")?;
        let ids = self.encode(data.texts);
        evaluate_ids(self, &ids, data.labels)
    }

    /// The model file: weights, and the configuration, labels and
    /// vocabulary in the metadata. Written atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        save_model(
            path,
            FORMAT,
            VERSION,
            &self.varmap,
            &[
                ("config", field(&self.config)),
                ("labels", field(&self.labels)),
                ("vocab", field(&self.vocab.tokens())),
            ],
        )
    }

    /// Reads a model file written by [`NeuralClassifier::save`].
    pub fn load(path: &Path) -> Result<Self> {
        let file = ModelFile::open(path, FORMAT, VERSION)?;
        let config: NeuralClassifierConfig = file.field("config")?;
        let labels: Vec<String> = file.field("labels")?;
        let tokens: Vec<String> = file.field("vocab")?;
        let model = Self::build(config, labels, Vocab::from_tokens(tokens))?;
        file.restore(&model.varmap)?;
        Ok(model)
    }
}

/// When a run resumes into another folder, the best checkpoint so far (the
/// one the finished run will restore) lives beside the resumed checkpoint:
/// copy it, if it is not from a later step than the one resumed.
fn carry_best_checkpoint(from: &Path, best: &Path) -> Result<()> {
    let Some(src) = from.parent().map(|d| d.join("best.safetensors")) else {
        return Ok(());
    };
    if best.exists() || !src.exists() || src == best {
        return Ok(());
    }
    let step = load_checkpoint(from)?.train.step;
    if load_checkpoint(&src)?.train.step <= step {
        std::fs::copy(&src, best).map_err(|e| NnError::Io {
            path: best.to_path_buf(),
            source: e,
        })?;
    }
    Ok(())
}

fn check_labelled(d: &Labelled, classes: usize, what: &str) -> Result<()> {
    if d.texts.is_empty() {
        return Err(NnError::Empty(format!("the {what} set has no texts")));
    }
    if d.texts.len() != d.labels.len() {
        return Err(NnError::Shape(format!(
            "the {what} set has {} texts and {} labels",
            d.texts.len(),
            d.labels.len()
        )));
    }
    if let Some(&l) = d.labels.iter().find(|&&l| l as usize >= classes) {
        return Err(NnError::Config(format!(
            "the {what} set has label index {l}, the model has {classes} labels"
        )));
    }
    Ok(())
}

fn argmax(p: &[f32]) -> usize {
    p.iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |(bi, bv), (i, &v)| {
            if v > bv {
                (i, v)
            } else {
                (bi, bv)
            }
        })
        .0
}

fn evaluate_ids(model: &NeuralClassifier, ids: &[Vec<u32>], labels: &[u32]) -> Result<Metrics> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&i| ids[i].len());
    let (mut correct, mut loss) = (0usize, 0f64);
    for chunk in order.chunks(256) {
        let b = model.pad(ids, chunk)?;
        let logits = model.logits(&b, None)?;
        let y: Vec<u32> = chunk.iter().map(|&i| labels[i]).collect();
        let y = Tensor::from_vec(y.clone(), chunk.len(), &Device::Cpu)?;
        loss += candle_nn::loss::cross_entropy(&logits, &y)?.to_scalar::<f32>()? as f64
            * chunk.len() as f64;
        let pred = logits.argmax(D::Minus1)?.to_vec1::<u32>()?;
        correct += pred
            .iter()
            .zip(chunk)
            .filter(|(p, &i)| **p == labels[i])
            .count();
    }
    let n = ids.len() as f64;
    Ok(Metrics::from([
        ("accuracy".to_string(), correct as f64 / n),
        ("loss".to_string(), loss / n),
    ]))
}

struct ClassifierTask<'m> {
    model: &'m NeuralClassifier,
    train_ids: Vec<Vec<u32>>,
    train_labels: Vec<u32>,
    dev_ids: Vec<Vec<u32>>,
    dev_labels: Vec<u32>,
    batch_size: usize,
}

impl TrainTask for ClassifierTask<'_> {
    type Batch = Vec<usize>;

    fn config(&self) -> Value {
        json!({
            "model": self.model.config,
            "labels": self.model.labels,
            "vocab_size": self.model.vocab.len(),
            "batch_size": self.batch_size,
        })
    }

    fn varmap(&self) -> &VarMap {
        &self.model.varmap
    }

    fn epoch_batches(&mut self, _epoch: u64, rng: &mut Rng) -> Result<Vec<Vec<usize>>> {
        let lengths: Vec<usize> = self.train_ids.iter().map(Vec::len).collect();
        bucket_batches(&lengths, self.batch_size, 50, rng)
    }

    fn train_batch_loss(&mut self, batch: &Vec<usize>, rng: &mut Rng) -> Result<Tensor> {
        let b = self.model.pad(&self.train_ids, batch)?;
        let logits = self.model.logits(&b, Some(rng))?;
        let y: Vec<u32> = batch.iter().map(|&i| self.train_labels[i]).collect();
        let y = Tensor::from_vec(y, batch.len(), &Device::Cpu)?;
        Ok(candle_nn::loss::cross_entropy(&logits, &y)?)
    }

    fn batch_tokens(&self, batch: &Vec<usize>) -> usize {
        batch.iter().map(|&i| self.train_ids[i].len()).sum()
    }

    fn evaluate(&mut self) -> Result<Metrics> {
        evaluate_ids(self.model, &self.dev_ids, &self.dev_labels)
    }
}

fn set_var(varmap: &VarMap, name: &str, value: Tensor) -> Result<()> {
    let vars = varmap.data().lock().expect("varmap lock");
    let var = vars
        .get(name)
        .ok_or_else(|| NnError::Config(format!("no variable {name}")))?;
    var.set(&value)?;
    Ok(())
}

fn fill_uniform_var(varmap: &VarMap, name: &str, bound: f32, rng: &mut Rng) -> Result<()> {
    let vars = varmap.data().lock().expect("varmap lock");
    let var = vars
        .get(name)
        .ok_or_else(|| NnError::Config(format!("no variable {name}")))?;
    let n = var.elem_count();
    let vals: Vec<f32> = (0..n)
        .map(|_| (2.0 * rng.uniform() - 1.0) * bound)
        .collect();
    var.set(&Tensor::from_vec(vals, var.shape(), &Device::Cpu)?)?;
    Ok(())
}
