"""Golden scores of scikit-learn pipelines with non-default TfidfVectorizer
settings, for crates/journey-ml/tests/classifiers.rs (`ngram_pipelines_*`)
and the `journey classify train --ngram-range …` CLI test.

Pinned: scikit-learn==1.7.2, numpy==2.4.6, scipy==1.17.1 (CPython 3.11 venv at
/root/venvs/ref). Run from the repository root:

    /root/venvs/ref/bin/python tools/reference/classify_ngrams_golden.py \
        --data ../shared/data --out crates/journey-ml/tests/fixtures

Same data splits and models as classify_golden.py (every 5th example held
out); each pipeline records the feature summary (vocabulary size, train nnz
and value sum), then accuracy, macro-F1 and every test prediction.
Writes classify_ngrams_sklearn.json (no corpus text).
"""

import argparse
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

from classify_golden import datasets, encode, nbsvm_fit_predict

# name -> (data set, TfidfVectorizer kwargs, models)
PIPELINES = {
    "sms_char_wb": ("sms_spam", {"analyzer": "char_wb", "ngram_range": (2, 4)}, ["svm"]),
    "ag_news_bigrams": (
        "ag_news",
        {"ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True},
        ["logreg", "svm", "nbsvm"],
    ),
    "newsgroups_stop": (
        "mini_newsgroups",
        {"ngram_range": (1, 2), "stop_words": "english", "max_df": 0.5, "min_df": 2},
        ["cnb", "svm"],
    ),
}


def model_predictions(kind, Xtr, ytr, Xte, classes):
    if kind == "svm":
        return LinearSVC(C=1.0, dual=True, tol=1e-4, max_iter=1000, random_state=0).fit(Xtr, ytr).predict(Xte)
    if kind == "logreg":
        return LogisticRegression(C=1.0, max_iter=1000, tol=1e-6).fit(Xtr, ytr).predict(Xte)
    if kind == "cnb":
        return ComplementNB().fit(Xtr, ytr).predict(Xte)
    if kind == "nbsvm":
        return nbsvm_fit_predict(Xtr, ytr, Xte, classes)
    raise ValueError(kind)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    sets = datasets(a.data)
    golden = {"sklearn": sklearn.__version__, "pipelines": {}}
    for name, (set_name, kwargs, models) in PIPELINES.items():
        train, test = sets[set_name]
        classes = sorted({l for l, _ in train})
        index = {c: i for i, c in enumerate(classes)}
        ytr = np.array([index[l] for l, _ in train])
        yte = np.array([index[l] for l, _ in test])
        vec = TfidfVectorizer(**kwargs)
        Xtr = vec.fit_transform([t for _, t in train])
        Xte = vec.transform([t for _, t in test])
        entry = {
            "data": set_name,
            "vectorizer": {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()},
            "classes": classes,
            "n_features": Xtr.shape[1],
            "train_nnz": int(Xtr.nnz),
            "train_sum": float(Xtr.sum()),
            "models": {},
        }
        for kind in models:
            pred = model_predictions(kind, Xtr, ytr, Xte, classes)
            m = {
                "accuracy": float(accuracy_score(yte, pred)),
                "macro_f1": float(f1_score(yte, pred, average="macro")),
                "predictions": encode(pred),
            }
            entry["models"][kind] = m
            print(f"{name:16} {kind:7} features {Xtr.shape[1]:7} acc {m['accuracy']:.4f} macro-F1 {m['macro_f1']:.4f}")
        golden["pipelines"][name] = entry
    with open(a.out / "classify_ngrams_sklearn.json", "w", encoding="utf-8", newline="\n") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
