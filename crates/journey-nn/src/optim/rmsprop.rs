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
    check_kind, check_lr, export_steps, import_steps, update_in_place, Optimizer, OptimizerState,
    Params, VecBuffers,
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
    square_avg: VecBuffers,
    grad_avg: VecBuffers,
    momentum: VecBuffers,
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
            square_avg: VecBuffers::new("square_avg", n),
            grad_avg: VecBuffers::new("grad_avg", n),
            momentum: VecBuffers::new("momentum_buffer", n),
            steps: vec![0; n],
        })
    }

    pub fn config(&self) -> &RmsPropConfig {
        &self.config
    }
}

/// The step's scalars, in `f32` as PyTorch's kernels use them.
struct Consts {
    wd: f32,
    alpha: f32,
    /// 1 - α
    w: f32,
    eps: f32,
    mu: f32,
    neg_lr: f32,
}

impl Consts {
    /// The update of one parameter; the settings are constants so that each
    /// of the four loops is compiled without branches.
    #[inline(always)]
    fn run<const CENTERED: bool, const MOMENTUM: bool>(
        &self,
        theta: &mut [f32],
        g: &[f32],
        v: &mut [f32],
        m: &mut [f32],
        b: &mut [f32],
    ) {
        let n = theta.len();
        let (g, v) = (&g[..n], &mut v[..n]);
        let m = if CENTERED { &mut m[..n] } else { &mut m[..0] };
        let b = if MOMENTUM { &mut b[..n] } else { &mut b[..0] };
        for j in 0..n {
            let p = theta[j];
            let g = g[j] + self.wd * p;
            v[j] = v[j] * self.alpha + self.w * g * g;
            let avg = if CENTERED {
                // lerp(m, g, 1 - α), aten's two branches
                m[j] = if self.w < 0.5 {
                    m[j] + self.w * (g - m[j])
                } else {
                    g - (g - m[j]) * (1.0 - self.w)
                };
                (v[j] - m[j] * m[j]).sqrt()
            } else {
                v[j].sqrt()
            } + self.eps;
            theta[j] = if MOMENTUM {
                b[j] = b[j] * self.mu + g / avg;
                p + self.neg_lr * b[j]
            } else {
                p + self.neg_lr * (g / avg)
            };
        }
    }
}

impl Optimizer for RmsProp {
    /// One fused pass per parameter, in `f32`, in PyTorch's order of
    /// operations.
    fn step(&mut self, grads: &GradStore) -> Result<()> {
        let c = &self.config;
        let (wd, alpha, w, eps, mu, neg_lr) = (
            c.weight_decay as f32,
            c.alpha as f32,
            (1.0 - c.alpha) as f32,
            c.eps as f32,
            c.momentum as f32,
            -c.lr as f32,
        );
        let (centered, momentum) = (c.centered, c.momentum > 0.0);
        for (i, var) in self.params.vars().iter().enumerate() {
            let Some(grad) = grads.get(var.as_tensor()) else {
                continue;
            };
            self.steps[i] += 1;
            let n = var.elem_count();
            let v = self.square_avg.slots[i].get_or_insert_with(|| vec![0.0; n]);
            // Unused buffers stay empty (zip stops at the shortest slice, so
            // they are only zipped in when the setting needs them).
            let mut none = Vec::new();
            let m = if centered {
                self.grad_avg.slots[i].get_or_insert_with(|| vec![0.0; n])
            } else {
                &mut none
            };
            let mut none_b = Vec::new();
            let b = if momentum {
                self.momentum.slots[i].get_or_insert_with(|| vec![0.0; n])
            } else {
                &mut none_b
            };
            let k = Consts {
                wd,
                alpha,
                w,
                eps,
                mu,
                neg_lr,
            };
            update_in_place(var, grad, |theta, g| match (centered, momentum) {
                (false, false) => k.run::<false, false>(theta, g, v, m, b),
                (false, true) => k.run::<false, true>(theta, g, v, m, b),
                (true, false) => k.run::<true, false>(theta, g, v, m, b),
                (true, true) => k.run::<true, true>(theta, g, v, m, b),
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
            kind: "rmsprop".into(),
            ..Default::default()
        };
        self.square_avg.export(&self.params, &mut s.tensors)?;
        self.grad_avg.export(&self.params, &mut s.tensors)?;
        self.momentum.export(&self.params, &mut s.tensors)?;
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
