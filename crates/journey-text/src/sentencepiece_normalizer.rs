//! The SentencePiece normaliser: the rules stored in a `.model` file, applied
//! exactly as sentencepiece's `normalizer.cc` applies them.
//!
//! A model carries its normalisation as a *precompiled charsmap* (Kudo and
//! Richardson 2018, §2.3): a table from input byte strings (usually one or a
//! few characters) to replacement strings, compiled from NFKC (`nmt_nfkc`,
//! `nfkc_cf`, …) or a user's TSV. Its layout is
//!
//! ```text
//! u32 (little endian)  size of the trie in bytes
//! trie                 Darts-clone double array, 4-byte units
//! strings              the replacements, each ending in NUL
//! ```
//!
//! The trie maps a key to the offset of its replacement in the string blob.
//! The text is rewritten left to right: at each point the longest key that is
//! a prefix of the rest wins (Darts `commonPrefixSearch`), and when none
//! matches the character is copied. User-defined pieces are matched first and
//! copied untouched. Then whitespace is handled: leading, trailing and
//! repeated spaces are dropped (`remove_extra_whitespaces`), a space is put in
//! front (`add_dummy_prefix`), and spaces become `▁` U+2581
//! (`escape_whitespaces`).
//!
//! Alongside the normalised bytes comes an alignment: for each normalised byte,
//! the offset of the input byte it came from (plus one entry for the end),
//! which turns piece positions back into spans of the original text.
//!
//! Cost: O(n · k) time for n input bytes and keys of at most k bytes (a trie
//! walk per position); O(n) memory for the output and the alignment.

use std::collections::HashMap;
use std::path::Path;

use crate::error::TextError;
use crate::sentencepiece_model::{model_error, NormalizerSpec};

/// `▁` U+2581, the visible stand-in for a space.
pub const SPACE_SYMBOL: &str = "\u{2581}";

/// Longest-prefix matcher over the user-defined pieces (sentencepiece's
/// `PrefixMatcher`): they pass through normalisation untouched and are never
/// split.
#[derive(Debug, Clone, Default)]
pub struct PrefixMatcher {
    by_len: HashMap<Box<[u8]>, ()>,
    max_len: usize,
}

impl PrefixMatcher {
    pub fn new<'a>(pieces: impl IntoIterator<Item = &'a str>) -> Self {
        let mut m = Self::default();
        for p in pieces {
            m.max_len = m.max_len.max(p.len());
            m.by_len.insert(p.as_bytes().into(), ());
        }
        m
    }

    pub fn is_empty(&self) -> bool {
        self.by_len.is_empty()
    }

    /// Length of the longest user-defined piece at the start of `s`, if any.
    pub fn longest(&self, s: &[u8]) -> Option<usize> {
        if self.by_len.is_empty() {
            return None;
        }
        (1..=self.max_len.min(s.len()))
            .rev()
            .find(|&n| self.by_len.contains_key(&s[..n]))
    }
}

/// The normaliser of one model (see the module documentation).
#[derive(Debug, Clone)]
pub struct Normalizer {
    /// Darts-clone units; empty when the model has no charsmap (identity).
    trie: Vec<u32>,
    /// NUL-terminated replacement strings.
    blob: Vec<u8>,
    add_dummy_prefix: bool,
    remove_extra_whitespaces: bool,
    escape_whitespaces: bool,
    treat_whitespace_as_suffix: bool,
    matcher: PrefixMatcher,
}

/// Most matches `commonPrefixSearch` reports (sentencepiece's `kMaxTrieResultsSize`).
const MAX_TRIE_RESULTS: usize = 32;

impl Normalizer {
    /// Builds the normaliser of `spec`; `path` names the model in errors.
    pub fn new(
        spec: &NormalizerSpec,
        treat_whitespace_as_suffix: bool,
        matcher: PrefixMatcher,
        path: &Path,
    ) -> Result<Self, TextError> {
        let (trie, blob) = decode_charsmap(&spec.precompiled_charsmap)
            .map_err(|m| model_error(path, format!("precompiled_charsmap: {m}")))?;
        Ok(Self {
            trie,
            blob,
            add_dummy_prefix: spec.add_dummy_prefix,
            remove_extra_whitespaces: spec.remove_extra_whitespaces,
            escape_whitespaces: spec.escape_whitespaces,
            treat_whitespace_as_suffix,
            matcher,
        })
    }

    /// Normalises `input`: the normalised bytes (valid UTF-8 when the
    /// charsmap's replacements are) and, for each of them plus one past the
    /// end, the offset in `input` it came from.
    pub fn normalize(&self, input: &str) -> (Vec<u8>, Vec<usize>) {
        let mut out = Vec::with_capacity(input.len() + 8);
        let mut align = Vec::with_capacity(input.len() + 9);
        self.normalize_into(input.as_bytes(), &mut out, &mut align);
        (out, align)
    }

