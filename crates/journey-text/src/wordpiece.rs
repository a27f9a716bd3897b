//! WordPiece: BERT's subword tokenizer (Schuster & Nakajima 2012, *Japanese
//! and Korean Voice Search*; Wu et al. 2016, *Google's NMT system*, §4.1;
//! Devlin et al. 2019, *BERT*), as HF tokenizers runs it for BERT models.
//!
//! Each word from the basic tokenizer (`bert_basic.rs`) is cut greedily,
//! **longest match first**: take the longest prefix that is in the vocabulary,
//! then the longest vocabulary entry `##rest…` for what follows, and so on
//! ("unaffable" -> "un", "##aff", "##able"). A word that cannot be covered, or
//! longer than `max_input_chars_per_word` characters, becomes one `[UNK]`.
//!
//! The pipeline around it (`WordPieceTokenizer`) follows HF `tokenizer.json`:
//! special added tokens matched in the raw text, `BertNormalizer`,
//! `BertPreTokenizer`, the WordPiece model, truncation, the
//! `[CLS] A [SEP] B [SEP]` template (`TemplateProcessing` or
//! `BertProcessing`) with token type ids, padding, and the WordPiece decoder.
//! `tokenizer_json.rs` reads and writes the file.
//!
//! Cost: a word of n bytes costs O(n·m) hash look-ups in the worst case, with
//! m the longest vocabulary entry (we never try a candidate longer than m);
//! memory is the vocabulary plus O(n) per text.

use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use crate::bert_basic::{BasicSplit, BertBasic, BertNormalizerConfig};
use crate::error::{read_utf8, TextError};

/// The WordPiece model: a vocabulary and the greedy longest-match rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordPiece {
    vocab: HashMap<String, u32>,
    /// id -> token; ids missing from the vocabulary hold `None`.
    tokens: Vec<Option<String>>,
    unk_token: String,
    unk_id: u32,
    continuing_subword_prefix: String,
    max_input_chars_per_word: usize,
    /// Longest vocabulary entry in bytes, without the prefix: no longer
    /// candidate can match, so the greedy search starts there.
    longest: usize,
}

impl WordPiece {
    /// A model from token -> id pairs. `unk_token` must be in the vocabulary.
    pub fn new(
        vocab: HashMap<String, u32>,
        unk_token: &str,
        continuing_subword_prefix: &str,
        max_input_chars_per_word: usize,
    ) -> Result<Self, TextError> {
        let size = vocab.values().map(|&i| i as usize + 1).max().unwrap_or(0);
        if size > crate::bpe::max_id_for(vocab.len()) {
            return Err(TextError::Invalid(format!(
                "WordPiece vocabulary: id {} is far beyond its {} tokens; ids should run from 0 with few gaps",
                size - 1,
                vocab.len()
            )));
        }
        let mut tokens: Vec<Option<String>> = vec![None; size];
        for (token, &id) in &vocab {
            if let Some(other) = &tokens[id as usize] {
                let (a, b) = if other < token {
                    (other, token)
                } else {
                    (token, other)
                };
                return Err(TextError::Invalid(format!(
                    "WordPiece vocabulary gives id {id} to both {a:?} and {b:?}; ids must be unique"
                )));
            }
            tokens[id as usize] = Some(token.clone());
        }
        let unk_id = *vocab.get(unk_token).ok_or_else(|| {
            TextError::Invalid(format!(
                "the unknown token {unk_token:?} is not in the WordPiece vocabulary; add it or name the right unk_token"
            ))
        })?;
        let longest = vocab
            .keys()
            .map(|t| t.strip_prefix(continuing_subword_prefix).unwrap_or(t).len())
            .max()
            .unwrap_or(0);
        Ok(Self {
            vocab,
            tokens,
            unk_token: unk_token.to_string(),
            unk_id,
            continuing_subword_prefix: continuing_subword_prefix.to_string(),
            max_input_chars_per_word,
            longest,
        })
    }

