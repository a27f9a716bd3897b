//! The supervised fastText classifier (Joulin, Grave, Bojanowski & Mikolov
//! 2017, "Bag of Tricks for Efficient Text Classification", EACL).
//!
//! A document is the average of the input vectors of its words and of its
//! hashed word n-grams; a linear layer maps that average to the labels, with
//! a full softmax, a hierarchical softmax over a Huffman tree of the label
//! counts, negative sampling, or one-vs-all binary losses. Training is SGD
//! with a learning rate decaying linearly over `epoch × tokens`, run by
//! Hogwild threads that share the two matrices without locks.
//!
//! Dictionary semantics follow fastText 0.9: tokens are separated by ASCII
//! whitespace (space, tab, `\v`, `\f`, `\r`, NUL), every line ends with the
//! word `</s>`, tokens starting with the label prefix are labels, words below
//! `min_count` (labels below `min_count_label`) are dropped, and the
//! n-grams of the word hashes (unknown words included) are hashed into
//! `bucket` rows with fastText's hash: 32-bit FNV-1a over the bytes, each
//! byte sign-extended (`int8_t`) before the xor.
//!
//! Cost: training O(epoch · Σ_lines (f · d + d · C)) for f features per line,
//! d = `dim`, C labels (softmax; log C for `hs`, `neg`+1 for `ns`); memory
//! O((V + bucket) · d + C · d) floats.

use std::io::Write;
use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::{write_atomic, EmbedError};

/// The end-of-line word fastText appends to every line.
pub const EOS: &str = "</s>";

/// The loss of the output layer (`-loss` of fastText).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Loss {
    Softmax,
    Hs,
    Ns,
    Ova,
}

impl FromStr for Loss {
    type Err = EmbedError;
    fn from_str(s: &str) -> Result<Self, EmbedError> {
        match s {
            "softmax" => Ok(Loss::Softmax),
            "hs" => Ok(Loss::Hs),
            "ns" => Ok(Loss::Ns),
            "ova" => Ok(Loss::Ova),
            other => Err(EmbedError::Config(format!(
                "loss: unknown value {other:?} (softmax, hs, ns or ova)"
            ))),
        }
    }
}

/// Settings; `Default` is fastText's `supervised` defaults (threads: the
/// available cores instead of 12).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupervisedConfig {
    pub lr: f32,
    pub dim: usize,
    /// Context window; unused by the classifier, kept as fastText reports it.
    pub ws: usize,
    pub epoch: usize,
    pub min_count: u64,
    pub min_count_label: u64,
    pub word_ngrams: usize,
    pub loss: Loss,
    pub bucket: usize,
    /// Negatives per example for `ns`.
    pub neg: usize,
    /// Tokens a thread processes before it publishes its count.
    pub lr_update_rate: u64,
    pub threads: usize,
    pub seed: u64,
    pub label_prefix: String,
}

impl Default for SupervisedConfig {
    fn default() -> Self {
        SupervisedConfig {
            lr: 0.1,
            dim: 100,
            ws: 5,
            epoch: 5,
            min_count: 1,
            min_count_label: 0,
            word_ngrams: 1,
            loss: Loss::Softmax,
            bucket: 2_000_000,
            neg: 5,
            lr_update_rate: 100,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            seed: 0,
            label_prefix: journey_data::readers::fasttext::LABEL_PREFIX.to_string(),
        }
    }
}

impl SupervisedConfig {
    pub fn validate(&self) -> Result<(), EmbedError> {
        let bad = |m: &str| Err(EmbedError::Config(m.to_string()));
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return bad("lr must be a positive number");
        }
        if self.dim == 0 {
            return bad("dim must be at least 1");
        }
        if self.epoch == 0 {
            return bad("epoch must be at least 1");
        }
        if self.word_ngrams == 0 {
            return bad("wordNgrams must be at least 1");
        }
        if self.word_ngrams > 1 && self.bucket == 0 {
            return bad("bucket must be at least 1 when wordNgrams > 1");
        }
        if self.threads == 0 {
            return bad("thread must be at least 1");
        }
        if self.label_prefix.is_empty() {
            return bad("label prefix must not be empty");
        }
        Ok(())
    }
}

pub use crate::subwords::fasttext_hash;

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0)
}

