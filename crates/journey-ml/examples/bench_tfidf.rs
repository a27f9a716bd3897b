//! Throughput of the vectorizers (`fit_transform`) on a 14 MB real corpus.
//!
//! The corpus is four data sets of `$JOURNEY_DATA` (or DATA_DIR), 111,619
//! documents in all: AG News test (title + " " + description), the 20
//! Newsgroups mini posts (UTF-8, else Latin-1), SST-2 train sentences and the
//! King James Bible, one document per line. Each vectorizer — TF-IDF
//! (scikit-learn defaults), TF-IDF with word bigrams, counts, hashing (2^20
//! columns) — runs REPS times on one thread, then REPS times on all cores
//! (`RAYON_NUM_THREADS` honoured); the best wall time and the best CPU time
//! of each are reported, with MB/s, as JSON. Compare with `tools/reference/bench_tfidf.py` (scikit-learn)
//! on the same machine.
//!
//! `cargo run --release -p journey-ml --example bench_tfidf -- /work/shared/data 3 [FILTER]`

use std::path::Path;
use std::time::Instant;

use journey_data::readers::delimited::{read_table, Layout};
use journey_ml::{
    CountVectorizer, CountVectorizerConfig, CsrMatrix, HashingVectorizer, HashingVectorizerConfig,
    TfidfVectorizer, TfidfVectorizerConfig,
};

/// Lines as Python's `text.split("\n")` with a last empty piece dropped and
/// one trailing "\r" removed (what the Python side does).
fn lines(path: &Path, skip: usize) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out: Vec<String> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
        .collect();
    if out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out.drain(..skip);
    out
}

fn corpus(data: &Path) -> Vec<String> {
    let mut docs = Vec::new();
    let ag = read_table(&data.join("classification/ag_news/test.csv"), Layout::CSV).unwrap();
    docs.extend(ag.rows.iter().map(|r| format!("{} {}", r[1], r[2])));
    let root = data.join("classification/mini_newsgroups");
    let mut groups: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    groups.sort();
    for g in groups {
        let mut posts: Vec<_> = std::fs::read_dir(&g)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        posts.sort();
        for p in posts {
            let bytes = std::fs::read(&p).unwrap();
            docs.push(match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
            });
        }
    }
    let sst = lines(&data.join("classification/sst2/train.tsv"), 1);
    docs.extend(
        sst.iter()
            .map(|l| l.split_once('\t').unwrap().1.to_string()),
    );
    docs.extend(lines(&data.join("corpora/kjv/kjv.txt"), 0));
    docs
}

/// CPU time of all threads of this process, in seconds (Linux: the sum of
/// `/proc/self/task/*/schedstat`; 0 elsewhere). On a shared machine this is
/// the fair measure of single-thread work; wall time also counts waiting.
fn cpu_seconds() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .sum::<f64>()
        / 1e9
}

/// Best wall time and best CPU time of `reps` runs of `f`, and the last result.
fn best<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let (mut wall, mut cpu) = (f64::INFINITY, f64::INFINITY);
    let mut last = None;
    for _ in 0..reps {
        let (start, cpu0) = (Instant::now(), cpu_seconds());
        let out = f();
        wall = wall.min(start.elapsed().as_secs_f64());
        cpu = cpu.min(cpu_seconds() - cpu0);
        last = Some(out);
    }
    (wall, cpu, last.unwrap())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let data = args
        .next()
        .or_else(|| std::env::var("JOURNEY_DATA").ok())
        .expect("usage: bench_tfidf DATA_DIR [REPS] (or set JOURNEY_DATA)");
    let reps: usize = args
        .next()
        .map_or(3, |r| r.parse().expect("REPS: a number"));
    // Optional: only the vectorizers whose name contains FILTER.
    let filter = args.next().unwrap_or_default();
    let docs = corpus(Path::new(&data));
    let bytes: usize = docs.iter().map(String::len).sum();
    let mb = bytes as f64 / 1e6;

    type Run = Box<dyn Fn(&[String]) -> CsrMatrix + Sync>;
    let tfidf = |json: &'static str| -> Run {
        Box::new(move |d: &[String]| {
            let cfg: TfidfVectorizerConfig = serde_json::from_str(json).unwrap();
            TfidfVectorizer::new(cfg).unwrap().fit_transform(d).unwrap()
        })
    };
    let runs: Vec<(&str, Run)> = vec![
        ("TfidfVectorizer()", tfidf("{}")),
        (
            "TfidfVectorizer(ngram_range=(1, 2))",
            tfidf(r#"{"ngram_range": [1, 2]}"#),
        ),
        (
            "CountVectorizer()",
            Box::new(|d: &[String]| {
                CountVectorizer::new(CountVectorizerConfig::default())
                    .unwrap()
                    .fit_transform(d)
                    .unwrap()
            }),
        ),
        (
            "HashingVectorizer()",
            Box::new(|d: &[String]| {
                HashingVectorizer::new(HashingVectorizerConfig::default())
                    .unwrap()
                    .transform(d)
                    .unwrap()
            }),
        ),
    ];
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut results = Vec::new();
    for (name, run) in runs.iter().filter(|(n, _)| n.contains(&filter)) {
        let (single, single_cpu, x) = one.install(|| best(reps, || run(&docs)));
        let (all, all_cpu, _) = best(reps, || run(&docs));
        results.push(serde_json::json!({
            "vectorizer": name,
            "shape": [x.n_rows(), x.n_cols()],
            "nnz": x.nnz(),
            "single_thread": {
                "seconds": single,
                "mb_per_s": mb / single,
                "cpu_seconds": single_cpu,
                "mb_per_cpu_s": mb / single_cpu,
            },
            "all_cores": {
                "threads": rayon::current_num_threads(),
                "seconds": all,
                "mb_per_s": mb / all,
                "cpu_seconds": all_cpu,
            },
        }));
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "tool": "journey-ml",
            "documents": docs.len(),
            "bytes": bytes,
            "reps": reps,
            "results": results,
        }))
        .unwrap()
    );
}
