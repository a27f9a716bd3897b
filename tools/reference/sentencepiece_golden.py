#!/usr/bin/env python3
"""Golden outputs of the sentencepiece package on real lines and a stress set.

For three models in $DATA/tokenizers/sentencepiece/ (toy-unigram-1k,
opennmt-unigram-1k: Unigram; llama2-bpe-32k: BPE with byte fallback) this
records what `SentencePieceProcessor.encode(line)` and `decode(ids)` give.
The corpora are not ours to commit, so for real lines it writes only, per
line and model, the number of ids and a 64-bit hash of them, plus a hash of
decode(encode(line)) when that differs from the line. The Rust test
(crates/journey-text/tests/sentencepiece.rs) reads the same lines from
$JOURNEY_DATA and compares. The synthetic stress set (below) is committed in
full, with ids, pieces and byte spans.

Pinned: Python 3.11.7, sentencepiece 0.2.3 (no protobuf package needed: the
byte spans come from EncodeAsSerializedProto, decoded by hand below).
Command (from the repository root):

    /root/venvs/ref/bin/python tools/reference/sentencepiece_golden.py \\
        --data /work/shared/data --out crates/journey-text/tests/fixtures/sentencepiece

Outputs:

* `<source>.tsv`: `# comments`, `@ <file relative to the data folder>`, then
  `<key>\\t<model 1>\\t<model 2>\\t<model 3>` with, per model,
  `<count>:<fnv64 of ids>` or `<count>:<fnv64 of ids>:<fnv64 of decoded>`.
  `key` is the 1-based line number, or `line:field` for AG News CSV fields.
  FNV-1a 64 runs over the ids as 4-byte little-endian integers, and over the
  decoded text's UTF-8 bytes; both as 16 hex digits.
* `samples.jsonl`: for the first few lines of each source, the full ids and
  pieces per model (keyed, no text).
* `stress.jsonl`: {"text", "<model>": {"ids", "pieces", "spans", "decoded"}}.

Lines: the file's bytes split at "\\n", one trailing "\\r" removed, no empty
last line after a final newline, decoded as UTF-8.
"""

import argparse
import csv
import io
import json
import os

import sentencepiece as spm

MODELS = ["toy-unigram-1k", "opennmt-unigram-1k", "llama2-bpe-32k"]
SAMPLES_PER_SOURCE = 3


def fnv64(data: bytes) -> str:
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def ids_hash(ids):
    return fnv64(b"".join(i.to_bytes(4, "little") for i in ids))


