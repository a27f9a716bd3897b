//! # fastText word vectors: skip-gram and CBOW over character n-grams
//!
//! Bojanowski, Grave, Joulin & Mikolov 2017, "Enriching Word Vectors with
//! Subword Information" (TACL), as fastText 0.9's `skipgram`/`cbow` and
//! gensim 4.4's `FastText` train it:
//!
//! * a word's input vector is the mean of its own row and of the rows of its
//!   character n-grams (`<word>`, `minn..=maxn` characters, hashed into
//!   `bucket` rows by [`crate::subwords`]); the input matrix has
//!   `nwords + bucket` rows, as fastText's;
//! * skip-gram: the centre word's input vector predicts each context word;
//!   CBOW: the mean of all rows of all context words predicts the centre;
//!   the gradient is added, unscaled, to every row that made the mean;
//! * vocabulary, sub-sampling, dynamic window, negative sampling from the
//!   unigram^0.75 table, linear learning-rate decay and Hogwild threads are
//!   those of [`crate::word2vec`] (gensim's), so one thread and a seed give
//!   a deterministic model. As gensim, skip-gram skips a pair whose dot
//!   product leaves ±6 and CBOW clamps σ there;
//! * an out-of-vocabulary word's vector is the mean of its n-gram rows (zero
//!   when it has none), as fastText's `getWordVector`.
//!
//! Two departures from gensim, both fastText's choice: the skip-gram hidden
//! vector divides by 1 + n rows (gensim divides by n, the n-gram count), and
//! the word vectors read out are the same mean used in training.
//!
//! One saving, exact in arithmetic: skip-gram adds the same gradient to
//! every row of the centre word after each context word, so the centre's
//! mean moves by that gradient (times Σc²/n when a row repeats c times);
//! we move the mean instead of re-averaging the rows, and add the summed
//! gradient to the rows once per centre word. gensim and fastText re-read
//! the rows for every pair; with one thread the two orders differ only in
//! float rounding, with Hogwild threads only in when the others see the
//! update. Per pair this costs O((K+1)·d) instead of O((2r + K+1)·d).
//!
//! Models are saved in fastText's own `.bin` format (version 12: arguments,
//! dictionary, input and output matrices, little-endian), which fastText,
//! gensim's `load_facebook_model` and [`FastText::load_bin`] read.
//!
//! Cost per epoch: O(N·2w·(r·d + (K+1)·d)) for N words, window w, r rows per
//! word (1 + its n-grams, about 2·L for a word of L characters), K
//! negatives, dimension d. Memory: (V + bucket)·d floats for the input
//! matrix (800 MB at gensim's defaults), V·d for the output matrix, and the
//! n-gram rows of every vocabulary word.

use crate::subwords::{fasttext_hash, for_each_ngram};
use crate::word2vec::{
    axpy, build_vocab, dot, encode, job_bounds, sample_thresholds, train_epoch, Hogwild, Lcg,
    NoiseTable, SigmoidTable, MAX_EXP, MAX_SENTENCE,
};
use crate::{EmbedError, Embeddings};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::atomic::AtomicU64;

/// Training settings; `Default` is gensim 4.4's `FastText` defaults.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct FastTextConfig {
    /// Skip-gram (true) or CBOW (false, gensim's default `sg=0`).
    pub sg: bool,
    pub dim: usize,
    pub window: usize,
    /// Noise words per positive example.
    pub negative: usize,
    pub sample: f64,
    pub alpha: f32,
    pub min_alpha: f32,
    pub min_count: u64,
    pub epochs: usize,
    pub threads: usize,
    pub seed: u64,
    pub ns_exponent: f64,
    /// Shortest character n-gram.
    pub minn: usize,
    /// Longest character n-gram (0 = no n-grams: plain word2vec).
    pub maxn: usize,
    /// Rows the n-grams are hashed into.
    pub bucket: usize,
}

impl Default for FastTextConfig {
    fn default() -> Self {
        FastTextConfig {
            sg: false,
            dim: 100,
            window: 5,
            negative: 5,
            sample: 1e-3,
            alpha: 0.025,
            min_alpha: 0.0001,
            min_count: 5,
            epochs: 5,
            threads: 3,
            seed: 1,
            ns_exponent: 0.75,
            minn: 3,
            maxn: 6,
            bucket: 2_000_000,
        }
    }
}