fn tokens(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|&b| is_space(b)).filter(|t| !t.is_empty())
}

/// Lines of a byte buffer, `\n`-terminated (a last line without one counts).
fn lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let trimmed = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let empty = bytes.is_empty();
    trimmed.split(|&b| b == b'\n').filter(move |_| !empty)
}

/// Words and labels with their counts, most frequent first.
#[derive(Debug, Clone, PartialEq)]
pub struct Dictionary {
    pub words: Vec<Vec<u8>>,
    pub word_counts: Vec<u64>,
    pub labels: Vec<Vec<u8>>,
    pub label_counts: Vec<u64>,
    /// Tokens read (words, labels and `</s>`), as fastText's `ntokens`.
    pub ntokens: u64,
    word_ngrams: usize,
    bucket: usize,
    word_index: FxHashMap<Vec<u8>, u32>,
    label_index: FxHashMap<Vec<u8>, u32>,
    prefix: Vec<u8>,
}

/// One line turned into feature rows and label ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    pub features: Vec<u32>,
    pub labels: Vec<u32>,
    pub ntokens: u64,
}

impl Dictionary {
    fn build(
        bytes: &[u8],
        path: &Path,
        config: &SupervisedConfig,
        bucket: usize,
    ) -> Result<Self, EmbedError> {
        let prefix = config.label_prefix.as_bytes();
        // Count, remembering first-seen order to break count ties stably.
        let mut index: FxHashMap<&[u8], usize> = FxHashMap::default();
        let mut seen: Vec<(&[u8], u64)> = Vec::new();
        let mut ntokens = 0u64;
        let mut nonblank = 0usize;
        for (i, line) in lines(bytes).enumerate() {
            let mut has_label = false;
            let mut has_token = false;
            for t in tokens(line).chain(std::iter::once(EOS.as_bytes())) {
                ntokens += 1;
                if t.starts_with(prefix) {
                    has_label = true;
                } else if t != EOS.as_bytes() {
                    has_token = true;
                }
                let id = *index.entry(t).or_insert_with(|| {
                    seen.push((t, 0));
                    seen.len() - 1
                });
                seen[id].1 += 1;
            }
            if has_token || has_label {
                nonblank += 1;
                if !has_label {
                    return Err(EmbedError::parse(
                        path,
                        i + 1,
                        format!(
                            "no label: a training line needs a token starting with {:?}",
                            config.label_prefix
                        ),
                    ));
                }
            }
        }
        if nonblank == 0 {
            return Err(EmbedError::Empty(format!(
                "{}: no labelled line",
                path.display()
            )));
        }
        let (mut words, mut labels): (Vec<_>, Vec<_>) = seen
            .into_iter()
            .enumerate()
            .partition(|(_, (t, _))| !t.starts_with(prefix));
        words.retain(|(_, (_, c))| *c >= config.min_count);
        labels.retain(|(_, (_, c))| *c >= config.min_count_label);
        let key = |e: &(usize, (&[u8], u64))| (std::cmp::Reverse(e.1 .1), e.0);
        words.sort_by_key(key);
        labels.sort_by_key(key);
        if labels.is_empty() {
            return Err(EmbedError::Empty(format!(
                "{}: no label reaches min_count_label {}",
                path.display(),
                config.min_count_label
            )));
        }
        Ok(Dictionary::from_parts(
            words
                .into_iter()
                .map(|(_, (t, c))| (t.to_vec(), c))
                .collect(),
            labels
                .into_iter()
                .map(|(_, (t, c))| (t.to_vec(), c))
                .collect(),
            ntokens,
            config.word_ngrams,
            bucket,
            prefix.to_vec(),
        ))
    }

    fn from_parts(
        words: Vec<(Vec<u8>, u64)>,
        labels: Vec<(Vec<u8>, u64)>,
        ntokens: u64,
        word_ngrams: usize,
        bucket: usize,
        prefix: Vec<u8>,
    ) -> Self {
        let (words, word_counts): (Vec<_>, Vec<_>) = words.into_iter().unzip();
        let (labels, label_counts): (Vec<_>, Vec<_>) = labels.into_iter().unzip();
        let word_index = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        let label_index = labels
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        Dictionary {
            words,
            word_counts,
            labels,
            label_counts,
            ntokens,
            word_ngrams,
            bucket,
            word_index,
            label_index,
            prefix,
        }
    }

