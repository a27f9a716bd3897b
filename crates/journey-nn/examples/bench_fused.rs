//! Fused vs unfused: forward and forward+backward time of layer norm,
//! softmax cross-entropy, GELU and causal attention on transformer-sized f32
//! tensors.
//!
//! ```text
//! cargo run --release -p journey-nn --example bench_fused [-- --iters 5]
//! /root/venvs/torch/bin/python tools/reference/bench_fused.py   # PyTorch, same sizes
//! ```
//!
//! "Unfused" is the differentiable composition of candle primitives (what
//! one writes without these ops); both sides then take `(y · r).sum()` (r a
//! fixed random tensor) and call `backward`. Median of `--iters` runs after
//! one warm-up. Threads: rayon's (`RAYON_NUM_THREADS`).

use std::time::Instant;

use candle_core::{Device, Result, Tensor, Var, D};
use journey_nn::fused::{causal_attention, cross_entropy, gelu, layer_norm, GeluApproximation};

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn tensor(&mut self, dims: &[usize]) -> Result<Tensor> {
        let n: usize = dims.iter().product();
        let v: Vec<f32> = (0..n)
            .map(|_| ((self.next_u64() >> 40) as f32 / (1u64 << 24) as f32) * 4.0 - 2.0)
            .collect();
        Tensor::from_vec(v, dims, &Device::Cpu)
    }
}

