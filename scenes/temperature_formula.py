"""Slide 'temperature-formula': where T sits — logits → ÷T → softmax → probabilities."""

from __future__ import annotations

from manim import *

from explainer.maths import softmax_steps
from explainer.scenekit.components.bars import decimals_for
from explainer.scenekit.components.fit import fit_text
from explainer.scenekit.components.formula import Formula
from explainer.scenekit.components.softmax_chart import softmax_stage_bars, stage_bars
from explainer.scenekit.slide_scene import SlideScene

PIPELINE_BASELINE = -1.2   # the three charts stand on one line
ARROW_LENGTH = 1.5

# P_i = e^{z_i/T} / Σ_j e^{z_j/T}, one term per symbol so each can be coloured or boxed.
SOFTMAX_T_TERMS = [
    ("lhs", "P_i"), ("eq", "="), ("open", r"\frac{"),
    ("e1", "e^{"), ("z1", "z_i"), ("d1", "/"), ("T1", "T"), ("c1", "}"),
    ("mid", "}{"), ("sum", r"\sum_{j=1}^{N}"),
    ("e2", "e^{"), ("z2", "z_j"), ("d2", "/"), ("T2", "T"), ("c2", "}"), ("close", "}"),
]
NUMERATOR = ("e1", "z1", "d1", "T1")
# Probability = Softmax(Logits / T), the slide's first, wordier form.
COMPACT_TERMS = [
    ("lhs", r"\text{Probability}"), ("eq", "="), ("softmax", r"\text{Softmax}\left("),
    ("open", r"\frac{"), ("logits", r"\text{Logits}"), ("mid", "}{"), ("T", "T"), ("close", r"}\right)"),
]


def pipeline_values(logits: list[float], temperature: float) -> dict:
    """What the three charts show: z, z / T and softmax(z / T)."""
    steps = softmax_steps(logits, temperature)
    return {"logits": np.asarray(logits, dtype=float), "scaled": steps["scaled"], "probs": steps["probs"]}


