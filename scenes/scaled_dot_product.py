"""Slide 'scaled-dot-product': softmax(QKᵀ/√d_k)V computed term by term on the Q, K, V that
qkv-projection made from the shared running example."""

from __future__ import annotations

from typing import Any

from manim import *

from explainer.scenekit.components.attention import AttentionGrid
from explainer.scenekit.components.formula import Formula
from explainer.scenekit.components.matrix import MatrixBlock
from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene
from explainer.script.example import sentence_numbers

# The formula's terms; the symbol table's rows are tied to these, in this order.
FORMULA_TERMS = [
    ("lhs", r"\mathrm{Attention}(Q, K, V)"),
    ("eq", "="),
    ("softmax", r"\mathrm{softmax}\left("),
    ("frac_open", r"\frac{"),
    ("q", "Q"),
    ("kt", "K^{T}"),
    ("bar", "}{"),               # carries the fraction bar
    ("sqrt", r"\sqrt{d_k}"),
    ("frac_close", "}"),
    ("close", r"\right)"),
    ("v", "V"),
]
STAGE_TERMS = [("q", "kt"), ("bar", "sqrt"), ("softmax", "close"), ("v",)]
CELL = 0.95              # the grid default: room for two signed numbers side by side
WORK_Y = 0.8             # vertical centre of the computation band
TABLE_TOP = -2.05        # first row of the symbol table
TABLE_ROW = 0.5


def attention_numbers(example: Any) -> dict[str, Any]:
    """QKᵀ, ÷√d_k, row softmax (shown to two decimals, rows adding to 1) and ×V for the running
    example's first sentence; `output` is each word's Δx."""
    numbers = sentence_numbers(example, 0)
    return {**numbers, "output": numbers["delta"]}



