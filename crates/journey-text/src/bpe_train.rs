//! Byte-level BPE training: learn a merge list and a vocabulary from a corpus.
//!
//! Byte-pair encoding (Sennrich, Haddow and Birch 2016, "Neural Machine
//! Translation of Rare Words with Subword Units", after Gage 1994) starts from
//! the 256 bytes and repeatedly merges the most frequent adjacent pair of
//! tokens into a new token, until the vocabulary reaches `vocab_size`. The
//! byte-level variant of GPT-2 (Radford et al. 2019) works on UTF-8 bytes, so
//! no text is ever out of vocabulary, and first cuts the text into pre-tokens
//! with a regular expression so that merges never cross a word boundary.
//!
//! The procedure followed is the one of Stanford CS336 assignment 1
//! (`train_bpe`), whose test fixture this file reproduces exactly
//! (`tests/bpe_train.rs`):
//!
//! 1. special tokens (`<|endoftext|>`) are cut out of the text first, so no
//!    merge ever spans one; the pieces between them are pre-tokenized apart;
//! 2. the pre-tokens are counted (in parallel, with rayon) and each distinct
//!    pre-token becomes a word: a sequence of byte ids with a count;
//! 3. each step merges the pair with the highest count; ties go to the
//!    lexicographically greater pair of byte strings (`max` over
//!    `(count, (left_bytes, right_bytes))`), which makes the result
//!    independent of hash order and thread count.
//!
//! The merge loop also serves WordPiece training (`wordpiece_train.rs`),
//! which follows HF `tokenizers`' `BpeTrainer` instead: ties go to the pair
//! of smaller ids, and its queue's bookkeeping is kept to the letter
//! (`MergeRule`).
//!
//! The id layout is that of the fixture (and of HF `tokenizers`'s
//! `BpeTrainer` with the byte-level alphabet): special tokens first, then the
//! 256 bytes in the order of the GPT-2 byte-to-unicode table (`!`..`~`,
//! `¡`..`¬`, `®`..`ÿ`, then the remaining 68 bytes), then one id per merge.
//!
//! Cost: counting is O(n) in the corpus size (plus the pre-tokenizer's own
//! cost), spread over the threads. Training does not recount: it keeps the
//! count of every adjacent pair and an index pair → words containing it, and
//! after a merge revisits only the words that held the merged pair, updating
//! the counts by the difference. The best pair comes from a max-heap with lazy
//! invalidation (an entry is discarded when popped if its count is stale), so
//! a merge costs O(Σ lengths of the affected words + changed pairs · log H).
//! Memory is O(distinct pre-tokens · length + distinct pairs + heap entries).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{read_utf8, TextError};

/// Cuts a piece of text (free of special tokens) into pre-tokens, in order.
///
/// BPE merges never cross a pre-token boundary. GPT-2's pre-tokenizer is the
/// regular expression
/// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`;
/// any closure wrapped by [`pretokenizer_fn`] is a pre-tokenizer.
pub trait PreTokenizer: Sync {
    /// Calls `out` with each pre-token of `text`, in order. The pre-tokens
    /// borrow from `text`, so counting them copies nothing.
    fn split<'a>(&self, text: &'a str, out: &mut dyn FnMut(&'a str));
}

/// Makes a closure a [`PreTokenizer`]. The function only states the bound, so
/// that Rust infers the closure's signature as general over the lifetime of
/// the text (a closure written with `&str` argument types would not be).
///
/// ```
/// use journey_text::bpe_train::{pretokenizer_fn, PreTokenizer};
/// let words = pretokenizer_fn(|text, out| text.split_inclusive(' ').for_each(out));
/// let mut got = Vec::new();
/// words.split("a b", &mut |w| got.push(w));
/// assert_eq!(got, ["a ", "b"]);
/// ```
pub fn pretokenizer_fn<F>(f: F) -> F
where
    F: for<'a> Fn(&'a str, &mut dyn FnMut(&'a str)) + Sync,
{
    f
}

impl<F> PreTokenizer for F
where
    F: for<'a> Fn(&'a str, &mut dyn FnMut(&'a str)) + Sync,
{
    fn split<'a>(&self, text: &'a str, out: &mut dyn FnMut(&'a str)) {
        self(text, out)
    }
}

/// Settings of [`BpeTrainer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BpeTrainerConfig {
    /// Size of the final vocabulary: special tokens + 256 bytes + merges.
    pub vocab_size: usize,
    /// Tokens kept whole, never merged with anything; they get the first ids.
    pub special_tokens: Vec<String>,
    /// Stop early when the best pair occurs fewer times than this (0 and 1
    /// both mean: merge while any pair occurs at all).
    pub min_frequency: u64,
}

impl Default for BpeTrainerConfig {
    fn default() -> Self {
        BpeTrainerConfig {
            vocab_size: 30_000,
            special_tokens: Vec::new(),
            min_frequency: 0,
        }
    }
}

/// A trained byte-level BPE model: the vocabulary and the ordered merges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BpeModel {
    /// Id → the bytes of the token.
    pub vocab: Vec<Vec<u8>>,
    /// The merges, in the order they were learned (the order is the rank).
    pub merges: Vec<(Vec<u8>, Vec<u8>)>,
    /// The special tokens (ids `0..special_tokens.len()` when trained here).
    pub special_tokens: Vec<String>,
}

/// Learns byte-level BPE merges from text. See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct BpeTrainer {
    pub config: BpeTrainerConfig,
}

