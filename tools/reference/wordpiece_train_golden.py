#!/usr/bin/env python3
"""Golden WordPiece vocabularies trained by HF tokenizers, for
crates/journey-text/tests/wordpiece_train.rs.

Pinned versions: Python 3.11, tokenizers==0.23.3.

Command (from the repository root):
    /root/venvs/ref/bin/python tools/reference/wordpiece_train_golden.py \
        --data ../shared/data [--runs 5] [--check-ours DIR]

For each configuration in CONFIGS, trains `BertWordPieceTokenizer` on the
lines the Rust test reads (SOURCES: the same lines, split the same way) and
writes tests/fixtures/wordpiece_train/golden.json, holding no corpus text:
the settings, the number of distinct words and of word occurrences after
HF's normaliser and pre-tokenizer, the vocabulary size, sha256 of the
vocabulary (tokens in id order joined by "\\n"), its first and last 50
tokens, the continuing tokens ("##x", one character after the prefix) in
id order, sha256 of the ids HF's trained tokenizer gives the first ENCODED
lines (one line of space-separated ids per text, joined by "\n"), and the
trained tokenizer.json with the vocabulary left out.

HF gives the continuing tokens their ids in the iteration order of a hash
table seeded at random per process, and ties between pairs go to the
smaller ids, so runs differ; the Rust test feeds the recorded order to
`vocab_from_counts_in_order` and must then reproduce this run exactly. The
script also trains each configuration `--runs` times more and records how
far HF's own runs differ (`hf_runs`). With `limit_alphabet` below the
alphabet, the script checks the cut falls between different counts (HF's
pick among equal counts is random too).

With --check-ours DIR, compares DIR/<name>.vocab.txt (our vocabulary with our
own default order, e.g. from `journey tokenizer train --algorithm wordpiece`)
with HF's: prints the overlap of the token sets.
"""

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

from tokenizers import BertWordPieceTokenizer

ENCODED = 300
OUT = Path("crates/journey-text/tests/fixtures/wordpiece_train/golden.json")

CONFIGS = [
    {
        "name": "sms_uncased",
        "source": {"file": "classification/sms_spam/sms.tsv", "lines": 3000, "after_tabs": 1},
        "vocab_size": 2000,
        "min_frequency": 2,
        "limit_alphabet": 1000,
        "initial_alphabet": [],
        "special_tokens": ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
        "prefix": "##",
        "lowercase": True,
        "strip_accents": None,
    },
    {
        "name": "multi30k_de_cased",
        "source": {"file": "eval/parallel/multi30k/train.de", "lines": 3000, "after_tabs": 0},
        "vocab_size": 1500,
        "min_frequency": 3,
        "limit_alphabet": 60,
        "initial_alphabet": ["€", "Ω"],
        "special_tokens": ["[UNK]", "<s>", "</s>", "[MASK]"],
        "prefix": "@@",
        "lowercase": False,
        "strip_accents": None,
    },
]


def read_lines(path, n, after_tabs):
    """The first n lines, split at LF, one trailing CR dropped (as the Rust
    test's common::read_lines), the text after `after_tabs` tabs."""
    text = path.read_text(encoding="utf-8")
    lines = [l[:-1] if l.endswith("\r") else l for l in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    out = []
    for line in lines[:n]:
        out.append(line.split("\t", after_tabs)[after_tabs] if after_tabs else line)
    return out


def train(cfg, lines):
    tok = BertWordPieceTokenizer(
        lowercase=cfg["lowercase"],
        strip_accents=cfg["strip_accents"],
        wordpieces_prefix=cfg["prefix"],
    )
    tok.train_from_iterator(
        lines,
        vocab_size=cfg["vocab_size"],
        min_frequency=cfg["min_frequency"],
        limit_alphabet=cfg["limit_alphabet"],
        initial_alphabet=cfg["initial_alphabet"],
        special_tokens=cfg["special_tokens"],
        wordpieces_prefix=cfg["prefix"],
        show_progress=False,
    )
    vocab = [t for t, _ in sorted(tok.get_vocab().items(), key=lambda kv: kv[1])]
    return tok, vocab


def word_counts(tok, lines):
    counts = Counter()
    for line in lines:
        normalized = tok.normalizer.normalize_str(line)
        for word, _ in tok.pre_tokenizer.pre_tokenize_str(normalized):
            counts[word] += 1
    return counts


def check_alphabet_cut(cfg, counts):
    chars = Counter()
    for w, c in counts.items():
        for ch in w:
            chars[ch] += c
    for ch in cfg["initial_alphabet"]:
        chars[ch] = float("inf")
    limit = cfg["limit_alphabet"]
    if len(chars) <= limit:
        return len(chars), None
    by_count = sorted(chars.values())
    cut = len(chars) - limit
    assert by_count[cut - 1] != by_count[cut], (
        f"{cfg['name']}: limit_alphabet {limit} cuts between equal counts {by_count[cut]}; choose another"
    )
    return len(chars), [by_count[cut - 1], by_count[cut]]


def sha(vocab):
    return hashlib.sha256("\n".join(vocab).encode("utf-8")).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--check-ours", type=Path)
    args = ap.parse_args()

    out = []
    for cfg in CONFIGS:
        src = cfg["source"]
        lines = read_lines(args.data / src["file"], src["lines"], src["after_tabs"])
        tok, vocab = train(cfg, lines)
        counts = word_counts(tok, lines)
        n_chars, cut = check_alphabet_cut(cfg, counts)
        p = cfg["prefix"]
        continuing = [t for t in vocab if t.startswith(p) and len(t) == len(p) + 1]
        encoded = [" ".join(map(str, e.ids)) for e in tok.encode_batch(lines[:ENCODED])]
        skeleton = json.loads(tok.to_str())
        skeleton["model"]["vocab"] = None

        others = [train(cfg, lines)[1] for _ in range(args.runs)]
        ref = set(vocab)
        overlaps = [len(ref & set(v)) for v in others]
        hf_runs = {
            "runs": args.runs,
            "identical_to_this_run": sum(v == vocab for v in others),
            "same_token_set": sum(set(v) == ref for v in others),
            "min_shared_tokens": min(overlaps) if overlaps else None,
        }

        if args.check_ours:
            ours = (args.check_ours / f"{cfg['name']}.vocab.txt").read_text(encoding="utf-8").split("\n")
            ours = [t for t in ours if t]
            shared = len(ref & set(ours))
            same_ids = sum(a == b for a, b in zip(vocab, ours))
            print(f"{cfg['name']}: ours {len(ours)} tokens, HF {len(vocab)}; shared {shared}; same id {same_ids}")

        out.append(
            {
                "name": cfg["name"],
                "source": src,
                "config": {k: cfg[k] for k in cfg if k not in ("name", "source")},
                "distinct_words": len(counts),
                "word_occurrences": sum(counts.values()),
                "alphabet_seen": n_chars,
                "alphabet_cut_counts": cut,
                "vocab_len": len(vocab),
                "vocab_sha256": sha(vocab),
                "head": vocab[:50],
                "tail": vocab[-50:],
                "continuing": continuing,
                "encoded_lines": ENCODED,
                "encoded_sha256": hashlib.sha256("\n".join(encoded).encode()).hexdigest(),
                "tokenizer_json_without_vocab": skeleton,
                "hf_runs": hf_runs,
            }
        )
        print(cfg["name"], len(vocab), sha(vocab)[:16], hf_runs)

    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
