//! `journey classify …`: chapter 2, classic text classification — train,
//! evaluate, predict and cross-validate Naive Bayes, linear SVM, logistic
//! regression and NBSVM on labelled text.
//!
//! Data files are `label<TAB>text` (a first line `label<TAB>…` is a header),
//! fastText `__label__x text`, CSV `"label","title","body"` (AG News) or a
//! folder of class folders (20 Newsgroups); `--format` overrides the guess.
//! A model file (JSON) holds the text featurizer (scikit-learn's
//! TfidfVectorizer, with the same flags as `journey features tfidf`), the
//! class names and the model.
//!
//! `predict` prints one label per input line (an empty line gets a label
//! too, so lines stay aligned); `--proba` prints a header `label<TAB>class…`
//! and then the label and the class probabilities per line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use journey_ml::classifier::{AnyClassifier, ClassWeight};
use journey_ml::labelled::{read_labelled, LabelledFormat, LabelledSet};
use journey_ml::labels::LabelEncoder;
use journey_ml::metrics::{self, Average, ClassificationReport};
use journey_ml::model_selection::{self, Scoring, StratifiedKFold};
use journey_ml::text_classifier::TextClassifier;
use journey_ml::text_features::{TextFeatures, TextFeaturizer};
use journey_nn::neural_classifier::Architecture;
use rayon::prelude::*;
use serde_json::json;

use crate::commands::classify_neural::{self, AnyModel, NeuralArgs};
use crate::commands::features::TfidfArgs;
use crate::input::read_input;
use crate::outln;
use crate::output::{print_table, Global};

