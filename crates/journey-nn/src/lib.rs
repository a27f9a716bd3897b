//! Neural networks for the NLP journey (roadmap 3): backpropagation from
//! first principles, the training toolkit (optimisers, schedules, clipping,
//! checkpoints) and the classic deep architectures for text (RNN, LSTM, GRU,
//! text CNN, attention, seq2seq), built on candle's tensors and autograd.

pub mod activations;
pub mod diagnostics;
pub mod error;
pub mod gradient_check;
pub mod init;
pub mod mlp;
pub mod rng;
pub mod scalar_autograd;
pub mod scalar_mlp;
pub mod sms_features;

pub use error::{NnError, Result};
