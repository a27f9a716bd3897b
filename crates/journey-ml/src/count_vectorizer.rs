//! Bag of words: the document-term count matrix (scikit-learn's
//! `CountVectorizer`; Salton & McGill, *Introduction to Modern Information
//! Retrieval*, 1983, ch. 3 — the vector space model).
//!
//! `fit` learns a vocabulary — every feature the [`Analyzer`] produces, sorted
//! by Unicode code point (Python's string order) — and prunes it as
//! scikit-learn does:
//!
//! - `max_df` / `min_df`: drop terms found in more / fewer documents than the
//!   bound; an integer is a document count, a float in [0, 1] a proportion of
//!   the documents;
//! - `max_features`: keep the terms with the largest total count. Ties at the
//!   cut-off go to the alphabetically first terms. (scikit-learn sorts with
//!   NumPy's default `argsort`, an unstable introsort that NumPy 2 runs through
//!   SIMD code on AVX2/AVX-512 machines, so which of several tied terms it
//!   keeps depends on the machine; the stable rule is the one reproducible
//!   choice.)
//!
//! `binary` sets every count to 1, before pruning (so `max_features` then
//! ranks terms by document frequency, as in scikit-learn). Row `i` of the
//! result counts the features of document `i`; column `j` is the `j`-th term.
//!
//! Parallelism: documents are split into chunks of about equal text size,
//! counted on all cores, each against its own interned vocabulary; the chunk
//! vocabularies are merged (in parallel, shard by shard of the term hash) and
//! sorted, so the result does not depend on the number of threads.
//!
//! Cost: O(F) hash look-ups for F features in the corpus, O(V log V) to sort
//! V distinct terms; memory O(nnz + V · term length).

use std::str::FromStr;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analyzer::{Analyzer, AnalyzerConfig, Scratch};
use crate::error::MlError;
use crate::interner::{merge_sorted, Interner};
use crate::sparse::CsrMatrix;

/// A document-frequency bound: a count of documents, or a proportion of them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DocFrequency {
    /// At least 1 (an integer in scikit-learn).
    Count(usize),
    /// In [0, 1] (a float in scikit-learn).
    Proportion(f64),
}

impl DocFrequency {
    /// The bound in documents, for a corpus of `n_docs` documents.
    pub fn documents(self, n_docs: usize) -> f64 {
        match self {
            DocFrequency::Count(c) => c as f64,
            DocFrequency::Proportion(p) => p * n_docs as f64,
        }
    }

    fn check(self, name: &str) -> Result<(), MlError> {
        match self {
            DocFrequency::Count(0) => Err(MlError::Config(format!(
                "{name} = 0: a document count must be at least 1 (or give a proportion such as 0.0)"
            ))),
            DocFrequency::Proportion(p) if !(0.0..=1.0).contains(&p) => {
                Err(MlError::Config(format!(
                    "{name} = {p}: a proportion must lie in [0, 1] (or give a whole number of documents)"
                )))
            }
            _ => Ok(()),
        }
    }
}

/// Parses as Python would type it: `2` is a count, `0.5` or `1.0` a proportion.
impl FromStr for DocFrequency {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty() {
            return s
                .parse()
                .map(DocFrequency::Count)
                .map_err(|e| format!("'{s}': {e}"));
        }
        s.parse::<f64>()
            .map(DocFrequency::Proportion)
            .map_err(|_| format!("'{s}' is neither a document count (2) nor a proportion (0.5)"))
    }
}

impl std::fmt::Display for DocFrequency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DocFrequency::Count(c) => write!(f, "{c}"),
            DocFrequency::Proportion(p) => write!(f, "{p:?}"),
        }
    }
}

/// Settings of [`CountVectorizer`]; `Default` is scikit-learn's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CountVectorizerConfig {
    #[serde(flatten)]
    pub analysis: AnalyzerConfig,
    pub min_df: DocFrequency,
    pub max_df: DocFrequency,
    pub max_features: Option<usize>,
    pub binary: bool,
    /// A fixed vocabulary: column `i` is term `i`; no fitting or pruning.
    pub vocabulary: Option<Vec<String>>,
}

