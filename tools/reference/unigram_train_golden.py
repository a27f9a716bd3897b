#!/usr/bin/env python3
"""Golden figures for Unigram training and Unigram tokenizer.json files.

1. sentencepiece's trainer: `SentencePieceTrainer.train(model_type=unigram,
   vocab_size=1000, num_threads=1)` with every other option at its default
   (nmt_nfkc, character_coverage 0.9995, ...) on
   $DATA/tokenizers/bpe_training/corpus.en (CS336 fixture, MIT). Its pieces
   and scores, and its token counts on held-out lines, go to
   `spm_corpus_en_1000.json`. The Rust test trains ours with the same
   settings and compares vocabularies, token counts and likelihoods.
2. Files written by us, read by the reference tools. The same model is
   trained with our CLI (`journey tokenizer train --algorithm unigram`) to a
   .model and to a tokenizer.json, and the toy sentencepiece model
   ($DATA/tokenizers/sentencepiece/toy-unigram-1k.model) is converted with
   our writer (example `spm_to_tokenizer_json`). sentencepiece encodes the
   held-out lines with our .model, HF `tokenizers` with our two JSON files;
   the sha256 of each file is recorded so the test notices when our output
   changes (then rerun this script).
3. A tokenizer.json written by HF itself: `SentencePieceUnigramTokenizer`
   (Nmt + NFKC + Replace normalizers, Metaspace) trained by HF on corpus.en,
   vocab 1000, special `<unk>`; committed as `hf_trained_corpus_en_1000.json`
   (a small derived file), with HF's ids for the held-out lines.

Held-out lines: the first 1,000 non-blank lines of
$DATA/corpora/tinyshakespeare/input.txt, the first 300 of
$DATA/corpora/wikitext-2/test.txt (whose `<unk>` markers show where HF and
sentencepiece part ways: HF's Unigram may pick the vocabulary entry `<unk>`,
sentencepiece never matches it in text) and all non-blank lines of
$DATA/tokenizers/bpe_training/tinystories_sample.txt. Per line and
tokenizer `golden.tsv` holds `<count>:<hash>`, the first 8 hex digits of
the FNV-1a 64 of the ids as 4-byte little-endian integers; lines are keyed
by source index (into the `# source` header lines) and line number.

Pinned: Python 3.11.7, sentencepiece 0.2.3, tokenizers 0.23.3.
Command (from the repository root):

    cargo build --release -p journey --bin journey && cargo build --release -p journey-text --example spm_to_tokenizer_json
    /root/venvs/ref/bin/python tools/reference/unigram_train_golden.py \\
        --data /work/shared/data --out crates/journey-text/tests/fixtures/unigram
"""

import argparse
import hashlib
import json
import os
import subprocess
import tempfile

import sentencepiece as spm
from tokenizers import Tokenizer
from tokenizers.implementations import SentencePieceUnigramTokenizer

CORPUS = "tokenizers/bpe_training/corpus.en"
TOY = "tokenizers/sentencepiece/toy-unigram-1k.model"
HELDOUT = [
    ("corpora/tinyshakespeare/input.txt", 1000),
    ("corpora/wikitext-2/test.txt", 300),
    ("tokenizers/bpe_training/tinystories_sample.txt", None),
]
VOCAB = 1000


def fnv64(data: bytes) -> str:
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def ids_hash(ids):
    """`<count>:<first 8 hex digits of the fnv64 of the ids>`."""
    return f"{len(ids)}:" + fnv64(b"".join(i.to_bytes(4, "little") for i in ids))[:8]


