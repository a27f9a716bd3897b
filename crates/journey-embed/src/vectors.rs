//! # Embeddings: a vocabulary and its vectors
//!
//! The store every other module works on: words in the order of the file
//! (for trained and published vectors, most frequent first), a row-major
//! `f32` matrix with one row per word, and a hash map from word to row, as
//! gensim's `KeyedVectors` keeps `index_to_key`, `vectors` and
//! `key_to_index`. Unit-length rows are computed on demand for cosine work.
//!
//! Cost: `n·d` floats for the matrix plus the words and one map entry each;
//! lookup is O(1) expected, normalisation O(n·d) time and a second matrix.

use crate::EmbedError;
use rustc_hash::FxHashMap;

/// Words and their vectors, row-major.
#[derive(Debug, Clone)]
pub struct Embeddings {
    words: Vec<String>,
    dim: usize,
    data: Vec<f32>,
    index: FxHashMap<String, usize>,
}

impl Embeddings {
    /// Builds the store; `data` holds `words.len() · dim` floats, row `i`
    /// being the vector of `words[i]`. A repeated word keeps its first row
    /// in the map (as gensim's readers do for duplicate keys, the later row
    /// stays reachable only by index).
    pub fn new(words: Vec<String>, dim: usize, data: Vec<f32>) -> Result<Self, EmbedError> {
        if dim == 0 {
            return Err(EmbedError::Config(
                "vector dimension must be at least 1".into(),
            ));
        }
        if data.len() != words.len() * dim {
            return Err(EmbedError::Invalid(format!(
                "{} words of dimension {dim} need {} floats, got {}",
                words.len(),
                words.len() * dim,
                data.len()
            )));
        }
        let mut index = FxHashMap::default();
        index.reserve(words.len());
        for (i, w) in words.iter().enumerate() {
            index.entry(w.clone()).or_insert(i);
        }
        Ok(Embeddings {
            words,
            dim,
            data,
            index,
        })
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Vector dimension.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The words, in row order.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The whole matrix, row-major.
    pub fn data(&self) -> &[f32] {
        &self.data
    }

    /// Row of `word`, if known.
    pub fn index_of(&self, word: &str) -> Option<usize> {
        self.index.get(word).copied()
    }

    /// Vector of row `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }

    /// Vector of `word`, if known.
    pub fn get(&self, word: &str) -> Option<&[f32]> {
        self.index_of(word).map(|i| self.row(i))
    }

    /// Euclidean norm of every row, summed in `f64`.
    pub fn norms(&self) -> Vec<f32> {
        self.data
            .chunks_exact(self.dim)
            .map(|r| {
                r.iter()
                    .map(|&x| f64::from(x) * f64::from(x))
                    .sum::<f64>()
                    .sqrt() as f32
            })
            .collect()
    }

    /// The matrix with every row scaled to unit length (zero rows stay zero).
    pub fn normalized(&self) -> Vec<f32> {
        let norms = self.norms();
        let mut out = self.data.clone();
        for (row, &n) in out.chunks_exact_mut(self.dim).zip(&norms) {
            if n > 0.0 {
                for x in row {
                    *x /= n;
                }
            }
        }
        out
    }

    /// The first `n` words only (the `restrict_vocab` of gensim).
    pub fn truncated(&self, n: usize) -> Embeddings {
        let n = n.min(self.len());
        Embeddings::new(
            self.words[..n].to_vec(),
            self.dim,
            self.data[..n * self.dim].to_vec(),
        )
        .expect("a prefix of a valid store is valid")
    }
}
