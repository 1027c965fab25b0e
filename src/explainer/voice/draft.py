"""The draft voice: Debian's espeak-ng reading Mandarin (voice cmn-latn-pinyin). Robotic but
hundreds of times faster than real time: for timing drafts."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from explainer.voice.errors import VoiceError

DRAFT_VOICE = "cmn-latn-pinyin"   # not "cmn": Debian 12's build reads its tone digits as English
DRAFT_RATE = 210                  # espeak words a minute; about 4.5 Chinese characters a second


@lru_cache(maxsize=1)
def engine_version() -> str:
    """espeak-ng's version line (its voice data can change what is said)."""
    program = shutil.which("espeak-ng")
    if program is None:
        raise VoiceError("espeak-ng is not installed (the draft voice); install it with "
                         "`apt-get install -y espeak-ng`, or render with --voice neural or none", missing_program=True)
    result = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
    return result.stdout.strip()


def synthesize_draft(spoken_text: str) -> object:
    """The draft voice saying `spoken_text` (numbers already in words, its pronunciation table
    applied): float32 mono samples at 48 kHz, trimmed and normalized."""
    from explainer.voice.loudness import prepare

    engine_version()  # raises with the install command
    program = shutil.which("espeak-ng")
    assert program is not None
    with tempfile.TemporaryDirectory(prefix="explainer-voice-") as folder:
        source, target = Path(folder) / "text.txt", Path(folder) / "voice.wav"
        source.write_text(spoken_text, encoding="utf-8")
        result = subprocess.run([program, "-v", DRAFT_VOICE, "-s", str(DRAFT_RATE), "-b", "1",
                                 "-f", str(source), "-w", str(target)],
                                capture_output=True, text=True, timeout=120)
        if result.returncode != 0 or not target.is_file():
            raise VoiceError(f"espeak-ng failed ({result.returncode}): {result.stderr.strip()[:300]}")
        samples, rate = read_wav(target)
    return prepare(samples, rate)


def read_wav(path: Path) -> tuple[object, int]:
    """A 16-bit PCM wav as mono float32 samples and its rate."""
    import wave

    import numpy as np

    with wave.open(str(path)) as wav:
        rate, width, channels = wav.getframerate(), wav.getsampwidth(), wav.getnchannels()
        raw = wav.readframes(wav.getnframes())
    if width != 2:
        raise VoiceError(f"{path}: espeak-ng wrote {8 * width}-bit audio, expected 16-bit")
    samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    return samples, rate
