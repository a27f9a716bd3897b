//! Optimisers: the update rules that turn gradients into new parameters.
//!
//! Each optimiser works on a [`Params`] list (named candle `Var`s, names
//! sorted, usually all of a `candle_nn::VarMap`) and follows PyTorch 2.5's
//! single-tensor code path operation by operation, in `f32`, so after ten
//! steps the parameters agree with `torch.optim` to about 1e-7 (see
//! `tools/reference/optim_golden.py` and `tests/optim_parity.rs`).
//!
//! The update of each parameter is one fused loop over its elements, written
//! into the variable in place (a candle in-place custom op), like PyTorch's
//! `fused=True` Adam: candle would otherwise allocate a tensor for each of
//! the dozen intermediate results. The buffers are plain `f32` vectors.
//!
//! Their state (moment buffers, per-parameter step counts) is exported as
//! named tensors plus scalars ([`OptimizerState`]) so a checkpoint can hold it
//! and a resumed run continues bit for bit.
//!
//! Cost per step: O(P) time for P parameters and, in memory, one to three
//! P-sized buffers (SGD with momentum: 1, RMSProp: 1 to 3, Adam: 2, with
//! AMSGrad: 3).

mod adam;
mod rmsprop;
mod sgd;

pub use adam::{Adam, AdamConfig};
pub use rmsprop::{RmsProp, RmsPropConfig};
pub use sgd::{Sgd, SgdConfig};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use candle_core::backprop::GradStore;
use candle_core::{Tensor, Var};
use candle_nn::VarMap;

use crate::error::{NnError, Result};

/// The parameters an optimiser updates: candle variables with their names,
/// sorted by name so every run visits them in the same order.
#[derive(Clone, Debug)]
pub struct Params {
    names: Vec<String>,
    vars: Vec<Var>,
}

impl Params {
    /// All variables of a `VarMap`, sorted by name.
    pub fn from_varmap(varmap: &VarMap) -> Self {
        let data = varmap.data().lock().expect("VarMap lock poisoned");
        let mut pairs: Vec<(String, Var)> =
            data.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        drop(data);
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let (names, vars) = pairs.into_iter().unzip();
        Params { names, vars }
    }

    /// Named variables in any order (sorted here by name).
    pub fn new(mut pairs: Vec<(String, Var)>) -> Self {
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let (names, vars) = pairs.into_iter().unzip();
        Params { names, vars }
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn vars(&self) -> &[Var] {
        &self.vars
    }

    pub fn len(&self) -> usize {
        self.vars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// `(name, var)` pairs in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Var)> {
        self.names.iter().map(String::as_str).zip(self.vars.iter())
    }
}

/// An optimiser's state for a checkpoint: buffers as named tensors
/// (`"<buffer>.<parameter name>"`, e.g. `exp_avg.fc.weight`) and scalars
/// (`"step.<parameter name>"`). `kind` names the optimiser so that loading an
/// Adam state into SGD fails with a clear message.
#[derive(Clone, Debug, Default)]
pub struct OptimizerState {
    pub kind: String,
    pub tensors: BTreeMap<String, Tensor>,
    pub scalars: BTreeMap<String, f64>,
}

/// Any of the optimisers with its settings, as a configuration file or the
/// CLI names it (`{"kind": "adamw", "lr": 3e-4, ...}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OptimizerConfig {
    Sgd(SgdConfig),
    #[serde(rename = "rmsprop")]
    RmsProp(RmsPropConfig),
    /// Adam; `decoupled_weight_decay` is forced off.
    Adam(AdamConfig),
    /// AdamW; `decoupled_weight_decay` is forced on.
    #[serde(rename = "adamw")]
    AdamW(AdamConfig),
}

impl Default for OptimizerConfig {
    fn default() -> Self {
        OptimizerConfig::AdamW(AdamConfig::adamw())
    }
}

impl OptimizerConfig {
    /// The optimiser over `params`.
    pub fn build(&self, params: Params) -> Result<Box<dyn Optimizer>> {
        Ok(match self {
            OptimizerConfig::Sgd(c) => Box::new(Sgd::new(params, c.clone())?),
            OptimizerConfig::RmsProp(c) => Box::new(RmsProp::new(params, c.clone())?),
            OptimizerConfig::Adam(c) => Box::new(Adam::new(
                params,
                AdamConfig {
                    decoupled_weight_decay: false,
                    ..c.clone()
                },
            )?),
            OptimizerConfig::AdamW(c) => Box::new(Adam::new(
                params,
                AdamConfig {
                    decoupled_weight_decay: true,
                    ..c.clone()
                },
            )?),
        })
    }
}

/// An update rule over a fixed list of parameters.
pub trait Optimizer {
    /// One update from the gradients in `grads`; parameters without a
    /// gradient are left alone (as PyTorch skips `grad is None`).
    fn step(&mut self, grads: &GradStore) -> Result<()>;
    fn learning_rate(&self) -> f64;
    fn set_learning_rate(&mut self, lr: f64);
    /// The parameters this optimiser updates.
    fn params(&self) -> &Params;
    /// Buffers and step counts, for a checkpoint.
    fn state(&self) -> Result<OptimizerState>;
    /// Restores what [`Optimizer::state`] returned; checks the optimiser kind
    /// and every buffer's shape.
    fn load_state(&mut self, state: &OptimizerState) -> Result<()>;
}

