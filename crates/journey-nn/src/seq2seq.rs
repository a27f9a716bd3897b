//! Sequence-to-sequence translation with attention: the RNN encoder–decoder
//! of Bahdanau, Cho & Bengio 2015 ("Neural machine translation by jointly
//! learning to align and translate"), with the output layer of Luong, Pham
//! & Manning 2015 fed by the decoder state, the context and the previous
//! word.
//!
//! ```text
//! encoder:  x_j = E_src[w_j];  (h→_j, h←_j) = BiGRU/BiLSTM(x, lengths);  m_j = [h→_j; h←_j]
//!           s_0 = tanh(W_b [h→_last; h←_first] + b_b)           (c_0 = 0 for the LSTM)
//! decoder:  e_t = E_tgt[y_{t-1}]                                  (y_0 = BOS)
//!           c_t = Σ_j α_tj m_j,  α_t = softmax_j(vᵀ tanh(W_q s_{t-1} + W_k m_j))  (source padding masked)
//!           s_t = GRU/LSTM cell([e_t; c_t], s_{t-1})
//!           P(y_t | y_<t, x) = softmax(W_o [s_t; c_t; e_t] + b_o)
//! ```
//!
//! Training minimises the token-level cross-entropy, padding ignored, with
//! teacher forcing: at each step, with probability `teacher_forcing` the
//! decoder reads the reference word, otherwise its own previous argmax (one
//! draw per step from our seeded [`Rng`]). Dropout on both embeddings and
//! on the output layer's input. Decoding is batched greedy search or beam
//! search ([`crate::beam_search`], length normalisation of Wu et al. 2016).
//! Words come from lowercasing and the Penn Treebank tokenizer of
//! `journey-text`; outputs are detokenised ([`crate::detokenize`]) for BLEU.
//!
//! Parameters (PyTorch names): `encoder.embedding.weight`,
//! `encoder.rnn.{weight,bias}_{ih,hh}_l0[_reverse]`, `encoder.bridge.*`,
//! `decoder.embedding.weight`, `decoder.cell.{weight,bias}_{ih,hh}_l0`,
//! `decoder.attention.{w_query,w_key,v}.weight`, `decoder.out.*`.
//! A model file is one safetensors file with the configuration and both
//! vocabularies in its metadata, written atomically.
//!
//! Cost per batch of B pairs, source length S, target length T, hidden H,
//! attention size A, target vocabulary V: encoder O(B·S·H·(E+H)); decoder
//! O(B·T·(S·H·A + H·(E+H) + (3H+E)·V)); memory O(B·T·(S·A + V)) for the
//! backward pass (the attention's tanh tensor and the logits).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use candle_core::{DType, Device, Tensor, D};
use candle_nn::{Embedding, Linear, Module, VarBuilder, VarMap};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::attention::{Attention, AttentionConfig, AttentionScore};
use crate::batching::{bucket_batches, pad_batch, PaddedBatch};
use crate::beam_search::{beam_search, BeamConfig, StepDecoder};
use crate::detokenize::detokenize;
use crate::dropout::dropout;
use crate::gru::GruCell;
use crate::lstm::LstmCell;
use crate::model_file::{field, save_model, ModelFile};
use crate::neural_classifier::Tokenization;
use crate::optim::{AdamConfig, OptimizerConfig, Params};
use crate::recurrent::{CellKind, Recurrent, RecurrentConfig};
use crate::rng::Rng;
use crate::schedule::Schedule;
use crate::trainer::{Metrics, TrainReport, TrainTask, Trainer, TrainerConfig};
use crate::vocab::{Vocab, VocabConfig, PAD, UNK};
use crate::{NnError, Result};

/// Begin-of-sentence id (both vocabularies).
pub const BOS: u32 = 2;
/// End-of-sentence id (both vocabularies).
pub const EOS: u32 = 3;

const FORMAT: &str = "journey-seq2seq";
const VERSION: u32 = 1;

/// The network and its inputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Seq2SeqConfig {
    /// `gru` or `lstm`, for the encoder and the decoder.
    pub cell: CellKind,
    pub tokenization: Tokenization,
    pub lowercase: bool,
    /// Words seen fewer times in training become `<unk>`.
    pub min_count: usize,
    pub embedding_dim: usize,
    /// Encoder units per direction, and decoder units.
    pub hidden_size: usize,
    /// Size `A` of the additive attention.
    pub attention_dim: usize,
    pub dropout: f32,
    /// Probability of feeding the reference word at each training step.
    pub teacher_forcing: f32,
}

