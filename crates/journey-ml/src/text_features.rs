//! Text → feature rows for the classifiers: the [`TextFeaturizer`] trait and
//! [`TextFeatures`], the featurizer a saved text classifier carries.
//!
//! HOOK: `TextFeatures` has one variant today, [`UnigramTfidf`], a minimal
//! stand-in with the semantics of scikit-learn's default
//! `TfidfVectorizer()`. When the crate's full vectorizers (`tfidf.rs`,
//! `count_vectorizer.rs`, `hashing_vectorizer.rs`) are in, add them as
//! variants here (implementing `TextFeaturizer`) and make the command line
//! build them; model files name their featurizer, so old files keep loading.
//!
//! `UnigramTfidf` (Salton & Buckley, *Term-weighting approaches in automatic
//! text retrieval*, 1988, with scikit-learn's smoothing):
//! - tokens: the text lower-cased, then maximal runs of two or more word
//!   characters — scikit-learn's `(?u)\b\w\w+\b` with Python's `\w`
//!   (letters, numbers, underscore: `[\p{L}\p{N}_]`);
//! - vocabulary: every token of the training texts, sorted;
//! - `idf(t) = ln((1 + n) / (1 + df(t))) + 1`; value = count · idf, each row
//!   scaled to unit L2 norm.
//!
//! Fitting is O(total tokens) time and O(vocabulary) memory; transforming is
//! O(tokens) per document, in parallel over documents.

use rayon::prelude::*;
use regex::Regex;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::MlError;
use crate::sparse::{CsrMatrix, Norm};

/// Turns texts into a document-term matrix.
pub trait TextFeaturizer {
    /// Learns the vocabulary (and weights) from `docs` and transforms them.
    fn fit_transform(&mut self, docs: &[&str]) -> Result<CsrMatrix, MlError>;
    /// Transforms with what `fit_transform` learned.
    fn transform(&self, docs: &[&str]) -> Result<CsrMatrix, MlError>;
    /// Columns of the matrices it produces (0 before fitting).
    fn n_features(&self) -> usize;
    /// The term of each column, where there is one.
    fn feature_names(&self) -> Option<&[String]>;
}

/// The featurizers a text classifier can carry (see the module's HOOK note).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "featurizer", rename_all = "snake_case")]
pub enum TextFeatures {
    UnigramTfidf(UnigramTfidf),
}

impl Default for TextFeatures {
    fn default() -> Self {
        TextFeatures::UnigramTfidf(UnigramTfidf::default())
    }
}

impl TextFeatures {
    fn inner(&self) -> &dyn TextFeaturizer {
        match self {
            TextFeatures::UnigramTfidf(f) => f,
        }
    }

    fn inner_mut(&mut self) -> &mut dyn TextFeaturizer {
        match self {
            TextFeatures::UnigramTfidf(f) => f,
        }
    }

    /// A readable description, e.g. "unigram TF-IDF (12,345 terms)".
    pub fn describe(&self) -> String {
        match self {
            TextFeatures::UnigramTfidf(f) => {
                format!("unigram TF-IDF ({} terms)", f.vocabulary.len())
            }
        }
    }
}

impl TextFeaturizer for TextFeatures {
    fn fit_transform(&mut self, docs: &[&str]) -> Result<CsrMatrix, MlError> {
        self.inner_mut().fit_transform(docs)
    }
    fn transform(&self, docs: &[&str]) -> Result<CsrMatrix, MlError> {
        self.inner().transform(docs)
    }
    fn n_features(&self) -> usize {
        self.inner().n_features()
    }
    fn feature_names(&self) -> Option<&[String]> {
        self.inner().feature_names()
    }
}

/// Unigram TF-IDF with scikit-learn's default settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "UnigramTfidfData", into = "UnigramTfidfData")]
pub struct UnigramTfidf {
    vocabulary: Vec<String>,
    idf: Vec<f64>,
    index: FxHashMap<String, u32>,
}

#[derive(Serialize, Deserialize)]
struct UnigramTfidfData {
    vocabulary: Vec<String>,
    idf: Vec<f64>,
}

impl From<UnigramTfidfData> for UnigramTfidf {
    fn from(d: UnigramTfidfData) -> Self {
        let index = d
            .vocabulary
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        UnigramTfidf {
            vocabulary: d.vocabulary,
            idf: d.idf,
            index,
        }
    }
}

impl From<UnigramTfidf> for UnigramTfidfData {
    fn from(u: UnigramTfidf) -> Self {
        UnigramTfidfData {
            vocabulary: u.vocabulary,
            idf: u.idf,
        }
    }
}

fn token_regex() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[\p{L}\p{N}_]{2,}").expect("static pattern"))
}

