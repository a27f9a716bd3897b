//! `journey embed …`: chapter 1.4, word embeddings.
//!
//! `train` learns word2vec vectors (skip-gram or CBOW, negative sampling or
//! hierarchical softmax) from a whitespace-tokenised corpus, one sentence per
//! line, and writes them in word2vec text or binary format; with
//! `--algorithm glove` it counts co-occurrences (spilling to disk past
//! `--memory-mb`) and fits GloVe, logging the cost of each epoch. `eval` scores
//! `--algorithm fasttext` it learns fastText vectors over character n-grams
//! and can save the whole model as a fastText `.bin`, from which
//! `neighbours` answers out-of-vocabulary words too. `eval` scores
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
use journey_embed::fasttext_unsupervised::{FastText, FastTextConfig};
use journey_embed::hnsw::{Hnsw, HnswConfig};
use journey_embed::pca::Pca;
use journey_embed::phrases::{Phrases, PhrasesConfig, ENGLISH_CONNECTOR_WORDS};
use journey_embed::pretrained::{glove_6b_50d_dir, load_glove_npy_parquet, GLOVE_6B_50D};
use journey_embed::similarity::{AnalogyMethod, CosineIndex};
use journey_embed::tsne::{trustworthiness, tsne, TsneConfig};
use journey_embed::word2vec::{train_file_controlled, TrainControl, Word2VecConfig};
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
    /// Sentence embeddings (BERT, mean pooling, L2 normalisation) of each
    /// line of a file, with a sentence-transformers model such as
    /// all-MiniLM-L6-v2: one vector per line (--json: a JSON array per line).
    Sentences(super::sentence_search::SentencesArgs),
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
    /// Place words in 2-D by PCA or t-SNE (coordinates, and an SVG plot).
    Project(ProjectArgs),
    /// Join frequent word pairs into phrases (new york -> new_york), as
    /// gensim's Phrases; writes the corpus with phrases joined.
    Phrases(PhrasesArgs),
}

#[derive(Args, Debug)]
pub struct PhrasesArgs {
    /// Corpus: whitespace tokens, one sentence per line.
    #[arg(long, value_name = "FILE")]
    input: PathBuf,
    /// Where to write the corpus with phrases joined.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Pairs seen fewer times score below zero.
    #[arg(long, default_value_t = 5)]
    min_count: u64,
    /// Score a pair must exceed.
    #[arg(long, default_value_t = 10.0)]
    threshold: f64,
    /// Words allowed inside a phrase: `english` (gensim's list) or a file,
    /// one word per line.
    #[arg(long, value_name = "english|FILE")]
    connectors: Option<String>,
    #[arg(long, default_value = "_")]
    delimiter: String,
}

#[derive(Args, Debug)]
pub struct ProjectArgs {
    #[arg(long, value_name = "FILE")]
    vectors: String,
    /// The words to place (or --words-file).
    words: Vec<String>,
    /// A file of words, one per line (blank lines and `#` comments skipped).
    #[arg(long, value_name = "FILE")]
    words_file: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "tsne")]
    method: ProjectMethod,
    /// t-SNE perplexity (default: 30, or (words − 1) / 3 for fewer than 91 words).
    #[arg(long)]
    perplexity: Option<f64>,
    /// t-SNE iterations.
    #[arg(long, default_value_t = 1000)]
    max_iter: usize,
    /// Also draw the words to this SVG file.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProjectMethod {
    Pca,
    Tsne,
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
    /// `word2vec`, `glove`, or `fasttext` (word vectors from character n-grams too).
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
    /// Save the model here after every epoch (safetensors).
    #[arg(long, value_name = "FILE")]
    checkpoint: Option<PathBuf>,
    /// Go on from --checkpoint if it exists (same corpus and settings).
    #[arg(long, requires = "checkpoint")]
    resume: bool,
    /// Stop after N epochs of this run (resume later with --resume).
    #[arg(long, value_name = "N", requires = "checkpoint")]
    stop_after: Option<usize>,
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
    #[command(flatten)]
    glove: GloveArgs,
}

