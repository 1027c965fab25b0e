"""Slide 'attention-to-next-word': 「我喜歡吃＿」 — masked attention at 吃 gives Δx, the residual gives
x + Δx, the vocabulary matrix turns it into logits, and chapter 2's softmax turns them into the next
word (the shared running example, closing the loop from chapters 3–5 back to chapter 2)."""

from __future__ import annotations

import numpy as np
from manim import *

from explainer.scenekit.components.attention import AttentionLines
from explainer.scenekit.components.bars import ProbabilityBars
from explainer.scenekit.components.matrix import VectorBlock
from explainer.scenekit.components.softmax_chart import STAGE_HEIGHT, SoftmaxBars
from explainer.scenekit.components.text import cjk
from explainer.scenekit.components.tokens import TokenBox, TokenRow
from explainer.scenekit.slide_scene import SlideScene
from specs.attention_to_next_word import dot_product_tex, next_word_numbers

# Phase A: the prompt row, a column per word it may see (score, weight, value), x + Δx at the right.
COLUMN_X = (-4.6, -3.2, -1.8)         # the visible words' columns (the gap follows at the same pitch)
ROW_Y = 1.7                           # the prompt row
SCORE_Y, WEIGHT_Y, VALUE_Y = 0.8, 0.05, -1.05
ROW_LABEL_X = -6.2
EQUATION_Y = -1.05                    # x + Δx = h, at the right, level with the values
EQ_X = {"x": 1.0, "plus": 1.95, "delta": 2.9, "equals": 3.85, "h": 4.8}
BOTTOM_Y = -3.2                       # the one caption / working line at the bottom
# Phase B: the vector at the top left, the vocabulary table under it, logits → softmax → probabilities.
H_Y = 2.25
TABLE_TOP, TABLE_PITCH = 0.85, 0.68
WORD_X, VECTOR_X = -6.2, -4.5
BASELINE_Y = 0.05
LOGIT_X, PROB_X = -1.0, 4.6
BAR_WIDTH, BAR_GAP = 0.44, 0.45       # chapter 2's stage bars, narrowed so both charts fit beside the table
VALUE_SIZE = 32                       # the bars' numbers (narrow bars: negative ones sit side by side)
CELL_WIDTH = 0.9                      # x + Δx and the vocabulary vectors share columns (the dot product pairs them)


class InPlace(UpdateFromAlphaFunc):
    """UpdateFromAlphaFunc without the starting copy: the update redraws the mobject from numbers."""

    def create_starting_mobject(self) -> Mobject:
        return self.mobject


