"""Slide 'qkv-flow': 蘋果's query against every key → ÷√d_k → softmax (e^s, ÷Σ) → weights →
Σ w·v = Δx, added to the word's own vector: x + Δx (the shared running example). It follows
qkv-projection, which made the q and the keys used here: Q = XW_Q, K = XW_K."""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import *

from explainer.scenekit.components.attention import AttentionLines
from explainer.scenekit.components.captions import CaptionSlot
from explainer.scenekit.components.matrix import VectorBlock
from explainer.scenekit.components.text import MixedLine, cjk
from explainer.scenekit.components.tokens import TokenRow
from explainer.scenekit.slide_scene import SlideScene
from specs.qkv_flow import dot_product_tex, flow_numbers, pair_tex

ROW_TOP, ROW_BOTTOM = 1.3, -1.9       # where the key rows may sit
HEADER_Y = 2.2                         # column headers
X_QUERY, X_KEY_TOKEN, X_KEY_VECTOR = -6.25, -4.75, -3.05
X_NUMBER, X_BAR, X_VALUE = -1.45, -0.95, 1.6
BAR_LENGTH = 1.4                       # a weight of 1 draws a bar this long
PLANE_CENTER, PLANE_SIZE = np.array([5.05, 0.0, 0.0]), 3.2
WORK_Y = -3.2                          # the working line under the columns


