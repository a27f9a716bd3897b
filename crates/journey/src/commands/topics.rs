//! `journey topics …`: topic models (LDA by Gibbs sampling or online
//! variational Bayes, NMF), their coherence and perplexity, and inference of
//! the topics of new documents.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use journey_ml::coherence::{coherence_per_topic, CoherenceConfig, Measure};
use journey_ml::dictionary::{
    decode_utf8_or_latin1, simple_preprocess, smooth_idf, tfidf_with_idf, Dictionary,
};
use journey_ml::lda_gibbs::{GibbsLda, GibbsLdaConfig};
use journey_ml::lda_online::{OnlineLda, OnlineLdaConfig};
use journey_ml::nmf::{BetaLoss, Nmf, NmfConfig, NmfInit, NmfSolver};
use journey_ml::topic_model::{FittedTopics, TopicModel};
use serde_json::json;

use crate::output::{print_table, Global};

#[derive(Subcommand, Debug)]
pub enum TopicsCommand {
    /// Latent Dirichlet allocation (collapsed Gibbs or online variational Bayes).
    Lda(LdaArgs),
    /// Non-negative matrix factorisation of the TF-IDF matrix.
    Nmf(NmfArgs),
    /// Topic distributions of new documents under a saved model.
    Infer {
        /// A model written by `journey topics lda|nmf --out`.
        #[arg(long, value_name = "MODEL")]
        model: PathBuf,
        /// Documents: a file with one document per line, or a folder of files.
        #[arg(long, value_name = "DOCS")]
        input: PathBuf,
        /// Drop everything before the first blank line of each file (news posts).
        #[arg(long)]
        strip_headers: bool,
    },
}

