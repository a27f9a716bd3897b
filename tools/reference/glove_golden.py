#!/usr/bin/env python3
"""Golden GloVe co-occurrence counts for crates/journey-embed/tests/glove.rs.

Reference: glove-python (Maciej Kula), packaged for Python 3.11 as
bicleaner-ai-glove==0.2.1; numpy==2.4.6, scipy==1.17.1, in its own venv:
    python -m venv /root/venvs/glove
    /root/venvs/glove/bin/pip install bicleaner-ai-glove==0.2.1 numpy==2.4.6 \
        scipy==1.17.1 gensim==4.4.0

Command (from the repository root):
    /root/venvs/glove/bin/python tools/reference/glove_golden.py \
        --data /work/shared/data \
        > crates/journey-embed/tests/fixtures/glove_cooccur_lee.json

Corpus: corpora/lee/lee_background.cor, prepared as the benchmarks do
(ASCII-lowercase, every byte that is not an ASCII letter or digit to a
space, empty lines dropped), one document per line.

Rules mirrored from the Stanford tool (`cooccur.c`): vocabulary = tokens
seen >= MIN_COUNT times; out-of-vocabulary tokens are removed before windows
are formed; windows stay inside a line. glove-python's `Corpus.fit` gives
the off-diagonal upper triangle of the symmetric 1/d-weighted matrix (it
skips pairs of a word with itself and accumulates in float32); the diagonal
(a word within WINDOW of itself), which `cooccur.c` keeps, is counted here by
a plain loop.
"""

import argparse
import hashlib
import json
import random
from collections import Counter
from pathlib import Path

import glove
import numpy as np
from glove import Corpus

FILE = "corpora/lee/lee_background.cor"
WINDOW = 10
MIN_COUNT = 5
KEEP = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def prepare(line: bytes) -> list:
    return bytes(b if b in KEEP else 32 for b in line).decode("ascii").lower().split()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    args = ap.parse_args()
    raw = (Path(args.data) / FILE).read_bytes().decode("utf-8", errors="replace").encode("utf-8")
    docs = [t for t in (prepare(l) for l in raw.splitlines()) if t]
    counts = Counter(w for d in docs for w in d)
    vocab = sorted(w for w, c in counts.items() if c >= MIN_COUNT)
    ids = {w: i for i, w in enumerate(vocab)}
    kept = [[w for w in d if w in ids] for d in docs]

    corpus = Corpus(dictionary=ids)
    corpus.fit(kept, window=WINDOW, ignore_missing=False)
    # Corpus.fit emits a COO matrix with repeated (row, col) cells (one per
    # internal chunk); going through CSR sums them.
    m = corpus.matrix.tocsr().tocoo()
    assert (m.row < m.col).all(), "glove-python stores the upper triangle"
    upper = {(vocab[i], vocab[j]): float(x) for i, j, x in zip(m.row, m.col, m.data)}

    diag = Counter()
    for d in kept:
        for p, w in enumerate(d):
            for q in range(max(0, p - WINDOW), p):
                if d[q] == w:
                    diag[w] += 2.0 / (p - q)  # symmetric: both directions

    # Off-diagonal row sums of the symmetric matrix, for every word.
    sym = m.tocsr() + m.tocsr().T
    row_sums = np.asarray(sym.sum(axis=1)).ravel()

    keys = sorted(upper)
    rng = random.Random(0)
    sample = rng.sample(keys, 400)
    top = sorted(keys, key=lambda k: -upper[k])[:20]
    out = {
        "reference": "glove-python (bicleaner-ai-glove 0.2.1) Corpus.fit",
        "file": FILE,
        "window": WINDOW,
        "min_count": MIN_COUNT,
        "vocab_size": len(vocab),
        "vocab_sha256": hashlib.sha256("\n".join(vocab).encode()).hexdigest(),
        "tokens": sum(len(d) for d in kept),
        "upper_nnz": len(upper),
        "upper_sum": float(np.sum(m.data, dtype=np.float64)),
        "diag_nnz": len(diag),
        "diag_sum": sum(diag.values()),
        "diag_sample": [[w, diag[w]] for w in sorted(diag)[:: max(1, len(diag) // 50)]],
        "row_sums": [round(float(x), 6) for x in row_sums],
        "upper_sample": [[a, b, upper[(a, b)]] for a, b in sample + top],
    }
    print(json.dumps(out, indent=None))


if __name__ == "__main__":
    main()
