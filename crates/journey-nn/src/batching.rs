//! Mini-batches: seeded shuffling into fixed-size batches, padding of
//! token-id sequences to the batch's longest, and bucketing by length (the
//! "sort within a pool, then shuffle the batches" scheme of fairseq and
//! torchtext's `BucketIterator`), which keeps padding low while batches stay
//! random.
//!
//! Cost: O(n) for batching, O(n log k·b) for bucketing (sorting pools of
//! k batches of b items); padding is O(b·max_len) in time and memory.

use candle_core::{Device, Tensor};

use crate::error::{NnError, Result};
use crate::rng::Rng;
use crate::shuffle::{permutation, shuffle};

/// Splits `0..n` into batches of `batch_size` indices, shuffled when an
/// `rng` is given. The last batch is shorter unless `drop_last`.
pub fn batches(
    n: usize,
    batch_size: usize,
    rng: Option<&mut Rng>,
    drop_last: bool,
) -> Result<Vec<Vec<usize>>> {
    if batch_size == 0 {
        return Err(NnError::Config("batch size must be > 0".into()));
    }
    let order = match rng {
        Some(r) => permutation(n, r),
        None => (0..n).collect(),
    };
    Ok(order
        .chunks(batch_size)
        .filter(|c| !drop_last || c.len() == batch_size)
        .map(<[usize]>::to_vec)
        .collect())
}

/// Groups items of similar length: the shuffled items are cut into pools of
/// `pool_batches` batches, each pool sorted by length (stable) and cut into
/// batches, then the batches of all pools are shuffled.
pub fn bucket_batches(
    lengths: &[usize],
    batch_size: usize,
    pool_batches: usize,
    rng: &mut Rng,
) -> Result<Vec<Vec<usize>>> {
    if batch_size == 0 || pool_batches == 0 {
        return Err(NnError::Config(
            "batch size and bucket pool size must be > 0".into(),
        ));
    }
    let order = permutation(lengths.len(), rng);
    let mut out = Vec::with_capacity(lengths.len().div_ceil(batch_size));
    for pool in order.chunks(batch_size * pool_batches) {
        let mut pool = pool.to_vec();
        pool.sort_by_key(|&i| lengths[i]);
        out.extend(pool.chunks(batch_size).map(<[usize]>::to_vec));
    }
    shuffle(&mut out, rng);
    Ok(out)
}

/// Token-id sequences padded to a rectangle.
#[derive(Clone, Debug, PartialEq)]
pub struct PaddedBatch {
    /// Row-major `rows × max_len` ids, padded with the pad id on the right.
    pub ids: Vec<u32>,
    /// The true length of each row.
    pub lengths: Vec<usize>,
    pub max_len: usize,
}

impl PaddedBatch {
    pub fn rows(&self) -> usize {
        self.lengths.len()
    }

    /// The ids as a `(rows, max_len)` u32 tensor.
    pub fn ids_tensor(&self, device: &Device) -> Result<Tensor> {
        Ok(Tensor::from_vec(
            self.ids.clone(),
            (self.rows(), self.max_len),
            device,
        )?)
    }

    /// A `(rows, max_len)` f32 mask: 1 on real tokens, 0 on padding.
    pub fn mask_tensor(&self, device: &Device) -> Result<Tensor> {
        let mut m = vec![0f32; self.ids.len()];
        for (r, &len) in self.lengths.iter().enumerate() {
            m[r * self.max_len..r * self.max_len + len].fill(1.0);
        }
        Ok(Tensor::from_vec(m, (self.rows(), self.max_len), device)?)
    }

    /// Total real tokens (for tokens/s).
    pub fn tokens(&self) -> usize {
        self.lengths.iter().sum()
    }
}

/// Pads the sequences `seqs[i]` for `i` in `batch` to the longest of them.
pub fn pad_batch<S: AsRef<[u32]>>(seqs: &[S], batch: &[usize], pad_id: u32) -> Result<PaddedBatch> {
    let mut lengths = Vec::with_capacity(batch.len());
    for &i in batch {
        let s = seqs.get(i).ok_or_else(|| {
            NnError::Config(format!(
                "batch index {i} out of range ({} sequences)",
                seqs.len()
            ))
        })?;
        lengths.push(s.as_ref().len());
    }
    let max_len = lengths.iter().copied().max().unwrap_or(0);
    let mut ids = vec![pad_id; batch.len() * max_len];
    for (r, &i) in batch.iter().enumerate() {
        let s = seqs[i].as_ref();
        ids[r * max_len..r * max_len + s.len()].copy_from_slice(s);
    }
    Ok(PaddedBatch {
        ids,
        lengths,
        max_len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_cover_everything_once() {
        let b = batches(10, 3, Some(&mut Rng::seed(1)), false).unwrap();
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 3, 3, 1]);
        let mut all: Vec<usize> = b.concat();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_eq!(batches(10, 3, None, true).unwrap().len(), 3);
        assert_eq!(b, batches(10, 3, Some(&mut Rng::seed(1)), false).unwrap());
        assert!(batches(3, 0, None, false).is_err());
    }

    #[test]
    fn padding_and_lengths() {
        let seqs = vec![vec![5u32, 6, 7], vec![1], vec![2, 3]];
        let p = pad_batch(&seqs, &[1, 0, 2], 0).unwrap();
        assert_eq!(p.max_len, 3);
        assert_eq!(p.lengths, vec![1, 3, 2]);
        assert_eq!(p.ids, vec![1, 0, 0, 5, 6, 7, 2, 3, 0]);
        assert_eq!(p.tokens(), 6);
        let m = p
            .mask_tensor(&Device::Cpu)
            .unwrap()
            .to_vec2::<f32>()
            .unwrap();
        assert_eq!(m[0], vec![1.0, 0.0, 0.0]);
        assert!(pad_batch(&seqs, &[3], 0).is_err());
    }

    #[test]
    fn bucketing_reduces_padding() {
        let mut rng = Rng::seed(5);
        let lengths: Vec<usize> = (0..1000)
            .map(|_| 1 + (rng.next_u64() % 60) as usize)
            .collect();
        let pad = |bs: &[Vec<usize>]| -> usize {
            bs.iter()
                .map(|b| {
                    let m = b.iter().map(|&i| lengths[i]).max().unwrap();
                    b.iter().map(|&i| m - lengths[i]).sum::<usize>()
                })
                .sum()
        };
        let plain = batches(1000, 16, Some(&mut Rng::seed(2)), false).unwrap();
        let bucketed = bucket_batches(&lengths, 16, 8, &mut Rng::seed(2)).unwrap();
        let mut all = bucketed.concat();
        all.sort_unstable();
        assert_eq!(all, (0..1000).collect::<Vec<_>>());
        assert!(
            pad(&bucketed) * 3 < pad(&plain),
            "{} vs {}",
            pad(&bucketed),
            pad(&plain)
        );
    }
}