impl FastTextConfig {
    fn validate(&self) -> Result<(), EmbedError> {
        let bad = |m: &str| Err(EmbedError::Config(m.to_string()));
        if self.dim == 0 {
            return bad("--dim must be at least 1");
        }
        if self.window == 0 {
            return bad("--window must be at least 1");
        }
        if self.negative == 0 {
            return bad("--negative must be at least 1 (fastText vectors use negative sampling)");
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
        if self.maxn > 0 && self.minn == 0 {
            return bad("--minn must be at least 1 when --maxn > 0");
        }
        if self.maxn > 0 && self.minn > self.maxn {
            return Err(EmbedError::Config(format!(
                "--minn {} is larger than --maxn {}",
                self.minn, self.maxn
            )));
        }
        if self.maxn > 0 && self.bucket == 0 {
            return bad("--bucket must be at least 1 when --maxn > 0");
        }
        if self.bucket > i32::MAX as usize {
            return bad("--bucket must fit in 32 bits (fastText's format)");
        }
        Ok(())
    }
}

/// fastText's training arguments as stored in a `.bin` header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BinArgs {
    pub dim: i32,
    pub ws: i32,
    pub epoch: i32,
    pub min_count: i32,
    pub neg: i32,
    pub word_ngrams: i32,
    /// 1 hs, 2 ns, 3 softmax, 4 one-vs-all.
    pub loss: i32,
    /// 1 cbow, 2 skipgram, 3 supervised.
    pub model: i32,
    pub bucket: i32,
    pub minn: i32,
    pub maxn: i32,
    pub lr_update_rate: i32,
    pub t: f64,
}

/// A fastText model: dictionary, n-gram settings and both matrices.
#[derive(Debug, Clone)]
pub struct FastText {
    pub args: BinArgs,
    /// Vocabulary words, most frequent first, and their counts.
    pub words: Vec<String>,
    pub counts: Vec<u64>,
    /// Labels of a supervised model (kept so a loaded file saves back whole).
    pub labels: Vec<(String, u64)>,
    pub ntokens: i64,
    index: FxHashMap<String, u32>,
    /// fastText's `pruneidx` (quantised models); `None` = every bucket.
    prune: Option<Vec<(i32, i32)>>,
    prune_map: FxHashMap<i32, i32>,
    /// `(nwords + bucket) × dim`, row-major.
    pub input: Vec<f32>,
    /// Rows of the output matrix (`syn1neg`), `output_rows × dim`.
    pub output: Vec<f32>,
    pub output_rows: usize,
    /// Corpus words seen per epoch (trained models; 0 when loaded).
    pub words_per_epoch: u64,
}

const MAGIC: i32 = 793_712_314;
const VERSION: i32 = 12;

impl FastText {
    pub fn dim(&self) -> usize {
        self.args.dim as usize
    }
    pub fn nwords(&self) -> usize {
        self.words.len()
    }
    pub fn bucket(&self) -> usize {
        self.args.bucket.max(0) as usize
    }
    /// Row of a vocabulary word.
    pub fn word_id(&self, word: &str) -> Option<usize> {
        self.index.get(word).map(|&i| i as usize)
    }

    /// Input rows of the n-grams of `word` (fastText's `computeSubwords`).
    pub fn ngram_rows(&self, word: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let (minn, maxn, bucket) = (self.args.minn, self.args.maxn, self.bucket());
        if bucket == 0 || maxn <= 0 || word == "</s>" {
            return out;
        }
        let nwords = self.nwords() as u64;
        for_each_ngram(word, minn.max(0) as usize, maxn as usize, |g| {
            let h = (u64::from(fasttext_hash(g)) % bucket as u64) as i32;
            let id = match &self.prune {
                None => Some(h),
                Some(_) => self.prune_map.get(&h).copied(),
            };
            if let Some(id) = id {
                out.push((nwords + id as u64) as u32);
            }
        });
        out
    }

    /// Every input row of `word`: its own row when in the vocabulary, then
    /// its n-gram rows (fastText's `getSubwords`).
    pub fn subword_rows(&self, word: &str) -> Vec<u32> {
        let mut rows = Vec::new();
        if let Some(i) = self.word_id(word) {
            rows.push(i as u32);
        }
        rows.extend(self.ngram_rows(word));
        rows
    }

