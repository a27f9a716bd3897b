#!/usr/bin/env python3
"""gensim FastText (and Debian fasttext) training speed and quality, the
reference for crates/journey-embed/examples/bench_fasttext_unsup.rs.

Pinned versions: Python 3.11, gensim==4.4.0, numpy==2.4.6; Debian's
`fasttext` 0.9.2 (package `fasttext`) for `--fasttext`.

Command (from the repository root):
    /root/venvs/ref/bin/python tools/reference/bench_fasttext_unsup.py \
        --data /work/shared/data --threads 2 --epochs 5 [--fasttext]

Same corpus preparation as the Rust example (bench_word2vec's corpus:
ASCII-lowercase, non alphanumeric ASCII bytes to spaces, empty lines
dropped), same settings (FastText defaults: vector_size 100, window 5,
negative 5, min_count 5, sample 1e-3, min_n 3, max_n 6, bucket 2,000,000;
sg=1 or 0; workers=THREADS), timed from the token lists in memory
(vocabulary + training), in wall-clock and CPU seconds. Evaluation: evaluate_word_analogies
(restrict_vocab 30000) and evaluate_word_pairs (defaults).

`--fasttext` also times `fasttext skipgram|cbow` on the prepared corpus
written to a temporary file, with the same settings (-lr 0.025 -t 1e-3
-dim 100 -ws 5 -neg 5 -minCount 5 -minn 3 -maxn 6 -bucket 2000000), from
the command's start to its end (reading the file and saving .bin and .vec
included), and evaluates its .vec the same way.
"""

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import gensim
from gensim.models import FastText, KeyedVectors

from bench_word2vec import bench_sentences  # the same corpus preparation


def evaluate(wv, ev):
    acc, secs_an = wv.evaluate_word_analogies(str(ev / "questions-words.txt"), restrict_vocab=30000)
    n_q = sum(len(s["correct"]) + len(s["incorrect"]) for s in secs_an if s["section"] == "Total accuracy")
    ws = wv.evaluate_word_pairs(str(ev / "wordsim353.tsv"))
    sl = wv.evaluate_word_pairs(str(ev / "simlex999.txt"))
    return {"analogy_acc": acc, "analogy_questions": n_q,
            "wordsim_spearman": float(ws[1].statistic), "simlex_spearman": float(sl[1].statistic)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--only", default="sg,cbow")
    ap.add_argument("--fasttext", action="store_true")
    ap.add_argument("--skip-gensim", action="store_true")
    args = ap.parse_args()
    sents = bench_sentences(args.data)
    tokens = sum(len(s) for s in sents)
    ev = Path(args.data) / "eval" / "word_vectors"
    for name, sg in [("sg", 1), ("cbow", 0)]:
        if name not in args.only.split(","):
            continue
        if not args.skip_gensim:
            t, cpu = time.time(), time.process_time()
            m = FastText(sents, sg=sg, workers=args.threads, epochs=args.epochs, seed=1)
            secs, cpu = time.time() - t, time.process_time() - cpu
            print(json.dumps({
                "cpu_seconds": cpu, "words_per_cpu_sec": tokens * args.epochs / cpu,
                "impl": "gensim " + gensim.__version__, "model": name, "tokens": tokens, "vocab": len(m.wv),
                "threads": args.threads, "epochs": args.epochs, "seconds": secs,
                "words_per_sec": tokens * args.epochs / secs, **evaluate(m.wv, ev),
            }), flush=True)
            del m
        if args.fasttext:
            with tempfile.TemporaryDirectory() as tmp:
                corpus = Path(tmp) / "corpus.txt"
                corpus.write_text("".join(" ".join(s) + "\n" for s in sents))
                out = Path(tmp) / "m"
                t = time.time()
                before = os.times()
                subprocess.run([
                    "fasttext", "skipgram" if sg else "cbow", "-input", str(corpus), "-output", str(out),
                    "-dim", "100", "-ws", "5", "-neg", "5", "-minCount", "5", "-t", "1e-3",
                    "-lr", "0.025", "-epoch", str(args.epochs), "-thread", str(args.threads),
                    "-minn", "3", "-maxn", "6", "-bucket", "2000000", "-verbose", "0",
                ], check=True)
                secs = time.time() - t
                after = os.times()
                cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
                wv = KeyedVectors.load_word2vec_format(str(out.with_suffix(".vec")))
                print(json.dumps({
                    "cpu_seconds": cpu, "words_per_cpu_sec": tokens * args.epochs / cpu,
                    "impl": "fasttext 0.9.2 (Debian)", "model": name, "tokens": tokens, "vocab": len(wv),
                    "threads": args.threads, "epochs": args.epochs, "seconds": secs,
                    "words_per_sec": tokens * args.epochs / secs, **evaluate(wv, ev),
                }), flush=True)


if __name__ == "__main__":
    main()
