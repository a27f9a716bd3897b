//! # Subwords: fastText's character n-grams and their hash
//!
//! Bojanowski, Grave, Joulin & Mikolov 2017, "Enriching Word Vectors with
//! Subword Information" (TACL): a word is wrapped in the boundary markers
//! `<` and `>`, and every run of `minn..=maxn` characters of the wrapped word
//! (UTF-8 characters: continuation bytes never start or end a run) is an
//! n-gram. Each n-gram is hashed with fastText's `Dictionary::hash` — 32-bit
//! FNV-1a over its bytes, each byte sign-extended as a C `int8_t` before the
//! xor (gensim's `ft_hash_bytes` reproduces the quirk) — and taken modulo
//! `bucket`. The one-character n-grams `<` and `>` are never emitted.
//!
//! Cost: O(L · maxn) n-grams and bytes hashed for a word of L characters;
//! no memory beyond the returned list.

/// fastText's `Dictionary::hash`: FNV-1a, 32 bits, over sign-extended bytes.
pub fn fasttext_hash(token: &[u8]) -> u32 {
    let mut h: u32 = 2_166_136_261;
    for &b in token {
        h ^= (b as i8) as i32 as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h
}

#[inline]
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Calls `f` with each character n-gram (as bytes) of `<word>`, in
/// fastText's order: by start position, then by length.
pub fn for_each_ngram(word: &str, minn: usize, maxn: usize, mut f: impl FnMut(&[u8])) {
    let mut w = Vec::with_capacity(word.len() + 2);
    w.push(b'<');
    w.extend_from_slice(word.as_bytes());
    w.push(b'>');
    for i in 0..w.len() {
        if is_continuation(w[i]) {
            continue;
        }
        let mut j = i;
        let mut n = 1;
        while j < w.len() && n <= maxn {
            j += 1;
            while j < w.len() && is_continuation(w[j]) {
                j += 1;
            }
            if n >= minn && !(n == 1 && (i == 0 || j == w.len())) {
                f(&w[i..j]);
            }
            n += 1;
        }
    }
}

/// The character n-grams of `<word>` as strings, in fastText's order.
pub fn char_ngrams(word: &str, minn: usize, maxn: usize) -> Vec<String> {
    let mut out = Vec::new();
    for_each_ngram(word, minn, maxn, |g| {
        out.push(String::from_utf8_lossy(g).into_owned())
    });
    out
}

/// The bucket of each n-gram of `word`: `fasttext_hash(ngram) % bucket`.
/// Empty when `bucket` is 0.
pub fn ngram_buckets(word: &str, minn: usize, maxn: usize, bucket: usize) -> Vec<u32> {
    let mut out = Vec::new();
    if bucket == 0 {
        return out;
    }
    for_each_ngram(word, minn, maxn, |g| {
        out.push((u64::from(fasttext_hash(g)) % bucket as u64) as u32)
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_sign_extends_bytes() {
        // FNV-1a of "a": (2166136261 ^ 97) * 16777619 mod 2^32.
        assert_eq!(fasttext_hash(b"a"), 0xE40C_292C);
        // A byte >= 0x80 is xored as a negative int8 (all high bits set).
        let plain = (2_166_136_261u32 ^ 0xC3).wrapping_mul(16_777_619);
        assert_ne!(fasttext_hash(&[0xC3]), plain);
        let signed = (2_166_136_261u32 ^ 0xFFFF_FFC3).wrapping_mul(16_777_619);
        assert_eq!(fasttext_hash(&[0xC3]), signed);
    }

    #[test]
    fn ngrams_of_a_short_word() {
        assert_eq!(
            char_ngrams("ab", 1, 3),
            vec!["<a", "<ab", "a", "ab", "ab>", "b", "b>"]
        );
        assert_eq!(char_ngrams("hé", 3, 3), vec!["<hé", "hé>"]);
        assert!(char_ngrams("a", 3, 2).is_empty());
    }
}
