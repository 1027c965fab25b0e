"""A slide's narration voiced: the link between its segments, the cache, the key and the track."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from explainer.script.model import Lecture, Segment
from explainer.voice.timing import Placement, build_track, placements, step_frames, track_key
from explainer.voice.voices import VoiceCache, Voiced, voice_lecture, voice_of


@dataclass(frozen=True)
class SlideVoice:
    """One slide's segments with their sounds."""

    segments: tuple[Segment, ...]
    voiced: tuple[Voiced, ...]
    audible: bool = True     # False for voice 'none': the outputs carry no audio stream

    def step_frames(self, fps: int) -> list[list[object]]:
        return step_frames(self.segments, list(self.voiced), fps)

    def step_seconds(self, fps: int) -> dict[str, float]:
        """Each step's minimum length as a whole number of frames, in seconds (what the scene holds)."""
        return {str(step): int(frames) / fps for step, frames in self.step_frames(fps)}  # type: ignore[call-overload]

    def placed(self, step_starts: Mapping[str, int], fps: int) -> list[Placement]:
        """Segments placed at the exact first frames the render recorded for their steps
        (`step_starts`: step name → its first frame)."""
        starts = {name: frame / fps for name, frame in step_starts.items()}
        return placements(self.segments, list(self.voiced), starts)

    def track_key(self, step_starts: Mapping[str, int], frames: int, fps: int) -> str | None:
        return track_key(self.placed(step_starts, fps), frames, fps) if self.audible else None

    def track(self, step_starts: Mapping[str, int], frames: int, fps: int, folder: Path) -> Path | None:
        return build_track(self.placed(step_starts, fps), frames, fps, folder) if self.audible else None


def voice_all(lecture: Lecture, mode: str, cache_folder: Path, jobs: int) -> dict[str, SlideVoice]:
    """Every slide's narration voiced (from the cache where it can be)."""
    voiced = voice_lecture(lecture, mode, VoiceCache(cache_folder), jobs=jobs)
    return {slide.id: SlideVoice(slide.narration, tuple(voiced.get(slide.id, [])), mode != "none")
            for slide in lecture.slides}


def draft_stand_ins(lecture: Lecture) -> list[tuple[str, str]]:
    """(slide, step) of segments with no recorded take yet: the draft voice still speaks them."""
    return [(slide.id, segment.step) for slide in lecture.slides for segment in slide.narration
            if voice_of(segment, "recorded") == "draft"]
