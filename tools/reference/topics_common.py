"""Corpus reading shared by the topic-model reference scripts, mirroring
crates/journey-ml/src/dictionary.rs (read_lines, read_newsgroups)."""
import os

from gensim.utils import simple_preprocess


def decode(b):
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("latin-1")


def rust_lines(text):
    """str::lines(): split on \\n, drop one trailing \\r, no final empty line."""
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return [p[:-1] if p.endswith("\r") else p for p in parts]


def lee(data, name="lee_background.cor"):
    with open(os.path.join(data, "corpora/lee", name), "rb") as f:
        return rust_lines(decode(f.read()))


def newsgroups(data):
    root = os.path.join(data, "classification/mini_newsgroups")
    docs = []
    for g in sorted(os.listdir(root)):
        gd = os.path.join(root, g)
        if not os.path.isdir(gd):
            continue
        for name in sorted(os.listdir(gd)):
            p = os.path.join(gd, name)
            if not os.path.isfile(p):
                continue
            with open(p, "rb") as f:
                text = f.read().decode("latin-1")
            i = text.find("\n\n")
            docs.append((g, text[i + 2:] if i >= 0 else ""))
    return docs


def tokenize(docs):
    return [simple_preprocess(d) for d in docs]
