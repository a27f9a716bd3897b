//! Phrase detection against gensim 4.4.0's `Phrases` on WikiText-2
//! validation (`tools/reference/phrases_golden.py` →
//! `fixtures/phrases_gensim.json`), with the default settings and with
//! English connector words: the same table size and word count, the same
//! exported phrases with scores equal to 1e-12 relative, and the transformed
//! corpus byte-identical (SHA-256).

mod common;

use journey_embed::phrases::{Phrases, PhrasesConfig};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn corpus() -> Option<Vec<Vec<String>>> {
    let text = common::prepared("corpora/wikitext-2/valid.txt")?;
    Some(
        text.lines()
            .map(|l| l.split_whitespace().map(str::to_string).collect())
            .collect(),
    )
}

#[test]
fn phrases_match_gensim() {
    let Some(sents) = corpus() else { return };
    let golden: Value = serde_json::from_str(include_str!("fixtures/phrases_gensim.json")).unwrap();
    assert_eq!(sents.len() as u64, golden["sentences"].as_u64().unwrap());
    for (name, g) in golden["models"].as_object().unwrap() {
        let config = PhrasesConfig {
            min_count: g["min_count"].as_u64().unwrap(),
            threshold: g["threshold"].as_f64().unwrap(),
            connector_words: g["connector_words"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w.as_str().unwrap().to_string())
                .collect(),
            ..PhrasesConfig::default()
        };
        let p = Phrases::learn(sents.iter().map(|s| s.iter().map(String::as_str)), config).unwrap();
        assert_eq!(
            p.vocab_len() as u64,
            g["vocab_len"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            p.corpus_words,
            g["corpus_words"].as_u64().unwrap(),
            "{name}"
        );
        let ours = p.export();
        let theirs = g["phrases"].as_array().unwrap();
        assert_eq!(ours.len(), theirs.len(), "{name}: phrase count");
        for ((phrase, score), t) in ours.iter().zip(theirs) {
            assert_eq!(phrase, t[0].as_str().unwrap(), "{name}");
            let want = t[1].as_f64().unwrap();
            assert!(
                (score - want).abs() <= 1e-12 * want.abs(),
                "{name} {phrase}: {score} vs {want}"
            );
        }
        let mut text = String::new();
        for s in &sents {
            text.push_str(&p.apply(s.iter().map(String::as_str)).join(" "));
            text.push('\n');
        }
        let hex: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            g["transformed_sha256"].as_str().unwrap(),
            "{name}: transformed corpus"
        );
        println!("{name}: {} phrases, table {}", ours.len(), p.vocab_len());
    }
}
