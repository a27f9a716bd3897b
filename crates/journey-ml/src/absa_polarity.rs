//! Learned aspect-term polarity for SemEval-2014 Task 4, subtask 2 (the
//! gold terms given): multinomial logistic regression
//! ([`crate::logistic_regression`], scikit-learn's problem) over features of
//! the context of the term, in the spirit of the task's best feature-based
//! systems (Kiritchenko et al. 2014, "NRC-Canada": surface and lexicon
//! features around the term; Wagner et al. 2014, "DCU": windows and
//! clauses with negation).
//!
//! Features of one term, with the tokens of [`crate::absa_extraction::tokenize`]
//! lower-cased, all binary unless said:
//! * `A:w` the term's own words, `AT:term` the whole term;
//! * `L:w` / `R:w` the words of the `window` tokens left / right of the term,
//!   `L1:w` / `R1:w` the nearest word on each side, `LB:a b` / `RB:a b` the
//!   bigrams inside each window;
//! * `C:w` the words of the term's clause (cut as in
//!   [`crate::absa::WindowPolarity`]);
//! * `NEG:L`, `NEG:R`, `NEG:C` a negation cue (not, no, never, n't, …) in the
//!   left or right window or the clause;
//! * real-valued VADER scores (Hutto & Gilbert 2014): `vw+` / `vw-` the
//!   positive / negative part of the compound of the term's window (within
//!   its clause), `vwpos` / `vwneg` that window's positive and negative
//!   proportions, `vs+` / `vs-` the compound of the whole sentence.
//!
//! The vocabulary is every feature name seen in training, in sorted order
//! (scikit-learn's `DictVectorizer(sort=True)` order); classes are the train
//! polarities, sorted (conflict, negative, neutral, positive).
//!
//! Cost: O(sentence length) per term for the features plus two VADER calls;
//! training as logistic regression, O(nnz · k) per L-BFGS evaluation;
//! memory O(vocabulary · k) weights and the names.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use journey_data::readers::semeval::AbsaSentence;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::absa::{Span, WindowPolarity};
use crate::absa_extraction::{tokenize, Token};
use crate::classifier::Classifier;
use crate::logistic_regression::{LogisticRegression, LogisticRegressionConfig};
use crate::metrics::{accuracy, f1_score, Average};
use crate::sparse::CsrMatrix;
use crate::vader::SentimentIntensityAnalyzer;
use crate::MlError;

/// Training settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolarityConfig {
    /// Tokens either side of the term for the `L:` / `R:` words and VADER.
    pub window: usize,
    /// Inverse regularisation strength of the logistic regression.
    pub c: f64,
    /// Gradient tolerance and iterations of its L-BFGS.
    pub tol: f64,
    pub max_iter: usize,
}

impl Default for PolarityConfig {
    fn default() -> Self {
        PolarityConfig {
            window: 5,
            c: 1.0,
            tol: 1e-6,
            max_iter: 2000,
        }
    }
}

const NEGATIONS: &[&str] = &[
    "not", "no", "never", "nothing", "none", "nobody", "nor", "neither", "without", "cannot",
    "hardly", "barely", "nowhere",
];

/// Whether token k is a negation cue (a word of the list, or the `t` of
/// "n't", which the tokenizer splits off as n ' t).
fn is_negation(lower: &[String], k: usize) -> bool {
    let w = lower[k].as_str();
    NEGATIONS.contains(&w)
        || (w == "t"
            && k >= 2
            && matches!(lower[k - 1].as_str(), "'" | "’")
            && lower[k - 2].ends_with('n'))
}

