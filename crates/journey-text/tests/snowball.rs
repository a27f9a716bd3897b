//! Snowball stemmers for German, French and Spanish against Snowball's own
//! vocabularies (Debian's `snowball-data` 0+20210120: `<lang>/voc.txt` ->
//! `<lang>/output.txt`, line by line, every word equal), and against the
//! `rust-stemmers` crate, a port of an older Snowball release, whose few
//! differences must all be the algorithms' revisions since.
//!
//! The vocabularies are found in `$SNOWBALL_DATA`, else in
//! `/usr/share/snowball/data` (`apt-get install snowball-data`). German is
//! also run over the real text of Multi30k (`$JOURNEY_DATA`).

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use journey_text::snowball_french::FrenchStemmer;
use journey_text::snowball_german::GermanStemmer;
use journey_text::snowball_spanish::SpanishStemmer;
use journey_text::Stemmer;
use rust_stemmers::{Algorithm, Stemmer as Oracle};

/// The snowball-data folder, or `None` (after printing why) when it is
/// missing and not required.
///
/// # Panics
/// When `JOURNEY_REQUIRE_DATA=1` and the folder cannot be found.
fn snowball_data() -> Option<PathBuf> {
    let dir = std::env::var_os("SNOWBALL_DATA")
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from("/usr/share/snowball/data"), PathBuf::from);
    if dir.join("german/voc.txt").is_file() {
        return Some(dir);
    }
    let why = format!(
        "no Snowball vocabularies in {} (install them with `apt-get install snowball-data`, \
         or set SNOWBALL_DATA to a folder holding german/, french/, spanish/)",
        dir.display()
    );
    if std::env::var("JOURNEY_REQUIRE_DATA").is_ok_and(|v| v == "1") {
        panic!("JOURNEY_REQUIRE_DATA=1 but {why}");
    }
    eprintln!("skipping: {why}");
    None
}

/// `(word, expected stem)` pairs of `lang/voc.txt` and `lang/output.txt`.
fn vocabulary(lang: &str) -> Option<Vec<(String, String)>> {
    let dir = snowball_data()?.join(lang);
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    };
    let (voc, out) = (read("voc.txt"), read("output.txt"));
    let words: Vec<&str> = voc.lines().collect();
    let stems: Vec<&str> = out.lines().collect();
    assert_eq!(
        words.len(),
        stems.len(),
        "{lang}: voc.txt and output.txt differ in length"
    );
    assert!(words.len() > 20_000, "{lang}: only {} words", words.len());
    Some(
        words
            .into_iter()
            .zip(stems)
            .map(|(w, s)| (w.to_string(), s.to_string()))
            .collect(),
    )
}

/// The words of `pairs` on which `stem` differs from the expected stem, as
/// "word: expected …, got …".
fn misses(pairs: &[(String, String)], stem: impl Fn(&str) -> String) -> Vec<String> {
    pairs
        .iter()
        .filter_map(|(word, expected)| {
            let got = stem(word);
            (got != *expected).then(|| format!("{word:?}: expected {expected:?}, got {got:?}"))
        })
        .collect()
}

/// Asserts `stem(word) == expected` for every pair, listing the first misses.
fn assert_all(name: &str, pairs: &[(String, String)], stem: impl Fn(&str) -> String) {
    let misses = misses(pairs, stem);
    assert!(
        misses.is_empty(),
        "{name}: {} of {} words differ; first ones:\n{}",
        misses.len(),
        pairs.len(),
        misses[..misses.len().min(20)].join("\n")
    );
    eprintln!("{name}: {} of {} words equal", pairs.len(), pairs.len());
}

#[test]
fn german_matches_snowball_vocabulary() {
    let Some(pairs) = vocabulary("german") else {
        return;
    };
    assert_all("german", &pairs, |w| GermanStemmer.stem(w));
}

