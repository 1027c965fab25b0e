"""What a scene is told to show by whoever renders it (manim-free): its slide, theme and timing."""

from __future__ import annotations

from dataclasses import dataclass, field

from explainer.script.model import Slide
from explainer.script.theme import Theme


@dataclass(frozen=True)
class SceneInputs:
    """A render process hands these to the scene it is about to build (see `provide`)."""

    slide: Slide
    theme: Theme
    # How long each step must last for its narration to be spoken (the pipeline's choice).
    step_seconds: dict[str, float] = field(default_factory=dict)
    stop_after_step: int | None = None   # previews: end the scene after step N
    check_layout: bool = False


_provided: SceneInputs | None = None


def provide(inputs: SceneInputs | None) -> None:
    """Set what the next SlideScene shows (None: scenes load their own slide, as under plain manim)."""
    global _provided
    _provided = inputs


def provided() -> SceneInputs | None:
    return _provided