    /// As [`normalize`](Self::normalize), into reused buffers (cleared first).
    pub fn normalize_into(&self, input: &[u8], out: &mut Vec<u8>, align: &mut Vec<usize>) {
        out.clear();
        align.clear();
        let mut rest = input;
        let mut consumed = 0usize;
        if rest.is_empty() {
            align.push(0);
            return;
        }
        // Leading spaces go (after normalisation, so a full-width space counts).
        if self.remove_extra_whitespaces {
            while !rest.is_empty() {
                let (rep, n) = self.normalize_prefix(rest);
                if rep != b" " {
                    break;
                }
                rest = &rest[n..];
                consumed += n;
            }
        }
        if rest.is_empty() {
            align.push(consumed);
            return;
        }
        let space: &[u8] = if self.escape_whitespaces {
            SPACE_SYMBOL.as_bytes()
        } else {
            b" "
        };
        let add_ws = |out: &mut Vec<u8>, align: &mut Vec<usize>, at: usize| {
            out.extend_from_slice(space);
            align.extend(std::iter::repeat_n(at, space.len()));
        };
        if !self.treat_whitespace_as_suffix && self.add_dummy_prefix {
            add_ws(out, align, consumed);
        }
        let mut is_prev_space = self.remove_extra_whitespaces;
        while !rest.is_empty() {
            let (mut rep, n) = self.normalize_prefix(rest);
            // A space right after a space is dropped (inside one replacement too).
            while is_prev_space && rep.first() == Some(&b' ') {
                rep = &rep[1..];
            }
            if !rep.is_empty() {
                for &b in rep {
                    if self.escape_whitespaces && b == b' ' {
                        add_ws(out, align, consumed);
                    } else {
                        out.push(b);
                        align.push(consumed);
                    }
                }
                is_prev_space = rep.last() == Some(&b' ');
            }
            consumed += n;
            rest = &rest[n..];
            if !self.remove_extra_whitespaces {
                is_prev_space = false;
            }
        }
        // Trailing spaces go; the end of the text then maps to the last kept
        // space's origin, as sentencepiece does.
        if self.remove_extra_whitespaces {
            while out.ends_with(space) {
                let len = out.len() - space.len();
                consumed = align[len];
                out.truncate(len);
                align.truncate(len);
            }
        }
        if self.treat_whitespace_as_suffix && self.add_dummy_prefix {
            add_ws(out, align, consumed);
        }
        align.push(consumed);
    }

    /// The replacement of the longest rule matching the start of `s` and the
    /// number of input bytes it consumes (sentencepiece's `NormalizePrefix`).
    fn normalize_prefix<'a>(&'a self, s: &'a [u8]) -> (&'a [u8], usize) {
        if let Some(n) = self.matcher.longest(s) {
            return (&s[..n], n);
        }
        if let Some((len, value)) = self.longest_match(s) {
            let start = value as usize;
            let tail = &self.blob[start.min(self.blob.len())..];
            let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
            return (&tail[..end], len);
        }
        let n = utf8_len(s[0]).min(s.len());
        (&s[..n], n)
    }

    /// Darts-clone `commonPrefixSearch`, keeping the longest of the first
    /// [`MAX_TRIE_RESULTS`] matches. Out-of-range units (a corrupt trie) end
    /// the walk instead of panicking.
    fn longest_match(&self, key: &[u8]) -> Option<(usize, u32)> {
        let units = &self.trie;
        let mut unit = *units.first()?;
        let mut node_pos = offset(unit) as usize;
        let mut best = None;
        let mut found = 0;
        for (i, &c) in key.iter().enumerate() {
            node_pos ^= c as usize;
            unit = *units.get(node_pos)?;
            if label(unit) != c as u32 {
                break;
            }
            node_pos ^= offset(unit) as usize;
            if has_leaf(unit) {
                if found < MAX_TRIE_RESULTS {
                    let v = value(*units.get(node_pos)?);
                    best = Some((i + 1, v));
                }
                found += 1;
            }
        }
        best
    }
}

// Darts-clone unit layout (darts.h, `DoubleArrayUnit`).
fn has_leaf(u: u32) -> bool {
    (u >> 8) & 1 == 1
}
fn value(u: u32) -> u32 {
    u & 0x7fff_ffff
}
fn label(u: u32) -> u32 {
    u & (0x8000_0000 | 0xff)
}
fn offset(u: u32) -> u32 {
    (u >> 10) << ((u & (1 << 9)) >> 6)
}

/// Length of a UTF-8 sequence from its first byte (1 for stray bytes, which
/// valid `str` input never has).
pub(crate) fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 1,
    }
}

/// Splits a precompiled charsmap into trie units and the string blob.
fn decode_charsmap(b: &[u8]) -> Result<(Vec<u32>, Vec<u8>), String> {
    if b.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let Some(head) = b.get(..4) else {
        return Err(format!(
            "{} bytes, too short for its 4-byte header",
            b.len()
        ));
    };
    let trie_size = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
    if trie_size & 3 != 0 || trie_size > b.len() - 4 || trie_size == 0 {
        return Err(format!(
            "trie size {trie_size} does not fit the {} bytes that follow the header",
            b.len() - 4
        ));
    }
    let trie = b[4..4 + trie_size]
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Ok((trie, b[4 + trie_size..].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(add: bool, remove: bool) -> Normalizer {
        let spec = NormalizerSpec {
            add_dummy_prefix: add,
            remove_extra_whitespaces: remove,
            ..Default::default()
        };
        Normalizer::new(&spec, false, PrefixMatcher::default(), Path::new("t")).unwrap()
    }

    #[test]
    fn whitespace_rules() {
        let n = identity(true, true);
        let (s, a) = n.normalize("  a  b ");
        assert_eq!(String::from_utf8(s).unwrap(), "▁a▁b");
        assert_eq!(a.len(), "▁a▁b".len() + 1);
        assert_eq!(a[3], 2); // 'a'
        let n = identity(true, false);
        let (s, _) = n.normalize(" a  b");
        assert_eq!(String::from_utf8(s).unwrap(), "▁▁a▁▁b");
        let (s, a) = identity(true, true).normalize("   ");
        assert!(s.is_empty());
        assert_eq!(a, [3]);
    }

    #[test]
    fn bad_charsmap_is_an_error() {
        let spec = NormalizerSpec {
            precompiled_charsmap: vec![0xff, 0, 0, 0, 1],
            ..Default::default()
        };
        let e = Normalizer::new(&spec, false, PrefixMatcher::default(), Path::new("m.model"));
        assert!(e.unwrap_err().to_string().contains("m.model"));
    }
}
