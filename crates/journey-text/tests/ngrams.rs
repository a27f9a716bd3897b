//! n-gram parity with scikit-learn 1.7.2's CountVectorizer analyzers on every
//! SMS of the SMS Spam Collection (fixture: tools/reference/ngrams_golden.py).

mod common;

use journey_text::ngrams::{char_ngrams, char_wb_ngrams, word_ngrams};
use sha2::{Digest, Sha256};

fn digest(grams: &[String]) -> String {
    let hex: String = Sha256::digest(grams.join("\u{1f}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    hex[..16].to_string()
}

#[test]
fn word_char_and_char_wb_ngrams_equal_sklearn() {
    let Some(sms) = common::data_file("classification/sms_spam/sms.tsv") else {
        return;
    };
    let text = std::fs::read_to_string(sms).unwrap();
    let golden = std::fs::read_to_string(common::fixture("ngrams_sklearn.tsv")).unwrap();
    let golden: Vec<Vec<&str>> = golden
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
        .collect();
    // scikit-learn's default token_pattern, on the lower-cased text.
    let token = regex::Regex::new(r"(?u)\b\w\w+\b").unwrap();
    let mut same = [0usize; 3];
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), golden.len());
    for (line, g) in lines.iter().zip(&golden) {
        let doc = line.split_once('\t').unwrap().1;
        let lower = doc.to_lowercase();
        let tokens: Vec<&str> = token.find_iter(&lower).map(|m| m.as_str()).collect();
        let results = [
            word_ngrams(&tokens, 1, 3),
            char_ngrams(doc, 2, 4),
            char_wb_ngrams(doc, 2, 5),
        ];
        for (k, grams) in results.iter().enumerate() {
            if grams.len().to_string() == g[1 + 2 * k] && digest(grams) == g[2 + 2 * k] {
                same[k] += 1;
            } else if same[k] + 5 > golden.len() {
                eprintln!("analyzer {k} differs on line {}: {doc:?}", g[0]);
            }
        }
    }
    eprintln!(
        "identical lines of {}: word {}, char {}, char_wb {}",
        golden.len(),
        same[0],
        same[1],
        same[2]
    );
    assert_eq!(same, [golden.len(); 3]);
}
