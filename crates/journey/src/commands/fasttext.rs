//! `journey fasttext …`: the supervised fastText classifier (Joulin et al.
//! 2017), with fastText's commands and flag names (double-dashed).
//!
//! Line contracts, as the `fasttext` binary prints them: `test` prints
//! `N\t<n>`, `P@K\t<p>`, `R@K\t<r>` (3 decimals); `predict` prints the K
//! labels of each line separated by spaces; `predict-prob` prints
//! `label prob` pairs. A line with no known word prints an empty line.
//! `--json` gives one object instead (test) or one per line (predict).

use std::io::{BufRead, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use journey_embed::fasttext_supervised::{Loss, Supervised, SupervisedConfig};

use crate::output::Global;

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Training file: `__label__x text` per line.
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// Output model path (written as given; fastText would add `.bin`).
    #[arg(long, value_name = "MODEL")]
    output: PathBuf,
    #[arg(long, default_value_t = 0.1)]
    lr: f32,
    #[arg(long, default_value_t = 100)]
    dim: usize,
    #[arg(long, default_value_t = 5)]
    ws: usize,
    #[arg(long, default_value_t = 5)]
    epoch: usize,
    #[arg(long, default_value_t = 1)]
    min_count: u64,
    #[arg(long, default_value_t = 0)]
    min_count_label: u64,
    #[arg(long, default_value_t = 1)]
    word_ngrams: usize,
    /// softmax, hs, ns or ova.
    #[arg(long, default_value = "softmax")]
    loss: String,
    #[arg(long, default_value_t = 2_000_000)]
    bucket: usize,
    #[arg(long, default_value_t = 5)]
    neg: usize,
    #[arg(long, default_value_t = 100)]
    lr_update_rate: u64,
    /// Training threads (default: --threads, else all cores). 1 is reproducible.
    #[arg(long)]
    thread: Option<usize>,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    #[arg(long, default_value = "__label__")]
    label: String,
}

#[derive(Subcommand, Debug)]
pub enum FasttextCommand {
    /// Train a classifier (fastText `supervised`).
    Supervised(TrainArgs),
    /// Precision and recall at K on a labelled file (fastText `test`).
    Test {
        model: PathBuf,
        file: PathBuf,
        #[arg(default_value_t = 1)]
        k: usize,
        #[arg(long, default_value_t = 0.0)]
        threshold: f32,
    },
    /// The K most likely labels of each line of FILE (`-` for stdin).
    Predict {
        model: PathBuf,
        file: PathBuf,
        #[arg(default_value_t = 1)]
        k: usize,
        #[arg(long, default_value_t = 0.0)]
        threshold: f32,
    },
    /// Labels with their probabilities.
    PredictProb {
        model: PathBuf,
        file: PathBuf,
        #[arg(default_value_t = 1)]
        k: usize,
        #[arg(long, default_value_t = 0.0)]
        threshold: f32,
    },
}

pub fn run(global: &Global, cmd: FasttextCommand) -> Result<()> {
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    match cmd {
        FasttextCommand::Supervised(a) => {
            let loss: Loss = a.loss.parse().context("--loss")?;
            let default_threads = SupervisedConfig::default().threads;
            let cfg = SupervisedConfig {
                lr: a.lr,
                dim: a.dim,
                ws: a.ws,
                epoch: a.epoch,
                min_count: a.min_count,
                min_count_label: a.min_count_label,
                word_ngrams: a.word_ngrams,
                loss,
                bucket: a.bucket,
                neg: a.neg,
                lr_update_rate: a.lr_update_rate,
                threads: a.thread.or(global.threads).unwrap_or(default_threads),
                seed: a.seed,
                label_prefix: a.label,
            };
            let t0 = std::time::Instant::now();
            let model = Supervised::train_file(&a.input, &cfg)?;
            let secs = t0.elapsed().as_secs_f64();
            model.save(&a.output)?;
            if !global.quiet {
                eprintln!(
                    "Read {} tokens; words {}, labels {}; trained in {secs:.2}s ({} threads)",
                    model.dict.ntokens,
                    model.dict.nwords(),
                    model.dict.nlabels(),
                    cfg.threads
                );
            }
        }
        FasttextCommand::Test {
            model,
            file,
            k,
            threshold,
        } => {
            let m = Supervised::load(&model)?;
            let r = m.test_file(&file, k, threshold)?;
            if global.json {
                let v = serde_json::json!({
                    "n": r.examples, "k": k, "precision": r.precision(), "recall": r.recall()
                });
                writeln!(out, "{v}")?;
            } else {
                writeln!(out, "N\t{}", r.examples)?;
                writeln!(out, "P@{k}\t{:.3}", r.precision())?;
                writeln!(out, "R@{k}\t{:.3}", r.recall())?;
            }
        }
        FasttextCommand::Predict {
            model,
            file,
            k,
            threshold,
        } => predict(global, &model, &file, k, threshold, false, &mut out)?,
        FasttextCommand::PredictProb {
            model,
            file,
            k,
            threshold,
        } => predict(global, &model, &file, k, threshold, true, &mut out)?,
    }
    out.flush()?;
    Ok(())
}

fn predict(
    global: &Global,
    model: &std::path::Path,
    file: &std::path::Path,
    k: usize,
    threshold: f32,
    prob: bool,
    out: &mut impl Write,
) -> Result<()> {
    let m = Supervised::load(model)?;
    let reader: Box<dyn BufRead> = if file.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let f =
            std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        Box::new(std::io::BufReader::new(f))
    };
    for (i, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}", file.display(), i + 1))?;
        let pred = m.predict(&line, k, threshold);
        if global.json {
            let v: Vec<_> = pred
                .iter()
                .map(|(l, p)| serde_json::json!({"label": l, "prob": p}))
                .collect();
            writeln!(out, "{}", serde_json::Value::Array(v))?;
        } else {
            let parts: Vec<String> = pred
                .iter()
                .map(|(l, p)| {
                    if prob {
                        format!("{l} {p:.5}")
                    } else {
                        l.clone()
                    }
                })
                .collect();
            writeln!(out, "{}", parts.join(" "))?;
        }
    }
    Ok(())
}
