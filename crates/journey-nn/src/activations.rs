//! Activation functions and their derivatives, as plain f64 functions (for the
//! scalar autograd and for reading) and as candle tensor functions:
//!
//! | name | f(x) | f'(x) |
//! |---|---|---|
//! | sigmoid | σ(x) = 1/(1 + e^−x) | σ(x)(1 − σ(x)) |
//! | tanh | tanh x | 1 − tanh² x |
//! | ReLU (Nair and Hinton 2010) | max(0, x) | 1 if x > 0, else 0 (PyTorch's value at 0) |
//! | GELU (Hendrycks and Gimpel 2016) | x Φ(x), Φ(x) = ½(1 + erf(x/√2)) | Φ(x) + x φ(x), φ(x) = e^(−x²/2)/√(2π) |
//! | GELU, tanh approximation | ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³) | ½(1 + tanh u) + ½x(1 − tanh² u) √(2/π)(1 + 3·0.044715x²) |
//! | SiLU / swish (Elfwing et al. 2018) | x σ(x) | σ(x)(1 + x(1 − σ(x))) |
//!
//! `erf` is computed here (Rust's standard library has none): its Maclaurin
//! series below |x| = 2.5 and the Laplace continued fraction of erfc above,
//! both to about 1e-15 (Abramowitz and Stegun 7.1.5 and 7.1.14).
//!
//! Cost: O(1) per element, no memory beyond the output.

use candle_core::Tensor;
use serde::{Deserialize, Serialize};

use crate::Result;

const SQRT_2_OVER_PI: f64 = 0.797_884_560_802_865_4;
const GELU_TANH_C: f64 = 0.044715;

/// The logistic sigmoid, computed without overflow for large |x|.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

pub fn sigmoid_grad(x: f64) -> f64 {
    let s = sigmoid(x);
    s * (1.0 - s)
}

pub fn tanh(x: f64) -> f64 {
    x.tanh()
}

pub fn tanh_grad(x: f64) -> f64 {
    let t = x.tanh();
    1.0 - t * t
}

pub fn relu(x: f64) -> f64 {
    x.max(0.0)
}

pub fn relu_grad(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else {
        0.0
    }
}

/// The error function, erf x = 2/√π ∫₀ˣ e^(−t²) dt.
pub fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let a = x.abs();
    let r = if a < 2.5 {
        // erf x = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1)); the largest term is
        // about 16 at x = 2.5, so cancellation costs under two digits.
        let x2 = a * a;
        let mut term = a; // (−1)ⁿ x^(2n+1) / n!
        let mut sum = a;
        let mut n = 0.0;
        loop {
            n += 1.0;
            term *= -x2 / n;
            let add = term / (2.0 * n + 1.0);
            sum += add;
            if add.abs() <= 1e-17 * sum.abs() {
                break;
            }
        }
        sum * std::f64::consts::FRAC_2_SQRT_PI
    } else {
        1.0 - erfc_continued_fraction(a)
    };
    r.copysign(x)
}

/// erfc x for x ≥ 2.5: e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
/// evaluated from the tail (60 levels are plenty at x ≥ 2.5).
fn erfc_continued_fraction(x: f64) -> f64 {
    let mut f = x;
    for k in (1..=60).rev() {
        f = x + (k as f64 / 2.0) / f;
    }
    (-x * x).exp() / (std::f64::consts::PI.sqrt() * f)
}

/// Φ, the standard normal cumulative distribution function.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * (1.0 + erf(x / std::f64::consts::SQRT_2))
}

/// φ, the standard normal density.
pub fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// GELU, exact (erf) form: x Φ(x).
pub fn gelu(x: f64) -> f64 {
    x * normal_cdf(x)
}

pub fn gelu_grad(x: f64) -> f64 {
    normal_cdf(x) + x * normal_pdf(x)
}

/// GELU, tanh approximation (GPT-2's `gelu_new`, PyTorch's
/// `approximate="tanh"`).
pub fn gelu_tanh(x: f64) -> f64 {
    let u = SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
    0.5 * x * (1.0 + u.tanh())
}

pub fn gelu_tanh_grad(x: f64) -> f64 {
    let u = SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
    let t = u.tanh();
    let du = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_C * x * x);
    0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du
}

/// SiLU (swish with β = 1): x σ(x).
pub fn silu(x: f64) -> f64 {
    x * sigmoid(x)
}

pub fn silu_grad(x: f64) -> f64 {
    let s = sigmoid(x);
    s * (1.0 + x * (1.0 - s))
}

/// One of the activations, to pick by name in a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    Sigmoid,
    Tanh,
    Relu,
    Gelu,
    GeluTanh,
    Silu,
}

impl Activation {
    pub const ALL: [Activation; 6] = [
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::Gelu,
        Activation::GeluTanh,
        Activation::Silu,
    ];

