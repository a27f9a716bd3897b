//! WordPiece training against HF tokenizers 0.23.3 (`BertWordPieceTokenizer`
//! / `WordPieceTrainer`), on 3,000 real lines for each configuration of
//! `tests/fixtures/wordpiece_train/golden.json` (written by
//! `tools/reference/wordpiece_train_golden.py`): SMS Spam, uncased, BERT's
//! defaults; Multi30k German, cased, with a cut alphabet, an initial
//! alphabet, other special tokens, min_frequency 3 and the prefix `@@`.
//!
//! HF numbers the continuing tokens (`##x`) in the random order of a hash
//! table, so two HF runs differ; given the order of the recorded run, the
//! vocabulary must be that run's exactly: every token at the same id. With
//! our own (byte) order the run is deterministic and shares its alphabet and
//! continuing tokens with HF's.

mod common;

use std::collections::HashMap;

use journey_text::bert_basic::BertNormalizerConfig;
use journey_text::wordpiece::{WordPiece, WordPieceTokenizer};
use journey_text::wordpiece_train::{WordPieceTrainer, WordPieceTrainerConfig};
use serde_json::Value;
use sha2::{Digest, Sha256};

struct Case {
    golden: Value,
    lines: Vec<String>,
    trainer: WordPieceTrainer,
}

