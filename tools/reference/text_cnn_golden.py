"""Golden fixture for journey-nn's text CNN (Kim 2014).

Pinned: torch==2.5.1 (CPU), safetensors==0.4.5. Run with the torch venv:

    /root/venvs/torch/bin/python tools/reference/text_cnn_golden.py

Random nn.Conv1d filters (widths 2, 3, 4) and nn.Linear head; a padded batch
of word vectors with different lengths (one shorter than the widest filter).
The reference runs each sequence on its own, unpadded (zero-padded up to the
filter width when shorter): Conv1d -> ReLU -> max over time -> concat ->
Linear. Saves weights (convs.{i}.weight/bias, fc.weight/bias), x, lengths,
features, logits, r (loss = sum(logits * r)) and gradients (grad.x,
grad.<parameter>) to crates/journey-nn/tests/fixtures/text_cnn.safetensors.
"""
import os

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "journey-nn",
                   "tests", "fixtures", "text_cnn.safetensors")
B, T, E, N, C = 4, 7, 6, 3, 3
WIDTHS = [2, 3, 4]
LENGTHS = [7, 4, 2, 5]


def main():
    torch.manual_seed(11)
    convs = torch.nn.ModuleList([torch.nn.Conv1d(E, N, k) for k in WIDTHS])
    fc = torch.nn.Linear(N * len(WIDTHS), C)
    x = torch.randn(B, T, E, requires_grad=True)
    feats = []
    for b, n in enumerate(LENGTHS):
        xb = x[b, :n].t().unsqueeze(0)  # [1, E, n]
        pooled = []
        for k, conv in zip(WIDTHS, convs):
            xk = F.pad(xb, (0, max(k - n, 0)))
            pooled.append(torch.relu(conv(xk)).max(dim=2).values)  # [1, N]
        feats.append(torch.cat(pooled, dim=1))
    feats = torch.cat(feats, dim=0)
    logits = fc(feats)
    r = torch.randn_like(logits)
    loss = (logits * r).sum()
    loss.backward()
    t = {"x": x.detach(), "lengths": torch.tensor(LENGTHS, dtype=torch.int64),
         "features": feats.detach(), "logits": logits.detach(), "r": r,
         "grad.x": x.grad}
    named = [(f"convs.{i}.{n}", p) for i, c in enumerate(convs) for n, p in c.named_parameters()]
    named += [(f"fc.{n}", p) for n, p in fc.named_parameters()]
    for name, p in named:
        t[name] = p.detach().clone()
        t["grad." + name] = p.grad.clone()
    save_file({k: v.contiguous() for k, v in t.items()}, OUT)
    print(f"wrote {len(t)} tensors to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