#[test]
fn french_matches_snowball_vocabulary() {
    let Some(pairs) = vocabulary("french") else {
        return;
    };
    assert_all("french", &pairs, |w| FrenchStemmer.stem(w));
}

#[test]
fn spanish_matches_snowball_vocabulary() {
    let Some(pairs) = vocabulary("spanish") else {
        return;
    };
    assert_all("spanish", &pairs, |w| SpanishStemmer.stem(w));
}

/// Stems `pairs` with ours and with rust-stemmers; every difference must be a
/// word on which ours gives Snowball's (2021) stem and `revised` says why the
/// older release differs. Returns the number of differences.
fn differences_with_rust_stemmers(
    name: &str,
    pairs: &[(String, String)],
    ours: &dyn Stemmer,
    algorithm: Algorithm,
    revised: impl Fn(&str) -> bool,
) -> usize {
    let oracle = Oracle::create(algorithm);
    let mut differ = Vec::new();
    for (word, expected) in pairs {
        let (got, old) = (ours.stem(word), oracle.stem(word));
        if got != old {
            assert_eq!(&got, expected, "{name}: {word:?}");
            assert!(
                revised(word),
                "{name}: {word:?}: ours {got:?}, rust-stemmers {old:?}, and no revision explains it"
            );
            differ.push(format!("{word} -> {got} (rust-stemmers {old})"));
        }
    }
    eprintln!(
        "{name}: rust-stemmers agrees on {} of {} words; differs on {}{}",
        pairs.len() - differ.len(),
        pairs.len(),
        differ.len(),
        if differ.is_empty() {
            String::new()
        } else {
            format!(", e.g.\n  {}", differ[..differ.len().min(5)].join("\n  "))
        }
    );
    differ.len()
}

#[test]
fn german_and_spanish_agree_with_rust_stemmers_on_vocabulary() {
    for (lang, ours, algorithm) in [
        ("german", &GermanStemmer as &dyn Stemmer, Algorithm::German),
        ("spanish", &SpanishStemmer, Algorithm::Spanish),
    ] {
        let Some(pairs) = vocabulary(lang) else {
            return;
        };
        // Neither algorithm changed on these words between the releases.
        let n = differences_with_rust_stemmers(lang, &pairs, ours, algorithm, |_| false);
        assert_eq!(n, 0);
    }
}

/// rust-stemmers ports a French algorithm older than the one that writes ë
/// and ï as a mark before e and i (so that "héroïque" loses -ïque like
/// "héros" loses -s): it differs on words with ë or ï, and only there.
#[test]
fn french_differs_from_rust_stemmers_only_on_diaeresis() {
    let Some(pairs) = vocabulary("french") else {
        return;
    };
    let n =
        differences_with_rust_stemmers("french", &pairs, &FrenchStemmer, Algorithm::French, |w| {
            w.contains(['ë', 'ï'])
        });
    assert_eq!(n, 79);
}

/// The distinct alphabetic words of Multi30k's German training text.
fn multi30k_german_words(lower: bool) -> Option<BTreeSet<String>> {
    let path = common::data_file("eval/parallel/multi30k/train.de")?;
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let words: BTreeSet<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if lower {
                w.to_lowercase()
            } else {
                w.to_string()
            }
        })
        .collect();
    assert!(words.len() > 10_000, "only {} distinct words", words.len());
    Some(words)
}

/// Real text: every distinct lower-cased word of Multi30k's German side.
/// Where rust-stemmers disagreed on a word of Snowball's vocabulary, ours
/// would have to give Snowball's stem; on these 17,823 words it never does.
#[test]
fn german_agrees_with_rust_stemmers_on_multi30k() {
    let Some(words) = multi30k_german_words(true) else {
        return;
    };
    let voc: HashMap<String, String> = vocabulary("german")
        .map(|pairs| pairs.into_iter().collect())
        .unwrap_or_default();
    let pairs: Vec<(String, String)> = words
        .into_iter()
        .map(|w| {
            let expected = voc
                .get(&w)
                .cloned()
                .unwrap_or_else(|| GermanStemmer.stem(&w));
            (w, expected)
        })
        .collect();
    let n = differences_with_rust_stemmers(
        "german multi30k",
        &pairs,
        &GermanStemmer,
        Algorithm::German,
        |_| false,
    );
    assert_eq!(n, 0);
}

