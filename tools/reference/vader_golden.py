#!/usr/bin/env python3
"""Golden outputs of vaderSentiment 3.3.2 for crates/journey-ml/tests/vader.rs.

Pinned: Python 3.11.7, vaderSentiment 3.3.2 (`pip install vaderSentiment==3.3.2`
into /root/venvs/ref). Command (from the repository root):

    /root/venvs/ref/bin/python tools/reference/vader_golden.py \\
        --data /work/shared/data --out crates/journey-ml/tests/fixtures

Writes three files:

* `vader_groundtruth.tsv` — for every text of the two VADER ground-truth sets
  (`sentiment/vader_groundtruth/{tweets,movieReviewSnippets}_GroundTruth.txt`,
  the third tab field of each non-blank line) the four numbers of
  `polarity_scores`, as its dict gives them (neg/neu/pos rounded to 3
  decimals, compound to 4), as integers to keep the file small: after a line
  `@ <set>`, one line `id<TAB>compound*10^4<TAB>neg*10^3<TAB>neu*10^3<TAB>pos*10^3`.
  The analyzer reads the catalog's lexicon (`lexicons/vader_lexicon.txt` of the
  shared data, passed as `lexicon_file`) and vaderSentiment's own emoji lexicon.
* `vader_groundtruth.json` — per set: the number of texts, the sha256 of the
  unrounded scores (`<4d` little-endian compound, neg, neu, pos per text, in
  file order: bit-exact parity), how many texts hold an emoji of the emoji
  lexicon (none: the test can do without that lexicon), and the Pearson correlation of compound with
  the human mean rating. The same for vaderSentiment's packaged lexicon, which
  differs from the shared one by a few entries (listed under `extra_entries`):
  the ids whose scores change, with the new scores; and a digest of the
  scores of every usable emoji in three template sentences (`emoji_sweep`).
* `vader_edge_cases.jsonl` — hand-written edge cases (empty, punctuation only,
  emoji, ALL CAPS, mixed scripts, every rule), with rounded and unrounded
  scores, and `vader_emoji_subset.tsv`, the emoji-lexicon lines of the emoji
  those cases use (the full emoji lexicon is not in the shared data).
"""

import argparse
import hashlib
import importlib.metadata
import json
import math
import os
import struct

import vaderSentiment.vaderSentiment as vs
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

assert importlib.metadata.version("vaderSentiment") == "3.3.2"

SETS = [
    ("tweets", "sentiment/vader_groundtruth/tweets_GroundTruth.txt"),
    ("movies", "sentiment/vader_groundtruth/movieReviewSnippets_GroundTruth.txt"),
]
LEXICON = "lexicons/vader_lexicon.txt"


def read_ground_truth(path):
    """As journey_data::readers::vader: lines split at \\n, one \\r removed,
    blank lines skipped, `id<TAB>rating<TAB>text` (the text keeps later tabs)."""
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


def raw_scores(analyzer, text):
    """polarity_scores without its final rounding (the module's `round`)."""
    vs.round = lambda x, n=None: x
    try:
        d = analyzer.polarity_scores(text)
    finally:
        del vs.round
    return (d["compound"], d["neg"], d["neu"], d["pos"])


def rounded(analyzer, text):
    d = analyzer.polarity_scores(text)
    return (d["compound"], d["neg"], d["neu"], d["pos"])


def pearson(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy)


def digest(rows):
    h = hashlib.sha256()
    for r in rows:
        h.update(struct.pack("<4d", *r))
    return h.hexdigest()


EDGE_CASES = [
    "",
    "   ",
    "!!!",
    "???",
    "?!?!",
    "...",
    ":)",
    ":-) :D <3",
    "good",
    "good.",
    "good!",
    "good!!!!!!",
    "bad???",
    "bad??",
    "bad?",
    "great!?!?!?",
    "This is GREAT",
    "THIS IS GREAT",
    "VERY good movie",
    "very GOOD movie",
    "I am NOT happy",
    "GOOD",
    "The food is EXTREMELY bad",
    "very good",
    "kind of good",
    "It was kind of bad",
    "what kind",
    "sort of bad",
    "kinda nice",
    "just enough fun for me",
    "not good",
    "isn't good",
    "It has never been so good",
    "It has never been this bad",
    "It was never so very good",
    "without doubt good",
    "Without a doubt, excellent idea.",
    "at least it is good",
    "the very least good",
    "least good",
    "no good",
    "no problem at all",
    "no no no",
    "no",
    "not very good",
    "not so bad",
    "it was so so good",
    "the movie was not the shit",
    "this song is the bomb",
    "he is a bad ass guy",
    "yeah right, great",
    "the kiss of death for them",
    "a cake to die for",
    "my beating heart",
    "the bus stop was awful",
    "good but bad",
    "good good but bad bad",
    "I love it but but I hate it",
    "but",
    "nice nice nice but terrible, nice and nice",
    "Good, but not great; fine but dull!",
    "good\tday",
    "good\u00a0day happy",
    "good\x1cday happy",
    "  good  ",
    "good\u200bday",
    "'good'",
    "(great)",
    "--no--",
    "a!b",
    "'tis lovely",
    "#love @happy",
    "ok ok. no. lol!!",
    "I :( am :-( sad :'(",
    "Привет good день",
    "这是 good 的 电影",
    "مرحبا great",
    "ΣΟΦΟΣ good ΣΟΦΟΣ",
    "İstanbul is lovely",
    "\u01c5 titlecase good",
    "I got \U0001f498 and \U0001f601!!",
    "\U0001f601\U0001f601",
    "abc\U0001f601def",
    "\U0001f44d\U0001f3fd great",
    "\u2764\ufe0f you",
    "\U0001f1fa\U0001f1f8 wins",
    "sad \U0001f622 but \U0001f602",
    " \U0001f621 ",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today SUX! But I'll get by, lol",
    "It is hardly the worst, and barely the best; absolutely, totally fantastic!!!",
    "I don't love it, I didn't hate it, I can't say it wasn't fun",
    "Never, ever, ever good; nope, nothing good, nor bad.",
    "DESPITE the rain it was a lovely day",
    "no, it was not a fun or good day",
    "no fun or good",
    "rarely good, seldom bad",
    "Uh-uh, that's not nice",
]

