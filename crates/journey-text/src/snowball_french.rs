//! Snowball's French stemmer
//! (<https://snowballstem.org/algorithms/french/stemmer.html>), as released in
//! January 2021 (the `french` vocabulary of Debian's snowball-data
//! 0+20210120): with ë and ï handled as a mark 'H' before e and i, and without
//! the later additions (elisions such as l' and qu', -oux, the mauva- and ni-
//! exceptions).
//!
//! A prelude marks u, i between vowels, y next to a vowel and u after q as
//! consonants (U, I, Y), and writes ë, ï as He, Hi. Three regions follow: RV
//! (after the third letter when the word opens with two vowels or is par-,
//! col-, tap-; otherwise after the first vowel that is not the first letter),
//! R1 and R2 (after the first non-vowel that follows a vowel, and again inside
//! R1). Then, working from the end of the word:
//!
//! 1. a standard suffix (-ance, -ation, -ement, -ité, -euse, -ment …), each
//!    with its own region and follow-ups; -amment, -emment and -ment are
//!    rewritten but then send the word on to step 2;
//! 2. if step 1 removed nothing: (a) an -ir verb ending in RV after a
//!    consonant (-issons, -irent …), or else (b) another verb ending in RV
//!    (-erions, -ées, -assent …);
//! 3. if step 1 or 2 removed something, a final Y becomes i and ç becomes c;
//! 4. otherwise residual endings go: -s (not after a i o u è s), then in RV
//!    -ion (in R2, after s or t), -ier/-ière (to -i) and -e;
//! 5. -enn -onn -ett -ell -eill lose their last letter;
//! 6. é or è before the final consonants becomes e.
//!
//! A postlude lowers I U Y again and writes He, Hi back as ë, ï.
//!
//! Vowels are a e i o u y â à ë é ê è ï î ô û ù. Any other character, a
//! capital included, is a consonant that no suffix matches (see
//! `snowball.rs`): Snowball expects lower-case words.
//!
//! Cost: O(n) time for a word of n characters (a pass for the prelude, one for
//! the regions, at most five `Among` (`snowball.rs`) lookups and a few
//! single-suffix tests, a pass for the postlude; each ë or ï written as two
//! letters shifts the rest of the word); the returned `String` is the only
//! allocation per word.

use crate::snowball::{ends_with, region_after, replace_from, run, suffix_at, Among};
use crate::Stemmer;

/// Snowball's French stemmer.
#[derive(Debug, Clone, Copy, Default)]
pub struct FrenchStemmer;

impl Stemmer for FrenchStemmer {
    fn stem(&self, word: &str) -> String {
        run(word, french)
    }
}

/// The regions: RV, R1, R2 as positions in the word.
#[derive(Clone, Copy)]
struct Regions {
    rv: usize,
    r1: usize,
    r2: usize,
}

fn french(w: &mut Vec<char>) {
    prelude(w);
    let r = regions(w);
    if standard_suffix(w, r) || i_verb_suffix(w, r) || verb_suffix(w, r) {
        if let Some(last) = w.last_mut() {
            match *last {
                'Y' => *last = 'i',
                'ç' => *last = 'c',
                _ => {}
            }
        }
    } else {
        residual_suffix(w, r);
    }
    un_double(w);
    un_accent(w);
    postlude(w);
}

#[inline]
fn is_v(c: char) -> bool {
    matches!(
        c,
        'a' | 'e'
            | 'i'
            | 'o'
            | 'u'
            | 'y'
            | 'â'
            | 'à'
            | 'ë'
            | 'é'
            | 'ê'
            | 'è'
            | 'ï'
            | 'î'
            | 'ô'
            | 'û'
            | 'ù'
    )
}

fn prelude(w: &mut Vec<char>) {
    // Snowball's `repeat goto`: after a change the same position is tried
    // again, so "ëy" first marks the y and then rewrites the ë.
    let mut i = 0;
    while i < w.len() {
        if !mark_at(w, i) {
            i += 1;
        }
    }
}

/// One change at position `i`, if any applies; true if it did.
fn mark_at(w: &mut Vec<char>, i: usize) -> bool {
    let next = w.get(i + 1).copied();
    let then_v = w.get(i + 2).is_some_and(|&c| is_v(c));
    if is_v(w[i]) {
        // u or i between vowels, y after a vowel: consonants.
        let mark = match next {
            Some('u') if then_v => Some('U'),
            Some('i') if then_v => Some('I'),
            Some('y') => Some('Y'),
            _ => None,
        };
        if let Some(mark) = mark {
            w[i + 1] = mark;
            return true;
        }
    }
    match w[i] {
        'ë' | 'ï' => {
            let vowel = if w[i] == 'ë' { 'e' } else { 'i' };
            w[i] = 'H';
            w.insert(i + 1, vowel);
        }
        'y' if next.is_some_and(is_v) => w[i] = 'Y',
        'q' if next == Some('u') => w[i + 1] = 'U',
        _ => return false,
    }
    true
}

