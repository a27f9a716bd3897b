//! `journey sentiment …`: chapter 2, lexicon sentiment.
//!
//! Line contracts: `vader` prints `compound neg neu pos` per input line, the
//! numbers as vaderSentiment's dict holds them (compound rounded to 4
//! decimals, the others to 3, written as Python writes floats); `pattern`
//! prints `polarity subjectivity` as TextBlob returns them. A blank line gets
//! the scores of the empty string. `--json`: one object per line with the
//! scores and the text. Input is FILE, or standard input when FILE is absent.
//! `absa` evaluates aspect-based sentiment on a SemEval-2014 Task 4 file:
//! the lexicon and window baselines, the learned models (CRF term
//! extraction, logistic-regression polarity), or both side by side.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use journey_data::readers::semeval::read_semeval;
use journey_data::{Catalog, Resolver};
use journey_ml::absa::{evaluate, AbsaConfig, AbsaReport, ExtractionScores};
use journey_ml::absa_learned::{LearnedAbsa, LearnedAbsaConfig, LearnedReport};
use journey_ml::pattern_sentiment::{PatternAnalyzer, PatternConfig, PatternLexicon};
use journey_ml::pystr::repr;
use journey_ml::vader::{EmojiLexicon, SentimentIntensityAnalyzer, VaderConfig, VaderLexicon};
use serde::Serialize;

use crate::input::read_input_lines;
use crate::output::{print_table, Global};

#[derive(Subcommand, Debug)]
pub enum SentimentCommand {
    /// VADER (Hutto & Gilbert 2014) as vaderSentiment 3.3.2: `compound neg neu pos` per line.
    Vader {
        /// The lexicon file, or a data folder holding it (default: the catalog's
        /// `vader-lexicon-3.3.2` from $JOURNEY_DATA, the cache, its URL or PyPI).
        #[arg(long, value_name = "PATH")]
        lexicon: Option<PathBuf>,
        /// The emoji lexicon, or a data folder holding it (default: the
        /// catalog's `vader-emoji-lexicon`, found the same way).
        #[arg(long, value_name = "PATH", conflicts_with = "no_emoji")]
        emoji_lexicon: Option<PathBuf>,
        /// Leave emoji as they are (no emoji lexicon needed).
        #[arg(long)]
        no_emoji: bool,
        file: Option<PathBuf>,
    },
    /// Pattern / TextBlob lexicon sentiment: `polarity subjectivity` per line.
    Pattern {
        /// The `en-sentiment.xml` lexicon, or a data folder holding it
        /// (default: the catalog's `textblob-lexicon`).
        #[arg(long, value_name = "PATH")]
        lexicon: Option<PathBuf>,
        file: Option<PathBuf>,
    },
    /// Aspect-based sentiment on SemEval-2014 Task 4 XML: term extraction
    /// (P/R/F1 by exact spans) and polarity of the gold terms (accuracy).
    /// Baselines: the task's baseline and a gazetteer learned from the train
    /// split; VADER on a window. Learned: a CRF tagging terms (BIO) and
    /// logistic regression on the context of each term.
    Absa {
        /// Which methods to fit and score.
        #[arg(long, value_enum, default_value_t = AbsaMethod::All)]
        method: AbsaMethod,
        /// L-BFGS iterations of the CRF term tagger (learned).
        #[arg(long, value_name = "N", default_value_t = 100)]
        iterations: usize,
        /// Save the learned model to FILE after training.
        #[arg(long, value_name = "FILE", conflicts_with = "model")]
        save_model: Option<PathBuf>,
        /// Score a learned model saved by --save-model instead of training one.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// The evaluation file (gold terms), e.g. Restaurants_Test_Gold.xml.
        #[arg(long, value_name = "FILE.xml")]
        data: PathBuf,
        /// The train file (default: the catalog's train split of the same
        /// domain, from the name of --data: Restaurants or Laptops).
        #[arg(long, value_name = "FILE.xml")]
        train: Option<PathBuf>,
        /// Tokens either side of a term for its polarity (default: chosen on
        /// the train split, 1-10 or the whole sentence).
        #[arg(long, value_name = "N")]
        window: Option<usize>,
        /// Minimum train precision of a gazetteer term (default:
        /// cross-validated on the train split).
        #[arg(long, value_name = "P")]
        min_precision: Option<f64>,
        /// The VADER lexicon (as for `journey sentiment vader`).
        #[arg(long, value_name = "PATH")]
        lexicon: Option<PathBuf>,
        #[arg(long, value_name = "PATH", conflicts_with = "no_emoji")]
        emoji_lexicon: Option<PathBuf>,
        #[arg(long)]
        no_emoji: bool,
    },
}

