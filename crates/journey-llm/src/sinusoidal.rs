//! Sinusoidal position encodings, Vaswani et al. (2017) §3.5:
//! `PE(p, 2i) = sin(p / 10000^(2i/d))`, `PE(p, 2i+1) = cos(p / 10000^(2i/d))`,
//! added to the token embeddings. Fixed (nothing learned), defined for any
//! position. (Learned positions, as GPT-2 and BERT use, are an embedding
//! table.)
//!
//! Cost: O(T·d) to build.

use candle_core::{Device, Tensor};

use crate::{LlmError, Result};

/// The `[positions, dim]` table.
pub fn sinusoidal_encoding(positions: usize, dim: usize, device: &Device) -> Result<Tensor> {
    if dim == 0 || dim % 2 != 0 {
        return Err(LlmError::Config(format!(
            "sinusoidal encodings need an even width, got {dim}"
        )));
    }
    let mut v = Vec::with_capacity(positions * dim);
    for p in 0..positions {
        for i in 0..dim / 2 {
            let a = p as f64 / 10_000f64.powf(2.0 * i as f64 / dim as f64);
            v.push(a.sin() as f32);
            v.push(a.cos() as f32);
        }
    }
    Ok(Tensor::from_vec(v, (positions, dim), device)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_rows() {
        let t = sinusoidal_encoding(3, 4, &Device::Cpu)
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        assert_eq!(t[0], vec![0.0, 1.0, 0.0, 1.0]);
        assert!((t[2][0] - 2f32.sin()).abs() < 1e-6);
        assert!((t[2][3] - (0.02f32).cos()).abs() < 1e-6);
        assert!(sinusoidal_encoding(2, 3, &Device::Cpu).is_err());
    }
}
