//! Trains the character LSTM language model on Tiny Shakespeare and prints
//! the validation loss and a sample.
//!
//! Command (from the repository root):
//!     RAYON_NUM_THREADS=2 cargo run --release -p journey-nn --example char_lm -- \
//!         --data /work/shared/data/corpora/tinyshakespeare/input.txt --steps 300
//!
//! Options: `--steps N` `--hidden H` `--layers L` `--emb E` `--batch B`
//! `--window T` `--lr X` `--seed S` `--temperature X` `--top-k K`
//! `--save model.safetensors`.

use journey_nn::char_lm::{train_val_split, CharLm, CharLmConfig, CharLmFitConfig, CharVocab};
use journey_nn::rng::Rng;

fn opt(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    journey_nn::allocator::keep_freed_memory();
    let path = opt("--data", "../shared/data/corpora/tinyshakespeare/input.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let (train, val) = train_val_split(&text);
    let vocab = CharVocab::build(train)?;
    let config = CharLmConfig {
        embedding_dim: opt("--emb", "64").parse()?,
        hidden_size: opt("--hidden", "256").parse()?,
        num_layers: opt("--layers", "2").parse()?,
        dropout: opt("--dropout", "0").parse()?,
    };
    let seed: u64 = opt("--seed", "0").parse()?;
    let model = CharLm::new(config, vocab, seed)?;
    let dir = tempfile_dir();
    let fit = CharLmFitConfig {
        batch_size: opt("--batch", "32").parse()?,
        window: opt("--window", "64").parse()?,
        max_steps: Some(opt("--steps", "300").parse()?),
        lr: opt("--lr", "2e-3").parse()?,
        eval_every: None,
        seed,
        runs_dir: dir.clone(),
        run_name: "char-lm".into(),
        ..Default::default()
    };
    let t0 = std::time::Instant::now();
    let report = model.fit(train, val, &fit)?;
    let secs = t0.elapsed().as_secs_f64();
    let m = model.evaluate_ids(&model.vocab().encode(val), fit.batch_size, fit.window, None)?;
    let last = report.losses.last().map_or(f64::NAN, |l| l.1);
    println!(
        "{} steps in {secs:.1} s; last train loss {last:.4}; val loss {:.4} nats, {:.4} bits/char, perplexity {:.2}",
        report.losses.len(),
        m["loss"],
        m["bpc"],
        m["perplexity"]
    );
    let top_k: usize = opt("--top-k", "0").parse()?;
    let sample = model.sample(
        &opt("--prompt", "ROMEO:"),
        400,
        opt("--temperature", "0.8").parse()?,
        (top_k > 0).then_some(top_k),
        &mut Rng::seed(seed),
    )?;
    println!("--- sample ---\n{sample}");
    let save = opt("--save", "");
    if !save.is_empty() {
        model.save(std::path::Path::new(&save))?;
        println!("saved {save}");
    }
    println!("run folder: {}", dir.display());
    Ok(())
}

fn tempfile_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("journey-char-lm-{}", std::process::id()))
}
