"""The narration segments the intelligibility test and the voice benchmark transcribe: (slide id,
segment index) in script.yaml, chosen to cover every chapter, numbers said aloud, symbols read
through `voice: read:`, and the lecture's English terms inside Chinese."""

from __future__ import annotations

SEGMENTS = (
    ("course-title", 4),        # 核心機制：Query、Key、Value
    ("transformer-intro", 0),   # Transformer … 2017 年 …《Attention Is All You Need》
    ("transformer-intro", 3),
    ("ai-landscape", 4),        # 生成式 AI … Transformer
    ("ai-landscape", 5),        # ChatGPT、Google 的 Gemini，還有 Meta 的 Llama
    ("apple-hook", 2),
    ("next-word-title", 1),     # Next-Word Prediction
    ("probability-chain", 1),   # 0.51, 0.25
    ("logits-softmax", 0),      # Logits, 2.0, 1.0, 0.1
    ("logits-softmax", 3),      # e^(zᵢ)
    ("qkv-analogy", 2),
    ("qkv-roles", 5),           # Value … Query … Key … Value
    ("qkv-flow", 2),
    ("qkv-flow", 4),            # √dₖ, √2, 1.41
    ("qkv-projection", 2),      # W_Q、W_K、W_V
    ("apple-in-context", 3),    # Δx; x 加上 Δx
    ("scaled-dot-product", 4),  # Query … Key
    ("residual", 1),            # MLP
    ("temperature-formula", 2), # T 等於 0.5
    ("temperature-table", 6),
    ("brain-resources", 10),    # N-back
    ("attention-comparison", 2),
    ("magic-four-game", 7),     # Cowan
    ("references", 2),          # Vaswani … 何愷明
    ("homework-qkv", 3),        # 101%
)
