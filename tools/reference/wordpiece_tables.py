#!/usr/bin/env python3
"""Character classes of HF tokenizers' BERT normaliser and pre-tokenizer,
written as Rust range tables (crates/journey-text/src/bert_tables.rs).

Pinned versions: Python 3.11, tokenizers==0.23.3.

Command (from the repository root):
    /root/venvs/ref/bin/python tools/reference/wordpiece_tables.py > crates/journey-text/src/bert_tables.rs

Why a generated table: HF decides "control", "punctuation" and "non-spacing
mark" with the `unicode_categories` crate, whose Unicode version is not the
one of Rust's std or of Python's `unicodedata`. Probing the reference on every
code point gives exactly its classes, so our tokenizer agrees with it on every
character, not only on the ones a corpus happens to contain.
"""

from tokenizers import normalizers, pre_tokenizers

CLEAN = normalizers.BertNormalizer(
    clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False
)
STRIP = normalizers.BertNormalizer(
    clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False
)
CJK = normalizers.BertNormalizer(
    clean_text=False, handle_chinese_chars=True, strip_accents=False, lowercase=False
)
NFD = normalizers.NFD()
PRE = pre_tokenizers.BertPreTokenizer()


def code_points():
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue  # surrogates are not chars in Rust
        yield cp


def ranges(members):
    out = []
    for cp in members:
        if out and out[-1][1] + 1 == cp:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def emit(name, doc, members):
    rs = ranges(members)
    print(f"/// {doc}")
    print(f"pub(crate) const {name}: &[(u32, u32)] = &[")
    line = "   "
    for a, b in rs:
        item = f" (0x{a:X}, 0x{b:X}),"
        if len(line) + len(item) > 99:
            print(line)
            line = "   "
        line += item
    print(line)
    print("];\n")


def main():
    removed, marks, cjk, punct, decomposes = [], [], [], [], []
    for cp in code_points():
        c = chr(cp)
        if CLEAN.normalize_str(c) == "":
            removed.append(cp)
        if NFD.normalize_str(c) != c:
            decomposes.append(cp)
        elif STRIP.normalize_str(c) == "":
            marks.append(cp)
        if CJK.normalize_str(c) == f" {c} ":
            cjk.append(cp)
        if not c.isspace() and len(PRE.pre_tokenize_str(f"a{c}a")) == 3:
            punct.append(cp)
    print("//! Character classes of the BERT normaliser and pre-tokenizer, probed from")
    print("//! HF tokenizers 0.23.3 on every code point by")
    print("//! `tools/reference/wordpiece_tables.py` (generated: do not edit by hand).")
    print("//! Sorted, disjoint, inclusive ranges; look-up is a binary search.\n")
    emit("REMOVED", "Dropped by `clean_text`: NUL, U+FFFD and HF's control characters (Cc, Cf, Co, Cn but tab, LF, CR).", removed)
    emit("NONSPACING_MARKS", "Non-spacing marks (Mn), dropped by `strip_accents` after NFD.", marks)
    emit("DECOMPOSES", "Characters HF's NFD changes (its Unicode version, not unicode-normalization's).", decomposes)
    emit("CJK", "CJK ideographs that `handle_chinese_chars` pads with spaces.", cjk)
    emit("PUNCTUATION", "Isolated by the BERT pre-tokenizer: ASCII 33-47, 58-64, 91-96, 123-126 and Unicode P*.", punct)


if __name__ == "__main__":
    main()
