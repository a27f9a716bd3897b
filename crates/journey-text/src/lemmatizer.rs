//! # WordNet lemmatizer (morphy), as NLTK 3.10.4 does it
//!
//! A lemma is the dictionary form of a word: `geese` → `goose`, `ran` → `run`,
//! `churches` → `church`. WordNet's morphological processor, *morphy*
//! (Miller 1995, "WordNet: a lexical database for English", CACM 38(11);
//! manual page morphy(7WN)), finds it with a dictionary and two small tables:
//!
//! 1. **Exception lists** (`noun.exc`, `verb.exc`, `adj.exc`, `adv.exc`) for
//!    irregular forms: `geese goose`, `better good well`.
//! 2. **Detachment rules**, one table per part of speech, each replacing an
//!    ending: nouns `s→ ses→s ves→f xes→x zes→z ches→ch shes→sh men→man ies→y`;
//!    verbs `s→ ies→y es→e es→ ed→e ed→ ing→e ing→`; adjectives
//!    `er→ est→ er→e est→e`; adverbs none.
//! 3. **Dictionary lookup**: a candidate is kept only if it is a lemma of that
//!    part of speech in `index.POS` (see [`crate::wordnet`]).
//!
//! This file reproduces NLTK's `WordNetLemmatizer().lemmatize(word, pos)`
//! exactly, which is NLTK's `_morphy` and differs from the C morphy:
//!
//! - the candidates are `[word]` followed by either the exception list's base
//!   forms, when `word` is listed there (and `check_exceptions` is on), or
//!   else the results of applying every matching rule **once** to `word`
//!   (no repeated detachment, no `-ful` handling, no per-word treatment of
//!   collocations);
//! - candidates not in `index.POS` are dropped, duplicates removed keeping
//!   the first;
//! - `lemmatize` returns the **shortest** candidate (the first one among equal
//!   lengths, counted in characters), or `word` itself, unchanged, if none is
//!   left;
//! - nothing is normalised: no lower-casing (`Dogs` stays `Dogs`, the index
//!   is lower case) and no mapping of spaces to `_` (`hot dogs` stays, while
//!   `hot_dogs` → `hot_dog`).
//!
//! Cost: per word, at most one exception-map lookup plus one hash lookup per
//! candidate (at most 9); a single reusable buffer, one `String` for the
//! result. Memory is that of [`WordNet`].

use std::path::Path;

use rayon::prelude::*;

use crate::error::TextError;
use crate::wordnet::{Pos, WordNet};

