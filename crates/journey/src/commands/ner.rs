//! `journey ner …`: named-entity recognition (chapter 2): train a CRF or an
//! averaged perceptron on CoNLL files, predict, evaluate like conlleval, and
//! tag raw text (with a model, rules, or both).
//!
//! Line contract of `predict`: every input line is printed back; token lines
//! get the predicted tag appended as a last column (space-separated),
//! `-DOCSTART-` lines get `O`, blank lines stay blank.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use journey_ml::gazetteer::Gazetteer;
use journey_ml::ner_corpus::read_ner;
use journey_ml::ner_rules::RuleTagger;
use journey_ml::ner_tagger::{ModelKind, NerTagger, NerTrainConfig, Progress};
use journey_ml::tag_scheme::{spans, TagScheme};
use journey_text::sentences::sent_tokenize;
use journey_text::treebank::TreebankWordTokenizer;
use serde_json::json;

use crate::commands::ner_neural::{self, AnyTagger, NeuralNerArgs};
use crate::input::read_input;
use crate::output::{print_table, Global};

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ModelArg {
    Crf,
    Perceptron,
    /// BiLSTM over word vectors, a character CNN and casing, with a CRF
    /// output layer (Lample et al. 2016; Ma & Hovy 2016), in journey-nn.
    BilstmCrf,
}

#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once
pub enum NerCommand {
    /// Train a tagger on a CoNLL file (last column = tag; IOB1 or BIO).
    Train {
        #[arg(long, value_enum, default_value = "crf")]
        model: ModelArg,
        #[arg(long, value_name = "FILE")]
        train: PathBuf,
        /// Scored after training; the perceptron keeps its best epoch on it.
        #[arg(long, value_name = "FILE")]
        dev: Option<PathBuf>,
        /// Where to write the model (JSON).
        #[arg(long, value_name = "MODEL")]
        out: PathBuf,
        /// CRF: L-BFGS iterations (in all, counting a resumed checkpoint's);
        /// perceptron: passes over the data.
        #[arg(long)]
        epochs: Option<usize>,
        /// CRF L2 coefficient (objective + c2 · |w|²).
        #[arg(long)]
        c2: Option<f64>,
        /// Perceptron shuffle seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Continue CRF training from a checkpoint.
        #[arg(long, value_name = "CKPT")]
        resume: Option<PathBuf>,
        /// Save the model here after every iteration / epoch.
        #[arg(long, value_name = "CKPT")]
        checkpoint: Option<PathBuf>,
        /// Use the columns between word and tag (CoNLL-2003 POS and chunk).
        #[arg(long)]
        columns: bool,
        /// Gazetteer features from a `TYPE<TAB>phrase` file.
        #[arg(long, value_name = "FILE")]
        gazetteer: Option<PathBuf>,
        /// Scheme the model learns in (predictions come out in the data's).
        #[arg(long, default_value = "iobes")]
        scheme: String,
        #[command(flatten)]
        neural: NeuralNerArgs,
    },
    /// Print each CoNLL line with the predicted tag appended.
    Predict {
        #[arg(long, value_name = "MODEL")]
        model: PathBuf,
        #[arg(long, value_name = "FILE")]
        data: PathBuf,
    },
    /// conlleval scores of a model on a labelled CoNLL file.
    Eval {
        #[arg(long, value_name = "MODEL")]
        model: PathBuf,
        #[arg(long, value_name = "FILE")]
        data: PathBuf,
    },
    /// Find entities in raw text (sentences and Treebank tokens), with a
    /// model and/or rules (regexes for dates, money, percentages, e-mails,
    /// URLs, phones; a gazetteer; spaCy-style token patterns).
    Tag {
        #[arg(long, value_name = "MODEL")]
        model: Option<PathBuf>,
        /// Apply the built-in regexes (the default when nothing else is given).
        #[arg(long)]
        rules: bool,
        #[arg(long, value_name = "FILE")]
        gazetteer: Option<PathBuf>,
        /// spaCy EntityRuler patterns (JSON list or JSON lines).
        #[arg(long, value_name = "FILE")]
        patterns: Option<PathBuf>,
        file: Option<PathBuf>,
    },
}

