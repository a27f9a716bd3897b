//! # Snappy decompression (raw block format)
//!
//! Google's Snappy format description (`format_description.txt` in the
//! snappy sources): a varint with the uncompressed length, then elements
//! whose tag byte's two low bits say literal (0), copy with a 1-byte (1),
//! 2-byte (2) or 4-byte (3) offset. Copies may overlap their output, so
//! they are done byte by byte. Only decompression is needed (Parquet pages).
//!
//! Cost: O(output) time and memory.

/// Decompresses a raw Snappy block; `Err` describes the corruption.
pub fn decompress(input: &[u8]) -> Result<Vec<u8>, String> {
    let mut pos = 0usize;
    let mut len = 0usize;
    let mut shift = 0;
    loop {
        let b = *input.get(pos).ok_or("snappy: truncated length")?;
        pos += 1;
        len |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 35 {
            return Err("snappy: bad length varint".into());
        }
    }
    let mut out: Vec<u8> = Vec::with_capacity(len);
    let take = |pos: &mut usize, n: usize| -> Result<usize, String> {
        let s = input
            .get(*pos..*pos + n)
            .ok_or("snappy: truncated element")?;
        *pos += n;
        Ok(s.iter().rev().fold(0usize, |a, &b| (a << 8) | b as usize))
    };
    while pos < input.len() {
        let tag = input[pos];
        pos += 1;
        let (copy_len, offset) = match tag & 3 {
            0 => {
                let mut n = (tag >> 2) as usize;
                if n >= 60 {
                    n = take(&mut pos, n - 59)?;
                }
                let n = n + 1;
                let s = input.get(pos..pos + n).ok_or("snappy: truncated literal")?;
                out.extend_from_slice(s);
                pos += n;
                continue;
            }
            1 => {
                let lo = take(&mut pos, 1)?;
                (
                    4 + ((tag >> 2) & 7) as usize,
                    (((tag >> 5) as usize) << 8) | lo,
                )
            }
            2 => ((tag >> 2) as usize + 1, take(&mut pos, 2)?),
            _ => ((tag >> 2) as usize + 1, take(&mut pos, 4)?),
        };
        if offset == 0 || offset > out.len() {
            return Err(format!("snappy: copy offset {offset} outside the output"));
        }
        let start = out.len() - offset;
        for k in 0..copy_len {
            let b = out[start + k];
            out.push(b);
        }
    }
    if out.len() != len {
        return Err(format!(
            "snappy: announced {len} bytes, decoded {}",
            out.len()
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn literal_and_overlapping_copy() {
        // "abcabcabca": literal "abc" then copy len 7 offset 3 (1-byte offset form).
        let block = [10u8, 2 << 2, b'a', b'b', b'c', 1 | ((7 - 4) << 2), 3];
        assert_eq!(super::decompress(&block).unwrap(), b"abcabcabca");
        assert!(super::decompress(&[10u8, 8, b'a']).is_err());
    }
}
