//! `journey text …`: chapter 1.2, text preprocessing.
//!
//! Scripts depend on the line contracts: `stem` and `lemmatize` read one word
//! per line and print one result per line; `tokenize` prints one line of
//! space-separated tokens per input line (`--mode sentences`: one sentence per
//! line). Input is FILE, or standard input when FILE is absent.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use journey_data::{Catalog, Resolver};
use journey_text::lemmatizer::WordNetLemmatizer;
use journey_text::ngrams::{char_ngrams, char_wb_ngrams, word_ngrams};
use journey_text::normalize::{NormalizeConfig, Normalizer, Punctuation, UnicodeForm};
use journey_text::porter::PorterStemmer;
use journey_text::porter2::Porter2Stemmer;
use journey_text::sentences::PunktSentenceTokenizer;
use journey_text::snowball_french::FrenchStemmer;
use journey_text::snowball_german::GermanStemmer;
use journey_text::snowball_spanish::SpanishStemmer;
use journey_text::stopwords::StopWords;
use journey_text::treebank::TreebankWordTokenizer;
use journey_text::unicode_words::UnicodeWordTokenizer;
use journey_text::wordnet::Pos;
use journey_text::{Stemmer, Tokenizer};
use rayon::prelude::*;
use serde_json::json;

use crate::input::read_input;
use crate::output::{print_table, Global};

