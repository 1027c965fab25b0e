"""Slide 'scaled-dot-product': every word of the sentence linked to every word (the attention of
chapters 3–5 sees the whole sentence, as an encoder or BERT does), then softmax(QKᵀ/√d_k)V computed
term by term on the Q, K, V that qkv-projection made from the shared running example. Raw and scaled
scores are muted; only the softmax weights take the attention colour."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.attention import AttentionGrid, AttentionLines
from explainer.scenekit.components.formula import Formula
from explainer.scenekit.components.matrix import MatrixBlock
from explainer.scenekit.components.text import cjk, paragraph
from explainer.scenekit.components.tokens import TokenRow
from explainer.scenekit.slide_scene import SlideScene
from specs.scaled_dot_product import attention_numbers

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
WORK_Y = 0.75            # vertical centre of the computation band
TABLE_TOP = -2.2         # first row of the symbol table
TABLE_ROW = 0.47
SENTENCE_Y = 0.45        # the sentence whose every word links to every word (before the grid)
LINK_WEIGHT = 0.35       # the links' stroke: no weights yet, every link alike
NOTE_GAP = 0.08          # the whole-sentence note sits this far under the grid's cells


class ScaledDotProduct(SlideScene):
    slide_id = "scaled-dot-product"
    exposed = ("grid", "note", "links", "same_delta", "tints")

    def construct(self) -> None:
        theme, labels = self.theme, self.params.labels
        numbers = attention_numbers(self.slide.example)
        tokens = numbers["tokens"]
        n = len(tokens)

        # 1. Every word considers every other word: each word, in turn, linked to all the others
        #    (arcs above reach later words, arcs below earlier ones).
        self.step("every-word")
        title = self.show_title()
        sentence = TokenRow(tokens, size="heading", buff=0.5, height=0.8).move_to([0, SENTENCE_Y, 0])
        self.links = VGroup()
        forward = VGroup()     # the arcs to later words
        for i in range(n):
            later, earlier = list(range(i + 1, n)), list(range(i))
            links = VGroup()
            for targets, angle in ((later, PI / 2.2), (earlier, -PI / 2.2)):
                if targets:
                    lines = AttentionLines(sentence[i], [sentence[j] for j in targets], [LINK_WEIGHT] * len(targets),
                                           role="attention", arc_angle=angle, max_width=8)
                    links.add(lines)
                    if angle > 0:
                        forward.add(lines)
            self.links.add(links)
        self.play(FadeIn(sentence, lag_ratio=0.15), run_time=0.8)
        for i in range(n):
            self.play(Indicate(sentence[i], color=theme.query, scale_factor=1.12),
                      *(Create(line) for group in self.links[i] for line in group.lines), run_time=0.8)
        self.hold(seconds=1.0)

        # 2. Which attention this is: every word sees the whole sentence, later words too
        self.step("whole-sentence")
        self.note = cjk(labels.whole_sentence, "small", theme.muted)
        self.note.next_to(sentence, DOWN, buff=1.1)
        self.play(FadeIn(self.note, shift=UP * 0.15), run_time=0.6)
        # The arcs above (to later words) brighten: here a word sees the words after it too.
        later = cjk(labels.later, "label", theme.text).next_to(forward, UP, buff=0.2)
        self.play(forward.animate.set_stroke(width=7, opacity=1.0), FadeIn(later, shift=DOWN * 0.1), run_time=0.6)
        self.play(forward.animate.set_stroke(width=1 + 7 * LINK_WEIGHT, opacity=0.15 + 0.85 * LINK_WEIGHT),
                  run_time=0.6)
        self.hold(labels.whole_sentence)

        # 3. The formula: softmax(QKᵀ/√d_k) V
        self.step("formula")
        formula = Formula(FORMULA_TERMS, font_size=34, color=theme.text)
        formula.color_term("q", theme.query).color_term("kt", theme.key).color_term("v", theme.value)
        formula.to_edge(RIGHT, buff=0.4).match_y(title[0]).shift(DOWN * 0.05)
        if formula.get_left()[0] < title.get_right()[0] + 0.3:
            formula.next_to(title, DOWN, buff=0.2).to_edge(RIGHT, buff=0.4)
        self.play(Write(formula), run_time=1.5)
        self.hold(seconds=1.0)

        # 4. QKᵀ: the queries (rows) against the keys (columns), one dot product per cell. The
        #    sentence's words become the grid's rows (who asks) and columns (who is looked at).
        self.step("scores")
        # Q's rows as tall as the grid's: row i of Q sits beside row i of the grid it makes.
        q_block = MatrixBlock(numbers["Q"], color=theme.query, symbol="Q", symbol_side=LEFT, decimals=2,
                              cell_height=CELL)
        kt_block = MatrixBlock(numbers["K"].T, color=theme.key, symbol="K^{T}", decimals=2)
        # Raw scores are not weights yet: muted cells; only the softmax weights take the attention colour.
        self.grid = grid = AttentionGrid(numbers["scores"], row_labels=tokens, col_labels=tokens, cell_size=CELL,
                                         row_label_color=theme.query, col_label_color=theme.key,
                                         color=theme.muted)
        grid.numbers.set_opacity(0)
        band = VGroup(q_block, grid, kt_block).arrange(RIGHT, buff=0.55)
        band.move_to([0, WORK_Y, 0]).shift(DOWN * (grid.col_labels.height / 2))
        for block in (q_block, kt_block):
            block.shift(UP * (grid.cells.get_center()[1] - block.body.get_center()[1]))
        # The rows first (each word asking), then the columns (each word looked at). The sentence
        # comes apart: its words become the row labels, its boxes fade.
        boxes, words = VGroup(*(token.box for token in sentence)), [token.label for token in sentence]
        self.remove(sentence)
        self.add(boxes, *words)
        self.play(self.focus(formula, *STAGE_TERMS[0]), FadeOut(self.links), FadeOut(boxes), FadeOut(later),
                  *(ReplacementTransform(words[i], grid.row_labels[i]) for i in range(n)), FadeIn(grid.cells),
                  self.note.animate.next_to(grid.cells, DOWN, buff=NOTE_GAP), run_time=1.2)
        self.play(TransformFromCopy(formula.term("q"), q_block), TransformFromCopy(formula.term("kt"), kt_block),
                  run_time=1.2)
        self.play(*(TransformFromCopy(grid.row_labels[i], grid.col_labels[i]) for i in range(n)), run_time=1.2)
        row_1 = self.table_row(0)
        self.play(TransformFromCopy(formula.term("kt"), row_1[0]), FadeIn(row_1[1:], shift=RIGHT * 0.2),
                  run_time=1.0)
        for i in range(n):
            for j in range(n):
                pair = VGroup(q_block.row(i), kt_block.column(j))
                self.play(Indicate(pair, color=theme.highlight, scale_factor=1.04),
                          grid.number(i, j).animate.set_opacity(1), run_time=0.45 if i == 0 and j == 0 else 0.3)
        self.tints = {"scores": grid.tint}     # the grid's colour as each stage ends
        self.hold(row_1[2].original_text)

        # 5. ÷√d_k: every score divided by √d_k (≈ 1.41 when d_k = 2)
        self.step("scale")
        row_2 = self.table_row(1)
        scale_note = MathTex(rf"\sqrt{{d_k}} = \sqrt{{{numbers['d_k']}}} \approx {numbers['sqrt_d_k']:.2f}",
                             font_size=36, color=theme.highlight)
        # The table row comes in place (a copy flying from the formula would cross the grid's numbers).
        self.play(self.focus(formula, *STAGE_TERMS[1]), FadeIn(row_2, shift=RIGHT * 0.2),
                  row_1.animate.set_opacity(0.5), FadeOut(VGroup(q_block, kt_block)), run_time=1.0)
        # Q and Kᵀ are done: the grid (and its note) moves left to leave room for the row sums, V
        # and the output.
        left = -config.frame_width / 2 + 0.45
        self.play(grid.animate.shift(RIGHT * (left - grid.get_left()[0])),
                  self.note.animate.shift(RIGHT * (left - self.note.get_left()[0])), run_time=0.7)
        scale_note.next_to(grid.cells, RIGHT, buff=0.4)
        self.play(FadeIn(scale_note, shift=UP * 0.2), run_time=0.6)
        self.play(grid.animate_values(numbers["scaled"]), run_time=1.4)
        self.tints["scale"] = grid.tint
        self.hold(row_2[2].original_text)

        # 6. Row softmax: each query's row becomes weights that sum to 1 (now in the attention colour)
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
        self.tints["softmax"] = grid.tint
        self.hold(row_3[2].original_text)

        # 7. ×V: each row of weights mixes the value rows into that token's output
        self.step("times-v")
        row_4 = self.table_row(3)
        # V's rows (one per word looked at) and the output's rows (one per word asking) as tall as
        # the grid's: each word's output stands level with its row of weights.
        v_block = MatrixBlock(numbers["V"], color=theme.value, symbol="V", symbol_side=UP, decimals=2,
                              cell_height=CELL)
        out_block = MatrixBlock(numbers["output"], color=theme.output, decimals=2, cell_height=CELL)
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
        self.hold(row_4[2].original_text, seconds=1.0)
        # The word's output row is the Δx qkv-flow printed: framed, and the slide named under it.
        at = numbers["word_at"]
        word_row = SurroundingRectangle(VGroup(*(out_block.entry(at, j) for j in range(out_block.shape[1]))),
                                        color=theme.output, buff=0.06)
        # Wrapped to the block's width (plus a little), so it stays clear of the symbol table's text.
        self.same_delta = paragraph(labels.same_delta, out_block.width + 0.6, "small", theme.output, align="center")
        self.same_delta.next_to(out_block.body, DOWN, buff=0.2)
        self.same_delta.shift(LEFT * max(0.0, self.same_delta.get_right()[0] - (config.frame_width / 2 - 0.3)))
        self.play(Create(word_row), FadeIn(self.same_delta, shift=UP * 0.15), run_time=0.8)
        self.hold(labels.same_delta)

        # 8. The whole formula and its four parts together
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
        symbol = MathTex(entry.symbol, font_size=36, color=self.theme.text)
        name = cjk(entry.name, 26, self.theme.text, weight="BOLD")
        plain = cjk(entry.plain, 24, self.theme.muted)
        y = TABLE_TOP - index * TABLE_ROW
        symbol.move_to([-5.6, y, 0])
        name.move_to([-4.1, y, 0], aligned_edge=LEFT).set_x(-4.1 + name.width / 2)
        plain.move_to([0, y, 0]).set_x(-1.8 + plain.width / 2)
        return VGroup(symbol, name, plain)
