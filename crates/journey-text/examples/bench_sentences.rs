//! Punkt sentence segmentation speed, to compare with NLTK
//! (`tools/reference/bench_sentences.py` runs the same work in Python).
//!
//! ```text
//! JOURNEY_DATA=../shared/data cargo run --release -p journey-text --example bench_sentences
//! ```
//!
//! Texts: the King James Bible (chapters' verses joined, chapters separated by
//! a blank line, 4.1 MB) as one document, and the 350 Lee corpus documents.
//! Segmentation uses NLTK's English model; training learns a model from the
//! KJV text. Loading files and the model is not timed; each row is the best
//! of 5 runs.

use std::path::PathBuf;
use std::time::Instant;

use journey_text::punkt::PunktTrainer;
use journey_text::sentences::PunktSentenceTokenizer;

fn data(rel: &str) -> PathBuf {
    let root =
        std::env::var_os("JOURNEY_DATA").expect("set JOURNEY_DATA to the shared data folder");
    PathBuf::from(root).join(rel)
}

fn kjv_text() -> String {
    let text = std::fs::read_to_string(data("corpora/kjv/kjv.txt")).expect("read kjv.txt");
    let mut chapters: Vec<String> = Vec::new();
    let mut verses: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(char::is_whitespace) {
            if !verses.is_empty() {
                chapters.push(verses.join(" "));
            }
            verses.clear();
            continue;
        }
        verses.push(line.trim().split_once(' ').map_or("", |(_, v)| v.trim()));
    }
    chapters.push(verses.join(" "));
    chapters.join("\n\n")
}

fn lee_docs() -> Vec<String> {
    let mut docs = Vec::new();
    for rel in ["corpora/lee/lee_background.cor", "corpora/lee/lee.cor"] {
        let bytes = std::fs::read(data(rel)).expect("read the Lee corpus");
        let text: String = bytes.iter().map(|&b| b as char).collect();
        docs.extend(
            text.split('\n')
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string),
        );
    }
    docs
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (best, out.unwrap())
}

fn main() {
    let kjv = kjv_text();
    let lee = lee_docs();
    let tok = PunktSentenceTokenizer::english();
    println!(
        "{:<28} {:>10} {:>10} {:>14} {:>14}",
        "task", "seconds", "sentences", "sentences/s", "chars/s"
    );
    let row = |name: &str, secs: f64, sents: usize, chars: usize| {
        println!(
            "{name:<28} {secs:>10.4} {sents:>10} {:>14.0} {:>14.0}",
            sents as f64 / secs,
            chars as f64 / secs
        );
    };

    let chars = kjv.chars().count();
    let (secs, n) = best_of(5, || tok.span_tokenize(&kjv).len());
    row("segment kjv (english)", secs, n, chars);

    let chars: usize = lee.iter().map(|d| d.chars().count()).sum();
    let (secs, n) = best_of(5, || lee.iter().map(|d| tok.span_tokenize(d).len()).sum());
    row("segment lee docs (english)", secs, n, chars);

    let chars = kjv.chars().count();
    let (secs, params) = best_of(3, || {
        let mut t = PunktTrainer::new();
        t.train(&kjv);
        t.into_params()
    });
    println!(
        "{:<28} {secs:>10.4} {:>10} {:>14} {:>14.0}   ({} abbreviations, {} sentence starters)",
        "train on kjv",
        "-",
        "-",
        chars as f64 / secs,
        params.abbrev_types.len(),
        params.sent_starters.len()
    );
}
