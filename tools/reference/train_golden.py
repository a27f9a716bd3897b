"""Golden values for journey-nn's training loop on a real loss
(crates/journey-nn/tests/train_parity.rs): softmax regression on binary
bag-of-words of SST-2's first 512 training sentences.

Pinned: torch==2.5.1 (CPU), numpy.

Vocabulary: whitespace tokens seen at least twice in those sentences, sorted
by code point (as the Rust test builds it). Weights start at zero. Batches of
64 in file order, gradients of 2 micro-batches accumulated (each loss / 2,
so the step's gradient is their mean), clip_grad_norm_(0.15), AdamW
(lr 0.05, weight_decay 0.01, foreach=False) with nanoGPT's warm-up + cosine
schedule (warm-up 3, decay 12, min_lr 0.005), 3 epochs = 12 steps.

Saved: the mean micro-batch loss and the pre-clip gradient norm of each
step, and the final weights.

Usage: /root/venvs/torch/bin/python tools/reference/train_golden.py \
          ../shared/data crates/journey-nn/tests/fixtures/train_golden.json
"""
import json
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

N, BATCH, ACCUM, EPOCHS = 512, 64, 2, 3
LR, WD, WARMUP, DECAY, MIN_LR = 0.05, 0.01, 3, 12, 0.005


def get_lr(it):  # nanoGPT train.py
    if it < WARMUP:
        return LR * (it + 1) / (WARMUP + 1)
    if it > DECAY:
        return MIN_LR
    ratio = (it - WARMUP) / (DECAY - WARMUP)
    return MIN_LR + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (LR - MIN_LR)


def main():
    data, out = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)
    rows = []
    with open(f"{data}/classification/sst2/train.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            label, sentence = line.rstrip("\n").split("\t", 1)
            rows.append((int(label), sentence))
            if len(rows) == N:
                break
    counts = {}
    for _, s in rows:
        for w in s.split():
            counts[w] = counts.get(w, 0) + 1
    vocab = {w: i for i, w in enumerate(sorted(w for w, c in counts.items() if c >= 2))}
    x = torch.zeros(N, len(vocab))
    for r, (_, s) in enumerate(rows):
        for w in s.split():
            if w in vocab:
                x[r, vocab[w]] = 1.0
    y = torch.tensor([l for l, _ in rows])
    weight = torch.zeros(2, len(vocab), requires_grad=True)
    bias = torch.zeros(2, requires_grad=True)
    params = [bias, weight]  # sorted by name: fc.bias, fc.weight
    opt = torch.optim.AdamW(params, lr=LR, weight_decay=WD, foreach=False)
    batches = [list(range(i, min(i + BATCH, N))) for i in range(0, N, BATCH)]
    losses, norms, step = [], [], 0
    for _ in range(EPOCHS):
        for i in range(0, len(batches), ACCUM):
            for g in opt.param_groups:
                g["lr"] = get_lr(step)
            opt.zero_grad()
            group = batches[i:i + ACCUM]
            total = 0.0
            for b in group:
                loss = F.cross_entropy(x[b] @ weight.T + bias, y[b])
                total += loss.item()
                (loss / len(group)).backward()
            norms.append(float(torch.nn.utils.clip_grad_norm_(params, 0.15, foreach=False)))
            opt.step()
            losses.append(total / len(group))
            step += 1
    doc = {
        "torch": torch.__version__,
        "vocab_size": len(vocab),
        "losses": losses,
        "grad_norms": norms,
        "weight": [float(v) for v in weight.detach().numpy().astype(np.float32).reshape(-1)],
        "bias": [float(v) for v in bias.detach().numpy().astype(np.float32)],
    }
    with open(out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
