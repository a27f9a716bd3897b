//! `journey classify train --model bilstm|textcnn`: the neural text
//! classifiers of `journey-nn` behind the same commands as the linear ones.
//! A neural model file is safetensors (weights, with the configuration,
//! labels and vocabulary in its metadata); `eval` and `predict` tell the two
//! kinds of model file apart by their first byte.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use journey_ml::labelled::LabelledSet;
use journey_ml::labels::LabelEncoder;
use journey_ml::text_classifier::TextClassifier;
use journey_nn::neural_classifier::{
    Architecture, FitConfig, Labelled, NeuralClassifier, NeuralClassifierConfig, Tokenization,
};
use serde_json::json;

use crate::outln;
use crate::output::Global;

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum TokenizationArg {
    /// The Penn Treebank tokenizer (as NLTK's word_tokenize).
    Treebank,
    /// Split on white space (text that is already tokenised, as SST-2).
    Whitespace,
}

/// Flags of the neural models (bilstm, textcnn); the linear models ignore them.
#[derive(Args, Debug, Clone)]
pub struct NeuralArgs {
    /// Labelled data scored after each epoch; the best epoch is kept.
    /// Default: every 10th training example is held out.
    #[arg(long, value_name = "DEV")]
    pub dev: Option<PathBuf>,
    #[arg(long, default_value_t = 4)]
    pub epochs: u64,
    #[arg(long, default_value_t = 64)]
    pub batch_size: usize,
    /// AdamW learning rate.
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    #[arg(long, default_value_t = 0.0)]
    pub weight_decay: f64,
    /// Stop when the dev accuracy has not improved for this many epochs.
    #[arg(long, default_value_t = 2)]
    pub patience: u64,
    /// Stop after this many optimiser steps.
    #[arg(long)]
    pub max_steps: Option<u64>,
    /// LSTM units per direction (bilstm).
    #[arg(long, default_value_t = 128)]
    pub hidden: usize,
    /// Stacked LSTM layers (bilstm).
    #[arg(long, default_value_t = 1)]
    pub layers: usize,
    /// Filter widths (textcnn).
    #[arg(long, default_value = "3,4,5", value_delimiter = ',')]
    pub widths: Vec<usize>,
    /// Filters per width (textcnn).
    #[arg(long, default_value_t = 100)]
    pub filters: usize,
    #[arg(long, default_value_t = 0.5)]
    pub dropout: f32,
    #[arg(long, default_value_t = 0.25)]
    pub embedding_dropout: f32,
    /// Keep the word vectors as initialised (Kim's "static" variant).
    #[arg(long)]
    pub freeze_embeddings: bool,
    /// Width of the word vectors when no --pretrained vectors are given.
    #[arg(long, default_value_t = 50)]
    pub embedding_dim: usize,
    /// Pretrained word vectors to start from: a GloVe folder
    /// (vectors.npy + index.parquet, as `fetch-models glove` writes) or a
    /// word2vec/GloVe text or binary file.
    #[arg(long, value_name = "PATH")]
    pub pretrained: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "treebank")]
    pub tokenization: TokenizationArg,
    /// Keep the case of the text (default: lower-case it).
    #[arg(long)]
    pub keep_case: bool,
    /// Words seen fewer times in training become <unk>.
    #[arg(long, default_value_t = 1)]
    pub min_count: usize,
    /// The run folder (config.json, metrics.jsonl, checkpoints) is RUNS_DIR/RUN_NAME.
    #[arg(long, default_value = "runs")]
    pub runs_dir: PathBuf,
    /// Default: the model kind.
    #[arg(long)]
    pub run_name: Option<String>,
    /// Continue an interrupted run from one of its checkpoints (in that
    /// checkpoint's run folder, unless --run-name says otherwise).
    #[arg(long, value_name = "CHECKPOINT")]
    pub resume: Option<PathBuf>,
}

/// Reads pretrained vectors from a GloVe folder or a vector file.
pub fn read_pretrained(path: &Path) -> Result<journey_embed::Embeddings> {
    if path.is_dir() {
        journey_embed::pretrained::load_glove_npy_parquet(path)
            .with_context(|| format!("--pretrained {}", path.display()))
    } else {
        journey_embed::vector_files::read_vectors(path)
            .with_context(|| format!("--pretrained {}", path.display()))
    }
}

