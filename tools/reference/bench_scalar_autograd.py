"""micrograd side of the scalar-autograd benchmark (Rust twin:
crates/journey-nn/examples/bench_scalar_autograd.rs): MLP 28 -> 16 -> 16 -> 1
(micrograd.nn.MLP, ReLU), hinge loss mean(relu(1 - y*score)), plain SGD on the
first 256 SMS training messages in batches of 32, in order, 1 epoch.

Pinned: micrograd==0.1.0 (pip install into /root/venvs/ref).

    JOURNEY_DATA=/work/shared/data /root/venvs/ref/bin/python \
        tools/reference/bench_scalar_autograd.py
"""

import random
import sys
import time
from pathlib import Path

from micrograd.nn import MLP

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sms_features_spec import features, read_sms, train_split, vocabulary  # noqa: E402

EXAMPLES, BATCH, EPOCHS, LR = 256, 32, 1, 0.05


def load_features():
    train = train_split(read_sms())
    vocab = vocabulary(train)
    xs = [features(t, vocab) for _, t in train[:EXAMPLES]]
    ys = [2.0 * lab - 1.0 for lab, _ in train[:EXAMPLES]]
    return xs, ys


def main():
    xs, ys = load_features()
    random.seed(0)
    model = MLP(len(xs[0]), [16, 16, 1])
    params = model.parameters()
    start = time.perf_counter()
    steps, last = 0, 0.0
    for _ in range(EPOCHS):
        for i in range(0, len(xs), BATCH):
            bx, by = xs[i : i + BATCH], ys[i : i + BATCH]
            scores = [model(x) for x in bx]
            losses = [(1 + -y * s).relu() for y, s in zip(by, scores)]
            loss = sum(losses) * (1.0 / len(losses))
            model.zero_grad()
            loss.backward()
            for p in params:
                p.data -= LR * p.grad
            last = loss.data
            steps += 1
    secs = time.perf_counter() - start
    print(
        f"micrograd 0.1.0: {steps} SGD steps (batch {BATCH}, {len(params)} parameters) "
        f"in {secs:.3f} s = {1e3 * secs / steps:.2f} ms/step; last batch loss {last:.4f}"
    )


if __name__ == "__main__":
    main()
