//! `journey nn bilm …`: the ELMo-style bidirectional language model —
//! train it on sentences, print the contextual vectors its layers give, and
//! probe each layer for part-of-speech information on CoNLL-2003.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use candle_core::Tensor;
use clap::Subcommand;
use journey_ml::ner_corpus::read_ner;
use journey_nn::bilm::{build_vocab, Bilm, BilmConfig, BilmFitConfig};
use journey_nn::layer_probe::{most_frequent_tag, probe, ProbeConfig};
use serde_json::json;

use crate::outln;
use crate::output::{print_table, Global};
use crate::tour::find_offline;

#[derive(Subcommand, Debug)]
pub enum BilmCommand {
    /// Train on sentences: a CoNLL file (words in the first column) or plain
    /// text with one whitespace-tokenised sentence per line.
    Train {
        /// Default: CoNLL-2003 eng.train.
        #[arg(long)]
        train: Option<PathBuf>,
        /// Validation sentences; default: CoNLL-2003 eng.testa.
        #[arg(long)]
        dev: Option<PathBuf>,
        #[arg(long, value_name = "MODEL")]
        out: PathBuf,
        #[arg(long, default_value_t = 128)]
        dim: usize,
        #[arg(long, default_value_t = 2)]
        layers: usize,
        #[arg(long, default_value_t = 0.1)]
        dropout: f32,
        #[arg(long)]
        lowercase: bool,
        /// Vocabulary cap (0 = every word seen `--min-count` times).
        #[arg(long, default_value_t = 10_000)]
        max_vocab: usize,
        #[arg(long, default_value_t = 2)]
        min_count: usize,
        #[arg(long, default_value_t = 5)]
        epochs: u64,
        /// Stop after this many optimiser steps.
        #[arg(long)]
        max_steps: Option<u64>,
        /// Stop after this many minutes (a checkpoint is written).
        #[arg(long)]
        minutes: Option<f64>,
        #[arg(long, default_value_t = 32)]
        batch_size: usize,
        #[arg(long, default_value_t = 2e-3)]
        lr: f64,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// The run folder is RUNS_DIR/bilm.
        #[arg(long, default_value = "runs")]
        runs_dir: PathBuf,
        /// Continue from a checkpoint of an earlier run.
        #[arg(long)]
        resume: Option<PathBuf>,
    },
    /// Print the contextual vectors of each word of each input line.
    Vectors {
        #[arg(long, value_name = "MODEL")]
        model: PathBuf,
        /// One whitespace-tokenised sentence per line.
        #[arg(long)]
        input: PathBuf,
        /// Which layer (0 = the context-free embeddings); default: the mean
        /// of all layers (ELMo's mix with equal weights).
        #[arg(long)]
        layer: Option<usize>,
    },
    /// Linear part-of-speech probes on each layer (and on a learned mix of
    /// them), trained on CoNLL-2003 eng.train tags and scored on eng.testa,
    /// next to the most-frequent-tag baseline.
    Probe {
        #[arg(long, value_name = "MODEL")]
        model: PathBuf,
        /// Default: CoNLL-2003 eng.train.
        #[arg(long)]
        train: Option<PathBuf>,
        /// Default: CoNLL-2003 eng.testa.
        #[arg(long)]
        dev: Option<PathBuf>,
        /// Sentences of the training file the probes learn from.
        #[arg(long, default_value_t = 3000)]
        sentences: usize,
        #[arg(long, default_value_t = 10)]
        epochs: usize,
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
}

/// Sentences of `path`: a CoNLL file (words in the first column) when it
/// starts with `-DOCSTART-` or its first lines all end in a chunk tag
/// column (`O`, `B-…`, `I-…`), otherwise one sentence per line.
fn sentences(path: &Path) -> Result<Vec<Vec<String>>> {
    let text = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(text)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 text ({e})", path.display()))?;
    let head: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let tag_column = |l: &&str| {
        let cols: Vec<&str> = l.split_whitespace().collect();
        cols.len() >= 2 && {
            let t = cols[cols.len() - 1];
            t == "O" || (t.len() > 2 && t.as_bytes()[1] == b'-' && "BIES".contains(&t[..1]))
        }
    };
    let conll = head.first().is_some_and(|l| l.starts_with("-DOCSTART-"))
        || (!head.is_empty() && head.iter().all(tag_column));
    let out: Vec<Vec<String>> = if conll {
        read_ner(path)?.into_iter().map(|s| s.words).collect()
    } else {
        text.lines()
            .map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .filter(|s| !s.is_empty())
            .collect()
    };
    if out.is_empty() {
        anyhow::bail!("{}: no sentences", path.display());
    }
    Ok(out)
}

fn data_file(given: Option<PathBuf>, name: &str, flag: &str) -> Result<PathBuf> {
    match given {
        Some(p) => Ok(p),
        None => find_offline(name)
            .map_err(anyhow::Error::msg)
            .with_context(|| flag.to_string()),
    }
}

pub fn run(g: &Global, cmd: BilmCommand) -> Result<()> {
    match cmd {
        BilmCommand::Train {
            train,
            dev,
            out,
            dim,
            layers,
            dropout,
            lowercase,
            max_vocab,
            min_count,
            epochs,
            max_steps,
            minutes,
            batch_size,
            lr,
            seed,
            runs_dir,
            resume,
        } => {
            let train = sentences(&data_file(train, "conll2003-train", "--train")?)?;
            let dev = sentences(&data_file(dev, "conll2003-testa", "--dev")?)?;
            let config = BilmConfig {
                dim,
                num_layers: layers,
                dropout,
                lowercase,
                ..Default::default()
            };
            let fit = BilmFitConfig {
                max_vocab,
                min_count,
                batch_size,
                epochs,
                max_steps,
                time_limit_s: minutes.map(|m| m * 60.0),
                lr,
                seed,
                runs_dir,
                run_name: "bilm".into(),
                quiet: g.quiet || g.json,
                ..Default::default()
            };
            let vocab = build_vocab(&train, &config, &fit)?;
            let model = Bilm::new(config, vocab, seed)?;
            let start = std::time::Instant::now();
            let report = model.fit(&train, &dev, &fit, resume.as_deref())?;
            let seconds = start.elapsed().as_secs_f64();
            let m = model.evaluate(&dev, 64)?;
            model.save(&out)?;
            if g.json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&json!({
                        "steps": report.state.step,
                        "seconds": seconds,
                        "timed_out": report.timed_out,
                        "vocab_size": model.vocab().len(),
                        "dev": m,
                        "out": out,
                    }))?
                )?;
            } else {
                outln!(
                    "{} steps in {seconds:.1} s{}; vocabulary {}; dev perplexity forward {:.1}, backward {:.1}",
                    report.state.step,
                    if report.timed_out { " (time limit)" } else { "" },
                    model.vocab().len(),
                    m["ppl_forward"],
                    m["ppl_backward"],
                )?;
                outln!("saved {}", out.display())?;
            }
        }
        BilmCommand::Vectors {
            model,
            input,
            layer,
        } => {
            let m = Bilm::load(&model)?;
            let layers = m.config().num_layers + 1;
            if let Some(l) = layer {
                if l >= layers {
                    anyhow::bail!("--layer {l}: the model has layers 0..{}", layers - 1);
                }
            }
            let sents = sentences(&input)?;
            for (s, vecs) in sents.iter().zip(m.embed(&sents, 32)?) {
                let v = match layer {
                    Some(l) => vecs[l].clone(),
                    None => (Tensor::stack(&vecs, 0)?.sum(0)? / layers as f64)?,
                };
                let rows: Vec<Vec<f32>> = v.to_vec2()?;
                if g.json {
                    outln!("{}", json!({"tokens": s, "vectors": rows}))?;
                } else {
                    for (w, r) in s.iter().zip(&rows) {
                        let nums: Vec<String> = r.iter().map(|x| format!("{x:.5}")).collect();
                        outln!("{w}\t{}", nums.join(" "))?;
                    }
                    outln!()?;
                }
            }
        }
        BilmCommand::Probe {
            model,
            train,
            dev,
            sentences: n,
            epochs,
            seed,
        } => {
            let m = Bilm::load(&model)?;
            let train = read_ner(&data_file(train, "conll2003-train", "--train")?)?;
            let dev = read_ner(&data_file(dev, "conll2003-testa", "--dev")?)?;
            let train: Vec<_> = train.into_iter().take(n).collect();
            let result = probe_pos(g, &m, &train, &dev, epochs, seed)?;
            if g.json {
                outln!("{}", serde_json::to_string_pretty(&result)?)?;
            } else {
                let rows: Vec<Vec<String>> = result["rows"]
                    .as_array()
                    .expect("rows")
                    .iter()
                    .map(|r| {
                        vec![
                            r["features"].as_str().unwrap_or("").to_string(),
                            format!("{:.4}", r["accuracy"].as_f64().unwrap_or(0.0)),
                        ]
                    })
                    .collect();
                print_table(&["features", "POS accuracy (eng.testa)"], &rows)?;
                if let Some(w) = result["mix_weights"].as_array() {
                    outln!("learned layer weights: {w:?}")?;
                }
            }
        }
    }
    Ok(())
}

