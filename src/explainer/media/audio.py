"""Narration tracks encoded once per clip, chapter and lecture (AAC in an audio-only mp4, cached
by content), so joining videos copies audio packets just as it copies video packets."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from explainer.errors import MediaError
from explainer.media.presets import AUDIO_SPEC

SAMPLE_RATE = int(AUDIO_SPEC["rate"])  # type: ignore[call-overload]
LAYOUT = str(AUDIO_SPEC["layout"])
BIT_RATE = int(AUDIO_SPEC["bit_rate"])  # type: ignore[call-overload]
AAC_OPTIONS: dict[str, str] = dict(AUDIO_SPEC["options"])  # type: ignore[call-overload]


def encoding_key(track_key: str) -> str:
    """The cache name of an encoded track: its content and the encoder settings."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps([track_key, AUDIO_SPEC], sort_keys=True).encode()).hexdigest()


def load_tracks(tracks: list[Path]) -> np.ndarray:
    """Narration tracks (mono float32 .npy, each exactly its clip's length) laid end to end."""
    return np.concatenate([np.load(track) for track in tracks]).astype(np.float32)


def encode_samples(container: av.container.OutputContainer, samples: np.ndarray,
                   codec: str = "aac") -> tuple[av.audio.stream.AudioStream, list[av.Packet]]:
    """Add an audio stream to `container` and encode `samples` into packets (not yet muxed)."""
    stream = container.add_stream(codec, rate=SAMPLE_RATE, layout=LAYOUT,
                                  options=AAC_OPTIONS if codec == "aac" else {})
    stream.codec_context.bit_rate = BIT_RATE
    sample_format = "fltp" if codec == "aac" else "flt"
    packets: list[av.Packet] = []
    frame_size = stream.codec_context.frame_size or 960
    for start in range(0, samples.size, frame_size):
        chunk = np.ascontiguousarray(samples[start: start + frame_size]).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(chunk, format=sample_format, layout=LAYOUT)
        frame.sample_rate = SAMPLE_RATE
        frame.pts, frame.time_base = start, Fraction(1, SAMPLE_RATE)
        packets.extend(stream.encode(frame))
    packets.extend(stream.encode(None))
    return stream, packets


def encode_track(tracks: list[Path], target: Path) -> Path:
    """Encode narration tracks, end to end, as AAC into an audio-only mp4 (atomically)."""
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial.m4a")
    try:
        with av.open(str(partial), "w", format="mp4") as out:
            _, packets = encode_samples(out, load_tracks(tracks))
            for packet in packets:
                out.mux(packet)
        os.replace(partial, target)
    except av.FFmpegError as error:
        raise MediaError(f"{target}: cannot encode the narration ({error})") from None
    finally:
        partial.unlink(missing_ok=True)
    return target
