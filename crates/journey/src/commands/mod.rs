pub mod classify;
pub mod data;
pub mod text;
pub mod tokenizer;
