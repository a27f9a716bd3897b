//! Errors of `journey-ml`. Each names what was wrong and, where it helps, the
//! file and line, so the binary can print it as it is.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum MlError {
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
    #[error("the model has not been fitted: call fit first")]
    NotFitted,
    #[error("{0}")]
    Invalid(String),
    #[error("unknown label {label:?}{at}: the model was trained on {known}")]
    UnknownLabel {
        label: String,
        /// Where the label came from (" at FILE:LINE"), or empty.
        at: String,
        known: String,
    },
    #[error("{path}: {message}")]
    ModelFile { path: PathBuf, message: String },
    #[error(transparent)]
    Data(#[from] journey_data::DataError),
    #[error(transparent)]
    Text(#[from] journey_text::TextError),
}

impl MlError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        MlError::Io {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn parse(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        MlError::Parse {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

/// Writes through a temporary file and a rename (never a half-written file).
pub(crate) fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<(), MlError> {
    Ok(journey_data::registry::write_atomic(path, bytes)?)
}
