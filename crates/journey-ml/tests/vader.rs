//! VADER parity with vaderSentiment 3.3.2 (fixtures written by
//! tools/reference/vader_golden.py): every text of the two VADER ground-truth
//! sets, rounded scores equal and unrounded scores bit-identical (sha256), with
//! the catalog's lexicon and with vaderSentiment's packaged one; hand-written
//! edge cases; the correlation with the human ratings, ours and theirs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use journey_data::readers::vader::read_ground_truth;
use journey_ml::vader::{
    EmojiLexicon, Scores, SentimentIntensityAnalyzer, VaderConfig, VaderLexicon,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn meta() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("vader_groundtruth.json")).unwrap())
        .unwrap()
}

/// `set -> id -> (compound*1e4, neg*1e3, neu*1e3, pos*1e3)`.
fn expected() -> HashMap<String, HashMap<String, [i64; 4]>> {
    let text = std::fs::read_to_string(fixture("vader_groundtruth.tsv")).unwrap();
    let mut out: HashMap<String, HashMap<String, [i64; 4]>> = HashMap::new();
    let mut set = String::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        if let Some(name) = line.strip_prefix("@ ") {
            set = name.to_string();
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let v = |i: usize| f[i].parse::<i64>().unwrap();
        out.entry(set.clone())
            .or_default()
            .insert(f[0].to_string(), [v(1), v(2), v(3), v(4)]);
    }
    out
}

fn scaled(s: Scores) -> [i64; 4] {
    [
        (s.compound * 1e4).round() as i64,
        (s.neg * 1e3).round() as i64,
        (s.neu * 1e3).round() as i64,
        (s.pos * 1e3).round() as i64,
    ]
}

