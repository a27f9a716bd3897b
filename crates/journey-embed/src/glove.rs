//! # GloVe: global vectors from weighted least squares
//!
//! Pennington, Socher & Manning 2014, "GloVe: Global Vectors for Word
//! Representation", eq. 8, trained as the Stanford tool's `glove.c` does:
//!
//! J = Σ_{i,j: X_ij>0} f(X_ij) · (w_iᵀ w̃_j + b_i + b̃_j − ln X_ij)²,
//! f(x) = (x / x_max)^α for x < x_max, else 1,
//!
//! * co-occurrences X from [`crate::glove_cooccur`];
//! * word vectors W, context vectors W̃ and both biases start uniform in
//!   [−0.5/d, 0.5/d); AdaGrad (Duchi et al. 2011) with squared-gradient sums
//!   starting at 1 and step `learning_rate`; as in `glove.c` the reported
//!   cost is ½·Σ f·diff² divided by the number of entries, the gradient is
//!   scaled by the step before it enters the squared sums, and each
//!   component of a vector gradient is clipped to ±`grad_clip`;
//! * each epoch visits every non-zero entry once, in an order shuffled with
//!   the seed (Fisher–Yates); the shuffled list is cut into `threads`
//!   contiguous parts trained at once, Hogwild (Recht et al. 2011): threads
//!   update the shared matrices without locks. With one thread and a seed
//!   the result is deterministic; with more, the interleaving of updates
//!   makes runs differ in the last bits, as word2vec's threads do;
//! * the output vector of a word is w_i + w̃_i (`glove.c`'s `-model 2`).
//!
//! Cost per epoch: O(E·d) for E non-zero entries and dimension d, plus the
//! O(E) shuffle. Memory: the counted entries (16 bytes each) turned into
//! training examples (16 bytes each: the cell, f(x) and ln x precomputed in
//! `f32`, shuffled in place each epoch), and four V×(d+1) `f32` arrays (W,
//! W̃, and their squared-gradient sums).

use crate::glove_cooccur::{cooccur, cooccur_file, CooccurConfig, Cooccurrences};
use crate::word2vec::Vocab;
use crate::{EmbedError, Embeddings};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Training settings. `Default`: the Stanford tool's `glove.c` defaults
/// (x_max 100, α 0.75, step 0.05, 25 iterations, gradient clip 100) with the
/// demo's counting (window 15, min_count 5) and 100 dimensions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct GloveConfig {
    pub dim: usize,
    pub window: usize,
    pub min_count: u64,
    pub x_max: f64,
    /// Exponent of the weighting function f.
    pub alpha: f64,
    /// AdaGrad's initial step.
    pub learning_rate: f32,
    pub grad_clip: f32,
    pub epochs: usize,
    pub threads: usize,
    pub seed: u64,
    /// Counting memory budget in MiB (see [`CooccurConfig::memory_mb`]).
    pub memory_mb: usize,
    pub symmetric: bool,
    pub distance_weighting: bool,
    /// Folder for the counting shards (default: system temporary folder).
    pub tmp_dir: Option<PathBuf>,
}

impl Default for GloveConfig {
    fn default() -> Self {
        GloveConfig {
            dim: 100,
            window: 15,
            min_count: 5,
            x_max: 100.0,
            alpha: 0.75,
            learning_rate: 0.05,
            grad_clip: 100.0,
            epochs: 25,
            threads: 3,
            seed: 1,
            memory_mb: 512,
            symmetric: true,
            distance_weighting: true,
            tmp_dir: None,
        }
    }
}

impl GloveConfig {
    /// The counting part of the settings.
    pub fn cooccur_config(&self) -> CooccurConfig {
        CooccurConfig {
            window: self.window,
            min_count: self.min_count,
            symmetric: self.symmetric,
            distance_weighting: self.distance_weighting,
            memory_mb: self.memory_mb,
            tmp_dir: self.tmp_dir.clone(),
        }
    }

