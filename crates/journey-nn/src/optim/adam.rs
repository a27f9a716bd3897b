//! Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR
//! 2015, algorithm 1), AdamW's decoupled weight decay (Loshchilov and Hutter,
//! "Decoupled Weight Decay Regularization", ICLR 2019, algorithm 2) and
//! AMSGrad (Reddi, Kale and Kumar, "On the Convergence of Adam and Beyond",
//! ICLR 2018), exactly as `torch.optim.Adam` / `torch.optim.AdamW`:
//!
//! ```text
//! t  <- t + 1
//! θ  <- θ (1 - lr λ)                       (AdamW: decoupled decay)
//! g  <- grad + λ θ                         (Adam: L2 decay in the gradient)
//! m  <- lerp(m, g, 1 - β1)                 = β1 m + (1 - β1) g
//! v  <- β2 v + (1 - β2) g²
//! v̂  <- max(v̂, v)                          (AMSGrad; v̂ replaces v below)
//! θ  <- θ - lr / (1 - β1^t) * m / (sqrt(v) / sqrt(1 - β2^t) + ε)
//! ```
//!
//! Cost: O(P) per step; two P-sized buffers (three with AMSGrad).

use candle_core::backprop::GradStore;
use serde::{Deserialize, Serialize};

use super::{
    add_scaled, check_kind, check_lr, export_steps, import_steps, lerp, Buffers, Optimizer,
    OptimizerState, Params,
};
use crate::error::{NnError, Result};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdamConfig {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
    /// `true`: AdamW (weight decay applied to the parameters, scaled by the
    /// learning rate); `false`: Adam (L2 term added to the gradient).
    pub decoupled_weight_decay: bool,
    pub amsgrad: bool,
}

impl Default for AdamConfig {
    /// PyTorch's `Adam` defaults.
    fn default() -> Self {
        AdamConfig {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
            decoupled_weight_decay: false,
            amsgrad: false,
        }
    }
}

impl AdamConfig {
    /// PyTorch's `AdamW` defaults (weight decay 0.01, decoupled).
    pub fn adamw() -> Self {
        AdamConfig {
            weight_decay: 1e-2,
            decoupled_weight_decay: true,
            ..Default::default()
        }
    }
}

/// Adam or AdamW (see [`AdamConfig::decoupled_weight_decay`]).
pub struct Adam {
    params: Params,
    config: AdamConfig,
    exp_avg: Buffers,
    exp_avg_sq: Buffers,
    max_exp_avg_sq: Buffers,
    steps: Vec<u64>,
}

impl Adam {
    pub fn new(params: Params, config: AdamConfig) -> Result<Self> {
        check_lr(config.lr)?;
        let ok_beta = |b: f64| (0.0..1.0).contains(&b);
        if !ok_beta(config.beta1) || !ok_beta(config.beta2) || config.eps < 0.0 {
            return Err(NnError::Config(format!(
                "Adam needs 0 <= beta < 1 and eps >= 0, got beta1 {} beta2 {} eps {}",
                config.beta1, config.beta2, config.eps
            )));
        }
        if config.weight_decay < 0.0 {
            return Err(NnError::Config("Adam weight_decay must be >= 0".into()));
        }
        let n = params.len();
        Ok(Adam {
            params,
            config,
            exp_avg: Buffers::new("exp_avg", n),
            exp_avg_sq: Buffers::new("exp_avg_sq", n),
            max_exp_avg_sq: Buffers::new("max_exp_avg_sq", n),
            steps: vec![0; n],
        })
    }

    pub fn config(&self) -> &AdamConfig {
        &self.config
    }

    fn kind(&self) -> &'static str {
        if self.config.decoupled_weight_decay {
            "adamw"
        } else {
            "adam"
        }
    }
}

impl Optimizer for Adam {
    fn step(&mut self, grads: &GradStore) -> Result<()> {
        let c = &self.config;
        for (i, var) in self.params.vars().iter().enumerate() {
            let Some(grad) = grads.get(var.as_tensor()) else {
                continue;
            };
            self.steps[i] += 1;
            let t = self.steps[i];
            let mut theta = var.as_tensor().clone();
            let mut g = grad.clone();
            if c.weight_decay != 0.0 {
                if c.decoupled_weight_decay {
                    theta = theta.affine(1.0 - c.lr * c.weight_decay, 0.0)?;
                } else {
                    g = add_scaled(&g, &theta, c.weight_decay)?;
                }
            }
            let m = match &self.exp_avg.slots[i] {
                Some(m) => m.clone(),
                None => g.zeros_like()?,
            };
            let m = lerp(&m, &g, 1.0 - c.beta1)?;
            let v = match &self.exp_avg_sq.slots[i] {
                Some(v) => v.affine(c.beta2, 0.0)?,
                None => g.zeros_like()?,
            };
            let v = v.add(&g.affine(1.0 - c.beta2, 0.0)?.mul(&g)?)?;
            let bias_correction1 = 1.0 - c.beta1.powf(t as f64);
            let bias_correction2 = 1.0 - c.beta2.powf(t as f64);
            let step_size = c.lr / bias_correction1;
            let bias_correction2_sqrt = bias_correction2.sqrt();
            let second = if c.amsgrad {
                let vmax = match &self.max_exp_avg_sq.slots[i] {
                    Some(vmax) => vmax.maximum(&v)?,
                    None => v.clone(),
                };
                self.max_exp_avg_sq.slots[i] = Some(vmax.clone());
                vmax
            } else {
                v.clone()
            };
            let denom = (second.sqrt()? / bias_correction2_sqrt)?.affine(1.0, c.eps)?;
            let new_theta = add_scaled(&theta, &m.div(&denom)?, -step_size)?;
            self.exp_avg.slots[i] = Some(m);
            self.exp_avg_sq.slots[i] = Some(v);
            var.set(&new_theta)?;
        }
        Ok(())
    }

    fn learning_rate(&self) -> f64 {
        self.config.lr
    }

    fn set_learning_rate(&mut self, lr: f64) {
        self.config.lr = lr;
    }

    fn params(&self) -> &Params {
        &self.params
    }

    fn state(&self) -> Result<OptimizerState> {
        let mut s = OptimizerState {
            kind: self.kind().into(),
            ..Default::default()
        };
        self.exp_avg.export(&self.params, &mut s.tensors);
        self.exp_avg_sq.export(&self.params, &mut s.tensors);
        self.max_exp_avg_sq.export(&self.params, &mut s.tensors);
        export_steps(&self.params, &self.steps, &mut s.scalars);
        Ok(s)
    }

    fn load_state(&mut self, state: &OptimizerState) -> Result<()> {
        check_kind(self.kind(), state)?;
        self.exp_avg.import(&self.params, state)?;
        self.exp_avg_sq.import(&self.params, state)?;
        self.max_exp_avg_sq.import(&self.params, state)?;
        self.steps = import_steps(&self.params, state);
        Ok(())
    }
}
