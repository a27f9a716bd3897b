#!/usr/bin/env python3
"""Adversarial strings and NLTK's Treebank tokens for them (a golden fixture).

Random concatenations of the pieces NLTK's TreebankWordTokenizer reacts to --
quotes, clitics, MacIntyre contractions (with Python's exotic case folds),
brackets, dashes, ellipses, final periods, Unicode whitespace and digits,
combining marks -- so the Rust port is checked on the corners real text
rarely reaches. The strings are synthetic, so they are committed in full.

Pinned: Python 3.11.7, nltk 3.10.4, regex 2026.11.19.
Command (from the repository root):

    /root/venvs/ref/bin/python tools/reference/treebank_fuzz.py \\
        --count 3000 --seed 1 --max-pieces 14 > crates/journey-text/tests/fixtures/treebank/fuzz.jsonl

Output: JSON lines {"text": str, "tokens": [str], "ptb": [str],
"spans": [[start, end]] | null}: tokenize(text), tokenize(text,
convert_parentheses=True), and span_tokenize(text) in characters (null when
NLTK raises).
"""

import argparse
import json
import random

from nltk.tokenize import TreebankWordTokenizer

PIECES = [
    '"', "'", "``", "''", "`", ",", ":", ".", "..", "...", ";", "@", "#", "$", "%",
    "&", "?", "!", "(", ")", "[", "]", "{", "}", "<", ">", "-", "--", "---", "*",
    " ", " ", " ", "  ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1f",
    "\xa0", "\u3000", "\x85", "\u2028", "\u200b", "\u180e",
    "0", "5", "42", "3.5", "1,000", "\u0663", "\U00011bf0", "\xb2", "\xbd", "\u2082",
    "a", "n", "N", "t", "T", "s", "S", "m", "M", "d", "D", "e", "i", "x", "_",
    "ll", "LL", "re", "RE", "ve", "VE", "n't", "N'T", "N't", "'s", "'S", "'ll",
    "'re", "'ve", "'m", "'d", "'D", "'LL", "'t", "'n",
    "cannot", "CanNot", "d'ye", "D'Ye", "gimme", "g\u0130mme", "g\u0131mme",
    "gonna", "gotta", "lemme", "more'n", "wanna", "WANNA", "'tis", "'Ti\u017f",
    "'twas", "'TWAS", "can", "not", "wan", "na",
    "\xe9", "\u0301", "\u0915\u093e", "\u2019", "\u201c", "\u201d", "\xab",
    "word", "Mr.", "U.S.", "e-mail", "foo@bar.com", "don't", "I'm", "you're",
    "they'll", "we've", "it's", "dogs'", "rock'n'roll", "o'clock",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-pieces", type=int, default=14)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tok = TreebankWordTokenizer()
    for _ in range(args.count):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, args.max_pieces)))
        try:
            spans = [list(s) for s in tok.span_tokenize(text)]
        except ValueError:
            spans = None
        row = {
            "text": text,
            "tokens": tok.tokenize(text),
            "ptb": tok.tokenize(text, convert_parentheses=True),
            "spans": spans,
        }
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
