//! Parity of `journey_nn::recurrent` with PyTorch 2.5.1 (`torch.nn.RNN`,
//! `LSTM`, `GRU`: 2 layers, bidirectional, packed padded batch), values and
//! gradients, from the fixture written by `tools/reference/recurrent_golden.py`;
//! and of our LSTM with `candle_nn::rnn::lstm` on the same weights.

use std::collections::HashMap;

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::rnn::RNN;
use candle_nn::{VarBuilder, VarMap};
use journey_nn::recurrent::{CellKind, Recurrent, RecurrentConfig};

const TOL: f32 = 1e-5;

fn fixture() -> HashMap<String, Tensor> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/recurrent.safetensors"
    );
    candle_core::safetensors::load(path, &Device::Cpu).expect("recurrent fixture")
}

fn max_abs_diff(a: &Tensor, b: &Tensor) -> f32 {
    assert_eq!(a.dims(), b.dims(), "shapes differ");
    (a - b)
        .unwrap()
        .abs()
        .unwrap()
        .flatten_all()
        .unwrap()
        .max(0)
        .unwrap()
        .to_scalar::<f32>()
        .unwrap()
}

fn check(what: &str, ours: &Tensor, theirs: &Tensor) -> f32 {
    let d = max_abs_diff(ours, theirs);
    println!("{what}: max |Δ| = {d:.3e}");
    assert!(d <= TOL, "{what}: max |Δ| = {d} > {TOL}");
    d
}

fn parity(case: &str, cell: CellKind) {
    let fx = fixture();
    let get = |k: &str| {
        fx.get(&format!("{case}.{k}"))
            .unwrap_or_else(|| panic!("fixture has no {case}.{k}"))
            .clone()
    };
    let x0 = get("x");
    let (_, _, features) = x0.dims3().unwrap();
    let hidden = get("weight_hh_l0").dim(1).unwrap();
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
    let config = RecurrentConfig {
        cell,
        input_size: features,
        hidden_size: hidden,
        num_layers: 2,
        bidirectional: true,
        bias: true,
    };
    let model = Recurrent::new(config, vb).unwrap();
    let names: Vec<String> = {
        let data = varmap.data().lock().unwrap();
        for (name, var) in data.iter() {
            var.set(&get(name)).unwrap();
        }
        let mut n: Vec<String> = data.keys().cloned().collect();
        n.sort();
        n
    };
    assert_eq!(names.len(), 16, "2 layers x 2 directions x 4 tensors");
    let x = Var::from_tensor(&x0).unwrap();
    let lengths: Vec<usize> = get("lengths")
        .to_vec1::<i64>()
        .unwrap()
        .into_iter()
        .map(|l| l as usize)
        .collect();
    let out = model.forward(x.as_tensor(), Some(&lengths), None).unwrap();
    let mut worst = 0f32;
    worst = worst.max(check(&format!("{case} output"), &out.output, &get("out")));
    worst = worst.max(check(&format!("{case} h_n"), &out.state.h, &get("h_n")));
    let mut loss = ((&out.output * get("r_out")).unwrap().sum_all().unwrap()
        + (&out.state.h * get("r_h")).unwrap().sum_all().unwrap())
    .unwrap();
    if let Some(c) = &out.state.c {
        worst = worst.max(check(&format!("{case} c_n"), c, &get("c_n")));
        loss = (loss + (c * get("r_c")).unwrap().sum_all().unwrap()).unwrap();
    } else {
        assert!(!fx.contains_key(&format!("{case}.c_n")));
    }
    let torch_loss = get("loss").to_vec1::<f32>().unwrap()[0];
    let our_loss = loss.to_scalar::<f32>().unwrap();
    assert!(
        (torch_loss - our_loss).abs() < 1e-4,
        "loss {our_loss} vs {torch_loss}"
    );
    let grads = loss.backward().unwrap();
    worst = worst.max(check(
        &format!("{case} d/dx"),
        grads.get(x.as_tensor()).unwrap(),
        &get("grad.x"),
    ));
    let data = varmap.data().lock().unwrap();
    for name in &names {
        let g = grads
            .get(data[name].as_tensor())
            .unwrap_or_else(|| panic!("no gradient for {name}"));
        worst = worst.max(check(
            &format!("{case} d/d{name}"),
            g,
            &get(&format!("grad.{name}")),
        ));
    }
    println!("{case}: worst max |Δ| = {worst:.3e}");
}

#[test]
fn rnn_tanh_matches_torch() {
    parity("rnn_tanh", CellKind::RnnTanh);
}

#[test]
fn rnn_relu_matches_torch() {
    parity("rnn_relu", CellKind::RnnRelu);
}

