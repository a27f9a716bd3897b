"""Golden values for journey-nn's optimisers, schedules and gradient
clipping (crates/journey-nn/src/optim/, schedule.rs, clip.rs).

Pinned: torch==2.5.1 (CPU), numpy.

Optimisers: two parameters ("a.weight" 3x4, "b.bias" 5) start from fixed
values and receive a fixed sequence of 10 gradients (numpy seed 0, normal,
scaled); each optimiser setting (torch.optim.SGD / RMSprop / Adam / AdamW,
foreach=False: the single-tensor code path) runs the 10 steps and the
parameters after every step are saved. "b.bias" gets no gradient at step 3
(grad None), to check that a parameter without a gradient is skipped.

Schedules: the learning rate before each optimiser step, from
torch.optim.lr_scheduler (StepLR; LambdaLR with the linear warm-up/decay of
HF transformers' get_linear_schedule_with_warmup and with nanoGPT's
get_lr warm-up + cosine formula).

Clipping: torch.nn.utils.clip_grad_norm_ (returned pre-clip norm and the
clipped gradients) and clip_grad_value_ on the same gradients.

Floats are written as the shortest repr of the f32 value (exact round trip).

Usage: /root/venvs/torch/bin/python tools/reference/optim_golden.py \
          crates/journey-nn/tests/fixtures/optim_golden.json
"""
import json
import math
import sys

import numpy as np
import torch

STEPS = 10
SHAPES = {"a.weight": (3, 4), "b.bias": (5,)}


def f32list(t):
    return [float(x) for x in np.asarray(t, dtype=np.float32).reshape(-1)]


def make_data():
    rng = np.random.default_rng(0)
    init = {n: rng.normal(size=s).astype(np.float32) for n, s in SHAPES.items()}
    grads = []
    for step in range(STEPS):
        g = {}
        for n, s in SHAPES.items():
            if n == "b.bias" and step == 3:
                g[n] = None
            else:
                g[n] = (rng.normal(size=s) * (0.1 + 0.3 * step)).astype(np.float32)
        grads.append(g)
    return init, grads


def run(init, grads, make_opt):
    params = {n: torch.tensor(v.copy(), requires_grad=True) for n, v in init.items()}
    names = sorted(params)
    opt = make_opt([params[n] for n in names])
    after = []
    for g in grads:
        for n in names:
            params[n].grad = None if g[n] is None else torch.tensor(g[n])
        opt.step()
        after.append({n: f32list(params[n].detach().numpy()) for n in names})
    return after


OPTIMISERS = [
    ("sgd", {"lr": 0.1}),
    ("sgd", {"lr": 0.05, "momentum": 0.9}),
    ("sgd", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01}),
    ("sgd", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.05}),
    ("rmsprop", {"lr": 0.01}),
    ("rmsprop", {"lr": 0.01, "alpha": 0.9, "eps": 1e-6, "momentum": 0.5}),
    ("rmsprop", {"lr": 0.005, "centered": True, "weight_decay": 0.02}),
    ("rmsprop", {"lr": 0.005, "centered": True, "momentum": 0.9, "alpha": 0.95}),
    ("adam", {"lr": 0.01}),
    ("adam", {"lr": 0.02, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1}),
    ("adam", {"lr": 0.01, "amsgrad": True}),
    ("adamw", {"lr": 0.01}),
    ("adamw", {"lr": 0.03, "betas": (0.9, 0.95), "weight_decay": 0.1, "amsgrad": True}),
]


def make(kind, kw):
    cls = {"sgd": torch.optim.SGD, "rmsprop": torch.optim.RMSprop,
           "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind]
    return lambda ps: cls(ps, foreach=False, **kw)


def schedules():
    out = []
    base = 0.1

    def lrs(make_sched, n):
        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([p], lr=base)
        sched = make_sched(opt)
        vals = []
        for _ in range(n):
            vals.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        return vals

    out.append({"schedule": {"kind": "constant", "lr": base},
                "lrs": lrs(lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda s: 1.0), 10)})
    out.append({"schedule": {"kind": "step_decay", "lr": base, "step_size": 3, "gamma": 0.5},
                "lrs": lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5), 20)})
    warm, total = 5, 20

    def linear(s):
        if s < warm:
            return s / max(1, warm)
        return max(0.0, (total - s) / max(1, total - warm))

    out.append({"schedule": {"kind": "warmup_linear", "lr": base, "warmup_steps": warm,
                             "total_steps": total},
                "lrs": lrs(lambda o: torch.optim.lr_scheduler.LambdaLR(o, linear), 25)})
    warm_c, decay, min_lr = 5, 20, 0.01

    def cosine(it):  # nanoGPT train.py get_lr, divided by learning_rate
        if it < warm_c:
            lr = base * (it + 1) / (warm_c + 1)
        elif it > decay:
            lr = min_lr
        else:
            ratio = (it - warm_c) / (decay - warm_c)
            coeff = 0.5 * (1.0 + math.cos(math.pi * ratio))
            lr = min_lr + coeff * (base - min_lr)
        return lr / base

    out.append({"schedule": {"kind": "warmup_cosine", "lr": base, "warmup_steps": warm_c,
                             "decay_steps": decay, "min_lr": min_lr},
                "lrs": lrs(lambda o: torch.optim.lr_scheduler.LambdaLR(o, cosine), 25)})
    return out


def clipping(grads):
    cases = []
    for step in (0, 4, 9):
        for max_norm in (0.5, 100.0):
            ts = [torch.tensor(grads[step][n]) for n in sorted(SHAPES)]
            ps = [torch.nn.Parameter(torch.zeros_like(t)) for t in ts]
            for p, t in zip(ps, ts):
                p.grad = t.clone()
            norm = torch.nn.utils.clip_grad_norm_(ps, max_norm, foreach=False)
            cases.append({"step": step, "max_norm": max_norm, "norm": float(norm),
                          "grads": {n: f32list(p.grad.numpy()) for n, p in zip(sorted(SHAPES), ps)}})
        ps = [torch.nn.Parameter(torch.zeros_like(t)) for t in ts]
        for p, t in zip(ps, ts):
            p.grad = t.clone()
        torch.nn.utils.clip_grad_value_(ps, 0.3, foreach=False)
        cases.append({"step": step, "clip_value": 0.3,
                      "grads": {n: f32list(p.grad.numpy()) for n, p in zip(sorted(SHAPES), ps)}})
    return cases


def main():
    out_path = sys.argv[1]
    torch.set_num_threads(1)
    init, grads = make_data()
    cases = []
    for kind, kw in OPTIMISERS:
        after = run(init, grads, make(kind, kw))
        settings = dict(kw)
        if "betas" in settings:
            settings["beta1"], settings["beta2"] = settings.pop("betas")
        cases.append({"optimizer": kind, "settings": settings, "after": after})
    doc = {
        "torch": torch.__version__,
        "shapes": {n: list(s) for n, s in SHAPES.items()},
        "init": {n: f32list(v) for n, v in init.items()},
        "grads": [{n: (None if g[n] is None else f32list(g[n])) for n in SHAPES} for g in grads],
        "optimizers": cases,
        "schedules": schedules(),
        "clipping": clipping(grads),
    }
    with open(out_path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
