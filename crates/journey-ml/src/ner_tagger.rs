//! A trained named-entity tagger: feature extractor, attribute index, label
//! set and a sequence model (CRF or averaged perceptron), saved and loaded
//! as one JSON file (written atomically; a truncated or foreign file gives
//! an error naming the file).
//!
//! Training converts the gold tags to `train_scheme` (IOBES by default:
//! Ratinov & Roth 2009 found it better than IOB1/BIO), and predictions are
//! converted back to the scheme of the training data (`output_scheme`),
//! e.g. IOB1 for CoNLL-2003, so they can be compared with its gold tags.
//! Entity spans are identical in every scheme, so the scores are too.
//!
//! Cost: as the model: see [`crate::crf`] and [`crate::averaged_perceptron`].

use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::averaged_perceptron::{AveragedPerceptron, PerceptronConfig};
use crate::conlleval::{evaluate, ConllEval};
use crate::crf::{Crf, CrfConfig, Encoded};
use crate::crf_optim::Stop;
use crate::gazetteer::Gazetteer;
use crate::ner_corpus::{detect_scheme, NerSentence};
use crate::ner_features::{AttributeIndex, FeatureConfig, FeatureExtractor};
use crate::tag_scheme::{convert, TagScheme};
use crate::MlError;

const FORMAT: &str = "journey-ner-1";

/// Which sequence model to train.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    #[default]
    Crf,
    Perceptron,
}

/// Everything `fit` needs; the CLI maps its flags onto these fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NerTrainConfig {
    pub model: ModelKind,
    pub features: FeatureConfig,
    /// Attributes seen fewer times in training are dropped.
    pub min_count: usize,
    pub train_scheme: TagScheme,
    pub crf: CrfConfig,
    pub perceptron: PerceptronConfig,
}

impl Default for NerTrainConfig {
    fn default() -> Self {
        NerTrainConfig {
            model: ModelKind::Crf,
            features: FeatureConfig::default(),
            min_count: 1,
            train_scheme: TagScheme::Iobes,
            crf: CrfConfig::default(),
            perceptron: PerceptronConfig::default(),
        }
    }
}

/// The sequence model inside a tagger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SequenceModel {
    Crf(Crf),
    Perceptron(AveragedPerceptron),
}

/// A trained tagger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NerTagger {
    pub format: String,
    pub config: NerTrainConfig,
    pub extractor: FeatureExtractor,
    pub attributes: AttributeIndex,
    /// Label names, in `train_scheme`.
    pub labels: Vec<String>,
    pub output_scheme: TagScheme,
    pub model: SequenceModel,
}

/// Progress reported during training.
#[derive(Debug, Clone)]
pub enum Progress {
    /// CRF: iteration, objective value.
    CrfIteration(usize, f64),
    /// Perceptron: epoch, dev F1 if a dev set was given.
    PerceptronEpoch(usize, Option<f64>),
}

impl NerTagger {
    fn encode(&self, s: &NerSentence) -> Vec<Vec<u32>> {
        self.attributes
            .encode(&self.extractor.extract(&s.words, &s.extra))
    }

