pub mod data;
pub mod features;
pub mod text;
pub mod tokenizer;
