//! The corpus and arguments of the sentiment benchmarks (bench_vader.rs,
//! bench_pattern_sentiment.rs): every SST-2 train sentence plus every VADER
//! ground-truth text, 82,154 texts, read as raw lines (the text after the
//! first tab; after the second for the ground truth; SST-2's header skipped),
//! exactly as tools/reference/bench_vader.py reads them.

use std::path::Path;

/// Data-root relative file, lines to skip at the top.
pub const CORPUS: [(&str, usize); 3] = [
    ("classification/sst2/train.tsv", 1),
    ("sentiment/vader_groundtruth/tweets_GroundTruth.txt", 0),
    (
        "sentiment/vader_groundtruth/movieReviewSnippets_GroundTruth.txt",
        0,
    ),
];

pub fn load_corpus(root: &Path) -> Vec<String> {
    let mut texts = Vec::new();
    for (rel, skip) in CORPUS {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!("cannot read {}: {e}", path.display());
            std::process::exit(1);
        });
        for line in text.lines().skip(skip) {
            if line.trim().is_empty() {
                continue;
            }
            let body = if rel.starts_with("classification") {
                line.split_once('\t').map_or(line, |(_, t)| t)
            } else {
                line.splitn(3, '\t').nth(2).unwrap_or(line)
            };
            texts.push(body.to_string());
        }
    }
    texts
}

/// `DATA_DIR [REPS]` from the command line.
pub fn args() -> (String, usize) {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: bench_* DATA_DIR [REPS]  (DATA_DIR: the shared data folder)");
        std::process::exit(2);
    };
    let reps = match args.next().map(|r| r.parse::<usize>()) {
        None => 3,
        Some(Ok(r)) if r > 0 => r,
        Some(_) => {
            eprintln!("REPS must be a positive whole number");
            std::process::exit(2);
        }
    };
    (root, reps)
}
