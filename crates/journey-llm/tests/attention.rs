//! Attention against a naive reference (loops in f64) on random inputs, with
//! and without padding and causal masks, and the causal leak test.

use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use journey_llm::multi_head_attention::{AttentionConfig, MultiHeadAttention};
use journey_llm::scaled_dot_product::{padding_mask, scaled_dot_product_attention};
use journey_nn::rng::Rng;

fn random(rng: &mut Rng, shape: &[usize]) -> (Vec<f32>, Tensor) {
    let n: usize = shape.iter().product();
    let v: Vec<f32> = (0..n).map(|_| rng.normal()).collect();
    let t = Tensor::from_vec(v.clone(), shape, &Device::Cpu).unwrap();
    (v, t)
}

/// softmax(q·k/√d) v with loops; `keep(b, i, j)` says whether query i of
/// sequence b may see key j.
#[allow(clippy::too_many_arguments)]
fn naive(
    q: &[f32],
    k: &[f32],
    v: &[f32],
    (b, h, tq, tk, d): (usize, usize, usize, usize, usize),
    keep: impl Fn(usize, usize, usize) -> bool,
) -> Vec<f64> {
    let mut out = vec![0f64; b * h * tq * d];
    for bi in 0..b {
        for hi in 0..h {
            let base_q = (bi * h + hi) * tq * d;
            let base_k = (bi * h + hi) * tk * d;
            for i in 0..tq {
                let mut s: Vec<f64> = (0..tk)
                    .map(|j| {
                        if !keep(bi, i, j) {
                            return f64::NEG_INFINITY;
                        }
                        (0..d)
                            .map(|x| q[base_q + i * d + x] as f64 * k[base_k + j * d + x] as f64)
                            .sum::<f64>()
                            / (d as f64).sqrt()
                    })
                    .collect();
                let m = s.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                s.iter_mut().for_each(|x| *x = (*x - m).exp());
                let z: f64 = s.iter().sum();
                for x in 0..d {
                    out[base_q + i * d + x] = (0..tk)
                        .map(|j| s[j] / z * v[base_k + j * d + x] as f64)
                        .sum();
                }
            }
        }
    }
    out
}

fn max_diff(got: &Tensor, want: &[f64]) -> f64 {
    let g: Vec<f32> = got.flatten_all().unwrap().to_vec1().unwrap();
    g.iter()
        .zip(want)
        .map(|(a, b)| (*a as f64 - b).abs())
        .fold(0.0, f64::max)
}

#[test]
fn matches_the_naive_reference_with_and_without_masks() {
    let mut rng = Rng::seed(7);
    let (b, h, t, d) = (2, 3, 6, 8);
    let (qv, q) = random(&mut rng, &[b, h, t, d]);
    let (kv, k) = random(&mut rng, &[b, h, t, d]);
    let (vv, v) = random(&mut rng, &[b, h, t, d]);
    let dims = (b, h, t, t, d);
    let plain = scaled_dot_product_attention(&q, &k, &v, None, false).unwrap();
    assert!(max_diff(&plain, &naive(&qv, &kv, &vv, dims, |_, _, _| true)) < 1e-5);

    let causal = scaled_dot_product_attention(&q, &k, &v, None, true).unwrap();
    assert!(max_diff(&causal, &naive(&qv, &kv, &vv, dims, |_, i, j| j <= i)) < 1e-5);

    // sequence 0 has 4 real tokens, sequence 1 all 6
    let lens = [4usize, 6];
    let m: Vec<u32> = (0..b * t).map(|x| (x % t < lens[x / t]) as u32).collect();
    let mask = padding_mask(&Tensor::from_vec(m, (b, t), &Device::Cpu).unwrap()).unwrap();
    let padded = scaled_dot_product_attention(&q, &k, &v, Some(&mask), false).unwrap();
    assert!(
        max_diff(
            &padded,
            &naive(&qv, &kv, &vv, dims, |bi, _, j| j < lens[bi])
        ) < 1e-5
    );

    let both = scaled_dot_product_attention(&q, &k, &v, Some(&mask), true).unwrap();
    let want = naive(&qv, &kv, &vv, dims, |bi, i, j| j <= i && j < lens[bi]);
    assert!(max_diff(&both, &want) < 1e-5);

    // fewer queries than keys (decoding after a prefix): the last 2 positions
    let q2 = q.narrow(2, t - 2, 2).unwrap();
    let q2v: Vec<f32> = q2.flatten_all().unwrap().to_vec1().unwrap();
    let tail = scaled_dot_product_attention(&q2, &k, &v, None, true).unwrap();
    let want = naive(&q2v, &kv, &vv, (b, h, 2, t, d), |_, i, j| j <= t - 2 + i);
    assert!(max_diff(&tail, &want) < 1e-5);
}

fn mha(heads: usize, kv_heads: usize) -> (VarMap, MultiHeadAttention) {
    let vm = VarMap::new();
    let vb = VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu);
    let cfg = AttentionConfig {
        dim: 16,
        heads,
        kv_heads,
        bias: true,
    };
    let m = MultiHeadAttention::new(cfg, vb.pp("q"), vb.pp("k"), vb.pp("v"), vb.pp("o")).unwrap();
    (vm, m)
}

#[test]
fn causal_attention_never_leaks_the_future() {
    for (heads, kv) in [(4, 4), (4, 2), (4, 1)] {
        let (_vm, m) = mha(heads, kv);
        let mut rng = Rng::seed(1);
        let (mut xv, x) = random(&mut rng, &[1, 7, 16]);
        let before: Vec<Vec<f32>> = m
            .forward(&x, None, None, true)
            .unwrap()
            .squeeze(0)
            .unwrap()
            .to_vec2()
            .unwrap();
        // change token 4 only
        for c in 0..16 {
            xv[4 * 16 + c] += 3.0;
        }
        let x2 = Tensor::from_vec(xv, (1, 7, 16), &Device::Cpu).unwrap();
        let after: Vec<Vec<f32>> = m
            .forward(&x2, None, None, true)
            .unwrap()
            .squeeze(0)
            .unwrap()
            .to_vec2()
            .unwrap();
        for p in 0..4 {
            assert_eq!(
                before[p], after[p],
                "position {p} saw the future ({heads}/{kv} heads)"
            );
        }
        assert_ne!(before[4], after[4]);
        // without the mask the past does see it
        let a = m
            .forward(&x, None, None, false)
            .unwrap()
            .squeeze(0)
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        let b = m
            .forward(&x2, None, None, false)
            .unwrap()
            .squeeze(0)
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        assert_ne!(a[0], b[0]);
    }
}

#[test]
fn bad_head_counts_are_refused() {
    let vm = VarMap::new();
    let vb = VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu);
    let cfg = |heads, kv_heads| AttentionConfig {
        dim: 16,
        heads,
        kv_heads,
        bias: true,
    };
    let e = MultiHeadAttention::new(cfg(3, 3), vb.pp("a"), vb.pp("b"), vb.pp("c"), vb.pp("d"))
        .err()
        .unwrap();
    assert!(
        e.to_string().contains("3 heads do not divide the width 16"),
        "{e}"
    );
    let e = MultiHeadAttention::new(cfg(4, 3), vb.pp("a"), vb.pp("b"), vb.pp("c"), vb.pp("d"))
        .err()
        .unwrap();
    assert!(
        e.to_string().contains("3 key/value heads do not divide 4"),
        "{e}"
    );
}
