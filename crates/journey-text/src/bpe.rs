//! # Byte-level byte-pair encoding (GPT-2, tiktoken)
//!
//! Byte-pair encoding (Sennrich et al. 2016, "Neural Machine Translation of
//! Rare Words with Subword Units") on raw UTF-8 bytes, as GPT-2 introduced it
//! (Radford et al. 2019, §2.2) and tiktoken implements it: the text is split
//! into pieces by a pre-tokenization pattern ([`crate::pretokenize`]), and
//! each piece, as bytes, is merged pair by pair. The vocabulary is a table
//! *byte string → rank*; the rank is both the token id and the merge
//! priority: at every step the adjacent pair whose concatenation has the
//! lowest rank is merged (ties: leftmost), until no adjacent pair is in the
//! table. This is tiktoken's `_byte_pair_merge`, and it gives the ids of
//! OpenAI's encodings exactly. Because all 256 single bytes are tokens, every
//! byte string is encodable and `decode(encode(x)) == x`.
//!
//! Special tokens (`<|endoftext|>`…) are matched in the text before
//! pre-tokenization, as tiktoken does: by default *all* are disallowed, and
//! finding one is an error ([`TextError::DisallowedSpecialToken`]), because
//! text from users that contains `<|endoftext|>` should not silently end a
//! document. Allow them to get their ids, or use
//! [`BytePairEncoding::encode_ordinary`] to encode them as plain text.
//!
//! Cost: pre-tokenization is O(n). Merging a piece of m bytes costs
//! O(m²) hash look-ups with the simple scan (tiktoken's), used for short
//! pieces; pieces of [`HEAP_MERGE_MIN`] bytes or more (long whitespace runs are
//! not capped by any pattern) use a binary heap and a linked list,
//! O(m log m). Memory: the table (≈ 200k entries for o200k) plus O(m) per piece.
//!
//! Decoding concatenates token bytes. A token may end in the middle of a
//! UTF-8 character (e.g. an emoji split over two tokens), so
//! [`BytePairEncoding::decode`] checks the result and reports where the
//! partial character is; [`BytePairEncoding::decode_lossy`] replaces invalid
//! sequences with U+FFFD exactly like tiktoken's `decode(errors="replace")`,
//! and [`BytePairEncoding::decode_bytes`] returns the raw bytes.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::ops::Range;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::error::TextError;
use crate::pretokenize::Pretokenizer;

/// A token id. In tiktoken's files it is also the merge priority.
pub type Rank = u32;

/// Pieces at least this long are merged with a heap instead of the O(m²) scan.
pub const HEAP_MERGE_MIN: usize = 128;

/// Which special tokens a call treats as special.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SpecialSet<'a> {
    /// No special token.
    #[default]
    None,
    /// Every special token of the encoding (tiktoken's `"all"`).
    All,
    /// The listed special tokens.
    Only(&'a [&'a str]),
}

impl SpecialSet<'_> {
    fn contains(&self, token: &str) -> bool {
        match self {
            SpecialSet::None => false,
            SpecialSet::All => true,
            SpecialSet::Only(list) => list.contains(&token),
        }
    }
}

/// Token ids with the byte span of the input that each one covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encoded {
    pub ids: Vec<Rank>,
    /// `offsets[k]` is the byte range of the text that `ids[k]` encodes. A span
    /// may start or end inside a multi-byte character when a token does.
    pub offsets: Vec<Range<usize>>,
}

/// The largest id (plus one) a vocabulary of `n` tokens may use: twice
/// `n` plus 65,536, room for any real file's gaps before special tokens.
pub(crate) fn max_id_for(n: usize) -> usize {
    2 * n + 65_536
}

/// A byte-level BPE tokenizer: the id ↔ bytes table, special tokens and the
/// pre-tokenization pattern.
#[derive(Debug, Clone)]
pub struct BytePairEncoding {
    name: String,
    encoder: FxHashMap<Vec<u8>, Rank>,
    /// Bytes of each id (ordinary and special); `None` for unused ids.
    decoder: Vec<Option<Box<[u8]>>>,
    special: HashMap<String, Rank>,
    /// Matches any special token; longest first, so a token that is a prefix
    /// of another never wins.
    special_regex: Option<regex::Regex>,
    pretokenizer: Pretokenizer,
}

