//! Scaled dot-product attention, Vaswani et al., "Attention Is All You
//! Need" (2017), eq. 1: `Attention(Q, K, V) = softmax(Q Kᵀ / √d_k + M) V`,
//! where the additive mask M holds 0 where a query may look and a large
//! negative number where it may not:
//!
//! - a **causal** mask hides the keys after the query's position (a decoder
//!   must not see the future); with fewer queries than keys (decoding after
//!   a cached prefix) query i sits at position `Tk − Tq + i`;
//! - a **padding** mask hides the keys of padding tokens.
//!
//! This is the plain, readable form that keeps the `Tq × Tk` probability
//! matrix (so it can be drawn as a heat map); `journey_nn::fused::
//! causal_attention` is the training kernel that never stores it.
//!
//! Masked scores get −1e30 rather than −∞, so that a row whose keys are all
//! hidden (a padding query) gives finite numbers instead of NaN.
//!
//! Cost: O(B·H·Tq·Tk·d) time, O(B·H·Tq·Tk) memory for the probabilities.

use candle_core::{DType, Device, Tensor, D};

use crate::{LlmError, Result};

/// The additive value of a hidden position.
pub const MASKED: f32 = -1e30;

/// `[Tq, Tk]` additive causal mask: query i (at position `Tk − Tq + i`)
/// sees keys 0..=that position.
pub fn causal_mask(tq: usize, tk: usize, device: &Device) -> Result<Tensor> {
    if tq > tk {
        return Err(LlmError::Shape(format!(
            "causal mask: {tq} queries but only {tk} keys"
        )));
    }
    let offset = tk - tq;
    let m: Vec<f32> = (0..tq)
        .flat_map(|i| (0..tk).map(move |j| if j <= offset + i { 0.0 } else { MASKED }))
        .collect();
    Ok(Tensor::from_vec(m, (tq, tk), device)?)
}

/// `[B, 1, 1, Tk]` additive mask from a `[B, Tk]` attention mask (1 = real
/// token, 0 = padding; any integer or float type).
pub fn padding_mask(attention_mask: &Tensor) -> Result<Tensor> {
    let (b, t) = attention_mask.dims2().map_err(|_| {
        LlmError::Shape(format!(
            "attention mask must be [batch, time], got {:?}",
            attention_mask.dims()
        ))
    })?;
    let keep = attention_mask.to_dtype(DType::F32)?;
    // (1 − keep) · MASKED
    let m = ((keep - 1.0)? * (-MASKED as f64))?;
    Ok(m.reshape((b, 1, 1, t))?)
}

/// The attention probabilities `softmax(Q Kᵀ · scale + mask)` `[.., Tq, Tk]`
/// for `q` `[.., Tq, d]` and `k` `[.., Tk, d]`; `scale` defaults to
/// `1/√d`. `mask` is additive and broadcasts to the scores.
pub fn attention_probs(
    q: &Tensor,
    k: &Tensor,
    mask: Option<&Tensor>,
    causal: bool,
    scale: Option<f64>,
) -> Result<Tensor> {
    let d = q.dim(D::Minus1)?;
    if k.dim(D::Minus1)? != d {
        return Err(LlmError::Shape(format!(
            "queries have width {d}, keys {}",
            k.dim(D::Minus1)?
        )));
    }
    let scale = scale.unwrap_or(1.0 / (d as f64).sqrt());
    let mut scores = (q.contiguous()?.matmul(&k.t()?.contiguous()?)? * scale)?;
    if causal {
        let (tq, tk) = (q.dim(D::Minus2)?, k.dim(D::Minus2)?);
        scores = scores.broadcast_add(&causal_mask(tq, tk, q.device())?)?;
    }
    if let Some(m) = mask {
        scores = scores.broadcast_add(m)?;
    }
    // candle's fused softmax has no backward pass: use it only when no
    // gradient will flow (inference).
    Ok(if scores.track_op() {
        candle_nn::ops::softmax(&scores, D::Minus1)?
    } else {
        candle_nn::ops::softmax_last_dim(&scores)?
    })
}

/// `softmax(Q Kᵀ · scale + mask) V`.
pub fn scaled_dot_product_attention(
    q: &Tensor,
    k: &Tensor,
    v: &Tensor,
    mask: Option<&Tensor>,
    causal: bool,
) -> Result<Tensor> {
    let p = attention_probs(q, k, mask, causal, None)?;
    Ok(p.matmul(&v.contiguous()?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        let m = causal_mask(2, 3, &Device::Cpu)
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        assert_eq!(m, vec![vec![0.0, 0.0, MASKED], vec![0.0, 0.0, 0.0]]);
        assert!(causal_mask(3, 2, &Device::Cpu).is_err());
        let p = padding_mask(&Tensor::new(&[[1u32, 1, 0]], &Device::Cpu).unwrap())
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        assert_eq!(p, vec![0.0, 0.0, MASKED]);
    }
}