impl Default for CountVectorizerConfig {
    fn default() -> Self {
        CountVectorizerConfig {
            analysis: AnalyzerConfig::default(),
            min_df: DocFrequency::Count(1),
            max_df: DocFrequency::Proportion(1.0),
            max_features: None,
            binary: false,
            vocabulary: None,
        }
    }
}

/// Terms and their column numbers.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    terms: Vec<String>,
    /// Interned in column order: a term's id is its column.
    index: Interner,
}

impl Vocabulary {
    fn new(terms: Vec<String>) -> Result<Self, MlError> {
        if terms.len() > u32::MAX as usize {
            return Err(MlError::Invalid("more than 2^32 terms".into()));
        }
        let bytes = terms.iter().map(String::len).sum();
        let mut index = Interner::with_capacity(terms.len(), bytes);
        for t in &terms {
            if !index.intern(t).1 {
                return Err(MlError::Config(format!(
                    "duplicate term in vocabulary: {t:?}"
                )));
            }
        }
        Ok(Vocabulary { terms, index })
    }

    pub(crate) fn terms(&self) -> &[String] {
        &self.terms
    }

    #[inline]
    pub(crate) fn get(&self, term: &str) -> Option<u32> {
        self.index.get(term)
    }
}

/// scikit-learn's `CountVectorizer`: fit a vocabulary, count its terms.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "CountVectorizerState", into = "CountVectorizerState")]
pub struct CountVectorizer {
    config: CountVectorizerConfig,
    analyzer: Analyzer,
    vocabulary: Option<Vocabulary>,
}

/// What a model file stores: the settings and the fitted vocabulary.
#[derive(Serialize, Deserialize)]
struct CountVectorizerState {
    config: CountVectorizerConfig,
    vocabulary: Option<Vec<String>>,
}

impl From<CountVectorizer> for CountVectorizerState {
    fn from(v: CountVectorizer) -> Self {
        CountVectorizerState {
            config: v.config,
            vocabulary: v.vocabulary.map(|v| v.terms),
        }
    }
}

impl TryFrom<CountVectorizerState> for CountVectorizer {
    type Error = MlError;
    fn try_from(s: CountVectorizerState) -> Result<Self, MlError> {
        let mut v = CountVectorizer::new(s.config)?;
        if let Some(terms) = s.vocabulary {
            v.vocabulary = Some(Vocabulary::new(terms)?);
        }
        Ok(v)
    }
}

/// The counts of one chunk of documents against its own local vocabulary.
struct ChunkCounts {
    terms: Interner,
    indptr: Vec<usize>,
    cols: Vec<u32>,
    counts: Vec<u32>,
}

