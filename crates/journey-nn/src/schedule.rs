//! Learning-rate schedules: the rate for each optimiser step.
//!
//! * constant;
//! * step decay, `lr · γ^⌊t / s⌋` (`torch.optim.lr_scheduler.StepLR`);
//! * linear warm-up then linear decay to zero (Devlin et al., BERT, 2019;
//!   HF transformers' `get_linear_schedule_with_warmup`):
//!   `lr · t / w` for `t < w`, then `lr · max(0, (T - t) / (T - w))`;
//! * linear warm-up then cosine decay to a floor (Loshchilov and Hutter,
//!   "SGDR", ICLR 2017), in nanoGPT's `get_lr` form:
//!   `lr · (t + 1) / (w + 1)` for `t < w`; `min_lr` for `t > D`; otherwise
//!   `min_lr + ½ (1 + cos(π (t - w) / (D - w))) (lr - min_lr)`.
//!
//! `t` counts optimiser steps from 0: `lr_at(t)` is the rate used by step t.
//! Checked against torch's schedulers in `tests/optim_parity.rs`.
//!
//! Cost: O(1) per step.

use serde::{Deserialize, Serialize};

use crate::error::{NnError, Result};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    Constant {
        lr: f64,
    },
    StepDecay {
        lr: f64,
        step_size: u64,
        gamma: f64,
    },
    WarmupLinear {
        lr: f64,
        warmup_steps: u64,
        total_steps: u64,
    },
    WarmupCosine {
        lr: f64,
        warmup_steps: u64,
        decay_steps: u64,
        min_lr: f64,
    },
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule::Constant { lr: 1e-3 }
    }
}

impl Schedule {
    /// Checks the settings (a zero step size, a decay that ends before the
    /// warm-up, negative rates).
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(NnError::Config(format!("schedule: {m}")));
        let lr = self.base_lr();
        if !(lr.is_finite() && lr >= 0.0) {
            return bad(format!("lr must be finite and >= 0, got {lr}"));
        }
        match *self {
            Schedule::Constant { .. } => Ok(()),
            Schedule::StepDecay {
                step_size, gamma, ..
            } => {
                if step_size == 0 || !(gamma.is_finite() && gamma > 0.0) {
                    bad(format!(
                        "step decay needs step_size > 0 and gamma > 0, got {step_size} and {gamma}"
                    ))
                } else {
                    Ok(())
                }
            }
            Schedule::WarmupLinear {
                warmup_steps,
                total_steps,
                ..
            } => {
                if total_steps <= warmup_steps {
                    bad(format!(
                        "total_steps ({total_steps}) must exceed warmup_steps ({warmup_steps})"
                    ))
                } else {
                    Ok(())
                }
            }
            Schedule::WarmupCosine {
                warmup_steps,
                decay_steps,
                min_lr,
                ..
            } => {
                if decay_steps <= warmup_steps || !(0.0..=lr).contains(&min_lr) {
                    bad(format!(
                        "decay_steps ({decay_steps}) must exceed warmup_steps ({warmup_steps}) and 0 <= min_lr ({min_lr}) <= lr ({lr})"
                    ))
                } else {
                    Ok(())
                }
            }
        }
    }

    /// The peak (or only) learning rate.
    pub fn base_lr(&self) -> f64 {
        match *self {
            Schedule::Constant { lr }
            | Schedule::StepDecay { lr, .. }
            | Schedule::WarmupLinear { lr, .. }
            | Schedule::WarmupCosine { lr, .. } => lr,
        }
    }

    /// The learning rate of optimiser step `t` (from 0).
    pub fn lr_at(&self, t: u64) -> f64 {
        match *self {
            Schedule::Constant { lr } => lr,
            Schedule::StepDecay {
                lr,
                step_size,
                gamma,
            } => {
                // StepLR multiplies the rate by γ at each boundary; repeated
                // multiplication keeps its rounding.
                let mut rate = lr;
                for _ in 0..t / step_size.max(1) {
                    rate *= gamma;
                }
                rate
            }
            Schedule::WarmupLinear {
                lr,
                warmup_steps,
                total_steps,
            } => {
                let factor = if t < warmup_steps {
                    t as f64 / warmup_steps.max(1) as f64
                } else {
                    (total_steps.saturating_sub(t)) as f64
                        / (total_steps.saturating_sub(warmup_steps)).max(1) as f64
                };
                lr * factor
            }
            Schedule::WarmupCosine {
                lr,
                warmup_steps,
                decay_steps,
                min_lr,
            } => {
                if t < warmup_steps {
                    lr * (t + 1) as f64 / (warmup_steps + 1) as f64
                } else if t > decay_steps {
                    min_lr
                } else {
                    let ratio = (t - warmup_steps) as f64 / (decay_steps - warmup_steps) as f64;
                    let coeff = 0.5 * (1.0 + (std::f64::consts::PI * ratio).cos());
                    min_lr + coeff * (lr - min_lr)
                }
            }
        }
    }
}