impl BpeTrainer {
    pub fn new(config: BpeTrainerConfig) -> Self {
        BpeTrainer { config }
    }

    /// Trains on `texts` (documents; each is split on the special tokens and
    /// pre-tokenized with `pre`).
    pub fn train<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        pre: &dyn PreTokenizer,
    ) -> Result<BpeModel, TextError> {
        self.check_config()?;
        let counts = self.count_pretokens(texts, pre)?;
        self.train_from_counts(&counts)
    }

    /// Trains on the whole contents of `paths` (each file one document).
    pub fn train_files<P: AsRef<Path>>(
        &self,
        paths: &[P],
        pre: &dyn PreTokenizer,
    ) -> Result<BpeModel, TextError> {
        let texts = paths
            .iter()
            .map(|p| read_utf8(p.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        self.train(&texts, pre)
    }

    /// Step 1 and 2 alone: how often each pre-token occurs in `texts`, with
    /// the special tokens cut out. Counted in parallel over the pieces between
    /// special tokens (and over the documents), so a corpus that is one long
    /// document without special tokens is counted on one thread.
    pub fn count_pretokens<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        pre: &dyn PreTokenizer,
    ) -> Result<HashMap<String, u64>, TextError> {
        count_pieces(texts, &self.config.special_tokens, pre)
    }

    /// Step 3 alone: learn the merges from pre-token counts.
    pub fn train_from_counts(&self, counts: &HashMap<String, u64>) -> Result<BpeModel, TextError> {
        self.check_config()?;
        if counts.values().all(|&c| c == 0) {
            return Err(TextError::EmptyCorpus);
        }
        let specials = &self.config.special_tokens;
        let mut table = TokenTable::new(specials);

        // Each distinct pre-token is a word of byte ids with its count.
        let byte_id = table.byte_ids();
        let mut words: Vec<Word> = counts
            .iter()
            .filter(|(_, &c)| c > 0)
            .map(|(s, &count)| Word {
                ids: s.bytes().map(|b| byte_id[b as usize]).collect(),
                count,
            })
            .collect();
        // Sorted, so that the run does not depend on the hash order of
        // `counts` (the result would not anyway; the timing and memory would).
        words.sort_unstable_by(|a, b| a.ids.cmp(&b.ids));

        let merges = learn_merges(
            &mut words,
            &mut table,
            self.config.vocab_size,
            self.config.min_frequency,
            MergeRule::Cs336,
        )
        .into_iter()
        .map(|(a, b)| {
            let bytes = |id: u32| table.bytes[id as usize].to_vec();
            (bytes(a), bytes(b))
        })
        .collect();
        Ok(BpeModel {
            vocab: table.bytes.iter().map(|b| b.to_vec()).collect(),
            merges,
            special_tokens: specials.clone(),
        })
    }

    fn check_config(&self) -> Result<(), TextError> {
        let specials = &self.config.special_tokens;
        for (i, s) in specials.iter().enumerate() {
            if s.is_empty() {
                return Err(TextError::Invalid(format!(
                    "BPE training: special token #{i} is empty; remove it"
                )));
            }
            if specials[..i].contains(s) {
                return Err(TextError::Invalid(format!(
                    "BPE training: special token {s:?} is listed twice; list it once"
                )));
            }
        }
        let minimum = 256 + specials.len();
        if self.config.vocab_size < minimum {
            return Err(TextError::VocabTooSmall {
                vocab_size: self.config.vocab_size,
                minimum,
                specials: specials.len(),
            });
        }
        Ok(())
    }
}

