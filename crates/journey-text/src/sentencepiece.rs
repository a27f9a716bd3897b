//! A SentencePiece processor: load a `.model` file, encode text into pieces
//! and ids with byte spans, decode ids back to text.
//!
//! Kudo and Richardson (2018), "SentencePiece: A simple and language
//! independent subword tokenizer and detokenizer for Neural Text Processing"
//! (EMNLP demo). Text is treated as a raw stream: the model's own
//! normalisation rules run first ([`crate::sentencepiece_normalizer`]), spaces
//! become `▁`, and the result is segmented by the model type stored in the
//! file:
//!
//! * **Unigram** — Viterbi over piece log-probabilities ([`crate::unigram`]);
//! * **BPE** — sentencepiece's `bpe::Model`: start from characters and merge
//!   the adjacent pair whose merged piece has the highest score (leftmost on
//!   ties) until no merged pair is in the vocabulary (Sennrich et al. 2016,
//!   with merges ranked by piece score rather than by a merge list).
//!
//! Then, as sentencepiece's `SentencePieceProcessor::Encode` does: with
//! `byte_fallback` an unknown piece becomes its UTF-8 bytes as `<0xNN>`
//! pieces; without it consecutive unknown pieces are merged into one.
//! Decoding reverses it: control pieces vanish, `▁` becomes a space (the
//! first one dropped when the model adds a dummy prefix), runs of byte pieces
//! are reassembled into UTF-8 (each invalid byte → U+FFFD).
//!
//! Cost: normalisation O(n); Unigram O(n · L) for pieces of at most L bytes;
//! BPE O(n log n) with a heap of candidate merges. Memory O(n) per call.
//! [`SentencePieceProcessor::encode_batch`] encodes lines in parallel (rayon).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::TextError;
use crate::sentencepiece_model::{
    byte_to_piece, model_error, piece_to_byte, ModelProto, ModelType, PieceType,
};
use crate::sentencepiece_normalizer::{utf8_len, Normalizer, PrefixMatcher, SPACE_SYMBOL};
use crate::unigram::Unigram;

/// One piece of an encoding: its string, id, and the byte span of the
/// original text it covers (`start..end`; empty for all but the last byte
/// piece of a byte-fallback character, as in sentencepiece).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpToken {
    pub piece: String,
    pub id: u32,
    pub start: usize,
    pub end: usize,
}

/// The segmentation algorithm of a loaded model.
#[derive(Debug, Clone)]
enum Segmenter {
    Unigram(Unigram),
    Bpe(Bpe),
}

/// A loaded SentencePiece model (see the module documentation).
#[derive(Debug, Clone)]
pub struct SentencePieceProcessor {
    path: PathBuf,
    proto: ModelProto,
    normalizer: Normalizer,
    denormalizer: Option<Normalizer>,
    segmenter: Segmenter,
    /// Piece string → id, for every piece (sentencepiece's `PieceToId`).
    piece_to_id: HashMap<String, u32>,
    /// Id of `<0xNN>` for each byte (unknown id when missing).
    byte_ids: [u32; 256],
    unk_id: u32,
}