impl Default for Seq2SeqConfig {
    fn default() -> Self {
        Self {
            cell: CellKind::Gru,
            tokenization: Tokenization::Treebank,
            lowercase: true,
            min_count: 2,
            embedding_dim: 128,
            hidden_size: 256,
            attention_dim: 256,
            dropout: 0.2,
            teacher_forcing: 1.0,
        }
    }
}

/// How training runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Seq2SeqFitConfig {
    pub epochs: u64,
    pub batch_size: usize,
    pub lr: f64,
    pub clip_norm: Option<f64>,
    pub seed: u64,
    pub max_steps: Option<u64>,
    /// Stop training after this many seconds (validation included).
    pub time_limit_s: Option<f64>,
    /// Evaluate on the validation pairs at the end of each epoch.
    pub eval_each_epoch: bool,
    pub runs_dir: PathBuf,
    pub run_name: String,
    pub quiet: bool,
}

impl Default for Seq2SeqFitConfig {
    fn default() -> Self {
        Self {
            epochs: 10,
            batch_size: 64,
            lr: 1e-3,
            clip_norm: Some(1.0),
            seed: 1,
            max_steps: None,
            time_limit_s: None,
            eval_each_epoch: true,
            runs_dir: PathBuf::from("runs"),
            run_name: "seq2seq".into(),
            quiet: false,
        }
    }
}

/// Aligned source and target sentences.
#[derive(Clone, Copy)]
pub struct ParallelText<'a> {
    pub src: &'a [String],
    pub tgt: &'a [String],
}

impl ParallelText<'_> {
    fn check(&self, what: &str) -> Result<()> {
        if self.src.is_empty() {
            return Err(NnError::Empty(format!(
                "the {what} set has no sentence pairs"
            )));
        }
        if self.src.len() != self.tgt.len() {
            return Err(NnError::Shape(format!(
                "the {what} set has {} source and {} target sentences",
                self.src.len(),
                self.tgt.len()
            )));
        }
        Ok(())
    }
}

/// What [`Seq2Seq::fit`] did, besides the trainer's report.
#[derive(Clone, Debug)]
pub struct FitSummary {
    pub report: TrainReport,
    /// Target tokens (EOS included) of all training batches.
    pub train_tokens: usize,
    /// Wall time of the training call.
    pub seconds: f64,
}

/// Decoder state: `h` `[R, H]`, and `c` for the LSTM.
#[derive(Clone, Debug)]
pub struct DecoderState {
    pub h: Tensor,
    pub c: Option<Tensor>,
}

impl DecoderState {
    fn select(&self, rows: &Tensor) -> Result<Self> {
        Ok(Self {
            h: self.h.index_select(rows, 0)?,
            c: self
                .c
                .as_ref()
                .map(|c| c.index_select(rows, 0))
                .transpose()?,
        })
    }
}

/// The encoded source: the memory the decoder attends over and its start
/// state.
#[derive(Clone, Debug)]
pub struct Encoded {
    /// `[B, S, 2H]`, zero at padded positions.
    pub memory: Tensor,
    pub lengths: Vec<usize>,
    pub state: DecoderState,
}

/// One decoder step's results.
#[derive(Clone, Debug)]
pub struct DecoderStep {
    pub state: DecoderState,
    /// `[R, 3H + E]`, the output layer's input `[s_t; c_t; e_t]`.
    pub features: Tensor,
    /// Attention weights `[R, S]` (exactly 0 on padded source positions).
    pub weights: Tensor,
}

enum DecoderCell {
    Gru(GruCell),
    Lstm(LstmCell),
}

/// An attentional encoder–decoder with its vocabularies.
pub struct Seq2Seq {
    pub config: Seq2SeqConfig,
    src_vocab: Vocab,
    tgt_vocab: Vocab,
    varmap: VarMap,
    src_embedding: Embedding,
    encoder: Recurrent,
    bridge: Linear,
    tgt_embedding: Embedding,
    cell: DecoderCell,
    attention: Attention,
    out: Linear,
}

