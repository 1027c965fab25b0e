"""What the pipeline writes beside its clips: the stored clip's metadata and the published sidecar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explainer.codec import read_record
from explainer.job.request import StepMark
from explainer.media.container import Probe


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
    outro: int | None = None       # the first frame of the tail after the last step (RenderResult.outro)

    @property
    def frames(self) -> int:
        return self.probe.frames

    @property
    def duration(self) -> float:
        return self.probe.duration


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
    # The first frame of the clip's tail (the fade after its last step, and at a chapter's end the
    # breath): frames from here on belong to no step. None: the clip ends on its last step.
    outro: int | None = None

    @property
    def steps_end(self) -> int:
        """The frame after the last step's last frame: where the tail begins, or the clip's end."""
        return self.outro if self.outro is not None else self.frames

    @staticmethod
    def read(path: Path) -> Sidecar | None:
        """The sidecar at `path`; None if there is none or it is from an older, unreadable format
        (then the slide is simply published again)."""
        return read_record(Sidecar, path)

    def matches(self, clip: Path) -> bool:
        """The published clip is still the file this sidecar describes (not deleted or replaced)."""
        try:
            stat = clip.stat()
        except OSError:
            return False
        return stat.st_size == self.clip_size and stat.st_mtime_ns == self.clip_mtime_ns