/// The features of the term at `span` in `text` (see the module comment).
pub fn aspect_features(
    analyzer: &SentimentIntensityAnalyzer,
    text: &str,
    span: Span,
    window: usize,
) -> BTreeMap<String, f64> {
    let tokens = tokenize(text);
    let lower: Vec<String> = tokens.iter().map(|t| t.text.to_lowercase()).collect();
    let inside: Vec<usize> = (0..tokens.len())
        .filter(|&k| tokens[k].from < span.to && span.from < tokens[k].to)
        .collect();
    // Without covering tokens (an empty span), the term sits between them.
    let first = inside
        .first()
        .copied()
        .unwrap_or_else(|| tokens.iter().take_while(|t| t.to <= span.from).count());
    let end = inside.last().map_or(first, |&k| k + 1);
    let mut f = BTreeMap::new();
    let mut on = |name: String| {
        f.insert(name, 1.0);
    };
    for w in &lower[first..end] {
        on(format!("A:{w}"));
    }
    let term: Vec<&str> = lower[first..end].iter().map(String::as_str).collect();
    on(format!("AT:{}", term.join(" ")));
    let lo = first.saturating_sub(window);
    let hi = end.saturating_add(window).min(tokens.len());
    for k in lo..first {
        on(format!("L:{}", lower[k]));
        if k + 1 < first {
            on(format!("LB:{} {}", lower[k], lower[k + 1]));
        }
    }
    for k in end..hi {
        on(format!("R:{}", lower[k]));
        if k + 1 < hi {
            on(format!("RB:{} {}", lower[k], lower[k + 1]));
        }
    }
    if first > 0 {
        on(format!("L1:{}", lower[first - 1]));
    }
    if end < tokens.len() {
        on(format!("R1:{}", lower[end]));
    }
    if (lo..first).any(|k| is_negation(&lower, k)) {
        on("NEG:L".into());
    }
    if (end..hi).any(|k| is_negation(&lower, k)) {
        on("NEG:R".into());
    }
    let clause = WindowPolarity {
        window: usize::MAX,
        clause: true,
        neutral_threshold: 0.05,
    }
    .window_text(text, span);
    let clause_tokens: Vec<Token> = tokenize(clause);
    let clause_lower: Vec<String> = clause_tokens
        .iter()
        .map(|t| t.text.to_lowercase())
        .collect();
    for w in &clause_lower {
        on(format!("C:{w}"));
    }
    if (0..clause_lower.len()).any(|k| is_negation(&clause_lower, k)) {
        on("NEG:C".into());
    }
    let near = WindowPolarity {
        window,
        clause: true,
        neutral_threshold: 0.05,
    }
    .window_text(text, span);
    let w = analyzer.polarity_scores(near);
    let s = analyzer.polarity_scores(text);
    for (name, v) in [
        ("vw+", w.compound.max(0.0)),
        ("vw-", (-w.compound).max(0.0)),
        ("vwpos", w.pos),
        ("vwneg", w.neg),
        ("vs+", s.compound.max(0.0)),
        ("vs-", (-s.compound).max(0.0)),
    ] {
        if v != 0.0 {
            f.insert(name.to_string(), v);
        }
    }
    f
}

/// Features and gold polarity of every term of `sentences`, in order.
pub fn term_features(
    analyzer: &SentimentIntensityAnalyzer,
    sentences: &[AbsaSentence],
    window: usize,
) -> Vec<(BTreeMap<String, f64>, String)> {
    let terms: Vec<(&str, Span, &str)> = sentences
        .iter()
        .flat_map(|s| {
            s.aspect_terms.iter().map(move |a| {
                (
                    s.text.as_str(),
                    Span {
                        from: a.from,
                        to: a.to,
                    },
                    a.polarity.as_str(),
                )
            })
        })
        .collect();
    terms
        .par_iter()
        .map(|&(text, span, p)| (aspect_features(analyzer, text, span, window), p.to_string()))
        .collect()
}

/// Accuracy and macro-F1 of the polarities of the gold terms.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct PolarityScores {
    pub accuracy: f64,
    /// Over the classes present in the gold or the predictions.
    pub macro_f1: f64,
    pub correct: usize,
    pub total: usize,
}

/// Scores predicted against gold polarity names.
pub fn polarity_scores<S: AsRef<str>, T: AsRef<str>>(
    gold: &[S],
    predicted: &[T],
) -> PolarityScores {
    let mut names: Vec<&str> = gold
        .iter()
        .map(AsRef::as_ref)
        .chain(predicted.iter().map(AsRef::as_ref))
        .collect();
    names.sort_unstable();
    names.dedup();
    let id = |s: &str| names.binary_search(&s).unwrap_or(0);
    let g: Vec<usize> = gold.iter().map(|s| id(s.as_ref())).collect();
    let p: Vec<usize> = predicted.iter().map(|s| id(s.as_ref())).collect();
    if g.is_empty() || g.len() != p.len() {
        return PolarityScores::default();
    }
    PolarityScores {
        accuracy: accuracy(&g, &p).unwrap_or(0.0),
        macro_f1: f1_score(&g, &p, Average::Macro).unwrap_or(0.0),
        correct: g.iter().zip(&p).filter(|(a, b)| a == b).count(),
        total: g.len(),
    }
}

/// A trained polarity classifier.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AspectPolarity {
    pub config: PolarityConfig,
    /// Feature names; the column of a name is its position.
    pub vocabulary: Vec<String>,
    /// Polarity names; the model's class j is `classes[j]`.
    pub classes: Vec<String>,
    pub model: LogisticRegression,
    #[serde(skip)]
    ids: OnceLock<FxHashMap<String, u32>>,
}

impl AspectPolarity {
    /// Trains on the gold terms and polarities of `train`.
    pub fn fit(
        analyzer: &SentimentIntensityAnalyzer,
        train: &[AbsaSentence],
        config: &PolarityConfig,
    ) -> Result<Self, MlError> {
        let rows = term_features(analyzer, train, config.window);
        Self::fit_rows(&rows, config)
    }

