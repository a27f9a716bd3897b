//! Unsupervised fastText training speed and quality, side by side with
//! `tools/reference/bench_fasttext_unsup.py` (gensim 4.4.0 `FastText`, and
//! Debian's `fasttext` 0.9.2 for speed).
//!
//! Command (from the repository root):
//!     cargo run --release -p journey-embed --example bench_fasttext_unsup -- \
//!         --data /work/shared/data --threads 2 --epochs 5 [--seed S] [--save DIR]
//!
//! Corpus: the word2vec benchmark's (`bench_word2vec.rs`): the files of
//! `common::BENCH_FILES` under `corpora/`, ASCII-lowercased, every byte that is not
//! an ASCII letter or digit replaced by a space, empty lines dropped. For
//! skip-gram and CBOW at gensim's `FastText` defaults (dim 100, window 5,
//! negative 5, min_count 5, sample 1e-3, minn 3, maxn 6, bucket 2,000,000)
//! prints one JSON line each: seconds (vocabulary + training + the word
//! vectors), corpus words × epochs / second (wall clock and CPU time), Google analogy accuracy
//! (restrict_vocab 30,000), WordSim-353 and SimLex-999 ρ. `--save DIR`
//! writes `DIR/ours_{sg,cbow}.bin` and `.vec` for
//! `tools/reference/fasttext_bin_check.py`.

#[path = "common/mod.rs"]
mod common;

use journey_embed::evaluation::{evaluate_analogies, evaluate_word_pairs};
use journey_embed::fasttext_unsupervised::{FastText, FastTextConfig};
use journey_embed::{write_vectors, VectorFormat};
use std::path::PathBuf;
use std::time::Instant;

/// CPU seconds (user + system, all threads) of this process, from
/// `/proc/self/stat` (Linux; 0 elsewhere): with other jobs on the machine,
/// the fairer speed figure.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // Fields 14 and 15 of the file (utime, stime) in clock ticks (100 Hz).
    f.get(11)
        .zip(f.get(12))
        .map_or(0.0, |(u, s)| (u + s) / 100.0)
}

fn main() {
    let opt = common::opt;
    let data = PathBuf::from(opt("--data", "../shared/data"));
    let threads: usize = opt("--threads", "2").parse().expect("--threads");
    let epochs: usize = opt("--epochs", "5").parse().expect("--epochs");
    let seed: u64 = opt("--seed", "1").parse().expect("--seed");
    let only = opt("--only", "sg,cbow");
    let save = std::env::args()
        .any(|a| a == "--save")
        .then(|| PathBuf::from(opt("--save", ".")));
    let (text, tokens) = common::bench_corpus(&data);
    let ev = data.join("eval/word_vectors");
    for (name, sg) in [("sg", true), ("cbow", false)] {
        if !only.split(',').any(|o| o == name) {
            continue;
        }
        let cfg = FastTextConfig {
            sg,
            threads,
            epochs,
            seed,
            ..FastTextConfig::default()
        };
        let t = Instant::now();
        let cpu = cpu_seconds();
        let m = FastText::train(&text, &cfg).expect("training");
        let vectors = m.embeddings().expect("vectors");
        let secs = t.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu;
        if let Some(dir) = &save {
            m.save_bin(&dir.join(format!("ours_{name}.bin")))
                .expect("save .bin");
            write_vectors(
                &vectors,
                &dir.join(format!("ours_{name}.vec")),
                VectorFormat::Text,
            )
            .expect("save .vec");
        }
        let an = evaluate_analogies(&vectors, &ev.join("questions-words.txt"), 30_000).unwrap();
        let ws = evaluate_word_pairs(&vectors, &ev.join("wordsim353.tsv"), 300_000).unwrap();
        let sl = evaluate_word_pairs(&vectors, &ev.join("simlex999.txt"), 300_000).unwrap();
        println!(
            "{}",
            serde_json::json!({
                "impl": "journey", "model": name, "tokens": tokens, "vocab": m.nwords(),
                "threads": threads, "epochs": epochs, "seed": seed, "seconds": secs,
                "words_per_sec": (tokens * epochs) as f64 / secs,
                "cpu_seconds": cpu, "words_per_cpu_sec": (tokens * epochs) as f64 / cpu,
                "analogy_acc": an.total.accuracy(), "analogy_questions": an.total.correct + an.total.incorrect,
                "wordsim_spearman": ws.spearman, "simlex_spearman": sl.spearman,
            })
        );
    }
}
