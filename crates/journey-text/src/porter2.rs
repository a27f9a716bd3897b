//! Porter2 stemmer: Snowball's English stemmer, M.F. Porter's revision of his
//! 1980 algorithm (<https://snowballstem.org/algorithms/english/stemmer.html>).
//!
//! Against the original (`porter.rs`) it adds: a list of exceptional words
//! (skies -> sky, news, ugly -> ugli …) and of words left alone after step 1a
//! (inning, proceed …); R1 fixed after the prefixes gener-, commun-, arsen- so
//! that general/generous keep apart; apostrophes ('s, leading '); -ied/-ies to
//! -i or -ie by length; -s removed only after a vowel earlier in the word;
//! -edly/-ingly/-eedly; y -> i only after a consonant that is not the first
//! letter; -li, -ogi, -fulli, -lessli in step 2; and a short syllable may also
//! be vowel–consonant at the start of the word. Words under three letters are
//! returned as they are.
//!
//! Cost: O(n) time for a word of n characters (one scan for the regions, then a
//! fixed number of suffix tests of at most 7 bytes each); one allocation, the
//! returned `String`. Like Snowball, it treats a word as a sequence of
//! characters: a non-ASCII character is a consonant that no suffix matches
//! (see `porter::Letters`), so such input never panics.

use crate::porter::{
    is_undoubled, is_v, is_v_wxy, mark_consonant_y, region_after, replace_in_region, step_4,
    unmark_y, Letters, NoTrace, Steps, Trace,
};
use crate::Stemmer;

/// Snowball's English (Porter2) stemmer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Porter2Stemmer;

impl Stemmer for Porter2Stemmer {
    fn stem(&self, word: &str) -> String {
        Letters::run(word, |w| porter2(w, &mut NoTrace))
    }
}

impl Porter2Stemmer {
    /// The word after each step, for a teaching tour: `("prelude", …)`,
    /// `("1a", …)`, … `("postlude", stem)`. An exceptional or short word has
    /// a single entry. The last entry equals [`stem`].
    ///
    /// [`stem`]: Stemmer::stem
    pub fn stem_steps(&self, word: &str) -> Vec<(&'static str, String)> {
        let mut steps = Steps::new(word);
        Letters::run(word, |w| porter2(w, &mut steps));
        steps.steps
    }
}

fn porter2<T: Trace>(w: &mut Vec<u8>, t: &mut T) {
    if let Some(stem) = exception1(w) {
        if let Some(stem) = stem {
            w.clear();
            w.extend_from_slice(stem);
        }
        t.step("exception", w);
        return;
    }
    // Snowball's `hop 3`: at least three characters (letters here).
    if w.len() < 3 {
        t.step("short", w);
        return;
    }
    if w.first() == Some(&b'\'') {
        w.remove(0);
    }
    let y_found = mark_consonant_y(w);
    t.step("prelude", w);
    let (p1, p2) = regions(w);
    step_1a(w);
    t.step("1a", w);
    if !exception2(w) {
        step_1b(w, p1);
        t.step("1b", w);
        step_1c(w);
        t.step("1c", w);
        step_2(w, p1);
        t.step("2", w);
        step_3(w, p1, p2);
        t.step("3", w);
        step_4(w, p2, false);
        t.step("4", w);
        step_5(w, p1, p2);
        t.step("5", w);
    }
    if y_found {
        unmark_y(w);
    }
    t.step("postlude", w);
}

/// Whole words with a fixed stem: `Some(Some(stem))`, or `Some(None)` for an
/// invariant word; `None` for any other word.
fn exception1(w: &[u8]) -> Option<Option<&'static [u8]>> {
    Some(Some(match w {
        b"skis" => b"ski",
        b"skies" => b"sky",
        b"dying" => b"die",
        b"lying" => b"lie",
        b"tying" => b"tie",
        // -ly words that step 2 would otherwise mangle
        b"idly" => b"idl",
        b"gently" => b"gentl",
        b"ugly" => b"ugli",
        b"early" => b"earli",
        b"only" => b"onli",
        b"singly" => b"singl",
        // invariant: not plurals, or already stems
        b"sky" | b"news" | b"howe" | b"atlas" | b"cosmos" | b"bias" | b"andes" => {
            return Some(None)
        }
        _ => return None,
    }))
}

/// Words left as they are after step 1a (inning(s), proceed(s) …).
fn exception2(w: &[u8]) -> bool {
    matches!(
        w,
        b"inning"
            | b"outing"
            | b"canning"
            | b"herring"
            | b"earring"
            | b"proceed"
            | b"exceed"
            | b"succeed"
    )
}