impl SentencePieceProcessor {
    /// Loads a `.model` file.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, TextError> {
        let path = path.as_ref();
        let proto = ModelProto::open(path)?;
        Self::from_proto(proto, path)
    }

    /// Loads a model from the bytes of a `.model` file; `name` is used in errors.
    pub fn from_bytes(bytes: &[u8], name: impl AsRef<Path>) -> Result<Self, TextError> {
        let name = name.as_ref();
        Self::from_proto(ModelProto::from_bytes(bytes, name)?, name)
    }

    /// Builds the processor from a decoded model.
    pub fn from_proto(proto: ModelProto, path: &Path) -> Result<Self, TextError> {
        proto.validate(path)?;
        let ts = &proto.trainer_spec;
        let unk_id = u32::try_from(ts.unk_id)
            .map_err(|_| model_error(path, format!("unk_id {} is negative", ts.unk_id)))?;
        let user_defined: Vec<&str> = proto
            .pieces
            .iter()
            .filter(|p| p.kind == PieceType::UserDefined)
            .map(|p| p.piece.as_str())
            .collect();
        let matcher = PrefixMatcher::new(user_defined.iter().copied());
        let normalizer = Normalizer::new(
            &proto.normalizer_spec,
            ts.treat_whitespace_as_suffix,
            matcher.clone(),
            path,
        )?;
        let denormalizer = match &proto.denormalizer_spec {
            Some(spec) if !spec.precompiled_charsmap.is_empty() => Some(Normalizer::new(
                spec,
                false,
                PrefixMatcher::default(),
                path,
            )?),
            _ => None,
        };
        let segmenter = match ts.model_type {
            ModelType::Unigram => Segmenter::Unigram(Unigram::new(&proto.pieces, unk_id)),
            ModelType::Bpe => Segmenter::Bpe(Bpe::new(&proto, matcher)),
            other => {
                return Err(model_error(
                    path,
                    format!("model type {other:?} is not supported (only UNIGRAM and BPE)"),
                ))
            }
        };
        let piece_to_id: HashMap<String, u32> = proto
            .pieces
            .iter()
            .enumerate()
            .map(|(i, p)| (p.piece.clone(), i as u32))
            .collect();
        let mut byte_ids = [unk_id; 256];
        for (b, slot) in byte_ids.iter_mut().enumerate() {
            if let Some(&id) = piece_to_id.get(&byte_to_piece(b as u8)) {
                if proto.pieces[id as usize].kind == PieceType::Byte {
                    *slot = id;
                }
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            proto,
            normalizer,
            denormalizer,
            segmenter,
            piece_to_id,
            byte_ids,
            unk_id,
        })
    }

    /// The decoded model file.
    pub fn proto(&self) -> &ModelProto {
        &self.proto
    }

    /// The file the model came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of pieces.
    pub fn len(&self) -> usize {
        self.proto.pieces.len()
    }

    /// Whether the vocabulary is empty (never, for a loaded model).
    pub fn is_empty(&self) -> bool {
        self.proto.pieces.is_empty()
    }

    /// The piece of `id`, if in range.
    pub fn id_to_piece(&self, id: u32) -> Option<&str> {
        self.proto.pieces.get(id as usize).map(|p| p.piece.as_str())
    }

    /// The id of `piece`, or the unknown id (as sentencepiece's `PieceToId`).
    pub fn piece_to_id(&self, piece: &str) -> u32 {
        self.piece_to_id.get(piece).copied().unwrap_or(self.unk_id)
    }

    /// Normalises `text` with the model's rules (`▁` for spaces), as
    /// sentencepiece's `normalize`.
    pub fn normalize(&self, text: &str) -> String {
        let (bytes, _) = self.normalizer.normalize(text);
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Encodes `text` into pieces with ids and byte spans of `text`.
    pub fn encode(&self, text: &str) -> Vec<SpToken> {
        let mut norm = Vec::new();
        let mut align = Vec::new();
        let mut segs = Vec::new();
        let mut out = Vec::new();
        self.encode_with(text, &mut norm, &mut align, &mut segs, &mut out, true);
        out
    }

    /// Encodes `text` into ids only.
    pub fn encode_ids(&self, text: &str) -> Vec<u32> {
        let (mut norm, mut align, mut segs, mut out) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        self.encode_with(text, &mut norm, &mut align, &mut segs, &mut out, false);
        out.into_iter().map(|t| t.id).collect()
    }

    /// Encodes many texts in parallel (rayon; honours `RAYON_NUM_THREADS`).
    pub fn encode_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Vec<SpToken>> {
        texts
            .par_iter()
            .map_init(
                || (Vec::new(), Vec::new(), Vec::new()),
                |(n, a, s), t| {
                    let mut out = Vec::new();
                    self.encode_with(t.as_ref(), n, a, s, &mut out, true);
                    out
                },
            )
            .collect()
    }

    /// Ids of many texts, in parallel.
    pub fn encode_ids_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Vec<u32>> {
        texts
            .par_iter()
            .map_init(
                || (Vec::new(), Vec::new(), Vec::new(), Vec::new()),
                |(n, a, s, o), t| {
                    self.encode_with(t.as_ref(), n, a, s, o, false);
                    o.iter().map(|t| t.id).collect()
                },
            )
            .collect()
    }

    /// The work of `encode`, with buffers the caller may reuse; without
    /// `pieces` the piece strings are left empty (no allocation per token).
    fn encode_with(
        &self,
        text: &str,
        norm: &mut Vec<u8>,
        align: &mut Vec<usize>,
        segs: &mut Vec<(usize, u32)>,
        out: &mut Vec<SpToken>,
        pieces: bool,
    ) {
        out.clear();
        self.normalizer.normalize_into(text.as_bytes(), norm, align);
        match &self.segmenter {
            Segmenter::Unigram(u) => u.encode(norm, segs),
            Segmenter::Bpe(b) => b.encode(norm, segs),
        }
        let byte_fallback = self.proto.trainer_spec.byte_fallback;
        let mut consumed = 0usize;
        let mut prev_unk = false;
        for &(end_norm, id) in segs.iter() {
            let w = &norm[consumed..end_norm];
            let is_unk = id == self.unk_id;
            let begin = align[consumed];
            let end = align[end_norm];
            if self.proto.pieces[id as usize].kind == PieceType::Control {
                // A control piece has no surface.
                out.push(SpToken {
                    piece: self.proto.pieces[id as usize].piece.clone(),
                    id,
                    start: begin,
                    end: begin,
                });
            } else if is_unk && byte_fallback {
                for (i, &b) in w.iter().enumerate() {
                    let last = i + 1 == w.len();
                    out.push(SpToken {
                        piece: if pieces {
                            byte_to_piece(b)
                        } else {
                            String::new()
                        },
                        id: self.byte_ids[b as usize],
                        start: begin,
                        end: if last { end } else { begin },
                    });
                }
            } else if is_unk && prev_unk {
                // Consecutive unknowns merge so a decoder can copy them whole.
                if let Some(t) = out.last_mut() {
                    if pieces {
                        t.piece.push_str(&String::from_utf8_lossy(w));
                    }
                    t.end = end;
                }
            } else {
                let piece = if !pieces {
                    String::new()
                } else if is_unk {
                    String::from_utf8_lossy(w).into_owned()
                } else {
                    self.proto.pieces[id as usize].piece.clone()
                };
                out.push(SpToken {
                    piece,
                    id,
                    start: begin,
                    end,
                });
            }
            prev_unk = is_unk;
            consumed = end_norm;
        }
    }

    /// Decodes ids to text, as sentencepiece's `DecodeIds`. An id out of
    /// range is an error.
    pub fn decode(&self, ids: &[u32]) -> Result<String, TextError> {
        let ns = &self.proto.normalizer_spec;
        let strip_bos_ws = ns.add_dummy_prefix || ns.remove_extra_whitespaces;
        let mut text = String::new();
        let mut bytes = Vec::new();
        let mut is_bos_ws = true;
        let mut bos_ws_seen = false;
        for &id in ids {
            let Some(p) = self.proto.pieces.get(id as usize) else {
                return Err(TextError::Invalid(format!(
                    "{}: id {id} is out of range (the model has {} pieces)",
                    self.path.display(),
                    self.len()
                )));
            };
            if p.kind == PieceType::Byte {
                if let Some(b) = piece_to_byte(&p.piece) {
                    bytes.push(b);
                }
                continue;
            }
            flush_bytes(&mut bytes, &mut text);
            if bos_ws_seen || !text.is_empty() {
                is_bos_ws = false;
            }
            bos_ws_seen = false;
            match p.kind {
                PieceType::Control => {}
                PieceType::Unknown => text.push_str(&self.proto.trainer_spec.unk_surface),
                _ => {
                    let mut piece = p.piece.as_str();
                    if is_bos_ws && strip_bos_ws {
                        if let Some(rest) = piece.strip_prefix(SPACE_SYMBOL) {
                            piece = rest;
                            bos_ws_seen = true;
                        }
                    }
                    text.push_str(&piece.replace(SPACE_SYMBOL, " "));
                }
            }
        }
        flush_bytes(&mut bytes, &mut text);
        if let Some(d) = &self.denormalizer {
            let (b, _) = d.normalize(&text);
            text = String::from_utf8_lossy(&b).into_owned();
        }
        Ok(text)
    }
}

