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
    check_kind, check_lr, export_steps, import_steps, update_in_place, Optimizer, OptimizerState,
    Params, VecBuffers,
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
    exp_avg: VecBuffers,
    exp_avg_sq: VecBuffers,
    max_exp_avg_sq: VecBuffers,
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
            exp_avg: VecBuffers::new("exp_avg", n),
            exp_avg_sq: VecBuffers::new("exp_avg_sq", n),
            max_exp_avg_sq: VecBuffers::new("max_exp_avg_sq", n),
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

/// The step's scalars, in `f32` as PyTorch's kernels use them.
struct Consts {
    /// 1 - lr·λ for AdamW, 1 otherwise (exact no-op).
    decay: f32,
    /// λ for Adam's L2 term, 0 otherwise (exact no-op).
    l2: f32,
    w1: f32,
    beta2: f32,
    w2: f32,
    eps: f32,
    bc2_sqrt: f32,
    neg_step: f32,
}

impl Consts {
    /// Decays θ, updates m and v; returns the new v.
    #[inline(always)]
    fn moments(&self, p: &mut f32, g: f32, m: &mut f32, v: &mut f32) -> f32 {
        *p *= self.decay;
        let g = g + self.l2 * *p;
        // lerp(m, g, w1), aten's two branches
        *m = if self.w1 < 0.5 {
            *m + self.w1 * (g - *m)
        } else {
            g - (g - *m) * (1.0 - self.w1)
        };
        *v = *v * self.beta2 + self.w2 * g * g;
        *v
    }

    /// θ ← θ - step · m / (sqrt(v) / sqrt(1 - β2^t) + ε)
    #[inline(always)]
    fn apply(&self, p: &mut f32, m: f32, v: f32) {
        let denom = v.sqrt() / self.bc2_sqrt + self.eps;
        *p += self.neg_step * (m / denom);
    }
}

impl Optimizer for Adam {
    /// One fused pass over each parameter's elements, in `f32`, with
    /// PyTorch's order of operations (its scalars rounded to `f32`).
    fn step(&mut self, grads: &GradStore) -> Result<()> {
        let c = &self.config;
        for (i, var) in self.params.vars().iter().enumerate() {
            let Some(grad) = grads.get(var.as_tensor()) else {
                continue;
            };
            self.steps[i] += 1;
            let t = self.steps[i] as f64;
            let n = var.elem_count();
            let m = self.exp_avg.slots[i].get_or_insert_with(|| vec![0.0; n]);
            let v = self.exp_avg_sq.slots[i].get_or_insert_with(|| vec![0.0; n]);
            let mut vmax = if c.amsgrad {
                Some(self.max_exp_avg_sq.slots[i].get_or_insert_with(|| vec![0.0; n]))
            } else {
                None
            };
            let step_size = c.lr / (1.0 - c.beta1.powf(t));
            let bc2_sqrt = (1.0 - c.beta2.powf(t)).sqrt() as f32;
            let neg_step = -step_size as f32;
            let decay = (1.0 - c.lr * c.weight_decay) as f32;
            let decoupled = c.decoupled_weight_decay && c.weight_decay != 0.0;
            let l2 = if c.decoupled_weight_decay {
                0.0
            } else {
                c.weight_decay as f32
            };
            let (w1, beta2, w2, eps) = (
                (1.0 - c.beta1) as f32,
                c.beta2 as f32,
                (1.0 - c.beta2) as f32,
                c.eps as f32,
            );
            let k = Consts {
                decay: if decoupled { decay } else { 1.0 },
                l2,
                w1,
                beta2,
                w2,
                eps,
                bc2_sqrt,
                neg_step,
            };
            update_in_place(var, grad, |theta, g| match vmax.as_mut() {
                None => {
                    for (((p, &g), m), v) in
                        theta.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut())
                    {
                        let v = k.moments(p, g, m, v);
                        k.apply(p, *m, v);
                    }
                }
                Some(vmax) => {
                    let it = theta.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut());
                    for ((((p, &g), m), v), vmax) in it.zip(vmax.iter_mut()) {
                        let v = k.moments(p, g, m, v);
                        *vmax = vmax.max(v);
                        k.apply(p, *m, *vmax);
                    }
                }
            })?;
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
        self.exp_avg.export(&self.params, &mut s.tensors)?;
        self.exp_avg_sq.export(&self.params, &mut s.tensors)?;
        self.max_exp_avg_sq.export(&self.params, &mut s.tensors)?;
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
