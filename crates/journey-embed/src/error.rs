//! Errors of `journey-embed`: each names the file, the line or the setting
//! that was wrong, so the binary can print it as it is.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
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
    #[error("empty input: {0}")]
    Empty(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Data(#[from] journey_data::DataError),
}

impl EmbedError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        EmbedError::Io {
            path: path.into(),
            source,
        }
    }

    pub fn parse(path: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        EmbedError::Parse {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

/// Writes through a temporary file and a rename (never a half-written file).
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<(), EmbedError> {
    Ok(journey_data::registry::write_atomic(path, bytes)?)
}
