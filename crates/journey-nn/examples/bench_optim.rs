//! Optimiser step speed, side by side with `tools/reference/bench_optim.py`
//! (torch 2.5.1, CPU).
//!
//! Command (from the repository root):
//!     cargo run --release -p journey-nn --example bench_optim -- --steps 100
//!
//! Parameters: an LSTM-sized set of 4,128,768 f32 values ("emb.weight"
//! 10,000 x 128, "lstm.weight_ih_l0" 2,048 x 128, "lstm.weight_hh_l0"
//! 2,048 x 512, "lstm.bias" 2,048, "out.weight" 3,000 x 512),
//! fixed gradients (the same tensors every step). Times `--steps` optimiser
//! steps of SGD (momentum 0.9), RMSProp, Adam and AdamW (weight decay 0.01),
//! after 3 warm-up steps; prints one JSON line with milliseconds per step.

use std::time::Instant;

use candle_core::{DType, Device, Tensor, Var};
use journey_nn::accumulate::empty_grad_store;
use journey_nn::optim::{AdamConfig, OptimizerConfig, Params, RmsPropConfig, SgdConfig};

const SHAPES: [(&str, &[usize]); 5] = [
    ("emb.weight", &[10_000, 128]),
    ("lstm.weight_ih_l0", &[2_048, 128]),
    ("lstm.weight_hh_l0", &[2_048, 512]),
    ("lstm.bias", &[2_048]),
    ("out.weight", &[3_000, 512]),
];

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

fn main() {
    let steps: usize = arg("--steps", "100").parse().expect("--steps");
    let fill = |n: usize, k: f32| -> Vec<f32> {
        (0..n)
            .map(|i| ((i as f32 * 0.618_034 + k).fract() - 0.5) * 0.1)
            .collect()
    };
    let configs = [
        (
            "sgd_momentum",
            OptimizerConfig::Sgd(SgdConfig {
                lr: 0.01,
                momentum: 0.9,
                ..Default::default()
            }),
        ),
        (
            "rmsprop",
            OptimizerConfig::RmsProp(RmsPropConfig::default()),
        ),
        ("adam", OptimizerConfig::Adam(AdamConfig::default())),
        ("adamw", OptimizerConfig::AdamW(AdamConfig::adamw())),
    ];
    let mut out = serde_json::Map::new();
    let total: usize = SHAPES
        .iter()
        .map(|(_, s)| s.iter().product::<usize>())
        .sum();
    out.insert("params".into(), total.into());
    for (name, config) in configs {
        let pairs: Vec<(String, Var)> = SHAPES
            .iter()
            .map(|(n, s)| {
                let len = s.iter().product();
                let t = Tensor::from_vec(fill(len, 0.3), *s, &Device::Cpu).unwrap();
                (n.to_string(), Var::from_tensor(&t).unwrap())
            })
            .collect();
        let params = Params::new(pairs);
        let mut grads = empty_grad_store().unwrap();
        for (_, v) in params.iter() {
            let g = Tensor::from_vec(fill(v.elem_count(), 0.7), v.dims(), &Device::Cpu).unwrap();
            grads.insert(v.as_tensor(), g.to_dtype(DType::F32).unwrap());
        }
        let mut opt = config.build(params).unwrap();
        for _ in 0..3 {
            opt.step(&grads).unwrap();
        }
        let t = Instant::now();
        for _ in 0..steps {
            opt.step(&grads).unwrap();
        }
        let ms = t.elapsed().as_secs_f64() * 1e3 / steps as f64;
        out.insert(format!("{name}_ms_per_step"), ms.into());
    }
    println!("{}", serde_json::Value::Object(out));
}
