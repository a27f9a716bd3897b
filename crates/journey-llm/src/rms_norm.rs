//! RMSNorm, Zhang & Sennrich, "Root Mean Square Layer Normalization"
//! (NeurIPS 2019): `y = x / √(mean(x²) + ε) · g` — LayerNorm without the
//! mean subtraction and the bias, used by T5, LLaMA and Gemma. Gemma stores
//! the gain as `g − 1` (`y = x / rms · (1 + w)`), selected by `offset`.
//!
//! Cost: O(N·D) time for N rows of width D.

use candle_core::{DType, Tensor, D};

use crate::{LlmError, Result};

pub struct RmsNorm {
    weight: Tensor,
    eps: f64,
    /// Added to the weight (1.0 for Gemma's `1 + w`, else 0.0).
    offset: f64,
}

impl RmsNorm {
    pub fn new(weight: Tensor, eps: f64, offset: f64) -> Result<Self> {
        if weight.rank() != 1 {
            return Err(LlmError::Shape(format!(
                "RMSNorm weight must be a vector, got {:?}",
                weight.dims()
            )));
        }
        Ok(Self {
            weight,
            eps,
            offset,
        })
    }

    /// Normalises the last dimension of `x`; the arithmetic is done in f32.
    pub fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let dtype = x.dtype();
        let x = x.to_dtype(DType::F32)?;
        let ms = x.sqr()?.mean_keepdim(D::Minus1)?;
        let y = x.broadcast_div(&(ms + self.eps)?.sqrt()?)?;
        let g = (self.weight.to_dtype(DType::F32)? + self.offset)?;
        Ok(y.broadcast_mul(&g)?.to_dtype(dtype)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    #[test]
    fn matches_the_formula() {
        let x = Tensor::new(&[[3f32, 4.0], [1.0, -1.0]], &Device::Cpu).unwrap();
        let w = Tensor::new(&[2f32, 0.5], &Device::Cpu).unwrap();
        let y = RmsNorm::new(w.clone(), 0.0, 0.0)
            .unwrap()
            .forward(&x)
            .unwrap();
        let rms = (12.5f32).sqrt();
        let want = [[3.0 / rms * 2.0, 4.0 / rms * 0.5], [2.0, -0.5]];
        let got = y.to_vec2::<f32>().unwrap();
        for (g, w) in got.iter().flatten().zip(want.iter().flatten()) {
            assert!((g - w).abs() < 1e-6, "{got:?}");
        }
        // Gemma's 1 + w
        let y = RmsNorm::new((w - 1.0).unwrap(), 0.0, 1.0)
            .unwrap()
            .forward(&x)
            .unwrap();
        assert!((y.to_vec2::<f32>().unwrap()[1][0] - 2.0).abs() < 1e-6);
    }
}
