"""Golden fixture for journey-nn's recurrent layers (RNN, LSTM, GRU).

Pinned: torch==2.5.1 (CPU), safetensors==0.4.5. Run with the torch venv:

    /root/venvs/torch/bin/python tools/reference/recurrent_golden.py

For each cell (RNN tanh, RNN relu, LSTM, GRU) it builds a 2-layer,
bidirectional torch.nn.{RNN,LSTM,GRU} with random weights, runs a padded
batch of sequences of different lengths through pack_padded_sequence
(so padding never reaches the network), and saves the weights, inputs,
outputs, final states and the gradients of a scalar loss
sum(out * r_out) + sum(h_n * r_h) [+ sum(c_n * r_c)] with respect to the
inputs and every weight, into crates/journey-nn/tests/fixtures/recurrent.safetensors.
Keys: "<cell>.<name>" where name is a PyTorch parameter name, x, lengths,
out, h_n, c_n, r_out, r_h, r_c, grad.x, grad.<parameter>.
"""
import os

import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "journey-nn",
                   "tests", "fixtures", "recurrent.safetensors")

BATCH, TIME, INPUT, HIDDEN, LAYERS = 3, 7, 5, 4, 2
LENGTHS = [5, 7, 2]  # unsorted on purpose: enforce_sorted=False


def case(name, module, tensors):
    x = torch.randn(BATCH, TIME, INPUT)
    # padding holds garbage: it must never change the result
    x.requires_grad_(True)
    lengths = torch.tensor(LENGTHS, dtype=torch.int64)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True,
                                                     enforce_sorted=False)
    out_p, state = module(packed)
    out, _ = torch.nn.utils.rnn.pad_packed_sequence(out_p, batch_first=True,
                                                    total_length=TIME)
    if isinstance(state, tuple):
        h_n, c_n = state
    else:
        h_n, c_n = state, None
    r_out = torch.randn_like(out)
    r_h = torch.randn_like(h_n)
    loss = (out * r_out).sum() + (h_n * r_h).sum()
    if c_n is not None:
        r_c = torch.randn_like(c_n)
        loss = loss + (c_n * r_c).sum()
    loss.backward()
    p = name + "."
    tensors[p + "x"] = x.detach()
    tensors[p + "lengths"] = lengths
    tensors[p + "out"] = out.detach()
    tensors[p + "h_n"] = h_n.detach()
    tensors[p + "r_out"] = r_out
    tensors[p + "r_h"] = r_h
    if c_n is not None:
        tensors[p + "c_n"] = c_n.detach()
        tensors[p + "r_c"] = r_c
    tensors[p + "loss"] = loss.detach().reshape(1)
    tensors[p + "grad.x"] = x.grad
    for pname, param in module.named_parameters():
        tensors[p + pname] = param.detach().clone()
        tensors[p + "grad." + pname] = param.grad.clone()


def main():
    torch.manual_seed(7)
    tensors = {}
    kw = dict(num_layers=LAYERS, bidirectional=True, batch_first=True)
    case("rnn_tanh", torch.nn.RNN(INPUT, HIDDEN, nonlinearity="tanh", **kw), tensors)
    case("rnn_relu", torch.nn.RNN(INPUT, HIDDEN, nonlinearity="relu", **kw), tensors)
    case("lstm", torch.nn.LSTM(INPUT, HIDDEN, **kw), tensors)
    case("gru", torch.nn.GRU(INPUT, HIDDEN, **kw), tensors)
    tensors = {k: v.contiguous() for k, v in tensors.items()}
    save_file(tensors, OUT)
    print(f"wrote {len(tensors)} tensors to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
