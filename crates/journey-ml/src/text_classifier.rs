//! A text classifier end to end: featurizer + label encoder + model, trained
//! on texts with string labels and saved as one model file (scikit-learn's
//! `Pipeline` of a vectorizer and a classifier, plus its `LabelEncoder`).
//!
//! The file is JSON ([`crate::model_file`], format `journey-text-classifier`)
//! holding the featurizer's vocabulary and weights, the class names and the
//! model's parameters; loading it gives the same predictions. Training costs
//! the featurizer's pass over the texts plus the model's fit; prediction one
//! transform and one sparse product.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::classifier::{AnyClassifier, Classifier, Scores};
use crate::error::MlError;
use crate::labelled::LabelledSet;
use crate::labels::LabelEncoder;
use crate::model_file;
use crate::text_features::{TextFeatures, TextFeaturizer};

/// A class name and its strongest `(term, weight)` pairs.
pub type ClassFeatures = (String, Vec<(String, f64)>);

pub const MODEL_FORMAT: &str = "journey-text-classifier";
/// Version 2: the featurizer is the full `TfidfVectorizer` with its settings.
pub const MODEL_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TextClassifier {
    pub features: TextFeatures,
    pub labels: LabelEncoder,
    pub model: AnyClassifier,
}

impl TextClassifier {
    /// An untrained pipeline.
    pub fn new(features: TextFeatures, model: AnyClassifier) -> Self {
        TextClassifier {
            features,
            labels: LabelEncoder::default(),
            model,
        }
    }

    /// Learns the vocabulary, the classes and the model.
    pub fn fit(&mut self, texts: &[&str], labels: &[&str]) -> Result<(), MlError> {
        if texts.len() != labels.len() {
            return Err(MlError::Shape(format!(
                "{} texts but {} labels",
                texts.len(),
                labels.len()
            )));
        }
        let (enc, y) = LabelEncoder::fit_transform(labels)?;
        let x = self.features.fit_transform(texts)?;
        self.model.fit(&x, &y)?;
        self.labels = enc;
        Ok(())
    }

    /// The `k` features that push hardest towards each class, strongest
    /// first, as `(class, [(term, weight)])` (see
    /// [`AnyClassifier::feature_weights`]); `None` before fitting or when
    /// the featurizer has no terms.
    pub fn top_features(&self, k: usize) -> Option<Vec<ClassFeatures>> {
        let names = self.features.feature_names()?;
        let rows = self.model.feature_weights()?;
        if rows.len() != self.labels.classes().len() {
            return None;
        }
        Some(
            rows.iter()
                .zip(self.labels.classes())
                .map(|(w, class)| {
                    let mut idx: Vec<usize> = (0..w.len().min(names.len())).collect();
                    // Ties broken by column so the list is reproducible.
                    idx.sort_by(|&a, &b| w[b].total_cmp(&w[a]).then(a.cmp(&b)));
                    let top = idx
                        .into_iter()
                        .take(k)
                        .map(|j| (names[j].clone(), w[j]))
                        .collect();
                    (class.clone(), top)
                })
                .collect(),
        )
    }

    /// Trains on a labelled set.
    pub fn fit_set(&mut self, set: &LabelledSet) -> Result<(), MlError> {
        self.fit(&set.texts(), &set.labels())
    }

    /// Predicted class index of each text.
    pub fn predict_indices(&self, texts: &[&str]) -> Result<Vec<usize>, MlError> {
        let x = self.features.transform(texts)?;
        self.model.predict(&x)
    }

    /// Predicted class name of each text.
    pub fn predict(&self, texts: &[&str]) -> Result<Vec<&str>, MlError> {
        self.predict_indices(texts)?
            .into_iter()
            .map(|i| self.labels.decode(i))
            .collect()
    }

    /// Class probabilities (columns in `labels.classes()` order), if the
    /// model has them.
    pub fn predict_proba(&self, texts: &[&str]) -> Result<Option<Scores>, MlError> {
        let x = self.features.transform(texts)?;
        self.model.predict_proba(&x)
    }

