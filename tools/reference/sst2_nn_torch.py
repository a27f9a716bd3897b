"""SST-2 with a BiLSTM and a Kim (2014) text CNN in PyTorch: the reference
for `journey classify train --model bilstm|textcnn` (issue 7).

Same data (GLUE SST-2 train phrases, dev sentences), same tokenisation (the
text is already lower-cased and tokenised: split on spaces), same GloVe 6B 50d
initialisation, same architecture and hyper-parameters as our defaults.

Pinned: torch==2.5.1, numpy, pyarrow==18.1.0.
Usage: python sst2_nn_torch.py --data ../shared/data --glove DIR --model bilstm|textcnn
       [--epochs 3] [--threads 2] [--seed 1]
Prints one JSON line per epoch: dev accuracy, wall seconds.
"""
import argparse, json, os, time

import numpy as np
import pyarrow.parquet as pq
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            label, text = line.rstrip("\n").split("\t", 1)
            rows.append((text.split(), int(label)))
    return rows


def load_glove(d):
    words = pq.read_table(os.path.join(d, "index.parquet")).column(0).to_pylist()
    vecs = np.load(os.path.join(d, "vectors.npy"))
    return {w: i for i, w in enumerate(words)}, vecs


class BiLstm(nn.Module):
    def __init__(self, emb, hidden=128, classes=2, dropout=0.5, emb_dropout=0.5, pool="max"):
        super().__init__()
        self.emb = nn.Embedding.from_pretrained(emb, freeze=False, padding_idx=0)
        self.lstm = nn.LSTM(emb.shape[1], hidden, batch_first=True, bidirectional=True)
        self.drop = nn.Dropout(dropout)
        self.emb_drop = nn.Dropout(emb_dropout)
        self.pool = pool
        self.out = nn.Linear((4 if pool == "maxmean" else 2) * hidden, classes)

    def forward(self, ids, lengths):
        x = self.emb_drop(self.emb(ids))
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, padding_value=-1e4)
        pooled = out.max(dim=1).values
        if self.pool == "maxmean":
            mask = (out[:, :, :1] > -1e3).float()
            mean = (out * mask).sum(1) / lengths[:, None].float()
            pooled = torch.cat([pooled, mean], 1)
        return self.out(self.drop(pooled))


class TextCnn(nn.Module):
    def __init__(self, emb, widths=(3, 4, 5), filters=100, classes=2, dropout=0.5):
        super().__init__()
        self.emb = nn.Embedding.from_pretrained(emb, freeze=False, padding_idx=0)
        self.convs = nn.ModuleList(nn.Conv1d(emb.shape[1], filters, w) for w in widths)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(filters * len(widths), classes)
        self.max_w = max(widths)

    def forward(self, ids, lengths):
        x = self.emb(ids).transpose(1, 2)
        pooled = []
        for conv in self.convs:
            h = F.relu(conv(x))
            # Only windows that end inside the sentence count.
            valid = (torch.arange(h.shape[2])[None, :] <= (lengths[:, None] - conv.kernel_size[0]).clamp(min=0))
            h = h.masked_fill(~valid[:, None, :], 0.0)
            pooled.append(h.max(dim=2).values)
        return self.out(self.drop(torch.cat(pooled, 1)))


def batches(rows, vocab, bs, rng, min_len):
    order = rng.permutation(len(rows)) if rng is not None else np.arange(len(rows))
    for s in range(0, len(rows), bs):
        chunk = [rows[i] for i in order[s:s + bs]]
        lens = [max(len(t), 1) for t, _ in chunk]
        width = max(max(lens), min_len)
        ids = np.zeros((len(chunk), width), dtype=np.int64)
        for r, (toks, _) in enumerate(chunk):
            for c, t in enumerate(toks):
                ids[r, c] = vocab.get(t, 1)
        yield torch.from_numpy(ids), torch.tensor(lens), torch.tensor([l for _, l in chunk])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--glove", required=True)
    ap.add_argument("--model", choices=["bilstm", "textcnn"], required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--emb-dropout", type=float, default=0.5)
    ap.add_argument("--pool", choices=["max", "maxmean"], default="max")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    train = read_tsv(os.path.join(a.data, "classification/sst2/train.tsv"))
    dev = read_tsv(os.path.join(a.data, "classification/sst2/dev.tsv"))
    if a.limit:
        train = train[: a.limit]
    gidx, gvec = load_glove(a.glove)
    # Vocabulary: 0 = padding, 1 = unknown, then training words in first-seen order.
    vocab = {}
    for toks, _ in train:
        for t in toks:
            if t not in vocab:
                vocab[t] = len(vocab) + 2
    rng = np.random.default_rng(a.seed)
    emb = rng.normal(0, 0.1, (len(vocab) + 2, gvec.shape[1])).astype(np.float32)
    emb[0] = 0
    hits = 0
    for w, i in vocab.items():
        if w in gidx:
            emb[i] = gvec[gidx[w]]
            hits += 1
    emb = torch.from_numpy(emb)
    model = BiLstm(emb, hidden=a.hidden, emb_dropout=a.emb_dropout, pool=a.pool) if a.model == "bilstm" else TextCnn(emb)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    min_len = 5 if a.model == "textcnn" else 1
    start = time.time()
    tokens = sum(len(t) for t, _ in train)
    for epoch in range(a.epochs):
        model.train()
        t0 = time.time()
        for ids, lens, y in batches(train, vocab, a.batch, rng, min_len):
            opt.zero_grad()
            loss = F.cross_entropy(model(ids, lens), y)
            loss.backward()
            opt.step()
        train_s = time.time() - t0
        model.eval()
        correct = 0
        with torch.no_grad():
            for ids, lens, y in batches(dev, vocab, 256, None, min_len):
                correct += (model(ids, lens).argmax(1) == y).sum().item()
        print(json.dumps({"model": a.model, "epoch": epoch + 1, "dev_accuracy": correct / len(dev),
                          "epoch_train_s": round(train_s, 2), "tokens_per_s": round(tokens / train_s),
                          "elapsed_s": round(time.time() - start, 2), "glove_hits": hits, "vocab": len(vocab)}), flush=True)


if __name__ == "__main__":
    main()
