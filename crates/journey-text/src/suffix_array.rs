//! Suffix array, LCP array and the internal nodes of the suffix tree: the
//! exact way to list every substring that occurs at least twice, with its
//! count.
//!
//! * The suffix array is built with SA-IS (Nong, Zhang and Chan 2009, "Linear
//!   Suffix Array Construction by Almost Pure Induced-Sorting"): classify
//!   suffixes as S or L, sort the LMS substrings by induced sorting, name
//!   them, recurse on the reduced string when names repeat, then induce the
//!   full order from the sorted LMS suffixes.
//! * The LCP array follows Kasai et al. (2001): walking the text in order, the
//!   common prefix with the previous suffix in sorted order shrinks by at
//!   most one per step.
//! * Internal nodes of the suffix tree are the LCP intervals (Abouelhoda,
//!   Kurtz and Ohlebusch 2004): a maximal range `lb..=rb` of the suffix array
//!   whose suffixes share a prefix of length ℓ, found with one stack pass.
//!   Its prefix occurs `rb − lb + 1` ≥ 2 times and is followed by at least
//!   two different symbols (right-branching), exactly the nodes that
//!   sentencepiece's `esaxx` enumerates to seed Unigram training.
//!
//! Cost: O(n) time for each of the three steps; memory 4 bytes per symbol for
//! the suffix array, the same for the LCP array and, while building, the
//! rank array and the S/L types.

const EMPTY: u32 = u32::MAX;

/// The suffix array of `text`, whose symbols are below `alphabet`. The text
/// must end with a sentinel `0` that occurs nowhere else.
pub fn suffix_array(text: &[u32], alphabet: usize) -> Vec<u32> {
    let mut sa = vec![EMPTY; text.len()];
    if !text.is_empty() {
        sais(text, alphabet, &mut sa);
    }
    sa
}

fn bucket_bounds(text: &[u32], alphabet: usize, ends: bool) -> Vec<u32> {
    let mut count = vec![0u32; alphabet];
    for &c in text {
        count[c as usize] += 1;
    }
    let mut sum = 0u32;
    let mut out = vec![0u32; alphabet];
    for (o, &c) in out.iter_mut().zip(&count) {
        sum += c;
        *o = if ends { sum } else { sum - c };
    }
    out
}

fn induce(text: &[u32], alphabet: usize, sa: &mut [u32], stype: &[bool]) {
    let n = text.len();
    // L-type suffixes, left to right, at the heads of their buckets.
    let mut heads = bucket_bounds(text, alphabet, false);
    for i in 0..n {
        let j = sa[i];
        if j != EMPTY && j > 0 && !stype[j as usize - 1] {
            let c = text[j as usize - 1] as usize;
            sa[heads[c] as usize] = j - 1;
            heads[c] += 1;
        }
    }
    // S-type suffixes, right to left, at the tails of their buckets.
    let mut tails = bucket_bounds(text, alphabet, true);
    for i in (0..n).rev() {
        let j = sa[i];
        if j != EMPTY && j > 0 && stype[j as usize - 1] {
            let c = text[j as usize - 1] as usize;
            tails[c] -= 1;
            sa[tails[c] as usize] = j - 1;
        }
    }
}

fn sais(text: &[u32], alphabet: usize, sa: &mut [u32]) {
    let n = text.len();
    if n == 1 {
        sa[0] = 0;
        return;
    }
    let mut stype = vec![false; n];
    stype[n - 1] = true;
    for i in (0..n - 1).rev() {
        stype[i] = text[i] < text[i + 1] || (text[i] == text[i + 1] && stype[i + 1]);
    }
    let is_lms = |i: usize| i > 0 && stype[i] && !stype[i - 1];

    // 1. Sort the LMS substrings.
    sa.fill(EMPTY);
    let mut tails = bucket_bounds(text, alphabet, true);
    for i in (1..n).rev() {
        if is_lms(i) {
            let c = text[i] as usize;
            tails[c] -= 1;
            sa[tails[c] as usize] = i as u32;
        }
    }
    induce(text, alphabet, sa, &stype);

    // 2. Name them: equal LMS substrings get equal names.
    let mut m = 0usize;
    for i in 0..n {
        let j = sa[i] as usize;
        if is_lms(j) {
            sa[m] = j as u32;
            m += 1;
        }
    }
    sa[m..].fill(EMPTY);
    let mut name = 0u32;
    let mut prev: Option<usize> = None;
    for i in 0..m {
        let pos = sa[i] as usize;
        let differs = match prev {
            None => true,
            Some(p) => {
                let mut d = 0;
                loop {
                    if pos + d >= n || p + d >= n || text[pos + d] != text[p + d] {
                        break true;
                    }
                    if stype[pos + d] != stype[p + d] {
                        break true;
                    }
                    if d > 0 && (is_lms(pos + d) || is_lms(p + d)) {
                        break !(is_lms(pos + d) && is_lms(p + d));
                    }
                    d += 1;
                }
            }
        };
        if differs {
            name += 1;
            prev = Some(pos);
        }
        sa[m + pos / 2] = name - 1;
    }
    let mut j = n;
    for i in (m..n).rev() {
        if sa[i] != EMPTY {
            j -= 1;
            sa[j] = sa[i];
        }
    }

    // 3. Sort the LMS suffixes: by recursion when names repeat.
    let (head, tail) = sa.split_at_mut(n - m);
    let reduced = &tail[..m];
    let mut sorted = vec![EMPTY; m];
    if (name as usize) < m {
        sais(reduced, name as usize, &mut sorted);
    } else {
        for (i, &r) in reduced.iter().enumerate() {
            sorted[r as usize] = i as u32;
        }
    }
    let _ = head;
    let lms_positions: Vec<u32> = (1..n).filter(|&i| is_lms(i)).map(|i| i as u32).collect();
    for s in sorted.iter_mut() {
        *s = lms_positions[*s as usize];
    }

    // 4. Induce the full order from the sorted LMS suffixes.
    sa.fill(EMPTY);
    let mut tails = bucket_bounds(text, alphabet, true);
    for &p in sorted.iter().rev() {
        let c = text[p as usize] as usize;
        tails[c] -= 1;
        sa[tails[c] as usize] = p;
    }
    induce(text, alphabet, sa, &stype);
}

