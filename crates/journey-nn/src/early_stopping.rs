//! Early stopping on a validation metric with patience (Prechelt, "Early
//! Stopping — But When?", in Neural Networks: Tricks of the Trade, 1998):
//! training stops once the metric has not improved by more than `min_delta`
//! for `patience` evaluations in a row. The best value also decides which
//! checkpoint is kept as `best`.
//!
//! Cost: O(1) per evaluation.

use serde::{Deserialize, Serialize};

use crate::error::{NnError, Result};

/// Whether larger or smaller metric values are better.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Max,
    Min,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EarlyStoppingConfig {
    /// The metric's name in [`crate::trainer::Metrics`] (e.g. `accuracy`).
    pub metric: String,
    pub mode: Mode,
    /// Evaluations without improvement before stopping; `None` never stops
    /// (the best value is still tracked for the best checkpoint).
    pub patience: Option<u64>,
    pub min_delta: f64,
}

impl Default for EarlyStoppingConfig {
    fn default() -> Self {
        EarlyStoppingConfig {
            metric: "loss".into(),
            mode: Mode::Min,
            patience: None,
            min_delta: 0.0,
        }
    }
}

/// What one evaluation meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub improved: bool,
    pub stop: bool,
}

/// Tracks the best value and the evaluations since it.
#[derive(Clone, Debug)]
pub struct EarlyStopping {
    pub config: EarlyStoppingConfig,
    pub best: Option<f64>,
    pub evals_without_improvement: u64,
}

impl EarlyStopping {
    pub fn new(config: EarlyStoppingConfig) -> Self {
        EarlyStopping {
            config,
            best: None,
            evals_without_improvement: 0,
        }
    }

    /// Records one evaluation's value of the metric.
    pub fn update(&mut self, value: f64) -> Result<Verdict> {
        if value.is_nan() {
            return Err(NnError::Config(format!(
                "metric {:?} is NaN: the model diverged",
                self.config.metric
            )));
        }
        let improved = match self.best {
            None => true,
            Some(b) => match self.config.mode {
                Mode::Max => value > b + self.config.min_delta,
                Mode::Min => value < b - self.config.min_delta,
            },
        };
        if improved {
            self.best = Some(value);
            self.evals_without_improvement = 0;
        } else {
            self.evals_without_improvement += 1;
        }
        let stop = self
            .config
            .patience
            .is_some_and(|p| self.evals_without_improvement >= p);
        Ok(Verdict { improved, stop })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_after_patience() {
        let mut es = EarlyStopping::new(EarlyStoppingConfig {
            metric: "acc".into(),
            mode: Mode::Max,
            patience: Some(2),
            min_delta: 0.01,
        });
        let v: Vec<Verdict> = [0.5, 0.6, 0.605, 0.7, 0.69, 0.68]
            .iter()
            .map(|&x| es.update(x).unwrap())
            .collect();
        let improved: Vec<bool> = v.iter().map(|x| x.improved).collect();
        assert_eq!(improved, vec![true, true, false, true, false, false]);
        assert_eq!(v.iter().position(|x| x.stop), Some(5));
        assert_eq!(es.best, Some(0.7));
        assert!(es.update(f64::NAN).is_err());
    }
}
