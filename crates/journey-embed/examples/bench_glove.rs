//! GloVe training speed and quality, side by side with
//! `tools/reference/bench_glove.py` (glove-python, packaged as
//! bicleaner-ai-glove 0.2.1).
//!
//! Command (from the repository root):
//!     cargo run --release -p journey-embed --example bench_glove -- \
//!         --data /work/shared/data --threads 2 --epochs 25
//!
//! Corpus: the files of `common::BENCH_FILES` under `corpora/` (those of
//! `bench_word2vec`), each line ASCII-lowercased, every byte that is not an
//! ASCII letter or digit replaced by a space, empty lines dropped (the Python
//! script does the same). Settings: dim 100, window 10, min_count 5, x_max
//! 100, α 0.75, learning rate 0.05, seed 1. Prints one JSON line: seconds
//! for counting and for training, co-occurrence entries, the cost of each
//! epoch, Google analogy accuracy (restrict_vocab 30,000), WordSim-353 and
//! SimLex-999 ρ. `--memory-mb N` bounds the counting table (spilling to
//! shards); `--x-max X` changes x_max (the Stanford demo uses 10).

#[path = "common/mod.rs"]
mod common;

use journey_embed::evaluation::{evaluate_analogies, evaluate_word_pairs};
use journey_embed::glove::{train_cooccurrences, GloveConfig};
use journey_embed::glove_cooccur::cooccur;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let opt = common::opt;
    let data = PathBuf::from(opt("--data", "../shared/data"));
    let threads: usize = opt("--threads", "2").parse().expect("--threads");
    let epochs: usize = opt("--epochs", "25").parse().expect("--epochs");
    let memory_mb: usize = opt("--memory-mb", "512").parse().expect("--memory-mb");
    let x_max: f64 = opt("--x-max", "100").parse().expect("--x-max");
    let (text, tokens) = common::bench_corpus(&data);
    let ev = data.join("eval/word_vectors");
    let cfg = GloveConfig {
        dim: 100,
        window: 10,
        min_count: 5,
        epochs,
        threads,
        seed: 1,
        memory_mb,
        x_max,
        ..GloveConfig::default()
    };
    let t = Instant::now();
    let co = cooccur(&text, &cfg.cooccur_config()).expect("counting");
    let count_secs = t.elapsed().as_secs_f64();
    let t2 = Instant::now();
    let m = train_cooccurrences(co, &cfg, |e, c| eprintln!("epoch {e}: cost {c:.6}"))
        .expect("training");
    let train_secs = t2.elapsed().as_secs_f64();
    let an = evaluate_analogies(&m.vectors, &ev.join("questions-words.txt"), 30_000).unwrap();
    let ws = evaluate_word_pairs(&m.vectors, &ev.join("wordsim353.tsv"), 300_000).unwrap();
    let sl = evaluate_word_pairs(&m.vectors, &ev.join("simlex999.txt"), 300_000).unwrap();
    println!(
        "{}",
        serde_json::json!({
            "impl": "journey", "tokens": tokens, "vocab": m.vocab.words.len(),
            "entries": m.entries, "shards": m.shards,
            "threads": threads, "epochs": epochs, "x_max": x_max,
            "count_seconds": count_secs, "train_seconds": train_secs,
            "seconds": count_secs + train_secs,
            "costs": m.costs,
            "analogy_acc": an.total.accuracy(), "analogy_questions": an.total.correct + an.total.incorrect,
            "wordsim_spearman": ws.spearman, "simlex_spearman": sl.spearman,
        })
    );
}