/// A regex matching any special token, longest first (so that of two special
/// tokens where one is a prefix of the other, the longer wins), or `None`.
fn special_splitter(specials: &[String]) -> Result<Option<regex::Regex>, TextError> {
    if specials.is_empty() {
        return Ok(None);
    }
    let mut sorted: Vec<&String> = specials.iter().collect();
    sorted.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let pattern = sorted
        .iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|");
    regex::Regex::new(&pattern)
        .map(Some)
        .map_err(|e| TextError::Invalid(format!("BPE training: special tokens: {e}")))
}

/// The non-empty pieces of `text` between special tokens.
fn split_on_specials<'a>(
    text: &'a str,
    splitter: Option<&regex::Regex>,
) -> impl Iterator<Item = &'a str> {
    let pieces: Vec<&'a str> = match splitter {
        Some(re) => re.split(text).collect(),
        None => vec![text],
    };
    pieces.into_iter().filter(|p| !p.is_empty())
}

/// How often each pre-token occurs in `texts`, with the special tokens cut
/// out first (step 1 and 2 of the module documentation). Counted in parallel
/// over the pieces between special tokens and over the documents.
pub(crate) fn count_pieces<S: AsRef<str> + Sync>(
    texts: &[S],
    specials: &[String],
    pre: &dyn PreTokenizer,
) -> Result<HashMap<String, u64>, TextError> {
    let splitter = special_splitter(specials)?;
    // The pieces between special tokens: independent units of work.
    let pieces: Vec<&str> = texts
        .par_iter()
        .flat_map_iter(|t| split_on_specials(t.as_ref(), splitter.as_ref()))
        .collect();
    let counts = pieces
        .par_iter()
        .fold(FxMap::<&str, u64>::default, |mut counts, piece| {
            pre.split(piece, &mut |tok| *counts.entry(tok).or_insert(0) += 1);
            counts
        })
        .reduce(FxMap::default, |a, b| {
            // Fold the smaller table into the larger one.
            let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            for (k, v) in small {
                *big.entry(k).or_insert(0) += v;
            }
            big
        });
    Ok(counts
        .into_iter()
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, v)| (k.to_owned(), v))
        .collect())
}

pub(crate) type Pair = (u32, u32);

/// A distinct pre-token: its current token ids and how often it occurs.
pub(crate) struct Word {
    pub(crate) ids: Vec<u32>,
    pub(crate) count: u64,
}

/// Which reference the merge loop follows. Both merge the most frequent
/// pair; they differ on ties and in one corner case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MergeRule {
    /// Stanford CS336's `train_bpe`: ties go to the lexicographically greater
    /// pair of byte strings, and a merge rewrites every word holding the pair
    /// (as recounting all pairs at every step would).
    Cs336,
    /// HF `tokenizers`' `BpeTrainer` (and so its `WordPieceTrainer`): ties go
    /// to the pair with the smaller ids `(left, right)`. Its queue entries
    /// carry the words where the pair was formed, and a merge rewrites only
    /// the words of the entry popped; it keeps the count of a pair that was
    /// merged. That differs from recounting only when a merge spells a token
    /// the vocabulary already has (`ab`+`c` after `a`+`bc`), and is followed
    /// here to the letter so that such runs also come out as HF's.
    HfTokenizers,
}

/// Merges pairs of `words` until `table` holds `vocab_size` tokens, no pair
/// is left, or the best pair occurs fewer than `min_frequency` times (0 and 1
/// both mean: at least once). Returns the merged pairs of ids, in order;
/// `table` receives the new tokens.
pub(crate) fn learn_merges(
    words: &mut [Word],
    table: &mut TokenTable,
    vocab_size: usize,
    min_frequency: u64,
    rule: MergeRule,
) -> Vec<Pair> {
    let min_count = min_frequency.max(1);
    match rule {
        MergeRule::Cs336 => merges_cs336(words, table, vocab_size, min_count),
        MergeRule::HfTokenizers => merges_hf(words, table, vocab_size, min_count),
    }
}

