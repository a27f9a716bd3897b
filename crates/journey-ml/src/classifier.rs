//! The common face of the classifiers: `fit` on a sparse document-term
//! matrix and class indices, then `decision_function`, `predict` and (where
//! the model has them) probabilities — scikit-learn's estimator verbs.
//!
//! A classifier remembers the distinct classes it saw (`classes()`, sorted,
//! like `classes_`); score columns follow that order. Binary linear models
//! return one score column (positive ⇒ the second class), as scikit-learn.
//!
//! [`AnyClassifier`] holds any of the models of this crate, so a trained
//! model can be saved, loaded and chosen by name at run time; it costs one
//! `match` per call. `predict` is an argmax over the scores, O(rows · k).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::bernoulli_nb::BernoulliNb;
use crate::complement_nb::ComplementNb;
use crate::error::MlError;
use crate::linear_svm::LinearSvc;
use crate::logistic_regression::LogisticRegression;
use crate::multinomial_nb::MultinomialNb;
use crate::nbsvm::NbSvm;
use crate::sparse::CsrMatrix;

/// A dense row-major score matrix: one row per document, one column per
/// class (or a single column for a binary linear model).
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub n_cols: usize,
    pub data: Vec<f64>,
}

impl Scores {
    pub fn new(n_cols: usize, data: Vec<f64>) -> Self {
        debug_assert!(n_cols > 0 && data.len().is_multiple_of(n_cols));
        Scores { n_cols, data }
    }

    pub fn n_rows(&self) -> usize {
        self.data.len().checked_div(self.n_cols).unwrap_or(0)
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.n_cols..(i + 1) * self.n_cols]
    }

    pub fn rows(&self) -> impl ExactSizeIterator<Item = &[f64]> + '_ {
        self.data.chunks_exact(self.n_cols)
    }

    /// Per row: the column of the largest score (the first on ties, as
    /// `np.argmax`), or for a single column `score > 0` as 1 and 0 otherwise.
    pub fn argmax(&self) -> Vec<usize> {
        if self.n_cols == 1 {
            return self.data.iter().map(|&s| usize::from(s > 0.0)).collect();
        }
        self.column_argmax()
    }

    /// Per row: the column of the largest score, the first on ties, whatever
    /// the number of columns.
    pub fn column_argmax(&self) -> Vec<usize> {
        self.rows()
            .map(|r| {
                let mut best = 0;
                for (j, &v) in r.iter().enumerate().skip(1) {
                    if v > r[best] {
                        best = j;
                    }
                }
                best
            })
            .collect()
    }
}

/// What every classifier of this crate can do.
pub trait Classifier {
    /// Trains on the rows of `x` with classes `y` (indices; any subset of
    /// `0..k` may occur).
    fn fit(&mut self, x: &CsrMatrix, y: &[usize]) -> Result<(), MlError>;

    /// The distinct classes seen by `fit`, ascending (empty before).
    fn classes(&self) -> &[usize];

    /// Raw scores: one column per class (one column for a binary linear model).
    fn decision_function(&self, x: &CsrMatrix) -> Result<Scores, MlError>;

    /// Class probabilities, one column per class, if the model has them.
    fn predict_proba(&self, _x: &CsrMatrix) -> Result<Option<Scores>, MlError> {
        Ok(None)
    }

    /// The predicted class of each row.
    fn predict(&self, x: &CsrMatrix) -> Result<Vec<usize>, MlError> {
        let classes = self.classes();
        if classes.is_empty() {
            return Err(MlError::NotFitted);
        }
        let scores = self.decision_function(x)?;
        Ok(scores.argmax().into_iter().map(|j| classes[j]).collect())
    }
}

/// `x · W + bias` for feature-major weights `w` (`w[f · k + j]`, F × k):
/// each stored entry of a row reads k adjacent weights. Rows in parallel.
pub(crate) fn linear_scores(x: &CsrMatrix, w: &[f64], bias: &[f64]) -> Result<Scores, MlError> {
    let k = bias.len();
    let mut out = x.dot_dense(w, k)?;
    for row in out.chunks_exact_mut(k) {
        for (o, b) in row.iter_mut().zip(bias) {
            *o += b;
        }
    }
    Ok(Scores::new(k, out))
}

