//! Cross-validation and grid search (Kohavi, *A study of cross-validation and
//! bootstrap for accuracy estimation and model selection*, IJCAI 1995), with
//! scikit-learn 1.7's fold rules so that unshuffled folds are the same rows:
//!
//! - `KFold`: consecutive blocks, the first `n mod k` folds one row larger;
//! - `StratifiedKFold`: classes numbered by first appearance, the sorted
//!   class sequence dealt round-robin into folds to fix how many rows of each
//!   class every fold gets, then each class's rows, in order, fill fold 0,
//!   then 1, … (shuffled per class when `shuffle`);
//! - `grid_search`: every combination of the parameter lists (names sorted,
//!   the last varying fastest), scored by the mean over the folds; the first
//!   best candidate wins, as `GridSearchCV`.
//!
//! Shuffling uses this crate's seeded generator, so shuffled folds are
//! reproducible but not NumPy's. Folds are fitted in parallel; each fold's
//! result is independent of the thread count. Cost: one fit per fold (and per
//! candidate).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::classifier::{AnyClassifier, Classifier};
use crate::error::MlError;
use crate::metrics::{self, Average};
use crate::rng::SplitMix64;
use crate::sparse::CsrMatrix;

/// One split: row indices for training and for testing, both ascending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fold {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// Builds folds from a fold number per row.
fn folds_from_assignment(assign: &[usize], k: usize) -> Vec<Fold> {
    (0..k)
        .map(|f| {
            let (test, train): (Vec<usize>, Vec<usize>) =
                (0..assign.len()).partition(|&i| assign[i] == f);
            Fold { train, test }
        })
        .collect()
}

