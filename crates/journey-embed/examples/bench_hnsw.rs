//! HNSW build time, queries per second and recall@10 on GloVe 6B 50d, side
//! by side with `tools/reference/bench_hnsw.py` (hnswlib 0.8.0).
//!
//! Command (from the repository root, after `shared/bin/fetch-models glove`):
//!     cargo run --release -p journey-embed --example bench_hnsw -- \
//!         --rows 400000 --queries 1000 --m 16 --ef-construction 200 --ef 10,50,100
//!
//! The first `--rows` words are indexed; the queries are the rows
//! `i · (rows / queries)`, i < queries. Each query asks for its 10 nearest
//! rows other than itself (11 searched, itself dropped); recall@10 is the
//! share of the exact top 10 (brute-force cosine, `CosineIndex`) found. Build
//! and queries run on one thread (hnswlib with `num_threads=1`). Prints one
//! JSON line per ef, with wall-clock and thread CPU times (the CPU times are
//! the fair comparison on a shared machine).

use journey_embed::hnsw::{Hnsw, HnswConfig};
use journey_embed::pretrained::{glove_6b_50d_dir, load_glove_npy_parquet};
use journey_embed::similarity::CosineIndex;
use rayon::prelude::*;
use std::time::Instant;

/// CPU seconds of the calling thread (first field of
/// /proc/thread-self/schedstat, in ns): robust when the machine is shared.
fn thread_cpu_s() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |ns| ns / 1e9)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let opt = |k: &str, d: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1).cloned())
            .unwrap_or_else(|| d.to_string())
    };
    let rows: usize = opt("--rows", "400000").parse().expect("--rows");
    let nq: usize = opt("--queries", "1000").parse().expect("--queries");
    let m: usize = opt("--m", "16").parse().expect("--m");
    let efc: usize = opt("--ef-construction", "200")
        .parse()
        .expect("--ef-construction");
    let efs: Vec<usize> = opt("--ef", "10,50,100")
        .split(',')
        .map(|s| s.parse().expect("--ef"))
        .collect();
    let dir = glove_6b_50d_dir().expect("models dir");
    let emb = load_glove_npy_parquet(&dir)
        .expect("GloVe (run shared/bin/fetch-models glove)")
        .truncated(rows);
    let stride = (emb.len() / nq).max(1);
    let queries: Vec<usize> = (0..nq).map(|i| i * stride).collect();

    let exact = CosineIndex::new(&emb);
    let truth: Vec<Vec<usize>> = queries
        .par_iter()
        .map(|&i| {
            exact
                .nearest(emb.row(i), 10, usize::MAX, &[i])
                .into_iter()
                .map(|(j, _)| j)
                .collect()
        })
        .collect();

    let t = Instant::now();
    let c = thread_cpu_s();
    let cfg = HnswConfig {
        m,
        ef_construction: efc,
        ..HnswConfig::default()
    };
    let h = Hnsw::build(&emb, cfg).expect("build");
    let build_s = t.elapsed().as_secs_f64();
    let build_cpu_s = thread_cpu_s() - c;

    for ef in efs {
        let t = Instant::now();
        let c = thread_cpu_s();
        let got: Vec<Vec<usize>> = queries
            .iter()
            .map(|&i| {
                h.search_row(&emb, i, 10, ef)
                    .into_iter()
                    .map(|(j, _)| j)
                    .collect()
            })
            .collect();
        let secs = t.elapsed().as_secs_f64();
        let cpu = thread_cpu_s() - c;
        let hits: usize = got
            .iter()
            .zip(&truth)
            .map(|(g, t)| g.iter().filter(|j| t.contains(j)).count())
            .sum();
        println!(
            "{}",
            serde_json::json!({
                "impl": "journey",
                "rows": emb.len(),
                "m": m,
                "ef_construction": efc,
                "ef": ef,
                "build_s": build_s,
                "build_cpu_s": build_cpu_s,
                "queries_per_s": nq as f64 / secs,
                "queries_per_cpu_s": nq as f64 / cpu,
                "recall_at_10": hits as f64 / (10 * nq) as f64,
            })
        );
    }
}
