#!/usr/bin/env python3
"""tiktoken and HF tokenizers encode speed, the reference for examples/bench_bpe.rs.

Pinned versions: Python 3.11, tiktoken==0.14.0, tokenizers==0.23.3.

Command (from the repository root):
    /root/venvs/ref/bin/python tools/reference/bench_bpe.py --data ../shared/data --reps 3

Builds the same text as the Rust example (BENCH_FILES concatenated, split on
"\\n") and, for cl100k_base and o200k_base, times the best of REPS runs of:
* tiktoken `encode_ordinary` on each line, one thread;
* tiktoken `encode_ordinary_batch(lines, num_threads=THREADS)`;
* HF tokenizers built from the same ranks (vocab = ranks through GPT-2's
  byte-to-unicode map; merges recovered from the ranks as transformers'
  TikTokenConverter does; pre-tokenizer Split(pattern, "isolated") +
  ByteLevel(use_regex=False)), `encode` per line and `encode_batch` (HF's
  rayon pool; TOKENIZERS_PARALLELISM honoured). Its ids are checked against
  tiktoken's on the first 2,000 lines.
Prints JSON lines in the schema of the Rust example.
"""

import argparse
import json
import os
import time
from pathlib import Path

import tiktoken
import tiktoken.load as tload
from tiktoken_ext import openai_public as op

BENCH_FILES = [
    "corpora/kjv/kjv.txt",
    "corpora/tinyshakespeare/input.txt",
    "corpora/wikitext-2/valid.txt",
    "corpora/wikitext-2/test.txt",
    "classification/sst2/train.tsv",
    "classification/ag_news/test.csv",
    "classification/sms_spam/sms.tsv",
    "eval/parallel/multi30k/train.de",
    "eval/parallel/multi30k/train.en",
]


def load(data: Path, name: str) -> tiktoken.Encoding:
    orig = op.load_tiktoken_bpe
    op.load_tiktoken_bpe = lambda url, expected_hash=None: tload.load_tiktoken_bpe(
        str(data / "tokenizers/tiktoken" / url.rsplit("/", 1)[1]), expected_hash
    )
    try:
        spec = op.ENCODING_CONSTRUCTORS[name]()
    finally:
        op.load_tiktoken_bpe = orig
    return tiktoken.Encoding(
        spec["name"], pat_str=spec["pat_str"], mergeable_ranks=spec["mergeable_ranks"], special_tokens=spec["special_tokens"]
    )


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def hf_from_ranks(ranks: dict, pattern: str):
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers

    b2u = bytes_to_unicode()
    enc = lambda b: "".join(b2u[x] for x in b)
    vocab = {enc(t): r for t, r in ranks.items()}
    merges = []
    for token, rank in ranks.items():
        if len(token) < 2:
            continue
        # The two parts the BPE merge of `token` ends with, using only lower ranks.
        parts = [bytes([b]) for b in token]
        while len(parts) > 2:
            best = None
            for i in range(len(parts) - 1):
                r = ranks.get(parts[i] + parts[i + 1])
                if r is not None and r < rank and (best is None or r < best[0]):
                    best = (r, i)
            if best is None:
                break
            i = best[1]
            parts[i : i + 2] = [parts[i] + parts[i + 1]]
        if len(parts) == 2:
            merges.append((rank, enc(parts[0]), enc(parts[1])))
    merges.sort()
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[(a, b) for _, a, b in merges], ignore_merges=True))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    return tok


def best(reps, f):
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--no-hf", action="store_true")
    args = ap.parse_args()
    data = Path(args.data)
    # bytes, not read_text: universal newlines would turn \r\n into \n
    text = "".join((data / f).read_bytes().decode("utf-8") for f in BENCH_FILES)
    lines = text.split("\n")
    mb = len(text.encode("utf-8")) / 1e6

    def report(tool, name, mode, threads, secs, tokens, **extra):
        print(json.dumps({"tool": tool, "encoding": name, "mode": mode, "threads": threads, "mb": mb,
                          "lines": len(lines), "tokens": tokens, "seconds": secs, "mb_per_s": mb / secs, **extra}),
              flush=True)

    for name in ["cl100k_base", "o200k_base"]:
        enc = load(data, name)
        tokens = sum(map(len, enc.encode_ordinary_batch(lines, num_threads=args.threads)))
        eo = enc.encode_ordinary
        single = best(args.reps, lambda: [eo(l) for l in lines])
        report("tiktoken 0.14.0", name, "single", 1, single, tokens)
        batch = best(args.reps, lambda: enc.encode_ordinary_batch(lines, num_threads=args.threads))
        report("tiktoken 0.14.0", name, "batch", args.threads, batch, tokens)
        if args.no_hf:
            continue
        try:
            t = time.perf_counter()
            hf = hf_from_ranks(enc._mergeable_ranks, enc._pat_str)
            build_s = time.perf_counter() - t
        except Exception as e:  # noqa: BLE001 - report and go on with tiktoken only
            print(json.dumps({"tool": "tokenizers", "encoding": name, "skipped": repr(e)}))
            continue
        sample = lines[:2000]
        same = all(hf.encode(l, add_special_tokens=False).ids == enc.encode_ordinary(l) for l in sample)
        he = hf.encode
        single = best(args.reps, lambda: [he(l, add_special_tokens=False) for l in lines])
        report("tokenizers 0.23.3", name, "single", 1, single, tokens, ids_equal_first_2000_lines=same,
               build_seconds=build_s)
        batch = best(args.reps, lambda: hf.encode_batch(lines, add_special_tokens=False))
        report("tokenizers 0.23.3", name, "batch", args.threads, batch, tokens, ids_equal_first_2000_lines=same)


if __name__ == "__main__":
    main()