#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once
pub enum ClassifyCommand {
    /// Train a classifier on labelled text and save it (featurizer, class
    /// names and model in one JSON file).
    Train {
        #[command(flatten)]
        model: ModelArgs,
        #[command(flatten)]
        features: TfidfArgs,
        #[command(flatten)]
        neural: NeuralArgs,
        /// Labelled training data (TSV, fastText, CSV or a folder of classes).
        #[arg(long, value_name = "TRAIN")]
        data: PathBuf,
        #[arg(long, value_enum, default_value = "auto")]
        format: FormatArg,
        /// Where to write the model file.
        #[arg(long, value_name = "MODEL")]
        out: PathBuf,
    },
    /// Score a saved model on labelled data: accuracy, macro-F1, per-class
    /// precision/recall/F1 and the confusion matrix.
    Eval {
        /// A model file written by `journey classify train`.
        #[arg(long, value_name = "MODEL")]
        model: PathBuf,
        #[arg(long, value_name = "TEST")]
        data: PathBuf,
        #[arg(long, value_enum, default_value = "auto")]
        format: FormatArg,
    },
    /// Predict the label of each input line (FILE, or standard input).
    Predict {
        #[arg(long, value_name = "MODEL")]
        model: PathBuf,
        /// Also print the class probabilities (Naive Bayes, logistic regression).
        #[arg(long)]
        proba: bool,
        file: Option<PathBuf>,
    },
    /// The features that push hardest towards each class (model weights;
    /// Naive Bayes: centred log-probabilities).
    Explain {
        #[arg(long, value_name = "MODEL")]
        model: PathBuf,
        /// Features listed per class.
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// Stratified k-fold cross-validation (the featurizer is refitted on each
    /// training fold); with --grid, a grid search over parameters.
    Cv {
        #[command(flatten)]
        model: ModelArgs,
        #[command(flatten)]
        features: TfidfArgs,
        #[arg(long, value_name = "DATA")]
        data: PathBuf,
        #[arg(long, value_enum, default_value = "auto")]
        format: FormatArg,
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Shuffle each class before dealing it into folds (seeded by --seed).
        #[arg(long)]
        shuffle: bool,
        /// Parameter values to try, e.g. --grid c=0.1,1,10 (repeatable).
        #[arg(long = "grid", value_name = "NAME=V1,V2,…")]
        grid: Vec<String>,
        /// What the grid search maximises.
        #[arg(long, value_enum, default_value = "accuracy")]
        scoring: ScoringArg,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ModelKind {
    /// Multinomial Naive Bayes.
    Nb,
    /// Complement Naive Bayes (Rennie et al. 2003).
    Cnb,
    /// Bernoulli Naive Bayes.
    Bnb,
    /// Linear SVM (LIBLINEAR's dual coordinate descent).
    Svm,
    /// L2 logistic regression (L-BFGS).
    Logreg,
    /// NBSVM (Wang & Manning 2012).
    Nbsvm,
    /// Bidirectional LSTM over word vectors, max + mean pooling (journey-nn).
    Bilstm,
    /// Kim's (2014) convolutional network over word vectors (journey-nn).
    Textcnn,
}

impl ModelKind {
    fn name(self) -> &'static str {
        match self {
            ModelKind::Nb => "nb",
            ModelKind::Cnb => "cnb",
            ModelKind::Bnb => "bnb",
            ModelKind::Svm => "svm",
            ModelKind::Logreg => "logreg",
            ModelKind::Nbsvm => "nbsvm",
            ModelKind::Bilstm => "bilstm",
            ModelKind::Textcnn => "textcnn",
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FormatArg {
    Auto,
    Tsv,
    Fasttext,
    Csv,
    Folders,
}

impl From<FormatArg> for LabelledFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Auto => LabelledFormat::Auto,
            FormatArg::Tsv => LabelledFormat::Tsv,
            FormatArg::Fasttext => LabelledFormat::FastText,
            FormatArg::Csv => LabelledFormat::Csv,
            FormatArg::Folders => LabelledFormat::Folders,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ScoringArg {
    Accuracy,
    MacroF1,
}

#[derive(Args, Debug, Clone)]
pub struct ModelArgs {
    /// Which classifier.
    #[arg(long, value_enum)]
    model: ModelKind,
    /// Inverse regularisation strength (svm, logreg, nbsvm).
    #[arg(long)]
    c: Option<f64>,
    /// Smoothing (nb, cnb, bnb; the log-count ratio of nbsvm).
    #[arg(long)]
    alpha: Option<f64>,
    /// NBSVM interpolation weight in [0, 1].
    #[arg(long)]
    beta: Option<f64>,
    /// Class weights (svm, logreg): `balanced`, or LABEL=WEIGHT pairs
    /// separated by commas.
    #[arg(long, value_name = "balanced|LABEL=W,…")]
    class_weight: Option<String>,
    /// Solver iterations (svm, logreg, nbsvm).
    #[arg(long)]
    max_iter: Option<usize>,
    /// Solver tolerance (svm, logreg).
    #[arg(long)]
    tol: Option<f64>,
    /// Seed of the SVM's coordinate order and of --shuffle.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

impl ModelArgs {
    /// The architecture of a neural model kind.
    fn neural(&self) -> Option<Architecture> {
        match self.model {
            ModelKind::Bilstm => Some(Architecture::Bilstm),
            ModelKind::Textcnn => Some(Architecture::Textcnn),
            _ => None,
        }
    }

    /// The unfitted model with the flags applied; class weights name labels
    /// of `classes`.
    fn build(&self, classes: &LabelEncoder) -> Result<AnyClassifier> {
        if self.neural().is_some() {
            bail!(
                "--model {} is a neural model: `journey classify train` trains it (cross-validation is for the linear models)",
                self.model.name()
            );
        }
        let mut m = AnyClassifier::by_name(self.model.name())?;
        for (flag, name, value) in [
            ("--c", "c", self.c),
            ("--alpha", "alpha", self.alpha),
            ("--beta", "beta", self.beta),
            ("--tol", "tol", self.tol),
            ("--max-iter", "max_iter", self.max_iter.map(|v| v as f64)),
        ] {
            if let Some(v) = value {
                m.set_param(name, v)
                    .with_context(|| format!("{flag} {v}"))?;
            }
        }
        if let Some(cw) = &self.class_weight {
            let weight = parse_class_weight(cw, classes)?;
            m.set_class_weight(weight).context("--class-weight")?;
        }
        m.set_seed(self.seed);
        Ok(m)
    }
}

fn parse_class_weight(spec: &str, classes: &LabelEncoder) -> Result<ClassWeight> {
    if spec == "balanced" {
        return Ok(ClassWeight::Balanced);
    }
    let mut map = BTreeMap::new();
    for pair in spec.split(',') {
        let Some((label, w)) = pair.rsplit_once('=') else {
            bail!("--class-weight: expected 'balanced' or LABEL=WEIGHT pairs, got '{pair}'");
        };
        let w: f64 = w
            .trim()
            .parse()
            .with_context(|| format!("--class-weight: '{w}' is not a number"))?;
        let k = classes
            .encode(label.trim(), " in --class-weight")
            .map_err(anyhow::Error::from)?;
        map.insert(k, w);
    }
    Ok(ClassWeight::Explicit(map))
}

fn read_data(path: &Path, format: FormatArg) -> Result<LabelledSet> {
    let set = read_labelled(path, format.into())?;
    Ok(set)
}

pub fn run(g: &Global, cmd: ClassifyCommand) -> Result<()> {
    match cmd {
        ClassifyCommand::Train {
            model,
            features,
            neural,
            data,
            format,
            out,
        } => {
            if let Some(arch) = model.neural() {
                let set = read_data(&data, format)?;
                let dev = neural
                    .dev
                    .as_deref()
                    .map(|d| read_data(d, format))
                    .transpose()?;
                classify_neural::train(g, arch, &neural, model.seed, &set, dev.as_ref(), &out)
            } else {
                train(g, &model, &features, &data, format, &out)
            }
        }
        ClassifyCommand::Eval {
            model,
            data,
            format,
        } => eval(g, &model, &data, format),
        ClassifyCommand::Predict { model, proba, file } => {
            predict(g, &model, proba, file.as_deref())
        }
        ClassifyCommand::Explain { model, top } => explain(g, &model, top),
        ClassifyCommand::Cv {
            model,
            features,
            data,
            format,
            folds,
            shuffle,
            grid,
            scoring,
        } => cv(
            g, &model, &features, &data, format, folds, shuffle, &grid, scoring,
        ),
    }
}

fn train(
    g: &Global,
    args: &ModelArgs,
    features: &TfidfArgs,
    data: &Path,
    format: FormatArg,
    out: &Path,
) -> Result<()> {
    let featurizer = TextFeatures::tfidf(features.config()?)?;
    let set = read_data(data, format)?;
    let labels = LabelEncoder::fit(&set.labels())?;
    let model = args.build(&labels)?;
    let mut tc = TextClassifier::new(featurizer, model);
    let pb = g.spinner(format!(
        "training {} on {} examples",
        tc.model.display_name(),
        set.len()
    ));
    let start = Instant::now();
    tc.fit_set(&set)?;
    let seconds = start.elapsed().as_secs_f64();
    pb.finish_and_clear();
    warn_if_not_converged(&tc.model);
    let train_pred = tc.predict_indices(&set.texts())?;
    let y = tc.encode_labels(&set)?;
    let train_acc = metrics::accuracy(&y, &train_pred)?;
    tc.save(out)?;
    let n_features = tc.features.n_features();
    if g.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "model": tc.model.display_name(),
                "examples": set.len(),
                "classes": tc.labels.classes(),
                "features": n_features,
                "train_accuracy": train_acc,
                "seconds": seconds,
                "out": out,
            }))?
        )?;
    } else {
        let pairs = [
            ("model", tc.model.display_name().to_string()),
            ("examples", set.len().to_string()),
            ("classes", tc.labels.classes().join(", ")),
            ("features", tc.features.describe()),
            ("training accuracy", format!("{train_acc:.4}")),
            ("time", format!("{seconds:.2} s")),
            ("saved to", out.display().to_string()),
        ];
        for (k, v) in pairs {
            outln!("{k:<18} {v}")?;
        }
    }
    Ok(())
}

fn warn_if_not_converged(m: &AnyClassifier) {
    let converged = match m {
        AnyClassifier::LinearSvc(s) => s.converged,
        AnyClassifier::LogisticRegression(l) => l.converged(),
        AnyClassifier::NbSvm(n) => n.converged,
        _ => true,
    };
    if !converged {
        tracing::warn!(
            "{} did not reach its tolerance within --max-iter iterations; raise --max-iter",
            m.display_name()
        );
    }
}

fn load_model(path: &Path) -> Result<TextClassifier> {
    match AnyModel::load(path)? {
        AnyModel::Linear(tc) => Ok(*tc),
        AnyModel::Neural(_) => bail!(
            "{}: a neural model has no per-feature weights to list",
            path.display()
        ),
    }
}

fn eval(g: &Global, model: &Path, data: &Path, format: FormatArg) -> Result<()> {
    let tc = AnyModel::load(model)?;
    let set = read_data(data, format)?;
    let y = tc.encode_labels(&set)?;
    let pred = tc.predict_indices(&set.texts())?;
    let names = tc.classes();
    let all: Vec<usize> = (0..names.len()).collect();
    let report = ClassificationReport::new(&y, &pred, Some(&all))?;
    if g.json {
        let per_class: Vec<_> = report
            .per_class
            .iter()
            .map(|s| {
                json!({
                    "label": names[s.label],
                    "precision": s.precision,
                    "recall": s.recall,
                    "f1": s.f1,
                    "support": s.support,
                })
            })
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "model": tc.display_name(),
                "examples": report.n_samples,
                "accuracy": report.accuracy,
                "macro_f1": report.macro_avg.f1,
                "macro": report.macro_avg,
                "micro": report.micro_avg,
                "weighted": report.weighted_avg,
                "per_class": per_class,
                "labels": names,
                "confusion": report.confusion,
            }))?
        )?;
        return Ok(());
    }
    outln!(
        "{} on {} examples: accuracy {:.4}, macro-F1 {:.4}\n",
        tc.display_name(),
        report.n_samples,
        report.accuracy,
        report.macro_avg.f1
    )?;
    let mut rows: Vec<Vec<String>> = report
        .per_class
        .iter()
        .map(|s| {
            vec![
                names[s.label].clone(),
                format!("{:.4}", s.precision),
                format!("{:.4}", s.recall),
                format!("{:.4}", s.f1),
                s.support.to_string(),
            ]
        })
        .collect();
    for (name, avg) in [
        ("macro avg", report.macro_avg),
        ("weighted avg", report.weighted_avg),
    ] {
        rows.push(vec![
            name.into(),
            format!("{:.4}", avg.precision),
            format!("{:.4}", avg.recall),
            format!("{:.4}", avg.f1),
            report.n_samples.to_string(),
        ]);
    }
    print_table(&["class", "precision", "recall", "f1", "support"], &rows)?;
    outln!("\nconfusion matrix (rows: true class, columns: predicted)\n")?;
    let mut header = vec![""];
    header.extend(names.iter().map(String::as_str));
    let rows: Vec<Vec<String>> = report
        .confusion
        .iter()
        .zip(&names)
        .map(|(r, n)| {
            let mut row = vec![n.clone()];
            row.extend(r.iter().map(|v| v.to_string()));
            row
        })
        .collect();
    print_table(&header, &rows)?;
    Ok(())
}