impl BytePairEncoding {
    /// Builds an encoding from its mergeable ranks and special tokens.
    ///
    /// Errors (as [`TextError::Invalid`]) when two byte strings share a rank,
    /// a single byte is missing (then some texts could not be encoded), or a
    /// special token reuses an ordinary id.
    pub fn new(
        name: impl Into<String>,
        ranks: impl IntoIterator<Item = (Vec<u8>, Rank)>,
        special_tokens: impl IntoIterator<Item = (String, Rank)>,
        pretokenizer: Pretokenizer,
    ) -> Result<Self, TextError> {
        let name = name.into();
        let ranks: Vec<(Vec<u8>, Rank)> = ranks.into_iter().collect();
        let special_tokens: Vec<(String, Rank)> = special_tokens.into_iter().collect();
        // Ids index a table, so a stray huge id must not size it (a rank of
        // 4e9 would ask for 64 GB): allow gaps, but not that many.
        let n = ranks.len() + special_tokens.len();
        let max_id = ranks
            .iter()
            .map(|r| r.1)
            .chain(special_tokens.iter().map(|s| s.1))
            .max()
            .unwrap_or(0);
        if max_id as usize >= max_id_for(n) {
            return Err(TextError::Invalid(format!(
                "{name}: id {max_id} is far beyond the {n} tokens; ids should run from 0 with few gaps (at most {})",
                max_id_for(n) - 1
            )));
        }
        let mut encoder: FxHashMap<Vec<u8>, Rank> = FxHashMap::default();
        let mut decoder: Vec<Option<Box<[u8]>>> = Vec::with_capacity(max_id as usize + 1);
        for (bytes, rank) in ranks {
            let slot = rank as usize;
            if slot >= decoder.len() {
                decoder.resize(slot + 1, None);
            }
            if let Some(prev) = &decoder[slot] {
                return Err(TextError::Invalid(format!(
                    "{name}: rank {rank} is given to both {:?} and {:?}",
                    String::from_utf8_lossy(prev),
                    String::from_utf8_lossy(&bytes)
                )));
            }
            decoder[slot] = Some(bytes.clone().into_boxed_slice());
            if let Some(prev) = encoder.insert(bytes, rank) {
                return Err(TextError::Invalid(format!(
                    "{name}: the same token has ranks {prev} and {rank}"
                )));
            }
        }
        if let Some(b) = (0..=255u8).find(|b| !encoder.contains_key([*b].as_slice())) {
            return Err(TextError::Invalid(format!(
                "{name}: the single byte 0x{b:02x} is not a token; byte-level BPE needs all 256 bytes"
            )));
        }
        let mut special = HashMap::new();
        for (token, rank) in special_tokens {
            let slot = rank as usize;
            if slot >= decoder.len() {
                decoder.resize(slot + 1, None);
            }
            if decoder[slot].is_some() {
                return Err(TextError::Invalid(format!(
                    "{name}: special token {token:?} reuses id {rank}, which is already a token"
                )));
            }
            decoder[slot] = Some(token.as_bytes().to_vec().into_boxed_slice());
            special.insert(token, rank);
        }
        let special_regex = if special.is_empty() {
            None
        } else {
            let mut tokens: Vec<&String> = special.keys().collect();
            tokens.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            let alternation = tokens
                .iter()
                .map(|t| regex::escape(t))
                .collect::<Vec<_>>()
                .join("|");
            Some(regex::Regex::new(&alternation).map_err(|e| {
                TextError::Invalid(format!("{name}: special tokens do not form a pattern: {e}"))
            })?)
        };
        Ok(Self {
            name,
            encoder,
            decoder,
            special,
            special_regex,
            pretokenizer,
        })
    }

    /// The encoding's name (`cl100k_base`…).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The pre-tokenization pattern.
    pub fn pretokenizer(&self) -> Pretokenizer {
        self.pretokenizer
    }

    /// One more than the largest id, ordinary or special (tiktoken's `n_vocab`).
    pub fn n_vocab(&self) -> usize {
        self.decoder.len()
    }

    /// The special tokens and their ids.
    pub fn special_tokens(&self) -> impl Iterator<Item = (&str, Rank)> {
        self.special.iter().map(|(t, &r)| (t.as_str(), r))
    }

    /// The bytes of one token (ordinary or special), if the id is used.
    pub fn token_bytes(&self, id: Rank) -> Option<&[u8]> {
        self.decoder.get(id as usize)?.as_deref()
    }

