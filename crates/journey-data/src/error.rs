//! Errors of the data layer; each names the file, line or data set at fault
//! and, where it can, what to do about it.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: invalid UTF-8")]
    InvalidUtf8 { path: PathBuf, line: usize },
    #[error("{path} is empty")]
    Empty { path: PathBuf },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("unknown data set '{name}'{suggestion}; `journey data list` shows them all")]
    UnknownDataset { name: String, suggestion: String },
    #[error("data set '{name}' ({path}) was not found. Tried:\n{tried}\nTo provide it: {how}")]
    NotFound {
        name: String,
        path: String,
        tried: String,
        how: String,
    },
    #[error("{path}: sha256 is {actual}, expected {expected} (corrupt or a different version)")]
    Checksum {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    #[error("download of {url} failed: {message}")]
    Download { url: String, message: String },
    #[error("package-registry fallback failed: {0}")]
    Registry(String),
    #[error("malformed catalog: {0}")]
    Catalog(String),
}

impl DataError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DataError::Io {
            path: path.into(),
            source,
        }
    }
}
