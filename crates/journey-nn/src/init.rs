//! Weight initialisation, drawn from our seeded [`Rng`] so that the same seed
//! gives the same weights (candle's own random tensors cannot be seeded
//! reliably). The formulas and names follow `torch.nn.init`:
//!
//! - Xavier/Glorot (Glorot and Bengio, "Understanding the difficulty of
//!   training deep feedforward neural networks", AISTATS 2010): keeps the
//!   variance of activations and of gradients equal across layers for a
//!   linear unit, Var(W) = gain² · 2/(fan_in + fan_out). Uniform on ±a with
//!   a = gain·√(6/(fan_in + fan_out)), or normal with that variance.
//! - He/Kaiming (He et al., "Delving deep into rectifiers", ICCV 2015): ReLU
//!   zeroes half of its inputs, so Var(W) = gain²/fan with gain √2 keeps the
//!   second moment of activations (mode fan_in) or of gradients (fan_out).
//!   Uniform on ±gain·√(3/fan), or normal with std gain/√fan.
//! - Orthogonal (Saxe, McClelland and Ganguli, "Exact solutions to the
//!   nonlinear dynamics of learning in deep linear neural networks", ICLR
//!   2014): a random orthogonal matrix (QR of a Gaussian matrix with the signs
//!   of R's diagonal made positive, which makes it uniform in the Haar
//!   measure), times a gain. Here QR is modified Gram–Schmidt, run twice.
//!
//! fan_in / fan_out are torch's: for a weight of shape (out, in, k1, k2, …),
//! fan_in = in·k1·k2·…, fan_out = out·k1·k2·…. Gains are
//! `torch.nn.init.calculate_gain`'s.
//!
//! Cost: O(n) time for n weights; orthogonal O(rows·cols·min(rows, cols))
//! time and O(rows·cols) f64 memory.

use candle_core::{Device, Tensor};
use serde::{Deserialize, Serialize};

use crate::rng::Rng;
use crate::{NnError, Result};

/// The nonlinearity that follows a layer, for [`calculate_gain`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nonlinearity {
    Linear,
    Conv,
    Sigmoid,
    Tanh,
    Relu,
    /// Leaky ReLU with this negative slope (torch's default is 0.01).
    LeakyRelu(f64),
    Selu,
}

/// The recommended gain for a nonlinearity, as `torch.nn.init.calculate_gain`:
/// 1 for linear, conv and sigmoid; 5/3 for tanh; √2 for ReLU;
/// √(2/(1 + slope²)) for leaky ReLU; 3/4 for SELU.
pub fn calculate_gain(nonlinearity: Nonlinearity) -> f64 {
    match nonlinearity {
        Nonlinearity::Linear | Nonlinearity::Conv | Nonlinearity::Sigmoid => 1.0,
        Nonlinearity::Tanh => 5.0 / 3.0,
        Nonlinearity::Relu => 2f64.sqrt(),
        Nonlinearity::LeakyRelu(slope) => (2.0 / (1.0 + slope * slope)).sqrt(),
        Nonlinearity::Selu => 0.75,
    }
}

/// (fan_in, fan_out) of a weight shape, as torch computes them.
pub fn fans(shape: &[usize]) -> Result<(usize, usize)> {
    if shape.len() < 2 {
        return Err(NnError::Shape(format!(
            "fan in and fan out need a weight of at least 2 dimensions, got shape {shape:?}"
        )));
    }
    let receptive: usize = shape[2..].iter().product();
    Ok((shape[1] * receptive, shape[0] * receptive))
}

/// Which fan Kaiming initialisation normalises by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FanMode {
    /// Keeps the variance of activations in the forward pass.
    FanIn,
    /// Keeps the variance of gradients in the backward pass.
    FanOut,
}