def read_lines(path):
    text = open(path, "rb").read().decode("utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def heldout(data):
    """(source, 1-based line number, text) of the held-out lines."""
    out = []
    for rel, limit in HELDOUT:
        n = 0
        for i, line in enumerate(read_lines(os.path.join(data, rel)), 1):
            if not line.strip():
                continue
            out.append((rel, i, line))
            n += 1
            if limit is not None and n == limit:
                break
    return out


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--journey", default="target/release/journey")
    ap.add_argument("--convert", default="target/release/examples/spm_to_tokenizer_json")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    corpus = os.path.join(args.data, CORPUS)
    lines = heldout(args.data)
    texts = [t for _, _, t in lines]

    with tempfile.TemporaryDirectory() as tmp:
        # 1. sentencepiece's own model.
        prefix = os.path.join(tmp, "spm")
        spm.SentencePieceTrainer.train(
            input=corpus, model_prefix=prefix, model_type="unigram",
            vocab_size=VOCAB, num_threads=1, minloglevel=2,
        )
        ref = spm.SentencePieceProcessor(model_file=prefix + ".model")
        pieces = [[ref.id_to_piece(i), ref.get_score(i)] for i in range(ref.get_piece_size())]
        per_source = {}
        for (rel, _, _), t in zip(lines, texts):
            s = per_source.setdefault(rel, {"lines": 0, "tokens": 0})
            s["lines"] += 1
            s["tokens"] += len(ref.encode(t))
        train_lines = [l for l in read_lines(corpus) if l.strip()]
        spm_fig = {
            "sentencepiece": spm.__version__,
            "corpus": CORPUS,
            "vocab_size": VOCAB,
            "options": "model_type=unigram num_threads=1, other options default",
            "train_tokens": sum(len(ref.encode(l)) for l in train_lines),
            "train_lines": len(train_lines),
            "heldout": per_source,
            "pieces": pieces,
        }
        with open(os.path.join(args.out, "spm_corpus_en_1000.json"), "w") as f:
            json.dump(spm_fig, f, ensure_ascii=False, indent=0)
            f.write("\n")

        # 2. Our files, read by the reference tools.
        ours_model = os.path.join(tmp, "ours.model")
        ours_json = os.path.join(tmp, "ours.json")
        toy_json = os.path.join(tmp, "toy.json")
        for out in (ours_model, ours_json):
            subprocess.run(
                [args.journey, "tokenizer", "train", "--algorithm", "unigram",
                 "--vocab-size", str(VOCAB), corpus, "--out", out],
                check=True, stdout=subprocess.DEVNULL,
            )
        subprocess.run([args.convert, os.path.join(args.data, TOY), toy_json], check=True)
        spm_ours = spm.SentencePieceProcessor(model_file=ours_model)
        hf_ours = Tokenizer.from_file(ours_json)
        hf_toy = Tokenizer.from_file(toy_json)

        # 3. HF's own Unigram tokenizer.json.
        hf = SentencePieceUnigramTokenizer()
        hf.train([corpus], vocab_size=VOCAB, show_progress=False,
                 special_tokens=["<unk>"], unk_token="<unk>")
        hf_path = os.path.join(args.out, "hf_trained_corpus_en_1000.json")
        hf.save(hf_path)
        hf_trained = Tokenizer.from_file(hf_path)

        cols = {
            "spm_ours_model": lambda t: spm_ours.encode(t),
            "hf_ours_json": lambda t: hf_ours.encode(t).ids,
            "hf_toy_json": lambda t: hf_toy.encode(t).ids,
            "hf_trained": lambda t: hf_trained.encode(t).ids,
        }
        with open(os.path.join(args.out, "golden.tsv"), "w") as f:
            f.write("# Unigram golden ids (tools/reference/unigram_train_golden.py)\n")
            f.write(f"# sentencepiece {spm.__version__}; tokenizers {__import__('tokenizers').__version__}\n")
            f.write(f"# sha256 ours_model {sha256(ours_model)}\n")
            f.write(f"# sha256 ours_json {sha256(ours_json)}\n")
            f.write(f"# sha256 toy_json {sha256(toy_json)}\n")
            sources = [rel for rel, _ in HELDOUT]
            for k, rel in enumerate(sources):
                f.write(f"# source {k} {rel}\n")
            f.write("src\tline\t" + "\t".join(cols) + "\n")
            for (rel, i, t) in lines:
                f.write(f"{sources.index(rel)}\t{i}\t" + "\t".join(ids_hash(fn(t)) for fn in cols.values()) + "\n")
    print(f"wrote {args.out}: {len(lines)} held-out lines")


if __name__ == "__main__":
    main()
