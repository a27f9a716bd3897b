//! # Vector files: word2vec text and binary, GloVe text, fastText `.vec`
//!
//! The formats of Mikolov et al.'s `word2vec.c` as gensim reads and writes
//! them (`KeyedVectors.load_word2vec_format` / `save_word2vec_format`):
//!
//! * text: a header line `"<count> <dim>"`, then one line per word,
//!   `word v1 v2 … vd`, separated by single spaces. fastText's `.vec` files
//!   are this format.
//! * binary: the same header line, then per word its UTF-8 bytes, one space,
//!   and `dim` little-endian `f32` (gensim writes no newline after a vector,
//!   `word2vec.c` writes one; both are read).
//! * GloVe text (Pennington et al. 2014): the text format without header.
//!
//! Floats are written in the shortest form that reads back to the same `f32`,
//! so a text file round-trips bit-exactly. Cost: O(n·d) time, one pass;
//! memory is the store itself.

use crate::{EmbedError, Embeddings};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The on-disk layouts this module reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum VectorFormat {
    /// word2vec / fastText `.vec` text, with a `count dim` header.
    Text,
    /// word2vec binary.
    Binary,
    /// GloVe text, without a header.
    Glove,
}

fn open(path: &Path) -> Result<BufReader<std::fs::File>, EmbedError> {
    let f = std::fs::File::open(path).map_err(|e| EmbedError::io(path, e))?;
    Ok(BufReader::with_capacity(1 << 20, f))
}

