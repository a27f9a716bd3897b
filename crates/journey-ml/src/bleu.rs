//! BLEU (Papineni, Roukos, Ward & Zhu 2002, "BLEU: a Method for Automatic
//! Evaluation of Machine Translation"), computed as sacreBLEU 2.5 computes it
//! (Post 2018), so that scores match the ones people publish.
//!
//! For each hypothesis segment, clipped n-gram matches (n = 1..=N, N = 4) are
//! counted against the references: a hypothesis n-gram counts at most as often
//! as it occurs in the reference where it occurs most. The corpus statistics
//! are the sums over segments of matches `c_n`, hypothesis n-grams `t_n`,
//! hypothesis length `h` and the reference length closest to each hypothesis
//! (ties: the shorter). Then
//!
//! ```text
//! BLEU = BP · exp( (1/N) Σ_n log p_n ),   p_n = 100 · c_n / t_n,
//! BP   = 1 if h ≥ r, else exp(1 − r/h)  (0 when h = 0)
//! ```
//!
//! Zero matches are smoothed as Chen & Cherry (2014) list them: `exp`
//! (sacreBLEU's default, NIST's: the k-th zero precision becomes 100/(2^k t_n)),
//! `floor` (100·ε/t_n, ε = 0.1), `add-k` (add k = 1 to c_n and t_n for n > 1)
//! or `none` (a zero precision gives a score of 0). With *effective order*
//! (for sentence BLEU) the mean runs only over the orders the hypothesis has
//! n-grams of. A corpus with no match at all scores 0.
//!
//! Cost: O(L · N) time and memory per segment (L tokens, hash maps of the
//! segment's n-grams); segments are counted in parallel with rayon.

use std::fmt;
use std::str::FromStr;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::MlError;
use crate::pystr;
pub use crate::sacrebleu_tokenize::BleuTokenizer;

/// The sacreBLEU version whose numbers, signature and printed line this module
/// reproduces; it is the `version:` field of the signature.
pub const SACREBLEU_VERSION: &str = "2.5.1";

/// How zero n-gram matches are smoothed (Chen & Cherry 2014).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SmoothMethod {
    /// No smoothing: any zero precision makes the score 0.
    None,
    /// Method 1: a zero count becomes `smooth_value` (default 0.1).
    Floor,
    /// Method 2: add `smooth_value` (default 1) to matches and totals, n > 1.
    AddK,
    /// Method 3 (NIST, mteval-v13a): the k-th zero precision is 1/(2^k t_n).
    #[default]
    Exp,
}

impl SmoothMethod {
    /// sacreBLEU's name for the method.
    pub fn name(self) -> &'static str {
        match self {
            SmoothMethod::None => "none",
            SmoothMethod::Floor => "floor",
            SmoothMethod::AddK => "add-k",
            SmoothMethod::Exp => "exp",
        }
    }

    /// The default parameter of `floor` and `add-k`; `None` for the others.
    pub fn default_value(self) -> Option<f64> {
        match self {
            SmoothMethod::Floor => Some(0.1),
            SmoothMethod::AddK => Some(1.0),
            SmoothMethod::None | SmoothMethod::Exp => None,
        }
    }
}

impl FromStr for SmoothMethod {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(SmoothMethod::None),
            "floor" => Ok(SmoothMethod::Floor),
            "add-k" => Ok(SmoothMethod::AddK),
            "exp" => Ok(SmoothMethod::Exp),
            other => Err(format!(
                "unknown smoothing {other:?}: use exp, floor, add-k or none"
            )),
        }
    }
}

/// BLEU settings, sacreBLEU's `BLEU(...)` arguments one to one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BleuConfig {
    pub tokenize: BleuTokenizer,
    /// Lower-case hypotheses and references first (Python's `str.lower`).
    pub lowercase: bool,
    pub smooth_method: SmoothMethod,
    /// The parameter of `floor` / `add-k`; `None` takes the method's default.
    pub smooth_value: Option<f64>,
    pub max_ngram_order: usize,
    /// Average only over the orders with n-grams (use for sentence BLEU).
    pub effective_order: bool,
}

