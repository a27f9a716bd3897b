//! Recurrent layers over whole padded batches: Elman RNN, LSTM and GRU cells
//! ([`crate::rnn`], [`crate::lstm`], [`crate::gru`]) stacked `num_layers`
//! deep, optionally bidirectional, with PyTorch's parameter names and layouts
//! (`weight_ih_l0`, `weight_hh_l1_reverse`, ...), so `torch.nn.LSTM` weights
//! saved as safetensors load as they are.
//!
//! Padding never changes the result, as with PyTorch's packed sequences:
//! each sequence `b` has a length `len_b`; the forward direction reads
//! `x_0 .. x_{len_b-1}`, the reverse direction starts at `x_{len_b-1}`;
//! outputs at padded positions are zero and the final states are those at
//! each sequence's last real token. This is done without masking inside the
//! recurrence: the reverse direction reads its input through a gather that
//! reverses each sequence within its own length, so both directions run
//! forward in time; padded steps come after all real steps and cannot reach
//! them; one gather at the end puts outputs back in place.
//!
//! Speed: per layer, the input projections of all time steps and both
//! directions are one batched matmul (`[D, T·B, F] × [D, F, G·H]`). The
//! recurrence itself is one fused candle custom op written here: per step,
//! one GEMM `h_{t-1} W_hhᵀ` plus one pass of pointwise gate arithmetic, both
//! directions in parallel (rayon); the backward pass (BPTT) is hand-written
//! too, with one GEMM per step for the hidden gradient and one large GEMM for
//! `∂L/∂W_hh` over all steps. candle's autograd sees a handful of ops per
//! layer instead of a dozen per time step.
//!
//! Cost: `O(L·D·T·B·G·H·(F + H))` time (G = 1, 3, 4 gates for RNN, GRU,
//! LSTM); memory `O(L·D·T·B·G·H)` for the activations kept for backward.

use std::sync::Mutex;

use candle_core::{CpuStorage, CustomOp3, DType, Layout, Shape, Tensor};
use candle_nn::{Init, VarBuilder};
use gemm::Parallelism;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{NnError, Result};

/// Which recurrent cell a layer uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CellKind {
    /// Elman RNN, `tanh` (PyTorch `nn.RNN(nonlinearity="tanh")`).
    RnnTanh,
    /// Elman RNN, `relu`.
    RnnRelu,
    /// LSTM (PyTorch `nn.LSTM`).
    #[default]
    Lstm,
    /// GRU (PyTorch `nn.GRU`).
    Gru,
}

impl CellKind {
    /// Number of gate blocks stacked in `weight_ih` (rows = gates × hidden).
    pub fn gates(self) -> usize {
        match self {
            CellKind::RnnTanh | CellKind::RnnRelu => 1,
            CellKind::Lstm => 4,
            CellKind::Gru => 3,
        }
    }

    /// Whether the cell carries a memory cell `c` besides `h`.
    pub fn has_cell_state(self) -> bool {
        self == CellKind::Lstm
    }
}

/// The parameters of one direction of one layer, in PyTorch's layout.
#[derive(Clone, Debug)]
pub struct CellParams {
    pub kind: CellKind,
    pub input_size: usize,
    pub hidden_size: usize,
    /// `[G·H, F]`
    pub weight_ih: Tensor,
    /// `[G·H, H]`
    pub weight_hh: Tensor,
    /// `[G·H]`
    pub bias_ih: Option<Tensor>,
    /// `[G·H]`
    pub bias_hh: Option<Tensor>,
}

impl CellParams {
    /// Gets `weight_ih_l{layer}[_reverse]`, `weight_hh_...`, `bias_ih_...`,
    /// `bias_hh_...` from `vb`; new variables are drawn like PyTorch's
    /// `reset_parameters`, uniform in `±1/√H` (see
    /// [`Recurrent::reset_parameters`] for a seeded draw).
    pub fn new(
        kind: CellKind,
        input_size: usize,
        hidden_size: usize,
        layer: usize,
        reverse: bool,
        bias: bool,
        vb: VarBuilder,
    ) -> Result<Self> {
        if input_size == 0 || hidden_size == 0 {
            return Err(NnError::Config(format!(
                "recurrent cell needs input_size and hidden_size > 0 (got {input_size}, {hidden_size})"
            )));
        }
        let suffix = if reverse { "_reverse" } else { "" };
        let g = kind.gates() * hidden_size;
        let bound = 1.0 / (hidden_size as f64).sqrt();
        let init = Init::Uniform {
            lo: -bound,
            up: bound,
        };
        let weight_ih = vb.get_with_hints(
            (g, input_size),
            &format!("weight_ih_l{layer}{suffix}"),
            init,
        )?;
        let weight_hh = vb.get_with_hints(
            (g, hidden_size),
            &format!("weight_hh_l{layer}{suffix}"),
            init,
        )?;
        let (bias_ih, bias_hh) = if bias {
            (
                Some(vb.get_with_hints(g, &format!("bias_ih_l{layer}{suffix}"), init)?),
                Some(vb.get_with_hints(g, &format!("bias_hh_l{layer}{suffix}"), init)?),
            )
        } else {
            (None, None)
        };
        Ok(Self {
            kind,
            input_size,
            hidden_size,
            weight_ih,
            weight_hh,
            bias_ih,
            bias_hh,
        })
    }

