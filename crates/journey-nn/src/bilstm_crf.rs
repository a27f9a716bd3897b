//! BiLSTM-CRF named-entity recogniser (Huang, Xu & Yu 2015; Lample et al.
//! 2016; Ma & Hovy 2016). Each token is the concatenation of
//! - its word vector (lowercased lookup; GloVe 6B 50d where the word has one),
//! - character features: a convolution of width `char_width` over the
//!   word's character vectors, max-pooled over the word (Ma & Hovy's char
//!   CNN; computed once per distinct word of the batch, as one matmul over
//!   stacked windows),
//! - a casing feature (Reimers & Gurevych 2017's eight classes: numeric,
//!   mostly numeric, lower, upper, initial upper, contains a digit, other).
//!
//! Dropout, a bidirectional LSTM over the sentence ([`Recurrent`], lengths),
//! dropout, a linear layer to per-tag emission scores and a linear-chain
//! [`CrfLayer`]. Tags are trained in IOBES (any input scheme converts to it;
//! Lample et al. found it slightly better) and written back in the scheme
//! of the training file. Training goes through [`Trainer`]: dev F1 (conlleval,
//! `journey_ml::conlleval`) after each epoch, the best epoch kept.
//!
//! Cost per batch of B sentences of at most T tokens with U distinct words
//! of at most C characters: char CNN O(U·C·w·c·F), BiLSTM O(B·T·H·(D+H)),
//! CRF O(B·T·K²); memory of the same order for the backward pass.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use candle_core::{DType, Device, Tensor, D};
use candle_nn::{Embedding, Linear, Module, VarBuilder, VarMap};
use journey_ml::conlleval::{evaluate, ConllEval};
use journey_ml::ner_corpus::{detect_scheme, read_ner, NerSentence};
use journey_ml::tag_scheme::{convert, TagScheme};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::batching::bucket_batches;
use crate::checkpoint::load_checkpoint;
use crate::crf_layer::CrfLayer;
use crate::dropout::dropout;
use crate::early_stopping::{EarlyStoppingConfig, Mode};
use crate::model_file::{field, save_model, ModelFile};
use crate::optim::{AdamConfig, OptimizerConfig, Params};
use crate::recurrent::{Recurrent, RecurrentConfig};
use crate::rng::Rng;
use crate::schedule::Schedule;
use crate::trainer::{Metrics, TrainReport, TrainTask, Trainer, TrainerConfig};
use crate::vocab::{Vocab, VocabConfig, PAD};
use crate::{NnError, Result};

const FORMAT: &str = "journey-bilstm-crf";
const VERSION: u32 = 1;
/// Casing classes, 0 being padding.
const CASINGS: usize = 8;

/// The network's sizes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BilstmCrfConfig {
    /// Word vector width (the pretrained vectors' width when given).
    pub word_dim: usize,
    pub char_dim: usize,
    /// Char CNN filters and width.
    pub char_filters: usize,
    pub char_width: usize,
    pub casing_dim: usize,
    /// LSTM units per direction.
    pub hidden_size: usize,
    pub dropout: f32,
    /// The scheme tags are learnt in.
    pub train_scheme: TagScheme,
}

impl Default for BilstmCrfConfig {
    fn default() -> Self {
        Self {
            word_dim: 50,
            char_dim: 30,
            char_filters: 30,
            char_width: 3,
            casing_dim: 8,
            hidden_size: 100,
            dropout: 0.5,
            train_scheme: TagScheme::Iobes,
        }
    }
}

/// How training runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NerFitConfig {
    pub epochs: u64,
    pub batch_size: usize,
    pub lr: f64,
    pub clip_norm: Option<f64>,
    pub seed: u64,
    /// Stop when dev F1 has not improved for this many epochs.
    pub patience: u64,
    pub max_steps: Option<u64>,
    /// Stop (after one more evaluation) once training has run this long.
    pub max_minutes: Option<f64>,
    pub runs_dir: PathBuf,
    pub run_name: String,
    pub quiet: bool,
    /// Print dev scores after each evaluation (to stderr).
    pub verbose: bool,
}