    /// The id of exactly these bytes as one token (ordinary or special).
    pub fn encode_single_token(&self, bytes: &[u8]) -> Option<Rank> {
        self.encoder.get(bytes).copied().or_else(|| {
            std::str::from_utf8(bytes)
                .ok()
                .and_then(|s| self.special.get(s).copied())
        })
    }

    /// The ordinary (mergeable) tokens and their ranks, in no order.
    pub fn mergeable_ranks(&self) -> impl Iterator<Item = (&[u8], Rank)> {
        self.encoder.iter().map(|(b, &r)| (b.as_slice(), r))
    }

    /// Encodes `text` treating special-token text as plain text
    /// (tiktoken's `encode_ordinary`).
    pub fn encode_ordinary(&self, text: &str) -> Vec<Rank> {
        let mut ids = Vec::with_capacity(text.len() / 4 + 1);
        let mut scratch = Scratch::default();
        self.encode_segment(text, 0, &mut scratch, &mut ids, None);
        ids
    }

    /// Encodes `text`; the special tokens in `allowed` get their ids and any
    /// other special token in the text is an error (tiktoken's `encode` with
    /// `disallowed_special="all"`).
    pub fn encode(&self, text: &str, allowed: SpecialSet<'_>) -> Result<Vec<Rank>, TextError> {
        self.encode_with_policy(text, allowed, SpecialSet::All)
    }

    /// tiktoken's `encode(text, allowed_special, disallowed_special)`: a
    /// special token in `disallowed` but not in `allowed` is an error; one in
    /// neither is encoded as plain text.
    pub fn encode_with_policy(
        &self,
        text: &str,
        allowed: SpecialSet<'_>,
        disallowed: SpecialSet<'_>,
    ) -> Result<Vec<Rank>, TextError> {
        self.check_disallowed(text, allowed, disallowed)?;
        let mut ids = Vec::with_capacity(text.len() / 4 + 1);
        self.encode_native(text, allowed, &mut ids, None);
        Ok(ids)
    }

    /// Like [`Self::encode`], with the byte span of each token.
    pub fn encode_with_offsets(
        &self,
        text: &str,
        allowed: SpecialSet<'_>,
    ) -> Result<Encoded, TextError> {
        self.check_disallowed(text, allowed, SpecialSet::All)?;
        let mut out = Encoded::default();
        self.encode_native(text, allowed, &mut out.ids, Some(&mut out.offsets));
        Ok(out)
    }

    /// [`Self::encode_ordinary`] on many texts in parallel (rayon; honours
    /// `RAYON_NUM_THREADS`).
    pub fn encode_ordinary_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Vec<Rank>> {
        texts
            .par_iter()
            .map(|t| self.encode_ordinary(t.as_ref()))
            .collect()
    }