fn raw_digest(scores: &[Scores]) -> String {
    let mut h = Sha256::new();
    for s in scores {
        for x in [s.compound, s.neg, s.neu, s.pos] {
            h.update(x.to_le_bytes());
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
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

fn shared_lexicon() -> Option<VaderLexicon> {
    let path = journey_data::testdata::file("lexicons/vader_lexicon.txt")?;
    Some(VaderLexicon::from_file(&path).unwrap())
}

/// Scores every ground-truth text and checks them against the fixture, with
/// `changed` (id -> scores) overriding it and `sha_key` naming the digest.
fn check_sets(analyzer: &SentimentIntensityAnalyzer, packaged: bool) {
    let meta = meta();
    let mut expected = expected();
    let sets = if packaged {
        &meta["packaged_lexicon"]["sets"]
    } else {
        &meta["sets"]
    };
    for (name, info) in meta["sets"].as_object().unwrap() {
        let Some(path) = journey_data::testdata::file(info["path"].as_str().unwrap()) else {
            return;
        };
        let rows = read_ground_truth(&path).unwrap();
        assert_eq!(rows.len() as u64, info["texts"].as_u64().unwrap(), "{name}");
        // No text holds an emoji, so the emoji lexicon (not in the shared data) is not needed.
        assert_eq!(info["texts_with_emoji"].as_u64(), Some(0));
        let want = expected.get_mut(name.as_str()).unwrap();
        if packaged {
            for c in sets[name]["changed"].as_array().unwrap() {
                let c = c.as_array().unwrap();
                let s = Scores {
                    compound: c[1].as_f64().unwrap(),
                    neg: c[2].as_f64().unwrap(),
                    neu: c[3].as_f64().unwrap(),
                    pos: c[4].as_f64().unwrap(),
                };
                want.insert(c[0].as_str().unwrap().to_string(), scaled(s));
            }
        }
        let texts: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        let raw: Vec<Scores> = texts
            .iter()
            .map(|t| analyzer.polarity_scores_raw(t))
            .collect();
        let got = analyzer.polarity_scores_batch(&texts);
        let mut mismatches = Vec::new();
        let mut max_delta = 0i64;
        for ((row, g), r) in rows.iter().zip(&got).zip(&raw) {
            assert_eq!(*g, r.rounded());
            let w = want[&row.id];
            let d = scaled(*g);
            let delta = (0..4).map(|k| (d[k] - w[k]).abs()).max().unwrap();
            max_delta = max_delta.max(delta);
            if delta != 0 {
                mismatches.push(format!(
                    "{} {:?}: ours {d:?} theirs {w:?}",
                    row.id, row.text
                ));
            }
        }
        assert!(
            mismatches.is_empty(),
            "{name}: {} of {} texts differ, e.g.\n{}",
            mismatches.len(),
            rows.len(),
            mismatches[..mismatches.len().min(10)].join("\n")
        );
        assert_eq!(
            raw_digest(&raw),
            sets[name]["raw_sha256"].as_str().unwrap(),
            "{name}: unrounded scores are not bit-identical"
        );
        let ratings: Vec<f64> = rows.iter().map(|r| r.rating).collect();
        let compound: Vec<f64> = got.iter().map(|s| s.compound).collect();
        let ours = pearson(&compound, &ratings);
        let theirs = sets[name]["pearson_compound_rating"].as_f64().unwrap();
        eprintln!(
            "VADER {} lexicon, {name}: {} texts, all equal (max |Δ| {max_delta}), \
             Pearson r(compound, human) ours {ours:.6} vaderSentiment {theirs:.6}",
            if packaged { "packaged" } else { "catalog" },
            rows.len()
        );
        assert!((ours - theirs).abs() < 1e-9);
    }
}

#[test]
fn ground_truth_equals_vadersentiment_with_catalog_lexicon() {
    let Some(lexicon) = shared_lexicon() else {
        return;
    };
    let a =
        SentimentIntensityAnalyzer::new(lexicon, EmojiLexicon::default(), VaderConfig::default());
    check_sets(&a, false);
}

#[test]
fn ground_truth_equals_vadersentiment_with_packaged_lexicon() {
    let Some(mut lexicon) = shared_lexicon() else {
        return;
    };
    let meta = meta();
    let extra = meta["packaged_lexicon"]["extra_entries"]
        .as_object()
        .unwrap();
    assert!(!extra.is_empty());
    for (word, v) in extra {
        lexicon.insert(word.clone(), v.as_f64().unwrap());
    }
    let a =
        SentimentIntensityAnalyzer::new(lexicon, EmojiLexicon::default(), VaderConfig::default());
    check_sets(&a, true);
}

#[test]
fn edge_cases_equal_vadersentiment() {
    let Some(lexicon) = shared_lexicon() else {
        return;
    };
    let emojis = EmojiLexicon::from_file(&fixture("vader_emoji_subset.tsv")).unwrap();
    assert!(emojis.len() >= 5);
    let a = SentimentIntensityAnalyzer::new(lexicon, emojis, VaderConfig::default());
    let text = std::fs::read_to_string(fixture("vader_edge_cases.jsonl")).unwrap();
    let mut n = 0;
    for line in text.lines() {
        let case: Value = serde_json::from_str(line).unwrap();
        let t = case["text"].as_str().unwrap();
        let want = Scores {
            neg: case["neg"].as_f64().unwrap(),
            neu: case["neu"].as_f64().unwrap(),
            pos: case["pos"].as_f64().unwrap(),
            compound: case["compound"].as_f64().unwrap(),
        };
        let raw: Vec<f64> = case["raw"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().parse().unwrap())
            .collect();
        let got = a.polarity_scores_raw(t);
        assert_eq!(
            [got.compound, got.neg, got.neu, got.pos].map(f64::to_bits),
            [raw[0], raw[1], raw[2], raw[3]].map(f64::to_bits),
            "raw scores of {t:?}: ours {got:?} theirs {raw:?}"
        );
        assert_eq!(a.polarity_scores(t), want, "{t:?}");
        n += 1;
    }
    assert!(n >= 90, "{n} cases");
}

#[test]
fn emoji_can_be_switched_off() {
    let Some(lexicon) = shared_lexicon() else {
        return;
    };
    let emojis = EmojiLexicon::from_file(&fixture("vader_emoji_subset.tsv")).unwrap();
    let on =
        SentimentIntensityAnalyzer::new(lexicon.clone(), emojis.clone(), VaderConfig::default());
    let off = SentimentIntensityAnalyzer::new(
        lexicon,
        emojis,
        VaderConfig {
            emoji: false,
            ..VaderConfig::default()
        },
    );
    let t = "I got \u{1f498} and \u{1f601}!!";
    assert!(on.polarity_scores(t).compound > off.polarity_scores(t).compound);
}

/// vaderSentiment's own lexicon files, when the cache (or `$JOURNEY_DATA`)
/// holds them: they are on PyPI, not in the shared data, and tests stay
/// offline (`journey data path vader-lexicon-3.3.2` fetches them).
#[test]
fn packaged_lexicon_files_when_cached() {
    let resolver = journey_data::Resolver {
        online: false,
        ..journey_data::Resolver::from_env(None)
    };
    let (Ok((lexicon, _)), Ok((emojis, _))) = (
        VaderLexicon::resolve(&resolver),
        EmojiLexicon::resolve(&resolver),
    ) else {
        eprintln!("skipping: vaderSentiment 3.3.2's lexicon files are not cached");
        return;
    };
    let Some(shared) = shared_lexicon() else {
        return;
    };
    let meta = meta();
    let extra = meta["packaged_lexicon"]["extra_entries"]
        .as_object()
        .unwrap();
    assert_eq!(lexicon.len(), shared.len() + extra.len());
    for (word, v) in extra {
        assert_eq!(lexicon.get(word), v.as_f64());
    }
    let subset = EmojiLexicon::from_file(&fixture("vader_emoji_subset.tsv")).unwrap();
    for line in std::fs::read_to_string(fixture("vader_emoji_subset.tsv"))
        .unwrap()
        .lines()
    {
        let (e, d) = line.split_once('\t').unwrap();
        let c = e.chars().next().unwrap();
        assert_eq!(emojis.get(c), Some(d));
        assert_eq!(subset.get(c), Some(d));
    }
    let a = SentimentIntensityAnalyzer::new(lexicon, emojis, VaderConfig::default());
    check_sets(&a, true);
    let sweep = &meta["packaged_lexicon"]["emoji_sweep"];
    let mut raw = Vec::new();
    for c in a.emojis.chars() {
        for t in sweep["templates"].as_array().unwrap() {
            let text = t.as_str().unwrap().replace('E', &c.to_string());
            raw.push(a.polarity_scores_raw(&text));
        }
    }
    assert_eq!(raw.len() as u64, sweep["texts"].as_u64().unwrap());
    assert_eq!(raw_digest(&raw), sweep["raw_sha256"].as_str().unwrap());
    eprintln!("VADER emoji sweep: {} texts bit-identical", raw.len());
}