/// Appends a run of byte pieces as UTF-8, one U+FFFD per invalid byte (as
/// sentencepiece's `ProcessBytePieces`).
fn flush_bytes(bytes: &mut Vec<u8>, text: &mut String) {
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                text.push_str(s);
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                // The prefix up to `good` is valid by construction.
                text.push_str(std::str::from_utf8(&rest[..good]).unwrap_or_default());
                text.push('\u{FFFD}');
                rest = &rest[good + 1..];
            }
        }
    }
    bytes.clear();
}

/// FNV-1a: the BPE loop looks up short byte strings many times per line,
/// where the standard SipHash would dominate; the keys are the model's own
/// pieces, so hash flooding is not a concern.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

// ---------------------------------------------------------------------------
// BPE (sentencepiece's bpe::Model)
// ---------------------------------------------------------------------------

/// SentencePiece BPE: merges ranked by the score of the merged piece.
#[derive(Debug, Clone)]
struct Bpe {
    /// NORMAL, USER_DEFINED and UNUSED pieces (sentencepiece's `pieces_`).
    pieces: FnvMap<Box<[u8]>, u32>,
    scores: Vec<f32>,
    kinds: Vec<PieceType>,
    matcher: PrefixMatcher,
    unk_id: u32,
}

/// A candidate merge of symbols `left` and `right` (heap entry).
#[derive(Debug, Clone, Copy)]
struct Pair {
    score: f32,
    left: u32,
    right: u32,
    size: u32,
}

