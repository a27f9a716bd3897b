#!/usr/bin/env python3
"""Golden token ids from tiktoken for tests/bpe.rs (byte-level BPE parity).

Pinned versions: Python 3.11, tiktoken==0.14.0 (its Rust core: fancy-regex).

Command (from the repository root):
    /root/venvs/ref/bin/python tools/reference/bpe_golden.py --data ../shared/data

The encodings are built from the local files in $JOURNEY_DATA/tokenizers with
tiktoken's own constructors (tiktoken_ext.openai_public), their download
replaced by the local path, so pattern, special tokens and file hashes are
exactly tiktoken's. Writes to crates/journey-text/tests/fixtures/bpe/:

* `corpus_<encoding>.txt` — for each real corpus, every line (the text split
  on "\\n") encoded with `encode_ordinary`. The texts are not stored
  (licences): one header line per source
  `source <path> lines <n> tokens <total> sha256 <hex>` (sha256 over, for each
  line, its token count then its ids, all little-endian u32), then the first
  32 bits of the same hash over each block of 16 lines, hex, 64 per row; then
  `doc <path> tokens <n> sha256 <hex>` for a few whole documents encoded at
  once (newlines and all).
* `stress.json` — a synthetic stress set generated here with a fixed seed
  (emoji with ZWJ, flags and skin tones, CJK, code, long runs of whitespace and
  digits, mixed scripts and marks, contractions in every case, special-token
  text), with the full ids of `encode_ordinary` and of
  `encode(allowed_special="all")` for every encoding.
"""

import argparse
import hashlib
import json
import random
import struct
from pathlib import Path

import tiktoken
import tiktoken.load as tload
from tiktoken_ext import openai_public as op

ENCODINGS = ["gpt2", "r50k_base", "p50k_base", "p50k_edit", "cl100k_base", "o200k_base"]
# Which encodings get the corpus fixtures (p50k_edit has p50k_base's ordinary ids).
CORPUS_ENCODINGS = ["gpt2", "r50k_base", "p50k_base", "cl100k_base", "o200k_base"]
SOURCES = [
    "corpora/tinyshakespeare/input.txt",
    "corpora/kjv/kjv.txt",
    "corpora/wikitext-2/valid.txt",
    "corpora/wikitext-2/test.txt",
    "corpora/lee/lee_background.cor",
    "classification/sst2/train.tsv",
    "classification/sms_spam/sms.tsv",
    "classification/ag_news/test.csv",
    "eval/parallel/multi30k/train.de",
    "sentiment/vader_groundtruth/tweets_GroundTruth.txt",
]
DOCS = [
    "corpora/tinyshakespeare/input.txt",
    "corpora/wikitext-2/test.txt",
    "classification/sms_spam/sms.tsv",
]
BLOCK = 16


def build(data: Path):
    local = {
        "vocab.bpe": data / "tokenizers/gpt2/vocab.bpe",
        "encoder.json": data / "tokenizers/gpt2/encoder.json",
    }
    orig_tt, orig_dg = op.load_tiktoken_bpe, op.data_gym_to_mergeable_bpe_ranks

    def tt(url, expected_hash=None):
        return tload.load_tiktoken_bpe(str(data / "tokenizers/tiktoken" / url.rsplit("/", 1)[1]), expected_hash)

    def dg(vocab_bpe_file, encoder_json_file, vocab_bpe_hash=None, encoder_json_hash=None):
        return tload.data_gym_to_mergeable_bpe_ranks(
            str(local["vocab.bpe"]), str(local["encoder.json"]), vocab_bpe_hash, encoder_json_hash
        )

    op.load_tiktoken_bpe, op.data_gym_to_mergeable_bpe_ranks = tt, dg
    try:
        encs = {}
        for name in ENCODINGS:
            spec = op.ENCODING_CONSTRUCTORS[name]()
            encs[name] = tiktoken.Encoding(
                spec["name"],
                pat_str=spec["pat_str"],
                mergeable_ranks=spec["mergeable_ranks"],
                special_tokens=spec["special_tokens"],
                explicit_n_vocab=spec.get("explicit_n_vocab"),
            )
        return encs
    finally:
        op.load_tiktoken_bpe, op.data_gym_to_mergeable_bpe_ranks = orig_tt, orig_dg


def line_bytes(ids):
    return struct.pack("<I", len(ids)) + struct.pack(f"<{len(ids)}I", *ids)


def compact(ids):
    """Short id lists in full; long ones as count + sha256 of the LE u32 ids."""
    if len(ids) <= 400:
        return ids
    return {"n": len(ids), "sha256": hashlib.sha256(struct.pack(f"<{len(ids)}I", *ids)).hexdigest()}