fn encode(labels: &LabelEncoder, set: &LabelledSet, what: &str) -> Result<Vec<u32>> {
    set.labels()
        .iter()
        .enumerate()
        .map(|(i, l)| {
            labels.index_of(l).map(|k| k as u32).with_context(|| {
                format!(
                    "{what} label {l:?} at {} is not among the training labels {:?}",
                    set.location(i),
                    labels.classes()
                )
            })
        })
        .collect()
}

/// Trains a neural classifier and saves it to `out`.
pub fn train(
    g: &Global,
    arch: Architecture,
    args: &NeuralArgs,
    seed: u64,
    set: &LabelledSet,
    dev: Option<&LabelledSet>,
    out: &Path,
) -> Result<()> {
    let (train_set, dev_set) = match dev {
        Some(d) => (set.clone(), d.clone()),
        None => {
            let (train, held) = set.holdout_every(10)?;
            (train, held)
        }
    };
    if train_set.is_empty() || dev_set.is_empty() {
        bail!(
            "need at least one training and one dev example (got {} and {})",
            train_set.len(),
            dev_set.len()
        );
    }
    let labels = LabelEncoder::fit(&train_set.labels())?;
    let train_y = encode(&labels, &train_set, "training")?;
    let dev_y = encode(&labels, &dev_set, "dev")?;
    let train_x: Vec<String> = train_set.texts().iter().map(|s| s.to_string()).collect();
    let dev_x: Vec<String> = dev_set.texts().iter().map(|s| s.to_string()).collect();
    let pretrained = args
        .pretrained
        .as_deref()
        .map(read_pretrained)
        .transpose()?;
    let config = NeuralClassifierConfig {
        architecture: arch,
        tokenization: match args.tokenization {
            TokenizationArg::Treebank => Tokenization::Treebank,
            TokenizationArg::Whitespace => Tokenization::Whitespace,
        },
        lowercase: !args.keep_case,
        min_count: args.min_count,
        embedding_dim: args.embedding_dim,
        hidden_size: args.hidden,
        num_layers: args.layers,
        widths: args.widths.clone(),
        filters: args.filters,
        embedding_dropout: args.embedding_dropout,
        dropout: args.dropout,
        freeze_embeddings: args.freeze_embeddings,
    };
    let (mut model, hits) = NeuralClassifier::new(
        config,
        labels.classes().to_vec(),
        &train_x,
        pretrained.as_ref(),
        seed,
    )?;
    let name = match arch {
        Architecture::Bilstm => "bilstm",
        Architecture::Textcnn => "textcnn",
    };
    // Resuming continues the checkpoint's own run folder unless told otherwise.
    let from_checkpoint = args.resume.as_deref().and_then(|ck| {
        let run = ck.parent()?.parent()?;
        Some((
            run.parent()?.to_path_buf(),
            run.file_name()?.to_str()?.to_string(),
        ))
    });
    let (runs_dir, run_name) = match (&args.run_name, from_checkpoint) {
        (Some(n), _) => (args.runs_dir.clone(), n.clone()),
        (None, Some(found)) => found,
        (None, None) => (args.runs_dir.clone(), name.to_string()),
    };
    let fit = FitConfig {
        epochs: args.epochs,
        batch_size: args.batch_size,
        lr: args.lr,
        weight_decay: args.weight_decay,
        seed,
        patience: args.patience,
        max_steps: args.max_steps,
        runs_dir,
        run_name,
        quiet: g.quiet,
        ..Default::default()
    };
    let start = Instant::now();
    let report = model.fit(
        &Labelled {
            texts: &train_x,
            labels: &train_y,
        },
        &Labelled {
            texts: &dev_x,
            labels: &dev_y,
        },
        &fit,
        args.resume.as_deref(),
    )?;
    let seconds = start.elapsed().as_secs_f64();
    let best = model.evaluate(&Labelled {
        texts: &dev_x,
        labels: &dev_y,
    })?;
    model.save(out)?;
    let run_dir = fit.runs_dir.join(&fit.run_name);
    let evals: Vec<_> = report
        .evals
        .iter()
        .map(
            |(step, m)| json!({"step": step, "accuracy": m.get("accuracy"), "loss": m.get("loss")}),
        )
        .collect();
    if g.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "model": name,
                "examples": train_x.len(),
                "dev_examples": dev_x.len(),
                "classes": labels.classes(),
                "vocabulary": model.vocab().len(),
                "pretrained_hits": hits,
                "evaluations": evals,
                "dev_accuracy": best.get("accuracy"),
                "steps": report.state.step,
                "stopped_early": report.stopped_early,
                "seconds": seconds,
                "run": run_dir,
                "out": out,
            }))?
        )?;
    } else {
        for (step, m) in &report.evals {
            outln!(
                "step {step:>6}  dev accuracy {:.4}  dev loss {:.4}",
                m.get("accuracy").copied().unwrap_or(f64::NAN),
                m.get("loss").copied().unwrap_or(f64::NAN)
            )?;
        }
        let pairs = [
            ("model", name.to_string()),
            (
                "examples",
                format!("{} train, {} dev", train_x.len(), dev_x.len()),
            ),
            ("classes", labels.classes().join(", ")),
            (
                "vocabulary",
                format!(
                    "{} words, {hits} with a pretrained vector",
                    model.vocab().len()
                ),
            ),
            (
                "dev accuracy",
                format!("{:.4} (best epoch)", best["accuracy"]),
            ),
            ("time", format!("{seconds:.1} s")),
            ("run folder", run_dir.display().to_string()),
            ("saved to", out.display().to_string()),
        ];
        for (k, v) in pairs {
            outln!("{k:<18} {v}")?;
        }
    }
    Ok(())
}

