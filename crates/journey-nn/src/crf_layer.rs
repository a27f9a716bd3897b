//! A linear-chain conditional random field as a network layer (Lafferty et
//! al. 2001; on top of a BiLSTM: Huang et al. 2015, Lample et al. 2016).
//! Parameters and their layout are pytorch-crf's (0.7.2): `transitions`
//! `[K, K]` (row = from, column = to), `start_transitions` `[K]`,
//! `end_transitions` `[K]`, initialised uniformly in ±0.1.
//!
//! The score of tags y over emissions E (`[B, T, K]`, batch first) is
//! start[y₁] + Σₜ E[t, yₜ] + Σₜ trans[yₜ₋₁, yₜ] + end[y_L] over the first L
//! (unmasked) steps; the log-likelihood is that score minus log Z, computed
//! by the forward algorithm in log space (logsumexp at every step; padded
//! steps carry the previous α through). Everything is candle tensor ops, so
//! candle's autograd gives the gradients. Viterbi decoding runs in plain
//! Rust on the emission values.
//!
//! Masks are prefixes: a sequence's first step must be unmasked (as
//! pytorch-crf requires), lengths are given as `lengths[b]`.
//!
//! Cost: forward algorithm O(B·T·K²) time, O(B·T·K²) memory kept for the
//! backward pass; Viterbi O(B·T·K²) time, O(T·K) memory per sequence.

use candle_core::{DType, Device, Tensor, D};
use candle_nn::VarBuilder;

use crate::rng::Rng;
use crate::{NnError, Result};

/// The CRF layer over `num_tags` tags.
#[derive(Clone, Debug)]
pub struct CrfLayer {
    num_tags: usize,
    /// `[K, K]`: score of moving from tag i (row) to tag j (column).
    pub transitions: Tensor,
    /// `[K]`: score of starting with each tag.
    pub start_transitions: Tensor,
    /// `[K]`: score of ending with each tag.
    pub end_transitions: Tensor,
}

impl CrfLayer {
    /// Parameters `transitions`, `start_transitions`, `end_transitions`
    /// under `vb` (zero until [`CrfLayer::reset_parameters`] or a load).
    pub fn new(num_tags: usize, vb: VarBuilder) -> Result<Self> {
        if num_tags == 0 {
            return Err(NnError::Config("a CRF needs at least one tag".into()));
        }
        let zeros = candle_nn::Init::Const(0.0);
        Ok(Self {
            num_tags,
            transitions: vb.get_with_hints((num_tags, num_tags), "transitions", zeros)?,
            start_transitions: vb.get_with_hints(num_tags, "start_transitions", zeros)?,
            end_transitions: vb.get_with_hints(num_tags, "end_transitions", zeros)?,
        })
    }

    pub fn num_tags(&self) -> usize {
        self.num_tags
    }

    /// pytorch-crf's initialisation: every entry uniform in (-0.1, 0.1),
    /// drawn from our seeded generator.
    pub fn reset_parameters(&self, rng: &mut Rng) -> Result<()> {
        for p in [
            &self.start_transitions,
            &self.end_transitions,
            &self.transitions,
        ] {
            let vals: Vec<f32> = (0..p.elem_count())
                .map(|_| (2.0 * rng.uniform() - 1.0) * 0.1)
                .collect();
            let var = candle_core::Var::from_tensor(p)?;
            // `Var::from_tensor` of a variable shares its storage.
            var.set(&Tensor::from_vec(vals, p.shape(), p.device())?)?;
        }
        Ok(())
    }

    fn check(&self, emissions: &Tensor, lengths: &[usize]) -> Result<(usize, usize)> {
        let (b, t, k) = emissions.dims3().map_err(|_| {
            NnError::Shape(format!(
                "CRF emissions must be [batch, time, tags], got {:?}",
                emissions.dims()
            ))
        })?;
        if k != self.num_tags {
            return Err(NnError::Shape(format!(
                "CRF emissions have {k} tags, the layer has {}",
                self.num_tags
            )));
        }
        if lengths.len() != b {
            return Err(NnError::Shape(format!(
                "{} lengths for a batch of {b}",
                lengths.len()
            )));
        }
        if let Some(&l) = lengths.iter().find(|&&l| l == 0 || l > t) {
            return Err(NnError::Shape(format!(
                "sequence length {l} is not in 1..={t}"
            )));
        }
        Ok((b, t))
    }

    /// Log-likelihood `[B]` of each sequence's `tags` (`tags[b]` has at
    /// least `lengths[b]` entries; the rest is ignored).
    pub fn log_likelihood(
        &self,
        emissions: &Tensor,
        tags: &[Vec<u32>],
        lengths: &[usize],
    ) -> Result<Tensor> {
        let numerator = self.score(emissions, tags, lengths)?;
        let denominator = self.log_partition(emissions, lengths)?;
        Ok((numerator - denominator)?)
    }

    /// Mean negative log-likelihood over the batch (the training loss).
    pub fn mean_nll(
        &self,
        emissions: &Tensor,
        tags: &[Vec<u32>],
        lengths: &[usize],
    ) -> Result<Tensor> {
        Ok(self
            .log_likelihood(emissions, tags, lengths)?
            .mean_all()?
            .neg()?)
    }

    /// Step mask `[B, T]` as f32 (1 inside, 0 in the padding).
    fn mask(lengths: &[usize], t: usize, dev: &Device) -> Result<Tensor> {
        let mut m = vec![0f32; lengths.len() * t];
        for (b, &l) in lengths.iter().enumerate() {
            m[b * t..b * t + l].fill(1.0);
        }
        Ok(Tensor::from_vec(m, (lengths.len(), t), dev)?)
    }

