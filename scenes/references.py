"""Slide 'references': every reference (title, core concept, full link), a few entries per page."""

from __future__ import annotations

from typing import Any

from manim import *

from explainer.scenekit.components.fit import fit_line, fit_text
from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene, reading_time
from specs.references import paginate

TEXT_LEFT = -5.9          # where titles, concepts and links start (the number badge sits left of it)
TEXT_WIDTH = 12.3
LINK_SIZE = 22            # Latin-only: just above the smallest readable Latin size, shrunk to the width if longer
PAGE_TOP = 2.55


class References(SlideScene):
    slide_id = "references"
    exposed = ("pages_shown",)

    def construct(self) -> None:
        p, th = self.params, self.theme
        pages = paginate(list(p.entries), p.per_page)
        self.pages_shown: list[list[str]] = []

        # 1. The title and how many pages follow
        self.step("title")
        title = self.show_title()
        counter = MathTex(f"1 / {len(pages)}", font_size=34, color=th.muted).to_corner(UR, buff=0.55)
        counter.align_to(title[0], DOWN)
        self.play(FadeIn(counter), run_time=0.4)

        # 2. Each page: its entries slide in one after another, then stay long enough to read
        current: VGroup | None = None
        number = 1
        for page_index, page in enumerate(pages):
            self.step(f"page-{page_index + 1}")
            blocks = VGroup(*(self.entry_block(number + i, entry) for i, entry in enumerate(page)))
            number += len(page)
            blocks.arrange(DOWN, buff=0.5, aligned_edge=LEFT)
            blocks.next_to([TEXT_LEFT, PAGE_TOP, 0], DOWN, buff=0, aligned_edge=LEFT).shift(LEFT * 0.7)
            new_counter = MathTex(f"{page_index + 1} / {len(pages)}", font_size=34,
                                  color=th.muted).move_to(counter)
            exits = [current.animate.shift(LEFT * 1.5).set_opacity(0)] if current is not None else []
            if exits:
                self.play(*exits, ReplacementTransform(counter, new_counter), run_time=0.5)
                self.remove(current)
                counter = new_counter
            self.play(LaggedStart(*(FadeIn(b, shift=LEFT * 1.2) for b in blocks), lag_ratio=0.35),
                      run_time=1.4)
            # Underline each link as it is read, so the eye moves through the page.
            for block in blocks:
                link = block.link
                rule = Line(link.get_corner(DL), link.get_corner(DR), color=th.muted, stroke_width=2)
                rule.shift(DOWN * 0.06)
                block.add(rule)
                self.play(Create(rule), run_time=0.35)
            self.pages_shown.append([e.title for e in page])
            self.hold(seconds=min(5.0, sum(reading_time(e.concept) for e in page) + 1.5))
            current = blocks
        self.wait(0.5)

    def entry_block(self, number: int, entry: Any) -> VGroup:
        """Number badge, title (wrapped), core concept, and the full link."""
        th = self.theme
        title = fit_text(entry.title, TEXT_WIDTH, None, "label", color=th.text, line_spacing=0.12)
        concept = cjk(entry.concept, "label", role="accent")
        link = fit_line(entry.link, TEXT_WIDTH, LINK_SIZE, role="muted")
        body = VGroup(title, concept, link).arrange(DOWN, buff=0.12, aligned_edge=LEFT)
        disc = Circle(radius=0.27, fill_color=th.accent, fill_opacity=1, stroke_width=0)
        digit = MathTex(str(number), font_size=36, color=th.background).move_to(disc)
        badge = VGroup(disc, digit).next_to(title[0], LEFT, buff=0.3)
        block = VGroup(badge, body)
        block.link = link
        return block
