//! `journey nn …`: chapter 3, neural networks from first principles —
//! backpropagation on a scalar graph checked against finite differences, and
//! the vanishing-gradient experiment. The models themselves train through the
//! task commands (`journey classify train --model bilstm|textcnn`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use candle_core::{Device, Tensor};
use clap::Subcommand;
use journey_nn::diagnostics::{vanishing_gradient_experiment, VanishingConfig};
use journey_nn::gradient_check::{max_relative_error, numerical_gradient};
use journey_nn::rng::Rng;
use journey_nn::scalar_mlp::{ScalarMlp, ScalarMlpConfig};
use journey_nn::sms_features::{self, SmsConfig, SmsDataset};
use serde_json::json;

use crate::outln;
use crate::output::{print_table, Global};
use crate::tour::find_offline;

#[derive(Subcommand, Debug)]
pub enum NnCommand {
    /// Train a small MLP built from scalar operations (micrograd-style
    /// autograd) on SMS spam, after checking its gradients against finite
    /// differences.
    Backprop {
        /// SMS spam file (label<TAB>text); default: the catalog's sms-spam.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Stop-word list for the word features; default: the catalog's.
        #[arg(long)]
        stop_words: Option<PathBuf>,
        /// Hidden layer sizes, e.g. 16,8.
        #[arg(long, value_delimiter = ',', default_value = "8")]
        hidden: Vec<usize>,
        #[arg(long, default_value_t = 4)]
        epochs: usize,
        #[arg(long, default_value_t = 0.5)]
        lr: f64,
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// The vanishing-gradient experiment: per-layer gradient norms of a deep
    /// MLP with sigmoid, ReLU and residual + LayerNorm blocks.
    Gradients {
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long)]
        stop_words: Option<PathBuf>,
        #[arg(long, default_value_t = 20)]
        depth: usize,
        #[arg(long, default_value_t = 64)]
        width: usize,
        /// SGD steps recorded after initialisation.
        #[arg(long, default_value_t = 5)]
        steps: usize,
        /// Messages in the batch.
        #[arg(long, default_value_t = 512)]
        samples: usize,
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
}

fn sms(data: Option<&Path>, stop_words: Option<&Path>) -> Result<SmsDataset> {
    let data = match data {
        Some(p) => p.to_path_buf(),
        None => find_offline("sms-spam")
            .map_err(anyhow::Error::msg)
            .context("--data")?,
    };
    let stops = match stop_words {
        Some(p) => p.to_path_buf(),
        None => find_offline("stopwords-english")
            .map_err(anyhow::Error::msg)
            .context("--stop-words")?,
    };
    Ok(sms_features::load(&data, &stops, &SmsConfig::default())?)
}

pub fn run(g: &Global, cmd: NnCommand) -> Result<()> {
    match cmd {
        NnCommand::Backprop {
            data,
            stop_words,
            hidden,
            epochs,
            lr,
            seed,
        } => {
            let d = sms(data.as_deref(), stop_words.as_deref())?;
            let config = ScalarMlpConfig {
                hidden,
                epochs,
                learning_rate: lr,
                seed,
                ..Default::default()
            };
            let mut sizes = vec![d.featurizer.n_features()];
            sizes.extend(&config.hidden);
            sizes.push(1);
            let mut mlp = ScalarMlp::new(&sizes, config.activation, &mut Rng::seed(seed))?;
            let n = 16.min(d.x_train.len());
            let (xs, ys) = (&d.x_train[..n], &d.y_train[..n]);
            let (_, grads) = mlp.loss_and_grads(xs, ys)?;
            let mut worst = 0f64;
            for layer in 0..mlp.weights.len() {
                let w = mlp.weights[layer].clone();
                let numeric = numerical_gradient(
                    |v| {
                        let mut m = mlp.clone();
                        m.weights[layer] = v.to_vec();
                        m.loss_and_grads(xs, ys).map(|r| r.0).unwrap_or(f64::NAN)
                    },
                    &w,
                    1e-5,
                );
                // grads lists each layer's weights then its biases.
                worst = worst.max(max_relative_error(&grads[2 * layer], &numeric));
            }
            let before = mlp.accuracy(&d.x_test, &d.y_test);
            let log = mlp.fit(&d.x_train, &d.y_train, &config)?;
            let after = mlp.accuracy(&d.x_test, &d.y_test);
            if g.json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&json!({
                        "sizes": sizes,
                        "gradient_check_max_rel_error": worst,
                        "epoch_loss": log.epoch_loss,
                        "test_accuracy_before": before,
                        "test_accuracy": after,
                        "train_examples": d.x_train.len(),
                        "test_examples": d.x_test.len(),
                    }))?
                )?;
            } else {
                outln!("MLP {sizes:?} ({:?}) on SMS spam", config.activation)?;
                outln!("gradient check (backprop vs central differences, all weights): max relative error {worst:.2e}")?;
                for (e, l) in log.epoch_loss.iter().enumerate() {
                    outln!("epoch {:>3}  loss {l:.4}", e + 1)?;
                }
                outln!(
                    "held-out accuracy {before:.4} -> {after:.4} ({} messages)",
                    d.x_test.len()
                )?;
            }
        }
        NnCommand::Gradients {
            data,
            stop_words,
            depth,
            width,
            steps,
            samples,
            seed,
        } => {
            let d = sms(data.as_deref(), stop_words.as_deref())?;
            let n = samples.min(d.x_train.len()).max(1);
            let features = d.featurizer.n_features();
            let x: Vec<f32> = d.x_train[..n].iter().flatten().map(|&v| v as f32).collect();
            let y: Vec<f32> = d.y_train[..n].iter().map(|&v| v as f32).collect();
            let x = Tensor::from_vec(x, (n, features), &Device::Cpu)?;
            let y = Tensor::from_vec(y, (n, 1), &Device::Cpu)?;
            let config = VanishingConfig {
                width,
                depth,
                steps,
                seed,
                ..Default::default()
            };
            let report = vanishing_gradient_experiment(&config, &x, &y)?;
            if g.json {
                outln!("{}", serde_json::to_string_pretty(&report)?)?;
                return Ok(());
            }
            for v in &report.variants {
                let last = v.records.len() - 1;
                outln!(
                    "\n{:?}: loss {:.4} -> {:.4}; first/last layer gradient norm {:.2e} at init, {:.2e} after {last} steps",
                    v.kind,
                    v.records[0].loss,
                    v.records[last].loss,
                    v.first_to_last_ratio(0),
                    v.first_to_last_ratio(last),
                )?;
                let rows: Vec<Vec<String>> = v.records[0]
                    .layers
                    .iter()
                    .zip(&v.records[last].layers)
                    .map(|(a, b)| {
                        vec![
                            a.layer.to_string(),
                            format!("{:.3e}", a.weight_grad_norm),
                            format!("{:.3e}", b.weight_grad_norm),
                            format!("{:.4}", a.activation_rms),
                        ]
                    })
                    .collect();
                print_table(
                    &["layer", "‖∂L/∂W‖ init", "‖∂L/∂W‖ last", "activation rms"],
                    &rows,
                )?;
            }
        }
    }
    Ok(())
}
