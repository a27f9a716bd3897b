//! Parity of the WordNet lemmatizer with NLTK 3.10.4, and its errors.
//!
//! Fixtures come from `tools/reference/lemmatize_golden.py`; the WordNet
//! database from `$JOURNEY_DATA/lexicons/wordnet-3.0`. Run with
//! `JOURNEY_DATA=../shared/data cargo test -p journey-text --test lemmatizer`.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use journey_text::lemmatizer::WordNetLemmatizer;
use journey_text::wordnet::{Pos, WordNet};
use journey_text::TextError;

/// The lemmatizer over the shared WordNet, loaded once for all tests; `None`
/// when the data is not available (the test then skips).
fn lemmatizer() -> Option<&'static WordNetLemmatizer> {
    static LEMMATIZER: OnceLock<Option<WordNetLemmatizer>> = OnceLock::new();
    LEMMATIZER
        .get_or_init(|| {
            let dir = common::data_file("lexicons/wordnet-3.0")?;
            Some(WordNetLemmatizer::open(&dir).expect("the shared WordNet 3.0 loads"))
        })
        .as_ref()
}

/// Rows of a fixture TSV, without the `#` provenance line and the header.
fn rows(name: &str) -> Vec<Vec<String>> {
    let path = common::fixture(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run tools/reference/lemmatize_golden.py",
            path.display()
        )
    });
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .skip(1)
        .map(|line| line.split('\t').map(str::to_string).collect())
        .collect()
}

/// Compares `word n v a r` rows per part of speech; returns the parity per
/// POS after printing it with the first mismatches.
fn parity(lemmatizer: &WordNetLemmatizer, name: &str) -> Vec<(Pos, f64)> {
    let rows = rows(name);
    assert!(
        rows.iter().all(|r| r.len() == 5),
        "{name}: rows need 5 columns"
    );
    let mut rates = Vec::new();
    for (column, pos) in Pos::ALL.into_iter().enumerate() {
        let mut mismatches = Vec::new();
        for row in &rows {
            let got = lemmatizer.lemmatize(&row[0], pos);
            if got != row[column + 1] {
                mismatches.push(format!(
                    "{:?}: nltk {:?}, ours {:?}",
                    row[0],
                    row[column + 1],
                    got
                ));
            }
        }
        let rate = 1.0 - mismatches.len() as f64 / rows.len() as f64;
        println!(
            "{name} pos={pos}: parity {:.4}% ({} of {} words equal)",
            100.0 * rate,
            rows.len() - mismatches.len(),
            rows.len()
        );
        for m in mismatches.iter().take(10) {
            println!("  mismatch {m}");
        }
        rates.push((pos, rate));
    }
    rates
}

#[test]
fn parity_with_nltk_on_corpus_words() {
    let Some(lemmatizer) = lemmatizer() else {
        return;
    };
    for (pos, rate) in parity(lemmatizer, "wordnet_lemmas.tsv") {
        assert!(rate >= 0.999, "pos {pos}: parity {rate} below 99.9%");
    }
}

#[test]
fn parity_with_nltk_on_exception_forms_and_tricky_words() {
    let Some(lemmatizer) = lemmatizer() else {
        return;
    };
    for (pos, rate) in parity(lemmatizer, "wordnet_lemmas_extra.tsv") {
        assert_eq!(rate, 1.0, "pos {pos}: every tricky case must match");
    }
}

