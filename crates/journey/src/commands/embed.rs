//! `journey embed …`: chapter 1.4, word embeddings.
//!
//! `train` learns word2vec vectors (skip-gram or CBOW, negative sampling or
//! hierarchical softmax) from a whitespace-tokenised corpus, one sentence per
//! line, and writes them in word2vec text or binary format; with
//! `--algorithm fasttext` it learns fastText vectors over character n-grams
//! and can save the whole model as a fastText `.bin`, from which
//! `neighbours` answers out-of-vocabulary words too. `eval` scores
//! vectors on the Google analogies (gensim's rules, top 30,000 words) and on
//! word-pair similarity sets (Spearman ρ, Pearson r). `neighbours` and
//! `analogy` query a vector file. `--vectors glove-6b-50d` names the GloVe
//! vectors fetched by `shared/bin/fetch-models glove`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use journey_data::{Catalog, Resolver};
use journey_embed::evaluation::{evaluate_analogies, evaluate_word_pairs};
use journey_embed::fasttext_unsupervised::{FastText, FastTextConfig};
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
    /// The words closest to WORD by cosine similarity.
    Neighbours {
        #[arg(long, value_name = "FILE")]
        vectors: String,
        word: String,
        #[arg(short, long, default_value_t = 10)]
        k: usize,
    },
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
pub struct TrainArgs {
    /// `word2vec`, or `fasttext` (word vectors from character n-grams too).
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
    /// fastText: shortest character n-gram.
    #[arg(long, default_value_t = 3)]
    minn: usize,
    /// fastText: longest character n-gram (0: none).
    #[arg(long, default_value_t = 6)]
    maxn: usize,
    /// fastText: rows the n-grams are hashed into.
    #[arg(long, default_value_t = 2_000_000)]
    bucket: usize,
    /// fastText: also save the whole model (fastText `.bin`) here; an
    /// `--out` ending in `.bin` saves the model there and the vectors
    /// beside it as `.vec`, as fastText does.
    #[arg(long, value_name = "FILE")]
    model: Option<PathBuf>,
}

/// Loads `--vectors`: a file, or `glove-6b-50d` (the fetched GloVe).
fn load(spec: &str) -> Result<Embeddings> {
    if is_fasttext_bin(Path::new(spec)) {
        return Ok(FastText::load_bin(Path::new(spec))?.embeddings()?);
    }
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
        EmbedCommand::Train(a) if a.algorithm == "fasttext" => train_fasttext(g, &a),
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
        EmbedCommand::Neighbours { vectors, word, k } if is_fasttext_bin(Path::new(&vectors)) => {
            fasttext_neighbours(g, &vectors, &word, k)
        }
        EmbedCommand::Neighbours { vectors, word, k } => {
            let emb = load(&vectors)?;
            let idx = CosineIndex::new(&emb);
            let n = idx
                .neighbours(&word, k)
                .with_context(|| format!("{word:?} is not in {vectors}"))?;
            print_scored(g, &n)
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

/// Whether `path` starts with fastText's `.bin` magic number.
fn is_fasttext_bin(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && i32::from_le_bytes(magic) == 793_712_314
}

/// `train --algorithm fasttext`: gensim's `FastText` defaults unless given.
fn train_fasttext(g: &Global, a: &TrainArgs) -> Result<()> {
    anyhow::ensure!(
        !a.hs,
        "--hs: fastText word vectors are trained with negative sampling only"
    );
    let cfg = FastTextConfig {
        sg: a.sg,
        dim: a.dim,
        window: a.window,
        negative: a.negative,
        sample: a.sample,
        alpha: a.alpha,
        min_count: a.min_count,
        epochs: a.epochs,
        threads: g.threads.unwrap_or_else(rayon::current_num_threads),
        seed: a.seed,
        minn: a.minn,
        maxn: a.maxn,
        bucket: a.bucket,
        ..FastTextConfig::default()
    };
    let m = FastText::train_file(&a.input, &cfg)?;
    let vectors = m.embeddings()?;
    let out_is_model = a.out.extension().is_some_and(|e| e == "bin") && !a.binary;
    let (vec_path, model_path) = if out_is_model {
        (a.out.with_extension("vec"), Some(a.out.clone()))
    } else {
        (a.out.clone(), a.model.clone())
    };
    let fmt = if a.binary {
        VectorFormat::Binary
    } else {
        VectorFormat::Text
    };
    write_vectors(&vectors, &vec_path, fmt)?;
    if let Some(p) = &model_path {
        m.save_bin(p)?;
    }
    if !g.quiet {
        eprintln!(
            "{} words x {} dims, {} corpus words per epoch -> {}{}",
            vectors.len(),
            vectors.dim(),
            m.words_per_epoch,
            vec_path.display(),
            model_path
                .map(|p| format!(" (model: {})", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(())
}

/// Neighbours from a fastText `.bin`: any word, known or not, gets a vector
/// from its character n-grams.
fn fasttext_neighbours(g: &Global, path: &str, word: &str, k: usize) -> Result<()> {
    let m = FastText::load_bin(Path::new(path))?;
    let emb = m.embeddings()?;
    let q = m.word_vector(word);
    anyhow::ensure!(
        q.iter().any(|&x| x != 0.0),
        "{word:?} has no vector in {path}: not in the vocabulary and none of its character n-grams is in the model"
    );
    let exclude: Vec<usize> = emb.index_of(word).into_iter().collect();
    let n: Vec<(String, f32)> = CosineIndex::new(&emb)
        .nearest(&q, k, usize::MAX, &exclude)
        .into_iter()
        .map(|(j, s)| (emb.words()[j].clone(), s))
        .collect();
    print_scored(g, &n)
}
