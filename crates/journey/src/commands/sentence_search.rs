//! `journey embed sentences` and `journey search`: sentence embeddings from
//! a sentence-transformers BERT (all-MiniLM-L6-v2 by default, from
//! `shared/bin/fetch-models minilm`) and semantic search over a file of
//! sentences (chapter 4, `journey-llm`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use journey_embed::pretrained::models_dir;
use journey_llm::semantic_search::SentenceIndex;
use journey_llm::sentence_embedder::SentenceEmbedder;
use serde_json::json;

use crate::outln;
use crate::output::{print_table, Global};

/// The default model folder: `$JOURNEY_MODELS/all-MiniLM-L6-v2`
/// (`~/.cache/journey/models` when unset).
pub fn default_model_dir() -> Result<PathBuf> {
    Ok(models_dir()
        .context("cannot locate the models folder ($JOURNEY_MODELS or $HOME); pass --model DIR")?
        .join("all-MiniLM-L6-v2"))
}

fn load_model(model: Option<&Path>) -> Result<(SentenceEmbedder, PathBuf)> {
    let dir = match model {
        Some(d) => d.to_path_buf(),
        None => default_model_dir()?,
    };
    let m = SentenceEmbedder::load(&dir).with_context(|| {
        format!(
            "cannot load the sentence model {} (shared/bin/fetch-models minilm fetches all-MiniLM-L6-v2)",
            dir.display()
        )
    })?;
    Ok((m, dir))
}

/// The lines of a UTF-8 file (each line one sentence, empty lines kept so
/// that outputs stay aligned with inputs).
fn read_lines(path: &Path) -> Result<Vec<String>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 text ({e})", path.display()))?;
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    anyhow::ensure!(!lines.is_empty(), "{}: no sentences", path.display());
    Ok(lines)
}

#[derive(Args, Debug)]
pub struct SentencesArgs {
    /// sentence-transformers folder; default: all-MiniLM-L6-v2 under
    /// $JOURNEY_MODELS.
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    /// One sentence per line.
    #[arg(long)]
    pub input: PathBuf,
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Also save the sentences and embeddings as an index for `journey search`.
    #[arg(long, value_name = "FILE")]
    pub save_index: Option<PathBuf>,
    /// Print nothing but the index (with --save-index).
    #[arg(long, requires = "save_index")]
    pub no_print: bool,
}

pub fn sentences(g: &Global, a: SentencesArgs) -> Result<()> {
    let (model, dir) = load_model(a.model.as_deref())?;
    let lines = read_lines(&a.input)?;
    let vectors = model.embed(&lines, a.batch_size)?;
    if !a.no_print {
        for v in &vectors {
            if g.json {
                outln!("{}", serde_json::to_string(v)?)?;
            } else {
                let s: Vec<String> = v.iter().map(|x| format!("{x:.6}")).collect();
                outln!("{}", s.join(" "))?;
            }
        }
    }
    if let Some(path) = a.save_index {
        SentenceIndex {
            model: dir.display().to_string(),
            sentences: lines,
            vectors,
        }
        .save(&path)?;
        if !g.quiet && !g.json {
            eprintln!("saved the index to {}", path.display());
        }
    }
    Ok(())
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// An index from `journey embed sentences --save-index`, or a text file
    /// with one sentence per line (embedded now).
    #[arg(long, value_name = "FILE")]
    pub index: PathBuf,
    /// sentence-transformers folder (default: all-MiniLM-L6-v2); it must be
    /// the model the index was built with.
    #[arg(long, value_name = "DIR")]
    pub model: Option<PathBuf>,
    #[arg(short, long, default_value_t = 5)]
    pub k: usize,
    /// What to look for.
    pub query: String,
}

pub fn search(g: &Global, a: SearchArgs) -> Result<()> {
    let (model, _) = load_model(a.model.as_deref())?;
    let bytes =
        std::fs::read(&a.index).with_context(|| format!("cannot read {}", a.index.display()))?;
    // safetensors files start with a little-endian header length, then '{'
    let index = if bytes.len() > 8 && bytes[8] == b'{' {
        SentenceIndex::load(&a.index)?
    } else {
        let sentences = read_lines(&a.index)?;
        let vectors = model.embed(&sentences, 32)?;
        SentenceIndex {
            model: String::new(),
            sentences,
            vectors,
        }
    };
    anyhow::ensure!(
        index.vectors.first().map(Vec::len) == Some(model.dim()),
        "{}: the index holds {}-dimensional vectors, the model gives {}",
        a.index.display(),
        index.vectors.first().map_or(0, Vec::len),
        model.dim()
    );
    let q = model.embed(&[a.query.as_str()], 1)?.remove(0);
    let hits = index.search(&q, a.k);
    if g.json {
        let rows: Vec<_> = hits
            .iter()
            .map(|h| json!({"rank_index": h.index, "score": h.score, "sentence": index.sentences[h.index]}))
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({"query": a.query, "hits": rows}))?
        )?;
    } else {
        let rows: Vec<Vec<String>> = hits
            .iter()
            .map(|h| {
                vec![
                    format!("{:.4}", h.score),
                    (h.index + 1).to_string(),
                    index.sentences[h.index].clone(),
                ]
            })
            .collect();
        print_table(&["cosine", "line", "sentence"], &rows)?;
    }
    Ok(())
}
