//! Learned aspect-term extraction for SemEval-2014 Task 4, subtask 1, as
//! BIO sequence tagging with a linear-chain CRF (Lafferty et al. 2001;
//! trained as CRFsuite does, [`crate::crf`]), the approach of the task's
//! strongest constrained systems (e.g. Toh & Wang 2014, "DLIREC";
//! Chernyshevich 2014, "IHS R&D Belarus").
//!
//! * Tokens: maximal runs of letters and digits, and every other non-space
//!   character alone, each with its character offsets, so that a tagged run
//!   of tokens maps back to the character span `(from, to)` the task scores.
//! * Labels: `B` on the first token of a gold term, `I` on its other tokens,
//!   `O` elsewhere (a gold span cut inside a token, which happens a few
//!   times in the train files, labels every token it touches).
//! * Attributes of a token (strings, as CRFsuite takes them): the word, its
//!   lower case, shape and short shape, prefixes and suffixes of 1–3
//!   letters of the lower case, capitalisation, digit and punctuation flags,
//!   the lower case and short shape of the neighbours within ±2, the word
//!   bigrams on either side, sentence boundaries, and whether the token lies
//!   inside a train aspect term ([`crate::absa::Gazetteer`], one gazetteer
//!   per minimum train precision in `gazetteer_precisions`, `gaz0=B` /
//!   `gaz0=I`). On the train split the gazetteer features of each sentence
//!   come from a gazetteer fitted on the other `folds` folds (jackknifing),
//!   so that the CRF learns how far a gazetteer hit on unseen text is worth
//!   trusting rather than that every train term is in the train gazetteer.
//! * Decoding: Viterbi, then BIO → spans (an `I` after `O` opens a term, as
//!   conlleval reads it), scored by [`crate::absa::extraction_scores`].
//!
//! Cost: attributes O(n · (window + affix)) strings per sentence of n
//! tokens; training as [`crate::crf`] (O(Σ_t |x_t| · 3 + 9) per token and
//! L-BFGS evaluation); memory O(distinct attributes · 3) weights and the
//! attribute names.

use std::sync::OnceLock;

use journey_data::readers::semeval::AbsaSentence;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::absa::{extraction_scores, gold_spans, ExtractionScores, Gazetteer, Span};
use crate::crf::{Crf, CrfConfig, Encoded};
use crate::crf_optim::LbfgsConfig;
use crate::ner_features::{short_shape, word_shape};
use crate::MlError;

/// Label names; their ids are the positions.
pub const LABELS: [&str; 3] = ["B", "I", "O"];
const B: u16 = 0;
const I: u16 = 1;
const O: u16 = 2;

/// One token with its character offsets in the sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub text: String,
    pub from: usize,
    pub to: usize,
}

/// Runs of letters/digits, and every other non-space character alone.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, String)> = None;
    let mut n = 0;
    for (i, c) in text.chars().enumerate() {
        n = i + 1;
        if c.is_alphanumeric() {
            match &mut cur {
                Some((_, s)) => s.push(c),
                None => cur = Some((i, c.to_string())),
            }
            continue;
        }
        if let Some((from, s)) = cur.take() {
            out.push(Token {
                text: s,
                from,
                to: i,
            });
        }
        if !c.is_whitespace() {
            out.push(Token {
                text: c.to_string(),
                from: i,
                to: i + 1,
            });
        }
    }
    if let Some((from, s)) = cur {
        out.push(Token {
            text: s,
            from,
            to: n,
        });
    }
    out
}

/// BIO label ids of `tokens` for the gold `spans`.
pub fn bio_labels(tokens: &[Token], spans: &[Span]) -> Vec<u16> {
    let mut out = vec![O; tokens.len()];
    for s in spans {
        let mut first = true;
        for (t, l) in tokens.iter().zip(out.iter_mut()) {
            if t.from < s.to && s.from < t.to {
                *l = if first { B } else { I };
                first = false;
            }
        }
    }
    out
}

/// The character spans of a BIO label sequence (ids of [`LABELS`]).
pub fn decode_spans(tokens: &[Token], labels: &[u16]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open: Option<Span> = None;
    for (t, &l) in tokens.iter().zip(labels) {
        match l {
            B => {
                out.extend(open.take());
                open = Some(Span {
                    from: t.from,
                    to: t.to,
                });
            }
            I => match &mut open {
                Some(s) => s.to = t.to,
                None => {
                    open = Some(Span {
                        from: t.from,
                        to: t.to,
                    })
                }
            },
            _ => out.extend(open.take()),
        }
    }
    out.extend(open);
    out
}

