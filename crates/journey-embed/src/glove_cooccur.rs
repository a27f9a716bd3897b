//! # GloVe co-occurrence counting, in bounded memory
//!
//! Pennington, Socher & Manning 2014, "GloVe: Global Vectors for Word
//! Representation", §3 and §4.2, following the rules of the Stanford tool's
//! `vocab_count.c` and `cooccur.c`:
//!
//! * vocabulary: whitespace tokens seen at least `min_count` times, most
//!   frequent first, ties in order of first appearance (the convention of
//!   [`crate::word2vec::build_vocab`]; the Stanford tool breaks ties
//!   alphabetically, which changes only the row order);
//! * out-of-vocabulary tokens are dropped *before* windows are formed, so
//!   distances count in-vocabulary words only (as `cooccur.c` does); a line
//!   is a document: windows never cross a newline;
//! * every in-vocabulary word w₂ at position p pairs with each of the
//!   `window` words w₁ before it, at distance d = 1..=window, adding 1/d
//!   (`distance_weighting`, else 1) to X[w₁][w₂] and, `symmetric`, to
//!   X[w₂][w₁]; a word next to itself adds to the diagonal (twice when
//!   symmetric), as in `cooccur.c`;
//! * counts accumulate in a hash map of at most `memory_mb` (about
//!   [`BYTES_PER_ENTRY`] bytes an entry); when full, the map is sorted by
//!   (w₁, w₂) and spilled to a shard file in a temporary folder, and the
//!   shards are merged k-way at the end (a binary heap of the shards' heads),
//!   summing equal pairs — the overflow files and `merge_files` of
//!   `cooccur.c`, without its dense table for frequent pairs.
//!
//! The result is deterministic: the same text and settings give the same
//! entries, sorted by (w₁, w₂). Sums are `f64`; the order of additions
//! depends on where spills fall, so a different `memory_mb` may change the
//! last bits.
//!
//! Cost: two passes over the corpus (vocabulary, then counting), O(N·w)
//! hash updates for N tokens and window w; memory O(V) for the vocabulary
//! plus the `memory_mb` budget while counting, then 16 bytes per non-zero
//! entry for the merged result (which training needs in memory anyway);
//! spilling writes 16 bytes per entry per shard and sorts each shard,
//! O(E log E).

use crate::word2vec::Vocab;
use crate::EmbedError;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BinaryHeap;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Estimated bytes one hash-map entry costs while counting (key, value and
/// the table's slack).
pub const BYTES_PER_ENTRY: usize = 32;

/// Counting settings; `Default` is the Stanford demo's (`demo.sh`): window
/// 15, min_count 5, symmetric, 1/d weighting.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CooccurConfig {
    /// Words on each side of a word that count as its context.
    pub window: usize,
    pub min_count: u64,
    /// Count left and right context (false: left only).
    pub symmetric: bool,
    /// Add 1/d for a pair at distance d (false: add 1).
    pub distance_weighting: bool,
    /// Memory budget of the counting table, in MiB, before spilling.
    pub memory_mb: usize,
    /// Folder for the shard files (default: the system's temporary folder).
    pub tmp_dir: Option<PathBuf>,
}

impl Default for CooccurConfig {
    fn default() -> Self {
        CooccurConfig {
            window: 15,
            min_count: 5,
            symmetric: true,
            distance_weighting: true,
            memory_mb: 512,
            tmp_dir: None,
        }
    }
}

impl CooccurConfig {
    pub(crate) fn validate(&self) -> Result<(), EmbedError> {
        if self.window == 0 {
            return Err(EmbedError::Config("--window must be at least 1".into()));
        }
        if self.memory_mb == 0 {
            return Err(EmbedError::Config("--memory-mb must be at least 1".into()));
        }
        Ok(())
    }

    fn max_entries(&self) -> usize {
        (self.memory_mb.saturating_mul(1 << 20) / BYTES_PER_ENTRY).max(1)
    }
}

/// One non-zero cell X[i][j].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cooc {
    pub i: u32,
    pub j: u32,
    pub x: f64,
}

/// The vocabulary and the non-zero co-occurrences, sorted by (i, j).
#[derive(Debug)]
pub struct Cooccurrences {
    pub vocab: Vocab,
    pub entries: Vec<Cooc>,
    /// Shard files written while counting (0: it fitted in memory).
    pub shards: usize,
    /// In-vocabulary tokens counted.
    pub tokens: u64,
}

/// Word counts in order of first appearance, fed line by line.
#[derive(Default)]
struct VocabBuilder {
    order: Vec<String>,
    counts: FxHashMap<String, u64>,
}

