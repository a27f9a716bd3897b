"""The SMS spam features of journey_nn::sms_features, written again from
their specification (see that module's doc): shared by autograd_golden.py and
bench_scalar_autograd.py. Standard library only.
"""

import os
import re
from collections import Counter
from pathlib import Path

DATA = Path(os.environ.get("JOURNEY_DATA", "../shared/data"))
VOCAB_SIZE = 24


def read_sms():
    """(label, text) per line of sms.tsv; split at the first tab."""
    text = (DATA / "classification/sms_spam/sms.tsv").read_bytes().decode("utf-8")
    rows = []
    for line in text.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        if not line:
            continue
        label, body = line.split("\t", 1)
        rows.append((1.0 if label == "spam" else 0.0, body))
    return rows


def tokens(text):
    return [t.lower() for t in re.findall(r"[A-Za-z0-9]+", text)]


def stop_words():
    path = DATA / "lexicons/stopwords_nltk_english.txt"
    return {w.strip() for w in path.read_text().split("\n") if w.strip()}


def vocabulary(train):
    """The VOCAB_SIZE tokens in most training messages, stop words left out,
    ties broken by the token."""
    stops = stop_words()
    df = Counter()
    for _, text in train:
        df.update({t for t in tokens(text) if t not in stops})
    ranked = sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))
    return [t for t, _ in ranked[:VOCAB_SIZE]]


def features(text, vocab):
    n = len(text)
    digits = sum(1 for c in text if "0" <= c <= "9")
    upper = sum(1 for c in text if "A" <= c <= "Z")
    toks = set(tokens(text))
    return [
        n / 100.0,
        5.0 * digits / max(n, 1),
        5.0 * upper / max(n, 1),
        min(text.count("!"), 3) / 3.0,
    ] + [1.0 if w in toks else 0.0 for w in vocab]


def train_split(rows, test_every=5):
    """Message i (0-based) is held out when i % test_every == test_every - 1."""
    return [r for i, r in enumerate(rows) if i % test_every != test_every - 1]