class QkvFlow(SlideScene):
    slide_id = "qkv-flow"

    def construct(self) -> None:
        p, theme = self.params, self.theme
        numbers = flow_numbers(self.slide.example)
        tokens, word = numbers["tokens"], numbers["tokens"][numbers["word_at"]]
        count = len(tokens)
        spacing = min(0.95, (ROW_TOP - ROW_BOTTOM) / max(count - 1, 1))
        row_ys = [ROW_TOP - i * spacing for i in range(count)]
        caption: Mobject | None = None

        # 1. The query (keyword) and the keys (page titles), each in its colour
        self.step("query-and-keys")
        title = self.show_title()
        caption = self.swap_caption(caption, self.slide.bullets[0], title)
        query_token = TokenRow([word], color=theme.query, fill_opacity=0.3)[0]
        query_vector = VectorBlock(numbers["query"], color=theme.query, symbol="q", decimals=2)
        query_group = VGroup(query_token, query_vector).arrange(DOWN, buff=0.3)
        query_group.move_to([X_QUERY, float(np.mean(row_ys)), 0]).shift(RIGHT * 0.25)
        query_header = MixedLine(f"$Q$ {p.analogy.query}", 28, color=theme.query)
        query_header.move_to([X_QUERY + 0.2, HEADER_Y, 0])
        key_tokens = TokenRow(tokens, size=24, direction=DOWN, color=theme.key, height=0.6)
        key_vectors = VGroup()
        for i, (token, y) in enumerate(zip(key_tokens, row_ys)):
            token.move_to([X_KEY_TOKEN, y, 0])
            vector = VectorBlock(numbers["keys"][i], direction=RIGHT, color=theme.key, decimals=2)
            key_vectors.add(vector.move_to([X_KEY_VECTOR, y, 0]))
        key_header = MixedLine(f"$K$ {p.analogy.key}", 28, color=theme.key)
        key_header.move_to([(X_KEY_TOKEN + X_KEY_VECTOR) / 2, HEADER_Y, 0])
        self.play(FadeIn(query_header, shift=DOWN * 0.2), GrowFromCenter(query_token), run_time=0.8)
        self.play(FadeIn(query_vector, shift=UP * 0.2), run_time=0.6)
        self.play(FadeIn(key_header, shift=DOWN * 0.2),
                  LaggedStart(*(FadeIn(VGroup(t, v), shift=LEFT * 0.3) for t, v in zip(key_tokens, key_vectors)),
                              lag_ratio=0.2), run_time=1.4)
        # Where q and the keys come from: the previous slide's Q = XW_Q and K = XW_K.
        origin = MixedLine(rf"來自上一張：$q$ 是 $Q = XW_Q$ 中「{word}」那一列，$k$ 是 $K = XW_K$ 的各列",
                           "label", color=theme.muted, min_math_size=32)
        for index, role in enumerate(("query", "query", "key", "key")):
            origin.math(index).set_color(theme.palette[role])
        origin.move_to([0, WORK_Y, 0])   # the plane's corner is still empty: the line may run under it
        self.play(FadeIn(origin, shift=UP * 0.15), run_time=0.6)
        self.hold(p.analogy.query + p.analogy.key)

        # 2. Q is compared with every K: a dot product per key, the score written beside it
        self.step("dot-products")
        lines = AttentionLines(query_token, list(key_tokens), np.full(count, 0.15),
                               color=theme.palette.get("attention", theme.query),
                               source_edge=RIGHT, target_edge=LEFT)
        header = MixedLine(r"分數 $q \cdot k$", 28, color=theme.text).move_to([X_NUMBER + 0.1, HEADER_Y, 0])
        column = VGroup(*(DecimalNumber(s, num_decimal_places=2, font_size=34, color=theme.text)
                          .move_to([X_NUMBER, y, 0]) for s, y in zip(numbers["scores"], row_ys)))
        anchors = [column[i].get_center() for i in range(count)]
        self.play(FadeIn(header), run_time=0.5)
        working: Mobject | None = None
        slot: Mobject | None = None
        for i in range(count):
            tex = MathTex(dot_product_tex(numbers["query"], numbers["keys"][i], i, numbers["scores"][i]),
                          font_size=32, color=theme.text).move_to([-2.2, WORK_Y, 0])
            pair = VGroup(query_vector.body, key_vectors[i].body)
            if i == 0:   # the working line: where q and K came from gives way to the first dot product
                self.play(FadeOut(origin, shift=DOWN * 0.15), run_time=0.3)
            self.play(Create(lines.lines[i]), Indicate(pair, color=theme.highlight, scale_factor=1.06),
                      FadeIn(tex) if working is None else ReplacementTransform(working, tex),
                      *([FadeOut(slot)] if slot is not None else []), run_time=0.9 if i == 0 else 0.6)
            # A frame slides from the key to its score's place and the score appears in it (a box
            # travels, not the key's numbers, so no number slides over another).
            ghost = SurroundingRectangle(key_vectors[i].body, color=theme.highlight, buff=0.05)
            slot = SurroundingRectangle(column[i], color=theme.highlight, buff=0.08)
            self.play(ReplacementTransform(ghost, slot), FadeIn(column[i], shift=RIGHT * 0.25),
                      run_time=0.6 if i == 0 else 0.45)
            working = tex
            if i == 0:
                self.hold(seconds=1.2)
        self.play(FadeOut(slot), run_time=0.3)
        self.hold(seconds=0.5)

        # 3. ÷√d_k: every score divided by the square root of the key length
        self.step("scale")
        scale_header = MathTex(rf"\div \sqrt{{{numbers['d_k']}}}", font_size=40, color=theme.text)
        scale_header.move_to(header)
        scale_tex = MathTex(rf"\frac{{q \cdot k_j}}{{\sqrt{{d_k}}}}, \quad \sqrt{{d_k}} = \sqrt{{{numbers['d_k']}}}"
                            rf" \approx {numbers['sqrt_d_k']:.2f}", font_size=34, color=theme.text)
        scale_tex.move_to([-2.2, WORK_Y, 0])
        self.play(ReplacementTransform(working, scale_tex), ReplacementTransform(header, scale_header),
                  run_time=0.8)
        self.play(self.count(column, numbers["scaled"], anchors), run_time=1.4)
        self.hold(seconds=1.5)

        # 4. Softmax: e^s makes every score positive, dividing by their sum makes them add to 1
        self.step("softmax")
        caption = self.swap_caption(caption, self.slide.bullets[1], title)
        exp_header = MathTex(r"e^{s}", font_size=56, color=theme.text).move_to(scale_header)
        exp_tex = MathTex(r"\mathrm{softmax}:\; w_j = \frac{e^{s_j}}{\sum_i e^{s_i}}", font_size=34,
                          color=theme.text).move_to([-2.2, WORK_Y, 0])
        self.play(ReplacementTransform(scale_tex, exp_tex), ReplacementTransform(scale_header, exp_header),
                  run_time=0.8)
        self.play(self.count(column, numbers["exp"], anchors), run_time=1.4)
        rule = Line([X_NUMBER - 0.45, row_ys[-1] - 0.42, 0], [X_NUMBER + 0.45, row_ys[-1] - 0.42, 0],
                    color=theme.muted, stroke_width=2)
        total = MathTex(rf"\Sigma = {numbers['exp_sum']:.2f}", font_size=32, color=theme.highlight)
        total.next_to(rule, DOWN, buff=0.12)
        self.play(Create(rule), FadeIn(total, shift=DOWN * 0.15), run_time=1.0)
        self.hold(seconds=1.0)
        weight_header = MixedLine("權重 $w$", 28, color=theme.text, min_math_size=56).move_to(exp_header)
        bars = VGroup(*(Rectangle(width=max(BAR_LENGTH * w, 0.02), height=0.3, stroke_width=0,
                                  fill_color=theme.palette.get("attention", theme.output), fill_opacity=0.85)
                        .move_to([X_BAR, y, 0], aligned_edge=LEFT)
                        for w, y in zip(numbers["weights"], row_ys)))
        weight_sum = MathTex(rf"\Sigma = {numbers['shown_weights'].sum():.2f}", font_size=32, color=theme.good)
        weight_sum.move_to(total)
        self.play(ReplacementTransform(exp_header, weight_header), Indicate(total, color=theme.highlight),
                  self.count(column, numbers["shown_weights"], anchors),
                  *(GrowFromEdge(bar, LEFT) for bar in bars), lines.animate_weights(numbers["weights"]),
                  run_time=1.8)
        self.play(ReplacementTransform(total, weight_sum), run_time=0.6)
        self.hold(self.slide.bullets[1])

        # 5. The values (page contents) appear beside their weights, each also an arrow on a plane
        self.step("values")
        caption = self.swap_caption(caption, self.slide.bullets[2], title)
        value_header = MixedLine(f"$V$ {p.analogy.value}", 28, color=theme.value).move_to([X_VALUE, HEADER_Y, 0])
        value_vectors = VGroup(*(VectorBlock(v, direction=RIGHT, color=theme.value, decimals=2)
                                 .move_to([X_VALUE, y, 0]) for v, y in zip(numbers["values"], row_ys)))
        plane, to_point = self.make_plane(numbers)
        arrows = VGroup(*(Arrow(to_point(np.zeros(2)), to_point(v), buff=0, color=theme.value, stroke_width=5,
                                max_tip_length_to_length_ratio=0.18) for v in numbers["values"]))
        self.play(FadeIn(value_header, shift=DOWN * 0.2),
                  LaggedStart(*(FadeIn(v, shift=LEFT * 0.3) for v in value_vectors), lag_ratio=0.2),
                  Create(plane), run_time=1.2)
        self.play(LaggedStart(*(TransformFromCopy(v.body, a) for v, a in zip(value_vectors, arrows)),
                              lag_ratio=0.25), run_time=1.6)
        self.hold(p.analogy.value)

        # 6. Each value arrow shrinks to w·v; the shrunk arrows add up, tip to tail, into Δx
        self.step("weighted-sum")
        # Δx = Σ w·v, and (once the arrows are added) its value: the number later slides refer to.
        sum_tex = MathTex(r"\Delta x = \sum_j w_j\, v_j", "=" + pair_tex(numbers["delta"]), font_size=36,
                          color=theme.output)
        sum_tex.move_to([-2.2, WORK_Y, 0])
        self.play(FadeOut(exp_tex), run_time=0.3)
        self.play(FadeIn(sum_tex[0]), run_time=0.4)
        for i in range(count):
            target = Arrow(to_point(np.zeros(2)), to_point(numbers["weighted"][i]), buff=0, color=theme.value,
                           stroke_width=5, max_tip_length_to_length_ratio=0.3)
            self.play(Indicate(column[i], color=theme.highlight), Indicate(value_vectors[i].body, color=theme.value),
                      Transform(arrows[i], target), run_time=0.6)
        starts = np.vstack([np.zeros(2), numbers["partial_sums"][:-1]])
        chained = [Arrow(to_point(s), to_point(e), buff=0, color=theme.value, stroke_width=5,
                         max_tip_length_to_length_ratio=0.3) for s, e in zip(starts, numbers["partial_sums"])]
        self.play(LaggedStart(*(Transform(a, c) for a, c in zip(arrows, chained)), lag_ratio=0.3), run_time=1.8)
        delta_arrow = Arrow(to_point(np.zeros(2)), to_point(numbers["delta"]), buff=0, color=theme.output,
                            stroke_width=7, max_tip_length_to_length_ratio=0.2)
        delta_label = MathTex(r"\Delta x", font_size=36, color=theme.output)
        # Above the tip: the chained w·v arrows all run below Δx.
        delta_label.next_to(delta_arrow.get_end(), UP, buff=0.15)
        self.play(GrowArrow(delta_arrow), arrows.animate.set_opacity(0.3), FadeIn(delta_label), run_time=1.2)
        self.play(FadeIn(sum_tex[1], shift=LEFT * 0.2), Indicate(delta_label, color=theme.output), run_time=0.8)
        self.adopt(sum_tex)
        self.hold(seconds=1.5)

        # 7. Δx is added to the word's own vector: x + Δx is 蘋果 with its context
        self.step("add-to-x")
        input_colour = theme.palette.get("input", theme.text)
        x_arrow = Arrow(to_point(np.zeros(2)), to_point(numbers["x"]), buff=0, color=input_colour,
                        stroke_width=6, max_tip_length_to_length_ratio=0.2)
        x_label = MathTex("x", font_size=56, color=input_colour).next_to(x_arrow.get_end(), UP, buff=0.12)
        self.play(FadeOut(arrows), GrowArrow(x_arrow), FadeIn(x_label), run_time=0.9)
        moved = Arrow(to_point(numbers["x"]), to_point(numbers["updated"]), buff=0, color=theme.output,
                      stroke_width=7, max_tip_length_to_length_ratio=0.2)
        # Above the moved Δx: x + Δx (drawn next) runs below it.
        self.play(Transform(delta_arrow, moved), delta_label.animate.next_to(moved, UP, buff=0.12), run_time=1.2)
        # x + Δx is the word's own vector again, now with its context: the input colour, drawn bold.
        updated_arrow = Arrow(to_point(np.zeros(2)), to_point(numbers["updated"]), buff=0, color=input_colour,
                              stroke_width=9, max_tip_length_to_length_ratio=0.15)
        result = MathTex(r"x + \Delta x =", font_size=36, color=theme.text)
        result_vector = VectorBlock(numbers["updated"], direction=RIGHT, color=input_colour, decimals=2)
        result_row = VGroup(result, result_vector).arrange(RIGHT, buff=0.2)
        result_row.next_to(plane, DOWN, buff=0.35)
        label = cjk(f"「{word}」融合上下文的新向量", "label", input_colour).next_to(result_row, DOWN, buff=0.2)
        label.shift(LEFT * max(0.0, label.get_right()[0] - (config.frame_width / 2 - 0.4)))
        self.play(GrowArrow(updated_arrow), FadeIn(result_row, shift=UP * 0.2), x_arrow.animate.set_opacity(0.4),
                  run_time=1.2)
        self.play(FadeIn(label), run_time=0.6)
        self.hold(self.slide.bullets[2], seconds=3.0)

    def count(self, column: VGroup, values: np.ndarray, anchors: list[np.ndarray]) -> Animation:
        """The column's numbers counting to `values`, each staying centred in its row."""
        starts = [float(n.get_value()) for n in column]

        def update(_: Mobject, alpha: float) -> None:
            for number, anchor, a, b in zip(column, anchors, starts, values):
                number.set_value(a + (float(b) - a) * alpha)
                number.move_to(anchor)

        return UpdateFromAlphaFunc(column, update)

    def swap_caption(self, old: Mobject | None, text: str, title: VGroup) -> Mobject:
        """The current bullet as a caption at the top right, beside the title (the previous one
        fades out first)."""
        return CaptionSlot.beside_title(title[0], "label").swap(self, old, text, out_time=0.3, in_time=0.45)

    def make_plane(self, numbers: dict[str, Any]) -> tuple[VGroup, Any]:
        """Axes that hold every arrow drawn (values, partial sums, x, x + Δx), and a data → scene map."""
        points = np.vstack([np.zeros((1, 2)), numbers["values"], numbers["partial_sums"], numbers["x"],
                            numbers["updated"]])
        lo, hi = points.min(axis=0), points.max(axis=0)
        span = max(float((hi - lo).max()), 1e-6) * 1.15
        unit = PLANE_SIZE / span
        middle = (lo + hi) / 2

        def to_point(v: np.ndarray) -> np.ndarray:
            offset = (np.asarray(v, dtype=float) - middle) * unit
            return PLANE_CENTER + np.array([offset[0], offset[1], 0.0])

        origin = to_point(np.zeros(2))
        half = PLANE_SIZE / 2
        style = {"color": self.theme.muted, "stroke_width": 2}
        x_axis = Line([PLANE_CENTER[0] - half, origin[1], 0], [PLANE_CENTER[0] + half, origin[1], 0], **style)
        y_axis = Line([origin[0], PLANE_CENTER[1] - half, 0], [origin[0], PLANE_CENTER[1] + half, 0], **style)
        frame = RoundedRectangle(width=PLANE_SIZE + 0.3, height=PLANE_SIZE + 0.3, corner_radius=0.15,
                                 stroke_color=self.theme.muted, stroke_width=1.5, stroke_opacity=0.6)
        frame.move_to(PLANE_CENTER)
        return VGroup(frame, x_axis, y_axis), to_point