/// R1 and R2, with R1 fixed after gener-, commun-, arsen- (general vs generous).
fn regions(w: &[u8]) -> (usize, usize) {
    let p1 = if w.starts_with(b"gener") || w.starts_with(b"arsen") {
        5
    } else if w.starts_with(b"commun") {
        6
    } else {
        region_after(w, 0)
    };
    (p1, region_after(w, p1))
}

fn step_1a(w: &mut Vec<u8>) {
    // Possessive apostrophe first: 's', 's, '.
    if w.ends_with(b"'s'") {
        w.truncate(w.len() - 3);
    } else if w.ends_with(b"'s") {
        w.truncate(w.len() - 2);
    } else if w.ends_with(b"'") {
        w.truncate(w.len() - 1);
    }
    let n = w.len();
    if w.ends_with(b"sses") {
        w.truncate(n - 2);
    } else if w.ends_with(b"ied") || w.ends_with(b"ies") {
        // cries -> cri but ties -> tie: -i only after two or more letters.
        w.truncate(if n > 4 { n - 2 } else { n - 1 });
    } else if w.ends_with(b"us") || w.ends_with(b"ss") {
    } else if w.ends_with(b"s") {
        // gaps -> gap, but gas stays: a vowel must come before the letter
        // just before the s.
        if n >= 2 && w[..n - 2].iter().any(|&c| is_v(c)) {
            w.truncate(n - 1);
        }
    }
}

fn step_1b(w: &mut Vec<u8>, p1: usize) {
    let n = w.len();
    // Longest first, as Snowball's `among` chooses.
    const SUFFIXES: [(&[u8], bool); 6] = [
        (b"eedly", true),
        (b"ingly", false),
        (b"edly", false),
        (b"eed", true),
        (b"ing", false),
        (b"ed", false),
    ];
    let Some(&(suffix, eed)) = SUFFIXES.iter().find(|(s, _)| w.ends_with(s)) else {
        return;
    };
    let stem = n - suffix.len();
    if eed {
        if p1 <= stem {
            w.truncate(stem + 2); // -eed(ly) -> -ee
        }
        return;
    }
    if !w[..stem].iter().any(|&c| is_v(c)) {
        return;
    }
    w.truncate(stem);
    let n = stem;
    if w.ends_with(b"at") || w.ends_with(b"bl") || w.ends_with(b"iz") {
        w.push(b'e'); // luxuriat(ing) -> luxuriate
    } else if n >= 2 && w[n - 1] == w[n - 2] && is_undoubled(w[n - 1]) {
        w.truncate(n - 1); // hopp(ed) -> hop
    } else if n == p1 && shortv(w, n) {
        w.push(b'e'); // hop(ing) -> hope: the word is short
    }
}

fn step_1c(w: &mut [u8]) {
    let n = w.len();
    // cry -> cri, by -> by, say -> say: after a consonant, not the first letter.
    if n >= 3 && matches!(w[n - 1], b'y' | b'Y') && !is_v(w[n - 2]) {
        w[n - 1] = b'i';
    }
}

fn step_2(w: &mut Vec<u8>, p1: usize) {
    type Table = &'static [(&'static [u8], &'static [u8])];
    // Grouped by last letter, longest first: the first hit is `among`'s choice.
    const L: Table = &[(b"ational", b"ate"), (b"tional", b"tion")];
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
        Some(b'r') => R,
        Some(b'n') => N,
        Some(b'm') => M,
        Some(b's') => S,
        Some(b'i') => return step_2_i(w, p1),
        _ => return,
    };
    replace_in_region(w, table, p1);
}