/// The incremental loop of the module documentation, with CS336's ties.
fn merges_cs336(
    words: &mut [Word],
    table: &mut TokenTable,
    vocab_size: usize,
    min_count: u64,
) -> Vec<Pair> {
    let mut pairs = PairCounts::new(words);
    let mut heap: BinaryHeap<Candidate> = pairs
        .counts
        .iter()
        .map(|(&pair, &count)| table.candidate(pair, count))
        .collect();

    let mut merges = Vec::new();
    let mut seen = vec![0u32; words.len()];
    let mut delta: FxMap<Pair, i64> = FxMap::default();
    let mut step = 0u32;
    while table.len() < vocab_size {
        let Some(best) = heap.pop() else { break };
        if pairs.counts.get(&best.pair) != Some(&best.count) {
            continue; // stale: the pair's count changed since this push
        }
        if best.count < min_count {
            break;
        }
        let (a, b) = best.pair;
        let new_id = table.merged(a, b);
        merges.push(best.pair);

        step += 1;
        delta.clear();
        let holders = pairs.index.remove(&best.pair).unwrap_or_default();
        for w in holders {
            let w = w as usize;
            // The index may list a word twice (a pair re-formed in it).
            if seen[w] == step {
                continue;
            }
            seen[w] = step;
            let word = &mut words[w];
            let Some(merged) = merge_word(&word.ids, a, b, new_id) else {
                continue; // the pair left this word in an earlier merge
            };
            let c = word.count as i64;
            for p in word.ids.windows(2) {
                *delta.entry((p[0], p[1])).or_insert(0) -= c;
            }
            for p in merged.windows(2) {
                *delta.entry((p[0], p[1])).or_insert(0) += c;
                // Only pairs touching the new token are new to the word.
                if p[0] == new_id || p[1] == new_id {
                    pairs.index.entry((p[0], p[1])).or_default().push(w as u32);
                }
            }
            word.ids = merged;
        }
        for (&pair, &d) in &delta {
            if d == 0 {
                continue;
            }
            let count = pairs.counts.entry(pair).or_insert(0);
            *count = (*count as i64 + d) as u64;
            if *count == 0 {
                pairs.counts.remove(&pair);
            } else {
                heap.push(table.candidate(pair, *count));
            }
        }
    }
    merges
}

/// HF's loop (see [`MergeRule::HfTokenizers`]): a queue entry is a pair, its
/// count when pushed and the words it was formed in. A popped entry whose
/// count is stale goes back with the current count (counts only fall, so
/// the true best is popped before it is used); a new entry is pushed for
/// each pair a merge formed, listing the words where it was formed.
fn merges_hf(
    words: &mut [Word],
    table: &mut TokenTable,
    vocab_size: usize,
    min_count: u64,
) -> Vec<Pair> {
    let mut counts: FxMap<Pair, i64> = FxMap::default();
    let mut formed: FxMap<Pair, Vec<u32>> = FxMap::default();
    for (w, word) in words.iter().enumerate() {
        for p in word.ids.windows(2) {
            let pair = (p[0], p[1]);
            *counts.entry(pair).or_insert(0) += word.count as i64;
            note_word(&mut formed, pair, w as u32);
        }
    }
    let mut heap = BinaryHeap::new();
    push_formed(&mut heap, &mut formed, &counts);

    let mut merges = Vec::new();
    let mut changes: Vec<(Pair, i64)> = Vec::new();
    while table.len() < vocab_size {
        let Some(mut top) = heap.pop() else { break };
        let current = counts.get(&top.pair).copied().unwrap_or(0).max(0) as u64;
        if top.count != current {
            top.count = current;
            heap.push(top);
            continue;
        }
        if top.count < min_count {
            break;
        }
        let (a, b) = top.pair;
        let new_id = table.merged(a, b);
        merges.push(top.pair);
        for &w in &top.words {
            let word = &mut words[w as usize];
            changes.clear();
            merge_word_hf(&mut word.ids, a, b, new_id, &mut changes);
            for &(pair, change) in &changes {
                *counts.entry(pair).or_insert(0) += change * word.count as i64;
                if change > 0 {
                    note_word(&mut formed, pair, w);
                }
            }
        }
        push_formed(&mut heap, &mut formed, &counts);
    }
    merges
}

/// Records that `pair` was formed in word `w` (words come one at a time, so
/// a repeat is always the last entry).
fn note_word(formed: &mut FxMap<Pair, Vec<u32>>, pair: Pair, w: u32) {
    let words = formed.entry(pair).or_default();
    if words.last() != Some(&w) {
        words.push(w);
    }
}

