//! # journey-ml — chapters 1.3 and 2 of the NLP journey: classic NLP
//!
//! Sparse document-term matrices and the scikit-learn-style pipeline built on
//! them: vectorizers (bag-of-words, TF-IDF, hashing), linear classifiers,
//! metrics, sentiment (lexicon, learned, aspect-based), named-entity
//! recognition and topic models. Each concept lives in its own file, cites the
//! paper it follows, and is tested for parity with scikit-learn,
//! vaderSentiment or gensim on real data.

pub mod absa;
pub mod analyzer;
pub mod coherence;
pub mod count_vectorizer;
pub mod dictionary;
pub mod error;
pub mod hashing_vectorizer;
mod interner;
pub mod lda_gibbs;
pub mod lda_online;
pub mod murmur3;
pub mod nmf;
pub mod pattern_sentiment;
pub mod pystr;
pub mod randomized_svd;
pub mod sparse;
pub mod special;
pub mod topic_model;
pub mod vader;
pub mod xoshiro;
#[rustfmt::skip]
mod python_word_table;
pub mod averaged_perceptron;
pub mod conlleval;
pub mod crf;
pub mod crf_optim;
pub mod gazetteer;
pub mod ner_corpus;
pub mod ner_features;
pub mod ner_rules;
pub mod ner_tagger;
pub mod tag_scheme;
pub mod tfidf;
pub mod token_pattern;
pub mod viterbi;

pub use error::MlError;
pub use sparse::{CsrMatrix, Norm};

pub use analyzer::{AnalyzerConfig, AnalyzerKind, StopWordList, StripAccents};
pub use count_vectorizer::{CountVectorizer, CountVectorizerConfig, DocFrequency};
pub use hashing_vectorizer::{HashingVectorizer, HashingVectorizerConfig};
pub use tfidf::{TfidfConfig, TfidfTransformer, TfidfVectorizer, TfidfVectorizerConfig};
