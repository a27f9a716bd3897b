//! Snowball's German stemmer
//! (<https://snowballstem.org/algorithms/german/stemmer.html>), as released in
//! January 2021 (the `german` vocabulary of Debian's snowball-data
//! 0+20210120).
//!
//! A prelude writes ß as ss and puts u and y between vowels in upper case (they
//! are consonants there: "bauen", "Bayern"). R1 starts after the first
//! non-vowel that follows a vowel, but never before the fourth letter; R2 is R1
//! again inside R1. Three steps then remove, each at most once:
//!
//! 1. -em -ern -er -e -en -es in R1 (and -nisse -> -nis), or -s after one of
//!    b d f g h k l m n r t;
//! 2. -en -er -est in R1, or -st after one of those letters but r, itself after
//!    at least three letters;
//! 3. derivational suffixes in R2: -end -ung (and an -ig before them), -ig -ik
//!    -isch (not after e), -lich -heit (and an -er or -en in R1 before them),
//!    -keit (and a -lich or -ig in R2 before it).
//!
//! A postlude lowers U and Y again and drops the umlauts (ä -> a, ö -> o,
//! ü -> u), so "Häuser" and "Haus" meet.
//!
//! Vowels are a e i o u y ä ö ü. Any other character, a capital included, is
//! a consonant that no suffix matches (see `snowball.rs`): Snowball expects
//! lower-case words, and `stem("Häuser")` is "Haus".
//!
//! Cost: O(n) time for a word of n characters (a pass for the prelude, one for
//! the regions, at most four `Among` (`snowball.rs`) lookups, a pass for the
//! postlude; each ß written as ss shifts the rest of the word); the returned
//! `String` is the only allocation per word.

use crate::snowball::{ends_with, region_after, run, suffix_at, Among};
use crate::Stemmer;

/// Snowball's German stemmer.
#[derive(Debug, Clone, Copy, Default)]
pub struct GermanStemmer;

impl Stemmer for GermanStemmer {
    fn stem(&self, word: &str) -> String {
        run(word, german)
    }
}

fn german(w: &mut Vec<char>) {
    prelude(w);
    let (p1, p2) = regions(w);
    step_1(w, p1);
    step_2(w, p1);
    step_3(w, p1, p2);
    postlude(w);
}

#[inline]
fn is_v(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ä' | 'ö' | 'ü')
}

/// Letters before which step 1 removes -s: "Bergs" loses it, "Hauses" does
/// not (there -es goes).
#[inline]
fn is_s_ending(c: char) -> bool {
    matches!(
        c,
        'b' | 'd' | 'f' | 'g' | 'h' | 'k' | 'l' | 'm' | 'n' | 'r' | 't'
    )
}

/// Letters before which step 2 removes -st: those of -s but r.
#[inline]
fn is_st_ending(c: char) -> bool {
    c != 'r' && is_s_ending(c)
}

fn prelude(w: &mut Vec<char>) {
    if w.contains(&'ß') {
        let mut i = 0;
        while i < w.len() {
            if w[i] == 'ß' {
                w[i] = 's';
                w.insert(i + 1, 's');
            }
            i += 1;
        }
    }
    // Left to right on the updated letters: in "bauue" the first u becomes U,
    // and then the second has no vowel before it.
    for i in 1..w.len().saturating_sub(1) {
        if is_v(w[i - 1]) && is_v(w[i + 1]) {
            match w[i] {
                'u' => w[i] = 'U',
                'y' => w[i] = 'Y',
                _ => {}
            }
        }
    }
}

/// R1 and R2. R1 starts at the fourth letter at the earliest; R2 is found
/// from where R1 was before that adjustment, as Snowball's cursor is.
fn regions(w: &[char]) -> (usize, usize) {
    let n = w.len();
    if n < 3 {
        return (n, n);
    }
    let p1 = region_after(w, 0, is_v);
    let p2 = region_after(w, p1, is_v);
    (p1.max(3), p2)
}

fn step_1(w: &mut Vec<char>, p1: usize) {
    #[derive(Clone, Copy)]
    enum Then {
        Delete,
        /// -e -en -es; -nisse then loses an s too (Ergebnisse -> Ergebnis)
        DeleteNis,
        /// -s after an s-ending letter
        S,
    }
    use Then::*;
    static SUFFIXES: Among<Then, 7> = Among::new([
        ("em", Delete),
        ("ern", Delete),
        ("er", Delete),
        ("e", DeleteNis),
        ("en", DeleteNis),
        ("es", DeleteNis),
        ("s", S),
    ]);
    let Some((start, then)) = SUFFIXES.find(w, w.len(), 0) else {
        return;
    };
    if start < p1 {
        return;
    }
    match then {
        Delete => w.truncate(start),
        DeleteNis => {
            w.truncate(start);
            if ends_with(w, "niss") {
                w.pop();
            }
        }
        S if start >= 1 && is_s_ending(w[start - 1]) => w.truncate(start),
        S => {}
    }
}

