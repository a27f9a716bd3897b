//! Test support: the shared data sets (through `$JOURNEY_DATA`, see
//! `journey_data::testdata`), the committed fixtures, and the features the
//! parity tests train on.
//!
//! [`tfidf`] builds the features with the crate's `TfidfVectorizer` at
//! scikit-learn's default settings, the same call
//! `tools/reference/classify_golden.py` makes; the tests check the
//! vocabulary size, nnz and value sum against scikit-learn's first, so a
//! featurizer mismatch shows there and not as a classifier failure.

#![allow(dead_code)]

use std::path::PathBuf;

use journey_ml::labelled::{read_labelled, LabelledFormat, LabelledSet};
use journey_ml::text_features::{TextFeatures, TextFeaturizer};
use journey_ml::CsrMatrix;

/// Every 5th example (position i % 5 == 4) is held out, as the golden script.
pub const HOLDOUT_EVERY: usize = 5;

pub fn data_file(rel: &str) -> Option<PathBuf> {
    journey_data::testdata::file(rel)
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn read_fixture(name: &str) -> serde_json::Value {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// `(train, test)` of a data set as the golden script splits it, or `None`
/// when the data is not available (and not required).
pub fn load(name: &str) -> Option<(LabelledSet, LabelledSet)> {
    let read = |rel: &str| {
        let path = data_file(rel)?;
        Some(read_labelled(&path, LabelledFormat::Auto).unwrap())
    };
    match name {
        "sst2" => Some((
            read("classification/sst2/train.tsv")?,
            read("classification/sst2/dev.tsv")?,
        )),
        "sms_spam" => Some(
            read("classification/sms_spam/sms.tsv")?
                .holdout_every(HOLDOUT_EVERY)
                .unwrap(),
        ),
        "ag_news" => Some(
            read("classification/ag_news/test.csv")?
                .holdout_every(HOLDOUT_EVERY)
                .unwrap(),
        ),
        "mini_newsgroups" => Some(
            read("classification/mini_newsgroups")?
                .holdout_every(HOLDOUT_EVERY)
                .unwrap(),
        ),
        other => panic!("unknown data set {other}"),
    }
}

/// TF-IDF features fitted on `train` (`TfidfVectorizer()` defaults).
pub fn tfidf(train: &[&str], test: &[&str]) -> (CsrMatrix, CsrMatrix) {
    let mut v = TextFeatures::default();
    let xtr = v.fit_transform(train).unwrap();
    let xte = v.transform(test).unwrap();
    (xtr, xte)
}

/// Class indices of labels in the golden script's encoding (sorted names).
pub fn encode(classes: &[String], labels: &[&str]) -> Vec<usize> {
    labels
        .iter()
        .map(|l| classes.iter().position(|c| c == l).expect("known label"))
        .collect()
}

/// A prediction string of the fixtures (one base-36 digit per row).
pub fn decode_digits(s: &str) -> Vec<usize> {
    s.chars()
        .map(|c| c.to_digit(36).unwrap() as usize)
        .collect()
}
