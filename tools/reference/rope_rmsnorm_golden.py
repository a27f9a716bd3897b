"""Golden values for journey-llm's RoPE and RMSNorm against Hugging Face
transformers' own LLaMA code (`LlamaRotaryEmbedding`, `apply_rotary_pos_emb`,
`LlamaRMSNorm`) and Gemma's RMSNorm (`Gemma2RMSNorm`, weight stored as w − 1).

Writes crates/journey-llm/tests/fixtures/rope_rmsnorm_golden.json: random
queries [1, 2, 5, 8] rotated at positions 3..8 (base 10,000), and a random
[3, 16] input normalised with eps 1e-6 by both norms.

Pinned: transformers==4.46.3, torch==2.5.1 (run with /root/venvs/torch/bin/python).

    /root/venvs/torch/bin/python tools/reference/rope_rmsnorm_golden.py
"""

import json
from pathlib import Path

import torch
import transformers
from transformers import LlamaConfig
from transformers.models.gemma2.modeling_gemma2 import Gemma2RMSNorm
from transformers.models.llama.modeling_llama import (
    LlamaRMSNorm,
    LlamaRotaryEmbedding,
    apply_rotary_pos_emb,
)

OUT = Path(__file__).resolve().parents[2] / "crates/journey-llm/tests/fixtures/rope_rmsnorm_golden.json"


def main():
    torch.manual_seed(0)
    cfg = LlamaConfig(hidden_size=16, num_attention_heads=2, rope_theta=10000.0,
                      max_position_embeddings=64)
    rope = LlamaRotaryEmbedding(config=cfg)
    q = torch.randn(1, 2, 5, 8)
    pos = torch.arange(3, 8)[None]
    cos, sin = rope(q, pos)
    q_rot, _ = apply_rotary_pos_emb(q, q, cos, sin)

    x = torch.randn(3, 16)
    w = torch.randn(16)
    llama = LlamaRMSNorm(16, eps=1e-6)
    llama.weight.data = w.clone()
    gemma = Gemma2RMSNorm(16, eps=1e-6)
    gemma.weight.data = w.clone()
    out = {
        "q": q.tolist(), "offset": 3, "base": 10000.0, "q_rot": q_rot.tolist(),
        "x": x.tolist(), "weight": w.tolist(), "eps": 1e-6,
        "llama_rmsnorm": llama(x).tolist(), "gemma_rmsnorm": gemma(x).tolist(),
        "transformers": transformers.__version__, "torch": torch.__version__,
    }
    OUT.write_text(json.dumps(out))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