def read_lines(path):
    text = open(path, "rb").read().decode("utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def field_after_tabs(n, skip_header=False):
    def units(path):
        for i, line in enumerate(read_lines(path), 1):
            if skip_header and i == 1:
                continue
            parts = line.split("\t", n)
            if len(parts) > n:
                yield str(i), parts[n]

    return units


def ag_news(rows_wanted):
    def units(path):
        rows = csv.reader(io.StringIO("\n".join(read_lines(path)) + "\n"))
        for i, row in enumerate(rows, 1):
            if i > rows_wanted:
                break
            yield f"{i}:2", row[1]
            yield f"{i}:3", row[2]

    return units


def every_nth(n):
    def units(path):
        for i, line in enumerate(read_lines(path), 1):
            if (i - 1) % n == 0:
                yield str(i), line

    return units


SOURCES = [
    # (fixture name, file, units, what)
    ("sst2_dev", "classification/sst2/dev.tsv", field_after_tabs(1, True), "all 872 sentences"),
    ("sms_spam", "classification/sms_spam/sms.tsv", field_after_tabs(1), "all 5,574 messages"),
    ("vader_tweets", "sentiment/vader_groundtruth/tweets_GroundTruth.txt", field_after_tabs(2),
     "all 4,200 tweets"),
    ("multi30k_en", "eval/parallel/multi30k/test.en", every_nth(1), "all 1,000 lines"),
    ("multi30k_de", "eval/parallel/multi30k/test.de", every_nth(1), "all 1,000 lines"),
    ("ag_news_test", "classification/ag_news/test.csv", ag_news(1000),
     "title and description of the first 1,000 rows"),
    ("tinyshakespeare", "corpora/tinyshakespeare/input.txt", every_nth(16),
     "every 16th line (1, 17, 33, ...)"),
    ("wikitext2_test", "corpora/wikitext-2/test.txt", every_nth(2), "every 2nd line (1, 3, 5, ...)"),
]

# Synthetic stress cases, committed in full.
STRESS = [
    "", " ", "   ", "\t", "\n", "a", " a", "a ", "  leading and trailing  ",
    "runs    of     spaces", "tab\tseparated\tvalues", "new\nline", "cr\r\nlf",
    "Hello, World!", "HELLO world", "don't won't can't", "e-mail: a.b@example.com",
    "1234567890 3.14159 1,000,000 -42", "ＡＢＣ ａｂｃ １２３ ！？", "ｶﾀｶﾅ ﾊﾝｶｸ", "①②③ ⑴ ⒜",
    "ﬁ ﬂ ﬀ ﬃ", "x² H₂O ½ ¼ ™ ℃ Ⅻ", "café naïve résumé Ærøskøbing", "cafe\u0301 (combining)",
    "Straße ẞ ß", "İstanbul ıi", "Ελληνικά κείμενα", "Русский текст", "עברית", "العربية",
    "日本語のテキスト", "中文文本，标点。", "한국어 텍스트", "ไทย", "हिन्दी",
    "emoji 🙂😀👍🏽 👨‍👩‍👧 🇫🇷", "❤️ ✔︎ ☃", "\u200b zero\u200bwidth \u200d joiner \ufeff bom",
    "control\x01\x02\x7f chars", "nul\x00byte", "\u3000ideographic\u3000space\u3000",
    "\u00a0nbsp\u00a0here", "en\u2002space em\u2003space", "…—–‘’“”«»",
    "<s> </s> <unk> <pad> ▁ ▁▁x", "<0x41> bytes", "a" * 300, "ab " * 100,
    "mixed 日本 English 123 🙂 ｆｕｌｌ", "\U0010ffff private \ue000", "ǅ ǈ ǋ", "K Å Ω",
    "...!!!???", "((([[[{{{}}}]]])))", "#hashtag @mention http://t.co/xyz",
]


def decode_spt(buf):
    """Pieces of a serialised SentencePieceText: (piece, id, begin, end)."""

    def varint(b, i):
        v = s = 0
        while True:
            c = b[i]
            i += 1
            v |= (c & 0x7F) << s
            s += 7
            if c < 0x80:
                return v, i

    def fields(b):
        i = 0
        while i < len(b):
            key, i = varint(b, i)
            f, w = key >> 3, key & 7
            if w == 0:
                v, i = varint(b, i)
            elif w == 2:
                n, i = varint(b, i)
                v, i = b[i:i + n], i + n
            elif w == 5:
                v, i = b[i:i + 4], i + 4
            elif w == 1:
                v, i = b[i:i + 8], i + 8
            else:
                raise ValueError(w)
            yield f, v

    out = []
    for f, v in fields(buf):
        if f == 2:
            d = {1: b"", 2: 0, 4: 0, 5: 0}
            for g, x in fields(v):
                d[g] = x
            out.append((d[1].decode("utf-8"), d[2], d[4], d[5]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    sps = [spm.SentencePieceProcessor(model_file=os.path.join(
        args.data, "tokenizers/sentencepiece", m + ".model")) for m in MODELS]
    samples = []
    for name, rel, units, what in SOURCES:
        rows = []
        for key, text in units(os.path.join(args.data, rel)):
            cols = [key]
            for m, sp in zip(MODELS, sps):
                ids = sp.encode(text)
                col = f"{len(ids)}:{ids_hash(ids)}"
                dec = sp.decode(ids)
                if dec != text:
                    col += ":" + fnv64(dec.encode("utf-8"))
                cols.append(col)
                if len(rows) < SAMPLES_PER_SOURCE:
                    samples.append({"source": name, "file": rel, "key": key, "model": m, "ids": ids,
                                    "pieces": [sp.id_to_piece(i) for i in ids]})
            rows.append(cols)
        with open(os.path.join(args.out, f"{name}.tsv"), "w", encoding="utf-8", newline="\n") as f:
            f.write(f"# sentencepiece 0.2.3 encode/decode, models {' '.join(MODELS)}: {what}; {len(rows)} lines.\n")
            f.write("# Written by tools/reference/sentencepiece_golden.py; <key>\\t(<count>:<fnv64 ids>[:<fnv64 decoded>])x3.\n")
            f.write(f"@ {rel}\n")
            for cols in rows:
                f.write("\t".join(cols) + "\n")
        print(f"{name}: {len(rows)} lines")
    with open(os.path.join(args.out, "samples.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for s in samples:
            f.write(json.dumps(s, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out, "stress.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for text in STRESS:
            row = {"text": text}
            for m, sp in zip(MODELS, sps):
                pieces = decode_spt(sp.encode(text, out_type="serialized_proto"))
                ids = sp.encode(text)
                assert ids == [p[1] for p in pieces], (m, text)
                row[m] = {"ids": ids, "pieces": [p[0] for p in pieces],
                          "spans": [[p[2], p[3]] for p in pieces], "decoded": sp.decode(ids)}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"stress: {len(STRESS)} strings")


if __name__ == "__main__":
    main()
