//! Classification metrics with scikit-learn 1.7's definitions
//! (`sklearn.metrics`; Manning et al., *Introduction to Information
//! Retrieval*, §13.6 for the averages; Fawcett, *An introduction to ROC
//! analysis*, Pattern Recognition Letters 2006, for ROC curves):
//!
//! - precision `tp / (tp + fp)`, recall `tp / (tp + fn)`, F1 `2tp / (2tp + fp
//!   + fn)`; an undefined ratio (zero denominator) is 0, as scikit-learn's
//!   default `zero_division="warn"` returns (without the warning);
//! - macro average: the plain mean over classes; micro: the ratios of the
//!   summed counts; weighted: the mean weighted by support;
//! - the classes are those occurring in `y_true` or `y_pred` unless given;
//! - ROC: one point per distinct score (tied scores move together), collinear
//!   intermediate points dropped, `(0, 0)` prepended with threshold +∞; the
//!   area is the trapezoid rule over the curve, so ties count one half.
//!
//! Everything is O(n) (ROC: O(n log n) for the sort) with O(k²) for the
//! confusion matrix.

use serde::{Deserialize, Serialize};

use crate::error::MlError;

fn check_lengths(y_true: &[usize], y_pred: &[usize]) -> Result<(), MlError> {
    if y_true.len() != y_pred.len() {
        return Err(MlError::Shape(format!(
            "{} true labels but {} predictions",
            y_true.len(),
            y_pred.len()
        )));
    }
    if y_true.is_empty() {
        return Err(MlError::Empty("no labels to score".into()));
    }
    Ok(())
}

/// Fraction of exact matches.
pub fn accuracy(y_true: &[usize], y_pred: &[usize]) -> Result<f64, MlError> {
    check_lengths(y_true, y_pred)?;
    let hits = y_true.iter().zip(y_pred).filter(|(a, b)| a == b).count();
    Ok(hits as f64 / y_true.len() as f64)
}

/// The sorted classes occurring in either list.
pub fn present_labels(y_true: &[usize], y_pred: &[usize]) -> Vec<usize> {
    let mut l: Vec<usize> = y_true.iter().chain(y_pred).copied().collect();
    l.sort_unstable();
    l.dedup();
    l
}

/// `m[i][j]` = number of rows of true class `labels[i]` predicted as
/// `labels[j]`; rows whose labels are not listed are left out.
pub fn confusion_matrix(
    y_true: &[usize],
    y_pred: &[usize],
    labels: &[usize],
) -> Result<Vec<Vec<usize>>, MlError> {
    check_lengths(y_true, y_pred)?;
    let k = labels.len();
    let pos = |c: usize| labels.iter().position(|&l| l == c);
    let mut m = vec![vec![0usize; k]; k];
    for (&t, &p) in y_true.iter().zip(y_pred) {
        if let (Some(i), Some(j)) = (pos(t), pos(p)) {
            m[i][j] += 1;
        }
    }
    Ok(m)
}

/// How per-class scores are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Average {
    Macro,
    Micro,
    Weighted,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    pub label: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Rows of this class in `y_true`.
    pub support: usize,
}

fn ratio(num: f64, den: f64) -> f64 {
    if den == 0.0 {
        0.0
    } else {
        num / den
    }
}

/// Counts per label: (true positives, predicted count, true count).
fn counts(y_true: &[usize], y_pred: &[usize], labels: &[usize]) -> Vec<(f64, f64, f64)> {
    let k = labels.len();
    let pos = |c: usize| labels.binary_search(&c).ok();
    let mut out = vec![(0.0, 0.0, 0.0); k];
    for (&t, &p) in y_true.iter().zip(y_pred) {
        if let Some(i) = pos(t) {
            out[i].2 += 1.0;
            if t == p {
                out[i].0 += 1.0;
            }
        }
        if let Some(j) = pos(p) {
            out[j].1 += 1.0;
        }
    }
    out
}

fn sorted_labels(labels: Option<&[usize]>, y_true: &[usize], y_pred: &[usize]) -> Vec<usize> {
    match labels {
        Some(l) => {
            let mut l = l.to_vec();
            l.sort_unstable();
            l.dedup();
            l
        }
        None => present_labels(y_true, y_pred),
    }
}

