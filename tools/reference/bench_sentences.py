#!/usr/bin/env python3
"""NLTK Punkt speed, the Python side of crates/journey-text/examples/bench_sentences.rs.

Pinned: Python 3.11, nltk==3.10.4. Same texts, same English model (written as
an NLTK punkt_tab folder from crates/journey-text/data/punkt/english.json and
loaded by nltk.tokenize.PunktTokenizer), same tasks; loading is not timed;
each row is the best of 5 runs (3 for training).

    JOURNEY_DATA=/work/shared/data /root/venvs/ref/bin/python tools/reference/bench_sentences.py
"""
import json
import os
import sys
import tempfile
import time

import nltk
from nltk.tokenize.punkt import PunktTrainer

sys.path.insert(0, os.path.dirname(__file__))
from punkt_english_model import write_punkt_tab  # noqa: E402
from punkt_golden import kjv_chapters, lee_docs  # noqa: E402


def best_of(runs, f):
    best, out = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def main():
    assert nltk.__version__ == "3.10.4"
    kjv = "\n\n".join(kjv_chapters())
    lee = lee_docs()
    with open("crates/journey-text/data/punkt/english.json", encoding="utf-8") as f:
        english = json.load(f)
    tmp = tempfile.mkdtemp(prefix="punkt_bench_")
    write_punkt_tab(english, os.path.join(tmp, "tokenizers", "punkt_tab", "english"))
    nltk.data.path.insert(0, tmp)
    tok = nltk.tokenize.PunktTokenizer("english")

    print(f"{'task':<28} {'seconds':>10} {'sentences':>10} {'sentences/s':>14} {'chars/s':>14}")

    def row(name, secs, sents, chars):
        print(f"{name:<28} {secs:>10.4f} {sents:>10} {sents / secs:>14.0f} {chars / secs:>14.0f}")

    secs, n = best_of(5, lambda: len(list(tok.span_tokenize(kjv))))
    row("segment kjv (english)", secs, n, len(kjv))
    secs, n = best_of(5, lambda: sum(len(list(tok.span_tokenize(d))) for d in lee))
    row("segment lee docs (english)", secs, n, sum(map(len, lee)))

    def train():
        t = PunktTrainer()
        t.train(kjv)
        return t.get_params()

    secs, params = best_of(3, train)
    print(
        f"{'train on kjv':<28} {secs:>10.4f} {'-':>10} {'-':>14} {len(kjv) / secs:>14.0f}"
        f"   ({len(params.abbrev_types)} abbreviations, {len(params.sent_starters)} sentence starters)"
    )


if __name__ == "__main__":
    main()