fn regions(w: &[char]) -> Regions {
    let n = w.len();
    let rv = if n >= 3 && is_v(w[0]) && is_v(w[1]) {
        3
    } else if w.starts_with(&['p', 'a', 'r'])
        || w.starts_with(&['c', 'o', 'l'])
        || w.starts_with(&['t', 'a', 'p'])
    {
        // Exceptions: paris, colis, tapis keep their -is.
        3
    } else {
        w.iter().skip(1).position(|&c| is_v(c)).map_or(n, |k| k + 2)
    };
    let r1 = region_after(w, 0, is_v);
    let r2 = region_after(w, r1, is_v);
    Regions { rv, r1, r2 }
}

/// Step 1. True when it removed or rewrote a suffix and step 2 is to be
/// skipped; -amment, -emment and -ment return false even after a change.
fn standard_suffix(w: &mut Vec<char>, r: Regions) -> bool {
    #[derive(Clone, Copy)]
    enum Then {
        /// delete in R2
        Delete,
        /// delete in R2, then -ic before: delete in R2, else -iqU
        Atrice,
        /// in R2, to the given ending
        To(&'static str),
        /// -ement(s) in RV, then -iv(at), -eus, -abl, -iqU, -ièr before it
        Ement,
        /// -ité(s) in R2, then -abil, -ic, -iv before it
        Ite,
        /// -if -ive(s) in R2, then -at(ic) before it
        If,
        /// -eaux to -eau
        Eaux,
        /// -aux to -al in R1
        Aux,
        /// -euse(s): deleted in R2, -eux in R1
        Euse,
        /// -issement(s) in R1 after a consonant (a verb's -iss-)
        Issement,
        /// in RV, to the given ending, then on to step 2
        Adverb(&'static str),
        /// -ment(s) after a vowel in RV, then on to step 2
        Ment,
    }
    use Then::*;
    static SUFFIXES: Among<Then, 43> = Among::new([
        ("ance", Delete),
        ("iqUe", Delete),
        ("isme", Delete),
        ("able", Delete),
        ("iste", Delete),
        ("eux", Delete),
        ("ances", Delete),
        ("iqUes", Delete),
        ("ismes", Delete),
        ("ables", Delete),
        ("istes", Delete),
        ("atrice", Atrice),
        ("ateur", Atrice),
        ("ation", Atrice),
        ("atrices", Atrice),
        ("ateurs", Atrice),
        ("ations", Atrice),
        ("logie", To("log")),
        ("logies", To("log")),
        ("usion", To("u")),
        ("ution", To("u")),
        ("usions", To("u")),
        ("utions", To("u")),
        ("ence", To("ent")),
        ("ences", To("ent")),
        ("ement", Ement),
        ("ements", Ement),
        ("ité", Ite),
        ("ités", Ite),
        ("if", If),
        ("ive", If),
        ("ifs", If),
        ("ives", If),
        ("eaux", Eaux),
        ("aux", Aux),
        ("euse", Euse),
        ("euses", Euse),
        ("issement", Issement),
        ("issements", Issement),
        ("amment", Adverb("ant")),
        ("emment", Adverb("ent")),
        ("ment", Ment),
        ("ments", Ment),
    ]);
    let Some((s, then)) = SUFFIXES.find(w, w.len(), 0) else {
        return false;
    };
    let Regions { rv, r1, r2 } = r;
    // "-ic" before a removed suffix: gone in R2, otherwise written -iqU.
    let ic = |w: &mut Vec<char>, end: usize| {
        if let Some(at) = suffix_at(w, end, "ic") {
            if at >= r2 {
                w.truncate(at);
            } else {
                replace_from(w, at, "iqU");
            }
        }
    };
    match then {
        Delete | Atrice | To(_) | Ite | If if s < r2 => return false,
        Delete => w.truncate(s),
        Atrice => {
            w.truncate(s);
            ic(w, s);
        }
        To(with) => replace_from(w, s, with),
        Ement => {
            if s < rv {
                return false;
            }
            w.truncate(s);
            #[derive(Clone, Copy)]
            enum Before {
                Iv,
                Eus,
                AblIqU,
                Ier,
            }
            static BEFORE: Among<Before, 6> = Among::new([
                ("iv", Before::Iv),
                ("eus", Before::Eus),
                ("abl", Before::AblIqU),
                ("iqU", Before::AblIqU),
                ("ièr", Before::Ier),
                ("Ièr", Before::Ier),
            ]);
            match BEFORE.find(w, s, 0) {
                Some((at, Before::Iv)) if at >= r2 => {
                    w.truncate(at);
                    if let Some(at) = suffix_at(w, at, "at").filter(|&a| a >= r2) {
                        w.truncate(at);
                    }
                }
                Some((at, Before::Eus)) if at >= r2 => w.truncate(at),
                Some((at, Before::Eus)) if at >= r1 => replace_from(w, at, "eux"),
                Some((at, Before::AblIqU)) if at >= r2 => w.truncate(at),
                Some((at, Before::Ier)) if at >= rv => replace_from(w, at, "i"),
                _ => {}
            }
        }
        Ite => {
            w.truncate(s);
            // Outside R2, -abil and -ic are rewritten (-iv is left).
            static BEFORE: Among<Option<&str>, 3> =
                Among::new([("abil", Some("abl")), ("ic", Some("iqU")), ("iv", None)]);
            match BEFORE.find(w, s, 0) {
                Some((at, _)) if at >= r2 => w.truncate(at),
                Some((at, Some(with))) => replace_from(w, at, with),
                _ => {}
            }
        }
        If => {
            w.truncate(s);
            if let Some(at) = suffix_at(w, s, "at").filter(|&a| a >= r2) {
                w.truncate(at);
                ic(w, at);
            }
        }
        Eaux => replace_from(w, s, "eau"),
        Aux if s >= r1 => replace_from(w, s, "al"),
        Euse if s >= r2 => w.truncate(s),
        Euse if s >= r1 => replace_from(w, s, "eux"),
        Issement if s >= r1 && s >= 1 && !is_v(w[s - 1]) => w.truncate(s),
        Aux | Euse | Issement => return false,
        Adverb(with) => {
            if s >= rv {
                replace_from(w, s, with);
            }
            return false;
        }
        Ment => {
            // A vowel in RV before it: rapidement -> rapide, then step 2.
            if s > rv && is_v(w[s - 1]) {
                w.truncate(s);
            }
            return false;
        }
    }
    true
}

/// Step 2a: -ir verb endings in RV, after a consonant (also in RV) that is not
/// the mark H of ï.
fn i_verb_suffix(w: &mut Vec<char>, r: Regions) -> bool {
    static SUFFIXES: Among<(), 35> = Among::suffixes([
        "îmes", "ît", "îtes", "i", "ie", "ies", "ir", "ira", "irai", "iraIent", "irais", "irait",
        "iras", "irent", "irez", "iriez", "irions", "irons", "iront", "is", "issaIent", "issais",
        "issait", "issant", "issante", "issantes", "issants", "isse", "issent", "isses", "issez",
        "issiez", "issions", "issons", "it",
    ]);
    match SUFFIXES.start(w, w.len(), r.rv) {
        Some(s) if s > r.rv && w[s - 1] != 'H' && !is_v(w[s - 1]) => {
            w.truncate(s);
            true
        }
        _ => false,
    }
}

/// Step 2b: other verb endings in RV.
fn verb_suffix(w: &mut Vec<char>, r: Regions) -> bool {
    #[derive(Clone, Copy)]
    enum Then {
        /// -ions, in R2
        Ions,
        Delete,
        /// and an e before it, if that is in RV too
        DeleteE,
    }
    use Then::*;
    static SUFFIXES: Among<Then, 38> = Among::new([
        ("ions", Ions),
        ("é", Delete),
        ("ée", Delete),
        ("ées", Delete),
        ("és", Delete),
        ("èrent", Delete),
        ("er", Delete),
        ("era", Delete),
        ("erai", Delete),
        ("eraIent", Delete),
        ("erais", Delete),
        ("erait", Delete),
        ("eras", Delete),
        ("erez", Delete),
        ("eriez", Delete),
        ("erions", Delete),
        ("erons", Delete),
        ("eront", Delete),
        ("ez", Delete),
        ("iez", Delete),
        ("âmes", DeleteE),
        ("ât", DeleteE),
        ("âtes", DeleteE),
        ("a", DeleteE),
        ("ai", DeleteE),
        ("aIent", DeleteE),
        ("ais", DeleteE),
        ("ait", DeleteE),
        ("ant", DeleteE),
        ("ante", DeleteE),
        ("antes", DeleteE),
        ("ants", DeleteE),
        ("as", DeleteE),
        ("asse", DeleteE),
        ("assent", DeleteE),
        ("asses", DeleteE),
        ("assiez", DeleteE),
        ("assions", DeleteE),
    ]);
    // -ons is left alone: Snowball found it best omitted.
    let Some((s, then)) = SUFFIXES.find(w, w.len(), r.rv) else {
        return false;
    };
    match then {
        Ions if s < r.r2 => return false,
        Ions | Delete => w.truncate(s),
        DeleteE if s > r.rv && w[s - 1] == 'e' => w.truncate(s - 1),
        DeleteE => w.truncate(s),
    }
    true
}

/// Step 4, when steps 1 and 2 removed nothing.
fn residual_suffix(w: &mut Vec<char>, r: Regions) {
    let n = w.len();
    if n >= 2 && w[n - 1] == 's' {
        // Not after a i o u è s (bras, gris, os, jus, procès, stress), but
        // after ï, which the prelude wrote Hi (maïs -> maï).
        let before = w[n - 2];
        let after_i_diaeresis = n >= 3 && w[n - 3] == 'H' && before == 'i';
        if after_i_diaeresis || !matches!(before, 'a' | 'i' | 'o' | 'u' | 'è' | 's') {
            w.pop();
        }
    }
    #[derive(Clone, Copy)]
    enum Then {
        Ion,
        ToI,
        E,
    }
    use Then::*;
    static SUFFIXES: Among<Then, 6> = Among::new([
        ("ion", Ion),
        ("ier", ToI),
        ("ière", ToI),
        ("Ier", ToI),
        ("Ière", ToI),
        ("e", E),
    ]);
    match SUFFIXES.find(w, w.len(), r.rv) {
        // -ion in R2 after s or t, itself in RV: décision -> décis
        Some((s, Ion)) if s >= r.r2 && s > r.rv && matches!(w[s - 1], 's' | 't') => w.truncate(s),
        Some((s, ToI)) => replace_from(w, s, "i"),
        Some((s, E)) => w.truncate(s),
        _ => {}
    }
}

/// Step 5: -enn -onn -ett -ell -eill lose their last letter.
fn un_double(w: &mut Vec<char>) {
    if ["enn", "onn", "ett", "ell", "eill"]
        .iter()
        .any(|s| ends_with(w, s))
    {
        w.pop();
    }
}

/// Step 6: é or è followed by one or more consonants to the end becomes e.
fn un_accent(w: &mut [char]) {
    let n = w.len();
    let j = w.iter().rposition(|&c| is_v(c)).map_or(0, |k| k + 1);
    if j < n && j >= 1 && matches!(w[j - 1], 'é' | 'è') {
        w[j - 1] = 'e';
    }
}

/// I U Y to lower case, He Hi back to ë ï, any other H mark dropped.
fn postlude(w: &mut Vec<char>) {
    let mut out = 0;
    let mut i = 0;
    while i < w.len() {
        let c = match w[i] {
            'I' => Some('i'),
            'U' => Some('u'),
            'Y' => Some('y'),
            'H' => match w.get(i + 1) {
                Some('e') => {
                    i += 1;
                    Some('ë')
                }
                Some('i') => {
                    i += 1;
                    Some('ï')
                }
                _ => None,
            },
            c => Some(c),
        };
        if let Some(c) = c {
            w[out] = c;
            out += 1;
        }
        i += 1;
    }
    w.truncate(out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(w: &str) -> String {
        FrenchStemmer.stem(w)
    }

    #[test]
    fn words_from_the_algorithm_page() {
        for (word, expected) in [
            ("continu", "continu"),
            ("continua", "continu"),
            ("continuait", "continu"),
            ("continuant", "continu"),
            ("continuation", "continu"),
            ("continue", "continu"),
            ("continué", "continu"),
            ("continuel", "continuel"),
            ("continuelle", "continuel"),
            ("continuellement", "continuel"),
            ("continuelles", "continuel"),
            ("continuels", "continuel"),
            ("continuer", "continu"),
            ("continuez", "continu"),
            ("continuité", "continu"),
            ("continûment", "continû"),
            ("main", "main"),
            ("mains", "main"),
            ("maintenait", "mainten"),
            ("maintenant", "mainten"),
            ("maintenir", "mainten"),
            ("maintenue", "maintenu"),
            ("maintien", "maintien"),
            ("paris", "paris"),
            ("aiguë", "aigu"),
            ("maïs", "maï"),
            ("ambiguïté", "ambigu"),
        ] {
            assert_eq!(stem(word), expected, "{word}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        assert_eq!(stem(""), "");
        assert_eq!(stem("ë"), "ë");
        assert_eq!(stem("ï"), "ï");
        assert_eq!(stem("q"), "q");
        assert_eq!(stem("qu"), "qu");
        assert_eq!(stem("123"), "123");
        assert_eq!(stem("l'homme"), "l'homm");
        assert_eq!(stem("日本語es"), "日本語e");
        // Capitals are consonants and come back as they were: an 'H' of the
        // input is not the prelude's mark.
        assert_eq!(stem("Hôtels"), "Hôtel");
        assert_eq!(stem("CONTINUATION"), "CONTINUATION");
        assert_eq!(stem("aIe"), "aIe");
    }
}
