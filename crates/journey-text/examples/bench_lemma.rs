//! Benchmark: WordNet load time and lemmatization speed.
//!
//! Lemmatizes every word of `tests/fixtures/wordnet_lemmas.tsv` as each part
//! of speech, `--reps` times, one thread (`lemmatize`) and all rayon threads
//! (`lemmatize_batch`), and prints JSON lines. `tools/reference/bench_lemma.py`
//! measures NLTK on the same words with the same repetitions.
//!
//! ```text
//! JOURNEY_DATA=../shared/data cargo run --release -p journey-text --example bench_lemma -- --reps 20
//! ```

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use journey_text::lemmatizer::WordNetLemmatizer;
use journey_text::wordnet::{Pos, WordNet};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut reps = 20usize;
    let mut loads = 5usize;
    let mut wordnet_dir = std::env::var_os("JOURNEY_DATA")
        .map(|d| PathBuf::from(d).join("lexicons/wordnet-3.0"))
        .unwrap_or_else(|| PathBuf::from("../shared/data/lexicons/wordnet-3.0"));
    let mut fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wordnet_lemmas.tsv");
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--reps" => reps = value()?.parse()?,
            "--loads" => loads = value()?.parse()?,
            "--wordnet" => wordnet_dir = PathBuf::from(value()?),
            "--words" => fixture = PathBuf::from(value()?),
            _ => {
                return Err(format!(
                    "unknown flag {flag}; use --reps N --loads N --wordnet DIR --words TSV"
                )
                .into())
            }
        }
    }

    let text =
        std::fs::read_to_string(&fixture).map_err(|e| format!("{}: {e}", fixture.display()))?;
    let words: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .collect();

    let mut times = Vec::new();
    let mut wordnet = None;
    for _ in 0..loads.max(1) {
        let start = Instant::now();
        wordnet = Some(WordNet::open(&wordnet_dir)?);
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{}",
        json!({"impl": "journey-text", "what": "wordnet_load", "loads": times.len(),
               "min_s": times[0], "median_s": times[times.len() / 2],
               "threads": rayon::current_num_threads()})
    );
    let lemmatizer = WordNetLemmatizer::new(wordnet.expect("loaded at least once"));

    for pos in Pos::ALL {
        // Warm-up pass, then the timed repetitions.
        for w in &words {
            black_box(lemmatizer.lemmatize(w, pos));
        }
        let start = Instant::now();
        for _ in 0..reps {
            for w in &words {
                black_box(lemmatizer.lemmatize(black_box(w), pos));
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "{}",
            json!({"impl": "journey-text", "what": "lemmatize", "pos": pos.to_string(),
                   "words": words.len(), "reps": reps, "threads": 1, "seconds": seconds,
                   "words_per_s": (words.len() * reps) as f64 / seconds})
        );

        let start = Instant::now();
        for _ in 0..reps {
            black_box(lemmatizer.lemmatize_batch(&words, pos));
        }
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "{}",
            json!({"impl": "journey-text", "what": "lemmatize_batch", "pos": pos.to_string(),
                   "words": words.len(), "reps": reps, "threads": rayon::current_num_threads(),
                   "seconds": seconds, "words_per_s": (words.len() * reps) as f64 / seconds})
        );
    }
    Ok(())
}