    /// `x W_ihᵀ + b_ih` for `x` `[B, F]`.
    pub fn input_projection(&self, x: &Tensor) -> Result<Tensor> {
        let p = x.matmul(&self.weight_ih.t()?)?;
        Ok(match &self.bias_ih {
            Some(b) => p.broadcast_add(b)?,
            None => p,
        })
    }

    /// `h W_hhᵀ + b_hh` for `h` `[B, H]`.
    pub fn hidden_projection(&self, h: &Tensor) -> Result<Tensor> {
        let p = h.matmul(&self.weight_hh.t()?)?;
        Ok(match &self.bias_hh {
            Some(b) => p.broadcast_add(b)?,
            None => p,
        })
    }

    /// The parameters in PyTorch's order.
    pub fn parameters(&self) -> Vec<&Tensor> {
        let mut v = vec![&self.weight_ih, &self.weight_hh];
        v.extend(self.bias_ih.iter());
        v.extend(self.bias_hh.iter());
        v
    }
}

/// Shape and cell of a recurrent layer (the arguments of `torch.nn.LSTM`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecurrentConfig {
    pub cell: CellKind,
    pub input_size: usize,
    pub hidden_size: usize,
    pub num_layers: usize,
    pub bidirectional: bool,
    pub bias: bool,
}

impl Default for RecurrentConfig {
    fn default() -> Self {
        Self {
            cell: CellKind::Lstm,
            input_size: 50,
            hidden_size: 128,
            num_layers: 1,
            bidirectional: false,
            bias: true,
        }
    }
}

/// Hidden state(s) of all layers and directions, PyTorch's `h_n` / `c_n`
/// layout `[num_layers · dirs, B, H]` (layer-major, forward then reverse).
#[derive(Clone, Debug)]
pub struct RecurrentState {
    pub h: Tensor,
    /// LSTM only.
    pub c: Option<Tensor>,
}

/// What [`Recurrent::forward`] returns.
#[derive(Clone, Debug)]
pub struct RecurrentOutput {
    /// `[B, T, dirs · H]`, the last layer's `h_t` (forward, reverse halves);
    /// zero at padded positions.
    pub output: Tensor,
    /// Final states at each sequence's last real token.
    pub state: RecurrentState,
}

/// A stack of recurrent layers (see the module documentation).
#[derive(Clone, Debug)]
pub struct Recurrent {
    config: RecurrentConfig,
    /// `cells[layer][direction]`
    cells: Vec<Vec<CellParams>>,
}

impl Recurrent {
    /// Builds the layer, reading or creating its parameters under `vb` with
    /// PyTorch's names (`weight_ih_l0`, `bias_hh_l1_reverse`, ...).
    pub fn new(config: RecurrentConfig, vb: VarBuilder) -> Result<Self> {
        if config.num_layers == 0 {
            return Err(NnError::Config("recurrent: num_layers must be >= 1".into()));
        }
        let dirs = if config.bidirectional { 2 } else { 1 };
        let mut cells = Vec::with_capacity(config.num_layers);
        for layer in 0..config.num_layers {
            let input = if layer == 0 {
                config.input_size
            } else {
                dirs * config.hidden_size
            };
            let layer_cells = (0..dirs)
                .map(|d| {
                    CellParams::new(
                        config.cell,
                        input,
                        config.hidden_size,
                        layer,
                        d == 1,
                        config.bias,
                        vb.clone(),
                    )
                })
                .collect::<Result<Vec<_>>>()?;
            cells.push(layer_cells);
        }
        Ok(Self { config, cells })
    }