/// Training settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExtractionConfig {
    /// CRF L2 coefficient (`c2 · |w|²`, CRFsuite's form).
    pub c2: f64,
    /// L-BFGS iterations.
    pub max_iterations: usize,
    /// One gazetteer feature per minimum train precision.
    pub gazetteer_precisions: Vec<f64>,
    /// Folds of the jackknifed train gazetteer features (< 2: none, the
    /// gazetteer of the whole train split is used).
    pub folds: usize,
}

impl Default for ExtractionConfig {
    fn default() -> Self {
        ExtractionConfig {
            c2: 0.1,
            max_iterations: 100,
            gazetteer_precisions: vec![0.0, 0.5],
            folds: 5,
        }
    }
}

/// Gazetteer marks of each token: per gazetteer, `B`, `I` or nothing.
fn gazetteer_marks(tokens: &[Token], text: &str, gazetteers: &[Gazetteer]) -> Vec<Vec<char>> {
    let mut marks = vec![vec![' '; gazetteers.len()]; tokens.len()];
    for (g, gaz) in gazetteers.iter().enumerate() {
        for s in gaz.extract(text) {
            for (t, m) in tokens.iter().zip(marks.iter_mut()) {
                if t.from >= s.from && t.to <= s.to {
                    m[g] = if t.from == s.from { 'B' } else { 'I' };
                }
            }
        }
    }
    marks
}

/// The attribute strings of every token of a sentence. `marks[t][g]` is
/// token t's mark by gazetteer g (`B`, `I` or a space).
pub fn token_attributes(tokens: &[Token], marks: &[Vec<char>]) -> Vec<Vec<String>> {
    let n = tokens.len();
    let lower: Vec<String> = tokens.iter().map(|t| t.text.to_lowercase()).collect();
    let shapes: Vec<String> = tokens.iter().map(|t| short_shape(&t.text)).collect();
    let mut all = Vec::with_capacity(n);
    for t in 0..n {
        let w = tokens[t].text.as_str();
        let lw = &lower[t];
        let mut f = vec![
            "bias".to_string(),
            format!("w={w}"),
            format!("lw={lw}"),
            format!("sh={}", word_shape(w)),
            format!("ss={}", shapes[t]),
        ];
        let chars: Vec<char> = lw.chars().collect();
        for k in 1..=chars.len().min(3) {
            f.push(format!("p{k}={}", chars[..k].iter().collect::<String>()));
            f.push(format!(
                "s{k}={}",
                chars[chars.len() - k..].iter().collect::<String>()
            ));
        }
        let first_upper = w.chars().next().is_some_and(char::is_uppercase);
        let letters = w.chars().any(char::is_alphabetic);
        if first_upper {
            f.push("title".into());
        }
        if letters && w.chars().all(|c| !c.is_lowercase()) {
            f.push("upper".into());
        }
        if w.chars().any(|c| c.is_numeric()) {
            f.push("digit".into());
        }
        if w.chars().all(|c| !c.is_alphanumeric()) {
            f.push("punct".into());
        }
        if t == 0 {
            f.push("BOS".into());
        }
        if t + 1 == n {
            f.push("EOS".into());
        }
        for d in [-2isize, -1, 1, 2] {
            let j = t as isize + d;
            if j < 0 || j >= n as isize {
                f.push(format!("pad{d}"));
                continue;
            }
            let j = j as usize;
            f.push(format!("lw{d}={}", lower[j]));
            f.push(format!("ss{d}={}", shapes[j]));
        }
        if t > 0 {
            f.push(format!("bi-1={}|{lw}", lower[t - 1]));
        }
        if t + 1 < n {
            f.push(format!("bi+1={lw}|{}", lower[t + 1]));
        }
        for (g, &m) in marks[t].iter().enumerate() {
            if m != ' ' {
                f.push(format!("gaz{g}={m}"));
            }
            if t > 0 && marks[t - 1][g] != ' ' {
                f.push(format!("gaz{g}-1={}", marks[t - 1][g]));
            }
        }
        all.push(f);
    }
    all
}

/// A train sentence ready for the CRF: tokens, attribute strings, labels.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedSentence {
    pub tokens: Vec<Token>,
    pub attributes: Vec<Vec<String>>,
    pub labels: Vec<u16>,
}

