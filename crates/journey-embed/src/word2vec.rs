//! # word2vec: skip-gram and CBOW
//!
//! Mikolov et al. 2013, "Efficient estimation of word representations in
//! vector space" and "Distributed representations of words and phrases and
//! their compositionality", following `word2vec.c` and gensim 4.4's
//! `word2vec_inner.pyx`:
//!
//! * vocabulary: whitespace tokens with at least `min_count` occurrences,
//!   most frequent first; sentences longer than 10,000 words are split;
//! * sub-sampling: a word with count v is kept with probability
//!   (√(v/(s·T)) + 1)·(s·T)/v (T = retained words, s = `sample`), drawn per
//!   occurrence and epoch;
//! * dynamic window: for each centre word a reduced window `window − b`,
//!   b uniform in [0, window);
//! * skip-gram predicts the centre from each context word's input vector;
//!   CBOW predicts it from the mean of the context vectors (`cbow_mean`);
//! * output layer: negative sampling with K noise words drawn from the
//!   unigram distribution raised to 0.75 (cumulative table + binary search),
//!   and/or hierarchical softmax over a Huffman tree ([`crate::huffman`]);
//!   as gensim, a dot product outside ±6 gives no update;
//! * learning rate decays linearly from `alpha` to `min_alpha` over all
//!   epochs' words;
//! * Hogwild (Recht et al. 2011): threads take jobs of 10,000 words in
//!   corpus order (as gensim's workers do) and update the shared matrices
//!   without locks. With one thread
//!   and a seed the result is deterministic;
//! * checkpoints ([`TrainControl`]): the matrices after every epoch, in
//!   safetensors; a resumed run continues the same schedule.
//!
//! Cost per epoch: O(N·2w·(K+1)·d) for N words, window w, K negatives,
//! dimension d (hierarchical softmax: K+1 → log₂ V). Memory: two V×d
//! matrices, the encoded corpus (4 bytes a token) and the sampling table.

use crate::checkpoint::{vocab_fingerprint, Checkpoint, CheckpointMeta};
use crate::huffman::{huffman_codes, HuffmanCode};
use crate::{EmbedError, Embeddings};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

pub(crate) const MAX_EXP: f32 = 6.0;
pub(crate) const MAX_SENTENCE: usize = 10_000;
/// Words per job handed to a training thread (gensim's `batch_words`).
pub(crate) const JOB_WORDS: usize = 10_000;

/// Training settings; `Default` is gensim 4.4's `Word2Vec` defaults.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Word2VecConfig {
    /// Skip-gram (true) or CBOW (false, gensim's default `sg=0`).
    pub sg: bool,
    pub dim: usize,
    pub window: usize,
    /// Noise words per positive example (0 = no negative sampling).
    pub negative: usize,
    /// Hierarchical softmax.
    pub hs: bool,
    pub sample: f64,
    pub alpha: f32,
    pub min_alpha: f32,
    pub min_count: u64,
    pub epochs: usize,
    pub threads: usize,
    pub seed: u64,
    pub ns_exponent: f64,
    pub cbow_mean: bool,
}

impl Default for Word2VecConfig {
    fn default() -> Self {
        Word2VecConfig {
            sg: false,
            dim: 100,
            window: 5,
            negative: 5,
            hs: false,
            sample: 1e-3,
            alpha: 0.025,
            min_alpha: 0.0001,
            min_count: 5,
            epochs: 5,
            threads: 3,
            seed: 1,
            ns_exponent: 0.75,
            cbow_mean: true,
        }
    }
}

impl Word2VecConfig {
    fn validate(&self) -> Result<(), EmbedError> {
        let bad = |m: &str| Err(EmbedError::Config(m.to_string()));
        if self.dim == 0 {
            return bad("--dim must be at least 1");
        }
        if self.window == 0 {
            return bad("--window must be at least 1");
        }
        if self.negative == 0 && !self.hs {
            return bad("need negative sampling (--negative > 0) or --hs");
        }
        if self.epochs == 0 {
            return bad("--epochs must be at least 1");
        }
        if self.threads == 0 {
            return bad("--threads must be at least 1");
        }
        if self.alpha.is_nan() || self.alpha <= 0.0 {
            return bad("alpha must be positive");
        }
        Ok(())
    }
}

