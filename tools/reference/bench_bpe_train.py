#!/usr/bin/env python3
"""Time of HF tokenizers' byte-level BpeTrainer on the BPE benchmark corpus.

The reference side of crates/journey-text/examples/bench_bpe_train.rs: the
same seven files under $JOURNEY_DATA (default /work/shared/data), concatenated
in the same order (15,256,509 bytes), each line with its "\\n" one document
(`str.splitlines(keepends=True)` would also split at other line breaks, so the
text is split at "\\n" only, as Rust's `split_inclusive('\\n')`), the same
vocab size and special token. Pre-tokenizer: ByteLevel(add_prefix_space=False,
use_regex=True), i.e. the GPT-2 pattern; initial alphabet: the 256 bytes.
Reading the files is not timed. HF parallelises with rayon over the documents;
RAYON_NUM_THREADS sets the thread count (TOKENIZERS_PARALLELISM=false gives 1),
so run it twice:

    RAYON_NUM_THREADS=1 /root/venvs/ref/bin/python tools/reference/bench_bpe_train.py 8000
    /root/venvs/ref/bin/python tools/reference/bench_bpe_train.py 8000

Pinned: Python 3.11.7, tokenizers 0.23.3.
Output: one JSON object.
"""

import json
import os
import sys
import time

import tokenizers
from tokenizers import Tokenizer, models, pre_tokenizers, trainers

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
    vocab_size = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    root = os.environ.get("JOURNEY_DATA", "/work/shared/data")
    text = "".join(open(os.path.join(root, f), encoding="utf-8", newline="").read() for f in FILES)
    docs = [line + "\n" for line in text.split("\n")]
    docs[-1] = docs[-1][:-1]
    if docs[-1] == "":
        docs.pop()
    assert "".join(docs) == text

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    start = time.perf_counter()
    tok.train_from_iterator(docs, trainer=trainer, length=len(docs))
    seconds = time.perf_counter() - start
    print(json.dumps({
        "tool": f"HF tokenizers {tokenizers.__version__} BpeTrainer",
        "bytes": len(text.encode("utf-8")),
        "documents": len(docs),
        "vocab_size": vocab_size,
        "vocab": tok.get_vocab_size(),
        "rayon_num_threads": os.environ.get("RAYON_NUM_THREADS", "default"),
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
