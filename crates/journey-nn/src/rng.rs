//! A small seeded random number generator whose state can be saved:
//! xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number
//! generators", 2018), seeded by SplitMix64 (Steele, Lea and Flood, "Fast
//! splittable pseudorandom number generators", 2014), as the authors advise.
//!
//! candle's CPU random tensors cannot be seeded reliably, so everything random
//! in `journey-nn` (initialisation, dropout masks, shuffling) draws from this
//! generator; its whole state is four `u64`s, saved in checkpoints so a
//! resumed run draws the same numbers as an uninterrupted one.
//!
//! Cost: O(1) time and 32 bytes per draw.

use serde::{Deserialize, Serialize};

/// xoshiro256** generator. The same seed gives the same stream on every
/// platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rng {
    s: [u64; 4],
}

fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator whose four state words are the first four SplitMix64
    /// outputs from `seed` (never all zero).
    pub fn seed(seed: u64) -> Self {
        let mut x = seed;
        let s = [
            splitmix64(&mut x),
            splitmix64(&mut x),
            splitmix64(&mut x),
            splitmix64(&mut x),
        ];
        Rng { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1) with 24 random bits (every f32 multiple of 2^-24).
    pub fn uniform(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 * (1.0 / (1u64 << 24) as f32)
    }

    /// Standard normal by the Box-Muller transform (two uniforms per draw, no
    /// cached second value, so the state stays four words).
    pub fn normal(&mut self) -> f32 {
        // 53-bit uniforms; u1 in (0, 1] so the logarithm is finite.
        let u1 = ((self.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64);
        let u2 = (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
    }

    /// The whole state, for checkpoints.
    pub fn state(&self) -> [u64; 4] {
        self.s
    }

    /// A generator that continues from a saved state.
    pub fn from_state(s: [u64; 4]) -> Self {
        Rng { s }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xoshiro_reference_vector() {
        // The reference C code (xoshiro256starstar.c) from state {1, 2, 3, 4}
        // outputs 11520, 0, 1509978240, 1215971899390074240.
        let mut r = Rng::from_state([1, 2, 3, 4]);
        let got: Vec<u64> = (0..4).map(|_| r.next_u64()).collect();
        assert_eq!(got, vec![11520, 0, 1509978240, 1215971899390074240]);
    }

    #[test]
    fn splitmix_reference_vector() {
        // SplitMix64 from seed 0: first output 0xE220A8397B1DCDAF.
        let mut x = 0u64;
        assert_eq!(splitmix64(&mut x), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn state_round_trip_and_ranges() {
        let mut a = Rng::seed(42);
        for _ in 0..10 {
            a.next_u64();
        }
        let mut b = Rng::from_state(a.state());
        for _ in 0..100 {
            let u = a.uniform();
            assert!((0.0..1.0).contains(&u));
            assert_eq!(u, b.uniform());
            assert_eq!(a.normal().to_bits(), b.normal().to_bits());
        }
        let n = 20_000;
        let mut r = Rng::seed(7);
        let xs: Vec<f64> = (0..n).map(|_| r.normal() as f64).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(
            mean.abs() < 0.03 && (var - 1.0).abs() < 0.05,
            "{mean} {var}"
        );
    }
}
