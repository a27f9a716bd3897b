//! What the Snowball stemmers for German, French and Spanish share: the word
//! as a buffer of `char`s, Snowball's regions, and `among`, its longest-suffix
//! lookup (<https://snowballstem.org/compiler/snowman.html>).
//!
//! Snowball's sources mark letters by writing them in capitals ('U' for a u
//! that is a consonant, 'H' before a vowel that had a diaeresis, …) because
//! they expect lower-case words. So that a capital in the input cannot be
//! taken for such a mark, [`run`] moves the ASCII capitals A–Z onto
//! private-use characters while the steps run, and back afterwards: a capital
//! is then a consonant that no suffix matches, as every character outside a
//! stemmer's alphabet is, and comes out as it went in. Suffix tables are
//! written exactly as in the Snowball sources ("iqUe", "aIent").
//!
//! Cost: the returned `String` is the only allocation per word (the work
//! space, a `Vec<char>`, is kept from word to word on each thread); an
//! [`Among`] lookup is a binary search on the word's last letter, then a
//! comparison with the few suffixes that end in it.

use std::cell::RefCell;

/// Where the ASCII capitals stay while the steps run: `A` is `CAPITALS`, `Z`
/// is `CAPITALS + 25`, in Plane 15's private-use area.
const CAPITALS: u32 = 0xF_0000;

/// Runs `steps` on the characters of `word` and returns the stem.
///
/// A word that already holds one of the 26 private-use characters standing in
/// for capitals is returned as it is: it cannot be stemmed without confusing
/// them, and no text in these languages contains them.
#[inline]
pub(crate) fn run(word: &str, steps: impl FnOnce(&mut Vec<char>)) -> String {
    thread_local! {
        /// The work space, kept from word to word on each thread.
        static WORK: RefCell<Vec<char>> = const { RefCell::new(Vec::new()) };
    }
    WORK.with(|work| {
        // A stemmer never calls another, so the buffer is always free; were it
        // not, a fresh one would do.
        let mut fresh = Vec::new();
        let mut guard = work.try_borrow_mut();
        let w = match guard {
            Ok(ref mut w) => &mut **w,
            Err(_) => &mut fresh,
        };
        w.clear();
        // Keep no more than a long word's worth after an outsized input.
        w.shrink_to(1024);
        for c in word.chars() {
            let code = c as u32;
            if c.is_ascii_uppercase() {
                w.push(char::from_u32(CAPITALS + (code - 'A' as u32)).unwrap_or(c));
            } else if (CAPITALS..CAPITALS + 26).contains(&code) {
                return word.to_string();
            } else {
                w.push(c);
            }
        }
        steps(w);
        let mut s = String::with_capacity(word.len());
        for &c in w.iter() {
            let code = c as u32;
            if (CAPITALS..CAPITALS + 26).contains(&code) {
                s.push(char::from(b'A' + (code - CAPITALS) as u8));
            } else {
                s.push(c);
            }
        }
        s
    })
}

/// `gopast v gopast non-v` from `from`: the position just after the first
/// non-vowel that follows a vowel, or the end of the word (R1 from 0, R2 from
/// R1's start).
pub(crate) fn region_after(w: &[char], from: usize, is_v: impl Fn(char) -> bool) -> usize {
    let n = w.len();
    let Some(v) = w[from.min(n)..].iter().position(|&c| is_v(c)) else {
        return n;
    };
    let after_v = from + v + 1;
    match w[after_v..].iter().position(|&c| !is_v(c)) {
        Some(c) => after_v + c + 1,
        None => n,
    }
}

/// Where `suffix` starts if `w[..end]` ends with it.
#[inline]
pub(crate) fn suffix_at(w: &[char], end: usize, suffix: &str) -> Option<usize> {
    let mut i = end;
    for c in suffix.chars().rev() {
        if i == 0 || w[i - 1] != c {
            return None;
        }
        i -= 1;
    }
    Some(i)
}

/// Whether `w` ends with `suffix`.
#[inline]
pub(crate) fn ends_with(w: &[char], suffix: &str) -> bool {
    suffix_at(w, w.len(), suffix).is_some()
}

/// The longest suffix an [`Among`] table may hold, in letters.
const MAX_SUFFIX: usize = 10;

/// One suffix of an [`Among`] table, its letters last first.
#[derive(Clone, Copy)]
struct Entry<T> {
    rev: [char; MAX_SUFFIX],
    len: u8,
    then: T,
}

/// A table for Snowball's `[substring] among(…)` in backward mode: suffixes,
/// each with what to do when it is the one found.
///
/// Built at compile time ([`Among::new`]): the suffixes are decoded into
/// letters and sorted by last letter, longest first within a letter, so that
/// [`Among::find`] looks only at the suffixes ending in the word's last letter
/// (a binary search) and takes the first that fits, which is the longest one,
/// as Snowball's `among` does.
pub(crate) struct Among<T: 'static, const N: usize>([Entry<T>; N]);

impl<T: Copy, const N: usize> Among<T, N> {
    /// The table of `(suffix, action)` pairs, in any order.
    ///
    /// # Panics
    /// At compile time, for an empty table, an empty suffix or one longer than
    /// ten letters.
    pub(crate) const fn new(table: [(&str, T); N]) -> Self {
        assert!(N > 0, "an empty among table");
        let mut entries = [Entry {
            rev: ['\0'; MAX_SUFFIX],
            len: 0,
            then: table[0].1,
        }; N];
        let mut i = 0;
        while i < N {
            entries[i] = entry(table[i].0, table[i].1);
            i += 1;
        }
        // Insertion sort: by last letter, then longest first.
        let mut i = 1;
        while i < N {
            let mut j = i;
            while j > 0 && goes_before(&entries[j], &entries[j - 1]) {
                let e = entries[j];
                entries[j] = entries[j - 1];
                entries[j - 1] = e;
                j -= 1;
            }
            i += 1;
        }
        Among(entries)
    }

