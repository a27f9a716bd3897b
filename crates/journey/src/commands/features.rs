//! `journey features …`: chapter 1.3, text to vectors — bag-of-words counts,
//! TF-IDF and the hashing trick, equal to scikit-learn's vectorizers.
//!
//! Input is one document per line (`--input FILE`, or standard input). Output
//! goes to `--out DIR`: `matrix.mtx` (MatrixMarket, rows = documents; read by
//! `scipy.io.mmread`, R's `Matrix::readMM`), `vocabulary.txt` (line `i` is
//! column `i`; not for `hashing`) and `vectorizer.json` (the fitted
//! vectorizer: settings and vocabulary / document frequencies). Flags map one
//! to one onto scikit-learn's parameters.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use journey_ml::sparse::write_vocabulary;
use journey_ml::{
    AnalyzerConfig, AnalyzerKind, CountVectorizer, CountVectorizerConfig, CsrMatrix, DocFrequency,
    HashingVectorizer, HashingVectorizerConfig, Norm, StopWordList, StripAccents, TfidfConfig,
    TfidfVectorizer, TfidfVectorizerConfig,
};
use journey_text::stopwords::StopWords;
use serde_json::json;

use crate::input::read_input;
use crate::outln;
use crate::output::{print_table, Global};

#[derive(Subcommand, Debug)]
pub enum FeaturesCommand {
    /// Term counts (scikit-learn's CountVectorizer).
    Count {
        #[command(flatten)]
        io: Io,
        #[command(flatten)]
        analysis: AnalysisArgs,
        #[command(flatten)]
        vocab: VocabArgs,
    },
    /// TF-IDF weights (scikit-learn's TfidfVectorizer).
    Tfidf {
        #[command(flatten)]
        io: Io,
        #[command(flatten)]
        tfidf: TfidfArgs,
    },
    /// Hashed features, no vocabulary (scikit-learn's HashingVectorizer).
    Hashing {
        #[command(flatten)]
        io: Io,
        #[command(flatten)]
        analysis: AnalysisArgs,
        /// Number of columns (1 ..= 2^31 - 1).
        #[arg(long, default_value_t = 1 << 20, value_name = "N")]
        n_features: usize,
        #[arg(long, value_enum, default_value = "l2")]
        norm: NormArg,
        /// Every non-zero entry becomes 1 (before normalisation).
        #[arg(long)]
        binary: bool,
        /// Always add +1 (no sign from the hash).
        #[arg(long)]
        no_alternate_sign: bool,
    },
}