    /// Builds features and labels from `train` and returns an untrained
    /// tagger plus the encoded training set.
    fn prepare(
        train: &[NerSentence],
        config: &NerTrainConfig,
        gazetteer: Option<Gazetteer>,
    ) -> Result<(NerTagger, Vec<Encoded>), MlError> {
        if train.is_empty() {
            return Err(MlError::Empty("the training set has no sentences".into()));
        }
        let extractor = FeatureExtractor::new(config.features.clone(), gazetteer);
        let raw: Vec<Vec<Vec<u64>>> = train
            .par_iter()
            .map(|s| extractor.extract(&s.words, &s.extra))
            .collect();
        let attributes = AttributeIndex::fit(raw.iter(), config.min_count);
        let tags: Vec<Vec<String>> = train
            .iter()
            .map(|s| convert(&s.tags, config.train_scheme))
            .collect();
        let mut labels: Vec<String> = tags.iter().flatten().cloned().collect();
        labels.sort();
        labels.dedup();
        if labels.len() > u16::MAX as usize {
            return Err(MlError::Invalid("too many distinct tags".into()));
        }
        let data: Vec<Encoded> = raw
            .par_iter()
            .zip(&tags)
            .map(|(r, t)| Encoded {
                feats: attributes.encode(r),
                labels: t
                    .iter()
                    .map(|x| labels.binary_search(x).unwrap() as u16)
                    .collect(),
            })
            .collect();
        let model = match config.model {
            ModelKind::Crf => SequenceModel::Crf(Crf::new(attributes.len(), labels.len(), &data)),
            ModelKind::Perceptron => SequenceModel::Perceptron(AveragedPerceptron::default()),
        };
        let tagger = NerTagger {
            format: FORMAT.into(),
            config: config.clone(),
            extractor,
            attributes,
            labels,
            output_scheme: detect_scheme(train),
            model,
        };
        Ok((tagger, data))
    }

    /// Trains on `train`. With `dev`, the perceptron keeps its best epoch by
    /// dev F1. `resume` continues a CRF from a checkpoint (a tagger saved by
    /// `checkpoint`), keeping its features, labels and weights.
    /// `checkpoint(tagger)` is called after each CRF iteration / epoch.
    pub fn fit(
        train: &[NerSentence],
        dev: Option<&[NerSentence]>,
        config: &NerTrainConfig,
        gazetteer: Option<Gazetteer>,
        resume: Option<NerTagger>,
        mut progress: impl FnMut(&Progress, &NerTagger) -> Result<(), MlError>,
    ) -> Result<NerTagger, MlError> {
        let (mut tagger, data) = match resume {
            Some(mut t) => {
                if !matches!(t.model, SequenceModel::Crf(_)) || config.model != ModelKind::Crf {
                    return Err(MlError::Config(
                        "--resume continues CRF training only".into(),
                    ));
                }
                t.config.crf = config.crf.clone();
                let tags: Vec<Vec<String>> = train
                    .iter()
                    .map(|s| convert(&s.tags, t.config.train_scheme))
                    .collect();
                let mut data = Vec::with_capacity(train.len());
                for (s, tg) in train.iter().zip(&tags) {
                    let mut labels = Vec::with_capacity(tg.len());
                    for x in tg {
                        let id = t.labels.binary_search(x).map_err(|_| {
                            MlError::Invalid(format!(
                                "tag {x} (sentence at line {}) is not among the checkpoint's labels",
                                s.line
                            ))
                        })?;
                        labels.push(id as u16);
                    }
                    data.push(Encoded {
                        feats: t.encode(s),
                        labels,
                    });
                }
                (t, data)
            }
            None => Self::prepare(train, config, gazetteer)?,
        };
        let mut error = None;
        match tagger.model.clone() {
            SequenceModel::Crf(mut crf) => {
                let mut snapshot = tagger.clone();
                let crf_config = tagger.config.crf.clone();
                let stop = crf.fit(&data, &crf_config, |c, fx| {
                    snapshot.model = SequenceModel::Crf(c.clone());
                    match progress(&Progress::CrfIteration(c.iterations, fx), &snapshot) {
                        Ok(()) => true,
                        Err(e) => {
                            error = Some(e);
                            false
                        }
                    }
                });
                if stop == Stop::Callback {
                    if let Some(e) = error {
                        return Err(e);
                    }
                }
                tagger.model = SequenceModel::Crf(crf);
            }
            SequenceModel::Perceptron(_) => {
                let mut best: Option<(f64, AveragedPerceptron)> = None;
                let mut snapshot = tagger.clone();
                let dev_gold: Option<Vec<Vec<String>>> =
                    dev.map(|d| d.iter().map(|s| s.tags.clone()).collect());
                let model = AveragedPerceptron::fit(
                    tagger.attributes.len(),
                    tagger.labels.len(),
                    &data,
                    &tagger.config.perceptron,
                    |epoch, m| {
                        snapshot.model = SequenceModel::Perceptron(m.clone());
                        let mut f1 = None;
                        if let (Some(d), Some(g)) = (dev, &dev_gold) {
                            let pred = snapshot.predict_all(d);
                            if let Ok(r) = evaluate(g, &pred) {
                                f1 = Some(r.overall.f1);
                                if best.as_ref().is_none_or(|(b, _)| r.overall.f1 > *b) {
                                    best = Some((r.overall.f1, m.clone()));
                                }
                            }
                        }
                        match progress(&Progress::PerceptronEpoch(epoch, f1), &snapshot) {
                            Ok(()) => true,
                            Err(e) => {
                                error = Some(e);
                                false
                            }
                        }
                    },
                );
                if let Some(e) = error {
                    return Err(e);
                }
                tagger.model = SequenceModel::Perceptron(best.map_or(model, |b| b.1));
            }
        }
        Ok(tagger)
    }