    /// Reads BERT's `vocab.txt`: one token a line, the line number (from 0) is
    /// the id. Empty lines and repeated tokens are errors naming the line.
    pub fn from_vocab_txt(path: &Path, unk_token: &str) -> Result<Self, TextError> {
        let text = read_utf8(path)?;
        let vocab = parse_vocab_txt(&text, path)?;
        Self::new(vocab, unk_token, "##", 100).map_err(|e| match e {
            TextError::Invalid(m) => TextError::Invalid(format!("{}: {m}", path.display())),
            e => e,
        })
    }

    /// BERT's `vocab.txt`: one token a line, in id order, ending in a line
    /// break. An error when an id has no token or a token would not read
    /// back (empty, a line break, or trailing whitespace, which readers trim).
    pub fn to_vocab_txt(&self) -> Result<String, TextError> {
        let mut out = String::new();
        for (id, token) in self.tokens.iter().enumerate() {
            let token = token.as_deref().ok_or_else(|| {
                TextError::Invalid(format!(
                    "vocab.txt cannot hold this vocabulary: id {id} has no token (the line number is the id)"
                ))
            })?;
            if token.is_empty() || token.contains('\n') || token.trim_end() != token {
                return Err(TextError::Invalid(format!(
                    "vocab.txt cannot hold the token {token:?} (id {id}): one token a line, without line breaks or trailing whitespace"
                )));
            }
            out.push_str(token);
            out.push('\n');
        }
        Ok(out)
    }

    /// Writes [`Self::to_vocab_txt`] to `path`.
    pub fn save_vocab_txt(&self, path: &Path) -> Result<(), TextError> {
        std::fs::write(path, self.to_vocab_txt()?).map_err(|source| TextError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.vocab.get(token).copied()
    }

    pub fn id_to_token(&self, id: u32) -> Option<&str> {
        self.tokens.get(id as usize)?.as_deref()
    }

    /// Number of ids (one more than the largest id).
    pub fn vocab_size(&self) -> usize {
        self.tokens.len()
    }

    pub fn vocab(&self) -> &HashMap<String, u32> {
        &self.vocab
    }

    pub fn unk_token(&self) -> &str {
        &self.unk_token
    }

    pub fn continuing_subword_prefix(&self) -> &str {
        &self.continuing_subword_prefix
    }

    pub fn max_input_chars_per_word(&self) -> usize {
        self.max_input_chars_per_word
    }

    /// Cuts one word into (id, byte range of `word`) pieces, appended to `out`.
    pub fn tokenize_word(&self, word: &str, out: &mut Vec<(u32, Range<usize>)>) {
        if word.chars().count() > self.max_input_chars_per_word {
            out.push((self.unk_id, 0..word.len()));
            return;
        }
        let first = out.len();
        let mut key = String::with_capacity(self.continuing_subword_prefix.len() + word.len());
        let mut start = 0;
        while start < word.len() {
            let mut end = (start + self.longest).min(word.len());
            while !word.is_char_boundary(end) {
                end -= 1;
            }
            let mut found = None;
            while end > start {
                key.clear();
                if start > 0 {
                    key.push_str(&self.continuing_subword_prefix);
                }
                key.push_str(&word[start..end]);
                if let Some(&id) = self.vocab.get(key.as_str()) {
                    found = Some(id);
                    break;
                }
                end -= word[..end].chars().next_back().map_or(1, char::len_utf8);
            }
            match found {
                Some(id) => out.push((id, start..end)),
                None => {
                    // One uncovered piece makes the whole word unknown.
                    out.truncate(first);
                    out.push((self.unk_id, 0..word.len()));
                    return;
                }
            }
            start = end;
        }
    }

    /// The tokens of one word, as strings.
    pub fn tokenize(&self, word: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.tokenize_word(word, &mut out);
        out.into_iter()
            .map(|(id, _)| self.id_to_token(id).unwrap_or_default().to_string())
            .collect()
    }
}

/// Parses the lines of a `vocab.txt` (token -> line index).
pub fn parse_vocab_txt(text: &str, path: &Path) -> Result<HashMap<String, u32>, TextError> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let mut vocab: HashMap<String, u32> = HashMap::new();
    if body.is_empty() {
        return Err(TextError::Malformed {
            path: path.to_path_buf(),
            line: 1,
            message: "the vocabulary is empty; vocab.txt holds one token per line".into(),
        });
    }
    for (i, line) in body.split('\n').enumerate() {
        // HF trims the end of each line (a CRLF file has the same tokens).
        let token = line.trim_end();
        let bad = |message: String| TextError::Malformed {
            path: path.to_path_buf(),
            line: i + 1,
            message,
        };
        if token.is_empty() {
            return Err(bad(
                "empty line: vocab.txt holds one token per line and the line number is the id"
                    .into(),
            ));
        }
        let id = u32::try_from(i).map_err(|_| bad("more than 2^32 tokens".into()))?;
        if let Some(first) = vocab.insert(token.to_string(), id) {
            return Err(bad(format!(
                "duplicate token {token:?} (first on line {}); each token may appear once",
                first + 1
            )));
        }
    }
    Ok(vocab)
}

