"""Slide 'qkv-flow': one query compared with every key, scores → softmax weights → weighted sum of values."""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import *

from explainer.maths import dot_scores, softmax, weighted_sum
from explainer.scenekit.components.attention import AttentionLines
from explainer.scenekit.components.matrix import VectorBlock
from explainer.scenekit.components.text import MixedLine, cjk
from explainer.scenekit.components.tokens import TokenRow
from explainer.scenekit.slide_scene import SlideScene

ROW_TOP, ROW_BOTTOM = 1.35, -2.2      # where the key rows may sit
HEADER_Y = 2.25                        # the analogy headers above the columns
X_QUERY, X_KEY_TOKEN, X_KEY_VECTOR = -6.05, -3.85, -2.35
X_SCORE, X_BAR, X_VALUE = -0.85, -0.3, 2.15
BAR_LENGTH = 1.35                      # a weight of 1 draws a bar this long
PLANE_CENTER, PLANE_SIZE = np.array([5.3, 0.35, 0.0]), 2.9


def flow_numbers(params: Any) -> dict[str, np.ndarray]:
    """Every number the slide shows: q·k scores, softmax weights, w_j v_j, running sums, output."""
    query = np.asarray(params["query"], dtype=float)
    keys = np.asarray(params["keys"], dtype=float)
    values = np.asarray(params["values"], dtype=float)
    scores = dot_scores(query, keys)
    weights = softmax(scores)
    scaled = weights[:, None] * values
    return {
        "scores": scores,
        "weights": weights,
        "scaled": scaled,
        "partial_sums": np.cumsum(scaled, axis=0),
        "output": weighted_sum(weights, values),
    }


def dot_product_tex(query: np.ndarray, key: np.ndarray, index: int, score: float) -> str:
    """'q \\cdot k_2 = 1.0 \\times 0.6 + 1.5 \\times 0.2 = 0.90' for one key (numbers from the script)."""
    terms = " + ".join(f"{q:.1f} \\times {k:.1f}" for q, k in zip(query, key))
    return rf"q \cdot k_{{{index + 1}}} = {terms} = {score:.2f}"



