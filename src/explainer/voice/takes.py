"""A lecturer's recorded take, decoded and checked: audio, not empty, at most ten minutes."""

from __future__ import annotations

from pathlib import Path

from explainer.voice.cache import SAMPLE_RATE
from explainer.voice.errors import VoiceError

MAX_TAKE_SECONDS = 600


def decode_take(path: Path) -> object:
    """A recorded take as mono 48 kHz float32, trimmed and normalized; VoiceError if it is not audio."""
    import av
    import numpy as np

    from explainer.voice.loudness import prepare

    too_long = f"{path}: longer than {MAX_TAKE_SECONDS // 60} minutes; split it into one take per segment"
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise VoiceError(f"{path}: holds no audio stream")
            stream = container.streams.audio[0]
            if stream.duration is not None and stream.time_base is not None \
                    and float(stream.duration * stream.time_base) > MAX_TAKE_SECONDS:
                raise VoiceError(too_long)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            chunks = []
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
                if sum(len(c) for c in chunks) > MAX_TAKE_SECONDS * SAMPLE_RATE:
                    raise VoiceError(too_long)
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except av.FFmpegError as error:
        raise VoiceError(f"{path}: cannot be decoded as audio ({error})") from None
    except OSError as error:
        raise VoiceError(f"{path}: cannot be read ({error.strerror})") from None
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if samples.size < SAMPLE_RATE // 10 or float(np.max(np.abs(samples))) < 1e-4:
        raise VoiceError(f"{path}: is empty or silent")
    return prepare(samples, SAMPLE_RATE)
