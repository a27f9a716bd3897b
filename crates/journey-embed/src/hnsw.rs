//! # HNSW: approximate nearest neighbours by cosine similarity
//!
//! Hierarchical Navigable Small World graphs, Malkov & Yashunin 2018
//! ("Efficient and robust approximate nearest neighbor search using
//! Hierarchical Navigable Small World graphs", arXiv:1603.09320), on the
//! unit vectors of an [`Embeddings`] store, distance 1 − cos:
//!
//! * every word gets a level `floor(−ln(U)·mL)`, U uniform in (0, 1],
//!   `mL = 1/ln(M)`; it lives in the layers 0..=level;
//! * INSERT (algorithm 1): greedy descent (ef = 1) from the entry point
//!   through the layers above the word's level, then on each of its layers a
//!   SEARCH-LAYER (algorithm 2) with `ef_construction` candidates, M
//!   neighbours chosen by the heuristic of algorithm 4 and linked both ways;
//!   a neighbour whose list grows past `M` (upper layers) or `M0 = 2·M`
//!   (layer 0) is pruned back with the same heuristic;
//! * K-NN-SEARCH (algorithm 5): greedy descent to layer 0, then
//!   SEARCH-LAYER with `max(ef_search, k)` candidates, the best k returned.
//!
//! The heuristic keeps a candidate only when it is closer to the new element
//! than to every neighbour kept so far; `extend_candidates` and
//! `keep_pruned` are the two options of algorithm 4 (off by default, as the
//! paper recommends for most data and as hnswlib does).
//!
//! Internally the distance is kept as −cos (the same order as 1 − cos, with
//! no rounding), and the dot product is the one of
//! [`crate::similarity::CosineIndex`], so with `ef ≥ n` on a connected graph
//! the results equal the exact index's, ties going to the lower row.
//!
//! Insertion is sequential, in row order, so one seed gives one graph, bit
//! for bit; queries are read-only and may run in parallel (rayon).
//!
//! Cost: build O(n · log n · ef_construction · M · d) expected time; memory
//! the n·d unit matrix, n·M0 `u32` layer-0 slots, and M `u32` per upper
//! layer of a row, 1/(M−1) upper layers per row on average (about n `u32`
//! in all). A query visits O(log n + ef · M0) nodes, one dot product each
//! (the paper's O(log n) scaling).
//!
//! ## File format (version 1, little-endian)
//!
//! `b"JHNSWIDX"`, `u32` version, `u32` length + JSON of [`HnswConfig`],
//! `u64` rows, `u32` dim, `u64` fingerprint of the words and vectors,
//! `u32` entry point (`u32::MAX` when empty), `u32` top level, one `u8`
//! level per row, then for every row and each of its layers a `u32` count
//! and the neighbour rows (`u32`), and last an FNV-1a 64 checksum of
//! everything before it. Written through a temporary file and a rename.

use crate::similarity::dot;
use crate::{EmbedError, Embeddings};
use rayon::prelude::*;
use std::cell::RefCell;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::path::Path;

/// Settings of the graph and of the search.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct HnswConfig {
    /// Links per element on the upper layers (`M`); layer 0 keeps `2·M`.
    pub m: usize,
    /// Candidates kept while inserting (`efConstruction`).
    pub ef_construction: usize,
    /// Candidates kept while querying (`ef`); at least k is used.
    pub ef_search: usize,
    /// Seed of the level draws.
    pub seed: u64,
    /// Algorithm 4's `extendCandidates`.
    pub extend_candidates: bool,
    /// Algorithm 4's `keepPrunedConnections`.
    pub keep_pruned: bool,
}

impl Default for HnswConfig {
    /// hnswlib's defaults: M = 16, ef_construction = 200, ef = 10.
    fn default() -> Self {
        HnswConfig {
            m: 16,
            ef_construction: 200,
            ef_search: 10,
            seed: 100,
            extend_candidates: false,
            keep_pruned: false,
        }
    }
}

