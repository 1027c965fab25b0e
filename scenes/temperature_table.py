"""Slide 'temperature-table': 低溫求穩，高溫求變 — bars reshaping live as the temperature sweeps."""

from __future__ import annotations

from manim import *

from explainer.maths import softmax, sweep_plan
from explainer.scenekit.components.bars import ProbabilityBars
from explainer.scenekit.components.text import cjk, paragraph
from explainer.scenekit.slide_scene import SlideScene

LOW, HIGH = 0, 1           # the table's rows: params.rows[0] is the low regime, rows[1] the high one
CARD_WIDTH = 6.3
LEFT_CENTER_X = -3.55      # the bars, the T dial and the bullets live in the left half
SWEEP_SECONDS = 2.8


def regime_of(temperature: float) -> int | None:
    """Which table row a temperature belongs to: LOW below 1, HIGH above 1, None at exactly 1."""
    if temperature < 1:
        return LOW
    if temperature > 1:
        return HIGH
    return None


class TemperatureTable(SlideScene):
    slide_id = "temperature-table"

    def construct(self) -> None:
        p = self.params
        t_color = self.theme.highlight   # T is drawn in one colour across the temperature chapter
        temperature = ValueTracker(float(p.sweep[0]))

        # 1. The distribution at the starting temperature, with the T dial that drives it
        self.step("title")
        self.show_title()
        dial = self.make_dial(temperature, max(2.0, float(max(p.sweep))), t_color)
        bars = ProbabilityBars(p.words, softmax(p.logits, temperature.get_value()), max_height=2.9,
                               bar_width=0.8, gap=0.6)
        bars.move_to([LEFT_CENTER_X, 0, 0]).align_to([0, -2.45, 0], DOWN)
        self.play(FadeIn(dial, shift=DOWN * 0.2), FadeIn(bars.baseline), FadeIn(bars.word_labels),
                  run_time=0.8)
        self.play(bars.grow(run_time=1.2))
        bars.follow(temperature, lambda t: softmax(p.logits, t))
        self.bars, self.temperature, self.t_value = bars, temperature, dial[0][1]   # for tests
        self.hold(seconds=1.0)

        cards = [self.make_card(row, p.headers, t_color) for row in p.rows]
        cards[LOW].to_corner(UR, buff=0.35).shift(DOWN * 0.75)
        cards[HIGH].next_to(cards[LOW], DOWN, buff=0.25)
        self.cards = cards
        shown_cards: list[VGroup] = []
        bullets = [self.bullet_item(text) for text in self.slide.bullets]
        bullet_top = bars.word_labels.get_bottom()[1] - 0.35
        shown_bullets: list[VGroup] = []
        greedy_index = int(np.argmax(p.logits))

        for target in sweep_plan(list(p.sweep)):
            regime = regime_of(target)
            if target == 0:
                # 2. T = 0: greedy, one-hot on the top word
                self.step("greedy")
                self.play(temperature.animate.set_value(0.0), run_time=SWEEP_SECONDS * 0.6)
                self.play(bars.highlight(greedy_index, self.theme.good), run_time=0.5)
                if bullets:
                    self.show_bullet(bullets[0], bullet_top, shown_bullets)
                continue
            # 3. Sweeping T reshapes the bars; each regime's row of the table appears as it is reached
            self.step(f"sweep-to-{target:g}")
            unhighlight = [bars.highlight(None)] if shown_bullets else []
            self.play(temperature.animate.set_value(target), *unhighlight,
                      run_time=SWEEP_SECONDS, rate_func=smooth)
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
        dial.move_to([LEFT_CENTER_X, 2.05, 0])
        marker.update()
        return dial

    def make_card(self, row, headers, t_color: str) -> VGroup:
        """One table row as a card: the regime as heading, then column name and cell per line."""
        heading = cjk(row.regime, 26, color=t_color, weight="BOLD")
        columns = ("mode", "effect", "output", "use")
        names = [cjk(headers[column], 22, color=self.theme.muted) for column in columns]
        name_width = max(name.width for name in names)
        lines = VGroup()
        for column, name in zip(columns, names):
            cell = paragraph(row[column], CARD_WIDTH - name_width - 1.0, 22)
            # Cells start on one column whatever the glyphs' side bearings.
            cell.next_to(name, RIGHT, buff=0.35, aligned_edge=UP)
            cell.align_to(name.get_left() + RIGHT * (name_width + 0.35), LEFT)
            lines.add(VGroup(name, cell))
        lines.arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        content = VGroup(heading, lines).arrange(DOWN, buff=0.28, aligned_edge=LEFT)
        panel = RoundedRectangle(width=CARD_WIDTH, height=content.height + 0.5, corner_radius=0.15,
                                 fill_color=self.theme.panel, fill_opacity=1, stroke_color=t_color,
                                 stroke_width=2)
        content.move_to(panel).align_to(panel, LEFT).shift(RIGHT * 0.3)
        return VGroup(panel, content)

    def bullet_item(self, text: str) -> VGroup:
        """A bullet dot and its wrapped text, sized for the left half."""
        body = paragraph(text, 6.0, 22)
        dot = Dot(radius=0.06, color=self.theme.output).next_to(body[0], LEFT, buff=0.2)
        return VGroup(dot, body)

    def show_bullet(self, bullet: VGroup, top: float, shown: list[VGroup]) -> None:
        """A bullet under the bars, below the ones already shown."""
        if shown:
            top = shown[-1].get_bottom()[1] - 0.18
        bullet.align_to([0, top, 0], UP).to_edge(LEFT, buff=0.55)
        self.play(FadeIn(bullet, shift=UP * 0.2), run_time=0.6)
        shown.append(bullet)
        self.hold("".join(line.original_text for line in bullet[1]))
