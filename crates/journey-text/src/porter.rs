//! Porter stemmer: the original suffix-stripping algorithm of M.F. Porter,
//! "An algorithm for suffix stripping", *Program* 14(3):130–137, 1980, exactly
//! as Snowball's `porter` stemmer states it
//! (<https://snowballstem.org/algorithms/porter/stemmer.html>).
//!
//! Porter's conditions on the *measure* m of a stem are restated, as Snowball
//! does, through two regions: R1 starts after the first non-vowel that follows
//! a vowel, R2 is R1 computed again inside R1. "m > 0" becomes "the suffix lies
//! in R1", "m > 1" becomes "in R2". Five steps then strip plurals and -ed/-ing
//! (1), map double suffixes to single ones (2, 3), remove -ant, -ence … (4) and
//! tidy a final -e or -ll (5). 'y' after a vowel (or first) is a consonant and
//! is written 'Y' while the steps run.
//!
//! Cost: O(n) time for a word of n characters (one scan for the regions, then a
//! fixed number of suffix tests of at most 7 bytes each); one allocation, the
//! returned `String`. The steps work on one byte per character (see
//! [`Letters`]), so a non-ASCII character is a consonant that no suffix matches,
//! as in Snowball's UTF-8 runtime; such input never panics.

use crate::Stemmer;

/// The original Porter (1980) stemmer, as Snowball's `porter`.
#[derive(Debug, Clone, Copy, Default)]
pub struct PorterStemmer;

impl Stemmer for PorterStemmer {
    fn stem(&self, word: &str) -> String {
        Letters::run(word, |w| porter(w, &mut NoTrace))
    }
}

impl PorterStemmer {
    /// The word after each step, for a teaching tour: `("prelude", "Ys")`,
    /// `("1a", …)`, … `("postlude", stem)`. The last entry equals [`stem`].
    ///
    /// [`stem`]: Stemmer::stem
    pub fn stem_steps(&self, word: &str) -> Vec<(&'static str, String)> {
        let mut steps = Steps::new(word);
        Letters::run(word, |w| porter(w, &mut steps));
        steps.steps
    }
}

fn porter<T: Trace>(w: &mut Vec<u8>, t: &mut T) {
    let y_found = mark_consonant_y(w);
    t.step("prelude", w);
    let p1 = region_after(w, 0);
    let p2 = region_after(w, p1);
    step_1a(w);
    t.step("1a", w);
    step_1b(w, p1);
    t.step("1b", w);
    step_1c(w);
    t.step("1c", w);
    step_2(w, p1);
    t.step("2", w);
    step_3(w, p1);
    t.step("3", w);
    step_4(w, p2, true);
    t.step("4", w);
    step_5a(w, p1, p2);
    t.step("5a", w);
    step_5b(w, p2);
    t.step("5b", w);
    if y_found {
        unmark_y(w);
    }
    t.step("postlude", w);
}

fn step_1a(w: &mut Vec<u8>) {
    let n = w.len();
    if w.ends_with(b"sses") || w.ends_with(b"ies") {
        w.truncate(n - 2); // sses -> ss, ies -> i
    } else if w.ends_with(b"ss") {
    } else if w.ends_with(b"s") {
        w.truncate(n - 1);
    }
}

fn step_1b(w: &mut Vec<u8>, p1: usize) {
    let n = w.len();
    // "eed" is the longest match even when R1 fails, so "ed" is not tried.
    if w.ends_with(b"eed") {
        if p1 <= n - 3 {
            w.truncate(n - 1);
        }
        return;
    }
    let stem = if w.ends_with(b"ed") {
        n - 2
    } else if w.ends_with(b"ing") {
        n - 3
    } else {
        return;
    };
    if !w[..stem].iter().any(|&c| is_v(c)) {
        return;
    }
    w.truncate(stem);
    let n = stem;
    if w.ends_with(b"at") || w.ends_with(b"bl") || w.ends_with(b"iz") {
        w.push(b'e'); // conflat(ed) -> conflate
    } else if n >= 2 && w[n - 1] == w[n - 2] && is_undoubled(w[n - 1]) {
        w.truncate(n - 1); // hopp(ing) -> hop
    } else if n == p1 && shortv(w, n) {
        w.push(b'e'); // fil(ing) -> file: m = 1 and *o
    }
}

