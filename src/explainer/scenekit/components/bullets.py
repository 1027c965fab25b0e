"""Bullet items (a dot and its wrapped text) and a list of them fitted into a box."""

from __future__ import annotations

from collections.abc import Sequence

from manim import LEFT, Dot, VGroup

from explainer.scenekit.components.text import (
    MIN_TEXT_SIZE,
    SHRINK_STEP,
    Paragraph,
    fit_paragraph,
    font_size,
    full_width_advance,
    tint,
)
from explainer.text.linebreak import wrap

BULLET_GAP = 0.35   # between one bullet's last line and the next bullet


class BulletItem(VGroup):
    """`BulletItem(text, width)`: `[0]` the dot (in the accent role), `[1]` the text wrapped to
    `width` between words (a Paragraph, shrunk down to `min_size` if `max_height` is given)."""

    def __init__(self, text: str, width: float, size: str | float = "body", *, max_height: float | None = None,
                 min_size: str | float = MIN_TEXT_SIZE, role: str | None = None, dot_role: str = "accent",
                 dot_radius: float = 0.07, dot_buff: float = 0.3) -> None:
        body: Paragraph = fit_paragraph(text, width, max_height, size, min_size, role=role)
        dot = Dot(radius=dot_radius, color=tint(role=dot_role))
        dot.next_to(body[0], LEFT, buff=dot_buff)
        super().__init__(dot, body)
        self.text, self.body, self.dot = text, body, dot


def fit_bullets(texts: Sequence[str], width: float, height: float, size: str | float = "body",
                min_size: str | float = MIN_TEXT_SIZE, gap: float = BULLET_GAP, **item_options: object
                ) -> list[BulletItem]:
    """Bullet items for `texts` at one common size, the largest from `size` down to `min_size` at
    which all of them, stacked with `gap`, fit `width` x `height`. If none does, they come at
    `min_size` and run past `height`: the layout check then says how many characters fit."""
    candidate, smallest = font_size(size), font_size(min_size)
    while True:
        if candidate > smallest and estimated_height(texts, width, candidate, gap) > height * 1.05:
            candidate = max(smallest, candidate - SHRINK_STEP)   # clearly too big: skip building it
            continue
        items = [BulletItem(text, width, candidate, min_size=candidate, **item_options) for text in texts]
        total = sum(item.height for item in items) + gap * max(0, len(items) - 1)
        if total <= height + 1e-6 or candidate <= smallest:
            return items
        candidate = max(smallest, candidate - SHRINK_STEP)


def estimated_height(texts: Sequence[str], width: float, size: float, gap: float,
                     line_spacing: float = 0.22) -> float:
    """About how tall the bullets would stack at `size` (a CJK line's ink is about one advance)."""
    advance = full_width_advance(size)
    lines = [len(wrap(text, width / advance)) for text in texts]
    return sum(n * advance * 0.9 + (n - 1) * line_spacing for n in lines) + gap * max(0, len(texts) - 1)


