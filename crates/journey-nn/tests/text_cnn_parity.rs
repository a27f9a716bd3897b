//! Parity of `journey_nn::text_cnn::TextCnn` with the same network in PyTorch
//! 2.5.1 (`nn.Conv1d` per sequence, unpadded), values and gradients, from
//! the fixture written by `tools/reference/text_cnn_golden.py`.

use std::collections::HashMap;

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{VarBuilder, VarMap};
use journey_nn::text_cnn::{TextCnn, TextCnnConfig};

fn fixture() -> HashMap<String, Tensor> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/text_cnn.safetensors"
    );
    candle_core::safetensors::load(path, &Device::Cpu).expect("text_cnn fixture")
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

fn model(fx: &HashMap<String, Tensor>) -> (TextCnn, VarMap) {
    let x = &fx["x"];
    let (_, _, e) = x.dims3().unwrap();
    let widths: Vec<usize> = (0..3)
        .map(|i| fx[&format!("convs.{i}.weight")].dim(2).unwrap())
        .collect();
    let config = TextCnnConfig {
        embedding_dim: e,
        widths,
        filters: fx["convs.0.weight"].dim(0).unwrap(),
        num_classes: fx["fc.weight"].dim(0).unwrap(),
    };
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
    let m = TextCnn::new(config, vb).unwrap();
    {
        let data = varmap.data().lock().unwrap();
        assert_eq!(data.len(), 8);
        for (name, var) in data.iter() {
            var.set(&fx[name]).unwrap();
        }
    }
    (m, varmap)
}

fn lengths(fx: &HashMap<String, Tensor>) -> Vec<usize> {
    fx["lengths"]
        .to_vec1::<i64>()
        .unwrap()
        .into_iter()
        .map(|l| l as usize)
        .collect()
}

#[test]
fn text_cnn_matches_torch() {
    let fx = fixture();
    let (m, varmap) = model(&fx);
    let x = Var::from_tensor(&fx["x"]).unwrap();
    let lens = lengths(&fx);
    assert!(
        lens.iter().any(|&l| l < 4),
        "one sequence is shorter than the widest filter"
    );
    let feats = m.features(x.as_tensor(), Some(&lens)).unwrap();
    check("text_cnn features", &feats, &fx["features"]);
    let logits = m.classify(&feats).unwrap();
    check("text_cnn logits", &logits, &fx["logits"]);
    let loss = (&logits * &fx["r"]).unwrap().sum_all().unwrap();
    let grads = loss.backward().unwrap();
    check(
        "text_cnn d/dx",
        grads.get(x.as_tensor()).unwrap(),
        &fx["grad.x"],
    );
    let data = varmap.data().lock().unwrap();
    for (name, var) in data.iter() {
        check(
            &format!("text_cnn d/d{name}"),
            grads.get(var.as_tensor()).unwrap(),
            &fx[&format!("grad.{name}")],
        );
    }
}

#[test]
fn text_cnn_ignores_padding_and_checks_input() {
    let fx = fixture();
    let (m, _) = model(&fx);
    let x = fx["x"].clone();
    let lens = lengths(&fx);
    let (b, t, _) = x.dims3().unwrap();
    let noise: Vec<f32> = lens
        .iter()
        .flat_map(|&l| (0..t).map(move |p| if p < l { 1.0 } else { -50.0 }))
        .collect();
    let x2 = x
        .broadcast_mul(&Tensor::from_vec(noise, (b, t, 1), &Device::Cpu).unwrap())
        .unwrap();
    let a = m.forward(&x, Some(&lens)).unwrap();
    let c = m.forward(&x2, Some(&lens)).unwrap();
    check("text_cnn padding invariance", &a, &c);
    assert!(m.forward(&x, Some(&[1, 2])).is_err());
    assert!(m.forward(&x, Some(&[1, 2, 0, 3])).is_err());
    assert!(m.forward(&x.narrow(2, 0, 2).unwrap(), None).is_err());
}
