//! `journey sentiment …`: chapter 2, lexicon sentiment.
//!
//! Line contracts: `vader` prints `compound neg neu pos` per input line, the
//! numbers as vaderSentiment's dict holds them (compound rounded to 4
//! decimals, the others to 3, written as Python writes floats); `pattern`
//! prints `polarity subjectivity` as TextBlob returns them. A blank line gets
//! the scores of the empty string. `--json`: one object per line with the
//! scores and the text. Input is FILE, or standard input when FILE is absent.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;
use journey_data::Resolver;
use journey_ml::pattern_sentiment::{PatternAnalyzer, PatternConfig, PatternLexicon};
use journey_ml::pystr::repr;
use journey_ml::vader::{EmojiLexicon, SentimentIntensityAnalyzer, VaderConfig, VaderLexicon};
use serde::Serialize;

use crate::input::read_input_lines;
use crate::output::Global;

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
    }
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