/// Words as written, capitals and all: a capital is a consonant for both, so
/// the stems agree, except where Snowball's generated code takes a capital U
/// or Y of the input for its own mark and lowers it (we keep the letter).
#[test]
fn german_capitals_as_in_the_text() {
    let Some(words) = multi30k_german_words(false) else {
        return;
    };
    let oracle = Oracle::create(Algorithm::German);
    let mut marks = 0;
    for w in &words {
        let (ours, old) = (GermanStemmer.stem(w), oracle.stem(w));
        if w.contains(['U', 'Y']) {
            marks += usize::from(ours != old);
            assert_eq!(ours.to_lowercase(), old.to_lowercase(), "{w:?}");
        } else {
            assert_eq!(ours, old, "{w:?}");
        }
    }
    eprintln!(
        "german multi30k as written: {} words, {marks} differ only by a capital U or Y",
        words.len()
    );
}

/// Odd input needs no data: empty, one letter, digits, punctuation, other
/// scripts, combining marks, emoji; lower case, so rust-stemmers must agree
/// (French: no ë or ï here).
#[test]
fn odd_words_agree_with_rust_stemmers() {
    let odd = [
        "",
        "a",
        "e",
        "s",
        "ß",
        "ßß",
        "é",
        "qu",
        "uu",
        "yyy",
        "aya",
        "aua",
        "123",
        "3er",
        "--",
        "l'homme",
        "d'état",
        "¿qué?",
        "日本",
        "日本語en",
        "e\u{301}s",
        "\u{301}ment",
        "🙂es",
        "ñandúes",
        "ıi",
        "\u{0}",
    ];
    for (ours, algorithm) in [
        (&GermanStemmer as &dyn Stemmer, Algorithm::German),
        (&FrenchStemmer, Algorithm::French),
        (&SpanishStemmer, Algorithm::Spanish),
    ] {
        let oracle = Oracle::create(algorithm);
        for word in odd {
            assert_eq!(ours.stem(word), oracle.stem(word), "{algorithm:?} {word:?}");
        }
    }
}

/// Every word of up to four letters over an alphabet of vowels, the letters
/// the preludes mark (u y i q ß ë ï), capitals that look like those marks, a
/// private-use stand-in for a capital and a combining accent: no panic, and
/// nothing of the input's capitals is lost.
#[test]
fn short_words_over_odd_letters_do_not_panic() {
    let alphabet = [
        'a',
        'e',
        'i',
        'u',
        'y',
        'q',
        's',
        'n',
        'ß',
        'ë',
        'ï',
        'é',
        'ç',
        'U',
        'H',
        'I',
        '\u{F0007}',
        '\u{301}',
    ];
    let stemmers: [&dyn Stemmer; 3] = [&GermanStemmer, &FrenchStemmer, &SpanishStemmer];
    let mut word = String::new();
    let mut count = 0;
    for len in 0..=4u32 {
        for mut k in 0..alphabet.len().pow(len) {
            word.clear();
            for _ in 0..len {
                word.push(alphabet[k % alphabet.len()]);
                k /= alphabet.len();
            }
            for stemmer in stemmers {
                let stem = stemmer.stem(&word);
                let capitals = |s: &str| s.chars().filter(char::is_ascii_uppercase).count();
                assert_eq!(capitals(&stem), capitals(&word), "{word:?} -> {stem:?}");
            }
            count += 1;
        }
    }
    eprintln!("{count} short words, 3 stemmers, no panic");
}
