//! Sentence embeddings as Sentence-BERT computes them (Reimers & Gurevych,
//! "Sentence-BERT", EMNLP 2019): a BERT encoder, then the mean of the token
//! vectors over the real tokens (padding excluded), then L2 normalisation —
//! so the dot product of two embeddings is their cosine similarity.
//!
//! [`SentenceEmbedder::load`] reads a `sentence-transformers` model folder
//! (all-MiniLM-L6-v2 from `shared/bin/fetch-models minilm`): `config.json`
//! and `model.safetensors` for [`Bert`], `tokenizer.json` for our
//! WordPiece tokenizer (`journey-text`), `sentence_bert_config.json` for the
//! maximum sequence length (longer inputs are truncated, as the reference
//! does), `modules.json` and `1_Pooling/config.json` to check that the
//! pipeline is mean pooling (+ Normalize). Anything else is refused by name.
//!
//! Batches are formed from inputs of similar length (sorted by token
//! count), which only saves padding: each sentence's embedding does not
//! depend on its batch.
//!
//! Cost: O(T·L·12·D² + T²·L·D) per sentence of T tokens.

use std::path::Path;

use candle_core::{DType, Device, Tensor, D};
use journey_text::wordpiece::{Direction, Truncation, TruncationStrategy, WordPieceTokenizer};
use serde_json::Value;

use crate::bert::Bert;
use crate::{LlmError, Result};

pub struct SentenceEmbedder {
    bert: Bert,
    tokenizer: WordPieceTokenizer,
    max_seq_length: usize,
    normalize: bool,
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| LlmError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    serde_json::from_str(&text).map_err(|e| LlmError::Model {
        path: path.to_path_buf(),
        message: format!("not JSON: {e}"),
    })
}

impl SentenceEmbedder {
    /// Loads a sentence-transformers folder (see the module docs).
    pub fn load(dir: &Path) -> Result<Self> {
        if !dir.is_dir() {
            return Err(LlmError::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "not a model folder (run shared/bin/fetch-models minilm)",
                ),
            });
        }
        let bad = |p: &Path, m: String| LlmError::Model {
            path: p.to_path_buf(),
            message: m,
        };
        let modules_path = dir.join("modules.json");
        let mut normalize = false;
        if modules_path.exists() {
            let modules = read_json(&modules_path)?;
            for m in modules
                .as_array()
                .ok_or_else(|| bad(&modules_path, "expected a list".into()))?
            {
                let kind = m["type"].as_str().unwrap_or_default();
                match kind.rsplit('.').next().unwrap_or_default() {
                    "Transformer" | "Pooling" => {}
                    "Normalize" => normalize = true,
                    other => {
                        return Err(bad(
                            &modules_path,
                            format!(
                            "module {other:?} is not supported (Transformer, Pooling, Normalize)"
                        ),
                        ))
                    }
                }
            }
        }
        let pooling_path = dir.join("1_Pooling/config.json");
        if pooling_path.exists() {
            let p = read_json(&pooling_path)?;
            let mean = p["pooling_mode_mean_tokens"].as_bool() == Some(true);
            let others = [
                "pooling_mode_cls_token",
                "pooling_mode_max_tokens",
                "pooling_mode_mean_sqrt_len_tokens",
            ]
            .iter()
            .any(|k| p[*k].as_bool() == Some(true));
            if !mean || others {
                return Err(bad(&pooling_path, "only mean pooling is supported".into()));
            }
        }
        let sbert_path = dir.join("sentence_bert_config.json");
        let bert = Bert::load(dir)?;
        let max_seq_length = if sbert_path.exists() {
            read_json(&sbert_path)?["max_seq_length"]
                .as_u64()
                .ok_or_else(|| bad(&sbert_path, "no max_seq_length".into()))? as usize
        } else {
            bert.config().max_position_embeddings
        }
        .min(bert.config().max_position_embeddings);
        let mut tokenizer = WordPieceTokenizer::from_tokenizer_json(&dir.join("tokenizer.json"))?;
        tokenizer.truncation = Some(Truncation {
            max_length: max_seq_length,
            strategy: TruncationStrategy::LongestFirst,
            stride: 0,
            direction: Direction::Right,
        });
        tokenizer.padding = None;
        Ok(Self {
            bert,
            tokenizer,
            max_seq_length,
            normalize,
        })
    }

    pub fn dim(&self) -> usize {
        self.bert.config().hidden_size
    }

    pub fn max_seq_length(&self) -> usize {
        self.max_seq_length
    }

    pub fn bert(&self) -> &Bert {
        &self.bert
    }

    pub fn tokenizer(&self) -> &WordPieceTokenizer {
        &self.tokenizer
    }

    /// One embedding per sentence, in input order.
    pub fn embed<S: AsRef<str> + Sync>(
        &self,
        sentences: &[S],
        batch_size: usize,
    ) -> Result<Vec<Vec<f32>>> {
        let encodings = self.tokenizer.encode_batch(sentences);
        let mut order: Vec<usize> = (0..encodings.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(encodings[i].len()));
        let mut out = vec![Vec::new(); encodings.len()];
        for chunk in order.chunks(batch_size.max(1)) {
            let t = chunk.iter().map(|&i| encodings[i].len()).max().unwrap_or(0);
            let b = chunk.len();
            let mut ids = vec![0u32; b * t];
            let mut types = vec![0u32; b * t];
            let mut mask = vec![0f32; b * t];
            for (r, &i) in chunk.iter().enumerate() {
                let e = &encodings[i];
                ids[r * t..r * t + e.len()].copy_from_slice(&e.ids);
                types[r * t..r * t + e.len()].copy_from_slice(&e.type_ids);
                mask[r * t..r * t + e.len()].fill(1.0);
            }
            let dev = &Device::Cpu;
            let ids = Tensor::from_vec(ids, (b, t), dev)?;
            let types = Tensor::from_vec(types, (b, t), dev)?;
            let mask = Tensor::from_vec(mask, (b, t), dev)?;
            let h = self
                .bert
                .forward(&ids, Some(&types), Some(&mask), false)?
                .hidden;
            let pooled = mean_pool(&h, &mask)?;
            let pooled = if self.normalize {
                l2_normalize(&pooled)?
            } else {
                pooled
            };
            for (r, v) in pooled.to_vec2::<f32>()?.into_iter().enumerate() {
                out[chunk[r]] = v;
            }
        }
        Ok(out)
    }
}

/// Mean of `h` `[B, T, D]` over the positions where `mask` `[B, T]` is 1.
pub fn mean_pool(h: &Tensor, mask: &Tensor) -> Result<Tensor> {
    let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let sum = h.broadcast_mul(&m)?.sum(1)?;
    // sentence-transformers clamps the count at 1e-9
    let count = m.sum(1)?.clamp(1e-9, f64::MAX)?;
    Ok(sum.broadcast_div(&count)?)
}

/// Rows scaled to unit L2 norm (norms clamped at 1e-12, as
/// `torch.nn.functional.normalize`).
pub fn l2_normalize(x: &Tensor) -> Result<Tensor> {
    let n = x
        .sqr()?
        .sum_keepdim(D::Minus1)?
        .sqrt()?
        .clamp(1e-12, f64::MAX)?;
    Ok(x.broadcast_div(&n)?)
}
