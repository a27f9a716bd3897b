//! # journey-text — chapter 1.2 of the NLP journey: text preprocessing
//!
//! Everything that turns raw text into the units later chapters count, embed
//! and model: Unicode normalisation, word and sentence tokenizers, stemmers,
//! a WordNet lemmatizer, stop words and n-grams. Each concept lives in its own
//! file, opens with the paper or reference it follows, and is tested for
//! parity against the implementation people already trust (NLTK, Snowball).

pub mod bert_basic;
pub mod bpe;
pub mod bpe_files;
pub mod bpe_json;
pub mod bpe_train;
#[rustfmt::skip]
mod bert_tables;
pub mod error;
pub mod lemmatizer;
pub mod ngrams;
pub mod normalize;
pub mod porter;
pub mod porter2;
pub mod pretokenize;
pub mod punkt;
pub mod sentencepiece;
pub mod sentencepiece_charsmap;
pub mod sentencepiece_model;
pub mod sentencepiece_normalizer;
pub mod sentences;
mod snowball;
pub mod snowball_french;
pub mod snowball_german;
pub mod snowball_spanish;
pub mod stopwords;
#[rustfmt::skip]
pub mod stopwords_sklearn;
pub mod suffix_array;
pub mod treebank;
pub mod unicode_script;
pub mod unicode_words;
pub mod unigram;
pub mod unigram_json;
pub mod unigram_train;
pub mod wordnet;
pub mod wordpiece;
pub mod wordpiece_json;
pub mod wordpiece_train;

pub use error::TextError;

/// Reduces a word to its stem. Stemmers are pure functions of one word.
pub trait Stemmer: Send + Sync {
    /// The stem of `word` (expected lower-case, as in the Snowball vocabularies).
    fn stem(&self, word: &str) -> String;
}

/// Splits a piece of text (usually one line or one sentence) into tokens.
pub trait Tokenizer: Send + Sync {
    fn tokenize(&self, text: &str) -> Vec<String>;
}
