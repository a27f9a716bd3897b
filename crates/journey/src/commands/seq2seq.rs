//! `journey seq2seq …`: chapter 3.3, translation with an attention
//! encoder–decoder (Bahdanau et al. 2015): train on a parallel corpus (one
//! sentence per line, source and target files aligned by line; default
//! Multi30k en→de), translate with greedy or beam search, score with BLEU
//! (sacreBLEU's, `journey bleu`).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use journey_nn::beam_search::BeamConfig;
use journey_nn::seq2seq::{ParallelText, Seq2Seq, Seq2SeqConfig, Seq2SeqFitConfig};
use serde_json::json;

use crate::input::read_input;
use crate::outln;
use crate::output::Global;
use crate::tour::find_offline;

#[derive(clap::Args, Debug, Clone)]
pub struct BeamArgs {
    /// Beam width (1 = greedy).
    #[arg(long, default_value_t = 5)]
    beam: usize,
    /// Length normalisation exponent (Wu et al. 2016); 0 = none.
    #[arg(long, default_value_t = 0.6)]
    alpha: f64,
    /// Longest translation, in tokens.
    #[arg(long, default_value_t = 50)]
    max_len: usize,
}

impl BeamArgs {
    fn config(&self) -> Result<BeamConfig> {
        if self.beam == 0 || self.max_len == 0 {
            bail!("--beam and --max-len must be at least 1");
        }
        Ok(BeamConfig {
            beam_size: self.beam,
            alpha: self.alpha,
            max_len: self.max_len,
            ..Default::default()
        })
    }
}

#[derive(Subcommand, Debug)]
pub enum Seq2SeqCommand {
    /// Train on SRC/TGT files (default: Multi30k train.en / train.de, with
    /// val.en / val.de for the validation loss).
    Train {
        #[arg(long)]
        src: Option<PathBuf>,
        #[arg(long)]
        tgt: Option<PathBuf>,
        #[arg(long)]
        val_src: Option<PathBuf>,
        #[arg(long)]
        val_tgt: Option<PathBuf>,
        #[arg(long, value_name = "MODEL")]
        out: PathBuf,
        #[arg(long, default_value_t = 10)]
        epochs: u64,
        /// Stop after this many minutes.
        #[arg(long)]
        minutes: Option<f64>,
        #[arg(long)]
        max_steps: Option<u64>,
        #[arg(long, default_value_t = 64)]
        batch_size: usize,
        #[arg(long, default_value_t = 1e-3)]
        lr: f64,
        #[arg(long, default_value_t = 256)]
        hidden: usize,
        #[arg(long, default_value_t = 128)]
        embedding_dim: usize,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        #[arg(long, default_value = "runs")]
        runs_dir: PathBuf,
        /// Continue from a checkpoint of this run.
        #[arg(long, value_name = "CHECKPOINT")]
        resume: Option<PathBuf>,
    },
    /// Translate each input line (FILE, or standard input).
    Translate {
        #[arg(long, value_name = "MODEL")]
        model: PathBuf,
        #[command(flatten)]
        beam: BeamArgs,
        file: Option<PathBuf>,
    },
    /// Corpus BLEU (13a) and loss on SRC/TGT (default: Multi30k test).
    Eval {
        #[arg(long, value_name = "MODEL")]
        model: PathBuf,
        #[arg(long)]
        src: Option<PathBuf>,
        #[arg(long)]
        tgt: Option<PathBuf>,
        #[command(flatten)]
        beam: BeamArgs,
    },
}

fn lines(path: Option<PathBuf>, default: &str) -> Result<(PathBuf, Vec<String>)> {
    let path = match path {
        Some(p) => p,
        None => find_offline("multi30k")
            .map_err(anyhow::Error::msg)
            .context("no file given and Multi30k not found")?
            .join(default),
    };
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read {} (UTF-8 text, one sentence per line)",
            path.display()
        )
    })?;
    let out: Vec<String> = text.lines().map(str::to_string).collect();
    if out.is_empty() {
        bail!("{}: no sentences", path.display());
    }
    Ok((path, out))
}

