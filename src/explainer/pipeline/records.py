"""What the pipeline writes beside its clips: the stored clip's metadata and the published sidecar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explainer.files import read_json
from explainer.media.container import Probe
from explainer.pipeline.request import StepMark


def step_starts(steps: Sequence[StepMark]) -> dict[str, int]:
    """Step name → its first frame (a name marked twice keeps its first start)."""
    starts: dict[str, int] = {}
    for step in steps:
        starts.setdefault(step.name, step.frame)
    return starts


@dataclass(frozen=True)
class StoredClip:
    """The clip store's record of a rendered (silent) clip, saved beside it under its frame key."""

    slide: str
    probe: Probe
    steps: tuple[StepMark, ...]
    size: int                      # bytes: a clip of another size is damaged, not this one
    render_seconds: float = 0.0
    peak_memory_mb: float | None = None

    @property
    def frames(self) -> int:
        return self.probe.frames

    @property
    def duration(self) -> float:
        return self.probe.duration

    def to_json(self) -> dict[str, Any]:
        return {"slide": self.slide, "frames": self.frames, "duration": self.duration,
                "probe": self.probe.to_json(), "steps": [s.to_json() for s in self.steps], "size": self.size,
                "render_seconds": self.render_seconds, "peak_memory_mb": self.peak_memory_mb}

    @staticmethod
    def from_json(data: dict[str, Any]) -> StoredClip:
        return StoredClip(str(data["slide"]), Probe.from_json(data["probe"]),
                          tuple(StepMark.from_json(s) for s in data.get("steps", [])), int(data["size"]),
                          float(data.get("render_seconds") or 0.0), data.get("peak_memory_mb"))


@dataclass(frozen=True)
class SpokenSegment:
    """A narration segment as published with a clip: its step, its words as the screen and the
    subtitles show them (`text`), where its voice starts in the clip and for how long, which voice
    spoke it, and what that voice was given to say (`spoken`)."""

    step: str
    text: str
    start: float
    seconds: float
    voice: str
    spoken: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "text": self.text, "start": self.start, "seconds": self.seconds,
                "voice": self.voice, "spoken": self.spoken}

    @staticmethod
    def from_json(data: dict[str, Any]) -> SpokenSegment:
        return SpokenSegment(str(data["step"]), str(data["text"]), float(data["start"]), float(data["seconds"]),
                             str(data["voice"]), str(data.get("spoken", "")))


@dataclass(frozen=True)
class Sidecar:
    """What was published as clips/<slide>.mp4: its frame key and key inputs (so `status` can say
    what changed), the file's size and mtime (to notice it was replaced), its frames and steps, and
    the narration muxed into it."""

    key: str
    inputs: dict[str, Any]
    clip_size: int
    clip_mtime_ns: int
    frames: int
    duration: float
    steps: tuple[StepMark, ...]
    audio_key: str | None = None
    publish_key: str | None = None
    track: Path | None = None        # the slide's narration track (float32 samples), if voiced
    segments: tuple[SpokenSegment, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "inputs": self.inputs, "clip_size": self.clip_size,
                "clip_mtime_ns": self.clip_mtime_ns, "frames": self.frames, "duration": self.duration,
                "steps": [s.to_json() for s in self.steps], "audio_key": self.audio_key,
                "publish_key": self.publish_key, "track": str(self.track) if self.track else None,
                "segments": [s.to_json() for s in self.segments]}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Sidecar:
        return Sidecar(str(data["key"]), dict(data.get("inputs") or {}), int(data["clip_size"]),
                       int(data["clip_mtime_ns"]), int(data["frames"]), float(data["duration"]),
                       tuple(StepMark.from_json(s) for s in data.get("steps", [])), data.get("audio_key"),
                       data.get("publish_key"), Path(data["track"]) if data.get("track") else None,
                       tuple(SpokenSegment.from_json(s) for s in data.get("segments", [])))

    @staticmethod
    def read(path: Path) -> Sidecar | None:
        """The sidecar at `path`; None if there is none or it is from an older, unreadable format
        (then the slide is simply published again)."""
        data = read_json(path)
        if not isinstance(data, dict):
            return None
        try:
            return Sidecar.from_json(data)
        except (KeyError, TypeError, ValueError):
            return None

    def matches(self, clip: Path) -> bool:
        """The published clip is still the file this sidecar describes (not deleted or replaced)."""
        try:
            stat = clip.stat()
        except OSError:
            return False
        return stat.st_size == self.clip_size and stat.st_mtime_ns == self.clip_mtime_ns