/// Queues an entry for each pair in `formed` whose count is positive.
fn push_formed(
    heap: &mut BinaryHeap<HfEntry>,
    formed: &mut FxMap<Pair, Vec<u32>>,
    counts: &FxMap<Pair, i64>,
) {
    for (pair, words) in formed.drain() {
        let count = counts.get(&pair).copied().unwrap_or(0);
        if count > 0 {
            heap.push(HfEntry {
                count: count as u64,
                pair,
                words,
            });
        }
    }
}

/// `ids` with every non-overlapping occurrence of `(a, b)`, left to right,
/// replaced by `new_id`; `None` when the pair does not occur.
fn merge_word(ids: &[u32], a: u32, b: u32, new_id: u32) -> Option<Vec<u32>> {
    let first = ids.windows(2).position(|p| p[0] == a && p[1] == b)?;
    let mut out = Vec::with_capacity(ids.len() - 1);
    out.extend_from_slice(&ids[..first]);
    let mut i = first;
    while i < ids.len() {
        if i + 1 < ids.len() && ids[i] == a && ids[i + 1] == b {
            out.push(new_id);
            i += 2;
        } else {
            out.push(ids[i]);
            i += 1;
        }
    }
    Some(out)
}

/// [`merge_word`] in place, reporting the pair count changes the way HF's
/// trainer does: for each occurrence, `-1` for the pairs it breaks with its
/// left neighbour (as merged so far) and its right neighbour (as it was),
/// `+1` for the pairs the new token forms with them. The merged pair itself
/// is not reported.
fn merge_word_hf(ids: &mut Vec<u32>, a: u32, b: u32, new_id: u32, changes: &mut Vec<(Pair, i64)>) {
    if !ids.windows(2).any(|p| p[0] == a && p[1] == b) {
        return;
    }
    let mut out = Vec::with_capacity(ids.len() - 1);
    let mut i = 0;
    while i < ids.len() {
        if i + 1 < ids.len() && ids[i] == a && ids[i + 1] == b {
            if let Some(&prev) = out.last() {
                changes.push(((prev, a), -1));
                changes.push(((prev, new_id), 1));
            }
            if let Some(&next) = ids.get(i + 2) {
                changes.push(((b, next), -1));
                changes.push(((new_id, next), 1));
            }
            out.push(new_id);
            i += 2;
        } else {
            out.push(ids[i]);
            i += 1;
        }
    }
    *ids = out;
}

/// Count of every adjacent pair (weighted by word count), and which words
/// hold it (a superset: words are not removed when the pair leaves them).
struct PairCounts {
    counts: FxMap<Pair, u64>,
    index: FxMap<Pair, Vec<u32>>,
}

impl PairCounts {
    fn new(words: &[Word]) -> Self {
        let mut counts: FxMap<Pair, u64> = FxMap::default();
        let mut index: FxMap<Pair, Vec<u32>> = FxMap::default();
        for (w, word) in words.iter().enumerate() {
            for p in word.ids.windows(2) {
                let pair = (p[0], p[1]);
                *counts.entry(pair).or_insert(0) += word.count;
                let holders = index.entry(pair).or_default();
                if holders.last() != Some(&(w as u32)) {
                    holders.push(w as u32);
                }
            }
        }
        PairCounts { counts, index }
    }
}

/// The vocabulary being built: id → bytes, and bytes → id for reuse.
pub(crate) struct TokenTable {
    pub(crate) bytes: Vec<Rc<[u8]>>,
    ids: HashMap<Rc<[u8]>, u32>,
    n_special: usize,
    /// Removed from the front of a merge's right token, if it starts with it
    /// (WordPiece's `##`: `th` + `##e` = `the`); empty for byte-level BPE.
    prefix: Vec<u8>,
}

impl TokenTable {
    /// Byte-level BPE: the special tokens, then the 256 bytes.
    fn new(specials: &[String]) -> Self {
        let mut table = TokenTable {
            bytes: Vec::with_capacity(specials.len() + 256),
            ids: HashMap::new(),
            n_special: specials.len(),
            prefix: Vec::new(),
        };
        for s in specials {
            // Special tokens are not byte sequences of the text (it never
            // contains them), so they do not take part in the bytes → id map.
            table.bytes.push(Rc::from(s.as_bytes()));
        }
        for b in gpt2_byte_order() {
            table.push(Rc::from(&[b][..]));
        }
        table
    }

