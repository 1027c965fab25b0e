"""A voiced segment's samples (48 kHz mono float32, .npy) as a 16-bit WAV a browser plays."""

from __future__ import annotations

import io
import wave
from pathlib import Path

from explainer.voice.cache import SAMPLE_RATE


def wav_bytes(samples: Path) -> bytes:
    import numpy as np

    data = np.load(samples)
    pcm = (np.clip(data, -1.0, 1.0) * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(pcm.tobytes())
    return out.getvalue()