impl Default for NerFitConfig {
    fn default() -> Self {
        Self {
            epochs: 30,
            batch_size: 32,
            lr: 2e-3,
            clip_norm: Some(5.0),
            seed: 1,
            patience: 4,
            max_steps: None,
            max_minutes: None,
            runs_dir: PathBuf::from("runs"),
            run_name: "bilstm-crf".into(),
            quiet: false,
            verbose: false,
        }
    }
}

/// Reads a CoNLL NER file (CoNLL-2003 or WNUT-17 columns; the tag is the
/// last column). A malformed tag is an error naming `file:line`; a file
/// without sentences is an error too.
pub fn read_corpus(path: &Path) -> Result<Vec<NerSentence>> {
    let s = read_ner(path).map_err(|e| NnError::Config(e.to_string()))?;
    if s.is_empty() {
        return Err(NnError::Empty(format!(
            "{} has no sentences",
            path.display()
        )));
    }
    Ok(s)
}

/// Reimers & Gurevych's casing class of a word (1..=7; 0 is padding).
pub fn casing(word: &str) -> u32 {
    let n = word.chars().count().max(1);
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let mut chars = word.chars();
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    if word.chars().all(|c| c.is_ascii_digit()) && digits > 0 {
        1
    } else if digits as f64 / n as f64 > 0.5 {
        2
    } else if word.chars().all(char::is_lowercase) {
        3
    } else if word.chars().all(char::is_uppercase) {
        4
    } else if first_upper {
        5
    } else if digits > 0 {
        7
    } else {
        6
    }
}

/// One sentence as ids.
#[derive(Clone, Debug)]
struct Encoded {
    words: Vec<u32>,
    casing: Vec<u32>,
    /// Lowercased? No: the original forms, for the char CNN.
    forms: Vec<String>,
    tags: Vec<u32>,
}

/// A BiLSTM-CRF tagger.
pub struct BilstmCrf {
    pub config: BilstmCrfConfig,
    /// Tags in the training scheme, sorted.
    labels: Vec<String>,
    /// The scheme of the training file (predictions are written in it).
    output_scheme: TagScheme,
    words: Vocab,
    chars: Vocab,
    varmap: VarMap,
    word_emb: Embedding,
    char_emb: Embedding,
    casing_emb: Embedding,
    /// Conv1d weight `[F, char_dim, width]` (PyTorch layout) and bias `[F]`.
    char_conv_w: Tensor,
    char_conv_b: Tensor,
    lstm: Recurrent,
    out: Linear,
    crf: CrfLayer,
}

impl BilstmCrf {
    /// A new tagger for the tags and words of `train`. The word vocabulary
    /// holds the training words (lowercased) plus the words of `extra`
    /// (e.g. dev and test sentences, without their tags) that have a
    /// pretrained vector. Returns it and how many words had one.
    pub fn new(
        mut config: BilstmCrfConfig,
        train: &[NerSentence],
        extra: &[&[NerSentence]],
        pretrained: Option<&journey_embed::Embeddings>,
        seed: u64,
    ) -> Result<(Self, usize)> {
        if train.is_empty() {
            return Err(NnError::Empty("the training set has no sentences".into()));
        }
        if let Some(p) = pretrained {
            config.word_dim = p.dim();
        }
        let mut labels: Vec<String> = train
            .iter()
            .flat_map(|s| convert(&s.tags, config.train_scheme))
            .collect();
        labels.sort();
        labels.dedup();
        let lower: Vec<Vec<String>> = train
            .iter()
            .map(|s| s.words.iter().map(|w| w.to_lowercase()).collect())
            .collect();
        let extra_words: Vec<Vec<String>> = match pretrained {
            Some(p) => extra
                .iter()
                .flat_map(|set| set.iter())
                .map(|s| {
                    s.words
                        .iter()
                        .map(|w| w.to_lowercase())
                        .filter(|w| p.get(w).is_some())
                        .collect()
                })
                .collect(),
            None => Vec::new(),
        };
        let words = Vocab::build(
            lower
                .iter()
                .chain(&extra_words)
                .map(|d| d.iter().map(String::as_str)),
            &VocabConfig::default(),
        )?;
        let char_docs: Vec<Vec<String>> = train
            .iter()
            .map(|s| {
                s.words
                    .iter()
                    .flat_map(|w| w.chars().map(|c| c.to_string()))
                    .collect()
            })
            .collect();
        let chars = Vocab::build(
            char_docs.iter().map(|d| d.iter().map(String::as_str)),
            &VocabConfig::default(),
        )?;
        let output_scheme = detect_scheme(train);
        let model = Self::build(config, labels, output_scheme, words, chars)?;
        let hits = model.init_weights(pretrained, seed)?;
        Ok((model, hits))
    }

