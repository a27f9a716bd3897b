//! Aspect-based sentiment baselines for SemEval-2014 Task 4 (Pontiki et al.,
//! "SemEval-2014 Task 4: Aspect Based Sentiment Analysis", 2014): lexicon and
//! window methods, scored as the task's own evaluation script scores them.
//!
//! * Aspect-term extraction, subtask 1. [`OfficialBaseline`] is the task's
//!   baseline: every (lower-cased) aspect term of the train split is tagged
//!   wherever it occurs surrounded by spaces. [`Gazetteer`] keeps only the
//!   train terms that are usually aspects where they occur (their train
//!   precision, at least `min_precision`, chosen by 5-fold cross-validation
//!   on the train split), and matches them case-insensitively at word
//!   boundaries, longest first, without overlaps.
//! * Scoring ([`extraction_scores`]): per sentence, the predicted character
//!   spans (from, to) that are also gold spans; P = matched / predicted,
//!   R = matched / gold, F1 their harmonic mean — exact-span matching, as the
//!   task's `semeval_base.py` `Evaluate.aspect_extraction`.
//! * Aspect polarity given the gold terms, subtask 2 ([`WindowPolarity`]):
//!   VADER's compound on the `window` whitespace tokens either side of the
//!   term (the term included), optionally kept inside the term's clause
//!   (cut after a token ending in , ; : . ! ? and at "but", "although",
//!   "though", "however", "whereas", "while"); ≥ 0.05 positive, ≤ -0.05
//!   negative, else neutral (VADER's usual thresholds; "conflict" is never
//!   predicted). Window and clause are chosen on the train split. Accuracy =
//!   correct / gold terms.
//!
//! Cost: extraction O(n · t) per sentence of n characters for the t train
//! terms sharing a first letter; polarity one VADER call per aspect term.
//! Memory: the term list.

use std::collections::BTreeMap;

use journey_data::readers::semeval::AbsaSentence;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::pystr;
use crate::vader::SentimentIntensityAnalyzer;

/// Settings; `Default` tunes both choices on the train split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AbsaConfig {
    /// Minimum train precision of a gazetteer term; `None`: cross-validated.
    pub min_precision: Option<f64>,
    /// Tokens either side of the term for polarity; `None`: chosen on train.
    pub window: Option<usize>,
    /// Keep the polarity window inside the term's clause; `None`: chosen on train.
    pub clause: Option<bool>,
    /// |compound| below this is neutral.
    pub neutral_threshold: f64,
    /// Folds of the cross-validation of `min_precision`.
    pub folds: usize,
}

impl Default for AbsaConfig {
    fn default() -> Self {
        Self {
            min_precision: None,
            window: None,
            clause: None,
            neutral_threshold: 0.05,
            folds: 5,
        }
    }
}

/// A term's character offsets in its sentence (Python string indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    pub from: usize,
    pub to: usize,
}

/// The gold spans of each sentence.
pub fn gold_spans(sentences: &[AbsaSentence]) -> Vec<Vec<Span>> {
    sentences
        .iter()
        .map(|s| {
            s.aspect_terms
                .iter()
                .map(|a| Span {
                    from: a.from,
                    to: a.to,
                })
                .collect()
        })
        .collect()
}

/// Precision, recall and F1 of term extraction, with their counts.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ExtractionScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub matched: usize,
    pub predicted: usize,
    pub gold: usize,
}

/// The task's scoring of extracted spans (see the module comment).
pub fn extraction_scores(gold: &[Vec<Span>], predicted: &[Vec<Span>]) -> ExtractionScores {
    let (mut matched, mut n_pred, mut n_gold) = (0, 0, 0);
    for (g, p) in gold.iter().zip(predicted) {
        matched += p.iter().filter(|s| g.contains(s)).count();
        n_pred += p.len();
        n_gold += g.len();
    }
    let precision = if n_pred > 0 {
        matched as f64 / n_pred as f64
    } else {
        0.0
    };
    let recall = if n_gold > 0 {
        matched as f64 / n_gold as f64
    } else {
        0.0
    };
    let f1 = if precision > 0.0 && recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    ExtractionScores {
        precision,
        recall,
        f1,
        matched,
        predicted: n_pred,
        gold: n_gold,
    }
}

/// Byte offset → character offset in `text`.
fn char_offset(text: &str, byte: usize) -> usize {
    text[..byte].chars().count()
}

/// The task's baseline extractor (`BaselineAspectExtractor`).
#[derive(Debug, Clone)]
pub struct OfficialBaseline {
    candidates: Vec<String>,
}

