#!/usr/bin/env python3
"""NLTK's WordNet lemmatizer speed, the reference for examples/bench_lemma.rs.

Pinned versions: Python 3.11, nltk==3.10.4, WordNet 3.0 (Debian wordnet-base
1:3.0-37, the copy in $JOURNEY_DATA/lexicons/wordnet-3.0).

Command (from the repository root):
    /root/venvs/ref/bin/python tools/reference/bench_lemma.py --data ../shared/data --reps 20

Lemmatizes every word of crates/journey-text/tests/fixtures/wordnet_lemmas.tsv
as each part of speech, after one warm-up pass, `--reps` times, and prints
JSON lines (words per second, load time of NLTK's reader) in the schema of the
Rust example. The reader is opened as in lemmatize_golden.py.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lemmatize_golden import POS, open_wordnet  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument(
        "--words", type=Path, default=Path("crates/journey-text/tests/fixtures/wordnet_lemmas.tsv")
    )
    args = parser.parse_args()

    lines = [l for l in args.words.read_text(encoding="utf-8").splitlines() if not l.startswith("#")]
    words = [l.split("\t")[0] for l in lines[1:]]

    start = time.perf_counter()
    open_wordnet(args.data / "lexicons/wordnet-3.0")
    load = time.perf_counter() - start
    print(json.dumps({"impl": "nltk", "what": "wordnet_load", "loads": 1, "min_s": load, "median_s": load}))

    from nltk.stem import WordNetLemmatizer

    lemmatize = WordNetLemmatizer().lemmatize
    for pos in POS:
        for w in words:  # warm-up
            lemmatize(w, pos)
        start = time.perf_counter()
        for _ in range(args.reps):
            for w in words:
                lemmatize(w, pos)
        seconds = time.perf_counter() - start
        print(json.dumps({"impl": "nltk", "what": "lemmatize", "pos": pos, "words": len(words),
                          "reps": args.reps, "threads": 1, "seconds": seconds,
                          "words_per_s": len(words) * args.reps / seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
