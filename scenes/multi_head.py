"""Slide 'multi-head': 多頭注意力 — three heads read different features of one sentence, then W_O."""

from __future__ import annotations

import numpy as np
from manim import *

from explainer.maths import multi_head, seeded_matrix
from explainer.scenekit.components.attention import AttentionGrid
from explainer.scenekit.components.matrix import MatrixBlock, VectorBlock
from explainer.scenekit.components.text import cjk, paragraph
from explainer.scenekit.components.tokens import TokenRow
from explainer.scenekit.slide_scene import SlideScene

CELL = 0.48                 # attention-grid cell
PANEL_X = (-4.55, 0.0, 4.55)
GRID_TOP = -1.0             # top of the grids' cells while X is on screen
ZONE_X = 3.85               # centre of the formula / caption zone right of X
HIDDEN_WEIGHT = 0.05        # weights below this are left blank in the grids (read as ~0)


def head_results(params) -> dict[str, object]:
    """Everything the slide shows: per-head weights and outputs, the concatenation, W_O's output.

    W_Q and W_K come from the script (they read chosen features); W_V and W_O are seeded random.
    """
    x = np.asarray(params.embeddings, dtype=float)
    d_model, count = x.shape[1], len(params.heads)
    value_weights = [seeded_matrix(params.seed + i, d_model, params.d_head, scale=0.5) for i in range(count)]
    output_weights = seeded_matrix(params.seed + 100, count * params.d_head, d_model, scale=0.5)
    result = multi_head(x, [h.w_q for h in params.heads], [h.w_k for h in params.heads],
                        value_weights, output_weights)
    result["read_features"] = [features_read(h) for h in params.heads]
    return result


def features_read(head) -> list[int]:
    """Indices of the features a head's W_Q or W_K uses (non-zero rows)."""
    rows = np.abs(np.asarray(head.w_q, float)) + np.abs(np.asarray(head.w_k, float))
    return [i for i, row in enumerate(rows) if row.sum() > 0]


def fade(mobject: Mobject, appear: bool) -> Animation:
    """Fade a big group in or out by scaling each part's own opacities.

    Manim's animations deep-copy the mobject they run on; FadeIn/FadeOut of dozens of
    DecimalNumbers made this slide slow to build, so the updater runs on an empty stand-in.
    The caller adds the group first (to fade in) and removes it afterwards (to fade out).
    """
    parts = [m for m in mobject.get_family() if m.has_points()]
    start = [(m.get_fill_opacity(), m.get_stroke_opacity()) for m in parts]

    def update(_: Mobject, alpha: float) -> None:
        k = alpha if appear else 1 - alpha
        for part, (fill, stroke) in zip(parts, start):
            part.set_fill(opacity=fill * k, family=False).set_stroke(opacity=stroke * k, family=False)

    if appear:
        update(mobject, 0.0)
    return UpdateFromAlphaFunc(VMobject(), update, remover=True)


def glide(mobject: Mobject, offset: np.ndarray) -> Animation:
    """Shift a big group without copying it (see `fade`)."""
    done = [0.0]

    def update(_: Mobject, alpha: float) -> None:
        mobject.shift(np.asarray(offset) * (alpha - done[0]))
        done[0] = alpha

    return UpdateFromAlphaFunc(VMobject(), update, remover=True)


def vertical_label(token: str) -> VGroup:
    """A column heading written top to bottom, one character under another."""
    return VGroup(*(cjk(ch, 20) for ch in token)).arrange(DOWN, buff=0.03)


