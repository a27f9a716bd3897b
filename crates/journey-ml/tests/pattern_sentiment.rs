//! Pattern lexicon sentiment parity with TextBlob 0.20.1's PatternAnalyzer
//! (fixtures written by tools/reference/pattern_golden.py): the averaged
//! lexicon, every text of the two VADER ground-truth sets (bit-identical,
//! through a sha256 of the scores; a 1-in-20 sample to 1e-6 per text), hand-written edge cases with Pattern's
//! tokenizer output, and the correlation with the human ratings.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use journey_data::readers::vader::read_ground_truth;
use journey_ml::pattern_sentiment::{
    find_tokens, PatternAnalyzer, PatternConfig, PatternLexicon, PatternScores,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn meta() -> Value {
    let text = std::fs::read_to_string(fixture("pattern_groundtruth.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn hex(h: Sha256) -> String {
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn analyzer() -> Option<PatternAnalyzer> {
    let path = journey_data::testdata::file("lexicons/textblob_pattern_en-sentiment.xml")?;
    let lexicon = PatternLexicon::from_file(&path).unwrap();
    Some(PatternAnalyzer::new(lexicon, PatternConfig::default()))
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx * syy).sqrt()
}

#[test]
fn lexicon_equals_textblob_after_loading() {
    let Some(a) = analyzer() else { return };
    let meta = meta();
    let entries = a.lexicon.entries();
    assert_eq!(
        entries.len() as u64,
        meta["lexicon_entries"].as_u64().unwrap()
    );
    let mut h = Sha256::new();
    for (form, e) in entries {
        h.update(form.as_bytes());
        h.update(b"\t");
        for x in [e.polarity, e.subjectivity, e.intensity] {
            h.update(x.to_le_bytes());
        }
        h.update([u8::from(e.adverb)]);
    }
    assert_eq!(hex(h), meta["lexicon_sha256"].as_str().unwrap());
}

#[test]
fn ground_truth_equals_textblob() {
    let Some(a) = analyzer() else { return };
    let meta = meta();
    let text = std::fs::read_to_string(fixture("pattern_groundtruth.tsv")).unwrap();
    let mut want: HashMap<String, HashMap<String, (i64, i64)>> = HashMap::new();
    let mut set = String::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        if let Some(name) = line.strip_prefix("@ ") {
            set = name.to_string();
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        want.entry(set.clone()).or_default().insert(
            f[0].to_string(),
            (f[1].parse().unwrap(), f[2].parse().unwrap()),
        );
    }
    for (name, info) in meta["sets"].as_object().unwrap() {
        let Some(path) = journey_data::testdata::file(info["path"].as_str().unwrap()) else {
            return;
        };
        let rows = read_ground_truth(&path).unwrap();
        assert_eq!(rows.len() as u64, info["texts"].as_u64().unwrap());
        let texts: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        let got = a.sentiment_batch(&texts);
        let sample = &want[name.as_str()];
        assert!(sample.len() * 20 >= rows.len());
        let mut bad = Vec::new();
        let mut h = Sha256::new();
        let mut dump = String::new();
        for (row, s) in rows.iter().zip(&got) {
            h.update(s.polarity.to_le_bytes());
            h.update(s.subjectivity.to_le_bytes());
            dump.push_str(&format!(
                "{name}\t{}\t{:?}\t{:?}\n",
                row.id, s.polarity, s.subjectivity
            ));
            let ours = (
                (s.polarity * 1e6).round_ties_even() as i64,
                (s.subjectivity * 1e6).round_ties_even() as i64,
            );
            if let Some(&theirs) = sample.get(&row.id) {
                if ours != theirs {
                    bad.push(format!(
                        "{} {:?}: ours {ours:?} theirs {theirs:?}",
                        row.id, row.text
                    ));
                }
            }
        }
        assert!(
            bad.is_empty(),
            "{name}: {} of {} sampled texts differ, e.g.\n{}",
            bad.len(),
            sample.len(),
            bad[..bad.len().min(10)].join("\n")
        );
        if hex(h) != info["raw_sha256"].as_str().unwrap() {
            let out = std::env::temp_dir().join(format!("pattern_ours_{name}.tsv"));
            std::fs::write(&out, dump).unwrap();
            panic!(
                "{name}: scores are not bit-identical to TextBlob's; ours are in {} (diff them \
                 with the output of `tools/reference/pattern_golden.py --dump FILE`)",
                out.display()
            );
        }
        let ratings: Vec<f64> = rows.iter().map(|r| r.rating).collect();
        let polarity: Vec<f64> = got.iter().map(|s| s.polarity).collect();
        let ours = pearson(&polarity, &ratings);
        let theirs = info["pearson_polarity_rating"].as_f64().unwrap();
        eprintln!(
            "Pattern {name}: {} texts bit-identical, Pearson r(polarity, human) ours {ours:.6} TextBlob {theirs:.6}",
            rows.len()
        );
        assert!((ours - theirs).abs() < 1e-9);
    }
}

#[test]
fn edge_cases_equal_textblob() {
    let Some(a) = analyzer() else { return };
    let text = std::fs::read_to_string(fixture("pattern_edge_cases.jsonl")).unwrap();
    let mut n = 0;
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).unwrap();
        let t = case["text"].as_str().unwrap();
        let tokens: Vec<String> = case["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(find_tokens(t), tokens, "tokens of {t:?}");
        let want = PatternScores {
            polarity: case["polarity"].as_str().unwrap().parse().unwrap(),
            subjectivity: case["subjectivity"].as_str().unwrap().parse().unwrap(),
        };
        let got = a.sentiment(t);
        assert_eq!(
            [got.polarity.to_bits(), got.subjectivity.to_bits()],
            [want.polarity.to_bits(), want.subjectivity.to_bits()],
            "{t:?}: ours {got:?} theirs {want:?}"
        );
        n += 1;
    }
    assert!(n >= 40, "{n} cases");
}
