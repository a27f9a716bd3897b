//! HF `tokenizer.json` for the Unigram / SentencePiece family: reading HF's
//! files into a tokenizer that encodes exactly as HF `tokenizers` does, and
//! writing SentencePiece Unigram models (trained here or loaded from a
//! `.model`) as files HF loads (format of tokenizers 0.23).
//!
//! HF runs a pipeline rather than sentencepiece's single normaliser:
//! added tokens are cut out of the raw text, each remaining segment goes
//! through the normalizers, the `Metaspace` pre-tokenizer turns spaces into
//! `▁` (prepending one) and splits before each `▁`, and the `Unigram` model
//! finds the Viterbi segmentation of each word (Kudo 2018, §3) with `f64`
//! scores, all vocabulary entries as candidates, unknown characters scored
//! min − 10 and fused, and `<0xNN>` pieces for unknown text with
//! `byte_fallback`. This module implements those semantics:
//!
//! * normalizers `Precompiled` (a sentencepiece charsmap applied per grapheme
//!   cluster, shortest rule first, as `spm_precompiled` does), `Nmt`, `NFKC`,
//!   `NFC`, `NFD`, `NFKD`, `Lowercase`, `Strip`, `Replace` (string or regex),
//!   `Prepend` and `Sequence`;
//! * pre-tokenizers `Metaspace` (`prepend_scheme` always / first / never,
//!   `split`), `WhitespaceSplit` and `Sequence`;
//! * post-processor `TemplateProcessing` (single sequences) or none;
//! * decoders `Metaspace`, `Replace`, `ByteFallback`, `Fuse`, `Strip` and
//!   `Sequence`.
//!
//! Added tokens are cut out of the raw text, leftmost and longest first
//! (tokens marked `normalized` too, where HF would match those after
//! normalisation); `lstrip`, `rstrip` and `single_word` are refused. Anything
//! else is an error naming the component. Writing emits
//! `Precompiled` + `Strip` + `Replace(" {2,}", " ")` (sentencepiece's
//! whitespace rules), `Metaspace`, and a `Unigram` model with the pieces and
//! scores as sentencepiece's Viterbi uses them: the unknown, control and byte
//! pieces, which sentencepiece never matches in text, get score −1e9, and
//! user-defined pieces the bonus score that makes them always win; none is an
//! HF added token (HF would cut `<unk>` out of the text and strip the spaces
//! around a user-defined piece). What remains different: where the text
//! spells a special piece (`<unk>`) with characters outside the vocabulary,
//! HF's Viterbi may take the vocabulary entry, sentencepiece never does.
//!
//! Cost: reading is linear in the file; encoding is O(n · L) per text as in
//! [`crate::unigram`], plus the normalizers' linear passes.

use std::path::{Path, PathBuf};

use base64::Engine;
use serde_json::{json, Map, Value};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::error::{read_utf8, TextError};
use crate::sentencepiece_model::{byte_to_piece, piece_to_byte, ModelProto, ModelType, PieceType};
use crate::unigram::PieceTrie;

/// HF's `K_UNK_PENALTY`.
const UNK_PENALTY: f64 = 10.0;
/// Score written for pieces that must never segment text. It also lowers
/// HF's unknown score (min − 10), which changes nothing: every segmentation
/// of a text holds the same unknown characters.
const NEVER_SCORE: f64 = -1e9;

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

/// The `tokenizer.json` of a SentencePiece Unigram model.
pub fn to_tokenizer_json(model: &ModelProto) -> Result<String, TextError> {
    if model.trainer_spec.model_type != ModelType::Unigram {
        return Err(TextError::Invalid(format!(
            "only Unigram models can be written as a Unigram tokenizer.json (this one is {:?})",
            model.trainer_spec.model_type
        )));
    }
    let ns = &model.normalizer_spec;
    let mut norms = Vec::new();
    if !ns.precompiled_charsmap.is_empty() {
        norms.push(json!({
            "type": "Precompiled",
            "precompiled_charsmap": base64::engine::general_purpose::STANDARD.encode(&ns.precompiled_charsmap),
        }));
    }
    if ns.remove_extra_whitespaces {
        norms.push(json!({"type": "Strip", "strip_left": true, "strip_right": true}));
        norms.push(json!({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}));
    }
    let normalizer = if norms.is_empty() {
        Value::Null
    } else {
        json!({"type": "Sequence", "normalizers": norms})
    };
    let scheme = if ns.add_dummy_prefix {
        "always"
    } else {
        "never"
    };
    let metaspace = json!({"type": "Metaspace", "replacement": "\u{2581}", "prepend_scheme": scheme, "split": true});
    let byte_fallback = model.trainer_spec.byte_fallback;
    let decoder = if byte_fallback {
        json!({"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "\u{2581}"}, "content": " "},
            {"type": "ByteFallback"},
            {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": if ns.add_dummy_prefix { 1 } else { 0 }, "stop": 0},
        ]})
    } else {
        metaspace.clone()
    };
    // sentencepiece never matches the unknown, control and byte pieces in
    // text, so they get a score no segmentation picks, and they are not
    // added tokens (HF would cut `<unk>` out of the text). A user-defined
    // piece gets the score sentencepiece's Viterbi gives it (n · max − 0.1,
    // which beats any split), and is not an added token either: HF would
    // strip the spaces around it, sentencepiece keeps them as `▁`.
    let max_score = model
        .pieces
        .iter()
        .filter(|p| p.kind == PieceType::Normal)
        .map(|p| p.score)
        .fold(f32::MIN_POSITIVE, f32::max);
    let vocab: Vec<Value> = model
        .pieces
        .iter()
        .map(|p| {
            let score = match p.kind {
                PieceType::Unknown | PieceType::Control | PieceType::Byte | PieceType::Unused => {
                    NEVER_SCORE
                }
                PieceType::UserDefined => f64::from(p.piece.len() as f32 * max_score - 0.1),
                PieceType::Normal => f64::from(p.score),
            };
            json!([p.piece, score])
        })
        .collect();
    let added: Vec<Value> = Vec::new();
    let unk = u32::try_from(model.trainer_spec.unk_id).ok();
    let doc = json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": added,
        "normalizer": normalizer,
        "pre_tokenizer": metaspace,
        "post_processor": null,
        "decoder": decoder,
        "model": {
            "type": "Unigram",
            "unk_id": unk,
            "vocab": vocab,
            "byte_fallback": byte_fallback,
        },
    });
    serde_json::to_string_pretty(&doc).map_err(|source| TextError::Json {
        what: "tokenizer.json".into(),
        source,
    })
}