/// Precision, recall, F1 and support for each label (ascending).
pub fn per_class_scores(
    y_true: &[usize],
    y_pred: &[usize],
    labels: Option<&[usize]>,
) -> Result<Vec<ClassScores>, MlError> {
    check_lengths(y_true, y_pred)?;
    let labels = sorted_labels(labels, y_true, y_pred);
    Ok(counts(y_true, y_pred, &labels)
        .into_iter()
        .zip(&labels)
        .map(|((tp, pred, truth), &label)| ClassScores {
            label,
            precision: ratio(tp, pred),
            recall: ratio(tp, truth),
            f1: ratio(2.0 * tp, truth + pred),
            support: truth as usize,
        })
        .collect())
}

/// Averaged precision, recall and F1 (`precision_recall_fscore_support`).
pub fn precision_recall_f1(
    y_true: &[usize],
    y_pred: &[usize],
    labels: Option<&[usize]>,
    average: Average,
) -> Result<Prf, MlError> {
    check_lengths(y_true, y_pred)?;
    let labels = sorted_labels(labels, y_true, y_pred);
    let c = counts(y_true, y_pred, &labels);
    if average == Average::Micro {
        let (tp, pred, truth) = c
            .iter()
            .fold((0.0, 0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
        return Ok(Prf {
            precision: ratio(tp, pred),
            recall: ratio(tp, truth),
            f1: ratio(2.0 * tp, truth + pred),
        });
    }
    let per = per_class_scores(y_true, y_pred, Some(&labels))?;
    let weights: Vec<f64> = match average {
        Average::Weighted => per.iter().map(|s| s.support as f64).collect(),
        _ => vec![1.0; per.len()],
    };
    let total: f64 = weights.iter().sum();
    let mean = |f: &dyn Fn(&ClassScores) -> f64| -> f64 {
        ratio(per.iter().zip(&weights).map(|(s, w)| f(s) * w).sum(), total)
    };
    Ok(Prf {
        precision: mean(&|s| s.precision),
        recall: mean(&|s| s.recall),
        f1: mean(&|s| s.f1),
    })
}

/// F1 with the given averaging over the present classes.
pub fn f1_score(y_true: &[usize], y_pred: &[usize], average: Average) -> Result<f64, MlError> {
    Ok(precision_recall_f1(y_true, y_pred, None, average)?.f1)
}

/// scikit-learn's `classification_report` as data, plus the confusion matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassificationReport {
    pub labels: Vec<usize>,
    pub per_class: Vec<ClassScores>,
    pub accuracy: f64,
    pub macro_avg: Prf,
    pub micro_avg: Prf,
    pub weighted_avg: Prf,
    /// Rows: true class, columns: predicted class, in `labels` order.
    pub confusion: Vec<Vec<usize>>,
    pub n_samples: usize,
}

impl ClassificationReport {
    pub fn new(
        y_true: &[usize],
        y_pred: &[usize],
        labels: Option<&[usize]>,
    ) -> Result<Self, MlError> {
        check_lengths(y_true, y_pred)?;
        let labels = sorted_labels(labels, y_true, y_pred);
        Ok(ClassificationReport {
            per_class: per_class_scores(y_true, y_pred, Some(&labels))?,
            accuracy: accuracy(y_true, y_pred)?,
            macro_avg: precision_recall_f1(y_true, y_pred, Some(&labels), Average::Macro)?,
            micro_avg: precision_recall_f1(y_true, y_pred, Some(&labels), Average::Micro)?,
            weighted_avg: precision_recall_f1(y_true, y_pred, Some(&labels), Average::Weighted)?,
            confusion: confusion_matrix(y_true, y_pred, &labels)?,
            n_samples: y_true.len(),
            labels,
        })
    }
}

/// A ROC curve: false and true positive rates at decreasing thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RocCurve {
    pub fpr: Vec<f64>,
    pub tpr: Vec<f64>,
    /// The first threshold is +∞ (nothing predicted positive).
    pub thresholds: Vec<f64>,
}

