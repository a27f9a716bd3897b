//! Beam search for autoregressive decoders (Sutskever, Vinyals & Le 2014;
//! Bahdanau et al. 2015), with the length normalisation of Wu et al. 2016
//! ("Google's neural machine translation system", eq. 14):
//!
//! ```text
//! score(Y) = log P(Y | X) / lp(Y),   lp(Y) = (5 + |Y|)^α / (5 + 1)^α
//! ```
//!
//! `|Y|` counts the generated tokens, EOS included. α = 0 ranks by the plain
//! log-probability; α ≈ 0.6–1 counters the bias towards short outputs.
//!
//! At each step every live hypothesis is extended by every allowed token;
//! the candidates are ranked by log-probability; those among the best `k`
//! that end with EOS are finished, and the best `k` that do not stay live.
//! A hypothesis that reaches `max_len` tokens without EOS is finished as it
//! is. The search stops when nothing is live or when no live hypothesis can
//! still beat the best finished one: log-probabilities only fall, so a live
//! hypothesis's best possible score is `log P / lp(max_len)` (its log P is
//! negative and `lp` grows with length). With a beam wide enough to keep
//! every prefix the search is therefore exact, which the tests check
//! against exhaustive enumeration; with `k = 1` it is greedy decoding.
//!
//! Cost: `max_len` decoder steps over at most `k` rows, plus
//! O(k·V log(k·V)) per step to rank the candidates (V = vocabulary size);
//! memory O(k·max_len) for the hypotheses besides the decoder's state.

use serde::{Deserialize, Serialize};

use crate::{NnError, Result};

/// Beam search settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BeamConfig {
    /// Hypotheses kept per step (1 = greedy).
    pub beam_size: usize,
    /// Length-normalisation exponent α of Wu et al. 2016 (0 = none).
    pub alpha: f64,
    /// At most this many generated tokens, EOS included.
    pub max_len: usize,
    /// How many finished hypotheses to return, best first.
    pub n_best: usize,
}

impl Default for BeamConfig {
    fn default() -> Self {
        Self {
            beam_size: 5,
            alpha: 0.6,
            max_len: 50,
            n_best: 1,
        }
    }
}

impl BeamConfig {
    pub fn validate(&self) -> Result<()> {
        if self.beam_size == 0 || self.max_len == 0 || self.n_best == 0 {
            return Err(NnError::Config(format!(
                "beam search needs beam_size, max_len and n_best >= 1 (got {}, {}, {})",
                self.beam_size, self.max_len, self.n_best
            )));
        }
        if !(self.alpha.is_finite() && self.alpha >= 0.0) {
            return Err(NnError::Config(format!(
                "length penalty alpha must be >= 0, got {}",
                self.alpha
            )));
        }
        Ok(())
    }
}

/// Wu et al.'s length penalty `((5 + len) / 6)^α`.
pub fn length_penalty(len: usize, alpha: f64) -> f64 {
    ((5.0 + len as f64) / 6.0).powf(alpha)
}

/// A decoder the search can drive: it keeps one state row per live
/// hypothesis.
pub trait StepDecoder {
    /// Log-probabilities `[rows][V]` of the next token of each row, after
    /// feeding `last[row]` (BOS at the first step); the rows' states advance.
    fn step(&mut self, last: &[u32]) -> Result<Vec<Vec<f32>>>;

    /// Keeps the states of `rows` (in that order, repeats allowed) as the
    /// new rows.
    fn reorder(&mut self, rows: &[usize]) -> Result<()>;
}

/// A finished hypothesis.
#[derive(Clone, Debug, PartialEq)]
pub struct Hypothesis {
    /// Generated tokens, without BOS and without the final EOS.
    pub tokens: Vec<u32>,
    /// Whether it ended with EOS (else it hit `max_len`).
    pub ended: bool,
    /// `log P(Y | X)`, EOS included.
    pub log_prob: f64,
    /// `log_prob / lp(|Y|)`.
    pub score: f64,
}

