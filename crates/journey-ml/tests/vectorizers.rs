//! Count, TF-IDF and hashing vectorizers against scikit-learn 1.7.2 on real
//! corpora (SMS Spam Collection, AG News test, 20 Newsgroups mini), eleven
//! flag combinations. Fixture: `tools/reference/vectorizer_golden.py`.
//!
//! Per case: the same vocabulary (sha256 of every term, in column order), the
//! same sparsity structure (sha256 of indptr and of every column index), the
//! same values — exactly (sha256) when they are counts, and otherwise within
//! 1e-9 on 300 random entries, 100 idf weights, weighted sums of every block
//! of 32 rows and of every block of columns.

use std::path::{Path, PathBuf};

use journey_data::readers::delimited::{read_table, Layout};
use journey_ml::{
    CountVectorizer, CountVectorizerConfig, CsrMatrix, HashingVectorizer, HashingVectorizerConfig,
    TfidfVectorizer, TfidfVectorizerConfig,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

const TOL: f64 = 1e-9;

fn fixture() -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vectorizers_sklearn.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn hex(bytes: impl AsRef<[u8]>) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The corpus as the golden script reads it, or None when the data is absent.
fn corpus(name: &str) -> Option<Vec<String>> {
    match name {
        "sms" => {
            let path = journey_data::testdata::file("classification/sms_spam/sms.tsv")?;
            let text = std::fs::read_to_string(path).unwrap();
            Some(
                text.lines()
                    .map(|l| l.split_once('\t').unwrap().1.to_string())
                    .collect(),
            )
        }
        "ag_news" => {
            let path = journey_data::testdata::file("classification/ag_news/test.csv")?;
            let table = read_table(&path, Layout::CSV).unwrap();
            Some(
                table
                    .rows
                    .iter()
                    .map(|r| format!("{} {}", r[1], r[2]))
                    .collect(),
            )
        }
        "newsgroups" => {
            let root = journey_data::testdata::file("classification/mini_newsgroups")?;
            let mut docs = Vec::new();
            for group in sorted_entries(&root) {
                for post in sorted_entries(&group) {
                    let bytes = std::fs::read(&post).unwrap();
                    docs.push(match String::from_utf8(bytes) {
                        Ok(t) => t,
                        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
                    });
                }
            }
            Some(docs)
        }
        other => panic!("unknown corpus {other}"),
    }
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn rows(v: &Value) -> Option<(usize, usize)> {
    let a = v.as_array()?;
    Some((a[0].as_u64()? as usize, a[1].as_u64()? as usize))
}

fn num(v: &Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

/// The largest |Δ| seen on single values, and on sums relative to their size.
#[derive(Default)]
struct MaxDelta {
    value: f64,
    sum: f64,
}

impl MaxDelta {
    /// One value: |Δ| ≤ 1e-9.
    fn value(&mut self, what: &str, got: f64, want: f64) {
        let d = (got - want).abs();
        assert!(d <= TOL, "{what}: got {got:?}, scikit-learn {want:?}");
        self.value = self.value.max(d);
    }

    /// A weighted sum of many values: |Δ| ≤ 1e-9 · max(1, |sum|).
    fn sum(&mut self, what: &str, got: f64, want: f64) {
        let scale = want.abs().max(1.0);
        let d = (got - want).abs();
        assert!(
            d <= TOL * scale,
            "{what}: got {got:?}, scikit-learn {want:?}"
        );
        self.sum = self.sum.max(d / scale);
    }
}

/// Fits (and transforms) as the case says; returns the matrix, the terms
/// (none for hashing) and the idf weights (TF-IDF only).
fn run(case: &Value, docs: &[String]) -> (CsrMatrix, Option<Vec<String>>, Option<Vec<f64>>) {
    let params = case["params"].clone();
    let fit_docs = match rows(&case["fit_rows"]) {
        Some((a, b)) => &docs[a..b],
        None => docs,
    };
    let unseen = rows(&case["transform_rows"]).map(|(a, b)| &docs[a..b]);
    match case["vectorizer"].as_str().unwrap() {
        "count" => {
            let config: CountVectorizerConfig = serde_json::from_value(params).unwrap();
            let mut v = CountVectorizer::new(config).unwrap();
            let mut x = v.fit_transform(fit_docs).unwrap();
            if let Some(d) = unseen {
                x = v.transform(d).unwrap();
            }
            (x, Some(v.get_feature_names_out().unwrap().to_vec()), None)
        }
        "tfidf" => {
            let config: TfidfVectorizerConfig = serde_json::from_value(params).unwrap();
            let mut v = TfidfVectorizer::new(config).unwrap();
            let mut x = v.fit_transform(fit_docs).unwrap();
            if let Some(d) = unseen {
                x = v.transform(d).unwrap();
            }
            let terms = v.get_feature_names_out().unwrap().to_vec();
            (x, Some(terms), v.idf().map(<[f64]>::to_vec))
        }
        "hashing" => {
            let config: HashingVectorizerConfig = serde_json::from_value(params).unwrap();
            let v = HashingVectorizer::new(config).unwrap();
            (v.transform(unseen.unwrap_or(fit_docs)).unwrap(), None, None)
        }
        other => panic!("unknown vectorizer {other}"),
    }
}

fn check_case(name: &str) {
    let fx = fixture();
    let case = fx["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no case {name} in the fixture"));
    let Some(docs) = corpus(case["corpus"].as_str().unwrap()) else {
        return;
    };
    assert_eq!(
        docs.len() as u64,
        fx["corpus_documents"][case["corpus"].as_str().unwrap()]
            .as_u64()
            .unwrap(),
        "corpus size"
    );
    let (x, terms, idf) = run(case, &docs);

    // Shape, vocabulary, structure.
    let n = |k: &str| case[k].as_u64().unwrap() as usize;
    assert_eq!(x.shape(), (n("n_rows"), n("n_cols")), "{name}: shape");
    assert_eq!(x.nnz(), n("nnz"), "{name}: nnz");
    if let Some(terms) = &terms {
        for s in case["vocabulary_sample"].as_array().unwrap() {
            let c = s[0].as_u64().unwrap() as usize;
            assert_eq!(terms[c], s[1].as_str().unwrap(), "{name}: term {c}");
        }
        assert_eq!(
            hex(terms.join("\u{1f}")),
            case["vocabulary_sha256"].as_str().unwrap(),
            "{name}: vocabulary"
        );
        if let Some(ties) = case.get("max_features_ties") {
            check_ties(terms, ties);
        }
    }
    let mut structure: Vec<u8> = Vec::with_capacity(8 * x.n_rows() + 4 * x.nnz() + 8);
    for &p in x.indptr() {
        structure.extend_from_slice(&(p as i64).to_le_bytes());
    }
    for &c in x.indices() {
        structure.extend_from_slice(&(c as i32).to_le_bytes());
    }
    assert_eq!(
        hex(&structure),
        case["structure_sha256"].as_str().unwrap(),
        "{name}: sparsity structure"
    );

    // Values.
    if let Some(h) = case.get("data_sha256") {
        let bytes: Vec<u8> = x.data().iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(hex(&bytes), h.as_str().unwrap(), "{name}: values");
    }
    let mut delta = MaxDelta::default();
    for e in case["entries"].as_array().unwrap() {
        let (r, c) = (
            e[0].as_u64().unwrap() as usize,
            e[1].as_u64().unwrap() as usize,
        );
        delta.value(&format!("{name}: ({r}, {c})"), x.get(r, c), num(&e[2]));
    }
    if let Some(sample) = case.get("idf_sample") {
        let idf = idf.expect("idf weights");
        for s in sample.as_array().unwrap() {
            let c = s[0].as_u64().unwrap() as usize;
            delta.value(&format!("{name}: idf {c}"), idf[c], num(&s[1]));
        }
    }
    let w1 = |c: u32| 1.0 + ((c as i64 * 7919) % 1009) as f64 / 1009.0;
    let w2 = |c: u32| 1.0 + ((c as i64 * 104729) % 997) as f64 / 997.0;
    let u = |r: usize| 1.0 + ((r as i64 * 7919) % 1009) as f64 / 1009.0;
    let block = n("row_block");
    for (b, want) in case["row_block_sums"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let (mut s1, mut s2) = (0.0, 0.0);
        for r in b * block..((b + 1) * block).min(x.n_rows()) {
            let (cols, vals) = x.row(r);
            for (&c, &v) in cols.iter().zip(vals) {
                s1 += v * w1(c);
                s2 += v * w2(c);
            }
        }
        let (e1, e2) = (num(&want[0]), num(&want[1]));
        delta.sum(&format!("{name}: rows block {b} (w1)"), s1, e1);
        delta.sum(&format!("{name}: rows block {b} (w2)"), s2, e2);
    }
    let col_block = n("col_block");
    let want_cols = case["col_block_sums"].as_array().unwrap();
    let mut col_sums = vec![0.0; want_cols.len()];
    for r in 0..x.n_rows() {
        let (cols, vals) = x.row(r);
        for (&c, &v) in cols.iter().zip(vals) {
            col_sums[c as usize / col_block] += v * u(r);
        }
    }
    for (b, (got, want)) in col_sums.iter().zip(want_cols).enumerate() {
        let want = num(want);
        delta.sum(&format!("{name}: columns block {b}"), *got, want);
    }
    eprintln!(
        "{name}: {} x {}, nnz {}: same {}structure as scikit-learn{}; \
         sampled values max |Δ| {:e}, block sums max relative Δ {:e}",
        x.n_rows(),
        x.n_cols(),
        x.nnz(),
        if terms.is_some() {
            "vocabulary and "
        } else {
            ""
        },
        if case.get("data_sha256").is_some() {
            ", identical values"
        } else {
            ""
        },
        delta.value,
        delta.sum
    );
}

/// Our max_features choice differs from scikit-learn's only among the terms
/// tied at the cut-off (where NumPy's unstable argsort decides for it).
fn check_ties(terms: &[String], ties: &Value) {
    let list = |k: &str| -> Vec<String> {
        ties[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect()
    };
    let (sk_only, stable_only) = (list("sklearn_only"), list("stable_only"));
    for t in &stable_only {
        assert!(terms.contains(t), "stable choice {t} missing");
    }
    let mut theirs: Vec<String> = terms
        .iter()
        .filter(|t| !stable_only.contains(t))
        .cloned()
        .chain(sk_only)
        .collect();
    theirs.sort();
    assert_eq!(
        hex(theirs.join("\u{1f}")),
        ties["sklearn_vocabulary_sha256"].as_str().unwrap(),
        "scikit-learn's vocabulary is ours with only tied terms swapped"
    );
    eprintln!(
        "max_features: {} terms above the cut-off kept by both; {} of {} tied terms \
         chosen, {} of them differently from scikit-learn's unstable argsort",
        ties["terms_above_cutoff"],
        terms.len() as u64 - ties["terms_above_cutoff"].as_u64().unwrap(),
        ties["terms_at_cutoff"],
        stable_only.len()
    );
}

#[test]
fn count_default_ag_news() {
    check_case("count_default_ag_news");
}

#[test]
fn count_binary_bigrams_min_df2_sms() {
    check_case("count_binary_bigrams_min_df2_sms");
}

#[test]
fn count_char_1_3_ascii_cased_sms() {
    check_case("count_char_1_3_ascii_cased_sms");
}

#[test]
fn count_custom_pattern_max_df100_newsgroups() {
    check_case("count_custom_pattern_max_df100_newsgroups");
}

#[test]
fn tfidf_default_newsgroups() {
    check_case("tfidf_default_newsgroups");
}

#[test]
fn tfidf_sublinear_l1_no_smooth_ag_news() {
    check_case("tfidf_sublinear_l1_no_smooth_ag_news");
}

#[test]
fn tfidf_char_wb_2_4_sms() {
    check_case("tfidf_char_wb_2_4_sms");
}

#[test]
fn tfidf_english_max_df05_max_features2000_newsgroups() {
    check_case("tfidf_english_max_df05_max_features2000_newsgroups");
}

#[test]
fn tfidf_bigrams_min_df3_unicode_accents_unseen_ag_news() {
    check_case("tfidf_bigrams_min_df3_unicode_accents_unseen_ag_news");
}

#[test]
fn hashing_2e18_alternate_sign_ag_news() {
    check_case("hashing_2e18_alternate_sign_ag_news");
}

#[test]
fn hashing_2e18_no_alternate_sign_sms() {
    check_case("hashing_2e18_no_alternate_sign_sms");
}

/// Every case of the fixture has a test above.
#[test]
fn every_fixture_case_is_tested() {
    let source = include_str!("vectorizers.rs");
    for case in fixture()["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        assert!(
            source.contains(&format!("fn {name}()")),
            "no test for fixture case {name}"
        );
    }
}

/// The result does not depend on the number of threads, and a fitted
/// vectorizer saved as JSON transforms exactly as before.
#[test]
fn threads_and_model_files_do_not_change_results() {
    let Some(docs) = corpus("sms") else {
        return;
    };
    let config: TfidfVectorizerConfig =
        serde_json::from_str(r#"{"ngram_range": [1, 2], "min_df": 2, "sublinear_tf": true}"#)
            .unwrap();
    let mut many = TfidfVectorizer::new(config.clone()).unwrap();
    let x_many = many.fit_transform(&docs).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let (x_one, one) = pool.install(|| {
        let mut v = TfidfVectorizer::new(config).unwrap();
        (v.fit_transform(&docs).unwrap(), v)
    });
    assert!(x_one == x_many, "one thread and all threads differ");
    assert_eq!(
        one.get_feature_names_out().unwrap(),
        many.get_feature_names_out().unwrap()
    );
    let json = serde_json::to_string(&many).unwrap();
    let back: TfidfVectorizer = serde_json::from_str(&json).unwrap();
    assert!(
        back.transform(&docs).unwrap() == many.transform(&docs).unwrap(),
        "the reloaded vectorizer transforms differently"
    );
}