    /// [`Self::encode`] on many texts in parallel; the first error wins.
    pub fn encode_batch<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        allowed: SpecialSet<'_>,
    ) -> Result<Vec<Vec<Rank>>, TextError> {
        texts
            .par_iter()
            .map(|t| self.encode(t.as_ref(), allowed))
            .collect()
    }

    /// Byte-pair merges of one piece of raw bytes, without pre-tokenization
    /// or special tokens. Any byte string is encodable, valid UTF-8 or not.
    pub fn encode_piece(&self, piece: &[u8]) -> Vec<Rank> {
        let mut ids = Vec::new();
        self.encode_piece_into(piece, 0, &mut Scratch::default(), &mut ids, None);
        ids
    }

    /// The bytes of the tokens, concatenated.
    pub fn decode_bytes(&self, ids: &[Rank]) -> Result<Vec<u8>, TextError> {
        let mut out = Vec::with_capacity(ids.len() * 4);
        for &id in ids {
            let bytes = self.token_bytes(id).ok_or(TextError::UnknownTokenId {
                id,
                n_vocab: self.n_vocab(),
            })?;
            out.extend_from_slice(bytes);
        }
        Ok(out)
    }

    /// The text of the tokens. Errors when the bytes are not valid UTF-8,
    /// which happens when the ids cut a character in two (a slice of a longer
    /// encoding, or a model's sampled tokens); the error says where.
    pub fn decode(&self, ids: &[Rank]) -> Result<String, TextError> {
        String::from_utf8(self.decode_bytes(ids)?).map_err(|e| TextError::DecodedNotUtf8 {
            valid_up_to: e.utf8_error().valid_up_to(),
        })
    }

    /// The text of the tokens with each invalid UTF-8 sequence (a partial
    /// character) replaced by U+FFFD, as tiktoken's `decode` does by default.
    pub fn decode_lossy(&self, ids: &[Rank]) -> Result<String, TextError> {
        Ok(String::from_utf8_lossy(&self.decode_bytes(ids)?).into_owned())
    }

    fn check_disallowed(
        &self,
        text: &str,
        allowed: SpecialSet<'_>,
        disallowed: SpecialSet<'_>,
    ) -> Result<(), TextError> {
        if disallowed == SpecialSet::None {
            return Ok(());
        }
        if let Some(re) = &self.special_regex {
            for m in re.find_iter(text) {
                if disallowed.contains(m.as_str()) && !allowed.contains(m.as_str()) {
                    return Err(TextError::DisallowedSpecialToken {
                        token: m.as_str().to_string(),
                        offset: m.start(),
                    });
                }
            }
        }
        Ok(())
    }

    /// tiktoken's `_encode_native`: ordinary text between allowed special
    /// tokens, each segment pre-tokenized on its own (so `$` in the patterns
    /// means the end of the segment, as in tiktoken).
    fn encode_native(
        &self,
        text: &str,
        allowed: SpecialSet<'_>,
        ids: &mut Vec<Rank>,
        mut offsets: Option<&mut Vec<Range<usize>>>,
    ) {
        let mut scratch = Scratch::default();
        let mut start = 0;
        let re = match (&self.special_regex, allowed) {
            (Some(re), SpecialSet::All | SpecialSet::Only(_)) => re,
            _ => {
                self.encode_segment(text, 0, &mut scratch, ids, offsets);
                return;
            }
        };
        let mut search = 0;
        while start <= text.len() {
            let next = loop {
                match re.find_at(text, search) {
                    Some(m) if allowed.contains(m.as_str()) => break Some(m),
                    // A special token that is not allowed is plain text: look
                    // for the next one after its first character.
                    Some(m) => {
                        search =
                            m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8)
                    }
                    None => break None,
                }
            };
            let end = next.map_or(text.len(), |m| m.start());
            self.encode_segment(
                &text[start..end],
                start,
                &mut scratch,
                ids,
                offsets.as_deref_mut(),
            );
            match next {
                Some(m) => {
                    ids.push(self.special[m.as_str()]);
                    if let Some(o) = offsets.as_deref_mut() {
                        o.push(m.range());
                    }
                    start = m.end();
                    search = start;
                }
                None => break,
            }
        }
    }

    fn encode_segment(
        &self,
        segment: &str,
        base: usize,
        scratch: &mut Scratch,
        ids: &mut Vec<Rank>,
        mut offsets: Option<&mut Vec<Range<usize>>>,
    ) {
        let bytes = segment.as_bytes();
        for r in self.pretokenizer.pieces(segment) {
            self.encode_piece_into(
                &bytes[r.clone()],
                base + r.start,
                scratch,
                ids,
                offsets.as_deref_mut(),
            );
        }
    }

    #[inline]
    fn rank(&self, bytes: &[u8]) -> Rank {
        self.encoder.get(bytes).copied().unwrap_or(Rank::MAX)
    }

    fn encode_piece_into(
        &self,
        piece: &[u8],
        base: usize,
        scratch: &mut Scratch,
        ids: &mut Vec<Rank>,
        offsets: Option<&mut Vec<Range<usize>>>,
    ) {
        if piece.is_empty() {
            return;
        }
        // Most pieces of real text are whole tokens: one look-up.
        if let Some(&r) = self.encoder.get(piece) {
            ids.push(r);
            if let Some(o) = offsets {
                o.push(base..base + piece.len());
            }
            return;
        }
        if piece.len() < HEAP_MERGE_MIN {
            self.merge_scan(piece, &mut scratch.parts);
        } else {
            self.merge_heap(piece, scratch);
        }
        let bounds = &scratch.parts;
        for w in bounds.windows(2) {
            let (a, b) = (w[0].0, w[1].0);
            // Every part is a single byte or the result of a merge, both in
            // the table (checked in `new`).
            ids.push(self.encoder[&piece[a..b]]);
        }
        if let Some(o) = offsets {
            o.extend(bounds.windows(2).map(|w| base + w[0].0..base + w[1].0));
        }
    }

    /// tiktoken's `_byte_pair_merge`: `parts[k] = (start, rank of the pair
    /// starting there)`; repeatedly merge the leftmost lowest-ranked pair.
    /// Leaves the part starts, plus the end, in `parts`.
    fn merge_scan(&self, piece: &[u8], parts: &mut Vec<(usize, Rank)>) {
        parts.clear();
        let mut min = (Rank::MAX, usize::MAX);
        for i in 0..piece.len() - 1 {
            let r = self.rank(&piece[i..i + 2]);
            if r < min.0 {
                min = (r, i);
            }
            parts.push((i, r));
        }
        parts.push((piece.len() - 1, Rank::MAX));
        parts.push((piece.len(), Rank::MAX));
        let rank_of = |parts: &Vec<(usize, Rank)>, i: usize| {
            if i + 3 < parts.len() {
                self.rank(&piece[parts[i].0..parts[i + 3].0])
            } else {
                Rank::MAX
            }
        };
        while min.0 != Rank::MAX {
            let i = min.1;
            // Ranks of the pairs that now involve the merged part, computed
            // before removing its right half (hence `i + 3`).
            if i > 0 {
                parts[i - 1].1 = rank_of(parts, i - 1);
            }
            parts[i].1 = rank_of(parts, i);
            parts.remove(i + 1);
            min = (Rank::MAX, usize::MAX);
            for (k, &(_, r)) in parts[..parts.len() - 1].iter().enumerate() {
                if r < min.0 {
                    min = (r, k);
                }
            }
        }
    }

    /// The same merges with a min-heap of `(rank, start)` and a linked list of
    /// parts: the heap's order (lowest rank, then leftmost start) is the scan's
    /// choice, so the result is identical. Stale heap entries are skipped by
    /// comparing their rank with the pair's current one (distinct byte strings
    /// have distinct ranks).
    fn merge_heap(&self, piece: &[u8], scratch: &mut Scratch) {
        let n = piece.len();
        let next = &mut scratch.next;
        let prev = &mut scratch.prev;
        let pair = &mut scratch.pair;
        let heap = &mut scratch.heap;
        next.clear();
        prev.clear();
        pair.clear();
        heap.clear();
        // Node i is the part starting at byte i; node n is the end sentinel.
        next.extend(1..=n + 1);
        prev.push(usize::MAX);
        prev.extend(0..n);
        for i in 0..n {
            let r = if i + 2 <= n {
                self.rank(&piece[i..i + 2])
            } else {
                Rank::MAX
            };
            pair.push(r);
            if r != Rank::MAX {
                heap.push(Reverse((r, i)));
            }
        }
        pair.push(Rank::MAX);
        let pair_rank = |next: &Vec<usize>, i: usize| {
            let j = next[i];
            if j >= n {
                return Rank::MAX;
            }
            self.rank(&piece[i..next[j]])
        };
        while let Some(Reverse((r, i))) = heap.pop() {
            if pair[i] != r {
                continue;
            }
            let j = next[i];
            let k = next[j];
            next[i] = k;
            if k <= n {
                prev[k] = i;
            }
            pair[j] = Rank::MAX;
            // Mark the absorbed node dead so its own stale entries are skipped.
            next[j] = usize::MAX;
            let ri = pair_rank(next, i);
            pair[i] = ri;
            if ri != Rank::MAX {
                heap.push(Reverse((ri, i)));
            }
            if prev[i] != usize::MAX {
                let p = prev[i];
                let rp = pair_rank(next, p);
                pair[p] = rp;
                if rp != Rank::MAX {
                    heap.push(Reverse((rp, p)));
                }
            }
        }
        let parts = &mut scratch.parts;
        parts.clear();
        let mut i = 0;
        while i < n {
            parts.push((i, 0));
            i = next[i];
        }
        parts.push((n, 0));
    }
}