    /// The longest suffix of the table that ends at `end` and starts at
    /// `limit` or later (Snowball's `setlimit`), with where it starts. When
    /// the action's conditions fail, Snowball does not fall back to a shorter
    /// suffix; neither do the callers.
    #[inline]
    pub(crate) fn find(&self, w: &[char], end: usize, limit: usize) -> Option<(usize, T)> {
        let &last = w[..end].last()?;
        let room = end.checked_sub(limit)?;
        let from = self.0.partition_point(|e| e.rev[0] < last);
        for e in &self.0[from..] {
            if e.rev[0] != last {
                break;
            }
            let len = usize::from(e.len);
            if len <= room && w[end - len..end].iter().rev().eq(&e.rev[..len]) {
                return Some((end - len, e.then));
            }
        }
        None
    }
}

impl<const N: usize> Among<(), N> {
    /// A table of suffixes without actions.
    pub(crate) const fn suffixes(table: [&str; N]) -> Self {
        let mut pairs = [("", ()); N];
        let mut i = 0;
        while i < N {
            pairs[i].0 = table[i];
            i += 1;
        }
        Self::new(pairs)
    }

    /// Where the longest suffix starts (see [`Among::find`]).
    #[inline]
    pub(crate) fn start(&self, w: &[char], end: usize, limit: usize) -> Option<usize> {
        self.find(w, end, limit).map(|(start, ())| start)
    }
}

const fn goes_before<T>(a: &Entry<T>, b: &Entry<T>) -> bool {
    let (x, y) = (a.rev[0] as u32, b.rev[0] as u32);
    x < y || (x == y && a.len > b.len)
}

/// Decodes `suffix` (UTF-8) into its letters, last first.
const fn entry<T>(suffix: &str, then: T) -> Entry<T> {
    let b = suffix.as_bytes();
    let mut letters = ['\0'; MAX_SUFFIX];
    let (mut n, mut i) = (0, 0);
    while i < b.len() {
        let (code, width) = match b[i] {
            0x00..=0x7F => (b[i] as u32, 1),
            0xC0..=0xDF => (((b[i] & 0x1F) as u32) << 6 | (b[i + 1] & 0x3F) as u32, 2),
            0xE0..=0xEF => (
                ((b[i] & 0x0F) as u32) << 12
                    | ((b[i + 1] & 0x3F) as u32) << 6
                    | (b[i + 2] & 0x3F) as u32,
                3,
            ),
            _ => (
                ((b[i] & 0x07) as u32) << 18
                    | ((b[i + 1] & 0x3F) as u32) << 12
                    | ((b[i + 2] & 0x3F) as u32) << 6
                    | (b[i + 3] & 0x3F) as u32,
                4,
            ),
        };
        assert!(n < MAX_SUFFIX, "an among suffix longer than ten letters");
        letters[n] = match char::from_u32(code) {
            Some(c) => c,
            None => panic!("not UTF-8"),
        };
        n += 1;
        i += width;
    }
    assert!(n > 0, "an empty among suffix");
    let mut rev = ['\0'; MAX_SUFFIX];
    let mut k = 0;
    while k < n {
        rev[k] = letters[n - 1 - k];
        k += 1;
    }
    Entry {
        rev,
        len: n as u8,
        then,
    }
}

/// Replaces `w[start..]` by `with`.
#[inline]
pub(crate) fn replace_from(w: &mut Vec<char>, start: usize, with: &str) {
    w.truncate(start);
    w.extend(with.chars());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn capitals_come_back_and_reserved_characters_pass_through() {
        assert_eq!(run("AbZ", |w| assert_eq!(w[1], 'b')), "AbZ");
        assert_eq!(run("ÄU", |w| w.truncate(1)), "Ä");
        let odd = "a\u{F0003}s";
        assert_eq!(run(odd, |w| w.clear()), odd);
        assert_eq!(run("", |_| {}), "");
    }

    #[test]
    fn among_takes_the_longest_suffix_inside_the_limit() {
        static TABLE: Among<u8, 4> = Among::new([("s", 1), ("es", 2), ("nes", 3), ("és", 4)]);
        let w = chars("bienes");
        assert_eq!(TABLE.find(&w, w.len(), 0), Some((3, 3)));
        assert_eq!(TABLE.find(&w, w.len(), 4), Some((4, 2)));
        assert_eq!(TABLE.find(&w, w.len(), 6), None);
        assert_eq!(TABLE.find(&w, w.len(), 9), None);
        assert_eq!(TABLE.find(&w, 4, 0), None);
        assert_eq!(TABLE.find(&chars(""), 0, 0), None);
        assert_eq!(TABLE.find(&chars("cafés"), 5, 0), Some((3, 4)));
        static WORDS: Among<(), 3> = Among::suffixes(["s", "es", "nes"]);
        assert_eq!(WORDS.start(&w, w.len(), 0), Some(3));
        assert_eq!(WORDS.start(&w, w.len(), 5), Some(5));
    }

    #[test]
    fn regions() {
        let is_v = |c| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
        let w = chars("beautiful");
        let r1 = region_after(&w, 0, is_v);
        assert_eq!(r1, 5);
        assert_eq!(region_after(&w, r1, is_v), 7);
        assert_eq!(region_after(&chars("xyz"), 0, is_v), 3);
        assert_eq!(region_after(&w, 20, is_v), 9);
    }
}
