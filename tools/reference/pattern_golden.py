#!/usr/bin/env python3
"""Golden outputs of TextBlob's PatternAnalyzer for crates/journey-ml/tests/pattern_sentiment.rs.

Pinned: Python 3.11.7, textblob 0.20.1 (`pip install textblob==0.20.1` into
/root/venvs/ref; its en-sentiment.xml is byte-identical to the shared
lexicons/textblob_pattern_en-sentiment.xml). Command (from the repository root):

    /root/venvs/ref/bin/python tools/reference/pattern_golden.py \\
        --data /work/shared/data --out crates/journey-ml/tests/fixtures

Writes:

* `pattern_groundtruth.tsv` — `TextBlob(text).sentiment` for every 20th text
  (the 1st, 21st, ...) of the two VADER ground-truth sets (read as
  tools/reference/vader_golden.py does), rounded to 1e-6 and scaled to
  integers (Python `round`: ties to even): after a line `@ <set>`, one line
  `id<TAB>round(polarity*10^6)<TAB>round(subjectivity*10^6)`. All texts are
  compared through the digest below; the sample localises a difference.
* `pattern_groundtruth.json` — per set: the number of texts, the sha256 of the
  unrounded scores (`<2d` little-endian polarity, subjectivity per text, in
  file order: bit-exact parity) and the Pearson correlation of polarity with
  the human mean rating; the sha256 of the averaged lexicon (sorted by form,
  each entry the UTF-8 form, a tab, then `<3d?`: polarity, subjectivity,
  intensity, whether it is an adverb) and its size.
* `pattern_edge_cases.jsonl` — hand-written cases with Pattern's tokenizer
  output (`find_tokens`) and the unrounded scores (repr).

`--dump FILE` also writes every ground-truth text's unrounded scores (repr),
for diagnosing a mismatch; that file holds corpus text and is not committed.
"""

import argparse
import hashlib
import importlib.metadata
import json
import math
import os
import struct

from textblob import TextBlob
from textblob.en import parser
from textblob.en import sentiment as pattern_sentiment

assert importlib.metadata.version("textblob") == "0.20.1"

SETS = [
    ("tweets", "sentiment/vader_groundtruth/tweets_GroundTruth.txt"),
    ("movies", "sentiment/vader_groundtruth/movieReviewSnippets_GroundTruth.txt"),
]
SAMPLE_EVERY = 20


def read_ground_truth(path):
    text = open(path, "rb").read().decode("utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out = []
    for line in lines:
        if line.endswith("\r"):
            line = line[:-1]
        if not line.strip():
            continue
        ident, rating, body = line.split("\t", 2)
        out.append((ident, float(rating), body))
    return out


def pearson(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy)


def score(text):
    s = TextBlob(text).sentiment
    return (s.polarity, s.subjectivity)


EDGE_CASES = [
    "",
    "   ",
    "!!!",
    "good",
    "Good!",
    "good!!!",
    "very good",
    "not good",
    "not very good",
    "not a good movie",
    "not the best movie",
    "never bad",
    "no good",
    "really not good",
    "very very good",
    "extremely terrible",
    "terribly good",
    "happily sad",
    "I don't like it. It's not bad, it's great!",
    "She can't be serious; isn't it awful?",
    "e.g. the film is good. Mr. Bean is funny, etc. ok",
    "U.S. forces are strong... really strong.....",
    "Wow :) so nice :-( sad :'( cry <3 love xD XD :D :P",
    "it is great : ) and bad : (",
    "Great (!) idea",
    "Great ( ! ) idea",
    "\u201cGreat\u201d \u2018movie\u2019 'good' \"bad\"",
    "first paragraph is good\n\nsecond is bad\r\n\r\nthird",
    "tab\tseparated\u00a0good\u2003day\x1cfine",
    "END-OF-SENTENCE good",
    "wow... amazing...",
    "(good) [bad] {ugly} --fine-- @happy #sad",
    "a-b-c good-looking well-known",
    "Привет good день",
    "这是 good 的 电影",
    "\u00c9l\u00e8ve brillant excellent",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "I love it, I hate it, I'm indifferent; it's kind of okay!",
    "Absolutely wonderful!!! Truly, deeply, madly good.",
    "not bad at all",
    "never so very good",
    "The worst. Ever.",
    "°O° o_O o.O >:) >.> :-S",
    "so-so",
    "?!",
    "Hmm...",
    "\u2665 you",
    "8) 8-) 8 ) :c) :o) :c :o",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("JOURNEY_DATA", "../shared/data"))
    ap.add_argument("--out", default="crates/journey-ml/tests/fixtures")
    ap.add_argument("--dump")
    args = ap.parse_args()

    score("warm up")  # loads the lexicon
    lex = hashlib.sha256()
    entries = dict(dict.items(pattern_sentiment))
    for form in sorted(entries):
        p, s, i = entries[form][None]
        lex.update(form.encode() + b"\t" + struct.pack("<3d?", p, s, i, "RB" in entries[form]))
    meta = {
        "generator": "tools/reference/pattern_golden.py",
        "textblob": "0.20.1",
        "lexicon": "lexicons/textblob_pattern_en-sentiment.xml",
        "lexicon_entries": len(entries),
        "lexicon_sha256": lex.hexdigest(),
        "sets": {},
    }
    tsv = ["# TextBlob 0.20.1 PatternAnalyzer (tools/reference/pattern_golden.py)",
           f"# every {SAMPLE_EVERY}th text; per set: '@ <set>', then id, round(polarity*10^6), round(subjectivity*10^6)"]
    dump = []
    for name, rel in SETS:
        rows = read_ground_truth(os.path.join(args.data, rel))
        tsv.append(f"@ {name}")
        h = hashlib.sha256()
        pol = []
        for k, (ident, _, text) in enumerate(rows):
            p, s = score(text)
            h.update(struct.pack("<2d", p, s))
            pol.append(p)
            if k % SAMPLE_EVERY == 0:
                tsv.append(f"{ident}\t{round(p * 10**6)}\t{round(s * 10**6)}")
            dump.append(f"{name}\t{ident}\t{p!r}\t{s!r}")
        meta["sets"][name] = {
            "path": rel,
            "texts": len(rows),
            "raw_sha256": h.hexdigest(),
            "pearson_polarity_rating": pearson(pol, [r for _, r, _ in rows]),
        }
    with open(os.path.join(args.out, "pattern_groundtruth.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(tsv) + "\n")
    with open(os.path.join(args.out, "pattern_groundtruth.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(meta, f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(args.out, "pattern_edge_cases.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for text in EDGE_CASES:
            p, s = score(text)
            f.write(json.dumps({"text": text, "tokens": parser.find_tokens(text),
                                "polarity": repr(p), "subjectivity": repr(s)}, ensure_ascii=False) + "\n")
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            f.write("\n".join(dump) + "\n")


if __name__ == "__main__":
    main()