/// `lcp[i]` = length of the common prefix of suffixes `sa[i-1]` and `sa[i]`
/// (`lcp[0]` = 0), by Kasai's algorithm.
pub fn lcp_array(text: &[u32], sa: &[u32]) -> Vec<u32> {
    let n = text.len();
    let mut rank = vec![0u32; n];
    for (i, &s) in sa.iter().enumerate() {
        rank[s as usize] = i as u32;
    }
    let mut lcp = vec![0u32; n];
    let mut h = 0usize;
    for i in 0..n {
        let r = rank[i] as usize;
        if r == 0 {
            h = 0;
            continue;
        }
        let j = sa[r - 1] as usize;
        while i + h < n && j + h < n && text[i + h] == text[j + h] {
            h += 1;
        }
        lcp[r] = h as u32;
        h = h.saturating_sub(1);
    }
    lcp
}

/// Calls `f(depth, lb, rb)` for every LCP interval of depth ≥ 1: the
/// suffixes `sa[lb..=rb]` share their first `depth` symbols, and no larger
/// range does. Children are reported before their parents.
pub fn internal_nodes(lcp: &[u32], mut f: impl FnMut(u32, usize, usize)) {
    let n = lcp.len();
    let mut stack: Vec<(u32, usize)> = vec![(0, 0)];
    for i in 1..=n {
        let cur = lcp.get(i).copied().unwrap_or(0);
        let mut lb = i - 1;
        while let Some(&(depth, start)) = stack.last() {
            if cur >= depth {
                break;
            }
            stack.pop();
            f(depth, start, i - 1);
            lb = start;
        }
        if stack.last().is_none_or(|&(d, _)| cur > d) {
            stack.push((cur, lb));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(text: &[u32]) -> Vec<u32> {
        let mut sa: Vec<u32> = (0..text.len() as u32).collect();
        sa.sort_by(|&a, &b| text[a as usize..].cmp(&text[b as usize..]));
        sa
    }

    #[test]
    fn matches_naive_sort() {
        let mut state = 12345u64;
        for len in [1usize, 2, 3, 5, 10, 50, 200, 1000] {
            for alphabet in [2u32, 3, 5, 30] {
                let mut text: Vec<u32> = (0..len - 1)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        1 + ((state >> 33) as u32 % (alphabet - 1).max(1))
                    })
                    .collect();
                text.push(0);
                let sa = suffix_array(&text, alphabet as usize);
                assert_eq!(sa, naive(&text), "len {len} alphabet {alphabet}");
                let lcp = lcp_array(&text, &sa);
                for i in 1..len {
                    let (a, b) = (sa[i - 1] as usize, sa[i] as usize);
                    let l = text[a..]
                        .iter()
                        .zip(&text[b..])
                        .take_while(|(x, y)| x == y)
                        .count();
                    assert_eq!(lcp[i] as usize, l);
                }
            }
        }
    }

    #[test]
    fn intervals_count_repeats() {
        // "abab$" with a=1, b=2, $=0
        let text = [1, 2, 1, 2, 0];
        let sa = suffix_array(&text, 3);
        let lcp = lcp_array(&text, &sa);
        let mut found = Vec::new();
        internal_nodes(&lcp, |d, lb, rb| {
            let s = &text[sa[lb] as usize..sa[lb] as usize + d as usize];
            found.push((s.to_vec(), rb - lb + 1));
        });
        found.sort();
        assert_eq!(found, vec![(vec![1, 2], 2), (vec![2], 2)]);
    }
}
