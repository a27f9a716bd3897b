//! `journey ner train --model bilstm-crf`: the BiLSTM-CRF tagger of
//! `journey-nn` behind the NER commands. Its model file is safetensors
//! (weights; configuration, tags and vocabularies in the metadata);
//! `predict` and `eval` tell it from the JSON CRF / perceptron models by the
//! first byte.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use journey_ml::conlleval::ConllEval;
use journey_ml::ner_corpus::NerSentence;
use journey_ml::ner_tagger::NerTagger;
use journey_nn::bilstm_crf::{read_corpus, BilstmCrf, BilstmCrfConfig, NerFitConfig};

use crate::commands::classify_neural::read_pretrained;
use crate::output::Global;

/// Flags of `--model bilstm-crf` (the other models ignore them).
#[derive(Args, Debug, Clone)]
pub struct NeuralNerArgs {
    /// Pretrained word vectors: a GloVe folder (vectors.npy + index.parquet)
    /// or a word2vec/GloVe file. Default: GloVe 6B 50d when fetched
    /// (`shared/bin/fetch-models glove`), else random vectors.
    #[arg(long, value_name = "PATH")]
    pub pretrained: Option<PathBuf>,
    /// CoNLL files whose words (not tags) join the vocabulary when they have
    /// a pretrained vector, e.g. the test file (the --dev file always does).
    #[arg(long = "vocab-from", value_name = "FILE")]
    pub vocab_from: Vec<PathBuf>,
    /// Stop training after this many minutes (the best epoch so far is kept).
    #[arg(long)]
    pub minutes: Option<f64>,
    /// LSTM units per direction.
    #[arg(long, default_value_t = 100)]
    pub hidden: usize,
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Adam learning rate.
    #[arg(long, default_value_t = 2e-3)]
    pub lr: f64,
    /// The run folder (config.json, metrics.jsonl, checkpoints) is RUNS_DIR/ner.
    #[arg(long, default_value = "runs")]
    pub runs_dir: PathBuf,
}

#[allow(clippy::too_many_arguments)]
pub fn train(
    g: &Global,
    args: &NeuralNerArgs,
    train: &Path,
    dev: Option<&Path>,
    out: &Path,
    epochs: Option<usize>,
    seed: u64,
    resume: Option<&Path>,
) -> Result<()> {
    let Some(dev) = dev else {
        bail!("--model bilstm-crf needs --dev FILE: it keeps the epoch with the best dev F1");
    };
    let train_s = read_corpus(train)?;
    let dev_s = read_corpus(dev)?;
    let extra: Vec<Vec<NerSentence>> = args
        .vocab_from
        .iter()
        .map(|p| read_corpus(p).with_context(|| format!("--vocab-from {}", p.display())))
        .collect::<Result<_>>()?;
    let pretrained = match &args.pretrained {
        Some(p) => Some(read_pretrained(p)?),
        None => journey_embed::pretrained::glove_6b_50d_dir()
            .filter(|d| d.join("vectors.npy").exists())
            .map(|d| read_pretrained(&d))
            .transpose()?,
    };
    let mut extra_refs: Vec<&[NerSentence]> = vec![&dev_s];
    extra_refs.extend(extra.iter().map(Vec::as_slice));
    let (mut model, hits) = BilstmCrf::new(
        BilstmCrfConfig {
            hidden_size: args.hidden,
            ..Default::default()
        },
        &train_s,
        &extra_refs,
        pretrained.as_ref(),
        seed,
    )?;
    drop(pretrained);
    let fit = NerFitConfig {
        epochs: epochs.map_or(if args.minutes.is_some() { 1000 } else { 10 }, |e| e as u64),
        batch_size: args.batch_size,
        lr: args.lr,
        seed,
        max_minutes: args.minutes,
        runs_dir: args.runs_dir.clone(),
        run_name: "ner".into(),
        quiet: g.quiet,
        ..Default::default()
    };
    let start = Instant::now();
    let report = model.fit(&train_s, &dev_s, &fit, resume)?;
    let seconds = start.elapsed().as_secs_f64();
    model.save(out)?;
    if !g.quiet && !g.json {
        eprintln!(
            "{} sentences, {} words ({hits} with a pretrained vector), {} steps in {seconds:.1} s; saved {}",
            train_s.len(),
            model.word_vocab().len(),
            report.state.step,
            out.display()
        );
    }
    super::ner::print_eval(g, &model.evaluate(&dev_s)?)
}

/// A NER model file of either kind.
pub enum AnyTagger {
    Classic(Box<NerTagger>),
    Neural(Box<BilstmCrf>),
}

impl AnyTagger {
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
            Ok(AnyTagger::Classic(Box::new(NerTagger::load(path)?)))
        } else {
            let m = BilstmCrf::load(path).with_context(|| {
                format!(
                    "{} is neither a JSON model (crf, perceptron) nor a safetensors model (bilstm-crf)",
                    path.display()
                )
            })?;
            Ok(AnyTagger::Neural(Box::new(m)))
        }
    }

    pub fn evaluate(&self, sentences: &[NerSentence]) -> Result<ConllEval> {
        match self {
            AnyTagger::Classic(t) => Ok(t.evaluate(sentences)?),
            AnyTagger::Neural(m) => Ok(m.evaluate(sentences)?),
        }
    }

    /// Tags of one sentence; `extra` are the columns between word and tag
    /// (used by the CRF with --columns only).
    pub fn predict(&self, words: &[&str], extra: &[Vec<String>]) -> Result<Vec<String>> {
        match self {
            AnyTagger::Classic(t) => Ok(t.predict(words, extra)),
            AnyTagger::Neural(m) => {
                let s = vec![words.iter().map(|w| w.to_string()).collect::<Vec<_>>()];
                Ok(m.predict(&s)?.pop().unwrap_or_default())
            }
        }
    }
}