impl OfficialBaseline {
    pub fn fit(train: &[AbsaSentence]) -> Self {
        let set: FxHashSet<String> = train
            .iter()
            .flat_map(|s| s.aspect_terms.iter())
            .map(|a| pystr::lower(&a.term).into_owned())
            .collect();
        let mut candidates: Vec<String> = set.into_iter().collect();
        candidates.sort();
        Self { candidates }
    }

    /// Every candidate found as " term " in the text (case as written), left
    /// to right, the search resuming after each hit's trailing space.
    pub fn extract(&self, text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        for c in &self.candidates {
            let pattern = format!(" {c} ");
            let mut start = 0;
            while let Some(pos) = text[start..].find(&pattern) {
                let at = start + pos;
                let from = char_offset(text, at) + 1;
                out.push(Span {
                    from,
                    to: from + c.chars().count(),
                });
                start = at + pattern.len();
            }
        }
        out
    }

    pub fn len(&self) -> usize {
        self.candidates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }
}

/// One character lower-cased to one character (offsets stay aligned).
fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// Folded terms indexed by their first word (the leading run of letters and
/// digits), so that each text position is tried against few terms.
#[derive(Debug, Clone, Default)]
struct TermIndex {
    terms: Vec<Vec<char>>,
    by_head: FxHashMap<Vec<char>, Vec<usize>>,
    /// Terms that start with a non-word character (tried everywhere).
    headless: Vec<usize>,
}

impl TermIndex {
    /// `terms` in the order candidates should be tried (longest first for
    /// extraction).
    fn new(terms: Vec<Vec<char>>) -> Self {
        let mut by_head: FxHashMap<Vec<char>, Vec<usize>> = FxHashMap::default();
        let mut headless = Vec::new();
        for (k, t) in terms.iter().enumerate() {
            let n = t.iter().take_while(|c| is_word(**c)).count();
            if n == 0 {
                headless.push(k);
            } else {
                by_head.entry(t[..n].to_vec()).or_default().push(k);
            }
        }
        Self {
            terms,
            by_head,
            headless,
        }
    }

    /// The terms that occur at `i` (word-bounded on both sides), in order.
    fn matches_at<'a>(&'a self, chars: &'a [char], i: usize) -> impl Iterator<Item = usize> + 'a {
        let left_ok = i == 0 || !is_word(chars[i - 1]);
        let word_len = chars[i..].iter().take_while(|c| is_word(**c)).count();
        let headed = if left_ok && word_len > 0 {
            self.by_head.get(&chars[i..i + word_len])
        } else {
            None
        };
        let headless = if left_ok { &self.headless[..] } else { &[] };
        headed
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .chain(headless)
            .copied()
            .filter(move |&k| {
                let t = &self.terms[k];
                let end = i + t.len();
                end <= chars.len()
                    && chars[i..end] == t[..]
                    && (end == chars.len() || !is_word(chars[end]))
            })
    }
}

/// Train aspect terms filtered by how often they are aspects where they occur.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    index: TermIndex,
    pub min_precision: f64,
}

/// Per folded train term: (times gold, times it occurs word-bounded).
fn term_counts(train: &[AbsaSentence]) -> BTreeMap<Vec<char>, (usize, usize)> {
    let mut counts: BTreeMap<Vec<char>, (usize, usize)> = BTreeMap::new();
    for s in train {
        for a in &s.aspect_terms {
            counts
                .entry(a.term.chars().map(fold).collect())
                .or_default()
                .0 += 1;
        }
    }
    counts.remove(&Vec::new());
    let index = TermIndex::new(counts.keys().cloned().collect());
    let mut seen = vec![0usize; index.terms.len()];
    for s in train {
        let chars: Vec<char> = s.text.chars().map(fold).collect();
        for i in 0..chars.len() {
            for k in index.matches_at(&chars, i) {
                seen[k] += 1;
            }
        }
    }
    for (c, n) in counts.values_mut().zip(seen) {
        c.1 = n;
    }
    counts
}

impl Gazetteer {
    /// Keeps the train terms whose train precision (gold / occurrences) is
    /// at least `min_precision`.
    pub fn fit(train: &[AbsaSentence], min_precision: f64) -> Self {
        Self::from_counts(&term_counts(train), min_precision)
    }

    /// A gazetteer of the given (already chosen) terms, folded to lower case.
    pub fn from_terms(terms: &[String], min_precision: f64) -> Self {
        let mut terms: Vec<Vec<char>> = terms
            .iter()
            .map(|t| t.chars().map(fold).collect::<Vec<char>>())
            .filter(|t| !t.is_empty())
            .collect();
        terms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        terms.dedup();
        Self {
            index: TermIndex::new(terms),
            min_precision,
        }
    }

