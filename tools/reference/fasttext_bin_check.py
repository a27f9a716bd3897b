#!/usr/bin/env python3
"""Checks that a fastText .bin written by journey opens in gensim and in
Debian's fasttext, with the same vectors.

Pinned versions: Python 3.11, gensim==4.4.0, numpy==2.4.6; Debian's
`fasttext` 0.9.2 on PATH.

Command (after `bench_fasttext_unsup --save DIR`, or `journey embed train
--algorithm fasttext --out DIR/m.bin`, which writes DIR/m.bin and DIR/m.vec):
    /root/venvs/ref/bin/python tools/reference/fasttext_bin_check.py \
        --bin DIR/ours_sg.bin --vec DIR/ours_sg.vec

Prints one JSON line: the largest |Δ| between the .vec that journey wrote
and gensim's `load_facebook_model(bin).wv` over every vocabulary word, and
between gensim's and `fasttext print-word-vectors`' vectors (5 significant
digits printed, so relative) for in-vocabulary and out-of-vocabulary words.
"""

import argparse
import json
import subprocess

import numpy as np
from gensim.models import KeyedVectors
from gensim.models.fasttext import load_facebook_model

OOV = ["cats", "dogmatic", "unbelievably", "reorganisation", "naïve", "Zürich", "東京", "straße"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--vec", required=True)
    args = ap.parse_args()
    m = load_facebook_model(args.bin)
    kv = KeyedVectors.load_word2vec_format(args.vec)
    assert list(kv.index_to_key) == list(m.wv.index_to_key), "vocabulary differs"
    d_vec = float(np.abs(kv.vectors - m.wv.vectors).max())
    words = list(m.wv.index_to_key[:50]) + [w for w in OOV if w not in m.wv.key_to_index]
    printed = subprocess.run(["fasttext", "print-word-vectors", args.bin], input="\n".join(words) + "\n",
                             capture_output=True, text=True, check=True).stdout.splitlines()
    rel = 0.0
    for w, line in zip(words, printed):
        parts = line.rstrip().split(" ")
        assert parts[0] == w, (parts[0], w)
        ft = np.array([float(x) for x in parts[1:]])
        g = m.wv[w].astype(np.float64)
        rel = max(rel, float((np.abs(ft - g) / np.maximum(np.abs(g), 1e-3)).max()))
    print(json.dumps({"bin": args.bin, "vocab": len(kv), "max_abs_vec_vs_gensim": d_vec,
                      "words_vs_fasttext": len(words), "max_rel_gensim_vs_fasttext": rel}))


if __name__ == "__main__":
    main()
