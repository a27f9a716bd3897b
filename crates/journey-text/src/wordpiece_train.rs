//! WordPiece vocabulary training, as HF `tokenizers` does it.
//!
//! Google's WordPiece (Schuster & Nakajima 2012, *Japanese and Korean Voice
//! Search*; Wu et al. 2016, §4.1) grows a vocabulary by adding the merge that
//! most raises the likelihood of the training data; BERT's own vocabulary was
//! built with that unreleased tool. HF `tokenizers`' `WordPieceTrainer` (and
//! `BertWordPieceTokenizer.train`), which most WordPiece vocabularies are
//! trained with today, instead runs its **BPE trainer** (Sennrich et al.
//! 2016, see `bpe_train.rs`) with a continuing-subword prefix and keeps the
//! resulting vocabulary. This file follows HF, step by step:
//!
//! 1. **words**: each text goes through the BERT normaliser and
//!    pre-tokenizer (`bert_basic.rs`: clean, CJK, accents, lower-case, split
//!    on whitespace and punctuation); the words are counted;
//! 2. **special tokens** get the first ids, in the order given;
//! 3. **alphabet**: every character of the words, weighted by the word
//!    counts, plus `initial_alphabet` (which always wins); with
//!    `limit_alphabet`, only that many are kept, the most frequent. They get
//!    the next ids in code point order. Characters left out are dropped from
//!    the words (the characters around them become neighbours);
//! 4. **continuing tokens**: every character after the first of a word is
//!    written with the prefix, `##e`; each new one gets the next id;
//! 5. **merges**: the most frequent adjacent pair is merged, again and
//!    again, until the vocabulary holds `vocab_size` tokens or no pair occurs
//!    `min_frequency` times; a merge joins the left token with the right one
//!    less its prefix (`t` + `##h` = `th`, `##h` + `##e` = `##he`). Ties go to
//!    the pair of smaller ids (HF's rule, `MergeRule::HfTokenizers` in
//!    `bpe_train.rs`, which runs the loop).
//!
//! The vocabulary, in id order, is the WordPiece vocabulary (`vocab.txt`).
//!
//! **Run-to-run differences in HF.** HF gives the continuing tokens of step 4
//! their ids in the iteration order of its word hash table, which is seeded
//! at random in each process; and since ties between pairs are broken by
//! id, that order reaches the merges too: two HF runs on the same text
//! usually give vocabularies that differ in a handful of tokens and in many
//! ids. Everything else is deterministic. Here the words are visited in byte
//! order, which is one of the orders HF's table can produce, so the result is
//! one of the vocabularies HF can return;
//! [`WordPieceTrainer::vocab_from_counts_in_order`] takes the continuing
//! tokens in a given order instead, and reproduces a given HF run exactly
//! (`tests/wordpiece_train.rs`). When `limit_alphabet` cuts between
//! characters of equal count HF's pick also depends on the hash order; here
//! the higher code points go first.
//!
//! Cost: counting is O(n) in the corpus size, in parallel (rayon); the merges
//! cost what `bpe_train.rs` says: O(Σ lengths of the words a merge touches +
//! changed pairs · log H) each. Memory: the normalised corpus while counting,
//! then O(distinct words · length + distinct pairs + queue entries).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::bert_basic::{split_words, BertBasic, BertNormalizerConfig};
use crate::bpe_train::{count_pieces, learn_merges, pretokenizer_fn, MergeRule, TokenTable, Word};
use crate::error::{read_utf8, TextError};
use crate::wordpiece::{AddedToken, WordPiece, WordPieceTokenizer};

/// Settings of [`WordPieceTrainer`]. The defaults are those of HF's
/// `BertWordPieceTokenizer.train` (uncased BERT).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WordPieceTrainerConfig {
    /// Size of the vocabulary: special tokens + alphabet + continuing
    /// tokens + merges. When the first three alone are more, all of them are
    /// kept and nothing is merged (as in HF).
    pub vocab_size: usize,
    /// Stop when the best pair occurs fewer times than this (0 and 1 both
    /// mean: at least once).
    pub min_frequency: u64,
    /// Tokens that get the first ids, in this order; never seen in the text.
    pub special_tokens: Vec<String>,
    /// Keep at most this many characters in the alphabet (the most
    /// frequent; `initial_alphabet` first).
    pub limit_alphabet: Option<usize>,
    /// Characters kept in the alphabet even when the text lacks them.
    pub initial_alphabet: Vec<char>,
    /// Written before every piece that continues a word.
    pub continuing_subword_prefix: String,
    /// The unknown token of the trained model; one of `special_tokens`.
    pub unk_token: String,
    /// Longer words become the unknown token when encoding.
    pub max_input_chars_per_word: usize,
    /// The BERT normaliser the words are read with (and the tokenizer keeps).
    pub normalizer: BertNormalizerConfig,
}