impl Default for BleuConfig {
    fn default() -> Self {
        BleuConfig {
            tokenize: BleuTokenizer::Tok13a,
            lowercase: false,
            smooth_method: SmoothMethod::Exp,
            smooth_value: None,
            max_ngram_order: 4,
            effective_order: false,
        }
    }
}

/// A BLEU score and the statistics it was computed from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BleuScore {
    /// BLEU in 0..=100.
    pub score: f64,
    /// Clipped n-gram matches per order (before any add-k smoothing).
    pub counts: Vec<u64>,
    /// Hypothesis n-grams per order (before any add-k smoothing).
    pub totals: Vec<u64>,
    /// n-gram precisions in percent, after smoothing.
    pub precisions: Vec<f64>,
    /// Brevity penalty.
    pub bp: f64,
    pub sys_len: u64,
    pub ref_len: u64,
    /// sacreBLEU's signature, e.g. `nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.5.1`.
    pub signature: String,
}

impl BleuScore {
    /// Hypothesis length over reference length (0 without references).
    pub fn ratio(&self) -> f64 {
        if self.ref_len == 0 {
            0.0
        } else {
            self.sys_len as f64 / self.ref_len as f64
        }
    }
}

/// sacreBLEU's score line:
/// `BLEU|nrefs:1|…|version:2.5.1 = 28.98 100.0/54.5/33.1/21.7 (BP = 0.651 ratio = 0.700 hyp_len = 8475 ref_len = 12108)`.
impl fmt::Display for BleuScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let precisions: Vec<String> = self.precisions.iter().map(|p| format!("{p:.1}")).collect();
        write!(
            f,
            "BLEU|{} = {:.2} {} (BP = {:.3} ratio = {:.3} hyp_len = {} ref_len = {})",
            self.signature,
            self.score,
            precisions.join("/"),
            self.bp,
            self.ratio(),
            self.sys_len,
            self.ref_len
        )
    }
}

/// Sufficient statistics of one segment (or, summed, of a corpus).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BleuStats {
    pub sys_len: u64,
    pub ref_len: u64,
    pub correct: Vec<u64>,
    pub total: Vec<u64>,
}

impl BleuStats {
    fn zeros(order: usize) -> Self {
        BleuStats {
            sys_len: 0,
            ref_len: 0,
            correct: vec![0; order],
            total: vec![0; order],
        }
    }

    fn add(&mut self, other: &BleuStats) {
        self.sys_len += other.sys_len;
        self.ref_len += other.ref_len;
        for (a, b) in self.correct.iter_mut().zip(&other.correct) {
            *a += b;
        }
        for (a, b) in self.total.iter_mut().zip(&other.total) {
            *a += b;
        }
    }
}

/// The BLEU metric with its settings.
#[derive(Clone, Debug, Default)]
pub struct Bleu {
    pub config: BleuConfig,
}

/// sacreBLEU's floored logarithm: log 0 is -9999999999.
fn floored_ln(x: f64) -> f64 {
    if x == 0.0 {
        -9_999_999_999.0
    } else {
        x.ln()
    }
}

