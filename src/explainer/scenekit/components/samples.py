"""A row of sampled words: a label (such as "T = 1.5") followed by one fixed-width cell per draw."""

from __future__ import annotations

from collections.abc import Sequence

from manim import Mobject, Text, VGroup

from explainer.scenekit.components.text import cjk, current_theme


class SampleRow(VGroup):
    """`label`, then the drawn words in equal cells (so rows of draws line up as columns).

    `cells` holds one Text per draw, in draw order; `label` is the given mobject. Cell width is
    the widest word plus `gap`, so one- and two-character words both keep a steady rhythm.
    """

    def __init__(self, label: Mobject, words: Sequence[str], *, size: str | float = "label",
                 gap: float = 0.12, label_width: float | None = None, color: str | None = None) -> None:
        super().__init__()
        theme = current_theme()
        self.label = label
        self.cells = VGroup(*(cjk(str(word), size, color or theme.palette["text"]) for word in words))
        cell_width = max((cell.width for cell in self.cells), default=0.0) + gap
        left = label.get_right()[0] + 0.3 if label_width is None else label.get_left()[0] + label_width
        for index, cell in enumerate(self.cells):
            cell.move_to([left + cell_width * (index + 0.5), label.get_y(), 0])
        self.add(label, self.cells)

    def cell(self, index: int) -> Text:
        """The index-th drawn word."""
        return self.cells[index]

    def words(self) -> list[str]:
        """The drawn words, in order."""
        return [cell.original_text for cell in self.cells]
