//! Encode throughput of byte-level BPE (cl100k_base, o200k_base) on a large
//! real text, single-threaded and as a parallel batch.
//!
//! The text is the concatenation, in this order, of BENCH_FILES under DATA
//! (about 18 MB; `tools/reference/bench_bpe.py` builds the same text). It is
//! split on "\n" and every line is encoded with `encode_ordinary`: once per
//! repetition on one thread, then as one `encode_ordinary_batch` (rayon, all
//! cores; `RAYON_NUM_THREADS` honoured). The best of REPS runs is reported as
//! JSON lines, MB = 10^6 bytes of UTF-8 input.
//!
//! `cargo run --release -p journey-text --example bench_bpe -- /work/shared/data 3`

use std::path::Path;
use std::time::Instant;

use journey_text::bpe_files::Encoding;

/// The benchmark text, relative to the data folder (same list in bench_bpe.py).
const BENCH_FILES: [&str; 9] = [
    "corpora/kjv/kjv.txt",
    "corpora/tinyshakespeare/input.txt",
    "corpora/wikitext-2/valid.txt",
    "corpora/wikitext-2/test.txt",
    "classification/sst2/train.tsv",
    "classification/ag_news/test.csv",
    "classification/sms_spam/sms.tsv",
    "eval/parallel/multi30k/train.de",
    "eval/parallel/multi30k/train.en",
];

fn best<F: FnMut()>(reps: usize, mut f: F) -> f64 {
    (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let data = args
        .next()
        .or_else(|| std::env::var("JOURNEY_DATA").ok())
        .expect("usage: bench_bpe DATA [REPS]");
    let reps: usize = args
        .next()
        .map_or(3, |r| r.parse().expect("REPS: a number"));
    let data = Path::new(&data);
    let mut text = String::new();
    for f in BENCH_FILES {
        let p = data.join(f);
        text.push_str(
            &std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
        );
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let mb = text.len() as f64 / 1e6;
    for e in [Encoding::Cl100kBase, Encoding::O200kBase] {
        let t = Instant::now();
        let enc = e.load(data).unwrap_or_else(|err| panic!("{err}"));
        let load_s = t.elapsed().as_secs_f64();
        let tokens: usize = enc.encode_ordinary_batch(&lines).iter().map(Vec::len).sum();
        let single = best(reps, || {
            for l in &lines {
                std::hint::black_box(enc.encode_ordinary(l));
            }
        });
        let batch = best(reps, || {
            std::hint::black_box(enc.encode_ordinary_batch(&lines));
        });
        for (mode, secs, threads) in [
            ("single", single, 1),
            ("batch", batch, rayon::current_num_threads()),
        ] {
            println!(
                "{}",
                serde_json::json!({
                    "tool": "journey-text BytePairEncoding",
                    "encoding": e.name(),
                    "mode": mode,
                    "threads": threads,
                    "mb": mb,
                    "lines": lines.len(),
                    "tokens": tokens,
                    "seconds": secs,
                    "mb_per_s": mb / secs,
                    "load_seconds": load_s,
                })
            );
        }
    }
}
