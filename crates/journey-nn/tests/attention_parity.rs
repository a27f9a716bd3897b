//! Parity of `journey_nn::attention::Attention` (Bahdanau additive, Luong
//! dot and general, with a source padding mask) with the same equations in
//! PyTorch 2.5.1, values and gradients, from the fixture written by
//! `tools/reference/attention_golden.py`.

use std::collections::HashMap;

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{VarBuilder, VarMap};
use journey_nn::attention::{Attention, AttentionConfig, AttentionScore};

fn fixture() -> HashMap<String, Tensor> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/attention.safetensors"
    );
    candle_core::safetensors::load(path, &Device::Cpu).expect("attention fixture")
}

fn check(what: &str, ours: &Tensor, theirs: &Tensor) {
    assert_eq!(ours.dims(), theirs.dims(), "{what}: shapes differ");
    let d = (ours - theirs)
        .unwrap()
        .abs()
        .unwrap()
        .flatten_all()
        .unwrap()
        .max(0)
        .unwrap()
        .to_scalar::<f32>()
        .unwrap();
    println!("{what}: max |Δ| = {d:.3e}");
    assert!(d <= 1e-5, "{what}: max |Δ| = {d}");
}

fn parity(case: &str, score: AttentionScore, n_params: usize) {
    let fx = fixture();
    let get = |k: &str| fx[&format!("{case}.{k}")].clone();
    let q = Var::from_tensor(&get("queries")).unwrap();
    let k = Var::from_tensor(&get("keys")).unwrap();
    let v = Var::from_tensor(&get("values")).unwrap();
    let config = AttentionConfig {
        score,
        query_dim: q.dim(2).unwrap(),
        key_dim: k.dim(2).unwrap(),
        attention_dim: fx.get("additive.v.weight").unwrap().dim(1).unwrap(),
    };
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
    let att = Attention::new(config, vb).unwrap();
    {
        let data = varmap.data().lock().unwrap();
        assert_eq!(data.len(), n_params);
        for (name, var) in data.iter() {
            var.set(&get(name)).unwrap();
        }
    }
    let lengths: Vec<usize> = get("lengths")
        .to_vec1::<i64>()
        .unwrap()
        .into_iter()
        .map(|l| l as usize)
        .collect();
    let out = att
        .forward(q.as_tensor(), k.as_tensor(), v.as_tensor(), Some(&lengths))
        .unwrap();
    check(&format!("{case} context"), &out.context, &get("context"));
    check(&format!("{case} weights"), &out.weights, &get("weights"));
    // masked positions: exactly zero weight
    let w = out.weights.to_vec3::<f32>().unwrap();
    for (b, rows) in w.iter().enumerate() {
        for row in rows {
            for (j, &a) in row.iter().enumerate() {
                if j >= lengths[b] {
                    assert_eq!(a.to_bits(), 0f32.to_bits(), "{case}: weight at padding");
                }
            }
        }
    }
    let loss = ((&out.context * get("r_context"))
        .unwrap()
        .sum_all()
        .unwrap()
        + (&out.weights * get("r_weights"))
            .unwrap()
            .sum_all()
            .unwrap())
    .unwrap();
    let grads = loss.backward().unwrap();
    for (name, var) in [("queries", &q), ("keys", &k), ("values", &v)] {
        check(
            &format!("{case} d/d{name}"),
            grads.get(var.as_tensor()).unwrap(),
            &get(&format!("grad.{name}")),
        );
    }
    let data = varmap.data().lock().unwrap();
    for (name, var) in data.iter() {
        check(
            &format!("{case} d/d{name}"),
            grads.get(var.as_tensor()).unwrap(),
            &get(&format!("grad.{name}")),
        );
    }
}

#[test]
fn additive_attention_matches_torch() {
    parity("additive", AttentionScore::Additive, 3);
}

#[test]
fn dot_attention_matches_torch() {
    parity("dot", AttentionScore::Dot, 0);
}

#[test]
fn general_attention_matches_torch() {
    parity("general", AttentionScore::General, 1);
}

#[test]
fn attention_rejects_bad_input() {
    let vb = VarBuilder::zeros(DType::F32, &Device::Cpu);
    let cfg = AttentionConfig {
        score: AttentionScore::Dot,
        query_dim: 4,
        key_dim: 3,
        attention_dim: 0,
    };
    assert!(Attention::new(cfg.clone(), vb.clone()).is_err());
    let att = Attention::new(AttentionConfig { key_dim: 4, ..cfg }, vb).unwrap();
    let q = Tensor::zeros((2, 1, 4), DType::F32, &Device::Cpu).unwrap();
    let k = Tensor::zeros((2, 3, 4), DType::F32, &Device::Cpu).unwrap();
    assert!(att.forward(&q, &k, &k, Some(&[3, 0])).is_err());
    assert!(att.forward(&q, &k, &k, Some(&[4, 1])).is_err());
    assert!(att
        .forward(&q, &k, &k.narrow(1, 0, 2).unwrap(), None)
        .is_err());
    let ok = att.forward(&q, &k, &k, Some(&[3, 1])).unwrap();
    let w = ok.weights.to_vec3::<f32>().unwrap();
    assert_eq!(w[1][0], vec![1.0, 0.0, 0.0]);
}
