//! # journey-ml — chapters 1.3 and 2 of the NLP journey: classic NLP
//!
//! Sparse document-term matrices and the scikit-learn-style pipeline built on
//! them: vectorizers (bag-of-words, TF-IDF, hashing), linear classifiers,
//! metrics, sentiment (lexicon, learned, aspect-based), named-entity
//! recognition and topic models. Each concept lives in its own file, cites the
//! paper it follows, and is tested for parity with scikit-learn,
//! vaderSentiment or gensim on real data.

pub mod absa;
pub mod coherence;
pub mod dictionary;
pub mod error;
pub mod lda_gibbs;
pub mod lda_online;
pub mod nmf;
pub mod pattern_sentiment;
pub mod pystr;
pub mod randomized_svd;
pub mod sparse;
pub mod special;
pub mod topic_model;
pub mod vader;
pub mod xoshiro;

pub use error::MlError;
pub use sparse::{CsrMatrix, Norm};
