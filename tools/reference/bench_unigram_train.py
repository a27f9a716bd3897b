#!/usr/bin/env python3
"""Time of sentencepiece's Unigram trainer on the Unigram benchmark corpus.

The reference side of crates/journey-text/examples/bench_unigram_train.rs:
the same four files under $JOURNEY_DATA (default /work/shared/data),
concatenated in the same order (7,791,763 bytes), one sentence per line,
written to a temporary file (sentencepiece trains from files; writing it is
not timed). Settings: model_type=unigram, vocab_size VOCAB (default 8000),
every other option at sentencepiece's default (nmt_nfkc, character_coverage
0.9995, ...); num_threads 1 and 2. The model of the last run is saved to
OUT (default /tmp/bench_unigram_spm.model) for the Rust side's
`--reference` comparison. Wall-clock and CPU seconds (all threads of the
process) are reported; on a shared machine compare the CPU figures.

    /root/venvs/ref/bin/python tools/reference/bench_unigram_train.py 8000 /tmp/bench_unigram_spm.model

Pinned: Python 3.11.7, sentencepiece 0.2.3.
Output: one JSON object.
"""

import json
import os
import shutil
import sys
import tempfile
import time

import sentencepiece as spm

FILES = [
    "corpora/kjv/kjv.txt",
    "corpora/tinyshakespeare/input.txt",
    "corpora/wikitext-2/valid.txt",
    "corpora/wikitext-2/test.txt",
]


def main():
    vocab = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/bench_unigram_spm.model"
    root = os.environ.get("JOURNEY_DATA", "/work/shared/data")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus.txt")
        size = 0
        with open(corpus, "wb") as f:
            for rel in FILES:
                data = open(os.path.join(root, rel), "rb").read()
                if not data.endswith(b"\n"):
                    data += b"\n"
                size += len(data)
                f.write(data)
        times, cpu = {}, {}
        for threads in (1, 2):
            prefix = os.path.join(tmp, f"m{threads}")
            t, c = time.perf_counter(), time.process_time()
            spm.SentencePieceTrainer.train(
                input=corpus, model_prefix=prefix, model_type="unigram",
                vocab_size=vocab, num_threads=threads, minloglevel=2,
            )
            times[threads] = time.perf_counter() - t
            cpu[threads] = time.process_time() - c
        shutil.copy(os.path.join(tmp, "m2.model"), out)
    print(json.dumps({
        "sentencepiece": spm.__version__,
        "bytes": size,
        "vocab_size": vocab,
        "seconds_1_thread": round(times[1], 3),
        "seconds_2_threads": round(times[2], 3),
        "cpu_seconds_1_thread": round(cpu[1], 3),
        "cpu_seconds_2_threads": round(cpu[2], 3),
        "model": out,
    }))


if __name__ == "__main__":
    main()
