//! Unigram language-model training: the SentencePiece algorithm (Kudo 2018,
//! "Subword Regularization: Improving Neural Network Translation Models with
//! Multiple Subword Candidates", ACL, §3.2; sentencepiece's
//! `unigram_model_trainer.cc` and `trainer_interface.cc`).
//!
//! 1. **Sentences.** Each line is normalised with the model's own rules
//!    (`nmt_nfkc` by default, [`crate::sentencepiece_charsmap`]): spaces
//!    become `▁`, a `▁` is put in front. Special pieces in the text are cut
//!    out (replaced by a boundary no piece may cross). Lines longer than
//!    `max_sentence_length` bytes are skipped.
//! 2. **Characters.** Characters are counted; the most frequent ones that
//!    cover `character_coverage` of all occurrences (plus `required_chars`)
//!    form the alphabet, and every other character becomes the unknown
//!    marker `▅`, which no piece contains.
//! 3. **Seeds.** Every substring that occurs at least twice and is a node of
//!    the suffix tree ([`crate::suffix_array`]) is a candidate if it is a
//!    valid piece: at most `max_piece_length` characters, `▁` only in front
//!    (with `split_by_whitespace`), one Unicode script (Hiragana and Katakana
//!    count as Han; combining marks take their base's script; digits are
//!    Common unless `split_by_number` is off), no digit in a longer piece with
//!    `split_digits`. The alphabet plus the `seed_sentencepiece_size`
//!    candidates of largest frequency × length start the model, with
//!    log-probabilities proportional to those scores.
//! 4. **EM.** The sentences are cut into words at `▁` and counted. Each
//!    sub-iteration runs the E-step — forward–backward over every word's
//!    lattice of pieces, accumulating each piece's expected count (in
//!    parallel, rayon) — and the M-step: pieces expected fewer than 0.5 times
//!    are dropped, and log p(x) = ψ(c(x)) − ψ(Σ c), the digamma-based
//!    variational Bayes update that acts as a sparse prior (Liang et al.).
//! 5. **Pruning.** For each piece, the best segmentation of its own string
//!    without it is its alternative; the loss of removing it is its Viterbi
//!    frequency × (log p(x) − Σ log p(alternatives)) with the counts moved
//!    to the alternatives. Pieces whose own Viterbi path is split go first;
//!    the pieces of lowest loss go until the vocabulary has shrunk to
//!    `shrinking_factor` of its size. Steps 4–5 repeat until at most 1.1 ×
//!    `vocab_size` pieces are left.
//! 6. **Final.** The alphabet is always kept (unseen characters get the
//!    lowest score), then the best-scoring pieces up to `vocab_size` minus
//!    the special pieces, sorted by score. Special pieces take their ids
//!    (`<unk>` 0, `<s>` 1, `</s>` 2 by default), then control and
//!    user-defined symbols, then the 256 `<0xNN>` byte pieces with
//!    `byte_fallback`.
//!
//! The result is a [`ModelProto`] that [`crate::sentencepiece`] encodes with
//! and that [`ModelProto::save`] writes as a SentencePiece `.model`. It is
//! deterministic: the parallel E-step sums a fixed number of stripes in a
//! fixed order, whatever the thread count.
//!
//! Cost: seeding O(N) for N corpus characters (suffix array, about 16 bytes
//! per character while it runs); each EM iteration O(W · L · D) for W
//! distinct words of L characters and trie depth D, with memory O(V) per
//! stripe for V pieces; pruning one Viterbi pass plus one per piece.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::TextError;
use crate::sentencepiece_charsmap::NormalizationRule;
use crate::sentencepiece_model::{
    byte_to_piece, ModelProto, ModelType, NormalizerSpec, Piece, PieceType, TrainerSpec,
};
use crate::sentencepiece_normalizer::{utf8_len, Normalizer, PrefixMatcher};
use crate::suffix_array::{internal_nodes, lcp_array, suffix_array};
use crate::unicode_script::{script, Script};
use crate::unigram::PieceTrie;

/// `▁`: the whitespace marker.
const WS: char = '\u{2581}';
/// `▅`: stands for every character outside the alphabet.
const UNK_CHAR: char = '\u{2585}';
/// Replaces special pieces found in the text: no piece may contain it.
const BOUNDARY: char = '\t';
/// sentencepiece's `kUnkPenalty`.
const UNK_PENALTY: f64 = 10.0;
/// Pieces expected fewer times than this are dropped in the M-step.
const MIN_EXPECTED: f64 = 0.5;
/// The E-step works on this many interleaved stripes of the words, summed in
/// order, so the result does not depend on the number of threads.
const STRIPES: usize = 16;

