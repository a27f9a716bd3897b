"""PyTorch side of `crates/journey-nn/examples/bench_fused.rs`: forward and
forward+backward time of layer norm, cross-entropy, GELU and causal
attention at the same sizes.

Pinned: torch==2.5.1 (CPU).

    RAYON_NUM_THREADS=2 cargo run --release -p journey-nn --example bench_fused
    /root/venvs/torch/bin/python tools/reference/bench_fused.py --threads 2

Median of --iters runs after one warm-up; backward of (y * r).sum() as the
Rust side does.
"""

import argparse
import time

import torch
import torch.nn.functional as F

assert torch.__version__.startswith("2.5.1"), torch.__version__


def median_ms(iters, f):
    f()
    times = []
    for _ in range(iters):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return times[len(times) // 2]


def report(name, fwd, both):
    print(f"{name:<34} forward {fwd:8.2f} ms   fwd+bwd {both:8.2f} ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, threads: {torch.get_num_threads()}, iters: {args.iters} (median)")
    g = torch.Generator().manual_seed(1)

    rows, d = 8192, 768
    x = (torch.rand(rows, d, generator=g) * 4 - 2).requires_grad_()
    w = (torch.rand(d, generator=g) * 4 - 2).requires_grad_()
    b = (torch.rand(d, generator=g) * 4 - 2).requires_grad_()
    r = torch.rand(rows, d, generator=g) * 4 - 2

    def ln_fwd():
        with torch.no_grad():
            F.layer_norm(x, (d,), w, b, 1e-5)

    def ln_both():
        (F.layer_norm(x, (d,), w, b, 1e-5) * r).sum().backward()

    report("layer_norm [8192, 768]", median_ms(args.iters, ln_fwd), median_ms(args.iters, ln_both))

    n, c = 2048, 8192
    z = (torch.rand(n, c, generator=g) * 4 - 2).requires_grad_()
    t = torch.randint(0, c, (n,), generator=g)

    def ce_fwd():
        with torch.no_grad():
            F.cross_entropy(z, t)

    def ce_both():
        F.cross_entropy(z, t).backward()

    report("cross_entropy [2048, 8192]", median_ms(args.iters, ce_fwd), median_ms(args.iters, ce_both))

    x = (torch.rand(4096, 3072, generator=g) * 4 - 2).requires_grad_()
    r = torch.rand(4096, 3072, generator=g) * 4 - 2
    for label, approx in [("gelu erf [4096, 3072]", "none"), ("gelu tanh [4096, 3072]", "tanh")]:
        def g_fwd():
            with torch.no_grad():
                F.gelu(x, approximate=approx)

        def g_both():
            (F.gelu(x, approximate=approx) * r).sum().backward()

        report(label, median_ms(args.iters, g_fwd), median_ms(args.iters, g_both))

    h, t, dh = 16, 512, 64
    q, k, v = ((torch.rand(h, t, dh, generator=g) * 4 - 2).requires_grad_() for _ in range(3))
    r = torch.rand(h, t, dh, generator=g) * 4 - 2

    def a_fwd():
        with torch.no_grad():
            F.scaled_dot_product_attention(q, k, v, is_causal=True)

    def a_both():
        (F.scaled_dot_product_attention(q, k, v, is_causal=True) * r).sum().backward()

    report("causal_attention [16, 512, 64]", median_ms(args.iters, a_fwd), median_ms(args.iters, a_both))


if __name__ == "__main__":
    main()
