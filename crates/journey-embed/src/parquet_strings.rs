//! # A minimal Parquet reader for one string column
//!
//! Apache Parquet format (parquet-format `parquet.thrift`, Thrift compact
//! protocol): the footer `FileMetaData` lists row groups and their column
//! chunks; each chunk is a run of pages, each page a compact-Thrift
//! `PageHeader` and a (here Snappy or uncompressed) body. This reads exactly
//! what a vocabulary file needs — one `BYTE_ARRAY` (UTF-8) column, flat,
//! optional or required — with the encodings pyarrow writes: a `PLAIN`
//! dictionary page and `RLE_DICTIONARY` data pages (v1 or v2), or `PLAIN`
//! data pages; definition levels in the RLE/bit-packed hybrid. Nested
//! columns, other codecs and other types are refused with a clear error.
//! (The `parquet` crate would pull in a large dependency tree for one
//! column of strings.)
//!
//! Cost: O(file size) time; the decompressed pages and the strings in memory.

use crate::snappy;
use crate::EmbedError;
use std::path::Path;

#[derive(Debug, Clone)]
enum Tv {
    Int(i64),
    Bin(Vec<u8>),
    List(Vec<Tv>),
    Struct(Vec<(i16, Tv)>),
    Other,
}

impl Tv {
    fn field(&self, id: i16) -> Option<&Tv> {
        match self {
            Tv::Struct(f) => f.iter().find(|(i, _)| *i == id).map(|(_, v)| v),
            _ => None,
        }
    }
    fn int(&self, id: i16) -> Option<i64> {
        match self.field(id)? {
            Tv::Int(v) => Some(*v),
            _ => None,
        }
    }
    fn list(&self, id: i16) -> &[Tv] {
        match self.field(id) {
            Some(Tv::List(v)) => v,
            _ => &[],
        }
    }
}

struct Compact<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Compact<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.buf.get(self.pos).ok_or("truncated thrift data")?;
        self.pos += 1;
        Ok(b)
    }
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..70).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("bad varint".into())
    }
    fn zigzag(&mut self) -> Result<i64, String> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }
    fn value(&mut self, ty: u8) -> Result<Tv, String> {
        Ok(match ty {
            1 => Tv::Int(1),
            2 => Tv::Int(0),
            3 => Tv::Int(i64::from(self.byte()? as i8)),
            4..=6 => Tv::Int(self.zigzag()?),
            7 => {
                self.pos += 8;
                Tv::Other
            }
            8 => {
                let n = self.varint()? as usize;
                let s = self
                    .buf
                    .get(self.pos..self.pos + n)
                    .ok_or("truncated thrift binary")?;
                self.pos += n;
                Tv::Bin(s.to_vec())
            }
            9 | 10 => {
                let h = self.byte()?;
                let mut n = (h >> 4) as usize;
                if n == 15 {
                    n = self.varint()? as usize;
                }
                let et = h & 0x0f;
                let mut items = Vec::with_capacity(n.min(1 << 16));
                for _ in 0..n {
                    items.push(if et == 1 || et == 2 {
                        Tv::Int(i64::from(self.byte()? == 1))
                    } else {
                        self.value(et)?
                    });
                }
                Tv::List(items)
            }
            11 => {
                let n = self.varint()? as usize;
                if n > 0 {
                    let kv = self.byte()?;
                    for _ in 0..n {
                        self.value(kv >> 4)?;
                        self.value(kv & 0x0f)?;
                    }
                }
                Tv::Other
            }
            12 => self.structure()?,
            t => return Err(format!("unknown thrift type {t}")),
        })
    }
    fn structure(&mut self) -> Result<Tv, String> {
        let mut fields = Vec::new();
        let mut last = 0i16;
        loop {
            let h = self.byte()?;
            if h == 0 {
                return Ok(Tv::Struct(fields));
            }
            let delta = (h >> 4) as i16;
            let id = if delta == 0 {
                self.zigzag()? as i16
            } else {
                last + delta
            };
            last = id;
            let v = self.value(h & 0x0f)?;
            fields.push((id, v));
        }
    }
}

