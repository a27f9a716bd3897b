#!/usr/bin/env python3
"""Lexicon sentiment speed of vaderSentiment and TextBlob, the reference side of
crates/journey-ml/examples/bench_vader.rs and bench_pattern_sentiment.rs: same
corpus (every SST-2 train sentence plus every VADER ground-truth text, 82,154
texts, raw lines: the text after the first tab, after the second for the
ground truth, SST-2's header skipped), best of REPS passes after one untimed
warm-up pass, one JSON line (sentences/s) per run: one process, then a
multiprocessing pool of one worker per core (chunks of 1,000 texts).

Pinned: Python 3.11.7, vaderSentiment==3.3.2, textblob==0.20.1 (venv
/root/venvs/ref). Run:

    /root/venvs/ref/bin/python tools/reference/bench_vader.py /work/shared/data [reps=3] [vader|pattern]
"""

import importlib.metadata
import json
import multiprocessing
import os
import sys
import time

from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

CORPUS = [
    ("classification/sst2/train.tsv", 1),
    ("sentiment/vader_groundtruth/tweets_GroundTruth.txt", 0),
    ("sentiment/vader_groundtruth/movieReviewSnippets_GroundTruth.txt", 0),
]


def load_corpus(root):
    texts = []
    for rel, skip in CORPUS:
        with open(os.path.join(root, rel), encoding="utf-8", newline="") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for line in lines[skip:]:
            if line.endswith("\r"):
                line = line[:-1]
            if not line.strip():
                continue
            parts = line.split("\t", 1 if rel.startswith("classification") else 2)
            texts.append(parts[-1])
    return texts


ANALYZER = None


def vader_chunk(chunk):
    return sum(ANALYZER.polarity_scores(t)["compound"] for t in chunk)


def pattern_chunk(chunk):
    return sum(TextBlob(t).sentiment.polarity for t in chunk)


def init_vader():
    global ANALYZER
    ANALYZER = SentimentIntensityAnalyzer()


def bench(tool, texts, reps, run):
    checksum = run()  # warm-up, untimed
    best = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return tool, best, checksum


def report(tool, threads, texts, reps, best, checksum, digits):
    print(json.dumps({"tool": tool, "threads": threads, "texts": len(texts), "reps": reps,
                      "best_seconds": best, "sentences_per_s": round(len(texts) / best),
                      "checksum": round(checksum, digits)}), flush=True)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: bench_vader.py DATA_DIR [REPS] [vader|pattern]")
    root = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    which = sys.argv[3:] or ["vader", "pattern"]
    texts = load_corpus(root)
    chunks = [texts[i:i + 1000] for i in range(0, len(texts), 1000)]
    cores = os.cpu_count()
    init_vader()
    pattern_chunk(["warm up the lexicon"])
    runs = []
    if "vader" in which:
        runs.append((f"vaderSentiment {importlib.metadata.version('vaderSentiment')}", vader_chunk, 4))
    if "pattern" in which:
        runs.append((f"textblob {importlib.metadata.version('textblob')}", pattern_chunk, 6))
    for tool, fn, digits in runs:
        _, best, checksum = bench(tool, texts, reps, lambda: fn(texts))
        report(tool, 1, texts, reps, best, checksum, digits)
        with multiprocessing.Pool(cores, initializer=init_vader) as pool:
            pool.map(pattern_chunk, [["warm up"]] * cores)
            _, best, checksum = bench(tool, texts, reps, lambda: sum(pool.map(fn, chunks)))
        report(tool, cores, texts, reps, best, checksum, digits)


if __name__ == "__main__":
    main()
