"""Layout check on a live scene: text inside the frame, no overlapping text, no glyph too small."""

from __future__ import annotations

from itertools import combinations

import numpy as np
from manim import DecimalNumber, MarkupText, Mobject, SingleStringMathTex, Text, config

FRAME_MARGIN = 0.15          # Manim units kept clear at every frame edge
MIN_GLYPH_FRACTION = 0.028   # "about 3%" of the frame height, for the tallest glyph of a text
OVERLAP_TOLERANCE = 0.03     # boxes may touch by this much (anti-aliasing, tight layouts)
TEXT_TYPES = (Text, MarkupText, SingleStringMathTex, DecimalNumber)


def visible(mobject: Mobject) -> bool:
    """Whether any part of the mobject is drawn with noticeable opacity."""
    for part in mobject.get_family():
        fill = part.get_fill_opacity() if hasattr(part, "get_fill_opacity") else 0
        stroke = part.get_stroke_opacity() if hasattr(part, "get_stroke_opacity") else 0
        if part.has_points() and max(float(fill), float(stroke)) > 0.05:
            return True
    return False


def text_objects(mobjects: list[Mobject]) -> list[Mobject]:
    """The outermost text and math objects on screen (not descending into them)."""
    found: list[Mobject] = []

    def walk(mobject: Mobject) -> None:
        if isinstance(mobject, TEXT_TYPES):
            if visible(mobject):
                found.append(mobject)
            return
        for child in mobject.submobjects:
            walk(child)

    for mobject in mobjects:
        walk(mobject)
    return found


def _box(mobject: Mobject) -> tuple[float, float, float, float]:
    points = np.concatenate([m.points for m in mobject.get_family() if m.has_points()])
    return points[:, 0].min(), points[:, 0].max(), points[:, 1].min(), points[:, 1].max()


def _name(mobject: Mobject) -> str:
    if isinstance(mobject, (Text, MarkupText)):
        return f"{type(mobject).__name__}({mobject.original_text[:24]!r})"
    if isinstance(mobject, SingleStringMathTex):
        return f"{type(mobject).__name__}({mobject.get_tex_string()[:24]!r})"
    if isinstance(mobject, DecimalNumber):
        return f"DecimalNumber({mobject.get_value():g})"
    return type(mobject).__name__


def _tallest_glyph(mobject: Mobject) -> float:
    leaves = [m for m in mobject.get_family() if m.has_points() and not m.submobjects]
    return max((m.height for m in leaves), default=0.0)


def layout_problems(scene: object) -> list[str]:
    """Every layout defect of what the scene shows right now, as readable lines."""
    texts = text_objects(list(scene.mobjects))
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    problems: list[str] = []
    boxes = {id(t): _box(t) for t in texts}
    for text in texts:
        x0, x1, y0, y1 = boxes[id(text)]
        if x0 < -half_w + FRAME_MARGIN or x1 > half_w - FRAME_MARGIN \
                or y0 < -half_h + FRAME_MARGIN or y1 > half_h - FRAME_MARGIN:
            problems.append(f"{_name(text)} reaches outside the frame margin "
                            f"(x {x0:.2f}..{x1:.2f}, y {y0:.2f}..{y1:.2f})")
        glyph = _tallest_glyph(text)
        if 0 < glyph < MIN_GLYPH_FRACTION * config.frame_height:
            problems.append(f"{_name(text)} is too small: tallest glyph {glyph / config.frame_height:.1%} "
                            f"of the frame height (needs {MIN_GLYPH_FRACTION:.1%})")
    for a, b in combinations(texts, 2):
        ax0, ax1, ay0, ay1 = boxes[id(a)]
        bx0, bx1, by0, by1 = boxes[id(b)]
        dx = min(ax1, bx1) - max(ax0, bx0)
        dy = min(ay1, by1) - max(ay0, by0)
        if dx > OVERLAP_TOLERANCE and dy > OVERLAP_TOLERANCE:
            problems.append(f"{_name(a)} overlaps {_name(b)} by {dx:.2f} x {dy:.2f}")
    return problems