class MultiHead(SlideScene):
    slide_id = "multi-head"

    def construct(self) -> None:
        p = self.params
        self.results = head_results(p)
        self.show_title()

        # 1. 多個注意力頭平行運作: one sentence, its embeddings X
        self.step("embedding")
        x_block, row_labels, headers = self.embedding_matrix(p)
        sentence = TokenRow(p.tokens, size=24).move_to([-2.45, -1.6, 0])
        self.play(FadeIn(sentence, lag_ratio=0.15), run_time=0.8)
        self.play(*(ReplacementTransform(sentence[i].label, row_labels[i]) for i in range(len(p.tokens))),
                  *(FadeOut(sentence[i].box) for i in range(len(p.tokens))),
                  fade(self.added(x_block), appear=True), FadeIn(headers, lag_ratio=0.05), run_time=1.2)
        caption = paragraph(self.slide.bullets[0], 5.4, 24).move_to([ZONE_X, 1.3, 0])
        self.play(FadeIn(caption, shift=UP * 0.2), run_time=0.6)
        self.hold(self.slide.bullets[0])

        # 2. 每個頭有自己的 W_Q、W_K、W_V, reads its own features, and sees its own pattern
        grids: list[AttentionGrid] = []
        zone: VGroup = caption
        for index, head in enumerate(p.heads):
            self.step(f"head-{index + 1}")
            reads = VGroup(*(x_block.column(j) for j in self.results["read_features"][index]))
            read_box = SurroundingRectangle(reads, color=self.theme.highlight, buff=0.04)
            formulas = self.head_formulas(index, head)
            self.play(FadeOut(zone, shift=UP * 0.2), FadeIn(formulas, shift=UP * 0.2),
                      Create(read_box), run_time=0.8)
            grid, header = self.attention_panel(index, head, p.tokens)
            self.play(Indicate(formulas[-1], color=self.theme.output, scale_factor=1.05),
                      FadeIn(grid.cells, shift=DOWN * 0.3, lag_ratio=0.02), FadeIn(header), run_time=1.0)
            self.play(FadeIn(grid.row_labels), FadeIn(grid.col_labels),
                      *(FadeIn(n) for n in self.shown_numbers(grid)), run_time=0.7)
            self.hold(head.focus, seconds=1.2)
            self.play(FadeOut(read_box), run_time=0.3)
            grids.append(VGroup(grid, header))
            zone = formulas
        caption = paragraph(self.slide.bullets[1], 5.4, 24).move_to([ZONE_X, 1.3, 0])
        self.play(FadeOut(zone), FadeIn(caption), run_time=0.6)
        self.hold(self.slide.bullets[1])

        # 3. 結果串接後，經 W_O 整合: one token's head outputs, side by side, then projected
        self.step("concat")
        leaving = VGroup(x_block, row_labels, headers, caption)
        self.play(fade(leaving, appear=False), glide(VGroup(*grids), UP * 2.45), run_time=1.0)
        self.remove(leaving)
        self.concat_and_project(p, [g[0] for g in grids])
        self.wait(1.5)

    def added(self, mobject: Mobject) -> Mobject:
        """Put `mobject` on screen now (e.g. before `fade` brings it in) and return it."""
        self.add(mobject)
        return mobject

    # -- pieces ---------------------------------------------------------------------------
    def embedding_matrix(self, p) -> tuple[MatrixBlock, VGroup, VGroup]:
        """X (tokens × features) with the tokens down the left and the feature names on top."""
        block = MatrixBlock(np.asarray(p.embeddings, float), color=self.theme.muted, decimals=1,
                            cell_width=0.8, cell_height=0.42, fill_opacity=0.08)
        block.move_to([-2.45, 1.2, 0])
        row_labels = VGroup(*(cjk(t, 20).next_to(block.cell(i, 0), LEFT, buff=0.15)
                              for i, t in enumerate(p.tokens)))
        headers = VGroup(*(cjk(f, 20, color=self.theme.muted).next_to(block.cell(0, j), UP, buff=0.1)
                           for j, f in enumerate(p.features)))
        return block, row_labels, headers

    def head_formulas(self, index: int, head) -> VGroup:
        """The head's name and focus, its own W_Q, W_K, W_V, and its attention weights."""
        n = index + 1
        title = cjk(f"{head.name}：{head.focus}", 24, color=self.theme.highlight)
        qkv = VGroup(
            MathTex("Q", "=", "X", f"W_Q^{{({n})}}", font_size=32),
            MathTex("K", "=", "X", f"W_K^{{({n})}}", font_size=32),
            MathTex("V", "=", "X", f"W_V^{{({n})}}", font_size=32),
        ).arrange(RIGHT, buff=0.3)
        for line, role in zip(qkv, ("query", "key", "value")):
            line[0].set_color(self.theme.palette[role])
            line[3].set_color(self.theme.palette[role])
        weights = MathTex(r"A^{(" + str(n) + r")} = \mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d}}\right)",
                          font_size=34)
        group = VGroup(title, qkv, weights).arrange(DOWN, buff=0.3)
        return group.move_to([ZONE_X, 1.25, 0])

    def attention_panel(self, index: int, head, tokens) -> tuple[AttentionGrid, Text]:
        """The head's attention weights as a grid (queries down, keys across) with its name above."""
        weights = self.results["heads"][index]["weights"]
        grid = AttentionGrid(weights, row_labels=tokens, col_labels=[vertical_label(t) for t in tokens],
                             cell_size=CELL, decimals=1, font_size=32, label_size=20,
                             shade_range=(0.0, 1.0))
        grid.shift([PANEL_X[index], GRID_TOP, 0] - grid.cells.get_top())
        grid.shift(RIGHT * (PANEL_X[index] - grid.get_center()[0]))
        for number in grid.numbers:
            number.set_opacity(0)
        header = cjk(f"{head.name} {head.focus}", 20).next_to(grid.col_labels, UP, buff=0.12)
        return grid, header

    def shown_numbers(self, grid: AttentionGrid) -> list[DecimalNumber]:
        """The grid's numbers worth reading (near-zero weights stay blank)."""
        rows, cols = grid.shape
        shown = [grid.number(i, j) for i in range(rows) for j in range(cols)
                 if grid.values[i, j] >= HIDDEN_WEIGHT]
        for number in shown:
            number.set_opacity(1)
        return shown

    def concat_and_project(self, p, grids: list[AttentionGrid]) -> None:
        """Each head's output for the focus token, concatenated, then × W_O into one vector."""
        focus = list(p.tokens).index(p.focus_token)
        boxes = [g.row_box(focus) for g in grids]
        self.play(*(Create(b) for b in boxes), run_time=0.6)
        pieces = []
        for index, grid in enumerate(grids):
            output = self.results["heads"][index]["output"][focus]
            piece = VectorBlock(output, direction=RIGHT, color=self.theme.value, decimals=1,
                                cell_width=0.82, cell_height=0.45)
            piece.next_to(grid.cells, DOWN, buff=0.35)
            pieces.append(piece)
        self.play(*(TransformFromCopy(b, piece.cells) for b, piece in zip(boxes, pieces)),
                  *(FadeIn(piece.entries, shift=DOWN * 0.2) for piece in pieces), run_time=0.9)
        concat = VectorBlock(self.results["concat"][focus], direction=RIGHT, color=self.theme.value,
                             decimals=1, cell_width=0.82, cell_height=0.45)
        concat.move_to([0.9, pieces[0].get_y(), 0])
        concat_label = cjk(p.labels.concat, 24, color=self.theme.value).next_to(concat, LEFT, buff=0.3)
        self.play(*(ReplacementTransform(piece.body, VGroup(*concat.cells[2 * i:2 * i + 2],
                                                            *concat.entries[2 * i:2 * i + 2]))
                    for i, piece in enumerate(pieces)), FadeIn(concat_label), run_time=1.2)
        self.remove(*pieces)
        self.add(concat)
        output = VectorBlock(self.results["output"][focus], direction=RIGHT, color=self.theme.output,
                             decimals=1, cell_width=0.82, cell_height=0.45)
        output.move_to([0.9, concat.get_y() - 1.35, 0])
        arrow = Arrow(concat.get_bottom(), output.get_top(), buff=0.08, color=self.theme.muted)
        w_o = MathTex("W_O", font_size=36, color=self.theme.output).next_to(arrow, RIGHT, buff=0.15)
        output_label = cjk(p.labels.output, 24, color=self.theme.output).next_to(output, LEFT, buff=0.3)
        self.play(GrowArrow(arrow), Write(w_o), run_time=0.6)
        self.play(FadeTransform(concat.body.copy(), output.body), FadeIn(output_label), run_time=1.0)
        caption = paragraph(self.slide.bullets[2], 9.0, 24).next_to(output, DOWN, buff=0.3)
        self.play(FadeIn(caption), run_time=0.5)
        self.hold(self.slide.bullets[2])