    pub fn nwords(&self) -> usize {
        self.words.len()
    }

    pub fn nlabels(&self) -> usize {
        self.labels.len()
    }

    /// fastText's `getLine`: in-vocabulary words, then the hashed n-grams of
    /// all word hashes (unknown words included), and the known labels.
    pub fn line(&self, line: &[u8]) -> Line {
        let mut out = Line::default();
        let mut hashes: Vec<u32> = Vec::new();
        for t in tokens(line).chain(std::iter::once(EOS.as_bytes())) {
            out.ntokens += 1;
            if t.starts_with(&self.prefix) {
                if let Some(&id) = self.label_index.get(t) {
                    out.labels.push(id);
                }
                continue;
            }
            if let Some(&id) = self.word_index.get(t) {
                out.features.push(id);
            }
            hashes.push(fasttext_hash(t));
        }
        if self.word_ngrams > 1 && self.bucket > 0 {
            let nwords = self.nwords() as u64;
            for i in 0..hashes.len() {
                let mut h = hashes[i] as u64;
                for &next in hashes.iter().take(i + self.word_ngrams).skip(i + 1) {
                    h = h.wrapping_mul(116_049_371).wrapping_add(next as u64);
                    out.features.push((nwords + h % self.bucket as u64) as u32);
                }
            }
        }
        out
    }

    /// The label's text with the prefix, as fastText prints it.
    pub fn label(&self, id: u32) -> String {
        String::from_utf8_lossy(&self.labels[id as usize]).into_owned()
    }
}

/// A small deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// Huffman tree over the label counts (sorted most frequent first), as the
/// hierarchical softmax of word2vec/fastText builds it.
#[derive(Debug, Clone, PartialEq)]
struct Tree {
    left: Vec<i64>,
    right: Vec<i64>,
    /// For each label: the internal nodes (output rows) from leaf to root.
    paths: Vec<Vec<u32>>,
    /// For each label: whether each step goes to the right child.
    codes: Vec<Vec<bool>>,
}

