//! Averaged structured perceptron for sequence labelling (Collins 2002):
//! decode each training sentence with Viterbi under the current weights, and
//! where the prediction differs from the gold sequence add the gold
//! features and subtract the predicted ones (state features per token,
//! transitions per adjacent pair). The model kept is the average of the
//! weights over all steps (Freund & Schapire 1999), computed lazily with a
//! timestamp per weight. Sentences are visited in a seeded shuffled order
//! each epoch, so the same seed gives the same model.
//!
//! Cost: per epoch O(Σ n_t · (|x_t| · L + L²)) time; memory O(A · L + L²)
//! for A attributes and L labels, three times over (weights, totals,
//! timestamps) while training.

use serde::{Deserialize, Serialize};

use crate::crf::Encoded;
use crate::viterbi::viterbi;

/// Training settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PerceptronConfig {
    pub epochs: usize,
    pub seed: u64,
}

impl Default for PerceptronConfig {
    fn default() -> Self {
        PerceptronConfig {
            epochs: 10,
            seed: 0,
        }
    }
}

/// Averaged weights: `A × L` state weights, then `L × L` transitions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AveragedPerceptron {
    pub labels: usize,
    pub attributes: usize,
    pub weights: Vec<f64>,
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

struct Trainer {
    w: Vec<f64>,
    total: Vec<f64>,
    stamp: Vec<u64>,
    step: u64,
}

impl Trainer {
    fn add(&mut self, i: usize, v: f64) {
        self.total[i] += (self.step - self.stamp[i]) as f64 * self.w[i];
        self.stamp[i] = self.step;
        self.w[i] += v;
    }

    fn averaged(&self) -> Vec<f64> {
        let steps = self.step.max(1) as f64;
        self.w
            .iter()
            .zip(&self.total)
            .zip(&self.stamp)
            .map(|((w, t), s)| (t + (self.step - s) as f64 * w) / steps)
            .collect()
    }
}

impl AveragedPerceptron {
    fn emissions(&self, w: &[f64], feats: &[Vec<u32>]) -> Vec<f64> {
        let l = self.labels;
        let mut out = vec![0.0; feats.len() * l];
        for (t, f) in feats.iter().enumerate() {
            let row = &mut out[t * l..(t + 1) * l];
            for &a in f {
                let a = a as usize;
                if a < self.attributes {
                    for (r, wv) in row.iter_mut().zip(&w[a * l..(a + 1) * l]) {
                        *r += wv;
                    }
                }
            }
        }
        out
    }

    fn decode_with(&self, w: &[f64], feats: &[Vec<u32>]) -> Vec<usize> {
        let emit = self.emissions(w, feats);
        viterbi(&emit, &w[self.attributes * self.labels..], self.labels)
    }

    /// Best label ids of one sentence.
    pub fn decode(&self, feats: &[Vec<u32>]) -> Vec<usize> {
        self.decode_with(&self.weights, feats)
    }

    /// Trains for `config.epochs` epochs. `after(epoch, model)` sees the
    /// averaged model after each epoch (for picking the epoch on a dev set)
    /// and stops training by returning false.
    pub fn fit(
        attributes: usize,
        labels: usize,
        data: &[Encoded],
        config: &PerceptronConfig,
        mut after: impl FnMut(usize, &AveragedPerceptron) -> bool,
    ) -> AveragedPerceptron {
        let l = labels;
        let size = attributes * l + l * l;
        let mut tr = Trainer {
            w: vec![0.0; size],
            total: vec![0.0; size],
            stamp: vec![0; size],
            step: 0,
        };
        let mut model = AveragedPerceptron {
            labels,
            attributes,
            weights: Vec::new(),
        };
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = SplitMix(config.seed);
        let trans0 = attributes * l;
        for epoch in 1..=config.epochs {
            for i in (1..order.len()).rev() {
                let j = (rng.next() % (i as u64 + 1)) as usize;
                order.swap(i, j);
            }
            for &i in &order {
                let s = &data[i];
                tr.step += 1;
                let pred = model.decode_with(&tr.w, &s.feats);
                for t in 0..s.labels.len() {
                    let g = s.labels[t] as usize;
                    let p = pred[t];
                    if g != p {
                        for &a in &s.feats[t] {
                            let a = a as usize;
                            tr.add(a * l + g, 1.0);
                            tr.add(a * l + p, -1.0);
                        }
                    }
                    if t > 0 {
                        let (gp, pp) = (s.labels[t - 1] as usize, pred[t - 1]);
                        if (gp, g) != (pp, p) {
                            tr.add(trans0 + gp * l + g, 1.0);
                            tr.add(trans0 + pp * l + p, -1.0);
                        }
                    }
                }
            }
            model.weights = tr.averaged();
            if !after(epoch, &model) {
                break;
            }
        }
        if model.weights.is_empty() {
            model.weights = tr.averaged();
        }
        model
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_toy_and_is_seeded() {
        // attribute 0 → label 0, 1 → label 1; label 2 only after label 1 with attribute 2.
        let data: Vec<Encoded> = (0..20)
            .map(|i| Encoded {
                feats: vec![vec![i % 2], vec![2], vec![(i + 1) % 2]],
                labels: vec![
                    (i % 2) as u16,
                    if i % 2 == 1 { 2 } else { 0 },
                    ((i + 1) % 2) as u16,
                ],
            })
            .collect();
        let cfg = PerceptronConfig { epochs: 5, seed: 3 };
        let m = AveragedPerceptron::fit(3, 3, &data, &cfg, |_, _| true);
        for s in &data {
            let got: Vec<u16> = m.decode(&s.feats).iter().map(|&y| y as u16).collect();
            assert_eq!(got, s.labels);
        }
        let m2 = AveragedPerceptron::fit(3, 3, &data, &cfg, |_, _| true);
        assert_eq!(m.weights, m2.weights);
    }
}
