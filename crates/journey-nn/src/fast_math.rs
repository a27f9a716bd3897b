//! Branch-free `exp`, `sigmoid` and `tanh` for the recurrent kernels, written
//! so that the compiler vectorises loops over them (libm's `expf`/`tanhf`
//! are scalar calls and took a fifth of an LSTM training step).
//!
//! `exp` follows Cephes' `expf` (S. Moshier): `x = n·ln2 + r`, |r| ≤ ln2/2,
//! `e^r` by a degree-6 polynomial, `2^n` built in the exponent bits; round to
//! nearest by the `1.5·2²³` trick. Relative error ≈ 2e-7 over the clamped
//! range [-87, 88]. `sigmoid(x) = 1 / (1 + e^{-x})`,
//! `tanh(x) = 1 − 2 / (e^{2x} + 1)` (absolute error ≈ 1e-7). O(1) per value.

const LOG2E: f32 = std::f32::consts::LOG2_E;
const C1: f32 = 0.693_359_4; // ln 2, high part (exact in few bits)
const C2: f32 = -2.121_944_4e-4; // ln 2 − C1
const ROUND: f32 = 12_582_912.0; // 1.5 · 2^23

#[inline(always)]
pub(crate) fn exp(x: f32) -> f32 {
    let x = x.clamp(-87.0, 88.0);
    let n = (x * LOG2E + ROUND) - ROUND;
    let r = x - n * C1 - n * C2;
    let mut p = 1.987_569_1e-4_f32;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 0.5;
    let er = p * r * r + r + 1.0;
    let scale = f32::from_bits(((n as i32 + 127) as u32) << 23);
    er * scale
}

#[inline(always)]
pub(crate) fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

#[inline(always)]
pub(crate) fn tanh(x: f32) -> f32 {
    1.0 - 2.0 / (exp(2.0 * x) + 1.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn close_to_libm() {
        let mut worst = (0f32, 0f32, 0f32);
        for i in -20000..=20000 {
            let x = i as f32 * 1e-3;
            let e = ((super::exp(x) - x.exp()) / x.exp()).abs();
            let s = (super::sigmoid(x) - 1.0 / (1.0 + (-x).exp())).abs();
            let t = (super::tanh(x) - x.tanh()).abs();
            worst = (worst.0.max(e), worst.1.max(s), worst.2.max(t));
        }
        assert!(worst.0 < 5e-7, "exp rel {}", worst.0);
        assert!(worst.1 < 2e-7, "sigmoid abs {}", worst.1);
        assert!(worst.2 < 3e-7, "tanh abs {}", worst.2);
        assert_eq!(super::tanh(100.0), 1.0);
        assert_eq!(super::tanh(-100.0), -1.0);
        assert!(super::sigmoid(-100.0) >= 0.0 && super::sigmoid(100.0) == 1.0);
    }
}
