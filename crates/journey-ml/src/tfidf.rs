//! TF-IDF: term counts weighted by how rare each term is across documents
//! (Spärck Jones, "A statistical interpretation of term specificity and its
//! application in retrieval", *Journal of Documentation* 28, 1972; Salton &
//! Buckley, "Term-weighting approaches in automatic text retrieval", 1988).
//!
//! With scikit-learn's definitions (`TfidfTransformer`), for `n` documents and
//! a term found in `df` of them:
//!
//! - `idf = ln((1 + n) / (1 + df)) + 1` with `smooth_idf` (as if one extra
//!   document held every term once), `ln(n / df) + 1` without; the `+ 1` keeps
//!   terms found in every document from vanishing;
//! - `tf` is the count, or `1 + ln(count)` with `sublinear_tf`;
//! - each row `tf · idf` is then scaled to unit L2 (or L1) norm.
//!
//! [`TfidfVectorizer`] is a [`CountVectorizer`] followed by a
//! [`TfidfTransformer`]. Cost: O(nnz) on top of counting; memory O(columns)
//! for the idf vector.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::count_vectorizer::{CountVectorizer, CountVectorizerConfig};
use crate::error::MlError;
use crate::sparse::{CsrMatrix, Norm};

/// Settings of [`TfidfTransformer`]; `Default` is scikit-learn's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TfidfConfig {
    pub norm: Norm,
    pub use_idf: bool,
    pub smooth_idf: bool,
    pub sublinear_tf: bool,
}

impl Default for TfidfConfig {
    fn default() -> Self {
        TfidfConfig {
            norm: Norm::L2,
            use_idf: true,
            smooth_idf: true,
            sublinear_tf: false,
        }
    }
}

/// scikit-learn's `TfidfTransformer`: counts in, TF-IDF out.
///
/// A model file stores the document frequencies (whole numbers) and the
/// number of documents, not the idf weights: the weights are recomputed on
/// loading, so a saved transformer gives bit-identical results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "TfidfState", into = "TfidfState")]
pub struct TfidfTransformer {
    config: TfidfConfig,
    /// Columns seen by `fit` (None: not fitted).
    n_features: Option<usize>,
    n_samples: usize,
    /// Documents containing each column, when `use_idf`.
    df: Option<Vec<usize>>,
    /// One weight per column, when `use_idf`.
    idf: Option<Vec<f64>>,
}

#[derive(Serialize, Deserialize)]
struct TfidfState {
    config: TfidfConfig,
    n_features: Option<usize>,
    n_samples: usize,
    df: Option<Vec<usize>>,
}

impl From<TfidfTransformer> for TfidfState {
    fn from(t: TfidfTransformer) -> Self {
        TfidfState {
            config: t.config,
            n_features: t.n_features,
            n_samples: t.n_samples,
            df: t.df,
        }
    }
}

impl From<TfidfState> for TfidfTransformer {
    fn from(s: TfidfState) -> Self {
        let idf =
            s.df.as_deref()
                .map(|df| idf_weights(df, s.n_samples, s.config.smooth_idf));
        TfidfTransformer {
            config: s.config,
            n_features: s.n_features,
            n_samples: s.n_samples,
            df: s.df,
            idf,
        }
    }
}

/// `ln((n + s) / (df + s)) + 1`, with `s = 1` when smoothing (scikit-learn's
/// order of operations: divide, log, add one).
fn idf_weights(df: &[usize], n_samples: usize, smooth: bool) -> Vec<f64> {
    let s = if smooth { 1.0 } else { 0.0 };
    let n = n_samples as f64 + s;
    df.iter()
        .map(|&d| (n / (d as f64 + s)).ln() + 1.0)
        .collect()
}

impl TfidfTransformer {
    pub fn new(config: TfidfConfig) -> Self {
        TfidfTransformer {
            config,
            n_features: None,
            n_samples: 0,
            df: None,
            idf: None,
        }
    }

