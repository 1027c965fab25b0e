"""Slide 'attention-comparison': human vs Transformer attention, one facet (table row) at a time."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.fit import fit_text
from explainer.scenekit.slide_scene import SlideScene
from specs.attention_comparison import facet_rows

# Column spans (x from, x to): facet name, human cell, machine cell.
NAME_COL = (-6.7, -3.45)
HUMAN_COL = (-3.15, 1.6)
MACHINE_COL = (1.95, 6.7)
HEADER_Y = 2.0
ROWS_BOTTOM = -3.7
ROW_PAD = 0.32


class AttentionComparison(SlideScene):
    slide_id = "attention-comparison"
    exposed = ("rows_shown",)

    def construct(self) -> None:
        p, th = self.params, self.theme
        human_color, machine_color = th.text, th.accent   # the person plain, the Transformer in its accent

        # 1. Title and the two columns: a biological system against an artificial one
        self.step("columns")
        self.show_title()
        human_head = self.header(p.human, HUMAN_COL, human_color)
        machine_head = self.header(p.machine, MACHINE_COL, machine_color)
        human_head.move_to([sum(HUMAN_COL) / 2, HEADER_Y, 0])
        machine_head.move_to([sum(MACHINE_COL) / 2, HEADER_Y, 0])
        human_rule = Line([HUMAN_COL[0], 0, 0], [HUMAN_COL[1], 0, 0], color=human_color, stroke_width=4)
        machine_rule = Line([MACHINE_COL[0], 0, 0], [MACHINE_COL[1], 0, 0], color=machine_color, stroke_width=4)
        rule_y = min(human_head.get_bottom()[1], machine_head.get_bottom()[1]) - 0.12
        human_rule.set_y(rule_y)
        machine_rule.set_y(rule_y)
        self.play(FadeIn(human_head, shift=RIGHT * 0.4), GrowFromEdge(human_rule, LEFT),
                  FadeIn(machine_head, shift=LEFT * 0.4), GrowFromEdge(machine_rule, RIGHT), run_time=1.0)
        self.hold(p.human + p.machine)

        # 2..n. Each facet: the row is spotlit, the two answers arrive from their own sides
        rows = facet_rows(list(p.facets))
        cells = [(self.cell(n, NAME_COL, "body", th.text), self.cell(h, HUMAN_COL, "body", th.text),
                  self.cell(m, MACHINE_COL, "body", th.text)) for n, h, m in rows]
        heights = [max(c.height for c in row) + 2 * ROW_PAD for row in cells]
        top = rule_y - 0.25
        # Spread the rows over the free height (capped), so a short table does not huddle at the top.
        gap = min(0.45, max(0.12, (top - ROWS_BOTTOM - sum(heights)) / max(len(rows), 1)))
        shown: list[VGroup] = []
        spotlight: Mobject | None = None
        self.rows_shown: list[tuple[str, str, str]] = []
        for index, (name, human, machine) in enumerate(rows):
            self.step(f"facet-{index + 1}")
            name_cell, human_cell, machine_cell = cells[index]
            height = heights[index]
            center_y = top - height / 2
            for cell, col in ((name_cell, NAME_COL), (human_cell, HUMAN_COL), (machine_cell, MACHINE_COL)):
                cell.move_to([col[0] + cell.width / 2, center_y, 0])
            panel = RoundedRectangle(width=NAME_COL[1] - NAME_COL[0] + 0.2 + MACHINE_COL[1] - NAME_COL[1],
                                     height=height - 0.1, corner_radius=0.12, stroke_width=0,
                                     fill_color=th.panel, fill_opacity=1)
            panel.move_to([(NAME_COL[0] + MACHINE_COL[1]) / 2, center_y, 0])
            divider = DashedLine([sum((HUMAN_COL[1], MACHINE_COL[0])) / 2, center_y + height / 2 - 0.15, 0],
                                 [sum((HUMAN_COL[1], MACHINE_COL[0])) / 2, center_y - height / 2 + 0.15, 0],
                                 color=th.muted, stroke_width=2)
            new_spot = SurroundingRectangle(panel, color=th.highlight, buff=0.04, corner_radius=0.14,
                                            stroke_width=3)
            dims = [row.animate.set_opacity(0.45) for row in shown]
            spot_move = [ReplacementTransform(spotlight, new_spot)] if spotlight else [Create(new_spot)]
            self.play(FadeIn(panel), *dims, *spot_move, Write(name_cell), run_time=0.8)
            spotlight = new_spot
            self.play(FadeIn(human_cell, shift=RIGHT * 0.8), run_time=0.7)
            self.play(Create(divider), FadeIn(machine_cell, shift=LEFT * 0.8), run_time=0.7)
            row = VGroup(name_cell, human_cell, machine_cell, divider)
            self.bring_to_back(panel)
            shown.append(row)
            self.rows_shown.append((name, human, machine))
            self.hold(human + machine)
            top = center_y - height / 2 - gap

        # Last: the whole table at once
        self.step("summary")
        self.play(*(row.animate.set_opacity(1) for row in shown),
                  *([FadeOut(spotlight)] if spotlight else []), run_time=0.6)
        self.wait(1.5)

    def header(self, text: str, column: tuple[float, float], color: str) -> VGroup:
        """A column heading; a trailing parenthetical such as 「（生物系統）」 gets its own line."""
        main, bracket, rest = text.partition("（")
        lines = [main.strip(), bracket + rest] if bracket and main.strip() else [text]
        block = VGroup(*(self.cell(line, column, "body", color, center=True) for line in lines))
        block.arrange(DOWN, buff=0.1)
        for line in block:
            line.set_x(sum(column) / 2)
        return block

    def cell(self, text: str, column: tuple[float, float], size: str, color: str,
             center: bool = False) -> VGroup:
        """`text` wrapped to the column's width."""
        width = column[1] - column[0]
        return fit_text(text, width, None, size, color=color, line_spacing=0.14, align="center" if center else "left")
