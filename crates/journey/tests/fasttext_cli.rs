//! `journey fasttext`: train, test and predict end to end on a slice of
//! SST-2, and clean failures on bad flags and files.

use std::path::Path;

use assert_cmd::Command;
use journey_data::testdata;

fn journey() -> Command {
    let mut cmd = Command::cargo_bin("journey").unwrap();
    cmd.env_remove("JOURNEY_LOG").env("JOURNEY_OFFLINE", "1");
    cmd
}

fn sst2(path: &Path, rows: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    for line in text.lines().skip(1).take(rows) {
        let (label, sentence) = line.split_once('\t').unwrap();
        out.push_str(&format!("__label__{label} {sentence}\n"));
    }
    out
}

#[test]
fn supervised_test_predict() {
    let Some(train) = testdata::file("classification/sst2/train.tsv") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("train.txt");
    std::fs::write(&data, sst2(&train, 2000)).unwrap();
    let model = dir.path().join("m.bin");
    let args = ["fasttext", "supervised", "--input"];
    journey()
        .args(args)
        .arg(&data)
        .arg("--output")
        .arg(&model)
        .args([
            "--dim", "10", "--epoch", "5", "--lr", "0.5", "--thread", "1",
        ])
        .args(["--word-ngrams", "2", "--bucket", "10000", "-q"])
        .assert()
        .success();
    let out = journey()
        .args(["fasttext", "test"])
        .arg(&model)
        .arg(&data)
        .arg("2")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "N\t2000");
    assert!(lines[1].starts_with("P@2\t0.500"), "{text}");
    assert!(lines[2].starts_with("R@2\t1.000"), "{text}");

    let out = journey()
        .args(["fasttext", "predict"])
        .arg(&model)
        .arg(&data)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 2000);
    assert!(text.lines().all(|l| l == "__label__0" || l == "__label__1"));
    let out = journey()
        .args(["fasttext", "predict-prob"])
        .arg(&model)
        .arg("-")
        .arg("2")
        .write_stdin("a gorgeous , witty , seductive movie\n")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let f: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(f.len(), 4, "{text}");
    let p: f32 = f[1].parse::<f32>().unwrap() + f[3].parse::<f32>().unwrap();
    assert!((p - 1.0).abs() < 1e-3, "{text}");
}

#[test]
fn bad_flags_and_files_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d.txt");
    std::fs::write(&data, "__label__a x\nno label\n").unwrap();
    let model = dir.path().join("m.bin");
    for (extra, needle) in [
        (vec!["--loss", "nope"], "nope"),
        (vec!["--dim", "0"], "dim"),
        (vec![], "d.txt:2"),
    ] {
        let out = journey()
            .args(["fasttext", "supervised", "--input"])
            .arg(&data)
            .arg("--output")
            .arg(&model)
            .args(extra)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(needle), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let out = journey()
        .args(["fasttext", "test"])
        .arg(&data)
        .arg(&data)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("not a journey fastText model"),
        "{err}"
    );
}