/// A vocabulary with counts, most frequent first.
#[derive(Debug, Clone)]
pub struct Vocab {
    pub words: Vec<String>,
    pub counts: Vec<u64>,
    pub index: FxHashMap<String, u32>,
}

/// Counts whitespace tokens of `text` and keeps those seen `min_count`
/// times, most frequent first (ties in order of first appearance).
pub fn build_vocab(text: &str, min_count: u64) -> Vocab {
    let mut order: Vec<&str> = Vec::new();
    let mut counts: FxHashMap<&str, u64> = FxHashMap::default();
    for t in text.split_whitespace() {
        let c = counts.entry(t).or_insert_with(|| {
            order.push(t);
            0
        });
        *c += 1;
    }
    let mut kept: Vec<(&str, u64)> = order
        .into_iter()
        .map(|w| (w, counts[w]))
        .filter(|&(_, c)| c >= min_count)
        .collect();
    kept.sort_by_key(|&(_, c)| std::cmp::Reverse(c));
    let index = kept
        .iter()
        .enumerate()
        .map(|(i, (w, _))| (w.to_string(), i as u32))
        .collect();
    Vocab {
        words: kept.iter().map(|(w, _)| w.to_string()).collect(),
        counts: kept.iter().map(|&(_, c)| c).collect(),
        index,
    }
}

/// The corpus as word ids, one entry per (split) line, OOV words dropped.
pub(crate) fn encode(text: &str, vocab: &Vocab) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    for line in text.lines() {
        let ids: Vec<u32> = line
            .split_whitespace()
            .filter_map(|t| vocab.index.get(t).copied())
            .collect();
        for chunk in ids.chunks(MAX_SENTENCE) {
            if !chunk.is_empty() {
                out.push(chunk.to_vec());
            }
        }
    }
    out
}

/// The LCG of `word2vec.c` and gensim.
#[derive(Clone)]
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    #[inline]
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(25_214_903_917).wrapping_add(11) & ((1 << 48) - 1);
        self.0
    }
    #[inline]
    pub(crate) fn int32(&mut self) -> u32 {
        let r = (self.0 >> 16) as u32;
        self.next();
        r
    }
}

/// Shared matrix updated without locks by the Hogwild threads.
pub(crate) struct Hogwild {
    ptr: *mut f32,
    len: usize,
}

// SAFETY: Hogwild training deliberately lets threads read and write rows of
// the same matrices concurrently without synchronisation (Recht et al.
// 2011); the buffer outlives the scoped threads, every access is in bounds
// (checked in `row`), and a torn or stale f32 only perturbs one SGD step.
unsafe impl Sync for Hogwild {}

impl Hogwild {
    pub(crate) fn new(v: &mut [f32]) -> Self {
        Hogwild {
            ptr: v.as_mut_ptr(),
            len: v.len(),
        }
    }
    /// The whole matrix, read between epochs (no training thread running).
    fn snapshot(&self) -> Vec<f32> {
        // SAFETY: `ptr` is valid for `len` floats for the model's lifetime;
        // callers hold no row borrows and no thread is writing.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }.to_vec()
    }
    /// Overwrites the whole matrix (before training, on resume).
    fn fill_from(&self, data: &[f32]) {
        assert_eq!(data.len(), self.len);
        // SAFETY: as `snapshot`; no other borrow of the buffer is live.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }.copy_from_slice(data);
    }
    #[inline]
    #[allow(clippy::mut_from_ref)]
    pub(crate) fn row(&self, i: usize, d: usize) -> &mut [f32] {
        assert!((i + 1) * d <= self.len);
        // SAFETY: in bounds (asserted); aliasing between threads is the
        // accepted Hogwild race described on the `Sync` impl; within one
        // thread two rows borrowed at once are always distinct matrices or
        // distinct rows (checked by the callers' `if` on equal indices).
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(i * d), d) }
    }
}

#[inline]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut s = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            s[k] += x[k] * y[k];
        }
    }
    let mut t = s.iter().sum::<f32>();
    for (x, y) in ra.iter().zip(rb) {
        t += x * y;
    }
    t
}

