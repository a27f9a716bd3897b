"""Golden BLEU scores from sacrebleu for `crates/journey-ml/tests/bleu.rs`.

Pinned: sacrebleu==2.5.1 (in /root/venvs/ref).

    source /root/venvs/ref/bin/activate
    JOURNEY_DATA=/work/shared/data python tools/reference/bleu_golden.py

Real data: the Multi30k test split (1,000 pairs). The German side is the
reference; the hypothesis sets are made from it deterministically, so the
Rust test rebuilds them from the same files without any corpus text in the
fixture:

* `ref`       the references themselves (BLEU 100),
* `src`       the English source copied (a few shared names and numbers),
* `shift`     the reference of the next line (German, wrong sentence),
* `noise_P_S` the reference with each word dropped with probability P, then
              each adjacent pair swapped with probability P/2, drawn from
              splitmix64 seeded with S (uniform = top 53 bits / 2**53), one
              generator per set consumed line after line; words are
              `str.split()` pieces joined by one space.

Multi-reference sets add a noisy copy of the reference as a second stream.
The fixture holds the corpus statistics and score for each set under several
configurations (tokenizer, case, smoothing, effective order), the printed
score line, sentence-level scores, and the 13a/intl tokenization of a few
hand-written edge cases.
"""

import json
import os
import sys

import sacrebleu
from sacrebleu.metrics import BLEU

assert sacrebleu.__version__ == "2.5.1", sacrebleu.__version__

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next_u64() >> 11) / float(1 << 53)


def noisy(lines, p, seed):
    rng = SplitMix64(seed)
    out = []
    for line in lines:
        words = [w for w in line.split() if rng.uniform() >= p]
        for i in range(len(words) - 1):
            if rng.uniform() < p / 2:
                words[i], words[i + 1] = words[i + 1], words[i]
        out.append(" ".join(words))
    return out


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")[:-1]


def make(spec, ref, src):
    kind = spec["kind"]
    if kind == "ref":
        return ref
    if kind == "src":
        return src
    if kind == "shift":
        return ref[1:] + ref[:1]
    if kind == "noise":
        return noisy(ref, spec["p"], spec["seed"])
    raise ValueError(kind)


def score_dict(s, metric):
    return {
        "score": s.score,
        "counts": [float(c) for c in s.counts],
        "totals": [float(t) for t in s.totals],
        "precisions": s.precisions,
        "bp": s.bp,
        "sys_len": s.sys_len,
        "ref_len": s.ref_len,
        "signature": str(metric.get_signature()),
        "format": s.format(signature=str(metric.get_signature())),
    }