/// Training parameters (sentencepiece's `TrainerSpec` names and defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnigramTrainerConfig {
    /// Final number of pieces, special pieces included.
    pub vocab_size: usize,
    /// Share of character occurrences the alphabet must cover.
    pub character_coverage: f64,
    /// Longest piece, in characters.
    pub max_piece_length: usize,
    /// Most frequent substrings kept as seeds (besides the alphabet).
    pub seed_sentencepiece_size: usize,
    /// Each pruning round keeps this share of the pieces.
    pub shrinking_factor: f64,
    /// EM iterations between prunings.
    pub num_sub_iterations: usize,
    /// Lines longer than this (bytes) are skipped.
    pub max_sentence_length: usize,
    /// Normalisation rules stored in the model.
    pub normalization: NormalizationRule,
    pub add_dummy_prefix: bool,
    pub remove_extra_whitespaces: bool,
    /// `▁` may only start a piece (and words are trained separately).
    pub split_by_whitespace: bool,
    pub split_by_unicode_script: bool,
    /// Digits have their own script (Common); off, they join any script.
    pub split_by_number: bool,
    /// Digits only as one-character pieces.
    pub split_digits: bool,
    /// Add the 256 `<0xNN>` pieces; unknown characters encode as bytes.
    pub byte_fallback: bool,
    /// Characters always in the alphabet.
    pub required_chars: String,
    pub unk_piece: String,
    pub bos_piece: String,
    pub eos_piece: String,
    pub pad_piece: String,
    /// Ids of the special pieces; −1 leaves one out (`<unk>` is required).
    pub unk_id: i32,
    pub bos_id: i32,
    pub eos_id: i32,
    pub pad_id: i32,
    /// Pieces that never appear in text (ids only).
    pub control_symbols: Vec<String>,
    /// Pieces always kept whole where they occur in text.
    pub user_defined_symbols: Vec<String>,
    /// Fail when the corpus cannot fill `vocab_size` (else return fewer).
    pub hard_vocab_limit: bool,
}

impl Default for UnigramTrainerConfig {
    fn default() -> Self {
        Self {
            vocab_size: 8000,
            character_coverage: 0.9995,
            max_piece_length: 16,
            seed_sentencepiece_size: 1_000_000,
            shrinking_factor: 0.75,
            num_sub_iterations: 2,
            max_sentence_length: 4192,
            normalization: NormalizationRule::NmtNfkc,
            add_dummy_prefix: true,
            remove_extra_whitespaces: true,
            split_by_whitespace: true,
            split_by_unicode_script: true,
            split_by_number: true,
            split_digits: false,
            byte_fallback: false,
            required_chars: String::new(),
            unk_piece: "<unk>".into(),
            bos_piece: "<s>".into(),
            eos_piece: "</s>".into(),
            pad_piece: "<pad>".into(),
            unk_id: 0,
            bos_id: 1,
            eos_id: 2,
            pad_id: -1,
            control_symbols: Vec::new(),
            user_defined_symbols: Vec::new(),
            hard_vocab_limit: true,
        }
    }
}

/// Figures of one training run, for logs and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnigramTrainStats {
    /// Sentences used (non-empty after normalisation).
    pub sentences: usize,
    /// Distinct words the EM ran on.
    pub words: usize,
    /// Alphabet size.
    pub alphabet: usize,
    /// Seed pieces (alphabet included).
    pub seeds: usize,
    /// Pieces after each pruning round, then at the end of EM.
    pub sizes: Vec<usize>,
    /// Negative log-likelihood per sentence at each E-step.
    pub objectives: Vec<f64>,
}

/// The Unigram trainer (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct UnigramTrainer {
    pub config: UnigramTrainerConfig,
}

/// The special pieces by id.
type MetaPieces = BTreeMap<usize, (String, PieceType)>;

fn invalid(message: String) -> TextError {
    TextError::Invalid(format!("Unigram training: {message}"))
}

impl UnigramTrainer {
    pub fn new(config: UnigramTrainerConfig) -> Self {
        Self { config }
    }

    /// Trains on the lines of `paths` (each line one sentence).
    pub fn train_files<P: AsRef<Path>>(&self, paths: &[P]) -> Result<ModelProto, TextError> {
        let mut lines = Vec::new();
        for p in paths {
            let text = crate::error::read_utf8(p.as_ref())?;
            lines.extend(text.lines().map(str::to_owned));
        }
        self.train(&lines)
    }

    /// Trains on `sentences` (one per item, usually corpus lines).
    pub fn train<S: AsRef<str> + Sync>(&self, sentences: &[S]) -> Result<ModelProto, TextError> {
        self.train_with_stats(sentences).map(|(m, _)| m)
    }

