#!/usr/bin/env python3
"""Throughput of the sentencepiece package on the lines of a text file.

The reference side of crates/journey-text/examples/bench_sentencepiece.rs: the
same lines (split at "\\n", one trailing "\\r" removed, as Rust's
`str::lines`), the same repetitions; `encode(line)` one line at a time on one
thread, then `encode(lines, num_threads=2)` as one batch. Loading the model
and reading the file are not timed.

Pinned: Python 3.11.7, sentencepiece 0.2.3.
Command:

    /root/venvs/ref/bin/python tools/reference/bench_sentencepiece.py \\
        /work/shared/data/tokenizers/sentencepiece/llama2-bpe-32k.model \\
        /work/shared/data/eval/parallel/multi30k/train.en 3

Output: one JSON object with lines/s and MB/s.
"""

import json
import sys
import time

import sentencepiece as spm


def main():
    model, path = sys.argv[1], sys.argv[2]
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    nbytes = sum(len(line.encode("utf-8")) for line in lines)
    sp = spm.SentencePieceProcessor(model_file=model)
    ids = sum(len(sp.encode(line)) for line in lines)  # warm-up and count
    start = time.perf_counter()
    for _ in range(reps):
        for line in lines:
            sp.encode(line)
    single = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(reps):
        sp.encode(lines, num_threads=threads)
    batch = time.perf_counter() - start
    n = len(lines) * reps
    mb = nbytes * reps / 1e6
    print(json.dumps({
        "tool": "sentencepiece 0.2.3 SentencePieceProcessor.encode",
        "model": model,
        "file": path,
        "bytes": nbytes,
        "lines": len(lines),
        "ids": ids,
        "reps": reps,
        "single_thread": {"seconds": single, "lines_per_s": n / single, "mb_per_s": mb / single},
        "batch": {"threads": threads, "seconds": batch, "lines_per_s": n / batch, "mb_per_s": mb / batch},
    }))


if __name__ == "__main__":
    main()
