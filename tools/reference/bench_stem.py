"""Stemming speed of NLTK, the reference side of
crates/journey-text/examples/bench_stem.rs: same word list, same repetitions,
one untimed warm-up pass, one JSON line (words/s) per stemmer.

Pinned: nltk==3.10.4 (CPython venv at /root/venvs/ref). Run:

    /root/venvs/ref/bin/python tools/reference/bench_stem.py \
        /work/shared/data/eval/stemming/english/voc.txt [reps=10]

PorterStemmer(mode=ORIGINAL_ALGORITHM) is the 1980 algorithm (journey's
`porter`); SnowballStemmer("english") is Porter2 (journey's `porter2`).
"""

import json
import sys
import time

import nltk
from nltk.stem.porter import PorterStemmer
from nltk.stem.snowball import SnowballStemmer


def bench(stemmer_name, stem, words, reps):
    for w in words:  # warm-up, untimed
        stem(w)
    start = time.perf_counter()
    for _ in range(reps):
        for w in words:
            stem(w)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "tool": f"nltk {nltk.__version__}",
                "stemmer": stemmer_name,
                "words": len(words),
                "reps": reps,
                "seconds": seconds,
                "words_per_s": round(len(words) * reps / seconds),
            }
        ),
        flush=True,
    )


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: bench_stem.py WORDS.txt [REPS]  (one word a line)")
    reps = int(sys.argv[2]) if len(sys.argv) == 3 else 10
    with open(sys.argv[1], encoding="utf-8") as f:
        words = [line.rstrip("\n") for line in f if line.strip()]
    porter = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)
    bench("porter (ORIGINAL_ALGORITHM)", porter.stem, words, reps)
    bench("english (Snowball)", SnowballStemmer("english").stem, words, reps)


if __name__ == "__main__":
    main()
