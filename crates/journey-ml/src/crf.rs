//! Linear-chain conditional random field (Lafferty, McCallum & Pereira 2001),
//! first order, trained as CRFsuite trains it (Okazaki 2007):
//!
//! `p(y | x) = exp(Σ_t Σ_{a ∈ x_t} w[a, y_t] + Σ_t T[y_{t-1}, y_t]) / Z(x)`
//!
//! - State features are (attribute, label) pairs seen together in training
//!   (CRFsuite's default `possible_states = 0`); transitions are all L² pairs.
//! - `Z(x)`, node and edge marginals by forward–backward on scaled
//!   probabilities (Rabiner 1989): each step is normalised and the log of
//!   the scales summed, so nothing overflows and no `exp` is taken per
//!   transition; emissions are shifted by their maximum before `exp`.
//! - Training minimises `−Σ log p(y|x) + c2 · |w|²` (CRFsuite's L2 form) by
//!   L-BFGS ([`crate::crf_optim`]). The gradient is expected minus observed
//!   feature counts: sentences are processed in parallel with rayon, and
//!   their marginals summed in sentence order, so the result does not depend
//!   on the number of threads.
//! - Decoding is [`crate::viterbi`].
//!
//! Cost per L-BFGS evaluation: O(Σ_t (|x_t| · k + L²)) time for n tokens
//! with |x_t| attributes of k labels each on average; memory O(d) for d
//! weights, plus O(n · L) for the marginals, plus L-BFGS's O(m · d).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::crf_optim::{minimize, LbfgsConfig, Stop};
use crate::viterbi::viterbi;

/// One training or test sentence: attribute ids per token and label ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Encoded {
    pub feats: Vec<Vec<u32>>,
    /// Gold label ids (empty when unknown).
    pub labels: Vec<u16>,
}

/// Training settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CrfConfig {
    /// L2 coefficient (the objective adds `c2 · |w|²`).
    pub c2: f64,
    pub max_iterations: usize,
    pub lbfgs: LbfgsConfig,
}

impl Default for CrfConfig {
    fn default() -> Self {
        CrfConfig {
            c2: 1.0,
            max_iterations: 100,
            lbfgs: LbfgsConfig::default(),
        }
    }
}

/// Model: the (attribute, label) pairs and their weights, then L² transitions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Crf {
    pub labels: usize,
    /// Pairs of attribute a are `attr_offsets[a]..attr_offsets[a + 1]`.
    pub attr_offsets: Vec<u32>,
    /// Label of each pair.
    pub pair_labels: Vec<u16>,
    /// Pair weights, then `trans[prev * L + cur]`.
    pub weights: Vec<f64>,
    /// L-BFGS iterations done so far.
    pub iterations: usize,
}

struct SentenceStats {
    log_lik: f64,
    /// n × L node marginals.
    node: Vec<f64>,
    /// L × L expected transition counts.
    edge: Vec<f64>,
}

impl Crf {
    /// The feature set of `data`: every (attribute, gold label) pair that
    /// occurs, plus all transitions; weights start at 0.
    pub fn new(attributes: usize, labels: usize, data: &[Encoded]) -> Self {
        let mut seen = vec![Vec::<u16>::new(); attributes];
        for s in data {
            for (f, &y) in s.feats.iter().zip(&s.labels) {
                for &a in f {
                    let v = &mut seen[a as usize];
                    if !v.contains(&y) {
                        v.push(y);
                    }
                }
            }
        }
        let mut attr_offsets = Vec::with_capacity(attributes + 1);
        let mut pair_labels = Vec::new();
        attr_offsets.push(0);
        for mut v in seen {
            v.sort_unstable();
            pair_labels.extend(v);
            attr_offsets.push(pair_labels.len() as u32);
        }
        let weights = vec![0.0; pair_labels.len() + labels * labels];
        Crf {
            labels,
            attr_offsets,
            pair_labels,
            weights,
            iterations: 0,
        }
    }

    fn states(&self) -> usize {
        self.pair_labels.len()
    }