/// A token added on top of the model's vocabulary (`added_tokens` in
/// `tokenizer.json`). Special tokens are matched in the raw text before
/// normalisation (`normalized: false`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedToken {
    pub id: u32,
    pub content: String,
    pub special: bool,
    pub single_word: bool,
    pub lstrip: bool,
    pub rstrip: bool,
    pub normalized: bool,
}

impl AddedToken {
    /// A special token as BERT's files declare them.
    pub fn special(content: &str, id: u32) -> Self {
        Self {
            id,
            content: content.to_string(),
            special: true,
            single_word: false,
            lstrip: false,
            rstrip: false,
            normalized: false,
        }
    }
}

/// Which input a template piece stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sequence {
    A,
    B,
}

/// One piece of a post-processing template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePiece {
    /// A special token (by name in `special_tokens`).
    Special { id: String, type_id: u32 },
    /// The tokens of one input.
    Sequence { id: Sequence, type_id: u32 },
}

/// A special token of a template: name, ids and tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialToken {
    pub id: String,
    pub ids: Vec<u32>,
    pub tokens: Vec<String>,
}

/// How `[CLS]`/`[SEP]` are added; `Bert` is HF's older `BertProcessing`,
/// kept apart only so that a file is written back as it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostProcessor {
    Template {
        single: Vec<TemplatePiece>,
        pair: Vec<TemplatePiece>,
        special_tokens: Vec<SpecialToken>,
    },
    Bert {
        cls: (String, u32),
        sep: (String, u32),
    },
}

impl PostProcessor {
    /// BERT's template: `[CLS] A [SEP]` and `[CLS] A [SEP] B [SEP]`, B typed 1.
    pub fn bert_template(cls: (&str, u32), sep: (&str, u32)) -> Self {
        let special = |id: &str, type_id| TemplatePiece::Special {
            id: id.to_string(),
            type_id,
        };
        let seq = |id, type_id| TemplatePiece::Sequence { id, type_id };
        PostProcessor::Template {
            single: vec![special(cls.0, 0), seq(Sequence::A, 0), special(sep.0, 0)],
            pair: vec![
                special(cls.0, 0),
                seq(Sequence::A, 0),
                special(sep.0, 0),
                seq(Sequence::B, 1),
                special(sep.0, 1),
            ],
            special_tokens: [cls, sep]
                .iter()
                .map(|&(t, id)| SpecialToken {
                    id: t.to_string(),
                    ids: vec![id],
                    tokens: vec![t.to_string()],
                })
                .collect(),
        }
    }

