//! Stemming speed for German, French and Spanish: our Snowball stemmers and
//! rust-stemmers' on each language's Snowball vocabulary (`<lang>/voc.txt`),
//! each over all words `reps` times after one warm-up pass. Prints one JSON
//! line per stemmer (words/s). The Python side is
//! `tools/reference/bench_snowball.py`, same lists, same repetitions.
//!
//! cargo run --release -p journey-text --example bench_snowball -- \
//!     /usr/share/snowball/data [reps=10]

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use journey_text::snowball_french::FrenchStemmer;
use journey_text::snowball_german::GermanStemmer;
use journey_text::snowball_spanish::SpanishStemmer;
use journey_text::Stemmer;
use rust_stemmers::Algorithm;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| "/usr/share/snowball/data".to_string());
    let reps: usize = match args.next().map(|r| r.parse()) {
        None => 10,
        Some(Ok(r)) if r > 0 => r,
        Some(_) => {
            eprintln!(
                "usage: bench_snowball [SNOWBALL_DATA_DIR] [REPS]  (REPS a positive whole number)"
            );
            std::process::exit(2);
        }
    };
    let languages: [(&str, &dyn Stemmer, Algorithm); 3] = [
        ("german", &GermanStemmer, Algorithm::German),
        ("french", &FrenchStemmer, Algorithm::French),
        ("spanish", &SpanishStemmer, Algorithm::Spanish),
    ];
    for (language, ours, algorithm) in languages {
        let path = Path::new(&dir).join(language).join("voc.txt");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!(
                "cannot read {}: {e} (apt-get install snowball-data, or pass the folder)",
                path.display()
            );
            std::process::exit(1);
        });
        let words: Vec<&str> = text.lines().filter(|w| !w.is_empty()).collect();
        let oracle = rust_stemmers::Stemmer::create(algorithm);
        bench("journey-text", language, &words, reps, |w| {
            ours.stem(w).len()
        });
        bench("rust-stemmers 1.2.0", language, &words, reps, |w| {
            oracle.stem(w).len()
        });
    }
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
