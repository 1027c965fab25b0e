"""Voiced segments kept by content under <media>/.cache/voice/: KEY.npy (48 kHz mono samples) and
KEY.json (length, voice, words given), each written by atomic rename, the .json last: an entry
without its .json was interrupted and is made again."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

SAMPLE_RATE = 48_000   # narration is mono at 48 kHz everywhere

@dataclass(frozen=True)
class Voiced:
    """One segment's sound: how long it is, its samples (None for voice 'none'), which voice spoke
    it and what that voice was given to say."""

    key: str
    seconds: float
    samples: Path | None
    voice: str          # "neural", "draft", "recorded" or "none"
    spoken: str = ""


class VoiceCache:
    """Looks up and stores voiced segments by key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def sweep_partials(self) -> None:
        """Remove the temporary files of writes that never finished (a synthesis process stopped
        mid-write). Only safe while no one else writes here: callers hold the media folder's lock."""
        for partial in self.folder.glob(".*"):
            partial.unlink(missing_ok=True)

    def lookup(self, key: str, voice: str) -> Voiced | None:
        meta = self.folder / f"{key}.json"
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
            seconds = float(data["seconds"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        samples = self.folder / f"{key}.npy"
        if voice != "none" and not samples.is_file():
            return None
        return Voiced(key, seconds, samples if voice != "none" else None, voice, str(data.get("spoken", "")))

    def store(self, key: str, voice: str, samples: object | None, seconds: float, spoken: str = "") -> Voiced:
        """Write samples, then metadata, each by atomic rename: the .json marks a complete entry."""
        import numpy as np

        self.folder.mkdir(parents=True, exist_ok=True)
        path = None
        if samples is not None:
            path = self.folder / f"{key}.npy"
            handle, name = tempfile.mkstemp(prefix=f".{key}.", suffix=".npy", dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as out:
                    np.save(out, np.asarray(samples, dtype=np.float32))
                os.replace(name, path)
            finally:
                Path(name).unlink(missing_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{key}.", suffix=".json", dir=self.folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"seconds": seconds, "voice": voice, "spoken": spoken}, out, ensure_ascii=False)
            os.replace(name, self.folder / f"{key}.json")
        finally:
            Path(name).unlink(missing_ok=True)
        return Voiced(key, seconds, path, voice, spoken)
