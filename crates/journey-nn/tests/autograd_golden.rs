//! Backprop from first principles, checked against PyTorch: the scalar
//! autograd, candle's autograd and finite differences give the same gradients
//! for the same MLP on the same batch of real SMS messages as torch.autograd
//! (fixture from tools/reference/autograd_golden.py, torch 2.5.1); the
//! activations and init gains match torch too.

mod common;

use candle_core::{DType, Device, Module, Tensor, Var};
use candle_nn::{VarBuilder, VarMap};
use common::{f64s, golden, max_abs_diff, rows};
use journey_nn::activations::{self, Activation};
use journey_nn::gradient_check::{
    max_relative_error, numerical_gradient, numerical_gradient_candle, scalar,
};
use journey_nn::init::{calculate_gain, fans, Nonlinearity};
use journey_nn::mlp::{bce_with_logits, Mlp, MlpConfig};
use journey_nn::scalar_mlp::ScalarMlp;

#[test]
fn sms_features_match_the_python_featuriser() {
    let Some(data) = common::sms() else { return };
    let g = golden();
    let vocab: Vec<String> = g["sms"]["vocab"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(data.featurizer.vocab, vocab);
    let expected = rows(&g["sms"]["x"]);
    for (i, row) in expected.iter().enumerate() {
        let d = max_abs_diff(&data.x_train[i], row);
        assert!(
            d < 1e-12,
            "message {} (line {}): {d}",
            i,
            data.train[i].line
        );
    }
    assert_eq!(
        &data.y_train[..expected.len()],
        f64s(&g["sms"]["y"]).as_slice()
    );
}

/// The fixture's MLP as a ScalarMlp.
fn scalar_mlp(g: &serde_json::Value) -> ScalarMlp {
    let sizes: Vec<usize> = g["sizes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    let n = sizes.len() - 1;
    ScalarMlp {
        activation: Activation::Tanh,
        weights: (0..n)
            .map(|l| f64s(&g["params"][format!("layers.{l}.weight")]))
            .collect(),
        biases: (0..n)
            .map(|l| f64s(&g["params"][format!("layers.{l}.bias")]))
            .collect(),
        sizes,
    }
}

/// The fixture's MLP on candle in `dtype`, its VarMap, the batch and targets.
fn candle_mlp(g: &serde_json::Value, dtype: DType) -> (Mlp, VarMap, Tensor, Tensor) {
    let dev = Device::Cpu;
    let mlp = scalar_mlp(g);
    let varmap = VarMap::new();
    {
        let mut data = varmap.data().lock().unwrap();
        for (l, w) in mlp.sizes.windows(2).enumerate() {
            let weight = Tensor::new(mlp.weights[l].as_slice(), &dev)
                .unwrap()
                .reshape((w[1], w[0]))
                .unwrap()
                .to_dtype(dtype)
                .unwrap();
            let bias = Tensor::new(mlp.biases[l].as_slice(), &dev)
                .unwrap()
                .to_dtype(dtype)
                .unwrap();
            data.insert(
                format!("layers.{l}.weight"),
                Var::from_tensor(&weight).unwrap(),
            );
            data.insert(format!("layers.{l}.bias"), Var::from_tensor(&bias).unwrap());
        }
    }
    let config = MlpConfig {
        sizes: mlp.sizes.clone(),
        activation: Activation::Tanh,
    };
    let model = Mlp::new(&config, VarBuilder::from_varmap(&varmap, dtype, &dev)).unwrap();
    let xs = rows(&g["x"]);
    let x = Tensor::new(xs.concat().as_slice(), &dev)
        .unwrap()
        .reshape((xs.len(), xs[0].len()))
        .unwrap()
        .to_dtype(dtype)
        .unwrap();
    let y = Tensor::new(f64s(&g["y"]).as_slice(), &dev)
        .unwrap()
        .reshape((xs.len(), 1))
        .unwrap()
        .to_dtype(dtype)
        .unwrap();
    (model, varmap, x, y)
}

fn param_names(g: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = g["grads"].as_object().unwrap().keys().cloned().collect();
    names.sort();
    names
}

/// candle's gradient for each parameter (sorted by name), flat, as f64.
fn candle_grads(g: &serde_json::Value, dtype: DType) -> (f64, Vec<Vec<f64>>) {
    let (model, varmap, x, y) = candle_mlp(g, dtype);
    let loss = bce_with_logits(&model.forward(&x).unwrap(), &y).unwrap();
    let grads = loss.backward().unwrap();
    let data = varmap.data().lock().unwrap();
    let out = param_names(g)
        .iter()
        .map(|name| {
            grads
                .get(data[name].as_tensor())
                .unwrap()
                .to_dtype(DType::F64)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1()
                .unwrap()
        })
        .collect();
    (scalar(&loss).unwrap(), out)
}

#[test]
fn scalar_autograd_gradients_equal_torch() {
    let g = golden();
    let g = &g["sms"];
    let mlp = scalar_mlp(g);
    let (loss, grads) = mlp.loss_and_grads(&rows(&g["x"]), &f64s(&g["y"])).unwrap();
    let torch_loss = g["loss"].as_f64().unwrap();
    assert!((loss - torch_loss).abs() < 1e-12, "{loss} vs {torch_loss}");
    let mut worst = 0f64;
    for (name, ours) in mlp.param_names().iter().zip(&grads) {
        let theirs = f64s(&g["grads"][name]);
        let d = max_abs_diff(ours, &theirs);
        worst = worst.max(d);
        assert!(d < 1e-12, "{name}: max |Δgrad| {d}");
        assert!(max_relative_error(ours, &theirs) < 1e-9, "{name}");
    }
    // And against central differences of the loss, parameter by parameter.
    let (xs, ys) = (rows(&g["x"]), f64s(&g["y"]));
    let flat: Vec<f64> = mlp.params().concat();
    let numeric = numerical_gradient(
        |theta| {
            let mut m = mlp.clone();
            let mut k = 0;
            for l in 0..m.weights.len() {
                for v in m.weights[l].iter_mut().chain(m.biases[l].iter_mut()) {
                    *v = theta[k];
                    k += 1;
                }
            }
            m.loss_and_grads(&xs, &ys).unwrap().0
        },
        &flat,
        1e-6,
    );
    let fd = max_abs_diff(&grads.concat(), &numeric);
    assert!(fd < 1e-8, "scalar autograd vs finite differences: {fd}");
    println!(
        "scalar autograd vs torch (f64): |Δloss| {:.2e}, max |Δgrad| {worst:.2e}; vs finite differences {fd:.2e}",
        (loss - torch_loss).abs()
    );
}

#[test]
fn candle_gradients_equal_scalar_autograd_torch_and_finite_differences() {
    let golden = golden();
    let g = &golden["sms"];
    let names = param_names(g);
    let mlp = scalar_mlp(g);
    let (_, scalar_grads) = mlp.loss_and_grads(&rows(&g["x"]), &f64s(&g["y"])).unwrap();
    let scalar_by_name: std::collections::HashMap<String, Vec<f64>> =
        mlp.param_names().into_iter().zip(scalar_grads).collect();
    let torch_loss = g["loss"].as_f64().unwrap();

    // f64: the same as torch and the scalar graph to rounding.
    let (loss64, grads64) = candle_grads(g, DType::F64);
    assert!((loss64 - torch_loss).abs() < 1e-12);
    let (mut worst64, mut worst32, mut worst_scalar) = (0f64, 0f64, 0f64);
    for (name, ours) in names.iter().zip(&grads64) {
        let torch = f64s(&g["grads"][name]);
        worst64 = worst64.max(max_abs_diff(ours, &torch));
        worst_scalar = worst_scalar.max(max_abs_diff(ours, &scalar_by_name[name]));
    }
    assert!(worst64 < 1e-12, "candle f64 vs torch: {worst64}");
    assert!(
        worst_scalar < 1e-12,
        "candle f64 vs scalar autograd: {worst_scalar}"
    );

    // f32, the dtype models train in: within f32 rounding (gradients here
    // are of order 0.01–0.1; f32 keeps about 7 digits).
    let (loss32, grads32) = candle_grads(g, DType::F32);
    assert!(
        (loss32 - torch_loss).abs() < 1e-6,
        "{loss32} vs {torch_loss}"
    );
    for (name, ours) in names.iter().zip(&grads32) {
        let torch = f64s(&g["grads"][name]);
        worst32 = worst32.max(max_abs_diff(ours, &torch));
    }
    assert!(worst32 < 1e-6, "candle f32 vs torch: {worst32}");

    // Finite differences on candle's f64 network, one parameter tensor at a
    // time (the others held fixed).
    let (model, varmap, x, y) = candle_mlp(g, DType::F64);
    let data = varmap.data().lock().unwrap().clone();
    let mut worst_fd = 0f64;
    for (name, analytic) in names.iter().zip(&grads64) {
        let var = &data[name];
        let orig = var.as_tensor().copy().unwrap();
        let numeric = numerical_gradient_candle(
            |t| {
                var.set(t)?;
                bce_with_logits(&model.forward(&x)?, &y)
            },
            &orig,
            1e-6,
        )
        .unwrap();
        var.set(&orig).unwrap();
        // The loss is of order 1, so central differences with h = 1e-6
        // carry about 1e-10 of rounding noise: compare absolutely.
        let err = max_abs_diff(analytic, &numeric);
        worst_fd = worst_fd.max(err);
        assert!(err < 1e-8, "{name}: max |Δ| vs finite differences {err}");
    }
    println!(
        "candle vs torch: max |Δgrad| f64 {worst64:.2e}, f32 {worst32:.2e}; \
         candle f64 vs scalar autograd {worst_scalar:.2e}; vs finite differences max |Δ| {worst_fd:.2e}"
    );
}

#[test]
fn activations_and_derivatives_equal_torch() {
    let g = golden();
    let a = &g["activations"];
    let xs = f64s(&a["x"]);
    let erf = f64s(&a["erf"]);
    for (x, e) in xs.iter().zip(&erf) {
        assert!((activations::erf(*x) - e).abs() < 1e-15, "erf({x})");
    }
    let dev = Device::Cpu;
    let x32 = Tensor::new(xs.as_slice(), &dev)
        .unwrap()
        .to_dtype(DType::F32)
        .unwrap();
    let x64 = Tensor::new(xs.as_slice(), &dev).unwrap();
    let to64 = |t: Tensor| -> Vec<f64> { t.to_dtype(DType::F64).unwrap().to_vec1().unwrap() };
    for act in Activation::ALL {
        let value = f64s(&a[act.name()]["value"]);
        let grad = f64s(&a[act.name()]["grad"]);
        let ours_v: Vec<f64> = xs.iter().map(|&x| act.apply(x)).collect();
        let ours_g: Vec<f64> = xs.iter().map(|&x| act.derivative(x)).collect();
        assert!(
            max_abs_diff(&ours_v, &value) < 1e-14,
            "{} value",
            act.name()
        );
        assert!(
            max_abs_diff(&ours_g, &grad) < 1e-14,
            "{} derivative",
            act.name()
        );
        // The tensor forms, in f64 and f32.
        let d64 = to64(act.derivative_tensor(&x64).unwrap());
        assert!(
            max_abs_diff(&d64, &grad) < 1e-14,
            "{} derivative_tensor f64",
            act.name()
        );
        let v32 = to64(act.forward(&x32).unwrap());
        let d32 = to64(act.derivative_tensor(&x32).unwrap());
        assert!(
            max_abs_diff(&v32, &value) < 1e-5,
            "{} candle f32 value",
            act.name()
        );
        assert!(
            max_abs_diff(&d32, &grad) < 1e-5,
            "{} derivative_tensor f32",
            act.name()
        );
        // candle's own autograd: equal to torch except ReLU at exactly 0,
        // where candle takes slope 1 and torch (and we) take 0. candle 0.9's
        // GELU backward (both forms) rounds its constants to six digits
        // (1/√(2π) as 0.398942, √(2/π) as 0.797885: relative errors near
        // 1e-6 on terms at most about 1 in size), so it gets 1e-6.
        let tol = match act {
            Activation::Gelu | Activation::GeluTanh => 1e-6,
            _ => 1e-12,
        };
        let auto = to64(activations::autograd_derivative(act, &x64).unwrap());
        println!(
            "{}: max |Δ| vs torch: value {:.1e}, derivative {:.1e}, candle f32 value {:.1e}, \
             derivative_tensor f32 {:.1e}, candle autograd f64 {:.1e}",
            act.name(),
            max_abs_diff(&ours_v, &value),
            max_abs_diff(&ours_g, &grad),
            max_abs_diff(&v32, &value),
            max_abs_diff(&d32, &grad),
            xs.iter()
                .zip(&auto)
                .zip(&grad)
                .filter(|((x, _), _)| !(act == Activation::Relu && **x == 0.0))
                .map(|((_, a), b)| (a - b).abs())
                .fold(0.0, f64::max)
        );
        for ((x, got), want) in xs.iter().zip(&auto).zip(&grad) {
            if act == Activation::Relu && *x == 0.0 {
                continue;
            }
            assert!(
                (got - want).abs() < tol,
                "{} autograd at {x}: {got} vs {want}",
                act.name()
            );
        }
    }
}

#[test]
fn init_gains_and_fans_equal_torch() {
    let g = golden();
    let gains = &g["init"]["gains"];
    for (key, n) in [
        ("linear", Nonlinearity::Linear),
        ("conv1d", Nonlinearity::Conv),
        ("sigmoid", Nonlinearity::Sigmoid),
        ("tanh", Nonlinearity::Tanh),
        ("relu", Nonlinearity::Relu),
        ("leaky_relu", Nonlinearity::LeakyRelu(0.01)),
        ("leaky_relu_0.2", Nonlinearity::LeakyRelu(0.2)),
        ("selu", Nonlinearity::Selu),
    ] {
        let want = gains[key].as_f64().unwrap();
        assert!(
            (calculate_gain(n) - want).abs() < 1e-15,
            "{key}: {} vs {want}",
            calculate_gain(n)
        );
    }
    for f in g["init"]["fans"].as_array().unwrap() {
        let shape: Vec<usize> = f["shape"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let (fi, fo) = fans(&shape).unwrap();
        assert_eq!(
            (fi as u64, fo as u64),
            (
                f["fan_in"].as_u64().unwrap(),
                f["fan_out"].as_u64().unwrap()
            )
        );
    }
}
