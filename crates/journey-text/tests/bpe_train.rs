//! Byte-level BPE training against the Stanford CS336 assignment 1 fixture
//! (`tests/fixtures/train-bpe-reference-{merges.txt,vocab.json}` of
//! stanford-cs336/assignment1-basics, MIT, in
//! `$JOURNEY_DATA/tokenizers/bpe_training/`): on `corpus.en`, vocab size 500,
//! special token `<|endoftext|>`, the merges must come out in the same order
//! and the vocabulary must be the same. CS336's own test compares the merges
//! as an ordered list of byte pairs and the vocabulary as sets of ids and of
//! byte strings; here both files are also compared byte for byte.

mod common;

use journey_text::bpe_train::{
    pretokenizer_fn, BpeModel, BpeTrainer, BpeTrainerConfig, PreTokenizer,
};
use journey_text::TextError;

/// GPT-2's pre-tokenizer (`encoder.py`), run with `fancy-regex` as an oracle:
/// the library takes the pre-tokenizer as a parameter.
const GPT2_PATTERN: &str =
    r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

fn gpt2_pretokenizer() -> impl PreTokenizer {
    let re = fancy_regex::Regex::new(GPT2_PATTERN).unwrap();
    pretokenizer_fn(move |text, out| {
        for m in re.find_iter(text) {
            out(m
                .expect("the GPT-2 pattern does not backtrack far")
                .as_str());
        }
    })
}

fn trainer(vocab_size: usize) -> BpeTrainer {
    BpeTrainer::new(BpeTrainerConfig {
        vocab_size,
        special_tokens: vec!["<|endoftext|>".into()],
        ..BpeTrainerConfig::default()
    })
}

const DIR: &str = "tokenizers/bpe_training";

#[test]
fn reproduces_cs336_reference_exactly() {
    let (Some(corpus), Some(ref_merges), Some(ref_vocab)) = (
        common::data_file(&format!("{DIR}/corpus.en")),
        common::data_file(&format!("{DIR}/train-bpe-reference-merges.txt")),
        common::data_file(&format!("{DIR}/train-bpe-reference-vocab.json")),
    ) else {
        return;
    };
    let pre = gpt2_pretokenizer();
    let model = trainer(500).train_files(&[&corpus], &pre).unwrap();
    assert_eq!(model.vocab.len(), 500);

    // The files, byte for byte.
    let expected_merges = std::fs::read_to_string(&ref_merges).unwrap();
    let got_merges = model.to_merges_txt();
    for (i, (g, e)) in got_merges.lines().zip(expected_merges.lines()).enumerate() {
        assert_eq!(g, e, "merge {} differs", i + 1);
    }
    assert_eq!(got_merges, expected_merges);
    assert_eq!(
        model.to_vocab_json(),
        std::fs::read_to_string(&ref_vocab).unwrap()
    );

    // CS336's own comparison, through the loader: merges as an ordered list
    // of byte pairs, vocab as equal sets of ids and of byte strings (here
    // even equal id for id).
    let reference = BpeModel::load(&ref_vocab, &ref_merges).unwrap();
    assert_eq!(model.merges, reference.merges);
    assert_eq!(model.vocab, reference.vocab);
    assert_eq!(reference.special_tokens, ["<|endoftext|>"]);

    // Save and load round trip.
    let dir = std::env::temp_dir().join(format!("journey-bpe-train-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (v, m) = (dir.join("vocab.json"), dir.join("merges.txt"));
    model.save(&v, &m).unwrap();
    assert_eq!(
        std::fs::read(&v).unwrap(),
        std::fs::read(&ref_vocab).unwrap()
    );
    assert_eq!(BpeModel::load(&v, &m).unwrap(), model);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn deterministic_across_runs_and_thread_counts() {
    let Some(corpus) = common::data_file(&format!("{DIR}/tinystories_sample.txt")) else {
        return;
    };
    let text = std::fs::read_to_string(corpus).unwrap();
    // Many documents, so that the counting really is split over threads.
    let docs: Vec<&str> = text.split_inclusive('\n').collect();
    let pre = gpt2_pretokenizer();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| trainer(400).train(&docs, &pre).unwrap())
    };
    let one = run(1);
    assert!(one.merges.len() > 100);
    assert_eq!(one, run(1));
    assert_eq!(one, run(4));
    // One document or many: the pre-token counts are the same here (lines
    // end in "\n", which the pattern never joins to the next line's word).
    assert_eq!(one, trainer(400).train(&[text.as_str()], &pre).unwrap());
}

#[test]
fn special_tokens_are_never_merged() {
    let text = "a<|endoftext|>b<|endoftext|>ab<|endoftext|>ab<|endoftext|>";
    let pre = gpt2_pretokenizer();
    let model = trainer(300).train(&[text], &pre).unwrap();
    assert_eq!(model.vocab[0], b"<|endoftext|>");
    // Only "ab" occurs twice as a pair; nothing touches the special token's
    // pieces ("|", "<", "end" never appear as bytes of the training text).
    assert_eq!(model.merges, vec![(b"a".to_vec(), b"b".to_vec())]);
    assert_eq!(model.vocab.len(), 258);
    for (a, b) in &model.merges {
        assert!(!a.contains(&b'|') && !b.contains(&b'|'));
    }
}

#[test]
fn empty_corpus_is_an_error() {
    let pre = gpt2_pretokenizer();
    let empty: [&str; 0] = [];
    assert!(matches!(
        trainer(300).train(&empty, &pre),
        Err(TextError::EmptyCorpus)
    ));
    let err = trainer(300)
        .train(&["", "<|endoftext|><|endoftext|>"], &pre)
        .unwrap_err();
    assert!(matches!(err, TextError::EmptyCorpus));
    assert!(err.to_string().contains("no text"), "{err}");
}

#[test]
fn vocab_smaller_than_bytes_and_specials_is_an_error() {
    let pre = gpt2_pretokenizer();
    let err = trainer(256).train(&["hello"], &pre).unwrap_err();
    match &err {
        TextError::VocabTooSmall {
            vocab_size,
            minimum,
            specials,
        } => assert_eq!((*vocab_size, *minimum, *specials), (256, 257, 1)),
        other => panic!("unexpected error {other}"),
    }
    assert!(err.to_string().contains("at least 257"), "{err}");
    // Exactly 256 + specials: valid, and learns nothing.
    let model = trainer(257).train(&["hello hello"], &pre).unwrap();
    assert!(model.merges.is_empty());
}

#[test]
fn bad_special_tokens_are_errors() {
    let pre = gpt2_pretokenizer();
    for specials in [vec!["".to_string()], vec!["<s>".into(), "<s>".into()]] {
        let t = BpeTrainer::new(BpeTrainerConfig {
            vocab_size: 300,
            special_tokens: specials,
            ..BpeTrainerConfig::default()
        });
        assert!(matches!(
            t.train(&["hello"], &pre),
            Err(TextError::Invalid(_))
        ));
    }
}

#[test]
fn config_round_trips_through_json() {
    let c = BpeTrainerConfig {
        vocab_size: 1000,
        special_tokens: vec!["<|endoftext|>".into()],
        min_frequency: 2,
    };
    let json = serde_json::to_string(&c).unwrap();
    assert_eq!(serde_json::from_str::<BpeTrainerConfig>(&json).unwrap(), c);
    let partial: BpeTrainerConfig = serde_json::from_str(r#"{"vocab_size": 512}"#).unwrap();
    assert_eq!(partial.vocab_size, 512);
    assert!(partial.special_tokens.is_empty());
}