// ---------------------------------------------------------------------------
// The HF pipeline
// ---------------------------------------------------------------------------

/// A normalised text: each character with the byte span of the input it
/// came from.
type Spanned = Vec<(char, usize, usize)>;

/// A sentencepiece charsmap with HF's `Precompiled` semantics.
#[derive(Debug, Clone)]
struct Charsmap {
    units: Vec<u32>,
    strings: Vec<u8>,
}

impl Charsmap {
    fn parse(blob: &[u8]) -> Result<Self, String> {
        if blob.len() < 4 {
            return Err("shorter than its 4-byte header".into());
        }
        let size = u32::from_le_bytes([blob[0], blob[1], blob[2], blob[3]]) as usize;
        if !size.is_multiple_of(4) || size > blob.len() - 4 {
            return Err(format!("trie size {size} does not fit the charsmap"));
        }
        let units = blob[4..4 + size]
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let strings = blob[4 + size..].to_vec();
        if std::str::from_utf8(&strings).is_err() {
            return Err("the replacement strings are not UTF-8".into());
        }
        Ok(Self { units, strings })
    }

    /// The replacement under the *shortest* rule matching a prefix of `s`.
    fn transform(&self, s: &str) -> Option<&str> {
        let offset = |u: u32| ((u >> 10) << ((u & (1 << 9)) >> 6)) as usize;
        let mut pos = offset(*self.units.first()?);
        for &c in s.as_bytes() {
            pos ^= c as usize;
            let u = *self.units.get(pos)?;
            if u & (0x8000_0000 | 0xFF) != c as u32 {
                return None;
            }
            pos ^= offset(u);
            if (u >> 8) & 1 == 1 {
                let v = (*self.units.get(pos)? & 0x7FFF_FFFF) as usize;
                let tail = self.strings.get(v..)?;
                let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
                return std::str::from_utf8(&tail[..end]).ok();
            }
        }
        None
    }
}

#[derive(Debug, Clone)]
enum Pattern {
    Str(String),
    Regex(regex::Regex),
}

#[derive(Debug, Clone)]
enum NormStep {
    Precompiled(Box<Charsmap>),
    Nmt,
    Nfkc,
    Nfc,
    Nfd,
    Nfkd,
    Lowercase,
    Strip { left: bool, right: bool },
    Replace { pattern: Pattern, content: String },
    Prepend(String),
}

fn text_of(s: &Spanned) -> String {
    s.iter().map(|c| c.0).collect()
}

/// Applies `f` to each grapheme cluster; the output characters take the
/// cluster's span.
fn per_grapheme(s: &Spanned, mut f: impl FnMut(&str, &mut Vec<char>)) -> Spanned {
    let text = text_of(s);
    let mut out = Spanned::with_capacity(s.len());
    let mut ci = 0; // char index into s
    let mut buf = Vec::new();
    for g in text.graphemes(true) {
        let n = g.chars().count();
        let (start, end) = (s[ci].1, s[ci + n - 1].2);
        buf.clear();
        f(g, &mut buf);
        out.extend(buf.iter().map(|&c| (c, start, end)));
        ci += n;
    }
    out
}

