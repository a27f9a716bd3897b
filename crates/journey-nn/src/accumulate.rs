//! Gradient accumulation: the gradients of k micro-batches are summed (or
//! averaged) before one optimiser step, so a batch too large for memory is
//! processed in pieces. With a loss that is a mean over examples, the mean of
//! k equal-sized micro-batch gradients equals the gradient of the k-times
//! larger batch (up to float rounding), which `tests/accumulate.rs` checks.
//!
//! Cost: O(P) time per micro-batch and one P-sized sum buffer.

use candle_core::backprop::GradStore;
use candle_core::{DType, Device, Tensor};

use crate::error::{NnError, Result};
use crate::optim::Params;

/// A `GradStore` with no gradients. candle does not export its constructor;
/// the backward pass of a constant holds only the constant's own gradient,
/// which is removed.
pub fn empty_grad_store() -> Result<GradStore> {
    let t = Tensor::zeros((), DType::F32, &Device::Cpu)?;
    let mut g = t.backward()?;
    g.remove(&t);
    Ok(g)
}

/// Sums the gradients of `params` over micro-batches.
pub struct GradAccumulator {
    params: Params,
    sums: Vec<Option<Tensor>>,
    count: usize,
}

impl GradAccumulator {
    pub fn new(params: Params) -> Self {
        let n = params.len();
        GradAccumulator {
            params,
            sums: vec![None; n],
            count: 0,
        }
    }

    /// Adds one micro-batch's gradients (only those of the parameters are
    /// kept; the store's intermediate gradients are dropped with it).
    pub fn add(&mut self, grads: &GradStore) -> Result<()> {
        for (slot, var) in self.sums.iter_mut().zip(self.params.vars()) {
            if let Some(g) = grads.get(var.as_tensor()) {
                *slot = Some(match slot.take() {
                    None => g.clone(),
                    Some(s) => s.add(g)?,
                });
            }
        }
        self.count += 1;
        Ok(())
    }

    /// Micro-batches added since the last reset.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The summed gradients, as a `GradStore` for an optimiser; resets.
    pub fn sum(&mut self) -> Result<GradStore> {
        self.finish(1.0)
    }

    /// The gradients averaged over the micro-batches added; resets.
    pub fn mean(&mut self) -> Result<GradStore> {
        if self.count == 0 {
            return Err(NnError::Empty("no micro-batch gradients to average".into()));
        }
        let scale = 1.0 / self.count as f64;
        self.finish(scale)
    }

    fn finish(&mut self, scale: f64) -> Result<GradStore> {
        let mut store = empty_grad_store()?;
        for (slot, var) in self.sums.iter_mut().zip(self.params.vars()) {
            if let Some(s) = slot.take() {
                let g = if scale == 1.0 {
                    s
                } else {
                    s.affine(scale, 0.0)?
                };
                store.insert(var.as_tensor(), g);
            }
        }
        self.count = 0;
        Ok(store)
    }
}
