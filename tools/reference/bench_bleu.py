"""sacreBLEU side of `crates/journey-ml/examples/bench_bleu.rs`: corpus BLEU
(13a) of the Multi30k training split against a noisy copy of itself.

Pinned: sacrebleu==2.5.1 (in /root/venvs/ref).

    JOURNEY_DATA=/work/shared/data /root/venvs/ref/bin/python tools/reference/bench_bleu.py

Median of 5 runs after a warm-up; a new BLEU object each run, so the
tokenizer's per-instance cache does not carry over.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import sacrebleu  # noqa: E402
from sacrebleu.metrics import BLEU  # noqa: E402

from bleu_golden import noisy, read_lines  # noqa: E402

assert sacrebleu.__version__ == "2.5.1"


def main():
    refs = read_lines(os.path.join(os.environ["JOURNEY_DATA"], "eval/parallel/multi30k/train.de"))
    hyps = noisy(refs, 0.3, 3)
    BLEU().corpus_score(hyps, [refs])
    times = []
    for _ in range(5):
        t = time.perf_counter()
        metric = BLEU()
        score = metric.corpus_score(hyps, [refs])
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    print(score.format(signature=str(metric.get_signature())))
    print(f"corpus BLEU, {len(hyps)} segments: {times[2]:.1f} ms (median of 5)")


if __name__ == "__main__":
    main()
