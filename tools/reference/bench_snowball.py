"""Stemming speed of NLTK's Snowball stemmers for German, French and Spanish,
the reference side of crates/journey-text/examples/bench_snowball.rs: same
word lists (each language's Snowball vocabulary, <lang>/voc.txt), same
repetitions, one untimed warm-up pass, one JSON line (words/s) per stemmer.

Pinned: nltk==3.10.4 (CPython venv at /root/venvs/ref). Run:

    /root/venvs/ref/bin/python tools/reference/bench_snowball.py \
        /usr/share/snowball/data [reps=10]

The vocabularies come with Debian's snowball-data (apt-get install
snowball-data). NLTK ports an older Snowball release, so its stems differ on a
few words (French ë and ï); speed is what this measures.
"""

import json
import os
import sys
import time

import nltk
from nltk.stem.snowball import SnowballStemmer

LANGUAGES = ("german", "french", "spanish")


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
    if len(sys.argv) > 3:
        sys.exit("usage: bench_snowball.py [SNOWBALL_DATA_DIR] [REPS]")
    folder = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/snowball/data"
    reps = int(sys.argv[2]) if len(sys.argv) == 3 else 10
    for language in LANGUAGES:
        path = os.path.join(folder, language, "voc.txt")
        with open(path, encoding="utf-8") as f:
            words = [line.rstrip("\n") for line in f if line.strip()]
        bench(language, SnowballStemmer(language).stem, words, reps)


if __name__ == "__main__":
    main()