    /// The template as plain pieces with resolved ids (Bert -> template).
    fn pieces(&self, pair: bool) -> Vec<Resolved> {
        match self {
            PostProcessor::Bert { cls, sep } => {
                let t = Self::bert_template((&cls.0, cls.1), (&sep.0, sep.1));
                t.pieces(pair)
            }
            PostProcessor::Template {
                single,
                pair: pair_t,
                special_tokens,
            } => {
                let template = if pair { pair_t } else { single };
                template
                    .iter()
                    .map(|p| match p {
                        TemplatePiece::Sequence { id, type_id } => Resolved::Seq(*id, *type_id),
                        TemplatePiece::Special { id, type_id } => {
                            // Checked when the tokenizer was built.
                            let s = special_tokens.iter().find(|s| &s.id == id);
                            let s = s.cloned().unwrap_or(SpecialToken {
                                id: id.clone(),
                                ids: vec![],
                                tokens: vec![],
                            });
                            Resolved::Special(s.ids, s.tokens, *type_id)
                        }
                    })
                    .collect()
            }
        }
    }
}

enum Resolved {
    Seq(Sequence, u32),
    Special(Vec<u32>, Vec<String>, u32),
}

/// Which side of a sequence truncation or padding acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    Left,
    #[default]
    Right,
}

/// HF truncation strategies for pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TruncationStrategy {
    /// Shorten the longer input first (the shorter keeps up to half).
    #[default]
    LongestFirst,
    OnlyFirst,
    OnlySecond,
}

/// `truncation` of `tokenizer.json`. `stride` only shapes HF's overflowing
/// windows, which this tokenizer does not return; it is kept for writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truncation {
    pub max_length: usize,
    pub strategy: TruncationStrategy,
    pub stride: usize,
    pub direction: Direction,
}

/// Target length of padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaddingStrategy {
    /// Every encoding padded to this length.
    Fixed(usize),
    /// A batch padded to its longest encoding.
    BatchLongest,
}

/// `padding` of `tokenizer.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Padding {
    pub strategy: PaddingStrategy,
    pub direction: Direction,
    pub pad_to_multiple_of: Option<usize>,
    pub pad_id: u32,
    pub pad_type_id: u32,
    pub pad_token: String,
}

/// HF's WordPiece decoder settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordPieceDecoder {
    pub prefix: String,
    pub cleanup: bool,
}

impl Default for WordPieceDecoder {
    fn default() -> Self {
        Self {
            prefix: "##".into(),
            cleanup: true,
        }
    }
}

/// The output of encoding one text or one pair, as HF's `Encoding`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encoding {
    pub ids: Vec<u32>,
    pub tokens: Vec<String>,
    /// 0 for the first input (and its special tokens), 1 for the second.
    pub type_ids: Vec<u32>,
    /// 1 for real tokens, 0 for padding.
    pub attention_mask: Vec<u32>,
    /// 1 for tokens added by the template or padding.
    pub special_tokens_mask: Vec<u32>,
    /// Byte spans into the input text the token came from ((0, 0) for
    /// template tokens and padding); tokens of a pair's second input point
    /// into the second text.
    pub offsets: Vec<(usize, usize)>,
}

impl Encoding {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    fn push(&mut self, id: u32, token: String, type_id: u32, special: bool, span: (usize, usize)) {
        self.ids.push(id);
        self.tokens.push(token);
        self.type_ids.push(type_id);
        self.attention_mask.push(1);
        self.special_tokens_mask.push(u32::from(special));
        self.offsets.push(span);
    }

    fn truncate(&mut self, len: usize, direction: Direction) {
        if self.len() <= len {
            return;
        }
        let cut = self.len() - len;
        match direction {
            Direction::Right => {
                self.ids.truncate(len);
                self.tokens.truncate(len);
                self.type_ids.truncate(len);
                self.attention_mask.truncate(len);
                self.special_tokens_mask.truncate(len);
                self.offsets.truncate(len);
            }
            Direction::Left => {
                self.ids.drain(..cut);
                self.tokens.drain(..cut);
                self.type_ids.drain(..cut);
                self.attention_mask.drain(..cut);
                self.special_tokens_mask.drain(..cut);
                self.offsets.drain(..cut);
            }
        }
    }

