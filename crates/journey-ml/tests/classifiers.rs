//! Parity of the classifiers with scikit-learn 1.7.2 on real data sets:
//! SST-2 (train → dev), SMS Spam, AG News and mini 20 Newsgroups (every 5th
//! example held out). Golden numbers: `tools/reference/classify_golden.py`
//! → `tests/fixtures/classify_sklearn.json`.
//!
//! - Naive Bayes (multinomial, complement, Bernoulli): every prediction equal,
//!   log-probabilities of the first 20 test rows within 1e-9;
//! - LinearSVC, LogisticRegression, NBSVM: accuracy and macro-F1 within 0.5
//!   points, predictions agreeing on ≥ 99% of the rows; LinearSVC primal
//!   objectives within 0.1%, LogisticRegression's within 1e-4;
//! - LogisticRegression solved tightly: the largest coefficients within 1e-4
//!   relative (binary on SMS, multinomial on 1,000 AG News rows).
//!
//! Run with `--nocapture` to see the side-by-side table.

mod common;

use journey_ml::classifier::Classifier;
use journey_ml::labels::LabelEncoder;
use journey_ml::linear_svm::{LinearSvc, LinearSvcConfig};
use journey_ml::logistic_regression::{LogisticRegression, LogisticRegressionConfig};
use journey_ml::metrics::{self, Average};
use journey_ml::multinomial_nb::MultinomialNb;
use journey_ml::nbsvm::{NbSvm, NbSvmConfig};
use journey_ml::{bernoulli_nb::BernoulliNb, complement_nb::ComplementNb, CsrMatrix};
use serde_json::Value;

struct Prepared {
    name: &'static str,
    golden: Value,
    xtr: CsrMatrix,
    ytr: Vec<usize>,
    xte: CsrMatrix,
    yte: Vec<usize>,
}

/// Loads a data set, checks the labels and features against scikit-learn's.
fn prepare(name: &'static str, max_train: Option<usize>) -> Option<Prepared> {
    let (train, test) = common::load(name)?;
    let all = common::read_fixture("classify_sklearn.json");
    let golden = all["datasets"][name].clone();
    let classes: Vec<String> = golden["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        LabelEncoder::fit(&train.labels()).unwrap().classes(),
        classes,
        "{name}: classes"
    );
    let (xtr, xte) = common::tfidf(&train.texts(), &test.texts());
    assert_eq!(
        xtr.n_rows(),
        golden["n_train"].as_u64().unwrap() as usize,
        "{name}: rows"
    );
    assert_eq!(
        xte.n_rows(),
        golden["n_test"].as_u64().unwrap() as usize,
        "{name}: test rows"
    );
    assert_eq!(
        xtr.n_cols(),
        golden["n_features"].as_u64().unwrap() as usize,
        "{name}: vocabulary"
    );
    assert_eq!(
        xtr.nnz(),
        golden["train_nnz"].as_u64().unwrap() as usize,
        "{name}: nnz"
    );
    assert_eq!(
        xte.nnz(),
        golden["test_nnz"].as_u64().unwrap() as usize,
        "{name}: test nnz"
    );
    let sum: f64 = xtr.data().iter().sum();
    let want = golden["train_sum"].as_f64().unwrap();
    assert!(
        (sum - want).abs() <= 1e-9 * want,
        "{name}: value sum {sum} vs {want}"
    );
    let mut ytr = common::encode(&classes, &train.labels());
    let yte = common::encode(&classes, &test.labels());
    let xtr = match max_train {
        Some(n) if n < xtr.n_rows() => {
            ytr.truncate(n);
            xtr.select_rows(&(0..n).collect::<Vec<_>>())
        }
        _ => xtr,
    };
    Some(Prepared {
        name,
        golden,
        xtr,
        ytr,
        xte,
        yte,
    })
}

fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Fits `model`, compares with the golden entry `key`, prints a table row.
fn compare(p: &Prepared, key: &str, model: &mut dyn Classifier) -> Vec<usize> {
    let g = &p.golden["models"][key];
    model.fit(&p.xtr, &p.ytr).unwrap();
    let pred = model.predict(&p.xte).unwrap();
    let theirs = common::decode_digits(g["predictions"].as_str().unwrap());
    let acc = metrics::accuracy(&p.yte, &pred).unwrap();
    let f1 = metrics::f1_score(&p.yte, &pred, Average::Macro).unwrap();
    let (sk_acc, sk_f1) = (
        g["accuracy"].as_f64().unwrap(),
        g["macro_f1"].as_f64().unwrap(),
    );
    let agree = pred.iter().zip(&theirs).filter(|(a, b)| a == b).count() as f64 / pred.len() as f64;
    println!(
        "{:16} {:7} acc {:.4} (sklearn {:.4})  macro-F1 {:.4} (sklearn {:.4})  agreement {:.2}%",
        p.name,
        key,
        acc,
        sk_acc,
        f1,
        sk_f1,
        100.0 * agree
    );
    assert!(
        (acc - sk_acc).abs() <= 0.005,
        "{}/{key}: accuracy {acc} vs {sk_acc}",
        p.name
    );
    assert!(
        (f1 - sk_f1).abs() <= 0.005,
        "{}/{key}: macro-F1 {f1} vs {sk_f1}",
        p.name
    );
    assert!(agree >= 0.99, "{}/{key}: agreement {agree}", p.name);
    pred
}