#[inline]
pub(crate) fn axpy(g: f32, x: &[f32], y: &mut [f32]) {
    for (a, b) in y.iter_mut().zip(x) {
        *a += g * b;
    }
}

const EXP_TABLE_SIZE: usize = 1000;

/// σ(x) tabulated on [−6, 6) as `word2vec.c` and gensim do.
pub(crate) struct SigmoidTable(Vec<f32>);

impl SigmoidTable {
    pub(crate) fn new() -> Self {
        SigmoidTable(
            (0..EXP_TABLE_SIZE)
                .map(|i| {
                    let x = ((i as f64 / EXP_TABLE_SIZE as f64) * 2.0 - 1.0) * f64::from(MAX_EXP);
                    let e = x.exp();
                    (e / (e + 1.0)) as f32
                })
                .collect(),
        )
    }

    /// σ(f) for f in (−6, 6).
    #[inline]
    pub(crate) fn get(&self, f: f32) -> f32 {
        let i = ((f + MAX_EXP) * (EXP_TABLE_SIZE as f32 / MAX_EXP / 2.0)) as usize;
        self.0[i.min(EXP_TABLE_SIZE - 1)]
    }
}

struct Model<'a> {
    cfg: &'a Word2VecConfig,
    d: usize,
    syn0: Hogwild,
    syn1neg: Hogwild,
    syn1: Hogwild,
    noise: NoiseTable,
    codes: Vec<HuffmanCode>,
    sample_int: Vec<u32>,
    sigmoid: SigmoidTable,
}

impl Model<'_> {
    /// Updates the output layer for `target` from hidden vector `l1`,
    /// accumulating the input-side gradient in `work`.
    #[inline]
    fn output(&self, target: usize, l1: &[f32], work: &mut [f32], alpha: f32, rng: &mut Lcg) {
        let d = self.d;
        if self.cfg.hs {
            let h = &self.codes[target];
            for (&p, &c) in h.points.iter().zip(&h.code) {
                let l2 = self.syn1.row(p as usize, d);
                let f = dot(l1, l2);
                if f <= -MAX_EXP || f >= MAX_EXP {
                    continue;
                }
                let g = (1.0 - f32::from(c) - self.sigmoid.get(f)) * alpha;
                axpy(g, l2, work);
                axpy(g, l1, l2);
            }
        }
        if self.cfg.negative == 0 {
            return;
        }
        for k in 0..=self.cfg.negative {
            let (t, label) = if k == 0 {
                (target, 1.0)
            } else {
                let t = self.noise.draw(rng);
                if t == target {
                    continue;
                }
                (t, 0.0)
            };
            let l2 = self.syn1neg.row(t, d);
            let f = dot(l1, l2);
            if f <= -MAX_EXP || f >= MAX_EXP {
                continue;
            }
            let g = (label - self.sigmoid.get(f)) * alpha;
            axpy(g, l2, work);
            axpy(g, l1, l2);
        }
    }

    #[allow(clippy::needless_range_loop)] // j is compared with the centre i
    fn sentence(
        &self,
        sent: &[u32],
        alpha: f32,
        rng: &mut Lcg,
        kept: &mut Vec<u32>,
        work: &mut [f32],
        neu1: &mut [f32],
    ) {
        let d = self.d;
        kept.clear();
        for &w in sent {
            if self.cfg.sample > 0.0 && self.sample_int[w as usize] < rng.int32() {
                continue;
            }
            kept.push(w);
        }
        let n = kept.len();
        let win = self.cfg.window;
        for i in 0..n {
            // High bits, as gensim's `random_int32`: an LCG's low bits
            // repeat with short periods.
            let b = (rng.int32() % win as u32) as usize;
            let lo = i.saturating_sub(win - b);
            let hi = (i + win + 1 - b).min(n);
            let target = kept[i] as usize;
            if self.cfg.sg {
                for j in lo..hi {
                    if j == i {
                        continue;
                    }
                    let l1 = self.syn0.row(kept[j] as usize, d);
                    work.iter_mut().for_each(|x| *x = 0.0);
                    self.output(target, l1, work, alpha, rng);
                    axpy(1.0, work, l1);
                }
            } else {
                neu1.iter_mut().for_each(|x| *x = 0.0);
                let mut count = 0usize;
                for j in lo..hi {
                    if j != i {
                        axpy(1.0, self.syn0.row(kept[j] as usize, d), neu1);
                        count += 1;
                    }
                }
                if count == 0 {
                    continue;
                }
                if self.cfg.cbow_mean {
                    let inv = 1.0 / count as f32;
                    neu1.iter_mut().for_each(|x| *x *= inv);
                }
                work.iter_mut().for_each(|x| *x = 0.0);
                self.output(target, neu1, work, alpha, rng);
                for j in lo..hi {
                    if j != i {
                        axpy(1.0, work, self.syn0.row(kept[j] as usize, d));
                    }
                }
            }
        }
    }
}