#[test]
fn lstm_matches_torch() {
    parity("lstm", CellKind::Lstm);
}

#[test]
fn gru_matches_torch() {
    parity("gru", CellKind::Gru);
}

/// Our fused LSTM against candle_nn's step-by-step LSTM on the same weights
/// (one layer, one direction, full-length sequences): values and gradients
/// (candle's autograd through its per-step ops against our hand-written BPTT).
#[test]
fn lstm_matches_candle_nn_lstm() {
    let fx = fixture();
    let x0 = fx["lstm.x"].clone();
    let (batch, time, features) = x0.dims3().unwrap();
    let hidden = fx["lstm.weight_hh_l0"].dim(1).unwrap();
    let varmap = VarMap::new();
    let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
    let ours = Recurrent::lstm(features, hidden, 1, false, vb.clone()).unwrap();
    let theirs =
        candle_nn::rnn::lstm(features, hidden, candle_nn::rnn::LSTMConfig::default(), vb).unwrap();
    {
        let data = varmap.data().lock().unwrap();
        assert_eq!(data.len(), 4, "both modules share the same 4 variables");
        for (name, var) in data.iter() {
            var.set(&fx[&format!("lstm.{name}")]).unwrap();
        }
    }
    let x = Var::from_tensor(&x0).unwrap();
    let a = ours.forward(x.as_tensor(), None, None).unwrap();
    let states = theirs.seq(x.as_tensor()).unwrap();
    let b_out = theirs.states_to_tensor(&states).unwrap();
    assert_eq!(b_out.dims(), [batch, time, hidden]);
    check("candle_nn lstm output", &a.output, &b_out);
    let last = states.last().unwrap();
    check(
        "candle_nn lstm h_n",
        &a.state.h.squeeze(0).unwrap(),
        last.h(),
    );
    check(
        "candle_nn lstm c_n",
        &a.state.c.as_ref().unwrap().squeeze(0).unwrap(),
        last.c(),
    );
    let r = fx["lstm.r_out"].narrow(2, 0, hidden).unwrap();
    let loss_a = (&a.output * &r).unwrap().sum_all().unwrap();
    let loss_b = (&b_out * &r).unwrap().sum_all().unwrap();
    let ga = loss_a.backward().unwrap();
    let gb = loss_b.backward().unwrap();
    check(
        "candle_nn lstm d/dx",
        ga.get(x.as_tensor()).unwrap(),
        gb.get(x.as_tensor()).unwrap(),
    );
    let data = varmap.data().lock().unwrap();
    for (name, var) in data.iter() {
        check(
            &format!("candle_nn lstm d/d{name}"),
            ga.get(var.as_tensor()).unwrap(),
            gb.get(var.as_tensor()).unwrap(),
        );
    }
}

/// Padding is never read: garbage at padded positions changes nothing.
#[test]
fn padding_values_do_not_matter() {
    let fx = fixture();
    let x0 = fx["gru.x"].clone();
    let (batch, time, features) = x0.dims3().unwrap();
    let vb = VarBuilder::from_tensors(
        fx.iter()
            .filter_map(|(k, v)| k.strip_prefix("gru.").map(|n| (n.to_string(), v.clone())))
            .collect(),
        DType::F32,
        &Device::Cpu,
    );
    let model = Recurrent::gru(features, 4, 2, true, vb).unwrap();
    let lengths = [3usize, time, 1];
    let a = model.forward(&x0, Some(&lengths), None).unwrap();
    let mask: Vec<f32> = lengths
        .iter()
        .flat_map(|&l| (0..time).map(move |t| if t < l { 1.0 } else { 1e3 }))
        .collect();
    let mask = Tensor::from_vec(mask, (batch, time, 1), &Device::Cpu).unwrap();
    let x1 = x0.broadcast_mul(&mask).unwrap();
    let b = model.forward(&x1, Some(&lengths), None).unwrap();
    assert_eq!(max_abs_diff(&a.output, &b.output), 0.0);
    assert_eq!(max_abs_diff(&a.state.h, &b.state.h), 0.0);
    // and padded outputs are exactly zero
    let pad = a
        .output
        .narrow(0, 2, 1)
        .unwrap()
        .narrow(1, 1, time - 1)
        .unwrap();
    assert_eq!(
        pad.abs()
            .unwrap()
            .sum_all()
            .unwrap()
            .to_scalar::<f32>()
            .unwrap(),
        0.0
    );
}

