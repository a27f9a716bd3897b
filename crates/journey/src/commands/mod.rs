pub mod data;
pub mod ner;
pub mod text;
pub mod tokenizer;
