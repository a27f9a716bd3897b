"""Reference side of crates/journey-nn/examples/bench_optim.rs: optimiser
step speed in torch on the same 4,128,768 parameters and fixed gradients.

Pinned: torch==2.5.1 (CPU).

Runs each optimiser in the single-tensor path (foreach=False, the path our
code mirrors), the multi-tensor path (foreach=True) and, for Adam/AdamW,
fused=True; 3 warm-up steps then --steps timed steps; prints one JSON line
with milliseconds per step. Threads: torch's default (all cores) unless
--threads N.

Usage: /root/venvs/torch/bin/python tools/reference/bench_optim.py --steps 100
"""
import argparse
import json
import time

import torch

SHAPES = [
    ("emb.weight", (10_000, 128)),
    ("lstm.weight_ih_l0", (2_048, 128)),
    ("lstm.weight_hh_l0", (2_048, 512)),
    ("lstm.bias", (2_048,)),
    ("out.weight", (3_000, 512)),
]


def fill(n, k):
    i = torch.arange(n, dtype=torch.float32)
    return (torch.frac(i * 0.618034 + k) - 0.5) * 0.1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    total = sum(torch.Size(s).numel() for _, s in SHAPES)
    out = {"params": total, "threads": torch.get_num_threads()}
    kinds = [
        ("sgd_momentum", torch.optim.SGD, {"lr": 0.01, "momentum": 0.9}),
        ("rmsprop", torch.optim.RMSprop, {}),
        ("adam", torch.optim.Adam, {}),
        ("adamw", torch.optim.AdamW, {}),
    ]
    for name, cls, kw in kinds:
        for path, extra in [("single", {"foreach": False}), ("foreach", {"foreach": True}),
                            ("fused", {"fused": True})]:
            if path == "fused" and name not in ("adam", "adamw"):
                continue
            ps = []
            for _, s in SHAPES:
                p = torch.nn.Parameter(fill(torch.Size(s).numel(), 0.3).reshape(s))
                p.grad = fill(p.numel(), 0.7).reshape(s)
                ps.append(p)
            opt = cls(ps, **kw, **extra)
            with torch.no_grad():
                for _ in range(3):
                    opt.step()
                t = time.perf_counter()
                for _ in range(a.steps):
                    opt.step()
            out[f"{name}_{path}_ms_per_step"] = (time.perf_counter() - t) * 1e3 / a.steps
    print(json.dumps(out))


if __name__ == "__main__":
    main()
