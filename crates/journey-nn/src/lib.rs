//! Neural networks for the NLP journey (roadmap 3): backpropagation from
//! first principles, the training toolkit (optimisers, schedules, clipping,
//! checkpoints) and the classic deep architectures for text (RNN, LSTM, GRU,
//! text CNN, attention, seq2seq), built on candle's tensors and autograd.

pub mod accumulate;
pub mod activations;
pub mod allocator;
pub mod attention;
pub mod batching;
pub mod beam_search;
pub mod bilm;
pub mod bilstm_crf;
pub mod char_lm;
pub mod checkpoint;
pub mod clip;
pub mod crf_layer;
pub mod detokenize;
pub mod diagnostics;
pub mod dropout;
pub mod early_stopping;
pub mod error;
pub mod fused;
pub mod gradient_check;
pub mod gru;
pub mod init;
pub mod layer_probe;
pub mod lstm;
pub mod mlp;
pub mod model_file;
pub mod neural_classifier;
pub mod optim;
pub mod recurrent;
pub mod rng;
pub mod rnn;
pub mod rnn_gradients;
pub mod run_dir;
pub mod scalar_autograd;
pub mod scalar_mix;
pub mod scalar_mlp;
pub mod schedule;
pub mod seq2seq;
pub mod shuffle;
pub mod sms_features;
pub mod text_cnn;
pub mod trainer;
pub mod vocab;

mod fast_math;

pub use error::{NnError, Result};
