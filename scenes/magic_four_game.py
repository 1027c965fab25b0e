"""Slide 'magic-four-game': a working-memory game that blocks rehearsal — unrelated words flashed briefly,
counting backwards aloud, then recall and the reveal: about four chunks (Cowan), not a promise."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.fit import fit_line
from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene
from specs.magic_four_game import backward_count, beats_in, draw_items, grid_columns

CARD_W = 2.9
GRID_TOP = 0.95          # y of the first card row


class MagicFourGame(SlideScene):
    slide_id = "magic-four-game"
    exposed = ("items", "counted", "takeaway", "chunks")

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
            digit = MathTex(str(number), font_size=150, color=th.highlight).move_to([0, -0.4, 0])
            ring = Circle(radius=1.35, color=th.highlight, stroke_width=6).move_to(digit)
            self.play(FadeIn(digit, scale=1.6), Create(ring), run_time=0.5)
            self.play(FadeOut(digit, scale=0.6), FadeOut(ring), run_time=0.5)

        # 2. Unrelated words flash briefly (too short to chunk them), with a draining timer bar
        self.step("flash")
        memorize = cjk(prompts.memorize, "heading", color=th.highlight).move_to(ready)
        cards = self.make_cards(self.items)
        self.play(FadeOut(ready, shift=UP * 0.2), run_time=0.25)
        self.play(FadeIn(memorize, shift=UP * 0.2),
                  LaggedStart(*(FadeIn(c, scale=0.8) for c in cards), lag_ratio=0.05), run_time=0.4)
        self.drain_timer(th.highlight, p.flash_seconds)

        # 3. Count backwards aloud: it keeps you from repeating the words in your head
        self.step("distract")
        distractor = p.distractor
        beats = backward_count(distractor.start, distractor.step, beats_in(distractor.seconds))
        self.counted = beats   # for tests
        say = cjk(prompts.distract.format(start=distractor.start, step=distractor.step), "heading",
                  color=th.text).move_to([0, 2.1, 0])
        start = MathTex(str(beats[0]), font_size=110, color=th.text).move_to([0, -0.2, 0])
        minus = MathTex(f"-{distractor.step}", font_size=60, color=th.highlight)
        self.play(FadeOut(cards, scale=0.9), FadeOut(memorize), run_time=0.3)
        self.play(FadeIn(say, shift=DOWN * 0.2), FadeIn(start, scale=1.3), run_time=0.5)
        last = self.distract_beats(start, minus, beats, distractor.seconds - 0.8)
        self.play(FadeOut(say), FadeOut(last), run_time=0.3)

        # 4. Recall: the blank screen, say what you remember
        self.step("recall")
        recall = cjk(prompts.recall, "heading", color=th.text).move_to([0, 0.3, 0])
        self.play(FadeIn(recall), run_time=0.4)
        if p.pause_seconds > 0:
            self.drain_timer(th.muted, p.pause_seconds)

        # 5. The reveal: the items return one by one, numbered
        self.step("reveal")
        reveal = cjk(prompts.reveal, "heading", color=th.highlight).move_to([0, 2.1, 0])
        self.play(FadeOut(recall), FadeIn(reveal, shift=DOWN * 0.2), run_time=0.5)
        for index, card in enumerate(cards):
            badge = MathTex(str(index + 1), font_size=36, color=th.background)
            disc = Circle(radius=0.26, fill_color=th.highlight, fill_opacity=1, stroke_width=0)
            # Inside the card's corner, so the card's outline never runs through the number.
            badge_group = VGroup(disc, badge.move_to(disc)).move_to(card.get_corner(UL) + RIGHT * 0.4 + DOWN * 0.4)
            self.play(FadeIn(card, shift=UP * 0.2), FadeIn(badge_group, scale=0.5), run_time=0.35)
        self.wait(0.6)

        # 6. The takeaway: about four chunks with rehearsal blocked, a range and not a promise
        self.step("takeaway")
        spread = p.recall_range
        meter = VGroup(*(Circle(radius=0.22, stroke_color=th.muted, stroke_width=3) for _ in self.items))
        meter.arrange(RIGHT, buff=0.2).move_to([0, self.cards_bottom - 0.55, 0])
        takeaway = fit_line(prompts.takeaway.format(low=spread.low, high=spread.high), config.frame_width - 1.0,
                            "heading", color=th.good)
        chunks = fit_line(prompts.chunks.format(n=p.typical_recall), config.frame_width - 1.0, "body", color=th.text)
        VGroup(takeaway, chunks).arrange(DOWN, buff=0.22).next_to(meter, DOWN, buff=0.3)
        self.takeaway, self.chunks = takeaway, chunks   # for tests
        self.play(Create(meter), run_time=0.6)
        # Solid up to the low end of the range, paler up to its high end: "about", a range.
        fills = [meter[i].animate.set_fill(th.good, opacity=1 if i < spread.low else 0.4).set_stroke(th.good)
                 for i in range(min(spread.high, len(self.items)))]
        self.play(LaggedStart(*fills, lag_ratio=0.35), run_time=1.2)
        self.play(Write(takeaway), run_time=0.8)
        self.hold(takeaway.original_text)
        self.play(FadeIn(chunks, shift=UP * 0.2), run_time=0.6)
        self.hold(chunks.original_text)
        self.wait(1.0)

    def make_cards(self, items: list[str]) -> VGroup:
        """One card per item, in rows of up to four, centred."""
        th = self.theme
        columns = grid_columns(len(items))
        row_count = -(-len(items) // columns)
        # Two rows get big cards; a third row needs them flatter to leave room for the takeaway.
        card_h, row_gap = (1.3, 1.6) if row_count <= 2 else (1.0, 1.2)
        cards = VGroup()
        for item in items:
            box = RoundedRectangle(width=CARD_W, height=card_h, corner_radius=0.15, stroke_color=th.muted,
                                   fill_color=th.panel, fill_opacity=1)
            label = fit_line(item, CARD_W - 0.4, "title", color=th.text).move_to(box)
            cards.add(VGroup(box, label))
        rows = [cards[i:i + columns] for i in range(0, len(cards), columns)]
        for row_index, row in enumerate(rows):
            VGroup(*row).arrange(RIGHT, buff=0.35).move_to([0, GRID_TOP - row_index * row_gap, 0])
        self.cards_bottom = cards.get_bottom()[1]
        return cards

    def distract_beats(self, number: Mobject, minus: Mobject, numbers: list[int], seconds: float) -> Mobject:
        """A beat per number: a ring pulses and "−step" pops out (say the next number now), then the
        number turns into it, so the viewer checks the sum after saying it. Returns the last number."""
        beat = seconds / max(len(numbers) - 1, 1)
        for value in numbers[1:]:
            ring = Circle(radius=1.0, color=self.theme.highlight, stroke_width=4).move_to(number)
            pop = minus.copy().next_to(ring, RIGHT, buff=0.25)
            self.play(FadeIn(pop, shift=RIGHT * 0.3), Create(ring), run_time=beat * 0.5)
            # The old number rolls up and away, the new one rolls in (a counter, not a morph).
            shown = MathTex(str(value), font_size=110, color=self.theme.text).move_to(number)
            self.play(FadeOut(pop, shift=RIGHT * 0.3), FadeOut(ring), FadeOut(number, shift=UP * 0.5),
                      run_time=beat * 0.25)
            self.play(FadeIn(shown, shift=UP * 0.5), run_time=beat * 0.25)
            number = shown
        return number

    def drain_timer(self, color: str, seconds: float) -> None:
        """A thin bar near the bottom that drains while the given time runs, then goes."""
        bar = Rectangle(width=8.0, height=0.14, stroke_width=0, fill_color=color, fill_opacity=0.9)
        bar.move_to([0, -3.4, 0])
        self.add(bar)
        self.play(bar.animate.stretch_to_fit_width(0.01, about_edge=LEFT), run_time=seconds, rate_func=linear)
        self.remove(bar)