fn gazetteers(train: &[&AbsaSentence], precisions: &[f64]) -> Vec<Gazetteer> {
    let owned: Vec<AbsaSentence> = train.iter().map(|s| (*s).clone()).collect();
    precisions
        .iter()
        .map(|&p| Gazetteer::fit(&owned, p))
        .collect()
}

/// The train sentences as the CRF sees them, with jackknifed gazetteer
/// attributes (sentence i in fold i mod `folds`).
pub fn train_sentences(train: &[AbsaSentence], config: &ExtractionConfig) -> Vec<TaggedSentence> {
    let folds = config.folds;
    let fold_gaz: Vec<Vec<Gazetteer>> = if folds >= 2 {
        (0..folds)
            .into_par_iter()
            .map(|f| {
                let kept: Vec<&AbsaSentence> = train
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % folds != f)
                    .map(|(_, s)| s)
                    .collect();
                gazetteers(&kept, &config.gazetteer_precisions)
            })
            .collect()
    } else {
        let all: Vec<&AbsaSentence> = train.iter().collect();
        vec![gazetteers(&all, &config.gazetteer_precisions)]
    };
    let gold = gold_spans(train);
    train
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let tokens = tokenize(&s.text);
            let marks = gazetteer_marks(&tokens, &s.text, &fold_gaz[i % fold_gaz.len()]);
            TaggedSentence {
                attributes: token_attributes(&tokens, &marks),
                labels: bio_labels(&tokens, &gold[i]),
                tokens,
            }
        })
        .collect()
}

/// A trained extractor: gazetteers, attribute names and the CRF.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AspectTagger {
    pub config: ExtractionConfig,
    /// Terms of each gazetteer (fitted on the whole train split).
    pub gazetteer_terms: Vec<Vec<String>>,
    /// Attribute names; the id of a name is its position.
    pub attributes: Vec<String>,
    pub crf: Crf,
    /// The training objective (`−Σ log p(y|x) + c2 |w|²`) at the end.
    #[serde(default)]
    pub objective: f64,
    #[serde(skip)]
    cache: OnceLock<(FxHashMap<String, u32>, Vec<Gazetteer>)>,
}

impl AspectTagger {
    /// Trains on the gold terms of `train`.
    pub fn fit(train: &[AbsaSentence], config: &ExtractionConfig) -> Result<Self, MlError> {
        if train.is_empty() {
            return Err(MlError::Empty("the train split has no sentences".into()));
        }
        if !(config.c2.is_finite() && config.c2 >= 0.0) {
            return Err(MlError::Config(format!(
                "c2 must be finite and >= 0, got {}",
                config.c2
            )));
        }
        let sentences = train_sentences(train, config);
        Self::fit_sentences(train, &sentences, config)
    }

    /// Trains on already prepared sentences (see [`train_sentences`]).
    pub fn fit_sentences(
        train: &[AbsaSentence],
        sentences: &[TaggedSentence],
        config: &ExtractionConfig,
    ) -> Result<Self, MlError> {
        let mut names: Vec<&str> = sentences
            .iter()
            .flat_map(|s| s.attributes.iter().flatten())
            .map(String::as_str)
            .collect();
        names.par_sort_unstable();
        names.dedup();
        let attributes: Vec<String> = names.into_iter().map(str::to_string).collect();
        let ids: FxHashMap<String, u32> = attributes
            .iter()
            .enumerate()
            .map(|(i, a)| (a.clone(), i as u32))
            .collect();
        let data: Vec<Encoded> = sentences
            .par_iter()
            .map(|s| Encoded {
                feats: s
                    .attributes
                    .iter()
                    .map(|f| f.iter().map(|a| ids[a]).collect())
                    .collect(),
                labels: s.labels.clone(),
            })
            .collect();
        let mut crf = Crf::new(attributes.len(), LABELS.len(), &data);
        let crf_config = CrfConfig {
            c2: config.c2,
            max_iterations: config.max_iterations,
            lbfgs: LbfgsConfig::default(),
        };
        let mut objective = f64::NAN;
        crf.fit(&data, &crf_config, |_, fx| {
            objective = fx;
            true
        });
        let all: Vec<&AbsaSentence> = train.iter().collect();
        let gaz = gazetteers(&all, &config.gazetteer_precisions);
        let tagger = AspectTagger {
            config: config.clone(),
            gazetteer_terms: gaz.iter().map(Gazetteer::terms).collect(),
            attributes,
            crf,
            objective,
            cache: OnceLock::new(),
        };
        let _ = tagger.cache.set((ids, gaz));
        Ok(tagger)
    }