def stress_texts():
    rng = random.Random(20240607)
    emoji = [
        "😀", "🌍", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇯🇵", "🇪🇸", "🇺🇸", "❤️", "🧑🏿‍💻", "🫠", "🤌🏻", "🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    ]
    cjk = "日本語のテキストと中文文本和한국어 텍스트。東京タワー、北京烤鸭！"
    code = (
        "def f(x):\n    return {'a': [1, 2, 3], \"b\": x ** 2}  # comment\n\n"
        "fn main() {\n\tlet v: Vec<u32> = (0..10).map(|i| i * i).collect();\n\tprintln!(\"{v:?}\");\n}\n"
        "<div class=\"x\">&nbsp;</div>\r\n  if (a != b && c >= d) { return a/b; }\n"
        "SELECT * FROM t WHERE id='42' -- x\n#include <stdio.h>\n//comment\n/* block */\n"
    )
    scripts = [
        "Привет, как дела? Ёлка.", "مرحبا بالعالم، كيف حالك؟", "שלום עולם", "नमस्ते दुनिया, क्या हाल है?",
        "สวัสดีชาวโลก", "Γειά σου Κόσμε", "Ελληνικά ΚΕΦΑΛΑΙΑ", "ǅemal ǈubljana ǋ", "Ꭰ Ꮳ ꮳ",
        "e\u0301\u0302 a\u0308\u0323 Z\u0351\u0352\u0353", "ﬁnance ﬂow", "ℌ𝔢𝔩𝔩𝔬 𝕎𝕠𝕣𝕝𝕕", "١٢٣٤٥ ١٢ ۴۵۶", "Ⅻ ⅷ ①②③ ½",
    ]
    contractions = [
        "I'm", "you're", "THEY'RE", "We'Ve", "he'LL", "she'd", "It'S", "don't", "DON'T", "'tis",
        "o'clock", "rock'n'roll", "ſ'ſ 'ſ 'S 'sS", "'''", "' s", "don’t", "l'été", "HELLO'S", "Mc'Donald's",
    ]
    ws_chars = [" ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2028", "\u0085", "\u000b", "\u000c", "\u2003", "\u001c"]
    texts = []
    texts += [
        "",
        " ",
        "\n",
        "hello world",
        "Hello, World! How are you today? 🌍",
        "<|endoftext|>",
        "a<|endoftext|>b <|endoftext|> <|fim_prefix|>x<|fim_suffix|>y<|fim_middle|> <|endofprompt|>",
        "<|endoftext",
        "<|endoftext|><|endoftext|>text  <|endoftext|>  ",
        " " * 10_000,
        "\n" * 5_000,
        " \n" * 2_000 + "x",
        "\t \t  \n\n  \r\n   " * 300 + "end",
        "x" + " " * 3_000 + "y" + " " * 3_001,
        "1" * 5_000,
        "1234567890" * 500,
        "3.14159265358979323846264338327950288419716939937510 1,000,000 0x1F2E 1e-10 ٣٤٥٦",
        "a" * 4_000,
        "ab" * 3_000,
        "🌍" * 1_000,
        "".join(emoji) * 20,
        cjk * 30,
        code * 20,
        " ".join(scripts) * 5,
        " ".join(contractions) * 5,
        "Ĳ ĳ ǆ Ǆ µ ß ẞ ﬀ İ ı K Å Ω ς σ Σ",
    ]
    pool = (
        list("abcXYZ019 .,;:'\"!?-_/\\()[]{}<>|@#$%^&*+=~`\t\n\r")
        + emoji + list(cjk[:20]) + list("éèüßøñçЖжΩωअआक्षि\u0301\u0308ﬁ١٢ⅫſK")
        + ws_chars + ["<|endoftext|>", "'s", "'LL", "'Ve", "  ", "\r\n"]
    )
    for n in (10, 50, 200, 1000, 5000):
        for _ in range(12 if n < 1000 else 4):
            texts.append("".join(rng.choice(pool) for _ in range(n)))
    for _ in range(40):
        k = rng.randint(1, 400)
        texts.append("".join(rng.choice(ws_chars) for _ in range(k)) + rng.choice(["", "a", "1", ".", "😀"]))
    return texts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="crates/journey-text/tests/fixtures/bpe")
    args = ap.parse_args()
    data, out = Path(args.data), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    encs = build(data)

    for name in CORPUS_ENCODINGS:
        enc = encs[name]
        rows = []
        for rel in SOURCES:
            text = (data / rel).read_bytes().decode("utf-8")
            lines = text.split("\n")
            batch = enc.encode_ordinary_batch(lines, num_threads=2)
            whole = hashlib.sha256()
            blocks = []
            total = 0
            for b in range(0, len(batch), BLOCK):
                h = hashlib.sha256()
                for ids in batch[b : b + BLOCK]:
                    raw = line_bytes(ids)
                    h.update(raw)
                    whole.update(raw)
                    total += len(ids)
                blocks.append(h.hexdigest()[:8])
            rows.append(f"source {rel} lines {len(lines)} tokens {total} sha256 {whole.hexdigest()}")
            for r in range(0, len(blocks), 64):
                rows.append("".join(blocks[r : r + 64]))
        for rel in DOCS:
            text = (data / rel).read_bytes().decode("utf-8")
            ids = enc.encode_ordinary(text)
            h = hashlib.sha256(struct.pack(f"<{len(ids)}I", *ids)).hexdigest()
            rows.append(f"doc {rel} tokens {len(ids)} sha256 {h}")
        (out / f"corpus_{name}.txt").write_text("\n".join(rows) + "\n")

    texts = stress_texts()
    stress = {"texts": texts, "encodings": {}}
    for name in ENCODINGS:
        enc = encs[name]
        ordinary = [enc.encode_ordinary(t) for t in texts]
        special = [enc.encode(t, allowed_special="all") for t in texts]
        stress["encodings"][name] = {
            "ordinary": [compact(ids) for ids in ordinary],
            # null where no special token occurs (then equal to "ordinary")
            "all_special": [None if s == o else compact(s) for s, o in zip(special, ordinary)],
        }
        for t in texts:
            assert enc.decode(enc.encode_ordinary(t)) == t
    (out / "stress.json").write_text(json.dumps(stress, ensure_ascii=False, separators=(",", ":")))
    print(f"wrote {out}: {len(texts)} stress texts, {len(SOURCES)} sources x {len(CORPUS_ENCODINGS)} encodings")


if __name__ == "__main__":
    main()