    /// The (folded) terms, longest first.
    pub fn terms(&self) -> Vec<String> {
        self.index
            .terms
            .iter()
            .map(|t| t.iter().collect())
            .collect()
    }

    fn from_counts(counts: &BTreeMap<Vec<char>, (usize, usize)>, min_precision: f64) -> Self {
        let mut terms: Vec<Vec<char>> = counts
            .iter()
            .filter(|(_, &(gold, seen))| {
                gold as f64 / seen.max(gold).max(1) as f64 >= min_precision
            })
            .map(|(t, _)| t.clone())
            .collect();
        terms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        Self {
            index: TermIndex::new(terms),
            min_precision,
        }
    }

    /// Chooses `min_precision` on a grid by k-fold cross-validation (folds by
    /// sentence index modulo k), maximising the summed F1 of the folds.
    pub fn fit_cv(train: &[AbsaSentence], folds: usize) -> Self {
        let folds = folds.max(2);
        let grid: Vec<f64> = (0..10).map(|k| k as f64 / 10.0).collect();
        let mut best = (f64::NEG_INFINITY, 0.0);
        let split: Vec<(Vec<AbsaSentence>, Vec<AbsaSentence>)> = (0..folds)
            .map(|f| {
                let (held, kept): (Vec<_>, Vec<_>) =
                    train.iter().enumerate().partition(|(i, _)| i % folds == f);
                (
                    kept.into_iter().map(|(_, s)| s.clone()).collect(),
                    held.into_iter().map(|(_, s)| s.clone()).collect(),
                )
            })
            .collect();
        let counts: Vec<_> = split.iter().map(|(fit, _)| term_counts(fit)).collect();
        for &t in &grid {
            let mut f1 = 0.0;
            for ((_, held), c) in split.iter().zip(&counts) {
                let g = Self::from_counts(c, t);
                let predicted: Vec<Vec<Span>> = held.iter().map(|s| g.extract(&s.text)).collect();
                f1 += extraction_scores(&gold_spans(held), &predicted).f1;
            }
            if f1 > best.0 {
                best = (f1, t);
            }
        }
        Self::fit(train, best.1)
    }

