#!/usr/bin/env python3
"""Throughput of NLTK's TreebankWordTokenizer on the lines of a text file.

The reference side of crates/journey-text/examples/bench_treebank.rs: the same
lines (split at "\\n", one trailing "\\r" removed, as Rust's `str::lines`), the
same repetitions, one thread; the import and the file read are not timed.

Pinned: Python 3.11.7, nltk 3.10.4 (regex 2026.11.19).
Command:

    /root/venvs/ref/bin/python tools/reference/bench_treebank.py \\
        /work/shared/data/corpora/kjv/kjv.txt 5

Output: one JSON object with tokens/s and lines/s.
"""

import json
import sys
import time

from nltk.tokenize import TreebankWordTokenizer


def main():
    path = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    text = open(path, encoding="utf-8").read()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    tok = TreebankWordTokenizer()
    tokens = sum(len(tok.tokenize(line)) for line in lines)  # warm-up and count
    start = time.perf_counter()
    for _ in range(reps):
        for line in lines:
            tok.tokenize(line)
    seconds = time.perf_counter() - start
    print(json.dumps({
        "tool": "nltk 3.10.4 TreebankWordTokenizer",
        "file": path,
        "bytes": len(text.encode("utf-8")),
        "lines": len(lines),
        "tokens": tokens,
        "reps": reps,
        "single_thread": {
            "seconds": seconds,
            "lines_per_s": len(lines) * reps / seconds,
            "tokens_per_s": tokens * reps / seconds,
        },
    }))


if __name__ == "__main__":
    main()