    /// `torch.nn.LSTM(input_size, hidden_size, num_layers, bidirectional=...)`.
    pub fn lstm(
        input_size: usize,
        hidden_size: usize,
        num_layers: usize,
        bidirectional: bool,
        vb: VarBuilder,
    ) -> Result<Self> {
        Self::with_cell(
            CellKind::Lstm,
            input_size,
            hidden_size,
            num_layers,
            bidirectional,
            vb,
        )
    }

    /// `torch.nn.GRU(input_size, hidden_size, num_layers, bidirectional=...)`.
    pub fn gru(
        input_size: usize,
        hidden_size: usize,
        num_layers: usize,
        bidirectional: bool,
        vb: VarBuilder,
    ) -> Result<Self> {
        Self::with_cell(
            CellKind::Gru,
            input_size,
            hidden_size,
            num_layers,
            bidirectional,
            vb,
        )
    }

    /// `torch.nn.RNN(input_size, hidden_size, num_layers, nonlinearity, bidirectional=...)`.
    pub fn rnn(
        input_size: usize,
        hidden_size: usize,
        num_layers: usize,
        nonlinearity: crate::rnn::Nonlinearity,
        bidirectional: bool,
        vb: VarBuilder,
    ) -> Result<Self> {
        let cell = match nonlinearity {
            crate::rnn::Nonlinearity::Tanh => CellKind::RnnTanh,
            crate::rnn::Nonlinearity::Relu => CellKind::RnnRelu,
        };
        Self::with_cell(cell, input_size, hidden_size, num_layers, bidirectional, vb)
    }

    fn with_cell(
        cell: CellKind,
        input_size: usize,
        hidden_size: usize,
        num_layers: usize,
        bidirectional: bool,
        vb: VarBuilder,
    ) -> Result<Self> {
        Self::new(
            RecurrentConfig {
                cell,
                input_size,
                hidden_size,
                num_layers,
                bidirectional,
                bias: true,
            },
            vb,
        )
    }

    pub fn config(&self) -> &RecurrentConfig {
        &self.config
    }

    /// 2 when bidirectional, else 1.
    pub fn num_directions(&self) -> usize {
        self.cells[0].len()
    }

    /// `cells()[layer][direction]`.
    pub fn cells(&self) -> &[Vec<CellParams>] {
        &self.cells
    }

    /// Redraws every parameter uniformly in `±1/√H` (PyTorch's init) from a
    /// seeded generator of ours: same seed, same weights.
    pub fn reset_parameters(&self, seed: u64) -> Result<()> {
        let bound = 1.0 / (self.config.hidden_size as f32).sqrt();
        let mut rng = SplitMix64(seed);
        for layer in &self.cells {
            for cell in layer {
                for p in cell.parameters() {
                    fill_uniform(p, bound, &mut rng)?;
                }
            }
        }
        Ok(())
    }

