//! # journey-embed — chapter 1.4 of the NLP journey: word embeddings
//!
//! word2vec, GloVe and fastText trained here; the ecosystem's vector files
//! read and written; nearest neighbours, analogies and the standard
//! similarity and analogy evaluations, checked against gensim on real data.

pub mod checkpoint;
pub mod error;
pub mod evaluation;
pub mod fasttext_supervised;
pub mod fasttext_unsupervised;
pub mod glove;
pub mod glove_cooccur;
pub mod hnsw;
pub mod huffman;
pub mod npy;
pub mod parquet_strings;
pub mod pca;
pub mod phrases;
pub mod pretrained;
pub mod similarity;
pub mod snappy;
pub mod subwords;
pub mod tsne;
pub mod vector_files;
pub mod vectors;
pub mod word2vec;

pub use error::EmbedError;
pub use vector_files::{read_vectors, write_vectors, VectorFormat};
pub use vectors::Embeddings;
