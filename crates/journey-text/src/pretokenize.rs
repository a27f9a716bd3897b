//! # Pre-tokenization for byte-level BPE (GPT-2, tiktoken)
//!
//! Before byte pairs are merged, GPT-2 (Radford et al. 2019, "Language Models
//! are Unsupervised Multitask Learners", §2.2) splits text with a regular
//! expression so that merges never cross the boundary between a word, a
//! number, punctuation and whitespace. tiktoken keeps one pattern per encoding
//! (`tiktoken_ext/openai_public.py`):
//!
//! * **gpt2 / r50k_base / p50k_base** —
//!   `'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s`
//! * **cl100k_base** —
//!   `'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s`
//! * **o200k_base** — seven alternatives: two for words (an upper-case run and
//!   a lower-case run, each with an optional leading non-letter and a
//!   case-insensitive contraction), `\p{N}{1,3}`, punctuation runs
//!   ` ?[^\s\p{L}\p{N}]+[\r\n/]*`, `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`.
//!
//! The lookahead `(?!\S)` and the possessive quantifiers need a backtracking
//! engine (tiktoken uses `fancy-regex`), which is the slow part of tiktoken.
//! Here each pattern is a hand-written scanner: one character classification
//! per character and a small amount of look-back, so a whole text is split in
//! O(n) time and O(1) extra memory. Each scanner returns exactly the matches of
//! `fancy_regex::Regex::find_iter` with the pattern above; the test suite
//! checks this on arbitrary strings with fancy-regex as the oracle.
//!
//! The Unicode tables (`\p{L}`, `\p{N}`, `\p{Lu}`…, `\s` = White_Space) come
//! from `regex-syntax`, the same tables fancy-regex (and so tiktoken's Rust
//! core) uses; they are folded once into a two-level lookup table (blocks of
//! 256 code points, identical blocks shared: about 30 KiB).
//! Case-insensitive contractions follow regex-syntax's simple case folding,
//! under which `s` also matches U+017F LATIN SMALL LETTER LONG S.

use std::ops::Range;
use std::sync::OnceLock;

/// Which pre-tokenization pattern to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pretokenizer {
    /// GPT-2's pattern, shared by r50k_base and p50k_base.
    Gpt2,
    /// cl100k_base (GPT-3.5, GPT-4).
    Cl100k,
    /// o200k_base (GPT-4o).
    O200k,
}

impl Pretokenizer {
    /// The regular expression (tiktoken's `pat_str`) this scanner implements.
    pub fn pattern(self) -> &'static str {
        match self {
            Pretokenizer::Gpt2 => GPT2_PATTERN,
            Pretokenizer::Cl100k => CL100K_PATTERN,
            Pretokenizer::O200k => O200K_PATTERN,
        }
    }

    /// The pieces of `text`, as byte ranges, left to right. They tile the
    /// text: every byte belongs to exactly one piece.
    pub fn pieces(self, text: &str) -> Pieces<'_> {
        Pieces {
            text: text.as_bytes(),
            pos: 0,
            kind: self,
        }
    }

    /// The pieces of `text` as string slices.
    pub fn split(self, text: &str) -> impl Iterator<Item = &str> + '_ {
        self.pieces(text).map(move |r| &text[r])
    }

    /// End (exclusive byte offset) of the piece that starts at `i < text.len()`.
    fn piece_end(self, s: &[u8], i: usize) -> usize {
        let end = match self {
            Pretokenizer::Gpt2 => gpt2_end(s, i),
            Pretokenizer::Cl100k => cl100k_end(s, i),
            Pretokenizer::O200k => o200k_end(s, i),
        };
        // Every character is matched by some alternative of each pattern, so
        // a scanner always advances; guard anyway so a bug can never loop.
        debug_assert!(end > i);
        end.max(i + char_at(s, i).1)
    }
}

/// GPT-2 / r50k_base / p50k_base pattern, as tiktoken 0.14 writes it.
pub const GPT2_PATTERN: &str =
    r"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s";
/// cl100k_base pattern.
pub const CL100K_PATTERN: &str = r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s";
/// o200k_base pattern (the seven alternatives joined with `|`).
pub const O200K_PATTERN: &str = concat!(
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    "|",
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    "|",
    r"\p{N}{1,3}",
    "|",
    r" ?[^\s\p{L}\p{N}]+[\r\n/]*",
    "|",
    r"\s*[\r\n]+",
    "|",
    r"\s+(?!\S)",
    "|",
    r"\s+",
);

/// Iterator over the pieces of a text (byte ranges).
#[derive(Debug, Clone)]
pub struct Pieces<'a> {
    text: &'a [u8],
    pos: usize,
    kind: Pretokenizer,
}

impl Iterator for Pieces<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        self.pos = self.kind.piece_end(self.text, start);
        Some(start..self.pos)
    }
}

