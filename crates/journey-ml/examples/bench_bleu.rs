//! Corpus BLEU speed against sacreBLEU: the Multi30k training split (29,000
//! German references) scored against a noisy copy of itself (words dropped and
//! swapped, p = 0.3, the recipe of `tools/reference/bleu_golden.py`), 13a.
//!
//! ```text
//! JOURNEY_DATA=/work/shared/data cargo run --release -p journey-ml --example bench_bleu
//! JOURNEY_DATA=/work/shared/data /root/venvs/ref/bin/python tools/reference/bench_bleu.py
//! ```
//!
//! Median of 5 runs after a warm-up; each run tokenizes everything again.

use std::time::Instant;

use journey_ml::bleu::{Bleu, BleuConfig};
use journey_ml::pystr;

fn noisy(lines: &[String], p: f64, seed: u64) -> Vec<String> {
    let mut state = seed;
    let mut uniform = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    lines
        .iter()
        .map(|line| {
            let mut words: Vec<&str> = pystr::split(line).filter(|_| uniform() >= p).collect();
            for i in 0..words.len().saturating_sub(1) {
                if uniform() < p / 2.0 {
                    words.swap(i, i + 1);
                }
            }
            words.join(" ")
        })
        .collect()
}

fn main() {
    let data = std::env::var("JOURNEY_DATA").expect("set JOURNEY_DATA");
    let path = format!("{data}/eval/parallel/multi30k/train.de");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let refs: Vec<String> = text.lines().map(str::to_string).collect();
    let hyps = noisy(&refs, 0.3, 3);
    let refs = vec![refs];
    let bleu = Bleu::new(BleuConfig::default()).unwrap();
    let mut score = bleu.corpus_score(&hyps, &refs).unwrap();
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        score = bleu.corpus_score(&hyps, &refs).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!("threads: {}", rayon::current_num_threads());
    println!("{score}");
    println!(
        "corpus BLEU, {} segments: {:.1} ms (median of 5)",
        hyps.len(),
        times[2]
    );
}
