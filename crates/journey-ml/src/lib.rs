//! # journey-ml — chapters 1.3 and 2 of the NLP journey: classic NLP
//!
//! Sparse document-term matrices and the scikit-learn-style pipeline built on
//! them: vectorizers (bag-of-words, TF-IDF, hashing), linear classifiers,
//! metrics, sentiment (lexicon, learned, aspect-based), named-entity
//! recognition and topic models. Each concept lives in its own file, cites the
//! paper it follows, and is tested for parity with scikit-learn,
//! vaderSentiment or gensim on real data.

pub mod averaged_perceptron;
pub mod conlleval;
pub mod crf;
pub mod crf_optim;
pub mod error;
pub mod gazetteer;
pub mod ner_corpus;
pub mod ner_features;
pub mod ner_rules;
pub mod ner_tagger;
pub mod sparse;
pub mod tag_scheme;
pub mod viterbi;

pub use error::MlError;
pub use sparse::{CsrMatrix, Norm};
