//! `journey embed …`: chapter 1.4, word embeddings.
//!
//! `train` learns word2vec vectors (skip-gram or CBOW, negative sampling or
//! hierarchical softmax) from a whitespace-tokenised corpus, one sentence per
//! line, and writes them in word2vec text or binary format. `eval` scores
//! vectors on the Google analogies (gensim's rules, top 30,000 words) and on
//! word-pair similarity sets (Spearman ρ, Pearson r). `neighbours` and
//! `analogy` query a vector file (`neighbours --approximate` through an
//! HNSW graph, saved beforehand by `index`). `--vectors glove-6b-50d` names the GloVe
//! vectors fetched by `shared/bin/fetch-models glove`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use journey_data::{Catalog, Resolver};
use journey_embed::evaluation::{evaluate_analogies, evaluate_word_pairs};
use journey_embed::hnsw::{Hnsw, HnswConfig};
use journey_embed::pretrained::{glove_6b_50d_dir, load_glove_npy_parquet, GLOVE_6B_50D};
use journey_embed::similarity::{AnalogyMethod, CosineIndex};
use journey_embed::word2vec::{train_file, Word2VecConfig};
use journey_embed::{read_vectors, write_vectors, Embeddings, VectorFormat};

use crate::output::{print_table, Global};

#[derive(Subcommand, Debug)]
pub enum EmbedCommand {
    /// Train word vectors (word2vec; gensim's defaults unless given).
    Train(TrainArgs),
    /// Analogy accuracy and word-pair similarity correlations.
    Eval {
        /// Vector file (word2vec text/binary, GloVe text) or `glove-6b-50d`.
        #[arg(long, value_name = "FILE")]
        vectors: String,
        /// Analogy questions (default: the catalog's `analogies`).
        #[arg(long, value_name = "FILE")]
        analogies: Option<PathBuf>,
        /// Word-pair files (default: the catalog's `wordsim353` and `simlex999`).
        #[arg(long, value_name = "FILE")]
        similarity: Vec<PathBuf>,
        /// Only the most frequent N words answer analogies.
        #[arg(long, default_value_t = 30_000)]
        restrict_vocab: usize,
    },
    /// The words closest to WORD by cosine similarity (exact, or HNSW with
    /// --approximate).
    Neighbours {
        #[arg(long, value_name = "FILE")]
        vectors: String,
        word: String,
        #[arg(short, long, default_value_t = 10)]
        k: usize,
        /// Search an HNSW graph (built now unless --index is given).
        #[arg(long)]
        approximate: bool,
        /// HNSW candidates kept while searching (at least k + 1 are used).
        #[arg(long, requires = "approximate")]
        ef: Option<usize>,
        /// HNSW index written by `journey embed index` for these vectors.
        #[arg(long, value_name = "FILE", requires = "approximate")]
        index: Option<PathBuf>,
    },
    /// Build an HNSW index over a vector file and save it.
    Index(IndexArgs),
    /// a : b :: c : ? (3CosAdd, or 3CosMul with --cosmul).
    Analogy {
        #[arg(long, value_name = "FILE")]
        vectors: String,
        a: String,
        b: String,
        c: String,
        #[arg(short, long, default_value_t = 5)]
        k: usize,
        #[arg(long)]
        cosmul: bool,
    },
}

#[derive(Args, Debug)]
pub struct IndexArgs {
    #[arg(long, value_name = "FILE")]
    vectors: String,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Links per node (layer 0 keeps 2·M).
    #[arg(long, default_value_t = 16)]
    m: usize,
    #[arg(long, default_value_t = 200)]
    ef_construction: usize,
    /// Default ef of the searches recorded in the index.
    #[arg(long, default_value_t = 10)]
    ef_search: usize,
    #[arg(long, default_value_t = 100)]
    seed: u64,
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Only `word2vec` for now.
    #[arg(long, default_value = "word2vec")]
    algorithm: String,
    /// Skip-gram.
    #[arg(long, conflicts_with = "cbow")]
    sg: bool,
    /// CBOW (the default, as gensim).
    #[arg(long)]
    cbow: bool,
    #[arg(long, default_value_t = 100)]
    dim: usize,
    #[arg(long, default_value_t = 5)]
    window: usize,
    #[arg(long, default_value_t = 5)]
    negative: usize,
    /// Hierarchical softmax (add --negative 0 for HS alone).
    #[arg(long)]
    hs: bool,
    #[arg(long, default_value_t = 5)]
    epochs: usize,
    #[arg(long, default_value_t = 5)]
    min_count: u64,
    #[arg(long, default_value_t = 1e-3)]
    sample: f64,
    #[arg(long, default_value_t = 0.025)]
    alpha: f32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Corpus: whitespace tokens, one sentence per line.
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// word2vec binary instead of text.
    #[arg(long)]
    binary: bool,
}

/// Loads `--vectors`: a file, or `glove-6b-50d` (the fetched GloVe).
fn load(spec: &str) -> Result<Embeddings> {
    if spec == GLOVE_6B_50D && !Path::new(spec).exists() {
        let dir = glove_6b_50d_dir()
            .context("cannot locate the models folder ($JOURNEY_MODELS or $HOME)")?;
        return Ok(load_glove_npy_parquet(&dir)?);
    }
    Ok(read_vectors(Path::new(spec))?)
}

fn catalog_file(name: &str, flag: &str) -> Result<PathBuf> {
    let found = Resolver::from_env(None)
        .resolve(Catalog::builtin().get(name)?)
        .with_context(|| format!("no {name} data set; pass {flag} FILE"))?;
    Ok(found.path)
}