#[derive(Args, Debug)]
pub struct Io {
    /// Documents, one per line (default: standard input).
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    /// Output folder (created if needed).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

/// TfidfVectorizer's settings (also the featurizer of `journey classify`).
#[derive(Args, Debug, Clone)]
pub struct TfidfArgs {
    #[command(flatten)]
    analysis: AnalysisArgs,
    #[command(flatten)]
    vocab: VocabArgs,
    /// Row normalisation.
    #[arg(long, value_enum, default_value = "l2")]
    norm: NormArg,
    /// Plain term frequencies, no idf weighting.
    #[arg(long)]
    no_idf: bool,
    /// idf = ln(n / df) + 1 instead of ln((1 + n) / (1 + df)) + 1.
    #[arg(long)]
    no_smooth_idf: bool,
    /// tf = 1 + ln(count).
    #[arg(long)]
    sublinear_tf: bool,
}

impl TfidfArgs {
    pub fn config(&self) -> Result<TfidfVectorizerConfig> {
        Ok(TfidfVectorizerConfig {
            count: self.vocab.config(self.analysis.config()?)?,
            tfidf: TfidfConfig {
                norm: self.norm.into(),
                use_idf: !self.no_idf,
                smooth_idf: !self.no_smooth_idf,
                sublinear_tf: self.sublinear_tf,
            },
        })
    }
}

#[derive(Args, Debug, Clone)]
pub struct AnalysisArgs {
    /// What a feature is made of.
    #[arg(long, value_enum, default_value = "word")]
    analyzer: AnalyzerArg,
    /// Smallest and largest n of the n-grams, e.g. 1,2 (or one n: 2).
    #[arg(long, default_value = "1,1", value_name = "MIN,MAX", value_parser = parse_ngram_range)]
    ngram_range: (usize, usize),
    /// Keep the case of the text (default: lower-case first).
    #[arg(long)]
    no_lowercase: bool,
    /// Strip accents: ascii (NFKD, keep ASCII) or unicode (NFKD, drop combining marks).
    #[arg(long, value_enum)]
    strip_accents: Option<StripArg>,
    /// Regular expression of a token (word analyzer).
    #[arg(long, default_value = journey_ml::token_pattern::DEFAULT_TOKEN_PATTERN, value_name = "REGEX")]
    token_pattern: String,
    /// Stop words: `english` (scikit-learn's list) or a file, one word per line.
    #[arg(long, value_name = "english|FILE")]
    stop_words: Option<String>,
}

#[derive(Args, Debug, Clone)]
pub struct VocabArgs {
    /// Drop terms in fewer documents: a count (2) or a proportion (0.01).
    #[arg(long, default_value = "1", value_name = "N|P")]
    min_df: DocFrequency,
    /// Drop terms in more documents: a count (500) or a proportion (0.5).
    #[arg(long, default_value = "1.0", value_name = "N|P")]
    max_df: DocFrequency,
    /// Keep only the N terms with the largest total count.
    #[arg(long, value_name = "N")]
    max_features: Option<usize>,
    /// Every non-zero count becomes 1.
    #[arg(long)]
    binary: bool,
    /// A fixed vocabulary, one term per line (no fitting, no pruning).
    #[arg(long, value_name = "FILE")]
    vocabulary: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum AnalyzerArg {
    Word,
    Char,
    #[value(name = "char_wb", alias = "char-wb")]
    CharWb,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum StripArg {
    Ascii,
    Unicode,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum NormArg {
    L1,
    L2,
    None,
}

impl From<NormArg> for Norm {
    fn from(n: NormArg) -> Norm {
        match n {
            NormArg::L1 => Norm::L1,
            NormArg::L2 => Norm::L2,
            NormArg::None => Norm::None,
        }
    }
}

/// `MIN,MAX` or a single `N`, with 1 ≤ MIN ≤ MAX.
fn parse_ngram_range(s: &str) -> Result<(usize, usize), String> {
    let num = |p: &str| {
        p.trim()
            .parse::<usize>()
            .map_err(|_| format!("'{p}' is not a whole number; write MIN,MAX such as 1,2"))
    };
    let (lo, hi) = match s.split_once(',') {
        Some((a, b)) => (num(a)?, num(b)?),
        None => {
            let n = num(s)?;
            (n, n)
        }
    };
    if lo == 0 {
        return Err("n-grams start at 1; write MIN,MAX such as 1,2".into());
    }
    if lo > hi {
        return Err(format!("MIN ({lo}) is larger than MAX ({hi})"));
    }
    Ok((lo, hi))
}

impl AnalysisArgs {
    fn config(&self) -> Result<AnalyzerConfig> {
        let stop_words = match self.stop_words.as_deref() {
            None => StopWordList::None,
            Some("english") => StopWordList::English,
            Some(file) => {
                let words = StopWords::from_file(Path::new(file)).map_err(|e| {
                    anyhow::anyhow!(
                        "--stop-words {file}: neither 'english' nor a readable file ({e})"
                    )
                })?;
                StopWordList::List(words.sorted().into_iter().map(String::from).collect())
            }
        };
        Ok(AnalyzerConfig {
            analyzer: match self.analyzer {
                AnalyzerArg::Word => AnalyzerKind::Word,
                AnalyzerArg::Char => AnalyzerKind::Char,
                AnalyzerArg::CharWb => AnalyzerKind::CharWb,
            },
            lowercase: !self.no_lowercase,
            strip_accents: match self.strip_accents {
                None => StripAccents::None,
                Some(StripArg::Ascii) => StripAccents::Ascii,
                Some(StripArg::Unicode) => StripAccents::Unicode,
            },
            token_pattern: self.token_pattern.clone(),
            ngram_range: self.ngram_range,
            stop_words,
        })
    }
}

impl VocabArgs {
    fn config(&self, analysis: AnalyzerConfig) -> Result<CountVectorizerConfig> {
        let vocabulary = match &self.vocabulary {
            None => None,
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("--vocabulary: cannot read {}", path.display()))?;
                Some(text.lines().map(str::to_string).collect())
            }
        };
        Ok(CountVectorizerConfig {
            analysis,
            min_df: self.min_df,
            max_df: self.max_df,
            max_features: self.max_features,
            binary: self.binary,
            vocabulary,
        })
    }
}

/// The documents of the input, one per line.
fn documents(io: &Io) -> Result<Vec<String>> {
    let text = read_input(io.input.as_deref())?;
    Ok(text.lines().map(str::to_string).collect())
}

pub fn run(g: &Global, cmd: FeaturesCommand) -> Result<()> {
    let (name, io, x, terms, model) = match cmd {
        FeaturesCommand::Count {
            io,
            analysis,
            vocab,
        } => {
            let config = vocab.config(analysis.config()?)?;
            let docs = documents(&io)?;
            let pb = g.spinner(format!("counting {} documents", docs.len()));
            let mut v = CountVectorizer::new(config)?;
            let x = v.fit_transform(&docs)?;
            pb.finish_and_clear();
            let terms = v.get_feature_names_out()?.to_vec();
            ("count", io, x, Some(terms), serde_json::to_string(&v)?)
        }
        FeaturesCommand::Tfidf { io, tfidf } => {
            let config = tfidf.config()?;
            let docs = documents(&io)?;
            let pb = g.spinner(format!("weighting {} documents", docs.len()));
            let mut v = TfidfVectorizer::new(config)?;
            let x = v.fit_transform(&docs)?;
            pb.finish_and_clear();
            let terms = v.get_feature_names_out()?.to_vec();
            ("tfidf", io, x, Some(terms), serde_json::to_string(&v)?)
        }
        FeaturesCommand::Hashing {
            io,
            analysis,
            n_features,
            norm,
            binary,
            no_alternate_sign,
        } => {
            let config = HashingVectorizerConfig {
                analysis: analysis.config()?,
                n_features,
                binary,
                norm: norm.into(),
                alternate_sign: !no_alternate_sign,
            };
            let v = HashingVectorizer::new(config)?;
            let docs = documents(&io)?;
            let pb = g.spinner(format!("hashing {} documents", docs.len()));
            let x = v.transform(&docs)?;
            pb.finish_and_clear();
            ("hashing", io, x, None, serde_json::to_string(&v)?)
        }
    };
    write_outputs(g, name, &io.out, &x, terms.as_deref(), &model)
}

fn write_outputs(
    g: &Global,
    name: &str,
    dir: &Path,
    x: &CsrMatrix,
    terms: Option<&[String]>,
    model: &str,
) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("--out: cannot create {}", dir.display()))?;
    let matrix = dir.join("matrix.mtx");
    x.write_matrix_market(&matrix)?;
    let vocabulary = match terms {
        Some(terms) => {
            let path = dir.join("vocabulary.txt");
            write_vocabulary(&path, terms)?;
            Some(path)
        }
        None => None,
    };
    let model_path = dir.join("vectorizer.json");
    std::fs::write(&model_path, model)
        .with_context(|| format!("cannot write {}", model_path.display()))?;

