//! ALiBi, Press et al., "Train Short, Test Long: Attention with Linear
//! Biases Enables Input Length Extrapolation" (ICLR 2022): no position
//! embeddings; instead each head h adds `−m_h · (i − j)` to the score of
//! query i on key j, with slopes `m_h = 2^(−8h/H)` for h = 1..H (H a power
//! of two; otherwise the paper's interleaving of the next power's slopes).
//!
//! Cost: O(H·Tq·Tk) for the bias tensor.

use candle_core::{Device, Tensor};

use crate::{LlmError, Result};

/// The slope of each of `heads` heads.
pub fn alibi_slopes(heads: usize) -> Result<Vec<f64>> {
    if heads == 0 {
        return Err(LlmError::Config("ALiBi needs at least one head".into()));
    }
    let pow2 = |n: usize| -> Vec<f64> {
        (1..=n)
            .map(|h| 2f64.powf(-8.0 * h as f64 / n as f64))
            .collect()
    };
    if heads.is_power_of_two() {
        return Ok(pow2(heads));
    }
    let closest = 1usize << (usize::BITS - 1 - heads.leading_zeros());
    let mut s = pow2(closest);
    s.extend(
        pow2(2 * closest)
            .into_iter()
            .step_by(2)
            .take(heads - closest),
    );
    Ok(s)
}

/// The additive bias `[heads, Tq, Tk]` (queries at positions `Tk − Tq ..`).
pub fn alibi_bias(heads: usize, tq: usize, tk: usize, device: &Device) -> Result<Tensor> {
    if tq > tk {
        return Err(LlmError::Shape(format!("ALiBi: {tq} queries, {tk} keys")));
    }
    let slopes = alibi_slopes(heads)?;
    let offset = tk - tq;
    let mut v = Vec::with_capacity(heads * tq * tk);
    for m in &slopes {
        for i in 0..tq {
            for j in 0..tk {
                v.push((-m * ((offset + i) as f64 - j as f64)) as f32);
            }
        }
    }
    Ok(Tensor::from_vec(v, (heads, tq, tk), device)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slopes_of_the_paper() {
        // 8 heads: 1/2, 1/4, ..., 1/256
        let s = alibi_slopes(8).unwrap();
        assert_eq!(s[0], 0.5);
        assert_eq!(s[7], 1.0 / 256.0);
        // 12 heads: the 8 of 8, then every other of the 16-head slopes
        let s = alibi_slopes(12).unwrap();
        assert_eq!(s.len(), 12);
        assert_eq!(s[8], 2f64.powf(-0.5));
        let b = alibi_bias(1, 2, 3, &Device::Cpu)
            .unwrap()
            .to_vec3::<f32>()
            .unwrap();
        let m = alibi_slopes(1).unwrap()[0] as f32;
        assert_eq!(b[0], vec![vec![-m, 0.0, m], vec![-2.0 * m, -m, 0.0]]);
    }
}
