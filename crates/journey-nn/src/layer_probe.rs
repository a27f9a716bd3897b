//! Linear probes: what a frozen representation knows is measured by how well
//! a softmax classifier on top of it predicts a label (Alain & Bengio,
//! "Understanding intermediate layers using linear classifier probes",
//! 2016; Liu et al., "Linguistic Knowledge and Transferability of Contextual
//! Representations", NAACL 2019). Applied to a biLM's layers it repeats
//! ELMo's §5.3 finding: the first LSTM layer predicts part-of-speech tags
//! better than the context-free embeddings.
//!
//! The probe is `softmax(W·x + b)` over the features, or over a learned
//! [`ScalarMix`] of several layers, trained with Adam on minibatches of
//! shuffled tokens for a fixed number of epochs; it reports accuracy on
//! held-out tokens. [`most_frequent_tag`] is the usual floor: each word's
//! most frequent training tag.
//!
//! Cost: O(epochs·N·D·C) for N tokens of D features and C classes.

use std::collections::HashMap;

use candle_core::{DType, Device, Tensor};
use candle_nn::{Linear, Module, VarBuilder, VarMap};
use serde::{Deserialize, Serialize};

use crate::fused::cross_entropy;
use crate::optim::{AdamConfig, OptimizerConfig, Params};
use crate::rng::Rng;
use crate::scalar_mix::ScalarMix;
use crate::shuffle::permutation;
use crate::{NnError, Result};

/// How a probe trains.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProbeConfig {
    pub epochs: usize,
    pub batch_size: usize,
    pub lr: f64,
    pub seed: u64,
}

impl Default for ProbeConfig {
    fn default() -> Self {
        Self {
            epochs: 10,
            batch_size: 256,
            lr: 5e-3,
            seed: 0,
        }
    }
}

/// A probe's held-out accuracy; with a mix, its layer weights and scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbeResult {
    pub accuracy: f64,
    pub mix_weights: Option<Vec<f32>>,
    pub mix_gamma: Option<f32>,
}

/// Trains a probe on `train` (one `[N, D]` feature tensor per layer; more
/// than one are mixed) with labels `train_y` in `0..classes`, and scores it
/// on `dev`.
pub fn probe(
    train: &[Tensor],
    train_y: &[u32],
    dev: &[Tensor],
    dev_y: &[u32],
    classes: usize,
    config: &ProbeConfig,
) -> Result<ProbeResult> {
    check(train, train_y, "training")?;
    check(dev, dev_y, "held-out")?;
    if classes < 2 || train_y.iter().chain(dev_y).any(|&y| y as usize >= classes) {
        return Err(NnError::Config(format!(
            "probe: labels must lie in 0..{classes} (at least two classes)"
        )));
    }
    if config.epochs == 0 || config.batch_size == 0 {
        return Err(NnError::Config(
            "probe: epochs and batch_size must be > 0".into(),
        ));
    }
    let dim = train[0].dim(1)?;
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
    let mix = if train.len() > 1 {
        Some(ScalarMix::new(train.len(), vb.pp("mix"))?)
    } else {
        None
    };
    let linear = candle_nn::linear(dim, classes, vb.pp("linear"))?;
    let features = |layers: &[Tensor]| -> Result<Tensor> {
        match &mix {
            Some(m) => m.forward(layers),
            None => Ok(layers[0].clone()),
        }
    };
    let mut opt = OptimizerConfig::Adam(AdamConfig {
        lr: config.lr,
        ..AdamConfig::default()
    })
    .build(Params::from_varmap(&varmap))?;
    let mut rng = Rng::seed(config.seed);
    let labels = Tensor::from_slice(train_y, train_y.len(), &Device::Cpu)?;
    for _ in 0..config.epochs {
        let order: Vec<u32> = permutation(train_y.len(), &mut rng)
            .into_iter()
            .map(|i| i as u32)
            .collect();
        for chunk in order.chunks(config.batch_size) {
            let idx = Tensor::from_slice(chunk, chunk.len(), &Device::Cpu)?;
            let xs = train
                .iter()
                .map(|t| Ok(t.index_select(&idx, 0)?))
                .collect::<Result<Vec<_>>>()?;
            let logits = linear.forward(&features(&xs)?)?;
            let loss = cross_entropy(&logits, &labels.index_select(&idx, 0)?, None)?;
            opt.step(&loss.backward()?)?;
        }
    }
    let accuracy = accuracy(&linear, &features(dev)?, dev_y)?;
    let (mix_weights, mix_gamma) = match &mix {
        Some(m) => {
            let (w, g) = m.weights()?;
            (Some(w), Some(g))
        }
        None => (None, None),
    };
    Ok(ProbeResult {
        accuracy,
        mix_weights,
        mix_gamma,
    })
}

