"""Slide 'temperature-formula': where T sits — logits → ÷T → softmax → probabilities, at T = 1 (the
reference), at the low T (gaps stretch, sharper) and at the high T (gaps shrink, flatter)."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.bars import ProbabilityBars
from explainer.scenekit.components.fit import fit_text
from explainer.scenekit.components.formula import Formula
from explainer.scenekit.components.softmax_chart import softmax_stage_bars, stage_bars
from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene
from specs.temperature_formula import demonstrated, pipeline_values, scaled_top

PIPELINE_BASELINE = -1.2   # the three charts stand on one line
ARROW_LENGTH = 1.5
ARROW_RISE = 1.0           # the arrows between the charts stand this far above their baseline
SWEEP_SECONDS = 2.0        # T moving from one value to the next
WAITING_OPACITY = 0.3      # the probabilities fade while their softmax is not computed yet
GHOST_WIDTH = 0.08         # the thin T = 1 bars kept beside the live probabilities
GHOST_OFFSET = 0.14        # from a live bar's left edge to its ghost's centre

# P_i = e^{z_i/T} / Σ_j e^{z_j/T}, one term per symbol so each can be coloured or boxed.
SOFTMAX_T_TERMS = [
    ("lhs", "P_i"), ("eq", "="), ("open", r"\frac{"),
    ("e1", "e^{"), ("z1", "z_i"), ("d1", "/"), ("T1", "T"), ("c1", "}"),
    ("mid", "}{"), ("sum", r"\sum_{j=1}^{N}"),
    ("e2", "e^{"), ("z2", "z_j"), ("d2", "/"), ("T2", "T"), ("c2", "}"), ("close", "}"),
]
NUMERATOR = ("e1", "z1", "d1", "T1")
SOFTMAX_PART = ("e1", "z1", "d1", "T1", "mid", "sum", "e2", "z2", "d2", "T2")
# Probability = Softmax(Logits / T), the slide's first, wordier form.
COMPACT_TERMS = [
    ("lhs", r"\text{Probability}"), ("eq", "="), ("softmax", r"\text{Softmax}\left("),
    ("open", r"\frac{"), ("logits", r"\text{Logits}"), ("mid", "}{"), ("T", "T"), ("close", r"}\right)"),
]


class TemperatureFormula(SlideScene):
    slide_id = "temperature-formula"
    exposed = ("charts", "t_value", "ghost", "note", "printed")

    def construct(self) -> None:
        p, th = self.params, self.theme
        shared = p.next_word                     # words, logits, the low and high T (script.yaml next_word:)
        words, logits = list(shared.words), [float(z) for z in shared.logits]
        _, low, high = demonstrated(p)
        t_color = th.temperature                 # T: its symbol, its value, ÷T
        temperature = ValueTracker(1.0)
        values = {t: pipeline_values(logits, t) for t in demonstrated(p)}
        self.printed: dict[float, list[float]] = {}   # what the probability bars print at each T, for tests

        # 1. Temperature controls how random the next-word choice is
        self.step("title")
        self.show_title()
        bullets = VGroup(*(self.caption(text) for text in self.slide.bullets))
        bullets.arrange(DOWN, buff=0.2, aligned_edge=LEFT).to_corner(DL, buff=0.4)
        self.play(FadeIn(bullets[0], shift=UP * 0.2), run_time=0.6)
        self.hold(self.slide.bullets[0])

        # 2. The formula: logits divided by T, then softmax
        self.step("formula")
        compact = Formula(COMPACT_TERMS, font_size=40).color_term("T", t_color)
        formula = Formula(SOFTMAX_T_TERMS, font_size=50)
        formula.color_term("T1", t_color).color_term("T2", t_color)
        VGroup(compact, formula).arrange(RIGHT, buff=1.2).move_to([0.3, 2.0, 0])
        self.play(Write(compact), run_time=1.2)
        self.play(TransformFromCopy(compact.term("T"), formula.term("T1")),
                  TransformFromCopy(compact.term("T"), formula.term("T2")),
                  FadeIn(VGroup(*(formula.term(n) for n in formula.term_names if not n.startswith("T")))),
                  run_time=1.2)
        self.hold(seconds=1.5)

        # 3. The model's logits z_i (chapter 2's)
        self.step("logits")
        # z and z / T share one scale (the largest z / T shown), so stretching and shrinking compare.
        scale = scaled_top(p)
        logit_chart = stage_bars(words, values[1.0]["logits"], "muted", max_value=scale)
        scaled_chart = stage_bars(words, values[1.0]["logits"], "muted", max_value=scale, decimals=2)
        prob_chart = softmax_stage_bars(words, logits)
        t_value = DecimalNumber(1.0, num_decimal_places=1, font_size=38, color=t_color)
        t_value.add_updater(lambda m: m.set_value(temperature.get_value()))
        t_label = VGroup(MathTex("T", "=", font_size=38), t_value)
        t_label[0][0].set_color(t_color)
        divide = self.stage_arrow(MathTex(r"\div", "T", font_size=44), t_label, t_color)
        soften = self.stage_arrow(MathTex(r"\text{softmax}", font_size=40), None, t_color)
        row = VGroup(logit_chart, divide, scaled_chart, soften, prob_chart).arrange(RIGHT, buff=0.25)
        row.move_to([0, 0, 0])
        for chart in (logit_chart, scaled_chart, prob_chart):
            chart.shift(UP * (PIPELINE_BASELINE - chart.baseline.get_y()))
        for arrow in (divide, soften):      # level with the charts' middle
            arrow.shift(UP * (PIPELINE_BASELINE + ARROW_RISE - arrow[0].get_y()))
        self.charts = {"logits": logit_chart, "scaled": scaled_chart, "probs": prob_chart}  # for tests
        self.t_value = t_value
        captions = VGroup(*(MathTex(tex, font_size=48).next_to(chart.word_labels, DOWN, buff=0.2)
                            for tex, chart in zip((r"z_i", r"z_i / T", r"P_i"),
                                                  (logit_chart, scaled_chart, prob_chart))))
        captions[1][0][-1].set_color(t_color)
        # The box goes round the whole power e^{z_i/T} (a box round the exponent alone would cut
        # through the e); the symbol meant right now is pointed at with a pulse inside it.
        self.play(FadeIn(logit_chart.baseline), FadeIn(logit_chart.word_labels), FadeIn(captions[0]),
                  formula.focus(*NUMERATOR), run_time=0.7)
        self.play(Indicate(formula.term("z1"), color=th.highlight, scale_factor=1.3), run_time=0.6)
        self.play(logit_chart.grow(run_time=1.0))
        self.hold(seconds=1.2)

        # 4. T = 1: dividing changes nothing, softmax gives chapter 2's probabilities: the reference
        self.step("reference")
        self.play(GrowArrow(divide[0]), FadeIn(divide[1:]), run_time=0.6)
        self.play(FadeIn(VGroup(scaled_chart.baseline, scaled_chart.word_labels, scaled_chart.value_labels)),
                  TransformFromCopy(logit_chart.bars, scaled_chart.bars), FadeIn(captions[1]), run_time=1.0)
        self.adopt(scaled_chart)     # one object on screen, so its updater runs as T moves
        scaled_chart.follow(temperature, lambda t: np.asarray(logits) / t)
        self.play(GrowArrow(soften[0]), FadeIn(soften[1]), formula.focus(*SOFTMAX_PART), run_time=0.6)
        self.play(FadeIn(prob_chart.baseline), FadeIn(prob_chart.word_labels), FadeIn(captions[2]), run_time=0.4)
        self.play(prob_chart.grow(run_time=1.0), formula.focus("lhs"))
        self.printed[1.0] = [float(v) for v in prob_chart.shown_values]
        # The T = 1 bars stay as thin grey bars beside the live ones; the legend and the note under them.
        ghost = self.make_ghost(prob_chart, values[1.0]["probs"])
        swatch = Rectangle(width=0.12, height=0.3, stroke_width=0, fill_color=th.muted, fill_opacity=0.7)
        reference = "、".join(f"{v:.2f}" for v in self.printed[1.0])
        legend = VGroup(swatch, cjk(p.labels.reference.format(probs=reference), "small", color=th.muted))
        legend.arrange(RIGHT, buff=0.12)
        note = cjk(shared.vocabulary_note, "small", color=th.muted)
        VGroup(legend, note).arrange(DOWN, buff=0.15, aligned_edge=RIGHT).next_to(captions[2], DOWN, buff=0.2)
        VGroup(legend, note).align_to(prob_chart.baseline, RIGHT)
        self.ghost, self.note = ghost, note
        self.play(FadeIn(ghost), FadeIn(legend), FadeIn(note), run_time=0.6)
        self.hold(seconds=1.0)

        # 5-8. The low T stretches the gaps (sharper), the high T shrinks them (flatter)
        for name, target in (("low", low), ("high", high)):
            self.step(f"divide-{name}")
            # The probabilities wait, faded, until the softmax of the new scores is taken.
            self.play(formula.focus("d1", "T1"), prob_chart.bars.animate.set_fill(opacity=WAITING_OPACITY),
                      prob_chart.value_labels.animate.set_opacity(WAITING_OPACITY), run_time=0.5)
            self.play(temperature.animate.set_value(target), run_time=SWEEP_SECONDS, rate_func=smooth)
            self.hold(seconds=0.8)

            self.step(f"softmax-{name}")
            self.play(formula.focus(*SOFTMAX_PART), prob_chart.bars.animate.set_fill(opacity=1),
                      prob_chart.value_labels.animate.set_opacity(1), run_time=0.5)
            self.play(prob_chart.animate_to(values[target]["probs"], run_time=1.5), formula.focus("lhs"))
            self.printed[target] = [float(v) for v in prob_chart.shown_values]
            self.hold(seconds=1.0)

        # 9. T sits after the logits and before the softmax
        self.step("position")
        scaled_chart.stop_following()
        self.play(formula.unfocus(), FadeIn(bullets[1], shift=UP * 0.2),
                  Indicate(divide[1], color=t_color, scale_factor=1.3), run_time=1.0)
        self.hold(self.slide.bullets[1])

    # -- pieces ------------------------------------------------------------------------------
    def stage_arrow(self, above: MathTex, below: Mobject | None, t_color: str) -> VGroup:
        """An arrow with the operation above it (and its parameter below); T in the T colour."""
        arrow = Arrow(LEFT * ARROW_LENGTH / 2, RIGHT * ARROW_LENGTH / 2, buff=0,
                      color=self.theme.muted, stroke_width=4)
        for piece in above:
            if piece.tex_string == "T":
                piece.set_color(t_color)
        above.next_to(arrow, UP, buff=0.15)
        group = VGroup(arrow, above)
        if below is not None:
            below.arrange(RIGHT, buff=0.12).next_to(arrow, DOWN, buff=0.2)
            group.add(below)
        return group

    def make_ghost(self, bars: ProbabilityBars, reference: np.ndarray) -> VGroup:
        """A thin muted bar left of each live bar at its T = 1 height (clear of the live bar's
        number, which sits over the live bar)."""
        ghost = VGroup()
        for bar, value in zip(bars.bars, reference):
            height = max(bars.height_of(float(value)), 0.01)
            thin = Rectangle(width=GHOST_WIDTH, height=height, stroke_width=0, fill_color=self.theme.muted,
                             fill_opacity=0.7)
            thin.move_to([bar.get_left()[0] - GHOST_OFFSET, bars.baseline.get_y() + height / 2, 0])
            ghost.add(thin)
        return ghost

    def caption(self, text: str) -> VGroup:
        """A slide bullet as one line of text (shrunk to the width if it is longer)."""
        return fit_text(text, config.frame_width - 1.6, size="label", max_lines=1)