/// `roc_curve(y_true, scores, drop_intermediate=True)` for a binary problem.
pub fn roc_curve(y_true: &[bool], scores: &[f64]) -> Result<RocCurve, MlError> {
    if y_true.len() != scores.len() {
        return Err(MlError::Shape(format!(
            "{} labels but {} scores",
            y_true.len(),
            scores.len()
        )));
    }
    if let Some(i) = scores.iter().position(|s| s.is_nan()) {
        return Err(MlError::Invalid(format!("score {i} is NaN")));
    }
    let n_pos = y_true.iter().filter(|&&t| t).count();
    if n_pos == 0 || n_pos == y_true.len() {
        return Err(MlError::Invalid(
            "ROC needs both positive and negative examples; y_true has one class only".into(),
        ));
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    // Cumulative counts at the last row of each run of equal scores.
    let (mut tps, mut fps, mut thr) = (Vec::new(), Vec::new(), Vec::new());
    let (mut tp, mut fp) = (0.0, 0.0);
    for (k, &i) in order.iter().enumerate() {
        if y_true[i] {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        let last = k + 1 == order.len() || scores[order[k + 1]] != scores[i];
        if last {
            tps.push(tp);
            fps.push(fp);
            thr.push(scores[i]);
        }
    }
    // Drop points on a straight segment (zero second difference in both).
    if tps.len() > 2 {
        let n = tps.len();
        let keep: Vec<usize> = (0..n)
            .filter(|&i| {
                i == 0
                    || i == n - 1
                    || fps[i + 1] - 2.0 * fps[i] + fps[i - 1] != 0.0
                    || tps[i + 1] - 2.0 * tps[i] + tps[i - 1] != 0.0
            })
            .collect();
        tps = keep.iter().map(|&i| tps[i]).collect();
        fps = keep.iter().map(|&i| fps[i]).collect();
        thr = keep.iter().map(|&i| thr[i]).collect();
    }
    let (tp_all, fp_all) = (*tps.last().unwrap(), *fps.last().unwrap());
    let mut curve = RocCurve {
        fpr: vec![0.0],
        tpr: vec![0.0],
        thresholds: vec![f64::INFINITY],
    };
    curve.fpr.extend(fps.iter().map(|f| f / fp_all));
    curve.tpr.extend(tps.iter().map(|t| t / tp_all));
    curve.thresholds.extend(thr);
    Ok(curve)
}

/// Area under a curve by the trapezoid rule (`sklearn.metrics.auc`, for an
/// increasing `x`).
pub fn auc(x: &[f64], y: &[f64]) -> f64 {
    x.windows(2)
        .zip(y.windows(2))
        .map(|(xs, ys)| (xs[1] - xs[0]) * (ys[1] + ys[0]) / 2.0)
        .sum()
}

/// Area under the ROC curve of a binary problem.
pub fn roc_auc_score(y_true: &[bool], scores: &[f64]) -> Result<f64, MlError> {
    let c = roc_curve(y_true, scores)?;
    Ok(auc(&c.fpr, &c.tpr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prf_by_hand() {
        // Class 2 is never predicted: its precision is 0 (zero division).
        let t = [0, 0, 1, 1, 2];
        let p = [0, 1, 1, 1, 0];
        let per = per_class_scores(&t, &p, None).unwrap();
        assert_eq!(per[0].precision, 0.5);
        assert_eq!(per[1].precision, 2.0 / 3.0);
        assert_eq!(per[2].precision, 0.0);
        assert_eq!(per[2].f1, 0.0);
        let micro = precision_recall_f1(&t, &p, None, Average::Micro).unwrap();
        assert!((micro.f1 - accuracy(&t, &p).unwrap()).abs() < 1e-15);
        let m = confusion_matrix(&t, &p, &[0, 1, 2]).unwrap();
        assert_eq!(m, vec![vec![1, 1, 0], vec![0, 2, 0], vec![1, 0, 0]]);
        assert!(accuracy(&t, &p[..4]).is_err());
    }

    #[test]
    fn roc_with_ties() {
        // sklearn: roc_auc_score([0,0,1,1], [0.1,0.4,0.35,0.8]) = 0.75.
        let y = [false, false, true, true];
        assert!((roc_auc_score(&y, &[0.1, 0.4, 0.35, 0.8]).unwrap() - 0.75).abs() < 1e-15);
        // One tie between a positive and a negative counts one half.
        let auc = roc_auc_score(&[false, true], &[0.5, 0.5]).unwrap();
        assert!((auc - 0.5).abs() < 1e-15);
        assert!(roc_auc_score(&[true, true], &[0.1, 0.2]).is_err());
    }
}
