//! Errors of the text layer. Each names the file, line or value at fault.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not valid UTF-8 (first bad byte at offset {offset})")]
    InvalidUtf8 { path: PathBuf, offset: usize },
    #[error("WordNet database not found: {path} is missing {missing}; point --wordnet (or $JOURNEY_DATA) at a WordNet 3.0 dict folder, e.g. Debian's /usr/share/wordnet")]
    MissingWordNet { path: PathBuf, missing: String },
    #[error("{path}:{line}: {message}")]
    Malformed {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("{what}: invalid JSON: {source}")]
    Json {
        what: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("the text contains the special token {token:?} at byte {offset}, which is disallowed; allow it (SpecialSet::All or Only) to encode it as a special token, or use encode_ordinary to encode it as plain text")]
    DisallowedSpecialToken { token: String, offset: usize },
    #[error("unknown token id {id} (ids of this vocabulary are below {n_vocab})")]
    UnknownTokenId { id: u32, n_vocab: usize },
    #[error("the tokens decode to bytes that are not valid UTF-8 (a partial character at byte {valid_up_to}); use decode_lossy or decode_bytes")]
    DecodedNotUtf8 { valid_up_to: usize },
    #[error("{path}: {message}")]
    BadVocab { path: PathBuf, message: String },
    #[error("BPE training: the corpus holds no text to learn from (after cutting out the special tokens); give it at least one non-empty text")]
    EmptyCorpus,
    #[error("BPE training: vocab_size {vocab_size} is below {minimum}, the 256 byte tokens plus {specials} special token(s) every byte-level vocabulary holds; raise vocab_size to at least {minimum}")]
    VocabTooSmall {
        vocab_size: usize,
        minimum: usize,
        specials: usize,
    },
    #[error("{path}: {component} is {found}, which the WordPiece tokenizer does not support (expected {expected})")]
    Unsupported {
        path: PathBuf,
        component: String,
        found: String,
        expected: String,
    },
    #[error("{path}: not a valid SentencePiece model: {message}{}", .offset.map(|o| format!(" (at byte {o})")).unwrap_or_default())]
    ModelFormat {
        path: PathBuf,
        /// Byte offset in the file, when the fault is in the encoding itself.
        offset: Option<usize>,
        message: String,
    },
    #[error("Unigram training: the corpus holds no text to learn from (every line is empty, too long or holds the reserved character U+2585); give it at least one non-empty line")]
    UnigramEmptyCorpus,
    #[error("Unigram training: vocab_size {vocab_size} is below the {alphabet} characters of the alphabet plus {specials} special piece(s); raise vocab_size to more than {} or lower character_coverage", alphabet + specials)]
    UnigramVocabTooSmall {
        vocab_size: usize,
        alphabet: usize,
        specials: usize,
    },
    #[error("Unigram training: the corpus yields only {maximum} pieces, fewer than vocab_size {vocab_size}; set vocab_size to at most {maximum} (or give more text)")]
    UnigramVocabTooLarge { vocab_size: usize, maximum: usize },
}

/// Reads a whole file as UTF-8, naming the file and the first bad byte.
pub(crate) fn read_utf8(path: &Path) -> Result<String, TextError> {
    let bytes = std::fs::read(path).map_err(|source| TextError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| TextError::InvalidUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })
}