    /// Raw scores of the model.
    pub fn decision_function(&self, texts: &[&str]) -> Result<Scores, MlError> {
        let x = self.features.transform(texts)?;
        self.model.decision_function(&x)
    }

    /// The class index of every example of `set`; a label the model was not
    /// trained on is an error naming the file and line.
    pub fn encode_labels(&self, set: &LabelledSet) -> Result<Vec<usize>, MlError> {
        set.examples
            .iter()
            .enumerate()
            .map(|(i, e)| {
                self.labels
                    .encode(&e.label, &format!(" at {}", set.location(i)))
            })
            .collect()
    }

    /// Writes the model file (atomically).
    pub fn save(&self, path: &Path) -> Result<(), MlError> {
        if !self.model.is_finite() {
            return Err(MlError::ModelFile {
                path: path.to_path_buf(),
                message: "the model has infinite or NaN weights (alpha = 0 with unseen words?) \
                          and cannot be saved; train with alpha > 0"
                    .into(),
            });
        }
        model_file::save(path, MODEL_FORMAT, MODEL_VERSION, self)
    }

    /// Reads a model file written by [`save`](Self::save).
    pub fn load(path: &Path) -> Result<Self, MlError> {
        let m: TextClassifier = model_file::load(path, MODEL_FORMAT, MODEL_VERSION)?;
        if m.labels.is_empty() || m.model.classes().is_empty() {
            return Err(MlError::ModelFile {
                path: path.to_path_buf(),
                message: "the model file holds an untrained model".into(),
            });
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn train_save_load_predict() {
        let texts = [
            "free prize call now",
            "win cash prize now",
            "see you at lunch",
            "are we meeting for lunch",
        ];
        let labels = ["spam", "spam", "ham", "ham"];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        for name in ["nb", "cnb", "bnb", "svm", "logreg", "nbsvm"] {
            let mut tc = TextClassifier::new(
                TextFeatures::default(),
                AnyClassifier::by_name(name).unwrap(),
            );
            tc.fit(&texts, &labels).unwrap();
            tc.save(&path).unwrap();
            let back = TextClassifier::load(&path).unwrap();
            let probe = ["prize now", "lunch meeting"];
            assert_eq!(
                back.predict(&probe).unwrap(),
                tc.predict(&probe).unwrap(),
                "{name}"
            );
            assert_eq!(
                back.decision_function(&probe).unwrap(),
                tc.decision_function(&probe).unwrap()
            );
        }
        let e = TextClassifier::load(&dir.path().join("none.json")).unwrap_err();
        assert!(e.to_string().contains("none.json"), "{e}");
    }

    #[test]
    fn top_features_name_each_class_cues() {
        let texts = [
            "free prize call now",
            "win cash prize now",
            "free cash now",
            "see you at lunch",
            "are we meeting for lunch",
            "lunch at noon then",
        ];
        let labels = ["spam", "spam", "spam", "ham", "ham", "ham"];
        for name in ["nb", "cnb", "bnb", "svm", "logreg", "nbsvm"] {
            let mut tc = TextClassifier::new(
                TextFeatures::default(),
                AnyClassifier::by_name(name).unwrap(),
            );
            assert!(tc.top_features(3).is_none(), "{name}: unfitted");
            tc.fit(&texts, &labels).unwrap();
            let top = tc.top_features(2).unwrap();
            assert_eq!(top.len(), 2);
            let (ham, spam) = (&top[0], &top[1]);
            assert_eq!((ham.0.as_str(), spam.0.as_str()), ("ham", "spam"));
            assert_eq!(ham.1[0].0, "lunch", "{name}: {top:?}");
            assert!(
                ["now", "prize", "free", "cash"].contains(&spam.1[0].0.as_str()),
                "{name}: {top:?}"
            );
            assert!(spam.1[0].1 >= spam.1[1].1, "{name}: strongest first");
            // Every prediction agrees with the sign of the weights on a
            // one-word probe.
            assert_eq!(tc.predict(&["lunch"]).unwrap(), ["ham"], "{name}");
        }
    }
}