fn step_1c(w: &mut [u8]) {
    let n = w.len();
    if n >= 1 && matches!(w[n - 1], b'y' | b'Y') && w[..n - 1].iter().any(|&c| is_v(c)) {
        w[n - 1] = b'i';
    }
}

/// Double suffixes -> single ones, when the suffix lies in R1.
fn step_2(w: &mut Vec<u8>, p1: usize) {
    type Table = &'static [(&'static [u8], &'static [u8])];
    // Grouped by last letter and longest first, so the first hit is Snowball's
    // `among` choice: the longest suffix that matches.
    const L: Table = &[(b"ational", b"ate"), (b"tional", b"tion")];
    const I: Table = &[
        (b"biliti", b"ble"),
        (b"entli", b"ent"),
        (b"aliti", b"al"),
        (b"ousli", b"ous"),
        (b"iviti", b"ive"),
        (b"enci", b"ence"),
        (b"anci", b"ance"),
        (b"abli", b"able"),
        (b"alli", b"al"),
        (b"eli", b"e"),
    ];
    const R: Table = &[(b"izer", b"ize"), (b"ator", b"ate")];
    const N: Table = &[(b"ization", b"ize"), (b"ation", b"ate")];
    const M: Table = &[(b"alism", b"al")];
    const S: Table = &[
        (b"fulness", b"ful"),
        (b"ousness", b"ous"),
        (b"iveness", b"ive"),
    ];
    let table = match w.last() {
        Some(b'l') => L,
        Some(b'i') => I,
        Some(b'r') => R,
        Some(b'n') => N,
        Some(b'm') => M,
        Some(b's') => S,
        _ => return,
    };
    replace_in_region(w, table, p1);
}

fn step_3(w: &mut Vec<u8>, p1: usize) {
    type Table = &'static [(&'static [u8], &'static [u8])];
    const E: Table = &[(b"alize", b"al"), (b"icate", b"ic"), (b"ative", b"")];
    const I: Table = &[(b"iciti", b"ic")];
    const L: Table = &[(b"ical", b"ic"), (b"ful", b"")];
    const S: Table = &[(b"ness", b"")];
    let table = match w.last() {
        Some(b'e') => E,
        Some(b'i') => I,
        Some(b'l') => L,
        Some(b's') => S,
        _ => return,
    };
    replace_in_region(w, table, p1);
}

/// Remove a residual suffix lying in R2; -ion only after s or t. Porter2
/// shares this step but dropped -ou (`with_ou` false).
pub(crate) fn step_4(w: &mut Vec<u8>, p2: usize, with_ou: bool) {
    let table: &[&[u8]] = match w.last() {
        Some(b'l') => &[b"al"],
        Some(b'e') => &[b"ance", b"ence", b"able", b"ible", b"ate", b"ive", b"ize"],
        Some(b'r') => &[b"er"],
        Some(b'c') => &[b"ic"],
        Some(b't') => &[b"ement", b"ment", b"ant", b"ent"],
        Some(b'u') if with_ou => &[b"ou"],
        Some(b'm') => &[b"ism"],
        Some(b'i') => &[b"iti"],
        Some(b's') => &[b"ous"],
        Some(b'n') => &[b"ion"],
        _ => return,
    };
    let Some(suffix) = table.iter().find(|s| w.ends_with(s)) else {
        return;
    };
    let start = w.len() - suffix.len();
    if p2 > start {
        return;
    }
    if *suffix == b"ion" && !(start >= 1 && matches!(w[start - 1], b's' | b't')) {
        return;
    }
    w.truncate(start);
}

fn step_5a(w: &mut Vec<u8>, p1: usize, p2: usize) {
    let n = w.len();
    if w.last() == Some(&b'e') && (p2 < n || (p1 < n && !shortv(w, n - 1))) {
        w.truncate(n - 1);
    }
}

fn step_5b(w: &mut Vec<u8>, p2: usize) {
    let n = w.len();
    if n >= 2 && w[n - 1] == b'l' && w[n - 2] == b'l' && p2 < n {
        w.truncate(n - 1);
    }
}

