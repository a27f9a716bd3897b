"""Golden values for journey-nn's CRF layer (crates/journey-nn/src/crf_layer.rs).

Reference: pytorch-crf==0.7.2 on torch==2.5.1 (CPU), batch_first=True.
For random emissions, tags, prefix masks and CRF parameters, writes the
per-sequence log-likelihood (reduction='none'), the gradients of their sum
with respect to the emissions and the three parameter tensors, and the
Viterbi paths.

Run:  /root/venvs/torch/bin/python tools/reference/crf_golden.py \
          > crates/journey-nn/tests/fixtures/crf_golden.json
"""
import json

import torch
from torchcrf import CRF

torch.manual_seed(7)


def case(batch, time, tags, lengths):
    crf = CRF(tags, batch_first=True)
    with torch.no_grad():
        for p in (crf.start_transitions, crf.end_transitions, crf.transitions):
            p.copy_(torch.randn_like(p))
    emissions = torch.randn(batch, time, tags, requires_grad=True)
    y = torch.randint(0, tags, (batch, time))
    mask = torch.zeros(batch, time, dtype=torch.bool)
    for b, l in enumerate(lengths):
        mask[b, :l] = True
    llh = crf(emissions, y, mask=mask, reduction="none")
    llh.sum().backward()
    paths = crf.decode(emissions.detach(), mask=mask)
    r = lambda t: t.detach().reshape(-1).tolist()
    return {
        "batch": batch, "time": time, "tags": tags, "lengths": lengths,
        "emissions": r(emissions), "y": y.tolist(),
        "transitions": r(crf.transitions), "start_transitions": r(crf.start_transitions),
        "end_transitions": r(crf.end_transitions),
        "log_likelihood": r(llh),
        "grad_emissions": r(emissions.grad), "grad_transitions": r(crf.transitions.grad),
        "grad_start_transitions": r(crf.start_transitions.grad),
        "grad_end_transitions": r(crf.end_transitions.grad),
        "viterbi": paths,
    }


cases = [
    case(5, 7, 5, [7, 3, 1, 6, 7]),
    case(8, 12, 9, [12, 1, 2, 5, 9, 12, 11, 4]),
    case(3, 20, 17, [20, 13, 8]),
]
print(json.dumps({"reference": "pytorch-crf 0.7.2, torch 2.5.1", "cases": cases}))
