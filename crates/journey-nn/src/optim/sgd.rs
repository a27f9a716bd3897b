//! Stochastic gradient descent with momentum (Polyak, "Some methods of
//! speeding up the convergence of iteration methods", 1964), Nesterov's
//! accelerated variant in the form of Sutskever et al., "On the importance of
//! initialization and momentum in deep learning" (ICML 2013), and L2 weight
//! decay, exactly as `torch.optim.SGD`:
//!
//! ```text
//! g  <- grad + weight_decay * θ
//! b  <- g                                   (first step)
//! b  <- momentum * b + (1 - dampening) * g  (later steps)
//! g  <- g + momentum * b   if nesterov, else  g <- b   (when momentum > 0)
//! θ  <- θ - lr * g
//! ```
//!
//! Cost: O(P) per step; one P-sized momentum buffer when momentum > 0.

use candle_core::backprop::GradStore;
use serde::{Deserialize, Serialize};

use super::{check_kind, check_lr, update_in_place, Optimizer, OptimizerState, Params, VecBuffers};
use crate::error::{NnError, Result};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SgdConfig {
    pub lr: f64,
    pub momentum: f64,
    pub dampening: f64,
    pub nesterov: bool,
    pub weight_decay: f64,
}

impl Default for SgdConfig {
    fn default() -> Self {
        SgdConfig {
            lr: 1e-2,
            momentum: 0.0,
            dampening: 0.0,
            nesterov: false,
            weight_decay: 0.0,
        }
    }
}

pub struct Sgd {
    params: Params,
    config: SgdConfig,
    momentum: VecBuffers,
}

impl Sgd {
    pub fn new(params: Params, config: SgdConfig) -> Result<Self> {
        check_lr(config.lr)?;
        if config.momentum < 0.0 || config.weight_decay < 0.0 {
            return Err(NnError::Config(
                "SGD momentum and weight_decay must be >= 0".into(),
            ));
        }
        if config.nesterov && (config.momentum <= 0.0 || config.dampening != 0.0) {
            return Err(NnError::Config(
                "Nesterov momentum needs momentum > 0 and dampening = 0".into(),
            ));
        }
        let n = params.len();
        Ok(Sgd {
            params,
            config,
            momentum: VecBuffers::new("momentum_buffer", n),
        })
    }

    pub fn config(&self) -> &SgdConfig {
        &self.config
    }
}

impl Optimizer for Sgd {
    /// One fused pass per parameter, in `f32`, in PyTorch's order of
    /// operations.
    fn step(&mut self, grads: &GradStore) -> Result<()> {
        let c = &self.config;
        let (wd, mu, keep, neg_lr) = (
            c.weight_decay as f32,
            c.momentum as f32,
            (1.0 - c.dampening) as f32,
            -c.lr as f32,
        );
        let nesterov = c.nesterov;
        for (i, var) in self.params.vars().iter().enumerate() {
            let Some(grad) = grads.get(var.as_tensor()) else {
                continue;
            };
            if c.momentum == 0.0 {
                update_in_place(var, grad, |theta, g| {
                    for (p, &g) in theta.iter_mut().zip(g) {
                        *p += neg_lr * (g + wd * *p);
                    }
                })?;
                continue;
            }
            let first = self.momentum.slots[i].is_none();
            let n = var.elem_count();
            let buf = self.momentum.slots[i].get_or_insert_with(|| vec![0.0; n]);
            update_in_place(var, grad, |theta, g| {
                let it = theta.iter_mut().zip(g).zip(buf.iter_mut());
                match (first, nesterov) {
                    // The first step copies the gradient into the buffer.
                    (true, _) => {
                        for ((p, &g), b) in it {
                            let g = g + wd * *p;
                            *b = g;
                            *p += neg_lr * if nesterov { g + mu * g } else { g };
                        }
                    }
                    (false, false) => {
                        for ((p, &g), b) in it {
                            let g = g + wd * *p;
                            *b = *b * mu + keep * g;
                            *p += neg_lr * *b;
                        }
                    }
                    (false, true) => {
                        for ((p, &g), b) in it {
                            let g = g + wd * *p;
                            *b = *b * mu + keep * g;
                            *p += neg_lr * (g + mu * *b);
                        }
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
            kind: "sgd".into(),
            ..Default::default()
        };
        self.momentum.export(&self.params, &mut s.tensors)?;
        Ok(s)
    }

    fn load_state(&mut self, state: &OptimizerState) -> Result<()> {
        check_kind("sgd", state)?;
        self.momentum.import(&self.params, state)
    }
}
