//! Viterbi decoding (Viterbi 1967) for first-order linear-chain models: the
//! label sequence maximising `Σ_t emit[t][y_t] + Σ_t trans[y_{t-1}][y_t]`.
//! Shared by the CRF and the structured perceptron. Ties go to the lowest
//! label id, so decoding is deterministic.
//!
//! Cost: O(n · L²) time and O(n · L) memory for n tokens and L labels.

/// `emit` is n × L row-major, `trans` L × L (`trans[prev * L + cur]`).
pub fn viterbi(emit: &[f64], trans: &[f64], labels: usize) -> Vec<usize> {
    let l = labels;
    if l == 0 || emit.is_empty() {
        return Vec::new();
    }
    let n = emit.len() / l;
    let mut score = emit[..l].to_vec();
    let mut back = vec![0u32; n * l];
    let mut next = vec![0.0; l];
    for t in 1..n {
        for y in 0..l {
            let mut best = f64::NEG_INFINITY;
            let mut arg = 0;
            for (p, s) in score.iter().enumerate() {
                let v = s + trans[p * l + y];
                if v > best {
                    best = v;
                    arg = p;
                }
            }
            next[y] = best + emit[t * l + y];
            back[t * l + y] = arg as u32;
        }
        std::mem::swap(&mut score, &mut next);
    }
    let mut y = 0;
    for k in 1..l {
        if score[k] > score[y] {
            y = k;
        }
    }
    let mut path = vec![0; n];
    path[n - 1] = y;
    for t in (1..n).rev() {
        y = back[t * l + y] as usize;
        path[t - 1] = y;
    }
    path
}

/// The score of one path under the same model.
pub fn path_score(emit: &[f64], trans: &[f64], labels: usize, path: &[usize]) -> f64 {
    let mut s = 0.0;
    for (t, &y) in path.iter().enumerate() {
        s += emit[t * labels + y];
        if t > 0 {
            s += trans[path[t - 1] * labels + y];
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_brute_force() {
        let mut state = 12345u64;
        let mut rnd = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 2001) as f64 / 1000.0 - 1.0
        };
        for n in 1..=5 {
            for l in 1..=3 {
                let emit: Vec<f64> = (0..n * l).map(|_| rnd()).collect();
                let trans: Vec<f64> = (0..l * l).map(|_| rnd()).collect();
                let got = viterbi(&emit, &trans, l);
                let mut best = f64::NEG_INFINITY;
                for code in 0..l.pow(n as u32) {
                    let path: Vec<usize> = (0..n).map(|t| code / l.pow(t as u32) % l).collect();
                    best = best.max(path_score(&emit, &trans, l, &path));
                }
                assert!((path_score(&emit, &trans, l, &got) - best).abs() < 1e-12);
            }
        }
    }
}