/// Sub-sampling thresholds (gensim's `sample_int`): a word is kept when a
/// uniform u32 is at most its threshold.
pub(crate) fn sample_thresholds(counts: &[u64], sample: f64) -> Vec<u32> {
    let total: u64 = counts.iter().sum();
    counts
        .iter()
        .map(|&c| {
            let p = if sample > 0.0 {
                let t = sample * total as f64;
                ((c as f64 / t).sqrt() + 1.0) * (t / c as f64)
            } else {
                1.0
            };
            (p.min(1.0) * 4_294_967_296.0).round().min(u32::MAX as f64) as u32
        })
        .collect()
}

/// Noise words drawn ∝ count^`exponent` from a cumulative table over
/// 2^31 − 1 (gensim's `cum_table`, searched by bisection).
pub(crate) struct NoiseTable(Vec<u32>);

impl NoiseTable {
    pub(crate) fn new(counts: &[u64], exponent: f64) -> Self {
        let pow: Vec<f64> = counts.iter().map(|&c| (c as f64).powf(exponent)).collect();
        let z: f64 = pow.iter().sum();
        let domain = (i32::MAX) as f64;
        let mut acc = 0.0;
        NoiseTable(
            pow.iter()
                .map(|p| {
                    acc += p;
                    (acc / z * domain).round() as u32
                })
                .collect(),
        )
    }

    #[inline]
    pub(crate) fn draw(&self, rng: &mut Lcg) -> usize {
        let last = *self.0.last().unwrap_or(&1) as u64;
        let r = ((rng.next() >> 16) % last) as u32;
        self.0.partition_point(|&c| c <= r)
    }
}

/// Sentence indices cutting the corpus into jobs of about `JOB_WORDS`
/// words, in corpus order (`[0, …, corpus.len()]`).
pub(crate) fn job_bounds(corpus: &[Vec<u32>]) -> Vec<usize> {
    let mut bounds = vec![0usize];
    let mut run = 0usize;
    for (i, s) in corpus.iter().enumerate() {
        run += s.len();
        if run >= JOB_WORDS {
            bounds.push(i + 1);
            run = 0;
        }
    }
    if *bounds.last().unwrap_or(&0) != corpus.len() {
        bounds.push(corpus.len());
    }
    bounds
}

/// One epoch of Hogwild training: `threads` threads take the `jobs` in
/// corpus order, whichever is free; each builds its sentence trainer with
/// `worker` and its random stream from (seed, epoch, thread). The learning
/// rate falls linearly from `lr.0` to `lr.1` over `grand` words, `done`
/// counting those trained so far (across threads and epochs).
#[allow(clippy::too_many_arguments)]
pub(crate) fn train_epoch<W, F>(
    corpus: &[Vec<u32>],
    jobs: &[usize],
    threads: usize,
    seed: u64,
    epoch: usize,
    lr: (f32, f32),
    grand: f64,
    done: &AtomicU64,
    worker: F,
) where
    F: Fn() -> W + Sync,
    W: FnMut(&[u32], f32, &mut Lcg),
{
    let next_job = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (worker, next_job) = (&worker, &next_job);
            let seed = seed ^ ((epoch as u64) << 32) ^ ((t as u64 + 1) << 48);
            scope.spawn(move || {
                let mut rng = Lcg(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 16);
                let mut train = worker();
                while let Some(w) = jobs.get(next_job.fetch_add(1, Ordering::Relaxed)..) {
                    let [from, to, ..] = w else { break };
                    for s in &corpus[*from..*to] {
                        let progress = done.load(Ordering::Relaxed) as f64 / grand;
                        let alpha = (f64::from(lr.0) - f64::from(lr.0 - lr.1) * progress)
                            .max(f64::from(lr.1)) as f32;
                        train(s, alpha, &mut rng);
                        done.fetch_add(s.len() as u64, Ordering::Relaxed);
                    }
                }
            });
        }
    });
}

