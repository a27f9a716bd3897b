#!/usr/bin/env python3
"""Tables scikit-learn's text vectorizers depend on, written as Rust source.

Pinned versions: CPython 3.11.7 (its `re` and `unicodedata` are Unicode
14.0.0), scikit-learn==1.7.2.

Commands (from the repository root):
    /root/venvs/ref/bin/python tools/reference/sklearn_text_tables.py python-word \
        > crates/journey-ml/src/python_word_table.rs
    /root/venvs/ref/bin/python tools/reference/sklearn_text_tables.py stop-words \
        > crates/journey-text/src/stopwords_sklearn.rs

python-word: the code points that Python's `re` matches with `\\w` in a str
pattern (scikit-learn's default token_pattern is `(?u)\\b\\w\\w+\\b`). Python's
`\\w` is "alphanumeric or underscore" (`str.isalnum`: letters L*, numbers N*),
which is not the Unicode `\\w` of Rust's regex crate (that one adds combining
marks, all connector punctuation and Other_Alphabetic symbols, and leaves out
`No` numbers such as "²"). Probing `re` on every code point gives exactly the
reference's class.

stop-words: `sklearn.feature_extraction.text.ENGLISH_STOP_WORDS` (the list
behind `stop_words="english"`), sorted.
"""
import re
import sys
import unicodedata

import sklearn
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

assert sys.version_info[:2] == (3, 11), sys.version
assert unicodedata.unidata_version == "14.0.0", unicodedata.unidata_version
assert sklearn.__version__ == "1.7.2", sklearn.__version__


def ranges(members):
    out = []
    for cp in members:
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def python_word():
    word = re.compile(r"\w")
    members = [
        cp
        for cp in range(0x110000)
        if not 0xD800 <= cp <= 0xDFFF and word.match(chr(cp))
    ]
    rs = ranges(members)
    print("//! Python's `re` word characters (`\\w` in a str pattern), probed on every")
    print("//! code point of CPython 3.11.7 (Unicode 14.0.0) by")
    print("//! `tools/reference/sklearn_text_tables.py python-word` (generated: do not")
    print("//! edit by hand). Sorted, disjoint, inclusive ranges; look-up is a binary search.")
    print()
    print(f"/// {len(members)} code points in {len(rs)} ranges: letters (L*), numbers (N*) and `_`.")
    print("pub(crate) const PYTHON_WORD: &[(u32, u32)] = &[")
    line = "   "
    for a, b in rs:
        item = f" (0x{a:X}, 0x{b:X}),"
        if len(line) + len(item) > 100:
            print(line)
            line = "   "
        line += item
    if line.strip():
        print(line)
    print("];")


def stop_words():
    words = sorted(ENGLISH_STOP_WORDS)
    print("//! scikit-learn's English stop words (`stop_words=\"english\"`,")
    print("//! `sklearn.feature_extraction.text.ENGLISH_STOP_WORDS`, scikit-learn 1.7.2;")
    print("//! originally the Glasgow Information Retrieval Group's list), written by")
    print("//! `tools/reference/sklearn_text_tables.py stop-words` (generated: do not edit")
    print("//! by hand). NLTK's list (the `english` built-in of [`crate::stopwords`]) is a")
    print("//! different one: 198 words, with contractions such as \"don't\".")
    print()
    print(f"/// The {len(words)} words, sorted.")
    print(f"pub const SKLEARN_ENGLISH: [&str; {len(words)}] = [")
    line = "   "
    for w in words:
        item = f' "{w}",'
        if len(line) + len(item) > 100:
            print(line)
            line = "   "
        line += item
    if line.strip():
        print(line)
    print("];")


if __name__ == "__main__":
    {"python-word": python_word, "stop-words": stop_words}[sys.argv[1]]()
