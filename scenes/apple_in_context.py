"""Slide 'apple-in-context': 讓「蘋果」不再只有一種意思 — the same word (one embedding x) pulled two
ways by its context: Q = XW_Q, K = XW_K, V = XW_V from the shared example, Δx = Σ w·v, x + Δx."""

from __future__ import annotations

import numpy as np
from manim import *

from explainer.scenekit.components.attention import AttentionLines
from explainer.scenekit.components.captions import CaptionSlot
from explainer.scenekit.components.text import cjk
from explainer.scenekit.components.tokens import TokenRow
from explainer.scenekit.slide_scene import SlideScene
from explainer.script.example import sentence_numbers

ROW_CENTER = np.array([-3.5, 0.9, 0.0])
PLANE_CENTER = np.array([3.4, -0.55, 0.0])
PLANE_SIZE = 5.0


def context_vector(example, index: int) -> dict[str, np.ndarray]:
    """The word in sentence `index` of the shared example: its embedding x, its attention weights
    (true and as shown), Δx = Σ w·v and x + Δx."""
    numbers = sentence_numbers(example, index)
    at = numbers["word_at"]
    return {"tokens": numbers["tokens"], "word_at": at, "x": numbers["X"][at],
            "weights": numbers["weights"][at], "shown_weights": numbers["shown_weights"][at],
            "delta": numbers["delta"][at], "output": numbers["updated"][at]}


