//! Transformers from scratch on candle (roadmap chapter 4): the attention
//! blocks, and BERT — loaded from a sentence-transformers folder, it gives
//! the same sentence embeddings as `sentence-transformers` — with semantic
//! search over them.

pub mod alibi;
pub mod bert;
pub mod error;
pub mod feed_forward;
pub mod multi_head_attention;
pub mod rms_norm;
pub mod rope;
pub mod scaled_dot_product;
pub mod semantic_search;
pub mod sentence_embedder;
pub mod sinusoidal;

pub use error::{LlmError, Result};