impl VocabBuilder {
    fn line(&mut self, line: &str) {
        for t in line.split_whitespace() {
            if let Some(c) = self.counts.get_mut(t) {
                *c += 1;
            } else {
                self.counts.insert(t.to_string(), 1);
                self.order.push(t.to_string());
            }
        }
    }

    fn finish(self, min_count: u64) -> Vocab {
        let counts = self.counts;
        let mut kept: Vec<(String, u64)> = self
            .order
            .into_iter()
            .map(|w| {
                let c = counts[&w];
                (w, c)
            })
            .filter(|&(_, c)| c >= min_count)
            .collect();
        kept.sort_by_key(|&(_, c)| std::cmp::Reverse(c));
        Vocab {
            index: kept
                .iter()
                .enumerate()
                .map(|(i, (w, _))| (w.clone(), i as u32))
                .collect(),
            counts: kept.iter().map(|&(_, c)| c).collect(),
            words: kept.into_iter().map(|(w, _)| w).collect(),
        }
    }
}

/// Vocabulary from a stream of lines (same conventions as
/// [`crate::word2vec::build_vocab`]).
pub fn vocab_from_lines<'a>(lines: impl Iterator<Item = &'a str>, min_count: u64) -> Vocab {
    let mut b = VocabBuilder::default();
    lines.for_each(|l| b.line(l));
    b.finish(min_count)
}

/// A temporary folder removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(base: Option<&Path>) -> Result<Self, EmbedError> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let base = base.map_or_else(std::env::temp_dir, Path::to_path_buf);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = base.join(format!(
            "journey-glove-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).map_err(|e| EmbedError::io(&dir, e))?;
        Ok(TempDir(dir))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Counts into a hash map and spills sorted shards when it is full.
struct Counter<'a> {
    cfg: &'a CooccurConfig,
    table: FxHashMap<u64, f64>,
    max_entries: usize,
    tmp: Option<TempDir>,
    shards: Vec<PathBuf>,
    history: Vec<u32>,
    tokens: u64,
}

#[inline]
fn key(i: u32, j: u32) -> u64 {
    (u64::from(i) << 32) | u64::from(j)
}

impl<'a> Counter<'a> {
    fn new(cfg: &'a CooccurConfig) -> Self {
        let max_entries = cfg.max_entries();
        Counter {
            cfg,
            table: FxHashMap::default(),
            max_entries,
            tmp: None,
            shards: Vec::new(),
            history: Vec::new(),
            tokens: 0,
        }
    }

    #[inline]
    fn add(&mut self, i: u32, j: u32, v: f64) -> Result<(), EmbedError> {
        *self.table.entry(key(i, j)).or_insert(0.0) += v;
        if self.table.len() >= self.max_entries {
            self.spill()?;
        }
        Ok(())
    }

    fn sorted_table(&mut self) -> Vec<(u64, f64)> {
        let mut v: Vec<(u64, f64)> = self.table.drain().collect();
        v.sort_unstable_by_key(|e| e.0);
        self.table.shrink_to(self.max_entries.min(1 << 20));
        v
    }

    fn spill(&mut self) -> Result<(), EmbedError> {
        if self.tmp.is_none() {
            self.tmp = Some(TempDir::new(self.cfg.tmp_dir.as_deref())?);
        }
        let dir = &self.tmp.as_ref().expect("created above").0;
        let path = dir.join(format!("shard-{:05}.bin", self.shards.len()));
        let v = self.sorted_table();
        let f = std::fs::File::create(&path).map_err(|e| EmbedError::io(&path, e))?;
        let mut w = BufWriter::with_capacity(1 << 20, f);
        for (k, x) in v {
            w.write_all(&k.to_le_bytes())
                .and_then(|_| w.write_all(&x.to_le_bytes()))
                .map_err(|e| EmbedError::io(&path, e))?;
        }
        w.flush().map_err(|e| EmbedError::io(&path, e))?;
        self.shards.push(path);
        Ok(())
    }

    /// Counts one line (a document).
    fn line(&mut self, line: &str, vocab: &Vocab) -> Result<(), EmbedError> {
        self.history.clear();
        let win = self.cfg.window;
        for t in line.split_whitespace() {
            let Some(&w2) = vocab.index.get(t) else {
                continue;
            };
            self.tokens += 1;
            let n = self.history.len();
            for d in 1..=win.min(n) {
                let w1 = self.history[n - d];
                let v = if self.cfg.distance_weighting {
                    1.0 / d as f64
                } else {
                    1.0
                };
                self.add(w1, w2, v)?;
                if self.cfg.symmetric {
                    self.add(w2, w1, v)?;
                }
            }
            self.history.push(w2);
        }
        Ok(())
    }

