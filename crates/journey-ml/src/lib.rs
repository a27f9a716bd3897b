//! # journey-ml — chapters 1.3 and 2 of the NLP journey: classic NLP
//!
//! Sparse document-term matrices and the scikit-learn-style pipeline built on
//! them: vectorizers (bag-of-words, TF-IDF, hashing), linear classifiers,
//! metrics, sentiment (lexicon, learned, aspect-based), named-entity
//! recognition and topic models. Each concept lives in its own file, cites the
//! paper it follows, and is tested for parity with scikit-learn,
//! vaderSentiment or gensim on real data.

pub mod analyzer;
pub mod count_vectorizer;
pub mod error;
pub mod hashing_vectorizer;
mod interner;
pub mod murmur3;
#[rustfmt::skip]
mod python_word_table;
pub mod sparse;
pub mod tfidf;
pub mod token_pattern;

pub use error::MlError;
pub use sparse::{CsrMatrix, Norm};

pub use analyzer::{AnalyzerConfig, AnalyzerKind, StopWordList, StripAccents};
pub use count_vectorizer::{CountVectorizer, CountVectorizerConfig, DocFrequency};
pub use hashing_vectorizer::{HashingVectorizer, HashingVectorizerConfig};
pub use tfidf::{TfidfConfig, TfidfTransformer, TfidfVectorizer, TfidfVectorizerConfig};
