//! A small, real classification task for the first networks: SMS spam
//! (Almeida, Gómez Hidalgo and Yamakami, "Contributions to the study of SMS
//! spam filtering", DocEng 2011; 4,827 ham and 747 spam messages), turned
//! into a few dense features a scalar MLP can learn from in seconds:
//!
//! - four shape features: length / 100, 5 × the share of ASCII digits,
//!   5 × the share of ASCII capitals, min(number of `!`, 3) / 3 (spam is long,
//!   full of phone numbers and prices, and shouts);
//! - the presence (0/1) of each of the `vocab_size` words that occur in the
//!   most training messages, stop words left out (ties broken by the word).
//!
//! Words are the maximal runs of ASCII letters and digits, lowercased. The
//! split is fixed and needs no randomness: message i (0-based) is held out
//! when i mod `test_every` = `test_every` − 1, so 20% by default.
//! `tools/reference/autograd_golden.py` implements the same specification in
//! Python and the tests check that both give the same features.
//!
//! Cost: O(total characters) time to read and featurise; O(messages ×
//! features) memory.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{NnError, Result};

/// The four shape features come first, then the word indicators.
pub const SHAPE_FEATURES: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SmsConfig {
    /// How many frequent words become features.
    pub vocab_size: usize,
    /// Every `test_every`-th message is held out.
    pub test_every: usize,
}

impl Default for SmsConfig {
    fn default() -> Self {
        SmsConfig {
            vocab_size: 24,
            test_every: 5,
        }
    }
}

/// One message of `sms.tsv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SmsMessage {
    /// 1 for spam, 0 for ham.
    pub label: f64,
    pub text: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// Reads `label<TAB>text` lines (label `ham` or `spam`).
pub fn read_sms(path: &Path) -> Result<Vec<SmsMessage>> {
    let text = std::fs::read_to_string(path).map_err(|source| NnError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let parse = |message: String| NnError::Parse {
            path: path.to_path_buf(),
            line: i + 1,
            message,
        };
        let (label, body) = line
            .split_once('\t')
            .ok_or_else(|| parse("expected `ham` or `spam`, a tab, then the message".into()))?;
        let label = match label {
            "ham" => 0.0,
            "spam" => 1.0,
            other => {
                return Err(parse(format!(
                    "unknown label {other:?} (expected ham or spam)"
                )))
            }
        };
        out.push(SmsMessage {
            label,
            text: body.to_owned(),
            line: i + 1,
        });
    }
    if out.is_empty() {
        return Err(NnError::Empty(format!("{}: no messages", path.display())));
    }
    Ok(out)
}

/// Maximal runs of ASCII letters and digits, lowercased.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| t.to_ascii_lowercase())
        .collect()
}

/// One word per line (blank lines skipped).
pub fn read_stop_words(path: &Path) -> Result<HashSet<String>> {
    let text = std::fs::read_to_string(path).map_err(|source| NnError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect())
}

/// The features of a message, given the word list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmsFeaturizer {
    pub vocab: Vec<String>,
}

impl SmsFeaturizer {
    /// The `vocab_size` words in most `train` messages, stop words left out.
    pub fn fit(train: &[SmsMessage], vocab_size: usize, stop_words: &HashSet<String>) -> Self {
        let mut df: HashMap<String, usize> = HashMap::new();
        for m in train {
            let unique: HashSet<String> = tokens(&m.text).into_iter().collect();
            for t in unique {
                if !stop_words.contains(&t) {
                    *df.entry(t).or_default() += 1;
                }
            }
        }
        let mut ranked: Vec<(String, usize)> = df.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        SmsFeaturizer {
            vocab: ranked
                .into_iter()
                .take(vocab_size)
                .map(|(w, _)| w)
                .collect(),
        }
    }

    pub fn n_features(&self) -> usize {
        SHAPE_FEATURES + self.vocab.len()
    }

    pub fn transform(&self, text: &str) -> Vec<f64> {
        let n = text.chars().count();
        let digits = text.chars().filter(char::is_ascii_digit).count();
        let upper = text.chars().filter(char::is_ascii_uppercase).count();
        let bangs = text.matches('!').count().min(3);
        let denom = n.max(1) as f64;
        let words: HashSet<String> = tokens(text).into_iter().collect();
        let mut f = vec![
            n as f64 / 100.0,
            5.0 * digits as f64 / denom,
            5.0 * upper as f64 / denom,
            bangs as f64 / 3.0,
        ];
        f.extend(
            self.vocab
                .iter()
                .map(|w| if words.contains(w) { 1.0 } else { 0.0 }),
        );
        f
    }
}

/// Features and labels of both splits.
#[derive(Debug, Clone)]
pub struct SmsDataset {
    pub featurizer: SmsFeaturizer,
    pub train: Vec<SmsMessage>,
    pub test: Vec<SmsMessage>,
    pub x_train: Vec<Vec<f64>>,
    pub y_train: Vec<f64>,
    pub x_test: Vec<Vec<f64>>,
    pub y_test: Vec<f64>,
}

/// Splits `messages` (held out: index mod `test_every` = `test_every` − 1).
pub fn split(messages: Vec<SmsMessage>, test_every: usize) -> (Vec<SmsMessage>, Vec<SmsMessage>) {
    let k = test_every.max(1);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (i, m) in messages.into_iter().enumerate() {
        if k > 1 && i % k == k - 1 {
            test.push(m);
        } else {
            train.push(m);
        }
    }
    (train, test)
}

/// Reads, splits and featurises the corpus.
pub fn load(sms_path: &Path, stop_words_path: &Path, config: &SmsConfig) -> Result<SmsDataset> {
    if config.test_every < 2 {
        return Err(NnError::Config(format!(
            "test_every must be at least 2 (got {})",
            config.test_every
        )));
    }
    let stops = read_stop_words(stop_words_path)?;
    let (train, test) = split(read_sms(sms_path)?, config.test_every);
    let featurizer = SmsFeaturizer::fit(&train, config.vocab_size, &stops);
    let feats = |ms: &[SmsMessage]| -> (Vec<Vec<f64>>, Vec<f64>) {
        (
            ms.iter().map(|m| featurizer.transform(&m.text)).collect(),
            ms.iter().map(|m| m.label).collect(),
        )
    };
    let (x_train, y_train) = feats(&train);
    let (x_test, y_test) = feats(&test);
    Ok(SmsDataset {
        featurizer,
        train,
        test,
        x_train,
        y_train,
        x_test,
        y_test,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_features_of_a_message() {
        assert_eq!(
            tokens("Call 0800-FREE now!!"),
            vec!["call", "0800", "free", "now"]
        );
        let f = SmsFeaturizer {
            vocab: vec!["free".into(), "ok".into()],
        };
        let x = f.transform("Call 0800-FREE now!!");
        // 20 characters, 4 digits, 5 capitals, 2 bangs.
        assert_eq!(x, vec![0.2, 1.0, 1.25, 2.0 / 3.0, 1.0, 0.0]);
    }

    #[test]
    fn bad_lines_name_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sms.tsv");
        std::fs::write(&p, "ham\tfine\nmaybe\tspam?\n").unwrap();
        let err = read_sms(&p).unwrap_err().to_string();
        assert!(err.contains("sms.tsv:2") && err.contains("maybe"), "{err}");
    }
}
