"""PyTorch counterpart of crates/journey-nn/examples/train_multi30k.rs: the
same attentional encoder-decoder (Bahdanau et al. 2015; BiGRU/BiLSTM encoder,
additive attention over the source with its padding masked, GRU/LSTM decoder
cell fed [e_t; c_t], output layer over [s_t; c_t; e_t]), the same data
(Multi30k en->de), tokenisation (lowercase + NLTK's Treebank word tokenizer,
which journey-text reproduces), vocabularies (min count 2, <pad> <unk> <bos>
<eos> first, words by falling count then first appearance), hyper-parameters
(Adam lr 1e-3, batch 64, clip 1.0, dropout 0.2, teacher forcing 1.0), the same
wall-time budget, greedy decoding, and BLEU via sacrebleu (13a, lowercase) on
output detokenised by the same rules as crates/journey-nn/src/detokenize.rs.

Pinned: torch==2.5.1, nltk==3.9.1, sacrebleu==2.5.1 (/root/venvs/torch).

    /root/venvs/torch/bin/python tools/reference/seq2seq_torch.py \
        --data /work/shared/data/eval/parallel/multi30k --minutes 8 --threads 2
"""
import argparse
import collections
import math
import random
import time

import sacrebleu
import torch
import torch.nn as nn
import torch.nn.functional as F
from nltk.tokenize import TreebankWordTokenizer

PAD, UNK, BOS, EOS = 0, 1, 2, 3
TOK = TreebankWordTokenizer()
NO_SPACE_BEFORE = {".", ",", "!", "?", ";", ":", ")", "]", "}", "%", "''", "n't"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


def tokenize(s):
    return TOK.tokenize(s.lower())


def detokenize(tokens):
    out, prev = "", None
    for t in tokens:
        if prev is not None:
            glue = t in NO_SPACE_BEFORE or t.startswith("'") or prev in NO_SPACE_AFTER
            if not glue:
                out += " "
        out += '"' if t in ("``", "''") else t
        prev = t
    return out


def build_vocab(docs, min_count):
    counts, first = collections.Counter(), {}
    for d in docs:
        for w in d:
            counts[w] += 1
            first.setdefault(w, len(first))
    specials = ["<pad>", "<unk>", "<bos>", "<eos>"]
    words = [w for w in counts if counts[w] >= min_count and w not in specials]
    words.sort(key=lambda w: (-counts[w], first[w]))
    itos = specials + words
    return itos, {w: i for i, w in enumerate(itos)}


class Seq2Seq(nn.Module):
    def __init__(self, cell, nsrc, ntgt, e, h, a, dropout):
        super().__init__()
        rnn = nn.GRU if cell == "gru" else nn.LSTM
        self.cell_kind = cell
        self.src_emb = nn.Embedding(nsrc, e, padding_idx=PAD)
        self.enc = rnn(e, h, batch_first=True, bidirectional=True)
        self.bridge = nn.Linear(2 * h, h)
        self.tgt_emb = nn.Embedding(ntgt, e, padding_idx=PAD)
        self.cell = (nn.GRUCell if cell == "gru" else nn.LSTMCell)(e + 2 * h, h)
        self.w_query = nn.Linear(h, a, bias=False)
        self.w_key = nn.Linear(2 * h, a, bias=False)
        self.v = nn.Linear(a, 1, bias=False)
        self.out = nn.Linear(3 * h + e, ntgt)
        self.drop = nn.Dropout(dropout)

    def encode(self, src, lens):
        x = self.drop(self.src_emb(src))
        packed = nn.utils.rnn.pack_padded_sequence(x, lens.cpu(), batch_first=True, enforce_sorted=False)
        out, hn = self.enc(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        if isinstance(hn, tuple):
            hn = hn[0]
        s0 = torch.tanh(self.bridge(torch.cat([hn[0], hn[1]], 1)))
        c0 = torch.zeros_like(s0) if self.cell_kind == "lstm" else None
        mask = torch.arange(src.shape[1])[None, :] < lens[:, None]
        return out, mask, (s0, c0)

    def step(self, e, state, memory, mask):
        s, c = state
        # Additive attention, recomputing W_k m each step as attention.rs does.
        scores = self.v(torch.tanh(self.w_query(s)[:, None, :] + self.w_key(memory))).squeeze(-1)
        scores = scores.masked_fill(~mask, float("-inf"))
        alpha = torch.softmax(scores, -1)
        ctx = torch.bmm(alpha[:, None, :], memory).squeeze(1)
        inp = torch.cat([e, ctx], 1)
        if self.cell_kind == "gru":
            s = self.cell(inp, s)
        else:
            s, c = self.cell(inp, (s, c))
        return (s, c), torch.cat([s, ctx, e], 1)

    def loss(self, src, lens, dec_in, dec_out):
        memory, mask, state = self.encode(src, lens)
        emb = self.drop(self.tgt_emb(dec_in))
        feats = []
        for t in range(dec_in.shape[1]):
            state, f = self.step(emb[:, t], state, memory, mask)
            feats.append(f)
        logits = self.out(self.drop(torch.stack(feats, 1)))
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), dec_out.reshape(-1), ignore_index=PAD)

    @torch.no_grad()
    def greedy(self, src, lens, max_len):
        memory, mask, state = self.encode(src, lens)
        prev = torch.full((src.shape[0],), BOS, dtype=torch.long)
        out = [[] for _ in range(src.shape[0])]
        done = [False] * src.shape[0]
        for _ in range(max_len):
            state, f = self.step(self.tgt_emb(prev), state, memory, mask)
            logits = self.out(f)
            logits[:, PAD] = float("-inf")
            logits[:, BOS] = float("-inf")
            prev = logits.argmax(-1)
            for r, tok in enumerate(prev.tolist()):
                if not done[r]:
                    if tok == EOS:
                        done[r] = True
                    else:
                        out[r].append(tok)
            if all(done):
                break
        return out


