//! The multi-layer perceptron on candle: `Linear → act → … → Linear`, the
//! tensor twin of [`crate::scalar_mlp::ScalarMlp`] (same layout, same names
//! `layers.{i}.weight` / `layers.{i}.bias` as a PyTorch `ModuleList` of
//! `nn.Linear`, so PyTorch's safetensors load directly), with the numerically
//! stable binary cross-entropy with logits,
//!
//! ```text
//! ℓ(z, y) = max(z, 0) − z y + ln(1 + e^(−|z|))   (= ln(1 + e^z) − z y).
//! ```
//!
//! Parameters live in a candle `VarMap`; [`Mlp::init`] fills it from our
//! seeded [`Rng`] with `torch.nn.Linear`'s default (uniform on ±1/√fan_in for
//! weight and bias), so the same seed gives the same network.
//!
//! Cost: forward O(B · P) for a batch of B and P parameters, one matmul per
//! layer; memory O(B · Σ widths) for the activations autograd keeps.

use candle_core::{DType, Device, Module, Tensor, Var};
use candle_nn::{Linear, VarBuilder, VarMap};
use serde::{Deserialize, Serialize};

use crate::activations::Activation;
use crate::rng::Rng;
use crate::{NnError, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MlpConfig {
    /// [inputs, hidden…, outputs].
    pub sizes: Vec<usize>,
    pub activation: Activation,
}

impl Default for MlpConfig {
    fn default() -> Self {
        MlpConfig {
            sizes: vec![28, 8, 1],
            activation: Activation::Tanh,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Mlp {
    pub layers: Vec<Linear>,
    pub activation: Activation,
}

impl Mlp {
    /// The network over the parameters `vb` holds (or creates).
    pub fn new(config: &MlpConfig, vb: VarBuilder) -> Result<Self> {
        if config.sizes.len() < 2 || config.sizes.contains(&0) {
            return Err(NnError::Config(format!(
                "layer sizes must be at least [inputs, outputs], all positive; got {:?}",
                config.sizes
            )));
        }
        let vb = vb.pp("layers");
        let layers = config
            .sizes
            .windows(2)
            .enumerate()
            .map(|(i, w)| candle_nn::linear(w[0], w[1], vb.pp(i.to_string())))
            .collect::<candle_core::Result<Vec<_>>>()?;
        Ok(Mlp {
            layers,
            activation: config.activation,
        })
    }

    /// Fills `varmap` with freshly initialised parameters (torch.nn.Linear's
    /// default, drawn from `rng`) and builds the network over them.
    pub fn init(
        config: &MlpConfig,
        varmap: &VarMap,
        rng: &mut Rng,
        device: &Device,
    ) -> Result<Self> {
        {
            let mut data = varmap
                .data()
                .lock()
                .map_err(|_| NnError::Config("VarMap lock poisoned".into()))?;
            for (i, w) in config.sizes.windows(2).enumerate() {
                let bound = 1.0 / (w[0] as f64).sqrt();
                let weight = crate::init::uniform(&[w[1], w[0]], -bound, bound, rng, device)?;
                let bias = crate::init::uniform(&[w[1]], -bound, bound, rng, device)?;
                data.insert(format!("layers.{i}.weight"), Var::from_tensor(&weight)?);
                data.insert(format!("layers.{i}.bias"), Var::from_tensor(&bias)?);
            }
        }
        Mlp::new(config, VarBuilder::from_varmap(varmap, DType::F32, device))
    }
}

impl Module for Mlp {
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        let mut h = x.clone();
        for (i, layer) in self.layers.iter().enumerate() {
            h = layer.forward(&h)?;
            if i + 1 < self.layers.len() {
                h = self
                    .activation
                    .forward(&h)
                    .map_err(|e| candle_core::Error::Msg(e.to_string()))?;
            }
        }
        Ok(h)
    }
}

/// Mean binary cross-entropy with logits, in the stable form above.
pub fn bce_with_logits(logits: &Tensor, targets: &Tensor) -> Result<Tensor> {
    if logits.shape() != targets.shape() {
        return Err(NnError::Shape(format!(
            "logits {:?} and targets {:?}",
            logits.dims(),
            targets.dims()
        )));
    }
    let softplus_neg_abs = logits.abs()?.neg()?.exp()?.affine(1.0, 1.0)?.log()?;
    let loss = logits
        .relu()?
        .sub(&logits.mul(targets)?)?
        .add(&softplus_neg_abs)?;
    Ok(loss.mean_all()?)
}

/// Sorted (name, var) pairs of a VarMap: a fixed order for logs and tests.
pub fn named_vars(varmap: &VarMap) -> Vec<(String, Var)> {
    let data = varmap.data().lock().unwrap_or_else(|e| e.into_inner());
    let mut out: Vec<(String, Var)> = data.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gradient_check::check_candle;

    #[test]
    fn same_seed_same_network_and_bce_gradient_checks() {
        let dev = Device::Cpu;
        let config = MlpConfig {
            sizes: vec![3, 5, 1],
            activation: Activation::Tanh,
        };
        let (a, b) = (VarMap::new(), VarMap::new());
        let ma = Mlp::init(&config, &a, &mut Rng::seed(4), &dev).unwrap();
        let mb = Mlp::init(&config, &b, &mut Rng::seed(4), &dev).unwrap();
        let x = Tensor::new(&[[0.1f32, -0.4, 0.9], [1.0, 0.2, -0.3]], &dev).unwrap();
        let ya: Vec<Vec<f32>> = ma.forward(&x).unwrap().to_vec2().unwrap();
        let yb: Vec<Vec<f32>> = mb.forward(&x).unwrap().to_vec2().unwrap();
        assert_eq!(ya, yb);
        let names: Vec<String> = named_vars(&a).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "layers.0.bias",
                "layers.0.weight",
                "layers.1.bias",
                "layers.1.weight"
            ]
        );
        let targets = Tensor::new(&[[1f64], [0.0], [1.0]], &dev).unwrap();
        let logits = Tensor::new(&[[2.5f64], [-30.0], [40.0]], &dev).unwrap();
        let check = check_candle(|z| bce_with_logits(z, &targets), &logits, 1e-6).unwrap();
        assert!(check.max_relative_error < 1e-6, "{check:?}");
        let loss =
            crate::gradient_check::scalar(&bce_with_logits(&logits, &targets).unwrap()).unwrap();
        let expect = ((1.0 + (-2.5f64).exp()).ln()
            + (1.0 + (-30f64).exp()).ln()
            + (1.0 + (-40f64).exp()).ln())
            / 3.0;
        assert!((loss - expect).abs() < 1e-12, "{loss} vs {expect}");
    }
}
