"""Narration audio: probe, decode to one spec, lay slides' audio on a timeline and encode it."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from explainer.media import MediaError

SAMPLE_RATE = 48_000  # one audio spec throughout clips, chapters and the lecture
LAYOUT = "stereo"


def load_samples(path: Path) -> np.ndarray:
    """The whole file as float32 samples, shape (2, n), resampled to 48 kHz stereo."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise MediaError(f"{path}: holds no audio stream")
            resampler = av.AudioResampler(format="fltp", layout=LAYOUT, rate=SAMPLE_RATE)
            chunks = []
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray())
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
    except av.FFmpegError as error:
        raise MediaError(f"{path}: cannot be decoded as audio ({error})") from None
    if not chunks:
        raise MediaError(f"{path}: holds no audio samples")
    return np.concatenate(chunks, axis=1).astype(np.float32)


def audio_seconds(path: Path) -> float:
    """Exact length in seconds, from the decoded samples."""
    return load_samples(path).shape[1] / SAMPLE_RATE


def timeline(parts: list[tuple[float, Path]], total_seconds: float) -> np.ndarray:
    """Silence of `total_seconds` with each file's samples placed at its offset (cut at the end)."""
    total = int(round(total_seconds * SAMPLE_RATE))
    mix = np.zeros((2, total), dtype=np.float32)
    for offset, path in parts:
        samples = load_samples(path)
        start = int(round(offset * SAMPLE_RATE))
        end = min(total, start + samples.shape[1])
        if end > start:
            mix[:, start:end] += samples[:, : end - start]
    return np.clip(mix, -1.0, 1.0)


def encoded_packets(container: av.container.OutputContainer, samples: np.ndarray,
                    codec: str = "aac") -> tuple[av.audio.stream.AudioStream, list[av.Packet]]:
    """Add an audio stream to `container` and encode `samples` into packets (not yet muxed)."""
    stream = container.add_stream(codec, rate=SAMPLE_RATE, layout=LAYOUT)
    stream.codec_context.bit_rate = 128_000
    packets: list[av.Packet] = []
    frame_size = stream.codec_context.frame_size or 1024
    for start in range(0, samples.shape[1], frame_size):
        chunk = np.ascontiguousarray(samples[:, start : start + frame_size])
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=LAYOUT)
        frame.sample_rate = SAMPLE_RATE
        frame.pts, frame.time_base = start, Fraction(1, SAMPLE_RATE)
        packets.extend(stream.encode(frame))
    packets.extend(stream.encode(None))
    return stream, packets
