//! # journey-ml — chapters 1.3 and 2 of the NLP journey: classic NLP
//!
//! Sparse document-term matrices and the scikit-learn-style pipeline built on
//! them: vectorizers (bag-of-words, TF-IDF, hashing), linear classifiers,
//! metrics, sentiment (lexicon, learned, aspect-based), named-entity
//! recognition and topic models. Each concept lives in its own file, cites the
//! paper it follows, and is tested for parity with scikit-learn,
//! vaderSentiment or gensim on real data.

pub mod error;
pub mod sparse;

// Classic text classification (chapter 2).
pub mod bernoulli_nb;
pub mod classifier;
pub mod complement_nb;
pub mod labelled;
pub mod labels;
pub mod lbfgs;
pub mod linear_svm;
pub mod logistic_regression;
pub mod metrics;
pub mod model_file;
pub mod model_selection;
pub mod multinomial_nb;
pub mod naive_bayes;
pub mod nbsvm;
pub mod rng;
pub mod text_classifier;
pub mod text_features;

pub use classifier::{AnyClassifier, Classifier, Scores};
pub use error::MlError;
pub use sparse::{CsrMatrix, Norm};