    /// Tags one sentence (extra columns may be empty), in `output_scheme`.
    pub fn predict<S: AsRef<str>>(&self, words: &[S], extra: &[Vec<String>]) -> Vec<String> {
        if words.is_empty() {
            return Vec::new();
        }
        let feats = self
            .attributes
            .encode(&self.extractor.extract(words, extra));
        let ids = match &self.model {
            SequenceModel::Crf(c) => c.decode(&feats),
            SequenceModel::Perceptron(p) => p.decode(&feats),
        };
        let tags: Vec<&str> = ids.iter().map(|&i| self.labels[i].as_str()).collect();
        convert(&tags, self.output_scheme)
    }

    /// Tags many sentences in parallel.
    pub fn predict_all(&self, sentences: &[NerSentence]) -> Vec<Vec<String>> {
        sentences
            .par_iter()
            .map(|s| self.predict(&s.words, &s.extra))
            .collect()
    }

    /// conlleval scores on a labelled set.
    pub fn evaluate(&self, sentences: &[NerSentence]) -> Result<ConllEval, MlError> {
        let gold: Vec<&Vec<String>> = sentences.iter().map(|s| &s.tags).collect();
        let gold: Vec<Vec<&str>> = gold
            .iter()
            .map(|g| g.iter().map(String::as_str).collect())
            .collect();
        evaluate(&gold, &self.predict_all(sentences))
    }

    /// Writes the tagger as JSON, atomically.
    pub fn save(&self, path: &Path) -> Result<(), MlError> {
        let bytes = serde_json::to_vec(self)
            .map_err(|e| MlError::Invalid(format!("cannot serialise the model: {e}")))?;
        crate::error::write_atomic(path, &bytes)
    }

    /// Reads a tagger written by [`NerTagger::save`].
    pub fn load(path: &Path) -> Result<NerTagger, MlError> {
        let bytes = std::fs::read(path).map_err(|e| MlError::io(path, e))?;
        let mut t: NerTagger = serde_json::from_slice(&bytes).map_err(|e| {
            let why = if e.is_eof() {
                "the file is truncated"
            } else {
                "not a journey NER model"
            };
            MlError::parse(path, e.line(), format!("{why}: {e}"))
        })?;
        if t.format != FORMAT {
            return Err(MlError::parse(
                path,
                1,
                format!("model format {:?}, expected {FORMAT:?}", t.format),
            ));
        }
        t.attributes.rebuild();
        if let Some(g) = &mut t.extractor.gazetteer {
            g.rebuild();
        }
        let ok = match &t.model {
            SequenceModel::Crf(c) => {
                c.labels == t.labels.len()
                    && c.attr_offsets.len() == t.attributes.len() + 1
                    && c.weights.len() == c.pair_labels.len() + c.labels * c.labels
            }
            SequenceModel::Perceptron(p) => {
                p.labels == t.labels.len()
                    && p.attributes == t.attributes.len()
                    && p.weights.len() == (p.attributes + p.labels) * p.labels
            }
        };
        if !ok {
            return Err(MlError::parse(
                path,
                1,
                "inconsistent model: weight, attribute and label counts disagree",
            ));
        }
        Ok(t)
    }
}