/// A vocabulary with `<pad> <unk> <bos> <eos>` as ids 0..=3.
fn vocab_with_specials(docs: &[Vec<String>], min_count: usize) -> Result<Vocab> {
    let v = Vocab::build(
        docs.iter().map(|d| d.iter().map(String::as_str)),
        &VocabConfig {
            min_count,
            max_size: 0,
        },
    )?;
    let specials = ["<pad>", "<unk>", "<bos>", "<eos>"];
    let tokens = specials
        .iter()
        .map(|s| s.to_string())
        .chain(
            v.tokens()
                .iter()
                .filter(|t| !specials.contains(&t.as_str()))
                .cloned(),
        )
        .collect();
    Ok(Vocab::from_tokens(tokens))
}

impl Seq2Seq {
    /// Splits a sentence into words as the configuration says.
    pub fn tokenize(config: &Seq2SeqConfig, text: &str) -> Vec<String> {
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

    /// A new model over the vocabularies of `train`, with seeded weights.
    pub fn new(config: Seq2SeqConfig, train: ParallelText, seed: u64) -> Result<Self> {
        train.check("training")?;
        let tok = |texts: &[String]| -> Vec<Vec<String>> {
            texts.iter().map(|t| Self::tokenize(&config, t)).collect()
        };
        let src_vocab = vocab_with_specials(&tok(train.src), config.min_count)?;
        let tgt_vocab = vocab_with_specials(&tok(train.tgt), config.min_count)?;
        Self::with_vocabs(config, src_vocab, tgt_vocab, seed)
    }

    /// A new model over given vocabularies (whose ids 0..=3 must be
    /// `<pad> <unk> <bos> <eos>`), with seeded weights.
    pub fn with_vocabs(
        config: Seq2SeqConfig,
        src_vocab: Vocab,
        tgt_vocab: Vocab,
        seed: u64,
    ) -> Result<Self> {
        let model = Self::build(config, src_vocab, tgt_vocab)?;
        model.init_weights(seed)?;
        Ok(model)
    }

    fn build(config: Seq2SeqConfig, src_vocab: Vocab, tgt_vocab: Vocab) -> Result<Self> {
        for (what, v) in [("source", &src_vocab), ("target", &tgt_vocab)] {
            let ok = v.len() > 4
                && ["<pad>", "<unk>", "<bos>", "<eos>"]
                    .iter()
                    .enumerate()
                    .all(|(i, s)| v.token(i as u32) == Some(*s));
            if !ok {
                return Err(NnError::Config(format!(
                    "the {what} vocabulary must start with <pad> <unk> <bos> <eos> and hold at least one word"
                )));
            }
        }
        if !matches!(config.cell, CellKind::Gru | CellKind::Lstm) {
            return Err(NnError::Config(format!(
                "seq2seq cell must be gru or lstm, got {:?}",
                config.cell
            )));
        }
        if config.embedding_dim == 0 || config.hidden_size == 0 || config.attention_dim == 0 {
            return Err(NnError::Config(
                "embedding_dim, hidden_size and attention_dim must be > 0".into(),
            ));
        }
        if !(0.0..1.0).contains(&config.dropout) {
            return Err(NnError::Config(format!(
                "dropout must be in [0, 1), got {}",
                config.dropout
            )));
        }
        if !(0.0..=1.0).contains(&config.teacher_forcing) {
            return Err(NnError::Config(format!(
                "teacher_forcing must be in [0, 1], got {}",
                config.teacher_forcing
            )));
        }
        let (e, h) = (config.embedding_dim, config.hidden_size);
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let enc = vb.pp("encoder");
        let dec = vb.pp("decoder");
        let src_embedding = candle_nn::embedding(src_vocab.len(), e, enc.pp("embedding"))?;
        let encoder = Recurrent::new(
            RecurrentConfig {
                cell: config.cell,
                input_size: e,
                hidden_size: h,
                num_layers: 1,
                bidirectional: true,
                bias: true,
            },
            enc.pp("rnn"),
        )?;
        let bridge = candle_nn::linear(2 * h, h, enc.pp("bridge"))?;
        let tgt_embedding = candle_nn::embedding(tgt_vocab.len(), e, dec.pp("embedding"))?;
        let cell = match config.cell {
            CellKind::Gru => {
                DecoderCell::Gru(GruCell::new(e + 2 * h, h, 0, false, true, dec.pp("cell"))?)
            }
            _ => DecoderCell::Lstm(LstmCell::new(e + 2 * h, h, 0, false, true, dec.pp("cell"))?),
        };
        let attention = Attention::new(
            AttentionConfig {
                score: AttentionScore::Additive,
                query_dim: h,
                key_dim: 2 * h,
                attention_dim: config.attention_dim,
            },
            dec.pp("attention"),
        )?;
        let out = candle_nn::linear(3 * h + e, tgt_vocab.len(), dec.pp("out"))?;
        Ok(Self {
            config,
            src_vocab,
            tgt_vocab,
            varmap,
            src_embedding,
            encoder,
            bridge,
            tgt_embedding,
            cell,
            attention,
            out,
        })
    }

    /// Seeded initial weights, drawn in name order: word vectors N(0, 1)
    /// with a zero `<pad>` row (PyTorch's `nn.Embedding(padding_idx=0)`),
    /// recurrent weights uniform in ±1/√H, other weights and biases uniform
    /// in ±1/√fan_in (PyTorch's defaults).
    fn init_weights(&self, seed: u64) -> Result<()> {
        let mut rng = Rng::seed(seed);
        let h = self.config.hidden_size;
        let vars = self.varmap.data().lock().expect("varmap lock");
        let mut names: Vec<&String> = vars.keys().collect();
        names.sort();
        let fan_in: HashMap<String, usize> = vars
            .iter()
            .filter(|(n, v)| n.ends_with(".weight") && v.dims().len() == 2)
            .map(|(n, v)| (n.trim_end_matches(".weight").to_string(), v.dims()[1]))
            .collect();
        for name in names {
            let var = &vars[name];
            let n = var.elem_count();
            let vals: Vec<f32> = if name.ends_with("embedding.weight") {
                let dim = var.dims()[1];
                (0..n)
                    .map(|i| if i < dim { 0.0 } else { rng.normal() })
                    .collect()
            } else {
                let bound = if name.contains("_ih_l") || name.contains("_hh_l") {
                    1.0 / (h as f32).sqrt()
                } else {
                    let stem = name.trim_end_matches(".weight").trim_end_matches(".bias");
                    1.0 / (*fan_in.get(stem).unwrap_or(&1) as f32).sqrt()
                };
                (0..n)
                    .map(|_| (2.0 * rng.uniform() - 1.0) * bound)
                    .collect()
            };
            var.set(&Tensor::from_vec(vals, var.shape(), &Device::Cpu)?)?;
        }
        Ok(())
    }

    pub fn src_vocab(&self) -> &Vocab {
        &self.src_vocab
    }

    pub fn tgt_vocab(&self) -> &Vocab {
        &self.tgt_vocab
    }

    pub fn varmap(&self) -> &VarMap {
        &self.varmap
    }

    /// Source token ids of a sentence (`<unk>` for an empty one).
    pub fn encode_source(&self, text: &str) -> Vec<u32> {
        let toks = Self::tokenize(&self.config, text);
        let mut ids = self.src_vocab.encode(toks.iter().map(String::as_str));
        if ids.is_empty() {
            ids.push(UNK);
        }
        ids
    }

    /// Target token ids of a sentence (no BOS/EOS).
    pub fn encode_target(&self, text: &str) -> Vec<u32> {
        let toks = Self::tokenize(&self.config, text);
        self.tgt_vocab.encode(toks.iter().map(String::as_str))
    }

    /// Target words of ids (EOS and what follows dropped).
    pub fn decode_target(&self, ids: &[u32]) -> Vec<String> {
        ids.iter()
            .take_while(|&&i| i != EOS)
            .map(|&i| self.tgt_vocab.token(i).unwrap_or("<unk>").to_string())
            .collect()
    }

    /// Runs the encoder over a padded batch of source ids (dropout when
    /// `rng` is given).
    pub fn encode(&self, src: &PaddedBatch, rng: Option<&mut Rng>) -> Result<Encoded> {
        if src.rows() == 0 || src.lengths.contains(&0) {
            return Err(NnError::Empty("a source sentence has no token".into()));
        }
        let dev = Device::Cpu;
        let mut x = self.src_embedding.forward(&src.ids_tensor(&dev)?)?;
        if let Some(r) = rng {
            x = dropout(&x, self.config.dropout, r)?;
        }
        let out = self.encoder.forward(&x, Some(&src.lengths), None)?;
        let h = out.state.h; // [2, B, H]
        let last = Tensor::cat(&[h.get(0)?, h.get(1)?], 1)?;
        let h0 = self.bridge.forward(&last)?.tanh()?;
        let c0 = match self.cell {
            DecoderCell::Lstm(_) => Some(h0.zeros_like()?),
            DecoderCell::Gru(_) => None,
        };
        Ok(Encoded {
            memory: out.output,
            lengths: src.lengths.clone(),
            state: DecoderState { h: h0, c: c0 },
        })
    }

    /// Target word vectors of ids `[R]` → `[R, E]`.
    pub fn embed_target(&self, ids: &Tensor) -> Result<Tensor> {
        Ok(self.tgt_embedding.forward(ids)?)
    }

    /// One decoder step from word vectors `emb` `[R, E]` and `state`, over
    /// `memory` `[R, S, 2H]` with source `lengths`.
    pub fn decoder_step(
        &self,
        emb: &Tensor,
        state: &DecoderState,
        memory: &Tensor,
        lengths: &[usize],
    ) -> Result<DecoderStep> {
        let att = self
            .attention
            .forward(&state.h.unsqueeze(1)?, memory, memory, Some(lengths))?;
        let context = att.context.squeeze(1)?;
        let input = Tensor::cat(&[emb, &context], 1)?;
        let state = match (&self.cell, &state.c) {
            (DecoderCell::Gru(cell), _) => DecoderState {
                h: cell.step(&input, &state.h)?,
                c: None,
            },
            (DecoderCell::Lstm(cell), Some(c)) => {
                let (h, c) = cell.step(&input, &state.h, c)?;
                DecoderState { h, c: Some(c) }
            }
            (DecoderCell::Lstm(_), None) => {
                return Err(NnError::Config(
                    "LSTM decoder state has no cell state".into(),
                ))
            }
        };
        let features = Tensor::cat(&[&state.h, &context, emb], 1)?;
        Ok(DecoderStep {
            state,
            features,
            weights: att.weights.squeeze(1)?,
        })
    }

    /// Logits over the target vocabulary of output-layer inputs `[.., 3H+E]`.
    pub fn logits(&self, features: &Tensor) -> Result<Tensor> {
        Ok(self.out.forward(features)?)
    }

    /// Mean token cross-entropy of the pairs `idx` of `src`/`tgt` ids (padding
    /// ignored). Training (dropout, teacher forcing below 1) when `rng` is given.
    pub fn batch_loss(
        &self,
        src: &[Vec<u32>],
        tgt: &[Vec<u32>],
        idx: &[usize],
        mut rng: Option<&mut Rng>,
    ) -> Result<Tensor> {
        let dev = Device::Cpu;
        let src_b = pad_batch(src, idx, PAD)?;
        let dec_in: Vec<Vec<u32>> = idx
            .iter()
            .map(|&i| std::iter::once(BOS).chain(tgt[i].iter().copied()).collect())
            .collect();
        let dec_out: Vec<Vec<u32>> = idx
            .iter()
            .map(|&i| tgt[i].iter().copied().chain(std::iter::once(EOS)).collect())
            .collect();
        let all: Vec<usize> = (0..idx.len()).collect();
        let dec_in = pad_batch(&dec_in, &all, PAD)?;
        let dec_out = pad_batch(&dec_out, &all, PAD)?;
        let enc = self.encode(&src_b, rng.as_deref_mut())?;
        let mut emb = self.tgt_embedding.forward(&dec_in.ids_tensor(&dev)?)?;
        let p = self.config.dropout;
        if let Some(r) = rng.as_deref_mut() {
            emb = dropout(&emb, p, r)?;
        }
        let tf = self.config.teacher_forcing;
        let mut state = enc.state.clone();
        let mut feats: Vec<Tensor> = Vec::with_capacity(dec_in.max_len);
        for t in 0..dec_in.max_len {
            let own = t > 0
                && tf < 1.0
                && match rng.as_deref_mut() {
                    Some(r) => r.uniform() >= tf,
                    None => false,
                };
            let e = if own {
                let prev = self.logits(&feats[t - 1].detach())?.argmax(D::Minus1)?;
                let e = self.tgt_embedding.forward(&prev)?;
                match rng.as_deref_mut() {
                    Some(r) => dropout(&e, p, r)?,
                    None => e,
                }
            } else {
                emb.narrow(1, t, 1)?.squeeze(1)?
            };
            let step = self.decoder_step(&e, &state, &enc.memory, &enc.lengths)?;
            feats.push(step.features);
            state = step.state;
        }
        let mut f = Tensor::stack(&feats, 1)?;
        if let Some(r) = rng {
            f = dropout(&f, p, r)?;
        }
        let logits = self.logits(&f)?;
        crate::fused::cross_entropy(&logits, &dec_out.ids_tensor(&dev)?, Some(PAD as i64))
    }

    /// Greedy decoding of source id sequences, batched; returns target ids
    /// without EOS (at most `max_len` tokens, EOS included).
    pub fn greedy_ids(&self, src: &[Vec<u32>], max_len: usize) -> Result<Vec<Vec<u32>>> {
        if max_len == 0 {
            return Err(NnError::Config("max_len must be >= 1".into()));
        }
        let dev = Device::Cpu;
        let mut order: Vec<usize> = (0..src.len()).collect();
        order.sort_by_key(|&i| src[i].len());
        let mut out = vec![Vec::new(); src.len()];
        for chunk in order.chunks(128) {
            let b = pad_batch(src, chunk, PAD)?;
            let enc = self.encode(&b, None)?;
            let mut state = enc.state.clone();
            let mut prev = vec![BOS; chunk.len()];
            let mut done = vec![false; chunk.len()];
            for _ in 0..max_len {
                let e = self.embed_target(&Tensor::new(prev.as_slice(), &dev)?)?;
                let step = self.decoder_step(&e, &state, &enc.memory, &enc.lengths)?;
                let logits = self.logits(&step.features)?.to_vec2::<f32>()?;
                state = step.state;
                for (r, row) in logits.iter().enumerate() {
                    let tok = argmax_allowed(row);
                    prev[r] = tok;
                    if !done[r] {
                        if tok == EOS {
                            done[r] = true;
                        } else {
                            out[chunk[r]].push(tok);
                        }
                    }
                }
                if done.iter().all(|&d| d) {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Beam search for one source id sequence: hypotheses best first.
    pub fn beam_ids(
        &self,
        src: &[u32],
        beam: &BeamConfig,
    ) -> Result<Vec<crate::beam_search::Hypothesis>> {
        let b = pad_batch(&[src], &[0], PAD)?;
        let enc = self.encode(&b, None)?;
        let mut dec = SentenceDecoder {
            model: self,
            memory: enc.memory,
            length: src.len(),
            state: enc.state,
        };
        beam_search(&mut dec, beam, BOS, EOS, &[PAD, BOS])
    }

    /// Translates sentences: batched greedy search when `beam.beam_size`
    /// is 1, else beam search per sentence (sentences in parallel).
    pub fn translate(&self, texts: &[String], beam: &BeamConfig) -> Result<Vec<String>> {
        Ok(self
            .translate_tokens(texts, beam)?
            .iter()
            .map(|t| detokenize(t))
            .collect())
    }

    /// Like [`Seq2Seq::translate`], returning the words.
    pub fn translate_tokens(
        &self,
        texts: &[String],
        beam: &BeamConfig,
    ) -> Result<Vec<Vec<String>>> {
        beam.validate()?;
        let src: Vec<Vec<u32>> = texts.iter().map(|t| self.encode_source(t)).collect();
        let ids = if beam.beam_size == 1 {
            self.greedy_ids(&src, beam.max_len)?
        } else {
            src.iter()
                .map(|s| Ok(self.beam_ids(s, beam)?.swap_remove(0).tokens))
                .collect::<Result<Vec<_>>>()?
        };
        Ok(ids.iter().map(|i| self.decode_target(i)).collect())
    }

    /// Corpus BLEU (sacreBLEU's 13a tokenisation, lowercased when the model
    /// lowercases) of the detokenised translations of `data.src` against
    /// `data.tgt`; returns the score and the translations.
    pub fn bleu(
        &self,
        data: ParallelText,
        beam: &BeamConfig,
    ) -> Result<(journey_ml::bleu::BleuScore, Vec<String>)> {
        data.check("evaluation")?;
        let hyps = self.translate(data.src, beam)?;
        let bleu = journey_ml::bleu::Bleu::new(journey_ml::bleu::BleuConfig {
            lowercase: self.config.lowercase,
            ..Default::default()
        })
        .map_err(|e| NnError::Config(e.to_string()))?;
        let score = bleu
            .corpus_score(&hyps, &[data.tgt.to_vec()])
            .map_err(|e| NnError::Config(e.to_string()))?;
        Ok((score, hyps))
    }

    /// Mean token cross-entropy (teacher forced, no dropout) on pairs.
    pub fn evaluate(&self, data: ParallelText) -> Result<Metrics> {
        data.check("evaluation")?;
        let src: Vec<Vec<u32>> = data.src.iter().map(|t| self.encode_source(t)).collect();
        let tgt: Vec<Vec<u32>> = data.tgt.iter().map(|t| self.encode_target(t)).collect();
        evaluate_ids(self, &src, &tgt)
    }

    /// Trains on `train`, evaluating the validation loss on `val` after
    /// each epoch, through [`Trainer`]; the final weights are kept.
    pub fn fit(
        &mut self,
        train: ParallelText,
        val: ParallelText,
        fit: &Seq2SeqFitConfig,
        resume: Option<&Path>,
    ) -> Result<FitSummary> {
        train.check("training")?;
        val.check("validation")?;
        if fit.batch_size == 0 {
            return Err(NnError::Config("batch_size must be >= 1".into()));
        }
        let trainer_config = TrainerConfig {
            run_name: fit.run_name.clone(),
            runs_dir: fit.runs_dir.clone(),
            epochs: fit.epochs,
            max_steps: fit.max_steps,
            time_limit_s: fit.time_limit_s,
            clip_norm: fit.clip_norm,
            schedule: Schedule::Constant { lr: fit.lr },
            log_every: 10,
            eval_every: if fit.eval_each_epoch {
                None
            } else {
                Some(u64::MAX)
            },
            seed: fit.seed,
            quiet: fit.quiet,
            ..Default::default()
        };
        let mut trainer = Trainer::new(trainer_config)?;
        let mut opt = OptimizerConfig::Adam(AdamConfig {
            lr: fit.lr,
            ..Default::default()
        })
        .build(Params::from_varmap(&self.varmap))?;
        let enc = |texts: &[String], f: &dyn Fn(&str) -> Vec<u32>| -> Vec<Vec<u32>> {
            texts.iter().map(|t| f(t)).collect()
        };
        let mut task = Seq2SeqTask {
            train_src: enc(train.src, &|t| self.encode_source(t)),
            train_tgt: enc(train.tgt, &|t| self.encode_target(t)),
            val_src: enc(val.src, &|t| self.encode_source(t)),
            val_tgt: enc(val.tgt, &|t| self.encode_target(t)),
            batch_size: fit.batch_size,
            tokens: 0,
            model: self,
        };
        let t0 = Instant::now();
        let report = trainer.fit(&mut task, opt.as_mut(), resume)?;
        Ok(FitSummary {
            report,
            train_tokens: task.tokens,
            seconds: t0.elapsed().as_secs_f64(),
        })
    }

    /// The model file: weights, and the configuration and both vocabularies
    /// in the metadata. Written atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        save_model(
            path,
            FORMAT,
            VERSION,
            &self.varmap,
            &[
                ("config", field(&self.config)),
                ("src_vocab", field(&self.src_vocab.tokens())),
                ("tgt_vocab", field(&self.tgt_vocab.tokens())),
            ],
        )
    }

    /// Reads a model file written by [`Seq2Seq::save`].
    pub fn load(path: &Path) -> Result<Self> {
        let file = ModelFile::open(path, FORMAT, VERSION)?;
        let config: Seq2SeqConfig = file.field("config")?;
        let src: Vec<String> = file.field("src_vocab")?;
        let tgt: Vec<String> = file.field("tgt_vocab")?;
        let model = Self::build(config, Vocab::from_tokens(src), Vocab::from_tokens(tgt))
            .map_err(|e| file.error(e.to_string()))?;
        file.restore(&model.varmap)?;
        Ok(model)
    }
}

/// The best token of a row of logits, never `<pad>` or `<bos>`; ties go
/// to the lowest id (as beam search breaks them).
fn argmax_allowed(row: &[f32]) -> u32 {
    let mut best = (UNK, f32::NEG_INFINITY);
    for (i, &v) in row.iter().enumerate() {
        let i = i as u32;
        if i != PAD && i != BOS && v > best.1 {
            best = (i, v);
        }
    }
    best.0
}

/// Beam search's view of the model for one source sentence.
struct SentenceDecoder<'a> {
    model: &'a Seq2Seq,
    /// `[1, S, 2H]`
    memory: Tensor,
    length: usize,
    state: DecoderState,
}

impl StepDecoder for SentenceDecoder<'_> {
    fn step(&mut self, last: &[u32]) -> Result<Vec<Vec<f32>>> {
        let rows = last.len();
        let (_, s, d) = self.memory.dims3()?;
        let memory = self.memory.broadcast_as((rows, s, d))?;
        let e = self.model.embed_target(&Tensor::new(last, &Device::Cpu)?)?;
        let step = self
            .model
            .decoder_step(&e, &self.state, &memory, &vec![self.length; rows])?;
        self.state = step.state;
        let logits = self.model.logits(&step.features)?;
        Ok(candle_nn::ops::log_softmax(&logits, D::Minus1)?.to_vec2::<f32>()?)
    }

    fn reorder(&mut self, rows: &[usize]) -> Result<()> {
        let idx: Vec<u32> = rows.iter().map(|&r| r as u32).collect();
        self.state = self
            .state
            .select(&Tensor::new(idx.as_slice(), &Device::Cpu)?)?;
        Ok(())
    }
}

fn evaluate_ids(model: &Seq2Seq, src: &[Vec<u32>], tgt: &[Vec<u32>]) -> Result<Metrics> {
    let mut order: Vec<usize> = (0..src.len()).collect();
    order.sort_by_key(|&i| src[i].len());
    let (mut loss, mut tokens) = (0f64, 0usize);
    for chunk in order.chunks(128) {
        let n: usize = chunk.iter().map(|&i| tgt[i].len() + 1).sum();
        let l = model
            .batch_loss(src, tgt, chunk, None)?
            .to_scalar::<f32>()? as f64;
        loss += l * n as f64;
        tokens += n;
    }
    let loss = loss / tokens as f64;
    Ok(Metrics::from([
        ("loss".to_string(), loss),
        ("perplexity".to_string(), loss.exp()),
    ]))
}

struct Seq2SeqTask<'m> {
    model: &'m Seq2Seq,
    train_src: Vec<Vec<u32>>,
    train_tgt: Vec<Vec<u32>>,
    val_src: Vec<Vec<u32>>,
    val_tgt: Vec<Vec<u32>>,
    batch_size: usize,
    tokens: usize,
}