    /// Pads to `len` with `padding`'s token (no-op when already as long).
    pub fn pad(&mut self, len: usize, padding: &Padding) {
        if self.len() >= len {
            return;
        }
        let n = len - self.len();
        let extend = |v: &mut Vec<u32>, x: u32| match padding.direction {
            Direction::Right => v.extend(std::iter::repeat_n(x, n)),
            Direction::Left => {
                v.splice(0..0, std::iter::repeat_n(x, n));
            }
        };
        extend(&mut self.ids, padding.pad_id);
        extend(&mut self.type_ids, padding.pad_type_id);
        extend(&mut self.attention_mask, 0);
        extend(&mut self.special_tokens_mask, 1);
        let tok = std::iter::repeat_n(padding.pad_token.clone(), n);
        let off = std::iter::repeat_n((0, 0), n);
        match padding.direction {
            Direction::Right => {
                self.tokens.extend(tok);
                self.offsets.extend(off);
            }
            Direction::Left => {
                self.tokens.splice(0..0, tok);
                self.offsets.splice(0..0, off);
            }
        }
    }
}

/// A BERT tokenizer: what HF `tokenizers` builds from a BERT `tokenizer.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordPieceTokenizer {
    pub basic: BertBasic,
    pub model: WordPiece,
    /// Added tokens, matched in the raw text before normalisation.
    pub added_tokens: Vec<AddedToken>,
    pub post_processor: Option<PostProcessor>,
    /// `None`: tokens joined with spaces (HF's behaviour without a decoder).
    pub decoder: Option<WordPieceDecoder>,
    pub truncation: Option<Truncation>,
    pub padding: Option<Padding>,
}

impl WordPieceTokenizer {
    /// A tokenizer from a model and normaliser settings, with BERT's special
    /// tokens (`[PAD] [UNK] [CLS] [SEP] [MASK]`, those in the vocabulary) and
    /// template; no truncation or padding. This is what HF builds from a
    /// bare `vocab.txt` (`BertWordPieceTokenizer`).
    pub fn from_model(model: WordPiece, normalizer: BertNormalizerConfig) -> Self {
        let added_tokens: Vec<AddedToken> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
            .iter()
            .filter_map(|t| Some(AddedToken::special(t, model.token_to_id(t)?)))
            .collect();
        let cls = model.token_to_id("[CLS]");
        let sep = model.token_to_id("[SEP]");
        let post_processor = match (cls, sep) {
            (Some(c), Some(s)) => Some(PostProcessor::bert_template(("[CLS]", c), ("[SEP]", s))),
            _ => None,
        };
        Self {
            basic: BertBasic::new(normalizer),
            model,
            added_tokens,
            post_processor,
            decoder: Some(WordPieceDecoder::default()),
            truncation: None,
            padding: None,
        }
    }

    /// Loads BERT's `vocab.txt` with an uncased (`lowercase: true`) or cased
    /// normaliser.
    pub fn from_vocab_txt(path: &Path, lowercase: bool) -> Result<Self, TextError> {
        let model = WordPiece::from_vocab_txt(path, "[UNK]")?;
        let normalizer = BertNormalizerConfig {
            lowercase,
            ..Default::default()
        };
        Ok(Self::from_model(model, normalizer))
    }