/// Per-layer features `[N, 2d]`, tag ids and (word, tag) pairs of a split.
type ProbeSplit = (Vec<Tensor>, Vec<u32>, Vec<(String, String)>);

/// The POS probe report: accuracy of the most-frequent-tag baseline, of a
/// linear probe on each layer and on a learned mix.
fn probe_pos(
    g: &Global,
    m: &Bilm,
    train: &[journey_ml::ner_corpus::NerSentence],
    dev: &[journey_ml::ner_corpus::NerSentence],
    epochs: usize,
    seed: u64,
) -> Result<serde_json::Value> {
    let pos = |s: &journey_ml::ner_corpus::NerSentence| -> Result<Vec<String>> {
        s.extra
            .iter()
            .map(|cols| {
                cols.first()
                    .cloned()
                    .ok_or_else(|| anyhow::anyhow!("line {}: no POS column", s.line))
            })
            .collect()
    };
    let mut tags: Vec<String> = Vec::new();
    let mut tag_id = |t: &str| -> u32 {
        match tags.iter().position(|x| x == t) {
            Some(i) => i as u32,
            None => {
                tags.push(t.to_string());
                tags.len() as u32 - 1
            }
        }
    };
    let split = |sents: &[journey_ml::ner_corpus::NerSentence],
                 tag_id: &mut dyn FnMut(&str) -> u32|
     -> Result<ProbeSplit> {
        let words: Vec<Vec<String>> = sents.iter().map(|s| s.words.clone()).collect();
        let vecs = m.embed(&words, 64)?;
        let layers = m.config().num_layers + 1;
        let per_layer: Vec<Tensor> = (0..layers)
            .map(|l| {
                let rows: Vec<&Tensor> = vecs.iter().map(|v| &v[l]).collect();
                Ok(Tensor::cat(&rows, 0)?)
            })
            .collect::<Result<_>>()?;
        let mut y = Vec::new();
        let mut pairs = Vec::new();
        for s in sents {
            for (w, t) in s.words.iter().zip(pos(s)?) {
                y.push(tag_id(&t));
                pairs.push((w.clone(), t));
            }
        }
        Ok((per_layer, y, pairs))
    };
    let (tr_x, tr_y, tr_pairs) = split(train, &mut tag_id)?;
    let (dv_x, dv_y, dv_pairs) = split(dev, &mut tag_id)?;
    let classes = tags.len();
    let cfg = ProbeConfig {
        epochs,
        seed,
        ..Default::default()
    };
    let baseline = most_frequent_tag(&pairs_ref(&tr_pairs), &pairs_ref(&dv_pairs))?;
    let mut rows =
        vec![json!({"features": "most frequent tag per word (baseline)", "accuracy": baseline})];
    for l in 0..tr_x.len() {
        if !g.quiet && !g.json {
            eprintln!("probing layer {l}…");
        }
        let r = probe(&tr_x[l..=l], &tr_y, &dv_x[l..=l], &dv_y, classes, &cfg)?;
        let name = if l == 0 {
            "layer 0 (token embedding)".to_string()
        } else {
            format!("layer {l} (biLSTM)")
        };
        rows.push(json!({"features": name, "accuracy": r.accuracy}));
    }
    let mix = probe(&tr_x, &tr_y, &dv_x, &dv_y, classes, &cfg)?;
    rows.push(json!({"features": "learned scalar mix of all layers", "accuracy": mix.accuracy}));
    Ok(json!({
        "train_tokens": tr_y.len(),
        "dev_tokens": dv_y.len(),
        "tags": classes,
        "rows": rows,
        "mix_weights": mix.mix_weights,
        "mix_gamma": mix.mix_gamma,
    }))
}

fn pairs_ref(p: &[(String, String)]) -> Vec<(&str, &str)> {
    p.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}
