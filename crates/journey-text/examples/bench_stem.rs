//! Stemming speed: our Porter, our Porter2 and rust-stemmers' English on one
//! word list, each over all words `reps` times after one warm-up pass.
//! Prints one JSON line per stemmer (words/s). The Python side is
//! `tools/reference/bench_stem.py`, same list, same repetitions.
//!
//! cargo run --release -p journey-text --example bench_stem -- \
//!     /work/shared/data/eval/stemming/english/voc.txt [reps=10]

use std::hint::black_box;
use std::time::Instant;

use journey_text::porter::PorterStemmer;
use journey_text::porter2::Porter2Stemmer;
use journey_text::Stemmer;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: bench_stem WORDS.txt [REPS]  (one word a line)");
        std::process::exit(2);
    };
    let reps: usize = match args.next().map(|r| r.parse()) {
        None => 10,
        Some(Ok(r)) if r > 0 => r,
        Some(_) => {
            eprintln!("REPS must be a positive whole number");
            std::process::exit(2);
        }
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(1);
    });
    let words: Vec<&str> = text.lines().filter(|w| !w.is_empty()).collect();

    let oracle = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    bench("journey-text", "porter", &words, reps, |w| {
        PorterStemmer.stem(w).len()
    });
    bench("journey-text", "porter2", &words, reps, |w| {
        Porter2Stemmer.stem(w).len()
    });
    bench("rust-stemmers 1.2.0", "english", &words, reps, |w| {
        oracle.stem(w).len()
    });
}

/// Times `reps` passes of `stem` over `words` (after one untimed pass).
fn bench(tool: &str, stemmer: &str, words: &[&str], reps: usize, stem: impl Fn(&str) -> usize) {
    let pass = || words.iter().map(|w| stem(black_box(w))).sum::<usize>();
    black_box(pass());
    let start = Instant::now();
    for _ in 0..reps {
        black_box(pass());
    }
    let seconds = start.elapsed().as_secs_f64();
    let n = words.len() * reps;
    let line = serde_json::json!({
        "tool": tool,
        "stemmer": stemmer,
        "words": words.len(),
        "reps": reps,
        "seconds": seconds,
        "words_per_s": (n as f64 / seconds).round(),
    });
    println!("{line}");
}