/// RLE / bit-packed hybrid decoding of `n` values of `width` bits.
fn hybrid(buf: &[u8], width: u32, n: usize) -> Result<Vec<u32>, String> {
    let mut c = Compact { buf, pos: 0 };
    let mut out = Vec::with_capacity(n);
    let bytes = width.div_ceil(8) as usize;
    while out.len() < n {
        let h = c.varint()?;
        if h & 1 == 0 {
            let run = (h >> 1) as usize;
            let s = buf.get(c.pos..c.pos + bytes).ok_or("truncated RLE run")?;
            c.pos += bytes;
            let v = s.iter().rev().fold(0u32, |a, &b| (a << 8) | u32::from(b));
            out.extend(std::iter::repeat_n(v, run.min(n - out.len())));
        } else {
            let count = (h >> 1) as usize * 8;
            let nbytes = count * width as usize / 8;
            let s = buf
                .get(c.pos..c.pos + nbytes)
                .ok_or("truncated bit-packed run")?;
            c.pos += nbytes;
            for k in 0..count {
                if out.len() == n {
                    break;
                }
                let mut v = 0u32;
                for bit in 0..width as usize {
                    let at = k * width as usize + bit;
                    if s[at / 8] >> (at % 8) & 1 == 1 {
                        v |= 1 << bit;
                    }
                }
                out.push(v);
            }
        }
    }
    Ok(out)
}

fn plain_strings(buf: &[u8], n: usize, out: &mut Vec<String>) -> Result<(), String> {
    let mut pos = 0;
    for _ in 0..n {
        let l = buf.get(pos..pos + 4).ok_or("truncated PLAIN value")?;
        let l = u32::from_le_bytes([l[0], l[1], l[2], l[3]]) as usize;
        let s = buf
            .get(pos + 4..pos + 4 + l)
            .ok_or("truncated PLAIN value")?;
        out.push(String::from_utf8(s.to_vec()).map_err(|_| "value is not UTF-8")?);
        pos += 4 + l;
    }
    Ok(())
}

/// Reads every value of the string column `column` of a Parquet file, in
/// row order (nulls read as empty strings).
pub fn read_string_column(path: &Path, column: &str) -> Result<Vec<String>, EmbedError> {
    let bytes = std::fs::read(path).map_err(|e| EmbedError::io(path, e))?;
    parse_string_column(&bytes, column).map_err(|m| EmbedError::parse(path, 1, m))
}

fn parse_string_column(bytes: &[u8], column: &str) -> Result<Vec<String>, String> {
    let n = bytes.len();
    if n < 12 || &bytes[..4] != b"PAR1" || &bytes[n - 4..] != b"PAR1" {
        return Err("not a Parquet file (no PAR1 magic)".into());
    }
    let flen =
        u32::from_le_bytes([bytes[n - 8], bytes[n - 7], bytes[n - 6], bytes[n - 5]]) as usize;
    let fstart = n.checked_sub(8 + flen).ok_or("bad footer length")?;
    let meta = Compact {
        buf: &bytes[fstart..n - 8],
        pos: 0,
    }
    .structure()?;
    let mut out = Vec::new();
    let mut found = false;
    for rg in meta.list(4) {
        for cc in rg.list(1) {
            let md = cc.field(3).ok_or("column chunk without metadata")?;
            let name: Vec<String> = md
                .list(3)
                .iter()
                .map(|p| match p {
                    Tv::Bin(b) => String::from_utf8_lossy(b).into_owned(),
                    _ => String::new(),
                })
                .collect();
            if name != [column] {
                continue;
            }
            found = true;
            if md.int(1) != Some(6) {
                return Err(format!("column {column} is not BYTE_ARRAY"));
            }
            let codec = md.int(4).unwrap_or(0);
            if codec != 0 && codec != 1 {
                return Err(format!(
                    "column {column}: codec {codec} not supported (only uncompressed and Snappy)"
                ));
            }
            let total = md.int(7).ok_or("no total_compressed_size")? as usize;
            let start = md
                .int(11)
                .filter(|&d| d > 0)
                .or(md.int(9))
                .ok_or("no page offset")? as usize;
            read_chunk(bytes, start, total, codec == 1, &mut out)?;
        }
    }
    if !found {
        return Err(format!("no flat column named {column:?}"));
    }
    Ok(out)
}

