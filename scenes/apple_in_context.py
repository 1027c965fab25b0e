"""Slide 'apple-in-context': 讓「蘋果」不再只有一種意思 — the same word pulled two ways by its context."""

from __future__ import annotations

import numpy as np
from manim import *

from explainer.maths import dot_scores, softmax, weighted_sum
from explainer.scenekit.components.attention import AttentionLines
from explainer.scenekit.components.text import cjk, paragraph
from explainer.scenekit.components.tokens import TokenRow
from explainer.scenekit.slide_scene import SlideScene

ROW_CENTER = np.array([-3.5, 0.9, 0.0])
PLANE_CENTER = np.array([3.7, -0.55, 0.0])
PLANE_SIZE = 5.0


def context_vector(tokens, vectors, word: str) -> dict[str, np.ndarray]:
    """The word's query against every token's key (toy: key = value = the token's vector):
    dot-product scores, softmax weights, and the weighted sum that becomes its output vector."""
    vectors = np.asarray(vectors, dtype=float)
    query = vectors[list(tokens).index(word)]
    scores = dot_scores(query, vectors)
    weights = softmax(scores)
    return {"query": query, "scores": scores, "weights": weights, "output": weighted_sum(weights, vectors)}


class AppleInContext(SlideScene):
    slide_id = "apple-in-context"

    def construct(self) -> None:
        p = self.params
        # The first sentence's step opens with the title and the plane, so its narration starts
        # with the picture.
        self.step("sentence-1")
        self.show_title()
        plane = self.meaning_plane(p)
        self.play(Create(plane["axes"]), FadeIn(plane["labels"]), run_time=1.0)

        previous: VGroup | None = None
        for index, sentence in enumerate(p.sentences):
            # 1./2. The word in this sentence: Q·K with every word → weights → output vector
            if index:
                self.step(f"sentence-{index + 1}")
            result = context_vector(sentence.tokens, sentence.vectors, p.word)
            row = TokenRow(sentence.tokens, size=24).move_to(ROW_CENTER)
            word_at = list(sentence.tokens).index(p.word)
            row.color_token(word_at, self.theme.query)
            dots = VGroup(*(Dot(plane["axes"].c2p(*v), radius=0.06, color=self.theme.key)
                            for i, v in enumerate(sentence.vectors) if i != word_at))
            if previous is not None:
                self.play(FadeOut(previous), run_time=0.5)
            self.play(FadeIn(row, lag_ratio=0.1), FadeIn(dots), run_time=0.8)
            query_arrow = self.vector_arrow(plane, result["query"], self.theme.query)
            query_label = cjk(p.word, 20, color=self.theme.query).next_to(query_arrow.get_end(), RIGHT, 0.12)
            self.play(GrowArrow(query_arrow), FadeIn(query_label), run_time=0.7)

            others = [i for i in range(len(sentence.tokens)) if i != word_at]
            lines = AttentionLines(row[word_at], [row[i] for i in others], np.zeros(len(others)),
                                   color=self.theme.query, arc_angle=PI / 2.2, min_opacity=0.0,
                                   max_width=12)
            numbers = VGroup(*(DecimalNumber(0, num_decimal_places=2, font_size=32)
                               .next_to(row[i], DOWN, buff=0.2) for i in range(len(sentence.tokens))))
            self.add(lines)
            self.play(FadeIn(numbers), run_time=0.4)
            # Line strength relative to the strongest other word; the numbers are the weights.
            other_weights = result["weights"][others]
            self.play(lines.animate_weights(other_weights / other_weights.max()),
                      *(ChangeDecimalToValue(n, w) for n, w in zip(numbers, result["weights"])),
                      run_time=1.4)
            strongest = others[int(np.argmax(other_weights))]
            strongest_dot = dots[others.index(strongest)]
            dot_label = cjk(sentence.tokens[strongest], 20, color=self.theme.key)
            dot_label.next_to(strongest_dot, UP if result["query"][0] < sentence.vectors[strongest][0] else RIGHT,
                              buff=0.12)
            self.play(row.highlight(strongest, self.theme.key), FadeIn(dot_label),
                      Flash(strongest_dot, color=self.theme.key), run_time=0.6)
            self.hold(sentence.tokens[strongest], seconds=0.8)

            output_arrow = self.vector_arrow(plane, result["output"], self.theme.output)
            output_label = cjk(p.outputs[index], 20, color=self.theme.output)
            direction = result["output"] / np.linalg.norm(result["output"])
            output_label.next_to(output_arrow.get_end(), RIGHT if direction[0] > direction[1] else UP, 0.12)
            shift = Arrow(query_arrow.get_end(), output_arrow.get_end(), buff=0.08, stroke_width=3,
                          color=self.theme.highlight, max_tip_length_to_length_ratio=0.3)
            self.play(TransformFromCopy(query_arrow, output_arrow), GrowArrow(shift), run_time=1.2)
            self.play(FadeIn(output_label), FadeOut(query_label), query_arrow.animate.set_opacity(0.35),
                      run_time=0.5)
            caption = paragraph(self.slide.bullets[index % len(self.slide.bullets)], 6.0, 24)
            caption.move_to([ROW_CENTER[0], -1.2, 0])
            self.play(FadeIn(caption, shift=UP * 0.2), run_time=0.5)
            self.hold(self.slide.bullets[index % len(self.slide.bullets)])
            previous = VGroup(row, lines, numbers, dots, dot_label, query_arrow, shift, caption)
            # Keep this sentence's output, dimmed, so the next one is seen against it.
            if index < len(p.sentences) - 1:
                self.play(output_arrow.animate.set_opacity(0.45), output_label.animate.set_opacity(0.6),
                          run_time=0.4)
        self.wait(1.0)

    def meaning_plane(self, p) -> dict[str, Mobject]:
        """Axes whose x is the first meaning (水果) and y the second (科技品牌)."""
        everything = np.concatenate([np.asarray(s.vectors, float) for s in p.sentences])
        top = float(np.ceil(max(everything.max(), 1.0) * 1.1 * 2) / 2)
        axes = Axes(x_range=[0, top, 0.5], y_range=[0, top, 0.5], x_length=PLANE_SIZE,
                    y_length=PLANE_SIZE, tips=True,
                    axis_config={"color": self.theme.muted, "stroke_width": 2, "tip_length": 0.2})
        axes.move_to(PLANE_CENTER)
        x_label = cjk(p.axes[0], 24, color=self.theme.text).next_to(axes.x_axis.get_end(), DOWN, buff=0.2)
        x_label.align_to(axes.x_axis.get_end(), RIGHT)
        y_label = cjk(p.axes[1], 24, color=self.theme.text).next_to(axes.y_axis.get_end(), RIGHT, buff=0.2)
        return {"axes": axes, "labels": VGroup(x_label, y_label)}

    def vector_arrow(self, plane: dict[str, Mobject], vector: np.ndarray, color: str) -> Arrow:
        """An arrow from the plane's origin to `vector`."""
        axes = plane["axes"]
        return Arrow(axes.c2p(0, 0), axes.c2p(*vector), buff=0, color=color, stroke_width=6,
                     max_tip_length_to_length_ratio=0.12)