/// scikit-learn's default analyzer: lower-case, then `(?u)\b\w\w+\b`.
pub fn sklearn_tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    token_regex()
        .find_iter(&lower)
        .map(|m| m.as_str().to_string())
        .collect()
}

impl UnigramTfidf {
    pub fn vocabulary(&self) -> &[String] {
        &self.vocabulary
    }

    pub fn idf(&self) -> &[f64] {
        &self.idf
    }

    /// Term counts of one document as sorted `(column, count)`.
    fn counts(&self, text: &str) -> Vec<(u32, f64)> {
        let mut row: FxHashMap<u32, f64> = FxHashMap::default();
        let lower = text.to_lowercase();
        for m in token_regex().find_iter(&lower) {
            if let Some(&c) = self.index.get(m.as_str()) {
                *row.entry(c).or_insert(0.0) += 1.0;
            }
        }
        let mut row: Vec<(u32, f64)> = row.into_iter().collect();
        row.sort_unstable_by_key(|&(c, _)| c);
        row
    }
}

impl TextFeaturizer for UnigramTfidf {
    fn fit_transform(&mut self, docs: &[&str]) -> Result<CsrMatrix, MlError> {
        if docs.is_empty() {
            return Err(MlError::Empty(
                "no documents to learn a vocabulary from".into(),
            ));
        }
        // Document frequency of each term.
        let per_doc: Vec<Vec<String>> = docs
            .par_iter()
            .map(|d| {
                let mut t = sklearn_tokens(d);
                t.sort_unstable();
                t.dedup();
                t
            })
            .collect();
        let mut df: FxHashMap<&str, usize> = FxHashMap::default();
        for terms in &per_doc {
            for t in terms {
                *df.entry(t.as_str()).or_insert(0) += 1;
            }
        }
        if df.is_empty() {
            return Err(MlError::Empty(
                "the documents contain no words (tokens of two or more letters or digits)".into(),
            ));
        }
        let mut vocab: Vec<(&str, usize)> = df.into_iter().collect();
        vocab.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let n = docs.len() as f64;
        self.idf = vocab
            .iter()
            .map(|&(_, d)| ((1.0 + n) / (1.0 + d as f64)).ln() + 1.0)
            .collect();
        self.vocabulary = vocab.iter().map(|(t, _)| t.to_string()).collect();
        self.index = self
            .vocabulary
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        self.transform(docs)
    }

    fn transform(&self, docs: &[&str]) -> Result<CsrMatrix, MlError> {
        if self.vocabulary.is_empty() {
            return Err(MlError::NotFitted);
        }
        let rows: Vec<Vec<(u32, f64)>> = docs
            .par_iter()
            .map(|d| {
                let mut row = self.counts(d);
                for (c, v) in &mut row {
                    *v *= self.idf[*c as usize];
                }
                row
            })
            .collect();
        let mut m = CsrMatrix::from_rows(self.vocabulary.len(), rows)?;
        m.normalize_rows(Norm::L2);
        Ok(m)
    }

    fn n_features(&self) -> usize {
        self.vocabulary.len()
    }

    fn feature_names(&self) -> Option<&[String]> {
        Some(&self.vocabulary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_like_sklearn() {
        // sklearn: TfidfVectorizer().build_analyzer()("Don't x_y ÉTÉ a 4²5 naïve")
        // → ['don', 'x_y', 'été', '4²5', 'naïve'].
        assert_eq!(
            sklearn_tokens("Don't x_y ÉTÉ a 4²5 naïve"),
            ["don", "x_y", "été", "4²5", "naïve"]
        );
    }

    #[test]
    fn idf_and_norm_by_hand() {
        let mut f = UnigramTfidf::default();
        let m = f.fit_transform(&["aa bb bb", "bb cc", ""]).unwrap();
        assert_eq!(f.vocabulary(), ["aa", "bb", "cc"]);
        // n = 3: idf(aa) = ln(4/2) + 1, idf(bb) = ln(4/3) + 1.
        let (ia, ib) = (2f64.ln() + 1.0, (4.0f64 / 3.0).ln() + 1.0);
        assert!((f.idf()[0] - ia).abs() < 1e-15 && (f.idf()[1] - ib).abs() < 1e-15);
        let norm = (ia * ia + 4.0 * ib * ib).sqrt();
        assert!((m.get(0, 0) - ia / norm).abs() < 1e-15);
        assert!((m.get(0, 1) - 2.0 * ib / norm).abs() < 1e-15);
        assert_eq!(m.row(2).0.len(), 0, "empty document, empty row");
        let json = serde_json::to_string(&TextFeatures::UnigramTfidf(f.clone())).unwrap();
        let back: TextFeatures = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back.transform(&["cc aa zz"]).unwrap(),
            f.transform(&["cc aa zz"]).unwrap()
        );
        assert!(UnigramTfidf::default().fit_transform(&["a b"]).is_err());
    }
}
