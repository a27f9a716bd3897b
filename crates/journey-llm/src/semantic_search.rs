//! Semantic search: sentences ranked by the cosine similarity of their
//! embeddings to a query's (exact search, a dot product per sentence, since
//! the embeddings are unit vectors; `sentence_transformers.util.
//! semantic_search` does the same). A [`SentenceIndex`] keeps the sentences
//! with their embeddings in one safetensors file (`vectors` `[N, D]`, the
//! sentences and the model in the metadata), so a corpus is embedded once.
//!
//! Cost: O(N·D) per query; O(N·D) memory.

use std::collections::BTreeMap;
use std::path::Path;

use candle_core::{Device, Tensor};
use journey_nn::checkpoint::write_atomic;
use journey_nn::model_file::{serialize_sorted, ModelFile};
use serde::Serialize;

use crate::{LlmError, Result};

const FORMAT: &str = "journey-sentence-index";
const VERSION: u32 = 1;

/// One result: the sentence's position in the index and its similarity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hit {
    pub index: usize,
    pub score: f32,
}

/// Cosine similarity of two vectors (0 when one is all zeros).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| *x as f64 * *y as f64).sum();
    let na: f64 = a.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        (dot / (na * nb)) as f32
    }
}

/// The `k` vectors most cosine-similar to `query`, best first (ties: lower
/// index first).
pub fn top_k(vectors: &[Vec<f32>], query: &[f32], k: usize) -> Vec<Hit> {
    let mut hits: Vec<Hit> = vectors
        .iter()
        .enumerate()
        .map(|(index, v)| Hit {
            index,
            score: cosine(v, query),
        })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    hits.truncate(k);
    hits
}

/// Sentences and their embeddings.
#[derive(Clone, Debug, PartialEq)]
pub struct SentenceIndex {
    pub model: String,
    pub sentences: Vec<String>,
    pub vectors: Vec<Vec<f32>>,
}

impl SentenceIndex {
    pub fn search(&self, query: &[f32], k: usize) -> Vec<Hit> {
        top_k(&self.vectors, query, k)
    }

    /// Writes the index atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        let dim = self.vectors.first().map_or(0, Vec::len);
        if self.vectors.is_empty() || self.vectors.iter().any(|v| v.len() != dim) {
            return Err(LlmError::Empty(
                "an index needs at least one sentence, all vectors of one width".into(),
            ));
        }
        let flat: Vec<f32> = self.vectors.concat();
        let mut tensors = BTreeMap::new();
        tensors.insert(
            "vectors".to_string(),
            Tensor::from_vec(flat, (self.vectors.len(), dim), &Device::Cpu)?,
        );
        let mut meta = BTreeMap::new();
        meta.insert("format".into(), FORMAT.into());
        meta.insert("version".into(), VERSION.to_string());
        meta.insert(
            "model".into(),
            serde_json::to_string(&self.model).expect("strings serialise"),
        );
        meta.insert(
            "sentences".into(),
            serde_json::to_string(&self.sentences).expect("strings serialise"),
        );
        Ok(write_atomic(path, &serialize_sorted(&tensors, meta)?)?)
    }

    /// Reads a file written by [`SentenceIndex::save`].
    pub fn load(path: &Path) -> Result<Self> {
        let file = ModelFile::open(path, FORMAT, VERSION)?;
        let sentences: Vec<String> = file.field("sentences")?;
        let vectors: Vec<Vec<f32>> = file
            .tensor("vectors")?
            .to_vec2()
            .map_err(|e| file.error(format!("vectors must be [N, D] f32: {e}")))?;
        if vectors.len() != sentences.len() {
            return Err(file
                .error(format!(
                    "{} vectors for {} sentences",
                    vectors.len(),
                    sentences.len()
                ))
                .into());
        }
        Ok(Self {
            model: file.field("model")?,
            sentences,
            vectors,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_by_cosine_and_round_trips() {
        let idx = SentenceIndex {
            model: "m".into(),
            sentences: vec!["a".into(), "b".into(), "c".into()],
            vectors: vec![vec![1.0, 0.0], vec![0.6, 0.8], vec![-1.0, 0.0]],
        };
        let hits = idx.search(&[2.0, 0.0], 2);
        assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), vec![0, 1]);
        assert!((hits[1].score - 0.6).abs() < 1e-6);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("i.safetensors");
        idx.save(&p).unwrap();
        assert_eq!(SentenceIndex::load(&p).unwrap(), idx);
        std::fs::write(&p, b"junk").unwrap();
        assert!(SentenceIndex::load(&p).is_err());
    }
}
