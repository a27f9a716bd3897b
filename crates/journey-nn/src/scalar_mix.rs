//! The scalar mix of ELMo (Peters et al., NAACL 2018, §3.2, eq. 1): a task
//! combines the L + 1 layers of a biLM as
//! `ELMo_k = γ · Σ_j softmax(w)_j · h_{k,j}`, learning the layer weights `w`
//! and the scale `γ` with the task. Layer weights near uniform mean every
//! layer helps; a peaked softmax shows which layer holds what the task needs.
//!
//! Cost: O(L·N·D) time for L layers of N×D features; L + 1 parameters.

use candle_core::{DType, Tensor};
use candle_nn::{Init, VarBuilder};

use crate::{NnError, Result};

pub struct ScalarMix {
    /// Unnormalised layer weights `w` `[L]`.
    weights: Tensor,
    /// The scale `γ` `[1]`.
    gamma: Tensor,
}

impl ScalarMix {
    /// A mix of `layers` layers, starting uniform (`w = 0`) with `γ = 1`, as
    /// ELMo does.
    pub fn new(layers: usize, vb: VarBuilder) -> Result<Self> {
        if layers == 0 {
            return Err(NnError::Config("scalar mix: no layers".into()));
        }
        Ok(Self {
            weights: vb.get_with_hints(layers, "weights", Init::Const(0.0))?,
            gamma: vb.get_with_hints(1, "gamma", Init::Const(1.0))?,
        })
    }

    /// `γ · Σ_j softmax(w)_j · layers[j]`; all layers of one shape.
    pub fn forward(&self, layers: &[Tensor]) -> Result<Tensor> {
        let n = self.weights.dim(0)?;
        if layers.len() != n {
            return Err(NnError::Shape(format!(
                "scalar mix of {n} layers given {}",
                layers.len()
            )));
        }
        let s = candle_nn::ops::softmax(&self.weights, 0)?;
        let mut acc: Option<Tensor> = None;
        for (j, h) in layers.iter().enumerate() {
            if h.dims() != layers[0].dims() {
                return Err(NnError::Shape(format!(
                    "scalar mix: layer {j} is {:?}, layer 0 is {:?}",
                    h.dims(),
                    layers[0].dims()
                )));
            }
            let term = h.broadcast_mul(&s.narrow(0, j, 1)?)?;
            acc = Some(match acc {
                None => term,
                Some(a) => (a + term)?,
            });
        }
        Ok(acc.expect("n > 0").broadcast_mul(&self.gamma)?)
    }

    /// The normalised layer weights `softmax(w)` and `γ`.
    pub fn weights(&self) -> Result<(Vec<f32>, f32)> {
        let s = candle_nn::ops::softmax(&self.weights.to_dtype(DType::F32)?, 0)?;
        Ok((s.to_vec1()?, self.gamma.to_vec1::<f32>()?[0]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;
    use candle_nn::VarMap;

    #[test]
    fn starts_as_the_mean_of_the_layers() {
        let vm = VarMap::new();
        let mix =
            ScalarMix::new(2, VarBuilder::from_varmap(&vm, DType::F32, &Device::Cpu)).unwrap();
        let a = Tensor::new(&[[1f32, 2.0]], &Device::Cpu).unwrap();
        let b = Tensor::new(&[[3f32, 6.0]], &Device::Cpu).unwrap();
        let m = mix
            .forward(&[a.clone(), b])
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        assert_eq!(m, vec![vec![2.0, 4.0]]);
        assert!(mix.forward(&[a]).is_err());
        assert_eq!(mix.weights().unwrap(), (vec![0.5, 0.5], 1.0));
    }
}
