"""Training and prediction time of scikit-learn's text classifiers, the
reference side of crates/journey-ml/examples/bench_classify.rs: same data,
same split (every 5th example held out; SST-2: train -> dev), same TF-IDF
features (TfidfVectorizer(), not timed), same settings:

  MultinomialNB, ComplementNB, BernoulliNB (alpha = 1)
  LinearSVC(dual=True, C=1, tol=1e-4)            (liblinear's dual CD)
  LogisticRegression(C=1, tol=1e-6, max_iter=1000) (lbfgs)
  NBSVM (alpha = 1, C = 1, beta = 0.25; numpy + LinearSVC, max_iter=10000)

Each model is fitted `reps` times; the fastest and the median fit and
predict times are printed as one JSON line per model, with the test accuracy
and macro-F1.

Pinned: scikit-learn==1.7.2, numpy==2.4.6, scipy==1.17.1 (/root/venvs/ref).
Run (single-threaded BLAS, as liblinear and sklearn's lbfgs loss are):

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /root/venvs/ref/bin/python \
        tools/reference/bench_classify.py /work/shared/data ag_news [reps=5]
"""

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.naive_bayes import BernoulliNB, ComplementNB, MultinomialNB
from sklearn.svm import LinearSVC

sys.path.insert(0, str(Path(__file__).parent))
from classify_golden import datasets  # noqa: E402  (same reading and split)


class NbSvm:
    """Wang & Manning (2012), as classify_golden.nbsvm_fit_predict."""

    def __init__(self, alpha=1.0, C=1.0, beta=0.25):
        self.alpha, self.C, self.beta = alpha, C, beta

    def fit(self, X, y):
        import scipy.sparse as sp

        B = (X > 0).astype(np.float64)
        self.classes_ = np.unique(y)
        positives = [1] if len(self.classes_) == 2 else list(range(len(self.classes_)))
        self.parts = []
        for k in positives:
            pos = y == k
            p = self.alpha + np.asarray(B[pos].sum(axis=0)).ravel()
            q = self.alpha + np.asarray(B[~pos].sum(axis=0)).ravel()
            r = np.log((p / p.sum()) / (q / q.sum()))
            svm = LinearSVC(C=self.C, dual=True, tol=1e-4, max_iter=10000, random_state=0)
            svm.fit(B @ sp.diags(r), pos.astype(int))
            w = svm.coef_.ravel()
            w = (1 - self.beta) * np.abs(w).sum() / w.size + self.beta * w
            self.parts.append((r * w, svm.intercept_[0]))
        return self

    def predict(self, X):
        B = (X > 0).astype(np.float64)
        S = np.column_stack([B @ w + b for w, b in self.parts])
        return (S[:, 0] > 0).astype(int) if len(self.classes_) == 2 else S.argmax(axis=1)


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    name = sys.argv[2] if len(sys.argv) > 2 else "ag_news"
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    train, test = datasets(root)[name]
    classes = sorted({l for l, _ in train})
    ytr = np.array([classes.index(l) for l, _ in train])
    yte = np.array([classes.index(l) for l, _ in test])
    vec = TfidfVectorizer()
    Xtr = vec.fit_transform([t for _, t in train])
    Xte = vec.transform([t for _, t in test])
    models = {
        "MultinomialNB": MultinomialNB,
        "ComplementNB": ComplementNB,
        "BernoulliNB": BernoulliNB,
        "LinearSVC": lambda: LinearSVC(C=1.0, dual=True, tol=1e-4, max_iter=1000, random_state=0),
        "LogisticRegression": lambda: LogisticRegression(C=1.0, tol=1e-6, max_iter=1000),
        "NBSVM": NbSvm,
    }
    for model_name, make in models.items():
        fit_s, predict_s = [], []
        for _ in range(reps):
            m = make()
            t = time.perf_counter()
            m.fit(Xtr, ytr)
            fit_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            pred = m.predict(Xte)
            predict_s.append(time.perf_counter() - t)
        print(
            json.dumps(
                {
                    "tool": f"scikit-learn {sklearn.__version__}",
                    "dataset": name,
                    "model": model_name,
                    "fit_min_s": round(min(fit_s), 6),
                    "fit_median_s": round(statistics.median(fit_s), 6),
                    "predict_min_s": round(min(predict_s), 6),
                    "predict_median_s": round(statistics.median(predict_s), 6),
                    "accuracy": round(float(accuracy_score(yte, pred)), 4),
                    "macro_f1": round(float(f1_score(yte, pred, average="macro")), 4),
                    "reps": reps,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
