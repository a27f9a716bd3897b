#!/usr/bin/env python3
"""Vector files between journey and gensim, both ways (issue 6).

Pinned: gensim 4.4.0, numpy 2.4.6 (the reference venv /root/venvs/ref) and
Debian's fastText binary (0.9.2+ds-1, `apt-get install -y fasttext`) for the
`.vec` check.

1. journey -> gensim: `journey embed train` on the Lee background corpus
   (shared/data/corpora/lee/lee_background.cor, lowercased, every byte that
   is not an ASCII letter or digit replaced by a space) writes word2vec text
   and binary; gensim's `KeyedVectors.load_word2vec_format(binary=...)` loads
   both. Word order and values are compared with an independent parse of the
   binary file here (|diff| <= 1e-6 for binary; for text, the text digits
   must read back to the very same float32, our text being shortest
   round-trip) and the two files with each other.
2. gensim / fastText -> journey: gensim's Word2Vec trained on the same corpus
   is saved with `save_word2vec_format` (text and binary), fastText's
   `skipgram` writes a `.vec`; `journey embed neighbours --json` (exact, and
   `--approximate` with ef >= vocabulary) must give the words and scores of
   gensim's `most_similar` on the same file (scores within 1e-6, the order
   equal except between scores closer than 1e-6).

Exits 1 on any mismatch and prints a summary. With `--fixtures` it also
writes the small files of crates/journey-embed/tests/fixtures/gensim_vectors/
(gensim and fastText vectors of ~200 words, dim 8, and the gensim-side
hashes and neighbours in gensim_vectors.json) for tests/gensim_files.rs.

Usage (from the repository root):
    source /root/venvs/ref/bin/activate
    python tools/reference/gensim_roundtrip.py --data /work/shared/data \
        [--journey target/release/journey] [--fixtures]
(default --journey: `cargo run --release -q -p journey --`).
"""
import argparse
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

import gensim
import numpy as np
from gensim.models import KeyedVectors, Word2Vec

assert gensim.__version__ == "4.4.0", gensim.__version__

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "../.."))
FIXTURES = os.path.join(ROOT, "crates/journey-embed/tests/fixtures/gensim_vectors")
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def prepare(src, dst):
    n = 0
    with open(src, encoding="utf-8", errors="replace") as f, open(dst, "w") as out:
        for line in f:
            toks = re.sub(rb"[^a-z0-9]", b" ", line.encode("utf-8").lower()).decode().split()
            if toks:
                out.write(" ".join(toks) + "\n")
                n += len(toks)
    return n


def sentences(path):
    with open(path) as f:
        return [line.split() for line in f]


def raw_binary(path):
    """Independent word2vec binary parse: words and float32 matrix."""
    with open(path, "rb") as f:
        b = f.read()
    nl = b.index(b"\n")
    n, d = map(int, b[:nl].split())
    at, words, rows = nl + 1, [], []
    for _ in range(n):
        sp = b.index(b" ", at)
        words.append(b[at:sp].lstrip(b"\n").decode("utf-8"))
        rows.append(np.frombuffer(b[sp + 1 : sp + 1 + 4 * d], dtype="<f4"))
        at = sp + 1 + 4 * d
    assert at == len(b) or b[at:].strip() == b"", "trailing bytes"
    return words, np.vstack(rows)


def raw_text(path):
    with open(path, encoding="utf-8") as f:
        n, d = map(int, f.readline().split())
        words, rows = [], []
        for line in f:
            parts = line.rstrip().split(" ")
            words.append(parts[0])
            rows.append(np.array([np.float32(x) for x in parts[1:]], dtype=np.float32))
    assert len(words) == n and all(len(r) == d for r in rows)
    return words, np.vstack(rows)


def journey(cmd, args):
    out = subprocess.run(cmd + args, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"journey {' '.join(args)} failed:\n{out.stderr}")
    return out.stdout


def compare_neighbours(kv, ours, label):
    """ours: [[word, score], ...] from journey; kv.most_similar the truth."""
    want = kv.most_similar(ours["query"], topn=len(ours["got"]))
    got = ours["got"]
    worst = max((abs(g[1] - w[1]) for g, w in zip(got, want)), default=0.0)
    same = len(got) == len(want) and worst <= 1e-6
    for (gw, gs), (ww, ws) in zip(got, want):
        if gw != ww:
            # Only a near-tie may swap.
            same = same and abs(gs - ws) <= 1e-6 and abs(gs - kv.similarity(ours["query"], ww)) <= 1e-6
    return same, worst


def part1(cmd, corpus, tmp):
    print("== 1. journey writes, gensim reads")
    txt, binf = os.path.join(tmp, "ours.txt"), os.path.join(tmp, "ours.bin")
    base = ["--threads", "1", "--quiet", "embed", "train", "--input", corpus, "--dim", "32",
            "--epochs", "3", "--min-count", "5", "--seed", "7"]
    journey(cmd, base + ["--out", txt])
    journey(cmd, base + ["--out", binf, "--binary"])
    kt = KeyedVectors.load_word2vec_format(txt, binary=False)
    kb = KeyedVectors.load_word2vec_format(binf, binary=True)
    rw, rm = raw_binary(binf)
    tw, tm = raw_text(txt)
    check(kb.index_to_key == rw, f"binary: gensim word order = the file's ({len(rw)} words)")
    d = float(np.max(np.abs(kb.vectors - rm)))
    check(d <= 1e-6, f"binary: gensim values = the file's floats (max |diff| {d:.3g})")
    check(kt.index_to_key == tw == rw, "text: gensim word order = the file's = the binary's")
    d = float(np.max(np.abs(kt.vectors - tm)))
    check(d == 0.0, f"text: gensim values = the digits read as float32 (max |diff| {d:.3g})")
    d = float(np.max(np.abs(kt.vectors - kb.vectors)))
    check(d == 0.0, f"text and binary hold the same float32 (max |diff| {d:.3g}; shortest round-trip digits)")
    return len(rw)


