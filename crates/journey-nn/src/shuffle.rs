//! Seeded shuffling: bounded integers from [`Rng`] by Lemire's multiply-shift
//! rejection method ("Fast random integer generation in an interval", ACM
//! TOMACS 2019) and the Fisher-Yates shuffle (Durstenfeld's in-place form,
//! Knuth TAOCP vol. 2, algorithm P).
//!
//! Cost: O(n) time, O(1) extra memory for a shuffle of n items.

use crate::rng::Rng;

/// A uniform integer in `0..n` (`n > 0`), without modulo bias.
pub fn below(rng: &mut Rng, n: u64) -> u64 {
    assert!(n > 0, "below(0) has no value");
    let mut m = (rng.next_u64() as u128) * (n as u128);
    if (m as u64) < n {
        let threshold = n.wrapping_neg() % n;
        while (m as u64) < threshold {
            m = (rng.next_u64() as u128) * (n as u128);
        }
    }
    (m >> 64) as u64
}

/// Shuffles `items` in place; every permutation is equally likely.
pub fn shuffle<T>(items: &mut [T], rng: &mut Rng) {
    for i in (1..items.len()).rev() {
        let j = below(rng, i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

/// A random permutation of `0..n`.
pub fn permutation(n: usize, rng: &mut Rng) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    shuffle(&mut p, rng);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutation_is_a_permutation_and_seeded() {
        let p = permutation(1000, &mut Rng::seed(3));
        let mut sorted = p.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..1000).collect::<Vec<_>>());
        assert_eq!(p, permutation(1000, &mut Rng::seed(3)));
        assert_ne!(p, permutation(1000, &mut Rng::seed(4)));
    }

    #[test]
    fn below_is_roughly_uniform() {
        let mut rng = Rng::seed(1);
        let mut counts = [0usize; 6];
        for _ in 0..60_000 {
            counts[below(&mut rng, 6) as usize] += 1;
        }
        for c in counts {
            assert!((9_500..10_500).contains(&c), "{counts:?}");
        }
    }
}