    /// Longest-first, non-overlapping, word-bounded, case-insensitive matches.
    pub fn extract(&self, text: &str) -> Vec<Span> {
        let chars: Vec<char> = text.chars().map(fold).collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            // Candidates come longest first.
            match self
                .index
                .matches_at(&chars, i)
                .map(|k| self.index.terms[k].len())
                .max()
            {
                Some(len) => {
                    out.push(Span {
                        from: i,
                        to: i + len,
                    });
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }

    pub fn len(&self) -> usize {
        self.index.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.terms.is_empty()
    }
}

/// VADER on a window of tokens around an aspect term.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowPolarity {
    /// Tokens either side (`usize::MAX`: the whole sentence).
    pub window: usize,
    /// Stay inside the term's clause.
    pub clause: bool,
    pub neutral_threshold: f64,
}

impl WindowPolarity {
    /// The text of the window around `span` (whitespace tokens).
    pub fn window_text<'a>(&self, text: &'a str, span: Span) -> &'a str {
        // Token character spans.
        let mut tokens: Vec<(usize, usize, usize, usize)> = Vec::new(); // char from/to, byte from/to
        let (mut ci, mut start): (usize, Option<(usize, usize)>) = (0, None);
        for (b, c) in text.char_indices() {
            if pystr::is_space(c) {
                if let Some((cs, bs)) = start.take() {
                    tokens.push((cs, ci, bs, b));
                }
            } else if start.is_none() {
                start = Some((ci, b));
            }
            ci += 1;
        }
        if let Some((cs, bs)) = start {
            tokens.push((cs, ci, bs, text.len()));
        }
        let covering: Vec<usize> = (0..tokens.len())
            .filter(|&k| tokens[k].0 < span.to && span.from < tokens[k].1)
            .collect();
        let (Some(&first), Some(&last)) = (covering.first(), covering.last()) else {
            return text;
        };
        let (mut start, mut end) = (0, tokens.len() - 1);
        if self.clause {
            let word = |k: usize| &text[tokens[k].2..tokens[k].3];
            let boundary_word = |k: usize| {
                matches!(
                    pystr::lower(word(k)).as_ref(),
                    "but" | "although" | "though" | "however" | "whereas" | "while"
                )
            };
            let ends_clause = |k: usize| word(k).ends_with([',', ';', ':', '.', '!', '?']);
            for k in (0..first).rev() {
                if boundary_word(k) || ends_clause(k) {
                    start = k + 1;
                    break;
                }
            }
            for k in last + 1..tokens.len() {
                if boundary_word(k) {
                    end = k - 1;
                    break;
                }
                if ends_clause(k) {
                    end = k;
                    break;
                }
            }
        }
        let lo = first.saturating_sub(self.window).max(start);
        let hi = last.saturating_add(self.window).min(end);
        &text[tokens[lo].2..tokens[hi].3]
    }

    pub fn predict(
        &self,
        analyzer: &SentimentIntensityAnalyzer,
        text: &str,
        span: Span,
    ) -> &'static str {
        let c = analyzer
            .polarity_scores(self.window_text(text, span))
            .compound;
        if c >= self.neutral_threshold {
            "positive"
        } else if c <= -self.neutral_threshold {
            "negative"
        } else {
            "neutral"
        }
    }

    /// Accuracy over the gold aspect terms: (correct, total).
    pub fn accuracy(
        &self,
        analyzer: &SentimentIntensityAnalyzer,
        sentences: &[AbsaSentence],
    ) -> (usize, usize) {
        let mut correct = 0;
        let mut total = 0;
        for s in sentences {
            for a in &s.aspect_terms {
                let span = Span {
                    from: a.from,
                    to: a.to,
                };
                correct += usize::from(self.predict(analyzer, &s.text, span) == a.polarity);
                total += 1;
            }
        }
        (correct, total)
    }

    /// The window (1..=10 tokens or the whole sentence, within the clause
    /// or not) with the best train accuracy; ties go to the earlier choice
    /// (clause first, then the smaller window).
    pub fn fit(
        analyzer: &SentimentIntensityAnalyzer,
        train: &[AbsaSentence],
        neutral_threshold: f64,
        clause: Option<bool>,
    ) -> Self {
        let mut best: Option<(usize, Self)> = None;
        let clauses: &[bool] = match clause {
            Some(true) => &[true],
            Some(false) => &[false],
            None => &[true, false],
        };
        for (&clause, window) in clauses
            .iter()
            .flat_map(|c| (1..=10).chain([usize::MAX]).map(move |w| (c, w)))
        {
            let w = Self {
                window,
                clause,
                neutral_threshold,
            };
            let (correct, _) = w.accuracy(analyzer, train);
            if best.as_ref().is_none_or(|(c, _)| correct > *c) {
                best = Some((correct, w));
            }
        }
        best.map(|(_, w)| w).expect("the grid is not empty")
    }
}

/// The most frequent gold polarity of the train terms (ties: alphabetical).
pub fn majority_polarity(train: &[AbsaSentence]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for a in train.iter().flat_map(|s| s.aspect_terms.iter()) {
        *counts.entry(a.polarity.as_str()).or_default() += 1;
    }
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(p, _)| p.to_string())
        .unwrap_or_default()
}

/// Everything `journey sentiment absa` reports.
#[derive(Debug, Clone, Serialize)]
pub struct AbsaReport {
    pub train_sentences: usize,
    pub test_sentences: usize,
    pub official_baseline: ExtractionScores,
    pub gazetteer: ExtractionScores,
    pub gazetteer_terms: usize,
    pub gazetteer_min_precision: f64,
    pub polarity_window: Option<usize>,
    pub polarity_clause: bool,
    pub polarity_accuracy: f64,
    pub polarity_correct: usize,
    pub polarity_total: usize,
    pub sentence_vader_accuracy: f64,
    pub majority_polarity: String,
    pub majority_accuracy: f64,
}

