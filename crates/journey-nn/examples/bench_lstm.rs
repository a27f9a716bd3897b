//! Training-step speed of a bidirectional LSTM classifier, side by side with
//! `tools/reference/bench_lstm.py` (torch 2.5.1, `torch.nn.LSTM` on CPU).
//!
//! Command (from the repository root):
//!     RAYON_NUM_THREADS=2 cargo run --release -p journey-nn --example bench_lstm -- \
//!         --threads 2 --steps 30
//!
//! Model: one bidirectional LSTM layer (input 50, hidden 128), final states
//! of both directions concatenated → linear (256 → 2) → cross-entropy; plain
//! SGD (lr 0.1). Batch 64 × time 40, sequence lengths drawn in 20..=40
//! (packed: padding is never computed on). Random inputs and labels from a
//! seeded generator. One step = forward + backward + update. Prints one JSON
//! line: median ms per step (after 3 warm-up steps) and real tokens/s.
//! With `--forward-only` it also times the forward pass alone.

use std::time::Instant;

use candle_core::{DType, Device, Tensor};
use candle_nn::{Optimizer, VarBuilder, VarMap};
use journey_nn::recurrent::Recurrent;

fn opt(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    journey_nn::allocator::keep_freed_memory();
    let threads: usize = opt("--threads", "2").parse()?;
    let steps: usize = opt("--steps", "30").parse()?;
    let (batch, time, input, hidden) = (64usize, 40usize, 50usize, 128usize);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()?;
    if std::env::var("RAYON_NUM_THREADS").ok().as_deref() != Some(&threads.to_string()) {
        eprintln!(
            "note: set RAYON_NUM_THREADS={threads} so candle's matmuls use {threads} threads"
        );
    }
    let dev = Device::Cpu;
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &dev);
    let lstm = Recurrent::lstm(input, hidden, 1, true, vb.pp("lstm"))?;
    lstm.reset_parameters(1)?;
    let head = candle_nn::linear(2 * hidden, 2, vb.pp("head"))?;
    let mut rng = Lcg(42);
    // seeded head (candle's own random init cannot be seeded)
    let bound = 1.0 / (2.0 * hidden as f32).sqrt();
    for p in [head.weight(), head.bias().expect("bias")] {
        let v: Vec<f32> = (0..p.elem_count())
            .map(|_| (rng.next() * 2.0 - 1.0) * bound)
            .collect();
        p.slice_set(&Tensor::from_vec(v, p.shape(), &dev)?, 0, 0)?;
    }
    let mut sgd = candle_nn::SGD::new(varmap.all_vars(), 0.1)?;
    let xs: Vec<f32> = (0..batch * time * input)
        .map(|_| rng.next() * 2.0 - 1.0)
        .collect();
    let xs = Tensor::from_vec(xs, (batch, time, input), &dev)?;
    let lengths: Vec<usize> = (0..batch)
        .map(|_| 20 + (rng.next() * 21.0) as usize)
        .collect();
    let labels: Vec<u32> = (0..batch).map(|_| (rng.next() * 2.0) as u32).collect();
    let labels = Tensor::from_vec(labels, batch, &dev)?;
    let tokens: usize = lengths.iter().sum();
    let step = |sgd: &mut candle_nn::SGD| -> candle_core::Result<f32> {
        let out = lstm
            .forward(&xs, Some(&lengths), None)
            .map_err(candle_core::Error::wrap)?;
        // h_n: [2, B, H] -> [B, 2H]
        let feats = out.state.h.transpose(0, 1)?.reshape((batch, 2 * hidden))?;
        let logits = candle_nn::Module::forward(&head, &feats)?;
        let loss = candle_nn::loss::cross_entropy(&logits, &labels)?;
        sgd.backward_step(&loss)?;
        loss.to_scalar::<f32>()
    };
    let mut times = Vec::with_capacity(steps);
    let mut last = 0.0;
    for i in 0..steps + 3 {
        let t0 = Instant::now();
        last = step(&mut sgd)?;
        if i >= 3 {
            times.push(t0.elapsed().as_secs_f64());
        }
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let med = times[times.len() / 2];
    let mut fwd_ms = f64::NAN;
    if std::env::args().any(|a| a == "--forward-only") {
        let mut ft = Vec::new();
        for _ in 0..steps {
            let t0 = Instant::now();
            let out = lstm.forward(&xs, Some(&lengths), None)?;
            let _ = out.state.h.sum_all()?.to_scalar::<f32>()?;
            ft.push(t0.elapsed().as_secs_f64());
        }
        ft.sort_by(|a, b| a.partial_cmp(b).unwrap());
        fwd_ms = ft[ft.len() / 2] * 1e3;
    }
    println!(
        "{{\"impl\": \"journey-nn\", \"threads\": {threads}, \"batch\": {batch}, \"time\": {time}, \"input\": {input}, \"hidden\": {hidden}, \"ms_per_step\": {:.3}, \"tokens_per_s\": {:.0}, \"forward_ms\": {:.3}, \"final_loss\": {last:.4}}}",
        med * 1e3,
        tokens as f64 / med,
        fwd_ms
    );
    Ok(())
}