/// Row-major weights (`coef[j · F + f]`, one row per output) turned
/// feature-major for [`linear_scores`]. O(k · F).
pub(crate) fn by_feature(coef: &[f64], k: usize) -> Vec<f64> {
    let nf = coef.len() / k.max(1);
    let mut w = vec![0.0; coef.len()];
    for (j, row) in coef.chunks_exact(nf.max(1)).enumerate() {
        for (f, &v) in row.iter().enumerate() {
            w[f * k + j] = v;
        }
    }
    w
}

/// Checks `fit` input and returns the sorted distinct classes.
pub(crate) fn check_fit_input(
    x: &CsrMatrix,
    y: &[usize],
    min_classes: usize,
    model: &str,
) -> Result<Vec<usize>, MlError> {
    if x.n_rows() != y.len() {
        return Err(MlError::Shape(format!(
            "{} rows but {} labels",
            x.n_rows(),
            y.len()
        )));
    }
    if y.is_empty() {
        return Err(MlError::Empty(format!("no training examples for {model}")));
    }
    if let Some(bad) = x.data().iter().find(|v| !v.is_finite()) {
        return Err(MlError::Invalid(format!(
            "{model}: the features contain a non-finite value ({bad})"
        )));
    }
    let mut classes = y.to_vec();
    classes.sort_unstable();
    classes.dedup();
    if classes.len() < min_classes {
        return Err(MlError::Invalid(format!(
            "{model} needs examples of at least {min_classes} classes, but the data has only {}",
            classes.len()
        )));
    }
    Ok(classes)
}

/// `y` as positions in `classes` (which holds every value of `y`).
pub(crate) fn encode_positions(classes: &[usize], y: &[usize]) -> Vec<usize> {
    y.iter()
        .map(|c| classes.binary_search(c).expect("class seen in fit"))
        .collect()
}

/// Checks that a fitted model gets as many features as it was trained on.
pub(crate) fn check_predict_input(
    x: &CsrMatrix,
    n_features: usize,
    fitted: bool,
) -> Result<(), MlError> {
    if !fitted {
        return Err(MlError::NotFitted);
    }
    if x.n_cols() != n_features {
        return Err(MlError::Shape(format!(
            "the model was trained on {n_features} features, the input has {}",
            x.n_cols()
        )));
    }
    Ok(())
}

/// Class weights for the loss of linear models, as scikit-learn's
/// `class_weight`: none, `"balanced"` (`n / (k · count_c)`), or explicit
/// weights per class index (classes not listed weigh 1).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassWeight {
    #[default]
    None,
    Balanced,
    Explicit(BTreeMap<usize, f64>),
}

impl ClassWeight {
    /// The weight of each class in `classes`, computed on `y` (class values)
    /// as `sklearn.utils.compute_class_weight`.
    pub fn weights(&self, classes: &[usize], y: &[usize]) -> Result<Vec<f64>, MlError> {
        match self {
            ClassWeight::None => Ok(vec![1.0; classes.len()]),
            ClassWeight::Balanced => {
                let mut counts = vec![0usize; classes.len()];
                for c in y {
                    if let Ok(k) = classes.binary_search(c) {
                        counts[k] += 1;
                    }
                }
                let n = y.len() as f64;
                let k = classes.len() as f64;
                Ok(counts.iter().map(|&c| n / (k * c as f64)).collect())
            }
            ClassWeight::Explicit(map) => {
                if let Some((c, w)) = map.iter().find(|(_, w)| !(w.is_finite() && **w >= 0.0)) {
                    return Err(MlError::Config(format!(
                        "class weight {w} of class {c} must be a finite number ≥ 0"
                    )));
                }
                Ok(classes
                    .iter()
                    .map(|c| map.get(c).copied().unwrap_or(1.0))
                    .collect())
            }
        }
    }
}

/// Any classifier of this crate, by name; what a model file stores.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum AnyClassifier {
    MultinomialNb(MultinomialNb),
    ComplementNb(ComplementNb),
    BernoulliNb(BernoulliNb),
    LinearSvc(LinearSvc),
    LogisticRegression(LogisticRegression),
    NbSvm(NbSvm),
}

