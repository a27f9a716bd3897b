#!/usr/bin/env python3
"""gensim word2vec training speed and quality, the reference for
crates/journey-embed/examples/bench_word2vec.rs.

Pinned versions: Python 3.11, gensim==4.4.0, numpy==2.4.6.

Command (from the repository root):
    /root/venvs/ref/bin/python tools/reference/bench_word2vec.py \
        --data /work/shared/data --threads 2 --epochs 5

Same corpus preparation as the Rust example (ASCII-lowercase, non
alphanumeric ASCII bytes to spaces, empty lines dropped), same settings
(Word2Vec defaults: vector_size 100, window 5, negative 5, min_count 5,
sample 1e-3; sg=1 or 0; workers=THREADS), timed from the token lists in
memory (vocabulary + training). Evaluation: evaluate_word_analogies
(restrict_vocab 30000) and evaluate_word_pairs (defaults).
"""

import argparse
import json
import time
from pathlib import Path

import gensim
from gensim.models import Word2Vec

BENCH_FILES = [
    "corpora/kjv/kjv.txt",
    "corpora/wikitext-2/test.txt",
    "corpora/wikitext-2/valid.txt",
    "corpora/tinyshakespeare/input.txt",
    "corpora/lee/lee_background.cor",
    "corpora/lee/lee.cor",
]
KEEP = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def prepare(line: bytes) -> list:
    return bytes(b if b in KEEP else 32 for b in line).decode("ascii").lower().split()


def bench_sentences(data) -> list:
    """The benchmark corpus as token lists (shared by bench_glove.py and
    bench_fasttext_unsup.py)."""
    sents = []
    for f in BENCH_FILES:
        raw = (Path(data) / f).read_bytes().decode("utf-8", errors="replace").encode("utf-8")
        for line in raw.splitlines():
            toks = prepare(line)
            if toks:
                sents.append(toks)
    return sents


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--only", default="sg,cbow")
    args = ap.parse_args()
    sents = bench_sentences(args.data)
    tokens = sum(len(s) for s in sents)
    ev = Path(args.data) / "eval" / "word_vectors"
    for name, sg in [("sg", 1), ("cbow", 0)]:
        if name not in args.only.split(","):
            continue
        t = time.time()
        m = Word2Vec(sents, sg=sg, workers=args.threads, epochs=args.epochs, seed=1)
        secs = time.time() - t
        acc, secs_an = m.wv.evaluate_word_analogies(str(ev / "questions-words.txt"), restrict_vocab=30000)
        n_q = sum(len(s["correct"]) + len(s["incorrect"]) for s in secs_an if s["section"] == "Total accuracy")
        ws = m.wv.evaluate_word_pairs(str(ev / "wordsim353.tsv"))
        sl = m.wv.evaluate_word_pairs(str(ev / "simlex999.txt"))
        print(json.dumps({
            "impl": "gensim " + gensim.__version__, "model": name, "tokens": tokens, "vocab": len(m.wv),
            "threads": args.threads, "epochs": args.epochs, "seconds": secs,
            "words_per_sec": tokens * args.epochs / secs,
            "analogy_acc": acc, "analogy_questions": n_q,
            "wordsim_spearman": float(ws[1].statistic), "simlex_spearman": float(sl[1].statistic),
        }), flush=True)


if __name__ == "__main__":
    main()
