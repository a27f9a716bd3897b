//! # NumPy `.npy` matrices
//!
//! The `.npy` format (NumPy Enhancement Proposal 1, "A simple file format for
//! NumPy arrays"): magic `\x93NUMPY`, a version byte pair, a little-endian
//! header length (2 bytes in version 1, 4 in versions 2 and 3), a Python dict
//! literal `{'descr': '<f4', 'fortran_order': False, 'shape': (r, c), }`, then
//! the raw data. Only what word vectors need is read: 2-D `<f4` or `<f8`
//! arrays, C or Fortran order, returned as row-major `f32`.
//!
//! Cost: O(r·c) time; the file's bytes plus the output matrix in memory.

use crate::EmbedError;
use std::path::Path;

/// A 2-D matrix read from a `.npy` file, row-major.
#[derive(Debug, Clone)]
pub struct NpyMatrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f32>,
}

fn bad(path: &Path, msg: impl Into<String>) -> EmbedError {
    EmbedError::parse(path, 1, msg.into())
}

fn dict_value<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    let at = header.find(&format!("'{key}'"))? + key.len() + 2;
    let rest = header[at..].trim_start().strip_prefix(':')?.trim_start();
    if rest.starts_with('(') {
        let end = rest.find(')')?;
        Some(&rest[..=end])
    } else {
        let end = rest.find(',').unwrap_or(rest.len());
        Some(rest[..end].trim())
    }
}

/// Reads a 2-D float matrix (`<f4` or `<f8`, either order) from `path`.
pub fn read_npy(path: &Path) -> Result<NpyMatrix, EmbedError> {
    let bytes = std::fs::read(path).map_err(|e| EmbedError::io(path, e))?;
    parse_npy(path, &bytes)
}

/// Parses the bytes of a `.npy` file (`path` only names it in errors).
pub fn parse_npy(path: &Path, bytes: &[u8]) -> Result<NpyMatrix, EmbedError> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(bad(path, "not a .npy file (missing \\x93NUMPY magic)"));
    }
    let (hlen, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => return Err(bad(path, format!("unsupported .npy version {v}"))),
    };
    let end = start + hlen;
    if bytes.len() < end {
        return Err(bad(path, "truncated .npy header"));
    }
    let header = std::str::from_utf8(&bytes[start..end])
        .map_err(|_| bad(path, "the .npy header is not text"))?;
    let descr = dict_value(header, "descr").ok_or_else(|| bad(path, "no 'descr' in header"))?;
    let descr = descr.trim_matches(|c| c == '\'' || c == '"');
    let width = match descr {
        "<f4" => 4,
        "<f8" => 8,
        other => {
            return Err(bad(
                path,
                format!("dtype {other} not supported (only '<f4' and '<f8')"),
            ))
        }
    };
    let fortran = match dict_value(header, "fortran_order") {
        Some("True") => true,
        Some("False") => false,
        _ => return Err(bad(path, "no 'fortran_order' in header")),
    };
    let shape = dict_value(header, "shape").ok_or_else(|| bad(path, "no 'shape' in header"))?;
    let dims: Vec<usize> = shape
        .trim_matches(|c| c == '(' || c == ')')
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad(path, format!("bad shape {shape}")))?;
    let (rows, cols) = match dims.as_slice() {
        [r, c] => (*r, *c),
        _ => return Err(bad(path, format!("expected a 2-D array, shape is {shape}"))),
    };
    let body = &bytes[end..];
    let need = rows * cols * width;
    if body.len() < need {
        return Err(bad(
            path,
            format!(
                "truncated .npy data: shape {shape} needs {need} bytes, {} present",
                body.len()
            ),
        ));
    }
    let value = |k: usize| -> f32 {
        let b = &body[k * width..(k + 1) * width];
        if width == 4 {
            f32::from_le_bytes([b[0], b[1], b[2], b[3]])
        } else {
            f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) as f32
        }
    };
    let mut data = vec![0f32; rows * cols];
    if fortran {
        for c in 0..cols {
            for r in 0..rows {
                data[r * cols + c] = value(c * rows + r);
            }
        }
    } else {
        for (k, x) in data.iter_mut().enumerate() {
            *x = value(k);
        }
    }
    Ok(NpyMatrix { rows, cols, data })
}