impl NormStep {
    fn apply(&self, s: Spanned) -> Spanned {
        match self {
            NormStep::Precompiled(map) => {
                let text = text_of(&s);
                let mut out = Spanned::with_capacity(s.len());
                let mut ci = 0;
                for g in text.graphemes(true) {
                    let chars: Vec<char> = g.chars().collect();
                    let (start, end) = (s[ci].1, s[ci + chars.len() - 1].2);
                    let whole = if g.len() < 6 { map.transform(g) } else { None };
                    match whole {
                        Some(rep) => out.extend(rep.chars().map(|c| (c, start, end))),
                        None => {
                            for (k, &c) in chars.iter().enumerate() {
                                let (cs, ce) = (s[ci + k].1, s[ci + k].2);
                                let mut tmp = [0u8; 4];
                                match map.transform(c.encode_utf8(&mut tmp)) {
                                    Some(rep) => out.extend(rep.chars().map(|r| (r, cs, ce))),
                                    None => out.push((c, cs, ce)),
                                }
                            }
                        }
                    }
                    ci += chars.len();
                }
                out
            }
            NormStep::Nmt => s
                .into_iter()
                .filter(|&(c, _, _)| {
                    !matches!(c as u32, 0x01..=0x08 | 0x0B | 0x0E..=0x1F | 0x7F | 0x8F | 0x9F)
                })
                .map(|(c, a, b)| {
                    let c = match c as u32 {
                        0x09 | 0x0A | 0x0C | 0x0D | 0x1680 | 0x200B..=0x200F | 0x2028 | 0x2029
                        | 0x2581 | 0xFEFF | 0xFFFD => ' ',
                        _ => c,
                    };
                    (c, a, b)
                })
                .collect(),
            NormStep::Nfkc => per_grapheme(&s, |g, o| o.extend(g.nfkc())),
            NormStep::Nfc => per_grapheme(&s, |g, o| o.extend(g.nfc())),
            NormStep::Nfd => per_grapheme(&s, |g, o| o.extend(g.nfd())),
            NormStep::Nfkd => per_grapheme(&s, |g, o| o.extend(g.nfkd())),
            NormStep::Lowercase => s
                .into_iter()
                .flat_map(|(c, a, b)| c.to_lowercase().map(move |l| (l, a, b)))
                .collect(),
            NormStep::Strip { left, right } => {
                let mut lo = 0;
                let mut hi = s.len();
                if *left {
                    while lo < hi && s[lo].0.is_whitespace() {
                        lo += 1;
                    }
                }
                if *right {
                    while hi > lo && s[hi - 1].0.is_whitespace() {
                        hi -= 1;
                    }
                }
                s[lo..hi].to_vec()
            }
            NormStep::Replace { pattern, content } => {
                let text = text_of(&s);
                // Byte offset → char index.
                let mut char_at = vec![0usize; text.len() + 1];
                for (ci, (bi, ch)) in text.char_indices().enumerate() {
                    for k in 0..ch.len_utf8() {
                        char_at[bi + k] = ci;
                    }
                }
                char_at[text.len()] = s.len();
                let matches: Vec<(usize, usize)> = match pattern {
                    Pattern::Str(p) if p.is_empty() => Vec::new(),
                    Pattern::Str(p) => text
                        .match_indices(p.as_str())
                        .map(|(i, m)| (i, i + m.len()))
                        .collect(),
                    Pattern::Regex(re) => re
                        .find_iter(&text)
                        .filter(|m| !m.is_empty())
                        .map(|m| (m.start(), m.end()))
                        .collect(),
                };
                let mut out = Spanned::with_capacity(s.len());
                let mut ci = 0;
                for (a, b) in matches {
                    let (ca, cb) = (char_at[a], char_at[b]);
                    out.extend_from_slice(&s[ci..ca]);
                    let (start, end) = (s[ca].1, s[cb - 1].2);
                    out.extend(content.chars().map(|c| (c, start, end)));
                    ci = cb;
                }
                out.extend_from_slice(&s[ci..]);
                out
            }
            NormStep::Prepend(p) => {
                if s.is_empty() {
                    return s;
                }
                let (a, b) = (s[0].1, s[0].2);
                let mut out: Spanned = p.chars().map(|c| (c, a, b)).collect();
                out.extend(s);
                out
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PrependScheme {
    Always,
    First,
    Never,
}

#[derive(Debug, Clone)]
enum PreTok {
    Metaspace {
        replacement: char,
        scheme: PrependScheme,
        split: bool,
    },
    WhitespaceSplit,
}

impl PreTok {
    /// Splits each word further; `first` tells whether a word starts at the
    /// beginning of the input (for `prepend_scheme: first`).
    fn apply(&self, words: Vec<(Spanned, bool)>) -> Vec<(Spanned, bool)> {
        let mut out = Vec::new();
        for (w, first) in words {
            match self {
                PreTok::Metaspace {
                    replacement,
                    scheme,
                    split,
                } => {
                    let mut w: Spanned = w
                        .into_iter()
                        .map(|(c, a, b)| (if c == ' ' { *replacement } else { c }, a, b))
                        .collect();
                    let prepend = match scheme {
                        PrependScheme::Always => true,
                        PrependScheme::First => first,
                        PrependScheme::Never => false,
                    };
                    if prepend && w.first().map(|c| c.0) != Some(*replacement) {
                        let (a, _) = w.first().map(|c| (c.1, c.2)).unwrap_or((0, 0));
                        w.insert(0, (*replacement, a, a));
                    }
                    if !*split {
                        out.push((w, first));
                        continue;
                    }
                    let mut cur = Spanned::new();
                    let mut is_first = first;
                    for ch in w {
                        if ch.0 == *replacement && !cur.is_empty() {
                            out.push((std::mem::take(&mut cur), is_first));
                            is_first = false;
                        }
                        cur.push(ch);
                    }
                    if !cur.is_empty() {
                        out.push((cur, is_first));
                    }
                }
                PreTok::WhitespaceSplit => {
                    let mut cur = Spanned::new();
                    for ch in w {
                        if ch.0.is_whitespace() {
                            if !cur.is_empty() {
                                out.push((std::mem::take(&mut cur), false));
                            }
                        } else {
                            cur.push(ch);
                        }
                    }
                    if !cur.is_empty() {
                        out.push((cur, false));
                    }
                }
            }
        }
        out
    }
}

#[derive(Debug, Clone)]
enum DecStep {
    Metaspace {
        replacement: char,
        scheme: PrependScheme,
    },
    Replace {
        pattern: Pattern,
        content: String,
    },
    ByteFallback,
    Fuse,
    Strip {
        content: char,
        start: usize,
        stop: usize,
    },
}

impl DecStep {
    fn apply(&self, tokens: Vec<String>) -> Vec<String> {
        match self {
            DecStep::Metaspace {
                replacement,
                scheme,
            } => tokens
                .into_iter()
                .enumerate()
                .map(|(i, t)| {
                    let t: String = t
                        .chars()
                        .map(|c| if c == *replacement { ' ' } else { c })
                        .collect();
                    if i == 0 && *scheme != PrependScheme::Never {
                        t.strip_prefix(' ').map(str::to_owned).unwrap_or(t)
                    } else {
                        t
                    }
                })
                .collect(),
            DecStep::Replace { pattern, content } => tokens
                .into_iter()
                .map(|t| match pattern {
                    Pattern::Str(p) if !p.is_empty() => t.replace(p.as_str(), content),
                    Pattern::Str(_) => t,
                    Pattern::Regex(re) => re.replace_all(&t, content.as_str()).into_owned(),
                })
                .collect(),
            DecStep::ByteFallback => {
                let mut out = Vec::with_capacity(tokens.len());
                let mut bytes: Vec<u8> = Vec::new();
                let mut pending = 0usize;
                let flush = |bytes: &mut Vec<u8>, pending: &mut usize, out: &mut Vec<String>| {
                    if bytes.is_empty() {
                        return;
                    }
                    match String::from_utf8(std::mem::take(bytes)) {
                        Ok(s) => out.push(s),
                        Err(_) => out.extend(std::iter::repeat_n("\u{FFFD}".to_string(), *pending)),
                    }
                    *pending = 0;
                };
                for t in tokens {
                    match piece_to_byte(&t) {
                        Some(b) if t.len() == 6 => {
                            bytes.push(b);
                            pending += 1;
                        }
                        _ => {
                            flush(&mut bytes, &mut pending, &mut out);
                            out.push(t);
                        }
                    }
                }
                flush(&mut bytes, &mut pending, &mut out);
                out
            }
            DecStep::Fuse => vec![tokens.concat()],
            DecStep::Strip {
                content,
                start,
                stop,
            } => tokens
                .into_iter()
                .map(|t| {
                    let chars: Vec<char> = t.chars().collect();
                    let mut lo = 0;
                    while lo < *start && lo < chars.len() && chars[lo] == *content {
                        lo += 1;
                    }
                    let mut hi = chars.len();
                    let mut k = 0;
                    while k < *stop && hi > lo && chars[hi - 1] == *content {
                        hi -= 1;
                        k += 1;
                    }
                    chars[lo..hi].iter().collect()
                })
                .collect(),
        }
    }
}

/// HF's Unigram model (`tokenizers::models::unigram`).
#[derive(Debug, Clone)]
struct HfUnigram {
    vocab: Vec<(String, f64)>,
    index: std::collections::HashMap<String, u32>,
    trie: PieceTrie,
    unk_id: Option<u32>,
    byte_fallback: bool,
    min_score: f64,
}

impl HfUnigram {
    fn new(vocab: Vec<(String, f64)>, unk_id: Option<u32>, byte_fallback: bool) -> Self {
        let trie = PieceTrie::new(
            vocab
                .iter()
                .enumerate()
                .map(|(i, (p, _))| (p.as_bytes(), i as u32)),
        );
        let index = vocab
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (p.clone(), i as u32))
            .collect();
        let min_score = vocab.iter().map(|v| v.1).fold(f64::INFINITY, f64::min);
        Self {
            vocab,
            index,
            trie,
            unk_id,
            byte_fallback,
            min_score,
        }
    }

    /// Viterbi pieces of `s` as byte ranges; unknown runs fused.
    fn segment(&self, s: &str) -> Result<Vec<(usize, usize, Option<u32>)>, TextError> {
        #[derive(Clone, Copy)]
        struct Best {
            id: u32,
            score: f64,
            start: Option<usize>,
        }
        let b = s.as_bytes();
        let size = b.len();
        let unk_score = self.min_score - UNK_PENALTY;
        let mut best = vec![
            Best {
                id: 0,
                score: 0.0,
                start: None
            };
            size + 1
        ];
        let mut pos = 0;
        while pos < size {
            let here = best[pos].score;
            let mblen = crate::sentencepiece_normalizer::utf8_len(b[pos]).min(size - pos);
            let mut single = false;
            self.trie.prefixes(&b[pos..], |len, id| {
                let cand = self.vocab[id as usize].1 + here;
                let t = &mut best[pos + len];
                if t.start.is_none() || cand > t.score {
                    *t = Best {
                        id,
                        score: cand,
                        start: Some(pos),
                    };
                }
                single |= len == mblen;
            });
            if !single {
                let unk = self.unk_id.ok_or_else(|| {
                    TextError::Invalid(format!(
                        "the text holds {:?}, which no piece covers, and the model has no unk_id",
                        &s[pos..pos + mblen]
                    ))
                })?;
                let cand = unk_score + here;
                let t = &mut best[pos + mblen];
                if t.start.is_none() || cand > t.score {
                    *t = Best {
                        id: unk,
                        score: cand,
                        start: Some(pos),
                    };
                }
            }
            pos += mblen;
        }
        let mut out: Vec<(usize, usize, Option<u32>)> = Vec::new();
        let mut end = size;
        while end > 0 {
            let n = best[end];
            let start = n.start.unwrap_or(0);
            let is_unk = Some(n.id) == self.unk_id;
            match out.last_mut() {
                // Fuse with the following unknown (the path is walked backwards).
                Some(last) if is_unk && last.2.is_none() => last.0 = start,
                _ => out.push((start, end, if is_unk { None } else { Some(n.id) })),
            }
            end = start;
        }
        out.reverse();
        Ok(out)
    }
}

/// One token of an encoding: id, the piece, and the byte span of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnigramToken {
    pub id: u32,
    pub token: String,
    pub start: usize,
    pub end: usize,
}

/// An added token matched in the raw text.
#[derive(Debug, Clone)]
struct Added {
    content: String,
    id: u32,
    special: bool,
}

/// A post-processor template item.
#[derive(Debug, Clone)]
enum TemplateItem {
    Sequence,
    Special(Vec<u32>),
}

/// An HF Unigram tokenizer read from a `tokenizer.json` (see the module
/// documentation).
#[derive(Debug, Clone)]
pub struct UnigramTokenizer {
    path: PathBuf,
    added: Vec<Added>,
    normalizers: Vec<NormStep>,
    pre_tokenizers: Vec<PreTok>,
    model: HfUnigram,
    template: Option<Vec<TemplateItem>>,
    decoders: Vec<DecStep>,
}

impl UnigramTokenizer {
    /// Number of vocabulary entries.
    pub fn len(&self) -> usize {
        self.model.vocab.len()
    }

    pub fn is_empty(&self) -> bool {
        self.model.vocab.is_empty()
    }

    /// The file it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The piece of `id`.
    pub fn id_to_token(&self, id: u32) -> Option<&str> {
        if let Some(a) = self.added.iter().find(|a| a.id == id) {
            return Some(&a.content);
        }
        self.model.vocab.get(id as usize).map(|v| v.0.as_str())
    }

    /// Encodes `text` as HF's `Tokenizer.encode(text)` does (special tokens
    /// of the post-processor included).
    pub fn encode(&self, text: &str) -> Result<Vec<UnigramToken>, TextError> {
        let mut out = Vec::new();
        for (start, end, added) in self.split_added(text) {
            if let Some(a) = added {
                out.push(UnigramToken {
                    id: a.id,
                    token: a.content.clone(),
                    start,
                    end,
                });
                continue;
            }
            let mut s: Spanned = text[start..end]
                .char_indices()
                .map(|(i, c)| (c, start + i, start + i + c.len_utf8()))
                .collect();
            for n in &self.normalizers {
                s = n.apply(s);
            }
            let mut words = vec![(s, start == 0)];
            for p in &self.pre_tokenizers {
                words = p.apply(words);
            }
            for (w, _) in words {
                if w.is_empty() {
                    continue;
                }
                let word = text_of(&w);
                // Byte offset in `word` → span in the input.
                let mut spans = Vec::with_capacity(word.len() + 1);
                for &(c, a, b) in &w {
                    for _ in 0..c.len_utf8() {
                        spans.push((a, b));
                    }
                }
                for (a, b, id) in self.model.segment(&word)? {
                    let (sa, sb) = (spans[a].0, spans[b - 1].1);
                    let piece = &word[a..b];
                    match id.or_else(|| self.model.index.get(piece).copied()) {
                        Some(id) => out.push(UnigramToken {
                            id,
                            token: piece.to_owned(),
                            start: sa,
                            end: sb,
                        }),
                        None => {
                            let bytes: Option<Vec<u32>> = if self.model.byte_fallback {
                                piece
                                    .bytes()
                                    .map(|x| self.model.index.get(&byte_to_piece(x)).copied())
                                    .collect()
                            } else {
                                None
                            };
                            match bytes {
                                Some(ids) => {
                                    for (x, id) in piece.bytes().zip(ids) {
                                        out.push(UnigramToken {
                                            id,
                                            token: byte_to_piece(x),
                                            start: sa,
                                            end: sb,
                                        });
                                    }
                                }
                                None => out.push(UnigramToken {
                                    // segment() only leaves an unknown when unk_id is set.
                                    id: self.model.unk_id.unwrap_or(0),
                                    token: piece.to_owned(),
                                    start: sa,
                                    end: sb,
                                }),
                            }
                        }
                    }
                }
            }
        }
        if let Some(t) = &self.template {
            let mut with = Vec::with_capacity(out.len() + 2);
            for item in t {
                match item {
                    TemplateItem::Sequence => with.append(&mut out),
                    TemplateItem::Special(ids) => {
                        for &id in ids {
                            with.push(UnigramToken {
                                id,
                                token: self.id_to_token(id).unwrap_or_default().to_owned(),
                                start: 0,
                                end: 0,
                            });
                        }
                    }
                }
            }
            out = with;
        }
        Ok(out)
    }

    /// Ids of `text`.
    pub fn encode_ids(&self, text: &str) -> Result<Vec<u32>, TextError> {
        Ok(self.encode(text)?.into_iter().map(|t| t.id).collect())
    }

    /// Cuts the added tokens out of `text` (leftmost, longest first).
    fn split_added(&self, text: &str) -> Vec<(usize, usize, Option<&Added>)> {
        let mut out = Vec::new();
        let mut seg = 0;
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            let hit = self
                .added
                .iter()
                .filter(|a| !a.content.is_empty() && rest.starts_with(a.content.as_str()))
                .max_by_key(|a| a.content.len());
            match hit {
                Some(a) => {
                    if seg < i {
                        out.push((seg, i, None));
                    }
                    out.push((i, i + a.content.len(), Some(a)));
                    i += a.content.len();
                    seg = i;
                }
                None => i += rest.chars().next().map_or(1, char::len_utf8),
            }
        }
        if seg < text.len() {
            out.push((seg, text.len(), None));
        }
        out
    }

    /// Decodes ids as HF's `decode(ids)` (special tokens skipped).
    pub fn decode(&self, ids: &[u32]) -> Result<String, TextError> {
        let mut tokens = Vec::with_capacity(ids.len());
        for &id in ids {
            if self.added.iter().any(|a| a.id == id && a.special) {
                continue;
            }
            match self.id_to_token(id) {
                Some(t) => tokens.push(t.to_owned()),
                None => {
                    return Err(TextError::UnknownTokenId {
                        id,
                        n_vocab: self.len(),
                    })
                }
            }
        }
        for d in &self.decoders {
            tokens = d.apply(tokens);
        }
        Ok(tokens.concat())
    }

    /// Reads an HF `tokenizer.json` whose model is `Unigram`.
    pub fn from_tokenizer_json(path: impl AsRef<Path>) -> Result<Self, TextError> {
        let path = path.as_ref();
        let text = read_utf8(path)?;
        Self::from_tokenizer_json_str(&text, path)
    }

    /// Parses the text of a `tokenizer.json`; `path` names it in errors.
    pub fn from_tokenizer_json_str(text: &str, path: &Path) -> Result<Self, TextError> {
        let root: Value = serde_json::from_str(text).map_err(|source| TextError::Json {
            what: path.display().to_string(),
            source,
        })?;
        let cx = Ctx { path };
        let root = cx.obj(&root, "the file")?;
        let model = cx.model(
            root.get("model")
                .ok_or_else(|| cx.bad("the file lacks the field \"model\"".into()))?,
        )?;
        let mut added = Vec::new();
        if let Some(list) = root.get("added_tokens").filter(|v| !v.is_null()) {
            let list = list
                .as_array()
                .ok_or_else(|| cx.bad("added_tokens must be an array".into()))?;
            for (i, a) in list.iter().enumerate() {
                let what = format!("added_tokens[{i}]");
                let m = cx.obj(a, &what)?;
                for flag in ["lstrip", "rstrip", "single_word"] {
                    if m.get(flag).and_then(Value::as_bool) == Some(true) {
                        return Err(cx.unsupported(
                            &format!("{what}.{flag}"),
                            &Value::Bool(true),
                            "false",
                        ));
                    }
                }
                let id = m
                    .get("id")
                    .and_then(Value::as_u64)
                    .and_then(|v| u32::try_from(v).ok())
                    .ok_or_else(|| cx.bad(format!("{what}.id must be a non-negative integer")))?;
                let content = m
                    .get("content")
                    .and_then(Value::as_str)
                    .ok_or_else(|| cx.bad(format!("{what}.content must be a string")))?;
                let special = m.get("special").and_then(Value::as_bool).unwrap_or(false);
                added.push(Added {
                    content: content.to_owned(),
                    id,
                    special,
                });
            }
        }
        let normalizers = match root.get("normalizer") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => cx.normalizer(v, "normalizer")?,
        };
        let pre_tokenizers = match root.get("pre_tokenizer") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => cx.pre_tokenizer(v, "pre_tokenizer")?,
        };
        let decoders = match root.get("decoder") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => cx.decoder(v, "decoder")?,
        };
        let template = match root.get("post_processor") {
            None | Some(Value::Null) => None,
            Some(v) => Some(cx.template(v)?),
        };
        Ok(Self {
            path: path.to_path_buf(),
            added,
            normalizers,
            pre_tokenizers,
            model,
            template,
            decoders,
        })
    }
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