    /// Trains and reports figures of the run.
    pub fn train_with_stats<S: AsRef<str> + Sync>(
        &self,
        sentences: &[S],
    ) -> Result<(ModelProto, UnigramTrainStats), TextError> {
        let c = &self.config;
        self.check_config()?;
        let meta = self.meta_pieces()?;
        // Cheap early exit before the normaliser is built.
        if sentences.iter().all(|s| s.as_ref().trim().is_empty()) {
            return Err(TextError::UnigramEmptyCorpus);
        }
        let mut stats = UnigramTrainStats::default();

        // 1. Normalised sentences, special pieces cut out.
        let spec = self.normalizer_spec();
        let normalizer = Normalizer::new(
            &spec,
            false,
            PrefixMatcher::default(),
            Path::new("<unigram training>"),
        )?;
        let matcher = PrefixMatcher::new(meta.values().map(|(p, _)| p.as_str()));
        let mut sents: Vec<(String, u64)> = sentences
            .par_iter()
            .filter_map(|s| {
                let s = s.as_ref();
                if s.is_empty() || s.len() > c.max_sentence_length || s.contains(UNK_CHAR) {
                    return None;
                }
                let (norm, _) = normalizer.normalize(s);
                let norm = replace_specials(&norm, &matcher);
                (!norm.is_empty()).then_some((norm, 1))
            })
            .collect();
        if sents.is_empty() {
            return Err(TextError::UnigramEmptyCorpus);
        }
        stats.sentences = sents.len();

        // 2. Alphabet.
        let required = self.required_chars(&sents);
        stats.alphabet = required.len();
        let n_special = meta.len();
        if required.len() + n_special > c.vocab_size {
            return Err(TextError::UnigramVocabTooSmall {
                vocab_size: c.vocab_size,
                alphabet: required.len(),
                specials: n_special,
            });
        }
        let in_alphabet: HashMap<char, u64> = required.iter().copied().collect();
        sents.par_iter_mut().for_each(|(s, _)| {
            if s.chars().any(|ch| !in_alphabet.contains_key(&ch)) {
                *s = s
                    .chars()
                    .map(|ch| {
                        if in_alphabet.contains_key(&ch) {
                            ch
                        } else {
                            UNK_CHAR
                        }
                    })
                    .collect();
            }
        });

        // 3. Seeds.
        let seeds = self.seed_pieces(&sents);
        stats.seeds = seeds.len();
        let mut model = Lm::new(seeds);

        // 4–5. EM and pruning over distinct words.
        let words = if c.split_by_whitespace {
            split_words(&sents)
        } else {
            let mut m: HashMap<String, u64> = HashMap::new();
            for (s, f) in sents {
                *m.entry(s).or_default() += f;
            }
            sort_by_count(m)
        };
        stats.words = words.len();
        let desired = (c.vocab_size as f64 * 1.1) as usize;
        loop {
            for _ in 0..c.num_sub_iterations {
                let (expected, objective) = model.e_step(&words);
                stats.objectives.push(objective);
                model = model.m_step(&expected);
            }
            stats.sizes.push(model.pieces.len());
            if model.pieces.len() <= desired {
                break;
            }
            let before = model.pieces.len();
            model = model.prune(&words, desired, c.shrinking_factor);
            if model.pieces.len() >= before {
                break; // nothing left to prune
            }
        }

        // 6. Final vocabulary.
        let finals = self.finalize(&model, &required, n_special)?;
        Ok((self.build_proto(&meta, finals), stats))
    }

    fn check_config(&self) -> Result<(), TextError> {
        let c = &self.config;
        if c.vocab_size == 0 || c.vocab_size > i32::MAX as usize {
            return Err(invalid(format!(
                "vocab_size {} must be at least 1",
                c.vocab_size
            )));
        }
        if !(c.character_coverage > 0.0 && c.character_coverage <= 1.0) {
            return Err(invalid(format!(
                "character_coverage {} must be in (0, 1]",
                c.character_coverage
            )));
        }
        if !(0.5..=0.95).contains(&c.shrinking_factor) {
            return Err(invalid(format!(
                "shrinking_factor {} must be in [0.5, 0.95]",
                c.shrinking_factor
            )));
        }
        if !(1..=512).contains(&c.max_piece_length) {
            return Err(invalid(format!(
                "max_piece_length {} must be in 1..=512",
                c.max_piece_length
            )));
        }
        if !(1..=10).contains(&c.num_sub_iterations) {
            return Err(invalid(format!(
                "num_sub_iterations {} must be in 1..=10",
                c.num_sub_iterations
            )));
        }
        if c.seed_sentencepiece_size == 0 {
            return Err(invalid("seed_sentencepiece_size must be at least 1".into()));
        }
        Ok(())
    }

    /// The special pieces at their ids, as sentencepiece's `InitMetaPieces`.
    fn meta_pieces(&self) -> Result<MetaPieces, TextError> {
        let c = &self.config;
        let mut meta = MetaPieces::new();
        let mut place = |id: i32, piece: &str, kind: PieceType| -> Result<(), TextError> {
            if id < 0 {
                return Ok(());
            }
            let id = id as usize;
            if piece.is_empty() {
                return Err(invalid(format!("the special piece at id {id} is empty")));
            }
            if id >= c.vocab_size {
                return Err(invalid(format!(
                    "special piece {piece:?} has id {id}, outside vocab_size {}",
                    c.vocab_size
                )));
            }
            if let Some((other, _)) = meta.insert(id, (piece.to_owned(), kind)) {
                return Err(invalid(format!(
                    "special pieces {other:?} and {piece:?} both have id {id}"
                )));
            }
            Ok(())
        };
        if c.unk_id < 0 {
            return Err(invalid(format!(
                "unk_id is {}; the unknown piece is required",
                c.unk_id
            )));
        }
        place(c.unk_id, &c.unk_piece, PieceType::Unknown)?;
        place(c.bos_id, &c.bos_piece, PieceType::Control)?;
        place(c.eos_id, &c.eos_piece, PieceType::Control)?;
        place(c.pad_id, &c.pad_piece, PieceType::Control)?;
        let mut seen: std::collections::HashSet<String> =
            meta.values().map(|(p, _)| p.clone()).collect();
        let extra = c
            .control_symbols
            .iter()
            .map(|s| (s, PieceType::Control))
            .chain(
                c.user_defined_symbols
                    .iter()
                    .map(|s| (s, PieceType::UserDefined)),
            );
        let bytes: Vec<String> = if c.byte_fallback {
            (0..=255u8).map(byte_to_piece).collect()
        } else {
            Vec::new()
        };
        let mut next = 0usize;
        for (s, kind) in extra.chain(bytes.iter().map(|b| (b, PieceType::Byte))) {
            if s.is_empty() {
                return Err(invalid("a special token is empty".into()));
            }
            if *s == c.unk_piece {
                return Err(invalid(format!(
                    "{s:?} is the unknown piece; it cannot also be a control or user-defined symbol"
                )));
            }
            // A symbol naming <s>, </s> or <pad> changes that piece's type.
            if let Some((_, slot)) = meta.values_mut().find(|(p, _)| p == s) {
                if kind != PieceType::Byte && *slot == PieceType::Control {
                    *slot = kind;
                    continue;
                }
            }
            if !seen.insert(s.clone()) {
                return Err(invalid(format!("special token {s:?} is given twice")));
            }
            while meta.contains_key(&next) {
                next += 1;
            }
            meta.insert(next, (s.clone(), kind));
        }
        if meta.len() > c.vocab_size {
            return Err(TextError::UnigramVocabTooSmall {
                vocab_size: c.vocab_size,
                alphabet: 0,
                specials: meta.len(),
            });
        }
        Ok(meta)
    }

