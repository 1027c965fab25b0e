"""The one typed message a render process reads, and the one it answers with (manim-free, JSON).

Everything a render needs travels in the request, so a render process never reloads or
re-validates the lecture, and the same request can be shipped to a worker on another machine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer.media.presets import Preset
from explainer.script.codec import slide_from_json, slide_to_json, theme_from_json, theme_to_json
from explainer.script.model import Slide
from explainer.script.theme import Theme


@dataclass(frozen=True)
class StepMark:
    """Where a step of a rendered clip begins: its name, Manim's clock, its exact first frame, and
    the index of its first animation (Manim's play count; None in records older than it)."""

    name: str
    start: float
    frame: int
    animation: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "start": self.start, "frame": self.frame, "animation": self.animation}

    @staticmethod
    def from_json(data: dict[str, Any]) -> StepMark:
        animation = data.get("animation")
        return StepMark(str(data["name"]), float(data["start"]), int(data["frame"]),
                        int(animation) if animation is not None else None)


@dataclass(frozen=True)
class RenderRequest:
    """Render one slide's scene (a clip, or a still of its last frame) into `manim_dir`."""

    script: Path                    # where the slide came from (for messages; never reloaded)
    slide: Slide
    theme: Theme
    scene_file: Path
    scene_class: str
    width: int
    height: int
    fps: int
    manim_dir: Path                 # the slide's own Manim media folder
    still: bool = False
    stop_after_step: int | None = None
    step_seconds: dict[str, float] = field(default_factory=dict)   # each step's minimum length
    check_layout: bool = False
    no_cache: bool = False
    # Render only steps first..end-1 (end None: to the last), fast-forwarding through the earlier
    # animations without drawing them (Manim's from_animation_number): one piece of a split render
    # (pipeline/split.py). The clip, step frames and times are then relative to the piece.
    piece: tuple[int, int | None] | None = None
    encoder_options: dict[str, str] = field(default_factory=dict)   # the preset's libx264 options
    # Also encode the movie's video-only webm (media/webm.py) where it rendered: the export then
    # only muxes, and a split slide's pieces encode their parts in parallel.
    rendition: bool = False

    @staticmethod
    def for_slide(script: Path, slide: Slide, theme: Theme, scene_file: Path, preset: Preset, manim_dir: Path,
                  **options: Any) -> RenderRequest:
        return RenderRequest(script, slide, theme, scene_file, slide.scene, preset.width, preset.height,
                             preset.fps, manim_dir, encoder_options=dict(preset.encoder_options), **options)

    def to_json(self) -> dict[str, Any]:
        return {
            "script": str(self.script), "slide": slide_to_json(self.slide), "theme": theme_to_json(self.theme),
            "scene_file": str(self.scene_file), "scene_class": self.scene_class,
            "width": self.width, "height": self.height, "fps": self.fps, "manim_dir": str(self.manim_dir),
            "still": self.still, "stop_after_step": self.stop_after_step, "step_seconds": self.step_seconds,
            "check_layout": self.check_layout, "no_cache": self.no_cache,
            "piece": list(self.piece) if self.piece is not None else None,
            "encoder_options": self.encoder_options, "rendition": self.rendition,
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> RenderRequest:
        return RenderRequest(
            Path(data["script"]), slide_from_json(data["slide"]), theme_from_json(data["theme"]),
            Path(data["scene_file"]), str(data["scene_class"]), int(data["width"]), int(data["height"]),
            int(data["fps"]), Path(data["manim_dir"]), bool(data["still"]), data.get("stop_after_step"),
            {str(k): float(v) for k, v in data.get("step_seconds", {}).items()},
            bool(data.get("check_layout")), bool(data.get("no_cache")), _piece_from_json(data.get("piece")),
            {str(k): str(v) for k, v in data.get("encoder_options", {}).items()}, bool(data.get("rendition")),
        )

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False), encoding="utf-8")

    @staticmethod
    def read(path: Path) -> RenderRequest:
        return RenderRequest.from_json(json.loads(path.read_text(encoding="utf-8")))


def _piece_from_json(data: Any) -> tuple[int, int | None] | None:
    if data is None:
        return None
    first, end = data
    return int(first), int(end) if end is not None else None


@dataclass(frozen=True)
class RenderResult:
    """What a render process reports: where its movie or still is and where each step begins, or
    why it failed."""

    ok: bool
    steps: tuple[StepMark, ...] = ()
    duration: float = 0.0
    movie: Path | None = None
    image: Path | None = None
    error: str | None = None
    traceback: str | None = None
    peak_memory_mb: float | None = None
    pieces: int = 1   # processes (or cluster tasks) the movie was rendered in, joined (pipeline/split.py)
    rendition: Path | None = None   # the movie's video-only webm, when the request asked for it

    @staticmethod
    def failed(error: str, traceback: str | None = None) -> RenderResult:
        return RenderResult(False, error=error, traceback=traceback)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "steps": [s.to_json() for s in self.steps], "duration": self.duration,
            "movie": str(self.movie) if self.movie else None, "image": str(self.image) if self.image else None,
            "error": self.error, "traceback": self.traceback, "peak_memory_mb": self.peak_memory_mb,
            "pieces": self.pieces, "rendition": str(self.rendition) if self.rendition else None,
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> RenderResult:
        return RenderResult(
            bool(data["ok"]), tuple(StepMark.from_json(s) for s in data.get("steps", [])),
            float(data.get("duration", 0.0)), Path(data["movie"]) if data.get("movie") else None,
            Path(data["image"]) if data.get("image") else None, data.get("error"), data.get("traceback"),
            data.get("peak_memory_mb"), int(data.get("pieces", 1)),
            Path(data["rendition"]) if data.get("rendition") else None,
        )