/// Porter's *o at `end`: consonant, vowel, consonant, the last not w, x or Y.
fn shortv(w: &[u8], end: usize) -> bool {
    end >= 3 && !is_v_wxy(w[end - 1]) && is_v(w[end - 2]) && !is_v(w[end - 3])
}

// ---------------------------------------------------------------------------
// Pieces shared with `porter2`: both stemmers follow the same Snowball
// conventions (vowels 'aeiouy', 'Y' for a consonant y, regions R1 and R2).

/// Snowball's grouping `v`. A consonant 'y' has been written 'Y', so 'y' here
/// is always a vowel.
#[inline]
pub(crate) fn is_v(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// Snowball's `v_WXY`: the letters that may not end a short syllable.
#[inline]
pub(crate) fn is_v_wxy(c: u8) -> bool {
    is_v(c) || matches!(c, b'w' | b'x' | b'Y')
}

/// The doubles that step 1b undoes (hopp -> hop, but not fall -> fal).
#[inline]
pub(crate) fn is_undoubled(c: u8) -> bool {
    matches!(
        c,
        b'b' | b'd' | b'f' | b'g' | b'm' | b'n' | b'p' | b'r' | b't'
    )
}

/// Writes 'Y' for each 'y' that is a consonant: the first letter, or one after
/// a vowel. Left to right on the updated letters: in "ayy" the second y follows
/// 'Y', a consonant, so it stays a vowel. True if any changed.
pub(crate) fn mark_consonant_y(w: &mut [u8]) -> bool {
    let mut found = false;
    if w.first() == Some(&b'y') {
        w[0] = b'Y';
        found = true;
    }
    for i in 1..w.len() {
        if w[i] == b'y' && is_v(w[i - 1]) {
            w[i] = b'Y';
            found = true;
        }
    }
    found
}

/// Snowball's postlude: every 'Y' back to 'y' (only run when one was marked).
pub(crate) fn unmark_y(w: &mut [u8]) {
    for c in w.iter_mut().filter(|c| **c == b'Y') {
        *c = b'y';
    }
}

/// `gopast v gopast non-v` from `from`: the position just after the first
/// non-vowel that follows a vowel, or the end of the word.
pub(crate) fn region_after(w: &[u8], from: usize) -> usize {
    let n = w.len();
    let Some(v) = w[from..].iter().position(|&c| is_v(c)) else {
        return n;
    };
    let after_v = from + v + 1;
    match w[after_v..].iter().position(|&c| !is_v(c)) {
        Some(c) => after_v + c + 1,
        None => n,
    }
}

/// The first (longest) suffix of `table` that `w` ends with is replaced, if it
/// starts in the region beginning at `region`. A match outside the region ends
/// the step: Snowball does not go on to shorter suffixes.
pub(crate) fn replace_in_region(w: &mut Vec<u8>, table: &[(&[u8], &[u8])], region: usize) {
    if let Some((suffix, with)) = table.iter().find(|(s, _)| w.ends_with(s)) {
        let start = w.len() - suffix.len();
        if region <= start {
            w.truncate(start);
            w.extend_from_slice(with);
        }
    }
}

/// Observes the word after each step; [`NoTrace`] compiles away, so `stem`
/// pays nothing for [`PorterStemmer::stem_steps`].
pub(crate) trait Trace {
    fn step(&mut self, name: &'static str, w: &[u8]);
}

pub(crate) struct NoTrace;

impl Trace for NoTrace {
    #[inline(always)]
    fn step(&mut self, _: &'static str, _: &[u8]) {}
}

/// Records every step as readable text.
pub(crate) struct Steps<'a> {
    word: &'a str,
    pub(crate) steps: Vec<(&'static str, String)>,
}

impl<'a> Steps<'a> {
    pub(crate) fn new(word: &'a str) -> Self {
        Steps {
            word,
            steps: Vec::new(),
        }
    }
}

impl Trace for Steps<'_> {
    fn step(&mut self, name: &'static str, w: &[u8]) {
        self.steps.push((name, Letters::to_string(w, self.word)));
    }
}

/// One byte per character, so the steps index letters without decoding UTF-8.
///
/// ASCII characters are themselves; any other character becomes [`Letters::OTHER`],
/// a byte that is no vowel and no letter of any suffix: a consonant, as the
/// Snowball runtime treats a character outside its groupings. The steps only
/// rewrite ASCII letters and only delete matched ASCII suffixes, so the k-th
/// placeholder left in the stem is the k-th non-ASCII character of the word.
pub(crate) struct Letters;

impl Letters {
    pub(crate) const OTHER: u8 = 0xFF;

    /// Runs `steps` on the letters of `word` and returns the stem.
    #[inline]
    pub(crate) fn run(word: &str, steps: impl FnOnce(&mut Vec<u8>)) -> String {
        if word.is_ascii() {
            // The hot path: the returned String's own buffer is the work space.
            let mut w = Vec::with_capacity(word.len() + 1);
            w.extend_from_slice(word.as_bytes());
            steps(&mut w);
            // Only ASCII bytes are ever written, so this cannot fail.
            String::from_utf8(w).unwrap_or_default()
        } else {
            let mut w: Vec<u8> = word
                .chars()
                .map(|c| if c.is_ascii() { c as u8 } else { Self::OTHER })
                .collect();
            steps(&mut w);
            Self::to_string(&w, word)
        }
    }

    /// Letters back to text, placeholders replaced by `word`'s non-ASCII chars.
    pub(crate) fn to_string(w: &[u8], word: &str) -> String {
        let mut others = word.chars().filter(|c| !c.is_ascii());
        let mut s = String::with_capacity(w.len() + word.len() - word.chars().count());
        for &b in w {
            if b == Self::OTHER {
                s.extend(others.next());
            } else {
                s.push(b as char);
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(w: &str) -> String {
        PorterStemmer.stem(w)
    }

    #[test]
    fn classic_words() {
        // Examples from Porter (1980).
        for (word, expected) in [
            ("caresses", "caress"),
            ("ponies", "poni"),
            ("ties", "ti"),
            ("caress", "caress"),
            ("cats", "cat"),
            ("feed", "feed"),
            ("agreed", "agre"),
            ("plastered", "plaster"),
            ("bled", "bled"),
            ("motoring", "motor"),
            ("sing", "sing"),
            ("conflated", "conflat"),
            ("troubled", "troubl"),
            ("sized", "size"),
            ("hopping", "hop"),
            ("falling", "fall"),
            ("filing", "file"),
            ("happy", "happi"),
            ("sky", "sky"),
            ("relational", "relat"),
            ("conditional", "condit"),
            ("valenci", "valenc"),
            ("digitizer", "digit"),
            ("triplicate", "triplic"),
            ("hopeful", "hope"),
            ("goodness", "good"),
            ("revival", "reviv"),
            ("adoption", "adopt"),
            ("probate", "probat"),
            ("rate", "rate"),
            ("cease", "ceas"),
            ("controll", "control"),
            ("roll", "roll"),
            ("generalizations", "gener"),
            ("oscillators", "oscil"),
        ] {
            assert_eq!(stem(word), expected, "{word}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        assert_eq!(stem(""), "");
        assert_eq!(stem("s"), "");
        assert_eq!(stem("y"), "y");
        assert_eq!(stem("café"), "café");
        assert_eq!(stem("cafés"), "café");
        assert_eq!(stem("naïve"), "naïv");
        assert_eq!(stem("naïvely"), "naïv");
        assert_eq!(stem("ñ"), "ñ");
        assert_eq!(stem("日本語ing"), "日本語ing"); // no vowel before -ing
        assert_eq!(stem("Running"), "Run");
        assert_eq!(stem("it's"), "it'");
    }

    #[test]
    fn steps_end_in_the_stem() {
        for word in ["generalizations", "naïvely", "yoyo", ""] {
            let steps = PorterStemmer.stem_steps(word);
            assert_eq!(steps.len(), 10);
            assert_eq!(steps.last().unwrap().1, stem(word), "{word}");
        }
        let steps = PorterStemmer.stem_steps("generalizations");
        assert_eq!(steps[1], ("1a", "generalization".to_string()));
        assert_eq!(steps[4], ("2", "generalize".to_string()));
    }
}
