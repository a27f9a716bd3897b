#!/usr/bin/env python3
"""Time of HF tokenizers' WordPiece training (BertWordPieceTokenizer.train)
on the BPE-training benchmark corpus.

The reference side of crates/journey-text/examples/bench_wordpiece_train.rs:
the same seven files under $JOURNEY_DATA (default /work/shared/data),
concatenated in the same order (15,256,509 bytes), split at "\\n" only (as
Rust's `split('\\n')`), each line one text; BertWordPieceTokenizer's defaults
(uncased, min_frequency 2, limit_alphabet 1000, [PAD] [UNK] [CLS] [SEP]
[MASK]) and the same vocab size. Reading the files is not timed. HF
parallelises with rayon; RAYON_NUM_THREADS sets the thread count, so run it
twice:

    RAYON_NUM_THREADS=1 /root/venvs/ref/bin/python tools/reference/bench_wordpiece_train.py 30000
    /root/venvs/ref/bin/python tools/reference/bench_wordpiece_train.py 30000 /tmp/hf_vocab.txt

With a second argument, writes the trained vocabulary there (one token a
line, in id order) for the Rust example's parity check.

Pinned: Python 3.11.7, tokenizers 0.23.3.
Output: one JSON object.
"""

import json
import os
import sys
import time

import tokenizers
from tokenizers import BertWordPieceTokenizer

FILES = [
    "corpora/kjv/kjv.txt",
    "corpora/tinyshakespeare/input.txt",
    "corpora/wikitext-2/valid.txt",
    "corpora/wikitext-2/test.txt",
    "classification/sst2/train.tsv",
    "classification/ag_news/test.csv",
    "eval/parallel/multi30k/train.en",
]


def main():
    vocab_size = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
    root = os.environ.get("JOURNEY_DATA", "/work/shared/data")
    text = "".join(open(os.path.join(root, f), encoding="utf-8", newline="").read() for f in FILES)
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()

    tok = BertWordPieceTokenizer()
    start = time.perf_counter()
    tok.train_from_iterator(lines, vocab_size=vocab_size, show_progress=False, length=len(lines))
    seconds = time.perf_counter() - start
    vocab = [t for t, _ in sorted(tok.get_vocab().items(), key=lambda kv: kv[1])]
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w", encoding="utf-8") as f:
            f.write("\n".join(vocab) + "\n")
    print(json.dumps({
        "tool": f"HF tokenizers {tokenizers.__version__} BertWordPieceTokenizer.train",
        "bytes": len(text.encode("utf-8")),
        "lines": len(lines),
        "vocab_size": vocab_size,
        "vocab": len(vocab),
        "rayon_num_threads": os.environ.get("RAYON_NUM_THREADS", "default"),
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
