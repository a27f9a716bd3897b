//! Plain text: whole files or streamed lines, UTF-8 checked, transparently
//! decompressing `.bz2` and `.gz` files.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::DataError;

/// Opens a file for buffered reading, decompressing by extension.
pub fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, DataError> {
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let name = path.to_string_lossy();
    let reader: Box<dyn Read + Send> = if name.ends_with(".bz2") {
        Box::new(bzip2::read::MultiBzDecoder::new(file))
    } else if name.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 16, reader)))
}

/// Reads a whole file as UTF-8; an invalid byte is reported with its line.
pub fn read_to_string(path: &Path) -> Result<String, DataError> {
    let mut bytes = Vec::new();
    open(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| DataError::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..valid]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        DataError::InvalidUtf8 {
            path: path.to_path_buf(),
            line,
        }
    })
}

/// Like `read_to_string`, but an empty (or whitespace-only) file is an error.
pub fn read_nonempty(path: &Path) -> Result<String, DataError> {
    let text = read_to_string(path)?;
    if text.trim().is_empty() {
        return Err(DataError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(text)
}

/// Streams the lines of a file (without their `\n` / `\r\n`).
pub struct Lines {
    reader: Box<dyn BufRead + Send>,
    path: PathBuf,
    line: usize,
    buf: Vec<u8>,
}

pub fn lines(path: &Path) -> Result<Lines, DataError> {
    Ok(Lines {
        reader: open(path)?,
        path: path.to_path_buf(),
        line: 0,
        buf: Vec::new(),
    })
}

impl Lines {
    /// The 1-based number of the line last returned.
    pub fn line_number(&self) -> usize {
        self.line
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Iterator for Lines {
    type Item = Result<String, DataError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.buf.clear();
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => None,
            Ok(_) => {
                self.line += 1;
                if self.buf.last() == Some(&b'\n') {
                    self.buf.pop();
                    if self.buf.last() == Some(&b'\r') {
                        self.buf.pop();
                    }
                }
                Some(
                    String::from_utf8(std::mem::take(&mut self.buf)).map_err(|_| {
                        DataError::InvalidUtf8 {
                            path: self.path.clone(),
                            line: self.line,
                        }
                    }),
                )
            }
            Err(e) => Some(Err(DataError::io(&self.path, e))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn lines_strip_endings_and_report_bad_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.txt");
        std::fs::write(&p, b"one\r\ntwo\n\xff three\n").unwrap();
        let got: Vec<_> = lines(&p).unwrap().collect();
        assert_eq!(got[0].as_ref().unwrap(), "one");
        assert_eq!(got[1].as_ref().unwrap(), "two");
        let err = got[2].as_ref().unwrap_err().to_string();
        assert!(err.ends_with("t.txt:3: invalid UTF-8"), "{err}");
        let err = read_to_string(&p).unwrap_err().to_string();
        assert!(err.contains(":3:"), "{err}");
    }

    #[test]
    fn bz2_is_decompressed_and_empty_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.txt.bz2");
        let mut enc = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        enc.write_all(b"hello\nworld\n").unwrap();
        std::fs::write(&p, enc.finish().unwrap()).unwrap();
        assert_eq!(read_to_string(&p).unwrap(), "hello\nworld\n");
        let e = dir.path().join("empty.txt");
        std::fs::write(&e, " \n").unwrap();
        assert!(matches!(read_nonempty(&e), Err(DataError::Empty { .. })));
        assert!(matches!(
            read_to_string(&dir.path().join("nope")),
            Err(DataError::Io { .. })
        ));
    }
}
