//! Tour chapter 2.1 — text classification on AG News (Zhang, Zhao & LeCun
//! 2015; the 7,600-article test file, every 5th article held out): TF-IDF
//! word uni- and bigrams, then Multinomial and Complement Naive Bayes,
//! LinearSVC (liblinear's dual coordinate descent), logistic regression
//! (L-BFGS) and NBSVM (Wang & Manning 2012), side by side; the best model's
//! confusion matrix and the features that push hardest towards each class.
//! The same pipeline is checked against scikit-learn in
//! `crates/journey-ml/tests/classifiers.rs` (`ngram_pipelines_match`).
//! Cost: one vectorizer pass and five fits over ~6,000 short articles, a few
//! seconds in a release build.

use std::time::Instant;

use anyhow::Result;
use journey_ml::classifier::AnyClassifier;
use journey_ml::labelled::{read_labelled, LabelledFormat};
use journey_ml::metrics::{self, Average};
use journey_ml::text_classifier::TextClassifier;
use journey_ml::text_features::TextFeatures;
use journey_ml::{DocFrequency, TfidfVectorizerConfig};
use serde_json::{json, Value};

use super::{find_offline, skipped, Tour};
use crate::report::{svg, Section};

/// Every k-th article is held out (as the parity tests split it).
const HOLDOUT_EVERY: usize = 5;
/// Features listed per class.
const TOP: usize = 8;

