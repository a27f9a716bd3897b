//! Rotary position embeddings, Su et al., "RoFormer: Enhanced Transformer
//! with Rotary Position Embedding" (2021): each pair of query/key features
//! is rotated by an angle proportional to the position,
//! `θ_i = base^(−2i/d)`, so that `q_m · k_n` depends on `m − n` only.
//!
//! The pairs are `(x_i, x_{i + d/2})` ("rotate half"), the layout of
//! GPT-NeoX, LLaMA and Gemma checkpoints in Hugging Face and GGUF form:
//! `x' = x ⊙ cos + rotate_half(x) ⊙ sin` with
//! `rotate_half(x) = [−x_{d/2..}, x_{..d/2}]`.
//!
//! Cost: O(T·d) per head; the cos/sin tables are O(T·d/2).

use candle_core::{DType, Device, Tensor};

use crate::{LlmError, Result};

/// Precomputed cos and sin for positions `0..max_positions`.
pub struct Rope {
    cos: Tensor,
    sin: Tensor,
    head_dim: usize,
}

impl Rope {
    pub fn new(head_dim: usize, max_positions: usize, base: f64, device: &Device) -> Result<Self> {
        if head_dim == 0 || head_dim % 2 != 0 {
            return Err(LlmError::Config(format!(
                "RoPE needs an even head width, got {head_dim}"
            )));
        }
        let half = head_dim / 2;
        let inv: Vec<f64> = (0..half)
            .map(|i| base.powf(-(2.0 * i as f64) / head_dim as f64))
            .collect();
        let mut cos = Vec::with_capacity(max_positions * head_dim);
        let mut sin = Vec::with_capacity(max_positions * head_dim);
        for p in 0..max_positions {
            // both halves use the same angles
            for _ in 0..2 {
                for f in &inv {
                    let a = p as f64 * f;
                    cos.push(a.cos() as f32);
                    sin.push(a.sin() as f32);
                }
            }
        }
        Ok(Self {
            cos: Tensor::from_vec(cos, (max_positions, head_dim), device)?,
            sin: Tensor::from_vec(sin, (max_positions, head_dim), device)?,
            head_dim,
        })
    }

    /// Rotates `x` `[B, H, T, d]` whose first position is `offset`.
    pub fn apply(&self, x: &Tensor, offset: usize) -> Result<Tensor> {
        let (_, _, t, d) = x.dims4()?;
        if d != self.head_dim {
            return Err(LlmError::Shape(format!(
                "RoPE built for head width {}, got {d}",
                self.head_dim
            )));
        }
        let max = self.cos.dim(0)?;
        if offset + t > max {
            return Err(LlmError::Shape(format!(
                "positions {offset}..{} exceed the {max} RoPE was built for",
                offset + t
            )));
        }
        let dtype = x.dtype();
        let x = x.to_dtype(DType::F32)?;
        let cos = self.cos.narrow(0, offset, t)?;
        let sin = self.sin.narrow(0, offset, t)?;
        let half = d / 2;
        let rotated = Tensor::cat(
            &[&x.narrow(3, half, half)?.neg()?, &x.narrow(3, 0, half)?],
            3,
        )?;
        Ok((x.broadcast_mul(&cos)? + rotated.broadcast_mul(&sin)?)?.to_dtype(dtype)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use journey_nn::rng::Rng;

    fn rand(shape: (usize, usize, usize, usize), seed: u64) -> Tensor {
        let mut r = Rng::seed(seed);
        let n = shape.0 * shape.1 * shape.2 * shape.3;
        Tensor::from_vec(
            (0..n).map(|_| r.normal()).collect::<Vec<f32>>(),
            shape,
            &Device::Cpu,
        )
        .unwrap()
    }

    #[test]
    fn rotation_by_hand_and_relative_positions() {
        // d = 2: a plain 2-D rotation by p · θ_0 = p radians
        let rope = Rope::new(2, 8, 10_000.0, &Device::Cpu).unwrap();
        let x = Tensor::new(&[[[[1f32, 0.0], [1.0, 0.0]]]], &Device::Cpu).unwrap();
        let y: Vec<Vec<f32>> = rope
            .apply(&x, 2)
            .unwrap()
            .squeeze(0)
            .unwrap()
            .squeeze(0)
            .unwrap()
            .to_vec2()
            .unwrap();
        assert!((y[0][0] - 2f32.cos()).abs() < 1e-6 && (y[0][1] - 2f32.sin()).abs() < 1e-6);
        assert!((y[1][0] - 3f32.cos()).abs() < 1e-6 && (y[1][1] - 3f32.sin()).abs() < 1e-6);
        // q_m · k_n depends on m − n only
        let rope = Rope::new(8, 64, 10_000.0, &Device::Cpu).unwrap();
        let (q, k) = (rand((1, 1, 1, 8), 1), rand((1, 1, 1, 8), 2));
        let dot = |m: usize, n: usize| -> f32 {
            let a = rope
                .apply(&q, m)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap();
            let b = rope
                .apply(&k, n)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap();
            a.iter().zip(&b).map(|(x, y)| x * y).sum()
        };
        assert!((dot(5, 2) - dot(40, 37)).abs() < 1e-4);
        assert!((dot(5, 2) - dot(5, 3)).abs() > 1e-4);
        assert!(Rope::new(3, 4, 1e4, &Device::Cpu).is_err());
        assert!(rope.apply(&q, 64).is_err());
    }
}