/// Fits on `train`, evaluates on `test` (gold terms and polarities).
pub fn evaluate(
    train: &[AbsaSentence],
    test: &[AbsaSentence],
    analyzer: &SentimentIntensityAnalyzer,
    config: &AbsaConfig,
) -> AbsaReport {
    let gold = gold_spans(test);
    let baseline = OfficialBaseline::fit(train);
    let predicted: Vec<Vec<Span>> = test.iter().map(|s| baseline.extract(&s.text)).collect();
    let official = extraction_scores(&gold, &predicted);
    let gazetteer = match config.min_precision {
        Some(t) => Gazetteer::fit(train, t),
        None => Gazetteer::fit_cv(train, config.folds),
    };
    let predicted: Vec<Vec<Span>> = test.iter().map(|s| gazetteer.extract(&s.text)).collect();
    let gaz = extraction_scores(&gold, &predicted);
    let window = match config.window {
        Some(window) => {
            let clauses: &[bool] = match config.clause {
                Some(true) => &[true],
                Some(false) => &[false],
                None => &[true, false],
            };
            let mut best: Option<(usize, WindowPolarity)> = None;
            for &clause in clauses {
                let w = WindowPolarity {
                    window,
                    clause,
                    neutral_threshold: config.neutral_threshold,
                };
                let (correct, _) = w.accuracy(analyzer, train);
                if best.as_ref().is_none_or(|(c, _)| correct > *c) {
                    best = Some((correct, w));
                }
            }
            best.map(|(_, w)| w).expect("at least one choice")
        }
        None => WindowPolarity::fit(analyzer, train, config.neutral_threshold, config.clause),
    };
    let (correct, total) = window.accuracy(analyzer, test);
    let sentence = WindowPolarity {
        window: usize::MAX,
        clause: false,
        neutral_threshold: config.neutral_threshold,
    };
    let (sentence_correct, _) = sentence.accuracy(analyzer, test);
    let majority = majority_polarity(train);
    let majority_correct = test
        .iter()
        .flat_map(|s| s.aspect_terms.iter())
        .filter(|a| a.polarity == majority)
        .count();
    let share = |c: usize| {
        if total > 0 {
            c as f64 / total as f64
        } else {
            0.0
        }
    };
    AbsaReport {
        train_sentences: train.len(),
        test_sentences: test.len(),
        official_baseline: official,
        gazetteer: gaz,
        gazetteer_terms: gazetteer.len(),
        gazetteer_min_precision: gazetteer.min_precision,
        polarity_window: (window.window != usize::MAX).then_some(window.window),
        polarity_clause: window.clause,
        polarity_accuracy: share(correct),
        polarity_correct: correct,
        polarity_total: total,
        sentence_vader_accuracy: share(sentence_correct),
        majority_polarity: majority,
        majority_accuracy: share(majority_correct),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use journey_data::readers::semeval::AspectTerm;

    fn sentence(text: &str, terms: &[(&str, &str)]) -> AbsaSentence {
        AbsaSentence {
            id: "1".into(),
            text: text.into(),
            aspect_terms: terms
                .iter()
                .map(|(t, p)| {
                    let from = text[..text.find(t).unwrap()].chars().count();
                    AspectTerm {
                        term: t.to_string(),
                        polarity: p.to_string(),
                        from,
                        to: from + t.chars().count(),
                    }
                })
                .collect(),
            aspect_categories: vec![],
        }
    }

    #[test]
    fn scoring_counts_exact_spans() {
        let gold = vec![
            vec![Span { from: 0, to: 4 }, Span { from: 10, to: 15 }],
            vec![],
        ];
        let pred = vec![
            vec![Span { from: 0, to: 4 }, Span { from: 10, to: 14 }],
            vec![Span { from: 1, to: 2 }],
        ];
        let s = extraction_scores(&gold, &pred);
        assert_eq!((s.matched, s.predicted, s.gold), (1, 3, 2));
        assert!((s.precision - 1.0 / 3.0).abs() < 1e-15 && (s.recall - 0.5).abs() < 1e-15);
        assert!((s.f1 - 0.4).abs() < 1e-12);
        assert_eq!(extraction_scores(&gold, &[vec![], vec![]]).f1, 0.0);
    }

    #[test]
    fn baseline_needs_spaces_gazetteer_uses_word_boundaries() {
        let train = [sentence(
            "The Battery life is great",
            &[("Battery life", "positive")],
        )];
        let b = OfficialBaseline::fit(&train);
        assert_eq!(
            b.extract("My battery life, and the battery life is ok"),
            [Span { from: 25, to: 37 }]
        );
        let g = Gazetteer::fit(&train, 0.5);
        assert_eq!(
            g.extract("Battery life, and the battery life"),
            [Span { from: 0, to: 12 }, Span { from: 22, to: 34 }]
        );
        assert!(g.extract("batterylife").is_empty());
    }

    #[test]
    fn window_text_covers_the_term_and_neighbours() {
        let mut w = WindowPolarity {
            window: 1,
            clause: false,
            neutral_threshold: 0.05,
        };
        let text = "the food was great but service slow";
        assert_eq!(w.window_text(text, Span { from: 4, to: 8 }), "the food was");
        w.window = 10;
        w.clause = true;
        assert_eq!(
            w.window_text(text, Span { from: 4, to: 8 }),
            "the food was great"
        );
        let t = "Tasty, but slow service.";
        assert_eq!(w.window_text(t, Span { from: 16, to: 23 }), "slow service.");
        w.window = 1;
        w.clause = false;
        assert_eq!(
            w.window_text(text, Span { from: 23, to: 30 }),
            "but service slow"
        );
    }
}