class ScaledDotProduct(SlideScene):
    slide_id = "scaled-dot-product"

    def construct(self) -> None:
        theme = self.theme
        numbers = attention_numbers(self.slide.example)
        tokens = numbers["tokens"]
        n = len(tokens)

        # 1. The formula: softmax(QKᵀ/√d_k) V
        self.step("formula")
        title = self.show_title()
        formula = Formula(FORMULA_TERMS, font_size=38, color=theme.text)
        formula.color_term("q", theme.query).color_term("kt", theme.key).color_term("v", theme.value)
        formula.to_edge(RIGHT, buff=0.4).match_y(title[0]).shift(DOWN * 0.05)
        if formula.get_left()[0] < title.get_right()[0] + 0.3:
            formula.next_to(title, DOWN, buff=0.2).to_edge(RIGHT, buff=0.4)
        self.play(Write(formula), run_time=1.5)
        self.hold(seconds=1.0)

        # 2. QKᵀ: the queries (rows) against the keys (columns), one dot product per cell
        self.step("scores")
        q_block = MatrixBlock(numbers["Q"], color=theme.query, symbol="Q", symbol_side=LEFT, decimals=2)
        kt_block = MatrixBlock(numbers["K"].T, color=theme.key, symbol="K^{T}", decimals=2)
        grid = AttentionGrid(numbers["scores"], row_labels=tokens, col_labels=tokens, cell_size=CELL,
                             row_label_color=theme.query, col_label_color=theme.key,
                             color=theme.palette.get("attention", theme.highlight))
        grid.numbers.set_opacity(0)
        band = VGroup(q_block, grid, kt_block).arrange(RIGHT, buff=0.55)
        band.move_to([0, WORK_Y, 0]).shift(DOWN * (grid.col_labels.height / 2))
        self.play(TransformFromCopy(formula.term("q"), q_block), TransformFromCopy(formula.term("kt"), kt_block),
                  run_time=1.2)
        row_1 = self.table_row(0)
        self.play(self.focus(formula, *STAGE_TERMS[0]), TransformFromCopy(formula.term("kt"), row_1[0]),
                  FadeIn(row_1[1:], shift=RIGHT * 0.2), FadeIn(grid.cells), FadeIn(grid.row_labels),
                  FadeIn(grid.col_labels), run_time=1.0)
        for i in range(n):
            for j in range(n):
                pair = VGroup(q_block.row(i), kt_block.column(j))
                self.play(Indicate(pair, color=theme.highlight, scale_factor=1.04),
                          grid.number(i, j).animate.set_opacity(1), run_time=0.45 if i == 0 and j == 0 else 0.3)
        self.hold(row_1[2].original_text)

        # 3. ÷√d_k: every score divided by √d_k (≈ 1.41 when d_k = 2)
        self.step("scale")
        row_2 = self.table_row(1)
        scale_note = MathTex(rf"\sqrt{{d_k}} = \sqrt{{{numbers['d_k']}}} \approx {numbers['sqrt_d_k']:.2f}",
                             font_size=36, color=theme.highlight)
        # The table row comes in place (a copy flying from the formula would cross the grid's numbers).
        self.play(self.focus(formula, *STAGE_TERMS[1]), FadeIn(row_2, shift=RIGHT * 0.2),
                  row_1.animate.set_opacity(0.5), FadeOut(VGroup(q_block, kt_block)), run_time=1.0)
        # Q and Kᵀ are done: the grid moves left to leave room for the row sums, V and the output.
        self.play(grid.animate.to_edge(LEFT, buff=0.45), run_time=0.7)
        scale_note.next_to(grid.cells, RIGHT, buff=0.4)
        self.play(FadeIn(scale_note, shift=UP * 0.2), run_time=0.6)
        self.play(grid.animate_values(numbers["scaled"]), run_time=1.4)
        self.hold(row_2[2].original_text)

        # 4. Row softmax: each query's row becomes weights that sum to 1
        self.step("softmax")
        row_3 = self.table_row(2)
        self.play(FadeOut(scale_note), run_time=0.4)
        self.play(self.focus(formula, *STAGE_TERMS[2]), FadeIn(row_3, shift=RIGHT * 0.2),
                  row_2.animate.set_opacity(0.5), run_time=1.0)
        sums = VGroup()
        grid.shade_range = (0.0, 1.0)   # weights: one fixed scale for every row
        for i in range(n):
            box = grid.row_box(i)
            total = MathTex(rf"\Sigma = {numbers['shown_weights'][i].sum():.2f}", font_size=34, color=theme.good)
            total.next_to(grid.cell(i, n - 1), RIGHT, buff=0.3)
            sums.add(total)
            self.play(Create(box), run_time=0.4)
            self.play(grid.animate_values(numbers["shown_weights"], rows=[i],
                                          color=theme.palette.get("attention", theme.highlight)),
                      FadeIn(total, shift=LEFT * 0.2), run_time=0.9)
            self.play(FadeOut(box), run_time=0.3)
        self.hold(row_3[2].original_text)

        # 5. ×V: each row of weights mixes the value rows into that token's output
        self.step("times-v")
        row_4 = self.table_row(3)
        v_block = MatrixBlock(numbers["V"], color=theme.value, symbol="V", symbol_side=UP, decimals=2)
        out_block = MatrixBlock(numbers["output"], color=theme.output, decimals=2)
        times = MathTex(r"\times", font_size=50, color=theme.text)
        equals = MathTex("=", font_size=50, color=theme.text)
        out_label = cjk("輸出", 28, theme.output)
        right_side = VGroup(times, v_block, equals, out_block).arrange(RIGHT, buff=0.3)
        right_side.next_to(sums, RIGHT, buff=0.45)
        for block in (v_block, out_block):
            block.body.match_y(grid.cells)
        times.match_y(grid.cells)
        equals.match_y(grid.cells)
        v_block.symbol.next_to(v_block.body, UP, buff=0.15)
        out_label.next_to(out_block.body, UP, buff=0.15)
        self.play(self.focus(formula, *STAGE_TERMS[3]), TransformFromCopy(formula.term("v"), row_4[0]),
                  FadeIn(row_4[1:], shift=RIGHT * 0.2), row_3.animate.set_opacity(0.5), run_time=1.0)
        self.play(FadeIn(times), TransformFromCopy(formula.term("v"), v_block), run_time=1.0)
        self.play(FadeIn(equals), FadeIn(out_block.cells), FadeIn(out_label), run_time=0.6)
        for i in range(n):
            box = grid.row_box(i)
            self.play(Create(box), Indicate(v_block.body, color=theme.highlight, scale_factor=1.03), run_time=0.5)
            # Row i's frame travels through V (a box: no weights slide over the sums); row i of
            # the output appears.
            self.play(box.animate.move_to(v_block.body).set_opacity(0), run_time=0.5)
            self.remove(box)
            self.play(FadeIn(VGroup(*(out_block.entry(i, j) for j in range(out_block.shape[1]))), shift=RIGHT * 0.3),
                      run_time=0.4)
        self.adopt(out_block)
        self.adopt(v_block)
        self.hold(row_4[2].original_text)

        # 6. The whole formula and its four parts together
        self.step("summary")
        self.play(self.focus(formula, *formula.term_names), VGroup(row_1, row_2, row_3).animate.set_opacity(1),
                  run_time=0.8)
        self.hold(seconds=2.5)

    def focus(self, formula: Formula, *names: str) -> Animation:
        """Bring the named terms forward by dimming the rest of the formula (a box around
        QKᵀ or √d_k would cut through the fraction bar and the term above or below it)."""
        return AnimationGroup(*(term.animate.set_opacity(1.0 if name in names else 0.35)
                                for name, term in zip(formula.term_names, formula.submobjects)))

    def table_row(self, index: int) -> VGroup:
        """Row `index` of the symbol table: symbol (LaTeX), name, plain-language explanation."""
        entry = self.params.table[index]
        symbol = MathTex(entry.symbol, font_size=36, color=self.theme.highlight)
        name = cjk(entry.name, 26, self.theme.text, weight="BOLD")
        plain = cjk(entry.plain, 24, self.theme.muted)
        y = TABLE_TOP - index * TABLE_ROW
        symbol.move_to([-5.6, y, 0])
        name.move_to([-4.1, y, 0], aligned_edge=LEFT).set_x(-4.1 + name.width / 2)
        plain.move_to([0, y, 0]).set_x(-1.8 + plain.width / 2)
        return VGroup(symbol, name, plain)