    /// n × L emission scores under weights `w`.
    fn emissions(&self, w: &[f64], feats: &[Vec<u32>]) -> Vec<f64> {
        let l = self.labels;
        let mut out = vec![0.0; feats.len() * l];
        for (t, f) in feats.iter().enumerate() {
            let row = &mut out[t * l..(t + 1) * l];
            for &a in f {
                let (lo, hi) = self.range(a);
                for k in lo..hi {
                    row[self.pair_labels[k] as usize] += w[k];
                }
            }
        }
        out
    }

    fn range(&self, a: u32) -> (usize, usize) {
        let a = a as usize;
        if a + 1 >= self.attr_offsets.len() {
            return (0, 0);
        }
        (
            self.attr_offsets[a] as usize,
            self.attr_offsets[a + 1] as usize,
        )
    }

    /// Best label ids of one sentence.
    pub fn decode(&self, feats: &[Vec<u32>]) -> Vec<usize> {
        let emit = self.emissions(&self.weights, feats);
        viterbi(&emit, &self.weights[self.states()..], self.labels)
    }

    /// Node marginals (n × L) and log Z of one sentence under the model.
    pub fn marginals(&self, feats: &[Vec<u32>]) -> (Vec<f64>, f64) {
        let s = self.forward_backward(&self.weights, feats, None);
        (s.node, -s.log_lik)
    }

    /// Forward–backward; with `gold`, `log_lik` is log p(gold | x), without
    /// it is −log Z.
    fn forward_backward(
        &self,
        w: &[f64],
        feats: &[Vec<u32>],
        gold: Option<&[u16]>,
    ) -> SentenceStats {
        let l = self.labels;
        let n = feats.len();
        let trans = &w[self.states()..];
        let emit = self.emissions(w, feats);
        let exp_trans: Vec<f64> = trans.iter().map(|v| v.exp()).collect();
        let mut psi = vec![0.0; n * l];
        let mut log_z = 0.0;
        for t in 0..n {
            let row = &emit[t * l..(t + 1) * l];
            let m = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            log_z += m;
            for y in 0..l {
                psi[t * l + y] = (row[y] - m).exp();
            }
        }
        let mut alpha = vec![0.0; n * l];
        let mut scale = vec![0.0; n];
        for t in 0..n {
            for y in 0..l {
                let inflow = if t == 0 {
                    1.0
                } else {
                    (0..l)
                        .map(|p| alpha[(t - 1) * l + p] * exp_trans[p * l + y])
                        .sum()
                };
                alpha[t * l + y] = inflow * psi[t * l + y];
            }
            let c: f64 = alpha[t * l..(t + 1) * l].iter().sum();
            scale[t] = c;
            alpha[t * l..(t + 1) * l].iter_mut().for_each(|a| *a /= c);
            log_z += c.ln();
        }
        let mut beta = vec![1.0; n * l];
        for t in (0..n.saturating_sub(1)).rev() {
            for p in 0..l {
                let mut s = 0.0;
                for y in 0..l {
                    s += exp_trans[p * l + y] * psi[(t + 1) * l + y] * beta[(t + 1) * l + y];
                }
                beta[t * l + p] = s / scale[t + 1];
            }
        }
        let node: Vec<f64> = alpha.iter().zip(&beta).map(|(a, b)| a * b).collect();
        let mut edge = vec![0.0; l * l];
        for t in 1..n {
            for p in 0..l {
                let a = alpha[(t - 1) * l + p] / scale[t];
                for y in 0..l {
                    edge[p * l + y] += a * exp_trans[p * l + y] * psi[t * l + y] * beta[t * l + y];
                }
            }
        }
        let log_lik = match gold {
            Some(y) => {
                let mut s = 0.0;
                for t in 0..n {
                    s += emit[t * l + y[t] as usize];
                    if t > 0 {
                        s += trans[y[t - 1] as usize * l + y[t] as usize];
                    }
                }
                s - log_z
            }
            None => -log_z,
        };
        SentenceStats {
            log_lik,
            node,
            edge,
        }
    }

