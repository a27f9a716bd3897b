//! The fused ops against the unfused candle compositions they replace:
//! forward values and gradients from candle's autograd, max |Δ| ≤ 1e-5, on
//! seeded random inputs including awkward shapes (one row, a last dimension
//! of 1, large logits, a single time step).

use candle_core::{DType, Device, Tensor, Var, D};
use journey_nn::fused::{causal_attention, cross_entropy, gelu, layer_norm, GeluApproximation};

const TOL: f32 = 1e-5;

/// splitmix64 → uniform and normal draws (seeded; candle's RNG is not).
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f32 {
        let (u, v) = (self.uniform(), self.uniform());
        ((-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()) as f32
    }
    fn tensor(&mut self, dims: &[usize], scale: f32) -> Tensor {
        let n: usize = dims.iter().product();
        let v: Vec<f32> = (0..n).map(|_| self.normal() * scale).collect();
        Tensor::from_vec(v, dims, &Device::Cpu).unwrap()
    }
}

fn max_abs_diff(a: &Tensor, b: &Tensor) -> f32 {
    assert_eq!(a.dims(), b.dims());
    let a = a.flatten_all().unwrap().to_vec1::<f32>().unwrap();
    let b = b.flatten_all().unwrap().to_vec1::<f32>().unwrap();
    a.iter()
        .zip(&b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

fn assert_close(what: &str, a: &Tensor, b: &Tensor, tol: f32) -> f32 {
    let d = max_abs_diff(a, b);
    assert!(d <= tol, "{what}: max |Δ| = {d:e} > {tol:e}");
    d
}

/// LayerNorm composed of differentiable primitives.
fn layer_norm_unfused(x: &Tensor, w: &Tensor, b: &Tensor, eps: f64) -> Tensor {
    let mean = x.mean_keepdim(D::Minus1).unwrap();
    let xc = x.broadcast_sub(&mean).unwrap();
    let var = xc.sqr().unwrap().mean_keepdim(D::Minus1).unwrap();
    let xhat = xc
        .broadcast_div(&(var + eps).unwrap().sqrt().unwrap())
        .unwrap();
    xhat.broadcast_mul(w).unwrap().broadcast_add(b).unwrap()
}

#[test]
fn layer_norm_matches_unfused_values_and_gradients() {
    let mut rng = Rng(7);
    let mut worst = 0f32;
    for dims in [
        vec![1, 1],
        vec![1, 7],
        vec![5, 1],
        vec![3, 5, 17],
        vec![70, 96],
        vec![2, 3, 257],
    ] {
        let d = *dims.last().unwrap();
        let x = Var::from_tensor(&(rng.tensor(&dims, 3.0) + 1.5).unwrap()).unwrap();
        let w = Var::from_tensor(&rng.tensor(&[d], 1.0)).unwrap();
        let b = Var::from_tensor(&rng.tensor(&[d], 1.0)).unwrap();
        let r = rng.tensor(&dims, 1.0);
        let fused = layer_norm(&x, &w, &b, 1e-5).unwrap();
        let plain = layer_norm_unfused(&x, &w, &b, 1e-5);
        worst = worst.max(assert_close(&format!("y {dims:?}"), &fused, &plain, TOL));
        let gf = (&fused * &r)
            .unwrap()
            .sum_all()
            .unwrap()
            .backward()
            .unwrap();
        let gp = (&plain * &r)
            .unwrap()
            .sum_all()
            .unwrap()
            .backward()
            .unwrap();
        for (name, v) in [("dx", &x), ("dw", &w), ("db", &b)] {
            let d = assert_close(
                &format!("{name} {dims:?}"),
                gf.get(v).unwrap(),
                gp.get(v).unwrap(),
                TOL,
            );
            worst = worst.max(d);
        }
    }
    eprintln!("layer_norm: max |Δ| = {worst:e}");
}

#[test]
fn layer_norm_rejects_bad_shapes() {
    let x = Tensor::zeros((2, 4), DType::F32, &Device::Cpu).unwrap();
    let w = Tensor::ones(3, DType::F32, &Device::Cpu).unwrap();
    let err = layer_norm(&x, &w, &w, 1e-5).unwrap_err().to_string();
    assert!(err.contains("weight has shape [3], expected [4]"), "{err}");
}

/// Cross-entropy from candle_nn's (differentiable) log-softmax, masked.
fn cross_entropy_unfused(z: &Tensor, targets: &[i64], ignore: Option<i64>) -> Tensor {
    let ls = candle_nn::ops::log_softmax(z, D::Minus1).unwrap();
    let idx: Vec<u32> = targets
        .iter()
        .map(|&t| if Some(t) == ignore { 0 } else { t as u32 })
        .collect();
    let mask: Vec<f32> = targets
        .iter()
        .map(|&t| if Some(t) == ignore { 0.0 } else { 1.0 })
        .collect();
    let n_valid: f32 = mask.iter().sum();
    let idx = Tensor::from_vec(idx, (targets.len(), 1), &Device::Cpu).unwrap();
    let mask = Tensor::from_vec(mask, targets.len(), &Device::Cpu).unwrap();
    let picked = ls.gather(&idx, 1).unwrap().squeeze(1).unwrap();
    ((picked * mask).unwrap().sum_all().unwrap() * (-1.0 / n_valid as f64)).unwrap()
}

#[test]
fn cross_entropy_matches_unfused_values_and_gradients() {
    let mut rng = Rng(11);
    let mut worst = 0f32;
    // (rows, classes, logit scale, share of ignored rows)
    for (n, c, scale, ignored) in [
        (1, 1, 1.0, 0.0),
        (1, 5, 1.0, 0.0),
        (9, 3, 2.0, 0.3),
        (64, 1000, 1.0, 0.1),
        (16, 50, 1000.0, 0.2),
    ] {
        let z = Var::from_tensor(&rng.tensor(&[n, c], scale)).unwrap();
        let mut targets: Vec<i64> = (0..n).map(|_| (rng.next_u64() % c as u64) as i64).collect();
        for t in targets.iter_mut().skip(1) {
            if rng.uniform() < ignored {
                *t = -100;
            }
        }
        let t = Tensor::new(targets.as_slice(), &Device::Cpu).unwrap();
        let fused = cross_entropy(&z, &t, Some(-100)).unwrap();
        let plain = cross_entropy_unfused(&z, &targets, Some(-100));
        // The loss is computed in f64 here and in f32 there: with logits of
        // size 1000 the f32 reference itself is off by ~1e-4, so the loss is
        // compared relative to its size; the gradients absolutely.
        let (lf, lp) = (
            fused.to_scalar::<f32>().unwrap(),
            plain.to_scalar::<f32>().unwrap(),
        );
        let dl = (lf - lp).abs();
        assert!(
            dl <= TOL * lp.abs().max(1.0),
            "loss ({n}, {c}, ×{scale}): {lf} vs {lp}"
        );
        worst = worst.max(dl / lp.abs().max(1.0));
        let gf = fused.backward().unwrap();
        let gp = plain.backward().unwrap();
        let d = assert_close(
            &format!("dz ({n}, {c}, ×{scale})"),
            gf.get(&z).unwrap(),
            gp.get(&z).unwrap(),
            TOL,
        );
        worst = worst.max(d);
    }
    eprintln!("cross_entropy: max |Δ| = {worst:e}");
}

#[test]
fn cross_entropy_edge_cases() {
    let dev = Device::Cpu;
    let z = Var::from_tensor(&Tensor::new(&[[1f32, 2.0, 3.0], [0.0, 0.0, 0.0]], &dev).unwrap())
        .unwrap();
    // u32 targets work as i64 ones do.
    let a = cross_entropy(&z, &Tensor::new(&[2u32, 0], &dev).unwrap(), None).unwrap();
    let b = cross_entropy(&z, &Tensor::new(&[2i64, 0], &dev).unwrap(), None).unwrap();
    assert_eq!(a.to_scalar::<f32>().unwrap(), b.to_scalar::<f32>().unwrap());
    // All rows ignored: loss 0, gradient 0.
    let all = cross_entropy(&z, &Tensor::new(&[-1i64, -1], &dev).unwrap(), Some(-1)).unwrap();
    assert_eq!(all.to_scalar::<f32>().unwrap(), 0.0);
    let g = all.backward().unwrap();
    assert_eq!(
        g.get(&z)
            .unwrap()
            .abs()
            .unwrap()
            .sum_all()
            .unwrap()
            .to_scalar::<f32>()
            .unwrap(),
        0.0
    );
    // Out-of-range targets and mismatched shapes are errors, not panics.
    let err = cross_entropy(&z, &Tensor::new(&[3i64, 0], &dev).unwrap(), None).unwrap_err();
    assert!(
        err.to_string()
            .contains("target 3 of row 0 is outside 0..3"),
        "{err}"
    );
    let err = cross_entropy(&z, &Tensor::new(&[1i64], &dev).unwrap(), None).unwrap_err();
    assert!(
        err.to_string()
            .contains("targets have shape [1], expected [2]"),
        "{err}"
    );
}

/// GELU composed of differentiable primitives, with exact constants.
fn gelu_unfused(x: &Tensor, a: GeluApproximation) -> Tensor {
    let inner = match a {
        GeluApproximation::Erf => (x * std::f64::consts::FRAC_1_SQRT_2)
            .unwrap()
            .erf()
            .unwrap(),
        GeluApproximation::Tanh => {
            let cube = (x.sqr().unwrap() * x).unwrap();
            ((x + (cube * 0.044715).unwrap()).unwrap() * (2.0 / std::f64::consts::PI).sqrt())
                .unwrap()
                .tanh()
                .unwrap()
        }
    };
    ((inner + 1.0).unwrap() * x)
        .unwrap()
        .affine(0.5, 0.0)
        .unwrap()
}

#[test]
fn gelu_matches_unfused_values_and_gradients() {
    let mut rng = Rng(13);
    let mut worst = 0f32;
    for a in [GeluApproximation::Erf, GeluApproximation::Tanh] {
        for (dims, scale) in [
            (vec![1], 1.0),
            (vec![1, 1], 3.0),
            (vec![3, 1000], 2.0),
            (vec![4, 5000], 8.0),
        ] {
            let x = Var::from_tensor(&rng.tensor(&dims, scale)).unwrap();
            let r = rng.tensor(&dims, 1.0);
            let fused = gelu(&x, a).unwrap();
            let plain = gelu_unfused(&x, a);
            worst = worst.max(assert_close(
                &format!("{a:?} y {dims:?}"),
                &fused,
                &plain,
                TOL,
            ));
            let gf = (&fused * &r)
                .unwrap()
                .sum_all()
                .unwrap()
                .backward()
                .unwrap();
            let gp = (&plain * &r)
                .unwrap()
                .sum_all()
                .unwrap()
                .backward()
                .unwrap();
            let d = assert_close(
                &format!("{a:?} dx {dims:?}"),
                gf.get(&x).unwrap(),
                gp.get(&x).unwrap(),
                TOL,
            );
            worst = worst.max(d);
        }
    }
    // Saturated inputs: gelu(x) → x and → 0, gradients → 1 and → 0.
    let x = Var::new(&[-30f32, -10.0, 0.0, 10.0, 30.0], &Device::Cpu).unwrap();
    for a in [GeluApproximation::Erf, GeluApproximation::Tanh] {
        let y = gelu(&x, a).unwrap();
        assert_close(&format!("{a:?} saturated"), &y, &gelu_unfused(&x, a), TOL);
        let g = y.sum_all().unwrap().backward().unwrap();
        let g = g.get(&x).unwrap().to_vec1::<f32>().unwrap();
        assert!(
            g[0].abs() < 1e-12 && (g[4] - 1.0).abs() < 1e-6,
            "{a:?}: {g:?}"
        );
    }
    eprintln!("gelu: max |Δ| = {worst:e}");
}

/// Causal attention composed of differentiable primitives: the full T × T
/// scores, a -inf mask above the diagonal, candle_nn's composed softmax.
fn causal_attention_unfused(q: &Tensor, k: &Tensor, v: &Tensor) -> Tensor {
    let (t, dh) = (q.dim(D::Minus2).unwrap(), q.dim(D::Minus1).unwrap());
    let scores = (q.matmul(&k.t().unwrap()).unwrap() * (1.0 / (dh as f64).sqrt())).unwrap();
    let mask: Vec<f32> = (0..t)
        .flat_map(|i| (0..t).map(move |j| if j <= i { 0.0 } else { f32::NEG_INFINITY }))
        .collect();
    let mask = Tensor::from_vec(mask, (t, t), &Device::Cpu).unwrap();
    let p = candle_nn::ops::softmax(&scores.broadcast_add(&mask).unwrap(), D::Minus1).unwrap();
    p.matmul(v).unwrap()
}

#[test]
fn causal_attention_matches_unfused_values_and_gradients() {
    let mut rng = Rng(17);
    let mut worst = 0f32;
    for dims in [
        vec![1, 1],
        vec![1, 1, 1],
        vec![3, 1, 4],
        vec![2, 5, 1],
        vec![2, 3, 17, 8],
        vec![4, 33, 16],
    ] {
        let q = Var::from_tensor(&rng.tensor(&dims, 1.0)).unwrap();
        let k = Var::from_tensor(&rng.tensor(&dims, 1.0)).unwrap();
        let v = Var::from_tensor(&rng.tensor(&dims, 1.0)).unwrap();
        let r = rng.tensor(&dims, 1.0);
        let fused = causal_attention(&q, &k, &v, None).unwrap();
        let plain = causal_attention_unfused(&q, &k, &v);
        worst = worst.max(assert_close(&format!("o {dims:?}"), &fused, &plain, TOL));
        let gf = (&fused * &r)
            .unwrap()
            .sum_all()
            .unwrap()
            .backward()
            .unwrap();
        let gp = (&plain * &r)
            .unwrap()
            .sum_all()
            .unwrap()
            .backward()
            .unwrap();
        for (name, t) in [("dq", &q), ("dk", &k), ("dv", &v)] {
            let d = assert_close(
                &format!("{name} {dims:?}"),
                gf.get(t).unwrap(),
                gp.get(t).unwrap(),
                TOL,
            );
            worst = worst.max(d);
        }
    }
    let q = Tensor::zeros((2, 3, 4), DType::F32, &Device::Cpu).unwrap();
    let k = Tensor::zeros((2, 4, 4), DType::F32, &Device::Cpu).unwrap();
    let err = causal_attention(&q, &k, &q, None).unwrap_err().to_string();
    assert!(err.contains("k has shape [2, 4, 4]"), "{err}");
    eprintln!("causal_attention: max |Δ| = {worst:e}");
}