    /// The score `[B]` of the given tag paths.
    fn score(&self, emissions: &Tensor, tags: &[Vec<u32>], lengths: &[usize]) -> Result<Tensor> {
        let (b, t) = self.check(emissions, lengths)?;
        let k = self.num_tags as u32;
        let dev = emissions.device();
        let mut flat = vec![0u32; b * t];
        let mut pairs = vec![0u32; b * t.saturating_sub(1).max(1)];
        let mut first = Vec::with_capacity(b);
        let mut last = Vec::with_capacity(b);
        for (i, (y, &l)) in tags.iter().zip(lengths).enumerate() {
            if y.len() < l {
                return Err(NnError::Shape(format!(
                    "sequence {i} has {} tags for length {l}",
                    y.len()
                )));
            }
            if let Some(&bad) = y[..l].iter().find(|&&x| x >= k) {
                return Err(NnError::Shape(format!(
                    "tag id {bad} in sequence {i}: the CRF has {k} tags"
                )));
            }
            flat[i * t..i * t + l].copy_from_slice(&y[..l]);
            for s in 1..l {
                pairs[i * (t - 1) + s - 1] = y[s - 1] * k + y[s];
            }
            first.push(y[0]);
            last.push(y[l - 1]);
        }
        if tags.len() != b {
            return Err(NnError::Shape(format!(
                "{} tag sequences for a batch of {b}",
                tags.len()
            )));
        }
        let mask = Self::mask(lengths, t, dev)?;
        let idx = Tensor::from_vec(flat, (b, t, 1), dev)?;
        let emit = (emissions.gather(&idx, 2)?.squeeze(2)? * &mask)?.sum(1)?;
        let first = Tensor::from_vec(first, b, dev)?;
        let last = Tensor::from_vec(last, b, dev)?;
        let mut total = ((emit + self.start_transitions.index_select(&first, 0)?)?
            + self.end_transitions.index_select(&last, 0)?)?;
        if t > 1 {
            let pairs = Tensor::from_vec(pairs, b * (t - 1), dev)?;
            let tr = self
                .transitions
                .flatten_all()?
                .index_select(&pairs, 0)?
                .reshape((b, t - 1))?;
            total = (total + (tr * mask.narrow(1, 1, t - 1)?)?.sum(1)?)?;
        }
        Ok(total)
    }

    /// log Z `[B]` by the forward algorithm.
    pub fn log_partition(&self, emissions: &Tensor, lengths: &[usize]) -> Result<Tensor> {
        let (_, t) = self.check(emissions, lengths)?;
        let mask = Self::mask(lengths, t, emissions.device())?;
        // α₁ = start + E₁                                      [B, K]
        let mut alpha = emissions
            .narrow(1, 0, 1)?
            .squeeze(1)?
            .broadcast_add(&self.start_transitions)?;
        let trans = self.transitions.unsqueeze(0)?;
        for s in 1..t {
            // αₜ[j] = logsumexp_i(αₜ₋₁[i] + trans[i, j]) + Eₜ[j]
            let next = alpha
                .unsqueeze(2)?
                .broadcast_add(&trans)?
                .log_sum_exp(1)?
                .add(&emissions.narrow(1, s, 1)?.squeeze(1)?)?;
            let m = mask.narrow(1, s, 1)?;
            // Padded steps keep α: α + m·(next − α).
            alpha = (&alpha + next.sub(&alpha)?.broadcast_mul(&m)?)?;
        }
        Ok(alpha
            .broadcast_add(&self.end_transitions)?
            .log_sum_exp(D::Minus1)?)
    }

    /// The best tag path of each sequence (its first `lengths[b]` steps).
    pub fn viterbi(&self, emissions: &Tensor, lengths: &[usize]) -> Result<Vec<Vec<u32>>> {
        let (_, t) = self.check(emissions, lengths)?;
        let k = self.num_tags;
        let e = emissions.to_dtype(DType::F32)?.to_vec3::<f32>()?;
        let trans = self
            .transitions
            .to_dtype(DType::F32)?
            .flatten_all()?
            .to_vec1::<f32>()?;
        let start = self
            .start_transitions
            .to_dtype(DType::F32)?
            .to_vec1::<f32>()?;
        let end = self
            .end_transitions
            .to_dtype(DType::F32)?
            .to_vec1::<f32>()?;
        let _ = t;
        Ok(e.iter()
            .zip(lengths)
            .map(|(seq, &l)| viterbi_one(&seq[..l], &trans, &start, &end, k))
            .collect())
    }
}

/// Viterbi over one sequence's emission rows (ties go to the lower tag id,
/// as `torch.max` does on CPU).
fn viterbi_one(e: &[Vec<f32>], trans: &[f32], start: &[f32], end: &[f32], k: usize) -> Vec<u32> {
    let l = e.len();
    let mut score: Vec<f32> = (0..k).map(|j| start[j] + e[0][j]).collect();
    let mut back = vec![0u32; l * k];
    let mut next = vec![0f32; k];
    for s in 1..l {
        for j in 0..k {
            let (mut best, mut arg) = (f32::NEG_INFINITY, 0u32);
            for (i, &a) in score.iter().enumerate() {
                let v = a + trans[i * k + j];
                if v > best {
                    best = v;
                    arg = i as u32;
                }
            }
            next[j] = best + e[s][j];
            back[s * k + j] = arg;
        }
        std::mem::swap(&mut score, &mut next);
    }
    let (mut best, mut arg) = (f32::NEG_INFINITY, 0u32);
    for j in 0..k {
        let v = score[j] + end[j];
        if v > best {
            best = v;
            arg = j as u32;
        }
    }
    let mut path = vec![0u32; l];
    path[l - 1] = arg;
    for s in (1..l).rev() {
        path[s - 1] = back[s * k + path[s] as usize];
    }
    path
}
