//! Snowball's Spanish stemmer
//! (<https://snowballstem.org/algorithms/spanish/stemmer.html>), as released in
//! January 2021 (the `spanish` vocabulary of Debian's snowball-data
//! 0+20210120).
//!
//! Three regions: RV (after the next vowel when the second letter is a
//! consonant, after the next consonant when the word opens with two vowels,
//! otherwise after the third letter), R1 and R2 (after the first non-vowel
//! that follows a vowel, and again inside R1). Then, working from the end of
//! the word:
//!
//! 0. an attached pronoun (-me -se -la -lo -nos -selos …) goes after a gerund
//!    or an infinitive in RV (acercándose -> acercando, the accent dropped
//!    too);
//! 1. a standard suffix (-anza, -ación, -logía, -encia, -amente, -idad, -ivo …)
//!    in R2 (-amente in R1), each with its own follow-ups;
//! 2. if step 1 removed nothing: a verb ending in -y… in RV after u
//!    (concluyeron -> conclu), or else any other verb ending in RV (-aríamos, -ieron,
//!    -en; -en -es -éis -emos take a u after g with them);
//! 3. in any case a residual -os -a -o -á -í -ó in RV, or -e -é in RV (with the
//!    u of a -gue).
//!
//! A postlude then removes the acute accents (á é í ó ú; ü and ñ stay).
//!
//! Vowels are a e i o u á é í ó ú ü. Any other character, a capital included,
//! is a consonant that no suffix matches (see `snowball.rs`): Snowball expects
//! lower-case words.
//!
//! Cost: O(n) time for a word of n characters (one pass for the regions, at
//! most eight `Among` (`snowball.rs`) lookups, a pass for the postlude); the
//! returned `String` is the only allocation per word.

use crate::snowball::{region_after, replace_from, run, suffix_at, Among};
use crate::Stemmer;

/// Snowball's Spanish stemmer.
#[derive(Debug, Clone, Copy, Default)]
pub struct SpanishStemmer;

impl Stemmer for SpanishStemmer {
    fn stem(&self, word: &str) -> String {
        run(word, spanish)
    }
}

/// The regions: RV, R1, R2 as positions in the word.
#[derive(Clone, Copy)]
struct Regions {
    rv: usize,
    r1: usize,
    r2: usize,
}

fn spanish(w: &mut Vec<char>) {
    let r = regions(w);
    attached_pronoun(w, r);
    if !standard_suffix(w, r) && !y_verb_suffix(w, r) {
        verb_suffix(w, r);
    }
    residual_suffix(w, r);
    postlude(w);
}

#[inline]
fn is_v(c: char) -> bool {
    matches!(
        c,
        'a' | 'e' | 'i' | 'o' | 'u' | 'á' | 'é' | 'í' | 'ó' | 'ú' | 'ü'
    )
}

fn regions(w: &[char]) -> Regions {
    let n = w.len();
    // The position after the first letter from 2 on that `is` one.
    let after_first =
        |is: fn(char) -> bool| w.iter().skip(2).position(|&c| is(c)).map_or(n, |k| k + 3);
    let rv = match w {
        [] | [_] => n,
        [a, b, ..] => match (is_v(*a), is_v(*b)) {
            // oliva -> va, trabajo -> bajo: after the next vowel
            (_, false) => after_first(is_v),
            // áureo -> eo: after the next consonant
            (true, true) => after_first(|c| !is_v(c)),
            // macho -> ho: after the third letter
            (false, true) => 3.min(n),
        },
    };
    let r1 = region_after(w, 0, is_v);
    let r2 = region_after(w, r1, is_v);
    Regions { rv, r1, r2 }
}

