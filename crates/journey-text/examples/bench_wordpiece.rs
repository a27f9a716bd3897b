//! Benchmark: WordPiece (BERT) encoding speed with all-MiniLM-L6-v2's
//! `tokenizer.json` (truncation 128, padding 128, as the file says).
//!
//! Encodes every SST-2 training sentence with `encode_batch`, `--reps` times
//! after one warm-up, on one rayon thread and on all threads, and prints JSON
//! lines (sentences/s, MB/s of input text). `tools/reference/bench_wordpiece.py`
//! measures HF tokenizers on the same sentences.
//!
//! ```text
//! JOURNEY_DATA=../shared/data cargo run --release -p journey-text --example bench_wordpiece -- --reps 5
//! ```

use std::path::PathBuf;
use std::time::Instant;

use journey_text::wordpiece::WordPieceTokenizer;
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut reps = 5usize;
    let data = PathBuf::from(std::env::var_os("JOURNEY_DATA").unwrap_or("../shared/data".into()));
    let models = std::env::var_os("JOURNEY_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/journey/models")
        });
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--reps" => reps = args.next().ok_or("--reps needs a value")?.parse()?,
            _ => return Err(format!("unknown flag {flag}; use --reps N").into()),
        }
    }
    let tok =
        WordPieceTokenizer::from_tokenizer_json(&models.join("all-MiniLM-L6-v2/tokenizer.json"))?;
    let path = data.join("classification/sst2/train.tsv");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let sentences: Vec<&str> = text
        .split('\n')
        .skip(1)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter_map(|l| l.split_once('\t').map(|(_, s)| s))
        .collect();
    let bytes: usize = sentences.iter().map(|s| s.len()).sum();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    for (threads, label) in [
        (1usize, "1 thread"),
        (rayon::current_num_threads(), "all threads"),
    ] {
        let run = || {
            if threads == 1 {
                one.install(|| tok.encode_batch(&sentences))
            } else {
                tok.encode_batch(&sentences)
            }
        };
        let n_tokens: usize = run()
            .iter()
            .map(|e| e.attention_mask.iter().sum::<u32>() as usize)
            .sum();
        let mut times = Vec::new();
        for _ in 0..reps.max(1) {
            let start = Instant::now();
            std::hint::black_box(run());
            times.push(start.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        let t = times[times.len() / 2];
        println!(
            "{}",
            json!({
                "impl": "journey-text", "mode": label, "threads": threads,
                "sentences": sentences.len(), "mbytes": bytes as f64 / 1e6, "tokens": n_tokens,
                "median_s": t, "sentences_per_s": sentences.len() as f64 / t,
                "mb_per_s": bytes as f64 / 1e6 / t,
            })
        );
    }
    Ok(())
}
