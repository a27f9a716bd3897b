//! Throughput of the Penn Treebank tokenizer on the lines of a text file.
//!
//! Tokenizes every line of FILE, REPS times, on one thread, then (REPS times
//! again) as one parallel batch with rayon (`RAYON_NUM_THREADS` honoured), and
//! prints tokens/s and lines/s as JSON. Compare with
//! `tools/reference/bench_treebank.py FILE REPS` (NLTK) on the same machine.
//!
//! `cargo run --release -p journey-text --example bench_treebank -- /work/shared/data/corpora/kjv/kjv.txt 5`

use std::time::Instant;

use journey_text::treebank::TreebankWordTokenizer;
use journey_text::Tokenizer;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: bench_treebank FILE [REPS]");
    let reps: usize = args
        .next()
        .map_or(5, |r| r.parse().expect("REPS: a number"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let lines: Vec<&str> = text.lines().collect();
    let t = TreebankWordTokenizer::default();

    // Warm-up, and the token count.
    let tokens: usize = lines.iter().map(|l| t.tokenize(l).len()).sum();

    let start = Instant::now();
    for _ in 0..reps {
        for line in &lines {
            std::hint::black_box(t.tokenize(line));
        }
    }
    let single = start.elapsed().as_secs_f64();

    let start = Instant::now();
    for _ in 0..reps {
        std::hint::black_box(t.tokenize_batch(&lines));
    }
    let batch = start.elapsed().as_secs_f64();

    let n_lines = (lines.len() * reps) as f64;
    let n_tokens = (tokens * reps) as f64;
    println!(
        "{}",
        serde_json::json!({
            "tool": "journey-text TreebankWordTokenizer",
            "file": path,
            "bytes": text.len(),
            "lines": lines.len(),
            "tokens": tokens,
            "reps": reps,
            "single_thread": {
                "seconds": single,
                "lines_per_s": n_lines / single,
                "tokens_per_s": n_tokens / single,
            },
            "batch": {
                "threads": rayon::current_num_threads(),
                "seconds": batch,
                "lines_per_s": n_lines / batch,
                "tokens_per_s": n_tokens / batch,
            },
        })
    );
}
