//! word2vec training speed and quality, side by side with
//! `tools/reference/bench_word2vec.py` (gensim 4.4.0).
//!
//! Command (from the repository root):
//!     cargo run --release -p journey-embed --example bench_word2vec -- \
//!         --data /work/shared/data --threads 2 --epochs 5
//!
//! Corpus: the files of `common::BENCH_FILES` under `corpora/`, each line ASCII-
//! lowercased, every byte that is not an ASCII letter or digit replaced by a
//! space, empty lines dropped (the Python script does the same). For SGNS and
//! CBOW with negative sampling (dim 100, window 5, negative 5, min_count 5,
//! sample 1e-3, gensim's defaults otherwise) prints one JSON line each:
//! seconds (vocabulary + training), corpus words × epochs / second, Google
//! analogy accuracy (restrict_vocab 30,000), WordSim-353 and SimLex-999 ρ.

#[path = "common/mod.rs"]
mod common;

use journey_embed::evaluation::{evaluate_analogies, evaluate_word_pairs};
use journey_embed::word2vec::{train, Word2VecConfig};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let opt = common::opt;
    let data = PathBuf::from(opt("--data", "../shared/data"));
    let threads: usize = opt("--threads", "2").parse().expect("--threads");
    let epochs: usize = opt("--epochs", "5").parse().expect("--epochs");
    let only = opt("--only", "sg,cbow");
    let (text, tokens) = common::bench_corpus(&data);
    let ev = data.join("eval/word_vectors");
    for (name, sg) in [("sg", true), ("cbow", false)] {
        if !only.split(',').any(|o| o == name) {
            continue;
        }
        let cfg = Word2VecConfig {
            sg,
            threads,
            epochs,
            ..Word2VecConfig::default()
        };
        let t = Instant::now();
        let m = train(&text, &cfg).expect("training");
        let secs = t.elapsed().as_secs_f64();
        let an = evaluate_analogies(&m.vectors, &ev.join("questions-words.txt"), 30_000).unwrap();
        let ws = evaluate_word_pairs(&m.vectors, &ev.join("wordsim353.tsv"), 300_000).unwrap();
        let sl = evaluate_word_pairs(&m.vectors, &ev.join("simlex999.txt"), 300_000).unwrap();
        println!(
            "{}",
            serde_json::json!({
                "impl": "journey", "model": name, "tokens": tokens, "vocab": m.vocab.words.len(),
                "threads": threads, "epochs": epochs, "seconds": secs,
                "words_per_sec": (tokens * epochs) as f64 / secs,
                "analogy_acc": an.total.accuracy(), "analogy_questions": an.total.correct + an.total.incorrect,
                "wordsim_spearman": ws.spearman, "simlex_spearman": sl.spearman,
            })
        );
    }
}