    /// Trains on prepared rows (see [`term_features`]).
    pub fn fit_rows(
        rows: &[(BTreeMap<String, f64>, String)],
        config: &PolarityConfig,
    ) -> Result<Self, MlError> {
        if rows.is_empty() {
            return Err(MlError::Empty("the train split has no aspect terms".into()));
        }
        let mut vocabulary: Vec<String> =
            rows.iter().flat_map(|(f, _)| f.keys().cloned()).collect();
        vocabulary.sort_unstable();
        vocabulary.dedup();
        let mut classes: Vec<String> = rows.iter().map(|(_, p)| p.clone()).collect();
        classes.sort_unstable();
        classes.dedup();
        if classes.len() < 2 {
            return Err(MlError::Invalid(format!(
                "the train split has one polarity only ({})",
                classes[0]
            )));
        }
        let mut out = AspectPolarity {
            config: config.clone(),
            vocabulary,
            classes,
            model: LogisticRegression::new(LogisticRegressionConfig {
                c: config.c,
                tol: config.tol,
                max_iter: config.max_iter,
                ..Default::default()
            }),
            ids: OnceLock::new(),
        };
        let x = out.matrix(rows.iter().map(|(f, _)| f))?;
        let y: Vec<usize> = rows
            .iter()
            .map(|(_, p)| out.classes.binary_search(p).unwrap())
            .collect();
        out.model.fit(&x, &y)?;
        Ok(out)
    }

    fn ids(&self) -> &FxHashMap<String, u32> {
        self.ids.get_or_init(|| {
            self.vocabulary
                .iter()
                .enumerate()
                .map(|(i, v)| (v.clone(), i as u32))
                .collect()
        })
    }

    /// Rows of features as a matrix over the vocabulary (unknown names dropped).
    fn matrix<'a>(
        &self,
        rows: impl Iterator<Item = &'a BTreeMap<String, f64>>,
    ) -> Result<CsrMatrix, MlError> {
        let ids = self.ids();
        let rows: Vec<Vec<(u32, f64)>> = rows
            .map(|f| {
                f.iter()
                    .filter_map(|(k, &v)| ids.get(k).map(|&c| (c, v)))
                    .collect()
            })
            .collect();
        CsrMatrix::from_rows(self.vocabulary.len(), rows)
    }

    /// The predicted polarity of each row of features.
    pub fn predict_rows(&self, rows: &[BTreeMap<String, f64>]) -> Result<Vec<String>, MlError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let x = self.matrix(rows.iter())?;
        Ok(self
            .model
            .predict(&x)?
            .into_iter()
            .map(|c| self.classes[c].clone())
            .collect())
    }

    /// The predicted polarity of the term at `span` of `text`.
    pub fn predict(
        &self,
        analyzer: &SentimentIntensityAnalyzer,
        text: &str,
        span: Span,
    ) -> Result<String, MlError> {
        let f = aspect_features(analyzer, text, span, self.config.window);
        Ok(self.predict_rows(&[f])?.remove(0))
    }

    /// Accuracy and macro-F1 on the gold terms of `test`.
    pub fn evaluate(
        &self,
        analyzer: &SentimentIntensityAnalyzer,
        test: &[AbsaSentence],
    ) -> Result<PolarityScores, MlError> {
        let rows = term_features(analyzer, test, self.config.window);
        let (feats, gold): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
        let predicted = self.predict_rows(&feats)?;
        Ok(polarity_scores(&gold, &predicted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vader::{EmojiLexicon, VaderConfig, VaderLexicon};

    fn analyzer() -> SentimentIntensityAnalyzer {
        let lexicon = VaderLexicon::parse(
            "good\t1.9\t0.9\t[2, 2]\nbad\t-2.5\t0.5\t[-2, -3]\n",
            std::path::Path::new("test"),
        )
        .unwrap();
        SentimentIntensityAnalyzer::new(lexicon, EmojiLexicon::default(), VaderConfig::default())
    }

    #[test]
    fn features_mark_sides_clause_and_negation() {
        let text = "The pasta was not good, but the wine list is great";
        let f = aspect_features(&analyzer(), text, Span { from: 4, to: 9 }, 3);
        for k in [
            "A:pasta",
            "AT:pasta",
            "L:the",
            "L1:the",
            "R:was",
            "R:not",
            "R:good",
            "R1:was",
            "RB:was not",
            "NEG:R",
            "NEG:C",
            "C:pasta",
            "C:,",
            "vw-",
        ] {
            assert!(f.contains_key(k), "{k}: {f:?}");
        }
        for k in ["R:,", "C:wine", "NEG:L", "vw+"] {
            assert!(!f.contains_key(k), "{k}: {f:?}");
        }
        let f = aspect_features(&analyzer(), "It isn't bad", Span { from: 0, to: 2 }, 3);
        assert!(f.contains_key("NEG:R"), "{f:?}");
    }

    #[test]
    fn scores_count_every_class_present() {
        let s = polarity_scores(
            &["positive", "negative", "neutral", "positive"],
            &["positive", "neutral", "neutral", "conflict"],
        );
        assert_eq!((s.correct, s.total), (2, 4));
        assert!((s.accuracy - 0.5).abs() < 1e-15);
        // F1 per class: conflict 0, negative 0, neutral 2/3, positive 2/3.
        assert!((s.macro_f1 - (4.0 / 3.0) / 4.0).abs() < 1e-12, "{s:?}");
    }
}
