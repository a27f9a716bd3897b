"""Reference side of journey-ml's learned aspect-based sentiment
(crates/journey-ml/src/absa_extraction.rs, absa_polarity.rs) on SemEval-2014
Task 4, Restaurants and Laptops.

Pinned: python-crfsuite==0.9.11, scikit-learn==1.7.2.

The features are the ones our code builds, dumped by
`cargo run --release -p journey-ml --example bench_absa -- --dump DIR`
(attribute strings per token with BIO labels; feature dicts per gold aspect
term with its polarity), so that this script compares the learners at the
same settings:

* term extraction: python-crfsuite, L-BFGS, c1 = 0, c2 (CRFsuite's L2 form
  c2·|w|²), all transitions, `max_iterations`; BIO decoded to character
  spans with the token offsets (an I after O opens a term), scored as the
  task's `semeval_base.py` scores subtask 1 (exact spans per sentence,
  micro P/R/F1), against the gold spans read here from the XML;
* polarity of the gold terms: `DictVectorizer(sort=True)` then
  `LogisticRegression(C, tol, max_iter)` (lbfgs, multinomial); accuracy and
  macro-F1 against the gold polarities read here from the XML.

Times: train and predict of each learner, features excluded (our example
reports the same split); printed to stderr, left out of OUT.json.

Usage: python tools/reference/absa_reference.py ../shared/data DUMP_DIR \
          [OUT.json] [ITERATIONS=100] [C2=0.1] [C=1.0]
"""
import json
import os
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

import pycrfsuite
import sklearn
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

assert sklearn.__version__ == "1.7.2", sklearn.__version__


def read_gold(path):
    out = []
    for s in ET.parse(path).getroot().iter("sentence"):
        terms = []
        ats = s.find("aspectTerms")
        if ats is not None:
            for a in ats.iter("aspectTerm"):
                terms.append((int(a.get("from")), int(a.get("to")), a.get("polarity")))
        out.append((s.get("id"), terms))
    return out


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def decode(tokens, labels):
    spans, cur = [], None
    for (a, b), l in zip(tokens, labels):
        if l == "B" or (l == "I" and cur is None):
            if cur:
                spans.append(tuple(cur))
            cur = [a, b]
        elif l == "I":
            cur[1] = b
        else:
            if cur:
                spans.append(tuple(cur))
            cur = None
    if cur:
        spans.append(tuple(cur))
    return spans


def prf(gold, pred):
    matched = sum(sum(1 for s in p if s in g) for g, p in zip(gold, pred))
    n_pred = sum(len(p) for p in pred)
    n_gold = sum(len(g) for g in gold)
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p > 0 and r > 0 else 0.0
    return {"precision": p, "recall": r, "f1": f, "matched": matched, "predicted": n_pred, "gold": n_gold}


def main():
    root, dump = sys.argv[1], sys.argv[2]
    out_path = sys.argv[3] if len(sys.argv) > 3 else None
    iters = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    c2 = float(sys.argv[5]) if len(sys.argv) > 5 else 0.1
    C = float(sys.argv[6]) if len(sys.argv) > 6 else 1.0
    result = {
        "python_crfsuite": "0.9.11",
        "sklearn": sklearn.__version__,
        "settings": {"crf_max_iterations": iters, "crf_c2": c2, "lr_C": C, "lr_tol": 1e-6, "lr_max_iter": 2000},
        "domains": {},
    }
    for domain in ("Restaurants", "Laptops"):
        gold = read_gold(os.path.join(root, "sentiment/semeval2014_absa", f"{domain}_Test_Gold.xml"))
        train = read_jsonl(os.path.join(dump, f"{domain}_crf_train.jsonl"))
        test = read_jsonl(os.path.join(dump, f"{domain}_crf_test.jsonl"))
        assert [t["id"] for t in test] == [g[0] for g in gold]
        t0 = time.perf_counter()
        trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
        for s in train:
            trainer.append(s["attrs"], s["labels"])
        trainer.set_params({"c1": 0.0, "c2": c2, "max_iterations": iters, "feature.possible_transitions": True})
        model = os.path.join(tempfile.mkdtemp(), "absa.crfsuite")
        trainer.train(model)
        t1 = time.perf_counter()
        tagger = pycrfsuite.Tagger()
        tagger.open(model)
        pred = [decode(s["tokens"], tagger.tag(s["attrs"])) if s["tokens"] else [] for s in test]
        t2 = time.perf_counter()
        iterations = trainer.logparser.iterations[-1]["num"] if trainer.logparser.iterations else None
        extraction = prf([[(a, b) for a, b, _ in g[1]] for g in gold], pred)

        ptrain = read_jsonl(os.path.join(dump, f"{domain}_polarity_train.jsonl"))
        ptest = read_jsonl(os.path.join(dump, f"{domain}_polarity_test.jsonl"))
        y_gold = [p for _, terms in gold for _, _, p in terms]
        assert y_gold == [r["y"] for r in ptest]
        t3 = time.perf_counter()
        vec = DictVectorizer(sort=True)
        x = vec.fit_transform([r["f"] for r in ptrain])
        lr = LogisticRegression(C=C, tol=1e-6, max_iter=2000)
        lr.fit(x, [r["y"] for r in ptrain])
        t4 = time.perf_counter()
        y_pred = lr.predict(vec.transform([r["f"] for r in ptest]))
        t5 = time.perf_counter()
        result["domains"][domain] = {
            "extraction": extraction,
            "crf_iterations": iterations,
            "crf_objective": trainer.logparser.iterations[-1]["loss"] if trainer.logparser.iterations else None,
            "polarity": {
                "accuracy": accuracy_score(y_gold, y_pred),
                "macro_f1": f1_score(y_gold, y_pred, average="macro"),
                "correct": int(sum(a == b for a, b in zip(y_gold, y_pred))),
                "total": len(y_gold),
            },
            "polarity_iterations": int(lr.n_iter_[0]),
            "polarity_features": len(vec.feature_names_),
            "seconds": {"crf_train": t1 - t0, "crf_tag": t2 - t1, "lr_train": t4 - t3, "lr_predict": t5 - t4},
        }
        print(domain, json.dumps(result["domains"][domain]), file=sys.stderr)
    text = json.dumps(result, sort_keys=True, indent=1)
    if out_path:
        # The fixture keeps the scores; times vary from run to run.
        for d in result["domains"].values():
            del d["seconds"]
        text = json.dumps(result, sort_keys=True, indent=1)
        with open(out_path, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
