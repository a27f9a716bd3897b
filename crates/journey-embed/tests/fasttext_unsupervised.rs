//! Unsupervised fastText against its references.
//!
//! * n-grams and hashes equal gensim's `compute_ngrams_bytes` and
//!   `ft_hash_bytes` on real WikiText-2 words, non-ASCII ones included
//!   (`fasttext_subwords.json`);
//! * a model trained by Debian's `fasttext skipgram` (`fasttext_lee_dim10.bin`)
//!   loads, saves back byte for byte, and gives the vectors of in-vocabulary
//!   and out-of-vocabulary words that gensim's `load_facebook_model` and
//!   `fasttext print-word-vectors` give (`fasttext_lee_dim10.json`);
//! * training on the Lee corpus is deterministic with one thread and a seed;
//! * bad input gets an error, never a panic.
//!
//! Fixtures: `tools/reference/fasttext_unsup_golden.py`.

use journey_embed::fasttext_unsupervised::{FastText, FastTextConfig};
use journey_embed::subwords::{char_ngrams, fasttext_hash, ngram_buckets};
use journey_embed::EmbedError;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

#[test]
fn ngrams_and_hashes_match_gensim() {
    let fx = json("fasttext_subwords.json");
    let words = fx["words"].as_array().unwrap();
    assert!(words.len() > 300);
    let mut non_ascii = 0;
    for w in words {
        let word = w["word"].as_str().unwrap();
        non_ascii += usize::from(!word.is_ascii());
        let want: Vec<String> = w["ngrams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g.as_str().unwrap().to_string())
            .collect();
        assert_eq!(char_ngrams(word, 3, 6), want, "n-grams of {word:?}");
        let hashes: Vec<u64> = w["hashes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_u64().unwrap())
            .collect();
        let ours: Vec<u64> = want
            .iter()
            .map(|g| u64::from(fasttext_hash(g.as_bytes())))
            .collect();
        assert_eq!(ours, hashes, "hashes of {word:?}");
        let buckets: Vec<u64> = hashes.iter().map(|h| h % 2_000_000).collect();
        let ours: Vec<u64> = ngram_buckets(word, 3, 6, 2_000_000)
            .into_iter()
            .map(u64::from)
            .collect();
        assert_eq!(ours, buckets, "buckets of {word:?}");
    }
    assert!(non_ascii >= 40, "only {non_ascii} non-ASCII words");
}

#[test]
fn fasttext_bin_vectors_match_gensim_and_fasttext() {
    let m = FastText::load_bin(&fixture("fasttext_lee_dim10.bin")).unwrap();
    let fx = json("fasttext_lee_dim10.json");
    assert_eq!(m.nwords() as u64, fx["nwords"].as_u64().unwrap());
    assert_eq!((m.dim(), m.bucket()), (10, 2000));
    let (mut worst_gensim, mut worst_ft, mut oov) = (0f64, 0f64, 0);
    for w in fx["words"].as_array().unwrap() {
        let word = w["word"].as_str().unwrap();
        assert_eq!(
            m.word_id(word).is_some(),
            w["in_vocab"].as_bool().unwrap(),
            "{word}"
        );
        oov += usize::from(m.word_id(word).is_none());
        let ours = m.word_vector(word);
        // fastText prints 5 significant digits.
        for (a, b) in ours.iter().zip(w["fasttext"].as_array().unwrap()) {
            let b = b.as_f64().unwrap();
            let err = (f64::from(*a) - b).abs() / b.abs().max(1e-3);
            worst_ft = worst_ft.max(err);
        }
        // gensim computes n-grams for `</s>` too; fastText (and we) do not.
        if word == "</s>" {
            continue;
        }
        for (a, b) in ours.iter().zip(w["gensim"].as_array().unwrap()) {
            worst_gensim = worst_gensim.max((f64::from(*a) - b.as_f64().unwrap()).abs());
        }
    }
    eprintln!(
        "{oov} OOV words; max |Δ| vs gensim {worst_gensim:e}, max rel Δ vs fasttext {worst_ft:e}"
    );
    assert!(oov >= 14, "{oov} out-of-vocabulary words checked");
    assert!(worst_gensim <= 1e-5, "max |Δ| vs gensim {worst_gensim:e}");
    assert!(worst_ft <= 1e-4, "max relative Δ vs fasttext {worst_ft:e}");
}

#[test]
fn fasttext_bin_saves_back_byte_for_byte() {
    let bytes = std::fs::read(fixture("fasttext_lee_dim10.bin")).unwrap();
    let m = FastText::from_bin_bytes(&bytes, Path::new("fixture.bin")).unwrap();
    assert!(m.to_bin_bytes() == bytes, "re-saved model differs");
}

#[test]
fn truncated_or_foreign_bin_is_an_error() {
    let bytes = std::fs::read(fixture("fasttext_lee_dim10.bin")).unwrap();
    for cut in [0, 3, 30, 70, 5000, bytes.len() - 1] {
        let err = FastText::from_bin_bytes(&bytes[..cut], Path::new("cut.bin")).unwrap_err();
        assert!(err.to_string().contains("cut.bin"), "{err}");
    }
    let err =
        FastText::from_bin_bytes(b"word2vec text, not a model", Path::new("x.vec")).unwrap_err();
    assert!(err.to_string().contains("not a fastText"), "{err}");
    let missing = FastText::load_bin(Path::new("/nonexistent/model.bin")).unwrap_err();
    assert!(matches!(missing, EmbedError::Io { .. }));
}

fn lee() -> Option<String> {
    let path = journey_data::testdata::file("corpora/lee/lee_background.cor")?;
    Some(std::fs::read_to_string(path).unwrap().to_lowercase())
}

fn small(sg: bool) -> FastTextConfig {
    FastTextConfig {
        sg,
        dim: 16,
        bucket: 20_000,
        epochs: 1,
        threads: 1,
        seed: 7,
        ..FastTextConfig::default()
    }
}

#[test]
fn training_is_deterministic_with_one_thread_and_saves_as_bin() {
    let Some(text) = lee() else { return };
    for sg in [true, false] {
        let a = FastText::train(&text, &small(sg)).unwrap();
        let b = FastText::train(&text, &small(sg)).unwrap();
        assert!(a.input == b.input && a.output == b.output, "sg={sg}");
        let c = FastText::train(
            &text,
            &FastTextConfig {
                seed: 8,
                ..small(sg)
            },
        )
        .unwrap();
        assert!(a.input != c.input, "the seed is ignored");
        // Trained: the output layer moved, and an unseen inflection shares
        // n-gram rows with its stem.
        assert!(a.output.iter().any(|&x| x != 0.0));
        let back = FastText::from_bin_bytes(&a.to_bin_bytes(), Path::new("a.bin")).unwrap();
        assert_eq!(
            back.word_vector("governmentally"),
            a.word_vector("governmentally")
        );
        assert_eq!(back.args.model, if sg { 2 } else { 1 });
        let e = a.embeddings().unwrap();
        assert_eq!(e.len(), a.nwords());
        assert_eq!(
            e.get("government").unwrap(),
            &a.word_vector("government")[..]
        );
    }
}

#[test]
fn bad_input_is_an_error() {
    let text = "a b c a b c\n".repeat(10);
    let cfg = FastTextConfig {
        min_count: 1,
        bucket: 100,
        threads: 1,
        ..FastTextConfig::default()
    };
    assert!(matches!(
        FastText::train("", &cfg),
        Err(EmbedError::Empty(_))
    ));
    assert!(matches!(
        FastText::train(
            &text,
            &FastTextConfig {
                min_count: 100,
                ..cfg.clone()
            }
        ),
        Err(EmbedError::Empty(_))
    ));
    for bad in [
        FastTextConfig {
            dim: 0,
            ..cfg.clone()
        },
        FastTextConfig {
            minn: 5,
            maxn: 3,
            ..cfg.clone()
        },
        FastTextConfig {
            bucket: 0,
            ..cfg.clone()
        },
        FastTextConfig {
            negative: 0,
            ..cfg.clone()
        },
        FastTextConfig {
            epochs: 0,
            ..cfg.clone()
        },
    ] {
        let err = FastText::train(&text, &bad).unwrap_err();
        assert!(matches!(err, EmbedError::Config(_)), "{err}");
    }
    let err = FastText::train(
        &text,
        &FastTextConfig {
            minn: 5,
            maxn: 3,
            ..cfg.clone()
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("--minn 5"), "{err}");
    // maxn 0: plain word2vec with fastText's file, no buckets.
    let m = FastText::train(&text, &FastTextConfig { maxn: 0, ..cfg }).unwrap();
    assert_eq!(m.bucket(), 0);
    assert!(m.word_vector("zzz").iter().all(|&x| x == 0.0));
    let empty = std::env::temp_dir().join(format!("journey-ft-empty-{}.txt", std::process::id()));
    std::fs::write(&empty, " \n\n").unwrap();
    let err = FastText::train_file(&empty, &FastTextConfig::default()).unwrap_err();
    std::fs::remove_file(&empty).ok();
    assert!(err.to_string().contains("has no words"), "{err}");
}
