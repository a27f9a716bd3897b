//! Stemmer parity: every word of Snowball's published vocabularies
//! (snowball-data `porter/` and `english/`, `voc.txt` -> `output.txt`, line by
//! line) must get exactly Snowball's stem; Porter2 is also checked against the
//! `rust-stemmers` crate, an independent port of the same Snowball source.

mod common;

use journey_text::porter::PorterStemmer;
use journey_text::porter2::Porter2Stemmer;
use journey_text::Stemmer;
use rust_stemmers::{Algorithm, Stemmer as Oracle};

/// `(word, expected stem)` pairs of `dir/voc.txt` and `dir/output.txt`.
fn vocabulary(dir: &str) -> Option<Vec<(String, String)>> {
    let voc = common::data_file(&format!("{dir}/voc.txt"))?;
    let out = common::data_file(&format!("{dir}/output.txt"))?;
    let read = |p: &std::path::Path| {
        std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    };
    let (voc, out) = (read(&voc), read(&out));
    let words: Vec<&str> = voc.lines().collect();
    let stems: Vec<&str> = out.lines().collect();
    assert_eq!(
        words.len(),
        stems.len(),
        "{dir}: voc.txt and output.txt differ in length"
    );
    assert!(words.len() > 20_000, "{dir}: only {} words", words.len());
    Some(
        words
            .into_iter()
            .zip(stems)
            .map(|(w, s)| (w.to_string(), s.to_string()))
            .collect(),
    )
}

/// Asserts `stem(word) == expected` for every pair, listing the first misses.
fn assert_all(name: &str, pairs: &[(String, String)], stem: impl Fn(&str) -> String) {
    let misses: Vec<String> = pairs
        .iter()
        .filter_map(|(word, expected)| {
            let got = stem(word);
            (got != *expected).then(|| format!("{word:?}: expected {expected:?}, got {got:?}"))
        })
        .collect();
    assert!(
        misses.is_empty(),
        "{name}: {} of {} words differ; first ones:\n{}",
        misses.len(),
        pairs.len(),
        misses
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    eprintln!("{name}: {} of {} words equal", pairs.len(), pairs.len());
}

#[test]
fn porter_matches_snowball_vocabulary() {
    let Some(pairs) = vocabulary("eval/stemming/porter") else {
        return;
    };
    assert_all("porter", &pairs, |w| PorterStemmer.stem(w));
}

#[test]
fn porter2_matches_snowball_vocabulary() {
    let Some(pairs) = vocabulary("eval/stemming/english") else {
        return;
    };
    assert_all("porter2", &pairs, |w| Porter2Stemmer.stem(w));
}

#[test]
fn porter2_matches_rust_stemmers_on_vocabulary() {
    let Some(pairs) = vocabulary("eval/stemming/english") else {
        return;
    };
    let oracle = Oracle::create(Algorithm::English);
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(word, _)| {
            let stem = oracle.stem(&word).into_owned();
            (word, stem)
        })
        .collect();
    assert_all("porter2 vs rust-stemmers", &pairs, |w| {
        Porter2Stemmer.stem(w)
    });
}

/// Odd input needs no data: empty, apostrophes, non-ASCII, capitals.
#[test]
fn porter2_matches_rust_stemmers_on_odd_words() {
    let oracle = Oracle::create(Algorithm::English);
    for word in [
        "",
        "'",
        "''",
        "'''",
        "'s",
        "'s'",
        "dog's'",
        "y",
        "yy",
        "yyy",
        "ayyy",
        "café",
        "cafés",
        "naïve",
        "naïvely",
        "naïveté",
        "über",
        "résumés",
        "jalapeño",
        "日本",
        "日本語ing",
        "ÿes",
        "Running",
        "SKIES",
        "Y",
        "ﬁsh",
        "ñing",
        "añing",
        "hoñing",
    ] {
        assert_eq!(Porter2Stemmer.stem(word), oracle.stem(word), "{word:?}");
    }
}

#[test]
fn odd_words_do_not_panic() {
    for word in [
        "",
        "café",
        "naïve",
        "ß",
        "\u{301}",
        "a\u{301}ing",
        "🙂s",
        "yé",
        "'é'",
    ] {
        PorterStemmer.stem(word);
        Porter2Stemmer.stem(word);
        PorterStemmer.stem_steps(word);
        Porter2Stemmer.stem_steps(word);
    }
}