    let cells = x.n_rows() as f64 * x.n_cols() as f64;
    let density = if cells > 0.0 {
        x.nnz() as f64 / cells
    } else {
        0.0
    };
    if g.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "vectorizer": name,
                "documents": x.n_rows(),
                "columns": x.n_cols(),
                "terms": terms.map(<[String]>::len),
                "nnz": x.nnz(),
                "density": density,
                "matrix": matrix,
                "vocabulary": vocabulary,
                "model": model_path,
            }))?
        )?;
    } else {
        let mut rows = vec![
            vec!["documents".to_string(), x.n_rows().to_string()],
            vec![
                if terms.is_some() { "terms" } else { "columns" }.to_string(),
                x.n_cols().to_string(),
            ],
            vec!["non-zeros".to_string(), x.nnz().to_string()],
            vec!["density".to_string(), format!("{:.6}%", 100.0 * density)],
            vec!["matrix".to_string(), matrix.display().to_string()],
        ];
        if let Some(v) = &vocabulary {
            rows.push(vec!["vocabulary".to_string(), v.display().to_string()]);
        }
        rows.push(vec!["model".to_string(), model_path.display().to_string()]);
        print_table(&[name, ""], &rows)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_ngram_range;

    #[test]
    fn ngram_ranges() {
        assert_eq!(parse_ngram_range("1,2"), Ok((1, 2)));
        assert_eq!(parse_ngram_range(" 2 , 3 "), Ok((2, 3)));
        assert_eq!(parse_ngram_range("3"), Ok((3, 3)));
        assert!(parse_ngram_range("2,1").unwrap_err().contains("larger"));
        assert!(parse_ngram_range("0,1").is_err());
        assert!(parse_ngram_range("a,b").is_err());
    }
}