def neighbours_check(cmd, path, kv, label, approximate=False):
    words = kv.index_to_key
    picks = [words[i] for i in list(range(0, 10)) + list(range(50, len(words), max(len(words) // 15, 1)))][:25]
    worst, bad = 0.0, []
    for w in picks:
        args = ["--json", "embed", "neighbours", "--vectors", path, w, "-k", "10"]
        if approximate:
            args += ["--approximate", "--ef", str(len(words))]
        got = json.loads(journey(cmd, args))
        same, diff = compare_neighbours(kv, {"query": w, "got": got}, label)
        worst = max(worst, diff)
        if not same:
            bad.append(w)
    kind = "HNSW, ef = vocabulary" if approximate else "exact"
    check(not bad, f"{label}: journey neighbours ({kind}) = gensim most_similar for "
          f"{len(picks)} words, top 10 (max |score diff| {worst:.2g}){' bad: ' + str(bad) if bad else ''}")


def part2(cmd, corpus, tmp, fasttext):
    print("== 2. gensim and fastText write, journey reads")
    model = Word2Vec(sentences(corpus), vector_size=24, min_count=5, seed=3, workers=1, epochs=5)
    gt, gb = os.path.join(tmp, "gensim.txt"), os.path.join(tmp, "gensim.bin")
    model.wv.save_word2vec_format(gt, binary=False)
    model.wv.save_word2vec_format(gb, binary=True)
    for path, binary, label in [(gt, False, "gensim text"), (gb, True, "gensim binary")]:
        kv = KeyedVectors.load_word2vec_format(path, binary=binary)
        neighbours_check(cmd, path, kv, label)
    kv = KeyedVectors.load_word2vec_format(gt, binary=False)
    neighbours_check(cmd, gt, kv, "gensim text", approximate=True)
    if fasttext:
        out = os.path.join(tmp, "ft")
        subprocess.run([fasttext, "skipgram", "-input", corpus, "-output", out, "-dim", "16",
                        "-minCount", "5", "-epoch", "3", "-thread", "1", "-verbose", "0"], check=True)
        kv = KeyedVectors.load_word2vec_format(out + ".vec", binary=False)
        neighbours_check(cmd, out + ".vec", kv, "fastText .vec")
    else:
        print("skip fastText .vec (no fasttext binary)")


def sha(b):
    return hashlib.sha256(b).hexdigest()


def fixtures(corpus, tmp, fasttext):
    print("== fixtures ->", os.path.relpath(FIXTURES, ROOT))
    os.makedirs(FIXTURES, exist_ok=True)
    model = Word2Vec(sentences(corpus), vector_size=8, min_count=40, seed=1, workers=1, epochs=5)
    files = {
        "w2v.txt": ("text", lambda p: model.wv.save_word2vec_format(p, binary=False), False),
        "w2v.bin": ("binary", lambda p: model.wv.save_word2vec_format(p, binary=True), True),
    }
    if fasttext:
        def ft(p):
            out = os.path.join(tmp, "ftfix")
            subprocess.run([fasttext, "skipgram", "-input", corpus, "-output", out, "-dim", "8",
                            "-minCount", "40", "-epoch", "3", "-thread", "1", "-verbose", "0"], check=True)
            os.replace(out + ".vec", p)
        files["fasttext.vec"] = ("text", ft, False)
    golden = {"gensim": gensim.__version__, "files": {}}
    for name, (fmt, write, binary) in files.items():
        p = os.path.join(FIXTURES, name)
        write(p)
        kv = KeyedVectors.load_word2vec_format(p, binary=binary)
        vecs = np.ascontiguousarray(kv.vectors, dtype="<f4")
        queries = [kv.index_to_key[i] for i in (0, 7, 40, 120)]
        golden["files"][name] = {
            "format": fmt,
            "rows": len(kv.index_to_key),
            "dim": kv.vector_size,
            "words_sha256": sha("\n".join(kv.index_to_key).encode("utf-8")),
            "matrix_sha256": sha(vecs.tobytes()),
            "first_row": [float(x) for x in vecs[0]],
            "most_similar": {q: [[w, float(s)] for w, s in kv.most_similar(q, topn=5)] for q in queries},
        }
        print(f"  {name}: {len(kv.index_to_key)} x {kv.vector_size}, {os.path.getsize(p)} bytes")
    with open(os.path.join(FIXTURES, "gensim_vectors.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("JOURNEY_DATA", "../shared/data"))
    ap.add_argument("--journey", help="path of the journey binary")
    ap.add_argument("--fasttext", default="/usr/bin/fasttext")
    ap.add_argument("--fixtures", action="store_true")
    a = ap.parse_args()
    cmd = shlex.split(a.journey) if a.journey else ["cargo", "run", "--release", "-q", "-p", "journey", "--"]
    fasttext = a.fasttext if os.path.exists(a.fasttext) else None
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "lee.txt")
        n = prepare(os.path.join(a.data, "corpora/lee/lee_background.cor"), corpus)
        print(f"corpus: Lee background, {n} tokens")
        part1(cmd, corpus, tmp)
        part2(cmd, corpus, tmp, fasttext)
        if a.fixtures:
            fixtures(corpus, tmp, fasttext)
    print(f"== {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