/// Buffers reused across the pieces of one call.
#[derive(Default)]
struct Scratch {
    parts: Vec<(usize, Rank)>,
    next: Vec<usize>,
    prev: Vec<usize>,
    pair: Vec<Rank>,
    heap: BinaryHeap<Reverse<(Rank, usize)>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_ids_are_errors_not_allocations() {
        // Found by fuzzing (model_files): a rank of 4e9 in a tiktoken file
        // made the id table ask for 64 GB.
        let bytes = || (0..=255u8).map(|b| (vec![b], b as Rank));
        let ranks: Vec<_> = bytes().chain([(b"ab".to_vec(), 4_000_000_000)]).collect();
        let e = BytePairEncoding::new("big", ranks, [], Pretokenizer::Cl100k).unwrap_err();
        assert!(e.to_string().contains("id 4000000000 is far beyond"), "{e}");
        let special = [("<|x|>".to_string(), u32::MAX)];
        let e = BytePairEncoding::new("big", bytes(), special, Pretokenizer::Cl100k).unwrap_err();
        assert!(e.to_string().contains("far beyond"), "{e}");
        // Real gaps before special tokens stay fine.
        let special = [("<|x|>".to_string(), 256 + 60_000)];
        BytePairEncoding::new("gap", bytes(), special, Pretokenizer::Cl100k).unwrap();
    }

