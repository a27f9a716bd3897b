"""Golden values for journey-nn's ELMo-style biLM (crates/journey-nn/src/bilm.rs).

Builds the same network in PyTorch from its description: a shared token
embedding, a forward and a backward stack of one-layer torch.nn.LSTMs (the
backward stack reads each sentence reversed; residual connections around
layers 2 and up), and a shared softmax. Each of the first 12 sentences of
CoNLL-2003 eng.train is run on its own (no padding), so the Rust side's
batched, padded, reversed-within-length computation is checked against the
plain one.

Writes crates/journey-nn/tests/fixtures/bilm/:
- model.safetensors: the weights (torch.manual_seed(0), PyTorch's default
  init) in our model-file layout, with `format`, `version`, `config` and
  `vocab` in the metadata, so `Bilm::load` reads it as it is;
- golden.json: the sentences, the vocabulary, the pooled loss and each
  direction's mean loss, the gradients of the pooled loss for three
  tensors, and every layer's vectors for sentence 1.

Pinned: torch==2.5.1, safetensors==0.4.5 (run with /root/venvs/torch/bin/python).

    JOURNEY_DATA=/work/shared/data /root/venvs/torch/bin/python \
        tools/reference/bilm_golden.py
"""

import json
import os
from collections import Counter
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "crates/journey-nn/tests/fixtures/bilm"
DATA = Path(os.environ.get("JOURNEY_DATA", ROOT.parent / "shared/data"))

DIM, LAYERS, MIN_COUNT, N_SENT = 8, 2, 2, 12


def read_sentences(path, n):
    out, cur = [], []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line.startswith("-DOCSTART-"):
            if cur:
                out.append(cur)
                cur = []
                if len(out) == n:
                    break
            continue
        cur.append(line.split()[0])
    return out


def vocabulary(sentences):
    counts, first = Counter(), {}
    for s in sentences:
        for w in s:
            first.setdefault(w, len(first))
            counts[w] += 1
    kept = [w for w in counts if counts[w] >= MIN_COUNT]
    kept.sort(key=lambda w: (-counts[w], first[w]))
    return ["<pad>", "<unk>", "<s>", "</s>"] + kept


def main():
    sentences = read_sentences(DATA / "ner/conll2003/eng.train", N_SENT)
    vocab = vocabulary(sentences)
    index = {w: i for i, w in enumerate(vocab)}
    torch.manual_seed(0)
    emb = torch.nn.Embedding(len(vocab), DIM)
    fwd = [torch.nn.LSTM(DIM, DIM, batch_first=True) for _ in range(LAYERS)]
    bwd = [torch.nn.LSTM(DIM, DIM, batch_first=True) for _ in range(LAYERS)]
    softmax = torch.nn.Linear(DIM, len(vocab))

    def stack(lstms, x):
        outs, h = [], x
        for l, lstm in enumerate(lstms):
            o = lstm(h[None])[0][0]
            if l > 0:
                o = o + h
            outs.append(o)
            h = o
        return outs

    sum_f = sum_b = 0.0
    count = 0
    layers_1 = None
    for si, s in enumerate(sentences):
        ids = torch.tensor([2] + [index.get(w, 1) for w in s] + [3])
        x = emb(ids)
        of = stack(fwd, x)
        ob = [o.flip(0) for o in stack(bwd, x.flip(0))]
        sum_f = sum_f + F.cross_entropy(softmax(of[-1][:-1]), ids[1:], reduction="sum")
        sum_b = sum_b + F.cross_entropy(softmax(ob[-1][1:]), ids[:-1], reduction="sum")
        count += len(ids) - 1
        if si == 1:
            layers_1 = [torch.cat([x, x], 1)[1:-1]] + [
                torch.cat([f, b], 1)[1:-1] for f, b in zip(of, ob)
            ]
    loss = (sum_f + sum_b) / (2 * count)
    loss.backward()

    tensors = {"embedding.weight": emb.weight, "softmax.weight": softmax.weight,
               "softmax.bias": softmax.bias}
    for name, lstms in (("forward", fwd), ("backward", bwd)):
        for l, lstm in enumerate(lstms):
            for p in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
                tensors[f"{name}.l{l}.{p}"] = getattr(lstm, p)
    config = {"dim": DIM, "num_layers": LAYERS, "dropout": 0.0, "residual": True,
              "lowercase": False}
    OUT.mkdir(parents=True, exist_ok=True)
    save_file({k: v.detach().contiguous() for k, v in tensors.items()},
              str(OUT / "model.safetensors"),
              metadata={"format": "journey-bilm", "version": "1",
                        "config": json.dumps(config), "vocab": json.dumps(vocab)})
    grads = {k: tensors[k].grad.flatten().tolist() for k in
             ("softmax.weight", "backward.l1.weight_hh_l0", "embedding.weight")}
    golden = {
        "sentences": sentences,
        "min_count": MIN_COUNT,
        "vocab": vocab,
        "loss": loss.item(),
        "loss_forward": (sum_f / count).item(),
        "loss_backward": (sum_b / count).item(),
        "grads": grads,
        "layers_sentence_1": [t.detach().tolist() for t in layers_1],
        "torch": torch.__version__,
    }
    (OUT / "golden.json").write_text(json.dumps(golden))
    print(f"vocab {len(vocab)}, loss {loss.item():.6f}")


if __name__ == "__main__":
    main()
