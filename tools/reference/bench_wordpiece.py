#!/usr/bin/env python3
"""HF tokenizers' WordPiece speed, the reference for examples/bench_wordpiece.rs.

Pinned versions: Python 3.11, tokenizers==0.23.3, all-MiniLM-L6-v2's
tokenizer.json (shared/bin/fetch-models minilm).

Command (from the repository root), one thread and all cores:
    TOKENIZERS_PARALLELISM=false RAYON_NUM_THREADS=1 /root/venvs/ref/bin/python tools/reference/bench_wordpiece.py --data ../shared/data --reps 5
    TOKENIZERS_PARALLELISM=true /root/venvs/ref/bin/python tools/reference/bench_wordpiece.py --data ../shared/data --reps 5

Encodes every SST-2 training sentence with `encode_batch` (truncation and
padding as the file says), `--reps` times after one warm-up, and prints the
median as a JSON line in the schema of the Rust example.
"""

import argparse
import json
import os
import time
from pathlib import Path

from tokenizers import Tokenizer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--models", type=Path, default=Path.home() / ".cache/journey/models")
    ap.add_argument("--reps", type=int, default=5)
    a = ap.parse_args()
    tok = Tokenizer.from_file(str(a.models / "all-MiniLM-L6-v2/tokenizer.json"))
    text = (a.data / "classification/sst2/train.tsv").read_text(encoding="utf-8")
    sents = []
    for line in text.split("\n")[1:]:
        line = line[:-1] if line.endswith("\r") else line
        if "\t" in line:
            sents.append(line.split("\t", 1)[1])
    nbytes = sum(len(s.encode("utf-8")) for s in sents)
    ntok = sum(sum(e.attention_mask) for e in tok.encode_batch(sents))
    times = []
    for _ in range(max(a.reps, 1)):
        t0 = time.perf_counter()
        tok.encode_batch(sents)
        times.append(time.perf_counter() - t0)
    times.sort()
    t = times[len(times) // 2]
    par = os.environ.get("TOKENIZERS_PARALLELISM", "true") != "false"
    print(json.dumps({
        "impl": "hf-tokenizers-0.23.3", "mode": "all threads" if par else "1 thread",
        "threads": os.cpu_count() if par else 1, "sentences": len(sents), "mbytes": nbytes / 1e6,
        "tokens": ntok, "median_s": t, "sentences_per_s": len(sents) / t, "mb_per_s": nbytes / 1e6 / t,
    }))


if __name__ == "__main__":
    main()