    /// Runs the stack over `xs` `[B, T, F]`. `lengths` (one per sequence,
    /// each in `1..=T`; `None` = all `T`) marks the real tokens; `initial`
    /// is `h_0` (and `c_0`) in PyTorch's layout, zeros when `None`.
    pub fn forward(
        &self,
        xs: &Tensor,
        lengths: Option<&[usize]>,
        initial: Option<&RecurrentState>,
    ) -> Result<RecurrentOutput> {
        let (batch, time, features) = xs.dims3().map_err(|_| {
            NnError::Shape(format!(
                "recurrent input must be [batch, time, features], got {:?}",
                xs.dims()
            ))
        })?;
        let cfg = &self.config;
        if features != cfg.input_size {
            return Err(NnError::Shape(format!(
                "recurrent input has {features} features, the layer expects {}",
                cfg.input_size
            )));
        }
        if xs.dtype() != DType::F32 {
            return Err(NnError::Shape(format!(
                "recurrent input must be f32, got {:?}",
                xs.dtype()
            )));
        }
        if batch == 0 || time == 0 {
            return Err(NnError::Empty(
                "recurrent input has no sequence or no step".into(),
            ));
        }
        let lens: Vec<usize> = match lengths {
            Some(l) => {
                if l.len() != batch {
                    return Err(NnError::Shape(format!(
                        "{} lengths for a batch of {batch}",
                        l.len()
                    )));
                }
                if let Some((i, &bad)) = l.iter().enumerate().find(|(_, &n)| n == 0 || n > time) {
                    return Err(NnError::Shape(format!(
                        "length of sequence {i} is {bad}, must be in 1..={time}"
                    )));
                }
                l.to_vec()
            }
            None => vec![time; batch],
        };
        let dirs = self.num_directions();
        let hs = cfg.hidden_size;
        let layers = cfg.num_layers;
        let kind = cfg.cell;
        if let Some(st) = initial {
            let want = [layers * dirs, batch, hs];
            if st.h.dims() != want {
                return Err(NnError::Shape(format!(
                    "initial h is {:?}, expected {want:?}",
                    st.h.dims()
                )));
            }
            match (&st.c, kind.has_cell_state()) {
                (Some(c), true) if c.dims() == want => {}
                (None, false) => {}
                (c, _) => {
                    return Err(NnError::Shape(format!(
                        "initial c is {:?}, expected {}",
                        c.as_ref().map(|c| c.dims().to_vec()),
                        if kind.has_cell_state() {
                            format!("{want:?}")
                        } else {
                            "none".into()
                        }
                    )))
                }
            }
        }
        let dev = xs.device();
        // Source step of (direction, sequence, step): reverse direction reads
        // each sequence backwards within its own length.
        let src = |d: usize, b: usize, t: usize| {
            if d == 0 || t >= lens[b] {
                t
            } else {
                lens[b] - 1 - t
            }
        };
        let mut idx_in = Vec::with_capacity(dirs * time * batch);
        for d in 0..dirs {
            for t in 0..time {
                for b in 0..batch {
                    idx_in.push((b * time + src(d, b, t)) as u32);
                }
            }
        }
        let mut idx_out = Vec::with_capacity(dirs * time * batch);
        for b in 0..batch {
            for t in 0..time {
                for d in 0..dirs {
                    idx_out.push(((d * time + src(d, b, t)) * batch + b) as u32);
                }
            }
        }
        let mut idx_h = Vec::with_capacity(dirs * batch);
        let mut idx_c = Vec::with_capacity(dirs * batch);
        for d in 0..dirs {
            for (b, &len) in lens.iter().enumerate() {
                let row = (d * time + len - 1) * batch + b;
                idx_h.push(row as u32);
                idx_c.push((row + dirs * time * batch) as u32);
            }
        }
        let idx_in = Tensor::from_vec(idx_in, dirs * time * batch, dev)?;
        let idx_out = Tensor::from_vec(idx_out, dirs * time * batch, dev)?;
        let idx_h = Tensor::from_vec(idx_h, dirs * batch, dev)?;
        let idx_c = Tensor::from_vec(idx_c, dirs * batch, dev)?;
        let mask = if lens.iter().any(|&l| l < time) {
            let m: Vec<f32> = lens
                .iter()
                .flat_map(|&l| (0..time).map(move |t| if t < l { 1.0 } else { 0.0 }))
                .collect();
            Some(Tensor::from_vec(m, (batch, time, 1), dev)?)
        } else {
            None
        };

        let g = kind.gates() * hs;
        let states = if kind.has_cell_state() { 2 } else { 1 };
        let mut x = xs.contiguous()?;
        let mut h_n = Vec::with_capacity(layers);
        let mut c_n = Vec::with_capacity(layers);
        for (layer, cells) in self.cells.iter().enumerate() {
            let fin = x.dim(2)?;
            // Input projections of every step and direction: one batched matmul.
            let xg = x
                .reshape((batch * time, fin))?
                .index_select(&idx_in, 0)?
                .reshape((dirs, time * batch, fin))?;
            let w_ih = stack(cells.iter().map(|c| &c.weight_ih))?;
            let proj = xg
                .matmul(&w_ih.transpose(1, 2)?)?
                .reshape((dirs, time, batch, g))?
                .contiguous()?;
            let w_hh = stack(cells.iter().map(|c| &c.weight_hh))?.contiguous()?;
            // Initial states and biases travel packed in one flat tensor; the
            // op adds the input-side bias while it reads each step.
            let mut extra = Vec::with_capacity(4);
            match initial {
                Some(st) => {
                    extra.push(st.h.narrow(0, layer * dirs, dirs)?.flatten_all()?);
                    if let Some(c) = &st.c {
                        extra.push(c.narrow(0, layer * dirs, dirs)?.flatten_all()?);
                    }
                }
                None => {
                    for _ in 0..states {
                        extra.push(Tensor::zeros(dirs * batch * hs, DType::F32, dev)?);
                    }
                }
            }
            if cfg.bias {
                let b_ih = stack(cells.iter().map(|c| c.bias_ih.as_ref().expect("bias")))?;
                let b_in = if kind == CellKind::Gru {
                    b_ih
                } else {
                    let b_hh = stack(cells.iter().map(|c| c.bias_hh.as_ref().expect("bias")))?;
                    (b_ih + b_hh)?
                };
                extra.push(b_in.flatten_all()?);
            } else {
                extra.push(Tensor::zeros(dirs * g, DType::F32, dev)?);
            }
            if kind == CellKind::Gru {
                if cfg.bias {
                    extra.push(
                        stack(cells.iter().map(|c| c.bias_hh.as_ref().expect("bias")))?
                            .flatten_all()?,
                    );
                } else {
                    extra.push(Tensor::zeros(dirs * g, DType::F32, dev)?);
                }
            }
            let extra = Tensor::cat(&extra, 0)?;
            let op = RecurrentOp {
                kind,
                dirs,
                time,
                batch,
                hidden: hs,
                saved: Mutex::new(None),
            };
            let res = proj.apply_op3(&w_hh, &extra, op)?;
            let rows = res.reshape((states * dirs * time * batch, hs))?;
            let mut out = rows
                .index_select(&idx_out, 0)?
                .reshape((batch, time, dirs * hs))?;
            if let Some(m) = &mask {
                out = out.broadcast_mul(m)?;
            }
            h_n.push(rows.index_select(&idx_h, 0)?.reshape((dirs, batch, hs))?);
            if kind.has_cell_state() {
                c_n.push(rows.index_select(&idx_c, 0)?.reshape((dirs, batch, hs))?);
            }
            x = out;
        }
        let h = Tensor::cat(&h_n, 0)?;
        let c = if kind.has_cell_state() {
            Some(Tensor::cat(&c_n, 0)?)
        } else {
            None
        };
        Ok(RecurrentOutput {
            output: x,
            state: RecurrentState { h, c },
        })
    }
}

