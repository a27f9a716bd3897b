//! Training and prediction time of the classifiers, the Rust side of
//! `tools/reference/bench_classify.py` (scikit-learn). Same data, same split
//! (every 5th example held out; SST-2: train → dev), same TF-IDF features
//! (scikit-learn's default `TfidfVectorizer()`; not timed), same settings:
//!
//!   MultinomialNB, ComplementNB, BernoulliNB (alpha = 1)
//!   LinearSVC (dual CD, squared hinge, C = 1, tol 1e-4)
//!   LogisticRegression (L-BFGS, C = 1, tol 1e-6, max_iter 1000)
//!   NBSVM (alpha = 1, C = 1, beta = 0.25, max_iter 10000)
//!
//! Each model is fitted `reps` times; the fastest and the median fit and
//! predict times are printed as one JSON line per model, with the test
//! accuracy and macro-F1. (On a shared machine the fastest run is the one
//! least disturbed by other work.)
//!
//!   cargo run --release -p journey-ml --example bench_classify -- \
//!       /work/shared/data ag_news [reps=5]
//!
//! Data sets: sst2, sms_spam, ag_news, mini_newsgroups. RAYON_NUM_THREADS
//! limits the threads.

use std::path::Path;
use std::time::Instant;

use journey_ml::bernoulli_nb::BernoulliNb;
use journey_ml::classifier::Classifier;
use journey_ml::complement_nb::ComplementNb;
use journey_ml::labelled::{read_labelled, LabelledFormat, LabelledSet};
use journey_ml::labels::LabelEncoder;
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

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn min(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = Path::new(args.get(1).map_or("../shared/data", String::as_str));
    let name = args.get(2).map_or("ag_news", String::as_str);
    let reps: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(5);
    let (train, test) = load(root, name);
    let enc = LabelEncoder::fit(&train.labels()).unwrap();
    let ytr = enc.transform(&train.labels()).unwrap();
    let yte = enc.transform(&test.labels()).unwrap();
    let t = Instant::now();
    let mut vec = TextFeatures::default();
    let xtr = vec.fit_transform(&train.texts()).unwrap();
    let xte = vec.transform(&test.texts()).unwrap();
    eprintln!(
        "{name}: {} train × {} features (nnz {}), {} test; TF-IDF {:.2}s; {} threads",
        xtr.n_rows(),
        xtr.n_cols(),
        xtr.nnz(),
        xte.n_rows(),
        t.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );
    type Make = fn() -> Box<dyn Classifier>;
    let models: [(&str, Make); 6] = [
        ("MultinomialNB", || Box::new(MultinomialNb::default())),
        ("ComplementNB", || Box::new(ComplementNb::default())),
        ("BernoulliNB", || Box::new(BernoulliNb::default())),
        ("LinearSVC", || Box::new(LinearSvc::default())),
        ("LogisticRegression", || {
            Box::new(LogisticRegression::new(LogisticRegressionConfig {
                tol: 1e-6,
                max_iter: 1000,
                ..Default::default()
            }))
        }),
        ("NBSVM", || {
            Box::new(NbSvm::new(NbSvmConfig {
                max_iter: 10_000,
                ..Default::default()
            }))
        }),
    ];
    for (model_name, make) in models {
        let (mut fit_s, mut predict_s) = (Vec::new(), Vec::new());
        let mut pred = Vec::new();
        for _ in 0..reps {
            let mut m = make();
            let t = Instant::now();
            m.fit(&xtr, &ytr).unwrap();
            fit_s.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            pred = m.predict(&xte).unwrap();
            predict_s.push(t.elapsed().as_secs_f64());
        }
        println!(
            "{{\"tool\": \"journey\", \"dataset\": \"{name}\", \"model\": \"{model_name}\", \"fit_min_s\": {:.6}, \"fit_median_s\": {:.6}, \"predict_min_s\": {:.6}, \"predict_median_s\": {:.6}, \"accuracy\": {:.4}, \"macro_f1\": {:.4}, \"reps\": {reps}}}",
            min(&fit_s),
            median(&fit_s),
            min(&predict_s),
            median(&predict_s),
            metrics::accuracy(&yte, &pred).unwrap(),
            metrics::f1_score(&yte, &pred, Average::Macro).unwrap()
        );
    }
}