    /// HF's layout: the special tokens first, each once, and, unlike
    /// [`Self::new`], found by their text like any token (a merge that spells
    /// a special token gets its id, as in HF). `prefix` as in the field.
    pub(crate) fn with_specials(specials: &[String], prefix: &str) -> Self {
        let mut table = TokenTable {
            bytes: Vec::new(),
            ids: HashMap::new(),
            n_special: 0,
            prefix: prefix.as_bytes().to_vec(),
        };
        for s in specials {
            table.intern(s.as_bytes());
        }
        table
    }

    pub(crate) fn len(&self) -> usize {
        self.bytes.len()
    }

    fn push(&mut self, bytes: Rc<[u8]>) -> u32 {
        let id = self.bytes.len() as u32;
        self.bytes.push(bytes.clone());
        self.ids.insert(bytes, id);
        id
    }

    /// The id of `bytes`, added at the end if new.
    pub(crate) fn intern(&mut self, bytes: &[u8]) -> u32 {
        match self.ids.get(bytes) {
            Some(&id) => id,
            None => self.push(Rc::from(bytes)),
        }
    }

    pub(crate) fn get(&self, bytes: &[u8]) -> Option<u32> {
        self.ids.get(bytes).copied()
    }

    /// The id of byte `b`, for each byte.
    fn byte_ids(&self) -> [u32; 256] {
        let mut out = [0u32; 256];
        for (i, bytes) in self.bytes.iter().enumerate().skip(self.n_special) {
            if bytes.len() == 1 {
                out[bytes[0] as usize] = i as u32;
            }
        }
        out
    }

    /// The id of the concatenation of tokens `a` and `b` (less the prefix of
    /// `b`). Two merge paths can spell the same bytes (`ab`+`c`, `a`+`bc`);
    /// the second reuses the id, as HF `tokenizers` does, so the vocabulary
    /// has no duplicate entries.
    fn merged(&mut self, a: u32, b: u32) -> u32 {
        let right = &self.bytes[b as usize][..];
        let right = right.strip_prefix(&self.prefix[..]).unwrap_or(right);
        let joined: Vec<u8> = [&self.bytes[a as usize][..], right].concat();
        self.intern(&joined)
    }

    fn candidate(&self, pair: Pair, count: u64) -> Candidate {
        Candidate {
            count,
            left: self.bytes[pair.0 as usize].clone(),
            right: self.bytes[pair.1 as usize].clone(),
            pair,
        }
    }
}

/// A heap entry of the CS336 loop: a pair with its count at the time it was
/// pushed.
struct Candidate {
    count: u64,
    left: Rc<[u8]>,
    right: Rc<[u8]>,
    pair: Pair,
}