struct Ctx<'a> {
    path: &'a Path,
}

impl Ctx<'_> {
    fn bad(&self, message: String) -> TextError {
        TextError::Invalid(format!("{}: {message}", self.path.display()))
    }

    fn unsupported(&self, component: &str, found: &Value, expected: &str) -> TextError {
        TextError::Invalid(format!(
            "{}: {component} is {found}, which the Unigram tokenizer does not support (expected {expected})",
            self.path.display()
        ))
    }

    fn obj<'v>(&self, v: &'v Value, what: &str) -> Result<&'v Map<String, Value>, TextError> {
        v.as_object()
            .ok_or_else(|| self.bad(format!("{what} must be an object, found {v}")))
    }

    fn kind<'v>(&self, m: &'v Map<String, Value>, what: &str) -> Result<&'v str, TextError> {
        m.get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| self.bad(format!("{what} lacks a string \"type\"")))
    }

    fn string<'v>(
        &self,
        m: &'v Map<String, Value>,
        key: &str,
        what: &str,
    ) -> Result<&'v str, TextError> {
        m.get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| self.bad(format!("{what}.{key} must be a string")))
    }

    fn one_char(&self, m: &Map<String, Value>, key: &str, what: &str) -> Result<char, TextError> {
        let s = self.string(m, key, what)?;
        let mut it = s.chars();
        match (it.next(), it.next()) {
            (Some(c), None) => Ok(c),
            _ => Err(self.bad(format!("{what}.{key} must be one character, found {s:?}"))),
        }
    }

    fn model(&self, v: &Value) -> Result<HfUnigram, TextError> {
        let m = self.obj(v, "model")?;
        match m.get("type").and_then(Value::as_str) {
            Some("Unigram") => {}
            // Old files omit the type; a vocab of pairs is still Unigram.
            None if m.get("vocab").is_some_and(Value::is_array) => {}
            _ => {
                return Err(self.unsupported(
                    "model.type",
                    m.get("type").unwrap_or(&Value::Null),
                    "\"Unigram\"",
                ))
            }
        }
        let vocab = m
            .get("vocab")
            .ok_or_else(|| {
                self.bad("model lacks the field \"vocab\" (the [piece, score] pairs)".into())
            })?
            .as_array()
            .ok_or_else(|| {
                self.bad("model.vocab must be an array of [piece, score] pairs".into())
            })?;
        let mut pieces = Vec::with_capacity(vocab.len());
        for (i, e) in vocab.iter().enumerate() {
            let pair = e.as_array().filter(|a| a.len() == 2);
            let parsed = pair.and_then(|a| Some((a[0].as_str()?.to_owned(), a[1].as_f64()?)));
            match parsed {
                Some(p) => pieces.push(p),
                None => {
                    return Err(self.bad(format!(
                        "model.vocab[{i}] must be a [piece, score] pair, found {e}"
                    )))
                }
            }
        }
        if pieces.is_empty() {
            return Err(self.bad("model.vocab is empty".into()));
        }
        let unk_id = match m.get("unk_id") {
            None | Some(Value::Null) => None,
            Some(v) => {
                let id = v.as_u64().ok_or_else(|| {
                    self.bad(format!(
                        "model.unk_id must be a non-negative integer or null, found {v}"
                    ))
                })?;
                if id as usize >= pieces.len() {
                    return Err(self.bad(format!(
                        "model.unk_id {id} is outside the vocabulary of {} pieces",
                        pieces.len()
                    )));
                }
                Some(id as u32)
            }
        };
        let byte_fallback = match m.get("byte_fallback") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                return Err(self.bad(format!(
                    "model.byte_fallback must be true or false, found {v}"
                )))
            }
        };
        Ok(HfUnigram::new(pieces, unk_id, byte_fallback))
    }

    fn pattern(&self, m: &Map<String, Value>, what: &str) -> Result<Pattern, TextError> {
        let p = m.get("pattern").and_then(Value::as_object).ok_or_else(|| {
            self.bad(format!(
                "{what}.pattern must be {{\"String\": …}} or {{\"Regex\": …}}"
            ))
        })?;
        if let Some(s) = p.get("String").and_then(Value::as_str) {
            return Ok(Pattern::Str(s.to_owned()));
        }
        if let Some(r) = p.get("Regex").and_then(Value::as_str) {
            return regex::Regex::new(r).map(Pattern::Regex).map_err(|e| {
                self.bad(format!("{what}.pattern: regex {r:?} does not compile: {e}"))
            });
        }
        Err(self.bad(format!(
            "{what}.pattern must be {{\"String\": …}} or {{\"Regex\": …}}"
        )))
    }

    fn scheme(&self, m: &Map<String, Value>, what: &str) -> Result<PrependScheme, TextError> {
        match m.get("prepend_scheme") {
            Some(Value::String(s)) => match s.as_str() {
                "always" => Ok(PrependScheme::Always),
                "first" => Ok(PrependScheme::First),
                "never" => Ok(PrependScheme::Never),
                _ => Err(self.unsupported(
                    &format!("{what}.prepend_scheme"),
                    &Value::String(s.clone()),
                    "always, first or never",
                )),
            },
            // Files before tokenizers 0.14 carried add_prefix_space.
            _ => Ok(match m.get("add_prefix_space").and_then(Value::as_bool) {
                Some(false) => PrependScheme::Never,
                _ => PrependScheme::Always,
            }),
        }
    }

    fn normalizer(&self, v: &Value, what: &str) -> Result<Vec<NormStep>, TextError> {
        let m = self.obj(v, what)?;
        Ok(vec![match self.kind(m, what)? {
            "Sequence" => {
                let list = m
                    .get("normalizers")
                    .and_then(Value::as_array)
                    .ok_or_else(|| self.bad(format!("{what}.normalizers must be an array")))?;
                let mut out = Vec::new();
                for (i, n) in list.iter().enumerate() {
                    out.extend(self.normalizer(n, &format!("{what}.normalizers[{i}]"))?);
                }
                return Ok(out);
            }
            "Precompiled" => {
                let b64 = match m.get("precompiled_charsmap") {
                    None | Some(Value::Null) => "",
                    Some(v) => v
                        .as_str()
                        .ok_or_else(|| self.bad(format!("{what}.precompiled_charsmap must be a base64 string")))?,
                };
                let blob = base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .map_err(|e| self.bad(format!("{what}.precompiled_charsmap is not base64: {e}")))?;
                if blob.is_empty() {
                    return Ok(Vec::new());
                }
                let map = Charsmap::parse(&blob)
                    .map_err(|e| self.bad(format!("{what}.precompiled_charsmap: {e}")))?;
                NormStep::Precompiled(Box::new(map))
            }
            "Nmt" => NormStep::Nmt,
            "NFKC" => NormStep::Nfkc,
            "NFC" => NormStep::Nfc,
            "NFD" => NormStep::Nfd,
            "NFKD" => NormStep::Nfkd,
            "Lowercase" => NormStep::Lowercase,
            "Strip" => NormStep::Strip {
                left: m.get("strip_left").and_then(Value::as_bool).unwrap_or(true),
                right: m.get("strip_right").and_then(Value::as_bool).unwrap_or(true),
            },
            "Replace" => NormStep::Replace {
                pattern: self.pattern(m, what)?,
                content: self.string(m, "content", what)?.to_owned(),
            },
            "Prepend" => NormStep::Prepend(self.string(m, "prepend", what)?.to_owned()),
            other => {
                return Err(self.unsupported(
                    what,
                    &Value::String(other.into()),
                    "Precompiled, Nmt, NFKC, NFC, NFD, NFKD, Lowercase, Strip, Replace, Prepend or Sequence",
                ))
            }
        }])
    }

    fn pre_tokenizer(&self, v: &Value, what: &str) -> Result<Vec<PreTok>, TextError> {
        let m = self.obj(v, what)?;
        Ok(vec![match self.kind(m, what)? {
            "Sequence" => {
                let list = m
                    .get("pretokenizers")
                    .and_then(Value::as_array)
                    .ok_or_else(|| self.bad(format!("{what}.pretokenizers must be an array")))?;
                let mut out = Vec::new();
                for (i, n) in list.iter().enumerate() {
                    out.extend(self.pre_tokenizer(n, &format!("{what}.pretokenizers[{i}]"))?);
                }
                return Ok(out);
            }
            "Metaspace" => PreTok::Metaspace {
                replacement: self.one_char(m, "replacement", what)?,
                scheme: self.scheme(m, what)?,
                split: m.get("split").and_then(Value::as_bool).unwrap_or(true),
            },
            "WhitespaceSplit" => PreTok::WhitespaceSplit,
            other => {
                return Err(self.unsupported(
                    what,
                    &Value::String(other.into()),
                    "Metaspace, WhitespaceSplit or Sequence",
                ))
            }
        }])
    }

    fn decoder(&self, v: &Value, what: &str) -> Result<Vec<DecStep>, TextError> {
        let m = self.obj(v, what)?;
        Ok(vec![match self.kind(m, what)? {
            "Sequence" => {
                let list = m
                    .get("decoders")
                    .and_then(Value::as_array)
                    .ok_or_else(|| self.bad(format!("{what}.decoders must be an array")))?;
                let mut out = Vec::new();
                for (i, n) in list.iter().enumerate() {
                    out.extend(self.decoder(n, &format!("{what}.decoders[{i}]"))?);
                }
                return Ok(out);
            }
            "Metaspace" => DecStep::Metaspace {
                replacement: self.one_char(m, "replacement", what)?,
                scheme: self.scheme(m, what)?,
            },
            "Replace" => DecStep::Replace {
                pattern: self.pattern(m, what)?,
                content: self.string(m, "content", what)?.to_owned(),
            },
            "ByteFallback" => DecStep::ByteFallback,
            "Fuse" => DecStep::Fuse,
            "Strip" => {
                let n = |k: &str| m.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
                DecStep::Strip {
                    content: self.one_char(m, "content", what)?,
                    start: n("start"),
                    stop: n("stop"),
                }
            }
            other => {
                return Err(self.unsupported(
                    what,
                    &Value::String(other.into()),
                    "Metaspace, Replace, ByteFallback, Fuse, Strip or Sequence",
                ))
            }
        }])
    }

    fn template(&self, v: &Value) -> Result<Vec<TemplateItem>, TextError> {
        let what = "post_processor";
        let m = self.obj(v, what)?;
        if self.kind(m, what)? != "TemplateProcessing" {
            return Err(self.unsupported(what, &m["type"], "TemplateProcessing or null"));
        }
        let single = m
            .get("single")
            .and_then(Value::as_array)
            .ok_or_else(|| self.bad("post_processor.single must be an array".into()))?;
        let specials = m.get("special_tokens").and_then(Value::as_object);
        let mut out = Vec::new();
        for (i, item) in single.iter().enumerate() {
            let it = self.obj(item, &format!("post_processor.single[{i}]"))?;
            if it.contains_key("Sequence") {
                out.push(TemplateItem::Sequence);
            } else if let Some(s) = it.get("SpecialToken").and_then(Value::as_object) {
                let name =
                    self.string(s, "id", &format!("post_processor.single[{i}].SpecialToken"))?;
                let ids = specials
                    .and_then(|sp| sp.get(name))
                    .and_then(|t| t.get("ids"))
                    .and_then(Value::as_array)
                    .ok_or_else(|| {
                        self.bad(format!("post_processor.special_tokens lacks {name:?}"))
                    })?;
                let ids = ids
                    .iter()
                    .map(|x| x.as_u64().map(|x| x as u32))
                    .collect::<Option<Vec<u32>>>()
                    .ok_or_else(|| {
                        self.bad(format!(
                            "post_processor.special_tokens.{name}.ids must be integers"
                        ))
                    })?;
                out.push(TemplateItem::Special(ids));
            } else {
                return Err(self.bad(format!(
                    "post_processor.single[{i}] must be a Sequence or a SpecialToken"
                )));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> String {
        json!({
            "version": "1.0",
            "added_tokens": [{"id": 0, "content": "<unk>", "special": true}],
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "Strip", "strip_left": true, "strip_right": true},
                {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
            "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
            "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
            "model": {"type": "Unigram", "unk_id": 0, "vocab": [
                ["<unk>", 0.0], ["▁", -2.0], ["a", -1.0], ["b", -1.0], ["▁ab", -1.5], ["c", -3.0]]}
        })
        .to_string()
    }

    #[test]
    fn encodes_and_decodes() {
        let t = UnigramTokenizer::from_tokenizer_json_str(&tiny(), Path::new("t.json")).unwrap();
        let enc = t.encode("  ab   ba x").unwrap();
        let ids: Vec<u32> = enc.iter().map(|t| t.id).collect();
        // ▁ab | ▁ b a | ▁ x(unk)
        assert_eq!(ids, [4, 1, 3, 2, 1, 0]);
        assert_eq!((enc[0].start, enc[0].end), (2, 4));
        assert_eq!(t.decode(&[4, 1, 3, 2]).unwrap(), "ab ba");
    }

    #[test]
    fn malformed_files_are_named_errors() {
        let cases = [
            (r#"{"model": {"type": "Unigram", "unk_id": 0}}"#, "vocab"),
            (
                r#"{"model": {"type": "Unigram", "unk_id": 5, "vocab": [["a", 0.0]]}}"#,
                "unk_id 5",
            ),
            (
                r#"{"model": {"type": "Unigram", "unk_id": -1, "vocab": [["a", 0.0]]}}"#,
                "unk_id",
            ),
            (
                r#"{"model": {"type": "Unigram", "vocab": [["a"]]}}"#,
                "vocab[0]",
            ),
            (r#"{"model": {"type": "BPE", "vocab": {}}}"#, "model.type"),
            (
                r#"{"model": {"type": "Unigram", "vocab": [["a", 0.0]]}, "normalizer": {"type": "Bert"}}"#,
                "normalizer",
            ),
        ];
        for (text, needle) in cases {
            let e =
                UnigramTokenizer::from_tokenizer_json_str(text, Path::new("bad.json")).unwrap_err();
            let msg = e.to_string();
            assert!(msg.contains("bad.json") && msg.contains(needle), "{msg}");
        }
    }
}