fn check(layers: &[Tensor], y: &[u32], what: &str) -> Result<()> {
    if layers.is_empty() || y.is_empty() {
        return Err(NnError::Empty(format!("probe: no {what} tokens")));
    }
    for t in layers {
        if t.dims() != [y.len(), layers[0].dim(1)?] {
            return Err(NnError::Shape(format!(
                "probe: {what} features are {:?} for {} labels",
                t.dims(),
                y.len()
            )));
        }
    }
    Ok(())
}

fn accuracy(linear: &Linear, x: &Tensor, y: &[u32]) -> Result<f64> {
    let pred: Vec<u32> = linear.forward(x)?.argmax(1)?.to_vec1()?;
    let right = pred.iter().zip(y).filter(|(p, t)| p == t).count();
    Ok(right as f64 / y.len() as f64)
}

/// Accuracy on `dev` of tagging each word with its most frequent tag in
/// `train` (ties: the tag seen first), unseen words with the most frequent
/// tag overall.
pub fn most_frequent_tag(train: &[(&str, &str)], dev: &[(&str, &str)]) -> Result<f64> {
    if train.is_empty() || dev.is_empty() {
        return Err(NnError::Empty(
            "most-frequent-tag baseline: no tokens".into(),
        ));
    }
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut counts: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    let mut overall: HashMap<&str, usize> = HashMap::new();
    for (i, &(w, t)) in train.iter().enumerate() {
        first.entry(t).or_insert(i);
        *counts.entry(w).or_default().entry(t).or_default() += 1;
        *overall.entry(t).or_default() += 1;
    }
    let best = |m: &HashMap<&str, usize>| -> String {
        m.iter()
            .max_by(|a, b| a.1.cmp(b.1).then(first[b.0].cmp(&first[a.0])))
            .map(|(t, _)| t.to_string())
            .expect("non-empty")
    };
    let fallback = best(&overall);
    let by_word: HashMap<&str, String> = counts.iter().map(|(w, m)| (*w, best(m))).collect();
    let right = dev
        .iter()
        .filter(|(w, t)| by_word.get(w).unwrap_or(&fallback) == t)
        .count();
    Ok(right as f64 / dev.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_counts_words_and_falls_back() {
        let train = [
            ("the", "DT"),
            ("run", "VB"),
            ("run", "NN"),
            ("run", "NN"),
            ("x", "NN"),
        ];
        let dev = [("run", "NN"), ("the", "DT"), ("new", "NN"), ("run", "VB")];
        assert_eq!(most_frequent_tag(&train, &dev).unwrap(), 0.75);
    }

    #[test]
    fn a_probe_learns_a_separable_label_and_the_mix_finds_the_layer() {
        // layer 1 carries the label, layer 0 is noise
        let mut rng = Rng::seed(3);
        let n = 400;
        let y: Vec<u32> = (0..n).map(|i| (i % 2) as u32).collect();
        let noise: Vec<f32> = (0..n * 4).map(|_| rng.normal()).collect();
        let signal: Vec<f32> = (0..n * 4)
            .map(|i| if y[i / 4] == 1 { 1.0 } else { -1.0 } + 0.1 * rng.normal())
            .collect();
        let l0 = Tensor::from_vec(noise, (n, 4), &Device::Cpu).unwrap();
        let l1 = Tensor::from_vec(signal, (n, 4), &Device::Cpu).unwrap();
        let cfg = ProbeConfig {
            epochs: 30,
            batch_size: 32,
            lr: 1e-2,
            seed: 0,
        };
        let (tr, dv) = (0..300, 300..400);
        let part = |t: &Tensor, r: std::ops::Range<usize>| t.narrow(0, r.start, r.len()).unwrap();
        let good = probe(
            &[part(&l1, tr.clone())],
            &y[tr.clone()],
            &[part(&l1, dv.clone())],
            &y[dv.clone()],
            2,
            &cfg,
        )
        .unwrap();
        assert_eq!(good.accuracy, 1.0);
        let bad = probe(
            &[part(&l0, tr.clone())],
            &y[tr.clone()],
            &[part(&l0, dv.clone())],
            &y[dv.clone()],
            2,
            &cfg,
        )
        .unwrap();
        assert!(bad.accuracy < 0.7, "{}", bad.accuracy);
        let mixed = probe(
            &[part(&l0, tr.clone()), part(&l1, tr.clone())],
            &y[tr],
            &[part(&l0, dv.clone()), part(&l1, dv.clone())],
            &y[dv],
            2,
            &cfg,
        )
        .unwrap();
        let w = mixed.mix_weights.unwrap();
        assert!(w[1] > w[0], "{w:?}");
        assert!(mixed.accuracy > 0.95);
    }
}
