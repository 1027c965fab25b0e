"""Slide 'apple-in-context': 讓「蘋果」不再只有一種意思 — the same word (one embedding x) pulled two
ways by its context: Q = XW_Q, K = XW_K, V = XW_V from the shared example, Δx = Σ w·v, x + Δx.

Both sentences are on screen from the first step (the narration names both there); then, one
step each, a sentence's weights, and its Δx and x + Δx, so each picture comes with its words."""

from __future__ import annotations

import numpy as np
from manim import *

from explainer.scenekit.components.attention import AttentionLines
from explainer.scenekit.components.captions import CaptionSlot
from explainer.scenekit.components.text import MixedLine, cjk
from explainer.scenekit.components.tokens import TokenRow
from explainer.scenekit.slide_scene import SlideScene
from specs.apple_in_context import context_vector

ROW_X = -3.5                   # the sentences' centre line
ROW_YS = (1.3, -1.0)           # sentence 1 above sentence 2 (each with its arcs above, weights below)
CAPTION_TOP = -2.25            # the bullets, under the second sentence's weights
PLANE_CENTER = np.array([3.4, -0.55, 0.0])
PLANE_SIZE = 5.0
DIM = 0.3                      # a sentence not being looked at


class AppleInContext(SlideScene):
    slide_id = "apple-in-context"
    exposed = ("rows", "weights", "outputs", "captions")

    def construct(self) -> None:
        p, theme, example = self.params, self.theme, self.slide.example
        word = example.word
        results = [context_vector(example, index) for index in range(len(p.cues))]
        input_colour = theme.palette.get("input", theme.text)

        # 1. Both sentences, and the one vector x 「蘋果」 starts from in each
        self.step("sentences")
        self.show_title()
        self.rows = [TokenRow(r["tokens"], size="body").move_to([ROW_X, y, 0]) for r, y in zip(results, ROW_YS)]
        for row, result in zip(self.rows, results):
            row.color_token(result["word_at"], theme.query)
        self.play(LaggedStart(*(FadeIn(row, lag_ratio=0.1) for row in self.rows), lag_ratio=0.5), run_time=1.4)
        plane = self.meaning_plane(p, results)
        x_arrow = self.vector_arrow(plane, np.zeros(2), results[0]["x"], input_colour)
        x_label = VGroup(MathTex("x", font_size=56, color=input_colour), cjk(f"「{word}」", 22, input_colour))
        # Right of the tip, just above it: the later arrows all leave x's tip (Δx right in sentence
        # 1, up in sentence 2) or pass left of it (x + Δx of sentence 2), so this corner stays clear.
        x_label.arrange(RIGHT, buff=0.08)
        x_label.next_to(x_arrow.get_end(), RIGHT, buff=0.15)
        x_label.align_to(x_arrow.get_end() + UP * 0.12, DOWN)
        self.play(Create(plane["axes"]), FadeIn(plane["labels"]), run_time=1.0)
        # The word in both sentences is one and the same vector x: both copies fly into its label.
        # (The first becomes the label; the others fade as they land on it.)
        copies = [row[r["word_at"]].label.copy() for row, r in zip(self.rows, results)]
        self.play(GrowArrow(x_arrow), ReplacementTransform(copies[0], x_label[1]),
                  *(copy.animate.move_to(x_label[1]).set_opacity(0) for copy in copies[1:]),
                  FadeIn(x_label[0]), run_time=1.2)
        self.remove(*copies[1:], *x_label)
        self.add(x_label)
        self.hold(seconds=1.0)

        # 2. Q, K and V of both sentences come from the previous chapter's matrices.
        self.step("projections")
        projections = MixedLine(r"$Q = XW_Q$、$K = XW_K$、$V = XW_V$（上一章的矩陣）", "label", color=theme.muted,
                                min_math_size=32)
        for index, role in enumerate(("query", "key", "value")):
            projections.math(index).set_color(theme.palette[role])
        projections.move_to([0, CAPTION_TOP - 0.3, 0]).set_x(-config.frame_width / 2 + 0.4, direction=LEFT)
        self.play(FadeIn(projections, shift=UP * 0.15), run_time=0.6)
        self.hold(seconds=1.0)

        self.weights: list[VGroup] = []
        self.outputs: list[VGroup] = []
        self.captions: list[Mobject] = []
        # A sentence not being looked at steps back behind a veil (its boxes keep their look).
        veils = [self.veil(row) for row in self.rows]
        veiled: set[int] = set()
        for index, result in enumerate(results):
            row, tokens, word_at = self.rows[index], result["tokens"], result["word_at"]
            # 3./5. This sentence's query against every key: the weights, the cue picked out
            self.step(f"attend-{index + 1}")
            others = [i for i in range(len(tokens)) if i != word_at]
            lines = AttentionLines(row[word_at], [row[i] for i in others], np.zeros(len(others)),
                                   color=theme.palette.get("attention", theme.query), arc_angle=PI / 2.2,
                                   min_opacity=0.0, max_width=12)
            numbers = VGroup(*(DecimalNumber(0, num_decimal_places=2, font_size=32, color=theme.attention)
                               .next_to(row[i], DOWN, buff=0.2) for i in range(len(tokens))))
            # The other sentences step back (an earlier one keeps its weights, veiled, to compare);
            # the earlier x + Δx dims, so this sentence's is seen against it.
            changes = [FadeIn(veils[k]) for k in range(len(self.rows)) if k != index and k not in veiled]
            changes += [FadeOut(veils[index])] if index in veiled else []
            changes += [output.animate.set_opacity(0.45) for output in self.outputs]
            veiled = {k for k in range(len(self.rows)) if k != index}
            if changes:
                self.play(*changes, run_time=0.6)
            self.add(lines)
            self.play(FadeIn(numbers), run_time=0.4)
            # Line strength relative to the strongest other word; the numbers are the weights (adding to 1).
            other_weights = result["weights"][others]
            self.play(lines.animate_weights(other_weights / other_weights.max()),
                      *(ChangeDecimalToValue(n, w) for n, w in zip(numbers, result["shown_weights"])),
                      run_time=1.4)
            cue_at = tokens.index(p.cues[index])
            self.play(row.highlight(cue_at, theme.key), Indicate(numbers[cue_at], color=theme.key), run_time=0.6)
            self.weights.append(numbers)
            self.hold(p.cues[index], seconds=1.0)

            # 4./6. Δx (what the context adds) starts at the tip of x; x + Δx is the word in this sentence.
            self.step(f"move-{index + 1}")
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
            self.hold(seconds=1.0)
            self.play(GrowArrow(output_arrow), FadeIn(output_label), run_time=1.0)
            self.outputs.append(VGroup(output_arrow, output_label))
            self.hold(seconds=1.0)
            # This sentence's arcs and Δx give way before the next; its weights stay (veiled then).
            if index < len(results) - 1:
                self.play(FadeOut(VGroup(lines, delta, delta_label)), run_time=0.4)

        # 7. One word, two meanings: both sentences and both x + Δx in full view, and the bullets
        self.step("meaning")
        self.play(*(FadeOut(veils[k]) for k in veiled), *(output.animate.set_opacity(1.0) for output in self.outputs),
                  FadeOut(projections), run_time=0.6)
        self.play(*(Indicate(output[0], color=input_colour, scale_factor=1.05) for output in self.outputs),
                  run_time=0.8)
        top = CAPTION_TOP
        for bullet in self.slide.bullets:
            caption = CaptionSlot((ROW_X, top), 6.7, size="label", anchor=UP, align="left").make(bullet)
            self.play(FadeIn(caption, shift=UP * 0.2), run_time=0.5)
            self.captions.append(caption)
            self.hold(bullet)
            top = caption.get_bottom()[1] - 0.2
        self.wait(1.0)

    def veil(self, row: TokenRow) -> Mobject:
        """A translucent cover over a sentence and its weights' place under it."""
        height = row.height + 0.95
        return Rectangle(width=row.width + 0.3, height=height, stroke_width=0, fill_color=self.theme.background,
                         fill_opacity=1 - DIM).move_to(row.get_top() + UP * 0.1, aligned_edge=UP)

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