    /// Merges the shards and what is left in memory, summing equal pairs.
    fn finish(mut self, vocab: Vocab) -> Result<Cooccurrences, EmbedError> {
        let rest = self.sorted_table();
        let tokens = self.tokens;
        let nshards = self.shards.len();
        if nshards == 0 {
            let entries = rest
                .into_iter()
                .map(|(k, x)| Cooc {
                    i: (k >> 32) as u32,
                    j: k as u32,
                    x,
                })
                .collect();
            return Ok(Cooccurrences {
                vocab,
                entries,
                shards: 0,
                tokens,
            });
        }
        // Sources: each shard file, then the in-memory remainder.
        let mut readers = Vec::with_capacity(nshards);
        for p in &self.shards {
            let f = std::fs::File::open(p).map_err(|e| EmbedError::io(p, e))?;
            readers.push((BufReader::with_capacity(1 << 16, f), p.clone()));
        }
        let mut rest = rest.into_iter();
        let mut next = |s: usize| -> Result<Option<(u64, f64)>, EmbedError> {
            if s == nshards {
                return Ok(rest.next());
            }
            let (r, p) = &mut readers[s];
            let mut buf = [0u8; 16];
            match r.read_exact(&mut buf) {
                Ok(()) => Ok(Some((
                    u64::from_le_bytes(buf[..8].try_into().expect("8 bytes")),
                    f64::from_le_bytes(buf[8..].try_into().expect("8 bytes")),
                ))),
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
                Err(e) => Err(EmbedError::io(p.as_path(), e)),
            }
        };
        // Min-heap on (key, source): equal keys pop in shard order, so the
        // sums are added in a fixed order.
        let mut heap = BinaryHeap::new();
        let mut vals = vec![0f64; nshards + 1];
        for (s, val) in vals.iter_mut().enumerate() {
            if let Some((k, x)) = next(s)? {
                *val = x;
                heap.push(std::cmp::Reverse((k, s)));
            }
        }
        let mut entries: Vec<Cooc> = Vec::new();
        while let Some(std::cmp::Reverse((k, s))) = heap.pop() {
            let x = vals[s];
            match entries.last_mut() {
                Some(e) if key(e.i, e.j) == k => e.x += x,
                _ => entries.push(Cooc {
                    i: (k >> 32) as u32,
                    j: k as u32,
                    x,
                }),
            }
            if let Some((k2, x2)) = next(s)? {
                vals[s] = x2;
                heap.push(std::cmp::Reverse((k2, s)));
            }
        }
        drop(readers);
        Ok(Cooccurrences {
            vocab,
            entries,
            shards: nshards,
            tokens,
        })
    }
}

fn empty_vocab_error(min_count: u64) -> EmbedError {
    EmbedError::Empty(format!(
        "no word occurs at least {min_count} times in the corpus"
    ))
}

/// Counts co-occurrences in whitespace-tokenised `text`, one document per
/// line.
pub fn cooccur(text: &str, cfg: &CooccurConfig) -> Result<Cooccurrences, EmbedError> {
    cfg.validate()?;
    let vocab = vocab_from_lines(text.lines(), cfg.min_count);
    if vocab.words.is_empty() {
        return Err(empty_vocab_error(cfg.min_count));
    }
    let mut c = Counter::new(cfg);
    for line in text.lines() {
        c.line(line, &vocab)?;
    }
    c.finish(vocab)
}

/// Reads lines of a file without holding it whole (invalid UTF-8 is
/// replaced), calling `f` on each.
fn for_lines(
    path: &Path,
    mut f: impl FnMut(&str) -> Result<(), EmbedError>,
) -> Result<(), EmbedError> {
    let file = std::fs::File::open(path).map_err(|e| EmbedError::io(path, e))?;
    let mut r = BufReader::with_capacity(1 << 20, file);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = r
            .read_until(b'\n', &mut buf)
            .map_err(|e| EmbedError::io(path, e))?;
        if n == 0 {
            return Ok(());
        }
        f(&String::from_utf8_lossy(&buf))?;
    }
}

/// Counts co-occurrences of a corpus file, streaming it twice (vocabulary,
/// then counts): only the vocabulary and the counting budget are in memory
/// while reading.
pub fn cooccur_file(path: &Path, cfg: &CooccurConfig) -> Result<Cooccurrences, EmbedError> {
    cfg.validate()?;
    let mut b = VocabBuilder::default();
    for_lines(path, |line| {
        b.line(line);
        Ok(())
    })?;
    if b.order.is_empty() {
        return Err(EmbedError::Empty(format!(
            "{} has no words",
            path.display()
        )));
    }
    let vocab = b.finish(cfg.min_count);
    if vocab.words.is_empty() {
        return Err(empty_vocab_error(cfg.min_count));
    }
    let mut c = Counter::new(cfg);
    for_lines(path, |line| c.line(line, &vocab))?;
    c.finish(vocab)
}