fn huffman(counts: &[u64]) -> Tree {
    let n = counts.len();
    let total = 2 * n - 1;
    let mut count = vec![u64::MAX / 4; total];
    count[..n].copy_from_slice(counts);
    let mut parent = vec![-1i64; total];
    let mut binary = vec![false; total];
    let mut left = vec![-1i64; total];
    let mut right = vec![-1i64; total];
    let mut leaf = n as i64 - 1;
    let mut node = n;
    for i in n..total {
        let mut mini = [0usize; 2];
        for m in &mut mini {
            if leaf >= 0 && count[leaf as usize] < count[node] {
                *m = leaf as usize;
                leaf -= 1;
            } else {
                *m = node;
                node += 1;
            }
        }
        left[i] = mini[0] as i64;
        right[i] = mini[1] as i64;
        count[i] = count[mini[0]] + count[mini[1]];
        parent[mini[0]] = i as i64;
        parent[mini[1]] = i as i64;
        binary[mini[1]] = true;
    }
    let mut paths = Vec::with_capacity(n);
    let mut codes = Vec::with_capacity(n);
    for i in 0..n {
        let (mut p, mut c) = (Vec::new(), Vec::new());
        let mut j = i;
        while parent[j] != -1 {
            p.push((parent[j] as usize - n) as u32);
            c.push(binary[j]);
            j = parent[j] as usize;
        }
        paths.push(p);
        codes.push(c);
    }
    Tree {
        left,
        right,
        paths,
        codes,
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// A trained classifier.
#[derive(Debug, Clone, PartialEq)]
pub struct Supervised {
    pub config: SupervisedConfig,
    pub dict: Dictionary,
    /// (nwords + bucket) × dim.
    input: Vec<f32>,
    /// nlabels × dim.
    output: Vec<f32>,
    tree: Option<Tree>,
}

/// A matrix the Hogwild threads write without locks.
struct Shared {
    ptr: *mut f32,
    len: usize,
}

// SAFETY: Hogwild (Recht et al. 2011) lets threads race on the f32 rows of
// the two matrices on purpose; the pointers stay valid because the owning
// vectors outlive the scoped threads and are not resized meanwhile. Rows are
// bounds-checked against `len` before any access.
unsafe impl Sync for Shared {}
unsafe impl Send for Shared {}

impl Shared {
    /// A row of `dim` floats.
    #[allow(clippy::mut_from_ref)]
    fn row(&self, i: usize, dim: usize) -> &mut [f32] {
        assert!((i + 1) * dim <= self.len, "row {i} out of range");
        // SAFETY: in bounds (checked above); concurrent writes to the same
        // row are the Hogwild races described on the `Sync` impl, and with
        // one thread there is no other reference alive.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(i * dim), dim) }
    }
}

struct Worker<'a> {
    cfg: &'a SupervisedConfig,
    input: &'a Shared,
    output: &'a Shared,
    tree: Option<&'a Tree>,
    neg_cdf: &'a [f64],
    nlabels: usize,
    hidden: Vec<f32>,
    grad: Vec<f32>,
    scores: Vec<f32>,
    rng: Rng,
}

impl Worker<'_> {
    fn hidden(&mut self, features: &[u32]) {
        let dim = self.cfg.dim;
        self.hidden.iter_mut().for_each(|h| *h = 0.0);
        for &f in features {
            axpy(1.0, self.input.row(f as usize, dim), &mut self.hidden);
        }
        let inv = 1.0 / features.len() as f32;
        self.hidden.iter_mut().for_each(|h| *h *= inv);
    }

    fn binary(&mut self, row: usize, label: bool, lr: f32) {
        let wo = self.output.row(row, self.cfg.dim);
        let score = sigmoid(dot(wo, &self.hidden));
        let alpha = lr * (label as u8 as f32 - score);
        axpy(alpha, wo, &mut self.grad);
        axpy(alpha, &self.hidden, wo);
    }

    fn update(&mut self, line: &Line, lr: f32) {
        let dim = self.cfg.dim;
        self.hidden(&line.features);
        self.grad.iter_mut().for_each(|g| *g = 0.0);
        let target = line.labels[self.rng.below(line.labels.len())] as usize;
        match self.cfg.loss {
            Loss::Softmax => {
                let mut max = f32::NEG_INFINITY;
                for i in 0..self.nlabels {
                    self.scores[i] = dot(self.output.row(i, dim), &self.hidden);
                    max = max.max(self.scores[i]);
                }
                let mut z = 0.0;
                for s in &mut self.scores {
                    *s = (*s - max).exp();
                    z += *s;
                }
                for i in 0..self.nlabels {
                    let p = self.scores[i] / z;
                    let alpha = lr * ((i == target) as u8 as f32 - p);
                    let wo = self.output.row(i, dim);
                    axpy(alpha, wo, &mut self.grad);
                    axpy(alpha, &self.hidden, wo);
                }
            }
            Loss::Hs => {
                let tree = self.tree.expect("hs has a tree");
                for (&node, &code) in tree.paths[target].iter().zip(&tree.codes[target]) {
                    self.binary(node as usize, code, lr);
                }
            }
            Loss::Ns => {
                self.binary(target, true, lr);
                for _ in 0..self.cfg.neg {
                    if self.nlabels < 2 {
                        break;
                    }
                    let neg = loop {
                        let u = self.rng.uniform() as f64;
                        let n = self.neg_cdf.partition_point(|&c| c <= u);
                        let n = n.min(self.nlabels - 1);
                        if n != target {
                            break n;
                        }
                    };
                    self.binary(neg, false, lr);
                }
            }
            Loss::Ova => {
                for i in 0..self.nlabels {
                    let gold = line.labels.contains(&(i as u32));
                    self.binary(i, gold, lr);
                }
            }
        }
        let inv = 1.0 / line.features.len() as f32;
        for &f in &line.features {
            let row = self.input.row(f as usize, dim);
            for (r, g) in row.iter_mut().zip(&self.grad) {
                *r += g * inv;
            }
        }
    }
}

impl Supervised {
    /// Trains on a fastText-format file (`__label__x text` per line).
    pub fn train_file(path: &Path, config: &SupervisedConfig) -> Result<Self, EmbedError> {
        let bytes = std::fs::read(path).map_err(|e| EmbedError::io(path, e))?;
        Self::train_bytes(&bytes, path, config)
    }

