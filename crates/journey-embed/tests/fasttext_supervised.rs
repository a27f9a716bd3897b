//! The supervised fastText classifier against Debian's `fasttext` 0.9.2 on
//! SST-2 (fixture from tools/reference/fasttext_reference.py), determinism,
//! model round-trip and clear errors on bad input.

use std::path::{Path, PathBuf};

use journey_data::testdata;
use journey_embed::fasttext_supervised::{Loss, Supervised, SupervisedConfig};
use journey_embed::EmbedError;

/// `__label__{label} {sentence}` for the rows of an SST-2 TSV (header
/// skipped, whitespace collapsed), as the reference script writes them.
fn sst2_lines(path: &Path, limit: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    for line in text.lines().skip(1).take(limit) {
        let (label, sentence) = line.split_once('\t').unwrap();
        let words: Vec<&str> = sentence.split_whitespace().collect();
        out.push_str(&format!("__label__{label} {}\n", words.join(" ")));
    }
    out
}

fn fixture() -> serde_json::Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fasttext_supervised.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// The settings of the fixture's `sst2` flags.
fn sst2_config() -> SupervisedConfig {
    SupervisedConfig {
        epoch: 5,
        lr: 0.5,
        word_ngrams: 2,
        dim: 20,
        bucket: 200_000,
        threads: 1,
        seed: 0,
        ..SupervisedConfig::default()
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn sst2_accuracy_matches_fasttext_binary() {
    let (Some(train), Some(dev)) = (
        testdata::file("classification/sst2/train.tsv"),
        testdata::file("classification/sst2/dev.tsv"),
    ) else {
        return;
    };
    let fx = fixture();
    let rows = fx["sst2"]["train_rows"].as_u64().unwrap() as usize;
    assert_eq!(
        fx["sst2"]["flags"],
        "-epoch 5 -lr 0.5 -wordNgrams 2 -dim 20 -bucket 200000 -thread 1"
    );
    let reference = fx["sst2"]["mean_p_at_1"].as_f64().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let train = write(dir.path(), "train.txt", &sst2_lines(&train, rows));
    let dev = write(dir.path(), "dev.txt", &sst2_lines(&dev, usize::MAX));
    let model = Supervised::train_file(&train, &sst2_config()).unwrap();
    let report = model.test_file(&dev, 1, 0.0).unwrap();
    assert_eq!(report.examples, 872);
    let acc = report.precision();
    eprintln!("ours {acc:.4}, fasttext mean over seeds {reference:.4}");
    assert!(
        (acc - reference).abs() <= 0.01,
        "P@1 {acc:.4} vs fasttext {reference:.4}"
    );
    // Recall at 1 equals precision with one gold label per line.
    assert_eq!(report.recall(), acc);
}

fn small_corpus() -> Option<String> {
    let train = testdata::file("classification/sst2/train.tsv")?;
    Some(sst2_lines(&train, 3000))
}

#[test]
fn one_thread_is_deterministic_and_round_trips() {
    let Some(text) = small_corpus() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let train = write(dir.path(), "train.txt", &text);
    for loss in [Loss::Softmax, Loss::Hs, Loss::Ns, Loss::Ova] {
        let cfg = SupervisedConfig {
            loss,
            bucket: 10_000,
            dim: 10,
            ..sst2_config()
        };
        let a = Supervised::train_file(&train, &cfg).unwrap();
        let b = Supervised::train_file(&train, &cfg).unwrap();
        assert!(a == b, "{loss:?}: two runs with threads=1 differ");
        let other = Supervised::train_file(
            &train,
            &SupervisedConfig {
                seed: 7,
                ..cfg.clone()
            },
        )
        .unwrap();
        assert!(a != other, "{loss:?}: the seed changes nothing");

        let path = dir.path().join("model.bin");
        a.save(&path).unwrap();
        let back = Supervised::load(&path).unwrap();
        assert!(back == a, "{loss:?}: load(save(m)) != m");
        let line = "a gorgeous , witty , seductive movie";
        let p = a.predict(line, 2, 0.0);
        assert_eq!(p, back.predict(line, 2, 0.0));
        assert_eq!(p.len(), 2);
        assert!(p[0].1 >= p[1].1);
        if matches!(loss, Loss::Softmax | Loss::Hs) {
            let sum: f32 = p.iter().map(|x| x.1).sum();
            assert!(
                (sum - 1.0).abs() < 1e-3,
                "{loss:?}: probabilities sum to {sum}"
            );
        }
        let r = a.test_file(&train, 1, 0.0).unwrap();
        assert!(r.precision() > 0.6, "{loss:?}: train P@1 {}", r.precision());

        // A truncated model is a clear error, not a panic.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 9]).unwrap();
        let err = Supervised::load(&path).unwrap_err().to_string();
        assert!(err.contains("truncated"), "{err}");
    }
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = SupervisedConfig {
        threads: 1,
        ..SupervisedConfig::default()
    };
    let empty = write(dir.path(), "empty.txt", "");
    let err = Supervised::train_file(&empty, &cfg).unwrap_err();
    assert!(matches!(err, EmbedError::Empty(_)), "{err}");
    assert!(err.to_string().contains("empty.txt"), "{err}");

    let nolabel = write(
        dir.path(),
        "nolabel.txt",
        "__label__a good\nno label here\n",
    );
    let err = Supervised::train_file(&nolabel, &cfg)
        .unwrap_err()
        .to_string();
    assert!(err.contains("nolabel.txt:2"), "{err}");

    let err = "softmaxx".parse::<Loss>().unwrap_err().to_string();
    assert!(err.contains("softmaxx"), "{err}");
    let ok = write(dir.path(), "ok.txt", "__label__a good\n__label__b bad\n");
    for bad in [
        SupervisedConfig {
            dim: 0,
            ..cfg.clone()
        },
        SupervisedConfig {
            lr: -1.0,
            ..cfg.clone()
        },
        SupervisedConfig {
            epoch: 0,
            ..cfg.clone()
        },
        SupervisedConfig {
            word_ngrams: 2,
            bucket: 0,
            ..cfg.clone()
        },
    ] {
        let err = Supervised::train_file(&ok, &bad).unwrap_err();
        assert!(matches!(err, EmbedError::Config(_)), "{err}");
    }
    let missing = dir.path().join("missing.txt");
    let err = Supervised::train_file(&missing, &cfg)
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing.txt"), "{err}");
    let junk = write(dir.path(), "junk.bin", "not a model");
    let err = Supervised::load(&junk).unwrap_err().to_string();
    assert!(err.contains("junk.bin"), "{err}");
}
