#!/usr/bin/env python3
"""Training-step speed of a bidirectional LSTM classifier with torch.nn.LSTM
on CPU, the reference for crates/journey-nn/examples/bench_lstm.rs.

Pinned versions: torch==2.5.1 (CPU).

Command (from the repository root):
    /root/venvs/torch/bin/python tools/reference/bench_lstm.py --threads 2 --steps 30

Same model and sizes as the Rust example: one bidirectional LSTM layer
(input 50, hidden 128, batch_first), final states of both directions
concatenated -> Linear(256, 2) -> cross-entropy, plain SGD (lr 0.1); batch 64
x time 40, lengths in 20..=40 through pack_padded_sequence (same lengths,
labels and inputs as the Rust example: its LCG is replayed here). One step =
forward + backward + update. Prints one JSON line: median ms per step
(after 3 warm-up steps) and real tokens/s.

On a machine busy with other work, torch's OpenMP threads spin while they
wait and a 2-thread run becomes ~6x slower than a 1-thread one; run it with
OMP_WAIT_POLICY=PASSIVE (as the figures reported for journey-nn were) to
compare compute, not scheduling.
"""

import argparse
import json
import statistics
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--forward-only", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    batch, steps_t, inp, hidden = 64, 40, 50, 128
    lstm = torch.nn.LSTM(inp, hidden, num_layers=1, bidirectional=True, batch_first=True)
    head = torch.nn.Linear(2 * hidden, 2)
    opt = torch.optim.SGD(list(lstm.parameters()) + list(head.parameters()), lr=0.1)
    # the Rust example's generator (64-bit LCG), drawn in the same order, so
    # both sides see the same lengths and labels (inputs: same distribution)
    state = [42]

    def nxt():
        state[0] = (state[0] * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (state[0] >> 40) / float(1 << 24)

    for _ in range(2 * hidden * 2 + 2):  # the head's weights
        nxt()
    xs = torch.tensor([nxt() * 2 - 1 for _ in range(batch * steps_t * inp)]).reshape(
        batch, steps_t, inp)
    lengths = torch.tensor([20 + int(nxt() * 21.0) for _ in range(batch)])
    labels = torch.tensor([int(nxt() * 2.0) for _ in range(batch)])
    tokens = int(lengths.sum())

    def step():
        packed = torch.nn.utils.rnn.pack_padded_sequence(xs, lengths, batch_first=True,
                                                         enforce_sorted=False)
        _, (h_n, _) = lstm(packed)
        feats = h_n.transpose(0, 1).reshape(batch, 2 * hidden)
        loss = torch.nn.functional.cross_entropy(head(feats), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    times = []
    last = 0.0
    for i in range(args.steps + 3):
        t0 = time.perf_counter()
        last = step()
        if i >= 3:
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    fwd_ms = float("nan")
    if args.forward_only:
        ft = []
        with torch.no_grad():
            for _ in range(args.steps):
                t0 = time.perf_counter()
                packed = torch.nn.utils.rnn.pack_padded_sequence(
                    xs, lengths, batch_first=True, enforce_sorted=False)
                lstm(packed)
                ft.append(time.perf_counter() - t0)
        fwd_ms = statistics.median(ft) * 1e3
    print(json.dumps({"impl": "torch", "threads": args.threads, "batch": batch, "time": steps_t,
                      "input": inp, "hidden": hidden, "ms_per_step": round(med * 1e3, 3),
                      "tokens_per_s": round(tokens / med), "forward_ms": round(fwd_ms, 3),
                      "final_loss": round(last, 4), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