    fn normalizer_spec(&self) -> NormalizerSpec {
        let c = &self.config;
        NormalizerSpec {
            name: c.normalization.name().into(),
            precompiled_charsmap: c.normalization.precompiled_charsmap().to_vec(),
            add_dummy_prefix: c.add_dummy_prefix,
            remove_extra_whitespaces: c.remove_extra_whitespaces,
            escape_whitespaces: true,
            normalization_rule_tsv: String::new(),
        }
    }

    /// The alphabet with counts, most frequent first (required ones first).
    fn required_chars(&self, sents: &[(String, u64)]) -> Vec<(char, u64)> {
        let counts = sents
            .par_chunks(1024)
            .map(|chunk| {
                let mut m: HashMap<char, u64> = HashMap::new();
                for (s, f) in chunk {
                    for ch in s.chars() {
                        if ch != '\0' && ch != ' ' {
                            *m.entry(ch).or_default() += f;
                        }
                    }
                }
                m
            })
            .reduce(HashMap::new, |mut a, b| {
                for (k, v) in b {
                    *a.entry(k).or_default() += v;
                }
                a
            });
        let total: u64 = counts.values().sum();
        let mut all: Vec<(bool, u64, char)> = counts
            .into_iter()
            .map(|(ch, n)| (self.config.required_chars.contains(ch), n, ch))
            .collect();
        for ch in self.config.required_chars.chars() {
            if ch != '\0' && !all.iter().any(|&(_, _, c)| c == ch) {
                all.push((true, 0, ch));
            }
        }
        all.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)).then(a.2.cmp(&b.2)));
        let mut out = Vec::new();
        let mut covered = 0u64;
        for (_, n, ch) in all {
            let coverage = if total == 0 {
                1.0
            } else {
                covered as f64 / total as f64
            };
            if coverage >= self.config.character_coverage {
                break;
            }
            covered += n;
            if ch == BOUNDARY {
                continue;
            }
            out.push((ch, n));
        }
        out
    }

    /// Whether `piece` may be a vocabulary piece (`IsValidSentencePiece`).
    fn is_valid_piece(&self, piece: &[char]) -> bool {
        let c = &self.config;
        if piece.is_empty() || piece.len() > c.max_piece_length {
            return false;
        }
        let mut prev: Option<Script> = None;
        for (pos, &ch) in piece.iter().enumerate() {
            if ch == UNK_CHAR || ch == '\0' || ch == BOUNDARY || ch == ' ' {
                return false;
            }
            if ch == WS {
                let bad = if c.split_by_whitespace {
                    pos > 0
                } else {
                    pos > 0 && pos == piece.len() - 1
                };
                if bad {
                    return false;
                }
                continue;
            }
            let mut s = Some(script(ch));
            if s == Some(Script::HIRAGANA) || s == Some(Script::KATAKANA) || ch == '\u{30FC}' {
                s = Some(Script::HAN);
            } else if s == Some(Script::INHERITED) {
                s = prev;
            }
            let digit = ch.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&ch);
            if !c.split_by_number && digit {
                s = None;
            }
            if c.split_digits && digit && piece.len() > 1 {
                return false;
            }
            if c.split_by_unicode_script && s.is_some() && prev.is_some() && prev != s {
                return false;
            }
            prev = s;
        }
        true
    }

    /// The alphabet and the most frequent substrings, as log-probabilities.
    fn seed_pieces(&self, sents: &[(String, u64)]) -> Vec<(String, f64)> {
        // Characters by rank: 0 = end sentinel, 1 = sentence boundary.
        let mut chars: Vec<char> = sents
            .iter()
            .flat_map(|(s, _)| s.chars())
            .collect::<std::collections::BTreeSet<char>>()
            .into_iter()
            .collect();
        chars.sort_unstable();
        let rank: HashMap<char, u32> = chars
            .iter()
            .enumerate()
            .map(|(i, &c)| (c, i as u32 + 2))
            .collect();
        let mut text: Vec<u32> = Vec::new();
        let mut all_chars: HashMap<char, u64> = HashMap::new();
        for (s, f) in sents {
            for ch in s.chars() {
                text.push(rank[&ch]);
                if ch != UNK_CHAR {
                    *all_chars.entry(ch).or_default() += f;
                }
            }
            text.push(1);
        }
        text.push(0);
        let sa = suffix_array(&text, chars.len() + 2);
        let lcp = lcp_array(&text, &sa);
        let max_len = self.config.max_piece_length as u32;
        let mut candidates: Vec<(u64, u32, u32)> = Vec::new(); // (score, lb, depth)
        let mut buf: Vec<char> = Vec::new();
        internal_nodes(&lcp, |depth, lb, rb| {
            if depth < 2 || depth > max_len {
                return;
            }
            let start = sa[lb] as usize;
            let sub = &text[start..start + depth as usize];
            if sub.iter().any(|&r| r < 2) {
                return;
            }
            buf.clear();
            buf.extend(sub.iter().map(|&r| chars[r as usize - 2]));
            if !self.is_valid_piece(&buf) {
                return;
            }
            let freq = (rb - lb + 1) as u64;
            candidates.push((freq * depth as u64, lb as u32, depth));
        });
        candidates.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        candidates.truncate(self.config.seed_sentencepiece_size);

        let mut seeds: Vec<(String, f64)> = Vec::new();
        let mut alphabet: Vec<(char, u64)> = all_chars.into_iter().collect();
        alphabet.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (ch, n) in alphabet {
            seeds.push((ch.to_string(), n as f64));
        }
        for (score, lb, depth) in candidates {
            let start = sa[lb as usize] as usize;
            let s: String = text[start..start + depth as usize]
                .iter()
                .map(|&r| chars[r as usize - 2])
                .collect();
            seeds.push((s, score as f64));
        }
        let logsum = seeds.iter().map(|s| s.1).sum::<f64>().ln();
        for s in seeds.iter_mut() {
            s.1 = s.1.ln() - logsum;
        }
        seeds
    }

    /// `FinalizeSentencePieces`: the alphabet, then the best pieces.
    fn finalize(
        &self,
        model: &Lm,
        required: &[(char, u64)],
        n_special: usize,
    ) -> Result<Vec<(String, f64)>, TextError> {
        let c = &self.config;
        let have: HashMap<&str, f64> = model.pieces.iter().map(|(p, s)| (p.as_str(), *s)).collect();
        let mut finals: HashMap<String, f64> = HashMap::new();
        let mut penalty = 0.0;
        // Required characters, most frequent first (the order they came in).
        for &(ch, _) in required {
            let s = ch.to_string();
            let score = match have.get(s.as_str()) {
                Some(&v) => v,
                None => {
                    let v = model.min_score + penalty;
                    penalty += 0.0001;
                    v
                }
            };
            finals.insert(s, score);
        }
        let room = c.vocab_size - n_special;
        let mut rest: Vec<&(String, f64)> = model.pieces.iter().collect();
        rest.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (p, s) in rest {
            if finals.contains_key(p) {
                continue;
            }
            if finals.len() >= room {
                break;
            }
            finals.insert(p.clone(), *s);
        }
        if c.hard_vocab_limit && finals.len() < room {
            return Err(TextError::UnigramVocabTooLarge {
                vocab_size: c.vocab_size,
                maximum: finals.len() + n_special,
            });
        }
        let mut out: Vec<(String, f64)> = finals.into_iter().collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(out)
    }

    fn build_proto(&self, meta: &MetaPieces, finals: Vec<(String, f64)>) -> ModelProto {
        let c = &self.config;
        let mut pieces = Vec::with_capacity(meta.len() + finals.len());
        let mut it = finals.into_iter();
        let total = meta.len() + it.len();
        for id in 0..total {
            match meta.get(&id) {
                Some((p, kind)) => pieces.push(Piece {
                    piece: p.clone(),
                    score: 0.0,
                    kind: *kind,
                }),
                None => {
                    if let Some((p, s)) = it.next() {
                        pieces.push(Piece {
                            piece: p,
                            score: s as f32,
                            kind: PieceType::Normal,
                        });
                    }
                }
            }
        }
        let trainer_spec = TrainerSpec {
            model_type: ModelType::Unigram,
            vocab_size: pieces.len() as i32,
            max_sentencepiece_length: c.max_piece_length as i32,
            split_by_whitespace: c.split_by_whitespace,
            treat_whitespace_as_suffix: false,
            split_digits: c.split_digits,
            allow_whitespace_only_pieces: false,
            byte_fallback: c.byte_fallback,
            unk_id: c.unk_id,
            bos_id: c.bos_id,
            eos_id: c.eos_id,
            pad_id: c.pad_id,
            unk_surface: " \u{2047} ".into(),
            unk_piece: c.unk_piece.clone(),
            bos_piece: c.bos_piece.clone(),
            eos_piece: c.eos_piece.clone(),
            pad_piece: c.pad_piece.clone(),
            character_coverage: c.character_coverage as f32,
            seed_sentencepiece_size: c.seed_sentencepiece_size.min(i32::MAX as usize) as i32,
            shrinking_factor: c.shrinking_factor as f32,
            num_threads: rayon::current_num_threads() as i32,
            num_sub_iterations: c.num_sub_iterations as i32,
            max_sentence_length: c.max_sentence_length.min(i32::MAX as usize) as i32,
            split_by_unicode_script: c.split_by_unicode_script,
            split_by_number: c.split_by_number,
            control_symbols: c.control_symbols.clone(),
            user_defined_symbols: c.user_defined_symbols.clone(),
            hard_vocab_limit: c.hard_vocab_limit,
            required_chars: c.required_chars.clone(),
        };
        ModelProto {
            pieces,
            trainer_spec,
            normalizer_spec: self.normalizer_spec(),
            denormalizer_spec: None,
        }
    }
}