    /// Checks that every special token a template names is declared.
    pub(crate) fn check(&self, path: &Path) -> Result<(), TextError> {
        if let Some(PostProcessor::Template {
            single,
            pair,
            special_tokens,
        }) = &self.post_processor
        {
            for piece in single.iter().chain(pair) {
                if let TemplatePiece::Special { id, .. } = piece {
                    let Some(s) = special_tokens.iter().find(|s| &s.id == id) else {
                        return Err(TextError::Invalid(format!(
                            "{}: post_processor template uses {id:?}, which post_processor.special_tokens does not declare",
                            path.display()
                        )));
                    };
                    if s.ids.len() != s.tokens.len() {
                        return Err(TextError::Invalid(format!(
                            "{}: post_processor.special_tokens[{id:?}] has {} ids but {} tokens",
                            path.display(),
                            s.ids.len(),
                            s.tokens.len()
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    pub fn token_to_id(&self, token: &str) -> Option<u32> {
        self.added_tokens
            .iter()
            .find(|a| a.content == token)
            .map(|a| a.id)
            .or_else(|| self.model.token_to_id(token))
    }

    pub fn id_to_token(&self, id: u32) -> Option<&str> {
        self.added_tokens
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.content.as_str())
            .or_else(|| self.model.id_to_token(id))
    }

    /// Splits `text` at added tokens: leftmost match first, the longest
    /// when several start at the same byte (HF's leftmost-longest rule).
    fn split_added(&self, text: &str) -> Vec<(Range<usize>, Option<&AddedToken>)> {
        let mut out = Vec::new();
        let mut plain = 0;
        let mut i = 0;
        let bytes = text.as_bytes();
        while i < text.len() {
            let best = self
                .added_tokens
                .iter()
                .filter(|a| {
                    !a.content.is_empty()
                        && a.content.as_bytes()[0] == bytes[i]
                        && bytes[i..].starts_with(a.content.as_bytes())
                })
                .max_by_key(|a| a.content.len());
            match best {
                Some(a) => {
                    if plain < i {
                        out.push((plain..i, None));
                    }
                    out.push((i..i + a.content.len(), Some(a)));
                    i += a.content.len();
                    plain = i;
                }
                None => i += 1,
            }
        }
        if plain < text.len() {
            out.push((plain..text.len(), None));
        }
        out
    }

    /// Tokens of one input, before truncation and the template.
    fn encode_sequence(&self, text: &str, type_id: u32) -> Encoding {
        let mut enc = Encoding::default();
        let mut pieces = Vec::new();
        let mut split = BasicSplit::default();
        for (range, added) in self.split_added(text) {
            if let Some(a) = added {
                enc.push(
                    a.id,
                    a.content.clone(),
                    type_id,
                    false,
                    (range.start, range.end),
                );
                continue;
            }
            split.normalized.clear();
            split.spans.clear();
            self.basic
                .normalize_into(&text[range.clone()], range.start, &mut split);
            for word in crate::bert_basic::split_words(&split.normalized) {
                pieces.clear();
                self.model
                    .tokenize_word(&split.normalized[word.clone()], &mut pieces);
                for (id, r) in pieces.drain(..) {
                    let span = split.original_span(word.start + r.start..word.start + r.end);
                    let token = self.model.id_to_token(id).unwrap_or_default().to_string();
                    enc.push(id, token, type_id, false, span);
                }
            }
        }
        enc
    }

    fn n_added(&self, pair: bool) -> usize {
        match &self.post_processor {
            None => 0,
            Some(p) => p
                .pieces(pair)
                .iter()
                .map(|r| match r {
                    Resolved::Special(ids, _, _) => ids.len(),
                    Resolved::Seq(..) => 0,
                })
                .sum(),
        }
    }

    /// Encodes one text with special tokens, truncation and padding as
    /// configured.
    pub fn encode(&self, text: &str) -> Encoding {
        self.encode_with(text, None, true)
    }

    /// Encodes a pair (`[CLS] a [SEP] b [SEP]`, `b` with type id 1).
    pub fn encode_pair(&self, a: &str, b: &str) -> Encoding {
        self.encode_with(a, Some(b), true)
    }

    /// Encodes one text or a pair; `add_special_tokens: false` skips the
    /// template (and does not reserve room for it when truncating).
    pub fn encode_with(&self, a: &str, b: Option<&str>, add_special_tokens: bool) -> Encoding {
        let mut enc = self.encode_unpadded(a, b, add_special_tokens);
        if let Some(p) = &self.padding {
            let target = match p.strategy {
                PaddingStrategy::Fixed(n) => n,
                PaddingStrategy::BatchLongest => enc.len(),
            };
            enc.pad(round_up(target, p.pad_to_multiple_of), p);
        }
        enc
    }

    fn encode_unpadded(&self, a: &str, b: Option<&str>, add_special_tokens: bool) -> Encoding {
        let mut first = self.encode_sequence(a, 0);
        let mut second = b.map(|b| self.encode_sequence(b, 1));
        if let Some(t) = &self.truncation {
            let reserved = if add_special_tokens {
                self.n_added(second.is_some())
            } else {
                0
            };
            truncate(
                &mut first,
                second.as_mut(),
                t.max_length.saturating_sub(reserved),
                t,
            );
        }
        match (&self.post_processor, add_special_tokens) {
            (Some(p), true) => {
                let mut out = Encoding::default();
                for piece in p.pieces(second.is_some()) {
                    match piece {
                        Resolved::Special(ids, tokens, type_id) => {
                            for (id, t) in ids.into_iter().zip(tokens) {
                                out.push(id, t, type_id, true, (0, 0));
                            }
                        }
                        Resolved::Seq(which, type_id) => {
                            let src = match which {
                                Sequence::A => Some(&mut first),
                                Sequence::B => second.as_mut(),
                            };
                            if let Some(src) = src {
                                src.type_ids.iter_mut().for_each(|t| *t = type_id);
                                append(&mut out, src);
                            }
                        }
                    }
                }
                out
            }
            _ => {
                if let Some(mut s) = second {
                    append(&mut first, &mut s);
                }
                first
            }
        }
    }

    /// Encodes many texts in parallel (rayon). With `BatchLongest` padding
    /// every encoding is padded to the longest of the batch.
    pub fn encode_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Vec<Encoding> {
        let encs: Vec<Encoding> = texts
            .par_iter()
            .map(|t| self.encode_unpadded(t.as_ref(), None, true))
            .collect();
        self.pad_batch(encs)
    }

    /// Encodes many pairs in parallel (rayon).
    pub fn encode_pair_batch<S: AsRef<str> + Sync>(&self, pairs: &[(S, S)]) -> Vec<Encoding> {
        let encs: Vec<Encoding> = pairs
            .par_iter()
            .map(|(a, b)| self.encode_unpadded(a.as_ref(), Some(b.as_ref()), true))
            .collect();
        self.pad_batch(encs)
    }

    fn pad_batch(&self, mut encs: Vec<Encoding>) -> Vec<Encoding> {
        if let Some(p) = &self.padding {
            let target = match p.strategy {
                PaddingStrategy::Fixed(n) => n,
                PaddingStrategy::BatchLongest => encs.iter().map(Encoding::len).max().unwrap_or(0),
            };
            let target = round_up(target, p.pad_to_multiple_of);
            encs.par_iter_mut().for_each(|e| e.pad(target, p));
        }
        encs
    }

    /// Turns ids back into text (HF `decode`): special added tokens skipped
    /// when asked, then the WordPiece decoder (join, glue `##` pieces,
    /// clean up spaces before punctuation and contractions).
    pub fn decode(&self, ids: &[u32], skip_special_tokens: bool) -> String {
        let tokens = ids.iter().filter_map(|&id| {
            if skip_special_tokens && self.added_tokens.iter().any(|a| a.id == id && a.special) {
                return None;
            }
            self.id_to_token(id)
        });
        let Some(dec) = &self.decoder else {
            return tokens.collect::<Vec<_>>().join(" ");
        };
        let mut out = String::new();
        for (i, token) in tokens.enumerate() {
            let piece = if i == 0 {
                token.to_string()
            } else if let Some(rest) = token.strip_prefix(dec.prefix.as_str()) {
                rest.to_string()
            } else {
                format!(" {token}")
            };
            if dec.cleanup {
                out.push_str(&cleanup(&piece));
            } else {
                out.push_str(&piece);
            }
        }
        out
    }
}

/// HF's `cleanup` of decoded WordPiece tokens: no space before punctuation
/// and English contractions (BERT's tokenizer put one there).
fn cleanup(s: &str) -> String {
    s.replace(" .", ".")
        .replace(" ?", "?")
        .replace(" !", "!")
        .replace(" ,", ",")
        .replace(" ' ", "'")
        .replace(" n't", "n't")
        .replace(" 'm", "'m")
        .replace(" do not", " don't")
        .replace(" 's", "'s")
        .replace(" 've", "'ve")
        .replace(" 're", "'re")
}

fn round_up(n: usize, multiple: Option<usize>) -> usize {
    match multiple {
        Some(m) if m > 0 => n.div_ceil(m) * m,
        _ => n,
    }
}

fn append(out: &mut Encoding, src: &mut Encoding) {
    out.ids.append(&mut src.ids);
    out.tokens.append(&mut src.tokens);
    out.type_ids.append(&mut src.type_ids);
    out.attention_mask.append(&mut src.attention_mask);
    out.special_tokens_mask.append(&mut src.special_tokens_mask);
    out.offsets.append(&mut src.offsets);
}

/// HF's truncation of one input or a pair to `max` tokens in all.
fn truncate(first: &mut Encoding, second: Option<&mut Encoding>, max: usize, t: &Truncation) {
    let Some(second) = second else {
        first.truncate(max, t.direction);
        return;
    };
    let (n1, n2) = (first.len(), second.len());
    if n1 + n2 <= max {
        return;
    }
    match t.strategy {
        TruncationStrategy::LongestFirst => {
            // The shorter input keeps up to half (rounded down); on a tie the
            // second counts as the longer one, as in HF.
            if n1 > n2 {
                let keep2 = n2.min(max / 2);
                first.truncate(max - keep2, t.direction);
                second.truncate(keep2, t.direction);
            } else {
                let keep1 = n1.min(max / 2);
                first.truncate(keep1, t.direction);
                second.truncate(max - keep1, t.direction);
            }
        }
        TruncationStrategy::OnlyFirst => first.truncate(max.saturating_sub(n2), t.direction),
        TruncationStrategy::OnlySecond => second.truncate(max.saturating_sub(n1), t.direction),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> WordPiece {
        let vocab = ["[UNK]", "un", "##aff", "##able", "a", "##b", "##bc", "aff"];
        let vocab = vocab
            .iter()
            .enumerate()
            .map(|(i, t)| (t.to_string(), i as u32))
            .collect();
        WordPiece::new(vocab, "[UNK]", "##", 100).unwrap()
    }

    #[test]
    fn greedy_longest_match_first() {
        let wp = toy();
        assert_eq!(wp.tokenize("unaffable"), ["un", "##aff", "##able"]);
        assert_eq!(wp.tokenize("abc"), ["a", "##bc"]);
        assert_eq!(wp.tokenize("abx"), ["[UNK]"]);
    }

    #[test]
    fn huge_ids_are_errors_not_allocations() {
        // Found by fuzzing (model_files): an id of 4e9 in tokenizer.json made
        // the id table ask for 96 GB.
        let vocab = [("[UNK]".to_string(), 0), ("a".to_string(), 4_000_000_000)];
        let e = WordPiece::new(vocab.into_iter().collect(), "[UNK]", "##", 100).unwrap_err();
        assert!(e.to_string().contains("id 4000000000 is far beyond"), "{e}");
    }

    #[test]
    fn long_words_are_unknown() {
        let mut wp = toy();
        wp.max_input_chars_per_word = 3;
        assert_eq!(wp.tokenize("abc"), ["a", "##bc"]);
        assert_eq!(wp.tokenize("abcb"), ["[UNK]"]);
    }

    #[test]
    fn vocab_txt_errors_name_the_line() {
        let p = Path::new("vocab.txt");
        let e = parse_vocab_txt("a\n\nb\n", p).unwrap_err().to_string();
        assert!(e.contains("vocab.txt:2") && e.contains("empty line"), "{e}");
        let e = parse_vocab_txt("a\nb\na\n", p).unwrap_err().to_string();
        assert!(
            e.contains("vocab.txt:3") && e.contains("first on line 1"),
            "{e}"
        );
    }

    #[test]
    fn cleanup_glues_punctuation() {
        assert_eq!(cleanup(" do not ,"), " don't,");
    }
}
