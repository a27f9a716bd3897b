"""python-crfsuite side of the NER benchmark (compare with
`cargo run --release -p journey-ml --example bench_ner -- crf conll 100 1.0`).

Pinned: python-crfsuite==0.9.11, seqeval==1.2.2. Same features as
crates/journey-ml/src/ner_features.rs (as attribute strings), same labels
(gold converted to IOBES), L-BFGS with c2 (CRFsuite's L2 form c2·|w|²), no
L1, all transitions; scored with seqeval on eng.testa / eng.testb.

Usage: python tools/reference/bench_ner.py ../shared/data [ITERATIONS] [C2] [conll|wnut]
"""
import json
import os
import sys
import tempfile
import time

import pycrfsuite
from seqeval.metrics import f1_score
from seqeval.metrics.sequence_labeling import get_entities


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


def to_iobes(tags):
    out = ["O"] * len(tags)
    for k, a, b in get_entities(tags):
        if a == b:
            out[a] = "S-" + k
        else:
            out[a] = "B-" + k
            for i in range(a + 1, b):
                out[i] = "I-" + k
            out[b] = "E-" + k
    return out


def shape(w):
    return "".join("X" if c.isupper() else "x" if c.islower() else "d" if c.isnumeric() else c for c in w)


def short(w):
    out = ""
    for c in shape(w):
        if not out.endswith(c):
            out += c
    return out


def features(words):
    n = len(words)
    lower = [w.lower() for w in words]
    shapes = [short(w) for w in words]
    feats = []
    for t, w in enumerate(words):
        f = ["bias", "w=" + w, "lw=" + lower[t], "sh=" + shape(w), "ss=" + shapes[t]]
        for k in range(1, min(4, len(w)) + 1):
            f.append("p%d=%s" % (k, w[:k]))
            f.append("s%d=%s" % (k, w[-k:]))
        first_upper = w[:1].isupper()
        letters = any(c.isalpha() for c in w)
        if first_upper and not any(c.isupper() for c in w[1:]):
            f.append("title")
        if letters and not any(c.islower() for c in w):
            f.append("upper")
        if letters and not any(c.isupper() for c in w):
            f.append("lower")
        if all(c in "0123456789" for c in w):
            f.append("digits")
        if any(c in "0123456789" for c in w):
            f.append("hasdigit")
        if "-" in w:
            f.append("hyphen")
        if all(not c.isalnum() for c in w):
            f.append("punct")
        if first_upper and t == 0:
            f.append("upper_first")
        if first_upper and t > 0:
            f.append("upper_inside")
        if any(c.isupper() for c in w[1:]):
            f.append("inner_upper")
        f.append("len=%d" % min(len(w), 8))
        if t == 0:
            f.append("BOS")
        if t + 1 == n:
            f.append("EOS")
        for d in (-2, -1, 1, 2):
            j = t + d
            if j < 0 or j >= n:
                f.append("pad%d" % d)
                continue
            f.append("lw%d=%s" % (d, lower[j]))
            f.append("ss%d=%s" % (d, shapes[j]))
            if abs(d) == 1:
                if words[j][:1].isupper():
                    f.append("title%d" % d)
                f.append("s3%d=%s" % (d, words[j][-3:].lower()))
        if t > 0:
            f.append("bi-1=%s|%s" % (lower[t - 1], lower[t]))
            f.append("sb-1=%s|%s" % (shapes[t - 1], shapes[t]))
        if t + 1 < n:
            f.append("bi+1=%s|%s" % (lower[t], lower[t + 1]))
            f.append("sb+1=%s|%s" % (shapes[t], shapes[t + 1]))
        feats.append(f)
    return feats


def main():
    root = sys.argv[1]
    iters = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    c2 = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    corpus = sys.argv[4] if len(sys.argv) > 4 else "conll"
    files = {
        "conll": ("ner/conll2003/eng.train", "ner/conll2003/eng.testa", "ner/conll2003/eng.testb"),
        "wnut": ("ner/wnut17/wnut17train.conll", "ner/wnut17/emerging.dev.conll", "ner/wnut17/emerging.test.annotated"),
    }[corpus]
    train, dev, test = (read(os.path.join(root, f)) for f in files)
    t0 = time.perf_counter()
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    for s in train:
        trainer.append(features([w for w, _ in s]), to_iobes([t for _, t in s]))
    trainer.set_params({"c1": 0.0, "c2": c2, "max_iterations": iters, "feature.possible_transitions": True})
    model = os.path.join(tempfile.mkdtemp(), "ner.crfsuite")
    t1 = time.perf_counter()
    trainer.train(model)
    t2 = time.perf_counter()
    tagger = pycrfsuite.Tagger()
    tagger.open(model)
    out = {"corpus": corpus, "iterations": iters, "c2": c2, "features_seconds": t1 - t0, "train_seconds": t2 - t1}
    for name, data in (("dev", dev), ("test", test)):
        feats = [features([w for w, _ in s]) for s in data]
        t3 = time.perf_counter()
        pred = [tagger.tag(f) for f in feats]
        t4 = time.perf_counter()
        gold = [[t for _, t in s] for s in data]
        out[name + "_f1"] = f1_score(gold, pred)
        out[name + "_tag_tokens_per_s_excluding_features"] = sum(len(s) for s in data) / (t4 - t3)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