fn check_nb<M: Classifier>(
    p: &Prepared,
    key: &str,
    mut model: M,
    log_proba: impl Fn(&M, &CsrMatrix) -> Vec<f64>,
) {
    let pred = compare(p, key, &mut model);
    let theirs = common::decode_digits(p.golden["models"][key]["predictions"].as_str().unwrap());
    assert_eq!(pred, theirs, "{}/{key}: every prediction", p.name);
    let first = p.xte.select_rows(&(0..20).collect::<Vec<_>>());
    let ours = log_proba(&model, &first);
    let want: Vec<f64> = p.golden["models"][key]["log_proba_first20"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(f64s)
        .collect();
    assert_eq!(ours.len(), want.len());
    for (i, (a, b)) in ours.iter().zip(&want).enumerate() {
        assert!(
            (a - b).abs() <= 1e-9,
            "{}/{key}: log P entry {i}: {a} vs {b}",
            p.name
        );
    }
}

fn naive_bayes(p: &Prepared) {
    check_nb(p, "nb", MultinomialNb::default(), |m, x| {
        m.predict_log_proba(x).unwrap().data
    });
    check_nb(p, "cnb", ComplementNb::default(), |m, x| {
        m.predict_log_proba(x).unwrap().data
    });
    check_nb(p, "bnb", BernoulliNb::default(), |m, x| {
        m.predict_log_proba(x).unwrap().data
    });
}

fn linear_svc(p: &Prepared) {
    let mut svm = LinearSvc::new(LinearSvcConfig::default());
    compare(p, "svm", &mut svm);
    assert!(svm.converged);
    let want = f64s(&p.golden["models"]["svm"]["objective"]);
    for (ours, theirs) in svm.objective.iter().zip(&want) {
        println!(
            "{:16} svm     primal objective {ours:.6} (sklearn {theirs:.6})",
            p.name
        );
        assert!(
            (ours - theirs).abs() <= 1e-3 * theirs,
            "{}: objective {ours} vs {theirs}",
            p.name
        );
    }
}

fn logistic(p: &Prepared) {
    let mut lr = LogisticRegression::new(LogisticRegressionConfig {
        tol: 1e-6,
        max_iter: 1000,
        ..Default::default()
    });
    compare(p, "logreg", &mut lr);
    assert!(lr.converged(), "{:?}", lr.status);
    let want = p.golden["models"]["logreg"]["objective"].as_f64().unwrap();
    println!(
        "{:16} logreg  objective {:.8} (sklearn {want:.8}), {} iterations (sklearn {})",
        p.name, lr.objective, lr.n_iter, p.golden["models"]["logreg"]["n_iter"]
    );
    assert!((lr.objective - want).abs() <= 1e-4 * want);
}

fn nbsvm(p: &Prepared) {
    let mut m = NbSvm::new(NbSvmConfig {
        max_iter: 10_000,
        ..Default::default()
    });
    compare(p, "nbsvm", &mut m);
    assert!(m.converged);
}

// The test budget (debug build, 2 cores) keeps the slower fits to the smaller
// sets here; `examples/classify_parity.rs` runs every model on every set
// (LogisticRegression on SST-2, AG News and 20 Newsgroups, NBSVM on SST-2 and
// 20 Newsgroups) against the same fixture.

#[test]
fn sst2_parity() {
    let Some(p) = prepare("sst2", None) else {
        return;
    };
    naive_bayes(&p);
    linear_svc(&p);
}

#[test]
fn sms_spam_parity() {
    let Some(p) = prepare("sms_spam", None) else {
        return;
    };
    naive_bayes(&p);
    linear_svc(&p);
    logistic(&p);
    nbsvm(&p);
}

#[test]
fn ag_news_parity() {
    let Some(p) = prepare("ag_news", None) else {
        return;
    };
    naive_bayes(&p);
    linear_svc(&p);
    nbsvm(&p);
}

#[test]
fn mini_newsgroups_parity() {
    let Some(p) = prepare("mini_newsgroups", None) else {
        return;
    };
    naive_bayes(&p);
    linear_svc(&p);
}

/// How a test reads a Naive Bayes model's log-probabilities.
type LogProba<'a, M> = &'a dyn Fn(&M, &CsrMatrix) -> Vec<f64>;

/// Fits a model under one of the fixture's "variants" and compares: every
/// prediction (and log-probability) for Naive Bayes, ≥ 99% agreement and
/// accuracy within 0.5 points otherwise.
fn variant<M: Classifier>(
    p: &Prepared,
    key: &str,
    mut model: M,
    log_proba: Option<LogProba<'_, M>>,
) -> M {
    let all = common::read_fixture("classify_sklearn.json");
    let g = &all["variants"][key];
    model.fit(&p.xtr, &p.ytr).unwrap();
    let pred = model.predict(&p.xte).unwrap();
    let theirs = common::decode_digits(g["predictions"].as_str().unwrap());
    let acc = metrics::accuracy(&p.yte, &pred).unwrap();
    let sk_acc = g["accuracy"].as_f64().unwrap();
    let agree = pred.iter().zip(&theirs).filter(|(a, b)| a == b).count() as f64 / pred.len() as f64;
    println!(
        "{:16} {key:28} acc {acc:.4} (sklearn {sk_acc:.4})  agreement {:.2}%",
        p.name,
        100.0 * agree
    );
    assert!(
        (acc - sk_acc).abs() <= 0.005,
        "{key}: accuracy {acc} vs {sk_acc}"
    );
    assert!(agree >= 0.99, "{key}: agreement {agree}");
    if let Some(lp) = log_proba {
        assert_eq!(pred, theirs, "{key}: every prediction");
        let first = p.xte.select_rows(&(0..20).collect::<Vec<_>>());
        let want: Vec<f64> = g["log_proba_first20"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(f64s)
            .collect();
        for (a, b) in lp(&model, &first).iter().zip(&want) {
            assert!((a - b).abs() <= 1e-9, "{key}: log P {a} vs {b}");
        }
    }
    model
}

fn close_rel(ours: f64, theirs: f64, rel: f64, what: &str) {
    println!("{what}: {ours:.8} (sklearn {theirs:.8})");
    assert!(
        (ours - theirs).abs() <= rel * theirs.abs(),
        "{what}: {ours} vs {theirs}"
    );
}

/// Priors, smoothing, `norm`, binarize threshold, hinge loss, class weights
/// (balanced, and explicit one-vs-rest weights), no intercept.
#[test]
fn settings_variants_match() {
    use journey_ml::bernoulli_nb::BernoulliNbConfig;
    use journey_ml::classifier::ClassWeight;
    use journey_ml::complement_nb::ComplementNbConfig;
    use journey_ml::linear_svm::SvmLoss;
    use journey_ml::multinomial_nb::MultinomialNbConfig;
    use journey_ml::naive_bayes::NbPrior;

    let Some(p) = prepare("sms_spam", None) else {
        return;
    };
    let g = common::read_fixture("classify_sklearn.json")["variants"].clone();
    let mnb_lp: LogProba<'_, MultinomialNb> = &|m, x| m.predict_log_proba(x).unwrap().data;
    variant(
        &p,
        "nb_alpha0.1_uniform_prior",
        MultinomialNb::new(MultinomialNbConfig {
            alpha: 0.1,
            prior: NbPrior {
                fit_prior: false,
                class_prior: None,
            },
        }),
        Some(mnb_lp),
    );
    variant(
        &p,
        "nb_class_prior",
        MultinomialNb::new(MultinomialNbConfig {
            prior: NbPrior {
                fit_prior: true,
                class_prior: Some(vec![0.3, 0.7]),
            },
            ..Default::default()
        }),
        Some(mnb_lp),
    );
    variant(
        &p,
        "cnb_norm",
        ComplementNb::new(ComplementNbConfig {
            norm: true,
            ..Default::default()
        }),
        Some(&|m: &ComplementNb, x: &CsrMatrix| m.predict_log_proba(x).unwrap().data),
    );
    variant(
        &p,
        "bnb_binarize0.1_alpha0.5",
        BernoulliNb::new(BernoulliNbConfig {
            alpha: 0.5,
            binarize: Some(0.1),
            ..Default::default()
        }),
        Some(&|m: &BernoulliNb, x: &CsrMatrix| m.predict_log_proba(x).unwrap().data),
    );
    let hinge = variant(
        &p,
        "svm_hinge",
        LinearSvc::new(LinearSvcConfig {
            loss: SvmLoss::Hinge,
            ..Default::default()
        }),
        None,
    );
    let want = g["svm_hinge"]["objective"].as_f64().unwrap();
    close_rel(hinge.objective[0], want, 1e-3, "hinge objective");
    let balanced = variant(
        &p,
        "svm_balanced",
        LinearSvc::new(LinearSvcConfig {
            class_weight: ClassWeight::Balanced,
            ..Default::default()
        }),
        None,
    );
    let want = g["svm_balanced"]["objective"].as_f64().unwrap();
    close_rel(
        balanced.objective[0],
        want,
        1e-3,
        "balanced squared-hinge objective",
    );
    let lr = variant(
        &p,
        "logreg_balanced",
        LogisticRegression::new(LogisticRegressionConfig {
            class_weight: ClassWeight::Balanced,
            tol: 1e-6,
            max_iter: 1000,
            ..Default::default()
        }),
        None,
    );
    close_rel(
        lr.objective,
        g["logreg_balanced"]["objective"].as_f64().unwrap(),
        1e-4,
        "balanced logistic objective",
    );
    let lr = variant(
        &p,
        "logreg_no_intercept",
        LogisticRegression::new(LogisticRegressionConfig {
            fit_intercept: false,
            tol: 1e-6,
            max_iter: 1000,
            ..Default::default()
        }),
        None,
    );
    assert_eq!(lr.intercept, [0.0]);
    close_rel(
        lr.objective,
        g["logreg_no_intercept"]["objective"].as_f64().unwrap(),
        1e-4,
        "logistic objective without intercept",
    );

    let Some(p) = prepare("ag_news", None) else {
        return;
    };
    let weights = [(0, 2.0), (2, 0.5)].into_iter().collect();
    let svm = variant(
        &p,
        "ag_news_svm_explicit_weights",
        LinearSvc::new(LinearSvcConfig {
            class_weight: ClassWeight::Explicit(weights),
            ..Default::default()
        }),
        None,
    );
    for (k, (ours, theirs)) in svm
        .objective
        .iter()
        .zip(f64s(&g["ag_news_svm_explicit_weights"]["objective"]))
        .enumerate()
    {
        close_rel(
            *ours,
            theirs,
            1e-3,
            &format!("one-vs-rest problem {k} objective"),
        );
    }
}

/// Tightly solved logistic regression lands on scikit-learn's coefficients.
#[test]
fn logistic_regression_coefficients_match() {
    let all = common::read_fixture("classify_sklearn.json");
    for (name, key, rows) in [
        ("sms_spam", "sms_spam", None),
        ("ag_news", "ag_news_1000", Some(1000)),
    ] {
        let Some(p) = prepare(name, rows) else {
            return;
        };
        let g = &all["logreg_tight"][key];
        assert_eq!(p.xtr.n_rows(), g["n_rows"].as_u64().unwrap() as usize);
        let mut lr = LogisticRegression::new(LogisticRegressionConfig {
            tol: 1e-10,
            max_iter: 20_000,
            ..Default::default()
        });
        lr.fit(&p.xtr, &p.ytr).unwrap();
        let nf = p.xtr.n_cols();
        let norm = lr.coef.iter().map(|v| v * v).sum::<f64>().sqrt();
        let want_norm = g["coef_norm"].as_f64().unwrap();
        let mut worst: f64 = 0.0;
        for t in g["top"].as_array().unwrap() {
            let (row, col, v) = (
                t[0].as_u64().unwrap() as usize,
                t[1].as_u64().unwrap() as usize,
                t[2].as_f64().unwrap(),
            );
            let ours = lr.coef[row * nf + col];
            worst = worst.max((ours - v).abs() / v.abs());
        }
        for (a, b) in lr.intercept.iter().zip(f64s(&g["intercept"])) {
            worst = worst.max((a - b).abs() / b.abs().max(1e-3));
        }
        println!(
            "{key}: {:?} after {} iterations (sklearn {}); objective {:.12} vs {:.12}; \
             ‖w‖ {norm:.8} vs {want_norm:.8}; worst relative difference {worst:.2e}",
            lr.status,
            lr.n_iter,
            g["n_iter"],
            lr.objective,
            g["objective"].as_f64().unwrap()
        );
        assert!(
            worst <= 1e-4,
            "{key}: coefficients differ by {worst:.2e} relative"
        );
        assert!((norm - want_norm).abs() <= 1e-4 * want_norm);
    }
}

/// Non-default TfidfVectorizer settings (character n-grams, word bigrams with
/// `min_df` and `sublinear_tf`, English stop words with `max_df`) through the
/// whole pipeline, against `tools/reference/classify_ngrams_golden.py`: the
/// same feature matrix summary, and every model within 0.5 points.
#[test]
fn ngram_pipelines_match() {
    use journey_ml::classifier::AnyClassifier;
    use journey_ml::text_classifier::TextClassifier;
    use journey_ml::text_features::{TextFeatures, TextFeaturizer};
    use journey_ml::{AnalyzerKind, DocFrequency, StopWordList, TfidfVectorizerConfig};

    let golden = common::read_fixture("classify_ngrams_sklearn.json");
    for (name, g) in golden["pipelines"].as_object().unwrap() {
        let set = g["data"].as_str().unwrap();
        let Some((train, test)) = common::load(set) else {
            return;
        };
        let mut config = TfidfVectorizerConfig::default();
        for (key, v) in g["vectorizer"].as_object().unwrap() {
            let df = |v: &Value| match v.as_u64() {
                Some(n) => DocFrequency::Count(n as usize),
                None => DocFrequency::Proportion(v.as_f64().unwrap()),
            };
            match key.as_str() {
                "analyzer" => {
                    assert_eq!(v, "char_wb");
                    config.count.analysis.analyzer = AnalyzerKind::CharWb;
                }
                "ngram_range" => {
                    let r = v.as_array().unwrap();
                    config.count.analysis.ngram_range = (
                        r[0].as_u64().unwrap() as usize,
                        r[1].as_u64().unwrap() as usize,
                    );
                }
                "min_df" => config.count.min_df = df(v),
                "max_df" => config.count.max_df = df(v),
                "sublinear_tf" => config.tfidf.sublinear_tf = v.as_bool().unwrap(),
                "stop_words" => {
                    assert_eq!(v, "english");
                    config.count.analysis.stop_words = StopWordList::English;
                }
                other => panic!("{name}: setting {other} not handled"),
            }
        }
        let classes: Vec<String> = g["classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        let yte = common::encode(&classes, &test.labels());
        // The features first, so a vectorizer mismatch is named as such.
        let mut features = TextFeatures::tfidf(config.clone()).unwrap();
        let x = features.fit_transform(&train.texts()).unwrap();
        assert_eq!(
            x.n_cols() as u64,
            g["n_features"].as_u64().unwrap(),
            "{name}: vocabulary size"
        );
        assert_eq!(
            x.nnz() as u64,
            g["train_nnz"].as_u64().unwrap(),
            "{name}: nnz"
        );
        let sum: f64 = x.data().iter().sum();
        let want = g["train_sum"].as_f64().unwrap();
        assert!(
            (sum - want).abs() <= 1e-7 * want,
            "{name}: sum {sum} vs {want}"
        );
        for (kind, m) in g["models"].as_object().unwrap() {
            let labels = LabelEncoder::fit(&train.labels()).unwrap();
            let model = match kind.as_str() {
                "svm" => AnyClassifier::LinearSvc(LinearSvc::new(LinearSvcConfig::default())),
                "logreg" => AnyClassifier::LogisticRegression(LogisticRegression::new(
                    LogisticRegressionConfig {
                        tol: 1e-6,
                        max_iter: 1000,
                        ..Default::default()
                    },
                )),
                "cnb" => AnyClassifier::ComplementNb(ComplementNb::default()),
                "nbsvm" => AnyClassifier::NbSvm(NbSvm::new(NbSvmConfig {
                    max_iter: 10_000,
                    ..Default::default()
                })),
                other => panic!("model {other}"),
            };
            assert_eq!(labels.classes(), classes.as_slice());
            let mut tc = TextClassifier::new(TextFeatures::tfidf(config.clone()).unwrap(), model);
            tc.fit_set(&train).unwrap();
            let pred = tc.predict_indices(&test.texts()).unwrap();
            let acc = metrics::accuracy(&yte, &pred).unwrap();
            let f1 = metrics::f1_score(&yte, &pred, Average::Macro).unwrap();
            let (sk_acc, sk_f1) = (
                m["accuracy"].as_f64().unwrap(),
                m["macro_f1"].as_f64().unwrap(),
            );
            let theirs = common::decode_digits(m["predictions"].as_str().unwrap());
            let agree =
                pred.iter().zip(&theirs).filter(|(a, b)| a == b).count() as f64 / pred.len() as f64;
            println!(
                "{name:16} {kind:7} acc {acc:.4} (sklearn {sk_acc:.4})  macro-F1 {f1:.4} (sklearn {sk_f1:.4})  agreement {:.2}%",
                100.0 * agree
            );
            assert!(
                (acc - sk_acc).abs() <= 0.005,
                "{name}/{kind}: accuracy {acc} vs {sk_acc}"
            );
            assert!(
                (f1 - sk_f1).abs() <= 0.005,
                "{name}/{kind}: macro-F1 {f1} vs {sk_f1}"
            );
            assert!(agree >= 0.99, "{name}/{kind}: agreement {agree}");
        }
    }
}