    /// The name used in configurations and fixtures.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Gelu => "gelu",
            Activation::GeluTanh => "gelu_tanh",
            Activation::Silu => "silu",
        }
    }

    /// f(x).
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Activation::Sigmoid => sigmoid(x),
            Activation::Tanh => tanh(x),
            Activation::Relu => relu(x),
            Activation::Gelu => gelu(x),
            Activation::GeluTanh => gelu_tanh(x),
            Activation::Silu => silu(x),
        }
    }

    /// f'(x).
    pub fn derivative(self, x: f64) -> f64 {
        match self {
            Activation::Sigmoid => sigmoid_grad(x),
            Activation::Tanh => tanh_grad(x),
            Activation::Relu => relu_grad(x),
            Activation::Gelu => gelu_grad(x),
            Activation::GeluTanh => gelu_tanh_grad(x),
            Activation::Silu => silu_grad(x),
        }
    }

    /// f applied elementwise with candle's ops (differentiable by candle's
    /// autograd).
    pub fn forward(self, x: &Tensor) -> Result<Tensor> {
        Ok(match self {
            Activation::Sigmoid => candle_nn::ops::sigmoid(x)?,
            Activation::Tanh => x.tanh()?,
            Activation::Relu => x.relu()?,
            Activation::Gelu => x.gelu_erf()?,
            Activation::GeluTanh => x.gelu()?,
            Activation::Silu => x.silu()?,
        })
    }

    /// f'(x) elementwise, written out with tensor ops (what a hand-written
    /// backward pass multiplies the incoming gradient by).
    pub fn derivative_tensor(self, x: &Tensor) -> Result<Tensor> {
        let one_minus = |t: &Tensor| t.affine(-1.0, 1.0);
        Ok(match self {
            Activation::Sigmoid => {
                let s = candle_nn::ops::sigmoid(x)?;
                s.mul(&one_minus(&s)?)?
            }
            Activation::Tanh => one_minus(&x.tanh()?.sqr()?)?,
            Activation::Relu => x.gt(0.0)?.to_dtype(x.dtype())?,
            Activation::Gelu => {
                let cdf = x
                    .affine(std::f64::consts::FRAC_1_SQRT_2, 0.0)?
                    .erf()?
                    .affine(0.5, 0.5)?;
                let pdf = x
                    .sqr()?
                    .affine(-0.5, 0.0)?
                    .exp()?
                    .affine(1.0 / (2.0 * std::f64::consts::PI).sqrt(), 0.0)?;
                cdf.add(&x.mul(&pdf)?)?
            }
            Activation::GeluTanh => {
                let x2 = x.sqr()?;
                let u = x
                    .mul(&x2.affine(GELU_TANH_C, 1.0)?)?
                    .affine(SQRT_2_OVER_PI, 0.0)?;
                let t = u.tanh()?;
                let du = x2.affine(3.0 * GELU_TANH_C * SQRT_2_OVER_PI, SQRT_2_OVER_PI)?;
                let left = t.affine(0.5, 0.5)?;
                let right = x.mul(&one_minus(&t.sqr()?)?)?.mul(&du)?.affine(0.5, 0.0)?;
                left.add(&right)?
            }
            Activation::Silu => {
                let s = candle_nn::ops::sigmoid(x)?;
                let inner = x.mul(&one_minus(&s)?)?.affine(1.0, 1.0)?;
                s.mul(&inner)?
            }
        })
    }
}

/// f'(x) by candle's autograd (the gradient of Σ f(x)), for comparison with
/// [`Activation::derivative_tensor`].
pub fn autograd_derivative(act: Activation, x: &Tensor) -> Result<Tensor> {
    let var = candle_core::Var::from_tensor(x)?;
    let y = act.forward(var.as_tensor())?.sum_all()?;
    let grads = y.backward()?;
    match grads.get(var.as_tensor()) {
        Some(g) => Ok(g.clone()),
        None => Ok(x.zeros_like()?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradient_check::{numerical_gradient, relative_error};

    #[test]
    fn erf_known_values() {
        // Values from tables of the error function (A&S table 7.1).
        for (x, e) in [
            (0.0, 0.0),
            (0.5, 0.520_499_877_813_046_5),
            (1.0, 0.842_700_792_949_714_9),
            (2.0, 0.995_322_265_018_952_7),
            (3.0, 0.999_977_909_503_001_4),
        ] {
            assert!((erf(x) - e).abs() < 1e-15, "erf({x}) = {}", erf(x));
            assert!((erf(-x) + e).abs() < 1e-15);
        }
    }

    #[test]
    fn derivatives_match_finite_differences() {
        for act in Activation::ALL {
            for i in -40..=40 {
                let x = i as f64 * 0.15 + 0.01; // avoid ReLU's kink at 0
                let num = numerical_gradient(|v| act.apply(v[0]), &[x], 1e-5)[0];
                // Finite differences with h = 1e-5 carry about 1e-10 of
                // rounding noise: an absolute bound for the tiny tails, a
                // relative one elsewhere.
                let (d, err) = (act.derivative(x), relative_error(act.derivative(x), num));
                assert!(
                    err < 1e-7 || (d - num).abs() < 1e-9,
                    "{} at {x}: {d} vs {num}",
                    act.name()
                );
            }
        }
    }
}
