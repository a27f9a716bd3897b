//! Optimisers, schedules and clipping against PyTorch 2.5.1
//! (`tools/reference/optim_golden.py` → `fixtures/optim_golden.json`): the
//! same start, the same 10 gradients, the parameters after every step.

use candle_core::{Device, Tensor, Var};
use journey_nn::accumulate::empty_grad_store;
use journey_nn::clip::{clip_grad_norm, clip_grad_value};
use journey_nn::optim::{
    Adam, AdamConfig, Optimizer, OptimizerConfig, Params, RmsProp, RmsPropConfig, Sgd, SgdConfig,
};
use journey_nn::schedule::Schedule;
use serde_json::Value;

fn golden() -> Value {
    serde_json::from_str(include_str!("fixtures/optim_golden.json")).unwrap()
}

fn floats(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

fn shape(g: &Value, name: &str) -> Vec<usize> {
    g["shapes"][name]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

const NAMES: [&str; 2] = ["a.weight", "b.bias"];

fn params(g: &Value) -> Params {
    let pairs = NAMES
        .iter()
        .map(|&n| {
            let t = Tensor::from_vec(floats(&g["init"][n]), shape(g, n), &Device::Cpu).unwrap();
            (n.to_string(), Var::from_tensor(&t).unwrap())
        })
        .collect();
    Params::new(pairs)
}

/// `|a - b| / max(|b|, 1)`: relative for entries of magnitude >= 1, absolute
/// below. PyTorch's CPU kernels fuse `a + alpha * b` into one rounding (fma),
/// candle rounds twice, so entries that cancel to near 0 (momentum SGD) can
/// differ by 1e-5 relative while being 1 ulp apart at the parameters' scale.
fn rel(a: f32, b: f32) -> f64 {
    ((a as f64 - b as f64).abs()) / (b as f64).abs().max(1.0)
}

fn build(kind: &str, s: &Value, p: Params) -> Box<dyn Optimizer> {
    let f = |k: &str, d: f64| s.get(k).and_then(Value::as_f64).unwrap_or(d);
    let b = |k: &str| s.get(k).and_then(Value::as_bool).unwrap_or(false);
    match kind {
        "sgd" => Box::new(
            Sgd::new(
                p,
                SgdConfig {
                    lr: f("lr", 0.0),
                    momentum: f("momentum", 0.0),
                    dampening: f("dampening", 0.0),
                    nesterov: b("nesterov"),
                    weight_decay: f("weight_decay", 0.0),
                },
            )
            .unwrap(),
        ),
        "rmsprop" => Box::new(
            RmsProp::new(
                p,
                RmsPropConfig {
                    lr: f("lr", 0.0),
                    alpha: f("alpha", 0.99),
                    eps: f("eps", 1e-8),
                    weight_decay: f("weight_decay", 0.0),
                    momentum: f("momentum", 0.0),
                    centered: b("centered"),
                },
            )
            .unwrap(),
        ),
        "adam" | "adamw" => {
            let d = if kind == "adam" {
                AdamConfig::default()
            } else {
                AdamConfig::adamw()
            };
            Box::new(
                Adam::new(
                    p,
                    AdamConfig {
                        lr: f("lr", d.lr),
                        beta1: f("beta1", d.beta1),
                        beta2: f("beta2", d.beta2),
                        eps: f("eps", d.eps),
                        weight_decay: f("weight_decay", d.weight_decay),
                        amsgrad: b("amsgrad"),
                        ..d
                    },
                )
                .unwrap(),
            )
        }
        other => panic!("unknown optimiser {other}"),
    }
}

#[test]
fn optimisers_match_torch_over_ten_steps() {
    let g = golden();
    let mut worst_all = 0.0f64;
    for case in g["optimizers"].as_array().unwrap() {
        let kind = case["optimizer"].as_str().unwrap();
        let p = params(&g);
        let mut opt = build(kind, &case["settings"], p.clone());
        let mut worst = 0.0f64;
        let mut worst_abs = 0.0f64;
        for (step, (grads, after)) in g["grads"]
            .as_array()
            .unwrap()
            .iter()
            .zip(case["after"].as_array().unwrap())
            .enumerate()
        {
            let mut store = empty_grad_store().unwrap();
            for (name, var) in p.iter() {
                if !grads[name].is_null() {
                    let t =
                        Tensor::from_vec(floats(&grads[name]), var.dims(), &Device::Cpu).unwrap();
                    store.insert(var.as_tensor(), t);
                }
            }
            opt.step(&store).unwrap();
            for (name, var) in p.iter() {
                let got = var
                    .as_tensor()
                    .flatten_all()
                    .unwrap()
                    .to_vec1::<f32>()
                    .unwrap();
                let want = floats(&after[name]);
                for (a, b) in got.iter().zip(&want) {
                    let r = rel(*a, *b);
                    worst = worst.max(r);
                    worst_abs = worst_abs.max((a - b).abs() as f64);
                    assert!(
                        r <= 1e-6,
                        "{kind} {} step {step} {name}: {a} vs torch {b} (rel {r:e})",
                        case["settings"]
                    );
                }
            }
        }
        eprintln!(
            "{kind} {}: max rel diff {worst:e} max abs {worst_abs:e}",
            case["settings"]
        );
        worst_all = worst_all.max(worst);
    }
    eprintln!("all optimisers: max rel diff {worst_all:e}");
}

#[test]
fn optimiser_state_round_trip_continues_identically() {
    let g = golden();
    for case in g["optimizers"].as_array().unwrap() {
        let kind = case["optimizer"].as_str().unwrap();
        let grads: Vec<&Value> = g["grads"].as_array().unwrap().iter().collect();
        let store_for = |p: &Params, step: usize| {
            let mut store = empty_grad_store().unwrap();
            for (name, var) in p.iter() {
                if !grads[step][name].is_null() {
                    let t = Tensor::from_vec(floats(&grads[step][name]), var.dims(), &Device::Cpu)
                        .unwrap();
                    store.insert(var.as_tensor(), t);
                }
            }
            store
        };
        // Run 5 steps, save, continue 5 in a fresh optimiser over copies.
        let p = params(&g);
        let mut opt = build(kind, &case["settings"], p.clone());
        for s in 0..5 {
            opt.step(&store_for(&p, s)).unwrap();
        }
        let state = opt.state().unwrap();
        let q = Params::new(
            p.iter()
                .map(|(n, v)| {
                    (
                        n.to_string(),
                        Var::from_tensor(&v.as_tensor().copy().unwrap()).unwrap(),
                    )
                })
                .collect(),
        );
        let mut opt2 = build(kind, &case["settings"], q.clone());
        opt2.load_state(&state).unwrap();
        for s in 5..10 {
            opt.step(&store_for(&p, s)).unwrap();
            opt2.step(&store_for(&q, s)).unwrap();
        }
        for ((_, a), (_, b)) in p.iter().zip(q.iter()) {
            let a = a
                .as_tensor()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap();
            let b = b
                .as_tensor()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap();
            assert_eq!(
                a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                b.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
                "{kind}"
            );
        }
        // Loading another optimiser's state fails clearly.
        let mut wrong = build(
            if kind == "sgd" { "adam" } else { "sgd" },
            &Value::Null,
            params(&g),
        );
        let err = wrong.load_state(&state).unwrap_err().to_string();
        assert!(err.contains(&format!("{:?}", state.kind)), "{err}");
    }
}

#[test]
fn optimizer_config_builds_each_kind() {
    let g = golden();
    for (text, kind) in [
        (r#"{"kind": "sgd", "lr": 0.1, "momentum": 0.9}"#, "sgd"),
        (r#"{"kind": "rmsprop", "centered": true}"#, "rmsprop"),
        (r#"{"kind": "adam", "lr": 0.001}"#, "adam"),
        (r#"{"kind": "adamw", "weight_decay": 0.1}"#, "adamw"),
    ] {
        let c: OptimizerConfig = serde_json::from_str(text).unwrap();
        let opt = c.build(params(&g)).unwrap();
        assert_eq!(opt.state().unwrap().kind, kind);
    }
    let bad: OptimizerConfig = serde_json::from_str(r#"{"kind": "sgd", "lr": -1}"#).unwrap();
    assert!(bad.build(params(&g)).is_err());
}

#[test]
fn schedules_match_torch() {
    let g = golden();
    for case in g["schedules"].as_array().unwrap() {
        let sched: Schedule = serde_json::from_value(case["schedule"].clone()).unwrap();
        sched.validate().unwrap();
        for (t, want) in case["lrs"].as_array().unwrap().iter().enumerate() {
            let want = want.as_f64().unwrap();
            let got = sched.lr_at(t as u64);
            assert!(
                (got - want).abs() <= 1e-12 * want.abs().max(1e-12),
                "{sched:?} step {t}: {got} vs torch {want}"
            );
        }
    }
}

#[test]
fn clipping_matches_torch() {
    let g = golden();
    for case in g["clipping"].as_array().unwrap() {
        let p = params(&g);
        let step = case["step"].as_u64().unwrap() as usize;
        let mut store = empty_grad_store().unwrap();
        for (name, var) in p.iter() {
            let t = Tensor::from_vec(floats(&g["grads"][step][name]), var.dims(), &Device::Cpu)
                .unwrap();
            store.insert(var.as_tensor(), t);
        }
        if let Some(max_norm) = case.get("max_norm").and_then(Value::as_f64) {
            let norm = clip_grad_norm(&mut store, &p, max_norm).unwrap();
            let want = case["norm"].as_f64().unwrap();
            assert!(
                (norm - want).abs() <= 1e-6 * want,
                "norm {norm} vs torch {want}"
            );
        } else {
            clip_grad_value(&mut store, &p, case["clip_value"].as_f64().unwrap()).unwrap();
        }
        for (name, var) in p.iter() {
            let got = store
                .get(var.as_tensor())
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap();
            for (a, b) in got.iter().zip(floats(&case["grads"][name])) {
                assert!(rel(*a, b) <= 1e-6, "{case:?} {name}: {a} vs {b}");
            }
        }
    }
}