    pub fn config(&self) -> &TfidfConfig {
        &self.config
    }

    /// The idf weights, column by column (after `fit`, with `use_idf`).
    pub fn idf(&self) -> Option<&[f64]> {
        self.idf.as_deref()
    }

    /// Learns the idf weights from a count matrix.
    pub fn fit(&mut self, counts: &CsrMatrix) -> &mut Self {
        self.n_features = Some(counts.n_cols());
        self.n_samples = counts.n_rows();
        self.df = self.config.use_idf.then(|| counts.column_nnz());
        self.idf = self
            .df
            .as_deref()
            .map(|df| idf_weights(df, self.n_samples, self.config.smooth_idf));
        self
    }

    /// Weights and normalises a count matrix with the same columns as in `fit`.
    pub fn transform(&self, counts: &CsrMatrix) -> Result<CsrMatrix, MlError> {
        let n_features = self.n_features.ok_or(MlError::NotFitted)?;
        if counts.n_cols() != n_features {
            return Err(MlError::Shape(format!(
                "the matrix has {} columns but the transformer was fitted on {n_features}",
                counts.n_cols()
            )));
        }
        let mut out = counts.clone();
        let indptr = counts.indptr();
        // Split the values into one mutable slice per row, then work on the
        // rows in parallel.
        let mut rows: Vec<&mut [f64]> = Vec::with_capacity(counts.n_rows());
        let mut rest = out.data_mut();
        for w in indptr.windows(2) {
            let (row, tail) = rest.split_at_mut(w[1] - w[0]);
            rows.push(row);
            rest = tail;
        }
        let (cfg, idf) = (self.config, self.idf.as_deref());
        rows.into_par_iter().enumerate().for_each(|(r, vals)| {
            let cols = counts.row(r).0;
            if cfg.sublinear_tf {
                vals.iter_mut().for_each(|v| *v = v.ln() + 1.0);
            }
            if let Some(idf) = idf {
                for (v, &c) in vals.iter_mut().zip(cols) {
                    *v *= idf[c as usize];
                }
            }
            let norm = match cfg.norm {
                Norm::None => return,
                Norm::L1 => vals.iter().map(|v| v.abs()).sum::<f64>(),
                Norm::L2 => vals.iter().map(|v| v * v).sum::<f64>().sqrt(),
            };
            if norm != 0.0 {
                vals.iter_mut().for_each(|v| *v /= norm);
            }
        });
        Ok(out)
    }

    pub fn fit_transform(&mut self, counts: &CsrMatrix) -> Result<CsrMatrix, MlError> {
        self.fit(counts).transform(counts)
    }
}

/// Settings of [`TfidfVectorizer`]: the counting settings and the weighting
/// settings side by side (flat in JSON, as scikit-learn's parameters are).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TfidfVectorizerConfig {
    #[serde(flatten)]
    pub count: CountVectorizerConfig,
    #[serde(flatten)]
    pub tfidf: TfidfConfig,
}

/// scikit-learn's `TfidfVectorizer`: [`CountVectorizer`] then [`TfidfTransformer`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TfidfVectorizer {
    count: CountVectorizer,
    tfidf: TfidfTransformer,
}

impl TfidfVectorizer {
    pub fn new(config: TfidfVectorizerConfig) -> Result<Self, MlError> {
        Ok(TfidfVectorizer {
            count: CountVectorizer::new(config.count)?,
            tfidf: TfidfTransformer::new(config.tfidf),
        })
    }

    /// The counting half (vocabulary, analyzer).
    pub fn count_vectorizer(&self) -> &CountVectorizer {
        &self.count
    }

    /// The weighting half (idf weights).
    pub fn transformer(&self) -> &TfidfTransformer {
        &self.tfidf
    }

    pub fn get_feature_names_out(&self) -> Result<&[String], MlError> {
        self.count.get_feature_names_out()
    }

