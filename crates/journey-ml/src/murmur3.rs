//! MurmurHash3, x86 32-bit variant (Austin Appleby, 2011, public domain
//! reference `MurmurHash3_x86_32` in SMHasher): the hash behind scikit-learn's
//! `HashingVectorizer` / `FeatureHasher` (`sklearn.utils.murmurhash3_32`).
//!
//! The input is read in 4-byte little-endian blocks; each block is mixed into
//! the state with two multiplications and two rotations, the 1–3 trailing
//! bytes are mixed once more, and the final avalanche (`fmix32`) spreads every
//! input bit over the output. scikit-learn reads the result as a signed 32-bit
//! integer: its sign is the feature's sign and its absolute value picks the
//! column.
//!
//! Cost: O(len) time, O(1) memory.

const C1: u32 = 0xcc9e_2d51;
const C2: u32 = 0x1b87_3593;

#[inline]
fn mix_k(k: u32) -> u32 {
    k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2)
}

/// The final avalanche of MurmurHash3.
#[inline]
fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h
}

/// `MurmurHash3_x86_32(bytes, seed)`, unsigned.
pub fn murmurhash3_32(bytes: &[u8], seed: u32) -> u32 {
    let mut h = seed;
    let mut blocks = bytes.chunks_exact(4);
    for block in &mut blocks {
        let k = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        h ^= mix_k(k);
        h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let mut k = 0u32;
        for (i, &b) in tail.iter().enumerate() {
            k ^= (b as u32) << (8 * i);
        }
        h ^= mix_k(k);
    }
    // The reference mixes in the length as a 32-bit int.
    h ^= bytes.len() as u32;
    fmix32(h)
}

/// The signed hash scikit-learn uses (`murmurhash3_32(key, seed, positive=False)`).
#[inline]
pub fn murmurhash3_32_signed(bytes: &[u8], seed: u32) -> i32 {
    murmurhash3_32(bytes, seed) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // SMHasher's verification values for the x86_32 variant.
        assert_eq!(murmurhash3_32(b"", 0), 0);
        assert_eq!(murmurhash3_32(b"", 1), 0x514e_28b7);
        assert_eq!(murmurhash3_32(b"", 0xffff_ffff), 0x81f1_6f39);
        assert_eq!(murmurhash3_32(&[0, 0, 0, 0], 0), 0x2362_f9de);
        assert_eq!(
            murmurhash3_32(b"\x21\x43\x65\x87", 0x5082_edee),
            0x2362_f9de
        );
        assert_eq!(murmurhash3_32(b"\x21\x43\x65", 0), 0x7e4a_8634);
        assert_eq!(murmurhash3_32(b"\x21\x43", 0), 0xa0f7_b07a);
        assert_eq!(murmurhash3_32(b"\x21", 0), 0x7266_1cf4);
        assert_eq!(murmurhash3_32(b"Hello, world!", 0x9747_b28c), 0x2488_4cba);
    }
}
