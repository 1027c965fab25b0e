"""A piece of a split slide, inside its render process: the scene fast-forwarding through the steps
before the piece, and the piece's step marks made relative to it (pipeline/split.py cuts the slide
and joins the pieces).

A skipped play still counts in Manim's num_plays, leaves a None in partial_movie_files and adds its
run_time to the clock; the piece stops before its end step through SlideScene's stop_after_step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from explainer.job.request import NotSplittable, StepMark

SKIP_ALL = 10**9   # from_animation_number before the piece's first step: skip every play


def piece_marks(steps: Sequence[StepMark], first: int, duration: float) -> tuple[tuple[StepMark, ...], float]:
    """The step marks of a piece beginning at step `first`, relative to the piece: only the steps
    that start inside it, their frames already counted from its first drawn frame (skipped
    animations have no movie file), their times from the piece's start."""
    if first == 0:
        return tuple(steps), duration
    inside = steps[first:]
    if not inside:
        return (), 0.0
    base = inside[0].start
    return tuple(replace(s, start=s.start - base) for s in inside), duration - base


def _has_updaters(scene: Any) -> bool:
    return bool(scene.updaters) or any(part.updaters for top in scene.mobjects for part in top.get_family())


def piece_scene(scene_class: type, first_step: int) -> type:
    """`scene_class` rendering from its step `first_step` on: every play before that step is
    fast-forwarded (and not layout-checked: the piece before it checks those)."""
    from manim import config

    if not getattr(scene_class, "splittable", True):
        raise NotSplittable(f"{scene_class.__name__} declares splittable = False")

    class Piece(scene_class):  # type: ignore[valid-type, misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._piece_started = first_step == 0
            self._piece_checks_layout = self.check_layout
            if not self._piece_started:
                config.from_animation_number = SKIP_ALL
                self.check_layout = False

        def _guard(self) -> None:
            if _has_updaters(self):
                raise NotSplittable(f"{scene_class.__name__} has updaters while fast-forwarding to step "
                                    f"{first_step}; set `splittable = False` on it")

        def next_section(self, name: str = "unnamed", *args: Any, **kwargs: Any) -> None:
            starting = not self._piece_started and len(self.step_marks) == first_step
            super().next_section(name, *args, **kwargs)   # the previous step's hold is still skipped
            if starting:
                self._guard()
                config.from_animation_number = self.renderer.num_plays
                self._piece_started = True
                self.check_layout = self._piece_checks_layout

        def play(self, *args: Any, **kwargs: Any) -> None:
            if self._piece_started:
                super().play(*args, **kwargs)
                return
            self._guard()
            super().play(*args, **kwargs)
            self._guard()

    Piece.__name__ = Piece.__qualname__ = scene_class.__name__
    return Piece
