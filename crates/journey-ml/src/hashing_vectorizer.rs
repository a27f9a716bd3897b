//! The hashing trick: features mapped to columns by a hash function instead of
//! a vocabulary (Weinberger, Dasgupta, Langford, Smola & Attenberg, "Feature
//! Hashing for Large Scale Multitask Learning", ICML 2009).
//!
//! scikit-learn's `HashingVectorizer`, exactly: each feature (from the same
//! [`Analyzer`] as the other vectorizers) is hashed with signed 32-bit
//! MurmurHash3 (seed 0) over its UTF-8 bytes, `h`; its column is
//! `|h| mod n_features` (for `h = -2^31`, `(2^31 - 1 - (n_features - 1)) mod
//! n_features`, scikit-learn's definition); with `alternate_sign` it adds
//! `+1` when `h ≥ 0` and `-1` otherwise, so that collisions cancel out in
//! expectation and inner products are preserved. Entries of one column are
//! summed; a sum of zero stays stored, as an explicit zero (scipy's
//! `sum_duplicates` keeps it), and `binary` then sets every stored entry,
//! that one included, to 1. Rows are finally normalised (`norm`, L2 by
//! default).
//!
//! There is nothing to fit: no vocabulary, O(1) memory per feature, and
//! documents can be transformed independently (streaming, parallel). The
//! price: columns cannot be mapped back to terms, and unrelated terms collide.
//!
//! Cost: one hash per feature, O(k log k) per document of k features.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analyzer::{Analyzer, AnalyzerConfig, Scratch};
use crate::count_vectorizer::chunks;
use crate::error::MlError;
use crate::murmur3::murmurhash3_32_signed;
use crate::sparse::{CsrMatrix, Norm};

/// Settings of [`HashingVectorizer`]; `Default` is scikit-learn's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HashingVectorizerConfig {
    #[serde(flatten)]
    pub analysis: AnalyzerConfig,
    /// Number of columns, 1 ..= 2^31 − 1 (default 2^20).
    pub n_features: usize,
    pub binary: bool,
    pub norm: Norm,
    pub alternate_sign: bool,
}

impl Default for HashingVectorizerConfig {
    fn default() -> Self {
        HashingVectorizerConfig {
            analysis: AnalyzerConfig::default(),
            n_features: 1 << 20,
            binary: false,
            norm: Norm::L2,
            alternate_sign: true,
        }
    }
}

/// scikit-learn's `HashingVectorizer` (stateless: `transform` needs no `fit`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "HashingVectorizerConfig", into = "HashingVectorizerConfig")]
pub struct HashingVectorizer {
    config: HashingVectorizerConfig,
    analyzer: Analyzer,
}

impl From<HashingVectorizer> for HashingVectorizerConfig {
    fn from(v: HashingVectorizer) -> Self {
        v.config
    }
}

impl TryFrom<HashingVectorizerConfig> for HashingVectorizer {
    type Error = MlError;
    fn try_from(c: HashingVectorizerConfig) -> Result<Self, MlError> {
        HashingVectorizer::new(c)
    }
}

/// The column and sign scikit-learn gives a feature.
#[inline]
pub fn hash_feature(feature: &str, n_features: usize) -> (u32, bool) {
    let h = murmurhash3_32_signed(feature.as_bytes(), 0);
    let n = n_features as i64;
    let col = if h == i32::MIN {
        (i32::MAX as i64 - (n - 1)) % n
    } else {
        (h as i64).abs() % n
    };
    (col as u32, h >= 0)
}

impl HashingVectorizer {
    pub fn new(config: HashingVectorizerConfig) -> Result<Self, MlError> {
        if config.n_features == 0 || config.n_features > i32::MAX as usize {
            return Err(MlError::Config(format!(
                "n_features = {}: it must lie in 1 ..= 2147483647",
                config.n_features
            )));
        }
        let analyzer = Analyzer::new(config.analysis.clone())?;
        Ok(HashingVectorizer { config, analyzer })
    }

