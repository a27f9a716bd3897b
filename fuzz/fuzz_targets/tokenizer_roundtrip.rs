//! Arbitrary bytes → `from_utf8_lossy` → encode → decode with every
//! tokenizer: byte-level BPE must give the text back (and the raw bytes
//! through `encode_piece`), SentencePiece and WordPiece must return valid ids
//! and spans and decode without panicking. See `src/checks.rs`.

#![no_main]

use std::sync::OnceLock;

use journey_text_fuzz::{check_roundtrip, Tokenizers};
use libfuzzer_sys::fuzz_target;

fn tokenizers() -> &'static Tokenizers {
    static CELL: OnceLock<Tokenizers> = OnceLock::new();
    CELL.get_or_init(Tokenizers::from_env)
}

fuzz_target!(|data: &[u8]| {
    check_roundtrip(tokenizers(), data);
});
