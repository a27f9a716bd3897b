//! What the word-vector benchmarks share: the benchmark corpus (the six
//! files under `corpora/`, prepared as `tools/reference/bench_word2vec.py`
//! prepares them) and `--flag value` arguments.

#![allow(dead_code)]

use std::path::Path;

/// The corpus files, in order.
pub const BENCH_FILES: &[&str] = &[
    "corpora/kjv/kjv.txt",
    "corpora/wikitext-2/test.txt",
    "corpora/wikitext-2/valid.txt",
    "corpora/tinyshakespeare/input.txt",
    "corpora/lee/lee_background.cor",
    "corpora/lee/lee.cor",
];

/// ASCII-lowercased; every byte that is not an ASCII letter or digit
/// becomes a space; runs of spaces collapse.
pub fn prepare(line: &str) -> String {
    line.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                b.to_ascii_lowercase() as char
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The prepared corpus, one non-empty line per line, and its token count.
pub fn bench_corpus(data: &Path) -> (String, usize) {
    let mut text = String::new();
    for f in BENCH_FILES {
        let raw = std::fs::read(data.join(f)).expect("corpus file");
        for line in String::from_utf8_lossy(&raw).lines() {
            let p = prepare(line);
            if !p.is_empty() {
                text.push_str(&p);
                text.push('\n');
            }
        }
    }
    let tokens = text.split_whitespace().count();
    (text, tokens)
}

/// The value after `key` on the command line, or `default`.
pub fn opt(key: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == key)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}