impl Ord for Candidate {
    /// Higher count first; on a tie the lexicographically greater pair of
    /// byte strings (CS336's rule). Distinct pairs have distinct byte strings
    /// (the table never gives two ids the same bytes), so this is total.
    fn cmp(&self, other: &Self) -> Ordering {
        self.count
            .cmp(&other.count)
            .then_with(|| self.left.cmp(&other.left))
            .then_with(|| self.right.cmp(&other.right))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

/// A heap entry of HF's loop: a pair, its count when pushed, and the words
/// the merge will rewrite.
struct HfEntry {
    count: u64,
    pair: Pair,
    words: Vec<u32>,
}

impl Ord for HfEntry {
    /// Higher count first; on a tie the smaller pair of ids (HF's rule).
    fn cmp(&self, other: &Self) -> Ordering {
        self.count
            .cmp(&other.count)
            .then_with(|| other.pair.cmp(&self.pair))
    }
}

impl PartialOrd for HfEntry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for HfEntry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for HfEntry {}

/// The 256 bytes in GPT-2's byte-to-unicode order: the printable bytes that
/// stand for themselves (`!`..`~`, `¡`..`¬`, `®`..`ÿ`), then the other 68 in
/// byte order (they are shown as U+0100 onwards).
fn gpt2_byte_order() -> Vec<u8> {
    let mut order: Vec<u8> = (0..=255u8).filter(|&b| is_printable_byte(b)).collect();
    order.extend((0..=255u8).filter(|&b| !is_printable_byte(b)));
    order
}

fn is_printable_byte(b: u8) -> bool {
    matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF)
}

/// GPT-2's byte → unicode table (`bytes_to_unicode` in `encoder.py`): each
/// byte as a printable character, so that vocab.json and merges.txt hold
/// text. Printable bytes stand for themselves; the rest become U+0100 + n.
fn byte_to_char() -> [char; 256] {
    let mut table = ['\0'; 256];
    let mut n = 0u32;
    for b in 0..=255u8 {
        table[b as usize] = if is_printable_byte(b) {
            b as char
        } else {
            n += 1;
            char::from_u32(255 + n).expect("U+0100..U+0143 are chars")
        };
    }
    table
}

/// GPT-2's byte-level text of `bytes`.
fn encode_bytes(bytes: &[u8], table: &[char; 256]) -> String {
    bytes.iter().map(|&b| table[b as usize]).collect()
}

/// The bytes of GPT-2 byte-level text, or `None` if a character is not one
/// of the 256 of the table.
fn decode_bytes(text: &str, table: &HashMap<char, u8>) -> Option<Vec<u8>> {
    text.chars().map(|c| table.get(&c).copied()).collect()
}

fn char_to_byte() -> HashMap<char, u8> {
    byte_to_char()
        .iter()
        .enumerate()
        .map(|(b, &c)| (c, b as u8))
        .collect()
}

impl BpeModel {
    /// GPT-2's `vocab.json`: `{token: id}` with tokens in byte-level text
    /// (special tokens as they are), in id order, as Python's
    /// `json.dump(vocab, f, indent=4, ensure_ascii=False)` writes it — byte for
    /// byte the layout of the CS336 fixture.
    pub fn to_vocab_json(&self) -> String {
        let table = byte_to_char();
        let mut out = String::from("{\n");
        for (id, bytes) in self.vocab.iter().enumerate() {
            let key = match self.special_str(id) {
                Some(s) => s.to_owned(),
                None => encode_bytes(bytes, &table),
            };
            if id > 0 {
                out.push_str(",\n");
            }
            out.push_str("    ");
            out.push_str(&serde_json::to_string(&key).expect("a string serialises"));
            out.push_str(&format!(": {id}"));
        }
        out.push_str(if self.vocab.is_empty() { "}" } else { "\n}" });
        out
    }

    /// GPT-2's `merges.txt`: one merge per line, `left right` in byte-level
    /// text, in rank order (no `#version` header, as in the fixture).
    pub fn to_merges_txt(&self) -> String {
        let table = byte_to_char();
        let mut out = String::new();
        for (a, b) in &self.merges {
            out.push_str(&encode_bytes(a, &table));
            out.push(' ');
            out.push_str(&encode_bytes(b, &table));
            out.push('\n');
        }
        out
    }

    /// The special token with this id, if it is one.
    fn special_str(&self, id: usize) -> Option<&str> {
        let bytes = &self.vocab[id];
        self.special_tokens
            .iter()
            .find(|s| s.as_bytes() == &bytes[..])
            .map(|s| s.as_str())
    }

    /// Writes `vocab.json` and `merges.txt` (see [`Self::to_vocab_json`]),
    /// each atomically: to a temporary file beside it, then renamed, so a
    /// reader never sees half a file.
    pub fn save(&self, vocab_path: &Path, merges_path: &Path) -> Result<(), TextError> {
        write_atomic(vocab_path, self.to_vocab_json().as_bytes())?;
        write_atomic(merges_path, self.to_merges_txt().as_bytes())
    }

    /// Reads GPT-2 `vocab.json` + `merges.txt` (an optional `#version` first
    /// line is skipped). Vocabulary entries that are neither a single byte nor
    /// the result of a merge, and are not byte-level text, are the special
    /// tokens.
    pub fn load(vocab_path: &Path, merges_path: &Path) -> Result<BpeModel, TextError> {
        let decoder = char_to_byte();
        let text = read_utf8(vocab_path)?;
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&text).map_err(|source| TextError::Json {
                what: vocab_path.display().to_string(),
                source,
            })?;
        let mut entries: Vec<(u64, &String)> = Vec::with_capacity(map.len());
        for (key, value) in &map {
            let id = value.as_u64().ok_or_else(|| {
                TextError::Invalid(format!(
                    "{}: the id of {key:?} is {value}, not a non-negative integer",
                    vocab_path.display()
                ))
            })?;
            entries.push((id, key));
        }
        entries.sort();
        for (expected, (id, key)) in entries.iter().enumerate() {
            if *id != expected as u64 {
                return Err(TextError::Invalid(format!(
                    "{}: ids must be 0..{} without gaps or repeats; {key:?} has id {id} where {expected} was expected",
                    vocab_path.display(),
                    entries.len()
                )));
            }
        }

