//! Arbitrary bytes fed to every tokenizer-file reader (SentencePiece
//! `.model`, tiktoken ranks, GPT-2 encoder.json + vocab.bpe, HF
//! tokenizer.json for WordPiece and byte-level BPE, BERT vocab.txt): each
//! must return an error or a usable tokenizer, never panic. See
//! `src/checks.rs`.

#![no_main]

use journey_text_fuzz::check_model_files;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_model_files(data);
});
