"""Slide 'temperature-table': 低溫求穩，高溫求變 — bars reshaping live as the temperature sweeps, a ghost
of the T = 1 bars, and seeded draws of the next word at every temperature visited."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.bars import ProbabilityBars
from explainer.scenekit.components.bullets import fit_bullets
from explainer.scenekit.components.samples import SampleRow
from explainer.scenekit.components.softmax_chart import SoftmaxBars
from explainer.scenekit.components.text import cjk, paragraph
from explainer.scenekit.slide_scene import SlideScene
from specs.temperature_table import (
    HIGH,
    LOW,
    greedy_index,
    regime_examples,
    regime_of,
    seeded_draws,
    sweep_of,
    temperature_chars,
    visited_temperatures,
)

CARD_WIDTH = 6.3
BULLET_GAP = 0.15          # between bullets under the cards
LEFT_CENTER_X = -3.6       # the bars, the T dial and the draws live in the left half
BASELINE_Y = -0.7
BAR_HEIGHT = 1.9           # a probability of 1
DRAWS_TOP = -1.55          # the draws' heading; one row per temperature below it
DRAW_PITCH = 0.5
SWEEP_SECONDS = 2.8
REFERENCE_T = 1.0          # the ghost bars: plain softmax, the distribution the model computed


def temperature_glyphs(text: Text, source: str) -> list[VMobject]:
    """The glyphs of `text` (drawn from `source`) that write a temperature: "T < 1", "T = 0.2"."""
    glyph_of = {}   # the glyph of each drawn character of `source` (Text draws no glyph for spaces)
    for index, char in enumerate(source):
        if not char.isspace():
            glyph_of[index] = len(glyph_of)
    return [text.submobjects[glyph_of[i]] for i in temperature_chars(source)]


class TemperatureTable(SlideScene):
    slide_id = "temperature-table"
    exposed = ("bars", "t_value", "rows", "ghost", "cards", "note")

    def construct(self) -> None:
        p = self.params
        shared = p.next_word             # words, logits, the low and high T (script.yaml next_word:)
        words, logits = list(shared.words), [float(z) for z in shared.logits]
        sweep = sweep_of(p)              # T = 1, the low T, the high T
        t_color = self.theme.temperature   # T: its dial, its value, the draws' T labels
        temperature = ValueTracker(float(sweep[0]))
        temps = visited_temperatures(sweep)
        # The same seeded dice at every temperature: only the distribution they are read from changes.
        self.draws = seeded_draws(words, logits, temps, p.seed, p.draws)

        # 1. The distribution at the starting temperature, with the T dial that drives it, and what
        #    sampling from it gives
        self.step("title")
        title = self.show_title()
        dial = self.make_dial(temperature, max(2.0, float(max(sweep))), t_color)
        bars = SoftmaxBars(words, logits, temperature.get_value(), max_height=BAR_HEIGHT,
                           bar_width=0.8, gap=0.7)
        bars.move_to([LEFT_CENTER_X, 0, 0]).shift(UP * (BASELINE_Y - bars.baseline.get_y()))
        self.play(FadeIn(dial, shift=DOWN * 0.2), FadeIn(bars.baseline), FadeIn(bars.word_labels),
                  run_time=0.8)
        # Probabilities adding to 1 over these words say they are the whole vocabulary: say so.
        note = cjk(shared.vocabulary_note, "small", color=self.theme.muted)
        note.next_to(title, DOWN, buff=0.12).align_to(title, LEFT)
        self.note = note
        self.play(bars.grow(run_time=1.2), FadeIn(note))
        bars.follow_temperature(temperature)
        self.bars, self.temperature, self.t_value = bars, temperature, dial[0][1]   # for tests
        heading = cjk(p.labels.draws.format(n=p.draws), "label", color=self.theme.muted)
        heading.move_to([0, DRAWS_TOP, 0]).align_to(bars.baseline, LEFT)
        self.rows: list[SampleRow] = []
        self.play(FadeIn(heading), run_time=0.4)
        self.show_draws(bars, temps[0], self.draws[0], heading)

        # The ghost: thin bars at T = 1 beside each live bar, so every reshaping compares to it
        ghost = self.make_ghost(bars, bars.probabilities(REFERENCE_T))
        # Its legend: a swatch and "T = 1 的分佈", above the chart's right end (the low bars' side).
        swatch = Rectangle(width=0.12, height=0.32, stroke_width=0, fill_color=self.theme.muted, fill_opacity=0.7)
        ghost_label = VGroup(swatch, cjk(p.labels.ghost.format(t=REFERENCE_T), "label", color=self.theme.muted))
        ghost_label.arrange(RIGHT, buff=0.15).move_to([0, BASELINE_Y + BAR_HEIGHT, 0])
        ghost_label.align_to(bars.baseline, RIGHT)
        self.ghost = ghost
        self.play(FadeIn(ghost), FadeIn(ghost_label), run_time=0.6)
        self.hold(seconds=1.0)

        examples = regime_examples(sweep)
        cards = [self.make_card(row, p.headers, t_color, examples.get(i), p.labels.example)
                 for i, row in enumerate(p.rows)]
        cards[LOW].to_corner(UR, buff=0.35).shift(DOWN * 0.55)
        cards[HIGH].next_to(cards[LOW], DOWN, buff=0.2)
        self.cards = cards
        shown_cards: list[VGroup] = []
        bullet_top = cards[HIGH].get_bottom()[1] - 0.25
        # Every bullet at one size, all of them fitting the room under the cards.
        bullets = fit_bullets(self.slide.bullets, CARD_WIDTH - 0.5, bullet_top + config.frame_height / 2 - 0.3,
                              "label", gap=BULLET_GAP, dot_role="accent", dot_radius=0.06, dot_buff=0.2)
        shown_bullets: list[VGroup] = []
        greedy = greedy_index(logits)

        for index, target in enumerate(temps[1:], start=1):
            regime = regime_of(target)
            if target == 0:
                # 2. T = 0: greedy, one-hot on the top word, every draw the same
                self.step("greedy")
                self.play(temperature.animate.set_value(0.0), run_time=SWEEP_SECONDS * 0.6)
                self.play(bars.highlight(greedy, self.theme.good), run_time=0.5)
                self.show_draws(bars, target, self.draws[index], heading)
                if bullets:
                    self.show_bullet(bullets[0], bullet_top, shown_bullets)
                continue
            # 3. Sweeping T reshapes the bars; the draws follow; each regime's row of the table appears
            self.step(f"sweep-to-{target:g}")
            unhighlight = [bars.highlight(None)] if shown_bullets else []
            self.play(temperature.animate.set_value(target), *unhighlight,
                      run_time=SWEEP_SECONDS, rate_func=smooth)
            self.show_draws(bars, target, self.draws[index], heading)
            if regime is not None and cards[regime] not in shown_cards:
                self.play(*(c.animate.set_opacity(0.45) for c in shown_cards),
                          FadeIn(cards[regime], shift=LEFT * 0.4), run_time=0.8)
                shown_cards.append(cards[regime])
                self.hold(seconds=3.0)

        # 4. The slide's remaining bullets (the risk of a high T) with the whole table lit
        self.step("bullets")
        missing = [c for c in cards if c not in shown_cards]
        self.play(*(c.animate.set_opacity(1) for c in shown_cards),
                  *(FadeIn(c, shift=LEFT * 0.4) for c in missing), run_time=0.6)
        for bullet in bullets[len(shown_bullets):]:
            self.show_bullet(bullet, bullet_top, shown_bullets)
        bars.stop_following()
        self.wait(1.0)

    def show_draws(self, bars: ProbabilityBars, temperature: float, words: list[str], heading: Mobject) -> None:
        """A row of draws at this temperature: each drawn word flies down from its bar's label."""
        label = MathTex(f"T = {temperature:g}", font_size=34, color=self.theme.temperature)
        y = DRAWS_TOP - DRAW_PITCH * (len(self.rows) + 1)
        label.move_to([0, y, 0]).align_to(heading, LEFT)
        row = SampleRow(label, words, size="label", label_width=1.55)
        self.rows.append(row)
        self.play(FadeIn(label), run_time=0.3)
        # One draw after another, like rolling the dice ten times.
        self.play(LaggedStart(*(FadeIn(cell, shift=DOWN * 0.2, scale=1.4) for cell in row.cells), lag_ratio=0.6),
                  run_time=1.6)

    def make_ghost(self, bars: ProbabilityBars, reference: np.ndarray) -> VGroup:
        """A thin muted bar left of each live bar at its reference height (outside the live bar's
        number, which sits over the live bar)."""
        ghost = VGroup()
        for bar, value in zip(bars.bars, reference):
            height = max(bars.height_of(float(value)), 0.01)
            thin = Rectangle(width=0.12, height=height, stroke_width=0, fill_color=self.theme.muted,
                             fill_opacity=0.7)
            thin.move_to([bar.get_left()[0] - 0.12, bars.baseline.get_y() + height / 2, 0])
            ghost.add(thin)
        return ghost

    # -- pieces ------------------------------------------------------------------------------
    def make_dial(self, temperature: ValueTracker, top: float, t_color: str) -> VGroup:
        """'T = x.xx' and a number line with a marker, both following the tracker."""
        symbol = MathTex("T", "=", font_size=48)
        symbol[0].set_color(t_color)
        value = DecimalNumber(temperature.get_value(), num_decimal_places=2, font_size=48, color=t_color)
        value.next_to(symbol, RIGHT, buff=0.15)
        value.add_updater(lambda m: m.set_value(temperature.get_value()))
        label = VGroup(symbol, value)
        line = NumberLine(x_range=[0, top, 0.5], length=3.6, color=self.theme.muted,
                          include_numbers=False, stroke_width=3)
        numbers = VGroup(*(MathTex(f"{n:g}", font_size=34, color=self.theme.muted).next_to(
            line.n2p(n), DOWN, buff=0.15) for n in range(0, int(top) + 1)))
        scale = VGroup(line, numbers).next_to(label, RIGHT, buff=0.6)
        marker = Triangle(color=t_color, fill_opacity=1, stroke_width=0).scale(0.12).rotate(PI)
        marker.add_updater(lambda m: m.next_to(line.n2p(temperature.get_value()), UP, buff=0.05))
        dial = VGroup(label, scale, marker)
        dial.move_to([LEFT_CENTER_X, 2.0, 0])     # under the title and the vocabulary note
        marker.update()
        return dial

    def make_card(self, row, headers, t_color: str, example: float | None, template: str) -> VGroup:
        """One table row as a card: the regime (with its example T from the sweep) as heading, then
        column name and cell per line."""
        title = row.regime if example is None else f"{row.regime}（{template.format(t=example)}）"
        # A neutral card (a regime is not a colour): only the temperatures in it wear T's colour.
        heading = cjk(title, 24, color=self.theme.text, weight="BOLD")
        for glyph in temperature_glyphs(heading, title):
            glyph.set_color(t_color)
        columns = ("mode", "effect", "output", "use")
        names = [cjk(headers[column], 20, color=self.theme.muted) for column in columns]
        name_width = max(name.width for name in names)
        lines = VGroup()
        for column, name in zip(columns, names):
            cell = paragraph(row[column], CARD_WIDTH - name_width - 1.0, "small")
            # Cells start on one column whatever the glyphs' side bearings.
            cell.next_to(name, RIGHT, buff=0.35, aligned_edge=UP)
            cell.align_to(name.get_left() + RIGHT * (name_width + 0.35), LEFT)
            lines.add(VGroup(name, cell))
        lines.arrange(DOWN, buff=0.14, aligned_edge=LEFT)
        content = VGroup(heading, lines).arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        panel = RoundedRectangle(width=CARD_WIDTH, height=content.height + 0.36, corner_radius=0.15,
                                 fill_color=self.theme.panel, fill_opacity=1, stroke_color=self.theme.muted,
                                 stroke_width=2)
        content.move_to(panel).align_to(panel, LEFT).shift(RIGHT * 0.3)
        card = VGroup(panel, content)
        card.heading = heading
        return card

    def show_bullet(self, bullet: VGroup, top: float, shown: list[VGroup]) -> None:
        """A bullet under the cards, below the ones already shown."""
        if shown:
            top = shown[-1].get_bottom()[1] - BULLET_GAP
        bullet.align_to([0, top, 0], UP).align_to(self.cards[HIGH], LEFT).shift(RIGHT * 0.25)
        self.play(FadeIn(bullet, shift=UP * 0.2), run_time=0.6)
        shown.append(bullet)
        self.hold(bullet.text)