#[test]
fn morphy_candidates_match_nltk() {
    let Some(lemmatizer) = lemmatizer() else {
        return;
    };
    let mut failures = Vec::new();
    for row in rows("wordnet_morphy.tsv") {
        let [word, pos, check, expected] = &row[..] else {
            panic!("wordnet_morphy.tsv: bad row {row:?}")
        };
        let pos: Pos = pos.parse().unwrap();
        let check = check == "true";
        let got = lemmatizer.morphy_all(word, pos, check).join(" ");
        if &got != expected {
            failures.push(format!(
                "_morphy({word:?}, {pos}, {check}): nltk {expected:?}, ours {got:?}"
            ));
        }
        let first = expected.split(' ').next().filter(|f| !f.is_empty());
        assert_eq!(lemmatizer.morphy(word, Some(pos), check).as_deref(), first);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn known_lemmas() {
    let Some(l) = lemmatizer() else { return };
    let s: Pos = "s".parse().unwrap();
    let cases = [
        ("dogs", Pos::Noun, "dog"),
        ("geese", Pos::Noun, "goose"),
        ("abaci", Pos::Noun, "abacus"),
        ("us", Pos::Noun, "u"),
        ("ran", Pos::Verb, "run"),
        ("better", Pos::Adj, "good"),
        ("better", s, "good"),
        ("Dogs", Pos::Noun, "Dogs"),
        ("hot_dogs", Pos::Noun, "hot_dog"),
        ("hot dogs", Pos::Noun, "hot dogs"),
        ("Anythinggoeszxcv", Pos::Noun, "Anythinggoeszxcv"),
        ("", Pos::Noun, ""),
    ];
    for (word, pos, lemma) in cases {
        assert_eq!(l.lemmatize(word, pos), lemma, "{word:?} as {pos}");
    }
    assert_eq!(l.morphy("dogs", None, true).as_deref(), Some("dog"));
    assert_eq!(l.morphy("catss", None, true), None);
    assert!(l.wordnet().lemma_count(Pos::Noun) > 100_000);
    assert!(l.wordnet().exception_count(Pos::Verb) > 2_000);
}

#[test]
fn batch_equals_one_by_one() {
    let Some(lemmatizer) = lemmatizer() else {
        return;
    };
    let words: Vec<String> = rows("wordnet_lemmas_extra.tsv")
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    for pos in Pos::ALL {
        let batch = lemmatizer.lemmatize_batch(&words, pos);
        let single: Vec<String> = words.iter().map(|w| lemmatizer.lemmatize(w, pos)).collect();
        assert_eq!(batch, single);
    }
}

#[test]
fn invalid_pos_is_an_error() {
    for bad in ["x", "N", "noun", ""] {
        match bad.parse::<Pos>() {
            Err(TextError::Invalid(message)) => assert!(message.contains("n (noun)"), "{message}"),
            other => panic!("{bad:?} parsed as {other:?}"),
        }
    }
}

// ---- errors on damaged databases (no shared data needed) ----

/// A scratch WordNet folder with tiny but valid files, removed on drop.
struct TinyWordNet(PathBuf);

impl TinyWordNet {
    fn new(name: &str) -> TinyWordNet {
        let dir =
            std::env::temp_dir().join(format!("journey-wordnet-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let header =
            "  1 This software and database is being provided to you, the LICENSEE, by  \n";
        let files = [
            (
                "index.noun",
                "dog n 2 1 @ 2 1 02084071 10114209  \ngoose n 1 0 1 0 01855672  \n",
            ),
            ("index.verb", "run v 1 0 1 0 01926311  \n"),
            ("index.adj", "good a 1 0 1 0 01123148  \n"),
            ("index.adv", "well r 1 0 1 0 00011093  \n"),
            ("noun.exc", "geese goose\n"),
            ("verb.exc", "ran run\n"),
            ("adj.exc", "better good well\n"),
            ("adv.exc", "better well\n"),
        ];
        for (file, body) in files {
            let text = if file.starts_with("index") {
                format!("{header}{body}")
            } else {
                body.to_string()
            };
            std::fs::write(dir.join(file), text).unwrap();
        }
        TinyWordNet(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TinyWordNet {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn tiny_database_lemmatizes() {
    let tiny = TinyWordNet::new("ok");
    let l = WordNetLemmatizer::open(tiny.path()).unwrap();
    assert_eq!(l.lemmatize("dogs", Pos::Noun), "dog");
    assert_eq!(l.lemmatize("geese", Pos::Noun), "goose");
    assert_eq!(l.lemmatize("ran", Pos::Verb), "run");
    assert_eq!(l.lemmatize("better", Pos::Adj), "good");
    assert_eq!(l.lemmatize("better", Pos::Adv), "well");
    assert_eq!(l.lemmatize("cats", Pos::Noun), "cats");
    assert_eq!(l.wordnet().lemma_count(Pos::Noun), 2);
}

#[test]
fn missing_folder_is_missing_wordnet() {
    let dir = std::env::temp_dir().join("journey-wordnet-does-not-exist");
    match WordNet::open(&dir) {
        Err(TextError::MissingWordNet { path, missing }) => {
            assert_eq!(path, dir);
            assert!(missing.contains("folder"), "{missing}");
        }
        other => panic!("expected MissingWordNet, got {other:?}"),
    }
}

#[test]
fn missing_file_is_missing_wordnet() {
    let tiny = TinyWordNet::new("missing");
    std::fs::remove_file(tiny.path().join("verb.exc")).unwrap();
    std::fs::remove_file(tiny.path().join("index.adj")).unwrap();
    match WordNet::open(tiny.path()) {
        Err(err @ TextError::MissingWordNet { .. }) => {
            let message = err.to_string();
            assert!(message.contains("index.adj, verb.exc"), "{message}");
        }
        other => panic!("expected MissingWordNet, got {other:?}"),
    }
}

#[test]
fn truncated_index_is_malformed() {
    let tiny = TinyWordNet::new("truncated");
    let index = tiny.path().join("index.noun");
    let mut text = std::fs::read_to_string(&index).unwrap();
    text.push_str("hound n 2 1 @ 2 1 0208");
    text.truncate(text.len() - 6); // cut inside the synset offsets
    std::fs::write(&index, text).unwrap();
    let err = WordNet::open(tiny.path()).unwrap_err();
    assert!(
        err.to_string().contains("index.noun:4: entry \"hound\""),
        "{err}"
    );
    match err {
        TextError::Malformed { path, line, .. } => assert_eq!((path, line), (index, 4)),
        other => panic!("expected Malformed, got {other:?}"),
    }
}

#[test]
fn bad_count_is_malformed() {
    let tiny = TinyWordNet::new("badcount");
    let index = tiny.path().join("index.verb");
    std::fs::write(&index, "run v one 0 1 0 01926311\n").unwrap();
    assert!(matches!(
        WordNet::open(tiny.path()),
        Err(TextError::Malformed { line: 1, .. })
    ));
}

#[test]
fn invalid_utf8_is_reported() {
    let tiny = TinyWordNet::new("utf8");
    let exc = tiny.path().join("adj.exc");
    std::fs::write(&exc, b"better good\nbigg\xff big\n").unwrap();
    match WordNet::open(tiny.path()) {
        Err(TextError::InvalidUtf8 { path, offset }) => {
            assert_eq!(path, exc);
            assert_eq!(offset, 16);
        }
        other => panic!("expected InvalidUtf8, got {other:?}"),
    }
}