    /// The idf weights, column by column (after `fit`, with `use_idf`).
    pub fn idf(&self) -> Option<&[f64]> {
        self.tfidf.idf()
    }

    pub fn fit<S: AsRef<str> + Sync>(&mut self, docs: &[S]) -> Result<&mut Self, MlError> {
        let counts = self.count.fit_transform(docs)?;
        self.tfidf.fit(&counts);
        Ok(self)
    }

    pub fn fit_transform<S: AsRef<str> + Sync>(
        &mut self,
        docs: &[S],
    ) -> Result<CsrMatrix, MlError> {
        let counts = self.count.fit_transform(docs)?;
        self.tfidf.fit(&counts).transform(&counts)
    }

    pub fn transform<S: AsRef<str> + Sync>(&self, docs: &[S]) -> Result<CsrMatrix, MlError> {
        let counts = self.count.transform(docs)?;
        self.tfidf.transform(&counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_formulas() {
        // Column 0 in both documents, column 1 in one of them.
        let counts = CsrMatrix::from_dense(&[vec![3.0, 0.0], vec![1.0, 2.0]]).unwrap();
        let mut t = TfidfTransformer::new(TfidfConfig::default());
        t.fit(&counts);
        let idf = t.idf().unwrap();
        assert!((idf[0] - 1.0).abs() < 1e-15);
        assert!((idf[1] - ((3.0f64 / 2.0).ln() + 1.0)).abs() < 1e-15);
        let mut raw = TfidfTransformer::new(TfidfConfig {
            smooth_idf: false,
            sublinear_tf: true,
            norm: Norm::None,
            ..TfidfConfig::default()
        });
        let x = raw.fit_transform(&counts).unwrap();
        assert!((x.get(0, 0) - (3.0f64.ln() + 1.0)).abs() < 1e-15);
        assert!((x.get(1, 1) - (2.0f64.ln() + 1.0) * (2.0f64.ln() + 1.0)).abs() < 1e-15);
        let l1 = TfidfTransformer::new(TfidfConfig {
            norm: Norm::L1,
            use_idf: false,
            ..TfidfConfig::default()
        })
        .fit_transform(&counts)
        .unwrap();
        assert_eq!(
            l1.to_dense(),
            vec![vec![1.0, 0.0], vec![1.0 / 3.0, 2.0 / 3.0]]
        );
        let wide = CsrMatrix::zeros(1, 3);
        assert!(matches!(t.transform(&wide), Err(MlError::Shape(_))));
        let unfitted = TfidfTransformer::new(TfidfConfig::default());
        assert!(matches!(
            unfitted.transform(&counts),
            Err(MlError::NotFitted)
        ));
    }

    #[test]
    fn sklearn_documentation_example() {
        // scikit-learn's TfidfVectorizer docstring corpus; the weights of its
        // first row, printed by scikit-learn 1.7.2 with repr().
        let docs = [
            "This is the first document.",
            "This document is the second document.",
            "And this is the third one.",
            "Is this the first document?",
        ];
        let mut v = TfidfVectorizer::new(TfidfVectorizerConfig::default()).unwrap();
        let x = v.fit_transform(&docs).unwrap();
        let expected = [
            0.0,
            0.46979138557992045,
            0.5802858236844359,
            0.38408524091481483,
            0.0,
            0.0,
            0.38408524091481483,
            0.0,
            0.38408524091481483,
        ];
        for (c, e) in expected.iter().enumerate() {
            assert!((x.get(0, c) - e).abs() < 1e-15, "column {c}");
        }
        let json = serde_json::to_string(&v).unwrap();
        let back: TfidfVectorizer = serde_json::from_str(&json).unwrap();
        assert_eq!(back.transform(&docs).unwrap(), x);
        let cfg: TfidfVectorizerConfig =
            serde_json::from_str(r#"{"sublinear_tf": true, "binary": true}"#).unwrap();
        assert!(cfg.tfidf.sublinear_tf && cfg.count.binary && cfg.tfidf.use_idf);
    }
}
