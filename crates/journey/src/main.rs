//! `journey` — the NLP journey as a command line: one subcommand group per
//! chapter crate, and `journey tour`, which walks the roadmap on real data.

mod commands;
mod input;
mod output;
mod report;
mod tour;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "journey",
    version,
    about = "NLP Journey — learn LLMs from scratch, in Rust",
    long_about = "The roadmap from text basics to LLMs as working software. \
                  Start with `journey tour`; every technique has its own subcommand."
)]
struct Cli {
    #[command(flatten)]
    global: output::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once
enum Command {
    /// Walk the roadmap chapter by chapter on a real corpus and write a report.
    Tour(tour::TourArgs),
    /// Chapter 1.2: normalise, tokenize, stem, lemmatize, stop words, n-grams.
    #[command(subcommand)]
    Text(commands::text::TextCommand),
    /// Subword tokenizers: byte-level BPE (tiktoken encodings), WordPiece,
    /// SentencePiece; encode, decode, inspect, train.
    #[command(subcommand)]
    Tokenizer(commands::tokenizer::TokenizerCommand),
    /// Chapter 1.3: documents to vectors — counts, TF-IDF, hashing (as scikit-learn).
    #[command(subcommand)]
    Features(commands::features::FeaturesCommand),
    /// Chapter 2: lexicon sentiment (VADER, Pattern/TextBlob).
    #[command(subcommand)]
    Sentiment(commands::sentiment::SentimentCommand),
    /// Topic models: LDA (Gibbs or online variational Bayes) and NMF, with
    /// coherence (C_v, NPMI) and perplexity; infer topics of new documents.
    #[command(subcommand)]
    Topics(commands::topics::TopicsCommand),
    /// Supervised fastText (Joulin et al. 2017): train, test, predict.
    #[command(subcommand)]
    Fasttext(commands::fasttext::FasttextCommand),
    /// Chapter 1.4: word embeddings (word2vec), vector files, neighbours, analogies, evaluation.
    #[command(subcommand)]
    Embed(commands::embed::EmbedCommand),
    /// Chapter 2: text classification — Naive Bayes, linear SVM, logistic
    /// regression, NBSVM; train, eval, predict, cross-validate.
    #[command(subcommand)]
    Classify(commands::classify::ClassifyCommand),
    /// The data sets: list, locate or fetch, verify checksums.
    #[command(subcommand)]
    Data(commands::data::DataCommand),
    /// Named entities: train a CRF or averaged perceptron on CoNLL files,
    /// predict, evaluate like conlleval, tag raw text with models or rules.
    #[command(subcommand)]
    Ner(commands::ner::NerCommand),
    /// Evaluation: corpus or sentence BLEU of a hypothesis file against
    /// reference files, as sacreBLEU computes it (13a tokenizer by default).
    Bleu(commands::bleu::BleuArgs),
    /// Semantic search: the sentences of a file (or of an index from `embed
    /// sentences --save-index`) closest in meaning to a query.
    Search(commands::sentence_search::SearchArgs),
    /// Chapter 3: neural networks from first principles — backpropagation
    /// on scalars checked against finite differences, vanishing gradients.
    #[command(subcommand)]
    Nn(commands::nn::NnCommand),
    /// Chapter 3.3: attention encoder-decoder translation (Multi30k en→de
    /// by default): train, translate (greedy or beam search), BLEU.
    #[command(subcommand)]
    Seq2seq(commands::seq2seq::Seq2SeqCommand),
}

fn main() -> ExitCode {
    // training allocates and frees large tensors at every step
    journey_nn::allocator::keep_freed_memory();
    let cli = Cli::parse();
    output::init_logging(cli.global.quiet);
    if let Err(e) = cli.global.configure_threads() {
        eprintln!("error: {e:#}");
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Tour(args) => tour::run(&cli.global, args),
        Command::Text(cmd) => commands::text::run(&cli.global, cmd),
        Command::Tokenizer(cmd) => commands::tokenizer::run(&cli.global, cmd),
        Command::Sentiment(cmd) => commands::sentiment::run(&cli.global, cmd),
        Command::Topics(cmd) => commands::topics::run(&cli.global, cmd),
        Command::Features(cmd) => commands::features::run(&cli.global, cmd),
        Command::Fasttext(cmd) => commands::fasttext::run(&cli.global, cmd),
        Command::Embed(cmd) => commands::embed::run(&cli.global, cmd),
        Command::Classify(cmd) => commands::classify::run(&cli.global, cmd),
        Command::Data(cmd) => commands::data::run(&cli.global, cmd),
        Command::Ner(cmd) => commands::ner::run(&cli.global, cmd),
        Command::Nn(cmd) => commands::nn::run(&cli.global, cmd),
        Command::Seq2seq(cmd) => commands::seq2seq::run(&cli.global, cmd),
        Command::Bleu(args) => commands::bleu::run(&cli.global, args),
        Command::Search(args) => commands::sentence_search::search(&cli.global, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if output::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