    fn validate(&self) -> Result<(), EmbedError> {
        let bad = |m: &str| Err(EmbedError::Config(m.to_string()));
        if self.dim == 0 {
            return bad("--dim must be at least 1");
        }
        if self.epochs == 0 {
            return bad("--epochs must be at least 1");
        }
        if self.threads == 0 {
            return bad("--threads must be at least 1");
        }
        if !(self.x_max.is_finite() && self.x_max > 0.0) {
            return bad("--x-max must be a positive number");
        }
        if !(self.alpha.is_finite() && self.alpha >= 0.0) {
            return bad("the weighting exponent alpha must be a number ≥ 0");
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return bad("the learning rate must be a positive number");
        }
        if !(self.grad_clip.is_finite() && self.grad_clip > 0.0) {
            return bad("grad_clip must be a positive number");
        }
        self.cooccur_config().validate()
    }
}

/// A trained model.
#[derive(Debug)]
pub struct Glove {
    pub vocab: Vocab,
    /// w_i + w̃_i for every vocabulary word.
    pub vectors: Embeddings,
    /// Mean cost (½·f·diff² per entry) of each epoch, as `glove.c` prints.
    pub costs: Vec<f64>,
    /// Non-zero co-occurrence entries trained on.
    pub entries: usize,
    /// Shard files the counting spilled.
    pub shards: usize,
}

/// splitmix64: a small seeded generator for the initial values and shuffles.
struct SplitMix(u64);

impl SplitMix {
    #[inline]
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    #[inline]
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [0, n) (Lemire's multiply-shift; n ≤ 2³²).
    #[inline]
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }
}

/// A shared `f32` buffer updated without locks by the Hogwild threads.
struct Shared {
    ptr: *mut f32,
    len: usize,
}

// SAFETY: Hogwild training deliberately lets threads read and write rows of
// the same arrays concurrently without synchronisation (Recht et al. 2011);
// the buffers outlive the scoped threads, every access is in bounds
// (checked in `row`), and a torn or stale f32 only perturbs one step.
unsafe impl Sync for Shared {}

impl Shared {
    fn new(v: &mut [f32]) -> Self {
        Shared {
            ptr: v.as_mut_ptr(),
            len: v.len(),
        }
    }

    #[inline]
    #[allow(clippy::mut_from_ref)]
    fn row(&self, i: usize, width: usize) -> &mut [f32] {
        assert!((i + 1) * width <= self.len);
        // SAFETY: in bounds (asserted); concurrent access from other threads
        // is the accepted Hogwild race described on the `Sync` impl. Within
        // one thread the rows borrowed together are distinct: word rows are
        // in [0, V), context rows in [V, 2V).
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(i * width), width) }
    }
}

/// One training example: the cell, its weight f(x) and ln x, precomputed.
#[derive(Clone, Copy)]
struct Example {
    i: u32,
    j: u32,
    f: f32,
    ln_x: f32,
}

#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
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

/// One AdaGrad step on an example; returns ½·f·diff². Rows hold d vector
/// components then the bias.
#[inline]
fn step(
    w: &mut [f32],
    c: &mut [f32],
    gw: &mut [f32],
    gc: &mut [f32],
    ex: Example,
    eta: f32,
    clip: f32,
) -> f64 {
    let d = w.len() - 1;
    let diff = dot(&w[..d], &c[..d]) + w[d] + c[d] - ex.ln_x;
    let fdiff = ex.f * diff;
    if !fdiff.is_finite() {
        return 0.0;
    }
    let cost = 0.5 * f64::from(fdiff) * f64::from(diff);
    let g = fdiff * eta;
    let (wv, cv) = (&mut w[..d], &mut c[..d]);
    let (gwv, gcv) = (&mut gw[..d], &mut gc[..d]);
    for k in 0..d {
        let t1 = (g * cv[k]).clamp(-clip, clip);
        let t2 = (g * wv[k]).clamp(-clip, clip);
        wv[k] -= t1 / gwv[k].sqrt();
        cv[k] -= t2 / gcv[k].sqrt();
        gwv[k] += t1 * t1;
        gcv[k] += t2 * t2;
    }
    w[d] -= g / gw[d].sqrt();
    c[d] -= g / gc[d].sqrt();
    gw[d] += g * g;
    gc[d] += g * g;
    cost
}