    pub fn config(&self) -> &HashingVectorizerConfig {
        &self.config
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// Nothing to learn; kept for the sklearn verbs.
    pub fn fit<S: AsRef<str> + Sync>(&mut self, _docs: &[S]) -> Result<&mut Self, MlError> {
        Ok(self)
    }

    pub fn fit_transform<S: AsRef<str> + Sync>(
        &mut self,
        docs: &[S],
    ) -> Result<CsrMatrix, MlError> {
        self.transform(docs)
    }

    /// The hashed, signed, normalised feature matrix of `docs`.
    pub fn transform<S: AsRef<str> + Sync>(&self, docs: &[S]) -> Result<CsrMatrix, MlError> {
        let cfg = &self.config;
        let parts: Vec<(Vec<usize>, Vec<u32>, Vec<f64>)> = chunks(docs)
            .into_par_iter()
            .map(|chunk| {
                let mut scratch = Scratch::default();
                let mut entries: Vec<(u32, i32)> = Vec::new();
                let mut lens = Vec::with_capacity(chunk.len());
                let (mut cols, mut vals) = (Vec::new(), Vec::<f64>::new());
                for doc in chunk {
                    entries.clear();
                    self.analyzer
                        .for_each_feature_with(doc.as_ref(), &mut scratch, |f| {
                            let (col, positive) = hash_feature(f, cfg.n_features);
                            let sign = if positive || !cfg.alternate_sign {
                                1
                            } else {
                                -1
                            };
                            entries.push((col, sign));
                        });
                    entries.sort_unstable_by_key(|&(c, _)| c);
                    let start = cols.len();
                    for &(c, s) in &entries {
                        if cols.len() > start && *cols.last().unwrap() == c {
                            *vals.last_mut().unwrap() += s as f64;
                        } else {
                            cols.push(c);
                            vals.push(s as f64);
                        }
                    }
                    let row = &mut vals[start..];
                    if cfg.binary {
                        row.fill(1.0);
                    }
                    let norm = match cfg.norm {
                        Norm::None => 0.0,
                        Norm::L1 => row.iter().map(|v| v.abs()).sum::<f64>(),
                        Norm::L2 => row.iter().map(|v| v * v).sum::<f64>().sqrt(),
                    };
                    if norm != 0.0 {
                        row.iter_mut().for_each(|v| *v /= norm);
                    }
                    lens.push(cols.len() - start);
                }
                (lens, cols, vals)
            })
            .collect();
        crate::count_vectorizer::concat_chunks(parts, cfg.n_features)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_signs_follow_sklearn() {
        // sklearn.utils.murmurhash3_32("the", 0) = -1132748958 (checked with
        // scikit-learn 1.7.2), so "the" goes to 1132748958 mod n, sign −1.
        assert_eq!(
            hash_feature("the", 1 << 18),
            (1132748958 % (1 << 18), false)
        );
        let v = HashingVectorizer::new(HashingVectorizerConfig {
            n_features: 1 << 18,
            norm: Norm::None,
            ..HashingVectorizerConfig::default()
        })
        .unwrap();
        let x = v.transform(&["the the cat"]).unwrap();
        assert_eq!(x.get(0, 1132748958 % (1 << 18)), -2.0);
        assert_eq!(x.row(0).0.len(), 2);
    }

    #[test]
    fn collisions_keep_explicit_zeros_and_binary_counts_them() {
        // With two columns, opposite-signed features collide often; find one pair.
        let words: Vec<String> = (0..50).map(|i| format!("w{i:02}")).collect();
        let (a, b) = words
            .iter()
            .flat_map(|a| words.iter().map(move |b| (a, b)))
            .find(|(a, b)| {
                let (ca, sa) = hash_feature(a, 2);
                let (cb, sb) = hash_feature(b, 2);
                ca == cb && sa != sb
            })
            .unwrap();
        let doc = format!("{a} {b}");
        let mut cfg = HashingVectorizerConfig {
            n_features: 2,
            norm: Norm::None,
            ..HashingVectorizerConfig::default()
        };
        let x = HashingVectorizer::new(cfg.clone())
            .unwrap()
            .transform(&[&doc])
            .unwrap();
        assert_eq!((x.nnz(), x.data()[0]), (1, 0.0));
        cfg.binary = true;
        let x = HashingVectorizer::new(cfg)
            .unwrap()
            .transform(&[&doc])
            .unwrap();
        assert_eq!((x.nnz(), x.data()[0]), (1, 1.0));
    }

    #[test]
    fn bad_n_features_and_serde() {
        for n in [0, 1 << 31] {
            let e = HashingVectorizer::new(HashingVectorizerConfig {
                n_features: n,
                ..HashingVectorizerConfig::default()
            });
            assert!(e.unwrap_err().to_string().contains("n_features"));
        }
        let v = HashingVectorizer::new(HashingVectorizerConfig::default()).unwrap();
        let json = serde_json::to_string(&v).unwrap();
        let back: HashingVectorizer = serde_json::from_str(&json).unwrap();
        assert_eq!(back.config(), v.config());
    }
}
