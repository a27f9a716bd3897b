//! Inverted dropout (Srivastava et al. 2014): during training each entry is
//! zeroed with probability p and the survivors are scaled by 1/(1−p), so the
//! expected activation is unchanged and evaluation needs no rescaling.
//!
//! The mask comes from our seeded generator, not candle's, so a run is
//! reproducible and resumable. Cost: O(n) draws and one multiply.

use candle_core::Tensor;

use crate::rng::Rng;
use crate::{NnError, Result};

/// `x` with dropout rate `p` applied (training only; `p = 0` returns `x`).
pub fn dropout(x: &Tensor, p: f32, rng: &mut Rng) -> Result<Tensor> {
    if !(0.0..1.0).contains(&p) {
        return Err(NnError::Config(format!(
            "dropout rate must be in [0, 1), got {p}"
        )));
    }
    if p == 0.0 {
        return Ok(x.clone());
    }
    let scale = 1.0 / (1.0 - p);
    let mask: Vec<f32> = (0..x.elem_count())
        .map(|_| if rng.uniform() < p { 0.0 } else { scale })
        .collect();
    Ok(x.mul(&Tensor::from_vec(mask, x.shape(), x.device())?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    #[test]
    fn keeps_the_mean_and_the_seed() {
        let x = Tensor::ones(20_000, candle_core::DType::F32, &Device::Cpu).unwrap();
        let a = dropout(&x, 0.3, &mut Rng::seed(7))
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        let b = dropout(&x, 0.3, &mut Rng::seed(7))
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert_eq!(a, b);
        let zeros = a.iter().filter(|&&v| v == 0.0).count() as f64 / a.len() as f64;
        assert!((zeros - 0.3).abs() < 0.02, "zeroed share {zeros}");
        let mean = a.iter().map(|&v| v as f64).sum::<f64>() / a.len() as f64;
        assert!((mean - 1.0).abs() < 0.03, "mean {mean}");
        assert!(dropout(&x, 1.0, &mut Rng::seed(1)).is_err());
    }
}