/// Splits the documents into consecutive chunks of about equal text size
/// (a corpus mixes one-line and multi-page documents): enough chunks to keep
/// every core busy, few enough that merging chunk vocabularies stays cheap.
pub(crate) fn chunks<S: AsRef<str>>(docs: &[S]) -> Vec<&[S]> {
    const MIN_BYTES: usize = 1 << 16;
    let total: usize = docs.iter().map(|d| d.as_ref().len() + 1).sum();
    let threads = rayon::current_num_threads();
    let parts = if threads == 1 { 1 } else { threads * 4 };
    let target = total.div_ceil(parts).max(MIN_BYTES);
    let mut out = Vec::with_capacity(parts + 1);
    let (mut start, mut bytes) = (0, 0);
    for (i, d) in docs.iter().enumerate() {
        bytes += d.as_ref().len() + 1;
        if bytes >= target {
            out.push(&docs[start..=i]);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < docs.len() || out.is_empty() {
        out.push(&docs[start..]);
    }
    out
}

impl CountVectorizer {
    /// Checks the settings; a fixed `vocabulary` makes the vectorizer usable
    /// at once, without `fit`.
    pub fn new(config: CountVectorizerConfig) -> Result<Self, MlError> {
        config.min_df.check("min_df")?;
        config.max_df.check("max_df")?;
        if config.max_features == Some(0) {
            return Err(MlError::Config("max_features must be at least 1".into()));
        }
        let analyzer = Analyzer::new(config.analysis.clone())?;
        let vocabulary = match &config.vocabulary {
            Some(terms) if terms.is_empty() => {
                return Err(MlError::Config("empty vocabulary passed to fit".into()))
            }
            Some(terms) => Some(Vocabulary::new(terms.clone())?),
            None => None,
        };
        Ok(CountVectorizer {
            config,
            analyzer,
            vocabulary,
        })
    }

    pub fn config(&self) -> &CountVectorizerConfig {
        &self.config
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Whether a vocabulary is known (fitted or fixed).
    pub fn is_fitted(&self) -> bool {
        self.vocabulary.is_some()
    }

    /// The terms, column by column (scikit-learn's `get_feature_names_out`).
    pub fn get_feature_names_out(&self) -> Result<&[String], MlError> {
        Ok(self.vocab()?.terms())
    }

    /// The column of `term`, if it is in the vocabulary.
    pub fn column(&self, term: &str) -> Option<usize> {
        self.vocabulary.as_ref()?.get(term).map(|c| c as usize)
    }

    pub(crate) fn vocab(&self) -> Result<&Vocabulary, MlError> {
        self.vocabulary.as_ref().ok_or(MlError::NotFitted)
    }

    /// Learns the vocabulary.
    pub fn fit<S: AsRef<str> + Sync>(&mut self, docs: &[S]) -> Result<&mut Self, MlError> {
        self.fit_transform(docs)?;
        Ok(self)
    }

    /// Learns the vocabulary and returns the count matrix of `docs`.
    pub fn fit_transform<S: AsRef<str> + Sync>(
        &mut self,
        docs: &[S],
    ) -> Result<CsrMatrix, MlError> {
        if self.config.vocabulary.is_some() {
            return self.transform(docs);
        }
        let n_docs = docs.len();
        if n_docs == 0 {
            return Err(MlError::Empty(
                "empty vocabulary: there are no documents to fit".into(),
            ));
        }
        let high = self.config.max_df.documents(n_docs);
        let low = self.config.min_df.documents(n_docs);
        if high < low {
            return Err(MlError::Config(format!(
                "max_df = {} corresponds to fewer documents ({high}) than min_df = {} ({low})",
                self.config.max_df, self.config.min_df
            )));
        }
        let (terms, mut x) = self.count_new(docs)?;
        if self.config.binary {
            x.map_values(|_| 1.0);
        }
        let (x, terms) = limit_features(x, terms, high, low, self.config.max_features)?;
        self.vocabulary = Some(Vocabulary::new(terms)?);
        Ok(x)
    }

    /// Counts the vocabulary's terms in `docs` (unknown features are ignored).
    pub fn transform<S: AsRef<str> + Sync>(&self, docs: &[S]) -> Result<CsrMatrix, MlError> {
        let vocab = self.vocab()?;
        let chunks: Vec<(Vec<usize>, Vec<u32>, Vec<f64>)> = chunks(docs)
            .into_par_iter()
            .map(|chunk| {
                let mut scratch = Scratch::default();
                let mut ids: Vec<u32> = Vec::new();
                let mut lens = Vec::with_capacity(chunk.len());
                let (mut cols, mut vals) = (Vec::new(), Vec::new());
                for doc in chunk {
                    ids.clear();
                    self.analyzer
                        .for_each_feature_with(doc.as_ref(), &mut scratch, |f| {
                            if let Some(c) = vocab.get(f) {
                                ids.push(c);
                            }
                        });
                    ids.sort_unstable();
                    let before = cols.len();
                    for &c in &ids {
                        if cols.len() > before && *cols.last().unwrap() == c {
                            *vals.last_mut().unwrap() += 1.0;
                        } else {
                            cols.push(c);
                            vals.push(1.0);
                        }
                    }
                    lens.push(cols.len() - before);
                }
                (lens, cols, vals)
            })
            .collect();
        let mut x = concat_chunks(chunks, vocab.terms().len())?;
        if self.config.binary {
            x.map_values(|_| 1.0);
        }
        Ok(x)
    }

    /// Counts with a vocabulary grown from `docs`; returns the sorted terms
    /// and the matrix with columns in that order.
    fn count_new<S: AsRef<str> + Sync>(
        &self,
        docs: &[S],
    ) -> Result<(Vec<String>, CsrMatrix), MlError> {
        let chunks: Vec<ChunkCounts> = chunks(docs)
            .into_par_iter()
            .map(|chunk| self.count_chunk(chunk))
            .collect();

        // Merge the chunk vocabularies into one, sorted as Python sorts strings.
        let parts: Vec<&Interner> = chunks.iter().map(|c| &c.terms).collect();
        let (terms, ranks) = merge_sorted(&parts);
        if terms.is_empty() {
            return Err(MlError::Empty(
                "empty vocabulary; perhaps the documents only contain stop words".into(),
            ));
        }

        // Renumber each chunk's columns and sort each row.
        let parts: Vec<(Vec<usize>, Vec<u32>, Vec<f64>)> = chunks
            .par_iter()
            .zip(ranks.par_iter())
            .map(|(c, rank)| {
                let mut lens = Vec::with_capacity(c.indptr.len() - 1);
                let mut cols = Vec::with_capacity(c.cols.len());
                let mut vals = Vec::with_capacity(c.cols.len());
                let mut row: Vec<(u32, u32)> = Vec::new();
                for w in c.indptr.windows(2) {
                    row.clear();
                    row.extend((w[0]..w[1]).map(|k| (rank[c.cols[k] as usize], c.counts[k])));
                    row.sort_unstable_by_key(|&(col, _)| col);
                    cols.extend(row.iter().map(|&(col, _)| col));
                    vals.extend(row.iter().map(|&(_, n)| n as f64));
                    lens.push(row.len());
                }
                (lens, cols, vals)
            })
            .collect();
        drop(chunks);
        let x = concat_chunks(parts, terms.len())?;
        Ok((terms, x))
    }

    /// Counts one chunk of documents against a vocabulary of its own.
    fn count_chunk<S: AsRef<str>>(&self, docs: &[S]) -> ChunkCounts {
        let mut index = Interner::default();
        let mut doc_counts: Vec<u32> = Vec::new();
        let mut touched: Vec<u32> = Vec::new();
        let mut scratch = Scratch::default();
        let mut indptr = Vec::with_capacity(docs.len() + 1);
        indptr.push(0);
        let (mut cols, mut counts) = (Vec::new(), Vec::new());
        for doc in docs {
            self.analyzer
                .for_each_feature_with(doc.as_ref(), &mut scratch, |f| {
                    let (id, new) = index.intern(f);
                    if new {
                        doc_counts.push(0);
                    }
                    let n = &mut doc_counts[id as usize];
                    if *n == 0 {
                        touched.push(id);
                    }
                    *n += 1;
                });
            for &id in &touched {
                cols.push(id);
                counts.push(std::mem::take(&mut doc_counts[id as usize]));
            }
            touched.clear();
            indptr.push(cols.len());
        }
        ChunkCounts {
            terms: index,
            indptr,
            cols,
            counts,
        }
    }
}

/// Joins per-chunk rows (row lengths, columns, values) into one matrix.
pub(crate) fn concat_chunks(
    parts: Vec<(Vec<usize>, Vec<u32>, Vec<f64>)>,
    n_cols: usize,
) -> Result<CsrMatrix, MlError> {
    let n_rows: usize = parts.iter().map(|p| p.0.len()).sum();
    let nnz: usize = parts.iter().map(|p| p.1.len()).sum();
    let mut indptr = Vec::with_capacity(n_rows + 1);
    let mut indices = Vec::with_capacity(nnz);
    let mut data = Vec::with_capacity(nnz);
    indptr.push(0);
    for (lens, cols, vals) in parts {
        for len in lens {
            indptr.push(indptr.last().unwrap() + len);
        }
        indices.extend_from_slice(&cols);
        data.extend_from_slice(&vals);
    }
    CsrMatrix::from_parts(n_rows, n_cols, indptr, indices, data)
}

/// scikit-learn's `_limit_features`: keeps the terms with `low ≤ df ≤ high`,
/// then at most `limit` of them by total count (ties: alphabetical order).
fn limit_features(
    x: CsrMatrix,
    terms: Vec<String>,
    high: f64,
    low: f64,
    limit: Option<usize>,
) -> Result<(CsrMatrix, Vec<String>), MlError> {
    let df = x.column_nnz();
    let mut keep: Vec<bool> = df
        .iter()
        .map(|&d| (d as f64) <= high && (d as f64) >= low)
        .collect();
    let kept = keep.iter().filter(|&&k| k).count();
    if let Some(limit) = limit.filter(|&l| kept > l) {
        let totals = x.column_sums();
        let mut candidates: Vec<usize> = (0..keep.len()).filter(|&c| keep[c]).collect();
        // Stable: among equal totals the earlier (alphabetically first) term wins.
        candidates.sort_by(|&a, &b| totals[b].total_cmp(&totals[a]));
        keep.fill(false);
        for &c in &candidates[..limit] {
            keep[c] = true;
        }
    }
    if keep.iter().all(|&k| k) {
        return Ok((x, terms));
    }
    let mut new_index = vec![u32::MAX; keep.len()];
    let mut new_terms = Vec::new();
    for (c, term) in terms.into_iter().enumerate() {
        if keep[c] {
            new_index[c] = new_terms.len() as u32;
            new_terms.push(term);
        }
    }
    if new_terms.is_empty() {
        return Err(MlError::Empty(
            "after pruning, no terms remain; try a lower min_df or a higher max_df".into(),
        ));
    }
    // The renumbering keeps column order, so rows stay sorted.
    let mut indptr = Vec::with_capacity(x.n_rows() + 1);
    let mut indices = Vec::with_capacity(x.nnz());
    let mut data = Vec::with_capacity(x.nnz());
    indptr.push(0);
    for (cols, vals) in x.rows() {
        for (&c, &v) in cols.iter().zip(vals) {
            let n = new_index[c as usize];
            if n != u32::MAX {
                indices.push(n);
                data.push(v);
            }
        }
        indptr.push(indices.len());
    }
    let x = CsrMatrix::from_parts(x.n_rows(), new_terms.len(), indptr, indices, data)?;
    Ok((x, new_terms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::{AnalyzerKind, StopWordList};

    const DOCS: [&str; 4] = [
        "This is the first document.",
        "This document is the second document.",
        "And this is the third one.",
        "Is this the first document?",
    ];

    #[test]
    fn sklearn_documentation_example() {
        // The example of scikit-learn's CountVectorizer docstring.
        let mut v = CountVectorizer::new(CountVectorizerConfig::default()).unwrap();
        let x = v.fit_transform(&DOCS).unwrap();
        assert_eq!(
            v.get_feature_names_out().unwrap(),
            ["and", "document", "first", "is", "one", "second", "the", "third", "this"]
        );
        assert_eq!(
            x.to_dense(),
            vec![
                vec![0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0],
                vec![0.0, 2.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0],
                vec![1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0],
                vec![0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0],
            ]
        );
        let mut bigrams = CountVectorizer::new(CountVectorizerConfig {
            analysis: AnalyzerConfig {
                ngram_range: (2, 2),
                ..AnalyzerConfig::default()
            },
            ..CountVectorizerConfig::default()
        })
        .unwrap();
        bigrams.fit(&DOCS).unwrap();
        assert_eq!(
            bigrams.get_feature_names_out().unwrap(),
            [
                "and this",
                "document is",
                "first document",
                "is the",
                "is this",
                "second document",
                "the first",
                "the second",
                "the third",
                "third one",
                "this document",
                "this is",
                "this the"
            ]
        );
    }

    #[test]
    fn pruning_and_ties() {
        let docs = ["b a", "a c", "c d", "a"];
        let cfg = |max_features, min_df, max_df| CountVectorizerConfig {
            max_features,
            min_df,
            max_df,
            analysis: AnalyzerConfig {
                token_pattern: r"\b\w+\b".into(),
                ..AnalyzerConfig::default()
            },
            ..CountVectorizerConfig::default()
        };
        let fit = |c| {
            let mut v = CountVectorizer::new(c).unwrap();
            v.fit(&docs).unwrap();
            v.get_feature_names_out().unwrap().to_vec()
        };
        let one = DocFrequency::Proportion(1.0);
        // Totals: a 3, c 2, b 1, d 1: the tie b/d goes to b.
        assert_eq!(
            fit(cfg(Some(3), DocFrequency::Count(1), one)),
            ["a", "b", "c"]
        );
        assert_eq!(fit(cfg(None, DocFrequency::Count(2), one)), ["a", "c"]);
        // max_df 0.5 = 2 documents: a (3 documents) goes.
        assert_eq!(
            fit(cfg(
                None,
                DocFrequency::Count(1),
                DocFrequency::Proportion(0.5)
            )),
            ["b", "c", "d"]
        );
        assert_eq!(
            fit(cfg(None, DocFrequency::Count(1), DocFrequency::Count(1))),
            ["b", "d"]
        );
        let mut v = CountVectorizer::new(cfg(None, DocFrequency::Count(3), DocFrequency::Count(2)))
            .unwrap();
        let e = v.fit(&docs).unwrap_err().to_string();
        assert!(e.contains("fewer documents"), "{e}");
        let mut v = CountVectorizer::new(cfg(None, DocFrequency::Count(4), one)).unwrap();
        let e = v.fit(&docs).unwrap_err().to_string();
        assert!(e.contains("no terms remain"), "{e}");
    }

    #[test]
    fn empty_vocabulary_and_not_fitted() {
        let mut v = CountVectorizer::new(CountVectorizerConfig {
            analysis: AnalyzerConfig {
                stop_words: StopWordList::English,
                ..AnalyzerConfig::default()
            },
            ..CountVectorizerConfig::default()
        })
        .unwrap();
        assert!(matches!(v.transform(&["x"]), Err(MlError::NotFitted)));
        let e = v.fit(&["the of", "a", ""]).unwrap_err().to_string();
        assert!(e.contains("empty vocabulary"), "{e}");
    }

    #[test]
    fn fixed_vocabulary_binary_and_serde() {
        let mut v = CountVectorizer::new(CountVectorizerConfig {
            vocabulary: Some(vec!["the".into(), "document".into(), "zebra".into()]),
            binary: true,
            ..CountVectorizerConfig::default()
        })
        .unwrap();
        let x = v.transform(&DOCS).unwrap();
        assert_eq!(x.to_dense()[1], vec![1.0, 1.0, 0.0]);
        assert_eq!(v.fit_transform(&DOCS).unwrap(), x);
        let dup = CountVectorizer::new(CountVectorizerConfig {
            vocabulary: Some(vec!["a".into(), "a".into()]),
            ..CountVectorizerConfig::default()
        });
        assert!(dup.unwrap_err().to_string().contains("duplicate term"));

        let mut chars = CountVectorizer::new(CountVectorizerConfig {
            analysis: AnalyzerConfig {
                analyzer: AnalyzerKind::CharWb,
                ngram_range: (2, 3),
                ..AnalyzerConfig::default()
            },
            ..CountVectorizerConfig::default()
        })
        .unwrap();
        let x = chars.fit_transform(&DOCS).unwrap();
        let json = serde_json::to_string(&chars).unwrap();
        let back: CountVectorizer = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back.get_feature_names_out().unwrap(),
            chars.get_feature_names_out().unwrap()
        );
        assert_eq!(back.transform(&DOCS).unwrap(), x);
        assert_eq!(back.config(), chars.config());
    }

    #[test]
    fn chunks_cover_every_document_in_order() {
        let docs: Vec<String> = (0..5000).map(|i| "x".repeat(i % 97)).collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let parts = pool.install(|| chunks(&docs));
        assert!(parts.len() > 1);
        assert_eq!(parts.concat(), docs);
        assert_eq!(chunks::<&str>(&[]).len(), 1);
    }

    #[test]
    fn doc_frequency_parses_like_python() {
        assert_eq!("2".parse::<DocFrequency>(), Ok(DocFrequency::Count(2)));
        assert_eq!(
            "1.0".parse::<DocFrequency>(),
            Ok(DocFrequency::Proportion(1.0))
        );
        assert_eq!(
            ".5".parse::<DocFrequency>(),
            Ok(DocFrequency::Proportion(0.5))
        );
        assert!("two".parse::<DocFrequency>().is_err());
        let json = serde_json::to_string(&CountVectorizerConfig::default()).unwrap();
        assert!(
            json.contains("\"min_df\":1,") && json.contains("\"max_df\":1.0"),
            "{json}"
        );
        let back: CountVectorizerConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, CountVectorizerConfig::default());
        let partial: CountVectorizerConfig =
            serde_json::from_str(r#"{"min_df": 2, "ngram_range": [1, 2]}"#).unwrap();
        assert_eq!(partial.min_df, DocFrequency::Count(2));
        assert_eq!(partial.analysis.ngram_range, (1, 2));
        assert!(CountVectorizer::new(CountVectorizerConfig {
            min_df: DocFrequency::Proportion(1.5),
            ..CountVectorizerConfig::default()
        })
        .is_err());
    }
}
