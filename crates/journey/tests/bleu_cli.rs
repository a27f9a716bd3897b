//! `journey bleu` end to end: the score of the Multi30k English source
//! against the German references equals sacreBLEU's (fixture of
//! `tools/reference/bleu_golden.py`), and bad input fails cleanly.

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

fn assert_clean_failure(out: &Output, needle: &str) {
    let err = stderr(out);
    assert!(!out.status.success(), "expected failure; stderr: {err}");
    assert!(
        !err.contains("panicked"),
        "panic instead of an error: {err}"
    );
    assert!(err.contains(needle), "stderr lacks {needle:?}: {err}");
}

/// sacreBLEU's result for `system` under the default configuration.
fn golden(system: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../journey-ml/tests/fixtures/bleu_sacrebleu.json");
    let golden: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    golden["corpus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["system"] == system
                && c["config"]["tokenize"] == "13a"
                && c["config"]["smooth_method"] == "exp"
                && c["config"]["lowercase"] == false
        })
        .unwrap()
        .clone()
}

#[test]
fn bleu_of_multi30k_source_matches_sacrebleu() {
    let Some(de) = testdata::file("eval/parallel/multi30k/test.de") else {
        return;
    };
    let en = testdata::file("eval/parallel/multi30k/test.en").unwrap();
    let want = golden("src");

    let out = journey()
        .args(["bleu", "--ref"])
        .arg(&de)
        .arg("--hyp")
        .arg(&en)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim_end(),
        want["format"].as_str().unwrap()
    );

    let out = journey()
        .args(["bleu", "--json", "--tokenize", "13a", "--ref"])
        .arg(&de)
        .arg("--hyp")
        .arg(&en)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!((v["score"].as_f64().unwrap() - want["score"].as_f64().unwrap()).abs() <= 1e-9);
    assert_eq!(v["sys_len"], want["sys_len"]);
    assert_eq!(v["ref_len"], want["ref_len"]);

    // Two reference streams: the reference given twice scores as one.
    let out = journey()
        .args(["bleu", "--ref"])
        .arg(&de)
        .arg("--ref")
        .arg(&de)
        .arg("--hyp")
        .arg(&en)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(line.starts_with("BLEU|nrefs:2|"), "{line}");
    assert!(
        line.contains(&format!(" = {:.2} ", want["score"].as_f64().unwrap())),
        "{line}"
    );
}

#[test]
fn bleu_rejects_misaligned_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let hyp = dir.path().join("hyp.txt");
    let short = dir.path().join("short.txt");
    std::fs::write(&hyp, "a b c\nd e f\n").unwrap();
    std::fs::write(&short, "a b c\n").unwrap();

    let out = journey()
        .args(["bleu", "--ref"])
        .arg(&short)
        .arg("--hyp")
        .arg(&hyp)
        .output()
        .unwrap();
    assert_clean_failure(&out, "short.txt has 1 lines but --hyp");

    let out = journey()
        .args(["bleu", "--ref"])
        .arg(dir.path().join("missing.txt"))
        .arg("--hyp")
        .arg(&hyp)
        .output()
        .unwrap();
    assert_clean_failure(&out, "missing.txt");

    let out = journey()
        .args(["bleu", "--tokenize", "zh", "--ref"])
        .arg(&hyp)
        .arg("--hyp")
        .arg(&hyp)
        .output()
        .unwrap();
    assert_clean_failure(&out, "unknown BLEU tokenizer");

    let out = journey()
        .args(["bleu", "--sentence", "--ref"])
        .arg(&hyp)
        .arg("--hyp")
        .arg(&hyp)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "100.00\n100.00\n");
}
