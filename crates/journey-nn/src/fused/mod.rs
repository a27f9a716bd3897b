//! Fused CPU kernels with a backward pass, as candle custom ops.
//!
//! candle's own fused `layer_norm`, `rms_norm` and `softmax_last_dim` have no
//! gradient, and the differentiable compositions of primitive ops make one
//! tensor (and one pass over memory) per primitive. The ops here do the
//! forward pass in one pass per row and the backward pass in one more,
//! parallel over rows with rayon, in f32 on the CPU:
//!
//! * [`layer_norm`] — layer normalisation over the last dimension with weight
//!   and bias (gradients for all three),
//! * [`cross_entropy`] — softmax + negative log-likelihood with integer
//!   targets and an ignore index (gradient for the logits),
//! * [`gelu`] — GELU, tanh approximation or exact (erf),
//! * [`causal_attention`] — causal scaled dot-product attention for a batch
//!   of heads, without materialising the attention matrix.
//!
//! Each is checked against the unfused candle composition (values and
//! autograd gradients) in `tests/fused.rs`; reductions over rows (the weight
//! and bias gradients, the loss) sum fixed blocks in a fixed order, so the
//! result does not depend on the number of threads.

pub mod causal_attention;
pub mod cross_entropy;
pub mod gelu;
pub mod layer_norm;

pub use causal_attention::causal_attention;
pub use cross_entropy::cross_entropy;
pub use gelu::{gelu, GeluApproximation};
pub use layer_norm::layer_norm;

use candle_core::backend::BackendStorage;
use candle_core::{CpuStorage, Layout, Storage, Tensor};

/// Rows per block in the row reductions (fixed, so sums are deterministic).
pub(crate) const ROW_BLOCK: usize = 32;

/// The f32 data a custom op's input covers; the public wrappers make inputs
/// contiguous, so a strided layout here is a bug of ours, reported not panicked.
pub(crate) fn f32_slice<'a>(
    op: &str,
    storage: &'a CpuStorage,
    layout: &Layout,
) -> candle_core::Result<&'a [f32]> {
    let data = match storage {
        CpuStorage::F32(v) => v.as_slice(),
        other => candle_core::bail!("{op}: expected f32, got {:?}", other.dtype()),
    };
    match layout.contiguous_offsets() {
        Some((start, end)) => Ok(&data[start..end]),
        None => candle_core::bail!("{op}: input must be contiguous"),
    }
}

/// Runs `f` on the f32 data of a CPU tensor (made contiguous first).
pub(crate) fn with_f32<R>(
    op: &str,
    t: &Tensor,
    f: impl FnOnce(&[f32]) -> candle_core::Result<R>,
) -> candle_core::Result<R> {
    let t = t.contiguous()?;
    let (storage, layout) = t.storage_and_layout();
    match &*storage {
        Storage::Cpu(cpu) => f(f32_slice(op, cpu, layout)?),
        _ => candle_core::bail!("{op}: only the CPU is supported"),
    }
}