pub fn run(global: &Global, cmd: NerCommand) -> Result<()> {
    match cmd {
        NerCommand::Train {
            model,
            train,
            dev,
            out,
            epochs,
            c2,
            seed,
            resume,
            checkpoint,
            columns,
            gazetteer,
            scheme,
            neural,
        } => {
            if let ModelArg::BilstmCrf = model {
                return ner_neural::train(
                    global,
                    &neural,
                    &train,
                    dev.as_deref(),
                    &out,
                    epochs,
                    seed,
                    resume.as_deref(),
                );
            }
            let mut cfg = NerTrainConfig {
                model: match model {
                    ModelArg::Crf => ModelKind::Crf,
                    ModelArg::Perceptron | ModelArg::BilstmCrf => ModelKind::Perceptron,
                },
                ..Default::default()
            };
            cfg.train_scheme = scheme
                .parse::<TagScheme>()
                .map_err(|e| anyhow::anyhow!("--scheme: {e}"))?;
            if cfg.train_scheme == TagScheme::Iob1 {
                bail!("--scheme: train in iob2 or iobes (IOB1 predictions come out of either)");
            }
            cfg.features.use_columns = columns;
            if let Some(n) = epochs {
                cfg.crf.max_iterations = n;
                cfg.perceptron.epochs = n;
            }
            if let Some(c) = c2 {
                if !(c >= 0.0 && c.is_finite()) {
                    bail!("--c2 must be a finite number ≥ 0, got {c}");
                }
                cfg.crf.c2 = c;
            }
            cfg.perceptron.seed = seed;
            let train_data = read_ner(&train)?;
            let dev_data = dev.as_deref().map(read_ner).transpose()?;
            let gaz = gazetteer
                .as_deref()
                .map(|p| Gazetteer::read(p, false))
                .transpose()?;
            let resume = resume
                .as_deref()
                .map(|p| NerTagger::load(p).with_context(|| format!("--resume {}", p.display())))
                .transpose()?;
            let pb = global.spinner("training");
            let tagger = NerTagger::fit(
                &train_data,
                dev_data.as_deref(),
                &cfg,
                gaz,
                resume,
                |p, t| {
                    match p {
                        Progress::CrfIteration(k, fx) => {
                            pb.set_message(format!("iteration {k}: objective {fx:.3}"))
                        }
                        Progress::PerceptronEpoch(k, f1) => pb.set_message(format!(
                            "epoch {k}{}",
                            f1.map(|f| format!(": dev F1 {:.2}", 100.0 * f))
                                .unwrap_or_default()
                        )),
                    }
                    if let Some(ck) = &checkpoint {
                        t.save(ck)?;
                    }
                    Ok(())
                },
            )?;
            pb.finish_and_clear();
            tagger.save(&out)?;
            if let Some(d) = &dev_data {
                print_eval(global, &tagger.evaluate(d)?)?;
            } else if !global.quiet {
                eprintln!("saved {}", out.display());
            }
            Ok(())
        }
        NerCommand::Predict { model, data } => {
            let tagger = AnyTagger::load(&model)?;
            predict(&tagger, &data)
        }
        NerCommand::Eval { model, data } => {
            let tagger = AnyTagger::load(&model)?;
            let sentences = read_ner(&data)?;
            print_eval(global, &tagger.evaluate(&sentences)?)
        }
        NerCommand::Tag {
            model,
            rules,
            gazetteer,
            patterns,
            file,
        } => {
            let tagger = model
                .as_deref()
                .map(|p| match AnyTagger::load(p)? {
                    AnyTagger::Classic(t) => Ok(*t),
                    AnyTagger::Neural(_) => bail!(
                        "{}: `ner tag` works with crf and perceptron models; use `ner predict` on a CoNLL file for bilstm-crf",
                        p.display()
                    ),
                })
                .transpose()?;
            if tagger
                .as_ref()
                .is_some_and(|t| t.config.features.use_columns)
            {
                bail!("--model was trained with --columns (POS/chunk tags), which raw text lacks: train one without --columns");
            }
            let mut rt = if rules || (tagger.is_none() && gazetteer.is_none() && patterns.is_none())
            {
                RuleTagger::with_default_regexes()
            } else {
                RuleTagger::default()
            };
            rt.gazetteer = gazetteer
                .as_deref()
                .map(|p| Gazetteer::read(p, false))
                .transpose()?;
            if let Some(p) = &patterns {
                rt.patterns = RuleTagger::read_patterns(p)?;
            }
            let text = read_input(file.as_deref())?;
            tag_text(global, &text, tagger.as_ref(), &rt)
        }
    }
}

