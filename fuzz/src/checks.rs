//! The checks behind the fuzz targets, shared with the stable smoke test
//! `crates/journey-text/tests/fuzz_smoke.rs` (which includes this file), so
//! that CI exercises them without a nightly toolchain.
//!
//! * [`check_roundtrip`]: arbitrary bytes, read as text with
//!   `from_utf8_lossy`, through every loaded tokenizer. Byte-level BPE must
//!   give the text back, and the raw bytes through `encode_piece`;
//!   SentencePiece must return ids in range and spans on character
//!   boundaries, and decode (Llama 2, identity normaliser with byte fallback,
//!   must give the text back with `▁` read as a space); WordPiece must
//!   return ids in range and offsets on character boundaries, and decode.
//! * [`check_model_files`]: arbitrary bytes to every file reader; each must
//!   return an error or a tokenizer that then encodes and decodes.
//!
//! A failed check panics, which is what a fuzzer reports.

use std::path::{Path, PathBuf};

use journey_text::bpe::{BytePairEncoding, SpecialSet};
use journey_text::bpe_files::{parse_gpt2_ranks, parse_tiktoken_ranks, Encoding};
use journey_text::pretokenize::Pretokenizer;
use journey_text::sentencepiece::SentencePieceProcessor;
use journey_text::wordpiece::{parse_vocab_txt, WordPiece, WordPieceTokenizer};
use journey_text::wordpiece_train::{WordPieceTrainer, WordPieceTrainerConfig};

/// The tokenizers [`check_roundtrip`] runs.
pub struct Tokenizers {
    pub bpe: Vec<BytePairEncoding>,
    pub sentencepiece: Vec<SentencePieceProcessor>,
    pub wordpiece: Vec<WordPieceTokenizer>,
}

impl Tokenizers {
    /// From `$JOURNEY_DATA` (required) and, when present,
    /// `$JOURNEY_MODELS/all-MiniLM-L6-v2/tokenizer.json`.
    pub fn from_env() -> Self {
        let root = std::env::var_os("JOURNEY_DATA")
            .map(PathBuf::from)
            .expect("set JOURNEY_DATA to the shared data folder (tokenizer files)");
        let mut t = Self::load(&root);
        if let Some(models) = std::env::var_os("JOURNEY_MODELS") {
            let path = Path::new(&models).join("all-MiniLM-L6-v2/tokenizer.json");
            if path.exists() {
                t.wordpiece
                    .push(WordPieceTokenizer::from_tokenizer_json(&path).expect("MiniLM loads"));
            }
        }
        t
    }

    /// cl100k_base and o200k_base, the three SentencePiece models, and a
    /// WordPiece tokenizer trained on 1,000 SMS Spam messages, all from the
    /// data folder `root`.
    pub fn load(root: &Path) -> Self {
        let bpe = [Encoding::Cl100kBase, Encoding::O200kBase]
            .iter()
            .map(|e| {
                e.load(root)
                    .unwrap_or_else(|err| panic!("{}: {err}", e.name()))
            })
            .collect();
        let sentencepiece = ["toy-unigram-1k", "opennmt-unigram-1k", "llama2-bpe-32k"]
            .iter()
            .map(|m| {
                let path = root.join(format!("tokenizers/sentencepiece/{m}.model"));
                SentencePieceProcessor::open(&path).unwrap_or_else(|e| panic!("{e}"))
            })
            .collect();
        let sms = std::fs::read_to_string(root.join("classification/sms_spam/sms.tsv"))
            .expect("classification/sms_spam/sms.tsv");
        let lines: Vec<&str> = sms.lines().take(1000).collect();
        let config = WordPieceTrainerConfig {
            vocab_size: 800,
            ..Default::default()
        };
        let wordpiece = vec![WordPieceTrainer::new(config)
            .train(&lines)
            .expect("WordPiece training")];
        Tokenizers {
            bpe,
            sentencepiece,
            wordpiece,
        }
    }
}