impl TrainTask for Seq2SeqTask<'_> {
    type Batch = Vec<usize>;

    fn config(&self) -> Value {
        json!({
            "model": self.model.config,
            "src_vocab_size": self.model.src_vocab.len(),
            "tgt_vocab_size": self.model.tgt_vocab.len(),
            "batch_size": self.batch_size,
        })
    }

    fn varmap(&self) -> &VarMap {
        &self.model.varmap
    }

    fn epoch_batches(&mut self, _epoch: u64, rng: &mut Rng) -> Result<Vec<Vec<usize>>> {
        let lengths: Vec<usize> = self.train_src.iter().map(Vec::len).collect();
        bucket_batches(&lengths, self.batch_size, 50, rng)
    }

    fn train_batch_loss(&mut self, batch: &Vec<usize>, rng: &mut Rng) -> Result<Tensor> {
        self.tokens += self.batch_tokens(batch);
        self.model
            .batch_loss(&self.train_src, &self.train_tgt, batch, Some(rng))
    }

    fn batch_tokens(&self, batch: &Vec<usize>) -> usize {
        batch.iter().map(|&i| self.train_tgt[i].len() + 1).sum()
    }

    fn evaluate(&mut self) -> Result<Metrics> {
        evaluate_ids(self.model, &self.val_src, &self.val_tgt)
    }
}