    fn build(
        config: BilstmCrfConfig,
        labels: Vec<String>,
        output_scheme: TagScheme,
        words: Vocab,
        chars: Vocab,
    ) -> Result<Self> {
        if !(0.0..1.0).contains(&config.dropout) {
            return Err(NnError::Config(format!(
                "dropout must be in [0, 1), got {}",
                config.dropout
            )));
        }
        if [
            config.word_dim,
            config.char_dim,
            config.char_filters,
            config.char_width,
            config.casing_dim,
            config.hidden_size,
        ]
        .contains(&0)
            || config.char_width.is_multiple_of(2)
        {
            return Err(NnError::Config(
                "sizes must be > 0 and the char CNN width odd".into(),
            ));
        }
        if labels.is_empty() {
            return Err(NnError::Config("no tags".into()));
        }
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let word_emb = candle_nn::embedding(words.len(), config.word_dim, vb.pp("word_embedding"))?;
        let char_emb = candle_nn::embedding(chars.len(), config.char_dim, vb.pp("char_embedding"))?;
        let casing_emb =
            candle_nn::embedding(CASINGS, config.casing_dim, vb.pp("casing_embedding"))?;
        let zeros = candle_nn::Init::Const(0.0);
        let char_conv_w = vb.get_with_hints(
            (config.char_filters, config.char_dim, config.char_width),
            "char_cnn.weight",
            zeros,
        )?;
        let char_conv_b = vb.get_with_hints(config.char_filters, "char_cnn.bias", zeros)?;
        let input = config.word_dim + config.char_filters + config.casing_dim;
        let lstm = Recurrent::new(
            RecurrentConfig {
                input_size: input,
                hidden_size: config.hidden_size,
                num_layers: 1,
                bidirectional: true,
                ..Default::default()
            },
            vb.pp("lstm"),
        )?;
        let out = candle_nn::linear(2 * config.hidden_size, labels.len(), vb.pp("hidden2tag"))?;
        let crf = CrfLayer::new(labels.len(), vb.pp("crf"))?;
        Ok(Self {
            config,
            labels,
            output_scheme,
            words,
            chars,
            varmap,
            word_emb,
            char_emb,
            casing_emb,
            char_conv_w,
            char_conv_b,
            lstm,
            out,
            crf,
        })
    }

