"""The one typed message a render process reads, and the one it answers with (manim-free, JSON
through explainer/codec.py).

Everything a render needs travels in the request, so a render process never reloads or
re-validates the lecture, and the same request can be shipped to a worker on another machine.
The client writes it and reads the result (pipeline/), the render process reads it and writes the
result (rendering/worker.py): neither side imports the other, both import this.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explainer.codec import decode, write_record
from explainer.media.presets import Preset
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
    # (cut by pipeline/split.py, drawn by rendering/pieces.py). The clip, step frames and times are
    # then relative to the piece.
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

    def write(self, path: Path) -> None:
        write_record(path, self)

    @staticmethod
    def read(path: Path) -> RenderRequest:
        return decode(RenderRequest, json.loads(path.read_text(encoding="utf-8")))


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
    # The movie's first frame after its last step: the tail (a fade to the background, and at a
    # chapter's end its breath) that belongs to no step. None: the movie has none (a still, a
    # piece before the last, or a render older than tails).
    outro: int | None = None

    @staticmethod
    def failed(error: str, traceback: str | None = None) -> RenderResult:
        return RenderResult(False, error=error, traceback=traceback)

    @property
    def unsplittable(self) -> bool:
        """The piece's render process found the scene cannot be rendered in pieces."""
        return not self.ok and (self.error or "").startswith(NotSplittable.__name__)


class NotSplittable(RuntimeError):
    """Raised in a piece's render process: this scene cannot be rendered in pieces. It crosses the
    wall as the failed result's error, which begins with this class's name."""