impl HnswConfig {
    fn check(&self) -> Result<(), EmbedError> {
        if self.m < 2 {
            return Err(EmbedError::Config(format!(
                "HNSW m = {}: must be at least 2",
                self.m
            )));
        }
        if self.m > 100_000 {
            return Err(EmbedError::Config(format!(
                "HNSW m = {}: too large",
                self.m
            )));
        }
        if self.ef_construction == 0 || self.ef_search == 0 {
            return Err(EmbedError::Config(
                "HNSW ef_construction and ef_search must be at least 1".into(),
            ));
        }
        Ok(())
    }

    /// Capacity of a neighbour list on layer `lc` (`M0 = 2·M` on layer 0).
    fn cap(&self, lc: usize) -> usize {
        if lc == 0 {
            2 * self.m
        } else {
            self.m
        }
    }
}

/// A candidate: distance (−cos) to the query, then row; ordered by both so
/// every heap pops in one well-defined order.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Cand {
    d: f32,
    id: u32,
}

impl Eq for Cand {}
impl PartialOrd for Cand {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Cand {
    fn cmp(&self, o: &Self) -> Ordering {
        self.d.total_cmp(&o.d).then(self.id.cmp(&o.id))
    }
}

/// Visited marks, reset in O(1) by bumping the epoch.
struct Visited {
    marks: Vec<u32>,
    epoch: u32,
}

impl Visited {
    fn start(&mut self, n: usize) {
        if self.marks.len() < n {
            self.marks = vec![0; n];
            self.epoch = 0;
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.marks.iter_mut().for_each(|m| *m = 0);
            self.epoch = 1;
        }
    }
    /// Marks `i`; true if it was not marked yet.
    #[inline]
    fn insert(&mut self, i: u32) -> bool {
        let m = &mut self.marks[i as usize];
        if *m == self.epoch {
            false
        } else {
            *m = self.epoch;
            true
        }
    }
}

thread_local! {
    static VISITED: RefCell<Visited> = const { RefCell::new(Visited { marks: Vec::new(), epoch: 0 }) };
}

/// splitmix64 (Steele, Lea & Flood 2014): the level draws.
struct SplitMix(u64);

impl SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in (0, 1].
    fn unit_open0(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }
}

/// The graph over the unit vectors of a store.
pub struct Hnsw {
    config: HnswConfig,
    dim: usize,
    unit: Vec<f32>,
    fingerprint: u64,
    levels: Vec<u8>,
    /// Layer 0: `2·M` slots per row, `layer0_len[i]` of them used.
    layer0: Vec<u32>,
    layer0_len: Vec<u32>,
    /// Layers 1..=level of each row (empty for level-0 rows).
    upper: Vec<Vec<Vec<u32>>>,
    entry: Option<u32>,
    top: usize,
}

/// 64-bit FNV-1a step over one word of input.
#[inline]
fn fnv(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x0000_0100_0000_01b3)
}
const FNV0: u64 = 0xcbf2_9ce4_8422_2325;

/// A hash of the words and the raw vectors: an index file records it so it
/// is never used with other vectors.
pub fn fingerprint(emb: &Embeddings) -> u64 {
    let mut h = fnv(fnv(FNV0, emb.len() as u64), emb.dim() as u64);
    for w in emb.words() {
        for &b in w.as_bytes() {
            h = fnv(h, u64::from(b));
        }
        h = fnv(h, 0x100);
    }
    for x in emb.data() {
        h = fnv(h, u64::from(x.to_bits()));
    }
    h
}

impl Hnsw {
    fn empty(emb: &Embeddings, config: HnswConfig) -> Result<Self, EmbedError> {
        config.check()?;
        if emb.len() >= u32::MAX as usize {
            return Err(EmbedError::Invalid(format!(
                "HNSW holds fewer than {} rows, got {}",
                u32::MAX,
                emb.len()
            )));
        }
        let n = emb.len();
        let m0 = config.cap(0);
        Ok(Hnsw {
            dim: emb.dim(),
            unit: emb.normalized(),
            fingerprint: fingerprint(emb),
            levels: vec![0; n],
            layer0: vec![0; n * m0],
            layer0_len: vec![0; n],
            upper: vec![Vec::new(); n],
            entry: None,
            top: 0,
            config,
        })
    }

