//! Readers for the formats of the data sets. Each reports errors with the
//! file and line; large files are streamed line by line.

pub mod conll;
pub mod delimited;
pub mod fasttext;
pub mod hellaswag;
pub mod parallel;
pub mod pattern_lexicon;
pub mod semeval;
pub mod text;
pub mod vader;