    /// The training objective `−Σ log p(y|x) + c2 |w|²` at `w`, and its
    /// gradient written into `grad`.
    pub fn objective(&self, w: &[f64], data: &[Encoded], c2: f64, grad: &mut [f64]) -> f64 {
        let l = self.labels;
        let states = self.states();
        let stats: Vec<SentenceStats> = data
            .par_iter()
            .map(|s| self.forward_backward(w, &s.feats, Some(&s.labels)))
            .collect();
        grad.iter_mut()
            .zip(w)
            .for_each(|(g, wv)| *g = 2.0 * c2 * wv);
        let mut value = c2 * w.iter().map(|v| v * v).sum::<f64>();
        for (s, st) in data.iter().zip(&stats) {
            value -= st.log_lik;
            for (t, f) in s.feats.iter().enumerate() {
                let node = &st.node[t * l..(t + 1) * l];
                let gold = s.labels[t];
                for &a in f {
                    let (lo, hi) = self.range(a);
                    for (g, &y) in grad[lo..hi].iter_mut().zip(&self.pair_labels[lo..hi]) {
                        *g += node[y as usize] - if y == gold { 1.0 } else { 0.0 };
                    }
                }
                if t > 0 {
                    grad[states + s.labels[t - 1] as usize * l + gold as usize] -= 1.0;
                }
            }
            for (g, e) in grad[states..].iter_mut().zip(&st.edge) {
                *g += e;
            }
        }
        value
    }

    /// Trains from the current weights for up to `config.max_iterations`
    /// more iterations. `after(crf)` runs after each iteration (for
    /// checkpoints and progress) and stops training by returning false.
    pub fn fit(
        &mut self,
        data: &[Encoded],
        config: &CrfConfig,
        mut after: impl FnMut(&Crf, f64) -> bool,
    ) -> Stop {
        let mut w = std::mem::take(&mut self.weights);
        let start = self.iterations;
        let remaining = config.max_iterations.saturating_sub(start);
        let mut snapshot = self.clone();
        let stop = minimize(
            &mut w,
            remaining,
            &config.lbfgs,
            |x, g| self.objective(x, data, config.c2, g),
            |k, fx, x| {
                snapshot.weights.clear();
                snapshot.weights.extend_from_slice(x);
                snapshot.iterations = start + k;
                after(&snapshot, fx)
            },
        );
        self.iterations = snapshot.iterations;
        self.weights = w;
        stop
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> (Crf, Vec<Encoded>) {
        let data = vec![
            Encoded {
                feats: vec![vec![0, 1], vec![2], vec![1, 3]],
                labels: vec![0, 1, 2],
            },
            Encoded {
                feats: vec![vec![3], vec![0, 2]],
                labels: vec![2, 0],
            },
        ];
        let mut crf = Crf::new(4, 3, &data);
        let mut s = 7u64;
        for w in crf.weights.iter_mut() {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            *w = ((s >> 33) % 1000) as f64 / 500.0 - 1.0;
        }
        (crf, data)
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let (crf, data) = toy();
        let w = crf.weights.clone();
        let mut g = vec![0.0; w.len()];
        crf.objective(&w, &data, 0.3, &mut g);
        let mut scratch = vec![0.0; w.len()];
        for i in 0..w.len() {
            let h = 1e-6;
            let mut wp = w.clone();
            wp[i] += h;
            let mut wm = w.clone();
            wm[i] -= h;
            let num = (crf.objective(&wp, &data, 0.3, &mut scratch)
                - crf.objective(&wm, &data, 0.3, &mut scratch))
                / (2.0 * h);
            assert!((num - g[i]).abs() < 1e-6, "weight {i}: {num} vs {}", g[i]);
        }
    }

    #[test]
    fn marginals_and_partition_function() {
        let (crf, data) = toy();
        for s in &data {
            let (node, log_z) = crf.marginals(&s.feats);
            for row in node.chunks(crf.labels) {
                assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            }
            // Brute-force Z over all label sequences.
            let l = crf.labels;
            let n = s.feats.len();
            let emit = crf.emissions(&crf.weights, &s.feats);
            let trans = &crf.weights[crf.states()..];
            let z: f64 = (0..l.pow(n as u32))
                .map(|code| {
                    let p: Vec<usize> = (0..n).map(|t| code / l.pow(t as u32) % l).collect();
                    crate::viterbi::path_score(&emit, trans, l, &p).exp()
                })
                .sum();
            assert!((z.ln() - log_z).abs() < 1e-10);
        }
    }
}
