//! # journey-embed — chapter 1.4 of the NLP journey: word embeddings
//!
//! word2vec, GloVe and fastText trained here; the ecosystem's vector files
//! read and written; nearest neighbours, analogies and the standard
//! similarity and analogy evaluations, checked against gensim on real data.

pub mod error;
pub mod fasttext_supervised;

pub use error::EmbedError;