pub fn run(g: &Global, cmd: EmbedCommand) -> Result<()> {
    match cmd {
        EmbedCommand::Train(a) => {
            anyhow::ensure!(
                a.algorithm == "word2vec",
                "--algorithm {}: only word2vec is implemented",
                a.algorithm
            );
            let cfg = Word2VecConfig {
                sg: a.sg,
                dim: a.dim,
                window: a.window,
                negative: a.negative,
                hs: a.hs,
                sample: a.sample,
                alpha: a.alpha,
                min_count: a.min_count,
                epochs: a.epochs,
                threads: g.threads.unwrap_or_else(rayon::current_num_threads),
                seed: a.seed,
                ..Word2VecConfig::default()
            };
            let m = train_file(&a.input, &cfg)?;
            let fmt = if a.binary {
                VectorFormat::Binary
            } else {
                VectorFormat::Text
            };
            write_vectors(&m.vectors, &a.out, fmt)?;
            if !g.quiet {
                eprintln!(
                    "{} words x {} dims, {} corpus words per epoch -> {}",
                    m.vectors.len(),
                    m.vectors.dim(),
                    m.words_per_epoch,
                    a.out.display()
                );
            }
            Ok(())
        }
        EmbedCommand::Eval {
            vectors,
            analogies,
            similarity,
            restrict_vocab,
        } => {
            let emb = load(&vectors)?;
            let analogies = match analogies {
                Some(p) => p,
                None => catalog_file("analogies", "--analogies")?,
            };
            let pairs = if similarity.is_empty() {
                vec![
                    catalog_file("wordsim353", "--similarity")?,
                    catalog_file("simlex999", "--similarity")?,
                ]
            } else {
                similarity
            };
            let an = evaluate_analogies(&emb, &analogies, restrict_vocab)?;
            let mut sims = Vec::new();
            for p in &pairs {
                sims.push((
                    p.display().to_string(),
                    evaluate_word_pairs(&emb, p, 300_000)?,
                ));
            }
            if g.json {
                let v = serde_json::json!({ "analogies": an, "similarity": sims.iter().map(|(f, r)| serde_json::json!({"file": f, "report": r})).collect::<Vec<_>>() });
                println!("{v}");
                return Ok(());
            }
            let mut rows: Vec<Vec<String>> = an
                .sections
                .iter()
                .chain([&an.total])
                .map(|s| {
                    vec![
                        s.section.clone(),
                        s.correct.to_string(),
                        (s.correct + s.incorrect).to_string(),
                        format!("{:.4}", s.accuracy()),
                    ]
                })
                .collect();
            rows.push(vec![
                format!("(skipped, out of vocabulary: {:.1}%)", an.oov_ratio_percent),
                String::new(),
                an.oov.to_string(),
                String::new(),
            ]);
            print_table(&["section", "correct", "questions", "accuracy"], &rows)?;
            let rows: Vec<Vec<String>> = sims
                .iter()
                .map(|(f, r)| {
                    vec![
                        f.clone(),
                        r.pairs.to_string(),
                        format!("{:.1}%", r.oov_ratio_percent),
                        format!("{:.4}", r.spearman),
                        format!("{:.4}", r.pearson),
                    ]
                })
                .collect();
            println!();
            print_table(
                &["pairs file", "pairs", "oov", "spearman", "pearson"],
                &rows,
            )?;
            Ok(())
        }
        EmbedCommand::Neighbours {
            vectors,
            word,
            k,
            approximate,
            ef,
            index,
        } => {
            let emb = load(&vectors)?;
            let n = if approximate {
                let h = match &index {
                    Some(p) => Hnsw::load(p, &emb)?,
                    None => Hnsw::build(&emb, HnswConfig::default())?,
                };
                let ef = ef.unwrap_or(h.config().ef_search);
                h.neighbours(&emb, &word, k, ef)
            } else {
                CosineIndex::new(&emb).neighbours(&word, k)
            };
            print_scored(
                g,
                &n.with_context(|| format!("{word:?} is not in {vectors}"))?,
            )
        }
        EmbedCommand::Index(a) => {
            let emb = load(&a.vectors)?;
            let cfg = HnswConfig {
                m: a.m,
                ef_construction: a.ef_construction,
                ef_search: a.ef_search,
                seed: a.seed,
                ..HnswConfig::default()
            };
            let h = Hnsw::build(&emb, cfg)?;
            h.save(&a.out)?;
            if !g.quiet {
                eprintln!(
                    "HNSW over {} words, {} layers -> {}",
                    h.len(),
                    h.top_level() + 1,
                    a.out.display()
                );
            }
            Ok(())
        }
        EmbedCommand::Analogy {
            vectors,
            a,
            b,
            c,
            k,
            cosmul,
        } => {
            let emb = load(&vectors)?;
            let idx = CosineIndex::new(&emb);
            let method = if cosmul {
                AnalogyMethod::CosMul
            } else {
                AnalogyMethod::CosAdd
            };
            let n = idx.analogy(&a, &b, &c, k, method).with_context(|| {
                let missing: Vec<&str> = [&a, &b, &c]
                    .into_iter()
                    .filter(|w| emb.index_of(w).is_none())
                    .map(String::as_str)
                    .collect();
                format!("not in {vectors}: {}", missing.join(", "))
            })?;
            print_scored(g, &n)
        }
    }
}

fn print_scored(g: &Global, n: &[(String, f32)]) -> Result<()> {
    if g.json {
        println!("{}", serde_json::to_string(n)?);
    } else {
        for (w, s) in n {
            println!("{w}\t{s:.4}");
        }
    }
    Ok(())
}
