#!/usr/bin/env python3
"""Golden outputs of NLTK's TreebankWordTokenizer on real lines of the shared corpora.

The corpora are not ours to commit, so for each line this writes only a 32-bit
hash of NLTK's tokens, keyed by the line's place in its file, plus the full
tokens of a few sample lines. The Rust test (crates/journey-text/tests/treebank.rs)
reads the same lines from $JOURNEY_DATA, tokenizes them and compares hashes.

Pinned: Python 3.11.7, nltk 3.10.4 (regex 2026.11.19).
Command (from the repository root):

    /root/venvs/ref/bin/python tools/reference/treebank_golden.py \\
        --data /work/shared/data --out crates/journey-text/tests/fixtures/treebank

Outputs: one `<source>.tsv` per source below:

    # comment lines
    @ <file path relative to the data folder>
    <key>\t<hash>[\t<token>\t<token>...]

`key` is the 1-based line number, or `line:field` for CSV fields (2 = title,
3 = description of AG News). `hash` is FNV-1a 64 of the UTF-8 tokens joined by
"\\n", folded to 32 bits (high xor low), as 8 hex digits. Sample rows also carry
the tokens themselves (tokens never contain whitespace, so tabs separate them).

Lines: the file's bytes split at "\\n", one trailing "\\r" removed, no empty
last line after a final newline; decoded as UTF-8 (newsgroup posts that are not
valid UTF-8 as Latin-1). Fields: after the first tab (SST-2, SMS), after the
second tab (VADER tweets), CSV fields 2 and 3 (AG News).
"""

import argparse
import csv
import io
import os

from nltk.tokenize import TreebankWordTokenizer

SAMPLES_PER_SOURCE = 8


def fnv32(tokens):
    h = 0xCBF29CE484222325
    for b in "\n".join(tokens).encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{(h >> 32) ^ (h & 0xFFFFFFFF):08x}"


def read_lines(path, latin1_fallback=False):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        if not latin1_fallback:
            raise
        text = raw.decode("latin-1")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def field_after_tabs(n):
    def units(path):
        for i, line in enumerate(read_lines(path), 1):
            parts = line.split("\t", n)
            if len(parts) > n:
                yield str(i), parts[n]

    return units


def sst2(path):
    for key, text in field_after_tabs(1)(path):
        if key != "1":  # header
            yield key, text


def ag_news(path):
    rows = csv.reader(io.StringIO("\n".join(read_lines(path)) + "\n"))
    for i, row in enumerate(rows, 1):
        yield f"{i}:2", row[1]
        yield f"{i}:3", row[2]


def every_nth(n):
    def units(path):
        for i, line in enumerate(read_lines(path), 1):
            if i % n == 1:
                yield str(i), line

    return units


def all_lines(path):
    for i, line in enumerate(read_lines(path, latin1_fallback=True), 1):
        yield str(i), line


def newsgroup_posts(data, per_group):
    root = os.path.join(data, "classification/mini_newsgroups")
    for group in sorted(os.listdir(root)):
        posts = sorted(os.listdir(os.path.join(root, group)), key=int)[:per_group]
        for post in posts:
            yield f"classification/mini_newsgroups/{group}/{post}"


SOURCES = [
    # (fixture name, [files], units, what)
    ("sst2_dev", ["classification/sst2/dev.tsv"], sst2, "all 872 sentences"),
    ("ag_news_test", ["classification/ag_news/test.csv"], ag_news,
     "title and description of all 7,600 rows"),
    ("sms_spam", ["classification/sms_spam/sms.tsv"], field_after_tabs(1),
     "all 5,574 messages"),
    ("vader_tweets", ["sentiment/vader_groundtruth/tweets_GroundTruth.txt"],
     field_after_tabs(2), "all 4,200 tweets"),
    ("kjv", ["corpora/kjv/kjv.txt"], every_nth(4), "every 4th line (1, 5, 9, ...)"),
    ("tinyshakespeare", ["corpora/tinyshakespeare/input.txt"], every_nth(4),
     "every 4th line (1, 5, 9, ...)"),
    ("mini_newsgroups", None, all_lines,
     "every line (headers included) of the first 40 posts, by number, of each of the 20 groups"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    tok = TreebankWordTokenizer()
    for name, files, units, what in SOURCES:
        if files is None:
            files = list(newsgroup_posts(args.data, 40))
        sections, candidates, count = [], [], 0
        for rel in files:
            rows = []
            for key, text in units(os.path.join(args.data, rel)):
                tokens = tok.tokenize(text)
                rows.append([key, fnv32(tokens)])
                count += 1
                # Sample: short lines where NLTK changes the most.
                if len(text) <= 160:
                    gain = len(tokens) - len(text.split())
                    candidates.append((-gain, len(candidates), rows[-1], tokens))
            sections.append((rel, rows))
        for _, _, row, tokens in sorted(candidates, key=lambda c: c[:2])[:SAMPLES_PER_SOURCE]:
            row.extend(tokens)
        with open(os.path.join(args.out, f"{name}.tsv"), "w", encoding="utf-8", newline="\n") as f:
            f.write(f"# NLTK 3.10.4 TreebankWordTokenizer().tokenize(line): {what}; {count} lines.\n")
            f.write("# Written by tools/reference/treebank_golden.py; <key>\\t<fnv32 of tokens>[\\t<tokens>].\n")
            for rel, rows in sections:
                f.write(f"@ {rel}\n")
                for row in rows:
                    f.write("\t".join(row) + "\n")
        print(f"{name}: {count} lines")


if __name__ == "__main__":
    main()