/// See the module documentation.
pub fn check_roundtrip(t: &Tokenizers, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    for bpe in &t.bpe {
        let ids = bpe.encode_ordinary(text);
        assert_eq!(
            bpe.decode(&ids).expect("valid UTF-8"),
            text,
            "{}",
            bpe.name()
        );
        let ids = bpe
            .encode(text, SpecialSet::All)
            .expect("all specials allowed");
        assert_eq!(
            bpe.decode(&ids).expect("valid UTF-8"),
            text,
            "{}",
            bpe.name()
        );
        let ids = bpe.encode_piece(data);
        assert_eq!(
            bpe.decode_bytes(&ids).expect("known ids"),
            data,
            "{}",
            bpe.name()
        );
    }
    for sp in &t.sentencepiece {
        let toks = sp.encode(text);
        let mut last = 0;
        for tok in &toks {
            assert!((tok.id as usize) < sp.len());
            assert!(tok.start >= last && tok.start <= tok.end && tok.end <= text.len());
            assert!(text.is_char_boundary(tok.start) && text.is_char_boundary(tok.end));
            last = tok.start;
        }
        let ids: Vec<u32> = toks.iter().map(|tok| tok.id).collect();
        let decoded = sp.decode(&ids).expect("ids in range");
        if sp.path().to_string_lossy().contains("llama2") {
            assert_eq!(decoded, text.replace('\u{2581}', " "));
        }
    }
    for wp in &t.wordpiece {
        let enc = wp.encode(text);
        for (i, &id) in enc.ids.iter().enumerate() {
            assert!(wp.id_to_token(id).is_some(), "id {id}");
            let (start, end) = enc.offsets[i];
            assert!(start <= end && end <= text.len());
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        }
        let _ = wp.decode(&enc.ids, true);
    }
}

/// A text with the characters tokenizers trip on, to exercise a freshly
/// parsed tokenizer.
const PROBE: &str = "Hello wörld, ▁x\u{0}\t日本語 🙂👍🏽 ﬁ ＡＢＣ [UNK] <|endoftext|> ##ing";

/// See the module documentation.
pub fn check_model_files(data: &[u8]) {
    let path = Path::new("fuzz-input");
    if let Ok(sp) = SentencePieceProcessor::from_bytes(data, "fuzz.model") {
        let ids = sp.encode_ids(PROBE);
        assert!(ids.iter().all(|&id| (id as usize) < sp.len()));
        let _ = sp.decode(&ids);
    }
    if let Ok(ranks) = parse_tiktoken_ranks(data, path) {
        if let Ok(bpe) = BytePairEncoding::new("fuzz", ranks, [], Pretokenizer::Cl100k) {
            let ids = bpe.encode_ordinary(PROBE);
            assert_eq!(bpe.decode_bytes(&ids).expect("own ids"), PROBE.as_bytes());
        }
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(tok) = WordPieceTokenizer::from_tokenizer_json_str(text, path) {
        let enc = tok.encode_pair(PROBE, PROBE);
        let _ = tok.decode(&enc.ids, false);
        let _ = tok.to_tokenizer_json();
    }
    if let Ok(bpe) = journey_text::bpe_json::from_tokenizer_json_str(text, path) {
        let ids = bpe.encode(PROBE, SpecialSet::All).expect("all allowed");
        let _ = bpe.decode_lossy(&ids);
    }
    if let Ok(vocab) = parse_vocab_txt(text, path) {
        if let Ok(model) = WordPiece::new(vocab, "[UNK]", "##", 100) {
            let _ = model.tokenize("unaffable");
            let _ = model.to_vocab_txt();
        }
    }
    // encoder.json and vocab.bpe: the two halves of the text.
    let mut mid = text.len() / 2;
    while !text.is_char_boundary(mid) {
        mid -= 1;
    }
    if let Ok(ranks) = parse_gpt2_ranks(&text[..mid], path, &text[mid..], path) {
        if let Ok(bpe) = BytePairEncoding::new("fuzz", ranks, [], Pretokenizer::Gpt2) {
            let ids = bpe.encode_ordinary(PROBE);
            assert_eq!(bpe.decode_bytes(&ids).expect("own ids"), PROBE.as_bytes());
        }
    }
}