// ---------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------

/// `\p{L}`
const L: u8 = 1;
/// `\p{N}`
const N: u8 = 2;
/// `\s` (Unicode White_Space)
const WS: u8 = 4;
/// o200k's upper set `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`
const UP: u8 = 8;
/// o200k's lower set `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`
const LO: u8 = 16;
/// `\r` or `\n`
const CRLF: u8 = 32;

struct Table {
    /// For each block of 256 code points, the index of its 256 classes in `blocks`.
    index: Vec<u16>,
    blocks: Vec<[u8; 256]>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(build_table)
}

/// The code point ranges of a Unicode class written as a regex, from regex-syntax.
fn class_ranges(pattern: &str) -> Vec<(u32, u32)> {
    use regex_syntax::hir::{Class, HirKind};
    let hir = regex_syntax::Parser::new()
        .parse(pattern)
        .expect("built-in class pattern parses");
    match hir.kind() {
        HirKind::Class(Class::Unicode(cls)) => cls
            .ranges()
            .iter()
            .map(|r| (r.start() as u32, r.end() as u32))
            .collect(),
        other => unreachable!("built-in class pattern {pattern} gave {other:?}"),
    }
}

fn build_table() -> Table {
    let mut flat = vec![0u8; 0x11_0000];
    for (pattern, flag) in [
        (r"\p{L}", L),
        (r"\p{N}", N),
        (r"\s", WS),
        (r"[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]", UP),
        (r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]", LO),
        (r"[\r\n]", CRLF),
    ] {
        for (a, b) in class_ranges(pattern) {
            for c in &mut flat[a as usize..=b as usize] {
                *c |= flag;
            }
        }
    }
    let mut index = Vec::with_capacity(flat.len() / 256);
    let mut blocks: Vec<[u8; 256]> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for chunk in flat.chunks_exact(256) {
        let block: [u8; 256] = chunk.try_into().expect("chunk of 256");
        let id = *seen.entry(block).or_insert_with(|| {
            blocks.push(block);
            blocks.len() - 1
        });
        index.push(id as u16);
    }
    Table { index, blocks }
}

/// Class bits and UTF-8 length of the character starting at byte `i`.
#[inline(always)]
fn char_at(s: &[u8], i: usize) -> (u8, usize) {
    let b0 = s[i];
    if b0 < 0x80 {
        return (ASCII[b0 as usize], 1);
    }
    // The input is a `&str`, so the sequence is well formed.
    let (cp, len) = if b0 < 0xE0 {
        (((b0 as u32 & 0x1F) << 6) | (s[i + 1] as u32 & 0x3F), 2)
    } else if b0 < 0xF0 {
        (
            ((b0 as u32 & 0x0F) << 12) | ((s[i + 1] as u32 & 0x3F) << 6) | (s[i + 2] as u32 & 0x3F),
            3,
        )
    } else {
        (
            ((b0 as u32 & 0x07) << 18)
                | ((s[i + 1] as u32 & 0x3F) << 12)
                | ((s[i + 2] as u32 & 0x3F) << 6)
                | (s[i + 3] as u32 & 0x3F),
            4,
        )
    };
    let t = table();
    (
        t.blocks[t.index[(cp >> 8) as usize] as usize][(cp & 0xFF) as usize],
        len,
    )
}

/// Classes of ASCII, written out so the common case needs no table load.
const ASCII: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if b.is_ascii_alphabetic() {
            L | if b.is_ascii_uppercase() { UP } else { LO }
        } else if b.is_ascii_digit() {
            N
        } else if b == b'\r' || b == b'\n' {
            WS | CRLF
        } else if matches!(b, b' ' | b'\t' | 0x0B | 0x0C) {
            // White_Space in ASCII is \t \n \v \f \r and space (unlike
            // Python's str.isspace, not the separators 0x1C..=0x1F).
            WS
        } else {
            0
        };
        c += 1;
    }
    t
};

#[inline(always)]
fn is_other(c: u8) -> bool {
    c & (L | N | WS) == 0
}

/// `[^\r\n\p{L}\p{N}]`: the optional character that may lead a word.
#[inline(always)]
fn is_pre(c: u8) -> bool {
    c & (L | N | CRLF) == 0
}

/// End of the run of characters whose class has any bit of `mask`, from `i`.
#[inline(always)]
fn run(s: &[u8], mut i: usize, mask: u8) -> usize {
    while i < s.len() {
        let (c, l) = char_at(s, i);
        if c & mask == 0 {
            break;
        }
        i += l;
    }
    i
}