/// Detachment rules `(ending, replacement)`, in NLTK's order
/// (`WordNetCorpusReader.MORPHOLOGICAL_SUBSTITUTIONS`).
fn substitutions(pos: Pos) -> &'static [(&'static str, &'static str)] {
    match pos {
        Pos::Noun => &[
            ("s", ""),
            ("ses", "s"),
            ("ves", "f"),
            ("xes", "x"),
            ("zes", "z"),
            ("ches", "ch"),
            ("shes", "sh"),
            ("men", "man"),
            ("ies", "y"),
        ],
        Pos::Verb => &[
            ("s", ""),
            ("ies", "y"),
            ("es", "e"),
            ("es", ""),
            ("ed", "e"),
            ("ed", ""),
            ("ing", "e"),
            ("ing", ""),
        ],
        Pos::Adj => &[("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
        Pos::Adv => &[],
    }
}

/// NLTK's `WordNetLemmatizer` over a loaded [`WordNet`].
#[derive(Clone, Debug)]
pub struct WordNetLemmatizer {
    wordnet: WordNet,
}

impl WordNetLemmatizer {
    pub fn new(wordnet: WordNet) -> WordNetLemmatizer {
        WordNetLemmatizer { wordnet }
    }

    /// Loads the database from a WordNet 3.0 `dict` folder, see [`WordNet::open`].
    pub fn open(dir: &Path) -> Result<WordNetLemmatizer, TextError> {
        WordNet::open(dir).map(WordNetLemmatizer::new)
    }

    pub fn wordnet(&self) -> &WordNet {
        &self.wordnet
    }

    /// The lemma of `word` as `pos`: the shortest of NLTK's `_morphy`
    /// candidates, or `word` unchanged when WordNet knows none.
    /// Same as NLTK's `WordNetLemmatizer().lemmatize(word, pos)`.
    pub fn lemmatize(&self, word: &str, pos: Pos) -> String {
        // Python's `min(lemmas, key=len)` keeps the first of equal lengths, so
        // only a strictly shorter candidate replaces the best; for the same
        // reason duplicates need no removal here.
        let mut best = String::new();
        let mut best_len = usize::MAX;
        self.for_each_candidate(word, pos, true, |candidate| {
            let len = char_len(candidate);
            if len < best_len {
                best_len = len;
                best.clear();
                best.push_str(candidate);
            }
        });
        if best_len == usize::MAX {
            word.to_string()
        } else {
            best
        }
    }

    /// [`lemmatize`](Self::lemmatize) over many words, in parallel with rayon
    /// (honours `RAYON_NUM_THREADS`); the output is in input order.
    pub fn lemmatize_batch<S: AsRef<str> + Sync>(&self, words: &[S], pos: Pos) -> Vec<String> {
        words
            .par_iter()
            .with_min_len(256)
            .map(|word| self.lemmatize(word.as_ref(), pos))
            .collect()
    }

    /// Every lemma WordNet has for `form` as `pos`, in NLTK's order, without
    /// duplicates: NLTK's `wordnet._morphy(form, pos, check_exceptions)`.
    /// With `check_exceptions` off, the exception lists are ignored and the
    /// rules always apply.
    pub fn morphy_all(&self, form: &str, pos: Pos, check_exceptions: bool) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        self.for_each_candidate(form, pos, check_exceptions, |candidate| {
            if !found.iter().any(|f| f == candidate) {
                found.push(candidate.to_string());
            }
        });
        found
    }

    /// The first lemma found, or `None`: NLTK's `wordnet.morphy(form, pos,
    /// check_exceptions)`. With `pos` `None`, tries noun, verb, adjective and
    /// adverb in turn and stops at the first that has one.
    pub fn morphy(&self, form: &str, pos: Option<Pos>, check_exceptions: bool) -> Option<String> {
        let try_pos = |pos: Pos| {
            let mut first = None;
            self.for_each_candidate(form, pos, check_exceptions, |candidate| {
                if first.is_none() {
                    first = Some(candidate.to_string());
                }
            });
            first
        };
        match pos {
            Some(pos) => try_pos(pos),
            None => Pos::ALL.into_iter().find_map(try_pos),
        }
    }

    /// Calls `found` with each candidate of `form` that is a lemma of `pos`,
    /// in NLTK's order (possibly repeated): `form` itself, then its exception
    /// base forms if it has some, else each rule's result. Rule results are
    /// built in one buffer, so `found` sees borrowed strings only.
    fn for_each_candidate(
        &self,
        form: &str,
        pos: Pos,
        check_exceptions: bool,
        mut found: impl FnMut(&str),
    ) {
        let wordnet = &self.wordnet;
        if wordnet.contains(form, pos) {
            found(form);
        }
        if check_exceptions {
            if let Some(bases) = wordnet.exception(form, pos) {
                for base in bases {
                    if wordnet.contains(base, pos) {
                        found(base);
                    }
                }
                return;
            }
        }
        let mut buffer = String::new();
        for &(ending, replacement) in substitutions(pos) {
            if let Some(stem) = form.strip_suffix(ending) {
                buffer.clear();
                buffer.push_str(stem);
                buffer.push_str(replacement);
                if wordnet.contains(&buffer, pos) {
                    found(&buffer);
                }
            }
        }
    }
}

/// Length in characters, as Python's `len` on a `str`.
fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}