#[derive(Subcommand, Debug)]
pub enum TextCommand {
    /// Stem one word per line (Porter 1980, Snowball English "Porter2", or
    /// Snowball German, French, Spanish).
    Stem {
        #[arg(long, short, value_enum, default_value = "porter2")]
        algorithm: StemAlgorithm,
        /// Lower-case each word first (the Snowball vocabularies are lower-case).
        #[arg(long)]
        lowercase: bool,
        file: Option<PathBuf>,
    },
    /// Lemmatize one word per line with WordNet's morphy (as NLTK's WordNetLemmatizer).
    Lemmatize {
        /// Part of speech: n(oun), v(erb), a(djective), r (adverb).
        #[arg(long, short, default_value = "n")]
        pos: String,
        /// WordNet 3.0 dict folder (default: the catalog's `wordnet`, then /usr/share/wordnet).
        #[arg(long, value_name = "DIR")]
        wordnet: Option<PathBuf>,
        file: Option<PathBuf>,
    },
    /// Tokenize each line into words, or the text into sentences.
    Tokenize {
        #[arg(long, short, value_enum, default_value = "treebank")]
        mode: TokenizeMode,
        file: Option<PathBuf>,
    },
    /// Normalise each line (Unicode form, case, accents, punctuation, whitespace).
    Normalize {
        #[arg(long, value_enum, default_value = "nfc")]
        form: FormArg,
        #[arg(long)]
        lowercase: bool,
        #[arg(long)]
        strip_accents: bool,
        #[arg(long, value_enum, default_value = "keep")]
        punctuation: PunctArg,
        /// Keep whitespace and control characters as they are.
        #[arg(long)]
        keep_whitespace: bool,
        file: Option<PathBuf>,
    },
    /// Remove stop words from each line of whitespace-separated tokens, or
    /// print the list (`--print`).
    Stopwords {
        /// Built-in list (NLTK's): a language name or ISO code.
        #[arg(long, short, default_value = "english")]
        language: String,
        /// A custom list, one word per line (added to the built-in one).
        #[arg(long, value_name = "FILE")]
        list: Option<PathBuf>,
        /// Only the custom list, no built-in one.
        #[arg(long, requires = "list")]
        only_list: bool,
        /// Print the stop-word list instead of filtering input.
        #[arg(long)]
        print: bool,
        file: Option<PathBuf>,
    },
    /// The most frequent word or character n-grams of the input.
    Ngrams {
        /// Largest n.
        #[arg(long, short, default_value_t = 2)]
        n: usize,
        /// Smallest n (default: equal to n).
        #[arg(long)]
        min_n: Option<usize>,
        #[arg(long, value_enum, default_value = "word")]
        analyzer: Analyzer,
        /// How many to print.
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Lower-case before counting.
        #[arg(long)]
        lowercase: bool,
        file: Option<PathBuf>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum StemAlgorithm {
    Porter,
    Porter2,
    German,
    French,
    Spanish,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum TokenizeMode {
    Treebank,
    Unicode,
    Sentences,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FormArg {
    None,
    Nfc,
    Nfkc,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum PunctArg {
    Keep,
    Remove,
    Standardize,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Analyzer {
    Word,
    Char,
    CharWb,
}

pub fn run(g: &Global, cmd: TextCommand) -> Result<()> {
    match cmd {
        TextCommand::Stem {
            algorithm,
            lowercase,
            file,
        } => {
            let stemmer: Box<dyn Stemmer> = match algorithm {
                StemAlgorithm::Porter => Box::new(PorterStemmer),
                StemAlgorithm::Porter2 => Box::new(Porter2Stemmer),
                StemAlgorithm::German => Box::new(GermanStemmer),
                StemAlgorithm::French => Box::new(FrenchStemmer),
                StemAlgorithm::Spanish => Box::new(SpanishStemmer),
            };
            let text = read_input(file.as_deref())?;
            map_words(g, &text, "stem", |w| {
                if lowercase {
                    stemmer.stem(&w.to_lowercase())
                } else {
                    stemmer.stem(w)
                }
            })
        }
        TextCommand::Lemmatize { pos, wordnet, file } => {
            let pos: Pos = pos.parse().map_err(|e| anyhow::anyhow!("--pos: {e}"))?;
            let dir = wordnet_dir(wordnet)?;
            let lemmatizer = WordNetLemmatizer::open(&dir)?;
            let text = read_input(file.as_deref())?;
            map_words(g, &text, "lemma", |w| lemmatizer.lemmatize(w, pos))
        }
        TextCommand::Tokenize { mode, file } => {
            let text = read_input(file.as_deref())?;
            match mode {
                TokenizeMode::Treebank => {
                    tokenize_lines(g, &text, &TreebankWordTokenizer::default())
                }
                TokenizeMode::Unicode => tokenize_lines(g, &text, &UnicodeWordTokenizer::default()),
                TokenizeMode::Sentences => {
                    let punkt = PunktSentenceTokenizer::english();
                    let mut out = BufWriter::new(std::io::stdout().lock());
                    for sentence in punkt.tokenize(&text) {
                        let one_line = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
                        if g.json {
                            writeln!(out, "{}", serde_json::to_string(&one_line)?)?;
                        } else {
                            writeln!(out, "{one_line}")?;
                        }
                    }
                    out.flush()?;
                    Ok(())
                }
            }
        }
        TextCommand::Normalize {
            form,
            lowercase,
            strip_accents,
            punctuation,
            keep_whitespace,
            file,
        } => {
            let normalizer = Normalizer::new(NormalizeConfig {
                form: match form {
                    FormArg::None => UnicodeForm::None,
                    FormArg::Nfc => UnicodeForm::Nfc,
                    FormArg::Nfkc => UnicodeForm::Nfkc,
                },
                lowercase,
                strip_accents,
                clean_whitespace: !keep_whitespace,
                punctuation: match punctuation {
                    PunctArg::Keep => Punctuation::Keep,
                    PunctArg::Remove => Punctuation::Remove,
                    PunctArg::Standardize => Punctuation::Standardize,
                },
            });
            let text = read_input(file.as_deref())?;
            map_lines(g, &text, |l| normalizer.normalize(l))
        }
        TextCommand::Stopwords {
            language,
            list,
            only_list,
            print,
            file,
        } => {
            let mut words = if only_list {
                StopWords::default()
            } else {
                StopWords::builtin(&language)?
            };
            if let Some(path) = list {
                words.extend(&StopWords::from_file(&path)?);
            }
            if print {
                if g.json {
                    crate::outln!("{}", serde_json::to_string(&words.sorted())?)?;
                } else {
                    for w in words.sorted() {
                        crate::outln!("{w}")?;
                    }
                }
                return Ok(());
            }
            let text = read_input(file.as_deref())?;
            map_lines(g, &text, |l| {
                let toks: Vec<String> = l.split_whitespace().map(str::to_string).collect();
                words.filter(&toks).join(" ")
            })
        }
        TextCommand::Ngrams {
            n,
            min_n,
            analyzer,
            top,
            lowercase,
            file,
        } => {
            anyhow::ensure!(n >= 1, "--n must be at least 1");
            let min_n = min_n.unwrap_or(n);
            anyhow::ensure!(
                (1..=n).contains(&min_n),
                "--min-n must be between 1 and --n ({n})"
            );
            let text = read_input(file.as_deref())?;
            let tok = TreebankWordTokenizer::default();
            let counts = text
                .par_lines()
                .fold(HashMap::new, |mut acc: HashMap<String, u64>, line| {
                    let line = if lowercase {
                        line.to_lowercase()
                    } else {
                        line.to_string()
                    };
                    let grams = match analyzer {
                        Analyzer::Word => word_ngrams(&tok.tokenize(&line), min_n, n),
                        Analyzer::Char => char_ngrams(&line, min_n, n),
                        Analyzer::CharWb => char_wb_ngrams(&line, min_n, n),
                    };
                    for gram in grams {
                        *acc.entry(gram).or_default() += 1;
                    }
                    acc
                })
                .reduce(HashMap::new, |mut a, b| {
                    for (k, v) in b {
                        *a.entry(k).or_default() += v;
                    }
                    a
                });
            let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            ranked.truncate(top);
            if g.json {
                let items: Vec<_> = ranked
                    .iter()
                    .map(|(k, v)| json!({ "ngram": k, "count": v }))
                    .collect();
                crate::outln!("{}", serde_json::to_string_pretty(&items)?)?;
            } else {
                let rows: Vec<Vec<String>> = ranked
                    .iter()
                    .map(|(k, v)| vec![format!("{k:?}"), v.to_string()])
                    .collect();
                print_table(&["n-gram", "count"], &rows)?;
            }
            Ok(())
        }
    }
}

/// The WordNet folder: the flag, else the catalog's resolution order.
pub fn wordnet_dir(flag: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir);
    }
    let catalog = Catalog::builtin();
    let found = Resolver::from_env(None)
        .resolve(catalog.get("wordnet")?)
        .context("no WordNet database; pass --wordnet DIR")?;
    Ok(found.path)
}

/// One word per line in, one result per line out (blank lines stay blank).
fn map_words(g: &Global, text: &str, key: &str, f: impl Fn(&str) -> String + Sync) -> Result<()> {
    let words: Vec<&str> = text.lines().map(str::trim).collect();
    let results: Vec<String> = words
        .par_iter()
        .map(|w| if w.is_empty() { String::new() } else { f(w) })
        .collect();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for (w, r) in words.iter().zip(&results) {
        if g.json {
            writeln!(out, "{}", json!({ "word": w, key: r }))?;
        } else {
            writeln!(out, "{r}")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Applies `f` to every line, in parallel, printing in order.
fn map_lines(g: &Global, text: &str, f: impl Fn(&str) -> String + Sync) -> Result<()> {
    let lines: Vec<&str> = text.lines().collect();
    let results: Vec<String> = lines.par_iter().map(|l| f(l)).collect();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for r in results {
        if g.json {
            writeln!(out, "{}", serde_json::to_string(&r)?)?;
        } else {
            writeln!(out, "{r}")?;
        }
    }
    out.flush()?;
    Ok(())
}

fn tokenize_lines(g: &Global, text: &str, tok: &impl Tokenizer) -> Result<()> {
    let lines: Vec<&str> = text.lines().collect();
    let tokens: Vec<Vec<String>> = lines.par_iter().map(|l| tok.tokenize(l)).collect();
    let mut out = BufWriter::new(std::io::stdout().lock());
    for t in tokens {
        if g.json {
            writeln!(out, "{}", serde_json::to_string(&t)?)?;
        } else {
            writeln!(out, "{}", t.join(" "))?;
        }
    }
    out.flush()?;
    Ok(())
}
