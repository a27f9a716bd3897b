#!/usr/bin/env python3
"""Reference accuracies of Debian's `fasttext` binary (0.9.2+ds-1,
`apt-get install -y fasttext`) for the supervised classifier.

Converts SST-2 (train -> dev) and AG News (test.csv split: every 5th row,
0-based index % 5 == 4, is held out, the rest trains) to `__label__` lines
exactly as crates/journey-embed/tests/fasttext_supervised.rs and
examples/bench_fasttext.rs do, trains `fasttext supervised` with several
seeds at one thread, and writes tests/fixtures/fasttext_supervised.json.

Usage: python3 tools/reference/fasttext_reference.py [DATA_DIR]
  (DATA_DIR defaults to $JOURNEY_DATA)
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time

DATA = sys.argv[1] if __name__ == "__main__" and len(sys.argv) > 1 else os.environ.get("JOURNEY_DATA", "../shared/data")
OUT = os.path.join(os.path.dirname(__file__), "../../crates/journey-embed/tests/fixtures/fasttext_supervised.json")
SEEDS = [0, 1, 2, 3, 4]
# The configuration the Rust test trains (SST-2, first 20,000 train rows).
SST2_TRAIN_ROWS = 20000
SST2 = ["-epoch", "5", "-lr", "0.5", "-wordNgrams", "2", "-dim", "20", "-bucket", "200000", "-thread", "1"]
AG = ["-epoch", "5", "-lr", "0.5", "-wordNgrams", "2", "-dim", "50", "-bucket", "2000000", "-thread", "1"]


def one_line(s):
    return re.sub(r"\s+", " ", s).strip()


def sst2(tmp):
    def conv(src, dst, limit=None):
        with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as g:
            next(f)
            for i, line in enumerate(f):
                if limit is not None and i >= limit:
                    break
                label, text = line.rstrip("\n").split("\t", 1)
                g.write(f"__label__{label} {one_line(text)}\n")
    tr, dv = os.path.join(tmp, "sst2.train"), os.path.join(tmp, "sst2.dev")
    conv(os.path.join(DATA, "classification/sst2/train.tsv"), tr, SST2_TRAIN_ROWS)
    conv(os.path.join(DATA, "classification/sst2/dev.tsv"), dv)
    return tr, dv


def ag(tmp):
    tr, te = os.path.join(tmp, "ag.train"), os.path.join(tmp, "ag.test")
    with open(os.path.join(DATA, "classification/ag_news/test.csv"), encoding="utf-8", newline="") as f, \
            open(tr, "w", encoding="utf-8") as a, open(te, "w", encoding="utf-8") as b:
        for i, row in enumerate(csv.reader(f)):
            line = f"__label__{row[0]} {one_line(row[1] + ' ' + row[2])}\n"
            (b if i % 5 == 4 else a).write(line)
    return tr, te


def run(train, test, flags, seed, tmp):
    model = os.path.join(tmp, "m")
    t0 = time.perf_counter()
    subprocess.run(["fasttext", "supervised", "-input", train, "-output", model, "-seed", str(seed), "-verbose", "0"] + flags,
                   check=True)
    secs = time.perf_counter() - t0
    out = subprocess.run(["fasttext", "test", model + ".bin", test, "1"], check=True, capture_output=True, text=True).stdout
    fields = dict(l.split("\t") for l in out.strip().splitlines())
    return {"seed": seed, "n": int(fields["N"]), "p_at_1": float(fields["P@1"]), "train_seconds": round(secs, 3)}


def main():
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "fasttext"], capture_output=True, text=True).stdout
    res = {"fasttext_version": version, "seeds": SEEDS}
    with tempfile.TemporaryDirectory() as tmp:
        for name, make, flags in [("sst2", sst2, SST2), ("ag_news", ag, AG)]:
            tr, te = make(tmp)
            runs = [run(tr, te, flags, s, tmp) for s in SEEDS]
            accs = [r["p_at_1"] for r in runs]
            res[name] = {"flags": " ".join(flags), "runs": runs, "mean_p_at_1": round(sum(accs) / len(accs), 4),
                         "min_p_at_1": min(accs), "max_p_at_1": max(accs)}
            if name == "sst2":
                res[name]["train_rows"] = SST2_TRAIN_ROWS
            print(name, res[name]["mean_p_at_1"], accs, file=sys.stderr)
    with open(OUT, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
