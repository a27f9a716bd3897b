pub mod data;
pub mod embed;
pub mod sentiment;
pub mod text;
pub mod tokenizer;
