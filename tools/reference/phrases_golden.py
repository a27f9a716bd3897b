"""Golden output of gensim's Phrases, for crates/journey-embed/tests/phrases.rs.

Pinned: gensim==4.4.0 (CPython 3.11 venv at /root/venvs/ref). Run from the
repository root:

    /root/venvs/ref/bin/python tools/reference/phrases_golden.py \
        --data ../shared/data --out crates/journey-embed/tests/fixtures/phrases_gensim.json

Corpus: WikiText-2 validation, each line ASCII-lowercased with every byte
that is not a letter or digit turned into a space, empty lines dropped (as
crates/journey-embed/tests/word2vec.rs prepares it). Two models: Phrases()
defaults, and Phrases(min_count=3, threshold=5, connector_words=
ENGLISH_CONNECTOR_WORDS). For each: the table size, the corpus word count,
every exported phrase with its score, and the SHA-256 of the transformed
corpus (tokens joined by spaces, one sentence per line).
"""

import argparse
import hashlib
import json
from pathlib import Path

import gensim
from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS, Phrases

KEEP = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def corpus(data):
    raw = (data / "corpora/wikitext-2/valid.txt").read_bytes().decode("utf-8", "replace")
    out = []
    for line in raw.splitlines():
        toks = bytes(b if b in KEEP else 32 for b in line.encode("utf-8")).decode("ascii").lower().split()
        if toks:
            out.append(toks)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    sents = corpus(a.data)
    golden = {"gensim": gensim.__version__, "sentences": len(sents), "models": {}}
    for name, kwargs in [
        ("default", {}),
        ("connectors", {"min_count": 3, "threshold": 5.0, "connector_words": ENGLISH_CONNECTOR_WORDS}),
    ]:
        p = Phrases(sents, **kwargs)
        exported = p.export_phrases()
        text = "\n".join(" ".join(p[s]) for s in sents) + "\n"
        golden["models"][name] = {
            "min_count": p.min_count,
            "threshold": p.threshold,
            "connector_words": sorted(p.connector_words),
            "vocab_len": len(p.vocab),
            "corpus_words": p.corpus_word_count,
            "phrases": sorted([k, v] for k, v in exported.items()),
            "transformed_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        }
        print(name, len(p.vocab), len(exported), golden["models"][name]["transformed_sha256"][:12])
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        json.dump(golden, f, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
