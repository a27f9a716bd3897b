//! The CRF layer against pytorch-crf 0.7.2 (fixture from
//! `tools/reference/crf_golden.py`): log-likelihoods, gradients with
//! respect to emissions and parameters, Viterbi paths; and against brute
//! force enumeration of every tag path on tiny sizes.

use candle_core::{DType, Device, Tensor, Var};
use candle_nn::{VarBuilder, VarMap};
use journey_nn::crf_layer::CrfLayer;
use journey_nn::rng::Rng;
use serde_json::Value;

fn floats(v: &Value) -> Vec<f32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap() as f32)
        .collect()
}

fn set(t: &Tensor, vals: Vec<f32>) {
    Var::from_tensor(t)
        .unwrap()
        .set(&Tensor::from_vec(vals, t.shape(), &Device::Cpu).unwrap())
        .unwrap();
}

fn assert_close(what: &str, got: &[f32], want: &[f32], tol: f32) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tol * (1.0 + w.abs()),
            "{what}[{i}]: got {g}, pytorch-crf {w}"
        );
    }
}

#[test]
fn crf_matches_pytorch_crf() {
    let golden: Value = serde_json::from_str(include_str!("fixtures/crf_golden.json")).unwrap();
    for (ci, c) in golden["cases"].as_array().unwrap().iter().enumerate() {
        let (b, t, k) = (
            c["batch"].as_u64().unwrap() as usize,
            c["time"].as_u64().unwrap() as usize,
            c["tags"].as_u64().unwrap() as usize,
        );
        let lengths: Vec<usize> = c["lengths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect();
        let y: Vec<Vec<u32>> = c["y"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap() as u32)
                    .collect()
            })
            .collect();
        let vm = VarMap::new();
        let crf = CrfLayer::new(k, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu)).unwrap();
        set(&crf.transitions, floats(&c["transitions"]));
        set(&crf.start_transitions, floats(&c["start_transitions"]));
        set(&crf.end_transitions, floats(&c["end_transitions"]));
        let em = Var::from_vec(floats(&c["emissions"]), (b, t, k), &Device::Cpu).unwrap();
        let llh = crf.log_likelihood(em.as_tensor(), &y, &lengths).unwrap();
        let what = |s: &str| format!("case {ci} {s}");
        assert_close(
            &what("log-likelihood"),
            &llh.to_vec1::<f32>().unwrap(),
            &floats(&c["log_likelihood"]),
            1e-5,
        );
        let grads = llh.sum_all().unwrap().backward().unwrap();
        let g = |t: &Tensor| {
            grads
                .get(t)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap()
        };
        assert_close(
            &what("d/d emissions"),
            &g(em.as_tensor()),
            &floats(&c["grad_emissions"]),
            1e-5,
        );
        assert_close(
            &what("d/d transitions"),
            &g(&crf.transitions),
            &floats(&c["grad_transitions"]),
            1e-5,
        );
        assert_close(
            &what("d/d start_transitions"),
            &g(&crf.start_transitions),
            &floats(&c["grad_start_transitions"]),
            1e-5,
        );
        assert_close(
            &what("d/d end_transitions"),
            &g(&crf.end_transitions),
            &floats(&c["grad_end_transitions"]),
            1e-5,
        );
        let want: Vec<Vec<u32>> = c["viterbi"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap() as u32)
                    .collect()
            })
            .collect();
        assert_eq!(
            crf.viterbi(em.as_tensor(), &lengths).unwrap(),
            want,
            "case {ci} Viterbi"
        );
    }
}

/// Every path of length `l` over `k` tags, as base-k digits.
fn all_paths(k: usize, l: usize) -> Vec<Vec<u32>> {
    (0..k.pow(l as u32))
        .map(|mut n| {
            (0..l)
                .map(|_| {
                    let d = (n % k) as u32;
                    n /= k;
                    d
                })
                .collect()
        })
        .collect()
}

#[test]
fn crf_matches_brute_force_enumeration() {
    let (b, t, k) = (4, 5, 3);
    let lengths = vec![5, 1, 3, 4];
    let vm = VarMap::new();
    let crf = CrfLayer::new(k, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu)).unwrap();
    let mut rng = Rng::seed(3);
    for p in [
        &crf.transitions,
        &crf.start_transitions,
        &crf.end_transitions,
    ] {
        set(p, (0..p.elem_count()).map(|_| rng.normal()).collect());
    }
    let ev: Vec<f32> = (0..b * t * k).map(|_| 2.0 * rng.normal()).collect();
    let em = Tensor::from_vec(ev.clone(), (b, t, k), &Device::Cpu).unwrap();
    let tr = crf
        .transitions
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    let st = crf.start_transitions.to_vec1::<f32>().unwrap();
    let en = crf.end_transitions.to_vec1::<f32>().unwrap();
    let score = |seq: usize, y: &[u32]| -> f64 {
        let e = |s: usize, j: u32| ev[(seq * t + s) * k + j as usize] as f64;
        let mut v = st[y[0] as usize] as f64 + e(0, y[0]) + en[*y.last().unwrap() as usize] as f64;
        for s in 1..y.len() {
            v += tr[y[s - 1] as usize * k + y[s] as usize] as f64 + e(s, y[s]);
        }
        v
    };
    let logz = crf
        .log_partition(&em, &lengths)
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
    let best = crf.viterbi(&em, &lengths).unwrap();
    for (seq, &l) in lengths.iter().enumerate() {
        let paths = all_paths(k, l);
        let scores: Vec<f64> = paths.iter().map(|y| score(seq, y)).collect();
        let m = scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let z = m + scores.iter().map(|s| (s - m).exp()).sum::<f64>().ln();
        assert!(
            (logz[seq] as f64 - z).abs() < 1e-4,
            "seq {seq}: log Z {} vs {z}",
            logz[seq]
        );
        let argmax = scores
            .iter()
            .enumerate()
            .fold(0, |bi, (i, s)| if *s > scores[bi] { i } else { bi });
        assert_eq!(best[seq], paths[argmax], "seq {seq}: Viterbi");
        // The log-likelihood of a path is its score minus log Z.
        let y = &paths[argmax];
        let mut padded = y.clone();
        padded.resize(t, 0);
        let mut tags = vec![vec![0u32; t]; b];
        tags[seq] = padded;
        let llh = crf
            .log_likelihood(&em, &tags, &lengths)
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert!(
            (llh[seq] as f64 - (scores[argmax] - z)).abs() < 1e-4,
            "seq {seq}: log-likelihood"
        );
    }
}

#[test]
fn crf_rejects_bad_shapes() {
    let vm = VarMap::new();
    let crf = CrfLayer::new(3, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu)).unwrap();
    let em = Tensor::zeros((2, 4, 3), DType::F32, &Device::Cpu).unwrap();
    assert!(crf.viterbi(&em, &[4, 0]).is_err());
    assert!(crf.viterbi(&em, &[4, 5]).is_err());
    assert!(crf
        .log_likelihood(&em, &[vec![0; 4], vec![3; 4]], &[4, 4])
        .is_err());
    let wrong = Tensor::zeros((2, 4, 5), DType::F32, &Device::Cpu).unwrap();
    assert!(crf.viterbi(&wrong, &[4, 4]).is_err());
}
