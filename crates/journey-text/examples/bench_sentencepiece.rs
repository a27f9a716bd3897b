//! Throughput of the SentencePiece processor on the lines of a text file.
//!
//! Encodes every line of FILE to ids with MODEL, REPS times, on one thread,
//! then (REPS times again) as one parallel batch with rayon
//! (`RAYON_NUM_THREADS` honoured), and prints lines/s and MB/s as JSON.
//! Compare with `tools/reference/bench_sentencepiece.py MODEL FILE REPS`
//! (the sentencepiece package) on the same machine.
//!
//! `cargo run --release -p journey-text --example bench_sentencepiece -- /work/shared/data/tokenizers/sentencepiece/llama2-bpe-32k.model /work/shared/data/eval/parallel/multi30k/train.en 3`

use std::time::Instant;

use journey_text::sentencepiece::SentencePieceProcessor;

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: bench_sentencepiece MODEL FILE [REPS]";
    let model = args.next().expect(usage);
    let path = args.next().expect(usage);
    let reps: usize = args
        .next()
        .map_or(3, |r| r.parse().expect("REPS: a number"));
    let sp = SentencePieceProcessor::open(&model).unwrap_or_else(|e| panic!("{e}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let lines: Vec<&str> = text.lines().collect();
    let bytes: usize = lines.iter().map(|l| l.len()).sum();

    // Warm-up, and the id count.
    let ids: usize = lines.iter().map(|l| sp.encode_ids(l).len()).sum();

    let start = Instant::now();
    for _ in 0..reps {
        for line in &lines {
            std::hint::black_box(sp.encode_ids(line));
        }
    }
    let single = start.elapsed().as_secs_f64();

    let start = Instant::now();
    for _ in 0..reps {
        std::hint::black_box(sp.encode_ids_batch(&lines));
    }
    let batch = start.elapsed().as_secs_f64();

    let n_lines = (lines.len() * reps) as f64;
    let mb = (bytes * reps) as f64 / 1e6;
    println!(
        "{}",
        serde_json::json!({
            "tool": "journey-text SentencePieceProcessor::encode_ids",
            "model": model,
            "file": path,
            "bytes": bytes,
            "lines": lines.len(),
            "ids": ids,
            "reps": reps,
            "single_thread": {
                "seconds": single,
                "lines_per_s": n_lines / single,
                "mb_per_s": mb / single,
            },
            "batch": {
                "threads": rayon::current_num_threads(),
                "seconds": batch,
                "lines_per_s": n_lines / batch,
                "mb_per_s": mb / batch,
            },
        })
    );
}