fn step_2(w: &mut Vec<char>, p1: usize) {
    static SUFFIXES: Among<bool, 4> =
        Among::new([("en", false), ("er", false), ("est", false), ("st", true)]);
    let Some((start, st)) = SUFFIXES.find(w, w.len(), 0) else {
        return;
    };
    if start < p1 {
        return;
    }
    // -st: its st-ending letter must have three letters before it.
    if !st || (start >= 4 && is_st_ending(w[start - 1])) {
        w.truncate(start);
    }
}

fn step_3(w: &mut Vec<char>, p1: usize, p2: usize) {
    #[derive(Clone, Copy)]
    enum Then {
        /// -end -ung, then -ig before them (not after e) in R2
        EndUng,
        /// -ig -ik -isch, not after e
        NotAfterE,
        /// -lich -heit, then -er or -en before them in R1
        LichHeit,
        /// -keit, then -lich or -ig before it in R2
        Keit,
    }
    use Then::*;
    static SUFFIXES: Among<Then, 8> = Among::new([
        ("end", EndUng),
        ("ung", EndUng),
        ("ig", NotAfterE),
        ("ik", NotAfterE),
        ("isch", NotAfterE),
        ("lich", LichHeit),
        ("heit", LichHeit),
        ("keit", Keit),
    ]);
    let Some((start, then)) = SUFFIXES.find(w, w.len(), 0) else {
        return;
    };
    if start < p2 {
        return;
    }
    let after_e = |w: &[char], at: usize| at >= 1 && w[at - 1] == 'e';
    match then {
        EndUng => {
            w.truncate(start);
            if let Some(ig) = suffix_at(w, start, "ig") {
                if !after_e(w, ig) && ig >= p2 {
                    w.truncate(ig);
                }
            }
        }
        NotAfterE => {
            if !after_e(w, start) {
                w.truncate(start);
            }
        }
        LichHeit => {
            w.truncate(start);
            let before = suffix_at(w, start, "er").or_else(|| suffix_at(w, start, "en"));
            if let Some(at) = before.filter(|&at| at >= p1) {
                w.truncate(at);
            }
        }
        Keit => {
            w.truncate(start);
            static BEFORE: Among<(), 2> = Among::suffixes(["lich", "ig"]);
            if let Some(at) = BEFORE.start(w, start, 0).filter(|&at| at >= p2) {
                w.truncate(at);
            }
        }
    }
}

fn postlude(w: &mut [char]) {
    for c in w.iter_mut() {
        *c = match *c {
            'Y' => 'y',
            'U' | 'ü' => 'u',
            'ä' => 'a',
            'ö' => 'o',
            c => c,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(w: &str) -> String {
        GermanStemmer.stem(w)
    }

    #[test]
    fn words_from_the_algorithm_page() {
        for (word, expected) in [
            ("aufeinanderfolgenden", "aufeinanderfolg"),
            ("aufeinanderfolgten", "aufeinanderfolgt"),
            ("auffassen", "auffass"),
            ("auffassung", "auffass"),
            ("auffallend", "auffall"),
            ("kategorisch", "kategor"),
            ("kategorischen", "kategor"),
            ("kater", "kat"),
            ("katers", "kat"),
            ("häuser", "haus"),
            ("häusern", "haus"),
            ("ergebnisse", "ergebnis"),
            ("schönste", "schon"),
            ("groß", "gross"),
            ("bauen", "bau"),
            ("bayern", "bay"),
            ("freundlichkeit", "freundlich"),
            ("heiterkeit", "heiter"),
        ] {
            assert_eq!(stem(word), expected, "{word}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        assert_eq!(stem(""), "");
        assert_eq!(stem("e"), "e");
        assert_eq!(stem("ß"), "ss");
        assert_eq!(stem("123"), "123");
        assert_eq!(stem("-!-"), "-!-");
        assert_eq!(stem("日本語en"), "日本語en");
        assert_eq!(stem("😀😀😀en"), "😀😀😀en");
        // Capitals are consonants and come back as they were.
        assert_eq!(stem("Häuser"), "Haus");
        assert_eq!(stem("HÄUSER"), "HÄUSER");
        assert_eq!(stem("Bauern"), "Bau");
        assert_eq!(stem("BAUen"), "BAUen");
        assert_eq!(stem("aUe"), "aUe"); // a capital U is not the mark of a consonant u
    }
}