/// Whitespace alternatives shared by all patterns, starting at a whitespace
/// character `i`: returns `(end of run, start of last char, last \r|\n + 1)`.
#[inline(always)]
fn ws_run(s: &[u8], i: usize) -> (usize, usize, Option<usize>) {
    let mut j = i;
    let mut last = i;
    let mut crlf = None;
    while j < s.len() {
        let (c, l) = char_at(s, j);
        if c & WS == 0 {
            break;
        }
        if c & CRLF != 0 {
            crlf = Some(j + 1);
        }
        last = j;
        j += l;
    }
    (j, last, crlf)
}

/// `\s+(?!\S)` then `\s`: the run minus its last character when that leaves
/// something (the last one then joins the following word), else one character.
#[inline(always)]
fn ws_lookahead(s: &[u8], i: usize, j: usize, last: usize) -> usize {
    if j < s.len() && last > i {
        last
    } else {
        j
    }
}

/// Case-sensitive GPT-2 contraction after an apostrophe at `i`.
fn contraction_gpt2(s: &[u8], i: usize) -> Option<usize> {
    match s.get(i + 1)? {
        b's' | b'd' | b'm' | b't' => Some(i + 2),
        b'l' if s.get(i + 2) == Some(&b'l') => Some(i + 3),
        b'v' | b'r' if s.get(i + 2) == Some(&b'e') => Some(i + 3),
        _ => None,
    }
}

/// Length in bytes of a case-insensitive `s` at `i` (s, S, or ſ U+017F).
fn ci_s(s: &[u8], i: usize) -> Option<usize> {
    match s.get(i)? {
        b's' | b'S' => Some(1),
        0xC5 if s.get(i + 1) == Some(&0xBF) => Some(2),
        _ => None,
    }
}

fn ci(s: &[u8], i: usize, lower: u8) -> bool {
    s.get(i).is_some_and(|b| b.to_ascii_lowercase() == lower)
}

/// cl100k's `'(?i:[sdmt]|ll|ve|re)` and o200k's `(?i:'s|'t|'re|'ve|'m|'ll|'d)`
/// (the same language) after an apostrophe at `i`.
fn contraction_ci(s: &[u8], i: usize) -> Option<usize> {
    if s.get(i) != Some(&b'\'') {
        return None;
    }
    if let Some(n) = ci_s(s, i + 1) {
        return Some(i + 1 + n);
    }
    if ci(s, i + 1, b'd') || ci(s, i + 1, b'm') || ci(s, i + 1, b't') {
        return Some(i + 2);
    }
    if (ci(s, i + 1, b'l') && ci(s, i + 2, b'l'))
        || (ci(s, i + 1, b'v') && ci(s, i + 2, b'e'))
        || (ci(s, i + 1, b'r') && ci(s, i + 2, b'e'))
    {
        return Some(i + 3);
    }
    None
}

// ---------------------------------------------------------------------------
// The three scanners. Each comment quotes the alternative it implements;
// alternatives are tried in order, as a backtracking engine does.
// ---------------------------------------------------------------------------

fn gpt2_end(s: &[u8], i: usize) -> usize {
    // '(?:[sdmt]|ll|ve|re)
    if s[i] == b'\'' {
        if let Some(e) = contraction_gpt2(s, i) {
            return e;
        }
    }
    let (c0, _) = char_at(s, i);
    // ` ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++` with the space taken
    if s[i] == b' ' && i + 1 < s.len() {
        let (c1, _) = char_at(s, i + 1);
        if c1 & L != 0 {
            return run(s, i + 1, L);
        }
        if c1 & N != 0 {
            return run(s, i + 1, N);
        }
        if is_other(c1) {
            return run_other(s, i + 1);
        }
    }
    // ... and without the space
    if c0 & L != 0 {
        return run(s, i, L);
    }
    if c0 & N != 0 {
        return run(s, i, N);
    }
    if is_other(c0) {
        return run_other(s, i);
    }
    // \s++$|\s+(?!\S)|\s
    let (j, last, _) = ws_run(s, i);
    ws_lookahead(s, i, j, last)
}

fn run_other(s: &[u8], mut i: usize) -> usize {
    while i < s.len() {
        let (c, l) = char_at(s, i);
        if !is_other(c) {
            break;
        }
        i += l;
    }
    i
}