impl Default for WordPieceTrainerConfig {
    fn default() -> Self {
        Self {
            vocab_size: 30_000,
            min_frequency: 2,
            special_tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
                .map(String::from)
                .to_vec(),
            limit_alphabet: Some(1000),
            initial_alphabet: Vec::new(),
            continuing_subword_prefix: "##".into(),
            unk_token: "[UNK]".into(),
            max_input_chars_per_word: 100,
            normalizer: BertNormalizerConfig::default(),
        }
    }
}

/// Learns a WordPiece vocabulary from text. See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct WordPieceTrainer {
    pub config: WordPieceTrainerConfig,
}

impl WordPieceTrainer {
    pub fn new(config: WordPieceTrainerConfig) -> Self {
        Self { config }
    }

    /// Trains on `texts` (lines or documents) and returns the tokenizer.
    pub fn train<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
    ) -> Result<WordPieceTokenizer, TextError> {
        let vocab = self.vocab_from_counts(&self.count_words(texts)?)?;
        self.tokenizer(&vocab)
    }

    /// Trains on the lines of `paths`.
    pub fn train_files<P: AsRef<Path>>(
        &self,
        paths: &[P],
    ) -> Result<WordPieceTokenizer, TextError> {
        let texts = paths
            .iter()
            .map(|p| read_utf8(p.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        // Line by line, so that counting is spread over the threads; a word
        // never spans a line break, so the counts are the same.
        let lines: Vec<&str> = texts.iter().flat_map(|t| t.lines()).collect();
        self.train(&lines)
    }

    /// Step 1: each word of `texts` (after the BERT normaliser and
    /// pre-tokenizer) with its count.
    pub fn count_words<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
    ) -> Result<HashMap<String, u64>, TextError> {
        let basic = BertBasic::new(self.config.normalizer.clone());
        let normalized: Vec<String> = texts
            .par_iter()
            .map(|t| basic.normalize(t.as_ref()))
            .collect();
        let pre = pretokenizer_fn(|text, out| {
            for word in split_words(text) {
                out(&text[word]);
            }
        });
        count_pieces(&normalized, &[], &pre)
    }

    /// Steps 2 to 5: the vocabulary, in id order, learned from word counts.
    /// The continuing tokens get their ids in the order they first occur
    /// when the words are visited in byte order.
    pub fn vocab_from_counts(
        &self,
        counts: &HashMap<String, u64>,
    ) -> Result<Vec<String>, TextError> {
        self.vocab_from_counts_in_order(counts, &[])
    }

    /// As [`Self::vocab_from_counts`], but the continuing tokens (`##x`) the
    /// words need get their ids in the order of `continuing` first (those
    /// the words do not need are skipped), the rest after them. With the
    /// order of an HF run (its vocabulary's `##x` tokens, in id order) the
    /// vocabulary is that run's.
    pub fn vocab_from_counts_in_order(
        &self,
        counts: &HashMap<String, u64>,
        continuing: &[String],
    ) -> Result<Vec<String>, TextError> {
        let cfg = &self.config;
        self.check_config()?;
        let mut words: Vec<(&str, u64)> = counts
            .iter()
            .filter(|(w, &c)| c > 0 && !w.is_empty())
            .map(|(w, &c)| (w.as_str(), c))
            .collect();
        if words.is_empty() {
            return Err(TextError::Invalid(
                "WordPiece training: the corpus holds no words (after normalisation); give it some text"
                    .into(),
            ));
        }
        words.sort_unstable_by(|a, b| a.0.cmp(b.0));

        // 2. Special tokens.
        let prefix = &cfg.continuing_subword_prefix;
        let mut table = TokenTable::with_specials(&cfg.special_tokens, prefix);

        // 3. Alphabet.
        let mut alphabet: HashMap<char, u64> = HashMap::new();
        for &(w, count) in &words {
            for c in w.chars() {
                let n = alphabet.entry(c).or_insert(0);
                *n = n.saturating_add(count);
            }
        }
        for &c in &cfg.initial_alphabet {
            alphabet.insert(c, u64::MAX);
        }
        let mut kept: Vec<(char, u64)> = alphabet.into_iter().collect();
        if let Some(limit) = cfg.limit_alphabet {
            if kept.len() > limit {
                // Rarest first; among equals, the higher code point first.
                kept.sort_unstable_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
                kept.drain(..kept.len() - limit);
            }
        }
        kept.sort_unstable_by_key(|&(c, _)| c);
        let mut buf = [0u8; 4];
        for (c, _) in kept {
            table.intern(c.encode_utf8(&mut buf).as_bytes());
        }

        // 4. Continuing tokens: those asked for first, then as they come.
        let continued = |c: char| format!("{prefix}{c}");
        if !continuing.is_empty() {
            let mut needed: HashSet<String> = HashSet::new();
            for &(w, _) in &words {
                for c in w.chars().skip(1) {
                    if table.get(c.encode_utf8(&mut buf).as_bytes()).is_some() {
                        needed.insert(continued(c));
                    }
                }
            }
            for token in continuing {
                if needed.contains(token) {
                    table.intern(token.as_bytes());
                }
            }
        }
        let mut key = String::new();
        let words: Vec<Word> = words
            .iter()
            .map(|&(w, count)| {
                let mut ids = Vec::with_capacity(w.len());
                for (i, c) in w.chars().enumerate() {
                    let bare = c.encode_utf8(&mut buf);
                    let Some(id) = table.get(bare.as_bytes()) else {
                        continue; // not in the alphabet: dropped
                    };
                    if i == 0 {
                        ids.push(id);
                    } else {
                        key.clear();
                        key.push_str(prefix);
                        key.push(c);
                        ids.push(table.intern(key.as_bytes()));
                    }
                }
                Word { ids, count }
            })
            .collect();

        // 5. Merges.
        let mut words = words;
        learn_merges(
            &mut words,
            &mut table,
            cfg.vocab_size,
            cfg.min_frequency,
            MergeRule::HfTokenizers,
        );
        Ok(table
            .bytes
            .iter()
            // Valid UTF-8 by construction: whole characters, and a prefix
            // removed whole.
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect())
    }

    /// The tokenizer for a vocabulary in id order: the WordPiece model, the
    /// configured BERT normaliser, the special tokens as special added
    /// tokens, and the WordPiece decoder, with no post-processor, which is
    /// how HF's `BertWordPieceTokenizer` stands after training (add the
    /// `[CLS] … [SEP]` template with `PostProcessor::bert_template` if
    /// wanted).
    pub fn tokenizer(&self, vocab: &[String]) -> Result<WordPieceTokenizer, TextError> {
        let cfg = &self.config;
        let mut ids: HashMap<String, u32> = HashMap::with_capacity(vocab.len());
        for (i, token) in vocab.iter().enumerate() {
            let id = u32::try_from(i).map_err(|_| {
                TextError::Invalid("WordPiece vocabulary beyond 2^32 tokens".into())
            })?;
            if ids.insert(token.clone(), id).is_some() {
                return Err(TextError::Invalid(format!(
                    "WordPiece vocabulary lists {token:?} twice; each token may appear once"
                )));
            }
        }
        let model = WordPiece::new(
            ids,
            &cfg.unk_token,
            &cfg.continuing_subword_prefix,
            cfg.max_input_chars_per_word,
        )?;
        let mut tok = WordPieceTokenizer::from_model(model, cfg.normalizer.clone());
        tok.added_tokens = cfg
            .special_tokens
            .iter()
            .filter_map(|s| Some(AddedToken::special(s, tok.model.token_to_id(s)?)))
            .collect();
        tok.post_processor = None;
        if let Some(decoder) = &mut tok.decoder {
            decoder.prefix = cfg.continuing_subword_prefix.clone();
        }
        Ok(tok)
    }

    fn check_config(&self) -> Result<(), TextError> {
        let specials = &self.config.special_tokens;
        for (i, s) in specials.iter().enumerate() {
            if s.is_empty() {
                return Err(TextError::Invalid(format!(
                    "WordPiece training: special token #{i} is empty; remove it"
                )));
            }
            if specials[..i].contains(s) {
                return Err(TextError::Invalid(format!(
                    "WordPiece training: special token {s:?} is listed twice; list it once"
                )));
            }
        }
        let unk = &self.config.unk_token;
        if !specials.contains(unk) {
            return Err(TextError::Invalid(format!(
                "WordPiece training: the unknown token {unk:?} is not among the special tokens {specials:?}; add it, or name another unk_token"
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(words: &[(&str, u64)]) -> HashMap<String, u64> {
        words.iter().map(|&(w, c)| (w.to_string(), c)).collect()
    }

    fn trainer(vocab_size: usize) -> WordPieceTrainer {
        WordPieceTrainer::new(WordPieceTrainerConfig {
            vocab_size,
            min_frequency: 0,
            special_tokens: vec!["[UNK]".into()],
            ..Default::default()
        })
    }

    #[test]
    fn layout_and_merges_by_hand() {
        // Words: hug x10, pug x5, pun x12, bun x4, hugs x5 (the HF course's
        // example). Alphabet b h p; continuing ##g ##n ##s ##u, in the order
        // they first occur in the words taken in byte order (bun, hug, hugs,
        // pug, pun): ##u ##n ##g ##s. Pair counts: (##u,##g) 20,
        // (##u,##n) 16, (h,##u) 15, (p,##u) 17, (b,##u) 4, (##g,##s) 5.
        let c = counts(&[
            ("hug", 10),
            ("pug", 5),
            ("pun", 12),
            ("bun", 4),
            ("hugs", 5),
        ]);
        let initial = [
            "[UNK]", "b", "g", "h", "n", "p", "s", "u", "##u", "##n", "##g", "##s",
        ];
        assert_eq!(trainer(12).vocab_from_counts(&c).unwrap(), initial);
        // Then (##u,##g) 20 -> ##ug; now (##u,##n) 16 beats (h,##ug) 15 and
        // (p,##u) 12 -> ##un; then (h,##ug) 15 -> hug.
        let vocab = trainer(15).vocab_from_counts(&c).unwrap();
        assert_eq!(vocab[..12], initial);
        assert_eq!(vocab[12..], ["##ug", "##un", "hug"]);
    }

    #[test]
    fn ties_go_to_the_smaller_ids() {
        // (a,##b) and (c,##d) both occur 3 times: a < c, so ab first; with the
        // continuing tokens in the other order, still ab (left id decides).
        let c = counts(&[("ab", 3), ("cd", 3)]);
        let v = trainer(8).vocab_from_counts(&c).unwrap();
        assert_eq!(v, ["[UNK]", "a", "b", "c", "d", "##b", "##d", "ab"]);
        let order = ["##d".to_string(), "##b".to_string()];
        let v = trainer(8).vocab_from_counts_in_order(&c, &order).unwrap();
        assert_eq!(v, ["[UNK]", "a", "b", "c", "d", "##d", "##b", "ab"]);
        // Same left token: the smaller right id wins, so the order matters.
        let c = counts(&[("ab", 3), ("ad", 3)]);
        let v = trainer(7).vocab_from_counts_in_order(&c, &order).unwrap();
        assert_eq!(v[6], "ad");
    }

    #[test]
    fn limit_alphabet_drops_rare_characters() {
        // z occurs once; with 3 characters allowed it goes, and "az" is "a".
        let c = counts(&[("ab", 5), ("ba", 4), ("az", 1)]);
        let mut t = trainer(100);
        t.config.limit_alphabet = Some(2);
        let v = t.vocab_from_counts(&c).unwrap();
        assert!(!v.iter().any(|t| t.contains('z')), "{v:?}");
        assert_eq!(v[..3], ["[UNK]", "a", "b"]);
        // The initial alphabet always stays.
        t.config.initial_alphabet = vec!['z'];
        t.config.limit_alphabet = Some(2);
        let v = t.vocab_from_counts(&c).unwrap();
        assert_eq!(v[..3], ["[UNK]", "a", "z"]);
    }

    #[test]
    fn min_frequency_stops_merging() {
        let c = counts(&[("ab", 3), ("cd", 1)]);
        let mut t = trainer(100);
        t.config.min_frequency = 2;
        let v = t.vocab_from_counts(&c).unwrap();
        assert_eq!(v.last().unwrap(), "ab");
    }
}