/// A trained model: vocabulary (with counts) and input vectors.
#[derive(Debug)]
pub struct Word2Vec {
    pub vocab: Vocab,
    pub vectors: Embeddings,
    /// Corpus words seen per epoch (after dropping out-of-vocabulary ones).
    pub words_per_epoch: u64,
    /// Epochs completed (fewer than `epochs` when stopped early).
    pub epochs_done: usize,
}

/// Checkpointing of a training run; `Default`: none.
#[derive(Debug, Clone, Default)]
pub struct TrainControl<'a> {
    /// Written after every epoch (safetensors, see [`crate::checkpoint`]).
    pub checkpoint: Option<&'a Path>,
    /// Go on from `checkpoint` if it exists: same corpus vocabulary and
    /// settings required (the thread count may differ).
    pub resume: bool,
    /// Stop after this many epochs in this run (the checkpoint keeps the rest).
    pub stop_after: Option<usize>,
}

/// Trains on whitespace-tokenised `text` (one sentence per line).
pub fn train(text: &str, cfg: &Word2VecConfig) -> Result<Word2Vec, EmbedError> {
    train_controlled(text, cfg, &TrainControl::default())
}

/// The settings a checkpoint must share with the run resuming it.
fn resumable_config(cfg: &Word2VecConfig) -> serde_json::Value {
    let mut c = serde_json::to_value(cfg).unwrap_or_default();
    if let Some(m) = c.as_object_mut() {
        m.remove("threads");
    }
    c
}