/// The log-likelihood Σ log P(x) of `texts` under a Unigram model: for each
/// normalised text, log of the sum over all its segmentations into NORMAL
/// pieces of the product of piece probabilities (forward algorithm;
/// characters no piece covers score min − 10, as in encoding). Natural log.
pub fn log_likelihood<S: AsRef<str> + Sync>(
    model: &ModelProto,
    texts: &[S],
) -> Result<f64, TextError> {
    let normalizer = Normalizer::new(
        &model.normalizer_spec,
        model.trainer_spec.treat_whitespace_as_suffix,
        PrefixMatcher::default(),
        Path::new("<log-likelihood>"),
    )?;
    let lm = Lm::new(
        model
            .pieces
            .iter()
            .filter(|p| p.kind == PieceType::Normal)
            .map(|p| (p.piece.clone(), f64::from(p.score)))
            .collect(),
    );
    let total = texts
        .par_iter()
        .map_init(
            || (Vec::new(), Vec::new(), Vec::new(), Vec::new()),
            |(nodes, alpha, beta, sink), t| {
                let (norm, _) = normalizer.normalize(t.as_ref());
                if norm.is_empty() {
                    return 0.0;
                }
                lm.lattice(&norm, nodes);
                sink.clear();
                sink.resize(lm.pieces.len(), 0.0);
                Lm::marginals(nodes, norm.len(), 1.0, alpha, beta, sink)
            },
        )
        .collect::<Vec<f64>>();
    Ok(total.iter().sum())
}

