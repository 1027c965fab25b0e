"""A take the page sends: checked as render checks takes (decoded, audio, not empty, at most ten
minutes: voice/takes.py), given the extension its container calls for, and saved under
audio/<slide>/<step>-<n>.<ext>, a path made from the segment's ids, never from the request.
The original sound is kept: trimming and loudness stay in the voice stage, done once at render.

The take log (audio/takes.json) remembers the words each take was recorded for, so a take whose
sentence was reworded since shows as stale until it is recorded again or kept on purpose."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from explainer.files import copy_file, read_json, write_json
from explainer.script.model import Lecture, Slide

MAX_UPLOAD_BYTES = 100 * 1024 * 1024
# What PyAV calls the container → the extension a take in it is saved with. Browsers record WebM
# (Chromium, Firefox: Opus), Ogg (Firefox) or MP4 (Safari: AAC).
EXTENSIONS = {"matroska,webm": ".webm", "ogg": ".ogg", "mov,mp4,m4a,3gp,3g2,mj2": ".m4a", "wav": ".wav",
              "mp3": ".mp3", "flac": ".flac", "aac": ".aac"}
SAFE_NAME = re.compile(r"[^A-Za-z0-9_-]")
LOG_VERSION = 1


class TakeRefused(Exception):
    """An upload that is not a usable take; the message says why and what to do."""


@dataclass(frozen=True)
class CheckedTake:
    """An upload that passed the checks: its extension and how long it speaks once trimmed."""

    extension: str
    seconds: float


def check_take(upload: Path) -> CheckedTake:
    """The checks render makes (voice/takes.py: audio, not empty, at most ten minutes), plus a
    container a take can be saved as; TakeRefused otherwise."""
    import av

    from explainer.voice.cache import SAMPLE_RATE
    from explainer.voice.errors import VoiceError
    from explainer.voice.takes import decode_take

    try:
        with av.open(str(upload)) as container:
            name = container.format.name
            codec = container.streams.audio[0].codec_context.name if container.streams.audio else ""
    except (av.FFmpegError, OSError):
        raise TakeRefused("the upload is not audio: nothing was saved; record the take again (R)") from None
    extension = EXTENSIONS.get(name)
    if extension is None:
        kept = ", ".join(sorted(set(EXTENSIONS.values())))
        raise TakeRefused(f"the upload is {name}, not a format a take is kept in ({kept}): nothing was saved")
    if extension == ".ogg" and codec == "opus":
        extension = ".opus"
    try:
        samples = decode_take(upload)
    except VoiceError as error:
        said = str(error).replace(str(upload), "the take").removeprefix("the take: ")
        raise TakeRefused(f"the take {said}: nothing was saved; record it again (R)") from None
    return CheckedTake(extension, round(len(samples) / SAMPLE_RATE, 3))  # type: ignore[arg-type]


def take_name(slide: Slide, index: int, extension: str) -> str:
    """audio/<slide>/<step>-<n><ext>, relative to the script: n counts the segments of its step."""
    segment = slide.narration[index]
    n = sum(1 for other in slide.narration[: index + 1] if other.step == segment.step)
    return f"audio/{slide.id}/{SAFE_NAME.sub('_', segment.step)}-{n}{extension}"


def save_take(upload: Path, lecture: Lecture, relative: str) -> Path:
    """Copy the checked upload to its place atomically (a reader sees the old take or the new one)."""
    target = lecture.root / relative
    copy_file(upload, target)
    return target


@lru_cache(maxsize=1024)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def digest(path: Path) -> str | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


class TakeLog:
    """audio/takes.json: per take file (relative to the script), its SHA-256 and the words it says.
    A file replaced outside the booth (another digest) is not judged: it is simply not stale."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.file = root / "audio" / "takes.json"

    def _entries(self) -> dict[str, dict[str, str]]:
        data = read_json(self.file)
        if isinstance(data, dict) and data.get("version") == LOG_VERSION and isinstance(data.get("takes"), dict):
            return data["takes"]
        return {}

    def _key(self, take: Path) -> str:
        try:
            return take.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(take.resolve())

    def record(self, take: Path, words: str) -> None:
        """Remember that `take` (as it is now) says `words`."""
        found = digest(take)
        if found is None:
            return
        entries = self._entries()
        entries[self._key(take)] = {"sha256": found, "words": words}
        write_json(self.file, {"version": LOG_VERSION, "takes": dict(sorted(entries.items()))})

    def stale(self, lecture: Lecture) -> set[tuple[str, int]]:
        """(slide, segment index) of the takes recorded for other words than their segment says now."""
        entries = self._entries()
        found = set()
        for slide in lecture.slides:
            for index, segment in enumerate(slide.narration):
                if segment.audio is None:
                    continue
                entry = entries.get(self._key(segment.audio))
                if isinstance(entry, dict) and entry.get("sha256") == digest(segment.audio) \
                        and entry.get("words") != segment.text:
                    found.add((slide.id, index))
        return found

    def knows(self, take: Path) -> bool:
        """Whether the log holds the words of this very file."""
        entry = self._entries().get(self._key(take))
        return isinstance(entry, dict) and entry.get("sha256") == digest(take)