    /// Builds the graph, inserting the rows in order (deterministic for a
    /// seed).
    pub fn build(emb: &Embeddings, config: HnswConfig) -> Result<Self, EmbedError> {
        let mut h = Self::empty(emb, config)?;
        let ml = 1.0 / (h.config.m as f64).ln();
        let mut rng = SplitMix(h.config.seed);
        for i in 0..emb.len() {
            let level = (-rng.unit_open0().ln() * ml).floor().min(255.0) as usize;
            h.insert(i as u32, level);
        }
        Ok(h)
    }

    /// The settings the graph was built with (`ef_search` is the default
    /// of queries).
    pub fn config(&self) -> &HnswConfig {
        &self.config
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.levels.len()
    }

    /// Whether the graph is empty.
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// The top layer (0 when empty).
    pub fn top_level(&self) -> usize {
        self.top
    }

    /// Level of every row.
    pub fn levels(&self) -> &[u8] {
        &self.levels
    }

    /// Neighbours of row `i` on layer `lc` (empty above its level).
    pub fn links(&self, i: usize, lc: usize) -> &[u32] {
        if lc == 0 {
            let m0 = self.config.cap(0);
            &self.layer0[i * m0..i * m0 + self.layer0_len[i] as usize]
        } else {
            self.upper[i].get(lc - 1).map_or(&[], |v| v.as_slice())
        }
    }

    fn set_links(&mut self, i: usize, lc: usize, ids: &[u32]) {
        if lc == 0 {
            let m0 = self.config.cap(0);
            self.layer0[i * m0..i * m0 + ids.len()].copy_from_slice(ids);
            self.layer0_len[i] = ids.len() as u32;
        } else {
            let v = &mut self.upper[i][lc - 1];
            v.clear();
            v.extend_from_slice(ids);
        }
    }

    #[inline]
    fn row(&self, i: u32) -> &[f32] {
        let i = i as usize;
        &self.unit[i * self.dim..(i + 1) * self.dim]
    }

    /// Hints the CPU to load row `i` (a no-op off x86-64).
    #[inline]
    fn prefetch(&self, i: u32) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            let row = self.row(i);
            for line in (0..row.len()).step_by(16) {
                // SAFETY: a prefetch is only a hint; it never faults and
                // reads nothing into the program, and the pointer is in
                // bounds of `row`.
                unsafe { _mm_prefetch::<_MM_HINT_T0>(row.as_ptr().add(line).cast()) };
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = i;
    }

    /// −cos between a unit query and row `i`.
    #[inline]
    fn dist(&self, q: &[f32], i: u32) -> f32 {
        -(dot(self.row(i), q) as f32)
    }

    /// Algorithm 2, SEARCH-LAYER: the `ef` nearest to `q` found on layer
    /// `lc` from the entry points, nearest first.
    fn search_layer(
        &self,
        q: &[f32],
        eps: &[Cand],
        ef: usize,
        lc: usize,
        visited: &mut Visited,
    ) -> Vec<Cand> {
        visited.start(self.len());
        let mut cands: BinaryHeap<Reverse<Cand>> = BinaryHeap::with_capacity(ef * 2);
        let mut found: BinaryHeap<Cand> = BinaryHeap::with_capacity(ef + 1);
        let mut fresh: Vec<u32> = Vec::with_capacity(self.config.cap(0));
        for &e in eps {
            if visited.insert(e.id) {
                cands.push(Reverse(e));
                found.push(e);
                if found.len() > ef {
                    found.pop();
                }
            }
        }
        while let Some(Reverse(c)) = cands.pop() {
            let far = *found.peek().expect("found holds the entry points");
            if found.len() >= ef && c > far {
                break;
            }
            // First the unvisited neighbours, their rows fetched into cache
            // ahead of the dot products (the memory latency dominates).
            fresh.clear();
            for &e in self.links(c.id as usize, lc) {
                if visited.insert(e) {
                    self.prefetch(e);
                    fresh.push(e);
                }
            }
            for &e in &fresh {
                let d = Cand {
                    d: self.dist(q, e),
                    id: e,
                };
                if found.len() < ef || d < *found.peek().unwrap() {
                    cands.push(Reverse(d));
                    found.push(d);
                    if found.len() > ef {
                        found.pop();
                    }
                }
            }
        }
        found.into_sorted_vec()
    }

