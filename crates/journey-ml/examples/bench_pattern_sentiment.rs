//! Pattern / TextBlob lexicon sentiment speed: sentences per second over the
//! corpus of bench_vader.rs (82,154 texts), on one thread and on all cores
//! (rayon), best of REPS passes after one untimed warm-up pass. Prints one
//! JSON line per run. The Python side is `tools/reference/bench_vader.py`
//! (its TextBlob runs), same corpus, same repetitions.
//!
//! cargo run --release -p journey-ml --example bench_pattern_sentiment -- /work/shared/data [reps=3]

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use journey_ml::pattern_sentiment::{PatternAnalyzer, PatternConfig, PatternLexicon};

#[path = "common/sentiment_corpus.rs"]
mod sentiment_corpus;
use sentiment_corpus::{args, load_corpus};

fn main() {
    let (root, reps) = args();
    let texts = load_corpus(Path::new(&root));
    let lexicon = Path::new(&root).join("lexicons/textblob_pattern_en-sentiment.xml");
    let lexicon = PatternLexicon::from_file(&lexicon).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    let analyzer = PatternAnalyzer::new(lexicon, PatternConfig::default());
    let serial = || {
        texts
            .iter()
            .map(|t| analyzer.sentiment(black_box(t)).polarity)
            .sum::<f64>()
    };
    let parallel = || {
        analyzer
            .sentiment_batch(black_box(&texts))
            .iter()
            .map(|s| s.polarity)
            .sum::<f64>()
    };
    report("1", &texts, reps, serial);
    report(
        &rayon::current_num_threads().to_string(),
        &texts,
        reps,
        parallel,
    );
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
        "tool": "journey-ml pattern",
        "threads": threads,
        "texts": texts.len(),
        "reps": reps,
        "best_seconds": best,
        "sentences_per_s": (texts.len() as f64 / best).round(),
        "checksum": (checksum * 1e6).round() / 1e6,
    });
    println!("{line}");
}
