//! The vanishing-gradient experiment on SMS spam features: a 20-layer MLP
//! with sigmoid (Xavier init), ReLU (He init) and residual + LayerNorm, the
//! weight-gradient norm of every layer at init and after a few SGD steps.
//! Prints a table, and the whole report as JSON with `--json` (for plots).
//!
//!     JOURNEY_DATA=../shared/data cargo run --release -p journey-nn \
//!         --example vanishing_gradients \
//!         [-- --json --width 64 --depth 20 --steps 5 --samples 512]

use std::path::PathBuf;

use candle_core::{Device, Tensor};
use journey_nn::diagnostics::{vanishing_gradient_experiment, VanishingConfig};
use journey_nn::sms_features::{self, SmsConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let json = args.iter().any(|a| a == "--json");
    let flag = |name: &str, default: usize| -> Result<usize, String> {
        match args.iter().position(|a| a == name) {
            None => Ok(default),
            Some(i) => args
                .get(i + 1)
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name} needs a positive integer")),
        }
    };
    let root = PathBuf::from(
        std::env::var("JOURNEY_DATA").map_err(|_| "set JOURNEY_DATA to the shared data folder")?,
    );
    let data = sms_features::load(
        &root.join("classification/sms_spam/sms.tsv"),
        &root.join("lexicons/stopwords_nltk_english.txt"),
        &SmsConfig::default(),
    )?;
    let n = flag("--samples", 512)?.min(data.x_train.len());
    let features = data.featurizer.n_features();
    let x: Vec<f32> = data.x_train[..n]
        .iter()
        .flatten()
        .map(|&v| v as f32)
        .collect();
    let y: Vec<f32> = data.y_train[..n].iter().map(|&v| v as f32).collect();
    let x = Tensor::from_vec(x, (n, features), &Device::Cpu)?;
    let y = Tensor::from_vec(y, (n, 1), &Device::Cpu)?;
    let config = VanishingConfig {
        width: flag("--width", 64)?,
        depth: flag("--depth", 20)?,
        steps: flag("--steps", 5)?,
        ..Default::default()
    };
    let report = vanishing_gradient_experiment(&config, &x, &y)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    for v in &report.variants {
        let last = v.records.len() - 1;
        println!(
            "{:?}: loss {:.4} -> {:.4}; first/last layer gradient ratio {:.2e} at init, {:.2e} after {} steps",
            v.kind,
            v.records[0].loss,
            v.records[last].loss,
            v.first_to_last_ratio(0),
            v.first_to_last_ratio(last),
            last
        );
        println!("  layer  |grad W| init  |grad W| after  act rms init");
        for (a, b) in v.records[0].layers.iter().zip(&v.records[last].layers) {
            println!(
                "  {:>5}  {:>12.3e}  {:>14.3e}  {:>12.4}",
                a.layer, a.weight_grad_norm, b.weight_grad_norm, a.activation_rms
            );
        }
    }
    Ok(())
}