#[test]
fn bad_lengths_are_errors() {
    let vb = VarBuilder::zeros(DType::F32, &Device::Cpu);
    let model = Recurrent::lstm(3, 2, 1, true, vb).unwrap();
    let x = Tensor::zeros((2, 4, 3), DType::F32, &Device::Cpu).unwrap();
    for lengths in [&[4usize, 0][..], &[5, 1], &[1]] {
        let err = model.forward(&x, Some(lengths), None).unwrap_err();
        assert!(err.to_string().contains("length"), "{err}");
    }
    let x = Tensor::zeros((2, 4, 5), DType::F32, &Device::Cpu).unwrap();
    assert!(model.forward(&x, None, None).is_err());
}

/// The cells' single-step methods (plain candle ops) against the fused
/// layer, one layer forward, from a non-zero initial state.
#[test]
fn cell_steps_match_the_fused_layer() {
    use journey_nn::gru::GruCell;
    use journey_nn::lstm::LstmCell;
    use journey_nn::rnn::{Nonlinearity, RnnCell};
    let fx = fixture();
    for case in ["rnn_tanh", "rnn_relu", "lstm", "gru"] {
        let x = fx[&format!("{case}.x")].clone();
        let (batch, time, features) = x.dims3().unwrap();
        let hidden = fx[&format!("{case}.weight_hh_l0")].dim(1).unwrap();
        let tensors: HashMap<String, Tensor> = fx
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix(&format!("{case}."))
                    .map(|n| (n.to_string(), v.clone()))
            })
            .collect();
        let vb = VarBuilder::from_tensors(tensors, DType::F32, &Device::Cpu);
        let cell = match case {
            "rnn_tanh" => CellKind::RnnTanh,
            "rnn_relu" => CellKind::RnnRelu,
            "lstm" => CellKind::Lstm,
            _ => CellKind::Gru,
        };
        let config = RecurrentConfig {
            cell,
            input_size: features,
            hidden_size: hidden,
            num_layers: 1,
            bidirectional: false,
            bias: true,
        };
        let layer = Recurrent::new(config, vb.clone()).unwrap();
        let h0 = fx[&format!("{case}.r_h")].narrow(0, 0, 1).unwrap();
        let c0 = fx
            .get(&format!("{case}.r_c"))
            .map(|c| c.narrow(0, 1, 1).unwrap());
        let init = journey_nn::recurrent::RecurrentState {
            h: h0.clone(),
            c: c0.clone(),
        };
        let fused = layer.forward(&x, None, Some(&init)).unwrap();
        let mut h = h0.squeeze(0).unwrap();
        let mut c = c0.map(|c| c.squeeze(0).unwrap());
        let mut outs = Vec::new();
        for t in 0..time {
            let xt = x.narrow(1, t, 1).unwrap().squeeze(1).unwrap();
            match cell {
                CellKind::Lstm => {
                    let step = LstmCell::new(features, hidden, 0, false, true, vb.clone()).unwrap();
                    let (h1, c1) = step.step(&xt, &h, c.as_ref().unwrap()).unwrap();
                    h = h1;
                    c = Some(c1);
                }
                CellKind::Gru => {
                    let step = GruCell::new(features, hidden, 0, false, true, vb.clone()).unwrap();
                    h = step.step(&xt, &h).unwrap();
                }
                _ => {
                    let nl = if cell == CellKind::RnnRelu {
                        Nonlinearity::Relu
                    } else {
                        Nonlinearity::Tanh
                    };
                    let step =
                        RnnCell::new(features, hidden, nl, 0, false, true, vb.clone()).unwrap();
                    h = step.step(&xt, &h).unwrap();
                }
            }
            outs.push(h.clone());
        }
        let stepped = Tensor::stack(&outs, 1).unwrap();
        assert_eq!(stepped.dims(), [batch, time, hidden]);
        check(&format!("{case} steps vs fused"), &stepped, &fused.output);
        check(
            &format!("{case} steps vs fused h_n"),
            &h,
            &fused.state.h.squeeze(0).unwrap(),
        );
        if let Some(c) = c {
            check(
                &format!("{case} steps vs fused c_n"),
                &c,
                &fused.state.c.unwrap().squeeze(0).unwrap(),
            );
        }
    }
}

/// Seeded initialisation: same seed, same weights; another seed, others.
#[test]
fn reset_parameters_is_seeded() {
    let draw = |seed: u64| {
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        let m = Recurrent::gru(3, 4, 2, true, vb).unwrap();
        m.reset_parameters(seed).unwrap();
        let w = m.cells()[1][1]
            .weight_hh
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert!(w.iter().all(|v| v.abs() <= 0.5));
        w
    };
    assert_eq!(draw(3), draw(3));
    assert_ne!(draw(3), draw(4));
}
