//! RMSProp (Tieleman and Hinton, COURSERA "Neural Networks for Machine
//! Learning", lecture 6.5, 2012), with the centred variant and momentum of
//! Graves, "Generating sequences with recurrent neural networks" (2013, eq.
//! 38-41), exactly as `torch.optim.RMSprop`:
//!
//! ```text
//! g  <- grad + weight_decay * θ
//! v  <- α v + (1 - α) g²
//! m  <- lerp(m, g, 1 - α);  d <- sqrt(v - m²) + ε     (centred)
//!                           d <- sqrt(v) + ε          (plain)
//! b  <- momentum * b + g / d;  θ <- θ - lr * b         (momentum > 0)
//! θ  <- θ - lr * g / d                                  (otherwise)
//! ```
//!
//! Cost: O(P) per step; one to three P-sized buffers (v, and m if centred, b
//! if momentum > 0).

use candle_core::backprop::GradStore;
use serde::{Deserialize, Serialize};

use super::{
    add_scaled, check_kind, check_lr, export_steps, import_steps, lerp, Buffers, Optimizer,
    OptimizerState, Params,
};
use crate::error::{NnError, Result};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RmsPropConfig {
    pub lr: f64,
    pub alpha: f64,
    pub eps: f64,
    pub weight_decay: f64,
    pub momentum: f64,
    pub centered: bool,
}

impl Default for RmsPropConfig {
    fn default() -> Self {
        RmsPropConfig {
            lr: 1e-2,
            alpha: 0.99,
            eps: 1e-8,
            weight_decay: 0.0,
            momentum: 0.0,
            centered: false,
        }
    }
}

pub struct RmsProp {
    params: Params,
    config: RmsPropConfig,
    square_avg: Buffers,
    grad_avg: Buffers,
    momentum: Buffers,
    steps: Vec<u64>,
}

impl RmsProp {
    pub fn new(params: Params, config: RmsPropConfig) -> Result<Self> {
        check_lr(config.lr)?;
        if !(0.0..=1.0).contains(&config.alpha) || config.eps < 0.0 || config.momentum < 0.0 {
            return Err(NnError::Config(
                "RMSProp needs 0 <= alpha <= 1, eps >= 0, momentum >= 0".into(),
            ));
        }
        let n = params.len();
        Ok(RmsProp {
            params,
            config,
            square_avg: Buffers::new("square_avg", n),
            grad_avg: Buffers::new("grad_avg", n),
            momentum: Buffers::new("momentum_buffer", n),
            steps: vec![0; n],
        })
    }

    pub fn config(&self) -> &RmsPropConfig {
        &self.config
    }
}

impl Optimizer for RmsProp {
    fn step(&mut self, grads: &GradStore) -> Result<()> {
        let c = &self.config;
        for (i, var) in self.params.vars().iter().enumerate() {
            let Some(grad) = grads.get(var.as_tensor()) else {
                continue;
            };
            let theta = var.as_tensor();
            self.steps[i] += 1;
            let mut g = grad.clone();
            if c.weight_decay != 0.0 {
                g = add_scaled(&g, theta, c.weight_decay)?;
            }
            let v = match &self.square_avg.slots[i] {
                Some(v) => v.affine(c.alpha, 0.0)?,
                None => g.zeros_like()?,
            };
            // addcmul: v + (1 - α) * g * g
            let v = v.add(&g.affine(1.0 - c.alpha, 0.0)?.mul(&g)?)?;
            let avg = if c.centered {
                let m = match &self.grad_avg.slots[i] {
                    Some(m) => m.clone(),
                    None => g.zeros_like()?,
                };
                let m = lerp(&m, &g, 1.0 - c.alpha)?;
                let avg = v.sub(&m.mul(&m)?)?.sqrt()?;
                self.grad_avg.slots[i] = Some(m);
                avg
            } else {
                v.sqrt()?
            };
            self.square_avg.slots[i] = Some(v);
            let avg = avg.affine(1.0, c.eps)?;
            let new_theta = if c.momentum > 0.0 {
                let b = match &self.momentum.slots[i] {
                    Some(b) => b.affine(c.momentum, 0.0)?,
                    None => g.zeros_like()?,
                };
                let b = b.add(&g.div(&avg)?)?;
                let t = add_scaled(theta, &b, -c.lr)?;
                self.momentum.slots[i] = Some(b);
                t
            } else {
                // addcdiv: θ + (-lr) * (g / d)
                add_scaled(theta, &g.div(&avg)?, -c.lr)?
            };
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
            kind: "rmsprop".into(),
            ..Default::default()
        };
        self.square_avg.export(&self.params, &mut s.tensors);
        self.grad_avg.export(&self.params, &mut s.tensors);
        self.momentum.export(&self.params, &mut s.tensors);
        export_steps(&self.params, &self.steps, &mut s.scalars);
        Ok(s)
    }

    fn load_state(&mut self, state: &OptimizerState) -> Result<()> {
        check_kind("rmsprop", state)?;
        self.square_avg.import(&self.params, state)?;
        self.grad_avg.import(&self.params, state)?;
        self.momentum.import(&self.params, state)?;
        self.steps = import_steps(&self.params, state);
        Ok(())
    }
}
