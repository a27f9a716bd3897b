//! Tour chapter 3 — deep learning: backpropagation written out on scalars
//! (a micrograd-style graph) and checked against finite differences on real
//! SMS spam features; the vanishing-gradient experiment (a 20-layer MLP with
//! sigmoid, ReLU and residual + LayerNorm; per-layer gradient norms plotted);
//! and a bidirectional LSTM classifier on SST-2 sentences, trained briefly
//! with the `journey-nn` trainer, with its loss curve.
//! Cost: a few seconds for the first two steps; the BiLSTM sees 12,000
//! phrases once (about 10–20 s in a release build on 2 cores).

use std::time::Instant;

use anyhow::Result;
use candle_core::{Device, Tensor};
use journey_nn::diagnostics::{vanishing_gradient_experiment, VanishingConfig};
use journey_nn::gradient_check::{max_relative_error, numerical_gradient};
use journey_nn::neural_classifier::{
    FitConfig, Labelled, NeuralClassifier, NeuralClassifierConfig, Tokenization,
};
use journey_nn::rng::Rng;
use journey_nn::scalar_mlp::{ScalarMlp, ScalarMlpConfig};
use journey_nn::sms_features::{self, SmsConfig};
use serde_json::{json, Value};

use super::{find_offline, skipped, Tour};
use crate::report::{svg, Section};

/// SST-2 training phrases the tour's BiLSTM sees (one epoch).
const SST2_PHRASES: usize = 12_000;

pub fn run(ctx: &Tour) -> Result<(Section, Value)> {
    let mut sec = Section::new("ch3", "3 Deep learning");
    let mut facts = serde_json::Map::new();
    ctx.chapter("Chapter 3 — deep learning");
    sec.para(
        "A neural network is a chain of simple functions. Backpropagation applies the chain \
         rule from the loss back to every weight; gradient descent then moves each weight a \
         little against its gradient. Depth makes this fragile: a gradient is a product of one \
         factor per layer, and products of many small factors vanish. Gating (LSTM) and \
         residual connections keep gradients alive.",
    );
    let sms =
        find_offline("sms-spam").and_then(|s| find_offline("stopwords-english").map(|w| (s, w)));
    match sms {
        Err(why) => {
            skipped(ctx, &mut sec, "Steps 3.1 and 3.2", &why);
            facts.insert("sms_skipped".into(), json!(why));
        }
        Ok((sms_path, stops)) => {
            let data = sms_features::load(&sms_path, &stops, &SmsConfig::default())?;
            backprop_step(ctx, &mut sec, &mut facts, &data)?;
            vanishing_step(ctx, &mut sec, &mut facts, &data)?;
        }
    }
    bilstm_step(ctx, &mut sec, &mut facts)?;
    Ok((sec, Value::Object(facts)))
}

