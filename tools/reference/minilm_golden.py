"""Golden sentence embeddings of all-MiniLM-L6-v2 by sentence-transformers,
for crates/journey-llm/tests/minilm_parity.rs.

Sentences: the 872 SST-2 dev sentences and the first 128 Multi30k test
captions (1,000 real sentences). Writes
crates/journey-llm/tests/fixtures/minilm_golden.safetensors with
`embeddings` [1000, 384] in float16 (half precision changes a unit vector's
cosine with itself by ~1e-7, far below the 1e-5 the test allows) and the
sentences and versions in the metadata. Also prints the encode time
(--bench: sentences/s over several repetitions, for BENCHMARKS.md).

Pinned: sentence-transformers==3.3.1, transformers==4.46.3, torch==2.5.1
(CPU), safetensors==0.4.5 (run with /root/venvs/torch/bin/python).

    JOURNEY_DATA=/work/shared/data /root/venvs/torch/bin/python \
        tools/reference/minilm_golden.py --model ~/.cache/journey/models/all-MiniLM-L6-v2 [--bench]
"""

import argparse
import json
import os
import time
from pathlib import Path

import sentence_transformers
import torch
from safetensors.torch import save_file
from sentence_transformers import SentenceTransformer

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "crates/journey-llm/tests/fixtures/minilm_golden.safetensors"


def sentences(data):
    sst = (data / "classification/sst2/dev.tsv").read_text(encoding="utf-8").splitlines()[1:]
    out = [line.split("\t", 1)[1] for line in sst]
    cap = (data / "eval/parallel/multi30k/test.en").read_text(encoding="utf-8").splitlines()
    return out + cap[:128]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    data = Path(os.environ.get("JOURNEY_DATA", ROOT.parent / "shared/data"))
    sents = sentences(data)
    model = SentenceTransformer(a.model, device="cpu")
    t0 = time.perf_counter()
    emb = model.encode(sents, batch_size=a.batch_size, convert_to_tensor=True,
                       normalize_embeddings=False)
    dt = time.perf_counter() - t0
    if a.bench:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            model.encode(sents, batch_size=a.batch_size)
            times.append(time.perf_counter() - t0)
        best = min(times)
        print(json.dumps({"sentences": len(sents), "best_s": best,
                          "sentences_per_s": len(sents) / best, "threads": a.threads}))
        return
    save_file({"embeddings": emb.to(torch.float16).contiguous()}, str(OUT),
              metadata={"sentences": json.dumps(sents),
                        "sentence_transformers": sentence_transformers.__version__,
                        "torch": torch.__version__})
    print(f"{len(sents)} sentences in {dt:.2f} s -> {OUT}")


if __name__ == "__main__":
    main()