fn explain(g: &Global, model: &Path, top: usize) -> Result<()> {
    let tc = load_model(model)?;
    let Some(classes) = tc.top_features(top) else {
        bail!(
            "{}: the model has no per-feature weights to list",
            model.display()
        );
    };
    if g.json {
        let items: Vec<_> = classes
            .iter()
            .map(|(c, feats)| {
                let f: Vec<_> = feats
                    .iter()
                    .map(|(t, w)| json!({ "feature": t, "weight": w }))
                    .collect();
                json!({ "class": c, "features": f })
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&items)?)?;
        return Ok(());
    }
    outln!(
        "{} on {}: the {top} strongest features of each class",
        tc.model.display_name(),
        tc.features.describe()
    )?;
    for (c, feats) in &classes {
        let rows: Vec<Vec<String>> = feats
            .iter()
            .map(|(t, w)| vec![t.clone(), format!("{w:+.4}")])
            .collect();
        outln!("\nclass {c}")?;
        print_table(&["feature", "weight"], &rows)?;
    }
    Ok(())
}

fn predict(g: &Global, model: &Path, proba: bool, file: Option<&Path>) -> Result<()> {
    let tc = AnyModel::load(model)?;
    let text = read_input(file)?;
    let lines: Vec<&str> = text.lines().collect();
    let names = tc.classes();
    let labels: Vec<&str> = tc
        .predict_indices(&lines)?
        .into_iter()
        .map(|k| names[k].as_str())
        .collect();
    let probs = if proba {
        match tc.predict_proba(&lines)? {
            Some(p) => Some(p),
            None => bail!(
                "{} gives no probabilities; drop --proba, or train nb, cnb, bnb, logreg, bilstm or textcnn",
                tc.display_name()
            ),
        }
    } else {
        None
    };
    if g.json {
        let items: Vec<_> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| match &probs {
                Some(p) => {
                    let m: serde_json::Map<String, serde_json::Value> = names
                        .iter()
                        .zip(&p[i])
                        .map(|(n, v)| (n.clone(), json!(v)))
                        .collect();
                    json!({ "label": l, "proba": m })
                }
                None => json!({ "label": l }),
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&items)?)?;
        return Ok(());
    }
    let mut out = String::with_capacity(lines.len() * 16);
    match &probs {
        Some(p) => {
            out.push_str("label");
            for n in &names {
                out.push('\t');
                out.push_str(n);
            }
            out.push('\n');
            for (i, l) in labels.iter().enumerate() {
                out.push_str(l);
                for v in &p[i] {
                    out.push_str(&format!("\t{v:.6}"));
                }
                out.push('\n');
            }
        }
        None => {
            for l in &labels {
                out.push_str(l);
                out.push('\n');
            }
        }
    }
    use std::io::Write as _;
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn cv(
    g: &Global,
    args: &ModelArgs,
    features: &TfidfArgs,
    data: &Path,
    format: FormatArg,
    folds: usize,
    shuffle: bool,
    grid: &[String],
    scoring: ScoringArg,
) -> Result<()> {
    let featurizer = TextFeatures::tfidf(features.config()?)?;
    let set = read_data(data, format)?;
    let labels = LabelEncoder::fit(&set.labels())?;
    let y = labels.transform(&set.labels())?;
    let base = args.build(&labels)?;
    let splits = StratifiedKFold {
        n_splits: folds,
        shuffle,
        seed: args.seed,
    }
    .split(&y)
    .context("--folds")?;
    let texts = set.texts();
    // One fold: featurizer, classes and model fitted on the training rows
    // only (class weights name the classes of that fold's training rows).
    let run_fold = |params: &[(String, f64)], fold: &model_selection::Fold| -> Result<(f64, f64)> {
        let train_texts: Vec<&str> = fold.train.iter().map(|&i| texts[i]).collect();
        let train_labels: Vec<&str> = fold
            .train
            .iter()
            .map(|&i| set.examples[i].label.as_str())
            .collect();
        let mut model = args.build(&LabelEncoder::fit(&train_labels)?)?;
        for (name, v) in params {
            model
                .set_param(name, *v)
                .with_context(|| format!("--grid {name}"))?;
        }
        let mut tc = TextClassifier::new(featurizer.clone(), model);
        tc.fit(&train_texts, &train_labels)?;
        let test_texts: Vec<&str> = fold.test.iter().map(|&i| texts[i]).collect();
        let pred: Vec<usize> = tc
            .predict(&test_texts)?
            .into_iter()
            .map(|l| labels.index_of(l).expect("a training label"))
            .collect();
        let truth: Vec<usize> = fold.test.iter().map(|&i| y[i]).collect();
        Ok((
            metrics::accuracy(&truth, &pred)?,
            metrics::f1_score(&truth, &pred, Average::Macro)?,
        ))
    };
    if grid.is_empty() {
        let pb = g.spinner(format!("{folds}-fold cross-validation"));
        let scores: Vec<(f64, f64)> = splits
            .par_iter()
            .map(|f| run_fold(&[], f))
            .collect::<Result<_>>()?;
        pb.finish_and_clear();
        let acc: Vec<f64> = scores.iter().map(|s| s.0).collect();
        let f1: Vec<f64> = scores.iter().map(|s| s.1).collect();
        let (am, asd) = model_selection::mean_std(&acc);
        let (fm, fsd) = model_selection::mean_std(&f1);
        if g.json {
            outln!(
                "{}",
                serde_json::to_string_pretty(&json!({
                    "model": base.display_name(),
                    "folds": folds,
                    "accuracy": acc,
                    "macro_f1": f1,
                    "accuracy_mean": am,
                    "accuracy_std": asd,
                    "macro_f1_mean": fm,
                    "macro_f1_std": fsd,
                }))?
            )?;
        } else {
            let mut rows: Vec<Vec<String>> = scores
                .iter()
                .enumerate()
                .map(|(k, (a, f))| vec![(k + 1).to_string(), format!("{a:.4}"), format!("{f:.4}")])
                .collect();
            rows.push(vec![
                "mean ± std".into(),
                format!("{am:.4} ± {asd:.4}"),
                format!("{fm:.4} ± {fsd:.4}"),
            ]);
            outln!("{} ({folds}-fold stratified)\n", base.display_name())?;
            print_table(&["fold", "accuracy", "macro-F1"], &rows)?;
        }
        return Ok(());
    }
    let mut params = Vec::new();
    for spec in grid {
        let Some((name, values)) = spec.split_once('=') else {
            bail!("--grid: expected NAME=V1,V2,…, got '{spec}'");
        };
        let values: Vec<f64> = values
            .split(',')
            .map(|v| {
                v.trim()
                    .parse::<f64>()
                    .with_context(|| format!("--grid {name}: '{v}' is not a number"))
            })
            .collect::<Result<_>>()?;
        params.push((name.trim().to_ascii_lowercase(), values));
    }
    let (which, scoring_name) = match scoring {
        ScoringArg::Accuracy => (Scoring::Accuracy, "accuracy"),
        ScoringArg::MacroF1 => (Scoring::MacroF1, "macro-F1"),
    };
    let pb = g.spinner("grid search");
    let mut rows = Vec::new();
    let mut items = Vec::new();
    let mut best: Option<(f64, String)> = None;
    for combo in model_selection::parameter_grid(&params)? {
        // Check the names and values once, before the folds run.
        let mut m = base.clone();
        for (name, v) in &combo {
            m.set_param(name, *v)
                .with_context(|| format!("--grid {name}"))?;
        }
        let scores = model_selection::cross_validate(&splits, |f| {
            let (a, f1) =
                run_fold(&combo, f).map_err(|e| journey_ml::MlError::Invalid(format!("{e:#}")))?;
            Ok(match which {
                Scoring::Accuracy => a,
                Scoring::MacroF1 => f1,
            })
        })?;
        let (mean, std) = model_selection::mean_std(&scores);
        let label = combo
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
        if best.as_ref().is_none_or(|(b, _)| mean > *b) {
            best = Some((mean, label.clone()));
        }
        rows.push(vec![
            label.clone(),
            format!("{mean:.4}"),
            format!("{std:.4}"),
        ]);
        items.push(json!({ "params": label, "scores": scores, "mean": mean, "std": std }));
    }
    pb.finish_and_clear();
    let (best_score, best_label) = best.expect("the grid has at least one combination");
    if g.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "model": base.display_name(),
                "folds": folds,
                "scoring": scoring_name,
                "candidates": items,
                "best": best_label,
                "best_score": best_score,
            }))?
        )?;
    } else {
        outln!(
            "{} grid search, {folds}-fold stratified, scoring {scoring_name}\n",
            base.display_name()
        )?;
        print_table(&["parameters", "mean", "std"], &rows)?;
        outln!("\nbest: {best_label} ({best_score:.4})")?;
    }
    Ok(())
}