/// Runs beam search from a decoder whose state holds one row (the encoded
/// source). `banned` tokens (padding, BOS) are never generated. Returns up
/// to `n_best` hypotheses, best score first.
pub fn beam_search(
    dec: &mut dyn StepDecoder,
    config: &BeamConfig,
    bos: u32,
    eos: u32,
    banned: &[u32],
) -> Result<Vec<Hypothesis>> {
    config.validate()?;
    let k = config.beam_size;
    let lp = |len: usize| length_penalty(len, config.alpha);
    // Live hypotheses: (tokens, log P); row i of the decoder is live[i].
    let mut live: Vec<(Vec<u32>, f64)> = vec![(Vec::new(), 0.0)];
    let mut finished: Vec<Hypothesis> = Vec::new();
    let mut best_finished = f64::NEG_INFINITY;
    for t in 0..config.max_len {
        let last: Vec<u32> = live
            .iter()
            .map(|(toks, _)| toks.last().copied().unwrap_or(bos))
            .collect();
        let logp = dec.step(&last)?;
        if logp.len() != live.len() {
            return Err(NnError::Shape(format!(
                "decoder returned {} rows for {} hypotheses",
                logp.len(),
                live.len()
            )));
        }
        let vocab = logp[0].len();
        if (eos as usize) >= vocab {
            return Err(NnError::Config(format!(
                "EOS id {eos} is outside the vocabulary of {vocab}"
            )));
        }
        let mut cands: Vec<(f64, usize, u32)> = Vec::with_capacity(live.len() * vocab);
        for (row, (lps, (_, base))) in logp.iter().zip(&live).enumerate() {
            for (tok, &l) in lps.iter().enumerate() {
                let tok = tok as u32;
                if banned.contains(&tok) || !l.is_finite() {
                    continue;
                }
                cands.push((base + l as f64, row, tok));
            }
        }
        // Best first; ties by row then token, so the order is deterministic.
        cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let last_step = t + 1 == config.max_len;
        let mut next: Vec<(Vec<u32>, f64)> = Vec::with_capacity(k);
        let mut rows: Vec<usize> = Vec::with_capacity(k);
        for (rank, &(l, row, tok)) in cands.iter().enumerate() {
            if next.len() == k && rank >= k {
                break;
            }
            let mut toks = live[row].0.clone();
            if tok == eos {
                if rank < k {
                    let score = l / lp(toks.len() + 1);
                    best_finished = best_finished.max(score);
                    finished.push(Hypothesis {
                        tokens: toks,
                        ended: true,
                        log_prob: l,
                        score,
                    });
                }
            } else if next.len() < k {
                toks.push(tok);
                if last_step {
                    let score = l / lp(toks.len());
                    best_finished = best_finished.max(score);
                    finished.push(Hypothesis {
                        tokens: toks,
                        ended: false,
                        log_prob: l,
                        score,
                    });
                } else {
                    next.push((toks, l));
                    rows.push(row);
                }
            }
        }
        if next.is_empty() {
            break;
        }
        // Upper bound of what a live hypothesis can still reach.
        let bound = next
            .iter()
            .map(|(_, l)| l / lp(config.max_len))
            .fold(f64::NEG_INFINITY, f64::max);
        if best_finished >= bound {
            break;
        }
        dec.reorder(&rows)?;
        live = next;
    }
    finished.sort_by(|a, b| b.score.total_cmp(&a.score));
    finished.truncate(config.n_best);
    Ok(finished)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A decoder whose next-token distribution depends only on the last
    /// token (a Markov chain), as a table.
    struct Markov {
        table: Vec<Vec<f32>>,
        rows: usize,
    }

    impl StepDecoder for Markov {
        fn step(&mut self, last: &[u32]) -> Result<Vec<Vec<f32>>> {
            assert_eq!(last.len(), self.rows);
            Ok(last
                .iter()
                .map(|&t| self.table[t as usize].clone())
                .collect())
        }
        fn reorder(&mut self, rows: &[usize]) -> Result<()> {
            self.rows = rows.len();
            Ok(())
        }
    }

    #[test]
    fn beam_beats_greedy_on_a_garden_path() {
        // tokens: 0 = BOS, 1 = EOS, 2 = a, 3 = b. Greedy takes "a" (0.6)
        // then must pay for it; "b" then EOS is better overall.
        let ln = |p: f32| p.ln();
        let table = vec![
            vec![f32::NEG_INFINITY, ln(0.01), ln(0.6), ln(0.39)],
            vec![f32::NEG_INFINITY; 4],
            vec![f32::NEG_INFINITY, ln(0.3), ln(0.35), ln(0.35)],
            vec![f32::NEG_INFINITY, ln(0.99), ln(0.005), ln(0.005)],
        ];
        let cfg = BeamConfig {
            beam_size: 1,
            alpha: 0.0,
            max_len: 3,
            n_best: 1,
        };
        let greedy = beam_search(
            &mut Markov {
                table: table.clone(),
                rows: 1,
            },
            &cfg,
            0,
            1,
            &[0],
        )
        .unwrap();
        assert_eq!(greedy[0].tokens, vec![2, 2, 2]);
        let beam = beam_search(
            &mut Markov { table, rows: 1 },
            &BeamConfig {
                beam_size: 2,
                ..cfg
            },
            0,
            1,
            &[0],
        )
        .unwrap();
        assert_eq!(beam[0].tokens, vec![3]);
        assert!(beam[0].ended);
        assert!((beam[0].log_prob - (0.39f64.ln() + 0.99f64.ln())).abs() < 1e-6);
        assert!(BeamConfig {
            beam_size: 0,
            ..Default::default()
        }
        .validate()
        .is_err());
    }
}
