"""Slide 'qkv-roles': the Query, Key and Value cards, each in its colour, with its meaning and analogy."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.fit import fit_line
from explainer.scenekit.components.text import paragraph
from explainer.scenekit.slide_scene import SlideScene

CARD_WIDTH = 4.15
NAME_SIZE = 30            # a card's role name: between heading and body, it shrinks to the card
CARD_GAP = 0.3
ROLE_COLOURS = ("query", "key", "value")   # the cards come in Q, K, V order


def card_centres(count: int, y: float) -> list[np.ndarray]:
    """Card centres side by side, centred on the frame."""
    span = count * CARD_WIDTH + (count - 1) * CARD_GAP
    return [np.array([-span / 2 + CARD_WIDTH / 2 + i * (CARD_WIDTH + CARD_GAP), y, 0.0]) for i in range(count)]


class QkvRoles(SlideScene):
    slide_id = "qkv-roles"
    exposed = ("cards", "veils")

    def construct(self) -> None:
        p, th = self.params, self.theme
        # 1. The title, and the three roles' symbols where their cards will stand
        self.step("title")
        title = self.show_title()
        top = title.get_bottom()[1] - 0.35
        bottom = -config.frame_height / 2 + 0.35
        centres = card_centres(len(p.cards), (top + bottom) / 2)
        built = [self.card(spec, th.palette[ROLE_COLOURS[index % len(ROLE_COLOURS)]], index, centre, top - bottom)
                 for index, (spec, centre) in enumerate(zip(p.cards, centres))]
        bigs = [card[1].copy().scale(2.2).move_to(centre) for card, centre in zip(built, centres)]
        self.play(LaggedStart(*(GrowFromCenter(big) for big in bigs), lag_ratio=0.3), run_time=1.2)
        self.cards = VGroup()
        self.veils: list[Mobject] = []
        # 2-4. Query, then Key, then Value: each card grows around its symbol
        for spec, card, big in zip(p.cards, built, bigs):
            self.step(f"card-{spec.symbol}")
            frame, badge, name, icon, meaning, rule, analogy = card
            # Earlier cards step back (a veil, so their fills and outlines keep their look).
            veils = [self.veil(c) for c in self.cards if not getattr(c, "veiled", False)]
            for c in self.cards:
                c.veiled = True
            # The frame goes in behind the symbol already standing there.
            self.add(frame)
            self.bring_to_front(big)
            self.play(*(FadeIn(v) for v in veils), DrawBorderThenFill(frame), run_time=0.8)
            self.veils.extend(veils)
            # The symbol settles into the card's corner (added after the frame, so it stays in front).
            self.play(ReplacementTransform(big, badge), run_time=0.6)
            self.play(FadeIn(name, shift=DOWN * 0.2), Create(icon), run_time=0.6)
            self.play(FadeIn(meaning, shift=UP * 0.2), run_time=0.6)
            self.hold(spec.meaning)
            self.play(Create(rule), FadeIn(analogy, shift=UP * 0.2), run_time=0.6)
            self.hold(spec.analogy)
            self.cards.add(card)
        # 5. All three together: ask (Q), match (K), extract (V)
        self.step("together")
        self.play(*(FadeOut(v) for v in self.veils), run_time=0.6)
        # Each badge flashes in its own role's colour (Q yellow, K teal, V pink-red).
        colours = [th.palette[ROLE_COLOURS[i % len(ROLE_COLOURS)]] for i in range(len(self.cards))]
        self.play(LaggedStart(*(Indicate(card[1], color=colour, scale_factor=1.2)
                                for card, colour in zip(self.cards, colours)), lag_ratio=0.4),
                  run_time=1.4)
        self.wait(1.0)

    def card(self, spec, colour: str, index: int, centre: np.ndarray, height: float) -> VGroup:
        """Frame, symbol badge, name, icon, meaning, divider, analogy, stacked top to bottom."""
        th = self.theme
        frame = RoundedRectangle(width=CARD_WIDTH, height=height, corner_radius=0.2, stroke_color=colour,
                                 stroke_width=3, fill_color=th.panel, fill_opacity=1).move_to(centre)
        symbol = MathTex(spec.symbol, font_size=48, color=th.background)
        disc = Circle(radius=0.4, stroke_width=0, fill_color=colour, fill_opacity=1)
        badge = VGroup(disc, symbol.move_to(disc))
        badge.move_to(frame.get_corner(UL) + RIGHT * 0.65 + DOWN * 0.65)
        name = fit_line(spec.name, CARD_WIDTH - 1.5, NAME_SIZE, color=colour, weight="BOLD")
        name.next_to(badge, RIGHT, buff=0.25)
        icon = self.icon(index, colour)
        inner = CARD_WIDTH - 0.5
        meaning = paragraph(spec.meaning, inner, 26)
        rule = DashedLine(LEFT, RIGHT, color=colour, stroke_width=2).set(width=inner)
        analogy = paragraph(spec.analogy, inner, 28, color=colour)
        body = VGroup(icon, meaning, rule, analogy).arrange(DOWN, buff=0.4)
        for part in body:
            part.set_x(frame.get_x())
        # The body sits centred in the card below the badge row.
        below_badge = badge.get_bottom()[1] - 0.2
        body.set_y((below_badge + frame.get_bottom()[1]) / 2)
        return VGroup(frame, badge, name, icon, meaning, rule, analogy)

    def veil(self, card: VGroup) -> Mobject:
        """A translucent cover that dims a card without changing it."""
        return RoundedRectangle(width=card[0].width, height=card[0].height, corner_radius=0.2, stroke_width=0,
                                fill_color=self.theme.background, fill_opacity=0.55).move_to(card[0])

    def icon(self, index: int, colour: str) -> VGroup:
        """A small picture of the analogy: a search box (Q), result titles (K), a page of text (V)."""
        if index == 0:
            pill = RoundedRectangle(width=2.2, height=0.5, corner_radius=0.25, stroke_color=colour, stroke_width=3)
            lens = Circle(radius=0.1, color=colour, stroke_width=3).move_to(pill.get_left() + RIGHT * 0.3)
            handle = Line(lens.get_center() + DR * 0.07, lens.get_center() + DR * 0.18, color=colour,
                          stroke_width=3)
            caret = Line(UP * 0.15, DOWN * 0.15, color=colour, stroke_width=3).move_to(pill).shift(LEFT * 0.2)
            return VGroup(pill, lens, handle, caret)
        if index == 1:
            return VGroup(*(RoundedRectangle(width=2.2 - 0.35 * i, height=0.16, corner_radius=0.06, color=colour,
                                             stroke_width=0, fill_color=colour, fill_opacity=0.8)
                            for i in range(3))).arrange(DOWN, buff=0.12, aligned_edge=LEFT)
        page = RoundedRectangle(width=1.2, height=0.75, corner_radius=0.06, stroke_color=colour, stroke_width=3)
        lines = VGroup(*(Line(LEFT * 0.4, RIGHT * (0.4 - 0.15 * (i == 2)), color=colour, stroke_width=2)
                         for i in range(3))).arrange(DOWN, buff=0.13, aligned_edge=LEFT).move_to(page)
        return VGroup(page, lines)