    /// A toy vocabulary: all bytes, then merges "ab", "abc", "bc", " a".
    fn toy() -> BytePairEncoding {
        let mut ranks: Vec<(Vec<u8>, Rank)> = (0..=255u8).map(|b| (vec![b], b as Rank)).collect();
        for (k, t) in ["ab", "bc", "abc", "aa", "aaaa"].iter().enumerate() {
            ranks.push((t.as_bytes().to_vec(), 256 + k as Rank));
        }
        BytePairEncoding::new(
            "toy",
            ranks,
            [("<|endoftext|>".to_string(), 300)],
            Pretokenizer::Gpt2,
        )
        .unwrap()
    }

    #[test]
    fn merges_lowest_rank_first() {
        let t = toy();
        assert_eq!(t.encode_ordinary("abc"), vec![258]);
        assert_eq!(t.encode_ordinary("abcx"), vec![258, b'x' as Rank]);
        assert_eq!(t.encode_ordinary("aaaaa"), vec![260, b'a' as Rank]);
    }

    #[test]
    fn heap_and_scan_agree() {
        let t = toy();
        let piece: Vec<u8> = b"abcaaaabcbcaaaaaab".repeat(20);
        let mut s = Scratch::default();
        t.merge_scan(&piece, &mut s.parts);
        let scan: Vec<usize> = s.parts.iter().map(|p| p.0).collect();
        t.merge_heap(&piece, &mut s);
        let heap: Vec<usize> = s.parts.iter().map(|p| p.0).collect();
        assert_eq!(scan, heap);
    }

    #[test]
    fn special_tokens_policy() {
        let t = toy();
        let text = "a<|endoftext|>b";
        assert!(matches!(
            t.encode(text, SpecialSet::None),
            Err(TextError::DisallowedSpecialToken { offset: 1, .. })
        ));
        assert_eq!(
            t.encode(text, SpecialSet::All).unwrap(),
            vec![b'a' as Rank, 300, b'b' as Rank]
        );
        let plain = t.encode_ordinary(text);
        assert_eq!(
            t.encode_with_policy(text, SpecialSet::None, SpecialSet::None)
                .unwrap(),
            plain
        );
        assert_eq!(t.decode(&plain).unwrap(), text);
    }

    #[test]
    fn offsets_tile_the_text() {
        let t = toy();
        let text = "abc <|endoftext|> aaaaa  x";
        let e = t.encode_with_offsets(text, SpecialSet::All).unwrap();
        assert_eq!(e.ids.len(), e.offsets.len());
        let mut pos = 0;
        for (id, r) in e.ids.iter().zip(&e.offsets) {
            assert_eq!(r.start, pos);
            assert_eq!(t.token_bytes(*id).unwrap(), &text.as_bytes()[r.clone()]);
            pos = r.end;
        }
        assert_eq!(pos, text.len());
    }

    #[test]
    fn unknown_id_and_partial_utf8() {
        let t = toy();
        assert!(matches!(
            t.decode(&[9999]),
            Err(TextError::UnknownTokenId { id: 9999, .. })
        ));
        let ids = t.encode_ordinary("é");
        assert_eq!(ids.len(), 2);
        assert!(matches!(
            t.decode(&ids[..1]),
            Err(TextError::DecodedNotUtf8 { valid_up_to: 0 })
        ));
        assert_eq!(t.decode_lossy(&ids[..1]).unwrap(), "\u{FFFD}");
    }
}
