"""Chinese text in the theme's font, wrapped paragraphs, and lines mixing Chinese with inline math."""

from __future__ import annotations

import re
from functools import lru_cache

from manim import DOWN, LEFT, RIGHT, UP, MathTex, Text, VGroup, VMobject

from explainer.script.theme import Theme
from explainer.text.linebreak import wrap

_current = Theme()


def use_theme(theme: Theme) -> None:
    """Set the theme components draw with (SlideScene does this in setup)."""
    global _current
    _current = theme


def current_theme() -> Theme:
    """The theme components draw with."""
    return _current


def font_size(size: str | float) -> float:
    """A named size from the theme ('title', 'body', ...) or a number."""
    return float(getattr(_current.sizes, size)) if isinstance(size, str) else float(size)


def full_width_advance(size: str | float) -> float:
    """The advance of one full-width character at `size`, measured on a run (ink alone is narrower)."""
    return _advance(_current.font, font_size(size))


@lru_cache(maxsize=64)
def _advance(font: str, size: float) -> float:
    run = Text("字" * 10, font=font, font_size=size)
    return run.width / 10 * 1.02  # the run's ink spans 9 gaps and 10 glyphs; keep a sliver of slack


def cjk(text: str, size: str | float = "body", color: str | None = None, weight: str = "NORMAL") -> Text:
    """A Text in the theme's CJK font (Pango otherwise falls back silently to another face)."""
    return Text(
        text,
        font=_current.font,
        font_size=font_size(size),
        color=color or _current.palette["text"],
        weight=weight,
    )


def paragraph(
    text: str,
    max_width: float,
    size: str | float = "body",
    color: str | None = None,
    line_spacing: float = 0.22,
    align: str = "left",
) -> VGroup:
    """`text` wrapped to `max_width` Manim units, one Text per line."""
    lines = wrap(text, max_width / full_width_advance(size))
    group = VGroup(*(cjk(line, size, color) for line in lines))
    group.arrange(DOWN, buff=line_spacing, aligned_edge=LEFT if align == "left" else UP * 0)
    if align == "center":
        for line in group:
            line.set_x(0)
    return group


_MATH = re.compile(r"\$([^$]+)\$")


class MixedLine(VGroup):
    """A line such as 「Logit $z_i$ 轉換為機率 $P_i$」: Chinese as Text, $...$ as MathTex, on one baseline."""

    def __init__(
        self,
        source: str,
        size: str | float = "body",
        color: str | None = None,
        math_color: str | None = None,
        buff: float = 0.1,
        min_math_size: float = 40,
    ) -> None:
        super().__init__()
        pieces: list[VMobject] = []
        position = 0
        size_value = font_size(size)
        for match in _MATH.finditer(source):
            before = source[position : match.start()].strip()
            if before:
                pieces.append(cjk(before, size_value, color))
            pieces.append(
                # Lowercase-only math (z_i) is short: keep it readable next to CJK glyphs.
                MathTex(match.group(1), font_size=max(size_value * 1.15, min_math_size),
                        color=math_color or color or _current.palette["text"])
            )
            position = match.end()
        rest = source[position:].strip()
        if rest:
            pieces.append(cjk(rest, size_value, color))
        self.pieces = pieces
        self.add(*pieces)
        self.arrange(RIGHT, buff=buff)
        # Pango and LaTeX boxes differ; centre each piece on the CJK text's mid-line.
        anchor = next((p for p in pieces if isinstance(p, Text)), None)
        if anchor is not None:
            for piece in pieces:
                if isinstance(piece, MathTex):
                    piece.set_y(anchor.get_y())

    def math(self, index: int = 0) -> MathTex:
        """The index-th inline formula of the line."""
        return [p for p in self.pieces if isinstance(p, MathTex)][index]
