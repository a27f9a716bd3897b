//! Coherence parity with gensim 4.4.0 `CoherenceModel` (u_mass, c_uci, c_npmi,
//! c_v) on the Lee background corpus and mini 20 Newsgroups; the fixture is
//! written by `tools/reference/coherence_golden.py`. Also checks that our
//! `simple_preprocess` and `Dictionary::filter_extremes` give gensim's texts
//! and dictionary (hashes in the fixture).

use std::path::PathBuf;

use journey_ml::coherence::{coherence_per_topic, CoherenceConfig, Measure};
use journey_ml::dictionary::{read_lines, read_newsgroups, simple_preprocess, Dictionary};
use serde_json::Value;

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn fixture() -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/coherence_golden.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn check(case: &Value, texts: Vec<Vec<String>>) {
    let name = case["corpus"].as_str().unwrap();
    assert_eq!(
        texts.len() as u64,
        case["num_docs"].as_u64().unwrap(),
        "{name}"
    );
    let joined: Vec<String> = texts.iter().map(|t| t.join(" ")).collect();
    assert_eq!(
        sha256_hex(&joined.join("\n")),
        case["texts_sha256"].as_str().unwrap(),
        "{name}: simple_preprocess differs from gensim's"
    );
    let mut dict = Dictionary::from_documents(&texts);
    dict.filter_extremes(5, 0.5, Some(100_000)).unwrap();
    assert_eq!(
        dict.len() as u64,
        case["dictionary_size"].as_u64().unwrap(),
        "{name}"
    );
    assert_eq!(
        sha256_hex(&dict.tokens().join("\n")),
        case["dictionary_sha256"].as_str().unwrap(),
        "{name}: dictionary ids differ from gensim's"
    );
    let topics: Vec<Vec<String>> = serde_json::from_value(case["topics"].clone()).unwrap();
    let mut worst = 0.0f64;
    for measure in [Measure::UMass, Measure::CUci, Measure::CNpmi, Measure::CV] {
        let want: Vec<f64> =
            serde_json::from_value(case["coherence"][measure.name()].clone()).unwrap();
        let config = CoherenceConfig {
            measure,
            ..Default::default()
        };
        let got = coherence_per_topic(&topics, &texts, &dict, &config).unwrap();
        assert_eq!(got.len(), want.len());
        for (k, (g, w)) in got.iter().zip(&want).enumerate() {
            worst = worst.max((g - w).abs());
            assert!(
                (g - w).abs() <= 1e-6,
                "{name} {} topic {k}: ours {g}, gensim {w}",
                measure.name()
            );
        }
    }
    eprintln!("{name}: largest |ours - gensim| over 4 measures x 11 topics = {worst:e}");
}

#[test]
fn coherence_matches_gensim_on_lee() {
    let Some(path) = journey_data::testdata::file("corpora/lee/lee_background.cor") else {
        return;
    };
    let fx = fixture();
    let texts = read_lines(&path)
        .unwrap()
        .iter()
        .map(|l| simple_preprocess(l, false))
        .collect();
    check(&fx["cases"][0], texts);
}

#[test]
fn coherence_matches_gensim_on_mini_newsgroups() {
    let Some(dir) = journey_data::testdata::file("classification/mini_newsgroups") else {
        return;
    };
    let fx = fixture();
    let texts = read_newsgroups(&dir)
        .unwrap()
        .iter()
        .map(|(_, t)| simple_preprocess(t, false))
        .collect();
    check(&fx["cases"][1], texts);
}
