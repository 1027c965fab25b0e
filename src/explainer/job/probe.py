"""What `doctor`'s probe found when it really ran Manim (rendering/probe.py): a formula through
LaTeX and dvisvgm, and Chinese text in the theme's font."""

from __future__ import annotations

from dataclasses import dataclass

PROBE_TEXT = "注意力"   # three characters: Pango must draw three glyphs
PROBE_FORMULA = r"P_i = \frac{e^{z_i / T}}{\sum_j e^{z_j / T}}"


@dataclass(frozen=True)
class ToolchainProbe:
    """Each error is None when that part worked; `started` is the error of a probe process that
    could not run at all (Manim missing or broken)."""

    formula_error: str | None = None
    text_error: str | None = None
    glyphs: int = 0                  # glyphs drawn for PROBE_TEXT
    started: str | None = None