/// What every model shares: the documents, the vocabulary filter, the output.
#[derive(Args, Debug)]
pub struct CorpusArgs {
    /// Documents: a file with one document per line, or a folder of files
    /// (optionally one sub-folder per class, as 20 Newsgroups).
    #[arg(long, value_name = "DOCS")]
    input: PathBuf,
    /// Number of topics.
    #[arg(long, value_name = "K")]
    topics: usize,
    /// Random seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Keep words in at least this many documents (gensim filter_extremes).
    #[arg(long, default_value_t = 5)]
    no_below: usize,
    /// Keep words in at most this fraction of documents.
    #[arg(long, default_value_t = 0.5)]
    no_above: f64,
    /// Keep at most this many words (the most frequent).
    #[arg(long, default_value_t = 100_000)]
    keep_n: usize,
    /// Strip accents when tokenising.
    #[arg(long)]
    deaccent: bool,
    /// Drop everything before the first blank line of each file (news posts).
    #[arg(long)]
    strip_headers: bool,
    /// Words shown per topic.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Where to write the model (JSON).
    #[arg(long, value_name = "MODEL")]
    out: PathBuf,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LdaMethod {
    Gibbs,
    Online,
}

#[derive(Args, Debug)]
pub struct LdaArgs {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// gibbs: collapsed Gibbs sampling (SparseLDA); online: online variational Bayes.
    #[arg(long, value_enum, default_value_t = LdaMethod::Gibbs)]
    method: LdaMethod,
    /// Gibbs sweeps, or passes of online VB (default 500 / 10).
    #[arg(long, value_name = "N")]
    iterations: Option<usize>,
    /// Document–topic prior (default: 50/K for Gibbs, 1/K for online).
    #[arg(long)]
    alpha: Option<f64>,
    /// Topic–word prior (default: 0.1 for Gibbs, 1/K for online).
    #[arg(long)]
    eta: Option<f64>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SolverArg {
    Cd,
    Mu,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LossArg {
    Frobenius,
    Kl,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum InitArg {
    Nndsvd,
    Nndsvda,
    Nndsvdar,
    Random,
}

#[derive(Args, Debug)]
pub struct NmfArgs {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// Most iterations of the solver.
    #[arg(long, value_name = "N", default_value_t = 200)]
    iterations: usize,
    #[arg(long, value_enum, default_value_t = SolverArg::Cd)]
    solver: SolverArg,
    #[arg(long, value_enum, default_value_t = LossArg::Frobenius)]
    loss: LossArg,
    #[arg(long, value_enum, default_value_t = InitArg::Nndsvd)]
    init: InitArg,
}

/// Reads documents: one per line of a file, or one per file of a folder
/// (files of its sub-folders too), in sorted order.
fn read_docs(path: &Path, strip_headers: bool) -> Result<Vec<String>> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("--input {}: cannot read", path.display()))?;
    let docs: Vec<String> = if meta.is_dir() {
        let mut files = Vec::new();
        collect_files(path, &mut files, 0)?;
        files.sort();
        let mut docs = Vec::with_capacity(files.len());
        for f in files {
            let bytes =
                std::fs::read(&f).with_context(|| format!("cannot read {}", f.display()))?;
            let text = decode_utf8_or_latin1(bytes);
            docs.push(if strip_headers {
                text.find("\n\n")
                    .map(|i| text[i + 2..].to_owned())
                    .unwrap_or_default()
            } else {
                text
            });
        }
        docs
    } else {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        decode_utf8_or_latin1(bytes)
            .lines()
            .map(str::to_owned)
            .collect()
    };
    if docs.iter().all(|d| d.trim().is_empty()) {
        bail!(
            "--input {}: no documents (empty file or folder)",
            path.display()
        );
    }
    Ok(docs)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let p = entry?.path();
        if p.is_dir() && depth < 4 {
            collect_files(&p, out, depth + 1)?;
        } else if p.is_file() {
            out.push(p);
        }
    }
    Ok(())
}

struct Corpus {
    texts: Vec<Vec<String>>,
    dict: Dictionary,
}

fn prepare(args: &CorpusArgs) -> Result<Corpus> {
    if args.topics == 0 {
        bail!("--topics must be at least 1");
    }
    if !(0.0..=1.0).contains(&args.no_above) {
        bail!(
            "--no-above must be a fraction in [0, 1], got {}",
            args.no_above
        );
    }
    let docs = read_docs(&args.input, args.strip_headers)?;
    let texts: Vec<Vec<String>> = docs
        .iter()
        .map(|d| simple_preprocess(d, args.deaccent))
        .collect();
    let mut dict = Dictionary::from_documents(&texts);
    let before = dict.len();
    dict.filter_extremes(args.no_below, args.no_above, Some(args.keep_n))?;
    if dict.is_empty() {
        bail!(
            "--input {}: no word is left after filtering ({before} words, {} documents; \
             --no-below {} --no-above {}): lower --no-below or raise --no-above",
            args.input.display(),
            texts.len(),
            args.no_below,
            args.no_above
        );
    }
    Ok(Corpus { texts, dict })
}

fn report(
    g: &Global,
    model: &TopicModel,
    corpus: &Corpus,
    top: usize,
    perplexity: Option<f64>,
    out: &Path,
) -> Result<()> {
    let words = model.top_words(top);
    let topics: Vec<Vec<String>> = words
        .iter()
        .map(|t| t.iter().map(|(w, _)| w.clone()).collect())
        .collect();
    let measure = |m: Measure| -> Result<Vec<f64>> {
        let cfg = CoherenceConfig {
            measure: m,
            ..Default::default()
        };
        Ok(coherence_per_topic(
            &topics,
            &corpus.texts,
            &corpus.dict,
            &cfg,
        )?)
    };
    let cv = measure(Measure::CV)?;
    let npmi = measure(Measure::CNpmi)?;
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    if g.json {
        let items: Vec<_> = words
            .iter()
            .enumerate()
            .map(|(k, w)| json!({"topic": k, "words": w, "c_v": cv[k], "c_npmi": npmi[k]}))
            .collect();
        crate::outln!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "model": out,
                "documents": corpus.texts.len(),
                "vocabulary": corpus.dict.len(),
                "topics": items,
                "c_v": mean(&cv),
                "c_npmi": mean(&npmi),
                "perplexity": perplexity,
            }))?
        )?;
    } else {
        let rows: Vec<Vec<String>> = topics
            .iter()
            .enumerate()
            .map(|(k, t)| {
                vec![
                    k.to_string(),
                    format!("{:.3}", cv[k]),
                    format!("{:.3}", npmi[k]),
                    t.join(" "),
                ]
            })
            .collect();
        print_table(&["topic", "C_v", "NPMI", "top words"], &rows)?;
        crate::outln!(
            "{} documents, {} words in the vocabulary; mean C_v {:.4}, NPMI {:.4}",
            corpus.texts.len(),
            corpus.dict.len(),
            mean(&cv),
            mean(&npmi)
        )?;
        if let Some(p) = perplexity {
            crate::outln!("perplexity on the training documents: {p:.2}")?;
        }
        crate::outln!("model written to {}", out.display())?;
    }
    Ok(())
}

