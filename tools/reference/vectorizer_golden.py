#!/usr/bin/env python3
"""Golden document-term matrices from scikit-learn's vectorizers, for
crates/journey-ml/tests/vectorizers.rs.

Pinned: scikit-learn==1.7.2, numpy 2.4.6, scipy 1.17.1 (CPython 3.11 venv at
/root/venvs/ref). Run from the repository root:

    /root/venvs/ref/bin/python tools/reference/vectorizer_golden.py \
        --data ../shared/data --out crates/journey-ml/tests/fixtures/vectorizers_sklearn.json

Corpora (read exactly as the Rust test reads them; no text is committed):
  sms         classification/sms_spam/sms.tsv, the text after the first tab
              of each line (5,574 documents)
  ag_news     classification/ag_news/test.csv, title + " " + description
              (7,600 documents)
  newsgroups  classification/mini_newsgroups/*/* in sorted order, each post
              one document, decoded as UTF-8 or else Latin-1 (2,000 documents)

For each case (a vectorizer, its parameters, a corpus, the rows fitted and
the rows transformed) the fixture holds, with the matrix's column indices
sorted within each row:
  - shape, nnz, sha256 of the vocabulary (terms joined by U+001F) and 25
    terms at evenly spaced columns;
  - sha256 of the sparsity structure (indptr as little-endian int64, then
    indices as little-endian int32): every stored (row, column) position;
  - for integer-valued matrices, sha256 of the values (little-endian float64);
  - for every block of 32 rows, two weighted sums of its values
    (sum of v * w1(col) and v * w2(col), exact sums with math.fsum), and for
    every block of columns one weighted sum (v * u(row)); a wrong value
    anywhere moves its row block and its column block;
  - 300 entries (row, column, value) drawn at random (fixed seed), and for
    TF-IDF 100 idf weights, all at full precision (repr, as strings so that
    the Rust side parses them exactly).

max_features: scikit-learn keeps the `max_features` terms of largest total
count with NumPy's default (unstable, SIMD-dispatched) argsort, so which of
several terms tied at the cut-off it keeps depends on the machine. The case
records scikit-learn's own choice and the stable choice (ties broken in
alphabetical order, `argsort(kind="stable")`), which the Rust implementation
makes; its matrix is scikit-learn's for the stable vocabulary (passed as a
fixed `vocabulary` to the same vectorizer, fitted on the same documents,
which gives the same idf and the same values).
"""
import argparse
import csv
import hashlib
import json
import math
import os
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn.feature_extraction.text import (
    CountVectorizer,
    HashingVectorizer,
    TfidfVectorizer,
)

assert sklearn.__version__ == "1.7.2", sklearn.__version__
assert np.__version__ == "2.4.6", np.__version__
assert scipy.__version__ == "1.17.1", scipy.__version__

ROW_BLOCK = 32
N_ENTRIES = 300
N_IDF = 100


def read_corpora(data: Path):
    sms = [
        line.split("\t", 1)[1]
        for line in (data / "classification/sms_spam/sms.tsv").read_text("utf-8").splitlines()
    ]
    with open(data / "classification/ag_news/test.csv", encoding="utf-8", newline="") as f:
        ag_news = [title + " " + desc for _, title, desc in csv.reader(f)]
    newsgroups = []
    root = data / "classification/mini_newsgroups"
    for group in sorted(os.listdir(root)):
        for name in sorted(os.listdir(root / group)):
            raw = (root / group / name).read_bytes()
            try:
                newsgroups.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                newsgroups.append(raw.decode("latin-1"))
    return {"sms": sms, "ag_news": ag_news, "newsgroups": newsgroups}


