"""Training-step speed of a character LSTM language model in PyTorch, the
counterpart of crates/journey-nn/examples/bench_char_lm.rs.

Pinned: torch==2.5.1 (CPU), run with /root/venvs/torch/bin/python.

    OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 /root/venvs/torch/bin/python tools/reference/bench_char_lm.py \
        --data /work/shared/data/corpora/tinyshakespeare/input.txt --threads 2 --steps 30

Same network and data as the Rust side: vocabulary = unk + sorted characters
of the first 90% of Tiny Shakespeare (66), embedding 64, 2-layer LSTM hidden
256, linear 256 -> 66; 32 contiguous streams x window 64, hidden state carried
and detached; Adam lr 2e-3. One step = forward + cross-entropy + backward +
update. Prints one JSON line: median ms per step after 3 warm-up steps.

On a loaded machine torch's OpenMP threads spin while they wait (a 2-thread
step measured 9 s instead of ~1 s with load average 11): use
OMP_WAIT_POLICY=PASSIVE, as bench_lstm.py does, to compare compute.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--data", default="../shared/data/corpora/tinyshakespeare/input.txt")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--steps", type=int, default=30)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)

text = open(a.data, encoding="utf-8").read()
train = text[: int(len(text) * 0.9)]
chars = sorted(set(train))
index = {c: i + 1 for i, c in enumerate(chars)}
ids = torch.tensor([index.get(c, 0) for c in train], dtype=torch.long)
B, T, V = 32, 64, len(chars) + 1
L = len(ids) // B
streams = ids[: B * L].view(B, L)
windows = (L - 1) // T


class CharLm(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(V, 64)
        self.lstm = nn.LSTM(64, 256, num_layers=2, batch_first=True)
        self.head = nn.Linear(256, V)

    def forward(self, x, state):
        out, state = self.lstm(self.embedding(x), state)
        return self.head(out), state


model = CharLm()
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
state = None
times = []
loss = None
for k in range(a.steps + 3):
    t0 = time.perf_counter()
    w = k % windows
    x = streams[:, w * T : (w + 1) * T]
    y = streams[:, w * T + 1 : (w + 1) * T + 1]
    logits, state = model(x, state)
    state = tuple(s.detach() for s in state)
    loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    if k >= 3:
        times.append(time.perf_counter() - t0)
times.sort()
median = times[len(times) // 2]
print(json.dumps({
    "impl": "torch",
    "version": torch.__version__,
    "threads": a.threads,
    "steps": a.steps,
    "ms_per_step": round(median * 1e3, 2),
    "tokens_per_s": round(B * T / median),
    "last_loss": round(loss.item(), 4),
}))
