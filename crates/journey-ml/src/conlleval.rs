//! Entity-level evaluation of chunk taggers, as `conlleval.pl` (CoNLL-2000
//! shared task) and seqeval's default mode compute it: a predicted entity is
//! correct only when its type, first and last token all equal a gold entity's.
//! Precision = correct / predicted, recall = correct / gold, F1 their
//! harmonic mean, per type and micro-averaged over all types (0 when a
//! denominator is 0, as seqeval's `zero_division` default does). Token
//! accuracy is conlleval's first line.
//!
//! Spans come from [`crate::tag_scheme::spans`], so IOB1, IOB2 and IOBES
//! inputs are all read like conlleval reads them.
//!
//! Cost: O(tokens) time, O(entities) memory.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::tag_scheme::{spans, Span};
use crate::MlError;

/// Counts and scores for one entity type (or all of them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChunkScore {
    /// Predicted entities equal to a gold one.
    pub correct: usize,
    /// Predicted entities.
    pub predicted: usize,
    /// Gold entities (seqeval's "support").
    pub gold: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl ChunkScore {
    fn finish(&mut self) {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        self.precision = ratio(self.correct, self.predicted);
        self.recall = ratio(self.correct, self.gold);
        self.f1 = if self.precision + self.recall == 0.0 {
            0.0
        } else {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        };
    }
}

/// conlleval's report: token accuracy, per type and overall scores.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConllEval {
    pub tokens: usize,
    pub accuracy: f64,
    pub overall: ChunkScore,
    /// Sorted by type name.
    pub per_type: BTreeMap<String, ChunkScore>,
}

/// Scores predicted against gold tag sequences (one per sentence).
pub fn evaluate<S: AsRef<str>, T: AsRef<str>>(
    gold: &[Vec<S>],
    predicted: &[Vec<T>],
) -> Result<ConllEval, MlError> {
    if gold.len() != predicted.len() {
        return Err(MlError::Shape(format!(
            "{} gold sentences but {} predicted",
            gold.len(),
            predicted.len()
        )));
    }
    let mut report = ConllEval::default();
    let mut same = 0usize;
    for (i, (g, p)) in gold.iter().zip(predicted).enumerate() {
        if g.len() != p.len() {
            return Err(MlError::Shape(format!(
                "sentence {}: {} gold tags but {} predicted",
                i + 1,
                g.len(),
                p.len()
            )));
        }
        report.tokens += g.len();
        same += g
            .iter()
            .zip(p)
            .filter(|(a, b)| a.as_ref() == b.as_ref())
            .count();
        let gs = spans(g);
        let ps = spans(p);
        let gold_set: HashSet<&Span> = gs.iter().collect();
        for s in &gs {
            report.per_type.entry(s.kind.clone()).or_default().gold += 1;
        }
        for s in &ps {
            let e = report.per_type.entry(s.kind.clone()).or_default();
            e.predicted += 1;
            if gold_set.contains(s) {
                e.correct += 1;
            }
        }
    }
    for s in report.per_type.values_mut() {
        report.overall.correct += s.correct;
        report.overall.predicted += s.predicted;
        report.overall.gold += s.gold;
        s.finish();
    }
    report.overall.finish();
    report.accuracy = if report.tokens == 0 {
        0.0
    } else {
        same as f64 / report.tokens as f64
    };
    Ok(report)
}

impl ConllEval {
    /// conlleval's text table (percentages with two decimals).
    pub fn table(&self) -> String {
        let o = &self.overall;
        let mut s = format!(
            "processed {} tokens with {} phrases; found: {} phrases; correct: {}.\n\
             accuracy: {:6.2}%; precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}\n",
            self.tokens,
            o.gold,
            o.predicted,
            o.correct,
            100.0 * self.accuracy,
            100.0 * o.precision,
            100.0 * o.recall,
            100.0 * o.f1
        );
        for (k, v) in &self.per_type {
            s.push_str(&format!(
                "{k:>17}: precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}  {}\n",
                100.0 * v.precision,
                100.0 * v.recall,
                100.0 * v.f1,
                v.predicted
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seqeval_docstring_example() {
        // seqeval's README example: micro F1 0.50, PER p=r=1, MISC p=r=0.
        let gold = vec![
            vec!["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"],
            vec!["B-PER", "I-PER", "O"],
        ];
        let pred = vec![
            vec!["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"],
            vec!["B-PER", "I-PER", "O"],
        ];
        let r = evaluate(&gold, &pred).unwrap();
        assert_eq!(r.overall.f1, 0.5);
        assert_eq!(r.per_type["PER"].f1, 1.0);
        assert_eq!(r.per_type["MISC"].f1, 0.0);
        assert!(evaluate(&gold, &pred[..1]).is_err());
    }
}