/// [`train`] with checkpoints: with one thread, a run stopped after epoch k
/// and resumed gives exactly the vectors of an uninterrupted run (the
/// per-epoch random streams and the learning-rate schedule depend only on
/// the seed, the epoch and the words done).
pub fn train_controlled(
    text: &str,
    cfg: &Word2VecConfig,
    control: &TrainControl,
) -> Result<Word2Vec, EmbedError> {
    cfg.validate()?;
    let vocab = build_vocab(text, cfg.min_count);
    if vocab.words.is_empty() {
        return Err(EmbedError::Empty(format!(
            "no word occurs at least {} times in the corpus",
            cfg.min_count
        )));
    }
    let corpus = encode(text, &vocab);
    let v = vocab.words.len();
    let d = cfg.dim;

    let sample_int = sample_thresholds(&vocab.counts, cfg.sample);
    let noise = NoiseTable::new(&vocab.counts, cfg.ns_exponent);

    // Input vectors uniform in [−1/d, 1/d) (gensim 4), output layers zero.
    let mut rng = Lcg(cfg.seed);
    let mut syn0: Vec<f32> = (0..v * d)
        .map(|_| {
            let u = (rng.next() >> 24) as f64 / (1u64 << 24) as f64;
            ((u * 2.0 - 1.0) / d as f64) as f32
        })
        .collect();
    let mut syn1neg = vec![0f32; if cfg.negative > 0 { v * d } else { 0 }];
    let mut syn1 = vec![0f32; if cfg.hs { v * d } else { 0 }];
    let model = Model {
        cfg,
        d,
        syn0: Hogwild::new(&mut syn0),
        syn1neg: Hogwild::new(&mut syn1neg),
        syn1: Hogwild::new(&mut syn1),
        noise,
        codes: if cfg.hs {
            huffman_codes(&vocab.counts)
        } else {
            Vec::new()
        },
        sample_int,
        sigmoid: SigmoidTable::new(),
    };

    let fingerprint = vocab_fingerprint(
        vocab
            .words
            .iter()
            .map(String::as_str)
            .zip(vocab.counts.iter().copied()),
    );
    let mut start_epoch = 0;
    if let Some(path) = control.checkpoint.filter(|p| control.resume && p.exists()) {
        let ck = Checkpoint::load(path)?;
        let bad = |m: String| EmbedError::Invalid(format!("{}: {m}", path.display()));
        if ck.meta.algorithm != "word2vec" {
            return Err(bad(format!(
                "a {} checkpoint, not word2vec",
                ck.meta.algorithm
            )));
        }
        if ck.meta.config != resumable_config(cfg) {
            return Err(bad(format!(
                "made with other settings ({}); resume with the same ones",
                ck.meta.config
            )));
        }
        if (ck.meta.vocab_size, ck.meta.vocab_fingerprint) != (v, fingerprint) {
            return Err(bad(
                "made on another corpus (its vocabulary differs from this one's)".into(),
            ));
        }
        model.syn0.fill_from(ck.tensor("syn0", v, d)?);
        if cfg.negative > 0 {
            model.syn1neg.fill_from(ck.tensor("syn1neg", v, d)?);
        }
        if cfg.hs {
            model.syn1.fill_from(ck.tensor("syn1", v, d)?);
        }
        start_epoch = ck.meta.epochs_done.min(cfg.epochs);
    }

    let per_epoch: u64 = corpus.iter().map(|s| s.len() as u64).sum();
    let grand = (per_epoch * cfg.epochs as u64).max(1) as f64;
    let done = AtomicU64::new(per_epoch * start_epoch as u64);
    let last_epoch = match control.stop_after {
        Some(n) => (start_epoch + n).min(cfg.epochs),
        None => cfg.epochs,
    };
    let threads = cfg.threads.min(corpus.len().max(1));
    let jobs = job_bounds(&corpus);
    for epoch in start_epoch..last_epoch {
        train_epoch(
            &corpus,
            &jobs,
            threads,
            cfg.seed,
            epoch,
            (cfg.alpha, cfg.min_alpha),
            grand,
            &done,
            || {
                let (mut kept, mut work, mut neu1) = (
                    Vec::with_capacity(MAX_SENTENCE),
                    vec![0f32; d],
                    vec![0f32; d],
                );
                let model = &model;
                move |s: &[u32], alpha: f32, rng: &mut Lcg| {
                    model.sentence(s, alpha, rng, &mut kept, &mut work, &mut neu1)
                }
            },
        );
        if let Some(path) = control.checkpoint {
            let mut tensors = vec![("syn0".to_string(), v, d, model.syn0.snapshot())];
            if cfg.negative > 0 {
                tensors.push(("syn1neg".into(), v, d, model.syn1neg.snapshot()));
            }
            if cfg.hs {
                tensors.push(("syn1".into(), v, d, model.syn1.snapshot()));
            }
            Checkpoint {
                meta: CheckpointMeta {
                    algorithm: "word2vec".into(),
                    config: resumable_config(cfg),
                    epochs_done: epoch + 1,
                    vocab_size: v,
                    vocab_fingerprint: fingerprint,
                },
                tensors,
            }
            .save(path)?;
        }
    }
    drop(model);
    let vectors = Embeddings::new(vocab.words.clone(), d, syn0)?;
    Ok(Word2Vec {
        vocab,
        vectors,
        words_per_epoch: per_epoch,
        epochs_done: last_epoch.max(start_epoch),
    })
}

/// Reads a corpus file and trains on it.
pub fn train_file(path: &Path, cfg: &Word2VecConfig) -> Result<Word2Vec, EmbedError> {
    train_file_controlled(path, cfg, &TrainControl::default())
}

/// [`train_file`] with checkpoints ([`train_controlled`]).
pub fn train_file_controlled(
    path: &Path,
    cfg: &Word2VecConfig,
    control: &TrainControl,
) -> Result<Word2Vec, EmbedError> {
    let text = std::fs::read_to_string(path).map_err(|e| EmbedError::io(path, e))?;
    if text.split_whitespace().next().is_none() {
        return Err(EmbedError::Empty(format!(
            "{} has no words",
            path.display()
        )));
    }
    train_controlled(&text, cfg, control)
}