/// An initialisation scheme, to name in a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Init {
    Uniform {
        lo: f64,
        hi: f64,
    },
    Normal {
        mean: f64,
        std: f64,
    },
    XavierUniform {
        gain: f64,
    },
    XavierNormal {
        gain: f64,
    },
    KaimingUniform {
        mode: FanMode,
        nonlinearity: Nonlinearity,
    },
    KaimingNormal {
        mode: FanMode,
        nonlinearity: Nonlinearity,
    },
    Orthogonal {
        gain: f64,
    },
}

impl Default for Init {
    /// He initialisation for ReLU layers.
    fn default() -> Self {
        Init::KaimingNormal {
            mode: FanMode::FanIn,
            nonlinearity: Nonlinearity::Relu,
        }
    }
}

impl Init {
    /// A new f32 tensor of `shape` drawn from `rng`.
    pub fn tensor(&self, shape: &[usize], rng: &mut Rng, device: &Device) -> Result<Tensor> {
        match *self {
            Init::Uniform { lo, hi } => uniform(shape, lo, hi, rng, device),
            Init::Normal { mean, std } => normal(shape, mean, std, rng, device),
            Init::XavierUniform { gain } => xavier_uniform(shape, gain, rng, device),
            Init::XavierNormal { gain } => xavier_normal(shape, gain, rng, device),
            Init::KaimingUniform { mode, nonlinearity } => {
                kaiming_uniform(shape, mode, nonlinearity, rng, device)
            }
            Init::KaimingNormal { mode, nonlinearity } => {
                kaiming_normal(shape, mode, nonlinearity, rng, device)
            }
            Init::Orthogonal { gain } => orthogonal(shape, gain, rng, device),
        }
    }
}

fn from_vec(values: Vec<f32>, shape: &[usize], device: &Device) -> Result<Tensor> {
    Ok(Tensor::from_vec(values, shape, device)?)
}

/// Uniform on [lo, hi).
pub fn uniform(
    shape: &[usize],
    lo: f64,
    hi: f64,
    rng: &mut Rng,
    device: &Device,
) -> Result<Tensor> {
    let n: usize = shape.iter().product();
    let v = (0..n).map(|_| rng.uniform_range(lo, hi) as f32).collect();
    from_vec(v, shape, device)
}

/// Normal with the given mean and standard deviation.
pub fn normal(
    shape: &[usize],
    mean: f64,
    std: f64,
    rng: &mut Rng,
    device: &Device,
) -> Result<Tensor> {
    let n: usize = shape.iter().product();
    let v = (0..n)
        .map(|_| (mean + std * rng.normal_f64()) as f32)
        .collect();
    from_vec(v, shape, device)
}

/// The bound a of Xavier uniform: gain·√(6/(fan_in + fan_out)).
pub fn xavier_uniform_bound(shape: &[usize], gain: f64) -> Result<f64> {
    let (fan_in, fan_out) = fans(shape)?;
    Ok(gain * (6.0 / (fan_in + fan_out) as f64).sqrt())
}

/// The std of Xavier normal: gain·√(2/(fan_in + fan_out)).
pub fn xavier_std(shape: &[usize], gain: f64) -> Result<f64> {
    let (fan_in, fan_out) = fans(shape)?;
    Ok(gain * (2.0 / (fan_in + fan_out) as f64).sqrt())
}

/// The std of Kaiming initialisation: gain/√fan.
pub fn kaiming_std(shape: &[usize], mode: FanMode, nonlinearity: Nonlinearity) -> Result<f64> {
    let (fan_in, fan_out) = fans(shape)?;
    let fan = match mode {
        FanMode::FanIn => fan_in,
        FanMode::FanOut => fan_out,
    };
    Ok(calculate_gain(nonlinearity) / (fan as f64).sqrt())
}

pub fn xavier_uniform(
    shape: &[usize],
    gain: f64,
    rng: &mut Rng,
    device: &Device,
) -> Result<Tensor> {
    let a = xavier_uniform_bound(shape, gain)?;
    uniform(shape, -a, a, rng, device)
}