fn median_ms(iters: usize, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    f()?;
    let mut times = Vec::with_capacity(iters);
    for _ in 0..iters {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(times[times.len() / 2])
}

fn layer_norm_unfused(x: &Tensor, w: &Tensor, b: &Tensor, eps: f64) -> Result<Tensor> {
    let mean = x.mean_keepdim(D::Minus1)?;
    let xc = x.broadcast_sub(&mean)?;
    let var = xc.sqr()?.mean_keepdim(D::Minus1)?;
    xc.broadcast_div(&(var + eps)?.sqrt()?)?
        .broadcast_mul(w)?
        .broadcast_add(b)
}

fn cross_entropy_unfused(z: &Tensor, t: &Tensor) -> Result<Tensor> {
    candle_nn::loss::cross_entropy(z, t)
}

fn gelu_unfused(x: &Tensor) -> Result<Tensor> {
    let inner = (x * std::f64::consts::FRAC_1_SQRT_2)?.erf()?;
    ((inner + 1.0)? * x)?.affine(0.5, 0.0)
}

fn causal_attention_unfused(q: &Tensor, k: &Tensor, v: &Tensor, mask: &Tensor) -> Result<Tensor> {
    let dh = q.dim(D::Minus1)?;
    let scores = (q.matmul(&k.t()?)? * (1.0 / (dh as f64).sqrt()))?;
    candle_nn::ops::softmax(&scores.broadcast_add(mask)?, D::Minus1)?.matmul(v)
}

fn report(name: &str, fwd: (f64, f64), both: (f64, f64)) {
    println!(
        "{name:<34} forward {:>8.2} ms fused {:>8.2} ms unfused ({:>5.2}x)   fwd+bwd {:>8.2} ms fused {:>8.2} ms unfused ({:>5.2}x)",
        fwd.0,
        fwd.1,
        fwd.1 / fwd.0,
        both.0,
        both.1,
        both.1 / both.0
    );
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let iters = args
        .iter()
        .position(|a| a == "--iters")
        .and_then(|i| args.get(i + 1))
        .map(|s| s.parse().expect("--iters takes a number"))
        .unwrap_or(5);
    let mut rng = Rng(1);
    println!(
        "threads: {}, iters: {iters} (median)",
        rayon::current_num_threads()
    );

    // Layer norm, [8192, 768].
    let (rows, d) = (8192, 768);
    let x = Var::from_tensor(&rng.tensor(&[rows, d])?)?;
    let w = Var::from_tensor(&rng.tensor(&[d])?)?;
    let b = Var::from_tensor(&rng.tensor(&[d])?)?;
    let r = rng.tensor(&[rows, d])?;
    let fwd_f = median_ms(iters, || {
        layer_norm(&x, &w, &b, 1e-5).map(|_| ()).map_err(to_candle)
    })?;
    let fwd_u = median_ms(iters, || layer_norm_unfused(&x, &w, &b, 1e-5).map(|_| ()))?;
    let both_f = median_ms(iters, || {
        let y = layer_norm(&x, &w, &b, 1e-5).map_err(to_candle)?;
        (y * &r)?.sum_all()?.backward().map(|_| ())
    })?;
    let both_u = median_ms(iters, || {
        let y = layer_norm_unfused(&x, &w, &b, 1e-5)?;
        (y * &r)?.sum_all()?.backward().map(|_| ())
    })?;
    report("layer_norm [8192, 768]", (fwd_f, fwd_u), (both_f, both_u));

    // Softmax cross-entropy, [2048, 8192] logits.
    let (n, c) = (2048, 8192);
    let z = Var::from_tensor(&rng.tensor(&[n, c])?)?;
    let targets: Vec<u32> = (0..n).map(|_| (rng.next_u64() % c as u64) as u32).collect();
    let t = Tensor::new(targets.as_slice(), &Device::Cpu)?;
    let fwd_f = median_ms(iters, || {
        cross_entropy(&z, &t, None).map(|_| ()).map_err(to_candle)
    })?;
    let fwd_u = median_ms(iters, || cross_entropy_unfused(&z, &t).map(|_| ()))?;
    let both_f = median_ms(iters, || {
        cross_entropy(&z, &t, None)
            .map_err(to_candle)?
            .backward()
            .map(|_| ())
    })?;
    let both_u = median_ms(iters, || {
        cross_entropy_unfused(&z, &t)?.backward().map(|_| ())
    })?;
    report(
        "cross_entropy [2048, 8192]",
        (fwd_f, fwd_u),
        (both_f, both_u),
    );

    // GELU (erf), [4096, 3072].
    let x = Var::from_tensor(&rng.tensor(&[4096, 3072])?)?;
    let r = rng.tensor(&[4096, 3072])?;
    for (label, a) in [
        ("gelu erf [4096, 3072]", GeluApproximation::Erf),
        ("gelu tanh [4096, 3072]", GeluApproximation::Tanh),
    ] {
        let unfused = |x: &Tensor| -> Result<Tensor> {
            match a {
                GeluApproximation::Erf => gelu_unfused(x),
                // candle's own tanh GELU (one op, its backward composed).
                GeluApproximation::Tanh => x.gelu(),
            }
        };
        let fwd_f = median_ms(iters, || gelu(&x, a).map(|_| ()).map_err(to_candle))?;
        let fwd_u = median_ms(iters, || unfused(&x).map(|_| ()))?;
        let both_f = median_ms(iters, || {
            let y = gelu(&x, a).map_err(to_candle)?;
            (y * &r)?.sum_all()?.backward().map(|_| ())
        })?;
        let both_u = median_ms(iters, || {
            let y = unfused(&x)?;
            (y * &r)?.sum_all()?.backward().map(|_| ())
        })?;
        report(label, (fwd_f, fwd_u), (both_f, both_u));
    }

    // Causal attention, 16 heads × T 512 × Dh 64.
    let (h, t, dh) = (16, 512, 64);
    let q = Var::from_tensor(&rng.tensor(&[h, t, dh])?)?;
    let k = Var::from_tensor(&rng.tensor(&[h, t, dh])?)?;
    let v = Var::from_tensor(&rng.tensor(&[h, t, dh])?)?;
    let r = rng.tensor(&[h, t, dh])?;
    let mask: Vec<f32> = (0..t)
        .flat_map(|i| (0..t).map(move |j| if j <= i { 0.0 } else { f32::NEG_INFINITY }))
        .collect();
    let mask = Tensor::from_vec(mask, (t, t), &Device::Cpu)?;
    let fwd_f = median_ms(iters, || {
        causal_attention(&q, &k, &v, None)
            .map(|_| ())
            .map_err(to_candle)
    })?;
    let fwd_u = median_ms(iters, || {
        causal_attention_unfused(&q, &k, &v, &mask).map(|_| ())
    })?;
    let both_f = median_ms(iters, || {
        let y = causal_attention(&q, &k, &v, None).map_err(to_candle)?;
        (y * &r)?.sum_all()?.backward().map(|_| ())
    })?;
    let both_u = median_ms(iters, || {
        let y = causal_attention_unfused(&q, &k, &v, &mask)?;
        (y * &r)?.sum_all()?.backward().map(|_| ())
    })?;
    report(
        "causal_attention [16, 512, 64]",
        (fwd_f, fwd_u),
        (both_f, both_u),
    );
    Ok(())
}

fn to_candle(e: journey_nn::NnError) -> candle_core::Error {
    candle_core::Error::Msg(e.to_string())
}
