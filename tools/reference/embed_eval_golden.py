#!/usr/bin/env python3
"""gensim's analogy and word-pair scores of GloVe 6B 50d: the golden fixture
of crates/journey-embed/tests/evaluation.rs.

Pinned versions: Python 3.11, gensim==4.4.0, numpy==2.4.6, pyarrow==26.0.1.

Command (from the repository root, after `bash ../shared/bin/fetch-models glove`):
    /root/venvs/ref/bin/python tools/reference/embed_eval_golden.py \
        --data ../shared/data --out crates/journey-embed/tests/fixtures/glove_eval.json

Loads vectors.npy (numpy) and index.parquet (pyarrow) into a KeyedVectors,
then runs KeyedVectors.evaluate_word_analogies(questions-words.txt,
restrict_vocab=30000) and evaluate_word_pairs(wordsim353.tsv / simlex999.txt)
with gensim's defaults (restrict_vocab=300000, case_insensitive=True,
dummy4unknown=False). Also records SHA-256 digests of the matrix (row-major
little-endian f32) and of the words joined by "\\n", so the Rust loader is
checked against numpy/pyarrow, and the SHA-256 of the word2vec text and
binary files gensim's save_word2vec_format writes for the first 5,000 words.
"""

import argparse
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from gensim.models import KeyedVectors

ANALOGY_RESTRICT = 30000
SAVE_ROWS = 5000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--models", default=os.environ.get("JOURNEY_MODELS", os.path.expanduser("~/.cache/journey/models")))
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    d = Path(args.models) / "glove-6b-50d"
    vectors = np.load(d / "vectors.npy")
    words = pq.read_table(d / "index.parquet").column("index").to_pylist()
    kv = KeyedVectors(vector_size=vectors.shape[1], dtype=np.float32)
    kv.add_vectors(words, vectors)
    ev = Path(args.data) / "eval" / "word_vectors"
    t = time.time()
    score, sections = kv.evaluate_word_analogies(str(ev / "questions-words.txt"), restrict_vocab=ANALOGY_RESTRICT)
    t_analogy = time.time() - t
    out = {
        "gensim": __import__("gensim").__version__,
        "rows": len(words),
        "dim": int(vectors.shape[1]),
        "matrix_sha256": hashlib.sha256(np.ascontiguousarray(vectors, dtype="<f4").tobytes()).hexdigest(),
        "words_sha256": hashlib.sha256("\n".join(words).encode()).hexdigest(),
        "analogy_restrict_vocab": ANALOGY_RESTRICT,
        "analogy_accuracy": score,
        "analogy_sections": [
            {"section": s["section"], "correct": len(s["correct"]), "incorrect": len(s["incorrect"])} for s in sections
        ],
        "analogy_seconds": t_analogy,
        "pairs": {},
    }
    for name in ["wordsim353.tsv", "simlex999.txt"]:
        pearson, spearman, oov = kv.evaluate_word_pairs(str(ev / name))
        out["pairs"][name] = {
            "pearson": float(pearson[0]),
            "spearman": float(spearman.statistic),
            "oov_ratio_percent": float(oov),
        }
    # Files gensim writes for the first SAVE_ROWS words: ours must be byte-identical.
    small = KeyedVectors(vector_size=vectors.shape[1], dtype=np.float32)
    small.add_vectors(words[:SAVE_ROWS], vectors[:SAVE_ROWS])
    with tempfile.TemporaryDirectory() as tmp:
        for binary in (False, True):
            p = Path(tmp) / "v"
            small.save_word2vec_format(str(p), binary=binary)
            out["save_rows"] = SAVE_ROWS
            out["saved_binary_sha256" if binary else "saved_text_sha256"] = hashlib.sha256(p.read_bytes()).hexdigest()
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({k: v for k, v in out.items() if k != "analogy_sections"}))


if __name__ == "__main__":
    main()
