//! Unigram language-model segmentation: the Viterbi path through all the
//! ways a normalised text can be cut into vocabulary pieces.
//!
//! Kudo (2018), "Subword Regularization: Improving Neural Network Translation
//! Models with Multiple Subword Candidates" (ACL), §3: each piece x has a
//! log-probability log p(x) (the score stored in the model), a segmentation's
//! score is the sum over its pieces, and the best segmentation is found by
//! dynamic programming over end positions. This follows sentencepiece's
//! `unigram::Model::EncodeOptimized` exactly, down to its quirks:
//!
//! * scores are added in `f32`, and a later candidate replaces an earlier one
//!   only when strictly better, so ties resolve the same way;
//! * a character no piece starts with becomes `<unk>` with score
//!   min(score of NORMAL pieces) − 10 (`kUnkPenalty`);
//! * a user-defined piece of n bytes scores n · max − 0.1, where max is the
//!   largest NORMAL score but at least `FLT_MIN` (so in practice −0.1): they
//!   win over any split;
//! * UNUSED pieces are in the dictionary but never chosen.
//!
//! Merging consecutive unknowns and byte fallback happen one level up, in
//! [`crate::sentencepiece`], as in sentencepiece's processor.
//!
//! Cost: O(n · L) time for n normalised bytes and pieces of at most L bytes
//! (one trie walk from each character boundary); O(n) memory for the lattice.
//! The trie takes O(total piece bytes) memory.

use crate::sentencepiece_model::{Piece, PieceType};
use crate::sentencepiece_normalizer::utf8_len;

/// sentencepiece's `kUnkPenalty`.
const UNK_PENALTY: f32 = 10.0;

/// A byte trie over the piece strings.
///
/// The root's children are a 256-entry table (almost every walk starts
/// there); deeper nodes keep sorted child lists, small in practice.
#[derive(Debug, Clone)]
pub(crate) struct PieceTrie {
    root: Box<[u32; 256]>,
    /// Per node: range into `edges`.
    spans: Vec<(u32, u32)>,
    edges: Vec<(u8, u32)>,
    /// Per node: the piece id ending there, or -1.
    ids: Vec<i32>,
}

impl PieceTrie {
    /// Builds the trie of `(bytes, id)` pairs.
    pub(crate) fn new<'a>(entries: impl IntoIterator<Item = (&'a [u8], u32)>) -> Self {
        // Build with owned child vectors, then flatten.
        let mut children: Vec<Vec<(u8, u32)>> = vec![Vec::new()];
        let mut ids = vec![-1i32];
        for (key, id) in entries {
            let mut node = 0usize;
            for &b in key {
                node = match children[node].iter().find(|e| e.0 == b) {
                    Some(&(_, c)) => c as usize,
                    None => {
                        let c = children.len();
                        children.push(Vec::new());
                        ids.push(-1);
                        children[node].push((b, c as u32));
                        c
                    }
                };
            }
            ids[node] = id as i32;
        }
        let mut root = Box::new([0u32; 256]);
        for &(b, c) in &children[0] {
            root[b as usize] = c;
        }
        let mut spans = Vec::with_capacity(children.len());
        let mut edges = Vec::new();
        for mut c in children {
            c.sort_unstable();
            spans.push((edges.len() as u32, (edges.len() + c.len()) as u32));
            edges.extend(c);
        }
        Self {
            root,
            spans,
            edges,
            ids,
        }
    }

    /// Calls `f(length, id)` for every piece that is a prefix of `key`, shortest first.
    #[inline]
    pub(crate) fn prefixes(&self, key: &[u8], mut f: impl FnMut(usize, u32)) {
        let Some(&first) = key.first() else { return };
        let mut node = self.root[first as usize] as usize;
        if node == 0 {
            return;
        }
        let mut len = 1;
        loop {
            let id = self.ids[node];
            if id >= 0 {
                f(len, id as u32);
            }
            let Some(&b) = key.get(len) else { return };
            let (lo, hi) = self.spans[node];
            let kids = &self.edges[lo as usize..hi as usize];
            let next = if kids.len() <= 8 {
                kids.iter().find(|e| e.0 == b).map(|e| e.1)
            } else {
                kids.binary_search_by_key(&b, |e| e.0)
                    .ok()
                    .map(|i| kids[i].1)
            };
            match next {
                Some(n) => node = n as usize,
                None => return,
            }
            len += 1;
        }
    }
}