def main():
    data = os.environ.get("JOURNEY_DATA")
    if not data:
        sys.exit("set JOURNEY_DATA")
    ref = read_lines(os.path.join(data, "eval/parallel/multi30k/test.de"))
    src = read_lines(os.path.join(data, "eval/parallel/multi30k/test.en"))
    assert len(ref) == len(src) == 1000

    systems = [
        {"name": "ref", "hyp": {"kind": "ref"}, "refs": [{"kind": "ref"}]},
        {"name": "src", "hyp": {"kind": "src"}, "refs": [{"kind": "ref"}]},
        {"name": "shift", "hyp": {"kind": "shift"}, "refs": [{"kind": "ref"}]},
    ]
    for p, seed in [(0.05, 1), (0.15, 2), (0.3, 3), (0.6, 4), (0.9, 5)]:
        systems.append({
            "name": f"noise_{p}_{seed}",
            "hyp": {"kind": "noise", "p": p, "seed": seed},
            "refs": [{"kind": "ref"}],
        })
    systems.append({
        "name": "multi_ref_noise_0.3",
        "hyp": {"kind": "noise", "p": 0.3, "seed": 3},
        "refs": [{"kind": "ref"}, {"kind": "noise", "p": 0.2, "seed": 11}],
    })
    systems.append({
        "name": "multi_ref_src",
        "hyp": {"kind": "src"},
        "refs": [{"kind": "ref"}, {"kind": "shift"}, {"kind": "noise", "p": 0.5, "seed": 12}],
    })

    configs = [
        {"tokenize": "13a", "lowercase": False, "smooth_method": "exp", "smooth_value": None, "effective_order": False},
        {"tokenize": "13a", "lowercase": True, "smooth_method": "exp", "smooth_value": None, "effective_order": False},
        {"tokenize": "none", "lowercase": False, "smooth_method": "exp", "smooth_value": None, "effective_order": False},
        {"tokenize": "intl", "lowercase": False, "smooth_method": "exp", "smooth_value": None, "effective_order": False},
        {"tokenize": "13a", "lowercase": False, "smooth_method": "floor", "smooth_value": None, "effective_order": False},
        {"tokenize": "13a", "lowercase": False, "smooth_method": "floor", "smooth_value": 0.3, "effective_order": True},
        {"tokenize": "13a", "lowercase": False, "smooth_method": "add-k", "smooth_value": None, "effective_order": False},
        {"tokenize": "13a", "lowercase": False, "smooth_method": "add-k", "smooth_value": 2, "effective_order": False},
        {"tokenize": "13a", "lowercase": False, "smooth_method": "none", "smooth_value": None, "effective_order": False},
    ]

    corpus = []
    sentence = []
    for system in systems:
        hyp = make(system["hyp"], ref, src)
        refs = [make(r, ref, src) for r in system["refs"]]
        for cfg in configs:
            metric = BLEU(**cfg)
            s = metric.corpus_score(hyp, refs)
            corpus.append({"system": system["name"], "config": cfg, **score_dict(s, metric)})
        # Sentence BLEU: every line for the default sentence configuration
        # of two sets, the first 200 lines otherwise.
        full = 1000 if system["name"] in ("noise_0.3_3", "multi_ref_noise_0.3") else 200
        for cfg, n in [
            ({"smooth_method": "exp", "smooth_value": None, "effective_order": True}, full),
            ({"smooth_method": "exp", "smooth_value": None, "effective_order": False}, 200),
            ({"smooth_method": "floor", "smooth_value": None, "effective_order": True}, 200),
            ({"smooth_method": "add-k", "smooth_value": None, "effective_order": True}, 200),
            ({"smooth_method": "none", "smooth_value": None, "effective_order": True}, 200),
        ]:
            if system["name"] not in ("src", "noise_0.3_3", "noise_0.9_5", "multi_ref_noise_0.3"):
                continue
            metric = BLEU(tokenize="13a", **cfg)
            scores = [
                metric.sentence_score(hyp[i], [r[i] for r in refs]).score for i in range(n)
            ]
            sentence.append({"system": system["name"], "config": {"tokenize": "13a", "lowercase": False, **cfg}, "scores": scores})

    cases = [
        "Hello, world!",
        "It costs $3,000.50 (approx.) -- or 2-3 euros.",
        "a.b,c 1.5 1,5 x.5 5.x end.",
        "&quot;quoted&quot; &amp; &lt;tag&gt; <skipped> word",
        "hyphen-\nated\nlines",
        "über-groß: «Zitat» — „deutsch“ 12-jährige 3.",
        "tabs\tand  spaces\u00a0nbsp ... ,, ..",
        "{braces}[brackets]~tilde^caret_under`back|pipe\\slash/",
        "1990s-2000s 5-. .5 ,5 5, -5",
        "emoji 😀 and ¿qué? ¡sí! 10% €5",
        "",
        "   ",
    ]
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
    from sacrebleu.tokenizers.tokenizer_intl import TokenizerV14International
    t13a, tintl = Tokenizer13a(), TokenizerV14International()
    tokenizer_cases = [
        {"input": c, "13a": t13a(c), "intl": tintl(c)} for c in cases
    ]

    out = {
        "sacrebleu": sacrebleu.__version__,
        "ref": "eval/parallel/multi30k/test.de",
        "src": "eval/parallel/multi30k/test.en",
        "systems": systems,
        "corpus": corpus,
        "sentence": sentence,
        "tokenizer_cases": tokenizer_cases,
    }
    path = os.path.join(os.path.dirname(__file__), "../../crates/journey-ml/tests/fixtures/bleu_sacrebleu.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {os.path.normpath(path)}: {len(corpus)} corpus scores, "
          f"{sum(len(s['scores']) for s in sentence)} sentence scores")
    for c in corpus:
        if c["config"]["tokenize"] == "13a" and c["config"]["smooth_method"] == "exp" and not c["config"]["lowercase"]:
            print(c["system"], c["format"])


if __name__ == "__main__":
    main()
