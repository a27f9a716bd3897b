//! Neural networks for the NLP journey (roadmap 3): backpropagation from
//! first principles, the training toolkit (optimisers, schedules, clipping,
//! checkpoints) and the classic deep architectures for text (RNN, LSTM, GRU,
//! text CNN, attention, seq2seq), built on candle's tensors and autograd.

pub mod error;
pub mod fused;

pub use error::{NnError, Result};
