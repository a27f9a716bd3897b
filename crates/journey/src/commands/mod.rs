pub mod data;
pub mod fasttext;
pub mod features;
pub mod ner;
pub mod sentiment;
pub mod text;
pub mod tokenizer;
pub mod topics;
