//! Checksums: the sha256 of a file, and of a folder as the sha256 of its own
//! `SHA256SUMS`-style listing (one "<sha256>  <relative path>\n" line per
//! file, sorted by path with '/' separators). The same definition is used by
//! `tools/catalog/gen_catalog.py`, which wrote the catalog.

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::DataError;

/// Hex sha256 of a file, streamed in 1 MiB blocks.
pub fn sha256_file(path: &Path) -> Result<String, DataError> {
    let mut file = std::fs::File::open(path).map_err(|e| DataError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(|e| DataError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// Hex sha256 of a folder's sorted listing of file checksums (see module doc).
pub fn sha256_tree(dir: &Path) -> Result<String, DataError> {
    let mut files = Vec::new();
    collect_files(dir, dir, &mut files)?;
    files.sort();
    let sums: Vec<String> = files
        .par_iter()
        .map(|rel| sha256_file(&dir.join(rel)).map(|h| format!("{h}  {rel}\n")))
        .collect::<Result<_, _>>()?;
    let mut hasher = Sha256::new();
    for line in sums {
        hasher.update(line.as_bytes());
    }
    Ok(hex(&hasher.finalize()))
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), DataError> {
    let entries = std::fs::read_dir(dir).map_err(|e| DataError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| DataError::io(dir, e))?;
        let path: PathBuf = entry.path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push(rel.join("/"));
        }
    }
    Ok(())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_and_tree_digests() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.txt"), "b").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.txt"), "").unwrap();
        // sha256("") and sha256("b") are well known.
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let b = "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d";
        assert_eq!(sha256_file(&dir.path().join("sub/a.txt")).unwrap(), empty);
        let listing = format!("{b}  b.txt\n{empty}  sub/a.txt\n");
        let expected = hex(&Sha256::digest(listing.as_bytes()));
        assert_eq!(sha256_tree(dir.path()).unwrap(), expected);
    }
}