impl Case {
    fn strs(&self, key: &str) -> Vec<String> {
        self.golden[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }

    fn name(&self) -> &str {
        self.golden["name"].as_str().unwrap()
    }
}

/// The fixture's configurations with their corpus lines, or `None` (skip).
fn cases() -> Option<Vec<Case>> {
    let text = std::fs::read_to_string(common::fixture("wordpiece_train/golden.json")).unwrap();
    let golden: Vec<Value> = serde_json::from_str(&text).unwrap();
    let mut out = Vec::new();
    for g in golden {
        let src = &g["source"];
        let path = common::data_file(src["file"].as_str().unwrap())?;
        let n = src["lines"].as_u64().unwrap() as usize;
        let tabs = src["after_tabs"].as_u64().unwrap() as usize;
        let lines: Vec<String> = common::read_lines(&path, false)
            .into_iter()
            .take(n)
            .map(|l| l.splitn(tabs + 1, '\t').nth(tabs).unwrap().to_string())
            .collect();
        let c = &g["config"];
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect()
        };
        let lowercase = c["lowercase"].as_bool().unwrap();
        let config = WordPieceTrainerConfig {
            vocab_size: c["vocab_size"].as_u64().unwrap() as usize,
            min_frequency: c["min_frequency"].as_u64().unwrap(),
            special_tokens: strings(&c["special_tokens"]),
            limit_alphabet: c["limit_alphabet"].as_u64().map(|l| l as usize),
            initial_alphabet: strings(&c["initial_alphabet"])
                .iter()
                .filter_map(|s| s.chars().next())
                .collect(),
            continuing_subword_prefix: c["prefix"].as_str().unwrap().to_string(),
            normalizer: BertNormalizerConfig {
                lowercase,
                strip_accents: c["strip_accents"].as_bool(),
                ..Default::default()
            },
            ..Default::default()
        };
        out.push(Case {
            golden: g,
            lines,
            trainer: WordPieceTrainer::new(config),
        });
    }
    Some(out)
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn counts(case: &Case) -> HashMap<String, u64> {
    let counts = case.trainer.count_words(&case.lines).unwrap();
    let g = &case.golden;
    assert_eq!(
        counts.len() as u64,
        g["distinct_words"].as_u64().unwrap(),
        "{}: distinct words after normaliser and pre-tokenizer",
        case.name()
    );
    assert_eq!(
        counts.values().sum::<u64>(),
        g["word_occurrences"].as_u64().unwrap(),
        "{}: word occurrences",
        case.name()
    );
    counts
}

#[test]
fn reproduces_hf_vocabulary_exactly_given_its_continuing_order() {
    let Some(cases) = cases() else { return };
    for case in &cases {
        let name = case.name();
        let counts = counts(case);
        let vocab = case
            .trainer
            .vocab_from_counts_in_order(&counts, &case.strs("continuing"))
            .unwrap();
        let g = &case.golden;
        assert_eq!(
            vocab.len() as u64,
            g["vocab_len"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(vocab[..50], case.strs("head"), "{name}: first 50 tokens");
        assert_eq!(
            vocab[vocab.len() - 50..],
            case.strs("tail"),
            "{name}: last 50 tokens"
        );
        assert_eq!(
            sha256_hex(&vocab.join("\n")),
            g["vocab_sha256"].as_str().unwrap(),
            "{name}: the whole vocabulary"
        );

        // The tokenizer built on it encodes as HF's trained tokenizer does,
        // and its tokenizer.json is HF's apart from the vocabulary.
        let tok = case.trainer.tokenizer(&vocab).unwrap();
        let n = g["encoded_lines"].as_u64().unwrap() as usize;
        let encoded: Vec<String> = tok
            .encode_batch(&case.lines[..n])
            .iter()
            .map(|e| {
                e.ids
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(
            sha256_hex(&encoded.join("\n")),
            g["encoded_sha256"].as_str().unwrap(),
            "{name}: ids of the first {n} lines"
        );
        let mut json: Value = serde_json::from_str(&tok.to_tokenizer_json()).unwrap();
        json["model"]["vocab"] = Value::Null;
        assert_eq!(json, g["tokenizer_json_without_vocab"], "{name}");
    }
}

#[test]
fn own_order_is_deterministic_and_shares_the_alphabet_with_hf() {
    let Some(cases) = cases() else { return };
    for case in &cases {
        let name = case.name();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    let counts = case.trainer.count_words(&case.lines).unwrap();
                    case.trainer.vocab_from_counts(&counts).unwrap()
                })
        };
        let vocab = run(1);
        assert_eq!(vocab, run(3), "{name}: thread count changed the result");
        let g = &case.golden;
        assert_eq!(
            vocab.len() as u64,
            g["vocab_len"].as_u64().unwrap(),
            "{name}"
        );

        // Special tokens and alphabet: HF's, id for id; then the same
        // continuing tokens (in another order).
        let continuing = case.strs("continuing");
        let head = case.strs("head");
        let alphabet_end = vocab.iter().position(|t| continuing.contains(t)).unwrap();
        let compare = alphabet_end.min(head.len());
        assert_eq!(vocab[..compare], head[..compare], "{name}");
        let mut ours = vocab[alphabet_end..alphabet_end + continuing.len()].to_vec();
        let mut theirs = continuing.clone();
        ours.sort();
        theirs.sort();
        assert_eq!(ours, theirs, "{name}: continuing tokens");
    }
}

#[test]
fn trained_files_round_trip() {
    let Some(cases) = cases() else { return };
    let case = &cases[1];
    let tok = case.trainer.train(&case.lines).unwrap();
    let dir = tempfile::tempdir().unwrap();

    // tokenizer.json: read back, the same tokenizer.
    let json = dir.path().join("tokenizer.json");
    tok.save_tokenizer_json(&json).unwrap();
    let back = WordPieceTokenizer::from_tokenizer_json(&json).unwrap();
    assert_eq!(back, tok);

    // vocab.txt: the same model (vocab.txt carries only the tokens; the
    // prefix is given when reading).
    let txt = dir.path().join("vocab.txt");
    tok.model.save_vocab_txt(&txt).unwrap();
    let model = WordPiece::from_vocab_txt(&txt, "[UNK]").unwrap();
    assert_eq!(model.vocab(), tok.model.vocab());
    assert_eq!(model.vocab_size(), tok.model.vocab_size());

    // Every word of the corpus is covered: the alphabet is its characters
    // (less the rare ones cut by limit_alphabet, here 19 of 79).
    let enc = tok.encode_batch(&case.lines[..200]);
    let unk = tok.token_to_id("[UNK]").unwrap();
    let unknown: usize = enc
        .iter()
        .map(|e| e.ids.iter().filter(|&&i| i == unk).count())
        .sum();
    let total: usize = enc.iter().map(|e| e.len()).sum();
    assert!(unknown * 100 < total, "{unknown} of {total} tokens unknown");
    assert!(enc[0].tokens.iter().any(|t| t.starts_with("@@")));
}

#[test]
fn bad_settings_are_errors() {
    let lines = ["hello world"];
    let with = |f: &dyn Fn(&mut WordPieceTrainerConfig)| {
        let mut c = WordPieceTrainerConfig::default();
        f(&mut c);
        WordPieceTrainer::new(c)
            .train(&lines)
            .unwrap_err()
            .to_string()
    };
    let e = with(&|c| c.special_tokens = vec!["[PAD]".into()]);
    assert!(
        e.contains("\"[UNK]\" is not among the special tokens"),
        "{e}"
    );
    let e = with(&|c| c.special_tokens.push("[PAD]".into()));
    assert!(e.contains("listed twice"), "{e}");
    let e = with(&|c| c.special_tokens.push(String::new()));
    assert!(e.contains("is empty"), "{e}");
    let e = WordPieceTrainer::default()
        .train(&["", " \t ", "\u{0}"])
        .unwrap_err()
        .to_string();
    assert!(e.contains("no words"), "{e}");
}

#[test]
fn config_round_trips_through_json() {
    let c = WordPieceTrainerConfig {
        vocab_size: 1234,
        initial_alphabet: vec!['€'],
        ..Default::default()
    };
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(
        serde_json::from_str::<WordPieceTrainerConfig>(&json).unwrap(),
        c
    );
    let partial: WordPieceTrainerConfig = serde_json::from_str(r#"{"vocab_size": 500}"#).unwrap();
    assert_eq!(partial.vocab_size, 500);
    assert_eq!(partial.special_tokens.len(), 5);
    assert_eq!(partial.limit_alphabet, Some(1000));
}
