"""Golden fixture for journey-nn's attention (Bahdanau additive, Luong dot
and general).

Pinned: torch==2.5.1 (CPU), safetensors==0.4.5. Run with the torch venv:

    /root/venvs/torch/bin/python tools/reference/attention_golden.py

The equations written in PyTorch: additive e = v^T tanh(W_q q + W_k k),
dot e = q^T k, general e = q^T W k; masked_fill(padding, -inf); softmax over
the source; context = weights @ values. Random queries [B, Tq, Dq], keys
[B, Ts, Dk], values [B, Ts, Dv], source lengths with padding; loss =
sum(context * r_context) + sum(weights * r_weights). Saves, per score
("additive.", "dot.", "general."), the parameters, inputs, context, weights,
r_* and gradients (grad.queries, grad.keys, grad.values, grad.<parameter>)
to crates/journey-nn/tests/fixtures/attention.safetensors.
"""
import os

import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "journey-nn",
                   "tests", "fixtures", "attention.safetensors")
B, TQ, TS, DQ, DK, DV, A = 3, 4, 6, 5, 5, 3, 7
LENGTHS = [6, 3, 1]


def case(score, t):
    params = {}
    if score == "additive":
        params["w_query.weight"] = torch.randn(A, DQ) * 0.5
        params["w_key.weight"] = torch.randn(A, DK) * 0.5
        params["v.weight"] = torch.randn(1, A) * 0.5
    elif score == "general":
        params["w.weight"] = torch.randn(DQ, DK) * 0.5
    for p in params.values():
        p.requires_grad_(True)
    q = torch.randn(B, TQ, DQ, requires_grad=True)
    k = torch.randn(B, TS, DK, requires_grad=True)
    v = torch.randn(B, TS, DV, requires_grad=True)
    if score == "additive":
        e = torch.tanh((q @ params["w_query.weight"].t()).unsqueeze(2)
                       + (k @ params["w_key.weight"].t()).unsqueeze(1))
        scores = (e @ params["v.weight"].t()).squeeze(-1)
    elif score == "dot":
        scores = q @ k.transpose(1, 2)
    else:
        scores = q @ (k @ params["w.weight"].t()).transpose(1, 2)
    lengths = torch.tensor(LENGTHS)
    pad = torch.arange(TS).unsqueeze(0) >= lengths.unsqueeze(1)  # [B, Ts]
    scores = scores.masked_fill(pad.unsqueeze(1), float("-inf"))
    w = torch.softmax(scores, dim=-1)
    ctx = w @ v
    r_c = torch.randn_like(ctx)
    r_w = torch.randn_like(w)
    loss = (ctx * r_c).sum() + (w * r_w).sum()
    loss.backward()
    p = score + "."
    t[p + "queries"] = q.detach()
    t[p + "keys"] = k.detach()
    t[p + "values"] = v.detach()
    t[p + "lengths"] = lengths.to(torch.int64)
    t[p + "context"] = ctx.detach()
    t[p + "weights"] = w.detach()
    t[p + "r_context"] = r_c
    t[p + "r_weights"] = r_w
    t[p + "grad.queries"] = q.grad
    t[p + "grad.keys"] = k.grad
    t[p + "grad.values"] = v.grad
    for name, prm in params.items():
        t[p + name] = prm.detach().clone()
        t[p + "grad." + name] = prm.grad.clone()


def main():
    torch.manual_seed(5)
    t = {}
    for score in ["additive", "dot", "general"]:
        case(score, t)
    save_file({k: v.contiguous() for k, v in t.items()}, OUT)
    print(f"wrote {len(t)} tensors to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
