//! VADER speed: sentences per second over a real corpus, on one thread and
//! on all cores (rayon), after one untimed warm-up pass. The corpus is every
//! SST-2 train sentence plus every VADER ground-truth text (82,154 texts),
//! read as raw lines: the text after the first tab (SST-2's header skipped).
//! The lexicons are vaderSentiment 3.3.2's (catalog `vader-lexicon-3.3.2`
//! and `vader-emoji-lexicon`, from $JOURNEY_DATA, the cache or PyPI), as the
//! reference's default analyzer uses. Prints one JSON line per run. The Python
//! side is `tools/reference/bench_vader.py`, same corpus, same repetitions.
//!
//! cargo run --release -p journey-ml --example bench_vader -- /work/shared/data [reps=3]

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use journey_ml::vader::SentimentIntensityAnalyzer;

#[path = "common/sentiment_corpus.rs"]
mod sentiment_corpus;
use sentiment_corpus::{args, load_corpus};

fn main() {
    let (root, reps) = args();
    let texts = load_corpus(Path::new(&root));
    let resolver = journey_data::Resolver::from_env(None);
    let analyzer = SentimentIntensityAnalyzer::from_resolver(&resolver).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    let serial = || {
        texts
            .iter()
            .map(|t| analyzer.polarity_scores(black_box(t)).compound)
            .sum::<f64>()
    };
    let parallel = || {
        analyzer
            .polarity_scores_batch(black_box(&texts))
            .iter()
            .map(|s| s.compound)
            .sum::<f64>()
    };
    report("1", &texts, reps, serial);
    let threads = rayon::current_num_threads().to_string();
    report(&threads, &texts, reps, parallel);
}

/// Best of `reps` timed passes after one warm-up pass.
fn report(threads: &str, texts: &[String], reps: usize, pass: impl Fn() -> f64) {
    let checksum = black_box(pass());
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let start = Instant::now();
        black_box(pass());
        best = best.min(start.elapsed().as_secs_f64());
    }
    let line = serde_json::json!({
        "tool": "journey-ml vader",
        "threads": threads,
        "texts": texts.len(),
        "reps": reps,
        "best_seconds": best,
        "sentences_per_s": (texts.len() as f64 / best).round(),
        "checksum": (checksum * 1e4).round() / 1e4,
    });
    println!("{line}");
}