fn read_chunk(
    bytes: &[u8],
    start: usize,
    total: usize,
    snappy_codec: bool,
    out: &mut Vec<String>,
) -> Result<(), String> {
    let end = start + total;
    let mut pos = start;
    let mut dict: Vec<String> = Vec::new();
    let inflate = |b: &[u8]| -> Result<Vec<u8>, String> {
        if snappy_codec {
            snappy::decompress(b)
        } else {
            Ok(b.to_vec())
        }
    };
    while pos < end {
        let mut c = Compact {
            buf: bytes.get(..end).ok_or("chunk past end of file")?,
            pos,
        };
        let ph = c.structure()?;
        let size = ph.int(3).ok_or("page without size")? as usize;
        let body = bytes.get(c.pos..c.pos + size).ok_or("truncated page")?;
        pos = c.pos + size;
        match ph.int(1) {
            Some(2) => {
                let dh = ph.field(7).ok_or("dictionary page without header")?;
                let nv = dh.int(1).unwrap_or(0) as usize;
                dict.clear();
                plain_strings(&inflate(body)?, nv, &mut dict)?;
            }
            Some(0) => {
                let dh = ph.field(5).ok_or("data page without header")?;
                let nv = dh.int(1).unwrap_or(0) as usize;
                let page = inflate(body)?;
                // Definition levels (max level 1), 4-byte length prefix.
                let l = page.get(..4).ok_or("truncated levels")?;
                let ll = u32::from_le_bytes([l[0], l[1], l[2], l[3]]) as usize;
                let defs = hybrid(page.get(4..4 + ll).ok_or("truncated levels")?, 1, nv)?;
                values(&page[4 + ll..], dh.int(2).unwrap_or(0), &defs, &dict, out)?;
            }
            Some(3) => {
                let dh = ph.field(8).ok_or("data page v2 without header")?;
                let nv = dh.int(1).unwrap_or(0) as usize;
                let dl = dh.int(5).unwrap_or(0) as usize;
                let rl = dh.int(6).unwrap_or(0) as usize;
                let compressed = dh.int(7).unwrap_or(1) == 1;
                let defs = if dl > 0 {
                    hybrid(&body[rl..rl + dl], 1, nv)?
                } else {
                    vec![1; nv]
                };
                let rest = &body[rl + dl..];
                let vals = if compressed {
                    inflate(rest)?
                } else {
                    rest.to_vec()
                };
                values(&vals, dh.int(4).unwrap_or(0), &defs, &dict, out)?;
            }
            _ => {} // index pages and others carry no values
        }
    }
    Ok(())
}

fn values(
    buf: &[u8],
    encoding: i64,
    defs: &[u32],
    dict: &[String],
    out: &mut Vec<String>,
) -> Result<(), String> {
    let present = defs.iter().filter(|&&d| d == 1).count();
    let vals: Vec<String> = match encoding {
        0 => {
            let mut v = Vec::with_capacity(present);
            plain_strings(buf, present, &mut v)?;
            v
        }
        2 | 8 => {
            let width = u32::from(*buf.first().ok_or("empty dictionary indices")?);
            hybrid(&buf[1..], width, present)?
                .into_iter()
                .map(|i| {
                    dict.get(i as usize)
                        .cloned()
                        .ok_or("dictionary index out of range")
                })
                .collect::<Result<_, _>>()?
        }
        e => return Err(format!("encoding {e} not supported")),
    };
    let mut it = vals.into_iter();
    for &d in defs {
        out.push(if d == 1 {
            it.next().unwrap_or_default()
        } else {
            String::new()
        });
    }
    Ok(())
}