fn check_splits(n_splits: usize, n: usize) -> Result<(), MlError> {
    if n_splits < 2 {
        return Err(MlError::Config(format!(
            "cross-validation needs at least 2 folds, got {n_splits}"
        )));
    }
    if n_splits > n {
        return Err(MlError::Config(format!(
            "{n_splits} folds for only {n} examples"
        )));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KFold {
    pub n_splits: usize,
    pub shuffle: bool,
    pub seed: u64,
}

impl Default for KFold {
    fn default() -> Self {
        KFold {
            n_splits: 5,
            shuffle: false,
            seed: 0,
        }
    }
}

impl KFold {
    pub fn split(&self, n: usize) -> Result<Vec<Fold>, MlError> {
        check_splits(self.n_splits, n)?;
        let mut order: Vec<usize> = (0..n).collect();
        if self.shuffle {
            SplitMix64::new(self.seed).shuffle(&mut order);
        }
        let k = self.n_splits;
        let mut assign = vec![0; n];
        let mut start = 0;
        for f in 0..k {
            let size = n / k + usize::from(f < n % k);
            for &i in &order[start..start + size] {
                assign[i] = f;
            }
            start += size;
        }
        Ok(folds_from_assignment(&assign, k))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StratifiedKFold {
    pub n_splits: usize,
    pub shuffle: bool,
    pub seed: u64,
}

impl Default for StratifiedKFold {
    fn default() -> Self {
        StratifiedKFold {
            n_splits: 5,
            shuffle: false,
            seed: 0,
        }
    }
}

impl StratifiedKFold {
    pub fn split(&self, y: &[usize]) -> Result<Vec<Fold>, MlError> {
        let k = self.n_splits;
        check_splits(k, y.len())?;
        // Classes numbered by first appearance.
        let mut order_of: Vec<(usize, usize)> = Vec::new(); // (class value, code)
        let mut code = Vec::with_capacity(y.len());
        for &c in y {
            let id = match order_of.iter().find(|(v, _)| *v == c) {
                Some(&(_, id)) => id,
                None => {
                    order_of.push((c, order_of.len()));
                    order_of.len() - 1
                }
            };
            code.push(id);
        }
        let n_classes = order_of.len();
        let mut counts = vec![0usize; n_classes];
        for &c in &code {
            counts[c] += 1;
        }
        if counts.iter().all(|&c| k > c) {
            return Err(MlError::Config(format!(
                "{k} folds, but no class has that many examples"
            )));
        }
        // Deal the sorted codes round-robin: allocation[f][c] rows of class c in fold f.
        let mut sorted = code.clone();
        sorted.sort_unstable();
        let mut allocation = vec![vec![0usize; n_classes]; k];
        for (i, &c) in sorted.iter().enumerate() {
            allocation[i % k][c] += 1;
        }
        let mut rng = SplitMix64::new(self.seed);
        let mut assign = vec![0; y.len()];
        for c in 0..n_classes {
            let mut folds_for_class: Vec<usize> = allocation
                .iter()
                .enumerate()
                .flat_map(|(f, per_class)| std::iter::repeat_n(f, per_class[c]))
                .collect();
            if self.shuffle {
                rng.shuffle(&mut folds_for_class);
            }
            let rows = (0..y.len()).filter(|&i| code[i] == c);
            for (i, f) in rows.zip(folds_for_class) {
                assign[i] = f;
            }
        }
        Ok(folds_from_assignment(&assign, k))
    }
}

/// What a fold is scored by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scoring {
    #[default]
    Accuracy,
    /// F1 averaged over the classes present in the fold.
    MacroF1,
}

impl Scoring {
    pub fn score(self, y_true: &[usize], y_pred: &[usize]) -> Result<f64, MlError> {
        match self {
            Scoring::Accuracy => metrics::accuracy(y_true, y_pred),
            Scoring::MacroF1 => metrics::f1_score(y_true, y_pred, Average::Macro),
        }
    }
}

/// Runs `fit_and_score` on every fold, in parallel; results in fold order.
pub fn cross_validate<F>(folds: &[Fold], fit_and_score: F) -> Result<Vec<f64>, MlError>
where
    F: Fn(&Fold) -> Result<f64, MlError> + Sync + Send,
{
    folds.par_iter().map(fit_and_score).collect()
}

/// Fits a fresh copy of `model` on each fold's training rows and scores its
/// predictions on the test rows.
pub fn cross_val_score(
    model: &AnyClassifier,
    x: &CsrMatrix,
    y: &[usize],
    folds: &[Fold],
    scoring: Scoring,
) -> Result<Vec<f64>, MlError> {
    if x.n_rows() != y.len() {
        return Err(MlError::Shape(format!(
            "{} rows but {} labels",
            x.n_rows(),
            y.len()
        )));
    }
    cross_validate(folds, |fold| {
        let mut m = model.clone();
        let y_train: Vec<usize> = fold.train.iter().map(|&i| y[i]).collect();
        m.fit(&x.select_rows(&fold.train), &y_train)?;
        let y_test: Vec<usize> = fold.test.iter().map(|&i| y[i]).collect();
        scoring.score(&y_test, &m.predict(&x.select_rows(&fold.test))?)
    })
}

/// Mean and population standard deviation (as `np.mean`, `np.std`).
pub fn mean_std(scores: &[f64]) -> (f64, f64) {
    let n = scores.len().max(1) as f64;
    let mean = scores.iter().sum::<f64>() / n;
    let var = scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// One setting tried by [`grid_search`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub params: Vec<(String, f64)>,
    pub fold_scores: Vec<f64>,
    pub mean: f64,
    pub std: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridSearchResult {
    pub candidates: Vec<Candidate>,
    /// Index of the best candidate (the first of equal means).
    pub best: usize,
}

impl GridSearchResult {
    pub fn best(&self) -> &Candidate {
        &self.candidates[self.best]
    }
}

/// Every combination of the values in `grid` (parameter names as
/// [`AnyClassifier::set_param`] takes them), sorted by name, the last name
/// varying fastest.
pub fn parameter_grid(grid: &[(String, Vec<f64>)]) -> Result<Vec<Vec<(String, f64)>>, MlError> {
    let mut grid = grid.to_vec();
    grid.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(w) = grid.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(MlError::Config(format!(
            "parameter '{}' is listed twice",
            w[0].0
        )));
    }
    if let Some((name, _)) = grid.iter().find(|(_, v)| v.is_empty()) {
        return Err(MlError::Config(format!("no values for parameter '{name}'")));
    }
    let mut combos: Vec<Vec<(String, f64)>> = vec![Vec::new()];
    for (name, values) in &grid {
        combos = combos
            .into_iter()
            .flat_map(|c| {
                values.iter().map(move |&v| {
                    let mut c = c.clone();
                    c.push((name.clone(), v));
                    c
                })
            })
            .collect();
    }
    Ok(combos)
}

/// Cross-validates `model` under every combination of `grid` and picks the
/// best mean score, as `GridSearchCV(refit=False)`.
pub fn grid_search(
    model: &AnyClassifier,
    grid: &[(String, Vec<f64>)],
    x: &CsrMatrix,
    y: &[usize],
    folds: &[Fold],
    scoring: Scoring,
) -> Result<GridSearchResult, MlError> {
    let mut candidates = Vec::new();
    for params in parameter_grid(grid)? {
        let mut m = model.clone();
        for (name, v) in &params {
            m.set_param(name, *v)?;
        }
        let fold_scores = cross_val_score(&m, x, y, folds, scoring)?;
        let (mean, std) = mean_std(&fold_scores);
        candidates.push(Candidate {
            params,
            fold_scores,
            mean,
            std,
        });
    }
    let mut best = 0;
    for (i, c) in candidates.iter().enumerate() {
        if c.mean > candidates[best].mean {
            best = i;
        }
    }
    Ok(GridSearchResult { candidates, best })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kfold_sizes_like_sklearn() {
        let folds = KFold::default().split(7).unwrap();
        let sizes: Vec<usize> = folds.iter().map(|f| f.test.len()).collect();
        assert_eq!(sizes, [2, 2, 1, 1, 1]);
        assert_eq!(folds[1].test, [2, 3]);
        assert_eq!(folds[1].train, [0, 1, 4, 5, 6]);
        let shuffled = KFold {
            shuffle: true,
            seed: 3,
            ..Default::default()
        };
        assert_eq!(shuffled.split(20).unwrap(), shuffled.split(20).unwrap());
        assert!(KFold::default().split(3).is_err());
    }

    #[test]
    fn stratified_matches_sklearn_by_hand() {
        // sklearn: StratifiedKFold(2).split(X, [1,1,1,0,0,1]) → test folds
        // [0, 1, 3] and [2, 4, 5].
        let folds = StratifiedKFold {
            n_splits: 2,
            ..Default::default()
        }
        .split(&[1, 1, 1, 0, 0, 1])
        .unwrap();
        assert_eq!(folds[0].test, [0, 1, 3]);
        assert_eq!(folds[1].test, [2, 4, 5]);
    }

    #[test]
    fn grid_order_is_sorted_names_last_fastest() {
        let g = parameter_grid(&[
            ("c".to_string(), vec![1.0, 2.0]),
            ("alpha".to_string(), vec![0.1, 0.5]),
        ])
        .unwrap();
        assert_eq!(
            g[1],
            vec![("alpha".to_string(), 0.1), ("c".to_string(), 2.0)]
        );
        assert_eq!(g.len(), 4);
    }
}