/// Settings only `--algorithm glove` reads; --dim, --window, --epochs,
/// --min-count, --seed and --threads are shared with word2vec.
#[derive(Args, Debug)]
pub struct GloveArgs {
    /// GloVe: co-occurrence count at which the weight f(x) reaches 1.
    #[arg(long, default_value_t = 100.0)]
    x_max: f64,
    /// GloVe: exponent of the weight f(x) = (x / x_max)^a.
    #[arg(long, default_value_t = 0.75)]
    weight_alpha: f64,
    /// GloVe: AdaGrad's initial learning rate.
    #[arg(long, default_value_t = 0.05)]
    eta: f32,
    /// GloVe: memory for co-occurrence counting before spilling to disk (MiB).
    #[arg(long, default_value_t = 512)]
    memory_mb: usize,
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
        EmbedCommand::Sentences(a) => super::sentence_search::sentences(g, a),
        EmbedCommand::Train(a) if a.algorithm == "glove" => train_glove(g, &a),
        EmbedCommand::Train(a) if a.algorithm == "fasttext" => train_fasttext(g, &a),
        EmbedCommand::Train(a) => {
            anyhow::ensure!(
                a.algorithm == "word2vec",
                "--algorithm {}: choose word2vec, glove or fasttext",
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
            let control = TrainControl {
                checkpoint: a.checkpoint.as_deref(),
                resume: a.resume,
                stop_after: a.stop_after,
            };
            let m = train_file_controlled(&a.input, &cfg, &control)?;
            if m.epochs_done < cfg.epochs {
                if !g.quiet {
                    eprintln!(
                        "stopped after epoch {} of {}; checkpoint in {} (go on with --resume)",
                        m.epochs_done,
                        cfg.epochs,
                        a.checkpoint.as_deref().unwrap_or(Path::new("?")).display()
                    );
                }
                return Ok(());
            }
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
        // A fastText model answers out-of-vocabulary words from n-grams.
        EmbedCommand::Neighbours {
            vectors,
            word,
            k,
            approximate: false,
            ..
        } if is_fasttext_bin(Path::new(&vectors)) => fasttext_neighbours(g, &vectors, &word, k),
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
        EmbedCommand::Project(a) => project(g, a),
        EmbedCommand::Phrases(a) => phrases(g, a),
    }
}

fn project(g: &Global, a: ProjectArgs) -> Result<()> {
    let mut words = a.words.clone();
    if let Some(f) = &a.words_file {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("--words-file: cannot read {}", f.display()))?;
        words.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string),
        );
    }
    anyhow::ensure!(
        words.len() >= 3,
        "give at least 3 words to place (arguments or --words-file), got {}",
        words.len()
    );
    let emb = load(&a.vectors)?;
    let missing: Vec<&str> = words
        .iter()
        .filter(|w| emb.index_of(w).is_none())
        .map(String::as_str)
        .collect();
    anyhow::ensure!(
        missing.is_empty(),
        "not in {}: {}",
        a.vectors,
        missing.join(", ")
    );
    let rows: Vec<&[f32]> = words.iter().filter_map(|w| emb.get(w)).collect();
    let (points, detail) = match a.method {
        ProjectMethod::Pca => {
            let pca = Pca::fit(&rows, 2)?;
            let pts: Vec<[f64; 2]> = pca
                .transform(&rows)?
                .into_iter()
                .map(|p| [p[0], p[1]])
                .collect();
            let detail =
                serde_json::json!({ "explained_variance_ratio": pca.explained_variance_ratio });
            (pts, detail)
        }
        ProjectMethod::Tsne => {
            let perplexity = a
                .perplexity
                .unwrap_or_else(|| 30f64.min((words.len() as f64 - 1.0) / 3.0));
            let r = tsne(
                &rows,
                &TsneConfig {
                    perplexity,
                    max_iter: a.max_iter,
                    ..TsneConfig::default()
                },
            )?;
            let detail = serde_json::json!({
                "perplexity": perplexity,
                "kl_divergence": r.kl_divergence,
                "iterations": r.n_iter,
            });
            (r.points, detail)
        }
    };
    let trust = if 2 * 5 < words.len() {
        Some(trustworthiness(&rows, &points, 5))
    } else {
        None
    };
    if let Some(path) = &a.svg {
        let group = vec![(
            a.vectors.clone(),
            words
                .iter()
                .zip(&points)
                .map(|(w, p)| (w.clone(), p[0], p[1]))
                .collect(),
        )];
        let title = match a.method {
            ProjectMethod::Pca => "PCA",
            ProjectMethod::Tsne => "t-SNE",
        };
        crate::report::write_atomic(
            path,
            crate::report::svg::labelled_points(title, &group).as_bytes(),
        )?;
    }
    if g.json {
        let pts: Vec<_> = words
            .iter()
            .zip(&points)
            .map(|(w, p)| serde_json::json!({ "word": w, "x": p[0], "y": p[1] }))
            .collect();
        println!(
            "{}",
            serde_json::json!({ "method": format!("{:?}", a.method).to_lowercase(), "points": pts, "trustworthiness_5": trust, "detail": detail })
        );
    } else {
        for (w, p) in words.iter().zip(&points) {
            println!("{w}\t{:.6}\t{:.6}", p[0], p[1]);
        }
        if let Some(t) = trust {
            eprintln!("trustworthiness (5 neighbours): {t:.4}");
        }
    }
    Ok(())
}

