"""Golden n-grams from scikit-learn's CountVectorizer analyzers, for
crates/journey-text/tests/ngrams.rs.

Pinned: scikit-learn==1.7.2 (CPython 3.11 venv at /root/venvs/ref). Run:

    /root/venvs/ref/bin/python tools/reference/ngrams_golden.py \
        --data ../shared/data --out crates/journey-text/tests/fixtures/ngrams_sklearn.tsv

For every line of the SMS Spam Collection text column it writes, per analyzer
setting, the number of n-grams and the first 16 hex digits of the sha256 of the n-grams joined by
U+001F, in scikit-learn's order (no corpus text is committed):
  word 1-3   CountVectorizer(ngram_range=(1, 3))._word_ngrams(tokens), where
             tokens are scikit-learn's own (token_pattern, lower-cased) and the
             Rust side is given the same tokens (re-tokenized by a test regex)
  char 2-4   analyzer="char", lowercase=False
  char_wb 2-5 analyzer="char_wb", lowercase=False
"""
import argparse
import hashlib
from pathlib import Path

import sklearn
from sklearn.feature_extraction.text import CountVectorizer

assert sklearn.__version__ == "1.7.2", sklearn.__version__


def digest(grams):
    return hashlib.sha256("\x1f".join(grams).encode("utf-8")).hexdigest()[:16]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    lines = [l.split("\t", 1)[1] for l in (a.data / "classification/sms_spam/sms.tsv").read_text("utf-8").splitlines()]
    word = CountVectorizer(ngram_range=(1, 3))
    tokenize, preprocess = word.build_tokenizer(), word.build_preprocessor()
    char = CountVectorizer(analyzer="char", ngram_range=(2, 4), lowercase=False).build_analyzer()
    char_wb = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False).build_analyzer()
    with a.out.open("w", encoding="utf-8", newline="\n") as f:
        f.write("# line\tword1-3 count\tsha256\tchar2-4 count\tsha256\tchar_wb2-5 count\tsha256\n")
        for i, text in enumerate(lines, 1):
            w = word._word_ngrams(tokenize(preprocess(text)))
            c, cw = char(text), char_wb(text)
            f.write(f"{i}\t{len(w)}\t{digest(w)}\t{len(c)}\t{digest(c)}\t{len(cw)}\t{digest(cw)}\n")


if __name__ == "__main__":
    main()
