//! Errors of `journey-llm`. Each names what was wrong (the file, the tensor,
//! the setting) so the binary can print it as it is.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid setting: {0}")]
    Config(String),
    #[error("shape mismatch: {0}")]
    Shape(String),
    #[error("{path}: {message}")]
    Model { path: PathBuf, message: String },
    #[error("empty input: {0}")]
    Empty(String),
    #[error(transparent)]
    Candle(#[from] candle_core::Error),
    #[error(transparent)]
    Nn(#[from] journey_nn::NnError),
    #[error(transparent)]
    Text(#[from] journey_text::TextError),
}

pub type Result<T> = std::result::Result<T, LlmError>;