fn stack<'a>(ts: impl Iterator<Item = &'a Tensor>) -> Result<Tensor> {
    let v: Vec<&Tensor> = ts.collect();
    Ok(Tensor::stack(&v, 0)?)
}

/// Overwrites `p` in place with values uniform in `±bound` from `rng`.
pub(crate) fn fill_uniform(p: &Tensor, bound: f32, rng: &mut SplitMix64) -> Result<()> {
    let v: Vec<f32> = (0..p.elem_count())
        .map(|_| (rng.next_f32() * 2.0 - 1.0) * bound)
        .collect();
    p.slice_set(&Tensor::from_vec(v, p.shape(), p.device())?, 0, 0)?;
    Ok(())
}

/// A small seeded generator (SplitMix64, Steele et al. 2014) for
/// reproducible initialisation.
pub(crate) struct SplitMix64(pub u64);

impl SplitMix64 {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn next_f32(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
}

// ---------------------------------------------------------------------------
// The fused recurrence: a candle custom op with a hand-written backward.
// ---------------------------------------------------------------------------

/// What one direction's forward pass keeps for its backward pass.
struct DirSaved {
    /// `[(T+1)·B·H]`, `h_all[0] = h_0`.
    h: Vec<f32>,
    /// LSTM: `[(T+1)·B·H]`, `c[0] = c_0`.
    c: Vec<f32>,
    /// LSTM, GRU: activated gates `[T·B·G·H]`.
    gates: Vec<f32>,
    /// GRU: `W_hn h_{t-1} + b_hn`, `[T·B·H]`.
    ghn: Vec<f32>,
}

struct DirGrads {
    dproj: Vec<f32>,
    dw: Vec<f32>,
    dh0: Vec<f32>,
    dc0: Vec<f32>,
    db_in: Vec<f32>,
    dbhh: Vec<f32>,
}

/// Inputs: projections `x W_ihᵀ` `[D, T, B, G·H]`, `W_hh` `[D, G·H, H]`,
/// and a flat tensor `h_0 [D·B·H] ‖ c_0 [D·B·H] (LSTM) ‖ b_in [D·G·H] ‖
/// b_hh [D·G·H] (GRU)`, where `b_in` is the bias added to the input
/// projection (`b_ih + b_hh`, or `b_ih` for the GRU).
/// Output: `[S, D, T, B, H]`, S = 2 (h, c) for the LSTM, else 1 (h).
struct RecurrentOp {
    kind: CellKind,
    dirs: usize,
    time: usize,
    batch: usize,
    hidden: usize,
    saved: Mutex<Option<Vec<DirSaved>>>,
}

fn contiguous_f32<'a>(s: &'a CpuStorage, l: &Layout) -> candle_core::Result<&'a [f32]> {
    match l.contiguous_offsets() {
        Some((a, b)) => Ok(&s.as_slice::<f32>()?[a..b]),
        None => Err(candle_core::Error::Msg(
            "recurrent op: input must be contiguous".into(),
        )),
    }
}

