//! The full side-by-side table of the classifiers against scikit-learn 1.7.2
//! (`tests/fixtures/classify_sklearn.json`, written by
//! `tools/reference/classify_golden.py`): every model on every data set,
//! including the fits too slow for the debug-build tests (LogisticRegression
//! on SST-2, AG News and 20 Newsgroups; NBSVM on SST-2 and 20 Newsgroups).
//!
//!   cargo run --release -p journey-ml --example classify_parity -- /work/shared/data
//!
//! Prints a Markdown table: accuracy and macro-F1 of ours and scikit-learn's,
//! the agreement of the predictions, and the largest |Δ| in points.

use std::path::Path;

use journey_ml::bernoulli_nb::BernoulliNb;
use journey_ml::classifier::Classifier;
use journey_ml::complement_nb::ComplementNb;
use journey_ml::labelled::{read_labelled, LabelledFormat, LabelledSet};
use journey_ml::linear_svm::LinearSvc;
use journey_ml::logistic_regression::{LogisticRegression, LogisticRegressionConfig};
use journey_ml::metrics::{self, Average};
use journey_ml::multinomial_nb::MultinomialNb;
use journey_ml::nbsvm::{NbSvm, NbSvmConfig};
use journey_ml::text_features::{TextFeatures, TextFeaturizer};

fn load(root: &Path, name: &str) -> (LabelledSet, LabelledSet) {
    let c = root.join("classification");
    let read = |p: &Path| read_labelled(p, LabelledFormat::Auto).expect("data set");
    match name {
        "sst2" => (
            read(&c.join("sst2/train.tsv")),
            read(&c.join("sst2/dev.tsv")),
        ),
        "sms_spam" => read(&c.join("sms_spam/sms.tsv")).holdout_every(5).unwrap(),
        "ag_news" => read(&c.join("ag_news/test.csv")).holdout_every(5).unwrap(),
        "mini_newsgroups" => read(&c.join("mini_newsgroups")).holdout_every(5).unwrap(),
        other => panic!("unknown data set {other}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = Path::new(args.get(1).map_or("../shared/data", String::as_str));
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classify_sklearn.json");
    let golden: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    println!(
        "| data set | model | accuracy | sklearn | macro-F1 | sklearn | agreement | fit (s) |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    let mut worst: f64 = 0.0;
    for name in ["sst2", "sms_spam", "ag_news", "mini_newsgroups"] {
        let g = &golden["datasets"][name];
        let classes: Vec<String> = g["classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        let (train, test) = load(root, name);
        let index = |l: &str| classes.iter().position(|c| c == l).unwrap();
        let ytr: Vec<usize> = train.labels().iter().map(|l| index(l)).collect();
        let yte: Vec<usize> = test.labels().iter().map(|l| index(l)).collect();
        let mut vec = TextFeatures::default();
        let xtr = vec.fit_transform(&train.texts()).unwrap();
        let xte = vec.transform(&test.texts()).unwrap();
        assert_eq!(xtr.n_cols() as u64, g["n_features"].as_u64().unwrap());
        let models: Vec<(&str, Box<dyn Classifier>)> = vec![
            ("nb", Box::new(MultinomialNb::default())),
            ("cnb", Box::new(ComplementNb::default())),
            ("bnb", Box::new(BernoulliNb::default())),
            ("svm", Box::new(LinearSvc::default())),
            (
                "logreg",
                Box::new(LogisticRegression::new(LogisticRegressionConfig {
                    tol: 1e-6,
                    max_iter: 1000,
                    ..Default::default()
                })),
            ),
            (
                "nbsvm",
                Box::new(NbSvm::new(NbSvmConfig {
                    max_iter: 10_000,
                    ..Default::default()
                })),
            ),
        ];
        for (key, mut model) in models {
            let t = std::time::Instant::now();
            model.fit(&xtr, &ytr).unwrap();
            let fit_s = t.elapsed().as_secs_f64();
            let pred = model.predict(&xte).unwrap();
            let m = &g["models"][key];
            let theirs: Vec<usize> = m["predictions"]
                .as_str()
                .unwrap()
                .chars()
                .map(|c| c.to_digit(36).unwrap() as usize)
                .collect();
            let acc = metrics::accuracy(&yte, &pred).unwrap();
            let f1 = metrics::f1_score(&yte, &pred, Average::Macro).unwrap();
            let (sk_acc, sk_f1) = (
                m["accuracy"].as_f64().unwrap(),
                m["macro_f1"].as_f64().unwrap(),
            );
            let agree =
                pred.iter().zip(&theirs).filter(|(a, b)| a == b).count() as f64 / pred.len() as f64;
            worst = worst.max((acc - sk_acc).abs()).max((f1 - sk_f1).abs());
            println!(
                "| {name} | {key} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2}% | {fit_s:.2} |",
                100.0 * acc,
                100.0 * sk_acc,
                100.0 * f1,
                100.0 * sk_f1,
                100.0 * agree
            );
        }
    }
    println!(
        "\nlargest |Δ| against scikit-learn: {:.2} points",
        100.0 * worst
    );
}