pub fn print_eval(global: &Global, r: &journey_ml::conlleval::ConllEval) -> Result<()> {
    if global.json {
        crate::outln!("{}", serde_json::to_string_pretty(r)?)?;
        return Ok(());
    }
    let pct = |x: f64| format!("{:.2}", 100.0 * x);
    let mut rows: Vec<Vec<String>> = r
        .per_type
        .iter()
        .map(|(k, s)| {
            vec![
                k.clone(),
                pct(s.precision),
                pct(s.recall),
                pct(s.f1),
                s.gold.to_string(),
                s.predicted.to_string(),
            ]
        })
        .collect();
    let o = &r.overall;
    rows.push(vec![
        "overall".into(),
        pct(o.precision),
        pct(o.recall),
        pct(o.f1),
        o.gold.to_string(),
        o.predicted.to_string(),
    ]);
    print_table(
        &["type", "precision", "recall", "F1", "gold", "predicted"],
        &rows,
    )?;
    crate::outln!("tokens {}, accuracy {:.2}%", r.tokens, 100.0 * r.accuracy)?;
    Ok(())
}

/// Tags a CoNLL file line by line, keeping its layout.
fn predict(tagger: &AnyTagger, path: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let lines: Vec<&str> = text.lines().collect();
    // Sentences as runs of token lines.
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end_matches('\r');
        let first = line.split_whitespace().next();
        match first {
            None => {
                writeln!(out)?;
                i += 1;
            }
            Some("-DOCSTART-") => {
                writeln!(out, "{line} O")?;
                i += 1;
            }
            Some(_) => {
                let start = i;
                while i < lines.len() {
                    let f = lines[i].split_whitespace().next();
                    if f.is_none() || f == Some("-DOCSTART-") {
                        break;
                    }
                    i += 1;
                }
                let rows: Vec<Vec<&str>> = lines[start..i]
                    .iter()
                    .map(|l| l.split_whitespace().collect())
                    .collect();
                let width = rows[0].len();
                if let Some(bad) = rows.iter().position(|r| r.len() != width) {
                    bail!(
                        "{}:{}: expected {width} columns, found {}",
                        path.display(),
                        start + bad + 1,
                        rows[bad].len()
                    );
                }
                let words: Vec<&str> = rows.iter().map(|r| r[0]).collect();
                let extra: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        if r.len() > 2 {
                            r[1..r.len() - 1].iter().map(|s| s.to_string()).collect()
                        } else {
                            Vec::new()
                        }
                    })
                    .collect();
                let tags = tagger.predict(&words, &extra)?;
                for (l, t) in lines[start..i].iter().zip(tags) {
                    writeln!(out, "{} {t}", l.trim_end())?;
                }
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn tag_text(
    global: &Global,
    text: &str,
    tagger: Option<&NerTagger>,
    rules: &RuleTagger,
) -> Result<()> {
    let tok = TreebankWordTokenizer::new();
    let mut found = Vec::new();
    for (n, sentence) in sent_tokenize(text).into_iter().enumerate() {
        let base = sentence.as_ptr() as usize - text.as_ptr() as usize;
        let offsets = tok.span_tokenize(sentence);
        let mut taken = vec![false; offsets.len()];
        let mut ents = Vec::new();
        if let Some(t) = tagger {
            let words: Vec<&str> = offsets.iter().map(|&(a, b)| &sentence[a..b]).collect();
            for s in spans(&t.predict(&words, &[])) {
                taken[s.start..s.end].iter_mut().for_each(|x| *x = true);
                ents.push((s.kind, s.start, s.end, "model"));
            }
        }
        for e in rules.find(sentence, &offsets) {
            if !taken[e.first_token..e.end_token].iter().any(|&x| x) {
                ents.push((e.kind, e.first_token, e.end_token, "rule"));
            }
        }
        ents.sort_by_key(|e| e.1);
        for (kind, a, b, source) in ents {
            let (s, e) = (base + offsets[a].0, base + offsets[b - 1].1);
            found.push((n + 1, s, e, kind, text[s..e].to_string(), source));
        }
    }
    if global.json {
        let v: Vec<_> = found
            .iter()
            .map(|(n, s, e, k, t, src)| {
                json!({"sentence": n, "start": s, "end": e, "type": k, "text": t, "source": src})
            })
            .collect();
        crate::outln!("{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = found
        .into_iter()
        .map(|(n, s, e, k, t, src)| {
            vec![
                n.to_string(),
                s.to_string(),
                e.to_string(),
                k,
                t,
                src.to_string(),
            ]
        })
        .collect();
    print_table(
        &["sentence", "start", "end", "type", "text", "source"],
        &rows,
    )?;
    Ok(())
}
