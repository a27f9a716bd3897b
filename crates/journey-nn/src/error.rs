//! Errors of `journey-nn`. Each names what was wrong (the file, the tensor,
//! the setting) so the binary can print it as it is.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum NnError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("invalid setting: {0}")]
    Config(String),
    #[error("shape mismatch: {0}")]
    Shape(String),
    #[error("empty input: {0}")]
    Empty(String),
    #[error("{path}: {message}")]
    Checkpoint { path: PathBuf, message: String },
    #[error(transparent)]
    Candle(#[from] candle_core::Error),
    #[error(transparent)]
    Data(#[from] journey_data::DataError),
}

pub type Result<T> = std::result::Result<T, NnError>;
