#!/usr/bin/env python3
"""Throughput of scikit-learn's vectorizers (fit_transform) on a 14 MB real
corpus: the reference side of crates/journey-ml/examples/bench_tfidf.rs.

Same documents (AG News test title + " " + description, the 20 Newsgroups mini
posts decoded as UTF-8 or else Latin-1, SST-2 train sentences, the King James
Bible by line: 111,619 documents), same vectorizers, same repetitions; best
wall time and best CPU time (time.process_time) of REPS. scikit-learn's
vectorizers run on one thread. Loading is not
timed.

Pinned: CPython 3.11.7, scikit-learn==1.7.2, numpy 2.4.6, scipy 1.17.1.
Command:

    /root/venvs/ref/bin/python tools/reference/bench_tfidf.py /work/shared/data 3 [FILTER]
"""
import csv
import json
import os
import sys
import time
from pathlib import Path

import sklearn
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfVectorizer

assert sklearn.__version__ == "1.7.2", sklearn.__version__


def lines(path, skip=0):
    out = [l[:-1] if l.endswith("\r") else l for l in path.read_text("utf-8").split("\n")]
    if out and out[-1] == "":
        out.pop()
    return out[skip:]


def corpus(data: Path):
    with open(data / "classification/ag_news/test.csv", encoding="utf-8", newline="") as f:
        docs = [title + " " + desc for _, title, desc in csv.reader(f)]
    root = data / "classification/mini_newsgroups"
    for group in sorted(os.listdir(root)):
        for name in sorted(os.listdir(root / group)):
            raw = (root / group / name).read_bytes()
            try:
                docs.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                docs.append(raw.decode("latin-1"))
    docs += [l.split("\t", 1)[1] for l in lines(data / "classification/sst2/train.tsv", 1)]
    docs += lines(data / "corpora/kjv/kjv.txt")
    return docs


def main():
    data = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["JOURNEY_DATA"])
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    docs = corpus(data)
    nbytes = sum(len(d.encode("utf-8")) for d in docs)
    only = sys.argv[3] if len(sys.argv) > 3 else ""
    runs = [
        ("TfidfVectorizer()", lambda d: TfidfVectorizer().fit_transform(d)),
        ("TfidfVectorizer(ngram_range=(1, 2))",
         lambda d: TfidfVectorizer(ngram_range=(1, 2)).fit_transform(d)),
        ("CountVectorizer()", lambda d: CountVectorizer().fit_transform(d)),
        ("HashingVectorizer()", lambda d: HashingVectorizer().fit_transform(d)),
    ]
    results = []
    for name, run in (r for r in runs if only in r[0]):
        best, best_cpu = float("inf"), float("inf")
        for _ in range(reps):
            start, cpu0 = time.perf_counter(), time.process_time()
            x = run(docs)
            best = min(best, time.perf_counter() - start)
            best_cpu = min(best_cpu, time.process_time() - cpu0)
        results.append({
            "vectorizer": name,
            "shape": list(x.shape),
            "nnz": int(x.nnz),
            "single_thread": {
                "seconds": best,
                "mb_per_s": nbytes / 1e6 / best,
                "cpu_seconds": best_cpu,
                "mb_per_cpu_s": nbytes / 1e6 / best_cpu,
            },
        })
    print(json.dumps({
        "tool": f"scikit-learn {sklearn.__version__}",
        "documents": len(docs),
        "bytes": nbytes,
        "reps": reps,
        "results": results,
    }, indent=2))


if __name__ == "__main__":
    main()
