"""Caption slots: one place a slide's running caption stands (bottom centre, beside the title, under a panel)."""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import LEFT, ORIGIN, RIGHT, UP, FadeIn, FadeOut, Mobject, VGroup, config

from explainer.scenekit.components.fit import fit_text
from explainer.scenekit.components.text import Paragraph

CAPTION_Y = -3.3          # the bottom caption's centre: under the content, clear of the frame margin
SIDE_MARGIN = 0.5         # a bottom caption keeps this much clear at each side
TITLE_GAP = 0.3           # between the title and a caption beside it
RIGHT_EDGE = 0.45         # a caption beside the title ends this far from the frame's right edge


class CaptionSlot:
    """Where a caption goes and how big it may be; `make` builds one there, `swap` replaces it.

    A caption is fitted with fit_text: wrapped between words, then shrunk, never below the
    readable size. `anchor` says which point of the caption sits at `point`.
    """

    def __init__(self, point: np.ndarray | tuple[float, float], max_width: float, max_height: float | None = None,
                 size: str | float = "body", *, anchor: np.ndarray = ORIGIN, align: str = "center",
                 max_lines: int | None = None, color: str | None = None, role: str | None = None,
                 enter: np.ndarray = UP * 0.2) -> None:
        self.point = np.array([point[0], point[1], 0.0])
        self.max_width, self.max_height, self.size = max_width, max_height, size
        self.anchor, self.align, self.max_lines = anchor, align, max_lines
        self.color, self.role, self.enter = color, role, enter

    @classmethod
    def bottom(cls, y: float = CAPTION_Y, size: str | float = "body", **options: Any) -> CaptionSlot:
        """Centred at the bottom of the frame, as wide as the frame allows, on one line."""
        options.setdefault("max_lines", 1)
        return cls((0.0, y), config.frame_width - 2 * SIDE_MARGIN, size=size, **options)

    @classmethod
    def beside_title(cls, title: Mobject, size: str | float = "label", **options: Any) -> CaptionSlot:
        """At the top right, on the title's line, in the room between the title and the frame's edge
        (right-aligned, so a short caption hugs the edge as the slide's header)."""
        right = config.frame_width / 2 - RIGHT_EDGE
        options.setdefault("max_height", title.height * 1.9)   # two lines at most beside one title line
        options.setdefault("enter", LEFT * 0.3)
        return cls((right, title.get_y()), right - (title.get_right()[0] + TITLE_GAP), size=size,
                   anchor=RIGHT, align="right", **options)

    @classmethod
    def under(cls, x: float, y: float, width: float, size: str | float = "label", **options: Any) -> CaptionSlot:
        """Centred at (x, y), e.g. under one of two panels."""
        return cls((x, y), width, size=size, **options)

    def make(self, text: str) -> Paragraph:
        """The caption for `text`, fitted to the slot and placed in it."""
        caption = fit_text(text, self.max_width, self.max_height, self.size, max_lines=self.max_lines,
                           color=self.color, role=self.role, align="left" if self.align == "left" else "center")
        if self.align == "right":
            for line in caption:
                line.align_to(caption, RIGHT)
        elif self.align == "center":
            for line in caption:
                line.set_x(caption.get_x())
        caption.move_to(self.point, aligned_edge=self.anchor)
        return caption

    def swap(self, scene: Any, old: Mobject | None, text: str, out_time: float = 0.35,
             in_time: float = 0.35) -> Paragraph:
        """Replace `old` (if any) by the caption for `text`: the old one fades out before the new one
        fades in, so two captions never share the slot."""
        new = self.make(text)
        if old is not None:
            scene.play(FadeOut(old, shift=UP * 0.2), run_time=out_time)
        scene.play(FadeIn(new, shift=self.enter), run_time=in_time)
        return new

    @staticmethod
    def text_of(caption: VGroup) -> str:
        """The caption's whole text (for reading time)."""
        return getattr(caption, "source", "") or " ".join(getattr(line, "original_text", "") for line in caption)

