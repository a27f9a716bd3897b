//! Parity of the metrics and model selection with scikit-learn 1.7.2.
//! Golden values: `tools/reference/classify_golden.py` →
//! `tests/fixtures/metrics_sklearn.json`, computed on real predictions
//! (MultinomialNB on the AG News and SMS Spam held-out rows).
//!
//! - accuracy, per-class precision/recall/F1/support, macro/micro/weighted
//!   averages and the confusion matrix, with and without a class that is
//!   never predicted (zero division → 0): within 1e-12;
//! - ROC curve (scores rounded to two decimals, so many ties) and its AUC;
//! - StratifiedKFold(5) fold of every SMS row equal to scikit-learn's, KFold
//!   fold sizes, cross_val_score of MultinomialNB (accuracy) and ComplementNB
//!   (macro-F1), and GridSearchCV over MultinomialNB's alpha.

mod common;

use journey_ml::classifier::AnyClassifier;
use journey_ml::labelled::{read_labelled, LabelledFormat};
use journey_ml::labels::LabelEncoder;
use journey_ml::metrics::{self, Average, ClassificationReport};
use journey_ml::model_selection::{cross_val_score, grid_search, KFold, Scoring, StratifiedKFold};
use serde_json::Value;

fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-12, "{what}: {a} vs {b}");
}

#[test]
fn classification_metrics_match_sklearn() {
    let g = common::read_fixture("metrics_sklearn.json");
    for key in ["ag_news_nb", "ag_news_nb_never4"] {
        let b = &g[key];
        let t = common::decode_digits(b["y_true"].as_str().unwrap());
        let p = common::decode_digits(b["y_pred"].as_str().unwrap());
        let r = ClassificationReport::new(&t, &p, None).unwrap();
        close(r.accuracy, b["accuracy"].as_f64().unwrap(), "accuracy");
        for (name, get) in [
            (
                "precision",
                (|s: &metrics::ClassScores| s.precision) as fn(&_) -> f64,
            ),
            ("recall", |s| s.recall),
            ("f1", |s| s.f1),
        ] {
            let want = f64s(&b["per_class"][name]);
            assert_eq!(want.len(), r.per_class.len());
            for (s, w) in r.per_class.iter().zip(want) {
                close(get(s), w, &format!("{key} {name} of class {}", s.label));
            }
        }
        let support: Vec<usize> = r.per_class.iter().map(|s| s.support).collect();
        let want: Vec<usize> = f64s(&b["per_class"]["support"])
            .iter()
            .map(|&v| v as usize)
            .collect();
        assert_eq!(support, want);
        for (avg, got) in [
            ("macro", r.macro_avg),
            ("micro", r.micro_avg),
            ("weighted", r.weighted_avg),
        ] {
            close(
                got.precision,
                b[avg]["precision"].as_f64().unwrap(),
                &format!("{key} {avg} P"),
            );
            close(
                got.recall,
                b[avg]["recall"].as_f64().unwrap(),
                &format!("{key} {avg} R"),
            );
            close(
                got.f1,
                b[avg]["f1"].as_f64().unwrap(),
                &format!("{key} {avg} F1"),
            );
        }
        let conf: Vec<Vec<usize>> = b["confusion"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| f64s(r).iter().map(|&v| v as usize).collect())
            .collect();
        assert_eq!(r.confusion, conf, "{key}: confusion matrix");
        close(
            metrics::f1_score(&t, &p, Average::Macro).unwrap(),
            b["macro"]["f1"].as_f64().unwrap(),
            "f1_score",
        );
    }
}

#[test]
fn roc_curve_and_auc_match_sklearn_with_ties() {
    let g = common::read_fixture("metrics_sklearn.json");
    let b = &g["sms_roc"];
    let y: Vec<bool> = b["y_true"]
        .as_str()
        .unwrap()
        .chars()
        .map(|c| c == '1')
        .collect();
    let scores = f64s(&b["scores"]);
    let curve = metrics::roc_curve(&y, &scores).unwrap();
    let (fpr, tpr) = (f64s(&b["fpr"]), f64s(&b["tpr"]));
    assert_eq!(
        curve.fpr.len(),
        fpr.len(),
        "points after dropping collinear ones"
    );
    for i in 0..fpr.len() {
        close(curve.fpr[i], fpr[i], "fpr");
        close(curve.tpr[i], tpr[i], "tpr");
    }
    let thr = b["thresholds"].as_array().unwrap();
    assert!(thr[0].is_null() && curve.thresholds[0].is_infinite());
    for (a, w) in curve.thresholds.iter().zip(thr).skip(1) {
        close(*a, w.as_f64().unwrap(), "threshold");
    }
    let auc = metrics::roc_auc_score(&y, &scores).unwrap();
    println!("SMS ROC AUC {auc} (sklearn {})", b["auc"]);
    close(auc, b["auc"].as_f64().unwrap(), "auc");
}

#[test]
fn folds_cross_validation_and_grid_search_match_sklearn() {
    let Some(path) = common::data_file("classification/sms_spam/sms.tsv") else {
        return;
    };
    let g = &common::read_fixture("metrics_sklearn.json")["sms_cv"];
    let set = read_labelled(&path, LabelledFormat::Tsv).unwrap();
    let (_, y) = LabelEncoder::fit_transform(&set.labels()).unwrap();
    let (x, _) = common::tfidf(&set.texts(), &[]);

    let folds = StratifiedKFold::default().split(&y).unwrap();
    let mut fold_of = vec![0usize; y.len()];
    for (k, f) in folds.iter().enumerate() {
        for &i in &f.test {
            fold_of[i] = k;
        }
    }
    assert_eq!(
        fold_of,
        common::decode_digits(g["stratified_fold_of_row"].as_str().unwrap()),
        "StratifiedKFold test folds"
    );
    let sizes: Vec<usize> = KFold::default()
        .split(y.len())
        .unwrap()
        .iter()
        .map(|f| f.test.len())
        .collect();
    let want: Vec<usize> = f64s(&g["kfold_test_sizes"])
        .iter()
        .map(|&v| v as usize)
        .collect();
    assert_eq!(sizes, want);

    let nb = AnyClassifier::by_name("nb").unwrap();
    let acc = cross_val_score(&nb, &x, &y, &folds, Scoring::Accuracy).unwrap();
    for (a, w) in acc.iter().zip(f64s(&g["nb_accuracy"])) {
        close(*a, w, "MultinomialNB fold accuracy");
    }
    let cnb = AnyClassifier::by_name("cnb").unwrap();
    let f1 = cross_val_score(&cnb, &x, &y, &folds, Scoring::MacroF1).unwrap();
    for (a, w) in f1.iter().zip(f64s(&g["cnb_f1_macro"])) {
        close(*a, w, "ComplementNB fold macro-F1");
    }

    let alphas = f64s(&g["grid_alpha"]);
    let result = grid_search(
        &nb,
        &[("alpha".to_string(), alphas.clone())],
        &x,
        &y,
        &folds,
        Scoring::Accuracy,
    )
    .unwrap();
    for (c, w) in result.candidates.iter().zip(f64s(&g["grid_mean"])) {
        println!(
            "alpha {:?}: mean accuracy {:.6} (sklearn {w:.6})",
            c.params, c.mean
        );
        assert!((c.mean - w).abs() <= 1e-12);
    }
    assert_eq!(
        result.best().params[0].1,
        g["grid_best_alpha"].as_f64().unwrap()
    );
}