    /// Seeded initial weights: pretrained word vectors where there is one,
    /// N(0, 0.1²) otherwise; char and casing vectors uniform in
    /// ±√(3/dim) (Ma & Hovy); PyTorch's default bounds for the conv,
    /// LSTM and linear layers; pytorch-crf's for the CRF.
    fn init_weights(
        &self,
        pretrained: Option<&journey_embed::Embeddings>,
        seed: u64,
    ) -> Result<usize> {
        let mut rng = Rng::seed(seed);
        let dim = self.config.word_dim;
        let mut emb = vec![0f32; self.words.len() * dim];
        let mut hits = 0;
        for (id, tok) in self.words.tokens().iter().enumerate() {
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
        set(&self.word_emb.embeddings().clone(), emb)?;
        for (t, d) in [
            (self.char_emb.embeddings(), self.config.char_dim),
            (self.casing_emb.embeddings(), self.config.casing_dim),
        ] {
            fill_uniform(t, (3.0 / d as f32).sqrt(), &mut rng)?;
        }
        let fan_in = (self.config.char_dim * self.config.char_width) as f32;
        fill_uniform(&self.char_conv_w, 1.0 / fan_in.sqrt(), &mut rng)?;
        fill_uniform(&self.char_conv_b, 1.0 / fan_in.sqrt(), &mut rng)?;
        self.lstm.reset_parameters(rng.next_u64())?;
        let bound = 1.0 / ((2 * self.config.hidden_size) as f32).sqrt();
        fill_uniform(self.out.weight(), bound, &mut rng)?;
        if let Some(b) = self.out.bias() {
            fill_uniform(b, bound, &mut rng)?;
        }
        self.crf.reset_parameters(&mut rng)?;
        Ok(hits)
    }

    /// Tags in the training scheme (the CRF's label ids index this).
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn output_scheme(&self) -> TagScheme {
        self.output_scheme
    }

    pub fn varmap(&self) -> &VarMap {
        &self.varmap
    }

    pub fn word_vocab(&self) -> &Vocab {
        &self.words
    }

    fn encode(&self, words: &[String], tags: Option<&[String]>) -> Result<Encoded> {
        let tags = match tags {
            Some(t) => convert(t, self.config.train_scheme)
                .iter()
                .map(|x| {
                    self.labels
                        .binary_search(x)
                        .map(|i| i as u32)
                        .map_err(|_| NnError::Config(format!("tag {x} was not seen in training")))
                })
                .collect::<Result<Vec<u32>>>()?,
            None => Vec::new(),
        };
        Ok(Encoded {
            words: words
                .iter()
                .map(|w| self.words.id(&w.to_lowercase()))
                .collect(),
            casing: words.iter().map(|w| casing(w)).collect(),
            forms: words.to_vec(),
            tags,
        })
    }

    fn encode_labelled(&self, sentences: &[NerSentence]) -> Result<Vec<Encoded>> {
        sentences
            .iter()
            .map(|s| {
                self.encode(&s.words, Some(&s.tags))
                    .map_err(|e| NnError::Config(format!("sentence at line {}: {e}", s.line)))
            })
            .collect()
    }

    /// Char CNN features `[U, F]` of distinct word forms.
    fn char_features(&self, forms: &[&str]) -> Result<Tensor> {
        let w = self.config.char_width;
        let half = w / 2;
        let longest = forms
            .iter()
            .map(|f| f.chars().count())
            .max()
            .unwrap_or(1)
            .max(1);
        // Padded with `half` pad characters on both sides (conv padding).
        let width = longest + 2 * half;
        let mut ids = vec![PAD; forms.len() * width];
        let mut mask = vec![-1e4f32; forms.len() * longest];
        for (u, f) in forms.iter().enumerate() {
            for (i, c) in f.chars().enumerate() {
                let mut buf = [0u8; 4];
                ids[u * width + half + i] = self.chars.id(c.encode_utf8(&mut buf));
                mask[u * longest + i] = 0.0;
            }
            if f.is_empty() {
                mask[u * longest] = 0.0;
            }
        }
        let dev = Device::Cpu;
        let ids = Tensor::from_vec(ids, (forms.len(), width), &dev)?;
        let x = self.char_emb.forward(&ids)?; // [U, width, c]
                                              // Windows [U, longest, w·c]: window position j holds chars j..j+w.
        let windows: Vec<Tensor> = (0..w)
            .map(|k| x.narrow(1, k, longest))
            .collect::<candle_core::Result<_>>()?;
        let windows = Tensor::cat(&windows, 2)?;
        // Conv weight [F, c, w] → [F, w·c] with the window's order.
        let f = self.config.char_filters;
        let weight = self
            .char_conv_w
            .transpose(1, 2)?
            .reshape((f, w * self.config.char_dim))?;
        let u = forms.len();
        let y = windows
            .reshape((u * longest, w * self.config.char_dim))?
            .matmul(&weight.t()?)?
            .broadcast_add(&self.char_conv_b)?
            .reshape((u, longest, f))?;
        let mask = Tensor::from_vec(mask, (u, longest, 1), &dev)?;
        Ok(y.broadcast_add(&mask)?.max(1)?)
    }

    /// Emission scores `[B, T, K]` of sentences `idx` of `data`, and the
    /// lengths; dropout when `rng` is given.
    fn emissions(
        &self,
        data: &[Encoded],
        idx: &[usize],
        mut rng: Option<&mut Rng>,
    ) -> Result<(Tensor, Vec<usize>)> {
        let dev = Device::Cpu;
        let lengths: Vec<usize> = idx.iter().map(|&i| data[i].words.len()).collect();
        if let Some(pos) = lengths.iter().position(|&l| l == 0) {
            return Err(NnError::Empty(format!(
                "sentence {} has no tokens",
                idx[pos]
            )));
        }
        let t = *lengths.iter().max().unwrap_or(&1);
        let b = idx.len();
        let mut word_ids = vec![PAD; b * t];
        let mut case_ids = vec![0u32; b * t];
        let mut form_ids = vec![0u32; b * t];
        let mut forms: Vec<&str> = Vec::new();
        let mut form_index: HashMap<&str, u32> = HashMap::new();
        for (r, &i) in idx.iter().enumerate() {
            let s = &data[i];
            word_ids[r * t..r * t + s.words.len()].copy_from_slice(&s.words);
            case_ids[r * t..r * t + s.casing.len()].copy_from_slice(&s.casing);
            for (j, f) in s.forms.iter().enumerate() {
                let id = *form_index.entry(f.as_str()).or_insert_with(|| {
                    forms.push(f.as_str());
                    (forms.len() - 1) as u32
                });
                form_ids[r * t + j] = id;
            }
        }
        let words = self
            .word_emb
            .forward(&Tensor::from_vec(word_ids, (b, t), &dev)?)?;
        let cases = self
            .casing_emb
            .forward(&Tensor::from_vec(case_ids, (b, t), &dev)?)?;
        let chars = self
            .char_features(&forms)?
            .index_select(&Tensor::from_vec(form_ids, b * t, &dev)?, 0)?
            .reshape((b, t, self.config.char_filters))?;
        let mut x = Tensor::cat(&[words, chars, cases], D::Minus1)?;
        if let Some(r) = rng.as_deref_mut() {
            x = dropout(&x, self.config.dropout, r)?;
        }
        let mut h = self.lstm.forward(&x, Some(&lengths), None)?.output;
        if let Some(r) = rng {
            h = dropout(&h, self.config.dropout, r)?;
        }
        Ok((self.out.forward(&h)?, lengths))
    }

    /// Mean negative log-likelihood of a batch (training loss).
    fn batch_loss(&self, data: &[Encoded], idx: &[usize], rng: Option<&mut Rng>) -> Result<Tensor> {
        let (em, lengths) = self.emissions(data, idx, rng)?;
        let tags: Vec<Vec<u32>> = idx.iter().map(|&i| data[i].tags.clone()).collect();
        self.crf.mean_nll(&em, &tags, &lengths)
    }

    fn decode(&self, data: &[Encoded]) -> Result<Vec<Vec<String>>> {
        let mut order: Vec<usize> = (0..data.len())
            .filter(|&i| !data[i].words.is_empty())
            .collect();
        order.sort_by_key(|&i| data[i].words.len());
        let mut out = vec![Vec::new(); data.len()];
        for chunk in order.chunks(128) {
            let (em, lengths) = self.emissions(data, chunk, None)?;
            for (&i, path) in chunk.iter().zip(self.crf.viterbi(&em, &lengths)?) {
                let tags: Vec<&str> = path
                    .iter()
                    .map(|&k| self.labels[k as usize].as_str())
                    .collect();
                out[i] = convert(&tags, self.output_scheme);
            }
        }
        Ok(out)
    }

    /// Tags each sentence (a list of tokens) in the training file's scheme.
    pub fn predict(&self, sentences: &[Vec<String>]) -> Result<Vec<Vec<String>>> {
        let data: Vec<Encoded> = sentences
            .iter()
            .map(|s| self.encode(s, None))
            .collect::<Result<_>>()?;
        self.decode(&data)
    }

    /// conlleval scores on labelled sentences (gold tags as in the file).
    pub fn evaluate(&self, sentences: &[NerSentence]) -> Result<ConllEval> {
        let words: Vec<Vec<String>> = sentences.iter().map(|s| s.words.clone()).collect();
        let pred = self.predict(&words)?;
        let gold: Vec<Vec<&str>> = sentences
            .iter()
            .map(|s| s.tags.iter().map(String::as_str).collect())
            .collect();
        evaluate(&gold, &pred).map_err(|e| NnError::Shape(e.to_string()))
    }

    /// Trains on `train`, evaluating dev F1 after each epoch and keeping
    /// the best epoch's weights.
    pub fn fit(
        &mut self,
        train: &[NerSentence],
        dev: &[NerSentence],
        fit: &NerFitConfig,
        resume: Option<&Path>,
    ) -> Result<TrainReport> {
        if train.is_empty() || dev.is_empty() {
            return Err(NnError::Empty(
                "training and dev sets need sentences".into(),
            ));
        }
        let train_data = self.encode_labelled(train)?;
        let steps_per_epoch = train.len().div_ceil(fit.batch_size.max(1)) as u64;
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
                metric: "f1".into(),
                mode: Mode::Max,
                patience: Some(fit.patience),
                ..Default::default()
            }),
            seed: fit.seed,
            quiet: fit.quiet,
            ..Default::default()
        };
        let mut trainer = Trainer::new(trainer_config)?;
        let opt_config = OptimizerConfig::Adam(AdamConfig {
            lr: fit.lr,
            ..Default::default()
        });
        let mut opt = opt_config.build(Params::from_varmap(&self.varmap))?;
        let mut task = NerTask {
            model: self,
            train: train_data,
            dev,
            batch_size: fit.batch_size,
            started: Instant::now(),
            budget: fit.max_minutes.map(|m| Duration::from_secs_f64(m * 60.0)),
            verbose: fit.verbose,
            evals: 0,
        };
        let report = trainer.fit(&mut task, opt.as_mut(), resume)?;
        let best = trainer.run_dir().best_checkpoint();
        if best.exists() {
            load_checkpoint(&best)?.restore_model(&self.varmap)?;
        }
        Ok(report)
    }

    /// The model file: weights, and in the metadata the configuration, the
    /// tags, the output scheme and both vocabularies. Written atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        save_model(
            path,
            FORMAT,
            VERSION,
            &self.varmap,
            &[
                ("config", field(&self.config)),
                ("labels", field(&self.labels)),
                ("output_scheme", field(&self.output_scheme)),
                ("words", field(&self.words.tokens())),
                ("chars", field(&self.chars.tokens())),
            ],
        )
    }

    /// Reads a model file written by [`BilstmCrf::save`].
    pub fn load(path: &Path) -> Result<Self> {
        let file = ModelFile::open(path, FORMAT, VERSION)?;
        let config: BilstmCrfConfig = file.field("config")?;
        let labels: Vec<String> = file.field("labels")?;
        let scheme: TagScheme = file.field("output_scheme")?;
        let words: Vec<String> = file.field("words")?;
        let chars: Vec<String> = file.field("chars")?;
        let model = Self::build(
            config,
            labels,
            scheme,
            Vocab::from_tokens(words),
            Vocab::from_tokens(chars),
        )?;
        file.restore(&model.varmap)?;
        Ok(model)
    }
}

