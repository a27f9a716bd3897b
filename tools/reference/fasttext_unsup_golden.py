#!/usr/bin/env python3
"""Golden fixtures for crates/journey-embed/tests/fasttext_unsupervised.rs.

Pinned versions: Python 3.11, gensim==4.4.0, numpy==2.4.6; Debian's
`fasttext` 0.9.2 binary (package `fasttext`) on PATH.

Command (from the repository root):
    /root/venvs/ref/bin/python tools/reference/fasttext_unsup_golden.py \
        --data /work/shared/data

Writes to crates/journey-embed/tests/fixtures/:

* fasttext_subwords.json: for the 300 most frequent tokens of WikiText-2's
  test split and every token there with a non-ASCII byte (at most 200), the
  character n-grams of gensim's `compute_ngrams_bytes(word, 3, 6)` and their
  `ft_hash_bytes` hashes (fastText's FNV-1a with sign-extended bytes);
* fasttext_lee_dim10.bin: a model trained by Debian's `fasttext skipgram`
  on the Lee background corpus (dim 10, bucket 2000, epoch 1, one thread);
* fasttext_lee_dim10.json: vectors of in-vocabulary and out-of-vocabulary
  words (ASCII and not) from that model, as gensim's `load_facebook_model`
  computes them (float32, full precision) and as `fasttext
  print-word-vectors` prints them (5 significant digits).
"""

import argparse
import json
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from gensim.models.fasttext import compute_ngrams_bytes, ft_hash_bytes, load_facebook_model

FIX = Path(__file__).resolve().parents[2] / "crates/journey-embed/tests/fixtures"

OOV = [
    "cats", "dogmatic", "unbelievably", "reorganisation", "ab", "x",
    "naïve", "Zürich", "théâtre", "Ångström", "東京", "смысл", "straße", "œuvre",
]


def subwords(data: Path):
    toks = (data / "corpora/wikitext-2/test.txt").read_text(encoding="utf-8").split()
    counts = Counter(toks)
    words = [w for w, _ in counts.most_common(300)]
    non_ascii = []
    for w in toks:
        if not w.isascii() and w not in non_ascii and w not in words:
            non_ascii.append(w)
        if len(non_ascii) == 200:
            break
    out = []
    for w in words + non_ascii:
        grams = compute_ngrams_bytes(w, 3, 6)
        out.append({
            "word": w,
            "ngrams": [g.decode("utf-8", errors="replace") for g in grams],
            "hashes": [int(ft_hash_bytes(g)) for g in grams],
        })
    (FIX / "fasttext_subwords.json").write_text(
        json.dumps({"minn": 3, "maxn": 6, "words": out}, ensure_ascii=False) + "\n", encoding="utf-8")
    print("subwords:", len(out), "words,", len(non_ascii), "non-ASCII")


def model(data: Path):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "m"
        subprocess.run([
            "fasttext", "skipgram", "-input", str(data / "corpora/lee/lee_background.cor"),
            "-output", str(out), "-dim", "10", "-bucket", "2000", "-epoch", "1",
            "-thread", "1", "-minCount", "5", "-verbose", "0",
        ], check=True)
        binp = FIX / "fasttext_lee_dim10.bin"
        binp.write_bytes((out.with_suffix(".bin")).read_bytes())
    m = load_facebook_model(str(binp))
    vocab = list(m.wv.index_to_key)
    words = vocab[:20] + vocab[-10:] + OOV
    printed = subprocess.run(
        ["fasttext", "print-word-vectors", str(binp)], input="\n".join(words) + "\n",
        capture_output=True, text=True, check=True).stdout.splitlines()
    ft = {}
    for line in printed:
        parts = line.rstrip().split(" ")
        ft[parts[0]] = [float(x) for x in parts[1:]]
    rows = []
    for w in words:
        rows.append({
            "word": w,
            "in_vocab": w in m.wv.key_to_index,
            "gensim": [float(x) for x in m.wv[w]],
            "fasttext": ft[w],
        })
    (FIX / "fasttext_lee_dim10.json").write_text(
        json.dumps({"nwords": len(vocab), "words": rows}, ensure_ascii=False) + "\n", encoding="utf-8")
    print("model:", len(vocab), "words,", binp.stat().st_size, "bytes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    args = ap.parse_args()
    subwords(Path(args.data))
    model(Path(args.data))


if __name__ == "__main__":
    main()
