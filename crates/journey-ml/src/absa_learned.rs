//! The learned aspect-based sentiment model of SemEval-2014 Task 4 as one
//! unit: the CRF term extractor ([`crate::absa_extraction`]) and the
//! logistic-regression polarity classifier ([`crate::absa_polarity`]),
//! trained together on a train split, evaluated on a gold test split with
//! the task's measures, and saved or loaded as one model file
//! ([`crate::model_file`], format `journey-absa`).
//!
//! Cost: the sum of its two parts; memory their weights and feature names.

use std::path::Path;

use journey_data::readers::semeval::AbsaSentence;
use serde::{Deserialize, Serialize};

use crate::absa::ExtractionScores;
use crate::absa_extraction::{AspectTagger, ExtractionConfig};
use crate::absa_polarity::{AspectPolarity, PolarityConfig, PolarityScores};
use crate::model_file;
use crate::vader::SentimentIntensityAnalyzer;
use crate::MlError;

const FORMAT: &str = "journey-absa";
const VERSION: u32 = 1;

/// Settings of both parts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LearnedAbsaConfig {
    pub extraction: ExtractionConfig,
    pub polarity: PolarityConfig,
}

/// A trained extractor and polarity classifier.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LearnedAbsa {
    pub extraction: AspectTagger,
    pub polarity: AspectPolarity,
}

/// Test-split scores of a learned model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LearnedReport {
    pub extraction: ExtractionScores,
    pub polarity: PolarityScores,
    /// CRF L-BFGS iterations and polarity L-BFGS iterations of the model.
    pub crf_iterations: usize,
    pub polarity_iterations: usize,
}

impl LearnedAbsa {
    pub fn fit(
        analyzer: &SentimentIntensityAnalyzer,
        train: &[AbsaSentence],
        config: &LearnedAbsaConfig,
    ) -> Result<Self, MlError> {
        Ok(LearnedAbsa {
            extraction: AspectTagger::fit(train, &config.extraction)?,
            polarity: AspectPolarity::fit(analyzer, train, &config.polarity)?,
        })
    }

    pub fn evaluate(
        &self,
        analyzer: &SentimentIntensityAnalyzer,
        test: &[AbsaSentence],
    ) -> Result<LearnedReport, MlError> {
        Ok(LearnedReport {
            extraction: self.extraction.evaluate(test),
            polarity: self.polarity.evaluate(analyzer, test)?,
            crf_iterations: self.extraction.crf.iterations,
            polarity_iterations: self.polarity.model.n_iter,
        })
    }

    /// Writes the model (atomically).
    pub fn save(&self, path: &Path) -> Result<(), MlError> {
        model_file::save(path, FORMAT, VERSION, self)
    }

    /// Reads a model written by [`LearnedAbsa::save`]; another kind of file
    /// or a truncated one gives an error naming the file.
    pub fn load(path: &Path) -> Result<Self, MlError> {
        model_file::load(path, FORMAT, VERSION)
    }
}
