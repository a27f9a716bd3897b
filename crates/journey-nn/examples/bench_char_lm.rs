//! Training-step speed of the character LSTM language model, side by side
//! with `tools/reference/bench_char_lm.py` (torch 2.5.1, the same network:
//! `nn.Embedding` → 2-layer `nn.LSTM` → `nn.Linear`, Adam).
//!
//! Command (from the repository root):
//!     RAYON_NUM_THREADS=2 cargo run --release -p journey-nn --example bench_char_lm -- \
//!         --data /work/shared/data/corpora/tinyshakespeare/input.txt --threads 2 --steps 30
//!
//! Model: vocabulary 66 (65 characters + unk), embedding 64, 2-layer LSTM
//! hidden 256, linear 256 → 66; batch 32 streams × window 64 of Tiny
//! Shakespeare's training split, hidden state carried and detached; Adam
//! (lr 2e-3). One step = forward + cross-entropy + backward + update. Prints
//! one JSON line: median ms per step (after 3 warm-up steps) and tokens/s.

use std::time::Instant;

use journey_nn::char_lm::{train_val_split, CharLm, CharLmConfig, CharVocab, Streams};
use journey_nn::optim::{AdamConfig, OptimizerConfig, Params};
use journey_nn::recurrent::RecurrentState;

fn opt(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    journey_nn::allocator::keep_freed_memory();
    let threads: usize = opt("--threads", "2").parse()?;
    let steps: usize = opt("--steps", "30").parse()?;
    let path = opt("--data", "../shared/data/corpora/tinyshakespeare/input.txt");
    let (batch, window) = (32usize, 64usize);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()?;
    if std::env::var("RAYON_NUM_THREADS").ok().as_deref() != Some(&threads.to_string()) {
        eprintln!(
            "note: set RAYON_NUM_THREADS={threads} so candle's matmuls use {threads} threads"
        );
    }
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let (train, _) = train_val_split(&text);
    let vocab = CharVocab::build(train)?;
    let model = CharLm::new(
        CharLmConfig {
            embedding_dim: 64,
            hidden_size: 256,
            num_layers: 2,
            dropout: 0.0,
        },
        vocab,
        0,
    )?;
    let streams = Streams::new(&model.vocab().encode(train), batch, window)?;
    let mut adam = OptimizerConfig::Adam(AdamConfig {
        lr: 2e-3,
        ..Default::default()
    })
    .build(Params::from_varmap(model.varmap()))?;
    let mut state: Option<RecurrentState> = None;
    let mut times = Vec::new();
    let mut last = 0f32;
    for k in 0..steps + 3 {
        let t0 = Instant::now();
        let (x, y) = streams.window(k % streams.windows())?;
        let (loss, st) = model.window_loss(&x, &y, state.as_ref(), None)?;
        let grads = loss.backward()?;
        adam.step(&grads)?;
        last = loss.to_scalar::<f32>()?;
        state = Some(st);
        if k >= 3 {
            times.push(t0.elapsed().as_secs_f64());
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{{\"impl\": \"journey-nn\", \"threads\": {threads}, \"steps\": {steps}, \"ms_per_step\": {:.2}, \"tokens_per_s\": {:.0}, \"last_loss\": {last:.4}}}",
        median * 1e3,
        (batch * window) as f64 / median
    );
    Ok(())
}