        let merges_text = read_utf8(merges_path)?;
        let mut merges = Vec::new();
        for (i, line) in merges_text.lines().enumerate() {
            if (i == 0 && line.starts_with("#version")) || line.is_empty() {
                continue;
            }
            let malformed = |message: String| TextError::Malformed {
                path: merges_path.to_path_buf(),
                line: i + 1,
                message,
            };
            let (a, b) = line.split_once(' ').ok_or_else(|| {
                malformed(format!(
                    "expected two tokens separated by a space, got {line:?}"
                ))
            })?;
            let decode = |s: &str| {
                decode_bytes(s, &decoder)
                    .ok_or_else(|| malformed(format!("{s:?} is not GPT-2 byte-level text")))
            };
            merges.push((decode(a)?, decode(b)?));
        }

        let merged: std::collections::HashSet<Vec<u8>> = merges
            .iter()
            .map(|(a, b)| [&a[..], &b[..]].concat())
            .collect();
        let mut vocab = Vec::with_capacity(entries.len());
        let mut special_tokens = Vec::new();
        for (_, key) in &entries {
            match decode_bytes(key, &decoder) {
                Some(bytes) if bytes.len() == 1 || merged.contains(&bytes) => vocab.push(bytes),
                _ => {
                    special_tokens.push((*key).clone());
                    vocab.push(key.as_bytes().to_vec());
                }
            }
        }
        Ok(BpeModel {
            vocab,
            merges,
            special_tokens,
        })
    }
}

/// Writes `data` to `path` through a temporary file in the same directory
/// and a rename (atomic on POSIX file systems).
fn write_atomic(path: &Path, data: &[u8]) -> Result<(), TextError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TextError::Io { path, source }
    };
    let mut tmp_name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp: PathBuf = path.with_file_name(tmp_name);
    std::fs::write(&tmp, data).map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(path)(e)
    })
}

/// FxHash (the hasher of rustc, `rustc-hash`): a multiply-rotate hash, much
/// faster than SipHash on the small integer keys of the pair tables. Not
/// resistant to hash flooding, which does not matter for counting a corpus.
#[derive(Default, Clone, Copy)]
struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.hash
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_table_matches_gpt2() {
        let t = byte_to_char();
        assert_eq!(t[b' ' as usize], 'Ġ');
        assert_eq!(t[b'\n' as usize], 'Ċ');
        assert_eq!(t[0], 'Ā');
        assert_eq!(t[0xAD], 'Ń');
        assert_eq!(t[b'a' as usize], 'a');
        let order = gpt2_byte_order();
        assert_eq!(order[0], b'!');
        assert_eq!(order[255], 0xAD);
    }

    #[test]
    fn merge_word_left_to_right() {
        assert_eq!(merge_word(&[1, 1, 1], 1, 1, 9), Some(vec![9, 1]));
        assert_eq!(merge_word(&[1, 2, 1, 2], 1, 2, 9), Some(vec![9, 9]));
        assert_eq!(merge_word(&[2, 1], 1, 2, 9), None);
    }

    #[test]
    fn small_corpus() {
        // CS336's worked example (Sennrich et al.'s "low lower widest newest").
        let text = "low low low low low lower lower widest widest widest newest newest newest newest newest newest";
        let pre = pretokenizer_fn(|t, out| t.split(' ').for_each(out));
        let trainer = BpeTrainer::new(BpeTrainerConfig {
            vocab_size: 256 + 1 + 6,
            special_tokens: vec!["<|endoftext|>".into()],
            min_frequency: 0,
        });
        let model = trainer.train(&[text], &pre).unwrap();
        let merges: Vec<String> = model
            .merges
            .iter()
            .map(|(a, b)| {
                format!(
                    "{} {}",
                    String::from_utf8_lossy(a),
                    String::from_utf8_lossy(b)
                )
            })
            .collect();
        assert_eq!(merges, ["s t", "e st", "o w", "l ow", "w est", "n e"]);
    }
}