/// 3.1: the scalar MLP, its gradients against finite differences, training.
fn backprop_step(
    ctx: &Tour,
    sec: &mut Section,
    facts: &mut serde_json::Map<String, Value>,
    data: &sms_features::SmsDataset,
) -> Result<()> {
    ctx.step(
        "Backpropagation by hand",
        "An MLP built from scalar operations; each node knows its local derivative.",
    );
    let config = ScalarMlpConfig::default();
    let mut sizes = vec![data.featurizer.n_features()];
    sizes.extend(&config.hidden);
    sizes.push(1);
    let mut mlp = ScalarMlp::new(&sizes, config.activation, &mut Rng::seed(config.seed))?;
    // Gradient check on 16 real messages: the chain rule against central
    // differences of the loss, weight by weight.
    let (xs, ys) = (&data.x_train[..16], &data.y_train[..16]);
    let (_, grads) = mlp.loss_and_grads(xs, ys)?;
    let first = mlp.weights[0].clone();
    let numeric = numerical_gradient(
        |w| {
            let mut m = mlp.clone();
            m.weights[0] = w.to_vec();
            m.loss_and_grads(xs, ys).map(|r| r.0).unwrap_or(f64::NAN)
        },
        &first,
        1e-5,
    );
    let err = max_relative_error(&grads[0], &numeric);
    let before = mlp.accuracy(&data.x_test, &data.y_test);
    let log = mlp.fit(&data.x_train, &data.y_train, &config)?;
    let after = mlp.accuracy(&data.x_test, &data.y_test);
    ctx.say(format!(
        "MLP {sizes:?}: gradient check max relative error {err:.1e}; held-out accuracy {before:.4} -> {after:.4} after {} epochs",
        config.epochs
    ));
    sec.para(format!(
        "A {sizes:?} tanh MLP on SMS spam features ({} training, {} held-out messages), built \
         from scalar nodes. Its backpropagated gradients of the first layer agree with central \
         finite differences to a relative error of {err:.1e}. {} epochs of SGD take held-out \
         accuracy from {before:.4} to {after:.4} (epoch losses {}).",
        data.x_train.len(),
        data.x_test.len(),
        config.epochs,
        log.epoch_loss
            .iter()
            .map(|l| format!("{l:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    facts.insert(
        "backprop".into(),
        json!({"gradient_check_max_rel_error": err, "accuracy_before": before, "accuracy_after": after}),
    );
    Ok(())
}

/// 3.2: per-layer gradient norms of a deep MLP, three ways.
fn vanishing_step(
    ctx: &Tour,
    sec: &mut Section,
    facts: &mut serde_json::Map<String, Value>,
    data: &sms_features::SmsDataset,
) -> Result<()> {
    ctx.step(
        "Vanishing gradients",
        "A 20-layer MLP: the gradient norm of each layer's weights at initialisation.",
    );
    let n = 512.min(data.x_train.len());
    let features = data.featurizer.n_features();
    let x: Vec<f32> = data.x_train[..n]
        .iter()
        .flatten()
        .map(|&v| v as f32)
        .collect();
    let y: Vec<f32> = data.y_train[..n].iter().map(|&v| v as f32).collect();
    let x = Tensor::from_vec(x, (n, features), &Device::Cpu)?;
    let y = Tensor::from_vec(y, (n, 1), &Device::Cpu)?;
    let config = VanishingConfig::default();
    let report = vanishing_gradient_experiment(&config, &x, &y)?;
    let mut series = Vec::new();
    let mut rows = Vec::new();
    let mut ratios = serde_json::Map::new();
    for v in &report.variants {
        let name = format!("{:?}", v.kind);
        let norms = v.grad_norms_at(0);
        let ratio = v.first_to_last_ratio(0);
        ctx.say(format!(
            "{name:<22} first/last layer gradient norm {ratio:.2e}"
        ));
        rows.push(vec![name.clone(), format!("{ratio:.2e}")]);
        ratios.insert(name.clone(), json!(ratio));
        series.push((
            name,
            norms
                .iter()
                .enumerate()
                .map(|(i, &g)| ((i + 1) as f64, g))
                .collect(),
        ));
    }
    sec.para(format!(
        "{} layers of width {} on {n} SMS messages. With sigmoid units each layer multiplies \
         the gradient by at most 0.25 times its weights, so the first layers get almost \
         nothing; ReLU with He initialisation keeps the scale, and residual connections with \
         layer normalisation give every layer a direct path to the loss.",
        config.depth, config.width
    ));
    sec.table(&["network", "‖∂L/∂W₁‖ / ‖∂L/∂W_last‖"], rows);
    sec.figure(
        "vanishing-gradients.svg",
        "Gradient norm of each layer's weights at initialisation (log scale).",
        svg::line_chart(
            "Per-layer gradient norms, 20-layer MLP",
            &series,
            "layer",
            "‖∂L/∂W‖",
            true,
        ),
    );
    facts.insert("vanishing_first_to_last".into(), Value::Object(ratios));
    Ok(())
}

/// 3.3: a BiLSTM on SST-2 phrases, one short epoch.
fn bilstm_step(
    ctx: &Tour,
    sec: &mut Section,
    facts: &mut serde_json::Map<String, Value>,
) -> Result<()> {
    ctx.step(
        "A bidirectional LSTM",
        "Word vectors -> BiLSTM -> max and mean over time -> sentiment, trained with AdamW.",
    );
    let paths = find_offline("sst2-train").and_then(|t| find_offline("sst2-dev").map(|d| (t, d)));
    let (train_path, dev_path) = match paths {
        Ok(p) => p,
        Err(why) => {
            skipped(ctx, sec, "Step 3.3", &why);
            facts.insert("bilstm_skipped".into(), json!(why));
            return Ok(());
        }
    };
    let read = |p: &std::path::Path, limit: usize| -> Result<(Vec<String>, Vec<u32>)> {
        let text = std::fs::read_to_string(p)?;
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for line in text.lines().skip(1).take(limit) {
            if let Some((l, t)) = line.split_once('\t') {
                ys.push(if l.trim() == "1" { 1 } else { 0 });
                xs.push(t.to_string());
            }
        }
        Ok((xs, ys))
    };
    let (train_x, train_y) = read(&train_path, SST2_PHRASES)?;
    let (dev_x, dev_y) = read(&dev_path, usize::MAX)?;
    let glove = journey_embed::pretrained::glove_6b_50d_dir()
        .filter(|d| d.join("vectors.npy").exists())
        .map(|d| journey_embed::pretrained::load_glove_npy_parquet(&d))
        .transpose()?;
    let config = NeuralClassifierConfig {
        tokenization: Tokenization::Whitespace,
        hidden_size: 64,
        ..Default::default()
    };
    let seed = ctx.args.seed;
    let (mut model, hits) = NeuralClassifier::new(
        config,
        vec!["negative".into(), "positive".into()],
        &train_x,
        glove.as_ref(),
        seed,
    )?;
    let runs = std::env::temp_dir().join(format!("journey-tour-{}", std::process::id()));
    let fit = FitConfig {
        epochs: 1,
        seed,
        runs_dir: runs.clone(),
        run_name: "bilstm".into(),
        quiet: true,
        ..Default::default()
    };
    let start = Instant::now();
    let report = model.fit(
        &Labelled {
            texts: &train_x,
            labels: &train_y,
        },
        &Labelled {
            texts: &dev_x,
            labels: &dev_y,
        },
        &fit,
        None,
    );
    let _ = std::fs::remove_dir_all(&runs);
    let report = report?;
    let seconds = start.elapsed().as_secs_f64();
    let dev = model.evaluate(&Labelled {
        texts: &dev_x,
        labels: &dev_y,
    })?;
    let acc = dev["accuracy"];
    let init = if glove.is_some() {
        format!("GloVe 6B 50d ({hits} of {} words)", model.vocab().len())
    } else {
        "random vectors (GloVe 6B 50d not found: `../shared/bin/fetch-models glove`)".to_string()
    };
    ctx.say(format!(
        "{} phrases, one epoch in {seconds:.1} s: dev accuracy {acc:.4} ({} sentences); word vectors from {init}",
        train_x.len(),
        dev_x.len()
    ));
    sec.para(format!(
        "A BiLSTM (64 units each way) over word vectors initialised from {init}, trained for \
         one epoch on the first {} SST-2 training phrases in {seconds:.1} s: accuracy {acc:.4} \
         on the {} dev sentences. The full run (`journey classify train --model bilstm`, all \
         67,349 phrases) reaches about 0.83.",
        train_x.len(),
        dev_x.len()
    ));
    let curve: Vec<(f64, f64)> = report.losses.iter().map(|&(s, l)| (s as f64, l)).collect();
    sec.figure(
        "bilstm-loss.svg",
        "Training loss of the BiLSTM, per optimiser step.",
        svg::line_chart(
            "BiLSTM on SST-2: training loss",
            &[("cross-entropy".to_string(), curve)],
            "step",
            "loss",
            false,
        ),
    );
    facts.insert(
        "bilstm".into(),
        json!({"phrases": train_x.len(), "dev_accuracy": acc, "seconds": seconds, "pretrained_hits": hits}),
    );
    Ok(())
}