pub fn run(g: &Global, cmd: SentimentCommand) -> Result<()> {
    match cmd {
        SentimentCommand::Vader {
            lexicon,
            emoji_lexicon,
            no_emoji,
            file,
        } => {
            let text = read_input_lines(file.as_deref())?;
            let analyzer = vader_analyzer(lexicon, emoji_lexicon, no_emoji)?;
            let lines: Vec<&str> = text.lines().collect();
            let scores = analyzer.polarity_scores_batch(&lines);
            let mut out = BufWriter::new(std::io::stdout().lock());
            for (line, s) in lines.iter().zip(&scores) {
                if g.json {
                    #[derive(Serialize)]
                    struct Row<'a> {
                        neg: f64,
                        neu: f64,
                        pos: f64,
                        compound: f64,
                        text: &'a str,
                    }
                    let row = Row {
                        neg: s.neg,
                        neu: s.neu,
                        pos: s.pos,
                        compound: s.compound,
                        text: line,
                    };
                    writeln!(out, "{}", serde_json::to_string(&row)?)?;
                } else {
                    writeln!(
                        out,
                        "{} {} {} {}",
                        repr(s.compound),
                        repr(s.neg),
                        repr(s.neu),
                        repr(s.pos)
                    )?;
                }
            }
            out.flush()?;
            Ok(())
        }
        SentimentCommand::Pattern { lexicon, file } => {
            let text = read_input_lines(file.as_deref())?;
            let (lexicon, _) = PatternLexicon::resolve(&Resolver::from_env(lexicon))
                .context("no Pattern lexicon; pass --lexicon PATH (en-sentiment.xml)")?;
            let analyzer = PatternAnalyzer::new(lexicon, PatternConfig::default());
            let lines: Vec<&str> = text.lines().collect();
            let scores = analyzer.sentiment_batch(&lines);
            let mut out = BufWriter::new(std::io::stdout().lock());
            for (line, s) in lines.iter().zip(&scores) {
                if g.json {
                    #[derive(Serialize)]
                    struct Row<'a> {
                        polarity: f64,
                        subjectivity: f64,
                        text: &'a str,
                    }
                    let row = Row {
                        polarity: s.polarity,
                        subjectivity: s.subjectivity,
                        text: line,
                    };
                    writeln!(out, "{}", serde_json::to_string(&row)?)?;
                } else {
                    writeln!(out, "{} {}", repr(s.polarity), repr(s.subjectivity))?;
                }
            }
            out.flush()?;
            Ok(())
        }
        SentimentCommand::Absa {
            method,
            iterations,
            save_model,
            model,
            data,
            train,
            window,
            min_precision,
            lexicon,
            emoji_lexicon,
            no_emoji,
        } => {
            if let Some(p) = min_precision {
                anyhow::ensure!(
                    (0.0..=1.0).contains(&p),
                    "--min-precision must be within 0..=1, got {p}"
                );
            }
            let train = match train {
                Some(t) => t,
                None => default_train(&data)?,
            };
            let test = read_semeval(&data)?;
            let train_set = read_semeval(&train)?;
            anyhow::ensure!(!test.is_empty(), "{} holds no <sentence>", data.display());
            anyhow::ensure!(
                !train_set.is_empty(),
                "{} holds no <sentence>",
                train.display()
            );
            let analyzer = vader_analyzer(lexicon, emoji_lexicon, no_emoji)?;
            anyhow::ensure!(iterations >= 1, "--iterations must be at least 1");
            let baseline = if method != AbsaMethod::Learned {
                let config = AbsaConfig {
                    window,
                    min_precision,
                    ..AbsaConfig::default()
                };
                let spinner = g.spinner("fitting the baselines on the train split and scoring");
                let report = evaluate(&train_set, &test, &analyzer, &config);
                spinner.finish_and_clear();
                Some(report)
            } else {
                None
            };
            let learned = if method != AbsaMethod::Baseline {
                let fitted = match &model {
                    Some(path) => LearnedAbsa::load(path)?,
                    None => {
                        let mut config = LearnedAbsaConfig::default();
                        config.extraction.max_iterations = iterations;
                        let spinner = g.spinner("training the CRF and the polarity classifier");
                        let fitted = LearnedAbsa::fit(&analyzer, &train_set, &config)?;
                        spinner.finish_and_clear();
                        fitted
                    }
                };
                if let Some(path) = &save_model {
                    fitted.save(path)?;
                }
                Some(fitted.evaluate(&analyzer, &test)?)
            } else {
                None
            };
            print_absa(
                g,
                baseline.as_ref(),
                learned.as_ref(),
                &data,
                &train,
                model.as_deref(),
            )
        }
    }
}

/// Which `absa` methods to run.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbsaMethod {
    /// The task's baseline, the gazetteer and VADER windows.
    Baseline,
    /// The CRF extractor and the logistic-regression polarity classifier.
    Learned,
    /// Both, side by side.
    All,
}

