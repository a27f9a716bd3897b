//! String interning: every distinct term stored once, back to back in one
//! buffer, and named by a dense number (its order of first arrival).
//!
//! A vocabulary of a million n-grams as a `HashMap<String, u32>` costs a heap
//! allocation per term; here the terms share one `String`, and each slot of
//! the hash table (hashbrown's `HashTable`, a SwissTable: Kulukundis,
//! "Designing a Fast, Efficient, Cache-friendly Hash Table, Step by Step",
//! CppCon 2017) holds the term's id and where its bytes are, so a look-up
//! touches the control bytes, one slot and the term — the fewest cache misses
//! for a table much larger than the cache. Each term's hash is kept, so growing
//! the table and merging interners never hash a term twice.
//!
//! Cost: O(len) per look-up or insertion (one hash, one comparison on a
//! match); memory: the bytes of the terms plus about 40 bytes per term.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

/// The hash of a term, as the interner computes it.
#[inline]
pub(crate) fn term_hash(term: &str) -> u64 {
    FxBuildHasher.hash_one(term)
}

/// Distinct strings, numbered 0, 1, 2, … in order of first insertion.
#[derive(Debug, Clone, Default)]
pub(crate) struct Interner {
    bytes: String,
    /// `ends[i]` is where term `i` ends in `bytes` (it starts at `ends[i - 1]`).
    ends: Vec<usize>,
    hashes: Vec<u64>,
    table: HashTable<Slot>,
}

/// A table slot: the term's id and its bytes' place in the buffer.
#[derive(Debug, Clone, Copy)]
struct Slot {
    start: usize,
    len: u32,
    id: u32,
}

