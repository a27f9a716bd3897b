//! Time of byte-level BPE training on about 15 MB of real text.
//!
//! The corpus (`$JOURNEY_DATA`, default `/work/shared/data`), in this order,
//! each file whole and as it is on disk (15,256,509 bytes in all):
//!
//! | file | bytes |
//! |---|---|
//! | corpora/kjv/kjv.txt | 4,298,239 |
//! | corpora/tinyshakespeare/input.txt | 1,115,394 |
//! | corpora/wikitext-2/valid.txt | 1,121,681 |
//! | corpora/wikitext-2/test.txt | 1,256,449 |
//! | classification/sst2/train.tsv | 3,806,081 |
//! | classification/ag_news/test.csv | 1,857,427 |
//! | eval/parallel/multi30k/train.en | 1,801,238 |
//!
//! Each line (with its `"\n"`) is one document, as HF `tokenizers` reads
//! training files, so both sides can spread the pre-tokenization over the
//! threads. Pre-tokenizer: GPT-2's pattern through `fancy-regex` (HF uses
//! Oniguruma). Special token `<|endoftext|>`, vocab size VOCAB (default 8000).
//! Training runs twice, in a 1-thread rayon pool and in the default pool
//! (`RAYON_NUM_THREADS` honoured); the time covers counting and merging, not
//! reading the files. Compare with `tools/reference/bench_bpe_train.py`.
//!
//! `cargo run --release -p journey-text --example bench_bpe_train -- [VOCAB]`

use std::time::Instant;

use journey_text::bpe_train::{pretokenizer_fn, BpeTrainer, BpeTrainerConfig};

/// The benchmark corpus, relative to `$JOURNEY_DATA`.
pub const FILES: [&str; 7] = [
    "corpora/kjv/kjv.txt",
    "corpora/tinyshakespeare/input.txt",
    "corpora/wikitext-2/valid.txt",
    "corpora/wikitext-2/test.txt",
    "classification/sst2/train.tsv",
    "classification/ag_news/test.csv",
    "eval/parallel/multi30k/train.en",
];

const GPT2_PATTERN: &str =
    r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

fn main() {
    let vocab_size: usize = std::env::args()
        .nth(1)
        .map_or(8000, |v| v.parse().expect("VOCAB: a number"));
    let root = std::env::var("JOURNEY_DATA").unwrap_or_else(|_| "/work/shared/data".into());
    let mut text = String::new();
    for f in FILES {
        let path = format!("{root}/{f}");
        text.push_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")));
    }
    let docs: Vec<&str> = text.split_inclusive('\n').collect();

    let re = fancy_regex::Regex::new(GPT2_PATTERN).expect("valid pattern");
    let pre = pretokenizer_fn(|t, out| {
        for m in re.find_iter(t) {
            out(m.expect("no backtracking limit hit").as_str());
        }
    });
    let trainer = BpeTrainer::new(BpeTrainerConfig {
        vocab_size,
        special_tokens: vec!["<|endoftext|>".into()],
        ..BpeTrainerConfig::default()
    });

    let mut runs = Vec::new();
    let mut merges = None;
    for threads in [1, rayon::current_num_threads()] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let (count_s, merge_s, model) = pool.install(|| {
            let start = Instant::now();
            let counts = trainer.count_pretokens(&docs, &pre).expect("counts");
            let count_s = start.elapsed().as_secs_f64();
            let start = Instant::now();
            let model = trainer.train_from_counts(&counts).expect("training");
            (count_s, start.elapsed().as_secs_f64(), model)
        });
        if let Some(m) = &merges {
            assert_eq!(m, &model.merges, "thread count changed the merges");
        }
        merges = Some(model.merges);
        runs.push(serde_json::json!({
            "threads": threads,
            "seconds": count_s + merge_s,
            "count_seconds": count_s,
            "merge_seconds": merge_s,
        }));
    }
    let merges = merges.expect("two runs");
    if let Ok(out) = std::env::var("BPE_BENCH_MERGES") {
        let model_merges: String = merges
            .iter()
            .map(|(a, b)| format!("{:?} {:?}\n", a, b))
            .collect();
        std::fs::write(out, model_merges).expect("write merges");
    }
    println!(
        "{}",
        serde_json::json!({
            "tool": "journey-text BpeTrainer",
            "bytes": text.len(),
            "documents": docs.len(),
            "vocab_size": vocab_size,
            "merges": merges.len(),
            "runs": runs,
        })
    );
}