/// A model file of either kind.
pub enum AnyModel {
    Linear(Box<TextClassifier>),
    Neural(Box<NeuralClassifier>),
}

impl AnyModel {
    /// Opens a model file: JSON (linear models) or safetensors (neural).
    pub fn load(path: &Path) -> Result<Self> {
        let mut first = [0u8; 1];
        {
            use std::io::Read as _;
            let mut f = std::fs::File::open(path)
                .with_context(|| format!("cannot open the model file {}", path.display()))?;
            f.read_exact(&mut first)
                .with_context(|| format!("{}: empty model file", path.display()))?;
        }
        if first[0] == b'{' {
            Ok(AnyModel::Linear(Box::new(TextClassifier::load(path)?)))
        } else {
            let model = NeuralClassifier::load(path).with_context(|| {
                format!(
                    "{} is neither a JSON model (linear classifiers) nor a safetensors model (bilstm, textcnn)",
                    path.display()
                )
            })?;
            Ok(AnyModel::Neural(Box::new(model)))
        }
    }

    pub fn display_name(&self) -> String {
        match self {
            AnyModel::Linear(tc) => tc.model.display_name().to_string(),
            AnyModel::Neural(m) => match m.config.architecture {
                Architecture::Bilstm => "BiLSTM".into(),
                Architecture::Textcnn => "TextCNN".into(),
            },
        }
    }

    pub fn classes(&self) -> Vec<String> {
        match self {
            AnyModel::Linear(tc) => tc.labels.classes().to_vec(),
            AnyModel::Neural(m) => m.labels().to_vec(),
        }
    }

    /// Class indices of the labels of `set`.
    pub fn encode_labels(&self, set: &LabelledSet) -> Result<Vec<usize>> {
        match self {
            AnyModel::Linear(tc) => Ok(tc.encode_labels(set)?),
            AnyModel::Neural(m) => {
                let enc = LabelEncoder::from_classes(m.labels().to_vec())?;
                Ok(encode(&enc, set, "evaluation")?
                    .into_iter()
                    .map(|k| k as usize)
                    .collect())
            }
        }
    }

    /// Predicted class indices.
    pub fn predict_indices(&self, texts: &[&str]) -> Result<Vec<usize>> {
        match self {
            AnyModel::Linear(tc) => Ok(tc.predict_indices(texts)?),
            AnyModel::Neural(m) => {
                let owned: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
                Ok(m.predict(&owned)?.into_iter().map(|k| k as usize).collect())
            }
        }
    }

    /// Class probabilities per text, when the model gives them.
    pub fn predict_proba(&self, texts: &[&str]) -> Result<Option<Vec<Vec<f64>>>> {
        match self {
            AnyModel::Linear(tc) => Ok(tc
                .predict_proba(texts)?
                .map(|p| (0..texts.len()).map(|i| p.row(i).to_vec()).collect())),
            AnyModel::Neural(m) => {
                let owned: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
                Ok(Some(
                    m.predict_proba(&owned)?
                        .into_iter()
                        .map(|r| r.into_iter().map(f64::from).collect())
                        .collect(),
                ))
            }
        }
    }
}
