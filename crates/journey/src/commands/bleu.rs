//! `journey bleu`: corpus BLEU of a hypothesis file against one or more
//! reference files, as sacreBLEU 2.5.1 computes it (see `journey_ml::bleu`).
//!
//! Line contract: line i of the hypothesis file is scored against line i of
//! every reference file; all files must have the same number of lines. The
//! default output is sacreBLEU's score line (signature, score, precisions,
//! brevity penalty, lengths); `--json` prints the score and its statistics
//! as one object. `--sentence` prints one sentence BLEU per line instead
//! (effective order on, as recommended for sentence level).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use journey_ml::bleu::{Bleu, BleuConfig, BleuScore, BleuTokenizer, SmoothMethod};
use serde::Serialize;

use crate::output::Global;

#[derive(Args, Debug)]
pub struct BleuArgs {
    /// A reference file, one segment per line; repeat for several references.
    #[arg(long = "ref", value_name = "FILE", required = true)]
    refs: Vec<PathBuf>,
    /// The hypothesis (system output) file, one segment per line.
    #[arg(long, value_name = "FILE")]
    hyp: PathBuf,
    /// Tokenizer applied before counting n-grams: 13a, intl or none.
    #[arg(long, default_value = "13a", value_parser = parse_tokenizer)]
    tokenize: BleuTokenizer,
    /// Lower-case hypotheses and references first.
    #[arg(long)]
    lowercase: bool,
    /// Smoothing of zero matches: exp, floor, add-k or none.
    #[arg(long, default_value = "exp", value_parser = parse_smooth)]
    smooth_method: SmoothMethod,
    /// The parameter of floor (default 0.1) or add-k (default 1).
    #[arg(long, value_name = "X")]
    smooth_value: Option<f64>,
    /// Average only over the n-gram orders the hypothesis has.
    #[arg(long)]
    effective_order: bool,
    /// One sentence BLEU per line instead of corpus BLEU (turns on effective order).
    #[arg(long)]
    sentence: bool,
}

fn parse_tokenizer(s: &str) -> std::result::Result<BleuTokenizer, String> {
    s.parse()
}

fn parse_smooth(s: &str) -> std::result::Result<SmoothMethod, String> {
    s.parse()
}

/// The lines of a UTF-8 file (a final newline ends the last line, it does
/// not start an empty one).
fn read_lines(path: &Path, flag: &str) -> Result<Vec<String>> {
    let bytes =
        std::fs::read(path).with_context(|| format!("{flag} {}: cannot read", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        anyhow::anyhow!("{flag} {}:{line}: not valid UTF-8", path.display())
    })?;
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    Ok(lines)
}

#[derive(Serialize)]
struct JsonScore<'a> {
    name: &'static str,
    score: f64,
    signature: &'a str,
    counts: &'a [u64],
    totals: &'a [u64],
    precisions: &'a [f64],
    bp: f64,
    ratio: f64,
    sys_len: u64,
    ref_len: u64,
    line: String,
}

pub fn run(global: &Global, args: BleuArgs) -> Result<()> {
    let config = BleuConfig {
        tokenize: args.tokenize,
        lowercase: args.lowercase,
        smooth_method: args.smooth_method,
        smooth_value: args.smooth_value,
        max_ngram_order: 4,
        effective_order: args.effective_order || args.sentence,
    };
    let bleu = Bleu::new(config).context("--smooth-value")?;
    let hyps = read_lines(&args.hyp, "--hyp")?;
    let mut refs = Vec::with_capacity(args.refs.len());
    for path in &args.refs {
        let lines = read_lines(path, "--ref")?;
        if lines.len() != hyps.len() {
            bail!(
                "--ref {} has {} lines but --hyp {} has {}: the files must be line-aligned",
                path.display(),
                lines.len(),
                args.hyp.display(),
                hyps.len()
            );
        }
        refs.push(lines);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.sentence {
        for (i, hyp) in hyps.iter().enumerate() {
            let seg_refs: Vec<&str> = refs.iter().map(|r| r[i].as_str()).collect();
            let s = bleu.sentence_score(hyp, &seg_refs)?;
            if global.json {
                writeln!(out, "{}", serde_json::to_string(&json_score(&s))?)?;
            } else {
                writeln!(out, "{:.2}", s.score)?;
            }
        }
    } else {
        let s = bleu.corpus_score(&hyps, &refs)?;
        if global.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&json_score(&s))?)?;
        } else {
            writeln!(out, "{s}")?;
        }
    }
    out.flush()?;
    Ok(())
}

fn json_score(s: &BleuScore) -> JsonScore<'_> {
    JsonScore {
        name: "BLEU",
        score: s.score,
        signature: &s.signature,
        counts: &s.counts,
        totals: &s.totals,
        precisions: &s.precisions,
        bp: s.bp,
        ratio: s.ratio(),
        sys_len: s.sys_len,
        ref_len: s.ref_len,
        line: s.to_string(),
    }
}
