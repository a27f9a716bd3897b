//! Checkpoint files: round trip, and clear errors for a truncated or corrupt
//! file, a missing tensor, a shape mismatch and another configuration.

mod common;

use std::collections::BTreeMap;

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::VarMap;
use common::randn;
use journey_nn::checkpoint::{load_checkpoint, save_checkpoint, varmap_tensors, TrainState};
use journey_nn::optim::{Adam, AdamConfig, Optimizer, Params};
use journey_nn::rng::Rng;
use serde_json::json;

fn model(hidden: usize, with_bias: bool) -> VarMap {
    let vm = VarMap::new();
    let mut rng = Rng::seed(1);
    {
        let mut d = vm.data().lock().unwrap();
        d.insert(
            "fc.weight".into(),
            Var::from_tensor(&randn(&mut rng, &[hidden, 4], 1.0)).unwrap(),
        );
        if with_bias {
            d.insert(
                "fc.bias".into(),
                Var::from_tensor(&Tensor::ones(hidden, DType::F32, &Device::Cpu).unwrap()).unwrap(),
            );
        }
    }
    vm
}

fn saved(dir: &std::path::Path) -> std::path::PathBuf {
    let vm = model(3, true);
    let params = Params::from_varmap(&vm);
    let mut opt = Adam::new(params.clone(), AdamConfig::default()).unwrap();
    let (_, weight) = params.iter().find(|(n, _)| *n == "fc.weight").unwrap();
    let loss = weight.as_tensor().sqr().unwrap().sum_all().unwrap();
    opt.step(&loss.backward().unwrap()).unwrap();
    let state = TrainState {
        step: 7,
        epoch: 1,
        batch_in_epoch: 3,
        best_metric: Some(0.75),
        evals_without_improvement: 2,
        rng: [u64::MAX, 1, 2, 3],
    };
    let path = dir.join("ck.safetensors");
    save_checkpoint(
        &path,
        &varmap_tensors(&vm),
        &opt.state().unwrap(),
        &state,
        &json!({"hidden": 3, "arch": "linear"}),
    )
    .unwrap();
    path
}

#[test]
fn round_trip_restores_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path());
    let ck = load_checkpoint(&path).unwrap();
    assert_eq!(ck.train.step, 7);
    assert_eq!(ck.train.rng, [u64::MAX, 1, 2, 3]);
    assert_eq!(ck.train.best_metric, Some(0.75));
    assert_eq!(ck.optimizer.kind, "adam");
    assert_eq!(ck.optimizer.scalars["step.fc.weight"], 1.0);
    assert!(ck.optimizer.tensors.contains_key("exp_avg.fc.weight"));
    // fc.bias had no gradient: no state for it, as in PyTorch.
    assert!(!ck.optimizer.tensors.contains_key("exp_avg.fc.bias"));
    ck.check_config(&json!({"hidden": 3, "arch": "linear"}))
        .unwrap();
    let fresh = model(3, true);
    fresh.data().lock().unwrap()["fc.weight"]
        .set(&Tensor::zeros((3, 4), DType::F32, &Device::Cpu).unwrap())
        .unwrap();
    ck.restore_model(&fresh).unwrap();
    let a: BTreeMap<String, Vec<f32>> = varmap_tensors(&fresh)
        .into_iter()
        .map(|(k, t)| (k, t.flatten_all().unwrap().to_vec1().unwrap()))
        .collect();
    let b: BTreeMap<String, Vec<f32>> = ck
        .model
        .iter()
        .map(|(k, t)| (k.clone(), t.flatten_all().unwrap().to_vec1().unwrap()))
        .collect();
    assert_eq!(a, b);
    // No temporary file is left beside the checkpoint.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn truncated_or_corrupt_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path());
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 10]).unwrap();
    let e = load_checkpoint(&path).unwrap_err().to_string();
    assert!(
        e.contains("ck.safetensors") && e.contains("truncated or corrupt"),
        "{e}"
    );
    std::fs::write(&path, b"\x05\x00").unwrap();
    let e = load_checkpoint(&path).unwrap_err().to_string();
    assert!(e.contains("truncated or corrupt"), "{e}");
    let mut garbled = bytes.clone();
    garbled[9] = b'#';
    std::fs::write(&path, &garbled).unwrap();
    let e = load_checkpoint(&path).unwrap_err().to_string();
    assert!(e.contains("truncated or corrupt"), "{e}");
    // A plain safetensors file without our metadata.
    let other = dir.path().join("plain.safetensors");
    candle_core::safetensors::save(
        &std::collections::HashMap::from([(
            "x",
            Tensor::ones(2, DType::F32, &Device::Cpu).unwrap(),
        )]),
        &other,
    )
    .unwrap();
    let e = load_checkpoint(&other).unwrap_err().to_string();
    assert!(e.contains("not a journey-nn checkpoint"), "{e}");
}

#[test]
fn shape_mismatch_names_the_tensor_and_both_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let ck = load_checkpoint(&saved(dir.path())).unwrap();
    let e = ck.restore_model(&model(5, false)).unwrap_err().to_string();
    assert!(e.contains("unexpected tensor model/fc.bias"), "{e}");
    let e = ck.restore_model(&model(5, true)).unwrap_err().to_string();
    assert!(
        e.contains("model/fc.bias") && e.contains("checkpoint [3], model [5]"),
        "{e}"
    );
    // Only the weight differs.
    let vm = model(3, true);
    vm.data().lock().unwrap().insert(
        "fc.weight".into(),
        Var::from_tensor(&Tensor::zeros((3, 2), DType::F32, &Device::Cpu).unwrap()).unwrap(),
    );
    let e = ck.restore_model(&vm).unwrap_err().to_string();
    assert!(
        e.contains("shape mismatch for tensor model/fc.weight: checkpoint [3, 4], model [3, 2]"),
        "{e}"
    );
}

#[test]
fn missing_and_unexpected_tensors() {
    let dir = tempfile::tempdir().unwrap();
    let ck = load_checkpoint(&saved(dir.path())).unwrap();
    // The model has a variable the checkpoint lacks.
    let bigger = model(3, true);
    bigger.data().lock().unwrap().insert(
        "fc2.weight".into(),
        Var::from_tensor(&Tensor::ones(2, DType::F32, &Device::Cpu).unwrap()).unwrap(),
    );
    let e = ck.restore_model(&bigger).unwrap_err().to_string();
    assert!(e.contains("missing tensor model/fc2.weight"), "{e}");
    // The checkpoint holds a tensor the model lacks (another architecture).
    let e = ck.restore_model(&model(3, false)).unwrap_err().to_string();
    assert!(e.contains("unexpected tensor model/fc.bias"), "{e}");
}

#[test]
fn other_configuration_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ck = load_checkpoint(&saved(dir.path())).unwrap();
    let e = ck
        .check_config(&json!({"hidden": 8, "arch": "linear"}))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("another model configuration") && e.contains("hidden: checkpoint 3, this run 8"),
        "{e}"
    );
    let e = ck
        .check_config(&json!({"hidden": 3, "arch": "mlp", "layers": 2}))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("arch: checkpoint \"linear\", this run \"mlp\"")
            && e.contains("layers: checkpoint (absent), this run 2"),
        "{e}"
    );
}