/// `dst[m×n] (+)= a[m×k] · b[k×n]`; each matrix as (slice, row stride,
/// column stride).
#[allow(clippy::too_many_arguments)]
fn gemm_f32(
    (m, n, k): (usize, usize, usize),
    dst: &mut [f32],
    (dst_rs, dst_cs): (usize, usize),
    accumulate: bool,
    a: &[f32],
    (a_rs, a_cs): (usize, usize),
    b: &[f32],
    (b_rs, b_cs): (usize, usize),
    par: Parallelism,
) {
    if m == 0 || n == 0 {
        return;
    }
    assert!((m - 1) * dst_rs + (n - 1) * dst_cs < dst.len());
    if k > 0 {
        assert!((m - 1) * a_rs + (k - 1) * a_cs < a.len());
        assert!((k - 1) * b_rs + (n - 1) * b_cs < b.len());
    }
    // SAFETY: the asserts above keep every access of the three strided
    // matrices inside their slices; dst does not alias a or b (&mut).
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            dst_cs as isize,
            dst_rs as isize,
            accumulate,
            a.as_ptr(),
            a_cs as isize,
            a_rs as isize,
            b.as_ptr(),
            b_cs as isize,
            b_rs as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            par,
        )
    }
}

impl RecurrentOp {
    fn parallelism(&self) -> Parallelism {
        if self.dirs == 1 {
            Parallelism::Rayon(rayon::current_num_threads())
        } else {
            Parallelism::None
        }
    }

    fn forward_dir(
        &self,
        proj: &[f32],
        w: &[f32],
        h0: &[f32],
        c0: &[f32],
        b_in: &[f32],
        bhh: &[f32],
    ) -> DirSaved {
        let (t_len, b, hs) = (self.time, self.batch, self.hidden);
        let g = self.kind.gates() * hs;
        let bh = b * hs;
        let par = self.parallelism();
        let mut h = vec![0f32; (t_len + 1) * bh];
        h[..bh].copy_from_slice(h0);
        let mut c = Vec::new();
        let mut gates = Vec::new();
        let mut ghn = Vec::new();
        let mut pre = vec![0f32; b * g];
        let mut gi = vec![0f32; if self.kind == CellKind::Gru { b * g } else { 0 }];
        match self.kind {
            CellKind::Lstm => {
                c = vec![0f32; (t_len + 1) * bh];
                c[..bh].copy_from_slice(c0);
                gates = vec![0f32; t_len * b * g];
            }
            CellKind::Gru => {
                gates = vec![0f32; t_len * b * g];
                ghn = vec![0f32; t_len * bh];
            }
            _ => {}
        }
        for t in 0..t_len {
            let (prev, cur) = h.split_at_mut((t + 1) * bh);
            let h_prev = &prev[t * bh..];
            let h_cur = &mut cur[..bh];
            let x_t = &proj[t * b * g..(t + 1) * b * g];
            let add_bias = |dst: &mut [f32]| {
                for (row, xr) in dst.chunks_exact_mut(g).zip(x_t.chunks_exact(g)) {
                    for ((o, &x), &bb) in row.iter_mut().zip(xr).zip(b_in) {
                        *o = x + bb;
                    }
                }
            };
            if self.kind == CellKind::Gru {
                add_bias(&mut gi);
                for row in pre.chunks_exact_mut(g) {
                    row.copy_from_slice(bhh);
                }
            } else {
                add_bias(&mut pre);
            }
            // pre += h_{t-1} · W_hhᵀ   (W_hh is [G·H, H] row-major)
            gemm_f32(
                (b, g, hs),
                &mut pre,
                (g, 1),
                true,
                h_prev,
                (hs, 1),
                w,
                (1, hs),
                par,
            );
            match self.kind {
                CellKind::Lstm => {
                    let (cp, cc) = c.split_at_mut((t + 1) * bh);
                    crate::lstm::pointwise_forward(
                        hs,
                        &pre,
                        &cp[t * bh..],
                        &mut gates[t * b * g..(t + 1) * b * g],
                        &mut cc[..bh],
                        h_cur,
                    );
                }
                CellKind::Gru => crate::gru::pointwise_forward(
                    hs,
                    &gi,
                    &pre,
                    h_prev,
                    &mut gates[t * b * g..(t + 1) * b * g],
                    &mut ghn[t * bh..(t + 1) * bh],
                    h_cur,
                ),
                CellKind::RnnTanh | CellKind::RnnRelu => {
                    crate::rnn::pointwise_forward(self.kind == CellKind::RnnRelu, &pre, h_cur)
                }
            }
        }
        DirSaved { h, c, gates, ghn }
    }

