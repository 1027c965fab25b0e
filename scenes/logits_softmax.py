"""Slide 'logits-softmax': logits → exponentiate → divide by the sum → probabilities summing to 1."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.captions import CaptionSlot
from explainer.scenekit.components.formula import Formula
from explainer.scenekit.components.softmax_chart import softmax_stage_bars, stage_bars
from explainer.scenekit.components.text import MixedLine, cjk
from explainer.scenekit.slide_scene import SlideScene
from specs.logits_softmax import softmax_stages, sum_terms

PIPELINE_BASELINE = -1.15
ARROW_LENGTH = 1.5
EQUATION_Y = -2.72
EXP_OPACITY = 0.45           # e^z is on its way to becoming P: the probability colour, faint

# P_i = e^{z_i} / Σ_j e^{z_j}: numerator and denominator are separate terms to box them in turn.
SOFTMAX_TERMS = [
    ("lhs", "P_i"), ("eq", "="), ("open", r"\frac{"), ("num", "e^{z_i}"), ("mid", "}{"),
    ("den", r"\sum_{j=1}^{N} e^{z_j}"), ("close", "}"),
]


class LogitsSoftmax(SlideScene):
    slide_id = "logits-softmax"
    exposed = ("charts", "goal", "total", "check", "note")

    def construct(self) -> None:
        shared = self.params.next_word          # the shared prompt's words and logits (script.yaml next_word:)
        words, logits = list(shared.words), [float(z) for z in shared.logits]
        stages = softmax_stages(logits)

        # 1. The model first gives every word a raw score, its logit (not yet normalised)
        self.step("logits")
        title = self.show_title()
        goal = MixedLine("Logit $z_i$ 轉換為機率 $P_i$", 34)
        for piece in goal.pieces:
            # A lone z_i has no tall glyph: enlarge the inline math so it stays readable.
            if isinstance(piece, MathTex):
                piece.scale(1.25)
        goal.arrange(RIGHT, buff=0.12).next_to(title, DOWN, buff=0.35).align_to(title, LEFT)
        # Raw scores are muted; e^z is an intermediate on its way to P (the probability colour, faint);
        # P is a probability.
        logit_chart = stage_bars(words, stages["logits"], "muted",
                                 max_value=float(np.max(np.abs(stages["logits"]))))
        exp_chart = stage_bars(words, stages["logits"], "probability", decimals=2,
                               max_value=float(np.max(stages["exp"])))
        exp_chart.bars.set_fill(opacity=EXP_OPACITY)
        prob_chart = softmax_stage_bars(words, logits)
        exponentiate = self.stage_arrow(MathTex("e^{z}", font_size=52))
        divide = self.stage_arrow(MathTex(r"\div", f"{stages['sum']:.2f}", font_size=40))
        row = VGroup(logit_chart, exponentiate, exp_chart, divide, prob_chart).arrange(RIGHT, buff=0.25)
        row.set_x(0)
        for chart in (logit_chart, exp_chart, prob_chart):
            chart.shift(UP * (PIPELINE_BASELINE - chart.baseline.get_y()))
        self.charts = {"logits": logit_chart, "exp": exp_chart, "probs": prob_chart}  # for tests
        self.goal = goal
        captions = [MathTex(tex, font_size=48).next_to(chart.word_labels, DOWN, buff=0.2)
                    for tex, chart in zip(("z_i", "e^{z_i}", "P_i"), (logit_chart, exp_chart, prob_chart))]
        # The bullets as captions standing on the frame's bottom edge, centred.
        slot = CaptionSlot((0, -config.frame_height / 2 + 0.35), config.frame_width - 1.2, size="label",
                           anchor=DOWN, align="left")
        bullets = [slot.make(text) for text in self.slide.bullets]
        # Probabilities adding to 1 over three words say these are the whole vocabulary: say so.
        note = cjk(shared.vocabulary_note, "small", color=self.theme.muted)
        note.next_to(goal, DOWN, buff=0.2).align_to(goal, LEFT)
        self.note = note
        self.play(FadeIn(goal, shift=RIGHT * 0.2), run_time=0.7)
        self.play(FadeIn(logit_chart.baseline), FadeIn(logit_chart.word_labels), FadeIn(captions[0]),
                  FadeIn(bullets[0], shift=UP * 0.2), run_time=0.7)
        self.play(logit_chart.grow(run_time=1.2))
        self.play(FadeIn(note), run_time=0.5)
        self.hold(self.slide.bullets[0])

        # 2. The softmax formula that turns them into probabilities
        self.step("formula")
        formula = Formula(SOFTMAX_TERMS, font_size=50).move_to([3.6, 2.2, 0])
        self.play(Write(formula), run_time=1.2)
        self.wait(0.8)

        # 3. Exponentiate: every score becomes positive, bigger ones grow much more
        self.step("exponentiate")
        self.play(formula.focus("num"), GrowArrow(exponentiate[0]), FadeIn(exponentiate[1]), run_time=0.8)
        # Only the bars travel (numbers and words appear in place: flying digits would cross the labels).
        exp_chart.set_values(stages["logits"])
        self.play(FadeIn(exp_chart.baseline), FadeIn(exp_chart.word_labels), FadeIn(exp_chart.value_labels),
                  TransformFromCopy(logit_chart.bars, exp_chart.bars), FadeIn(captions[1]), run_time=1.0)
        self.play(exp_chart.animate_to(stages["exp"], run_time=1.6))
        self.wait(1.0)

        # 4. Add them up: the denominator
        self.step("sum")
        total = MathTex(r"\sum_{j} e^{z_j}", "=", *sum_terms(stages["exp"], stages["sum"]), font_size=38)
        total.move_to([exp_chart.get_x(), EQUATION_Y, 0])
        # The box takes the fraction bar with the denominator: the N of Σ sits too close under the
        # bar for a box around the denominator alone to clear it.
        self.play(formula.focus("mid", "den"), FadeIn(total[:2]), run_time=0.7)
        # Each e^z lights up as it is written into the sum (no digits flying across the labels).
        self.play(LaggedStart(*(AnimationGroup(Indicate(label, color=self.theme.highlight),
                                               FadeIn(total[2 + 2 * i], shift=DOWN * 0.15),
                                               *([FadeIn(total[1 + 2 * i])] if i else []))
                                for i, label in enumerate(exp_chart.value_labels)), lag_ratio=0.6),
                  run_time=1.6)
        self.play(Write(total[-2:]), run_time=0.6)
        self.hold(seconds=1.2)

        # 5. Divide each e^z by the sum: the probabilities
        self.step("divide")
        self.play(formula.focus("num", "mid", "den"), GrowArrow(divide[0]),
                  TransformFromCopy(total[-1], divide[1][1]), FadeIn(divide[1][0]), run_time=1.0)
        # Each e^z bar travels across the ÷ arrow and shrinks to e^z / sum (only the bars move; the
        # probabilities appear in place, so no digits fly across the labels).
        self.play(FadeIn(prob_chart.baseline), FadeIn(prob_chart.word_labels), FadeIn(captions[2]),
                  TransformFromCopy(exp_chart.bars, prob_chart.bars), run_time=1.5)
        self.play(FadeIn(prob_chart.value_labels, shift=UP * 0.1), formula.focus("lhs"), run_time=0.8)
        self.hold(seconds=1.2)

        # 6. The probabilities add up to exactly 1
        self.step("sum-to-one")
        printed = prob_chart.shown_values   # as the bars print them: they add to 1.00
        check = MathTex(r"\sum_{i} P_i", "=", *sum_terms(printed, float(np.sum(printed))),
                        font_size=38)
        check.move_to([prob_chart.get_x(), EQUATION_Y, 0])
        if check.get_right()[0] > config.frame_width / 2 - 0.3:
            check.to_edge(RIGHT, buff=0.3)
        # One Σ line at a time: the sum of e^z leaves before the sum of the probabilities arrives.
        self.play(FadeOut(total), FadeOut(bullets[0]), formula.unfocus(), run_time=0.5)
        self.play(FadeIn(check[:2]), run_time=0.4)
        self.play(LaggedStart(*(AnimationGroup(Indicate(label, color=self.theme.highlight),
                                               FadeIn(check[2 + 2 * i], shift=DOWN * 0.15),
                                               *([FadeIn(check[1 + 2 * i])] if i else []))
                                for i, label in enumerate(prob_chart.value_labels)), lag_ratio=0.6),
                  run_time=1.6)
        self.total, self.check = total, check
        self.play(Write(check[-2:]), Circumscribe(check[-1], color=self.theme.highlight), run_time=1.0)
        self.play(FadeIn(bullets[1], shift=UP * 0.2), run_time=0.6)
        self.hold(self.slide.bullets[1])

    # -- pieces ------------------------------------------------------------------------------
    def stage_arrow(self, label: MathTex) -> VGroup:
        """An arrow with the operation written above it."""
        arrow = Arrow(LEFT * ARROW_LENGTH / 2, RIGHT * ARROW_LENGTH / 2, buff=0, color=self.theme.muted,
                      stroke_width=4)
        label.next_to(arrow, UP, buff=0.15)
        return VGroup(arrow, label)