/// Trains on counted co-occurrences, calling `on_epoch(epoch, cost)` after
/// each epoch (epochs count from 1).
pub fn train_cooccurrences(
    co: Cooccurrences,
    cfg: &GloveConfig,
    mut on_epoch: impl FnMut(usize, f64),
) -> Result<Glove, EmbedError> {
    cfg.validate()?;
    let v = co.vocab.words.len();
    if co.entries.is_empty() {
        return Err(EmbedError::Empty(format!(
            "no two vocabulary words occur within {} words of each other",
            cfg.window
        )));
    }
    if co.entries.len() > u32::MAX as usize {
        return Err(EmbedError::Invalid(format!(
            "{} co-occurrence entries: more than 2^32 are not supported",
            co.entries.len()
        )));
    }
    let d = cfg.dim;
    let width = d + 1;
    let mut rng = SplitMix(cfg.seed);
    // Rows 0..V: word vectors and bias; rows V..2V: context vectors.
    let mut params: Vec<f32> = (0..2 * v * width)
        .map(|_| ((rng.unit() - 0.5) / d as f64) as f32)
        .collect();
    let mut gradsq = vec![1f32; 2 * v * width];
    let n = co.entries.len();
    let mut examples: Vec<Example> = co
        .entries
        .iter()
        .map(|e| Example {
            i: e.i,
            j: e.j,
            f: if e.x > cfg.x_max {
                1.0
            } else {
                (e.x / cfg.x_max).powf(cfg.alpha) as f32
            },
            ln_x: e.x.ln() as f32,
        })
        .collect();
    let vocab = co.vocab;
    let shards = co.shards;
    drop(co.entries);
    let threads = cfg.threads.min(n);
    let (eta, clip) = (cfg.learning_rate, cfg.grad_clip);
    let mut costs = Vec::with_capacity(cfg.epochs);
    {
        let p = Shared::new(&mut params);
        let gs = Shared::new(&mut gradsq);
        for epoch in 0..cfg.epochs {
            // The examples themselves are shuffled, so training reads them
            // in sequence.
            for k in (1..n).rev() {
                examples.swap(k, rng.below(k + 1));
            }
            let examples = &examples;
            let total: f64 = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        let part = &examples[n * t / threads..n * (t + 1) / threads];
                        let (p, gs) = (&p, &gs);
                        scope.spawn(move || {
                            let mut cost = 0f64;
                            for &ex in part {
                                let (i, j) = (ex.i as usize, v + ex.j as usize);
                                cost += step(
                                    p.row(i, width),
                                    p.row(j, width),
                                    gs.row(i, width),
                                    gs.row(j, width),
                                    ex,
                                    eta,
                                    clip,
                                );
                            }
                            cost
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("training thread"))
                    .sum()
            });
            let cost = total / n as f64;
            if !cost.is_finite() {
                return Err(EmbedError::Invalid(format!(
                    "training diverged at epoch {}; lower the learning rate",
                    epoch + 1
                )));
            }
            costs.push(cost);
            on_epoch(epoch + 1, cost);
        }
    }
    let mut out = vec![0f32; v * d];
    for i in 0..v {
        let (w, c) = (&params[i * width..], &params[(v + i) * width..]);
        for k in 0..d {
            out[i * d + k] = w[k] + c[k];
        }
    }
    let vectors = Embeddings::new(vocab.words.clone(), d, out)?;
    Ok(Glove {
        vocab,
        vectors,
        costs,
        entries: n,
        shards,
    })
}

/// Counts and trains on whitespace-tokenised `text` (one document per line).
pub fn train(text: &str, cfg: &GloveConfig) -> Result<Glove, EmbedError> {
    cfg.validate()?;
    let co = cooccur(text, &cfg.cooccur_config())?;
    train_cooccurrences(co, cfg, |_, _| {})
}

/// Counts a corpus file (streamed, see [`cooccur_file`]) and trains on it,
/// calling `on_epoch(epoch, cost)` after each epoch.
pub fn train_file(
    path: &Path,
    cfg: &GloveConfig,
    on_epoch: impl FnMut(usize, f64),
) -> Result<Glove, EmbedError> {
    cfg.validate()?;
    let co = cooccur_file(path, &cfg.cooccur_config())?;
    train_cooccurrences(co, cfg, on_epoch)
}
