"""Slide 'causal-mask': 因果遮罩 — the shared example's second sentence; its scaled scores
QKᵀ/√d_k, the future (above the diagonal) replaced by −∞ before softmax so its weights are exactly
0 while every row still adds to 1; the word's row before and after; each row one next-word
prediction, all trained at once."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.attention import AttentionGrid
from explainer.scenekit.components.bars import ProbabilityBars
from explainer.scenekit.components.captions import CAPTION_Y
from explainer.scenekit.components.fit import fit_line, shrink_to_fit
from explainer.scenekit.components.formula import Formula
from explainer.scenekit.components.grid import number_stepper
from explainer.scenekit.components.text import MixedLine, cjk
from explainer.scenekit.slide_scene import SlideScene
from specs.causal_mask import UNKNOWN_NEXT, causal_numbers, predictions

# The formula grows with the steps: QKᵀ/√d_k, then + M (the mask), then softmax( … ).
FORMULA_TERMS = [
    ("softmax", r"\mathrm{softmax}\left("),
    ("frac_open", r"\frac{"),
    ("q", "Q"),
    ("kt", "K^{T}"),
    ("bar", "}{"),               # carries the fraction bar
    ("sqrt", r"\sqrt{d_k}"),
    ("frac_close", "}"),
    ("plus", "+"),
    ("m", "M"),
    ("close", r"\right)"),
]
SCORE_TERMS = ("frac_open", "q", "kt", "bar", "sqrt", "frac_close")
CELL = 0.95               # grid cells: room for a signed score such as -0.83
GRID_LEFT = -5.7          # the cells' left edge (the row labels stand left of it)
GRID_TOP = 1.95           # the cells' top edge (the column labels stand above it)
CHART_X = 4.05            # centre of the before / after charts, right of the row sums
CHART_LEFT = 1.35         # their labels' left edge
BEFORE_BASE = 0.55       # baselines of the two charts
AFTER_BASE = -2.1
BAR_HEIGHT = 1.1          # the tallest weight's bar


class CausalMask(SlideScene):
    slide_id = "causal-mask"
    exposed = ("grid", "infinities", "zeros", "sums", "before_chart", "after_chart", "predictions_shown")

    def construct(self) -> None:
        p, th = self.params, self.theme
        word = self.slide.example.word
        n = causal_numbers(self.slide.example)
        tokens, at = n["tokens"], n["word_at"]
        size = len(tokens)
        future = n["future"]
        # Both charts of the word's row on one scale: its largest weight, masked or not.
        self.chart_top = float(max(n["full_shown"][at].max(), n["masked_shown"][at].max()))

        # 1. The scaled scores of the second sentence, as on the earlier slides (raw: grey)
        self.step("scores")
        title = self.show_title()
        formula = Formula(FORMULA_TERMS, font_size=38, color=th.text)
        formula.color_term("q", th.query).color_term("kt", th.key)
        formula.to_edge(RIGHT, buff=0.45).match_y(title[0]).shift(DOWN * 0.05)
        score_part = VGroup(*(formula.term(name) for name in SCORE_TERMS))
        grid = AttentionGrid(n["scaled"], row_labels=tokens, col_labels=tokens, cell_size=CELL,
                             row_label_role="query", col_label_role="key", role="muted")
        grid.numbers.set_color(th.muted)
        grid.shift([GRID_LEFT - grid.cells.get_left()[0], GRID_TOP - grid.cells.get_top()[1], 0])
        self.grid = grid
        self.play(Write(score_part), run_time=1.0)
        self.play(FadeIn(grid.cells), FadeIn(grid.row_labels, shift=RIGHT * 0.2),
                  FadeIn(grid.col_labels, shift=DOWN * 0.2), run_time=0.8)
        self.play(LaggedStart(*(FadeIn(grid.number(i, j)) for i in range(size) for j in range(size)),
                              lag_ratio=0.08), run_time=1.6)
        self.adopt(grid)

        # 2. Seeing the whole sentence (the encoder, BERT): every word also sees its later words
        self.step("whole")
        caption = self.caption(p.captions.whole)
        region = self.future_region(grid, size)
        future_label = cjk(p.labels.future, "label", role="highlight")
        future_label.next_to(grid.cell(0, size - 1), RIGHT, buff=0.3)
        self.play(FadeIn(caption, shift=UP * 0.2), run_time=0.5)
        self.play(Create(region), FadeIn(future_label, shift=LEFT * 0.2), run_time=1.2)

        # 3. Softmax of the word's row without a mask: it attends most to a later word
        self.step("full")
        caption = self.swap_caption(caption, p.captions.full)
        row_box = grid.row_box(at, role="highlight")
        before = self.chart(n["full_shown"][at], tokens, BEFORE_BASE)
        before_label = self.chart_label(f"「{word}」{p.labels.before}", before)
        arrow = Arrow(row_box.get_right(), [CHART_LEFT - 0.05, before.baseline.get_y() - 0.2, 0], buff=0.1,
                      color=th.muted, stroke_width=3, max_tip_length_to_length_ratio=0.12)
        softmax_label = MathTex(r"\mathrm{softmax}", font_size=34, color=th.muted)
        softmax_label.next_to(arrow.get_center(), DR, buff=0.05)
        self.before_chart = before
        self.play(FadeOut(future_label), region.animate.set_stroke(opacity=0.4), Create(row_box), run_time=0.6)
        self.play(GrowArrow(arrow), FadeIn(softmax_label), FadeIn(before_label, shift=RIGHT * 0.2),
                  before.grow(run_time=1.2))
        cue = tokens.index(p.future_cue)
        cue_mark = self.mark(before, cue)
        self.play(Create(cue_mark), Indicate(grid.col_labels[cue], color=th.highlight, scale_factor=1.3),
                  run_time=0.8)

        # 4. The mask: every later word's score becomes −∞ (added as M before softmax)
        self.step("mask")
        caption = self.swap_caption(caption, p.captions.mask)
        self.play(VGroup(before, before_label).animate.set_opacity(0.3), cue_mark.animate.set_stroke(opacity=0.3),
                  FadeOut(VGroup(row_box, arrow, softmax_label)),
                  FadeIn(VGroup(formula.term("plus"), formula.term("m")), shift=LEFT * 0.2), run_time=0.7)
        self.infinities = VGroup()
        masking = []
        for i in range(size):
            for j in range(size):
                if future[i, j]:
                    infinity = MathTex(r"-\infty", font_size=40, color=th.text).move_to(grid.cell(i, j))
                    infinity.set_z_index(1)   # above the grid, which moves to the top as it animates
                    self.infinities.add(infinity)
                    masking.append(AnimationGroup(grid.cell(i, j).animate.set_fill(th.background, opacity=1),
                                                  grid.number(i, j).animate.set_opacity(0),
                                                  FadeIn(infinity, scale=1.4)))
        # The future's outline becomes the mask's edge.
        self.play(LaggedStart(*masking, lag_ratio=0.18), region.animate.set_stroke(th.text, opacity=1),
                  run_time=2.2)
        self.play(Indicate(self.infinities, color=th.highlight, scale_factor=1.15),
                  Indicate(formula.term("m"), color=th.highlight), run_time=0.8)

        # 5. Row softmax: e^(−∞) = 0, so the masked weights are exactly 0; each row adds to 1
        self.step("softmax")
        caption = self.swap_caption(caption, p.captions.softmax)
        self.play(FadeIn(VGroup(formula.term("softmax"), formula.term("close"))), run_time=0.6)
        self.zeros = VGroup()
        self.sums = VGroup()
        infinity_of = iter(self.infinities)
        for i in range(size):
            box = grid.row_box(i, role="highlight")
            seen = [j for j in range(size) if not future[i, j]]
            zeros = []
            for j in range(size):
                if future[i, j]:
                    zero = MathTex("0", font_size=40, color=th.text).move_to(grid.cell(i, j)).set_z_index(1)
                    zeros.append(ReplacementTransform(next(infinity_of), zero))
                    self.zeros.add(zero)
            total = MathTex(rf"\Sigma = {n['row_sums'][i]:.2f}", font_size=34, color=th.good)
            total.next_to(grid.cell(i, size - 1), RIGHT, buff=0.25)
            self.sums.add(total)
            self.play(Create(box), run_time=0.3)
            self.play(*self.to_weights(grid, i, seen, n["masked_shown"][i]), *zeros,
                      FadeIn(total, shift=LEFT * 0.2), run_time=0.8)
            self.play(FadeOut(box), run_time=0.2)

        # 6. The word's row before and after: the later word drops to exactly 0
        self.step("apple-row")
        caption = self.swap_caption(caption, p.captions.apple_row)
        row_box = grid.row_box(at, role="highlight")
        self.play(VGroup(before, before_label).animate.set_opacity(1), cue_mark.animate.set_stroke(opacity=1),
                  Create(row_box), run_time=0.6)
        after = self.chart(n["full_shown"][at], tokens, AFTER_BASE)
        after_label = self.chart_label(f"「{word}」{p.labels.after}", after)
        # The same row again below, then the mask reshapes it: the later word sinks to 0.
        self.play(FadeIn(after, shift=DOWN * 0.3), FadeIn(after_label, shift=RIGHT * 0.2), run_time=0.8)
        self.play(after.animate_to(n["masked_shown"][at], run_time=1.6))
        self.after_chart = after
        after_mark = self.mark(after, cue)
        self.play(TransformFromCopy(cue_mark, after_mark), run_time=0.8)

        # 7. What is left: the word itself and the words before it, the largest earlier one marked
        self.step("lean-on")
        caption = self.swap_caption(caption, p.captions.lean_on)
        lean = tokens.index(p.lean_on)
        lean_mark = self.mark(after, lean)
        earlier = VGroup(*(after.word_labels[j] for j in range(at + 1)))
        underline = Line(earlier.get_corner(DL) + DOWN * 0.1, earlier.get_corner(DR) + DOWN * 0.1,
                         color=th.highlight, stroke_width=4)
        self.play(ReplacementTransform(after_mark, lean_mark), Indicate(grid.number(at, lean), color=th.highlight),
                  run_time=0.8)
        self.play(Create(underline), run_time=0.6)

        # 8. Every row is one prediction of the next word
        self.step("predictions")
        caption = self.swap_caption(caption, p.captions.predictions)
        self.play(*(FadeOut(m) for m in (before, before_label, cue_mark, after, after_label, lean_mark, underline, row_box)),
                  run_time=0.6)
        self.predictions_shown = VGroup(*(self.prediction(seen, following) for seen, following in predictions(tokens)))
        left = self.sums.get_right()[0] + 0.45
        shrink_to_fit(self.predictions_shown.arrange(DOWN, aligned_edge=LEFT), config.frame_width / 2 - 0.6 - left)
        for i, line in enumerate(self.predictions_shown):
            line.set_x(left, LEFT).set_y(grid.cell(i, 0).get_y())
        for i, line in enumerate(self.predictions_shown):
            box = grid.row_box(i, role="highlight")
            self.play(Create(box), FadeIn(line, shift=RIGHT * 0.3), run_time=0.6)
            self.play(FadeOut(box), run_time=0.3)
            self.wait(0.4)

        # 9. No row sees its own answer, so all of them are trained in one pass
        self.step("one-pass")
        caption = self.swap_caption(caption, p.captions.one_pass)
        frame = SurroundingRectangle(self.predictions_shown, color=th.muted, buff=0.2, corner_radius=0.12)
        together = fit_line(p.labels.together, config.frame_width / 2 - 0.5 - left, "label")
        together.next_to(frame, UP, buff=0.15).align_to(frame, LEFT)
        self.play(Create(frame), FadeIn(together, shift=DOWN * 0.2), run_time=0.8)
        self.play(*(Indicate(line, color=th.highlight, scale_factor=1.06) for line in self.predictions_shown),
                  run_time=1.0)
        self.hold(p.labels.together)

    # -- pieces -------------------------------------------------------------------------------
    def caption(self, text: str) -> VGroup:
        """A bottom caption; $…$ parts set as math."""
        line = MixedLine(text, "label", min_math_size=40) if "$" in text else cjk(text, "label")
        shrink_to_fit(line, config.frame_width - 1.0)
        return line.move_to([0, CAPTION_Y + 0.1, 0])

    def swap_caption(self, old: Mobject, text: str) -> VGroup:
        new = self.caption(text)
        self.play(FadeOut(old, shift=UP * 0.2), run_time=0.3)
        self.play(FadeIn(new, shift=UP * 0.2), run_time=0.3)
        return new

    def chart(self, values, tokens: list[str], baseline: float) -> ProbabilityBars:
        """The word's weights over the sentence's words (keys) as bars, both charts on one scale."""
        chart = ProbabilityBars(tokens, values, max_height=BAR_HEIGHT, max_value=self.chart_top, bar_width=0.55, gap=0.42,
                                role="attention", word_size="label")
        chart.word_labels.set_color(self.theme.key)
        chart.move_to([CHART_X, 0, 0]).shift(UP * (baseline - chart.baseline.get_y()))
        return chart

    def chart_label(self, text: str, chart: ProbabilityBars) -> Text:
        label = fit_line(text, config.frame_width / 2 - CHART_LEFT - 0.4, "label")
        label.move_to([CHART_LEFT, chart.baseline.get_y() + BAR_HEIGHT + 0.7, 0], aligned_edge=LEFT)
        return label

    def mark(self, chart: ProbabilityBars, index: int) -> SurroundingRectangle:
        """A frame around one bar, its number and its word."""
        return SurroundingRectangle(VGroup(chart.bars[index], chart.value_labels[index], chart.word_labels[index]),
                                    color=self.theme.highlight, buff=0.08, corner_radius=0.08, stroke_width=3)

    def future_region(self, grid: AttentionGrid, size: int) -> VMobject:
        """The outline of the cells above the diagonal: each word's later words."""
        points = [grid.cell(0, 1).get_corner(UL), grid.cell(0, size - 1).get_corner(UR),
                  grid.cell(size - 2, size - 1).get_corner(DR)]
        for i in range(size - 2, -1, -1):
            points += [grid.cell(i, i + 1).get_corner(DL), grid.cell(i, i + 1).get_corner(UL)]
        return VMobject(stroke_color=self.theme.highlight, stroke_width=5).set_points_as_corners(points)

    def to_weights(self, grid: AttentionGrid, i: int, seen: list[int], weights) -> list[Animation]:
        """Row i's visible scores count to their weights (grey numbers turning white), their cells
        filling with the attention colour by weight."""
        th = self.theme
        numbers = [grid.number(i, j) for j in seen]
        cells = [grid.cell(i, j) for j in seen]
        step = number_stepper(numbers, [weights[j] for j in seen], cells)

        def update(_: Mobject, alpha: float) -> None:
            step(alpha)
            for number in numbers:
                number.set_color(th.text if alpha > 0 else th.muted)

        fills = [cell.animate.set_fill(th.attention, opacity=0.08 + 0.52 * float(weights[j]))
                 for cell, j in zip(cells, seen)]
        return [UpdateFromAlphaFunc(grid, update), *fills]

    def prediction(self, seen: str, following: str) -> VGroup:
        """「他買了 → 一台」: the words a row sees, and the next word it learns to predict (the last
        row's lies beyond the sentence: muted)."""
        arrow = MathTex(r"\rightarrow", font_size=34, color=self.theme.muted)
        known = following != UNKNOWN_NEXT
        nxt = cjk(following, "label", weight="BOLD", color=self.theme.text if known else self.theme.muted)
        return VGroup(cjk(seen, "label"), arrow, nxt).arrange(RIGHT, buff=0.15)
