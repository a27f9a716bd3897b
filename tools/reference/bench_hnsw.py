#!/usr/bin/env python3
"""hnswlib's HNSW on GloVe 6B 50d, the reference for
crates/journey-embed/examples/bench_hnsw.rs (same rows, queries, M,
ef_construction and ef; same recall@10 definition).

Pinned: hnswlib==0.8.0, numpy 2.4.6, pyarrow 26.0.1 (only numpy is needed
here). Command (from the repository root, in /root/venvs/ref):
    python tools/reference/bench_hnsw.py --rows 400000 --queries 1000 \
        --m 16 --ef-construction 200 --ef 10,50,100

The first --rows words are indexed; the queries are the rows i*(rows//queries);
each asks for its 10 nearest rows other than itself (11 searched, itself
dropped); recall@10 is the share of the exact top 10 (brute-force cosine in
float64) found. Build and queries use num_threads=1. Prints one JSON line
per ef, with wall-clock and thread CPU times (hnswlib runs num_threads=1 work
on the calling thread, so time.thread_time() measures it; the CPU times are
the fair comparison on a shared machine).
"""
import argparse
import json
import os
import time

import hnswlib
import numpy as np



def models_dir():
    d = os.environ.get("JOURNEY_MODELS")
    return d if d else os.path.expanduser("~/.cache/journey/models")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=400000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--m", type=int, default=16)
    ap.add_argument("--ef-construction", type=int, default=200)
    ap.add_argument("--ef", default="10,50,100")
    ap.add_argument("--seed", type=int, default=100)
    a = ap.parse_args()
    x = np.load(os.path.join(models_dir(), "glove-6b-50d", "vectors.npy"))
    x = np.ascontiguousarray(x[: a.rows], dtype=np.float32)
    n, d = x.shape
    stride = max(n // a.queries, 1)
    queries = np.arange(a.queries) * stride

    unit = x.astype(np.float64)
    norms = np.linalg.norm(unit, axis=1, keepdims=True)
    norms[norms == 0] = 1
    unit /= norms
    truth = []
    for s in range(0, len(queries), 100):
        qs = queries[s : s + 100]
        sims = unit[qs] @ unit.T
        sims[np.arange(len(qs)), qs] = -np.inf
        top = np.argpartition(-sims, 10, axis=1)[:, :10]
        truth.extend(set(t.tolist()) for t in top)

    t, c = time.perf_counter(), time.thread_time()
    p = hnswlib.Index(space="cosine", dim=d)
    p.init_index(max_elements=n, ef_construction=a.ef_construction, M=a.m, random_seed=a.seed)
    p.add_items(x, np.arange(n), num_threads=1)
    build_s = time.perf_counter() - t
    build_cpu_s = time.thread_time() - c

    for ef in [int(v) for v in a.ef.split(",")]:
        p.set_ef(max(ef, 11))
        t, c = time.perf_counter(), time.thread_time()
        labels, _ = p.knn_query(x[queries], k=11, num_threads=1)
        secs = time.perf_counter() - t
        cpu = time.thread_time() - c
        hits = 0
        for q, row, tr in zip(queries, labels, truth):
            got = [int(j) for j in row if j != q][:10]
            hits += sum(1 for j in got if j in tr)
        print(json.dumps({
            "impl": "hnswlib 0.8.0",
            "rows": n,
            "m": a.m,
            "ef_construction": a.ef_construction,
            "ef": ef,
            "build_s": build_s,
            "build_cpu_s": build_cpu_s,
            "queries_per_s": len(queries) / secs,
            "queries_per_cpu_s": len(queries) / cpu,
            "recall_at_10": hits / (10 * len(queries)),
        }), flush=True)


if __name__ == "__main__":
    main()