impl AnyClassifier {
    /// The short name used on the command line.
    pub fn short_name(&self) -> &'static str {
        match self {
            AnyClassifier::MultinomialNb(_) => "nb",
            AnyClassifier::ComplementNb(_) => "cnb",
            AnyClassifier::BernoulliNb(_) => "bnb",
            AnyClassifier::LinearSvc(_) => "svm",
            AnyClassifier::LogisticRegression(_) => "logreg",
            AnyClassifier::NbSvm(_) => "nbsvm",
        }
    }

    /// A readable name: "MultinomialNB", "LinearSVC", …
    pub fn display_name(&self) -> &'static str {
        match self {
            AnyClassifier::MultinomialNb(_) => "MultinomialNB",
            AnyClassifier::ComplementNb(_) => "ComplementNB",
            AnyClassifier::BernoulliNb(_) => "BernoulliNB",
            AnyClassifier::LinearSvc(_) => "LinearSVC",
            AnyClassifier::LogisticRegression(_) => "LogisticRegression",
            AnyClassifier::NbSvm(_) => "NBSVM",
        }
    }

    /// An unfitted model of the given short name with default settings.
    pub fn by_name(name: &str) -> Result<Self, MlError> {
        Ok(match name {
            "nb" | "mnb" | "multinomial_nb" => AnyClassifier::MultinomialNb(Default::default()),
            "cnb" | "complement_nb" => AnyClassifier::ComplementNb(Default::default()),
            "bnb" | "bernoulli_nb" => AnyClassifier::BernoulliNb(Default::default()),
            "svm" | "linear_svc" => AnyClassifier::LinearSvc(Default::default()),
            "logreg" | "lr" | "logistic_regression" => {
                AnyClassifier::LogisticRegression(Default::default())
            }
            "nbsvm" => AnyClassifier::NbSvm(Default::default()),
            other => {
                return Err(MlError::Config(format!(
                    "unknown model '{other}': use nb, cnb, bnb, svm, logreg or nbsvm"
                )))
            }
        })
    }

    /// Sets a hyper-parameter by name (`c`, `alpha`, `beta`, `tol`,
    /// `max_iter`), for grid search and the command line. A parameter the
    /// model does not have is an error.
    pub fn set_param(&mut self, name: &str, value: f64) -> Result<(), MlError> {
        let model = self.display_name();
        let bad = |what: &str| {
            MlError::Config(format!("{model} has no parameter '{name}' (it has {what})"))
        };
        let positive = |v: f64| -> Result<f64, MlError> {
            if v.is_finite() && v > 0.0 {
                Ok(v)
            } else {
                Err(MlError::Config(format!("{name} must be > 0, got {v}")))
            }
        };
        match (self, name) {
            (AnyClassifier::MultinomialNb(m), "alpha") => {
                m.config.alpha = non_negative(name, value)?
            }
            (AnyClassifier::ComplementNb(m), "alpha") => {
                m.config.alpha = non_negative(name, value)?
            }
            (AnyClassifier::BernoulliNb(m), "alpha") => m.config.alpha = non_negative(name, value)?,
            (AnyClassifier::LinearSvc(m), "c") => m.config.c = positive(value)?,
            (AnyClassifier::LinearSvc(m), "tol") => m.config.tol = positive(value)?,
            (AnyClassifier::LinearSvc(m), "max_iter") => m.config.max_iter = count(name, value)?,
            (AnyClassifier::LogisticRegression(m), "c") => m.config.c = positive(value)?,
            (AnyClassifier::LogisticRegression(m), "tol") => m.config.tol = positive(value)?,
            (AnyClassifier::LogisticRegression(m), "max_iter") => {
                m.config.max_iter = count(name, value)?
            }
            (AnyClassifier::NbSvm(m), "c") => m.config.c = positive(value)?,
            (AnyClassifier::NbSvm(m), "alpha") => m.config.alpha = positive(value)?,
            (AnyClassifier::NbSvm(m), "beta") => {
                if !(0.0..=1.0).contains(&value) {
                    return Err(MlError::Config(format!(
                        "beta must be in [0, 1], got {value}"
                    )));
                }
                m.config.beta = value
            }
            (AnyClassifier::NbSvm(m), "max_iter") => m.config.max_iter = count(name, value)?,
            (AnyClassifier::MultinomialNb(_), _)
            | (AnyClassifier::ComplementNb(_), _)
            | (AnyClassifier::BernoulliNb(_), _) => return Err(bad("alpha")),
            (AnyClassifier::NbSvm(_), _) => return Err(bad("c, alpha, beta, max_iter")),
            _ => return Err(bad("c, tol, max_iter")),
        }
        Ok(())
    }

    /// Sets the class weights of a linear model (an error for Naive Bayes).
    pub fn set_class_weight(&mut self, weight: ClassWeight) -> Result<(), MlError> {
        match self {
            AnyClassifier::LinearSvc(m) => m.config.class_weight = weight,
            AnyClassifier::LogisticRegression(m) => m.config.class_weight = weight,
            other => {
                return Err(MlError::Config(format!(
                    "{} takes no class weights (use class priors instead)",
                    other.display_name()
                )))
            }
        }
        Ok(())
    }

    /// Sets the seed of a model with randomness (coordinate-descent order).
    pub fn set_seed(&mut self, seed: u64) {
        match self {
            AnyClassifier::LinearSvc(m) => m.config.seed = seed,
            AnyClassifier::NbSvm(m) => m.config.seed = seed,
            _ => {}
        }
    }

    /// How much each feature pushes towards each class, one row per class
    /// (class index order), for reading a fitted model ("top features").
    ///
    /// Linear models give their weights: a binary model's single row `w` is
    /// class 1's and `-w` class 0's; one-vs-rest rows are used as they are;
    /// NBSVM's are `w′ ∘ r` (Wang & Manning 2012, eq. 3). Naive Bayes gives
    /// each class's log-probability of the feature (Bernoulli: the log-odds
    /// of its presence) minus its mean over the classes: adding the same number to every class changes no prediction,
    /// so only this centred part says what favours a class (for a multinomial
    /// logistic regression the same centring is applied). `None` before
    /// fitting.
    pub fn feature_weights(&self) -> Option<Vec<Vec<f64>>> {
        // NB keeps feature-major tables `[f · k + c]`; the linear models
        // class-major rows `[p · F + f]`.
        let (flat, centre, feature_major) = match self {
            AnyClassifier::MultinomialNb(m) => (m.feature_log_prob.clone(), true, true),
            AnyClassifier::ComplementNb(m) => (m.feature_log_prob.clone(), true, true),
            // A present feature adds log p − log(1 − p) against its absence.
            AnyClassifier::BernoulliNb(m) => (
                m.feature_log_prob
                    .iter()
                    .map(|&lp| lp - (-lp.exp()).ln_1p())
                    .collect(),
                true,
                true,
            ),
            AnyClassifier::LinearSvc(m) => (m.coef.clone(), false, false),
            AnyClassifier::LogisticRegression(m) => (m.coef.clone(), m.intercept.len() > 1, false),
            AnyClassifier::NbSvm(m) => (
                m.coef.iter().zip(&m.r).map(|(w, r)| w * r).collect(),
                false,
                false,
            ),
        };
        let n_rows = match self {
            AnyClassifier::MultinomialNb(m) => m.class_log_prior.len(),
            AnyClassifier::ComplementNb(m) => m.class_log_prior.len(),
            AnyClassifier::BernoulliNb(m) => m.class_log_prior.len(),
            AnyClassifier::LinearSvc(m) => m.intercept.len(),
            AnyClassifier::LogisticRegression(m) => m.intercept.len(),
            AnyClassifier::NbSvm(m) => m.intercept.len(),
        };
        if n_rows == 0 || flat.is_empty() || flat.len() % n_rows != 0 {
            return None;
        }
        let flat = if feature_major {
            let f = flat.len() / n_rows;
            (0..n_rows * f)
                .map(|i| flat[(i % f) * n_rows + i / f])
                .collect()
        } else {
            flat
        };
        let f = flat.len() / n_rows;
        let mut rows: Vec<Vec<f64>> = flat.chunks(f).map(<[f64]>::to_vec).collect();
        if rows.len() == 1 {
            let neg = rows[0].iter().map(|w| -w).collect();
            rows.insert(0, neg);
        } else if centre {
            let k = rows.len() as f64;
            for j in 0..f {
                let mean = rows.iter().map(|r| r[j]).sum::<f64>() / k;
                for r in &mut rows {
                    r[j] -= mean;
                }
            }
        }
        Some(rows)
    }

    /// Whether every learned number is finite (JSON cannot store others).
    pub fn is_finite(&self) -> bool {
        let ok = |v: &[f64]| v.iter().all(|x| x.is_finite());
        match self {
            AnyClassifier::MultinomialNb(m) => ok(&m.feature_log_prob) && ok(&m.class_log_prior),
            AnyClassifier::ComplementNb(m) => ok(&m.feature_log_prob) && ok(&m.class_log_prior),
            AnyClassifier::BernoulliNb(m) => ok(&m.feature_log_prob) && ok(&m.class_log_prior),
            AnyClassifier::LinearSvc(m) => ok(&m.coef) && ok(&m.intercept),
            AnyClassifier::LogisticRegression(m) => ok(&m.coef) && ok(&m.intercept),
            AnyClassifier::NbSvm(m) => ok(&m.coef) && ok(&m.r) && ok(&m.intercept),
        }
    }

    fn inner(&self) -> &dyn Classifier {
        match self {
            AnyClassifier::MultinomialNb(m) => m,
            AnyClassifier::ComplementNb(m) => m,
            AnyClassifier::BernoulliNb(m) => m,
            AnyClassifier::LinearSvc(m) => m,
            AnyClassifier::LogisticRegression(m) => m,
            AnyClassifier::NbSvm(m) => m,
        }
    }

    fn inner_mut(&mut self) -> &mut dyn Classifier {
        match self {
            AnyClassifier::MultinomialNb(m) => m,
            AnyClassifier::ComplementNb(m) => m,
            AnyClassifier::BernoulliNb(m) => m,
            AnyClassifier::LinearSvc(m) => m,
            AnyClassifier::LogisticRegression(m) => m,
            AnyClassifier::NbSvm(m) => m,
        }
    }
}