/// Replaces each special piece in `s` with the boundary character.
fn replace_specials(s: &[u8], matcher: &PrefixMatcher) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if let Some(n) = matcher.longest(&s[i..]) {
            out.push(BOUNDARY as u8);
            i += n;
        } else {
            let n = utf8_len(s[i]).min(s.len() - i);
            out.extend_from_slice(&s[i..i + n]);
            i += n;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Distinct words (a word starts at each `▁`) with counts, most frequent
/// first (`SplitSentencesByWhitespace`).
fn split_words(sents: &[(String, u64)]) -> Vec<(String, u64)> {
    let mut m: HashMap<String, u64> = HashMap::new();
    for (s, f) in sents {
        let mut start = 0;
        for (i, ch) in s.char_indices() {
            if ch == WS && i > 0 {
                *m.entry(s[start..i].to_owned()).or_default() += f;
                start = i;
            }
        }
        if start < s.len() {
            *m.entry(s[start..].to_owned()).or_default() += f;
        }
    }
    sort_by_count(m)
}

fn sort_by_count(m: HashMap<String, u64>) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// ψ(x), the digamma function: recurrence up to x ≥ 7, then the asymptotic
/// series ψ(x) ≈ ln(x − ½) + 1/(24 y²) − 7/(960 y⁴) + 31/(8064 y⁶) −
/// 127/(30720 y⁸) with y = x − ½.
pub fn digamma(mut x: f64) -> f64 {
    let mut r = 0.0;
    while x < 7.0 {
        r -= 1.0 / x;
        x += 1.0;
    }
    let y = x - 0.5;
    let y2 = 1.0 / (y * y);
    let y4 = y2 * y2;
    r + y.ln() + y2 / 24.0 - 7.0 / 960.0 * y4 + 31.0 / 8064.0 * y4 * y2 - 127.0 / 30720.0 * y4 * y4
}

/// log(e^a + e^b).
fn log_add(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    hi + (lo - hi).exp().ln_1p()
}

/// One lattice node: a piece (or the unknown, `id == u32::MAX`) spanning
/// bytes `start..end`.
#[derive(Clone, Copy)]
struct Node {
    start: u32,
    end: u32,
    id: u32,
    score: f64,
}

const UNK: u32 = u32::MAX;

/// The model being trained: pieces with log-probabilities.
struct Lm {
    pieces: Vec<(String, f64)>,
    trie: PieceTrie,
    min_score: f64,
}

impl Lm {
    fn new(pieces: Vec<(String, f64)>) -> Self {
        let trie = PieceTrie::new(
            pieces
                .iter()
                .enumerate()
                .map(|(i, (p, _))| (p.as_bytes(), i as u32)),
        );
        let min_score = pieces.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        Self {
            pieces,
            trie,
            min_score,
        }
    }

    /// All pieces of `s` (`PopulateNodes`): every vocabulary piece starting
    /// at each character, plus an unknown node where no one-character piece
    /// does. Nodes come out ordered by start.
    fn lattice(&self, s: &[u8], nodes: &mut Vec<Node>) {
        nodes.clear();
        let unk = self.min_score - UNK_PENALTY;
        let mut start = 0;
        while start < s.len() {
            let mblen = utf8_len(s[start]).min(s.len() - start);
            let mut single = false;
            self.trie.prefixes(&s[start..], |len, id| {
                nodes.push(Node {
                    start: start as u32,
                    end: (start + len) as u32,
                    id,
                    score: self.pieces[id as usize].1,
                });
                single |= len == mblen;
            });
            if !single {
                nodes.push(Node {
                    start: start as u32,
                    end: (start + mblen) as u32,
                    id: UNK,
                    score: unk,
                });
            }
            start += mblen;
        }
    }

    /// Forward–backward: adds `freq` × each piece's posterior count to
    /// `expected`; returns log Z.
    fn marginals(
        nodes: &[Node],
        len: usize,
        freq: f64,
        alpha: &mut Vec<f64>,
        beta: &mut Vec<f64>,
        expected: &mut [f64],
    ) -> f64 {
        alpha.clear();
        alpha.resize(len + 1, f64::NEG_INFINITY);
        beta.clear();
        beta.resize(len + 1, f64::NEG_INFINITY);
        alpha[0] = 0.0;
        for n in nodes {
            let (s, e) = (n.start as usize, n.end as usize);
            alpha[e] = log_add(alpha[e], alpha[s] + n.score);
        }
        beta[len] = 0.0;
        for n in nodes.iter().rev() {
            let (s, e) = (n.start as usize, n.end as usize);
            beta[s] = log_add(beta[s], n.score + beta[e]);
        }
        let z = alpha[len];
        for n in nodes {
            if n.id != UNK {
                let (s, e) = (n.start as usize, n.end as usize);
                expected[n.id as usize] += freq * (alpha[s] + n.score + beta[e] - z).exp();
            }
        }
        z
    }

    /// The best path's nodes, in order; `skip` excludes one node (by index).
    fn viterbi(
        nodes: &[Node],
        len: usize,
        skip: Option<usize>,
        best: &mut Vec<(f64, u32)>,
    ) -> Option<(f64, Vec<u32>)> {
        best.clear();
        best.resize(len + 1, (f64::NEG_INFINITY, u32::MAX));
        best[0] = (0.0, u32::MAX);
        for (i, n) in nodes.iter().enumerate() {
            if Some(i) == skip {
                continue;
            }
            let (s, e) = (n.start as usize, n.end as usize);
            if best[s].0 == f64::NEG_INFINITY {
                continue;
            }
            let cand = best[s].0 + n.score;
            if best[e].1 == u32::MAX || cand > best[e].0 {
                best[e] = (cand, i as u32);
            }
        }
        if best[len].1 == u32::MAX && len > 0 {
            return None;
        }
        let mut path = Vec::new();
        let mut e = len;
        while e > 0 {
            let i = best[e].1 as usize;
            path.push(i as u32);
            e = nodes[i].start as usize;
        }
        path.reverse();
        Some((best[len].0, path))
    }

    /// E-step over the words: expected counts and the negative
    /// log-likelihood per sentence.
    fn e_step(&self, words: &[(String, u64)]) -> (Vec<f64>, f64) {
        let v = self.pieces.len();
        let parts: Vec<(Vec<f64>, f64)> = (0..STRIPES)
            .into_par_iter()
            .map(|k| {
                let mut expected = vec![0.0; v];
                let mut z_sum = 0.0;
                let (mut nodes, mut alpha, mut beta) = (Vec::new(), Vec::new(), Vec::new());
                for (w, f) in words.iter().skip(k).step_by(STRIPES) {
                    self.lattice(w.as_bytes(), &mut nodes);
                    let z = Self::marginals(
                        &nodes,
                        w.len(),
                        *f as f64,
                        &mut alpha,
                        &mut beta,
                        &mut expected,
                    );
                    z_sum += *f as f64 * z;
                }
                (expected, z_sum)
            })
            .collect();
        let total: f64 = words.iter().map(|w| w.1 as f64).sum();
        let mut expected = vec![0.0; v];
        let mut z = 0.0;
        for (e, zs) in parts {
            for (a, b) in expected.iter_mut().zip(e) {
                *a += b;
            }
            z += zs;
        }
        (expected, -z / total)
    }

    /// M-step: drop rare pieces, digamma update of the rest.
    fn m_step(self, expected: &[f64]) -> Self {
        let kept: Vec<(String, f64)> = self
            .pieces
            .into_iter()
            .zip(expected)
            .filter(|(_, &e)| e >= MIN_EXPECTED)
            .map(|((p, _), &e)| (p, e))
            .collect();
        let sum: f64 = kept.iter().map(|p| p.1).sum();
        let logsum = digamma(sum);
        Self::new(
            kept.into_iter()
                .map(|(p, e)| (p, digamma(e) - logsum))
                .collect(),
        )
    }

    /// `PruneSentencePieces`.
    fn prune(self, words: &[(String, u64)], desired: usize, shrinking: f64) -> Self {
        let v = self.pieces.len();
        // Alternatives: the best segmentation of each piece without itself.
        // None = always keep without alternatives; Some(empty) = removable.
        let alts: Vec<Option<Vec<u32>>> = self
            .pieces
            .par_iter()
            .enumerate()
            .map_init(
                || (Vec::new(), Vec::new()),
                |(nodes, best), (i, (p, score))| {
                    self.lattice(p.as_bytes(), nodes);
                    let own = nodes.iter().position(|n| {
                        n.id == i as u32 && n.start == 0 && n.end as usize == p.len()
                    });
                    let alt = Self::viterbi(nodes, p.len(), own, best);
                    match alt {
                        None => None,
                        Some((alt_score, _)) if alt_score > *score => Some(Vec::new()),
                        Some((_, path)) => {
                            let ids: Vec<u32> =
                                path.iter().map(|&k| nodes[k as usize].id).collect();
                            if ids.contains(&UNK) {
                                None
                            } else {
                                Some(ids)
                            }
                        }
                    }
                },
            )
            .collect();
        // Viterbi frequencies over the corpus.
        let parts: Vec<Vec<f64>> = (0..STRIPES)
            .into_par_iter()
            .map(|k| {
                let mut freq = vec![0.0; v];
                let (mut nodes, mut best) = (Vec::new(), Vec::new());
                for (w, f) in words.iter().skip(k).step_by(STRIPES) {
                    self.lattice(w.as_bytes(), &mut nodes);
                    if let Some((_, path)) = Self::viterbi(&nodes, w.len(), None, &mut best) {
                        for i in path {
                            let id = nodes[i as usize].id;
                            if id != UNK {
                                freq[id as usize] += *f as f64;
                            }
                        }
                    }
                }
                freq
            })
            .collect();
        let mut freq = vec![0.0; v];
        for p in parts {
            for (a, b) in freq.iter_mut().zip(p) {
                *a += b;
            }
        }
        let vsum: f64 = words.iter().map(|w| w.1 as f64).sum();
        let sum: f64 = freq.iter().sum();
        let logsum = sum.ln();
        let mut kept: Vec<usize> = Vec::new();
        let mut candidates: Vec<(usize, f64)> = Vec::new();
        for i in 0..v {
            match &alts[i] {
                _ if freq[i] == 0.0 => {}
                Some(a) if a.is_empty() => {}
                None => kept.push(i),
                Some(a) => {
                    let f = freq[i] / vsum;
                    let logprob_sp = freq[i].ln() - logsum;
                    let logsum_alt = (sum + freq[i] * (a.len() as f64 - 1.0)).ln();
                    let logprob_alt: f64 = a
                        .iter()
                        .map(|&n| (freq[n as usize] + freq[i]).ln() - logsum_alt)
                        .sum();
                    candidates.push((i, f * (logprob_sp - logprob_alt)));
                }
            }
        }
        let target = desired.max((shrinking * v as f64) as usize);
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for (i, _) in candidates {
            if kept.len() >= target {
                break;
            }
            kept.push(i);
        }
        let mut keep = vec![false; v];
        for i in kept {
            keep[i] = true;
        }
        // Keep the pieces' previous order (the candidates were appended in
        // loss order in sentencepiece; order only matters for ties).
        Self::new(
            self.pieces
                .into_iter()
                .zip(keep)
                .filter(|(_, k)| *k)
                .map(|(p, _)| p)
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digamma_matches_known_values() {
        // ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2.
        let gamma = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + gamma).abs() < 1e-9);
        assert!((digamma(0.5) + gamma + 2.0 * 2f64.ln()).abs() < 1e-9);
        assert!((digamma(100.0) - 4.600_161_852_738_087).abs() < 1e-9);
    }

    #[test]
    fn piece_validity_follows_sentencepiece() {
        let t = UnigramTrainer::default();
        let ok = |s: &str| t.is_valid_piece(&s.chars().collect::<Vec<_>>());
        assert!(ok("▁the"));
        assert!(!ok("the▁"));
        assert!(!ok("a,")); // Latin + Common
        assert!(ok("▁,,"));
        assert!(ok("12"));
        assert!(!ok("1st"));
        assert!(ok("é"));
        assert!(ok("e\u{301}x")); // the combining mark takes the base's script
        assert!(ok("ひらカタ漢"));
        assert!(!ok("▅a"));
        assert!(!ok(&"a".repeat(17)));
    }

    #[test]
    fn trains_a_tiny_corpus() {
        let lines: Vec<String> = (0..50)
            .map(|i| format!("the cat sat on the mat {i} and the hat"))
            .collect();
        let t = UnigramTrainer::new(UnigramTrainerConfig {
            vocab_size: 25,
            // No charsmap to build: keeps the unit test fast in debug.
            normalization: NormalizationRule::Identity,
            ..Default::default()
        });
        let m = t.train(&lines).unwrap();
        assert_eq!(m.pieces.len(), 25);
        assert_eq!(m.pieces[0].kind, PieceType::Unknown);
        assert_eq!(m.pieces[1].piece, "<s>");
        let again = t.train(&lines).unwrap();
        assert_eq!(m, again);
    }
}