fn cl100k_end(s: &[u8], i: usize) -> usize {
    // '(?i:[sdmt]|ll|ve|re)
    if let Some(e) = contraction_ci(s, i) {
        return e;
    }
    let (c0, l0) = char_at(s, i);
    // [^\r\n\p{L}\p{N}]?+\p{L}++ — the possessive `?+` keeps a leading
    // character once taken, so a lone punctuation mark or space falls through.
    if c0 & L != 0 {
        return run(s, i, L);
    }
    if is_pre(c0) && i + l0 < s.len() && char_at(s, i + l0).0 & L != 0 {
        return run(s, i + l0, L);
    }
    // \p{N}{1,3}+
    if c0 & N != 0 {
        let mut j = i + l0;
        for _ in 0..2 {
            if j < s.len() {
                let (c, l) = char_at(s, j);
                if c & N != 0 {
                    j += l;
                    continue;
                }
            }
            break;
        }
        return j;
    }
    //  ?[^\s\p{L}\p{N}]++[\r\n]*+
    let start = if s[i] == b' ' && i + 1 < s.len() && is_other(char_at(s, i + 1).0) {
        i + 1
    } else {
        i
    };
    if is_other(char_at(s, start).0) {
        let mut j = run_other(s, start);
        while j < s.len() && (s[j] == b'\r' || s[j] == b'\n') {
            j += 1;
        }
        return j;
    }
    // \s++$
    let (j, last, crlf) = ws_run(s, i);
    if j == s.len() {
        return j;
    }
    // \s*[\r\n]
    if let Some(e) = crlf {
        return e;
    }
    // \s+(?!\S)|\s
    ws_lookahead(s, i, j, last)
}

fn o200k_end(s: &[u8], i: usize) -> usize {
    let (c0, l0) = char_at(s, i);
    // The optional leading `[^\r\n\p{L}\p{N}]?` is tried taken, then not.
    let starts: &[usize] = if is_pre(c0) { &[i + l0, i] } else { &[i] };
    // [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|…)?
    for &st in starts {
        if let Some(e) = o200k_lower_word(s, st) {
            return e;
        }
    }
    // [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|…)?
    for &st in starts {
        let j = run(s, st, UP);
        if j > st {
            let k = run(s, j, LO);
            return contraction_ci(s, k).unwrap_or(k);
        }
    }
    // \p{N}{1,3}
    if c0 & N != 0 {
        let mut j = i + l0;
        for _ in 0..2 {
            if j < s.len() {
                let (c, l) = char_at(s, j);
                if c & N != 0 {
                    j += l;
                    continue;
                }
            }
            break;
        }
        return j;
    }
    //  ?[^\s\p{L}\p{N}]+[\r\n/]*
    let start = if s[i] == b' ' && i + 1 < s.len() && is_other(char_at(s, i + 1).0) {
        i + 1
    } else {
        i
    };
    if is_other(char_at(s, start).0) {
        let mut j = run_other(s, start);
        while j < s.len() && matches!(s[j], b'\r' | b'\n' | b'/') {
            j += 1;
        }
        return j;
    }
    // \s*[\r\n]+ — backtracking leaves the run's last \r or \n at the end.
    let (j, last, crlf) = ws_run(s, i);
    if let Some(e) = crlf {
        return e;
    }
    // \s+(?!\S)|\s+
    ws_lookahead(s, i, j, last)
}

/// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:…)?` from `st`.
/// The greedy upper run gives back characters until a lower-set character
/// follows it; the lower run is then maximal.
fn o200k_lower_word(s: &[u8], st: usize) -> Option<usize> {
    // Scan the upper run, remembering the last position whose character is
    // also in the lower set (Lm, Lo, M): the furthest place the lower run
    // can begin if the run's end does not work.
    let mut j = st;
    let mut last_both = None;
    while j < s.len() {
        let (c, l) = char_at(s, j);
        if c & UP == 0 {
            break;
        }
        if c & LO != 0 {
            last_both = Some(j);
        }
        j += l;
    }
    let lower_start = if j < s.len() && char_at(s, j).0 & LO != 0 {
        j
    } else {
        last_both?
    };
    let k = run(s, lower_start, LO);
    Some(contraction_ci(s, k).unwrap_or(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(p: Pretokenizer, t: &str) -> Vec<&str> {
        p.split(t).collect()
    }

    #[test]
    fn gpt2_examples() {
        assert_eq!(
            split(Pretokenizer::Gpt2, "Hello world's  end 123\n\n  x"),
            ["Hello", " world", "'s", " ", " end", " 123", "\n\n ", " x"]
        );
    }

    #[test]
    fn cl100k_examples() {
        assert_eq!(
            split(Pretokenizer::Cl100k, "I'LL pay 12345!!\n\n  x  "),
            ["I", "'LL", " pay", " ", "123", "45", "!!\n\n", " ", " x", "  "]
        );
    }

    #[test]
    fn o200k_examples() {
        assert_eq!(
            split(Pretokenizer::O200k, "HelloWORLD they're a/b\n"),
            ["Hello", "WORLD", " they're", " a", "/b", "\n"]
        );
    }

    #[test]
    fn class_table_agrees_with_std_on_whitespace_and_numbers() {
        for c in (0u32..0x3_0000).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let s = c.encode_utf8(&mut buf);
            let (cls, _) = char_at(s.as_bytes(), 0);
            assert_eq!(cls & WS != 0, c.is_whitespace(), "{c:?}");
        }
    }
}