    /// Trains on the bytes of such a file (`path` names it in errors).
    pub fn train_bytes(
        bytes: &[u8],
        path: &Path,
        config: &SupervisedConfig,
    ) -> Result<Self, EmbedError> {
        config.validate()?;
        // fastText drops the buckets when nothing is hashed.
        let bucket = if config.word_ngrams > 1 {
            config.bucket
        } else {
            0
        };
        let dict = Dictionary::build(bytes, path, config, bucket)?;
        let rows = dict.nwords() + bucket;
        if rows == 0 {
            return Err(EmbedError::Empty(format!(
                "{}: no word reaches min_count {}",
                path.display(),
                config.min_count
            )));
        }
        if rows as u64 * config.dim as u64 >= u32::MAX as u64 * 4 {
            return Err(EmbedError::Config(
                "(words + bucket) × dim is too large".into(),
            ));
        }
        let examples: Vec<Line> = lines(bytes)
            .map(|l| dict.line(l))
            .filter(|l| !l.labels.is_empty() && !l.features.is_empty())
            .collect();
        if examples.is_empty() {
            return Err(EmbedError::Empty(format!(
                "{}: no line with a known label and a known word",
                path.display()
            )));
        }
        let dim = config.dim;
        let nlabels = dict.nlabels();
        let mut rng = Rng(config.seed ^ 0x5EED);
        let bound = 1.0 / dim as f32;
        let mut input: Vec<f32> = (0..rows * dim)
            .map(|_| (rng.uniform() * 2.0 - 1.0) * bound)
            .collect();
        let mut output = vec![0f32; nlabels * dim];
        let tree = (config.loss == Loss::Hs).then(|| huffman(&dict.label_counts));
        let z: f64 = dict.label_counts.iter().map(|&c| (c as f64).sqrt()).sum();
        let mut acc = 0.0;
        let neg_cdf: Vec<f64> = dict
            .label_counts
            .iter()
            .map(|&c| {
                acc += (c as f64).sqrt() / z;
                acc
            })
            .collect();

        let total = config.epoch as u64 * dict.ntokens;
        let token_count = AtomicU64::new(0);
        let shared_in = Shared {
            ptr: input.as_mut_ptr(),
            len: input.len(),
        };
        let shared_out = Shared {
            ptr: output.as_mut_ptr(),
            len: output.len(),
        };
        let threads = config.threads.min(examples.len()).max(1);
        std::thread::scope(|s| {
            for tid in 0..threads {
                let (examples, token_count) = (&examples, &token_count);
                let mut w = Worker {
                    cfg: config,
                    input: &shared_in,
                    output: &shared_out,
                    tree: tree.as_ref(),
                    neg_cdf: &neg_cdf,
                    nlabels,
                    hidden: vec![0.0; dim],
                    grad: vec![0.0; dim],
                    scores: vec![0.0; nlabels],
                    rng: Rng(config.seed.wrapping_add(tid as u64)),
                };
                s.spawn(move || {
                    let n = examples.len();
                    let mut i = tid * n / threads;
                    let mut local = 0u64;
                    loop {
                        let done = token_count.load(Ordering::Relaxed);
                        if done >= total {
                            break;
                        }
                        let progress = done as f32 / total as f32;
                        let lr = config.lr * (1.0 - progress);
                        let ex = &examples[i];
                        local += ex.ntokens;
                        w.update(ex, lr);
                        if local > config.lr_update_rate {
                            token_count.fetch_add(local, Ordering::Relaxed);
                            local = 0;
                        }
                        i = (i + 1) % n;
                    }
                });
            }
        });
        Ok(Supervised {
            config: SupervisedConfig {
                bucket,
                ..config.clone()
            },
            dict,
            input,
            output,
            tree,
        })
    }

