"""Golden conlleval/seqeval figures for journey-ml's NER evaluation.

Pinned: seqeval==1.2.2 (pip install seqeval==1.2.2 into /root/venvs/ref).

1. A deterministic baseline tagger — each word gets the tag it carries most
   often in the training file (ties: the smallest tag string), unknown words
   get O — is applied to CoNLL-2003 eng.testa / eng.testb (trained on
   eng.train, IOB1) and WNUT-17 test (trained on wnut17train, BIO). The
   per-word predictions break the schemes freely (I- after O, B- after I- of
   another type...), which exercises conlleval's chunk rules. seqeval's
   default mode scores them; the figures are written to the fixture.
2. 200 seeded random tag sequences over O/B/I/E/S with two types, and the
   chunks seqeval's get_entities finds in each (span extraction parity).

Usage: python tools/reference/ner_golden.py ../shared/data \
          crates/journey-ml/tests/fixtures/ner_golden.json
"""
import json
import random
import sys
from collections import Counter, defaultdict

import seqeval
from seqeval.metrics import classification_report, accuracy_score
from seqeval.metrics.sequence_labeling import get_entities

assert seqeval.__version__ == "1.2.2" if hasattr(seqeval, "__version__") else True


def read(path):
    sents, cur = [], []
    for line in open(path, encoding="utf-8"):
        f = line.split()
        if not f or f[0] == "-DOCSTART-":
            if cur:
                sents.append(cur)
            cur = []
            continue
        cur.append((f[0], f[-1]))
    if cur:
        sents.append(cur)
    return sents


def baseline(train):
    counts = defaultdict(Counter)
    for s in train:
        for w, t in s:
            counts[w][t] += 1
    return {w: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for w, c in counts.items()}


def score(gold, pred):
    rep = classification_report(gold, pred, output_dict=True, digits=10, zero_division=0)
    per_type = {}
    for k, v in rep.items():
        if k in ("micro avg", "macro avg", "weighted avg"):
            continue
        per_type[k] = {"precision": v["precision"], "recall": v["recall"], "f1": v["f1-score"], "gold": int(v["support"])}
    m = rep["micro avg"]
    n_pred = len(get_entities(pred))
    return {
        "tokens": sum(len(s) for s in gold),
        "accuracy": accuracy_score(gold, pred),
        "overall": {"precision": m["precision"], "recall": m["recall"], "f1": m["f1-score"], "gold": int(m["support"]), "predicted": n_pred},
        "per_type": per_type,
    }


def main():
    root, out = sys.argv[1], sys.argv[2]
    sets = {
        "conll_testa": ("ner/conll2003/eng.train", "ner/conll2003/eng.testa"),
        "conll_testb": ("ner/conll2003/eng.train", "ner/conll2003/eng.testb"),
        "wnut_test": ("ner/wnut17/wnut17train.conll", "ner/wnut17/emerging.test.annotated"),
    }
    result = {"seqeval": "1.2.2", "baseline": {}}
    for name, (tr, te) in sets.items():
        table = baseline(read(f"{root}/{tr}"))
        test = read(f"{root}/{te}")
        gold = [[t for _, t in s] for s in test]
        pred = [[table.get(w, "O") for w, _ in s] for s in test]
        result["baseline"][name] = score(gold, pred)
    rng = random.Random(2024)
    tags = ["O", "O", "B-X", "I-X", "E-X", "S-X", "B-Y", "I-Y", "E-Y", "S-Y"]
    cases = []
    for _ in range(200):
        seq = [rng.choice(tags) for _ in range(rng.randint(1, 9))]
        cases.append({"tags": seq, "spans": [[k, a, b + 1] for k, a, b in get_entities(seq)]})
    result["span_cases"] = cases
    with open(out, "w") as f:
        json.dump(result, f, sort_keys=True, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