pub fn xavier_normal(shape: &[usize], gain: f64, rng: &mut Rng, device: &Device) -> Result<Tensor> {
    let std = xavier_std(shape, gain)?;
    normal(shape, 0.0, std, rng, device)
}

/// Uniform on ±√3·std, the interval with Kaiming's variance.
pub fn kaiming_uniform(
    shape: &[usize],
    mode: FanMode,
    nonlinearity: Nonlinearity,
    rng: &mut Rng,
    device: &Device,
) -> Result<Tensor> {
    let bound = 3f64.sqrt() * kaiming_std(shape, mode, nonlinearity)?;
    uniform(shape, -bound, bound, rng, device)
}

pub fn kaiming_normal(
    shape: &[usize],
    mode: FanMode,
    nonlinearity: Nonlinearity,
    rng: &mut Rng,
    device: &Device,
) -> Result<Tensor> {
    let std = kaiming_std(shape, mode, nonlinearity)?;
    normal(shape, 0.0, std, rng, device)
}

/// A (semi-)orthogonal matrix times `gain`, reshaped to `shape`: rows =
/// shape[0], cols = the product of the rest. With rows ≥ cols the columns are
/// orthonormal (WᵀW = gain² I); otherwise the rows are (WWᵀ = gain² I).
pub fn orthogonal(shape: &[usize], gain: f64, rng: &mut Rng, device: &Device) -> Result<Tensor> {
    if shape.len() < 2 {
        return Err(NnError::Shape(format!(
            "orthogonal initialisation needs at least 2 dimensions, got shape {shape:?}"
        )));
    }
    let rows = shape[0];
    let cols: usize = shape[1..].iter().product();
    if rows == 0 || cols == 0 {
        return from_vec(Vec::new(), shape, device);
    }
    // Work on a tall m×n matrix (m ≥ n) stored column by column.
    let (m, n) = (rows.max(cols), rows.min(cols));
    let mut q: Vec<Vec<f64>> = (0..n)
        .map(|_| (0..m).map(|_| rng.normal_f64()).collect())
        .collect();
    for j in 0..n {
        let (done, rest) = q.split_at_mut(j);
        let v = &mut rest[0];
        // Modified Gram–Schmidt, twice ("twice is enough", Giraud et al.
        // 2005): remove the components along the earlier columns.
        for _ in 0..2 {
            for u in done.iter() {
                let dot: f64 = u.iter().zip(v.iter()).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(u).for_each(|(x, a)| *x -= dot * a);
            }
        }
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        // The norm is the positive diagonal entry of R, torch's sign fix.
        v.iter_mut().for_each(|x| *x /= norm);
    }
    let mut out = vec![0f32; rows * cols];
    for (j, col) in q.iter().enumerate() {
        for (i, &x) in col.iter().enumerate() {
            // Column j of the tall matrix is column j of W when rows ≥ cols,
            // row j of W otherwise.
            let idx = if rows >= cols {
                i * cols + j
            } else {
                j * cols + i
            };
            out[idx] = (gain * x) as f32;
        }
    }
    from_vec(out, shape, device)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(t: &Tensor) -> (f64, f64, f64) {
        let v: Vec<f32> = t.flatten_all().unwrap().to_vec1().unwrap();
        let n = v.len() as f64;
        let mean = v.iter().map(|&x| x as f64).sum::<f64>() / n;
        let var = v.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
        let max = v.iter().map(|x| x.abs() as f64).fold(0.0, f64::max);
        (mean, var, max)
    }

    #[test]
    fn fans_follow_torch() {
        assert_eq!(fans(&[64, 32]).unwrap(), (32, 64));
        assert_eq!(fans(&[16, 8, 3, 5]).unwrap(), (8 * 15, 16 * 15));
        assert!(fans(&[10]).is_err());
    }

    #[test]
    fn variances_and_bounds_match_the_formulas() {
        let dev = Device::Cpu;
        let shape = [256, 384];
        let (fan_in, fan_out) = (384.0, 256.0);
        let mut rng = Rng::seed(11);
        let relu = Nonlinearity::Relu;
        // (tensor, expected variance, bound if uniform)
        let gain = 5.0 / 3.0;
        let a = gain * (6.0f64 / (fan_in + fan_out)).sqrt();
        let cases = vec![
            (
                xavier_uniform(&shape, gain, &mut rng, &dev).unwrap(),
                a * a / 3.0,
                Some(a),
            ),
            (
                xavier_normal(&shape, gain, &mut rng, &dev).unwrap(),
                gain * gain * 2.0 / (fan_in + fan_out),
                None,
            ),
            (
                kaiming_uniform(&shape, FanMode::FanIn, relu, &mut rng, &dev).unwrap(),
                2.0 / fan_in,
                Some((6.0f64 / fan_in).sqrt()),
            ),
            (
                kaiming_normal(&shape, FanMode::FanOut, relu, &mut rng, &dev).unwrap(),
                2.0 / fan_out,
                None,
            ),
        ];
        for (i, (t, var, bound)) in cases.into_iter().enumerate() {
            let (m, v, max) = moments(&t);
            assert!(m.abs() < 0.01 * var.sqrt() * 10.0, "case {i}: mean {m}");
            // 98,304 draws: the sample variance is within 1% of the true one
            // at several standard errors.
            assert!((v / var - 1.0).abs() < 0.02, "case {i}: var {v} vs {var}");
            if let Some(b) = bound {
                assert!(
                    max <= b + 1e-6 && max > 0.99 * b,
                    "case {i}: max {max} vs {b}"
                );
            }
        }
    }

    #[test]
    fn orthogonal_is_orthogonal_both_ways() {
        let dev = Device::Cpu;
        for (shape, gain) in [([64usize, 32usize], 1.0), ([20, 50], 2.0), ([40, 40], 1.0)] {
            let w = orthogonal(&shape, gain, &mut Rng::seed(5), &dev).unwrap();
            let gram = if shape[0] >= shape[1] {
                w.t().unwrap().matmul(&w).unwrap()
            } else {
                w.matmul(&w.t().unwrap()).unwrap()
            };
            let g: Vec<Vec<f32>> = gram.to_vec2().unwrap();
            for (i, row) in g.iter().enumerate() {
                for (j, &x) in row.iter().enumerate() {
                    let expect = if i == j { gain * gain } else { 0.0 };
                    assert!(
                        (x as f64 - expect).abs() < 1e-5,
                        "{shape:?} [{i},{j}] = {x}"
                    );
                }
            }
        }
    }

    #[test]
    fn configs_round_trip_through_json() {
        for init in [
            Init::default(),
            Init::KaimingUniform {
                mode: FanMode::FanOut,
                nonlinearity: Nonlinearity::LeakyRelu(0.2),
            },
            Init::Orthogonal { gain: 2.0 },
        ] {
            let json = serde_json::to_string(&init).unwrap();
            assert_eq!(serde_json::from_str::<Init>(&json).unwrap(), init, "{json}");
        }
    }

    #[test]
    fn same_seed_same_tensor() {
        let dev = Device::Cpu;
        for init in [
            Init::default(),
            Init::XavierUniform { gain: 1.0 },
            Init::Orthogonal { gain: 1.0 },
        ] {
            let a: Vec<f32> = init
                .tensor(&[8, 6], &mut Rng::seed(9), &dev)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1()
                .unwrap();
            let b: Vec<f32> = init
                .tensor(&[8, 6], &mut Rng::seed(9), &dev)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1()
                .unwrap();
            let c: Vec<f32> = init
                .tensor(&[8, 6], &mut Rng::seed(10), &dev)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1()
                .unwrap();
            assert_eq!(a, b);
            assert_ne!(a, c);
        }
    }
}
