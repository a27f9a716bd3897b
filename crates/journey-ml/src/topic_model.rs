//! A saved topic model: the dictionary it was trained with plus one of the
//! fitted models (Gibbs LDA, online-VB LDA, NMF), as one JSON file, so that
//! `journey topics infer` can turn new text into topic distributions.
//!
//! Written atomically (temporary file + rename); a truncated or foreign file
//! is refused with the path and what was wrong. Cost: O(V · K) to save/load.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::dictionary::{simple_preprocess, tfidf_smooth_l2, tfidf_with_idf, Dictionary};
use crate::error::MlError;
use crate::lda_gibbs::GibbsLda;
use crate::lda_online::OnlineLda;
use crate::nmf::{top_n, Nmf};
use crate::sparse::CsrMatrix;

/// The fitted model inside a topic-model file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", content = "model", rename_all = "snake_case")]
pub enum FittedTopics {
    LdaGibbs(GibbsLda),
    LdaOnline(OnlineLda),
    Nmf(Nmf),
}

/// Dictionary + model + how the text was tokenised.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TopicModel {
    pub format: String,
    pub deaccent: bool,
    pub dictionary: Dictionary,
    /// The training idf of an NMF model's TF-IDF input, reused for new text.
    #[serde(default)]
    pub idf: Option<Vec<f64>>,
    pub fitted: FittedTopics,
}

const FORMAT: &str = "journey-topic-model/1";

impl TopicModel {
    /// Wraps a fitted model.
    pub fn new(dictionary: Dictionary, deaccent: bool, fitted: FittedTopics) -> Self {
        Self {
            format: FORMAT.into(),
            deaccent,
            dictionary,
            idf: None,
            fitted,
        }
    }

    /// Number of topics.
    pub fn n_topics(&self) -> usize {
        match &self.fitted {
            FittedTopics::LdaGibbs(m) => m.config.n_topics,
            FittedTopics::LdaOnline(m) => m.config.n_topics,
            FittedTopics::Nmf(m) => m.config.n_components,
        }
    }

    /// Topic–word weights, K × V row-major (distributions for LDA, H for NMF).
    pub fn topic_word(&self) -> Vec<f64> {
        match &self.fitted {
            FittedTopics::LdaGibbs(m) => m.topic_word(),
            FittedTopics::LdaOnline(m) => m.topic_word(),
            FittedTopics::Nmf(m) => m.components.clone(),
        }
    }

    /// The `n` top words of each topic.
    pub fn top_words(&self, n: usize) -> Vec<Vec<(String, f64)>> {
        let v = self.dictionary.len();
        let tw = self.topic_word();
        (0..self.n_topics())
            .map(|t| {
                top_n(&tw[t * v..(t + 1) * v], n)
                    .into_iter()
                    .map(|(w, p)| (self.dictionary.tokens()[w].clone(), p))
                    .collect()
            })
            .collect()
    }

    /// Tokenises documents the way the model was trained.
    pub fn tokenize(&self, docs: &[String]) -> Vec<Vec<String>> {
        docs.iter()
            .map(|d| simple_preprocess(d, self.deaccent))
            .collect()
    }

    /// Document–topic distributions (n × K, rows sum to 1; NMF's W rows are
    /// normalised, an empty document gets zeros).
    pub fn infer(&self, texts: &[Vec<String>]) -> Result<Vec<f64>, MlError> {
        let counts: CsrMatrix = self.dictionary.bow_matrix(texts)?;
        let k = self.n_topics();
        match &self.fitted {
            FittedTopics::LdaGibbs(m) => m.transform(&counts),
            FittedTopics::LdaOnline(m) => m.transform(&counts),
            FittedTopics::Nmf(m) => {
                // The training idf when stored, else the documents' own.
                let x = match &self.idf {
                    Some(idf) => tfidf_with_idf(&counts, idf),
                    None => tfidf_smooth_l2(&counts),
                };
                let mut w = m.transform(&x)?;
                for row in w.chunks_mut(k) {
                    let s: f64 = row.iter().sum();
                    if s > 0.0 {
                        row.iter_mut().for_each(|x| *x /= s);
                    }
                }
                Ok(w)
            }
        }
    }

    /// Saves as JSON (atomic write).
    pub fn save(&self, path: &Path) -> Result<(), MlError> {
        let json = serde_json::to_vec(self)
            .map_err(|e| MlError::Invalid(format!("cannot serialise topic model: {e}")))?;
        crate::error::write_atomic(path, &json)
    }

    /// Loads a file written by `save`.
    pub fn load(path: &Path) -> Result<Self, MlError> {
        let bytes = std::fs::read(path).map_err(|e| MlError::io(path, e))?;
        let mut m: TopicModel = serde_json::from_slice(&bytes).map_err(|e| {
            let what = if e.is_eof() {
                "the file ends early (truncated?)"
            } else {
                "not a journey topic model"
            };
            MlError::parse(path, e.line(), format!("{what}: {e}"))
        })?;
        if m.format != FORMAT {
            return Err(MlError::parse(
                path,
                1,
                format!(
                    "unknown topic model format {:?} (expected {FORMAT})",
                    m.format
                ),
            ));
        }
        let bad = |e: MlError| MlError::parse(path, 1, e.to_string());
        m.dictionary.after_load().map_err(bad)?;
        let v = m.dictionary.len();
        let width = match &mut m.fitted {
            FittedTopics::LdaGibbs(g) => {
                g.check().map_err(bad)?;
                g.n_features
            }
            FittedTopics::LdaOnline(o) => {
                o.after_load().map_err(bad)?;
                o.n_features
            }
            FittedTopics::Nmf(n) => {
                if n.components.len() != n.config.n_components * n.n_features {
                    return Err(MlError::parse(
                        path,
                        1,
                        "NMF components have the wrong size",
                    ));
                }
                n.n_features
            }
        };
        if m.idf.as_ref().is_some_and(|idf| idf.len() != v) {
            return Err(MlError::parse(
                path,
                1,
                "the stored idf does not match the dictionary",
            ));
        }
        if width != v {
            return Err(MlError::parse(
                path,
                1,
                format!("the model has {width} terms but its dictionary {v}"),
            ));
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lda_gibbs::GibbsLdaConfig;

    #[test]
    fn round_trip_and_truncation() {
        let texts: Vec<Vec<String>> = ["apple banana apple", "car engine car", "banana apple"]
            .iter()
            .map(|s| simple_preprocess(s, false))
            .collect();
        let dict = Dictionary::from_documents(&texts);
        let x = dict.bow_matrix(&texts).unwrap();
        let cfg = GibbsLdaConfig {
            n_topics: 2,
            iterations: 5,
            ..Default::default()
        };
        let m = TopicModel::new(
            dict,
            false,
            FittedTopics::LdaGibbs(GibbsLda::fit(&x, &cfg).unwrap()),
        );
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.json");
        m.save(&p).unwrap();
        let back = TopicModel::load(&p).unwrap();
        assert_eq!(back.top_words(2), m.top_words(2));
        let bytes = std::fs::read(&p).unwrap();
        std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
        let err = TopicModel::load(&p).unwrap_err().to_string();
        assert!(err.contains("truncated") && err.contains("m.json"), "{err}");
    }
}
