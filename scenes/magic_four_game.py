"""Slide 'magic-four-game': a working-memory game — countdown, a seeded set flashed, a blank pause, the reveal."""

from __future__ import annotations

import numpy as np
from manim import *

from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene

CARD_W = 2.9
GRID_TOP = 0.95          # y of the first card row


def draw_items(pool: list[str], count: int, seed: int) -> list[str]:
    """`count` distinct items from `pool`, drawn with numpy's default_rng(seed): a re-render is identical."""
    rng = np.random.default_rng(seed)
    return [pool[int(i)] for i in rng.choice(len(pool), size=count, replace=False)]


def grid_columns(count: int) -> int:
    """Cards per row: at most 4 (two rows for up to 8 items, three for up to 12)."""
    return min(4, count)


class MagicFourGame(SlideScene):
    slide_id = "magic-four-game"

    def construct(self) -> None:
        p, th = self.params, self.theme
        self.items = draw_items(list(p.pool), p.count, p.seed)
        prompts = p.prompts

        # 1. Get ready: a countdown
        self.step("countdown")
        self.show_title()
        ready = cjk(prompts.ready, "heading", color=th.highlight).move_to([0, 2.1, 0])
        self.play(FadeIn(ready, shift=DOWN * 0.2), run_time=0.6)
        for number in range(p.countdown, 0, -1):
            digit = MathTex(str(number), font_size=150, color=th.query).move_to([0, -0.4, 0])
            ring = Circle(radius=1.35, color=th.query, stroke_width=6).move_to(digit)
            self.play(FadeIn(digit, scale=1.6), Create(ring), run_time=0.5)
            self.play(FadeOut(digit, scale=0.6), FadeOut(ring), run_time=0.5)

        # 2. The items flash for a few seconds, with a draining timer bar
        self.step("flash")
        memorize = cjk(prompts.memorize, "heading", color=th.highlight).move_to(ready)
        cards = self.make_cards(self.items)
        self.play(ReplacementTransform(ready, memorize),
                  LaggedStart(*(FadeIn(c, scale=0.8) for c in cards), lag_ratio=0.08), run_time=0.8)
        self.drain_timer(th.query, p.flash_seconds)

        # 3. Blank pause: everything gone, recall in your head
        self.step("recall")
        recall = cjk(prompts.recall, "heading", color=th.text).move_to([0, 0.3, 0])
        self.play(FadeOut(cards, scale=0.9), FadeOut(memorize), run_time=0.4)
        self.play(FadeIn(recall), run_time=0.4)
        if p.pause_seconds > 0:
            self.drain_timer(th.muted, p.pause_seconds)

        # 4. The reveal: the items return one by one, numbered
        self.step("reveal")
        reveal = cjk(prompts.reveal, "heading", color=th.highlight).move_to([0, 2.1, 0])
        self.play(FadeOut(recall), FadeIn(reveal, shift=DOWN * 0.2), run_time=0.5)
        badges = VGroup()
        for index, card in enumerate(cards):
            badge = MathTex(str(index + 1), font_size=36, color=th.background)
            disc = Circle(radius=0.26, fill_color=th.query, fill_opacity=1, stroke_width=0)
            badge_group = VGroup(disc, badge.move_to(disc)).move_to(card.get_corner(UL) + RIGHT * 0.05 + DOWN * 0.05)
            badges.add(badge_group)
            self.play(FadeIn(card, shift=UP * 0.2), FadeIn(badge_group, scale=0.5), run_time=0.35)
        self.wait(0.6)

        # 5. The takeaway: most people hold about four
        self.step("takeaway")
        meter = VGroup(*(Circle(radius=0.24, stroke_color=th.muted, stroke_width=3) for _ in self.items))
        meter.arrange(RIGHT, buff=0.22).move_to([0, self.cards_bottom - 0.65, 0])
        takeaway = cjk(prompts.takeaway.format(n=p.typical_recall), "heading", color=th.good)
        takeaway.next_to(meter, DOWN, buff=0.4)
        recalled = min(p.typical_recall, len(self.items))
        self.play(Create(meter), run_time=0.6)
        self.play(LaggedStart(*(meter[i].animate.set_fill(th.good, opacity=1).set_stroke(th.good)
                                for i in range(recalled)), lag_ratio=0.4), run_time=1.2)
        self.play(Write(takeaway), run_time=0.8)
        self.hold(takeaway.original_text)
        self.wait(1.0)

    def make_cards(self, items: list[str]) -> VGroup:
        """One card per item, in rows of up to four, centred."""
        th = self.theme
        columns = grid_columns(len(items))
        row_count = -(-len(items) // columns)
        # Two rows get big cards; a third row needs them flatter to leave room for the takeaway.
        card_h, row_gap = (1.3, 1.6) if row_count <= 2 else (1.0, 1.25)
        cards = VGroup()
        for _index, item in enumerate(items):
            box = RoundedRectangle(width=CARD_W, height=card_h, corner_radius=0.15, stroke_color=th.key,
                                   fill_color=th.panel, fill_opacity=1)
            label = cjk(item, 40, color=th.text).move_to(box)
            if label.width > CARD_W - 0.4:
                label.scale_to_fit_width(CARD_W - 0.4)
            cards.add(VGroup(box, label))
        rows = [cards[i:i + columns] for i in range(0, len(cards), columns)]
        for row_index, row in enumerate(rows):
            VGroup(*row).arrange(RIGHT, buff=0.35).move_to([0, GRID_TOP - row_index * row_gap, 0])
        self.cards_bottom = cards.get_bottom()[1]
        return cards

    def drain_timer(self, color: str, seconds: float) -> None:
        """A thin bar under the cards that drains while the given time runs, then goes."""
        bar = Rectangle(width=8.0, height=0.14, stroke_width=0, fill_color=color, fill_opacity=0.9)
        bar.move_to([0, -3.2, 0])
        self.add(bar)
        self.play(bar.animate.stretch_to_fit_width(0.01, about_edge=LEFT), run_time=seconds, rate_func=linear)
        self.remove(bar)