class AppleInContext(SlideScene):
    slide_id = "apple-in-context"

    def construct(self) -> None:
        p, theme, example = self.params, self.theme, self.slide.example
        word = example.word
        results = [context_vector(example, index) for index in range(len(p.cues))]
        # The first sentence's step opens with the title and the plane, so its narration starts
        # with the picture.
        self.step("sentence-1")
        self.show_title()
        plane = self.meaning_plane(p, results)
        input_colour = theme.palette.get("input", theme.text)
        x_arrow = self.vector_arrow(plane, np.zeros(2), results[0]["x"], input_colour)
        x_label = VGroup(MathTex("x", font_size=56, color=input_colour), cjk(f"「{word}」", 22, input_colour))
        # Right of the tip, just above it: the later arrows all leave x's tip (Δx right in sentence
        # 1, up in sentence 2) or pass left of it (x + Δx of sentence 2), so this corner stays clear.
        x_label.arrange(RIGHT, buff=0.08)
        x_label.next_to(x_arrow.get_end(), RIGHT, buff=0.15)
        x_label.align_to(x_arrow.get_end() + UP * 0.12, DOWN)
        self.play(Create(plane["axes"]), FadeIn(plane["labels"]), run_time=1.0)
        self.play(GrowArrow(x_arrow), FadeIn(x_label), run_time=0.8)

        previous: VGroup | None = None
        for index, result in enumerate(results):
            # 1./2. The word in this sentence: its query against every key → weights → x + Δx
            if index:
                self.step(f"sentence-{index + 1}")
            tokens, word_at = result["tokens"], result["word_at"]
            row = TokenRow(tokens, size=24).move_to(ROW_CENTER)
            row.color_token(word_at, theme.query)
            if previous is not None:
                self.play(FadeOut(previous), run_time=0.5)
            self.play(FadeIn(row, lag_ratio=0.1), run_time=0.8)
            others = [i for i in range(len(tokens)) if i != word_at]
            lines = AttentionLines(row[word_at], [row[i] for i in others], np.zeros(len(others)),
                                   color=theme.palette.get("attention", theme.query), arc_angle=PI / 2.2,
                                   min_opacity=0.0, max_width=12)
            numbers = VGroup(*(DecimalNumber(0, num_decimal_places=2, font_size=32, color=theme.attention)
                               .next_to(row[i], DOWN, buff=0.2) for i in range(len(tokens))))
            self.add(lines)
            self.play(FadeIn(numbers), run_time=0.4)
            # Line strength relative to the strongest other word; the numbers are the weights (adding to 1).
            other_weights = result["weights"][others]
            self.play(lines.animate_weights(other_weights / other_weights.max()),
                      *(ChangeDecimalToValue(n, w) for n, w in zip(numbers, result["shown_weights"])),
                      run_time=1.4)
            cue_at = tokens.index(p.cues[index])
            self.play(row.highlight(cue_at, theme.key), Indicate(numbers[cue_at], color=theme.key), run_time=0.6)
            self.hold(p.cues[index], seconds=0.8)

            # Δx (what the context adds) starts at the tip of x; x + Δx is the word in this sentence.
            delta = self.vector_arrow(plane, result["x"], result["output"], theme.output, width=4)
            delta_label = MathTex(r"\Delta x", font_size=40, color=theme.output)
            # Sentence 1's Δx runs right under x's label: name it near its far end instead.
            delta_label.next_to(delta.point_from_proportion(0.8 if index == 0 else 0.5),
                                UP if index == 0 else RIGHT, buff=0.15)
            # x + Δx is the word's vector again, now in context: the input colour, drawn bold.
            output_arrow = self.vector_arrow(plane, np.zeros(2), result["output"], input_colour, width=9)
            output_label = cjk(p.outputs[index], 22, color=input_colour)
            output_label.next_to(output_arrow.get_end(), DOWN if index == 0 else UP, 0.2)
            if index == 0:   # below the tip and right of where the (rising) arrow comes in
                output_label.align_to(output_arrow.get_end() + LEFT * 0.05, LEFT)
            self.play(GrowArrow(delta), FadeIn(delta_label), run_time=1.0)
            self.play(GrowArrow(output_arrow), FadeIn(output_label), run_time=1.0)
            caption = CaptionSlot.under(ROW_CENTER[0], -1.6, 6.7, "label", align="left").make(
                self.slide.bullets[index % len(self.slide.bullets)])
            self.play(FadeIn(caption, shift=UP * 0.2), run_time=0.5)
            self.hold(self.slide.bullets[index % len(self.slide.bullets)])
            previous = VGroup(row, lines, numbers, delta, delta_label, caption)
            # Keep this sentence's x + Δx, dimmed, so the next one is seen against it.
            if index < len(results) - 1:
                self.play(output_arrow.animate.set_opacity(0.45), output_label.animate.set_opacity(0.6),
                          run_time=0.4)
        self.wait(1.0)

    def meaning_plane(self, p, results: list[dict]) -> dict[str, Mobject]:
        """Axes whose x is the first meaning (水果) and y the second (科技品牌)."""
        everything = np.concatenate([[r["x"], r["output"]] for r in results])
        top = float(np.ceil(max(everything.max(), 1.0) * 1.1 * 2) / 2)
        axes = Axes(x_range=[0, top, 0.5], y_range=[0, top, 0.5], x_length=PLANE_SIZE,
                    y_length=PLANE_SIZE, tips=True,
                    axis_config={"color": self.theme.muted, "stroke_width": 2, "tip_length": 0.2})
        axes.move_to(PLANE_CENTER)
        x_label = cjk(p.axes[0], 24, color=self.theme.text).next_to(axes.x_axis.get_end(), DOWN, buff=0.2)
        x_label.align_to(axes.x_axis.get_end(), RIGHT)
        y_label = cjk(p.axes[1], 24, color=self.theme.text).next_to(axes.y_axis.get_end(), RIGHT, buff=0.2)
        return {"axes": axes, "labels": VGroup(x_label, y_label)}

    def vector_arrow(self, plane: dict[str, Mobject], start: np.ndarray, end: np.ndarray, color: str,
                     width: float = 6) -> Arrow:
        """An arrow on the plane from `start` to `end` (data coordinates)."""
        axes = plane["axes"]
        return Arrow(axes.c2p(*start), axes.c2p(*end), buff=0, color=color, stroke_width=width,
                     max_tip_length_to_length_ratio=0.12)
