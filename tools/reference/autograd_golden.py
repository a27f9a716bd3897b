"""Golden values for journey-nn's backprop-from-first-principles tests.

Writes crates/journey-nn/tests/fixtures/autograd_golden.json:

- `sms`: the SMS spam features of a batch of 16 messages (our own featuriser,
  written again here from its specification), the weights of a small MLP
  (torch.nn.Linear's default init, seed 0), and PyTorch's loss and gradients
  (float64) for mean binary cross-entropy with logits on that batch;
- `activations`: sigmoid, tanh, ReLU, GELU (erf and tanh forms) and SiLU and
  their derivatives by torch.autograd (float64) at 49 points, plus math.erf;
- `init`: torch.nn.init.calculate_gain for each nonlinearity and torch's
  fan_in / fan_out for a few shapes.

Pinned: torch==2.5.1 (run with /root/venvs/torch/bin/python), numpy.

    JOURNEY_DATA=/work/shared/data /root/venvs/torch/bin/python \
        tools/reference/autograd_golden.py
"""

import json
import math
import os
import re
import sys
from collections import Counter
from pathlib import Path

import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "crates/journey-nn/tests/fixtures/autograd_golden.json"
DATA = Path(os.environ.get("JOURNEY_DATA", "../shared/data"))

VOCAB_SIZE = 24
HIDDEN = [8, 8]
BATCH_LINES = 16


def read_sms():
    """(label, text) per line of sms.tsv; split at the first tab."""
    text = (DATA / "classification/sms_spam/sms.tsv").read_bytes().decode("utf-8")
    rows = []
    for line in text.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        if not line:
            continue
        label, body = line.split("\t", 1)
        rows.append((1.0 if label == "spam" else 0.0, body))
    return rows


def tokens(text):
    return [t.lower() for t in re.findall(r"[A-Za-z0-9]+", text)]


def stop_words():
    path = DATA / "lexicons/stopwords_nltk_english.txt"
    return {w.strip() for w in path.read_text().split("\n") if w.strip()}


def vocabulary(train):
    """The VOCAB_SIZE tokens in most training messages, stop words left out,
    ties broken by the token."""
    stops = stop_words()
    df = Counter()
    for _, text in train:
        df.update({t for t in tokens(text) if t not in stops})
    ranked = sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))
    return [t for t, _ in ranked[:VOCAB_SIZE]]


def features(text, vocab):
    n = len(text)
    digits = sum(1 for c in text if "0" <= c <= "9")
    upper = sum(1 for c in text if "A" <= c <= "Z")
    toks = set(tokens(text))
    return [
        n / 100.0,
        5.0 * digits / max(n, 1),
        5.0 * upper / max(n, 1),
        min(text.count("!"), 3) / 3.0,
    ] + [1.0 if w in toks else 0.0 for w in vocab]


def sms_section():
    rows = read_sms()
    train = [r for i, r in enumerate(rows) if i % 5 != 4]
    vocab = vocabulary(train)
    batch = train[:BATCH_LINES]
    x = torch.tensor([features(t, vocab) for _, t in batch], dtype=torch.float64)
    y = torch.tensor([[lab] for lab, _ in batch], dtype=torch.float64)
    sizes = [x.shape[1]] + HIDDEN + [1]
    torch.manual_seed(0)
    layers = torch.nn.ModuleList(
        torch.nn.Linear(a, b, dtype=torch.float64) for a, b in zip(sizes, sizes[1:])
    )
    h = x
    for i, layer in enumerate(layers):
        h = layer(h)
        if i + 1 < len(layers):
            h = torch.tanh(h)
    loss = F.binary_cross_entropy_with_logits(h, y)
    loss.backward()
    params, grads = {}, {}
    for i, layer in enumerate(layers):
        for name in ("weight", "bias"):
            p = getattr(layer, name)
            params[f"layers.{i}.{name}"] = p.detach().tolist()
            grads[f"layers.{i}.{name}"] = p.grad.tolist()
    return {
        "vocab": vocab,
        "batch_train_index": list(range(BATCH_LINES)),
        "x": x.tolist(),
        "y": [v[0] for v in y.tolist()],
        "sizes": sizes,
        "hidden_activation": "tanh",
        "params": params,
        "loss": loss.item(),
        "grads": grads,
    }


def activation_section():
    points = [i * 0.25 for i in range(-24, 25)]
    fns = {
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "gelu": lambda t: F.gelu(t, approximate="none"),
        "gelu_tanh": lambda t: F.gelu(t, approximate="tanh"),
        "silu": F.silu,
    }
    out = {"x": points, "erf": [math.erf(p) for p in points]}
    for name, fn in fns.items():
        x = torch.tensor(points, dtype=torch.float64, requires_grad=True)
        y = fn(x)
        (g,) = torch.autograd.grad(y.sum(), x)
        out[name] = {"value": y.detach().tolist(), "grad": g.tolist()}
    return out


def init_section():
    gain = torch.nn.init.calculate_gain
    gains = {
        "linear": gain("linear"),
        "conv1d": gain("conv1d"),
        "sigmoid": gain("sigmoid"),
        "tanh": gain("tanh"),
        "relu": gain("relu"),
        "leaky_relu": gain("leaky_relu"),
        "leaky_relu_0.2": gain("leaky_relu", 0.2),
        "selu": gain("selu"),
    }
    fans = []
    for shape in ([64, 32], [16, 8, 3, 5], [10, 3, 7]):
        fi, fo = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
        fans.append({"shape": shape, "fan_in": fi, "fan_out": fo})
    return {"gains": gains, "fans": fans}


def main():
    if torch.__version__.split("+")[0] != "2.5.1":
        print(f"warning: written for torch 2.5.1, running {torch.__version__}", file=sys.stderr)
    golden = {
        "torch": torch.__version__,
        "sms": sms_section(),
        "activations": activation_section(),
        "init": init_section(),
    }
    OUT.write_text(json.dumps(golden, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes); vocab {golden['sms']['vocab']}")


if __name__ == "__main__":
    main()
