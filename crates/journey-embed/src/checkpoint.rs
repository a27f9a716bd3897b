//! Training checkpoints: the weight matrices of an unfinished model and what
//! is needed to go on from the next epoch, in one safetensors file (the
//! Hugging Face tensor format: a JSON header, then raw little-endian data).
//!
//! The header's `__metadata__` holds `journey` = a JSON [`CheckpointMeta`]:
//! the training settings, the epochs done, and a fingerprint of the
//! vocabulary, so that a checkpoint is only resumed on the corpus and the
//! settings it was made with. Files are written to a temporary name and
//! renamed, so an interrupted run never leaves a half-written checkpoint.
//!
//! Cost: one pass over the matrices to write or read; the file is
//! 4 bytes × (rows × dim) per matrix.

use std::collections::HashMap;
use std::path::Path;

use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use serde::{Deserialize, Serialize};

use crate::error::{write_atomic, EmbedError};

/// What a checkpoint says about the run that wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckpointMeta {
    /// `word2vec`, …
    pub algorithm: String,
    /// The training settings, as the algorithm serialises them.
    pub config: serde_json::Value,
    /// Epochs completed.
    pub epochs_done: usize,
    /// Vocabulary size and FNV-1a fingerprint of its words and counts.
    pub vocab_size: usize,
    pub vocab_fingerprint: u64,
}

/// A checkpoint in memory: metadata and named row-major f32 matrices.
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    pub meta: CheckpointMeta,
    /// (name, rows, cols, data)
    pub tensors: Vec<(String, usize, usize, Vec<f32>)>,
}

/// FNV-1a over the words and counts, in vocabulary order.
pub fn vocab_fingerprint<'a>(words: impl IntoIterator<Item = (&'a str, u64)>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: &[u8]| {
        for &x in b {
            h ^= x as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for (w, c) in words {
        eat(w.as_bytes());
        eat(&[0xff]);
        eat(&c.to_le_bytes());
    }
    h
}

impl Checkpoint {
    /// Writes the checkpoint (temporary file, then rename).
    pub fn save(&self, path: &Path) -> Result<(), EmbedError> {
        let bytes: Vec<Vec<u8>> = self
            .tensors
            .iter()
            .map(|(_, _, _, d)| d.iter().flat_map(|x| x.to_le_bytes()).collect())
            .collect();
        let mut views = Vec::new();
        for ((name, rows, cols, _), b) in self.tensors.iter().zip(&bytes) {
            let view = TensorView::new(Dtype::F32, vec![*rows, *cols], b)
                .map_err(|e| EmbedError::Invalid(format!("checkpoint tensor {name}: {e}")))?;
            views.push((name.clone(), view));
        }
        let meta = serde_json::to_string(&self.meta)
            .map_err(|e| EmbedError::Invalid(format!("checkpoint metadata: {e}")))?;
        let info: HashMap<String, String> = [("journey".to_string(), meta)].into();
        let data = safetensors::serialize(views, &Some(info))
            .map_err(|e| EmbedError::Invalid(format!("{}: {e}", path.display())))?;
        write_atomic(path, &data)
    }

    /// Reads a checkpoint written by [`Checkpoint::save`]; a truncated or
    /// foreign file gets an error naming it.
    pub fn load(path: &Path) -> Result<Checkpoint, EmbedError> {
        let data = std::fs::read(path).map_err(|e| EmbedError::io(path, e))?;
        let bad = |m: String| EmbedError::Invalid(format!("{}: {m}", path.display()));
        let (_, header) = SafeTensors::read_metadata(&data)
            .map_err(|e| bad(format!("not a safetensors checkpoint ({e})")))?;
        let meta = header
            .metadata()
            .as_ref()
            .and_then(|m| m.get("journey"))
            .ok_or_else(|| bad("no journey checkpoint metadata".into()))?;
        let meta: CheckpointMeta =
            serde_json::from_str(meta).map_err(|e| bad(format!("checkpoint metadata: {e}")))?;
        let st = SafeTensors::deserialize(&data)
            .map_err(|e| bad(format!("not a safetensors checkpoint ({e})")))?;
        let mut names: Vec<String> = st.names().into_iter().cloned().collect();
        names.sort();
        let mut tensors = Vec::new();
        for name in names {
            let t = st.tensor(&name).map_err(|e| bad(format!("{name}: {e}")))?;
            let shape = t.shape();
            if t.dtype() != Dtype::F32 || shape.len() != 2 {
                return Err(bad(format!(
                    "{name}: expected a 2-D f32 matrix, found {:?} {:?}",
                    t.dtype(),
                    shape
                )));
            }
            let values = t
                .data()
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            tensors.push((name, shape[0], shape[1], values));
        }
        Ok(Checkpoint { meta, tensors })
    }

    /// The matrix called `name`, checked to be `rows × cols`.
    pub fn tensor(&self, name: &str, rows: usize, cols: usize) -> Result<&[f32], EmbedError> {
        let (_, r, c, d) = self
            .tensors
            .iter()
            .find(|t| t.0 == name)
            .ok_or_else(|| EmbedError::Invalid(format!("checkpoint has no {name} matrix")))?;
        if (*r, *c) != (rows, cols) {
            return Err(EmbedError::Invalid(format!(
                "checkpoint {name} is {r} × {c}, the model needs {rows} × {cols}"
            )));
        }
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.safetensors");
        let ck = Checkpoint {
            meta: CheckpointMeta {
                algorithm: "word2vec".into(),
                config: serde_json::json!({ "dim": 2 }),
                epochs_done: 1,
                vocab_size: 3,
                vocab_fingerprint: vocab_fingerprint([("a", 2), ("b", 1)]),
            },
            tensors: vec![
                ("syn0".into(), 3, 2, vec![0.5, -1.0, 2.0, 0.0, 1e-3, 7.0]),
                ("syn1neg".into(), 3, 2, vec![0.0; 6]),
            ],
        };
        ck.save(&path).unwrap();
        let back = Checkpoint::load(&path).unwrap();
        assert_eq!(back, ck);
        assert!(back.tensor("syn0", 2, 3).is_err());
        assert!(back.tensor("syn1", 3, 2).is_err());
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 5]).unwrap();
        let e = Checkpoint::load(&path).unwrap_err().to_string();
        assert!(e.contains("c.safetensors"), "{e}");
        assert_ne!(
            vocab_fingerprint([("a", 2), ("b", 1)]),
            vocab_fingerprint([("a", 1), ("b", 2)])
        );
    }
}