/// `journey embed train --algorithm glove`: counts, trains and writes
/// W + W̃, logging the cost of every epoch.
fn train_glove(g: &Global, a: &TrainArgs) -> Result<()> {
    anyhow::ensure!(
        a.checkpoint.is_none(),
        "--checkpoint: only word2vec training keeps checkpoints so far"
    );
    let cfg = journey_embed::glove::GloveConfig {
        dim: a.dim,
        window: a.window,
        min_count: a.min_count,
        x_max: a.glove.x_max,
        alpha: a.glove.weight_alpha,
        learning_rate: a.glove.eta,
        epochs: a.epochs,
        threads: g.threads.unwrap_or_else(rayon::current_num_threads),
        seed: a.seed,
        memory_mb: a.glove.memory_mb,
        ..journey_embed::glove::GloveConfig::default()
    };
    let pb = g.spinner(format!("GloVe: counting {}", a.input.display()));
    let m = journey_embed::glove::train_file(&a.input, &cfg, |epoch, cost| {
        pb.set_message(format!(
            "GloVe: epoch {epoch}/{}, cost {cost:.6}",
            cfg.epochs
        ));
        tracing::info!("epoch {epoch}/{}: cost {cost:.6}", cfg.epochs);
    })?;
    pb.finish_and_clear();
    let fmt = if a.binary {
        VectorFormat::Binary
    } else {
        VectorFormat::Text
    };
    write_vectors(&m.vectors, &a.out, fmt)?;
    if !g.quiet {
        eprintln!(
            "{} words x {} dims, {} co-occurrence entries ({} spilled shards) -> {}",
            m.vectors.len(),
            m.vectors.dim(),
            m.entries,
            m.shards,
            a.out.display()
        );
    }
    Ok(())
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
        a.checkpoint.is_none(),
        "--checkpoint: only word2vec training keeps checkpoints so far"
    );
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

fn phrases(g: &Global, a: PhrasesArgs) -> Result<()> {
    let connector_words = match a.connectors.as_deref() {
        None => Vec::new(),
        Some("english") => ENGLISH_CONNECTOR_WORDS.map(String::from).to_vec(),
        Some(file) => std::fs::read_to_string(file)
            .with_context(|| format!("--connectors {file}: neither 'english' nor a readable file"))?
            .split_whitespace()
            .map(str::to_string)
            .collect(),
    };
    let text = std::fs::read_to_string(&a.input)
        .with_context(|| format!("cannot read {}", a.input.display()))?;
    let config = PhrasesConfig {
        min_count: a.min_count,
        threshold: a.threshold,
        delimiter: a.delimiter.clone(),
        connector_words,
    };
    let p = Phrases::learn(text.lines().map(|l| l.split_whitespace()), config)
        .with_context(|| format!("{}", a.input.display()))?;
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(&p.apply(line.split_whitespace()).join(" "));
        out.push('\n');
    }
    crate::report::write_atomic(&a.out, out.as_bytes())?;
    let found = p.export();
    if g.json {
        let list: Vec<_> = found
            .iter()
            .map(|(ph, sc)| serde_json::json!({ "phrase": ph, "score": sc }))
            .collect();
        println!(
            "{}",
            serde_json::json!({ "phrases": list, "table": p.vocab_len(), "words": p.corpus_words, "out": a.out })
        );
    } else if !g.quiet {
        let mut top = found.clone();
        top.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        eprintln!(
            "{} phrases from {} words -> {}; strongest: {}",
            found.len(),
            p.corpus_words,
            a.out.display(),
            top.iter()
                .take(8)
                .map(|x| x.0.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}