    fn cache(&self) -> &(FxHashMap<String, u32>, Vec<Gazetteer>) {
        self.cache.get_or_init(|| {
            let ids = self
                .attributes
                .iter()
                .enumerate()
                .map(|(i, a)| (a.clone(), i as u32))
                .collect();
            let gaz = self
                .gazetteer_terms
                .iter()
                .zip(&self.config.gazetteer_precisions)
                .map(|(t, &p)| Gazetteer::from_terms(t, p))
                .collect();
            (ids, gaz)
        })
    }

    /// Tokens and attribute strings of a new sentence.
    pub fn attributes_of(&self, text: &str) -> (Vec<Token>, Vec<Vec<String>>) {
        let tokens = tokenize(text);
        let marks = gazetteer_marks(&tokens, text, &self.cache().1);
        let attrs = token_attributes(&tokens, &marks);
        (tokens, attrs)
    }

    /// The aspect-term spans of one sentence.
    pub fn extract(&self, text: &str) -> Vec<Span> {
        let (tokens, attrs) = self.attributes_of(text);
        if tokens.is_empty() {
            return Vec::new();
        }
        let ids = &self.cache().0;
        let feats: Vec<Vec<u32>> = attrs
            .iter()
            .map(|f| f.iter().filter_map(|a| ids.get(a).copied()).collect())
            .collect();
        let labels: Vec<u16> = self
            .crf
            .decode(&feats)
            .into_iter()
            .map(|l| l as u16)
            .collect();
        decode_spans(&tokens, &labels)
    }

    /// Spans of every sentence, in parallel.
    pub fn extract_all(&self, sentences: &[AbsaSentence]) -> Vec<Vec<Span>> {
        sentences
            .par_iter()
            .map(|s| self.extract(&s.text))
            .collect()
    }

    /// The task's P/R/F1 on `test`.
    pub fn evaluate(&self, test: &[AbsaSentence]) -> ExtractionScores {
        extraction_scores(&gold_spans(test), &self.extract_all(test))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_character_offsets() {
        let t = tokenize("Great pad thai, café’s\u{a0}fries!");
        let got: Vec<(&str, usize, usize)> =
            t.iter().map(|t| (t.text.as_str(), t.from, t.to)).collect();
        assert_eq!(
            got,
            [
                ("Great", 0, 5),
                ("pad", 6, 9),
                ("thai", 10, 14),
                (",", 14, 15),
                ("café", 16, 20),
                ("’", 20, 21),
                ("s", 21, 22),
                ("fries", 23, 28),
                ("!", 28, 29)
            ]
        );
    }

    #[test]
    fn bio_round_trip_and_loose_decoding() {
        let tokens = tokenize("the pad thai and wine list");
        let spans = [Span { from: 4, to: 12 }, Span { from: 17, to: 26 }];
        let labels = bio_labels(&tokens, &spans);
        assert_eq!(labels, [O, B, I, O, B, I]);
        assert_eq!(decode_spans(&tokens, &labels), spans);
        // An I after O opens a term; B after B closes the first.
        assert_eq!(
            decode_spans(&tokens, &[I, B, B, O, O, I]),
            [
                Span { from: 0, to: 3 },
                Span { from: 4, to: 7 },
                Span { from: 8, to: 12 },
                Span { from: 22, to: 26 }
            ]
        );
        // A gold span cut inside a token labels the whole token.
        assert_eq!(
            bio_labels(&tokens, &[Span { from: 5, to: 10 }]),
            [O, B, I, O, O, O]
        );
    }

    #[test]
    fn attributes_mark_gazetteer_hits_and_neighbours() {
        let tokens = tokenize("Pad thai");
        let marks = vec![vec!['B'], vec!['I']];
        let a = token_attributes(&tokens, &marks);
        for want in ["w=Pad", "lw=pad", "sh=Xxx", "ss=Xx", "p2=pa", "s3=pad"] {
            assert!(a[0].contains(&want.to_string()), "{want}: {:?}", a[0]);
        }
        for want in [
            "title",
            "BOS",
            "pad-1",
            "lw1=thai",
            "bi+1=pad|thai",
            "gaz0=B",
        ] {
            assert!(a[0].contains(&want.to_string()), "{want}: {:?}", a[0]);
        }
        for want in ["EOS", "gaz0=I", "gaz0-1=B", "bi-1=pad|thai", "pad2"] {
            assert!(a[1].contains(&want.to_string()), "{want}: {:?}", a[1]);
        }
    }
}
