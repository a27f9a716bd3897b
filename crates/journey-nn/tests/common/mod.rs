//! Test support: the shared data sets (through `$JOURNEY_DATA`, see
//! `journey_data::testdata`) and the fixtures committed beside the tests.

#![allow(dead_code)]

use std::path::PathBuf;

use journey_nn::sms_features::{self, SmsConfig, SmsDataset};

/// The path of `rel` under `$JOURNEY_DATA`, or `None` (after printing why)
/// when the data is not available and not required.
pub fn data_file(rel: &str) -> Option<PathBuf> {
    journey_data::testdata::file(rel)
}

/// A fixture committed beside the tests (`tests/fixtures/NAME`).
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The golden values written by `tools/reference/autograd_golden.py`.
pub fn golden() -> serde_json::Value {
    let path = fixture("autograd_golden.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The SMS spam data set with the default features, or `None` when the data
/// is not available.
pub fn sms() -> Option<SmsDataset> {
    let sms = data_file("classification/sms_spam/sms.tsv")?;
    let stops = data_file("lexicons/stopwords_nltk_english.txt")?;
    Some(sms_features::load(&sms, &stops, &SmsConfig::default()).unwrap())
}

pub fn f64s(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .flat_map(|x| match x.as_array() {
            Some(row) => row.iter().map(|y| y.as_f64().unwrap()).collect::<Vec<_>>(),
            None => vec![x.as_f64().unwrap()],
        })
        .collect()
}

pub fn rows(v: &serde_json::Value) -> Vec<Vec<f64>> {
    v.as_array().unwrap().iter().map(f64s).collect()
}

pub fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}