impl PartialEq for Pair {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Pair {}
impl PartialOrd for Pair {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Pair {
    /// Higher score first; on ties the leftmost pair first.
    fn cmp(&self, o: &Self) -> Ordering {
        self.score
            .total_cmp(&o.score)
            .then_with(|| o.left.cmp(&self.left))
    }
}

#[derive(Debug, Clone, Copy)]
struct Symbol {
    prev: i32,
    next: i32,
    freeze: bool,
    start: u32,
    len: u32,
}

impl Bpe {
    fn new(proto: &ModelProto, matcher: PrefixMatcher) -> Self {
        let pieces = proto
            .pieces
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                matches!(
                    p.kind,
                    PieceType::Normal | PieceType::UserDefined | PieceType::Unused
                )
            })
            .map(|(i, p)| (p.piece.as_bytes().into(), i as u32))
            .collect();
        Self {
            pieces,
            scores: proto.pieces.iter().map(|p| p.score).collect(),
            kinds: proto.pieces.iter().map(|p| p.kind).collect(),
            matcher,
            unk_id: proto.trainer_spec.unk_id.max(0) as u32,
        }
    }

    fn encode(&self, s: &[u8], out: &mut Vec<(usize, u32)>) {
        out.clear();
        if s.is_empty() {
            return;
        }
        // Characters (or whole user-defined pieces, which never merge).
        let mut symbols: Vec<Symbol> = Vec::with_capacity(s.len());
        let mut pos = 0usize;
        while pos < s.len() {
            let (len, freeze) = match self.matcher.longest(&s[pos..]) {
                Some(n) => (n, true),
                None => (utf8_len(s[pos]).min(s.len() - pos), false),
            };
            let i = symbols.len() as i32;
            symbols.push(Symbol {
                prev: i - 1,
                next: if pos + len < s.len() { i + 1 } else { -1 },
                freeze,
                start: pos as u32,
                len: len as u32,
            });
            pos += len;
        }
        let mut heap = BinaryHeap::with_capacity(symbols.len());
        // Unused pieces may be merged through but are split back afterwards.
        let mut rev_merge: HashMap<(u32, u32), (u32, u32, u32)> = HashMap::new();
        let try_pair = |symbols: &[Symbol],
                        heap: &mut BinaryHeap<Pair>,
                        rev: &mut HashMap<(u32, u32), (u32, u32, u32)>,
                        l: i32,
                        r: i32| {
            if l < 0 || r < 0 {
                return;
            }
            let (a, b) = (symbols[l as usize], symbols[r as usize]);
            if a.freeze || b.freeze {
                return;
            }
            let bytes = &s[a.start as usize..(a.start + a.len + b.len) as usize];
            if let Some(&id) = self.pieces.get(bytes) {
                heap.push(Pair {
                    score: self.scores[id as usize],
                    left: l as u32,
                    right: r as u32,
                    size: a.len + b.len,
                });
                if self.kinds[id as usize] == PieceType::Unused {
                    rev.insert((a.start, a.len + b.len), (a.start, a.len, b.len));
                }
            }
        };
        for i in 1..symbols.len() {
            try_pair(&symbols, &mut heap, &mut rev_merge, i as i32 - 1, i as i32);
        }
        while let Some(top) = heap.pop() {
            let (l, r) = (top.left as usize, top.right as usize);
            if symbols[l].len == 0
                || symbols[r].len == 0
                || symbols[l].len + symbols[r].len != top.size
            {
                continue; // stale
            }
            symbols[l].len += symbols[r].len;
            symbols[l].next = symbols[r].next;
            let rn = symbols[r].next;
            if rn >= 0 {
                symbols[rn as usize].prev = l as i32;
            }
            symbols[r].len = 0;
            let (p, n) = (symbols[l].prev, symbols[l].next);
            try_pair(&symbols, &mut heap, &mut rev_merge, p, l as i32);
            try_pair(&symbols, &mut heap, &mut rev_merge, l as i32, n);
        }
        let mut i = 0i32;
        while i >= 0 {
            let sym = symbols[i as usize];
            self.resegment(s, sym.start, sym.len, &rev_merge, out);
            i = sym.next;
        }
    }

    /// Emits `s[start..start+len]`, splitting UNUSED pieces back into the
    /// pair they were merged from.
    fn resegment(
        &self,
        s: &[u8],
        start: u32,
        len: u32,
        rev: &HashMap<(u32, u32), (u32, u32, u32)>,
        out: &mut Vec<(usize, u32)>,
    ) {
        let bytes = &s[start as usize..(start + len) as usize];
        let id = self.pieces.get(bytes).copied();
        let end = (start + len) as usize;
        match id {
            Some(id) if self.kinds[id as usize] == PieceType::Unused => {
                match rev.get(&(start, len)) {
                    Some(&(a, la, lb)) => {
                        self.resegment(s, a, la, rev, out);
                        self.resegment(s, a + la, lb, rev, out);
                    }
                    None => out.push((end, id)),
                }
            }
            Some(id) => out.push((end, id)),
            None => out.push((end, self.unk_id)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_become_replacement_chars() {
        let mut b = vec![0xe3, 0x81, b'a', 0xff];
        let mut t = String::new();
        flush_bytes(&mut b, &mut t);
        assert_eq!(t, "\u{FFFD}\u{FFFD}a\u{FFFD}");
    }
}
