"""Golden scores of scikit-learn's text classifiers, for
crates/journey-ml/tests/classifiers.rs and crates/journey-ml/tests/metrics.rs.

Pinned: scikit-learn==1.7.2, numpy==2.4.6, scipy==1.17.1 (CPython 3.11 venv at
/root/venvs/ref). Run from the repository root:

    /root/venvs/ref/bin/python tools/reference/classify_golden.py \
        --data ../shared/data --out crates/journey-ml/tests/fixtures

Writes two small JSON files (no corpus text):

classify_sklearn.json, per data set (SST-2 train/dev; SMS Spam, AG News test
file and mini 20 Newsgroups each split with every 5th example, 0-based
position i % 5 == 4, held out):
  - the feature matrix summary (TfidfVectorizer() fitted on the training
    texts: vocabulary size, nnz and value sum), to prove both sides build
    the same features;
  - for MultinomialNB, ComplementNB, BernoulliNB, LinearSVC (dual, squared
    hinge, C=1), LogisticRegression (lbfgs, C=1, tol=1e-6, max_iter=1000: the default
    tol=1e-4 leaves the solution loose enough that two L-BFGS codes differ by
    0.7 points on SST-2) and NBSVM (Wang & Manning 2012, built here from
    numpy + LinearSVC, max_iter=10000): accuracy,
    macro-F1 and every test prediction (one character per row, the class
    index in base 36); NB log-probabilities of the first 20 test rows;
    LinearSVC primal objectives; LogisticRegression objective;
  - "variants" (SMS unless named): MultinomialNB with alpha=0.1 and a
    uniform prior, with class_prior=[0.3, 0.7]; ComplementNB(norm=True);
    BernoulliNB(binarize=0.1, alpha=0.5); LinearSVC with hinge loss, with
    class_weight="balanced", and on AG News with explicit one-vs-rest weights
    {0: 2, 2: 0.5}; LogisticRegression balanced and without intercept;
  - "logreg_tight": LogisticRegression with tol=1e-10, max_iter=20000 on SMS
    (binary) and on the first 1000 AG News training rows (multinomial):
    intercepts, norm, objective and the 40 largest |coef| entries.

metrics_sklearn.json: y_true / y_pred of MultinomialNB on the AG News held-out
rows (and a variant in which class "4" is never predicted, for
zero_division), with sklearn.metrics' accuracy, per-class P/R/F1/support,
macro/micro/weighted averages and confusion matrix; SMS held-out spam
probabilities of MultinomialNB rounded to 2 decimals (many ties) with
roc_curve and roc_auc_score; StratifiedKFold(5) / KFold(5) fold numbers on
all SMS rows, cross_val_score of MultinomialNB (accuracy) and ComplementNB
(f1_macro) over those folds, and GridSearchCV(MultinomialNB, alpha) scores.
"""

import argparse
import csv
import json
import os
from pathlib import Path

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, cross_val_score
from sklearn.naive_bayes import BernoulliNB, ComplementNB, MultinomialNB
from sklearn.svm import LinearSVC

assert sklearn.__version__ == "1.7.2", sklearn.__version__
assert np.__version__ == "2.4.6", np.__version__
assert scipy.__version__ == "1.17.1", scipy.__version__

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
HOLDOUT = 5


# ---------------------------------------------------------------- reading
# Mirrors crates/journey-ml/src/labelled.rs.


def lines(path):
    text = path.read_bytes().decode("utf-8")
    for no, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        yield no, line


def read_tsv(path):
    out, first = [], True
    for _, line in lines(path):
        if not line.strip():
            continue
        label, text = line.split("\t", 1)
        label = label.strip()
        if first and label.lower() == "label":
            first = False
            continue
        first = False
        out.append((label, text))
    return out


