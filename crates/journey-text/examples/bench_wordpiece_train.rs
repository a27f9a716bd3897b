//! Time of WordPiece training on about 15 MB of real text, and its parity
//! with HF at that size.
//!
//! The corpus is that of `bench_bpe_train.rs` (`$JOURNEY_DATA`, default
//! `/work/shared/data`; seven files, 15,256,509 bytes), split at `"\n"`, each
//! line one text. Settings: HF `BertWordPieceTokenizer.train`'s defaults
//! (uncased BERT normaliser, min_frequency 2, limit_alphabet 1000, special
//! tokens `[PAD] [UNK] [CLS] [SEP] [MASK]`), vocab size VOCAB (default
//! 30000). Training runs in a 1-thread rayon pool and in the default pool
//! (`RAYON_NUM_THREADS` honoured); the time covers normalising, counting and
//! merging, not reading the files. Compare with
//! `tools/reference/bench_wordpiece_train.py`.
//!
//! With HF_VOCAB (the vocabulary the Python script wrote, one token a line),
//! also trains with HF's order of the continuing tokens and reports whether
//! the vocabulary is HF's, token for token, and how many tokens our own
//! order shares with it.
//!
//! `cargo run --release -p journey-text --example bench_wordpiece_train -- [VOCAB [HF_VOCAB]]`

use std::collections::HashSet;
use std::time::Instant;

use journey_text::wordpiece_train::{WordPieceTrainer, WordPieceTrainerConfig};

/// The benchmark corpus, relative to `$JOURNEY_DATA` (as bench_bpe_train).
const FILES: [&str; 7] = [
    "corpora/kjv/kjv.txt",
    "corpora/tinyshakespeare/input.txt",
    "corpora/wikitext-2/valid.txt",
    "corpora/wikitext-2/test.txt",
    "classification/sst2/train.tsv",
    "classification/ag_news/test.csv",
    "eval/parallel/multi30k/train.en",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let vocab_size: usize = args
        .get(1)
        .map_or(30_000, |v| v.parse().expect("VOCAB: a number"));
    let root = std::env::var("JOURNEY_DATA").unwrap_or_else(|_| "/work/shared/data".into());
    let mut text = String::new();
    for f in FILES {
        let path = format!("{root}/{f}");
        text.push_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")));
    }
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last() == Some(&"") {
        lines.pop();
    }
    let trainer = WordPieceTrainer::new(WordPieceTrainerConfig {
        vocab_size,
        ..Default::default()
    });

    let mut runs = Vec::new();
    let mut result = None;
    let mut counts = None;
    for threads in [1, rayon::current_num_threads()] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let (count_s, merge_s, c, vocab) = pool.install(|| {
            let start = Instant::now();
            let c = trainer.count_words(&lines).expect("counts");
            let count_s = start.elapsed().as_secs_f64();
            let start = Instant::now();
            let vocab = trainer.vocab_from_counts(&c).expect("training");
            (count_s, start.elapsed().as_secs_f64(), c, vocab)
        });
        if let Some(v) = &result {
            assert_eq!(v, &vocab, "thread count changed the vocabulary");
        }
        result = Some(vocab);
        counts = Some(c);
        runs.push(serde_json::json!({
            "threads": threads,
            "seconds": count_s + merge_s,
            "count_seconds": count_s,
            "merge_seconds": merge_s,
        }));
    }
    let vocab = result.expect("two runs");
    let counts = counts.expect("two runs");

    let parity = args.get(2).map(|path| {
        let hf: Vec<String> = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .lines()
            .map(str::to_string)
            .collect();
        let continuing: Vec<String> = hf
            .iter()
            .filter(|t| t.strip_prefix("##").is_some_and(|r| r.chars().count() == 1))
            .cloned()
            .collect();
        let in_order = trainer
            .vocab_from_counts_in_order(&counts, &continuing)
            .expect("training");
        let hf_set: HashSet<&String> = hf.iter().collect();
        let same_ids = in_order.iter().zip(&hf).filter(|(a, b)| a == b).count();
        serde_json::json!({
            "hf_tokens": hf.len(),
            "in_hf_order_identical": in_order == hf,
            "in_hf_order_same_id": same_ids,
            "own_order_shared_tokens": vocab.iter().filter(|t| hf_set.contains(t)).count(),
            "own_order_same_id": vocab.iter().zip(&hf).filter(|(a, b)| a == b).count(),
        })
    });
    println!(
        "{}",
        serde_json::json!({
            "tool": "journey-text WordPieceTrainer",
            "bytes": text.len(),
            "lines": lines.len(),
            "distinct_words": counts.len(),
            "vocab_size": vocab_size,
            "vocab": vocab.len(),
            "runs": runs,
            "parity": parity,
        })
    );
}
