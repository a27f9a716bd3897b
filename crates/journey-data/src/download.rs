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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;

    /// Serves `body` to `n` requests on a loopback port; returns the URL.
    fn serve(body: &'static [u8], n: usize) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/data.txt", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming().take(n) {
                let mut stream = stream.unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).unwrap() > 2 {
                    line.clear();
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                stream.write_all(head.as_bytes()).unwrap();
                stream.write_all(body).unwrap();
            }
        });
        url
    }

    #[test]
    fn verified_download_is_renamed_into_place() {
        let url = serve(b"hello\n", 2);
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/data.txt");
        let sum = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
        fetch_verified(&url, &dest, sum).unwrap();
        assert_eq!(std::fs::read(&dest).unwrap(), b"hello\n");

        // A wrong checksum leaves nothing behind, not even a temporary file.
        let other = dir.path().join("sub/other.txt");
        let err = fetch_verified(&url, &other, &"0".repeat(64)).unwrap_err();
        assert!(matches!(err, DataError::Checksum { .. }), "{err}");
        assert!(!other.exists());
        let left: Vec<_> = std::fs::read_dir(dir.path().join("sub")).unwrap().collect();
        assert_eq!(left.len(), 1, "only the verified file remains");
    }

    #[test]
    fn unreachable_url_is_a_download_error() {
        let dir = tempfile::tempdir().unwrap();
        // Port 9 on loopback (discard) is closed on test machines.
        let err = fetch_verified("http://127.0.0.1:9/x", &dir.path().join("x"), "00").unwrap_err();
        assert!(
            err.to_string()
                .contains("download of http://127.0.0.1:9/x failed"),
            "{err}"
        );
    }
}
