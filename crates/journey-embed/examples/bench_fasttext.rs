//! Supervised fastText, ours vs Debian's `fasttext` 0.9.2 binary, on AG News
//! (the shared test.csv split: row index % 5 == 4 held out, the rest trains;
//! the same conversion as tools/reference/fasttext_reference.py).
//!
//! cargo run --release -p journey-embed --example bench_fasttext -- \
//!     [DATA_DIR] [--threads 1,2] [--dataset ag_news|sst2] [--no-binary]
//!
//! Each run: read + train + save the model, wall clock, for both programs
//! (same flags: -epoch 5 -lr 0.5 -wordNgrams 2 -dim 50 -bucket 2000000),
//! then P@1 on the held-out file with each program's own `test`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use journey_embed::fasttext_supervised::{Supervised, SupervisedConfig};

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ag_news(data: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(data.join("classification/ag_news/test.csv"))
        .expect("AG News test.csv");
    let (mut train, mut test) = (String::new(), String::new());
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.expect("csv row");
        let line = format!(
            "__label__{} {}\n",
            &rec[0],
            one_line(&format!("{} {}", &rec[1], &rec[2]))
        );
        if i % 5 == 4 {
            test.push_str(&line)
        } else {
            train.push_str(&line)
        }
    }
    write_pair(dir, "ag", &train, &test)
}

fn sst2(data: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let conv = |name: &str| {
        let text = std::fs::read_to_string(data.join("classification/sst2").join(name)).unwrap();
        let mut out = String::new();
        for line in text.lines().skip(1) {
            let (label, s) = line.split_once('\t').unwrap();
            out.push_str(&format!("__label__{label} {}\n", one_line(s)));
        }
        out
    };
    write_pair(dir, "sst2", &conv("train.tsv"), &conv("dev.tsv"))
}

fn write_pair(dir: &Path, name: &str, train: &str, test: &str) -> (PathBuf, PathBuf) {
    let (a, b) = (
        dir.join(format!("{name}.train")),
        dir.join(format!("{name}.test")),
    );
    std::fs::write(&a, train).unwrap();
    std::fs::write(&b, test).unwrap();
    (a, b)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut data = std::env::var("JOURNEY_DATA").unwrap_or_else(|_| "../shared/data".into());
    let mut threads = vec![1usize, 2];
    let mut dataset = "ag_news".to_string();
    let mut binary = true;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--threads" => {
                i += 1;
                threads = args[i].split(',').map(|t| t.parse().unwrap()).collect();
            }
            "--dataset" => {
                i += 1;
                dataset = args[i].clone();
            }
            "--no-binary" => binary = false,
            other => data = other.to_string(),
        }
        i += 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let (train, test) = match dataset.as_str() {
        "sst2" => sst2(Path::new(&data), dir.path()),
        _ => ag_news(Path::new(&data), dir.path()),
    };
    let flags = "-epoch 5 -lr 0.5 -wordNgrams 2 -dim 50 -bucket 2000000";
    println!("dataset {dataset}, flags {flags}");
    println!("program   threads  P@1     seconds(read+train+save)");
    for &t in &threads {
        let cfg = SupervisedConfig {
            epoch: 5,
            lr: 0.5,
            word_ngrams: 2,
            dim: 50,
            bucket: 2_000_000,
            threads: t,
            seed: 0,
            ..SupervisedConfig::default()
        };
        let model_path = dir.path().join("ours.bin");
        let t0 = Instant::now();
        let m = Supervised::train_file(&train, &cfg).unwrap();
        let train_s = t0.elapsed().as_secs_f64();
        m.save(&model_path).unwrap();
        let ours_s = t0.elapsed().as_secs_f64();
        let p = m.test_file(&test, 1, 0.0).unwrap().precision();
        println!("journey   {t:>7}  {p:.4}  {ours_s:.2} (train only {train_s:.2})");
        if binary {
            let out = dir.path().join("ref");
            let t0 = Instant::now();
            let st = Command::new("fasttext")
                .args(["supervised", "-input"])
                .arg(&train)
                .arg("-output")
                .arg(&out)
                .args(flags.split(' '))
                .args(["-thread", &t.to_string(), "-verbose", "0"])
                .status()
                .expect("fasttext on PATH (apt-get install fasttext)");
            assert!(st.success());
            let ref_s = t0.elapsed().as_secs_f64();
            let o = Command::new("fasttext")
                .arg("test")
                .arg(out.with_extension("bin"))
                .arg(&test)
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&o.stdout);
            let p = text.lines().nth(1).unwrap_or("").replace('\t', " ");
            println!(
                "fasttext  {t:>7}  {p}  {ref_s:.2}   ratio ours/fasttext {:.2}",
                ours_s / ref_s
            );
        }
    }
}