    /// The `k` most probable labels of a line (label ids, probabilities),
    /// those with probability above `threshold`, most probable first.
    pub fn predict_line(&self, line: &Line, k: usize, threshold: f32) -> Vec<(u32, f32)> {
        if line.features.is_empty() || k == 0 {
            return Vec::new();
        }
        let dim = self.config.dim;
        let nlabels = self.dict.nlabels();
        let mut hidden = vec![0f32; dim];
        for &f in &line.features {
            let r = f as usize * dim;
            axpy(1.0, &self.input[r..r + dim], &mut hidden);
        }
        let inv = 1.0 / line.features.len() as f32;
        hidden.iter_mut().for_each(|h| *h *= inv);
        let out_row = |i: usize| &self.output[i * dim..(i + 1) * dim];
        let mut scored: Vec<(u32, f32)> = match self.config.loss {
            Loss::Softmax => {
                let s: Vec<f32> = (0..nlabels).map(|i| dot(out_row(i), &hidden)).collect();
                let max = s.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
                let e: Vec<f32> = s.iter().map(|x| (x - max).exp()).collect();
                let z: f32 = e.iter().sum();
                e.iter()
                    .enumerate()
                    .map(|(i, x)| (i as u32, x / z))
                    .collect()
            }
            Loss::Ns | Loss::Ova => (0..nlabels)
                .map(|i| (i as u32, sigmoid(dot(out_row(i), &hidden))))
                .collect(),
            Loss::Hs => {
                let tree = self.tree.as_ref().expect("hs model has a tree");
                let mut leaves = Vec::new();
                let mut stack = vec![(2 * nlabels - 2, 0f32)];
                while let Some((node, logp)) = stack.pop() {
                    if node < nlabels {
                        leaves.push((node as u32, logp.exp()));
                        continue;
                    }
                    let f = sigmoid(dot(out_row(node - nlabels), &hidden));
                    let (l, r) = (tree.left[node] as usize, tree.right[node] as usize);
                    stack.push((l, logp + (1.0 - f + 1e-5).ln()));
                    stack.push((r, logp + (f + 1e-5).ln()));
                }
                leaves
            }
        };
        scored.retain(|&(_, p)| p >= threshold);
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(k);
        scored
    }

    /// Predicts one raw line of text (labels in it are ignored).
    pub fn predict(&self, text: &str, k: usize, threshold: f32) -> Vec<(String, f32)> {
        let line = self.dict.line(text.as_bytes());
        self.predict_line(&line, k, threshold)
            .into_iter()
            .map(|(id, p)| (self.dict.label(id), p))
            .collect()
    }

    /// fastText's `test`: precision and recall at `k` over a labelled file.
    pub fn test_file(
        &self,
        path: &Path,
        k: usize,
        threshold: f32,
    ) -> Result<TestReport, EmbedError> {
        let bytes = std::fs::read(path).map_err(|e| EmbedError::io(path, e))?;
        let mut r = TestReport {
            k,
            ..TestReport::default()
        };
        for raw in lines(&bytes) {
            let line = self.dict.line(raw);
            if line.labels.is_empty() || line.features.is_empty() {
                continue;
            }
            let pred = self.predict_line(&line, k, threshold);
            r.examples += 1;
            r.gold += line.labels.len() as u64;
            r.predicted += pred.len() as u64;
            r.correct += pred
                .iter()
                .filter(|(id, _)| line.labels.contains(id))
                .count() as u64;
        }
        if r.examples == 0 {
            return Err(EmbedError::Empty(format!(
                "{}: no line with a known label",
                path.display()
            )));
        }
        Ok(r)
    }

    /// Writes the model (our own binary format), atomically.
    pub fn save(&self, path: &Path) -> Result<(), EmbedError> {
        let mut b: Vec<u8> = Vec::with_capacity(16 + 4 * (self.input.len() + self.output.len()));
        b.extend_from_slice(MAGIC);
        let cfg =
            serde_json::to_vec(&self.config).map_err(|e| EmbedError::Invalid(e.to_string()))?;
        put_u64(&mut b, cfg.len() as u64);
        b.extend_from_slice(&cfg);
        put_u64(&mut b, self.dict.ntokens);
        for (items, counts) in [
            (&self.dict.words, &self.dict.word_counts),
            (&self.dict.labels, &self.dict.label_counts),
        ] {
            put_u64(&mut b, items.len() as u64);
            for (w, &c) in items.iter().zip(counts) {
                put_u64(&mut b, w.len() as u64);
                b.extend_from_slice(w);
                put_u64(&mut b, c);
            }
        }
        for m in [&self.input, &self.output] {
            put_u64(&mut b, m.len() as u64);
            for x in m.iter() {
                b.write_all(&x.to_le_bytes()).expect("vec write");
            }
        }
        b.extend_from_slice(MAGIC);
        write_atomic(path, &b)
    }