    /// The vector of any word: the mean of its input rows (zero if none).
    pub fn word_vector(&self, word: &str) -> Vec<f32> {
        let d = self.dim();
        let rows = self.subword_rows(word);
        let mut v = vec![0f32; d];
        for &r in &rows {
            axpy(
                1.0,
                &self.input[r as usize * d..(r as usize + 1) * d],
                &mut v,
            );
        }
        if !rows.is_empty() {
            let inv = 1.0 / rows.len() as f32;
            v.iter_mut().for_each(|x| *x *= inv);
        }
        v
    }

    /// The vocabulary words with their vectors (the `.vec` content).
    pub fn embeddings(&self) -> Result<Embeddings, EmbedError> {
        let mut data = Vec::with_capacity(self.nwords() * self.dim());
        for w in &self.words {
            data.extend(self.word_vector(w));
        }
        Embeddings::new(self.words.clone(), self.dim(), data)
    }

    /// Trains on whitespace-tokenised `text` (one sentence per line).
    pub fn train(text: &str, cfg: &FastTextConfig) -> Result<FastText, EmbedError> {
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
        let bucket = if cfg.maxn > 0 { cfg.bucket } else { 0 };
        let total: u64 = vocab.counts.iter().sum();
        let mut model = FastText {
            args: BinArgs {
                dim: d as i32,
                ws: cfg.window as i32,
                epoch: cfg.epochs as i32,
                min_count: cfg.min_count.min(i32::MAX as u64) as i32,
                neg: cfg.negative as i32,
                word_ngrams: 1,
                loss: 2,
                model: if cfg.sg { 2 } else { 1 },
                bucket: bucket as i32,
                minn: cfg.minn as i32,
                maxn: cfg.maxn as i32,
                lr_update_rate: 100,
                t: cfg.sample,
            },
            words: vocab.words.clone(),
            counts: vocab.counts.clone(),
            labels: Vec::new(),
            ntokens: total as i64,
            index: vocab.index.clone(),
            prune: None,
            prune_map: FxHashMap::default(),
            input: Vec::new(),
            output: Vec::new(),
            output_rows: v,
            words_per_epoch: 0,
        };
        let subwords: Vec<Vec<u32>> = model.words.iter().map(|w| model.subword_rows(w)).collect();

        // Input rows uniform in [−1/d, 1/d) (fastText and gensim), output zero.
        let mut rng = Lcg(cfg.seed);
        let mut input: Vec<f32> = (0..(v + bucket) * d)
            .map(|_| {
                let u = (rng.next() >> 24) as f64 / (1u64 << 24) as f64;
                ((u * 2.0 - 1.0) / d as f64) as f32
            })
            .collect();
        let mut output = vec![0f32; v * d];
        let trainer = Trainer {
            cfg,
            d,
            input: Hogwild::new(&mut input),
            output: Hogwild::new(&mut output),
            subwords: &subwords,
            shift: subwords.iter().map(|r| mean_shift(r)).collect(),
            noise: NoiseTable::new(&vocab.counts, cfg.ns_exponent),
            sample_int: sample_thresholds(&vocab.counts, cfg.sample),
            sigmoid: SigmoidTable::new(),
        };
        let per_epoch: u64 = corpus.iter().map(|s| s.len() as u64).sum();
        let grand = (per_epoch * cfg.epochs as u64).max(1) as f64;
        let done = AtomicU64::new(0);
        let threads = cfg.threads.min(corpus.len().max(1));
        let jobs = job_bounds(&corpus);
        for epoch in 0..cfg.epochs {
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
                    let mut kept = Vec::with_capacity(MAX_SENTENCE);
                    let (mut work, mut neu1, mut acc) =
                        (vec![0f32; d], vec![0f32; d], vec![0f32; d]);
                    let trainer = &trainer;
                    move |s: &[u32], alpha: f32, rng: &mut Lcg| {
                        trainer.sentence(s, alpha, rng, &mut kept, &mut work, &mut neu1, &mut acc)
                    }
                },
            );
        }
        drop(trainer);
        model.input = input;
        model.output = output;
        model.words_per_epoch = per_epoch;
        Ok(model)
    }

    /// Reads a corpus file and trains on it.
    pub fn train_file(path: &Path, cfg: &FastTextConfig) -> Result<FastText, EmbedError> {
        let text = std::fs::read_to_string(path).map_err(|e| EmbedError::io(path, e))?;
        if text.split_whitespace().next().is_none() {
            return Err(EmbedError::Empty(format!(
                "{} has no words",
                path.display()
            )));
        }
        Self::train(&text, cfg)
    }

    /// The model in fastText's `.bin` format (version 12).
    pub fn to_bin_bytes(&self) -> Vec<u8> {
        let d = self.dim();
        let mut b = Vec::with_capacity((self.input.len() + self.output.len()) * 4 + 1024);
        let a = &self.args;
        for x in [MAGIC, VERSION] {
            b.extend(x.to_le_bytes());
        }
        for x in [
            a.dim,
            a.ws,
            a.epoch,
            a.min_count,
            a.neg,
            a.word_ngrams,
            a.loss,
            a.model,
            a.bucket,
            a.minn,
            a.maxn,
            a.lr_update_rate,
        ] {
            b.extend(x.to_le_bytes());
        }
        b.extend(a.t.to_le_bytes());
        let size = (self.words.len() + self.labels.len()) as i32;
        for x in [size, self.words.len() as i32, self.labels.len() as i32] {
            b.extend(x.to_le_bytes());
        }
        b.extend(self.ntokens.to_le_bytes());
        let prune_size: i64 = self.prune.as_ref().map_or(-1, |p| p.len() as i64);
        b.extend(prune_size.to_le_bytes());
        let entries = self
            .words
            .iter()
            .zip(&self.counts)
            .map(|(w, &c)| (w, c, 0u8))
            .chain(self.labels.iter().map(|(w, c)| (w, *c, 1u8)));
        for (w, c, t) in entries {
            b.extend(w.as_bytes());
            b.push(0);
            b.extend((c as i64).to_le_bytes());
            b.push(t);
        }
        for &(k, v) in self.prune.iter().flatten() {
            b.extend(k.to_le_bytes());
            b.extend(v.to_le_bytes());
        }
        let mut matrix = |rows: usize, data: &[f32]| {
            b.push(0); // not quantised
            b.extend((rows as i64).to_le_bytes());
            b.extend((d as i64).to_le_bytes());
            for x in data {
                b.extend(x.to_le_bytes());
            }
        };
        matrix(self.input.len() / d, &self.input);
        matrix(self.output_rows, &self.output);
        b
    }

    /// Writes the model in fastText's `.bin` format.
    pub fn save_bin(&self, path: &Path) -> Result<(), EmbedError> {
        crate::error::write_atomic(path, &self.to_bin_bytes())
    }

    /// Reads a fastText `.bin` model (fastText 0.9, gensim or ours).
    pub fn load_bin(path: &Path) -> Result<FastText, EmbedError> {
        let bytes = std::fs::read(path).map_err(|e| EmbedError::io(path, e))?;
        Self::from_bin_bytes(&bytes, path)
    }

    /// Parses `.bin` bytes; `path` only names the file in errors.
    pub fn from_bin_bytes(bytes: &[u8], path: &Path) -> Result<FastText, EmbedError> {
        let mut r = BinReader {
            b: bytes,
            pos: 0,
            path,
        };
        let magic = r.i32()?;
        if magic != MAGIC {
            return Err(r.bad(format!(
                "not a fastText .bin model (magic {magic}, expected {MAGIC})"
            )));
        }
        let version = r.i32()?;
        if version != VERSION && version != 11 {
            return Err(r.bad(format!(
                "fastText format version {version} is not supported (11 or 12)"
            )));
        }
        let mut f = [0i32; 12];
        for x in f.iter_mut() {
            *x = r.i32()?;
        }
        let args = BinArgs {
            dim: f[0],
            ws: f[1],
            epoch: f[2],
            min_count: f[3],
            neg: f[4],
            word_ngrams: f[5],
            loss: f[6],
            model: f[7],
            bucket: f[8],
            minn: f[9],
            maxn: f[10],
            lr_update_rate: f[11],
            t: r.f64()?,
        };
        if args.dim <= 0 || args.bucket < 0 {
            return Err(r.bad(format!(
                "bad header: dim {} bucket {}",
                args.dim, args.bucket
            )));
        }
        let size = r.i32()?;
        let nwords = r.i32()?;
        let nlabels = r.i32()?;
        if size < 0 || nwords < 0 || nlabels < 0 || size != nwords + nlabels {
            return Err(r.bad(format!(
                "bad dictionary sizes: size {size}, nwords {nwords}, nlabels {nlabels}"
            )));
        }
        let ntokens = r.i64()?;
        let prune_size = if version == 11 { -1 } else { r.i64()? };
        let mut words = Vec::with_capacity(nwords as usize);
        let mut counts = Vec::with_capacity(nwords as usize);
        let mut labels = Vec::new();
        for _ in 0..size {
            let w = r.cstring()?;
            let c = r.i64()?;
            match r.take(1)?[0] {
                0 => {
                    words.push(w);
                    counts.push(c.max(0) as u64);
                }
                1 => labels.push((w, c.max(0) as u64)),
                t => return Err(r.bad(format!("unknown dictionary entry type {t}"))),
            }
        }
        if words.len() != nwords as usize {
            return Err(r.bad(format!(
                "dictionary says {nwords} words but holds {}",
                words.len()
            )));
        }
        let prune = if prune_size >= 0 {
            let mut p = Vec::with_capacity(prune_size.min(1 << 24) as usize);
            for _ in 0..prune_size {
                p.push((r.i32()?, r.i32()?));
            }
            Some(p)
        } else {
            None
        };
        let d = args.dim as usize;
        let mut matrix = |name: &str| -> Result<(usize, Vec<f32>), EmbedError> {
            if r.take(1)?[0] != 0 {
                return Err(r.bad(format!(
                    "the {name} matrix is quantised (.ftz); only plain models are supported"
                )));
            }
            let m = r.i64()?;
            let n = r.i64()?;
            if m < 0 || n != d as i64 {
                return Err(r.bad(format!(
                    "{name} matrix is {m} x {n}, expected dimension {d}"
                )));
            }
            let raw = r.take((m as usize).saturating_mul(d).saturating_mul(4))?;
            let data = raw
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            Ok((m as usize, data))
        };
        let (in_rows, input) = matrix("input")?;
        let (output_rows, output) = matrix("output")?;
        let expected = nwords as usize
            + match &prune {
                None => args.bucket as usize,
                Some(p) => p.len(),
            };
        if in_rows < expected {
            return Err(EmbedError::Invalid(format!(
                "{}: input matrix has {in_rows} rows, the dictionary needs {expected}",
                path.display()
            )));
        }
        let index = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        let prune_map = prune.iter().flatten().copied().collect();
        Ok(FastText {
            args,
            words,
            counts,
            labels,
            ntokens,
            index,
            prune,
            prune_map,
            input,
            output,
            output_rows,
            words_per_epoch: 0,
        })
    }
}