/// Step 2 for words ending in -i: the only suffixes with extra conditions.
fn step_2_i(w: &mut Vec<u8>, p1: usize) {
    #[derive(Clone, Copy)]
    enum Then {
        To(&'static [u8]),
        /// -ogi -> -og after l (analogi -> analog)
        Ogi,
        /// -li deleted after c d e g h k m n r t (warmli -> warm)
        Li,
    }
    use Then::*;
    const I: [(&[u8], Then); 14] = [
        (b"biliti", To(b"ble")),
        (b"lessli", To(b"less")),
        (b"entli", To(b"ent")),
        (b"aliti", To(b"al")),
        (b"ousli", To(b"ous")),
        (b"iviti", To(b"ive")),
        (b"fulli", To(b"ful")),
        (b"enci", To(b"ence")),
        (b"anci", To(b"ance")),
        (b"abli", To(b"able")),
        (b"alli", To(b"al")),
        (b"bli", To(b"ble")),
        (b"ogi", Ogi),
        (b"li", Li),
    ];
    let Some(&(suffix, then)) = I.iter().find(|(s, _)| w.ends_with(s)) else {
        return;
    };
    let start = w.len() - suffix.len();
    if p1 > start {
        return;
    }
    match then {
        To(with) => {
            w.truncate(start);
            w.extend_from_slice(with);
        }
        Ogi if start >= 1 && w[start - 1] == b'l' => w.truncate(start + 2),
        Li if start >= 1 && is_valid_li(w[start - 1]) => w.truncate(start),
        Ogi | Li => {}
    }
}

fn step_3(w: &mut Vec<u8>, p1: usize, p2: usize) {
    type Table = &'static [(&'static [u8], &'static [u8])];
    const L: Table = &[
        (b"ational", b"ate"),
        (b"tional", b"tion"),
        (b"ical", b"ic"),
        (b"ful", b""),
    ];
    const E: Table = &[(b"alize", b"al"), (b"icate", b"ic")];
    const I: Table = &[(b"iciti", b"ic")];
    const S: Table = &[(b"ness", b"")];
    let table = match w.last() {
        Some(b'l') => L,
        Some(b'i') => I,
        Some(b's') => S,
        // -ative goes only from R2 (it is in R1 in "creative": keep it).
        Some(b'e') if w.ends_with(b"ative") => {
            if p2 <= w.len() - 5 {
                w.truncate(w.len() - 5);
            }
            return;
        }
        Some(b'e') => E,
        _ => return,
    };
    replace_in_region(w, table, p1);
}

fn step_5(w: &mut Vec<u8>, p1: usize, p2: usize) {
    let n = w.len();
    match w.last() {
        Some(b'e') if p2 < n || (p1 < n && !shortv(w, n - 1)) => w.truncate(n - 1),
        Some(b'l') if p2 < n && n >= 2 && w[n - 2] == b'l' => w.truncate(n - 1),
        _ => {}
    }
}

/// A short syllable ending at `end`: consonant, vowel, consonant (the last not
/// w, x or Y), or a vowel then a consonant at the very start of the word.
fn shortv(w: &[u8], end: usize) -> bool {
    (end >= 3 && !is_v_wxy(w[end - 1]) && is_v(w[end - 2]) && !is_v(w[end - 3]))
        || (end == 2 && !is_v(w[1]) && is_v(w[0]))
}

/// Letters after which step 2 deletes -li.
fn is_valid_li(c: u8) -> bool {
    matches!(
        c,
        b'c' | b'd' | b'e' | b'g' | b'h' | b'k' | b'm' | b'n' | b'r' | b't'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(w: &str) -> String {
        Porter2Stemmer.stem(w)
    }

    #[test]
    fn classic_words() {
        for (word, expected) in [
            ("consign", "consign"),
            ("consigned", "consign"),
            ("consigning", "consign"),
            ("consignment", "consign"),
            ("consolation", "consol"),
            ("knack", "knack"),
            ("knackeries", "knackeri"),
            ("generously", "generous"),
            ("generate", "generat"),
            ("general", "general"),
            ("communication", "communic"),
            ("arsenal", "arsenal"),
            ("skies", "sky"),
            ("dying", "die"),
            ("news", "news"),
            ("innings", "inning"),
            ("proceeds", "proceed"),
            ("cries", "cri"),
            ("ties", "tie"),
            ("gas", "gas"),
            ("gaps", "gap"),
            ("happy", "happi"),
            ("say", "say"),
            ("hoping", "hope"),
            ("hopping", "hop"),
            ("luxuriating", "luxuri"),
            ("analogi", "analog"),
            ("warmly", "warm"),
            ("creative", "creativ"),
            ("dog's", "dog"),
            ("'s'", "s"),
            ("yes", "yes"),
            ("by", "by"),
        ] {
            assert_eq!(stem(word), expected, "{word}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        assert_eq!(stem(""), "");
        assert_eq!(stem("'"), "'");
        assert_eq!(stem("'''"), "'");
        assert_eq!(stem("café"), "café");
        assert_eq!(stem("cafés"), "café");
        assert_eq!(stem("naïve"), "naïv");
        assert_eq!(stem("naïvely"), "naïv");
        assert_eq!(stem("日本"), "日本");
        assert_eq!(stem("日本語ing"), "日本語ing");
        assert_eq!(stem("Running"), "Run");
    }

    #[test]
    fn steps_end_in_the_stem() {
        for word in ["generously", "skies", "by", "innings", "naïvely", ""] {
            let steps = Porter2Stemmer.stem_steps(word);
            assert_eq!(steps.last().unwrap().1, stem(word), "{word}");
        }
        assert_eq!(
            Porter2Stemmer.stem_steps("skies"),
            [("exception", "sky".to_string())]
        );
        assert_eq!(Porter2Stemmer.stem_steps("innings").len(), 3);
    }
}
