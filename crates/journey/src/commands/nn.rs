//! `journey nn …`: chapter 3, neural networks from first principles —
//! backpropagation on a scalar graph checked against finite differences, the
//! vanishing / exploding gradient experiments, and a character-level LSTM
//! language model, and an ELMo-style bidirectional LM (`journey nn bilm`).
//! The task models train through the task commands
//! (`journey classify train --model bilstm|textcnn`, `journey ner train
//! --model bilstm-crf`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use candle_core::{Device, Tensor};
use clap::Subcommand;
use journey_nn::char_lm::{train_val_split, CharLm, CharLmConfig, CharLmFitConfig, CharVocab};
use journey_nn::diagnostics::{vanishing_gradient_experiment, VanishingConfig};
use journey_nn::gradient_check::{max_relative_error, numerical_gradient};
use journey_nn::rng::Rng;
use journey_nn::rnn_gradients::{
    clipping_runs, exploding_norms, vanishing, ClippingConfig,
    VanishingConfig as RnnVanishingConfig,
};
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
    /// Gradients through time: a tanh RNN's vanish with distance while an
    /// LSTM's persist; a recurrent matrix of spectral radius r > 1 makes
    /// them grow as r^T; norm clipping keeps such a network trainable.
    RnnGradients {
        /// Text whose bytes feed the networks; default: Tiny Shakespeare.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Spectral radius of the exploding linear RNN.
        #[arg(long, default_value_t = 1.1)]
        radius: f64,
    },
    /// Character-level LSTM language model (char-rnn): train, sample.
    #[command(subcommand)]
    CharLm(CharLmCommand),
    /// ELMo-style bidirectional LM: train, contextual vectors, layer probes.
    #[command(subcommand)]
    Bilm(super::bilm::BilmCommand),
}

#[derive(Subcommand, Debug)]
pub enum CharLmCommand {
    /// Train on a text file (first 90% train, last 10% validation, as
    /// nanoGPT splits it) with truncated backpropagation through time.
    Train {
        /// Default: Tiny Shakespeare.
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long, value_name = "MODEL")]
        out: PathBuf,
        #[arg(long, default_value_t = 300)]
        steps: u64,
        #[arg(long, default_value_t = 32)]
        batch_size: usize,
        /// Characters per truncated-BPTT window.
        #[arg(long, default_value_t = 64)]
        window: usize,
        #[arg(long, default_value_t = 64)]
        embedding_dim: usize,
        #[arg(long, default_value_t = 256)]
        hidden: usize,
        #[arg(long, default_value_t = 2)]
        layers: usize,
        #[arg(long, default_value_t = 0.0)]
        dropout: f32,
        #[arg(long, default_value_t = 2e-3)]
        lr: f64,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// The run folder is RUNS_DIR/char-lm.
        #[arg(long, default_value = "runs")]
        runs_dir: PathBuf,
    },
    /// Continue a prompt character by character.
    Sample {
        #[arg(long, value_name = "MODEL")]
        model: PathBuf,
        #[arg(long, default_value = "\n")]
        prompt: String,
        #[arg(long, default_value_t = 400)]
        chars: usize,
        #[arg(long, default_value_t = 0.8)]
        temperature: f64,
        #[arg(long)]
        top_k: Option<usize>,
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
}