    /// Greedy walk (ef = 1) from `ep` down to layer `stop + 1`'s nearest.
    fn descend(&self, q: &[f32], mut ep: Cand, from: usize, stop: usize) -> Cand {
        let mut lc = from;
        while lc > stop {
            let mut changed = true;
            while changed {
                changed = false;
                for &e in self.links(ep.id as usize, lc) {
                    let d = Cand {
                        d: self.dist(q, e),
                        id: e,
                    };
                    if d < ep {
                        ep = d;
                        changed = true;
                    }
                }
            }
            lc -= 1;
        }
        ep
    }

    /// Algorithm 4, SELECT-NEIGHBORS-HEURISTIC: at most `m` of `cands`
    /// (distances to `q`, any order), each closer to `q` than to the ones
    /// kept before it.
    fn select(&self, q: &[f32], mut cands: Vec<Cand>, m: usize, lc: usize) -> Vec<Cand> {
        if self.config.extend_candidates {
            let mut seen: rustc_hash::FxHashSet<u32> = cands.iter().map(|c| c.id).collect();
            for c in cands.clone() {
                for &e in self.links(c.id as usize, lc) {
                    if seen.insert(e) {
                        cands.push(Cand {
                            d: self.dist(q, e),
                            id: e,
                        });
                    }
                }
            }
        }
        cands.sort_unstable();
        let mut kept: Vec<Cand> = Vec::with_capacity(m);
        let mut dropped = Vec::new();
        for c in cands {
            if kept.len() >= m {
                break;
            }
            let v = self.row(c.id);
            // −cos(c, r) < −cos(c, q): c is nearer to r than to q.
            if kept.iter().all(|r| self.dist(v, r.id) >= c.d) {
                kept.push(c);
            } else if self.config.keep_pruned {
                dropped.push(c);
            }
        }
        for c in dropped {
            if kept.len() >= m {
                break;
            }
            kept.push(c);
        }
        kept
    }

    /// Algorithm 1, INSERT of row `q` at `level`.
    fn insert(&mut self, q: u32, level: usize) {
        self.levels[q as usize] = level as u8;
        self.upper[q as usize] = vec![Vec::new(); level];
        let Some(entry) = self.entry else {
            self.entry = Some(q);
            self.top = level;
            return;
        };
        let qv = self.row(q).to_vec();
        let mut ep = Cand {
            d: self.dist(&qv, entry),
            id: entry,
        };
        if self.top > level {
            ep = self.descend(&qv, ep, self.top, level);
        }
        let mut eps = vec![ep];
        VISITED.with(|cell| {
            let mut visited = cell.borrow_mut();
            for lc in (0..=level.min(self.top)).rev() {
                let w = self.search_layer(&qv, &eps, self.config.ef_construction, lc, &mut visited);
                let chosen = self.select(&qv, w.clone(), self.config.m, lc);
                let ids: Vec<u32> = chosen.iter().map(|c| c.id).collect();
                self.set_links(q as usize, lc, &ids);
                let cap = self.config.cap(lc);
                for &e in &ids {
                    let mut list = self.links(e as usize, lc).to_vec();
                    list.push(q);
                    if list.len() > cap {
                        let ev = self.row(e).to_vec();
                        let cands = list
                            .iter()
                            .map(|&x| Cand {
                                d: self.dist(&ev, x),
                                id: x,
                            })
                            .collect();
                        list = self
                            .select(&ev, cands, cap, lc)
                            .into_iter()
                            .map(|c| c.id)
                            .collect();
                    }
                    self.set_links(e as usize, lc, &list);
                }
                eps = w;
            }
        });
        if level > self.top {
            self.top = level;
            self.entry = Some(q);
        }
    }

    /// Algorithm 5, K-NN-SEARCH: the `k` rows nearest to `query` (any
    /// length, normalised here) with their cosine similarity, best first;
    /// `ef` candidates (at least `k`) on layer 0.
    pub fn search(&self, query: &[f32], k: usize, ef: usize) -> Vec<(usize, f32)> {
        let Some(entry) = self.entry else {
            return Vec::new();
        };
        if k == 0 {
            return Vec::new();
        }
        let q = crate::similarity::unit(query);
        let ep = Cand {
            d: self.dist(&q, entry),
            id: entry,
        };
        let ep = self.descend(&q, ep, self.top, 0);
        let w =
            VISITED.with(|cell| self.search_layer(&q, &[ep], ef.max(k), 0, &mut cell.borrow_mut()));
        w.into_iter()
            .take(k)
            .map(|c| (c.id as usize, -c.d))
            .collect()
    }

