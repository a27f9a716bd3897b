//! Model files: JSON with a `format` name and a `version` number at the top,
//! written atomically (a temporary file, then a rename), so a crash never
//! leaves half a model behind.
//!
//! Loading checks the header first, so a file of another kind or a newer
//! version gets a message saying so; a truncated or malformed file gets one
//! naming the file and the line and column where the JSON broke. Cost: one
//! serialisation, O(model size) time and memory.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::MlError;

/// The two fields every model file starts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
}

#[derive(Serialize)]
struct Wrapped<'a, T: Serialize> {
    format: &'a str,
    version: u32,
    content: &'a T,
}

#[derive(Deserialize)]
struct Unwrapped<T> {
    content: T,
}

/// Writes `{"format", "version", "content": body}`. JSON has no infinities:
/// the caller makes sure `body` holds finite numbers only.
pub fn save<T: Serialize>(
    path: &Path,
    format: &str,
    version: u32,
    body: &T,
) -> Result<(), MlError> {
    let wrapped = Wrapped {
        format,
        version,
        content: body,
    };
    let json = serde_json::to_vec(&wrapped).map_err(|e| MlError::ModelFile {
        path: path.to_path_buf(),
        message: format!("cannot serialise the model: {e}"),
    })?;
    crate::error::write_atomic(path, &json)
}

/// Reads a file written by [`save`] with the same `format` and a version no
/// newer than `max_version`.
pub fn load<T: DeserializeOwned>(
    path: &Path,
    format: &str,
    max_version: u32,
) -> Result<T, MlError> {
    let bytes = std::fs::read(path).map_err(|e| MlError::io(path, e))?;
    let err = |message: String| MlError::ModelFile {
        path: path.to_path_buf(),
        message,
    };
    let header: Header = serde_json::from_slice(&bytes).map_err(|e| {
        err(format!(
            "not a readable {format} model file ({}); it may be truncated or not a model at all",
            describe(&e)
        ))
    })?;
    if header.format != format {
        return Err(err(format!(
            "is a '{}' file, not a '{format}' model",
            header.format
        )));
    }
    if header.version > max_version {
        return Err(err(format!(
            "model format version {} is newer than this program reads ({max_version}); upgrade journey",
            header.version
        )));
    }
    let body: Unwrapped<T> = serde_json::from_slice(&bytes)
        .map_err(|e| err(format!("malformed {format} model ({})", describe(&e))))?;
    Ok(body.content)
}

fn describe(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => format!(
            "the JSON ends early at line {} column {}",
            e.line(),
            e.column()
        ),
        Category::Syntax => format!("JSON syntax error: {e}"),
        Category::Data => format!("unexpected content: {e}"),
        Category::Io => format!("read error: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct M {
        w: Vec<f64>,
    }

    #[test]
    fn round_trip_and_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.json");
        let m = M {
            w: vec![0.1, -2.5e-300],
        };
        save(&p, "toy", 1, &m).unwrap();
        assert_eq!(load::<M>(&p, "toy", 1).unwrap(), m);
        let e = load::<M>(&p, "other", 1).unwrap_err().to_string();
        assert!(e.contains("is a 'toy' file"), "{e}");
        let e = load::<M>(&p, "toy", 0).unwrap_err().to_string();
        assert!(e.contains("newer"), "{e}");
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, &text[..text.len() - 5]).unwrap();
        let e = load::<M>(&p, "toy", 1).unwrap_err().to_string();
        assert!(e.contains("m.json") && e.contains("ends early"), "{e}");
        std::fs::write(&p, r#"{"format":"toy","version":1,"content":{"w":"x"}}"#).unwrap();
        let e = load::<M>(&p, "toy", 1).unwrap_err().to_string();
        assert!(e.contains("malformed toy model"), "{e}");
    }
}