fn text_file(data: Option<&Path>) -> Result<String> {
    let path = match data {
        Some(p) => p.to_path_buf(),
        None => find_offline("tinyshakespeare")
            .map_err(anyhow::Error::msg)
            .context("--data")?,
    };
    let text = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(text)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 text ({e})", path.display()))?;
    if text.trim().is_empty() {
        anyhow::bail!("{}: the text is empty", path.display());
    }
    Ok(text)
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
        NnCommand::RnnGradients { data, radius } => rnn_gradients(g, data.as_deref(), radius)?,
        NnCommand::CharLm(c) => char_lm(g, c)?,
        NnCommand::Bilm(c) => super::bilm::run(g, c)?,
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

fn rnn_gradients(g: &Global, data: Option<&Path>, radius: f64) -> Result<()> {
    let text: String = text_file(data)?.chars().take(200_000).collect();
    let curves = vanishing(&text, &RnnVanishingConfig::default())?;
    let explode = exploding_norms(radius, 64, &[1, 5, 10, 20, 40, 60], 0)?;
    let clip = clipping_runs(&text, &ClippingConfig::default())?;
    if g.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"vanishing": curves, "exploding": explode, "clipping": clip})
            )?
        )?;
        return Ok(());
    }
    outln!("Vanishing: ‖∂L/∂x(T−1−k)‖ / ‖∂L/∂x(T−1)‖, k steps back\n")?;
    let rows: Vec<Vec<String>> = [0usize, 1, 2, 5, 10, 20, 30, 40, 50, 59]
        .iter()
        .filter(|&&k| k < curves[0].relative.len())
        .map(|&k| {
            let mut r = vec![k.to_string()];
            r.extend(curves.iter().map(|c| format!("{:.3e}", c.relative[k])));
            r
        })
        .collect();
    let mut header = vec!["k".to_string()];
    header.extend(curves.iter().map(|c| format!("{:?}", c.cell)));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    print_table(&header, &rows)?;
    outln!("\nExploding: linear RNN with W = {radius}·Q (Q orthogonal)\n")?;
    let rows: Vec<Vec<String>> = explode
        .iter()
        .map(|p| {
            vec![
                p.seq_len.to_string(),
                format!("{:.4e}", p.grad_h0),
                format!("{:.4e}", p.predicted_h0),
                format!("{:.4e}", p.grad_w),
            ]
        })
        .collect();
    print_table(&["T", "‖∂L/∂h0‖", "r^T‖v‖", "‖∂L/∂W‖"], &rows)?;
    outln!("\nClipping: byte-level tanh RNN LM, W_hh = 1.5·Q, plain SGD\n")?;
    for c in &clip {
        outln!(
            "clip {:<6} diverged {:<5}  largest loss jump {:.3}  largest gradient norm {:.3e}  final loss {:.3}",
            c.clip_norm.map_or("none".to_string(), |v| v.to_string()),
            c.diverged,
            c.max_jump(),
            c.grad_norms.iter().cloned().fold(0.0, f64::max),
            c.losses.last().copied().unwrap_or(f64::NAN)
        )?;
    }
    Ok(())
}

fn char_lm(g: &Global, cmd: CharLmCommand) -> Result<()> {
    match cmd {
        CharLmCommand::Train {
            data,
            out,
            steps,
            batch_size,
            window,
            embedding_dim,
            hidden,
            layers,
            dropout,
            lr,
            seed,
            runs_dir,
        } => {
            let text = text_file(data.as_deref())?;
            let (train, val) = train_val_split(&text);
            let vocab = CharVocab::build(train)?;
            let config = CharLmConfig {
                embedding_dim,
                hidden_size: hidden,
                num_layers: layers,
                dropout,
            };
            let model = CharLm::new(config, vocab, seed)?;
            let fit = CharLmFitConfig {
                batch_size,
                window,
                max_steps: Some(steps),
                lr,
                seed,
                runs_dir,
                run_name: "char-lm".into(),
                quiet: g.quiet,
                ..Default::default()
            };
            let start = std::time::Instant::now();
            let report = model.fit(train, val, &fit)?;
            let seconds = start.elapsed().as_secs_f64();
            let m = model.evaluate_ids(&model.vocab().encode(val), batch_size, window, None)?;
            model.save(&out)?;
            let sample = model.sample("\n", 200, 0.8, None, &mut Rng::seed(seed))?;
            if g.json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&json!({
                        "steps": report.losses.len(),
                        "seconds": seconds,
                        "val_loss": m["loss"],
                        "val_bits_per_char": m["bpc"],
                        "val_perplexity": m["perplexity"],
                        "sample": sample,
                        "out": out,
                    }))?
                )?;
            } else {
                outln!(
                    "{} steps in {seconds:.1} s; validation loss {:.4} nats ({:.4} bits/char, perplexity {:.2})",
                    report.losses.len(),
                    m["loss"],
                    m["bpc"],
                    m["perplexity"]
                )?;
                outln!("saved {}\n--- sample ---\n{sample}", out.display())?;
            }
        }
        CharLmCommand::Sample {
            model,
            prompt,
            chars,
            temperature,
            top_k,
            seed,
        } => {
            let m = CharLm::load(&model)?;
            let prompt = prompt.replace("\\n", "\n");
            let text = m.sample(&prompt, chars, temperature, top_k, &mut Rng::seed(seed))?;
            if g.json {
                outln!("{}", json!({"prompt": prompt, "text": text}))?;
            } else {
                outln!("{prompt}{text}")?;
            }
        }
    }
    Ok(())
}
