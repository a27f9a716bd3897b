//! Neural networks for the NLP journey (roadmap 3): backpropagation from
//! first principles, the training toolkit (optimisers, schedules, clipping,
//! checkpoints) and the classic deep architectures for text (RNN, LSTM, GRU,
//! text CNN, attention, seq2seq), built on candle's tensors and autograd.

pub mod attention;
pub mod error;
mod fast_math;
pub mod gru;
pub mod lstm;
pub mod recurrent;
pub mod rnn;
pub mod text_cnn;

pub use error::{NnError, Result};
