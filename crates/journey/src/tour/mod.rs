//! `journey tour`: the main job. It walks the roadmap chapter by chapter on a
//! real corpus (the King James Bible by default), prints what each step does
//! and what came out, and writes `journey-report/index.html` with figures.
//! Each chapter is one file here; later chapters add theirs.

mod classification_chapter;
mod corpus;
mod deep_learning_chapter;
mod embeddings_chapter;
mod features_chapter;
mod ner_chapter;
mod sentiment_chapter;
mod text_chapter;
mod tokenizer_chapter;
mod topics_chapter;
mod transformers_chapter;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use journey_data::{catalog::DEFAULT_CORPUS, Catalog, Resolver};
use serde_json::{json, Value};

use crate::output::Global;
use crate::report::{Report, Section};
pub use corpus::Corpus;

#[derive(Args, Debug)]
pub struct TourArgs {
    /// The corpus: a file, or a data root holding corpora/kjv/kjv.txt
    /// (default: the catalog's `kjv`, found through $JOURNEY_DATA, the cache,
    /// or fetched).
    #[arg(long, value_name = "PATH")]
    pub data: Option<PathBuf>,
    /// Where to write the report.
    #[arg(long, default_value = "journey-report", value_name = "DIR")]
    pub out: PathBuf,
    /// WordNet 3.0 dict folder for lemmatization (default: the catalog's `wordnet`).
    #[arg(long, value_name = "DIR")]
    pub wordnet: Option<PathBuf>,
    /// Seed for the examples drawn from the corpus.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

/// What every chapter gets: the corpus, the flags, a seeded generator.
pub struct Tour<'a> {
    pub g: &'a Global,
    /// Spins while a step computes; printing suspends it.
    pub progress: indicatif::ProgressBar,
    pub args: &'a TourArgs,
    pub corpus: &'a Corpus,
}

impl Tour<'_> {
    /// Prints a step heading and its explanation (not in --json mode).
    /// Prints a chapter heading.
    pub fn chapter(&self, title: &str) {
        if !self.g.json {
            self.progress.suspend(|| crate::outln!("\n━━ {title}")).ok();
        }
    }

    pub fn step(&self, title: &str, what: &str) {
        self.progress.set_message(title.to_string());
        if !self.g.json {
            self.progress
                .suspend(|| crate::outln!("\n── {title}\n   {what}"))
                .ok();
        }
    }

    pub fn say(&self, line: impl AsRef<str>) {
        if !self.g.json {
            self.progress
                .suspend(|| crate::outln!("   {}", line.as_ref()))
                .ok();
        }
    }
}