class QkvFlow(SlideScene):
    slide_id = "qkv-flow"

    def construct(self) -> None:
        p, theme = self.params, self.theme
        numbers = flow_numbers(p)
        tokens = list(p.tokens)
        count = len(tokens)
        spacing = min(0.95, (ROW_TOP - ROW_BOTTOM) / max(count - 1, 1))
        row_ys = [ROW_TOP - i * spacing for i in range(count)]
        caption: Mobject | None = None

        # 1. The query (keyword) and the keys (page titles), each in its colour
        self.step("query-and-keys")
        title = self.show_title()
        caption = self.swap_caption(caption, self.slide.bullets[0], title)
        query_token = TokenRow([p.query_token], color=theme.query, fill_opacity=0.3)[0]
        query_vector = VectorBlock(p.query, color=theme.query, symbol="q", decimals=1)
        query_group = VGroup(query_token, query_vector).arrange(DOWN, buff=0.3)
        query_group.move_to([X_QUERY, float(np.mean(row_ys)), 0]).shift(RIGHT * 0.2)
        query_header = MixedLine(f"$Q$ {p.analogy.query}", 30, color=theme.query)
        query_header.move_to([X_QUERY + 0.1, HEADER_Y, 0])
        key_tokens = TokenRow(tokens, size=24, direction=DOWN, color=theme.key, height=0.6)
        key_vectors = VGroup()
        for i, (token, y) in enumerate(zip(key_tokens, row_ys)):
            token.move_to([X_KEY_TOKEN, y, 0])
            vector = VectorBlock(p["keys"][i], direction=RIGHT, color=theme.key, decimals=1)
            key_vectors.add(vector.move_to([X_KEY_VECTOR, y, 0]))
        key_header = MixedLine(f"$K$ {p.analogy.key}", 30, color=theme.key)
        key_header.move_to([(X_KEY_TOKEN + X_KEY_VECTOR) / 2, HEADER_Y, 0])
        self.play(FadeIn(query_header, shift=DOWN * 0.2), GrowFromCenter(query_token), run_time=0.8)
        self.play(FadeIn(query_vector, shift=UP * 0.2), run_time=0.6)
        self.play(FadeIn(key_header, shift=DOWN * 0.2),
                  LaggedStart(*(FadeIn(VGroup(t, v), shift=LEFT * 0.3) for t, v in zip(key_tokens, key_vectors)),
                              lag_ratio=0.2), run_time=1.4)
        self.hold(p.analogy.query + p.analogy.key)

        # 2. Q is compared with every K: a dot product per key, the score written beside it
        self.step("dot-products")
        lines = AttentionLines(query_token, list(key_tokens), np.full(count, 0.15), color=theme.query,
                               source_edge=RIGHT, target_edge=LEFT)
        score_header = MixedLine(r"分數 $q \cdot k$", 30, color=theme.text)
        score_header.move_to([X_SCORE + 0.1, HEADER_Y, 0])
        scores = VGroup(*(DecimalNumber(s, num_decimal_places=2, font_size=34, color=theme.text)
                          .move_to([X_SCORE, y, 0]) for s, y in zip(numbers["scores"], row_ys)))
        self.play(FadeIn(score_header), run_time=0.5)
        working: Mobject | None = None
        for i in range(count):
            tex = MathTex(dot_product_tex(np.asarray(p.query), np.asarray(p["keys"][i]), i, numbers["scores"][i]),
                          font_size=34, color=theme.text)
            tex.to_corner(DL, buff=0.45)
            pair = VGroup(query_vector.body, key_vectors[i].body)
            first = i == 0
            self.play(Create(lines.lines[i]),
                      Indicate(pair, color=theme.highlight, scale_factor=1.06),
                      FadeIn(tex) if working is None else ReplacementTransform(working, tex),
                      run_time=0.9 if first else 0.6)
            self.play(TransformFromCopy(key_vectors[i].body, scores[i]), run_time=0.6 if first else 0.4)
            working = tex
            if first:
                self.hold(seconds=1.2)
        self.hold(seconds=0.8)

        # 3. Softmax turns the scores into weights that sum to 1 (bars and line widths)
        self.step("softmax")
        caption = self.swap_caption(caption, self.slide.bullets[1], title)
        weight_header = cjk("權重", 30, theme.text).move_to(score_header)
        bars = VGroup(*(Rectangle(width=max(BAR_LENGTH * w, 0.02), height=0.34, stroke_width=0,
                                  fill_color=theme.output, fill_opacity=0.85)
                        .move_to([X_BAR, y, 0], aligned_edge=LEFT) for w, y in zip(numbers["weights"], row_ys)))
        softmax_tex = MathTex(r"w_j = \mathrm{softmax}(q \cdot k_j), \quad \sum_j w_j = "
                              f"{numbers['weights'].sum():.2f}", font_size=34, color=theme.text)
        softmax_tex.to_corner(DL, buff=0.45)
        self.play(ReplacementTransform(working, softmax_tex), ReplacementTransform(score_header, weight_header),
                  run_time=0.8)
        self.play(*(ChangeDecimalToValue(n, w) for n, w in zip(scores, numbers["weights"])),
                  *(GrowFromEdge(bar, LEFT) for bar in bars),
                  lines.animate_weights(numbers["weights"]), run_time=1.6)
        self.hold(self.slide.bullets[1])

        # 4. The values (page contents) appear, each as an arrow on a small plane
        self.step("values")
        caption = self.swap_caption(caption, self.slide.bullets[2], title)
        value_header = MixedLine(f"$V$ {p.analogy.value}", 30, color=theme.value)
        value_header.move_to([X_VALUE, HEADER_Y, 0])
        value_vectors = VGroup(*(VectorBlock(v, direction=RIGHT, color=theme.value, decimals=2)
                                 .move_to([X_VALUE, y, 0]) for v, y in zip(p["values"], row_ys)))
        plane, to_point = self.make_plane(np.asarray(p["values"], dtype=float), numbers)
        arrows = VGroup(*(Arrow(to_point(np.zeros(2)), to_point(v), buff=0, color=theme.value,
                                stroke_width=5, max_tip_length_to_length_ratio=0.18)
                          for v in np.asarray(p["values"], dtype=float)))
        self.play(FadeIn(value_header, shift=DOWN * 0.2),
                  LaggedStart(*(FadeIn(v, shift=LEFT * 0.3) for v in value_vectors), lag_ratio=0.2),
                  Create(plane), run_time=1.2)
        self.play(LaggedStart(*(TransformFromCopy(v.body, a) for v, a in zip(value_vectors, arrows)),
                              lag_ratio=0.25), run_time=1.6)
        self.hold(p.analogy.value)

        # 5. Each value is scaled by its weight: numbers and arrows shrink to w_j v_j
        self.step("scale-by-weight")
        scale_tex = MathTex(r"v_j \;\to\; w_j\, v_j", font_size=40, color=theme.text).to_corner(DL, buff=0.45)
        self.play(ReplacementTransform(softmax_tex, scale_tex), run_time=0.5)
        for i in range(count):
            target = Arrow(to_point(np.zeros(2)), to_point(numbers["scaled"][i]), buff=0, color=theme.value,
                           stroke_width=5, max_tip_length_to_length_ratio=0.3)
            self.play(Indicate(scores[i], color=theme.highlight),
                      value_vectors[i].animate_vector(numbers["scaled"][i]),
                      Transform(arrows[i], target), run_time=0.7)
        self.hold(seconds=0.6)

        # 6. The scaled values add up, tip to tail, into the output vector
        self.step("weighted-sum")
        starts = np.vstack([np.zeros(2), numbers["partial_sums"][:-1]])
        chained = [Arrow(to_point(s), to_point(e), buff=0, color=theme.value, stroke_width=5,
                         max_tip_length_to_length_ratio=0.3)
                   for s, e in zip(starts, numbers["partial_sums"])]
        self.play(LaggedStart(*(Transform(a, c) for a, c in zip(arrows, chained)), lag_ratio=0.3),
                  run_time=1.8)
        output_arrow = Arrow(to_point(np.zeros(2)), to_point(numbers["output"]), buff=0, color=theme.output,
                             stroke_width=7, max_tip_length_to_length_ratio=0.2)
        output_vector = VectorBlock(numbers["output"], direction=RIGHT, color=theme.output, decimals=2,
                                    symbol=None)
        output_vector.next_to(plane, DOWN, buff=0.75)
        sum_tex = MathTex(r"o = \sum_j w_j\, v_j", font_size=34, color=theme.output).to_corner(DL, buff=0.45)
        self.play(GrowArrow(output_arrow), ReplacementTransform(scale_tex, sum_tex),
                  arrows.animate.set_opacity(0.45), run_time=1.2)
        self.play(TransformFromCopy(VGroup(*(v.body for v in value_vectors)), output_vector.body),
                  run_time=1.2)
        self.adopt(output_vector)
        output_label = cjk(f"「{p.query_token}」的新向量", 24, theme.output)
        output_label.next_to(output_vector, UP, buff=0.15)
        self.play(FadeIn(output_label), query_token.box.animate.set_stroke(theme.output)
                  .set_fill(theme.output, opacity=0.3), run_time=0.8)
        self.hold(self.slide.bullets[2], seconds=3.0)

    def swap_caption(self, old: Mobject | None, text: str, title: VGroup) -> Mobject:
        """The current bullet as a caption at the top right (fading out the previous one)."""
        new = cjk(text, 26, self.theme.text)
        new.to_edge(RIGHT, buff=0.45).match_y(title[0])
        if new.get_left()[0] < title.get_right()[0] + 0.3:
            new.scale_to_fit_width(config.frame_width / 2 - 0.45 - (title.get_right()[0] + 0.3))
            new.to_edge(RIGHT, buff=0.45)
        animations = [FadeIn(new, shift=LEFT * 0.3)]
        if old is not None:
            animations.append(FadeOut(old, shift=UP * 0.2))
        self.play(*animations, run_time=0.6)
        return new

    def make_plane(self, values: np.ndarray, numbers: dict[str, np.ndarray]) -> tuple[VGroup, Any]:
        """Axes that hold every arrow drawn (values, partial sums), and a data → scene point map."""
        points = np.vstack([np.zeros((1, 2)), values, numbers["partial_sums"]])
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