    fn backward_dir(&self, s: &DirSaved, w: &[f32], gh_out: &[f32], gc_out: &[f32]) -> DirGrads {
        let (t_len, b, hs) = (self.time, self.batch, self.hidden);
        let g = self.kind.gates() * hs;
        let bh = b * hs;
        let par = self.parallelism();
        let mut dproj = vec![0f32; t_len * b * g];
        let mut dgh_all = if self.kind == CellKind::Gru {
            vec![0f32; t_len * b * g]
        } else {
            Vec::new()
        };
        let mut dh_next = vec![0f32; bh];
        let mut dc = vec![0f32; if self.kind == CellKind::Lstm { bh } else { 0 }];
        let mut dh = vec![0f32; bh];
        for t in (0..t_len).rev() {
            for ((d, &o), &n) in dh
                .iter_mut()
                .zip(&gh_out[t * bh..(t + 1) * bh])
                .zip(&dh_next)
            {
                *d = o + n;
            }
            let dpre = &mut dproj[t * b * g..(t + 1) * b * g];
            let h_prev = &s.h[t * bh..(t + 1) * bh];
            match self.kind {
                CellKind::Lstm => {
                    for (d, &o) in dc.iter_mut().zip(&gc_out[t * bh..(t + 1) * bh]) {
                        *d += o;
                    }
                    crate::lstm::pointwise_backward(
                        hs,
                        &s.gates[t * b * g..(t + 1) * b * g],
                        &s.c[(t + 1) * bh..(t + 2) * bh],
                        &s.c[t * bh..(t + 1) * bh],
                        &dh,
                        &mut dc,
                        dpre,
                    );
                }
                CellKind::Gru => {
                    crate::gru::pointwise_backward(
                        hs,
                        &s.gates[t * b * g..(t + 1) * b * g],
                        &s.ghn[t * bh..(t + 1) * bh],
                        h_prev,
                        &dh,
                        dpre,
                        &mut dgh_all[t * b * g..(t + 1) * b * g],
                        &mut dh_next,
                    );
                }
                CellKind::RnnTanh | CellKind::RnnRelu => crate::rnn::pointwise_backward(
                    self.kind == CellKind::RnnRelu,
                    &s.h[(t + 1) * bh..(t + 2) * bh],
                    &dh,
                    dpre,
                ),
            }
            // dh_{t-1} (+)= dpre_hidden · W_hh
            let (dhid, acc) = if self.kind == CellKind::Gru {
                (&dgh_all[t * b * g..(t + 1) * b * g], true)
            } else {
                (&dproj[t * b * g..(t + 1) * b * g], false)
            };
            gemm_f32(
                (b, hs, g),
                &mut dh_next,
                (hs, 1),
                acc,
                dhid,
                (g, 1),
                w,
                (hs, 1),
                par,
            );
        }
        // ∂L/∂W_hh = Σ_t dpre_hiddenᵀ · h_{t-1}: one GEMM over all steps.
        let dhid_all = if self.kind == CellKind::Gru {
            &dgh_all
        } else {
            &dproj
        };
        let mut dw = vec![0f32; g * hs];
        gemm_f32(
            (g, hs, t_len * b),
            &mut dw,
            (hs, 1),
            false,
            dhid_all,
            (1, g),
            &s.h[..t_len * bh],
            (hs, 1),
            par,
        );
        let mut db_in = vec![0f32; g];
        for row in dproj.chunks_exact(g) {
            for (a, &v) in db_in.iter_mut().zip(row) {
                *a += v;
            }
        }
        let mut dbhh = Vec::new();
        if self.kind == CellKind::Gru {
            dbhh = vec![0f32; g];
            for row in dgh_all.chunks_exact(g) {
                for (a, &v) in dbhh.iter_mut().zip(row) {
                    *a += v;
                }
            }
        }
        DirGrads {
            dproj,
            dw,
            dh0: dh_next,
            dc0: dc,
            db_in,
            dbhh,
        }
    }
}