pub fn run(g: &Global, args: TourArgs) -> Result<()> {
    let start = Instant::now();
    let catalog = Catalog::builtin();
    let ds = catalog.get(DEFAULT_CORPUS)?;
    let found = Resolver::from_env(args.data.clone())
        .resolve(ds)
        .context("the tour needs its default corpus")?;
    let corpus = Corpus::load(&found.path)?;
    if !g.json {
        crate::outln!("NLP Journey — the tour")?;
        crate::outln!(
            "Corpus: {} ({} documents, {} characters) from {} [{:?}]",
            corpus.name,
            corpus.docs.len(),
            corpus.chars,
            found.path.display(),
            found.source
        )?;
    }
    let ctx = Tour {
        g,
        progress: g.spinner("chapter 1.2"),
        args: &args,
        corpus: &corpus,
    };
    let mut summary = serde_json::Map::new();
    let mut intro = Section::new("corpus", "The corpus");
    intro.para(format!(
        "{} — {} documents, {} characters, read from {}.",
        corpus.name,
        corpus.docs.len(),
        corpus.chars,
        found.path.display()
    ));
    let mut sections = vec![intro];
    let (section, facts) = timed(|| text_chapter::run(&ctx))?;
    sections.push(section);
    summary.insert("text_preprocessing".into(), facts);
    let (section, facts) = timed(|| tokenizer_chapter::run(&ctx))?;
    sections.push(section);
    summary.insert("subword_tokenization".into(), facts);
    let (section, facts) = timed(|| features_chapter::run(&ctx))?;
    sections.push(section);
    summary.insert("text_to_vectors".into(), facts);
    let (section, facts) = timed(|| embeddings_chapter::run(&ctx))?;
    sections.push(section);
    summary.insert("embeddings".into(), facts);
    let (section, facts) = timed(|| classification_chapter::run(&ctx))?;
    sections.push(section);
    summary.insert("classification".into(), facts);
    let (section, facts) = timed(|| sentiment_chapter::run(&ctx))?;
    sections.push(section);
    summary.insert("sentiment".into(), facts);
    let (section, facts) = timed(|| ner_chapter::run(&ctx))?;
    sections.push(section);
    summary.insert("ner".into(), facts);
    let (section, facts) = timed(|| topics_chapter::run(&ctx))?;
    sections.push(section);
    summary.insert("topic_models".into(), facts);
    let (section, facts) = timed(|| deep_learning_chapter::run(&ctx))?;
    sections.push(section);
    summary.insert("deep_learning".into(), facts);
    let (section, facts) = timed(|| transformers_chapter::run(&ctx))?;
    sections.push(section);
    summary.insert("transformers".into(), facts);
    ctx.progress.finish_and_clear();

    let report = Report {
        title: "NLP Journey — the tour".into(),
        subtitle: format!(
            "Roadmap chapters run on {} by journey {} (seed {}).",
            corpus.name,
            env!("CARGO_PKG_VERSION"),
            args.seed
        ),
        sections,
    };
    let index = report.write(&args.out)?;
    let seconds = start.elapsed().as_secs_f64();
    if g.json {
        let out = json!({
            "corpus": { "name": corpus.name, "path": found.path, "documents": corpus.docs.len(), "chars": corpus.chars },
            "chapters": summary,
            "report": index,
            "seconds": seconds,
        });
        crate::outln!("{}", serde_json::to_string_pretty(&out)?)?;
    } else {
        crate::outln!("\nReport written to {} ({seconds:.1} s)", index.display())?;
    }
    Ok(())
}

/// Runs a chapter and adds its wall time (`seconds`) to its facts.
fn timed(chapter: impl FnOnce() -> Result<(Section, Value)>) -> Result<(Section, Value)> {
    let start = Instant::now();
    let (section, mut facts) = chapter()?;
    if let Value::Object(m) = &mut facts {
        m.insert("seconds".into(), json!(start.elapsed().as_secs_f64()));
    }
    Ok((section, facts))
}

/// Finds a catalog data set without going online (the tour's later chapters
/// use what is in $JOURNEY_DATA or the cache). The error says which data set
/// is missing and how to get it, for the chapter to print and skip.
pub fn find_offline(name: &str) -> std::result::Result<PathBuf, String> {
    let resolver = Resolver {
        online: false,
        ..Resolver::from_env(None)
    };
    Catalog::builtin()
        .get(name)
        .map_err(|e| e.to_string())
        .and_then(|d| resolver.resolve(d).map_err(|e| e.to_string()))
        .map(|r| r.path)
        .map_err(|e| {
            let first = e.lines().next().unwrap_or_default();
            let first = first.trim_end_matches("Tried:").trim_end();
            format!(
                "{first} Set $JOURNEY_DATA to a data folder holding it, or run \
                 `journey data path {name}` online to fetch it."
            )
        })
}

/// Records a chapter (or step) skipped for missing data, on screen and in the report.
pub fn skipped(ctx: &Tour, sec: &mut Section, what: &str, why: &str) {
    ctx.say(format!("{what} skipped: {why}"));
    sec.para(format!("{what} skipped: {why}"));
}

/// SplitMix64: a tiny, well-mixed seeded generator for picking examples.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}