    /// The `k` nearest rows to row `i` of `emb` (the store the graph was
    /// built on), row `i` itself left out. The query is the raw row, as
    /// [`crate::similarity::CosineIndex::neighbours`] takes it.
    pub fn search_row(&self, emb: &Embeddings, i: usize, k: usize, ef: usize) -> Vec<(usize, f32)> {
        let mut r = self.search(emb.row(i), k + 1, ef.max(k + 1));
        r.retain(|&(j, _)| j != i);
        r.truncate(k);
        r
    }

    /// [`Self::search_row`] for many rows, in parallel.
    pub fn search_rows(
        &self,
        emb: &Embeddings,
        rows: &[usize],
        k: usize,
        ef: usize,
    ) -> Vec<Vec<(usize, f32)>> {
        rows.par_iter()
            .map(|&i| self.search_row(emb, i, k, ef))
            .collect()
    }

    /// Neighbours of a word in `emb` (the store the graph was built on), the
    /// word itself left out; `None` if unknown.
    pub fn neighbours(
        &self,
        emb: &Embeddings,
        word: &str,
        k: usize,
        ef: usize,
    ) -> Option<Vec<(String, f32)>> {
        let i = emb.index_of(word)?;
        Some(
            self.search_row(emb, i, k, ef)
                .into_iter()
                .map(|(j, s)| (emb.words()[j].clone(), s))
                .collect(),
        )
    }

    /// The index file (format in the module documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.len() * (1 + 4 + 4 * self.config.m * 2));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        let cfg = serde_json::to_vec(&self.config).expect("config serialises");
        out.extend_from_slice(&(cfg.len() as u32).to_le_bytes());
        out.extend_from_slice(&cfg);
        out.extend_from_slice(&(self.len() as u64).to_le_bytes());
        out.extend_from_slice(&(self.dim as u32).to_le_bytes());
        out.extend_from_slice(&self.fingerprint.to_le_bytes());
        out.extend_from_slice(&self.entry.unwrap_or(u32::MAX).to_le_bytes());
        out.extend_from_slice(&(self.top as u32).to_le_bytes());
        out.extend_from_slice(&self.levels);
        for i in 0..self.len() {
            for lc in 0..=self.levels[i] as usize {
                let l = self.links(i, lc);
                out.extend_from_slice(&(l.len() as u32).to_le_bytes());
                for &x in l {
                    out.extend_from_slice(&x.to_le_bytes());
                }
            }
        }
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Writes the index file through a temporary file and a rename.
    pub fn save(&self, path: &Path) -> Result<(), EmbedError> {
        crate::error::write_atomic(path, &self.to_bytes())
    }

    /// Reads an index file written for `emb`.
    pub fn load(path: &Path, emb: &Embeddings) -> Result<Self, EmbedError> {
        let bytes = std::fs::read(path).map_err(|e| EmbedError::io(path, e))?;
        Self::from_bytes(&bytes, emb).map_err(|m| {
            EmbedError::Invalid(format!("{}: not a usable HNSW index: {m}", path.display()))
        })
    }

