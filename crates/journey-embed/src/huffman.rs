//! # Huffman coding of a vocabulary, for hierarchical softmax
//!
//! Morin & Bengio 2005 / Mikolov et al. 2013: the output layer is a binary
//! tree whose leaves are the words; P(w) is the product of the sigmoid
//! decisions along w's path. A Huffman tree on the word counts (Huffman
//! 1952) gives frequent words short paths. Built as `word2vec.c` does, with
//! two queues over counts sorted in decreasing order: O(n) after sorting,
//! O(n) memory; every word gets its `code` (0/1 turns, root first) and
//! `points` (inner-node rows, root first, root = n − 2).

/// Code and inner-node path of one word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HuffmanCode {
    pub code: Vec<u8>,
    pub points: Vec<u32>,
}

/// Codes for words whose `counts` are in decreasing order (the vocabulary
/// order). Fewer than two words: empty codes.
pub fn huffman_codes(counts: &[u64]) -> Vec<HuffmanCode> {
    let n = counts.len();
    if n < 2 {
        return vec![HuffmanCode::default(); n];
    }
    let mut count: Vec<u64> = counts.to_vec();
    count.resize(2 * n - 1, u64::MAX);
    let mut parent = vec![0usize; 2 * n - 1];
    let mut binary = vec![0u8; 2 * n - 1];
    // Leaves are consumed from the end (smallest), inner nodes in creation order.
    let mut leaf = n as isize - 1;
    let mut inner = n;
    let pick = |count: &Vec<u64>, leaf: &mut isize, inner: &mut usize| -> usize {
        if *leaf >= 0 && count[*leaf as usize] < count[*inner] {
            *leaf -= 1;
            (*leaf + 1) as usize
        } else {
            *inner += 1;
            *inner - 1
        }
    };
    for a in 0..n - 1 {
        let m1 = pick(&count, &mut leaf, &mut inner);
        let m2 = pick(&count, &mut leaf, &mut inner);
        count[n + a] = count[m1].saturating_add(count[m2]);
        parent[m1] = n + a;
        parent[m2] = n + a;
        binary[m2] = 1;
    }
    let root = 2 * n - 2;
    (0..n)
        .map(|w| {
            let mut code = Vec::new();
            let mut points = Vec::new();
            let mut b = w;
            while b != root {
                code.push(binary[b]);
                b = parent[b];
                points.push((b - n) as u32);
            }
            code.reverse();
            points.reverse();
            HuffmanCode { code, points }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequent_words_get_short_codes_and_codes_are_prefix_free() {
        let counts = [50u64, 20, 10, 10, 5, 3, 1, 1];
        let c = huffman_codes(&counts);
        assert!(c[0].code.len() <= c[7].code.len());
        assert!(c.iter().all(|h| h.points[0] as usize == counts.len() - 2));
        for i in 0..c.len() {
            for j in 0..c.len() {
                if i != j {
                    assert!(!c[j].code.starts_with(&c[i].code), "{i} prefix of {j}");
                }
            }
        }
        // Kraft equality for a full binary tree.
        let kraft: f64 = c.iter().map(|h| 0.5f64.powi(h.code.len() as i32)).sum();
        assert!((kraft - 1.0).abs() < 1e-12);
    }
}
