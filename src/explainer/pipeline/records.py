"""What the pipeline writes beside its clips: the stored clip's metadata and the published sidecar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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