class TemperatureFormula(SlideScene):
    slide_id = "temperature-formula"
    exposed = ("charts", "divide_label")

    def construct(self) -> None:
        p = self.params
        t_color = self.theme.highlight   # T keeps this colour across the temperature chapter
        focus_color = self.theme.text    # so the "computing now" box is white on this slide
        values = pipeline_values(list(p.logits), float(p.temperature))

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
        VGroup(compact, formula).arrange(RIGHT, buff=1.2).move_to([0.3, 1.95, 0])
        self.play(Write(compact), run_time=1.2)
        self.play(TransformFromCopy(compact.term("T"), formula.term("T1")),
                  TransformFromCopy(compact.term("T"), formula.term("T2")),
                  FadeIn(VGroup(*(formula.term(n) for n in formula.term_names if not n.startswith("T")))),
                  run_time=1.2)
        self.hold(seconds=1.5)

        # 3. The model's logits z_i
        self.step("logits")
        scale = float(max(np.max(np.abs(values["logits"])), np.max(np.abs(values["scaled"]))))
        logit_chart = stage_bars(p.words, values["logits"], "muted", max_value=scale)
        # T's bars start as the logits and stretch to z / T: numbers written as z / T needs them.
        scaled_chart = stage_bars(p.words, values["logits"], "highlight", max_value=scale,
                                  decimals=decimals_for(values["scaled"]))
        prob_chart = softmax_stage_bars(p.words, p.logits, float(p.temperature))
        divide = self.stage_arrow(MathTex(r"\div", "T", font_size=44),
                                  MathTex("T", "=", f"{float(p.temperature):g}", font_size=38), t_color)
        soften = self.stage_arrow(MathTex(r"\text{softmax}", font_size=40), None, t_color)
        row = VGroup(logit_chart, divide, scaled_chart, soften, prob_chart).arrange(RIGHT, buff=0.25)
        row.move_to([0, 0, 0])
        for chart in (logit_chart, scaled_chart, prob_chart):
            chart.shift(UP * (PIPELINE_BASELINE - chart.baseline.get_y()))
        self.charts = {"logits": logit_chart, "scaled": scaled_chart, "probs": prob_chart}  # for tests
        self.divide_label = divide[2]
        captions = VGroup(*(MathTex(tex, font_size=48).next_to(chart.word_labels, DOWN, buff=0.2)
                            for tex, chart in zip((r"z_i", r"z_i / T", r"P_i"),
                                                  (logit_chart, scaled_chart, prob_chart))))
        captions[1][0][-1].set_color(t_color)
        # The box goes round the whole power e^{z_i/T} (a box round the exponent alone would cut
        # through the e); the symbol meant right now is pointed at with a pulse inside it.
        self.play(FadeIn(logit_chart.baseline), FadeIn(logit_chart.word_labels), FadeIn(captions[0]),
                  formula.focus(*NUMERATOR, color=focus_color), run_time=0.7)
        self.play(Indicate(formula.term("z1"), color=focus_color, scale_factor=1.3), run_time=0.6)
        self.play(logit_chart.grow(run_time=1.0))
        self.hold(seconds=1.2)

        # 4. Divide each logit by T (here every bar is stretched by 1/T)
        self.step("divide")
        self.play(GrowArrow(divide[0]), FadeIn(divide[1:]),
                  Indicate(VGroup(formula.term("d1"), formula.term("T1")), color=t_color, scale_factor=1.3),
                  run_time=0.8)
        # Only the bars travel; numbers and words appear in place (flying digits would cross the labels).
        self.play(FadeIn(VGroup(scaled_chart.baseline, scaled_chart.word_labels, scaled_chart.value_labels)),
                  TransformFromCopy(logit_chart.bars, scaled_chart.bars), FadeIn(captions[1]), run_time=1.0)
        self.play(scaled_chart.animate_to(values["scaled"], run_time=1.5))
        self.hold(seconds=1.5)

        # 5. Softmax turns the scaled scores into probabilities summing to 1
        self.step("softmax")
        self.play(GrowArrow(soften[0]), FadeIn(soften[1]),
                  formula.focus("e1", "z1", "d1", "T1", "mid", "sum", "e2", "z2", "d2", "T2",
                                color=focus_color), run_time=0.8)
        prob_chart.set_values(np.zeros(len(p.words)))
        self.play(FadeIn(prob_chart.baseline), FadeIn(prob_chart.word_labels), FadeIn(captions[2]),
                  FadeIn(VGroup(prob_chart.bars, prob_chart.value_labels), shift=RIGHT * 0.6), run_time=0.8)
        self.play(prob_chart.animate_to(values["probs"], run_time=1.5),
                  formula.focus("lhs", color=focus_color))
        self.hold(seconds=1.5)

        # 6. T sits after the logits and before the softmax
        self.step("position")
        self.play(formula.unfocus(), FadeIn(bullets[1], shift=UP * 0.2),
                  Indicate(divide[1], color=t_color, scale_factor=1.3), run_time=1.0)
        self.hold(self.slide.bullets[1])

    # -- pieces ------------------------------------------------------------------------------
    def stage_arrow(self, above: MathTex, below: MathTex | None, t_color: str) -> VGroup:
        """An arrow with the operation above it (and its parameter below); T in the T colour."""
        arrow = Arrow(LEFT * ARROW_LENGTH / 2, RIGHT * ARROW_LENGTH / 2, buff=0,
                      color=self.theme.muted, stroke_width=4)
        for part in VGroup(above, *([below] if below else [])):
            for piece in part:
                if piece.tex_string == "T":
                    piece.set_color(t_color)
        above.next_to(arrow, UP, buff=0.15)
        group = VGroup(arrow, above)
        if below is not None:
            below.next_to(arrow, DOWN, buff=0.2)
            group.add(below)
        return group

    def caption(self, text: str) -> VGroup:
        """A slide bullet as one line of text (shrunk to the width if it is longer)."""
        return fit_text(text, config.frame_width - 1.6, size="label", max_lines=1)