pub fn run(ctx: &Tour) -> Result<(Section, Value)> {
    let mut sec = Section::new("ch2-1", "2.1 Text classification");
    let mut facts = serde_json::Map::new();
    ctx.chapter("Chapter 2.1 — text classification");
    sec.para(
        "A classifier learns which features point to which label. Naive Bayes counts how often \
         each word appears with each class; a linear SVM and logistic regression learn one \
         weight per feature and class by minimising a loss (hinge, log-loss) plus a penalty on \
         large weights; NBSVM scales the features by Naive Bayes log-count ratios before the SVM. \
         Here: AG News headlines and leads in four classes, TF-IDF over word unigrams and \
         bigrams seen in at least two articles, with sublinear term frequency.",
    );
    let (path, names_path) =
        match find_offline("ag-news-test").map(|t| (t, find_offline("ag-news-classes").ok())) {
            Ok(p) => p,
            Err(why) => {
                skipped(ctx, &mut sec, "Chapter 2.1", &why);
                facts.insert("skipped".into(), json!(why));
                return Ok((sec, Value::Object(facts)));
            }
        };
    let set = read_labelled(&path, LabelledFormat::Auto)?;
    let (train, test) = set.holdout_every(HOLDOUT_EVERY)?;
    // Labels are 1..4 in the file; classes.txt names them in that order.
    let class_names: Vec<String> = names_path
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default();
    let pretty = |label: &str| -> String {
        label
            .parse::<usize>()
            .ok()
            .and_then(|i| class_names.get(i.wrapping_sub(1)))
            .cloned()
            .unwrap_or_else(|| label.to_string())
    };
    ctx.say(format!(
        "{} training and {} held-out articles",
        train.len(),
        test.len()
    ));

    let mut config = TfidfVectorizerConfig::default();
    config.count.analysis.ngram_range = (1, 2);
    config.count.min_df = DocFrequency::Count(2);
    config.tfidf.sublinear_tf = true;

    ctx.step(
        "Five classifiers",
        "Fit on the training articles, scored on the held-out ones.",
    );
    let mut table = Vec::new();
    let mut results = Vec::new();
    let mut best: Option<(f64, TextClassifier, Vec<usize>)> = None;
    for name in ["nb", "cnb", "svm", "logreg", "nbsvm"] {
        let mut tc = TextClassifier::new(
            TextFeatures::tfidf(config.clone())?,
            AnyClassifier::by_name(name)?,
        );
        let start = Instant::now();
        tc.fit_set(&train)?;
        let seconds = start.elapsed().as_secs_f64();
        let pred = tc.predict_indices(&test.texts())?;
        let truth = tc.encode_labels(&test)?;
        let acc = metrics::accuracy(&truth, &pred)?;
        let f1 = metrics::f1_score(&truth, &pred, Average::Macro)?;
        ctx.say(format!(
            "{:<22} accuracy {acc:.4}  macro-F1 {f1:.4}  ({seconds:.2} s)",
            tc.model.display_name()
        ));
        table.push(vec![
            tc.model.display_name().to_string(),
            format!("{acc:.4}"),
            format!("{f1:.4}"),
            format!("{seconds:.2} s"),
        ]);
        results.push(json!({ "model": name, "accuracy": acc, "macro_f1": f1, "seconds": seconds }));
        if best.as_ref().is_none_or(|b| acc > b.0) {
            best = Some((acc, tc, pred));
        }
    }
    let Some((best_acc, best_tc, best_pred)) = best else {
        unreachable!("five models were fitted")
    };
    sec.para(format!(
        "{} training and {} held-out articles; features: {}.",
        train.len(),
        test.len(),
        best_tc.features.describe()
    ));
    sec.table(&["model", "accuracy", "macro-F1", "fit time"], table);
    facts.insert("models".into(), json!(results));
    facts.insert("best".into(), json!(best_tc.model.short_name()));

    // ── Confusion matrix ──────────────────────────────────────────────────
    ctx.step(
        "Confusion matrix",
        "Rows: the true class; columns: the predicted one. Off-diagonal cells are the mistakes.",
    );
    let truth = best_tc.encode_labels(&test)?;
    let labels: Vec<String> = best_tc.labels.classes().iter().map(|l| pretty(l)).collect();
    let k = labels.len();
    let confusion = metrics::confusion_matrix(&truth, &best_pred, &(0..k).collect::<Vec<_>>())?;
    for (name, row) in labels.iter().zip(&confusion) {
        ctx.say(format!(
            "{name:>10} {}",
            row.iter().map(|c| format!("{c:>6}")).collect::<String>()
        ));
    }
    sec.figure(
        "confusion-matrix.svg",
        &format!(
            "Confusion matrix of {} (accuracy {best_acc:.4}) on the held-out AG News articles; \
             shade = share of the true class's articles.",
            best_tc.model.display_name()
        ),
        svg::heatmap(
            &format!("{} on AG News", best_tc.model.display_name()),
            &labels,
            &labels,
            &confusion,
            "predicted",
            "true",
        ),
    );
    facts.insert("confusion".into(), json!(confusion));

    // ── What the model looks at ───────────────────────────────────────────
    ctx.step(
        "Top features per class",
        "The terms whose weights push hardest towards each class.",
    );
    if let Some(top) = best_tc.top_features(TOP) {
        let mut rows = Vec::new();
        let mut top_facts = serde_json::Map::new();
        for (class, feats) in &top {
            let name = pretty(class);
            let terms: Vec<&str> = feats.iter().map(|(t, _)| t.as_str()).collect();
            ctx.say(format!("{name:>10}: {}", terms.join(", ")));
            rows.push(vec![name.clone(), terms.join(", ")]);
            top_facts.insert(name.clone(), json!(terms));
            let file = format!(
                "top-features-{}.svg",
                name.to_lowercase()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
            );
            sec.figure(
                &file,
                &format!("The {TOP} strongest features of class {name}."),
                svg::bar_chart(
                    &format!("{name}: strongest features"),
                    &feats
                        .iter()
                        .map(|(t, w)| (t.clone(), (w * 1000.0).round() / 1000.0))
                        .collect::<Vec<_>>(),
                    "weight",
                ),
            );
        }
        sec.table(&["class", "strongest features"], rows);
        facts.insert("top_features".into(), Value::Object(top_facts));
    }
    Ok((sec, Value::Object(facts)))
}
