pub mod data;
pub mod text;
pub mod tokenizer;
pub mod topics;
