"""Fitting text into a box: wrap between words, shrink down to the smallest readable size, else raise."""

from __future__ import annotations

import math

from manim import Mobject, Text

from explainer.scenekit.components.text import (
    SHRINK_STEP,
    Paragraph,
    current_theme,
    font_size,
    full_width_advance,
    paragraph,
)
from explainer.scenekit.layout import MIN_GLYPH_FRACTION, TEXT_TYPES, describe, reading_height
from explainer.scenekit.layout import smallest_readable_size as _readable
from explainer.text.linebreak import wrap

EPSILON = 1e-6
SNUG_WRAP = 1.25   # a wrap this much wider is tried, and kept if its lines really fit


class TextDoesNotFit(ValueError):
    """A text that cannot fit its box even at the smallest size the layout check accepts."""


def min_readable_size(text: str = "字") -> float:
    """The smallest font size at which `text` in the theme's font passes the layout check (CJK
    text ~17.5, Latin-only text ~21.3: a digit's ink is shorter than a CJK glyph's), rounded up."""
    return math.ceil(_readable(text, current_theme().font) * 100 + 1) / 100   # a hair above: float noise


def fit_text(
    text: str,
    max_width: float,
    max_height: float | None = None,
    size: str | float = "body",
    *,
    min_size: str | float | None = None,
    max_lines: int | None = None,
    color: str | None = None,
    role: str | None = None,
    weight: str = "NORMAL",
    line_spacing: float = 0.22,
    align: str = "left",
) -> Paragraph:
    """`text` as a Paragraph inside `max_width` x `max_height` (and at most `max_lines` lines).

    At `size` it wraps between words; if it is too tall it re-wraps at smaller sizes (steps of
    SHRINK_STEP); if a line is too wide (a word longer than the box) the whole paragraph scales
    down exactly to the width, as a one-line text would. It never goes below `min_size`
    (default: the smallest size the layout check accepts for this text) and raises
    TextDoesNotFit, saying how many characters fit, when even that is too big.
    """
    start = font_size(size)
    floor = max(font_size(min_size), min_readable_size(text)) if min_size is not None else min_readable_size(text)
    if start < floor:
        raise TextDoesNotFit(f"text {text[:40]!r}: size {start:g} is below the smallest readable size {floor:g}")
    candidate = start
    while True:
        if _clearly_too_tall(text, max_width, max_height, max_lines, candidate, floor, line_spacing):
            candidate = max(floor, candidate - SHRINK_STEP)   # skip building it: Text objects are costly
            continue
        group = paragraph(text, max_width, candidate, color, line_spacing, align, role=role, weight=weight)
        too_many = max_lines is not None and len(group.lines) > max_lines
        too_tall = max_height is not None and group.height > max_height + EPSILON
        if not too_many and not too_tall:
            scale = min(1.0, max_width / group.width)
            if candidate * scale >= floor - EPSILON:
                if scale == 1.0 and len(group.lines) > 1:
                    group = _snug(group, text, max_width, max_height, candidate, color, line_spacing, align,
                                  role, weight)
                # Only a word wider than the box is left: shrink exactly to the width.
                if scale < 1.0:
                    group.scale(scale)
                group.size = candidate * scale
                return group
            raise TextDoesNotFit(_report(group, max_width, max_height, max_lines, line_spacing, floor))
        if candidate <= floor:
            raise TextDoesNotFit(_report(group, max_width, max_height, max_lines, line_spacing, floor))
        candidate = max(floor, candidate - SHRINK_STEP)


def fit_line(text: str, max_width: float, size: str | float = "body", **options: object) -> Text:
    """`text` on one line (a Text, glyphs indexable like cjk()'s), shrunk to `max_width` if it is
    wider, never below the smallest readable size; TextDoesNotFit otherwise."""
    line = fit_text(text, max_width, None, size, max_lines=1, **options)[0]
    for name in ("paragraph_source", "paragraph_lines", "paragraph_key", "line_index"):
        delattr(line, name)   # a lone line, not part of a paragraph the check reports as one
    return line