EMOJI_TEMPLATES = ["I got E today!", "EE so E but not bad", "NO E"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("JOURNEY_DATA", "../shared/data"))
    ap.add_argument("--out", default="crates/journey-ml/tests/fixtures")
    args = ap.parse_args()

    shared = SentimentIntensityAnalyzer(lexicon_file=os.path.abspath(os.path.join(args.data, LEXICON)))
    packaged = SentimentIntensityAnalyzer()
    extra = {w: v for w, v in packaged.lexicon.items() if shared.lexicon.get(w) != v}
    missing = [w for w in shared.lexicon if w not in packaged.lexicon]
    assert not missing, missing

    meta = {
        "generator": "tools/reference/vader_golden.py",
        "vaderSentiment": "3.3.2",
        "lexicon": LEXICON,
        "sets": {},
        "packaged_lexicon": {"extra_entries": extra, "sets": {}},
    }
    tsv = ["# vaderSentiment 3.3.2 polarity_scores (tools/reference/vader_golden.py)",
           "# per set: '@ <set>', then id, compound*10^4, neg*10^3, neu*10^3, pos*10^3"]
    for name, rel in SETS:
        rows = read_ground_truth(os.path.join(args.data, rel))
        got, raw, raw_pk, changed = [], [], [], []
        tsv.append(f"@ {name}")
        for ident, _, text in rows:
            r = rounded(shared, text)
            got.append(r)
            raw.append(raw_scores(shared, text))
            raw_pk.append(raw_scores(packaged, text))
            rp = rounded(packaged, text)
            if rp != r:
                changed.append([ident, *rp])
            scaled = [round(r[0] * 10**4)] + [round(x * 10**3) for x in r[1:]]
            tsv.append("\t".join([ident] + [str(x) for x in scaled]))
        ratings = [rating for _, rating, _ in rows]
        meta["sets"][name] = {
            "path": rel,
            "texts": len(rows),
            "texts_with_emoji": sum(any(c in shared.emojis for c in t) for _, _, t in rows),
            "raw_sha256": digest(raw),
            "pearson_compound_rating": pearson([g[0] for g in got], ratings),
        }
        compound_pk = [g[0] for g in got]
        by_id = {c[0]: c for c in changed}
        for i, (ident, _, _) in enumerate(rows):
            if ident in by_id:
                compound_pk[i] = by_id[ident][1]
        meta["packaged_lexicon"]["sets"][name] = {
            "raw_sha256": digest(raw_pk),
            "changed": changed,
            "pearson_compound_rating": pearson(compound_pk, ratings),
        }
    with open(os.path.join(args.out, "vader_groundtruth.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(tsv) + "\n")
    with open(os.path.join(args.out, "vader_groundtruth.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(meta, f, indent=1, ensure_ascii=False)
        f.write("\n")

    # Every usable (single-code-point) emoji of the packaged emoji lexicon, in
    # code-point order, in two templates; one digest over the unrounded scores.
    sweep = []
    for e in sorted(k for k in packaged.emojis if len(k) == 1):
        for template in EMOJI_TEMPLATES:
            sweep.append(raw_scores(packaged, template.replace("E", e)))
    meta["packaged_lexicon"]["emoji_sweep"] = {
        "templates": EMOJI_TEMPLATES,
        "texts": len(sweep),
        "raw_sha256": digest(sweep),
    }
    with open(os.path.join(args.out, "vader_groundtruth.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(meta, f, indent=1, ensure_ascii=False)
        f.write("\n")

    emoji_used = {}
    with open(os.path.join(args.out, "vader_edge_cases.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for text in EDGE_CASES:
            r = rounded(shared, text)
            raw = raw_scores(shared, text)
            for ch in text:
                if ch in shared.emojis:
                    emoji_used[ch] = shared.emojis[ch]
            f.write(json.dumps({"text": text, "compound": r[0], "neg": r[1], "neu": r[2], "pos": r[3],
                                "raw": [repr(x) for x in raw]}, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out, "vader_emoji_subset.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for ch, desc in sorted(emoji_used.items()):
            f.write(f"{ch}\t{desc}\n")


if __name__ == "__main__":
    main()