/// Per-parameter step counts as scalars `step.<name>`.
pub(crate) fn export_steps(params: &Params, steps: &[u64], out: &mut BTreeMap<String, f64>) {
    for (name, &s) in params.names().iter().zip(steps) {
        out.insert(format!("step.{name}"), s as f64);
    }
}

pub(crate) fn import_steps(params: &Params, state: &OptimizerState) -> Vec<u64> {
    params
        .names()
        .iter()
        .map(|n| {
            state
                .scalars
                .get(&format!("step.{n}"))
                .map_or(0, |&s| s as u64)
        })
        .collect()
}

pub(crate) fn check_kind(expected: &str, state: &OptimizerState) -> Result<()> {
    if state.kind != expected {
        return Err(NnError::Config(format!(
            "optimiser state is for {:?}, this optimiser is {expected:?}",
            state.kind
        )));
    }
    Ok(())
}

pub(crate) fn check_lr(lr: f64) -> Result<()> {
    if !(lr.is_finite() && lr >= 0.0) {
        return Err(NnError::Config(format!(
            "learning rate must be finite and >= 0, got {lr}"
        )));
    }
    Ok(())
}

/// Per-parameter buffers of one kind (e.g. Adam's first moments) as plain
/// `f32` vectors, `None` until the parameter's first update (as PyTorch's
/// lazily created state). The updates are one fused loop over the elements,
/// with no tensor per intermediate result.
#[derive(Clone, Debug)]
pub(crate) struct VecBuffers {
    pub(crate) name: &'static str,
    pub(crate) slots: Vec<Option<Vec<f32>>>,
}

impl VecBuffers {
    pub(crate) fn new(name: &'static str, n: usize) -> Self {
        VecBuffers {
            name,
            slots: vec![None; n],
        }
    }

    pub(crate) fn export(&self, params: &Params, out: &mut BTreeMap<String, Tensor>) -> Result<()> {
        for (slot, (name, var)) in self.slots.iter().zip(params.iter()) {
            if let Some(v) = slot {
                let t = Tensor::from_slice(v, var.dims(), var.device())?;
                out.insert(format!("{}.{}", self.name, name), t);
            }
        }
        Ok(())
    }

    pub(crate) fn import(&mut self, params: &Params, state: &OptimizerState) -> Result<()> {
        for (i, (name, var)) in params.iter().enumerate() {
            let key = format!("{}.{}", self.name, name);
            self.slots[i] = match state.tensors.get(&key) {
                None => None,
                Some(t) => {
                    if t.dims() != var.dims() {
                        return Err(NnError::Shape(format!(
                            "optimiser buffer {key} has shape {:?}, parameter {name} has {:?}",
                            t.dims(),
                            var.dims()
                        )));
                    }
                    Some(f32_vec(t)?)
                }
            };
        }
        Ok(())
    }
}

/// The elements of a tensor as `f32`, row-major.
pub(crate) fn f32_vec(t: &Tensor) -> Result<Vec<f32>> {
    Ok(t.flatten_all()?
        .to_dtype(candle_core::DType::F32)?
        .to_vec1::<f32>()?)
}

/// Runs `f(θ, g)` over a variable's elements in place (θ mutable) with its
/// gradient, as one fused pass: no tensor per intermediate result and no copy
/// of the parameters. CPU and `f32` only (the crate's setting); the variable
/// is written in place as `Var::set` would.
pub(crate) fn update_in_place(
    var: &Var,
    grad: &Tensor,
    f: impl FnMut(&mut [f32], &[f32]),
) -> Result<()> {
    if var.dtype() != candle_core::DType::F32 || grad.dims() != var.dims() {
        return Err(NnError::Config(format!(
            "optimiser: parameter {:?} {:?} with gradient {:?} {:?} (f32, same shape needed)",
            var.dtype(),
            var.dims(),
            grad.dtype(),
            grad.dims()
        )));
    }
    let grad = grad.to_dtype(candle_core::DType::F32)?.contiguous()?;
    let op = InPlace(std::cell::RefCell::new(f));
    Ok(var.as_tensor().inplace_op2(&grad, &op)?)
}

struct InPlace<F>(std::cell::RefCell<F>);

impl<F: FnMut(&mut [f32], &[f32])> candle_core::InplaceOp2 for InPlace<F> {
    fn name(&self) -> &'static str {
        "journey-optimiser-update"
    }

    fn cpu_fwd(
        &self,
        s1: &mut candle_core::CpuStorage,
        l1: &candle_core::Layout,
        s2: &candle_core::CpuStorage,
        l2: &candle_core::Layout,
    ) -> candle_core::Result<()> {
        use candle_core::CpuStorage::F32;
        let (F32(theta), F32(g)) = (s1, s2) else {
            candle_core::bail!("optimiser update: f32 tensors expected")
        };
        let (Some((a, b)), Some((c, d))) = (l1.contiguous_offsets(), l2.contiguous_offsets())
        else {
            candle_core::bail!("optimiser update: contiguous tensors expected")
        };
        (self.0.borrow_mut())(&mut theta[a..b], &g[c..d]);
        Ok(())
    }
}