    /// Reads a model written by [`Supervised::save`].
    pub fn load(path: &Path) -> Result<Self, EmbedError> {
        let bytes = std::fs::read(path).map_err(|e| EmbedError::io(path, e))?;
        let mut r = Reader {
            b: &bytes,
            pos: 0,
            path,
        };
        if !bytes.starts_with(MAGIC) {
            return Err(EmbedError::Invalid(format!(
                "{}: not a journey fastText model",
                path.display()
            )));
        }
        r.take(MAGIC.len())?;
        let n = r.len()?;
        let config: SupervisedConfig = serde_json::from_slice(r.take(n)?)
            .map_err(|e| EmbedError::Invalid(format!("{}: bad settings: {e}", path.display())))?;
        config.validate()?;
        let ntokens = r.u64()?;
        let vocab = |r: &mut Reader| -> Result<Vec<(Vec<u8>, u64)>, EmbedError> {
            let n = r.len()?;
            let mut v = Vec::new();
            for _ in 0..n {
                let len = r.len()?;
                let w = r.take(len)?.to_vec();
                v.push((w, r.u64()?));
            }
            Ok(v)
        };
        let words = vocab(&mut r)?;
        let labels = vocab(&mut r)?;
        let matrix = |r: &mut Reader| -> Result<Vec<f32>, EmbedError> {
            let n = r.len()?;
            let raw = r.take(n.checked_mul(4).ok_or_else(|| r.truncated())?)?;
            Ok(raw
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect())
        };
        let input = matrix(&mut r)?;
        let output = matrix(&mut r)?;
        if r.take(MAGIC.len())? != MAGIC {
            return Err(r.truncated());
        }
        let dict = Dictionary::from_parts(
            words,
            labels,
            ntokens,
            config.word_ngrams,
            config.bucket,
            config.label_prefix.as_bytes().to_vec(),
        );
        let dim = config.dim;
        if dict.nlabels() == 0
            || input.len() != (dict.nwords() + config.bucket) * dim
            || output.len() != dict.nlabels() * dim
        {
            return Err(EmbedError::Invalid(format!(
                "{}: matrix sizes do not match the dictionary",
                path.display()
            )));
        }
        let tree = (config.loss == Loss::Hs).then(|| huffman(&dict.label_counts));
        Ok(Supervised {
            config,
            dict,
            input,
            output,
            tree,
        })
    }
}

const MAGIC: &[u8] = b"JOURNEY-FASTTEXT-SUPERVISED-1\n";

fn put_u64(b: &mut Vec<u8>, x: u64) {
    b.extend_from_slice(&x.to_le_bytes());
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
    path: &'a Path,
}

impl<'a> Reader<'a> {
    fn truncated(&self) -> EmbedError {
        EmbedError::Invalid(format!(
            "{}: truncated or corrupt model (at byte {} of {})",
            self.path.display(),
            self.pos,
            self.b.len()
        ))
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], EmbedError> {
        if self.b.len() - self.pos < n {
            return Err(self.truncated());
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn u64(&mut self) -> Result<u64, EmbedError> {
        let s = self.take(8)?;
        Ok(u64::from_le_bytes(s.try_into().expect("8 bytes")))
    }
    /// A length, which cannot exceed what is left of the file.
    fn len(&mut self) -> Result<usize, EmbedError> {
        let n = self.u64()?;
        if n > (self.b.len() - self.pos) as u64 {
            return Err(self.truncated());
        }
        Ok(n as usize)
    }
}

/// What fastText's `test` prints.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TestReport {
    pub k: usize,
    pub examples: u64,
    pub gold: u64,
    pub predicted: u64,
    pub correct: u64,
}

impl TestReport {
    pub fn precision(&self) -> f64 {
        self.correct as f64 / self.predicted.max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.correct as f64 / self.gold.max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huffman_paths_lead_to_root() {
        let t = huffman(&[5, 3, 2, 1]);
        // Root is row 2 (node 6 - 4); every path ends there.
        assert!(t.paths.iter().all(|p| *p.last().unwrap() == 2));
        assert_eq!(t.paths[0].len(), 1);
        assert_eq!(t.paths[3].len(), 3);
    }
}