def read_ag_news(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [(r[0], (r[1] + " " + r[2]).replace("\\n", " ")) for r in csv.reader(f)]


def read_folders(root):
    out = []
    for cls in sorted(n for n in os.listdir(root) if not n.startswith(".")):
        d = root / cls
        if not d.is_dir():
            continue
        for name in sorted(n for n in os.listdir(d) if not n.startswith(".")):
            p = d / name
            if not p.is_file():
                continue
            b = p.read_bytes()
            try:
                text = b.decode("utf-8")
            except UnicodeDecodeError:
                text = b.decode("latin-1")
            out.append((cls, text))
    return out


def holdout(rows):
    train = [r for i, r in enumerate(rows) if i % HOLDOUT != HOLDOUT - 1]
    test = [r for i, r in enumerate(rows) if i % HOLDOUT == HOLDOUT - 1]
    return train, test


def datasets(data):
    c = data / "classification"
    return {
        "sst2": (read_tsv(c / "sst2/train.tsv"), read_tsv(c / "sst2/dev.tsv")),
        "sms_spam": holdout(read_tsv(c / "sms_spam/sms.tsv")),
        "ag_news": holdout(read_ag_news(c / "ag_news/test.csv")),
        "mini_newsgroups": holdout(read_folders(c / "mini_newsgroups")),
    }


# ---------------------------------------------------------------- models


def encode(pred):
    return "".join(DIGITS[int(p)] for p in pred)


def svm_objective(X, y01, coef, intercept, Cp, Cn=None, loss="squared_hinge", scaling=1.0):
    """½‖(w, b/scaling)‖² + Σ C_i ξ_i of one binary problem (liblinear's
    primal; C_i = Cp for positives, Cn for negatives)."""
    Cn = Cp if Cn is None else Cn
    ys = np.where(y01, 1.0, -1.0)
    xi = np.maximum(1.0 - ys * (X @ coef + intercept), 0.0)
    if loss == "squared_hinge":
        xi = xi**2
    wb = intercept / scaling
    return float(0.5 * (coef @ coef + wb * wb) + np.sum(np.where(y01, Cp, Cn) * xi))


def lr_objective(model, X, y, sample_weight=None):
    """Weighted mean log-loss + ‖W‖²/(2 C S), the problem sklearn's lbfgs
    solves (S = Σ weights, n without weights)."""
    n = X.shape[0]
    s = np.ones(n) if sample_weight is None else sample_weight
    P = model.predict_proba(X)
    idx = np.searchsorted(model.classes_, y)
    loss = -np.sum(s * np.log(P[np.arange(n), idx])) / s.sum()
    return float(loss + 0.5 / (model.C * s.sum()) * np.sum(model.coef_**2))


def nbsvm_fit_predict(Xtr, ytr, Xte, classes, alpha=1.0, C=1.0, beta=0.25):
    """Wang & Manning (2012) NBSVM, one-vs-rest for more than two classes."""
    Btr = (Xtr > 0).astype(np.float64)
    Bte = (Xte > 0).astype(np.float64)
    positives = [1] if len(classes) == 2 else list(range(len(classes)))
    scores = []
    for k in positives:
        pos = ytr == k
        p = alpha + np.asarray(Btr[pos].sum(axis=0)).ravel()
        q = alpha + np.asarray(Btr[~pos].sum(axis=0)).ravel()
        r = np.log((p / p.sum()) / (q / q.sum()))
        R = sp.diags(r)
        svm = LinearSVC(C=C, dual=True, tol=1e-4, max_iter=10000, random_state=0)
        svm.fit(Btr @ R, pos.astype(int))
        w = svm.coef_.ravel()
        w_bar = np.abs(w).sum() / w.size
        w_interp = (1 - beta) * w_bar + beta * w
        scores.append((Bte @ R) @ w_interp + svm.intercept_[0])
    S = np.column_stack(scores)
    return (S[:, 0] > 0).astype(int) if len(classes) == 2 else S.argmax(axis=1)


def run_dataset(name, train, test):
    labels_tr = [l for l, _ in train]
    classes = sorted(set(labels_tr))
    index = {c: i for i, c in enumerate(classes)}
    ytr = np.array([index[l] for l in labels_tr])
    yte = np.array([index[l] for l, _ in test])
    vec = TfidfVectorizer()
    Xtr = vec.fit_transform([t for _, t in train])
    Xte = vec.transform([t for _, t in test])
    out = {
        "classes": classes,
        "n_train": Xtr.shape[0],
        "n_test": Xte.shape[0],
        "n_features": Xtr.shape[1],
        "train_nnz": int(Xtr.nnz),
        "train_sum": float(Xtr.sum()),
        "test_nnz": int(Xte.nnz),
        "models": {},
    }

    def record(key, pred, extra=None):
        entry = {
            "accuracy": float(accuracy_score(yte, pred)),
            "macro_f1": float(f1_score(yte, pred, average="macro")),
            "predictions": encode(pred),
        }
        entry.update(extra or {})
        out["models"][key] = entry
        print(f"{name:16} {key:8} acc {entry['accuracy']:.4f}  macro-F1 {entry['macro_f1']:.4f}")

    for key, model in [("nb", MultinomialNB()), ("cnb", ComplementNB()), ("bnb", BernoulliNB())]:
        model.fit(Xtr, ytr)
        logp = model.predict_log_proba(Xte[:20])
        record(key, model.predict(Xte), {"log_proba_first20": logp.tolist()})

    svm = LinearSVC(C=1.0, dual=True, tol=1e-4, max_iter=1000, random_state=0)
    svm.fit(Xtr, ytr)
    if len(classes) == 2:
        objectives = [svm_objective(Xtr, ytr == 1, svm.coef_[0], svm.intercept_[0], 1.0)]
    else:
        objectives = [
            svm_objective(Xtr, ytr == k, svm.coef_[k], svm.intercept_[k], 1.0)
            for k in range(len(classes))
        ]
    record("svm", svm.predict(Xte), {"objective": objectives, "n_iter": int(np.max(svm.n_iter_))})

    lr = LogisticRegression(C=1.0, max_iter=1000, tol=1e-6)
    lr.fit(Xtr, ytr)
    record("logreg", lr.predict(Xte), {"objective": lr_objective(lr, Xtr, ytr), "n_iter": int(lr.n_iter_[0])})

    record("nbsvm", nbsvm_fit_predict(Xtr, ytr, Xte, classes))
    return out, (Xtr, ytr, Xte, yte)


def variants(matrices):
    """Other settings: priors, smoothing, norm, binarize threshold, hinge loss,
    class weights (balanced and explicit, binary and one-vs-rest), no
    intercept."""
    out = {}
    Xtr, ytr, Xte, yte = matrices["sms_spam"]

    def entry(model, extra=None):
        pred = model.predict(Xte)
        e = {"accuracy": float(accuracy_score(yte, pred)), "predictions": encode(pred)}
        if hasattr(model, "predict_log_proba") and not isinstance(model, LogisticRegression):
            e["log_proba_first20"] = model.predict_log_proba(Xte[:20]).tolist()
        e.update(extra or {})
        return e

    nb = [
        ("nb_alpha0.1_uniform_prior", MultinomialNB(alpha=0.1, fit_prior=False)),
        ("nb_class_prior", MultinomialNB(class_prior=[0.3, 0.7])),
        ("cnb_norm", ComplementNB(norm=True)),
        ("bnb_binarize0.1_alpha0.5", BernoulliNB(binarize=0.1, alpha=0.5)),
    ]
    for key, model in nb:
        out[key] = entry(model.fit(Xtr, ytr))
    pos = ytr == 1
    hinge = LinearSVC(loss="hinge", dual=True, random_state=0).fit(Xtr, ytr)
    out["svm_hinge"] = entry(
        hinge, {"objective": svm_objective(Xtr, pos, hinge.coef_[0], hinge.intercept_[0], 1.0, loss="hinge")}
    )
    bal = LinearSVC(class_weight="balanced", dual=True, random_state=0).fit(Xtr, ytr)
    w = len(ytr) / (2 * np.bincount(ytr))
    out["svm_balanced"] = entry(
        bal, {"objective": svm_objective(Xtr, pos, bal.coef_[0], bal.intercept_[0], w[1], w[0])}
    )
    lrb = LogisticRegression(class_weight="balanced", tol=1e-6, max_iter=1000).fit(Xtr, ytr)
    out["logreg_balanced"] = entry(lrb, {"objective": lr_objective(lrb, Xtr, ytr, w[ytr])})
    lrn = LogisticRegression(fit_intercept=False, tol=1e-6, max_iter=1000).fit(Xtr, ytr)
    out["logreg_no_intercept"] = entry(lrn, {"objective": lr_objective(lrn, Xtr, ytr)})

    # One-vs-rest with explicit weights: the positive side of problem k gets
    # C * weight_k, the rest plain C (liblinear's rule).
    Xtr, ytr, Xte, yte = matrices["ag_news"]
    weights = {0: 2.0, 2: 0.5}
    svm = LinearSVC(class_weight=weights, dual=True, random_state=0).fit(Xtr, ytr)
    pred = svm.predict(Xte)
    out["ag_news_svm_explicit_weights"] = {
        "accuracy": float(accuracy_score(yte, pred)),
        "predictions": encode(pred),
        "objective": [
            svm_objective(Xtr, ytr == k, svm.coef_[k], svm.intercept_[k], weights.get(k, 1.0), 1.0)
            for k in range(4)
        ],
    }
    for k, v in out.items():
        print(f"variant {k:30} acc {v['accuracy']:.4f}")
    return out


def tight_logreg(X, y):
    lr = LogisticRegression(C=1.0, tol=1e-10, max_iter=20000)
    lr.fit(X, y)
    flat = lr.coef_.ravel()
    top = np.argsort(-np.abs(flat), kind="stable")[:40]
    return {
        "n_rows": X.shape[0],
        "n_iter": int(lr.n_iter_[0]),
        "objective": lr_objective(lr, X, y),
        "intercept": lr.intercept_.tolist(),
        "coef_norm": float(np.linalg.norm(flat)),
        "top": [[int(i // X.shape[1]), int(i % X.shape[1]), float(flat[i])] for i in top],
    }


def metrics_block(y_true, y_pred):
    labels = sorted(set(y_true) | set(y_pred))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    out = {
        "y_true": encode(y_true),
        "y_pred": encode(y_pred),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "per_class": {"precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": s.tolist()},
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }
    for avg in ["macro", "micro", "weighted"]:
        # zero_division="warn" (the default) returns 0 like zero_division=0.
        p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, average=avg)
        out[avg] = {"precision": float(p), "recall": float(r), "f1": float(f)}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    golden = {"sklearn": sklearn.__version__, "holdout_every": HOLDOUT, "datasets": {}}
    matrices = {}
    for name, (train, test) in datasets(a.data).items():
        golden["datasets"][name], matrices[name] = run_dataset(name, train, test)

    golden["variants"] = variants(matrices)
    Xtr, ytr, _, _ = matrices["sms_spam"]
    golden["logreg_tight"] = {"sms_spam": tight_logreg(Xtr, ytr)}
    Xtr, ytr, _, _ = matrices["ag_news"]
    golden["logreg_tight"]["ag_news_1000"] = tight_logreg(Xtr[:1000], ytr[:1000])
    with open(a.out / "classify_sklearn.json", "w", encoding="utf-8", newline="\n") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")

    # ------------------------------------------------------------ metrics
    metrics = {}
    Xtr, ytr, Xte, yte = matrices["ag_news"]
    pred = MultinomialNB().fit(Xtr, ytr).predict(Xte)
    metrics["ag_news_nb"] = metrics_block(yte.tolist(), pred.tolist())
    never4 = np.where(pred == 3, 2, pred)  # class "4" (index 3) never predicted
    metrics["ag_news_nb_never4"] = metrics_block(yte.tolist(), never4.tolist())

    Xtr, ytr, Xte, yte = matrices["sms_spam"]
    spam = MultinomialNB().fit(Xtr, ytr).predict_proba(Xte)[:, 1]
    scores = np.round(spam, 2)
    fpr, tpr, thr = roc_curve(yte, scores)
    metrics["sms_roc"] = {
        "y_true": encode(yte),
        "scores": scores.tolist(),
        "auc": float(roc_auc_score(yte, scores)),
        "fpr": fpr.tolist(),
        "tpr": tpr.tolist(),
        "thresholds": [None if np.isinf(t) else float(t) for t in thr],
    }

    rows = read_tsv(a.data / "classification/sms_spam/sms.tsv")
    classes = sorted({l for l, _ in rows})
    y = np.array([classes.index(l) for l, _ in rows])
    X = TfidfVectorizer().fit_transform([t for _, t in rows])
    skf = StratifiedKFold(5)
    fold_of = np.zeros(len(y), dtype=int)
    for k, (_, te) in enumerate(skf.split(X, y)):
        fold_of[te] = k
    kfold_sizes = [len(te) for _, te in KFold(5).split(X)]
    grid = GridSearchCV(MultinomialNB(), {"alpha": [0.01, 0.1, 0.3, 1.0]}, cv=skf, scoring="accuracy")
    grid.fit(X, y)
    metrics["sms_cv"] = {
        "stratified_fold_of_row": encode(fold_of),
        "kfold_test_sizes": kfold_sizes,
        "nb_accuracy": cross_val_score(MultinomialNB(), X, y, cv=skf, scoring="accuracy").tolist(),
        "cnb_f1_macro": cross_val_score(ComplementNB(), X, y, cv=skf, scoring="f1_macro").tolist(),
        "grid_alpha": [p["alpha"] for p in grid.cv_results_["params"]],
        "grid_mean": grid.cv_results_["mean_test_score"].tolist(),
        "grid_best_alpha": grid.best_params_["alpha"],
    }
    with open(a.out / "metrics_sklearn.json", "w", encoding="utf-8", newline="\n") as f:
        json.dump(metrics, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