def shrink_to_fit(mobject: Mobject, max_width: float, max_height: float | None = None,
                  min_size: str | float | None = None) -> Mobject:
    """Scale an already-built text or group holding texts (a sentence with gaps opened in it, a
    card) down into `max_width` x `max_height` if it is bigger; raises TextDoesNotFit if any text
    in it would end up smaller than the layout check accepts (or than `min_size`)."""
    scale = min(1.0, max_width / mobject.width if mobject.width > 0 else 1.0,
                max_height / mobject.height if max_height is not None and mobject.height > 0 else 1.0)
    if scale >= 1.0:
        return mobject
    from manim import config

    readable = MIN_GLYPH_FRACTION * config.frame_height
    texts = [m for m in mobject.get_family() if isinstance(m, TEXT_TYPES)]
    # Per text, the smallest scale it allows: the check's glyph height, and `min_size` if given.
    floors = [(max(readable / reading_height(t),
                   font_size(min_size) / float(t.font_size) if min_size is not None and hasattr(t, "font_size") else 0.0),
               t) for t in texts if reading_height(t) > 0]
    if floors:
        floor_scale, which = max(floors, key=lambda pair: pair[0])
        if scale < floor_scale - EPSILON:
            source = getattr(which, "original_text", "") or ""
            fitting = int(len(source) * min(1.0, scale / floor_scale))
            raise TextDoesNotFit(
                f"{describe(which)} does not fit its {_box(max_width, max_height)} box: it needs scale {scale:.2f} "
                f"but may shrink only to {floor_scale:.2f} (readable size); {fitting} of {len(source)} characters fit")
    return mobject.scale(scale)


def _snug(group: Paragraph, text: str, max_width: float, max_height: float | None, size: float,
          color: str | None, line_spacing: float, align: str, role: str | None, weight: str) -> Paragraph:
    """`group` with fewer lines if they still fit: the wrap estimates widths from full-width
    advances (Latin and punctuation count more than they take), so lines may hold more."""
    wider = paragraph(text, max_width * SNUG_WRAP, size, color, line_spacing, align, role=role, weight=weight)
    fits = wider.width <= max_width + EPSILON and (max_height is None or wider.height <= max_height + EPSILON)
    return wider if fits and len(wider.lines) < len(group.lines) else group


def _clearly_too_tall(text: str, max_width: float, max_height: float | None, max_lines: int | None,
                      size: float, floor: float, line_spacing: float) -> bool:
    """Whether `size` certainly cannot fit (estimated from the wrap alone), so it is not built."""
    if size <= floor:
        return False
    lines = len(wrap(text, max_width / full_width_advance(size)))
    if max_lines is not None and lines > max_lines:
        return True
    if max_height is None:
        return False
    estimate = lines * full_width_advance(size) * 0.9 + (lines - 1) * line_spacing   # a CJK line is ~1 advance tall
    return estimate > max_height * 1.05


def _box(max_width: float, max_height: float | None) -> str:
    return f"{max_width:.2f} x {max_height:.2f}" if max_height is not None else f"{max_width:.2f} wide"


def _report(group: Paragraph, max_width: float, max_height: float | None, max_lines: int | None,
            line_spacing: float, floor: float) -> str:
    """What does not fit: 'text '…' (150 characters) does not fit its 7.00 x 2.50 box even at size
    18: 96 of 150 characters fit (4 of 6 lines)'."""
    total = sum(len(line) for line in group.lines)
    fitting, lines_fit, used = 0, 0, 0.0
    shrink = min(1.0, floor / group.size) if group.size else 1.0   # the lines as they would be at the floor
    for line, text in zip(group.lines, group.submobjects):
        used += text.height * shrink + (line_spacing if lines_fit else 0.0)
        if (max_height is not None and used > max_height + EPSILON) or (max_lines is not None and lines_fit >= max_lines):
            break
        lines_fit += 1
        width = text.width * shrink
        fitting += len(line) if width <= max_width + EPSILON else int(len(line) * max_width / width)
    return (f"text {group.source[:40]!r} ({total} characters) does not fit its {_box(max_width, max_height)} box "
            f"even at size {floor:g}: {fitting} of {total} characters fit ({lines_fit} of {len(group.lines)} lines)")