class AttentionToNextWord(SlideScene):
    slide_id = "attention-to-next-word"
    exposed = ("weight_labels", "delta_block", "x_block", "h_vector", "dot_products", "logit_chart", "prob_chart",
               "note", "chapter_two", "chosen")

    def construct(self) -> None:
        p, th = self.params, self.theme
        n = next_word_numbers(self.slide.example, p.vocabulary)
        labels = p.labels
        prompt = n["prompt"]
        last = n["last"]

        # 1. The prompt 「我喜歡吃＿」: chapters 3–5 made vectors, chapter 2 needs logits
        self.step("prompt")
        title = self.show_title()
        row = TokenRow(prompt, size="body")
        for token, x in zip(row, self.columns(len(prompt))):
            token.move_to([x, ROW_Y, 0])
        gap_x = self.columns(len(prompt) + 1)[-1]
        gap = self.gap_box().move_to([gap_x, ROW_Y, 0])
        gap_label = cjk(labels.next, "small", color=th.muted).next_to(gap, DOWN, buff=0.15)
        self.play(LaggedStart(*(FadeIn(t, shift=UP * 0.2) for t in row), lag_ratio=0.25), run_time=1.0)
        self.play(Create(gap[0]), FadeIn(gap[1]), FadeIn(gap_label), run_time=0.7)
        bridge = self.bridge(labels)
        self.play(FadeIn(bridge[0], shift=RIGHT * 0.2), run_time=0.6)
        self.play(GrowArrow(bridge[1]), FadeIn(bridge[2]), run_time=0.6)
        self.play(FadeIn(bridge[3], shift=LEFT * 0.2), run_time=0.6)
        self.hold(labels.bridge_from + labels.bridge_to)

        # 2. Masked attention at the last word: it sees itself and the words before it
        self.step("attention")
        self.play(FadeOut(bridge, shift=DOWN * 0.2), FadeOut(gap_label), run_time=0.5)
        visible_note = cjk(labels.visible, "label", color=th.text).next_to(gap, RIGHT, buff=0.3)
        self.play(row.highlight(last, role="query"), FadeIn(visible_note), run_time=0.6)
        columns = self.columns(len(prompt))
        # Before the weights are known, the lines only say who is seen: all alike
        lines = self.attention_lines(row, last, np.full(len(prompt), 0.3))
        self.play(LaggedStart(*(Create(line) for line in lines), lag_ratio=0.3), run_time=1.2)
        self.hold(labels.visible)

        # 3. The weights: q·k/√d_k over the words it sees, then softmax
        self.step("weights")
        score_label = MathTex(r"q \cdot k / \sqrt{" + str(n["d_k"]) + "}", font_size=36, color=th.muted)
        weight_label = MathTex("w", font_size=40, color=th.attention)
        value_label = MathTex("v", font_size=40, color=th.value)
        for label, y in ((score_label, SCORE_Y), (weight_label, WEIGHT_Y), (value_label, VALUE_Y)):
            label.move_to([ROW_LABEL_X, y, 0])
        scores = VGroup(*(DecimalNumber(s, num_decimal_places=2, font_size=32, color=th.muted).move_to([x, SCORE_Y, 0])
                          for s, x in zip(n["scaled"], columns)))
        weights = VGroup(*(DecimalNumber(w, num_decimal_places=3, font_size=32, color=th.attention)
                           .move_to([x, WEIGHT_Y, 0]) for w, x in zip(n["shown_weights"], columns)))
        self.weight_labels = weights
        values = VGroup(*(VectorBlock(v, color=th.value, decimals=2).move_to([x, VALUE_Y, 0])
                          for v, x in zip(n["values"], columns)))
        self.play(FadeIn(score_label), LaggedStart(*(FadeIn(s, shift=DOWN * 0.15) for s in scores), lag_ratio=0.2),
                  run_time=0.9)
        self.hold(seconds=1.0)
        self.play(FadeIn(weight_label), self.restyle_lines(lines, n["weights"]),
                  *(TransformFromCopy(s, w) for s, w in zip(scores, weights)), run_time=1.4)
        # As shown (three decimals) they add up to exactly 1
        weight_sum = MathTex(r"\Sigma = " + f"{float(np.sum(n['shown_weights'])):.3f}", font_size=32, color=th.text)
        weight_sum.move_to([gap_x, WEIGHT_Y, 0])
        self.play(FadeIn(weight_sum, shift=LEFT * 0.2), run_time=0.5)
        self.hold(seconds=1.0)

        # 4. Σ w·v: every value, scaled by its weight, flows into Δx
        self.step("delta")
        self.play(FadeIn(value_label), LaggedStart(*(FadeIn(v, shift=DOWN * 0.15) for v in values), lag_ratio=0.2),
                  run_time=0.9)
        delta = VectorBlock(n["delta"], color=th.output, decimals=2).move_to([EQ_X["delta"], EQUATION_Y, 0])
        delta_name = MathTex(r"\Delta x", font_size=40, color=th.output).next_to(delta, UP, buff=0.2)
        self.delta_block = delta
        sum_tex = MathTex(r"\Delta x = \sum_j w_j\, v_j", font_size=38, color=th.output)
        sum_tex.move_to([EQ_X["delta"], EQUATION_Y - 1.35, 0])
        self.play(FadeIn(sum_tex), run_time=0.5)
        self.play(LaggedStart(*(AnimationGroup(Indicate(w, color=th.attention), Indicate(v.body, color=th.value))
                                for w, v in zip(weights, values)), lag_ratio=0.3), run_time=1.2)
        # (the cells travel, the numbers appear in place: flying digits would cross the other columns)
        flowing = [v.body.cells.copy() for v in values]
        self.play(*(Transform(f, delta.body.cells.copy()) for f in flowing), FadeIn(delta_name), run_time=1.4)
        self.remove(*flowing)
        self.play(FadeIn(delta), run_time=0.4)
        self.hold(seconds=1.0)

        # 5. The block's residual: x of the last word, to be added to Δx
        self.step("add-x")
        x_block = VectorBlock(n["x"], color=th.input, decimals=2).move_to([EQ_X["x"], EQUATION_Y, 0])
        x_name = MathTex("x", font_size=44, color=th.input).next_to(x_block, UP, buff=0.2)
        self.x_block = x_block
        plus = MathTex("+", font_size=48, color=th.text).move_to([EQ_X["plus"], EQUATION_Y, 0])
        self.play(FadeOut(weight_sum), run_time=0.3)     # (x comes down past it)
        self.play(TransformFromCopy(row[last], x_block), FadeIn(x_name), FadeIn(plus), run_time=1.2)
        self.hold(seconds=1.0)

        # 6. x + Δx
        self.step("residual")
        equals = MathTex("=", font_size=48, color=th.text).move_to([EQ_X["equals"], EQUATION_Y, 0])
        h_block = VectorBlock(n["h"], color=th.input, decimals=2).move_to([EQ_X["h"], EQUATION_Y, 0])
        h_block.body.cells.set_stroke(width=4)
        h_name = MathTex(r"x + \Delta x", font_size=40, color=th.input).next_to(h_block, UP, buff=0.2)
        self.play(FadeIn(equals), Indicate(x_block.body, color=th.input), Indicate(delta.body, color=th.output),
                  run_time=0.8)
        flowing = [x_block.body.cells.copy(), delta.body.cells.copy()]
        self.play(*(Transform(f, h_block.body.cells.copy()) for f in flowing), FadeIn(h_name), run_time=1.3)
        self.remove(*flowing)
        self.play(FadeIn(h_block), run_time=0.4)
        self.hold(seconds=1.2)

        # 7. Real models stack many blocks (attention + MLP, each with its residual)
        self.step("stack")
        table = VGroup(score_label, weight_label, value_label, scores, weights, values, lines, sum_tex)
        self.play(self.fade_out(table), row.reset(), run_time=0.7)
        stack = self.block_stack(labels, columns, last)
        self.play(LaggedStart(*(FadeIn(b, shift=UP * 0.2) for b in stack["blocks"]), lag_ratio=0.25),
                  FadeIn(stack["dots"]), FadeIn(stack["name"]), run_time=1.4)
        self.play(LaggedStart(*(GrowArrow(a) for a in stack["arrows"]), lag_ratio=0.1), run_time=1.0)
        self.hold(labels.block)

        # 8. The last block's vector at the last position is what predicts the next word: here, x + Δx
        self.step("last-vector")
        self.play(GrowArrow(stack["up"]), GrowFromCenter(stack["out"]), FadeIn(stack["out_label"]), run_time=0.8)
        carrier = stack["out"].copy()
        self.play(carrier.animate(path_arc=-0.8).move_to(h_block.get_center()), run_time=1.0)
        self.play(FadeOut(carrier), Circumscribe(h_block, color=th.input, buff=0.1), run_time=0.8)
        self.hold(labels.last)

        # 9. The vocabulary matrix: one vector per word (here: a handful of words)
        self.step("vocabulary")
        small_row = VGroup(row, gap)
        self.play(self.fade_out(VGroup(*stack.values(), x_block, x_name, plus, delta, delta_name, equals,
                                       visible_note)), run_time=0.6)
        # The prompt waits at the top right, its gap above the probabilities the next word will come from.
        self.play(small_row.animate.scale(0.7).to_edge(RIGHT, buff=0.8).align_to(title, DOWN), run_time=0.8)
        words = n["words"]
        # The vector lies down as a row, its numbers over the vocabulary vectors' columns
        h_row = VectorBlock(n["h"], direction=RIGHT, color=th.input, decimals=2, cell_width=CELL_WIDTH)
        h_row.body.cells.set_stroke(width=4)
        h_row.move_to([VECTOR_X, H_Y, 0])
        h_label = MathTex(r"x + \Delta x", font_size=36, color=th.input).move_to([WORD_X, H_Y, 0])
        self.play(ReplacementTransform(h_block, h_row), h_name.animate.become(h_label), run_time=1.2)
        self.h_vector = h_row
        header = cjk(labels.vocabulary, "small", color=th.text)
        header.move_to([WORD_X - 0.45, TABLE_TOP + 0.72, 0], aligned_edge=LEFT)
        word_boxes = VGroup(*(TokenBox(w, "label", height=0.52) for w in words))
        vectors = VGroup(*(VectorBlock(v, direction=RIGHT, color=th.muted, decimals=1, cell_width=CELL_WIDTH)
                           for v in n["matrix"]))
        for i, (box, vector) in enumerate(zip(word_boxes, vectors)):
            y = TABLE_TOP - i * TABLE_PITCH
            box.move_to([WORD_X, y, 0])
            vector.move_to([VECTOR_X, y, 0])
        note = cjk(labels.vocabulary_note, "small", color=th.muted)
        note.next_to(vectors, DOWN, buff=0.3).align_to(header, LEFT)
        self.note = note
        self.play(FadeIn(header), LaggedStart(*(FadeIn(VGroup(b, v), shift=LEFT * 0.2)
                                               for b, v in zip(word_boxes, vectors)), lag_ratio=0.15),
                  run_time=1.4)
        self.play(FadeIn(note), run_time=0.5)
        self.hold(labels.vocabulary_note)

        # 10. A dot product per word: its logit bar fills (chapter 2's logit bars, muted)
        self.step("logits")
        top_logit = float(np.max(np.abs(n["logits"])))
        # Chapter 2's logit bars (logits-softmax: ProbabilityBars in the muted role, at the stages' height)
        logit_chart = ProbabilityBars(words, n["logits"], role="muted", max_value=top_logit, decimals=2,
                                      max_height=STAGE_HEIGHT, bar_width=BAR_WIDTH, gap=BAR_GAP,
                                      value_size=VALUE_SIZE)
        logit_chart.move_to([LOGIT_X, 0, 0])
        logit_chart.shift(UP * (BASELINE_Y - logit_chart.baseline.get_y()))
        logit_chart.set_values(np.zeros(len(words)))
        for label in logit_chart.value_labels:
            label.set_opacity(0)
        self.logit_chart = logit_chart
        logit_caption = MathTex("z_i", font_size=44, color=th.muted).next_to(logit_chart.word_labels, DOWN, buff=0.2)
        self.play(FadeIn(logit_chart.baseline), FadeIn(logit_chart.word_labels), FadeIn(logit_caption), run_time=0.6)
        self.add(logit_chart)
        working = None
        self.dot_products = []
        shown = np.round(n["h"], 2)
        for i in range(len(words)):
            tex = MathTex(dot_product_tex(shown, n["matrix"][i], float(n["logits"][i])), font_size=34,
                          color=th.text).move_to([WORD_X - 0.45, BOTTOM_Y, 0], aligned_edge=LEFT)
            self.dot_products.append(tex)
            ghost = SurroundingRectangle(vectors[i], color=th.highlight, buff=0.06)
            self.play(Indicate(h_row.body, color=th.highlight, scale_factor=1.05), Create(ghost),
                      FadeIn(tex) if working is None else ReplacementTransform(working, tex),
                      run_time=0.6 if i else 0.9)
            self.play(self.grow_bar(logit_chart, i, float(n["logits"][i])), FadeOut(ghost),
                      run_time=0.8 if i else 1.0)
            working = tex
            if i == 0:
                self.hold(seconds=1.0)
        self.hold(seconds=1.0)

        # 11. Logits → Softmax → probabilities: chapter 2's step, the same bars and colours
        self.step("softmax")
        # The same room under the zero line as the logits' (their negative bars), so the words line up.
        prob_chart = SoftmaxBars(words, n["logits"], max_value=1.0, max_height=STAGE_HEIGHT, bar_width=BAR_WIDTH,
                                 gap=BAR_GAP, value_size=VALUE_SIZE, min_value=min(0.0, float(np.min(n["logits"]))) / top_logit)
        prob_chart.move_to([PROB_X, 0, 0])
        prob_chart.shift(UP * (BASELINE_Y - prob_chart.baseline.get_y()))
        self.prob_chart = prob_chart
        arrow_y = BASELINE_Y + 1.25       # above the low bars' numbers, clear of the first probability's
        softmax_arrow = Arrow([logit_chart.get_right()[0] + 0.15, arrow_y, 0],
                              [prob_chart.get_left()[0] - 0.15, arrow_y, 0], buff=0, color=th.muted, stroke_width=4)
        softmax_name = cjk("Softmax", 26, color=th.text).next_to(softmax_arrow, UP, buff=0.12)
        prob_caption = MathTex("P_i", font_size=44, color=th.probability).next_to(prob_chart.word_labels, DOWN,
                                                                                   buff=0.2)
        prob_caption.set_y(logit_caption.get_y())
        chapter_two = cjk(labels.chapter_two, "label", color=th.text)
        chapter_two.move_to([(LOGIT_X + PROB_X) / 2, BOTTOM_Y + 0.75, 0])
        self.chapter_two = chapter_two
        self.play(FadeOut(working), GrowArrow(softmax_arrow), FadeIn(softmax_name), run_time=0.7)
        self.play(FadeIn(chapter_two, shift=UP * 0.2), run_time=0.6)
        self.hold(labels.chapter_two)
        self.play(FadeIn(prob_chart.baseline), FadeIn(prob_chart.word_labels), FadeIn(prob_caption),
                  TransformFromCopy(logit_chart.bars, prob_chart.bars), run_time=1.5)
        self.add(prob_chart)
        self.play(FadeIn(prob_chart.value_labels, shift=UP * 0.1), run_time=0.7)
        self.hold(seconds=1.5)

        # 12. The most likely word fills the gap: the example's sentence
        self.step("next-word")
        top = n["top"]
        self.play(prob_chart.highlight(top, th.good), run_time=0.6)
        chosen = TokenBox(words[top], "body", th.good, fill_opacity=0.3).scale(0.7).move_to(gap)
        self.chosen = chosen
        flying = prob_chart.word_labels[top].copy()
        self.play(flying.animate.move_to(chosen.label).scale(chosen.label.height / flying.height),
                  FadeOut(gap), FadeIn(chosen.box), run_time=1.2)
        self.remove(flying)
        self.add(chosen)
        summary = cjk(labels.summary, "label", color=th.text).move_to([0, BOTTOM_Y, 0])
        self.play(FadeOut(chapter_two), run_time=0.3)
        self.play(FadeIn(summary, shift=UP * 0.2), run_time=0.6)
        self.hold(labels.summary, seconds=3.0)

    # -- pieces ------------------------------------------------------------------------------
    @staticmethod
    def columns(count: int) -> list[float]:
        pitch = COLUMN_X[1] - COLUMN_X[0]
        return [COLUMN_X[0] + i * pitch for i in range(count)]

    def gap_box(self) -> VGroup:
        """The blank where the next word goes: a dashed box with a question mark."""
        box = DashedVMobject(RoundedRectangle(width=0.9, height=0.7, corner_radius=0.12,
                                              stroke_color=self.theme.muted, stroke_width=3), num_dashes=18)
        mark = cjk("？", 34, color=self.theme.muted)
        return VGroup(box, mark)

    def bridge(self, labels) -> VGroup:
        """Chapters 3–5's vector → ? → chapter 2's logits and probabilities."""
        th = self.theme
        left = cjk(labels.bridge_from, "label", color=th.text)
        right = cjk(labels.bridge_to, "label", color=th.text)
        boxes = [SurroundingRectangle(t, color=th.muted, buff=0.2, corner_radius=0.12, stroke_width=2)
                 for t in (left, right)]
        left_group, right_group = VGroup(boxes[0], left), VGroup(boxes[1], right)
        arrow = Arrow(LEFT * 0.7, RIGHT * 0.7, buff=0, color=th.muted, stroke_width=4)
        mark = cjk("？", "body", color=th.text).next_to(arrow, UP, buff=0.1)
        VGroup(left_group, arrow, right_group).arrange(RIGHT, buff=0.3).move_to([0, -2.55, 0])
        mark.next_to(arrow, UP, buff=0.1)
        return VGroup(left_group, arrow, mark, right_group)

    def attention_lines(self, row: TokenRow, last: int, weights) -> VGroup:
        """Arcs from the last word over to each earlier word, and a loop onto itself, weighted."""
        th = self.theme
        earlier = AttentionLines(row[last], [row[i] for i in range(last)], weights[:last], role="attention",
                                 arc_angle=1.0, min_width=2.0)
        top = row[last].get_top()
        loop = ArcBetweenPoints(top + LEFT * 0.22, top + RIGHT * 0.22, angle=-1.5 * PI)
        width, opacity = earlier.style_for(float(weights[last]))
        loop.set_stroke(color=th.attention, width=width, opacity=opacity)
        self.line_style = earlier.style_for      # how restyle_lines draws a weight, the same way
        return VGroup(*earlier.lines, loop)

    def restyle_lines(self, lines: VGroup, weights) -> Animation:
        """The attention lines thickening or thinning to `weights` (AttentionLines' styling)."""
        starts = [(line.get_stroke_width(), line.get_stroke_opacity()) for line in lines]
        ends = [self.line_style(float(w)) for w in weights]

        def update(_: Mobject, alpha: float) -> None:
            for line, (w0, o0), (w1, o1) in zip(lines, starts, ends):
                line.set_stroke(width=w0 + (w1 - w0) * alpha, opacity=o0 + (o1 - o0) * alpha)

        return InPlace(lines, update)

    def block_stack(self, labels, columns: list[float], last: int) -> dict[str, Mobject]:
        """Blocks stacked over the prompt's positions (attention + MLP, each with a residual): block 1,
        block 2, more (⋮), the last block; its output at the last position."""
        th = self.theme
        left, right = columns[0] - 0.6, columns[-1] + 0.6
        ys = [-2.75, -1.85, -0.25]
        blocks = VGroup()
        for y in ys:
            frame = RoundedRectangle(width=right - left, height=0.6, corner_radius=0.12, stroke_color=th.muted,
                                     stroke_width=2, fill_color=th.panel, fill_opacity=1)
            frame.move_to([(left + right) / 2, y, 0])
            blocks.add(VGroup(frame, cjk(labels.block, "small", color=th.text).move_to(frame)))
        dots = VGroup(*(MathTex(r"\vdots", font_size=40, color=th.muted).move_to([x, (ys[1] + ys[2]) / 2, 0])
                        for x in columns))
        name = cjk(labels.stack, "small", color=th.muted).next_to(blocks, DOWN, buff=0.2)
        arrows = VGroup(*(Arrow([x, ys[0] + 0.3, 0], [x, ys[1] - 0.3, 0], buff=0.02, color=th.muted, stroke_width=3,
                                max_tip_length_to_length_ratio=0.4) for x in columns))
        out = Dot([columns[last], ys[2] + 0.8, 0], radius=0.12, color=th.input)
        up = Arrow([columns[last], ys[2] + 0.3, 0], out.get_bottom(), buff=0.02, color=th.input, stroke_width=4,
                   max_tip_length_to_length_ratio=0.35)
        out_label = cjk(labels.last, "small", color=th.input).next_to(out, LEFT, buff=0.2)
        return {"blocks": blocks, "dots": dots, "name": name, "arrows": arrows, "up": up, "out": out,
                "out_label": out_label}

    @staticmethod
    def grow_bar(chart, index: int, value: float) -> Animation:
        """Bar `index` of `chart` rising (or sinking) from 0 to `value`, its number fading in with it."""
        begin = chart.values
        end = begin.copy()
        end[index] = value

        def update(_: Mobject, alpha: float) -> None:
            chart.set_values(begin + alpha * (end - begin))
            chart.value_labels[index].set_opacity(alpha)

        return InPlace(chart, update)

    def fade_out(self, group: Mobject) -> Animation:
        """`group` fading out where it stands, then leaving the scene (no faded copy of every glyph is
        made, which is what costs most in FadeOut of a large group)."""
        parts = [(m, m.get_fill_opacity(), m.get_stroke_opacity()) for m in group.get_family()
                 if isinstance(m, VMobject)]

        def update(_: Mobject, alpha: float) -> None:
            for part, fill, stroke in parts:
                part.set_fill(opacity=fill * (1 - alpha), family=False)
                part.set_stroke(opacity=stroke * (1 - alpha), family=False)

        return InPlace(group, update, remover=True)