def pad(seqs):
    m = max(len(s) for s in seqs)
    return torch.tensor([s + [PAD] * (m - len(s)) for s in seqs], dtype=torch.long)


def make_batch(src, tgt, idx):
    s = [src[i] for i in idx]
    lens = torch.tensor([len(x) for x in s])
    dec_in = pad([[BOS] + tgt[i] for i in idx])
    dec_out = pad([tgt[i] + [EOS] for i in idx])
    return pad(s), lens, dec_in, dec_out, sum(len(tgt[i]) + 1 for i in idx)


def bucket_batches(lengths, bs, pool, rng):
    order = list(range(len(lengths)))
    rng.shuffle(order)
    out = []
    for k in range(0, len(order), bs * pool):
        p = sorted(order[k:k + bs * pool], key=lambda i: lengths[i])
        out += [p[j:j + bs] for j in range(0, len(p), bs)]
    rng.shuffle(out)
    return out


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/work/shared/data/eval/parallel/multi30k")
    ap.add_argument("--minutes", type=float, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cell", default="gru")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--emb", type=int, default=128)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--attention", type=int, default=256)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hyps")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    d = a.data
    tr_en, tr_de = read(f"{d}/train.en"), read(f"{d}/train.de")
    va_en, va_de = read(f"{d}/val.en"), read(f"{d}/val.de")
    te_en, te_de = read(f"{d}/test.en"), read(f"{d}/test.de")
    tok_tr_en, tok_tr_de = [tokenize(s) for s in tr_en], [tokenize(s) for s in tr_de]
    src_itos, src_stoi = build_vocab(tok_tr_en, 2)
    tgt_itos, tgt_stoi = build_vocab(tok_tr_de, 2)

    def ids(toks, stoi, nonempty):
        x = [stoi.get(w, UNK) for w in toks]
        return x if x or not nonempty else [UNK]

    tr_src = [ids(t, src_stoi, True) for t in tok_tr_en]
    tr_tgt = [ids(t, tgt_stoi, False) for t in tok_tr_de]
    va_src = [ids(tokenize(s), src_stoi, True) for s in va_en]
    va_tgt = [ids(tokenize(s), tgt_stoi, False) for s in va_de]
    te_src = [ids(tokenize(s), src_stoi, True) for s in te_en]
    model = Seq2Seq(a.cell, len(src_itos), len(tgt_itos), a.emb, a.hidden, a.attention, 0.2)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    print(f"src vocab {len(src_itos)} | tgt vocab {len(tgt_itos)} | threads {torch.get_num_threads()}")

    def val_loss():
        model.eval()
        order = sorted(range(len(va_src)), key=lambda i: len(va_src[i]))
        tot, n = 0.0, 0
        with torch.no_grad():
            for k in range(0, len(order), 128):
                s, l, di, do, ntok = make_batch(va_src, va_tgt, order[k:k + 128])
                tot += model.loss(s, l, di, do).item() * ntok
                n += ntok
        model.train()
        return tot / n

    budget = a.minutes * 60
    t0 = time.time()
    step, tokens, epoch, timed_out = 0, 0, 0, False
    lengths = [len(s) for s in tr_src]
    while not timed_out:
        for batch in bucket_batches(lengths, a.batch, 50, rng):
            if time.time() - t0 >= budget:
                timed_out = True
                break
            s, l, di, do, ntok = make_batch(tr_src, tr_tgt, batch)
            loss = model.loss(s, l, di, do)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            tokens += ntok
        else:
            epoch += 1
            print(f"epoch {epoch} step {step}: val loss {val_loss():.4f}")
    secs = time.time() - t0
    print(f"trained {step} steps in {secs:.1f} s, {tokens} target tokens, {tokens / secs:.0f} tokens/s; "
          f"final val loss {val_loss():.4f}")
    model.eval()
    t1 = time.time()
    hyps = [None] * len(te_src)
    order = sorted(range(len(te_src)), key=lambda i: len(te_src[i]))
    for k in range(0, len(order), 128):
        chunk = order[k:k + 128]
        s = pad([te_src[i] for i in chunk])
        l = torch.tensor([len(te_src[i]) for i in chunk])
        for i, out in zip(chunk, model.greedy(s, l, 50)):
            hyps[i] = detokenize([tgt_itos[t] for t in out])
    bleu = sacrebleu.corpus_bleu(hyps, [te_de], lowercase=True, tokenize="13a")
    print(f"test BLEU {bleu.score:.2f} (greedy, {time.time() - t1:.1f} s) {bleu}")
    if a.hyps:
        with open(a.hyps, "w", encoding="utf-8") as f:
            f.write("\n".join(hyps) + "\n")


if __name__ == "__main__":
    main()