def sha256(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def w1(cols):
    return 1.0 + (cols.astype(np.int64) * 7919 % 1009) / 1009.0


def w2(cols):
    return 1.0 + (cols.astype(np.int64) * 104729 % 997) / 997.0


def u(rows):
    return 1.0 + (rows.astype(np.int64) * 7919 % 1009) / 1009.0


CASES = [
    # name, corpus, vectorizer, params, fit rows, transform rows (None: fit_transform)
    ("count_default_ag_news", "ag_news", "count", {}, None, None),
    ("count_binary_bigrams_min_df2_sms", "sms", "count",
     {"binary": True, "ngram_range": [1, 2], "min_df": 2}, None, None),
    ("count_char_1_3_ascii_cased_sms", "sms", "count",
     {"analyzer": "char", "ngram_range": [1, 3], "strip_accents": "ascii", "lowercase": False},
     None, None),
    ("count_custom_pattern_max_df100_newsgroups", "newsgroups", "count",
     {"token_pattern": r"\b[a-zA-Z][a-zA-Z]+\b", "lowercase": False, "max_df": 100},
     None, None),
    ("tfidf_default_newsgroups", "newsgroups", "tfidf", {}, None, None),
    ("tfidf_sublinear_l1_no_smooth_ag_news", "ag_news", "tfidf",
     {"sublinear_tf": True, "norm": "l1", "smooth_idf": False}, None, None),
    ("tfidf_char_wb_2_4_sms", "sms", "tfidf",
     {"analyzer": "char_wb", "ngram_range": [2, 4]}, None, None),
    ("tfidf_english_max_df05_max_features2000_newsgroups", "newsgroups", "tfidf",
     {"stop_words": "english", "max_df": 0.5, "max_features": 2000}, None, None),
    ("tfidf_bigrams_min_df3_unicode_accents_unseen_ag_news", "ag_news", "tfidf",
     {"ngram_range": [1, 2], "min_df": 3, "strip_accents": "unicode"}, [0, 6000], [6000, 7600]),
    ("hashing_2e18_alternate_sign_ag_news", "ag_news", "hashing",
     {"n_features": 2**18}, None, None),
    ("hashing_2e18_no_alternate_sign_sms", "sms", "hashing",
     {"n_features": 2**18, "alternate_sign": False}, None, None),
]


def sklearn_params(params):
    p = dict(params)
    if "ngram_range" in p:
        p["ngram_range"] = tuple(p["ngram_range"])
    return p


def make(kind, params):
    cls = {"count": CountVectorizer, "tfidf": TfidfVectorizer, "hashing": HashingVectorizer}[kind]
    return cls(**sklearn_params(params))


def stable_vocabulary(kind, params, docs):
    """The vocabulary _limit_features keeps with a stable argsort."""
    p = dict(params)
    limit = p.pop("max_features")
    counts = CountVectorizer(**sklearn_params({k: v for k, v in p.items()
                                               if k in CountVectorizer().get_params()}))
    x = counts.fit_transform(docs)
    if p.get("binary"):
        x.data.fill(1)
    names = counts.get_feature_names_out()
    tfs = np.asarray(x.sum(axis=0)).ravel()
    keep = np.sort(np.argsort(-tfs, kind="stable")[:limit])
    return [str(t) for t in names[keep]], tfs


def describe(name, corpus, kind, params, fit_rows, transform_rows, docs, rng):
    fit_docs = docs if fit_rows is None else docs[fit_rows[0]:fit_rows[1]]
    vec = make(kind, params)
    case = {"name": name, "corpus": corpus, "vectorizer": kind, "params": params,
            "fit_rows": fit_rows, "transform_rows": transform_rows}
    if "max_features" in params:
        sk_vocab = [str(t) for t in vec.fit(fit_docs).get_feature_names_out()]
        stable, tfs = stable_vocabulary(kind, params, fit_docs)
        cutoff = sorted(tfs, reverse=True)[params["max_features"] - 1]
        case["max_features_ties"] = {
            "cutoff_total": float(cutoff),
            "terms_above_cutoff": int((tfs > cutoff).sum()),
            "terms_at_cutoff": int((tfs == cutoff).sum()),
            "sklearn_vocabulary_sha256": sha256("\x1f".join(sk_vocab).encode()),
            "sklearn_equals_stable": sk_vocab == stable,
            "sklearn_only": sorted(set(sk_vocab) - set(stable)),
            "stable_only": sorted(set(stable) - set(sk_vocab)),
        }
        vec = make(kind, {**{k: v for k, v in params.items() if k != "max_features"},
                          "vocabulary": stable})
    if transform_rows is None:
        x = vec.fit_transform(fit_docs)
    else:
        vec.fit(fit_docs)
        x = vec.transform(docs[transform_rows[0]:transform_rows[1]])
    x = x.tocsr()
    x.has_sorted_indices = False
    x.sort_indices()
    case.update({"n_rows": x.shape[0], "n_cols": x.shape[1], "nnz": int(x.nnz)})
    if kind != "hashing":
        terms = [str(t) for t in vec.get_feature_names_out()]
        case["vocabulary_sha256"] = sha256("\x1f".join(terms).encode())
        cols = np.linspace(0, len(terms) - 1, 25).astype(int)
        case["vocabulary_sample"] = [[int(c), terms[c]] for c in cols]
    case["structure_sha256"] = sha256(
        np.asarray(x.indptr, dtype="<i8").tobytes() + np.asarray(x.indices, dtype="<i4").tobytes()
    )
    data = np.asarray(x.data, dtype="<f8")
    if np.all(data == np.round(data)):
        case["data_sha256"] = sha256(data.tobytes())
    rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    cols = x.indices
    p1, p2, pu = data * w1(cols), data * w2(cols), data * u(rows)
    case["row_block"] = ROW_BLOCK
    case["row_block_sums"] = [
        [repr(math.fsum(p1[a:b])), repr(math.fsum(p2[a:b]))]
        for a, b in (
            (x.indptr[r], x.indptr[min(r + ROW_BLOCK, x.shape[0])])
            for r in range(0, x.shape[0], ROW_BLOCK)
        )
    ]
    col_block = max(256, -(-x.shape[1] // 256))
    case["col_block"] = col_block
    n_col_blocks = -(-x.shape[1] // col_block)
    sums = [[] for _ in range(n_col_blocks)]
    for blk, v in zip(cols // col_block, pu):
        sums[blk].append(v)
    case["col_block_sums"] = [repr(math.fsum(s)) for s in sums]
    picks = np.sort(rng.choice(x.nnz, size=min(N_ENTRIES, x.nnz), replace=False))
    case["entries"] = [[int(rows[k]), int(cols[k]), repr(float(data[k]))] for k in picks]
    if kind == "tfidf":
        idf = vec.idf_
        picks = np.sort(rng.choice(len(idf), size=min(N_IDF, len(idf)), replace=False))
        case["idf_sample"] = [[int(c), repr(float(idf[c]))] for c in picks]
    return case


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    corpora = read_corpora(a.data)
    rng = np.random.default_rng(20240601)
    cases = []
    for name, corpus, kind, params, fit_rows, transform_rows in CASES:
        case = describe(name, corpus, kind, params, fit_rows, transform_rows, corpora[corpus], rng)
        print(f"{name}: {case['n_rows']} x {case['n_cols']}, nnz {case['nnz']}")
        cases.append(case)
    out = {
        "reference": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, scipy {scipy.__version__}",
        "corpus_documents": {k: len(v) for k, v in corpora.items()},
        "cases": cases,
    }
    a.out.parent.mkdir(parents=True, exist_ok=True)
    # One case per line: readable diffs, no indentation weight.
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    head = {k: v for k, v in out.items() if k != "cases"}
    text = json.dumps(head, **compact)[:-1] + ',"cases":[\n'
    text += ",\n".join(json.dumps(c, **compact) for c in cases) + "\n]}\n"
    json.loads(text)
    a.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