fn non_negative(name: &str, v: f64) -> Result<f64, MlError> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(MlError::Config(format!("{name} must be ≥ 0, got {v}")))
    }
}

fn count(name: &str, v: f64) -> Result<usize, MlError> {
    if v.is_finite() && v >= 1.0 && v.fract() == 0.0 {
        Ok(v as usize)
    } else {
        Err(MlError::Config(format!(
            "{name} must be a whole number ≥ 1, got {v}"
        )))
    }
}

impl Classifier for AnyClassifier {
    fn fit(&mut self, x: &CsrMatrix, y: &[usize]) -> Result<(), MlError> {
        self.inner_mut().fit(x, y)
    }
    fn classes(&self) -> &[usize] {
        self.inner().classes()
    }
    fn decision_function(&self, x: &CsrMatrix) -> Result<Scores, MlError> {
        self.inner().decision_function(x)
    }
    fn predict_proba(&self, x: &CsrMatrix) -> Result<Option<Scores>, MlError> {
        self.inner().predict_proba(x)
    }
    fn predict(&self, x: &CsrMatrix) -> Result<Vec<usize>, MlError> {
        self.inner().predict(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argmax_and_balanced_weights() {
        let s = Scores::new(3, vec![1.0, 3.0, 3.0, -1.0, -2.0, -0.5]);
        assert_eq!(s.argmax(), [1, 2]);
        assert_eq!(Scores::new(1, vec![0.5, 0.0, -1.0]).argmax(), [1, 0, 0]);
        let w = ClassWeight::Balanced
            .weights(&[0, 2], &[0, 0, 0, 2])
            .unwrap();
        assert_eq!(w, [4.0 / 6.0, 2.0]);
        let mut m = BTreeMap::new();
        m.insert(2, 5.0);
        assert_eq!(
            ClassWeight::Explicit(m).weights(&[0, 2], &[0, 2]).unwrap(),
            [1.0, 5.0]
        );
    }

    #[test]
    fn params_by_name() {
        let mut m = AnyClassifier::by_name("svm").unwrap();
        m.set_param("c", 0.5).unwrap();
        assert!(m.set_param("alpha", 1.0).is_err());
        assert!(m.set_param("c", -1.0).is_err());
        let mut nb = AnyClassifier::by_name("nb").unwrap();
        assert!(nb.set_class_weight(ClassWeight::Balanced).is_err());
        assert!(AnyClassifier::by_name("forest").is_err());
    }
}
