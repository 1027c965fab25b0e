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


def tint(color: str | None = None, role: str | None = None, default: str = "text") -> str:
    """The colour to draw with: a colour role of the theme (`role="probability"`), else `color`
    (kept for older callers), else the `default` role. Scenes name roles; see script/theme.py."""
    if role is not None:
        if color is not None:
            raise ValueError(f"give a colour role or a colour, not both (role={role!r}, color={color!r})")
        if role not in _current.palette:
            raise KeyError(f"no colour role {role!r}; roles: {', '.join(_current.palette)}")
        return _current.palette[role]
    return color or _current.palette[default]


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


def cjk(text: str, size: str | float = "body", color: str | None = None, weight: str = "NORMAL",
        *, role: str | None = None) -> Text:
    """A Text in the theme's CJK font (Pango otherwise falls back silently to another face)."""
    return Text(
        text,
        font=_current.font,
        font_size=font_size(size),
        color=tint(color, role),
        weight=weight,
    )


class Paragraph(VGroup):
    """Lines of one wrapped text, one Text per line (`paragraph`, `fit_paragraph` build it).

    `.source` is the whole text and `.lines` its lines as wrapped; each line's Text carries the
    same in `paragraph_source` / `paragraph_lines` / `line_index` (plain data: copying a line
    never copies the group), so the layout check can say how much of the text fits the frame.
    `.overflow` says what does not fit the box it was fitted to (None: all of it fits).
    """

    def __init__(self, source: str, lines: list[str], texts: list[Text]) -> None:
        super().__init__(*texts)
        self.source, self.lines = source, tuple(lines)
        self.overflow: str | None = None
        self.size: float = 0.0
        key = id(self)
        for index, text in enumerate(texts):
            text.paragraph_source, text.paragraph_lines = source, self.lines
            text.paragraph_key, text.line_index = key, index


def paragraph(
    text: str,
    max_width: float,
    size: str | float = "body",
    color: str | None = None,
    line_spacing: float = 0.22,
    align: str = "left",
    *,
    role: str | None = None,
    weight: str = "NORMAL",
) -> Paragraph:
    """`text` wrapped to `max_width` Manim units between words, one Text per line."""
    lines = wrap(text, max_width / full_width_advance(size))
    group = Paragraph(text, lines, [cjk(line, size, color, weight, role=role) for line in lines])
    group.size = font_size(size)
    group.arrange(DOWN, buff=line_spacing, aligned_edge=LEFT if align == "left" else UP * 0)
    if align == "center":
        for line in group:
            line.set_x(0)
    return group


# The smallest size a component shrinks text to: a CJK glyph at 20 is ~3.3% of the frame height,
# above the layout check's 2.8% minimum (scenekit/layout.py).
MIN_TEXT_SIZE = 20
SHRINK_STEP = 2


def fit_paragraph(
    text: str,
    max_width: float,
    max_height: float | None = None,
    size: str | float = "body",
    min_size: str | float = MIN_TEXT_SIZE,
    color: str | None = None,
    line_spacing: float = 0.22,
    align: str = "left",
    *,
    role: str | None = None,
) -> Paragraph:
    """`text` fitted into a `max_width` x `max_height` box: wrapped between words at `size`, then
    shrunk step by step down to `min_size`; if it still does not fit, the paragraph at `min_size`
    with `.overflow` saying how many characters fit (the layout check reports it)."""
    start, smallest = font_size(size), font_size(min_size)
    candidate = start
    while True:
        if max_height is not None and candidate > smallest:
            # Skip sizes that clearly cannot fit (a CJK line's ink is about one advance tall):
            # building the Text objects is the costly part.
            lines = wrap(text, max_width / full_width_advance(candidate))
            estimate = len(lines) * full_width_advance(candidate) * 0.9 + (len(lines) - 1) * line_spacing
            if estimate > max_height * 1.05:
                candidate = max(smallest, candidate - SHRINK_STEP)
                continue
        group = paragraph(text, max_width, candidate, color, line_spacing, align, role=role)
        fits_height = max_height is None or group.height <= max_height + 1e-6
        if group.width <= max_width + 1e-6 and fits_height:
            return group
        if candidate <= smallest:
            group.overflow = overflow_report(group, max_width, max_height, line_spacing)
            for line in group:
                line.paragraph_overflow = group.overflow   # the layout check reports it
            return group
        candidate = max(smallest, candidate - SHRINK_STEP)


def overflow_report(group: Paragraph, max_width: float, max_height: float | None, line_spacing: float) -> str:
    """How much of `group` fits its box: '96 of 150 characters fit (4 of 6 lines, 7.0 x 2.5 box)'."""
    fitting = 0
    total = sum(len(line) for line in group.lines)
    used = 0.0
    lines_fit = 0
    for line, text in zip(group.lines, group.submobjects):
        used += text.height + (line_spacing if lines_fit else 0.0)
        if max_height is not None and used > max_height + 1e-6:
            break
        lines_fit += 1
        fitting += len(line) if text.width <= max_width + 1e-6 else int(len(line) * max_width / text.width)
    box = f"{max_width:.1f} x {max_height:.1f}" if max_height is not None else f"{max_width:.1f} wide"
    return (f"does not fit its {box} box even at size {group.size:g}: {fitting} of {total} characters fit "
            f"({lines_fit} of {len(group.lines)} lines)")


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
        *,
        role: str | None = None,
        math_role: str | None = None,
    ) -> None:
        super().__init__()
        if role is not None:
            color = tint(role=role)
        if math_role is not None:
            math_color = tint(role=math_role)
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