pub fn run(g: &Global, cmd: TopicsCommand) -> Result<()> {
    match cmd {
        TopicsCommand::Lda(a) => {
            let corpus = prepare(&a.corpus)?;
            let x = corpus.dict.bow_matrix(&corpus.texts)?;
            let k = a.corpus.topics;
            let spinner = g.spinner(format!("LDA ({:?}), {k} topics", a.method));
            let (fitted, perplexity) = match a.method {
                LdaMethod::Gibbs => {
                    let cfg = GibbsLdaConfig {
                        n_topics: k,
                        alpha: a.alpha,
                        eta: a.eta.unwrap_or(0.1),
                        iterations: a.iterations.unwrap_or(500),
                        seed: a.corpus.seed,
                        ..Default::default()
                    };
                    let m = GibbsLda::fit(&x, &cfg)?;
                    let p = m.perplexity(&x)?;
                    (FittedTopics::LdaGibbs(m), p)
                }
                LdaMethod::Online => {
                    let cfg = OnlineLdaConfig {
                        n_topics: k,
                        alpha: a.alpha,
                        eta: a.eta,
                        passes: a.iterations.unwrap_or(10),
                        seed: a.corpus.seed,
                        ..Default::default()
                    };
                    let m = OnlineLda::fit(&x, &cfg)?;
                    let p = m.perplexity(&x)?;
                    (FittedTopics::LdaOnline(m), p)
                }
            };
            spinner.finish_and_clear();
            let model = TopicModel::new(corpus.dict.clone(), a.corpus.deaccent, fitted);
            model
                .save(&a.corpus.out)
                .with_context(|| format!("--out {}", a.corpus.out.display()))?;
            report(
                g,
                &model,
                &corpus,
                a.corpus.top,
                Some(perplexity),
                &a.corpus.out,
            )
        }
        TopicsCommand::Nmf(a) => {
            let corpus = prepare(&a.corpus)?;
            let counts = corpus.dict.bow_matrix(&corpus.texts)?;
            let idf = smooth_idf(&counts);
            let x = tfidf_with_idf(&counts, &idf);
            let cfg = NmfConfig {
                n_components: a.corpus.topics,
                init: match a.init {
                    InitArg::Nndsvd => NmfInit::Nndsvd,
                    InitArg::Nndsvda => NmfInit::Nndsvda,
                    InitArg::Nndsvdar => NmfInit::Nndsvdar,
                    InitArg::Random => NmfInit::Random,
                },
                solver: match a.solver {
                    SolverArg::Cd => NmfSolver::Cd,
                    SolverArg::Mu => NmfSolver::Mu,
                },
                beta_loss: match a.loss {
                    LossArg::Frobenius => BetaLoss::Frobenius,
                    LossArg::Kl => BetaLoss::KullbackLeibler,
                },
                max_iter: a.iterations,
                seed: a.corpus.seed,
                ..Default::default()
            };
            let spinner = g.spinner(format!("NMF, {} topics", a.corpus.topics));
            let m =
                Nmf::fit(&x, &cfg).map_err(|e| anyhow::anyhow!("--topics/--solver/--loss: {e}"))?;
            spinner.finish_and_clear();
            let mut model =
                TopicModel::new(corpus.dict.clone(), a.corpus.deaccent, FittedTopics::Nmf(m));
            model.idf = Some(idf);
            model
                .save(&a.corpus.out)
                .with_context(|| format!("--out {}", a.corpus.out.display()))?;
            report(g, &model, &corpus, a.corpus.top, None, &a.corpus.out)
        }
        TopicsCommand::Infer {
            model,
            input,
            strip_headers,
        } => {
            let m =
                TopicModel::load(&model).with_context(|| format!("--model {}", model.display()))?;
            let docs = read_docs(&input, strip_headers)?;
            let texts = m.tokenize(&docs);
            let theta = m.infer(&texts)?;
            let k = m.n_topics();
            if g.json {
                let items: Vec<_> = theta
                    .chunks(k)
                    .enumerate()
                    .map(|(d, row)| json!({"document": d + 1, "topics": row}))
                    .collect();
                crate::outln!("{}", serde_json::to_string_pretty(&items)?)?;
            } else {
                let rows: Vec<Vec<String>> = theta
                    .chunks(k)
                    .enumerate()
                    .map(|(d, row)| {
                        let best = (0..k)
                            .max_by(|&a, &b| row[a].total_cmp(&row[b]))
                            .unwrap_or(0);
                        vec![
                            (d + 1).to_string(),
                            best.to_string(),
                            row.iter()
                                .map(|p| format!("{p:.3}"))
                                .collect::<Vec<_>>()
                                .join(" "),
                        ]
                    })
                    .collect();
                print_table(&["document", "top topic", "topic distribution"], &rows)?;
            }
            Ok(())
        }
    }
}
