//! Benchmark: all-MiniLM-L6-v2 sentence embeddings of the 1,000 sentences
//! of the parity test (872 SST-2 dev, 128 Multi30k test), best of 3 runs,
//! against `tools/reference/minilm_golden.py --bench` (sentence-transformers).
//!
//! RAYON_NUM_THREADS=2 cargo run --release -p journey-llm --example bench_minilm -- \
//!     --data ../shared/data --model ~/.cache/journey/models/all-MiniLM-L6-v2 [--batch-size 32]

use std::path::PathBuf;
use std::time::Instant;

use journey_llm::sentence_embedder::SentenceEmbedder;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let data = PathBuf::from(get("--data").ok_or("--data DIR")?);
    let model = PathBuf::from(get("--model").ok_or("--model DIR")?);
    let batch: usize = get("--batch-size").map_or(Ok(32), |b| b.parse())?;
    let sst = std::fs::read_to_string(data.join("classification/sst2/dev.tsv"))?;
    let mut sentences: Vec<String> = sst
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once('\t').map(|(_, s)| s.to_string()))
        .collect();
    let caps = std::fs::read_to_string(data.join("eval/parallel/multi30k/test.en"))?;
    sentences.extend(caps.lines().take(128).map(str::to_string));
    let m = SentenceEmbedder::load(&model)?;
    m.embed(&sentences[..64], batch)?; // warm-up
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        m.embed(&sentences, batch)?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{{\"sentences\": {}, \"best_s\": {best:.3}, \"sentences_per_s\": {:.1}, \"threads\": {}}}",
        sentences.len(),
        sentences.len() as f64 / best,
        std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| "all".into())
    );
    Ok(())
}
