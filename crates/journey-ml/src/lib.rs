//! # journey-ml — chapters 1.3 and 2 of the NLP journey: classic NLP
//!
//! Sparse document-term matrices and the scikit-learn-style pipeline built on
//! them: vectorizers (bag-of-words, TF-IDF, hashing), linear classifiers,
//! metrics, sentiment (lexicon, learned, aspect-based), named-entity
//! recognition and topic models. Each concept lives in its own file, cites the
//! paper it follows, and is tested for parity with scikit-learn,
//! vaderSentiment or gensim on real data.

pub mod absa;
pub mod absa_extraction;
pub mod absa_learned;
pub mod absa_polarity;
pub mod analyzer;
pub mod bleu;
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
pub mod sacrebleu_tokenize;
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

pub use analyzer::{AnalyzerConfig, AnalyzerKind, StopWordList, StripAccents};
pub use count_vectorizer::{CountVectorizer, CountVectorizerConfig, DocFrequency};
pub use hashing_vectorizer::{HashingVectorizer, HashingVectorizerConfig};
pub use tfidf::{TfidfConfig, TfidfTransformer, TfidfVectorizer, TfidfVectorizerConfig};