fn attached_pronoun(w: &mut Vec<char>, r: Regions) {
    static PRONOUNS: Among<(), 13> = Among::suffixes([
        "me", "se", "sela", "selo", "selas", "selos", "la", "le", "lo", "las", "les", "los", "nos",
    ]);
    #[derive(Clone, Copy)]
    enum Then {
        /// the pronoun goes and the accent of the form with it
        To(&'static str),
        /// the pronoun goes
        Drop,
        /// the pronoun goes, after u only (construyendolo -> construyendo)
        Yendo,
    }
    use Then::*;
    static FORMS: Among<Then, 11> = Among::new([
        ("iéndo", To("iendo")),
        ("ándo", To("ando")),
        ("ár", To("ar")),
        ("ér", To("er")),
        ("ír", To("ir")),
        ("ando", Drop),
        ("iendo", Drop),
        ("ar", Drop),
        ("er", Drop),
        ("ir", Drop),
        ("yendo", Yendo),
    ]);
    let Some(pronoun) = PRONOUNS.start(w, w.len(), 0) else {
        return;
    };
    let Some((form, then)) = FORMS.find(w, pronoun, 0) else {
        return;
    };
    if form < r.rv {
        return;
    }
    match then {
        To(with) => replace_from(w, form, with),
        Drop => w.truncate(pronoun),
        Yendo if form >= 1 && w[form - 1] == 'u' => w.truncate(pronoun),
        Yendo => {}
    }
}

/// Step 1. True when a suffix went (or was rewritten) and step 2 is skipped.
fn standard_suffix(w: &mut Vec<char>, r: Regions) -> bool {
    #[derive(Clone, Copy)]
    enum Then {
        /// delete in R2
        Delete,
        /// delete in R2, then -ic before it in R2
        Ador,
        /// in R2, to the given ending
        To(&'static str),
        /// delete in R1, then -iv (and -at before it) -os -ic -ad in R2
        Amente,
        /// delete in R2, then -ante -able -ible in R2
        Mente,
        /// delete in R2, then -abil -ic -iv in R2
        Idad,
        /// delete in R2, then -at in R2
        Ivo,
    }
    use Then::*;
    static SUFFIXES: Among<Then, 46> = Among::new([
        ("anza", Delete),
        ("anzas", Delete),
        ("ico", Delete),
        ("ica", Delete),
        ("icos", Delete),
        ("icas", Delete),
        ("ismo", Delete),
        ("ismos", Delete),
        ("able", Delete),
        ("ables", Delete),
        ("ible", Delete),
        ("ibles", Delete),
        ("ista", Delete),
        ("istas", Delete),
        ("oso", Delete),
        ("osa", Delete),
        ("osos", Delete),
        ("osas", Delete),
        ("amiento", Delete),
        ("amientos", Delete),
        ("imiento", Delete),
        ("imientos", Delete),
        ("adora", Ador),
        ("ador", Ador),
        ("ación", Ador),
        ("adoras", Ador),
        ("adores", Ador),
        ("aciones", Ador),
        ("ante", Ador),
        ("antes", Ador),
        ("ancia", Ador),
        ("ancias", Ador),
        ("logía", To("log")),
        ("logías", To("log")),
        ("ución", To("u")),
        ("uciones", To("u")),
        ("encia", To("ente")),
        ("encias", To("ente")),
        ("amente", Amente),
        ("mente", Mente),
        ("idad", Idad),
        ("idades", Idad),
        ("iva", Ivo),
        ("ivo", Ivo),
        ("ivas", Ivo),
        ("ivos", Ivo),
    ]);
    let Some((s, then)) = SUFFIXES.find(w, w.len(), 0) else {
        return false;
    };
    let r2 = r.r2;
    match then {
        Amente if s < r.r1 => return false,
        Amente => {
            w.truncate(s);
            static BEFORE: Among<bool, 4> =
                Among::new([("iv", true), ("os", false), ("ic", false), ("ad", false)]);
            if let Some((at, iv)) = BEFORE.find(w, s, 0).filter(|&(at, _)| at >= r2) {
                w.truncate(at);
                if iv {
                    delete_in_r2(w, suffix_at(w, at, "at"), r2);
                }
            }
        }
        _ if s < r2 => return false,
        Delete => w.truncate(s),
        Ador => {
            w.truncate(s);
            delete_in_r2(w, suffix_at(w, s, "ic"), r2);
        }
        To(with) => replace_from(w, s, with),
        Mente => {
            w.truncate(s);
            static BEFORE: Among<(), 3> = Among::suffixes(["ante", "able", "ible"]);
            delete_in_r2(w, BEFORE.start(w, s, 0), r2);
        }
        Idad => {
            w.truncate(s);
            static BEFORE: Among<(), 3> = Among::suffixes(["abil", "ic", "iv"]);
            delete_in_r2(w, BEFORE.start(w, s, 0), r2);
        }
        Ivo => {
            w.truncate(s);
            delete_in_r2(w, suffix_at(w, s, "at"), r2);
        }
    }
    true
}

/// Deletes the word from `at` (where a suffix before the one just removed
/// starts) if that lies in R2.
fn delete_in_r2(w: &mut Vec<char>, at: Option<usize>, r2: usize) {
    if let Some(at) = at.filter(|&at| at >= r2) {
        w.truncate(at);
    }
}

/// Step 2a: verb endings in -y in RV, after a u (in RV or not).
fn y_verb_suffix(w: &mut Vec<char>, r: Regions) -> bool {
    static SUFFIXES: Among<(), 12> = Among::suffixes([
        "ya", "ye", "yan", "yen", "yeron", "yendo", "yo", "yó", "yas", "yes", "yais", "yamos",
    ]);
    match SUFFIXES.start(w, w.len(), r.rv) {
        Some(s) if s >= 1 && w[s - 1] == 'u' => {
            w.truncate(s);
            true
        }
        _ => false,
    }
}

/// Step 2b: any other verb ending in RV.
fn verb_suffix(w: &mut Vec<char>, r: Regions) {
    // These four take the u of -gu- with them (in RV or not).
    static AFTER_GU: Among<(), 4> = Among::suffixes(["en", "es", "éis", "emos"]);
    static SUFFIXES: Among<(), 92> = Among::suffixes([
        "arían", "arías", "arán", "arás", "aríais", "aría", "aréis", "aríamos", "aremos", "ará",
        "aré", "erían", "erías", "erán", "erás", "eríais", "ería", "eréis", "eríamos", "eremos",
        "erá", "eré", "irían", "irías", "irán", "irás", "iríais", "iría", "iréis", "iríamos",
        "iremos", "irá", "iré", "aba", "ada", "ida", "ía", "ara", "iera", "ad", "ed", "id", "ase",
        "iese", "aste", "iste", "an", "aban", "ían", "aran", "ieran", "asen", "iesen", "aron",
        "ieron", "ado", "ido", "ando", "iendo", "ió", "ar", "er", "ir", "as", "abas", "adas",
        "idas", "ías", "aras", "ieras", "ases", "ieses", "ís", "áis", "abais", "íais", "arais",
        "ierais", "aseis", "ieseis", "asteis", "isteis", "ados", "idos", "amos", "ábamos", "íamos",
        "imos", "áramos", "iéramos", "iésemos", "ásemos",
    ]);
    let n = w.len();
    let gu = AFTER_GU.start(w, n, r.rv);
    let other = SUFFIXES.start(w, n, r.rv);
    if let Some(s) = gu.filter(|&g| other.is_none_or(|o| g < o)) {
        let with_u = s >= 2 && w[s - 1] == 'u' && w[s - 2] == 'g';
        w.truncate(if with_u { s - 1 } else { s });
    } else if let Some(s) = other {
        w.truncate(s);
    }
}

/// Step 3: -os -a -o -á -í -ó in RV, or -e -é in RV and a u of -gu before it.
fn residual_suffix(w: &mut Vec<char>, r: Regions) {
    static SUFFIXES: Among<bool, 8> = Among::new([
        ("os", false),
        ("a", false),
        ("o", false),
        ("á", false),
        ("í", false),
        ("ó", false),
        ("e", true),
        ("é", true),
    ]);
    let Some((s, e)) = SUFFIXES.find(w, w.len(), 0) else {
        return;
    };
    if s < r.rv {
        return;
    }
    w.truncate(s);
    if e && s >= 2 && w[s - 1] == 'u' && w[s - 2] == 'g' && s > r.rv {
        w.truncate(s - 1);
    }
}

fn postlude(w: &mut [char]) {
    for c in w.iter_mut() {
        *c = match *c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' => 'u',
            c => c,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(w: &str) -> String {
        SpanishStemmer.stem(w)
    }

    #[test]
    fn words_from_the_algorithm_page() {
        for (word, expected) in [
            ("chica", "chic"),
            ("chicharrón", "chicharron"),
            ("chico", "chic"),
            ("chiquillos", "chiquill"),
            ("torá", "tor"),
            ("tórax", "torax"),
            ("torcer", "torc"),
            ("torcido", "torc"),
            ("tormenta", "torment"),
            ("tormentoso", "torment"),
            ("acercándose", "acerc"),
            ("advirtiéndoles", "advirt"),
            ("concluyeron", "conclu"),
            ("huyeron", "huyeron"),
            ("lleguen", "lleg"),
            ("rápidamente", "rapid"),
        ] {
            assert_eq!(stem(word), expected, "{word}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        assert_eq!(stem(""), "");
        assert_eq!(stem("a"), "a");
        assert_eq!(stem("é"), "e");
        assert_eq!(stem("123"), "123");
        assert_eq!(stem("¿qué?"), "¿que?"); // the postlude drops accents everywhere
        assert_eq!(stem("日本語os"), "日本語os"); // RV starts after the o
                                                  // Capitals are consonants and come back as they were.
        assert_eq!(stem("Chicos"), "Chic");
        assert_eq!(stem("CHICOS"), "CHICOS");
    }
}