impl CustomOp3 for RecurrentOp {
    fn name(&self) -> &'static str {
        "journey-recurrent"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
        s3: &CpuStorage,
        l3: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let proj = contiguous_f32(s1, l1)?;
        let w = contiguous_f32(s2, l2)?;
        let extra = contiguous_f32(s3, l3)?;
        let (d, t, b, hs) = (self.dirs, self.time, self.batch, self.hidden);
        let g = self.kind.gates() * hs;
        let lstm = self.kind == CellKind::Lstm;
        let dbh = d * b * hs;
        let h0 = &extra[..dbh];
        let c0 = if lstm { &extra[dbh..2 * dbh] } else { &[][..] };
        let b_in_off = if lstm { 2 * dbh } else { dbh };
        let b_in = &extra[b_in_off..b_in_off + d * g];
        let bhh_off = b_in_off + d * g;
        let bhh = if self.kind == CellKind::Gru {
            &extra[bhh_off..bhh_off + d * g]
        } else {
            &[][..]
        };
        let bh = b * hs;
        let saved: Vec<DirSaved> = (0..d)
            .into_par_iter()
            .map(|di| {
                self.forward_dir(
                    &proj[di * t * b * g..(di + 1) * t * b * g],
                    &w[di * g * hs..(di + 1) * g * hs],
                    &h0[di * bh..(di + 1) * bh],
                    if lstm {
                        &c0[di * bh..(di + 1) * bh]
                    } else {
                        &[]
                    },
                    &b_in[di * g..(di + 1) * g],
                    if self.kind == CellKind::Gru {
                        &bhh[di * g..(di + 1) * g]
                    } else {
                        &[]
                    },
                )
            })
            .collect();
        let s = if lstm { 2 } else { 1 };
        let mut out = Vec::with_capacity(s * d * t * bh);
        for sv in &saved {
            out.extend_from_slice(&sv.h[bh..]);
        }
        if lstm {
            for sv in &saved {
                out.extend_from_slice(&sv.c[bh..]);
            }
        }
        *self.saved.lock().expect("recurrent op lock") = Some(saved);
        Ok((CpuStorage::F32(out), Shape::from((s, d, t, b, hs))))
    }

    fn bwd(
        &self,
        _proj: &Tensor,
        w_hh: &Tensor,
        extra: &Tensor,
        _res: &Tensor,
        grad_res: &Tensor,
    ) -> candle_core::Result<(Option<Tensor>, Option<Tensor>, Option<Tensor>)> {
        let (d, t, b, hs) = (self.dirs, self.time, self.batch, self.hidden);
        let g = self.kind.gates() * hs;
        let bh = b * hs;
        let lstm = self.kind == CellKind::Lstm;
        let w = w_hh.flatten_all()?.to_vec1::<f32>()?;
        let grad = grad_res.flatten_all()?.to_vec1::<f32>()?;
        let guard = self.saved.lock().expect("recurrent op lock");
        let saved = guard.as_ref().ok_or_else(|| {
            candle_core::Error::Msg("recurrent op: backward before forward".into())
        })?;
        let tbh = t * bh;
        let grads: Vec<DirGrads> = (0..d)
            .into_par_iter()
            .map(|di| {
                let gc = if lstm {
                    &grad[(d + di) * tbh..(d + di + 1) * tbh]
                } else {
                    &[][..]
                };
                self.backward_dir(
                    &saved[di],
                    &w[di * g * hs..(di + 1) * g * hs],
                    &grad[di * tbh..(di + 1) * tbh],
                    gc,
                )
            })
            .collect();
        drop(guard);
        let dev = w_hh.device();
        let mut dproj = Vec::with_capacity(d * t * b * g);
        let mut dw = Vec::with_capacity(d * g * hs);
        let mut dextra = Vec::with_capacity(extra.elem_count());
        for gr in &grads {
            dproj.extend_from_slice(&gr.dproj);
            dw.extend_from_slice(&gr.dw);
            dextra.extend_from_slice(&gr.dh0);
        }
        if lstm {
            for gr in &grads {
                dextra.extend_from_slice(&gr.dc0);
            }
        }
        for gr in &grads {
            dextra.extend_from_slice(&gr.db_in);
        }
        for gr in &grads {
            dextra.extend_from_slice(&gr.dbhh);
        }
        Ok((
            Some(Tensor::from_vec(dproj, (d, t, b, g), dev)?),
            Some(Tensor::from_vec(dw, (d, g, hs), dev)?),
            Some(Tensor::from_vec(dextra, extra.elem_count(), dev)?),
        ))
    }
}
