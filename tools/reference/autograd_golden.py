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
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sms_features_spec import features, read_sms, train_split, vocabulary  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "crates/journey-nn/tests/fixtures/autograd_golden.json"

HIDDEN = [8, 8]
BATCH_LINES = 16


def sms_section():
    rows = read_sms()
    train = train_split(rows)
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