/// The catalog's train split for a SemEval-2014 file named after its domain.
fn default_train(data: &std::path::Path) -> Result<PathBuf> {
    let name = data
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let dataset = if name.contains("restaurant") {
        "semeval14-restaurants-train"
    } else if name.contains("laptop") {
        "semeval14-laptops-train"
    } else {
        anyhow::bail!(
            "cannot tell the domain of {}; pass --train FILE.xml",
            data.display()
        );
    };
    let found = Resolver::from_env(None)
        .resolve(Catalog::builtin().get(dataset)?)
        .with_context(|| {
            format!(
                "no train split for {}; pass --train FILE.xml",
                data.display()
            )
        })?;
    Ok(found.path)
}

fn print_absa(
    g: &Global,
    base: Option<&AbsaReport>,
    learned: Option<&LearnedReport>,
    data: &std::path::Path,
    train: &std::path::Path,
    model: Option<&std::path::Path>,
) -> Result<()> {
    if g.json {
        let mut v = match base {
            Some(r) => serde_json::to_value(r)?,
            None => serde_json::json!({}),
        };
        if let Some(l) = learned {
            v["learned"] = serde_json::to_value(l)?;
        }
        v["data"] = serde_json::json!(data);
        v["train"] = serde_json::json!(train);
        if let Some(m) = model {
            v["model"] = serde_json::json!(m);
        }
        crate::outln!("{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    let prf = |s: &ExtractionScores| {
        format!(
            "P {:.4}  R {:.4}  F1 {:.4}  ({} of {} predicted spans in the {} gold)",
            s.precision, s.recall, s.f1, s.matched, s.predicted, s.gold
        )
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    if let Some(r) = base {
        rows.push(vec![
            "terms: task baseline (train terms between spaces)".into(),
            prf(&r.official_baseline),
        ]);
        rows.push(vec![
            format!(
                "terms: gazetteer ({} terms, train precision >= {})",
                r.gazetteer_terms, r.gazetteer_min_precision
            ),
            prf(&r.gazetteer),
        ]);
    }
    if let Some(l) = learned {
        rows.push(vec![
            format!(
                "terms: learned CRF, BIO ({} L-BFGS iterations)",
                l.crf_iterations
            ),
            prf(&l.extraction),
        ]);
    }
    if let Some(r) = base {
        let window = match r.polarity_window {
            Some(n) => format!("{n} tokens either side"),
            None => "whole sentence".to_string(),
        };
        let clause = if r.polarity_clause {
            ", within the clause"
        } else {
            ""
        };
        rows.push(vec![
            format!("polarity: VADER, {window}{clause}"),
            format!(
                "accuracy {:.4}  ({} of {})",
                r.polarity_accuracy, r.polarity_correct, r.polarity_total
            ),
        ]);
        rows.push(vec![
            "polarity: VADER, whole sentence".into(),
            format!("accuracy {:.4}", r.sentence_vader_accuracy),
        ]);
        rows.push(vec![
            format!("polarity: majority class ({})", r.majority_polarity),
            format!("accuracy {:.4}", r.majority_accuracy),
        ]);
    }
    if let Some(l) = learned {
        rows.push(vec![
            "polarity: learned logistic regression".into(),
            format!(
                "accuracy {:.4}  ({} of {}), macro-F1 {:.4}",
                l.polarity.accuracy, l.polarity.correct, l.polarity.total, l.polarity.macro_f1
            ),
        ]);
    }
    let (test_sentences, train_sentences) = match base {
        Some(r) => (
            r.test_sentences.to_string(),
            format!("{} of ", r.train_sentences),
        ),
        None => ("the".to_string(), String::new()),
    };
    let trained = match model {
        Some(m) => format!("learned model from {}", m.display()),
        None => format!("trained on {train_sentences}{}", train.display()),
    };
    crate::outln!(
        "SemEval-2014 Task 4: {test_sentences} sentences of {}, {trained}\n",
        data.display(),
    )?;
    print_table(&["method", "score"], &rows)?;
    Ok(())
}

/// The VADER scorer from the flags: each lexicon from its flag (a file or a
/// data folder), else through the catalog.
fn vader_analyzer(
    lexicon: Option<PathBuf>,
    emoji_lexicon: Option<PathBuf>,
    no_emoji: bool,
) -> Result<SentimentIntensityAnalyzer> {
    let (lexicon, _) = VaderLexicon::resolve(&Resolver::from_env(lexicon)).context(
        "no VADER lexicon; pass --lexicon PATH (e.g. $JOURNEY_DATA/lexicons/vader_lexicon.txt)",
    )?;
    let emojis = if no_emoji {
        EmojiLexicon::default()
    } else {
        EmojiLexicon::resolve(&Resolver::from_env(emoji_lexicon))
            .context("no VADER emoji lexicon; pass --emoji-lexicon PATH, or --no-emoji")?
            .0
    };
    let config = VaderConfig {
        emoji: !no_emoji,
        ..VaderConfig::default()
    };
    Ok(SentimentIntensityAnalyzer::new(lexicon, emojis, config))
}