    /// Parses an index file for `emb`; the error says what is wrong.
    pub fn from_bytes(bytes: &[u8], emb: &Embeddings) -> Result<Self, String> {
        let mut r = Reader { b: bytes, at: 0 };
        if r.take(8, "the magic bytes")? != MAGIC {
            return Err("the file does not start with JHNSWIDX".into());
        }
        let version = r.u32("the version")?;
        if version != VERSION {
            return Err(format!(
                "format version {version}; this build reads version {VERSION}"
            ));
        }
        let clen = r.u32("the settings length")? as usize;
        let config: HnswConfig = serde_json::from_slice(r.take(clen, "the settings")?)
            .map_err(|e| format!("settings: {e}"))?;
        config.check().map_err(|e| e.to_string())?;
        let n = r.u64("the row count")?;
        let dim = r.u32("the dimension")? as usize;
        let fp = r.u64("the fingerprint")?;
        if n != emb.len() as u64 || dim != emb.dim() {
            return Err(format!(
                "built for {n} vectors of dimension {dim}, given {} of dimension {}",
                emb.len(),
                emb.dim()
            ));
        }
        let n = n as usize;
        let entry = r.u32("the entry point")?;
        let top = r.u32("the top level")? as usize;
        let levels = r.take(n, "the levels")?.to_vec();
        let entry = match entry {
            u32::MAX if n == 0 => None,
            e if (e as usize) < n && levels[e as usize] as usize == top => Some(e),
            e => {
                return Err(format!(
                    "entry point {e} is not a row of level {top} among {n} rows"
                ))
            }
        };
        if let Some(i) = levels.iter().position(|&l| l as usize > top) {
            return Err(format!(
                "row {i} has level {} above the top {top}",
                levels[i]
            ));
        }
        let m0 = config.cap(0);
        let mut h = Hnsw {
            dim,
            unit: Vec::new(),
            fingerprint: fp,
            layer0: vec![0; n * m0],
            layer0_len: vec![0; n],
            upper: levels
                .iter()
                .map(|&l| vec![Vec::new(); l as usize])
                .collect(),
            levels,
            entry,
            top,
            config,
        };
        let mut ids = Vec::new();
        for i in 0..n {
            for lc in 0..=h.levels[i] as usize {
                let what = || format!("the links of row {i} on layer {lc}");
                let c = r.u32(&what())? as usize;
                if c > h.config.cap(lc) {
                    return Err(format!(
                        "row {i} has {c} links on layer {lc}, more than {}",
                        h.config.cap(lc)
                    ));
                }
                ids.clear();
                for _ in 0..c {
                    let x = r.u32(&what())?;
                    if x as usize >= n || h.levels[x as usize] < lc as u8 {
                        return Err(format!(
                            "row {i} links to {x} on layer {lc}, not a row of that layer"
                        ));
                    }
                    ids.push(x);
                }
                h.set_links(i, lc, &ids);
            }
        }
        let body = r.at;
        let sum = r.u64("the checksum")?;
        if r.at != bytes.len() {
            return Err(format!("{} bytes after the checksum", bytes.len() - r.at));
        }
        if sum != checksum(&bytes[..body]) {
            return Err("checksum mismatch (the file is corrupt)".into());
        }
        if fp != fingerprint(emb) {
            return Err(
                "built for other vectors (the words or values differ from the vector file)".into(),
            );
        }
        h.unit = emb.normalized();
        Ok(h)
    }
}

const MAGIC: &[u8; 8] = b"JHNSWIDX";
const VERSION: u32 = 1;

fn checksum(b: &[u8]) -> u64 {
    b.iter().fold(FNV0, |h, &x| fnv(h, u64::from(x)))
}

/// Bounds-checked little-endian reads; a short file names what is missing.
struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize, what: &str) -> Result<&'a [u8], String> {
        if self.b.len() - self.at < len {
            return Err(format!(
                "truncated: {what} needs {len} bytes at offset {}, the file has {}",
                self.at,
                self.b.len()
            ));
        }
        let s = &self.b[self.at..self.at + len];
        self.at += len;
        Ok(s)
    }
    fn u32(&mut self, what: &str) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4, what)?.try_into().unwrap()))
    }
    fn u64(&mut self, what: &str) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.take(8, what)?.try_into().unwrap()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_geometric_law() {
        // P(level ≥ 1) = 1/M.
        let mut rng = SplitMix(7);
        let ml = 1.0 / 16f64.ln();
        let n = 100_000;
        let up = (0..n)
            .filter(|_| (-rng.unit_open0().ln() * ml).floor() >= 1.0)
            .count();
        let p = up as f64 / n as f64;
        assert!((p - 1.0 / 16.0).abs() < 0.005, "{p}");
    }

    #[test]
    fn bad_settings_are_refused() {
        let e = Embeddings::new(vec!["a".into()], 2, vec![1.0, 0.0]).unwrap();
        let cfg = HnswConfig {
            m: 1,
            ..HnswConfig::default()
        };
        assert!(matches!(Hnsw::build(&e, cfg), Err(EmbedError::Config(_))));
    }
}