struct NerTask<'m> {
    model: &'m BilstmCrf,
    train: Vec<Encoded>,
    dev: &'m [NerSentence],
    batch_size: usize,
    started: Instant,
    budget: Option<Duration>,
    verbose: bool,
    evals: u64,
}

impl TrainTask for NerTask<'_> {
    type Batch = Vec<usize>;

    fn config(&self) -> Value {
        json!({
            "model": self.model.config,
            "labels": self.model.labels,
            "words": self.model.words.len(),
            "chars": self.model.chars.len(),
            "batch_size": self.batch_size,
        })
    }

    fn varmap(&self) -> &VarMap {
        &self.model.varmap
    }

    fn epoch_batches(&mut self, _epoch: u64, rng: &mut Rng) -> Result<Vec<Vec<usize>>> {
        let lengths: Vec<usize> = self.train.iter().map(|s| s.words.len()).collect();
        let keep: Vec<usize> = (0..lengths.len()).filter(|&i| lengths[i] > 0).collect();
        let kept: Vec<usize> = keep.iter().map(|&i| lengths[i]).collect();
        let batches = bucket_batches(&kept, self.batch_size, 50, rng)?;
        Ok(batches
            .into_iter()
            .map(|b| b.into_iter().map(|j| keep[j]).collect())
            .collect())
    }

    fn train_batch_loss(&mut self, batch: &Vec<usize>, rng: &mut Rng) -> Result<Tensor> {
        self.model.batch_loss(&self.train, batch, Some(rng))
    }

    fn batch_tokens(&self, batch: &Vec<usize>) -> usize {
        batch.iter().map(|&i| self.train[i].words.len()).sum()
    }

    fn evaluate(&mut self) -> Result<Metrics> {
        let r = self.model.evaluate(self.dev)?;
        self.evals += 1;
        if self.verbose {
            eprintln!(
                "epoch {:>3}  dev F1 {:6.2}  P {:6.2}  R {:6.2}  ({:.0} s)",
                self.evals,
                100.0 * r.overall.f1,
                100.0 * r.overall.precision,
                100.0 * r.overall.recall,
                self.started.elapsed().as_secs_f64()
            );
        }
        Ok(Metrics::from([
            ("f1".to_string(), r.overall.f1),
            ("precision".to_string(), r.overall.precision),
            ("recall".to_string(), r.overall.recall),
            ("accuracy".to_string(), r.accuracy),
        ]))
    }

    fn should_stop(&self) -> bool {
        self.budget.is_some_and(|b| self.started.elapsed() >= b)
    }
}

fn set(t: &Tensor, vals: Vec<f32>) -> Result<()> {
    let var = candle_core::Var::from_tensor(t)?;
    var.set(&Tensor::from_vec(vals, t.shape(), t.device())?)?;
    Ok(())
}

fn fill_uniform(t: &Tensor, bound: f32, rng: &mut Rng) -> Result<()> {
    let vals: Vec<f32> = (0..t.elem_count())
        .map(|_| (2.0 * rng.uniform() - 1.0) * bound)
        .collect();
    set(t, vals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_classes() {
        assert_eq!(casing("1996"), 1);
        assert_eq!(casing("12-3"), 2);
        assert_eq!(casing("the"), 3);
        assert_eq!(casing("EU"), 4);
        assert_eq!(casing("Peter"), 5);
        assert_eq!(casing("-"), 6);
        assert_eq!(casing("a1-b"), 7);
    }
}