fn parse_header(path: &Path, line: &str) -> Result<(usize, usize), EmbedError> {
    let parts: Vec<&str> = line.split_whitespace().collect();
    let bad = || {
        EmbedError::parse(
            path,
            1,
            format!(
                "expected a header \"<count> <dim>\", got {:?}",
                truncate(line)
            ),
        )
    };
    if parts.len() != 2 {
        return Err(bad());
    }
    let n = parts[0].parse::<usize>().map_err(|_| bad())?;
    let d = parts[1].parse::<usize>().map_err(|_| bad())?;
    if d == 0 {
        return Err(EmbedError::parse(path, 1, "vector dimension 0 in header"));
    }
    Ok((n, d))
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

/// Reads a file whose format is guessed: binary if the bytes after the
/// header line are not UTF-8 text, text with header if the first line is
/// `count dim`, GloVe text otherwise.
pub fn read_vectors(path: &Path) -> Result<Embeddings, EmbedError> {
    read_format(path, guess_format(path)?)
}

/// The format `read_vectors` would use for `path`.
pub fn guess_format(path: &Path) -> Result<VectorFormat, EmbedError> {
    let mut r = open(path)?;
    let mut first = Vec::new();
    r.read_until(b'\n', &mut first)
        .map_err(|e| EmbedError::io(path, e))?;
    let first = String::from_utf8_lossy(&first).to_string();
    let parts: Vec<&str> = first.split_whitespace().collect();
    let is_header = parts.len() == 2 && parts.iter().all(|p| p.parse::<usize>().is_ok());
    if !is_header {
        return Ok(VectorFormat::Glove);
    }
    let mut probe = vec![0u8; 4096];
    let n = r.read(&mut probe).map_err(|e| EmbedError::io(path, e))?;
    probe.truncate(n);
    // Cut at the last newline so a multi-byte character is not split.
    let end = probe
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap_or(probe.len());
    let text = std::str::from_utf8(&probe[..end]).is_ok()
        && probe[..end]
            .iter()
            .all(|&b| b >= 0x20 || b == b'\n' || b == b'\t' || b == b'\r');
    Ok(if text {
        VectorFormat::Text
    } else {
        VectorFormat::Binary
    })
}

/// Reads `path` in the given format.
pub fn read_format(path: &Path, format: VectorFormat) -> Result<Embeddings, EmbedError> {
    match format {
        VectorFormat::Text => read_text(path, true),
        VectorFormat::Glove => read_text(path, false),
        VectorFormat::Binary => read_binary(path),
    }
}

/// word2vec text (`header = true`) or GloVe text (`header = false`).
pub fn read_text(path: &Path, header: bool) -> Result<Embeddings, EmbedError> {
    let r = open(path)?;
    let mut lines = r.lines();
    let mut expected: Option<(usize, usize)> = None;
    let mut line_no = 0usize;
    if header {
        line_no += 1;
        let line = lines
            .next()
            .ok_or_else(|| EmbedError::Empty(format!("{} has no header line", path.display())))?
            .map_err(|e| EmbedError::io(path, e))?;
        expected = Some(parse_header(path, &line)?);
    }
    let mut dim = expected.map(|e| e.1);
    let mut words = Vec::with_capacity(expected.map_or(0, |e| e.0));
    let mut data = Vec::with_capacity(expected.map_or(0, |e| e.0 * e.1));
    for line in lines {
        line_no += 1;
        let line = line.map_err(|e| EmbedError::io(path, e))?;
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split(' ');
        let word = parts.next().unwrap_or_default();
        let before = data.len();
        for p in parts {
            let v = p.parse::<f32>().map_err(|_| {
                EmbedError::parse(
                    path,
                    line_no,
                    format!("{p:?} is not a number (word {word:?})"),
                )
            })?;
            data.push(v);
        }
        let got = data.len() - before;
        match dim {
            None if got == 0 => {
                return Err(EmbedError::parse(path, line_no, "a word without a vector"))
            }
            None => dim = Some(got),
            Some(d) if d != got => {
                return Err(EmbedError::parse(
                    path,
                    line_no,
                    format!("word {word:?} has {got} values, expected {d}"),
                ))
            }
            _ => {}
        }
        words.push(word.to_string());
    }
    if let Some((n, _)) = expected {
        if words.len() != n {
            return Err(EmbedError::parse(
                path,
                line_no,
                format!("header announces {n} words, the file has {}", words.len()),
            ));
        }
    }
    let dim = dim.ok_or_else(|| EmbedError::Empty(format!("{} has no vectors", path.display())))?;
    if words.is_empty() {
        return Err(EmbedError::Empty(format!(
            "{} has no vectors",
            path.display()
        )));
    }
    Embeddings::new(words, dim, data)
}

/// word2vec binary.
pub fn read_binary(path: &Path) -> Result<Embeddings, EmbedError> {
    let mut r = open(path)?;
    let mut head = Vec::new();
    r.read_until(b'\n', &mut head)
        .map_err(|e| EmbedError::io(path, e))?;
    let (n, dim) = parse_header(path, &String::from_utf8_lossy(&head))?;
    let mut words = Vec::with_capacity(n);
    let mut data = Vec::with_capacity(n * dim);
    let mut buf = vec![0u8; dim * 4];
    let mut word = Vec::new();
    for rec in 1..=n {
        word.clear();
        r.read_until(b' ', &mut word)
            .map_err(|e| EmbedError::io(path, e))?;
        if word.last() != Some(&b' ') {
            return Err(EmbedError::parse(
                path,
                rec + 1,
                format!("truncated file: record {rec} of {n} has no word (binary record, header is line 1)"),
            ));
        }
        word.pop();
        let start = word.iter().position(|&b| b != b'\n').unwrap_or(word.len());
        let w = String::from_utf8_lossy(&word[start..]).into_owned();
        r.read_exact(&mut buf).map_err(|_| {
            EmbedError::parse(
                path,
                rec + 1,
                format!("truncated file: record {rec} of {n} ({w:?}) has fewer than {dim} floats"),
            )
        })?;
        data.extend(
            buf.chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        words.push(w);
    }
    Embeddings::new(words, dim, data)
}

/// Serialises in the given format (GloVe: text without header).
pub fn to_bytes(emb: &Embeddings, format: VectorFormat) -> Vec<u8> {
    let mut out = Vec::with_capacity(emb.len() * (emb.dim() * 10 + 16));
    if format != VectorFormat::Glove {
        out.extend_from_slice(format!("{} {}\n", emb.len(), emb.dim()).as_bytes());
    }
    let mut line = String::new();
    for (i, w) in emb.words().iter().enumerate() {
        let row = emb.row(i);
        match format {
            VectorFormat::Binary => {
                out.extend_from_slice(w.as_bytes());
                out.push(b' ');
                for x in row {
                    out.extend_from_slice(&x.to_le_bytes());
                }
            }
            _ => {
                line.clear();
                line.push_str(w);
                for x in row {
                    line.push(' ');
                    push_py_repr(&mut line, *x);
                }
                line.push('\n');
                out.extend_from_slice(line.as_bytes());
            }
        }
    }
    out
}

/// Appends `x` as Python's `repr` of a NumPy `float32` writes it (what
/// gensim's `save_word2vec_format` puts in text files): the shortest digits
/// that read back to the same `f32`, positional with a `.0` for integers
/// when the decimal exponent is in [−4, 16), else `d.ddde±XX`.
pub fn push_py_repr(out: &mut String, x: f32) {
    use std::fmt::Write as _;
    if !x.is_finite() {
        out.push_str(if x.is_nan() {
            "nan"
        } else if x > 0.0 {
            "inf"
        } else {
            "-inf"
        });
        return;
    }
    let sci = format!("{x:e}"); // shortest round-trip digits, e.g. "-1.25e-7"
    let (mant, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let exp: i32 = exp.parse().expect("integer exponent");
    if (-4..16).contains(&exp) {
        let plain = format!("{x}");
        out.push_str(&plain);
        if !plain.contains('.') {
            out.push_str(".0");
        }
    } else {
        let _ = write!(
            out,
            "{mant}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        );
    }
}

/// Writes `emb` to `path` (atomically).
pub fn write_vectors(
    emb: &Embeddings,
    path: &Path,
    format: VectorFormat,
) -> Result<(), EmbedError> {
    crate::error::write_atomic(path, &to_bytes(emb, format))
}