/// All n-grams of order 1..=max of `tokens` with their counts.
fn ngram_counts<'a>(tokens: &'a [&'a str], max_order: usize) -> FxHashMap<&'a [&'a str], u64> {
    let mut counts = FxHashMap::default();
    for n in 1..=max_order.min(tokens.len()) {
        for gram in tokens.windows(n) {
            *counts.entry(gram).or_insert(0) += 1;
        }
    }
    counts
}

/// The reference length closest to `hyp_len`; on a tie the shorter one.
fn closest_ref_len(hyp_len: u64, ref_lens: &[u64]) -> u64 {
    let mut best: Option<(u64, u64)> = None;
    for &len in ref_lens {
        let diff = hyp_len.abs_diff(len);
        best = match best {
            Some((d, l)) if diff > d || (diff == d && len >= l) => Some((d, l)),
            _ => Some((diff, len)),
        };
    }
    best.map_or(0, |(_, l)| l)
}

impl Bleu {
    pub fn new(config: BleuConfig) -> Result<Self, MlError> {
        if config.max_ngram_order == 0 {
            return Err(MlError::Config(
                "BLEU max_ngram_order must be at least 1".into(),
            ));
        }
        if let Some(v) = config.smooth_value {
            if !v.is_finite() || v < 0.0 {
                return Err(MlError::Config(format!(
                    "BLEU smooth_value must be a finite non-negative number, got {v}"
                )));
            }
        }
        Ok(Bleu { config })
    }

    /// Lower-cases (if asked), strips trailing whitespace and tokenizes.
    pub fn preprocess(&self, line: &str) -> String {
        let line = if self.config.lowercase {
            pystr::lower(line).into_owned()
        } else {
            line.to_string()
        };
        let line = line.trim_end_matches(pystr::is_space);
        self.config.tokenize.tokenize(line).into_owned()
    }

    /// Statistics of one hypothesis against its references.
    pub fn segment_stats(&self, hyp: &str, refs: &[&str]) -> BleuStats {
        let order = self.config.max_ngram_order;
        let refs: Vec<String> = refs.iter().map(|r| self.preprocess(r)).collect();
        let ref_tokens: Vec<Vec<&str>> = refs.iter().map(|r| pystr::split(r).collect()).collect();
        let mut ref_ngrams: FxHashMap<&[&str], u64> = FxHashMap::default();
        for tokens in &ref_tokens {
            for (gram, count) in ngram_counts(tokens, order) {
                let best = ref_ngrams.entry(gram).or_insert(0);
                *best = (*best).max(count);
            }
        }
        let ref_lens: Vec<u64> = ref_tokens.iter().map(|t| t.len() as u64).collect();

        let hyp = self.preprocess(hyp);
        let hyp_tokens: Vec<&str> = pystr::split(&hyp).collect();
        let mut stats = BleuStats::zeros(order);
        stats.sys_len = hyp_tokens.len() as u64;
        stats.ref_len = closest_ref_len(stats.sys_len, &ref_lens);
        for (gram, count) in ngram_counts(&hyp_tokens, order) {
            let n = gram.len() - 1;
            stats.total[n] += count;
            if let Some(&r) = ref_ngrams.get(gram) {
                stats.correct[n] += count.min(r);
            }
        }
        stats
    }

    /// Corpus BLEU. `refs` are reference *streams* (as sacreBLEU takes them):
    /// `refs[k][i]` is the k-th reference of hypothesis `i`.
    pub fn corpus_score<H: AsRef<str> + Sync, R: AsRef<str> + Sync>(
        &self,
        hyps: &[H],
        refs: &[Vec<R>],
    ) -> Result<BleuScore, MlError> {
        if refs.is_empty() {
            return Err(MlError::Empty(
                "BLEU needs at least one reference stream".into(),
            ));
        }
        for (k, stream) in refs.iter().enumerate() {
            if stream.len() != hyps.len() {
                return Err(MlError::Shape(format!(
                    "reference stream {} has {} lines but there are {} hypotheses",
                    k + 1,
                    stream.len(),
                    hyps.len()
                )));
            }
        }
        let order = self.config.max_ngram_order;
        let stats = (0..hyps.len())
            .into_par_iter()
            .map(|i| {
                let seg_refs: Vec<&str> = refs.iter().map(|s| s[i].as_ref()).collect();
                self.segment_stats(hyps[i].as_ref(), &seg_refs)
            })
            .reduce(
                || BleuStats::zeros(order),
                |mut a, b| {
                    a.add(&b);
                    a
                },
            );
        Ok(self.score_from_stats(&stats, refs.len()))
    }

    /// Sentence BLEU of one hypothesis against its references (set
    /// `effective_order` for the usual sentence-level behaviour).
    pub fn sentence_score(&self, hyp: &str, refs: &[&str]) -> Result<BleuScore, MlError> {
        if refs.is_empty() {
            return Err(MlError::Empty(
                "sentence BLEU needs at least one reference".into(),
            ));
        }
        let stats = self.segment_stats(hyp, refs);
        Ok(self.score_from_stats(&stats, refs.len()))
    }

    /// sacreBLEU's signature for `nrefs` references.
    pub fn signature(&self, nrefs: usize) -> String {
        let c = &self.config;
        let mut smooth = c.smooth_method.name().to_string();
        if let Some(default) = c.smooth_method.default_value() {
            smooth.push_str(&format!("[{:.2}]", c.smooth_value.unwrap_or(default)));
        }
        format!(
            "nrefs:{nrefs}|case:{}|eff:{}|tok:{}|smooth:{smooth}|version:{SACREBLEU_VERSION}",
            if c.lowercase { "lc" } else { "mixed" },
            if c.effective_order { "yes" } else { "no" },
            c.tokenize.signature(),
        )
    }

    /// The score from summed statistics: precisions, smoothing, brevity
    /// penalty, geometric mean.
    pub fn score_from_stats(&self, stats: &BleuStats, nrefs: usize) -> BleuScore {
        let c = &self.config;
        let order = c.max_ngram_order;
        let smooth_value = c
            .smooth_value
            .or(c.smooth_method.default_value())
            .unwrap_or(0.0);
        let (sys_len, ref_len) = (stats.sys_len, stats.ref_len);
        let bp = if sys_len < ref_len {
            if sys_len > 0 {
                (1.0 - ref_len as f64 / sys_len as f64).exp()
            } else {
                0.0
            }
        } else {
            1.0
        };
        let mut precisions = vec![0.0; order];
        let mut result = BleuScore {
            score: 0.0,
            counts: stats.correct.clone(),
            totals: stats.total.clone(),
            precisions: vec![],
            bp,
            sys_len,
            ref_len,
            signature: self.signature(nrefs),
        };
        if stats.correct.iter().all(|&x| x == 0) {
            result.precisions = precisions;
            return result;
        }
        let mut smooth_mteval = 1.0f64;
        let mut eff_order = order;
        for n in 1..=order {
            let (mut correct, mut total) = (stats.correct[n - 1] as f64, stats.total[n - 1] as f64);
            if c.smooth_method == SmoothMethod::AddK && n > 1 {
                correct += smooth_value;
                total += smooth_value;
            }
            if total == 0.0 {
                break;
            }
            if c.effective_order {
                eff_order = n;
            }
            if correct == 0.0 {
                match c.smooth_method {
                    SmoothMethod::Exp => {
                        smooth_mteval *= 2.0;
                        precisions[n - 1] = 100.0 / (smooth_mteval * total);
                    }
                    SmoothMethod::Floor => precisions[n - 1] = 100.0 * smooth_value / total,
                    SmoothMethod::AddK | SmoothMethod::None => {}
                }
            } else {
                precisions[n - 1] = 100.0 * correct / total;
            }
        }
        let log_sum: f64 = precisions[..eff_order].iter().map(|&p| floored_ln(p)).sum();
        result.score = bp * (log_sum / eff_order as f64).exp();
        result.precisions = precisions;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_corpus_scores_100() {
        let bleu = Bleu::default();
        let hyps = ["the cat sat on the mat .", "a dog barked"];
        let s = bleu.corpus_score(&hyps, &[hyps.to_vec()]).unwrap();
        assert!((s.score - 100.0).abs() < 1e-12);
        assert_eq!(s.bp, 1.0);
    }

    #[test]
    fn clipping_limits_repeated_words() {
        // Papineni et al.'s example: "the the the the the the the" vs
        // "the cat is on the mat" has unigram precision 2/7.
        let bleu = Bleu::default();
        let st = bleu.segment_stats("the the the the the the the", &["the cat is on the mat"]);
        assert_eq!((st.correct[0], st.total[0]), (2, 7));
    }

    #[test]
    fn closest_reference_length_prefers_shorter_on_ties() {
        assert_eq!(closest_ref_len(5, &[7, 3]), 3);
        assert_eq!(closest_ref_len(5, &[3, 7]), 3);
        assert_eq!(closest_ref_len(5, &[6, 9]), 6);
    }

    #[test]
    fn mismatched_streams_are_errors() {
        let bleu = Bleu::default();
        let err = bleu.corpus_score(&["a", "b"], &[vec!["a"]]).unwrap_err();
        assert!(err.to_string().contains("reference stream 1 has 1 lines"));
        assert!(Bleu::new(BleuConfig {
            max_ngram_order: 0,
            ..Default::default()
        })
        .is_err());
    }
}
