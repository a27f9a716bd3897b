//! Downloading a file into the cache, checked against its sha256.
//!
//! The body is streamed into a temporary file beside the destination and
//! renamed into place only when the checksum matches, so an interrupted or
//! corrupt download never leaves a half-written file where a reader looks.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::digest::hex;
use crate::DataError;

pub fn fetch_verified(url: &str, dest: &Path, sha256: &str) -> Result<(), DataError> {
    let dir = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|source| DataError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let fail = |message: String| DataError::Download {
        url: url.to_string(),
        message,
    };
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(15))
        .timeout_read(Duration::from_secs(60))
        .build();
    tracing::info!("downloading {url}");
    let response = agent.get(url).call().map_err(|e| fail(e.to_string()))?;
    let mut reader = response.into_reader();
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|source| DataError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf).map_err(|e| fail(e.to_string()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        tmp.write_all(&buf[..n])
            .map_err(|source| DataError::Write {
                path: tmp.path().to_path_buf(),
                source,
            })?;
    }
    let actual = hex(&hasher.finalize());
    if actual != sha256 {
        return Err(DataError::Checksum {
            path: dest.to_path_buf(),
            expected: sha256.to_string(),
            actual,
        });
    }
    let file = tmp.persist(dest).map_err(|e| DataError::Write {
        path: dest.to_path_buf(),
        source: e.error,
    })?;
    crate::registry::readable(&file);
    Ok(())
}
