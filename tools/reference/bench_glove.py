#!/usr/bin/env python3
"""glove-python training speed and quality, the reference for
crates/journey-embed/examples/bench_glove.rs.

Pinned versions: Python 3.11, bicleaner-ai-glove==0.2.1 (glove-python by
Maciej Kula, built for 3.11), numpy==2.4.6, scipy==1.17.1, gensim==4.4.0
(evaluation only), in /root/venvs/glove (see glove_golden.py).

Command (from the repository root):
    /root/venvs/glove/bin/python tools/reference/bench_glove.py \
        --data /work/shared/data --threads 2 --epochs 25

Same corpus preparation as the Rust example, same vocabulary (min_count 5,
out-of-vocabulary tokens removed before windows, as the Stanford tool does),
same settings (100 dimensions, window 10, x_max 100, alpha 0.75, learning
rate 0.05, AdaGrad, seed 1), timed from the token lists in memory (counting
with Corpus.fit, then Glove.fit). Differences in the model itself:
glove-python trains one matrix for words and contexts, skips the diagonal,
clips the loss (max_loss 10) and has no gradient clip; the Rust side trains
W and W~ and outputs W + W~ as the Stanford tool does.
Evaluation: gensim KeyedVectors (words most frequent first),
evaluate_word_analogies (restrict_vocab 30000) and evaluate_word_pairs.
"""

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors
from glove import Corpus, Glove

from bench_word2vec import bench_sentences  # the same corpus preparation


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=25)
    ap.add_argument("--x-max", type=float, default=100.0)
    args = ap.parse_args()
    sents = bench_sentences(args.data)
    tokens = sum(len(s) for s in sents)
    ev = Path(args.data) / "eval" / "word_vectors"

    t = time.time()
    counts = Counter(w for s in sents for w in s)
    words = [w for w, c in counts.most_common() if c >= 5]
    ids = {w: i for i, w in enumerate(words)}
    kept = [[w for w in s if w in ids] for s in sents]
    corpus = Corpus(dictionary=ids)
    corpus.fit(kept, window=10)
    count_secs = time.time() - t
    t2 = time.time()
    model = Glove(no_components=100, learning_rate=0.05, alpha=0.75, max_count=args.x_max, random_state=1)
    model.fit(corpus.matrix, epochs=args.epochs, no_threads=args.threads)
    train_secs = time.time() - t2

    kv = KeyedVectors(100)
    kv.add_vectors(words, model.word_vectors.astype(np.float32))
    acc, secs_an = kv.evaluate_word_analogies(str(ev / "questions-words.txt"), restrict_vocab=30000)
    n_q = sum(len(s["correct"]) + len(s["incorrect"]) for s in secs_an if s["section"] == "Total accuracy")
    ws = kv.evaluate_word_pairs(str(ev / "wordsim353.tsv"))
    sl = kv.evaluate_word_pairs(str(ev / "simlex999.txt"))
    print(json.dumps({
        "impl": "glove-python (bicleaner-ai-glove 0.2.1)", "tokens": tokens, "vocab": len(words),
        "entries": int(corpus.matrix.tocsr().nnz), "threads": args.threads, "epochs": args.epochs, "x_max": args.x_max,
        "count_seconds": count_secs, "train_seconds": train_secs, "seconds": count_secs + train_secs,
        "analogy_acc": acc, "analogy_questions": n_q,
        "wordsim_spearman": float(ws[1].statistic), "simlex_spearman": float(sl[1].statistic),
    }), flush=True)


if __name__ == "__main__":
    main()
