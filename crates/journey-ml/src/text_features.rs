//! Text → feature rows for the classifiers: the [`TextFeaturizer`] trait and
//! [`TextFeatures`], the featurizer a saved text classifier carries.
//!
//! Today the one featurizer is scikit-learn's `TfidfVectorizer`
//! ([`crate::tfidf`]: word or character n-grams, document-frequency pruning,
//! stop words, sublinear tf, l1/l2 norms), with every setting it was built
//! with saved in the model file. `TextFeatures` is tagged by name in JSON so
//! that other featurizers (hashing, counts) can join without breaking old
//! files.
//!
//! Fitting is O(total tokens) time and O(vocabulary) memory; transforming is
//! O(tokens) per document, in parallel over documents.

use serde::{Deserialize, Serialize};

use crate::error::MlError;
use crate::sparse::CsrMatrix;
use crate::tfidf::{TfidfVectorizer, TfidfVectorizerConfig};

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

/// The featurizers a text classifier can carry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "featurizer", rename_all = "snake_case")]
pub enum TextFeatures {
    Tfidf(TfidfVectorizer),
}

impl Default for TextFeatures {
    /// scikit-learn's `TfidfVectorizer()`.
    fn default() -> Self {
        TextFeatures::Tfidf(
            TfidfVectorizer::new(TfidfVectorizerConfig::default())
                .expect("the default settings are valid"),
        )
    }
}

impl TextFeatures {
    /// TF-IDF with the given settings (checked: e.g. the token pattern).
    pub fn tfidf(config: TfidfVectorizerConfig) -> Result<Self, MlError> {
        Ok(TextFeatures::Tfidf(TfidfVectorizer::new(config)?))
    }

    fn inner(&self) -> &dyn TextFeaturizer {
        match self {
            TextFeatures::Tfidf(f) => f,
        }
    }

    fn inner_mut(&mut self) -> &mut dyn TextFeaturizer {
        match self {
            TextFeatures::Tfidf(f) => f,
        }
    }

    /// A readable description, e.g. "TF-IDF, word 1–2-grams (12,345 terms)"
    /// or "TF-IDF, char_wb 2–4-grams (…)".
    pub fn describe(&self) -> String {
        match self {
            TextFeatures::Tfidf(f) => {
                let a = &f.count_vectorizer().config().analysis;
                let (lo, hi) = a.ngram_range;
                let grams = if (lo, hi) == (1, 1) {
                    "unigrams".to_string()
                } else if (lo, hi) == (2, 2) {
                    "bigrams".to_string()
                } else if lo == hi {
                    format!("{lo}-grams")
                } else {
                    format!("{lo}–{hi}-grams")
                };
                format!(
                    "TF-IDF, {} {grams} ({} terms)",
                    a.analyzer.name(),
                    f.n_features()
                )
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

impl TextFeaturizer for TfidfVectorizer {
    fn fit_transform(&mut self, docs: &[&str]) -> Result<CsrMatrix, MlError> {
        TfidfVectorizer::fit_transform(self, docs)
    }
    fn transform(&self, docs: &[&str]) -> Result<CsrMatrix, MlError> {
        TfidfVectorizer::transform(self, docs)
    }
    fn n_features(&self) -> usize {
        self.get_feature_names_out().map_or(0, <[String]>::len)
    }
    fn feature_names(&self) -> Option<&[String]> {
        self.get_feature_names_out().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_sklearn_tfidf_and_round_trips() {
        let mut f = TextFeatures::default();
        let m = f.fit_transform(&["aa bb bb", "bb cc", ""]).unwrap();
        assert_eq!(f.feature_names().unwrap(), ["aa", "bb", "cc"]);
        // n = 3: idf(aa) = ln(4/2) + 1, idf(bb) = ln(4/3) + 1.
        let (ia, ib) = (2f64.ln() + 1.0, (4.0f64 / 3.0).ln() + 1.0);
        let norm = (ia * ia + 4.0 * ib * ib).sqrt();
        assert!((m.get(0, 0) - ia / norm).abs() < 1e-15);
        assert!((m.get(0, 1) - 2.0 * ib / norm).abs() < 1e-15);
        assert_eq!(m.row(2).0.len(), 0, "empty document, empty row");
        let json = serde_json::to_string(&f).unwrap();
        assert!(json.contains(r#""featurizer":"tfidf""#), "{json}");
        let back: TextFeatures = serde_json::from_str(&json).unwrap();
        assert_eq!(
            back.transform(&["cc aa zz"]).unwrap(),
            f.transform(&["cc aa zz"]).unwrap()
        );
        assert!(TextFeatures::default().transform(&["a b"]).is_err());
        assert!(TextFeatures::default().fit_transform(&["a b"]).is_err());
    }
}