impl Interner {
    pub(crate) fn with_capacity(terms: usize, bytes: usize) -> Self {
        Interner {
            bytes: String::with_capacity(bytes),
            ends: Vec::with_capacity(terms),
            hashes: Vec::with_capacity(terms),
            table: HashTable::with_capacity(terms),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Term number `id`.
    #[inline]
    pub(crate) fn term(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.bytes[start..self.ends[id]]
    }

    /// The stored hash of term `id`.
    #[inline]
    pub(crate) fn hash_of(&self, id: u32) -> u64 {
        self.hashes[id as usize]
    }

    /// The id of `term`, if present.
    #[inline]
    pub(crate) fn get(&self, term: &str) -> Option<u32> {
        self.get_hashed(term, term_hash(term))
    }

    #[inline]
    pub(crate) fn get_hashed(&self, term: &str, hash: u64) -> Option<u32> {
        let bytes = self.bytes.as_bytes();
        self.table
            .find(hash, |s| {
                s.len as usize == term.len()
                    && &bytes[s.start..s.start + term.len()] == term.as_bytes()
            })
            .map(|s| s.id)
    }

    /// The id of `term`, inserting it when new; the flag says whether it was.
    #[inline]
    pub(crate) fn intern(&mut self, term: &str) -> (u32, bool) {
        self.intern_hashed(term, term_hash(term))
    }

    /// As [`intern`](Self::intern), with the hash already known.
    pub(crate) fn intern_hashed(&mut self, term: &str, hash: u64) -> (u32, bool) {
        let Interner {
            bytes,
            ends,
            hashes,
            table,
        } = self;
        let buf = bytes.as_bytes();
        let found = table.find(hash, |s| {
            s.len as usize == term.len() && &buf[s.start..s.start + term.len()] == term.as_bytes()
        });
        if let Some(s) = found {
            return (s.id, false);
        }
        let id = u32::try_from(ends.len()).expect("fewer than 2^32 terms");
        let len = u32::try_from(term.len()).expect("a term shorter than 4 GiB");
        let slot = Slot {
            start: bytes.len(),
            len,
            id,
        };
        bytes.push_str(term);
        ends.push(bytes.len());
        hashes.push(hash);
        table.insert_unique(hash, slot, |s| hashes[s.id as usize]);
        (id, true)
    }

    /// The terms in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len() as u32).map(move |id| self.term(id))
    }
}

/// The first 8 bytes of a term, big-endian and zero-padded: comparing these
/// orders most pairs of terms without reading the strings themselves.
#[inline]
fn sort_prefix(term: &str) -> u64 {
    let b = term.as_bytes();
    let mut p = [0u8; 8];
    let n = b.len().min(8);
    p[..n].copy_from_slice(&b[..n]);
    u64::from_be_bytes(p)
}

/// Shards of the parallel merge (a power of two).
const SHARDS: usize = 64;

/// Which shard a term goes to: middle bits of its hash (hashbrown uses the
/// low bits for the slot and the top 7 for its tags).
#[inline]
fn shard_of(hash: u64) -> usize {
    (hash >> 32) as usize & (SHARDS - 1)
}

/// Merges interners into one vocabulary sorted by code point (Python's string
/// order, which is UTF-8 byte order). Returns the sorted terms and, for each
/// part, the sorted position of each of its ids.
///
/// Parallel: terms are dealt into shards by hash, each shard deduplicates its
/// terms on its own core, and the union is sorted with rayon. The result does
/// not depend on how the terms were split into parts.
pub(crate) fn merge_sorted(parts: &[&Interner]) -> (Vec<String>, Vec<Vec<u32>>) {
    // 1. Each part's ids, dealt into shards.
    let dealt: Vec<Vec<Vec<u32>>> = parts
        .par_iter()
        .map(|p| {
            let mut shards = vec![Vec::new(); SHARDS];
            for id in 0..p.len() as u32 {
                shards[shard_of(p.hash_of(id))].push(id);
            }
            shards
        })
        .collect();
    // 2. Each shard merges its terms from every part, in part order; `local`
    //    holds the shard-local id of each dealt term.
    let shards: Vec<(Interner, Vec<Vec<u32>>)> = (0..SHARDS)
        .into_par_iter()
        .map(|s| {
            let mut merged = Interner::default();
            let local = parts
                .iter()
                .zip(&dealt)
                .map(|(p, d)| {
                    d[s].iter()
                        .map(|&id| merged.intern_hashed(p.term(id), p.hash_of(id)).0)
                        .collect()
                })
                .collect();
            (merged, local)
        })
        .collect();
    // 3. Global ids: shard by shard.
    let mut offsets = Vec::with_capacity(SHARDS + 1);
    offsets.push(0usize);
    for (m, _) in &shards {
        offsets.push(offsets.last().unwrap() + m.len());
    }
    let all: Vec<&str> = shards.iter().flat_map(|(m, _)| m.iter()).collect();
    // 4. Sort the union.
    let mut order: Vec<(u64, u32)> = all
        .par_iter()
        .enumerate()
        .map(|(g, t)| (sort_prefix(t), g as u32))
        .collect();
    order.par_sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| all[a.1 as usize].cmp(all[b.1 as usize]))
    });
    let mut rank = vec![0u32; order.len()];
    for (r, &(_, g)) in order.iter().enumerate() {
        rank[g as usize] = r as u32;
    }
    let terms: Vec<String> = order
        .par_iter()
        .map(|&(_, g)| all[g as usize].to_string())
        .collect();
    // 5. Each part's ids to sorted positions.
    let ranks = parts
        .par_iter()
        .enumerate()
        .map(|(k, p)| {
            let mut out = vec![0u32; p.len()];
            for (s, (_, local)) in shards.iter().enumerate() {
                for (&id, &l) in dealt[k][s].iter().zip(&local[k]) {
                    out[id as usize] = rank[offsets[s] + l as usize];
                }
            }
            out
        })
        .collect();
    (terms, ranks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_order_of_arrival() {
        let mut i = Interner::default();
        assert_eq!(i.intern("b"), (0, true));
        assert_eq!(i.intern(""), (1, true));
        assert_eq!(i.intern("ab"), (2, true));
        assert_eq!(i.intern("b"), (0, false));
        assert_eq!(i.get("ab"), Some(2));
        assert_eq!(i.get("a"), None);
        assert_eq!(i.term(1), "");
        assert_eq!(i.iter().collect::<Vec<_>>(), ["b", "", "ab"]);
        for k in 0..10_000 {
            i.intern(&k.to_string());
        }
        assert_eq!(i.get("9999"), Some(10_002));
        assert_eq!(i.term(i.get("4321").unwrap()), "4321");
    }

    #[test]
    fn merge_sorts_by_code_point_and_maps_every_id() {
        let mut a = Interner::default();
        let mut b = Interner::default();
        for t in ["zebra", "é", "apple", "Zoo", "apple pie"] {
            a.intern(t);
        }
        for t in ["apple", "b", "é", "\u{1F600}", "ab"] {
            b.intern(t);
        }
        let (terms, ranks) = merge_sorted(&[&a, &b]);
        assert_eq!(
            terms,
            [
                "Zoo",
                "ab",
                "apple",
                "apple pie",
                "b",
                "zebra",
                "é",
                "\u{1F600}"
            ]
        );
        for (part, rank) in [&a, &b].iter().zip(&ranks) {
            for id in 0..part.len() as u32 {
                assert_eq!(terms[rank[id as usize] as usize], part.term(id));
            }
        }
        let (none, _) = merge_sorted(&[&Interner::default()]);
        assert!(none.is_empty());
    }
}