/// A Unigram model: pieces, their scores and the trie used by Viterbi.
#[derive(Debug, Clone)]
pub struct Unigram {
    trie: PieceTrie,
    scores: Vec<f32>,
    kinds: Vec<PieceType>,
    unk_id: u32,
    unk_score: f32,
    max_score: f32,
}

/// One cell of the lattice: the best path ending at this byte.
#[derive(Clone, Copy)]
struct Best {
    id: u32,
    score: f32,
    starts_at: i32,
}

impl Unigram {
    /// The model of `pieces` (all of a `.model` file's pieces, by id).
    pub fn new(pieces: &[Piece], unk_id: u32) -> Self {
        let mut min_score = f32::MAX;
        // FLT_MIN, the smallest positive float: sentencepiece's starting value,
        // which makes user-defined pieces score about −0.1.
        let mut max_score = f32::MIN_POSITIVE;
        for p in pieces.iter().filter(|p| p.kind == PieceType::Normal) {
            min_score = min_score.min(p.score);
            max_score = max_score.max(p.score);
        }
        let trie = PieceTrie::new(pieces.iter().enumerate().filter_map(|(i, p)| {
            matches!(
                p.kind,
                PieceType::Normal | PieceType::UserDefined | PieceType::Unused
            )
            .then_some((p.piece.as_bytes(), i as u32))
        }));
        Self {
            trie,
            scores: pieces.iter().map(|p| p.score).collect(),
            kinds: pieces.iter().map(|p| p.kind).collect(),
            unk_id,
            unk_score: min_score - UNK_PENALTY,
            max_score,
        }
    }

    /// The best segmentation of `normalized` as (byte range end, id) pairs in
    /// order; each piece starts where the previous one ended. Unknown
    /// characters come out one by one with the unknown id.
    pub fn encode(&self, normalized: &[u8], out: &mut Vec<(usize, u32)>) {
        out.clear();
        let size = normalized.len();
        if size == 0 {
            return;
        }
        let mut best = vec![
            Best {
                id: 0,
                score: 0.0,
                starts_at: -1,
            };
            size + 1
        ];
        let mut start = 0usize;
        while start < size {
            let here = best[start].score;
            let mblen = utf8_len(normalized[start]).min(size - start);
            let mut has_single = false;
            self.trie.prefixes(&normalized[start..], |len, id| {
                let kind = self.kinds[id as usize];
                if kind == PieceType::Unused {
                    return;
                }
                let score = if kind == PieceType::UserDefined {
                    len as f32 * self.max_score - 0.1
                } else {
                    self.scores[id as usize]
                };
                let cand = score + here;
                let t = &mut best[start + len];
                if t.starts_at == -1 || cand > t.score {
                    *t = Best {
                        id,
                        score: cand,
                        starts_at: start as i32,
                    };
                }
                if len == mblen {
                    has_single = true;
                }
            });
            if !has_single {
                let cand = self.unk_score + here;
                let t = &mut best[start + mblen];
                if t.starts_at == -1 || cand > t.score {
                    *t = Best {
                        id: self.unk_id,
                        score: cand,
                        starts_at: start as i32,
                    };
                }
            }
            start += mblen;
        }
        let mut end = size;
        while end > 0 {
            let b = best[end];
            out.push((end, b.id));
            // Every reachable end has a node; a negative start cannot occur
            // on a well-formed lattice, but stop rather than loop.
            if b.starts_at < 0 {
                break;
            }
            end = b.starts_at as usize;
        }
        out.reverse();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(s: &str, score: f32, kind: PieceType) -> Piece {
        Piece {
            piece: s.into(),
            score,
            kind,
        }
    }

    #[test]
    fn viterbi_prefers_the_likelier_split() {
        let pieces = vec![
            piece("<unk>", 0.0, PieceType::Unknown),
            piece("a", -1.0, PieceType::Normal),
            piece("b", -1.0, PieceType::Normal),
            piece("ab", -1.5, PieceType::Normal),
            piece("abc", -5.0, PieceType::Normal),
            piece("c", -1.0, PieceType::Normal),
        ];
        let m = Unigram::new(&pieces, 0);
        let mut out = Vec::new();
        m.encode(b"abc", &mut out);
        assert_eq!(out, [(2, 3), (3, 5)]);
        m.encode("aé".as_bytes(), &mut out);
        assert_eq!(out, [(1, 1), (3, 0)]);
    }
}