fn pair(
    src: (PathBuf, Vec<String>),
    tgt: (PathBuf, Vec<String>),
) -> Result<(Vec<String>, Vec<String>)> {
    if src.1.len() != tgt.1.len() {
        bail!(
            "{} has {} lines but {} has {}: the files must be aligned line by line",
            src.0.display(),
            src.1.len(),
            tgt.0.display(),
            tgt.1.len()
        );
    }
    Ok((src.1, tgt.1))
}

pub fn run(g: &Global, cmd: Seq2SeqCommand) -> Result<()> {
    match cmd {
        Seq2SeqCommand::Train {
            src,
            tgt,
            val_src,
            val_tgt,
            out,
            epochs,
            minutes,
            max_steps,
            batch_size,
            lr,
            hidden,
            embedding_dim,
            seed,
            runs_dir,
            resume,
        } => {
            let (s, t) = pair(lines(src, "train.en")?, lines(tgt, "train.de")?)?;
            let (vs, vt) = pair(lines(val_src, "val.en")?, lines(val_tgt, "val.de")?)?;
            let config = Seq2SeqConfig {
                hidden_size: hidden,
                embedding_dim,
                ..Default::default()
            };
            let train = ParallelText { src: &s, tgt: &t };
            let val = ParallelText { src: &vs, tgt: &vt };
            let mut model = Seq2Seq::new(config, train, seed)?;
            let fit = Seq2SeqFitConfig {
                epochs,
                batch_size,
                lr,
                seed,
                max_steps,
                time_limit_s: minutes.map(|m| m * 60.0),
                runs_dir,
                run_name: "seq2seq".into(),
                quiet: g.quiet,
                ..Default::default()
            };
            let summary = model.fit(train, val, &fit, resume.as_deref())?;
            model.save(&out)?;
            let val_m = model.evaluate(val)?;
            let tps = summary.train_tokens as f64 / summary.seconds.max(1e-9);
            if g.json {
                let evals: Vec<_> = summary
                    .report
                    .evals
                    .iter()
                    .map(|(step, m)| json!({"step": step, "metrics": m}))
                    .collect();
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&json!({
                        "pairs": s.len(),
                        "steps": summary.report.state.step,
                        "seconds": summary.seconds,
                        "target_tokens_per_s": tps,
                        "evaluations": evals,
                        "val_loss": val_m.get("loss"),
                        "val_perplexity": val_m.get("perplexity"),
                        "out": out,
                    }))?
                )?;
            } else {
                for (step, m) in &summary.report.evals {
                    outln!(
                        "step {step:>6}  val loss {:.4}",
                        m.get("loss").copied().unwrap_or(f64::NAN)
                    )?;
                }
                outln!(
                    "{} pairs, {} steps in {:.1} s ({tps:.0} target tokens/s); validation loss {:.4}, perplexity {:.2}; saved {}",
                    s.len(),
                    summary.report.state.step,
                    summary.seconds,
                    val_m["loss"],
                    val_m["perplexity"],
                    out.display()
                )?;
            }
        }
        Seq2SeqCommand::Translate { model, beam, file } => {
            let m = Seq2Seq::load(&model)?;
            let text = read_input(file.as_deref())?;
            let src: Vec<String> = text.lines().map(str::to_string).collect();
            let out = m.translate(&src, &beam.config()?)?;
            for line in out {
                outln!("{line}")?;
            }
        }
        Seq2SeqCommand::Eval {
            model,
            src,
            tgt,
            beam,
        } => {
            let m = Seq2Seq::load(&model)?;
            let (s, t) = pair(lines(src, "test.en")?, lines(tgt, "test.de")?)?;
            let data = ParallelText { src: &s, tgt: &t };
            let loss = m.evaluate(data)?;
            let (score, _) = m.bleu(data, &beam.config()?)?;
            if g.json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&json!({
                        "bleu": score.score,
                        "signature": score.to_string(),
                        "loss": loss.get("loss"),
                        "perplexity": loss.get("perplexity"),
                        "pairs": s.len(),
                    }))?
                )?;
            } else {
                outln!("{score}")?;
                outln!(
                    "loss {:.4}, perplexity {:.2} on {} pairs",
                    loss["loss"],
                    loss["perplexity"],
                    s.len()
                )?;
            }
        }
    }
    Ok(())
}
