pub mod data;
pub mod sentiment;
pub mod text;
pub mod tokenizer;
pub mod topics;