struct BinReader<'a> {
    b: &'a [u8],
    pos: usize,
    path: &'a Path,
}

impl<'a> BinReader<'a> {
    fn bad(&self, message: String) -> EmbedError {
        EmbedError::Invalid(format!(
            "{}: byte {}: {message}",
            self.path.display(),
            self.pos
        ))
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], EmbedError> {
        if self.b.len() - self.pos < n {
            return Err(self.bad(format!(
                "truncated fastText model: needs {n} more bytes, {} left",
                self.b.len() - self.pos
            )));
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn i32(&mut self) -> Result<i32, EmbedError> {
        Ok(i32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn i64(&mut self) -> Result<i64, EmbedError> {
        Ok(i64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn f64(&mut self) -> Result<f64, EmbedError> {
        Ok(f64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn cstring(&mut self) -> Result<String, EmbedError> {
        let rest = &self.b[self.pos..];
        let end = rest
            .iter()
            .position(|&c| c == 0)
            .ok_or_else(|| self.bad("truncated fastText model: unterminated word".into()))?;
        let w = String::from_utf8_lossy(&rest[..end]).into_owned();
        self.pos += end + 1;
        Ok(w)
    }
}

struct Trainer<'a> {
    cfg: &'a FastTextConfig,
    d: usize,
    input: Hogwild,
    output: Hogwild,
    subwords: &'a [Vec<u32>],
    /// Σ c²/n over the rows of each word (1 when no row repeats).
    shift: Vec<f32>,
    noise: NoiseTable,
    sample_int: Vec<u32>,
    sigmoid: SigmoidTable,
}

impl Trainer<'_> {
    /// Negative sampling for `target` from `hidden`, the input gradient
    /// accumulated in `work`. `clamp`: σ clamped outside ±6 (CBOW) instead
    /// of skipping the example (skip-gram), as gensim.
    #[inline]
    fn output(
        &self,
        target: usize,
        hidden: &[f32],
        work: &mut [f32],
        alpha: f32,
        clamp: bool,
        rng: &mut Lcg,
    ) {
        let d = self.d;
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
            let l2 = self.output.row(t, d);
            let f = dot(hidden, l2);
            let s = if f <= -MAX_EXP {
                if !clamp {
                    continue;
                }
                0.0
            } else if f >= MAX_EXP {
                if !clamp {
                    continue;
                }
                1.0
            } else {
                self.sigmoid.get(f)
            };
            let g = (label - s) * alpha;
            axpy(g, l2, work);
            axpy(g, hidden, l2);
        }
    }

    /// Sum of the input rows of `word` into `acc`; returns how many.
    #[inline]
    fn add_rows(&self, word: usize, acc: &mut [f32]) -> usize {
        let rows = &self.subwords[word];
        for &r in rows {
            axpy(1.0, self.input.row(r as usize, self.d), acc);
        }
        rows.len()
    }

    #[inline]
    fn update_rows(&self, word: usize, work: &[f32]) {
        for &r in &self.subwords[word] {
            axpy(1.0, work, self.input.row(r as usize, self.d));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn sentence(
        &self,
        sent: &[u32],
        alpha: f32,
        rng: &mut Lcg,
        kept: &mut Vec<u32>,
        work: &mut [f32],
        neu1: &mut [f32],
        acc: &mut [f32],
    ) {
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
            // High bits (an LCG's low bits repeat with short periods).
            let b = (rng.int32() % win as u32) as usize;
            let lo = i.saturating_sub(win - b);
            let hi = (i + win + 1 - b).min(n);
            let centre = kept[i] as usize;
            if self.cfg.sg {
                // The centre's mean once; each pair's gradient moves it by
                // shift·work (see the module notes), the rows get the sum.
                neu1.iter_mut().for_each(|x| *x = 0.0);
                let count = self.add_rows(centre, neu1);
                let inv = 1.0 / count as f32;
                neu1.iter_mut().for_each(|x| *x *= inv);
                acc.iter_mut().for_each(|x| *x = 0.0);
                let shift = self.shift[centre];
                for (j, &ctx) in kept.iter().enumerate().take(hi).skip(lo) {
                    if j == i {
                        continue;
                    }
                    work.iter_mut().for_each(|x| *x = 0.0);
                    self.output(ctx as usize, neu1, work, alpha, false, rng);
                    axpy(shift, work, neu1);
                    axpy(1.0, work, acc);
                }
                self.update_rows(centre, acc);
            } else {
                neu1.iter_mut().for_each(|x| *x = 0.0);
                let mut count = 0usize;
                for (j, &ctx) in kept.iter().enumerate().take(hi).skip(lo) {
                    if j != i {
                        count += self.add_rows(ctx as usize, neu1);
                    }
                }
                if count == 0 {
                    continue;
                }
                let inv = 1.0 / count as f32;
                neu1.iter_mut().for_each(|x| *x *= inv);
                work.iter_mut().for_each(|x| *x = 0.0);
                self.output(centre, neu1, work, alpha, true, rng);
                for (j, &ctx) in kept.iter().enumerate().take(hi).skip(lo) {
                    if j != i {
                        self.update_rows(ctx as usize, work);
                    }
                }
            }
        }
    }
}

/// How far the mean of `rows` moves when `g` is added once per entry:
/// Σ_r c_r²/n · g for a row listed c_r times among n.
fn mean_shift(rows: &[u32]) -> f32 {
    if rows.is_empty() {
        return 0.0;
    }
    let mut sorted = rows.to_vec();
    sorted.sort_unstable();
    let mut sq = 0u64;
    for run in sorted.chunk_by(|a, b| a == b) {
        sq += (run.len() * run.len()) as u64;
    }
    sq as f32 / rows.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_rows_move_the_mean_further() {
        assert_eq!(mean_shift(&[1, 2, 3]), 1.0);
        // Rows 1,1,2: adding g to each entry gives row 1 +2g, row 2 +g; the
        // mean (2·r1 + r2)/3 moves by (2·2 + 1)/3 · g.
        assert_eq!(mean_shift(&[1, 2, 1]), 5.0 / 3.0);
    }

    /// The skip-gram shortcut against the plain per-pair re-averaging of
    /// gensim and fastText, one sentence, one thread, same random draws.
    #[test]
    fn skipgram_shortcut_equals_per_pair_updates() {
        let (v, bucket, d) = (4usize, 6usize, 5usize);
        let cfg = FastTextConfig {
            sg: true,
            dim: d,
            window: 3,
            negative: 2,
            sample: 0.0,
            ..FastTextConfig::default()
        };
        // Word 3 lists row 5 twice, as "<aaaa>" lists "aaa" twice.
        let subwords: Vec<Vec<u32>> =
            vec![vec![0, 4, 5], vec![1, 6, 7, 8], vec![2], vec![3, 5, 9, 5]];
        let mut rng = Lcg(3);
        let init: Vec<f32> = (0..(v + bucket) * d)
            .map(|_| ((rng.next() >> 24) as f32 / (1u64 << 24) as f32 - 0.5) / d as f32)
            .collect();
        let out0: Vec<f32> = (0..v * d).map(|i| (i as f32 * 0.37).sin() * 0.3).collect();
        let sent = [0u32, 3, 1, 2, 3, 0, 1];
        let counts = [5u64, 4, 3, 2];
        let (mut input, mut output) = (init.clone(), out0.clone());
        let t = Trainer {
            cfg: &cfg,
            d,
            input: Hogwild::new(&mut input),
            output: Hogwild::new(&mut output),
            subwords: &subwords,
            shift: subwords.iter().map(|r| mean_shift(r)).collect(),
            noise: NoiseTable::new(&counts, 0.75),
            sample_int: vec![u32::MAX; v],
            sigmoid: SigmoidTable::new(),
        };
        let (mut work, mut neu1, mut acc) = (vec![0f32; d], vec![0f32; d], vec![0f32; d]);
        t.sentence(
            &sent,
            0.5,
            &mut Lcg(9),
            &mut Vec::new(),
            &mut work,
            &mut neu1,
            &mut acc,
        );
        drop(t);
        // Plain version.
        let (mut input2, mut output2) = (init, out0);
        let t = Trainer {
            cfg: &cfg,
            d,
            input: Hogwild::new(&mut input2),
            output: Hogwild::new(&mut output2),
            subwords: &subwords,
            shift: vec![1.0; v],
            noise: NoiseTable::new(&counts, 0.75),
            sample_int: vec![u32::MAX; v],
            sigmoid: SigmoidTable::new(),
        };
        let mut rng = Lcg(9);
        let n = sent.len();
        for i in 0..n {
            let b = (rng.int32() % 3) as usize;
            let (lo, hi) = (i.saturating_sub(3 - b), (i + 4 - b).min(n));
            for j in lo..hi {
                if j == i {
                    continue;
                }
                neu1.iter_mut().for_each(|x| *x = 0.0);
                let c = t.add_rows(sent[i] as usize, &mut neu1);
                neu1.iter_mut().for_each(|x| *x /= c as f32);
                work.iter_mut().for_each(|x| *x = 0.0);
                t.output(sent[j] as usize, &neu1, &mut work, 0.5, false, &mut rng);
                t.update_rows(sent[i] as usize, &work);
            }
        }
        drop(t);
        let worst = input
            .iter()
            .zip(&input2)
            .chain(output.iter().zip(&output2))
            .map(|(a, b)| (a - b).abs())
            .fold(0f32, f32::max);
        assert!(worst < 1e-5, "shortcut differs by {worst}");
        assert!(output.iter().zip(&output2).any(|(a, _)| *a != 0.0));
    }

    #[test]
    fn oov_vector_is_mean_of_ngram_rows() {
        let text = "the cat sat on the mat\nthe dog sat on the log\n".repeat(20);
        let cfg = FastTextConfig {
            dim: 4,
            bucket: 50,
            min_count: 1,
            threads: 1,
            epochs: 1,
            ..FastTextConfig::default()
        };
        let m = FastText::train(&text, &cfg).unwrap();
        let rows = m.subword_rows("cats");
        assert!(!rows.is_empty() && rows.iter().all(|&r| r as usize >= m.nwords()));
        let v = m.word_vector("cats");
        let mut want = [0f32; 4];
        for &r in &rows {
            for (k, w) in want.iter_mut().enumerate() {
                *w += m.input[r as usize * 4 + k] / rows.len() as f32;
            }
        }
        for k in 0..4 {
            assert!((v[k] - want[k]).abs() < 1e-6);
        }
        let back = FastText::from_bin_bytes(&m.to_bin_bytes(), Path::new("m.bin")).unwrap();
        assert_eq!(back.word_vector("cats"), v);
        assert_eq!(back.words, m.words);
    }
}
