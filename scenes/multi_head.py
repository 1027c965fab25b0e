"""Slide 'multi-head': 多頭注意力 — the running example's sentence through three heads, each
with its own Q, K, V matrices and its own pattern; the word's outputs concatenated, then × W_O."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.attention import AttentionGrid
from explainer.scenekit.components.matrix import MatrixBlock, VectorBlock
from explainer.scenekit.components.text import cjk, paragraph
from explainer.scenekit.components.tokens import TokenRow
from explainer.scenekit.slide_scene import SlideScene
from explainer.script.example import multi_head_numbers

PANEL_X = (-4.45, 0.05, 4.55)   # centres of the three heads' panels
CELL = 0.72                     # attention-grid cell: two-decimal weights at a readable size
GRID_TOP = 1.2                  # top edge of the grids' cells
OUTPUT_Y = -2.6                 # the heads' outputs for the word, under their grids
NOTE_Y = -3.12                  # the muted whole-sentence note, under the outputs
CAPTION_Y = -3.62               # the bullet under the heads, under the note
NUMBER_SIZE = 32
LETTERS = "ABCDEFGH"


class MultiHead(SlideScene):
    slide_id = "multi-head"
    exposed = ("numbers", "grids", "outputs", "concat", "w_o_block", "result", "illustrative", "whole_sentence")

    def construct(self) -> None:
        p = self.params
        example = self.slide.example
        self.numbers = multi_head_numbers(example)
        heads = example.heads
        tokens, at = self.numbers["tokens"], self.numbers["word_at"]
        self.show_title()

        # 1. 多個注意力頭平行運作: the same sentence and the same vectors X as the earlier slides
        self.step("embedding")
        sentence = TokenRow(tokens, size="body").move_to([-3.2, 1.6, 0])
        x_block = MatrixBlock(self.numbers["X"], role="input", symbol="X", decimals=1,
                              cell_width=0.9, cell_height=0.55, font_size=NUMBER_SIZE)
        x_block.move_to([-2.6, -0.6, 0])
        x_labels = VGroup(*(cjk(t, "label").next_to(x_block.cell(i, 0), LEFT, buff=0.25)
                            for i, t in enumerate(tokens)))
        self.play(FadeIn(sentence, lag_ratio=0.15), run_time=0.8)
        self.play(*(TransformFromCopy(sentence[i].label, x_labels[i]) for i in range(len(tokens))),
                  run_time=1.0)
        self.play(FadeIn(x_block, shift=RIGHT * 0.2), run_time=0.8)
        caption = paragraph(self.slide.bullets[0], 5.6, "body").move_to([3.6, 0.2, 0])
        self.play(FadeIn(caption, shift=UP * 0.2), run_time=0.6)
        self.hold(self.slide.bullets[0])

        # 2. 每個頭捕捉不同類型的關係: a head's weights, then its output for the word (weights × V)
        self.illustrative = cjk(p.labels.illustrative, "small", color=self.theme.muted)
        self.illustrative.to_corner(UR, buff=0.4)
        # Which attention the grids show: every word sees the whole sentence (no mask).
        self.whole_sentence = cjk(p.labels.whole_sentence, "small", color=self.theme.muted)
        self.whole_sentence.move_to([0, NOTE_Y, 0])
        self.grids: list[AttentionGrid] = []
        self.outputs: list[VectorBlock] = []
        leaving = VGroup(sentence, x_block, x_labels, caption)
        for index, head in enumerate(heads):
            self.step(f"head-{index + 1}")
            grid, header, pattern = self.head_panel(index, head, tokens)
            if index == 0:
                # The sentence's words become the first grid's rows; X and the caption make room.
                self.play(FadeOut(leaving), *(TransformFromCopy(x_labels[i], grid.row_labels[i])
                                              for i in range(len(tokens))),
                          FadeIn(self.illustrative), run_time=1.0)
            else:
                self.play(FadeIn(grid.row_labels, shift=RIGHT * 0.2), run_time=0.5)
            self.play(FadeIn(header, shift=DOWN * 0.15), FadeIn(grid.col_labels), run_time=0.6)
            self.play(FadeIn(grid.cells, lag_ratio=0.03), FadeIn(grid.numbers, lag_ratio=0.03), run_time=1.0)
            self.play(FadeIn(pattern, shift=UP * 0.1), run_time=0.5)
            self.hold(head.pattern, seconds=1.0)
            if index == 0:
                self.play(FadeIn(self.whole_sentence, shift=UP * 0.1), run_time=0.5)
                self.hold(seconds=1.0)
            # weights × V: the word's row of weights mixes V's rows into this head's output
            row_box = grid.row_box(at)
            output = VectorBlock(self.numbers["outputs"][index][at], direction=RIGHT, role="output",
                                 decimals=2, cell_width=0.9, cell_height=0.5, font_size=NUMBER_SIZE)
            output.move_to([grid.cells.get_center()[0], OUTPUT_Y, 0])
            formula = MathTex(r"\textstyle\sum w\,v", font_size=34, color=self.theme.output)
            formula.next_to(output, LEFT, buff=0.2)
            self.play(Create(row_box), run_time=0.5)
            self.play(TransformFromCopy(row_box, output.cells), FadeIn(output.entries, shift=DOWN * 0.2),
                      FadeIn(formula), run_time=1.0)
            self.play(FadeOut(row_box), run_time=0.3)
            self.hold(seconds=1.0)
            self.grids.append(grid)
            self.outputs.append(output)
            self.add(VGroup(grid, header, pattern, formula))
            setattr(self, f"_panel_{index}", VGroup(grid, header, pattern, formula))

        patterns = VGroup(*(getattr(self, f"_panel_{i}")[2] for i in range(len(heads))))
        caption = paragraph(self.slide.bullets[1], 12.0, "body").move_to([0, CAPTION_Y, 0])
        self.play(FadeIn(caption, shift=UP * 0.2), Indicate(patterns, color=self.theme.highlight, scale_factor=1.08),
                  run_time=1.0)
        self.hold(self.slide.bullets[1])

        # 3. 結果串接，再乘上輸出矩陣: the outputs slide together, then × W_O into one vector
        self.step("concat")
        panels = VGroup(*(getattr(self, f"_panel_{i}") for i in range(len(heads))))
        self.play(FadeOut(panels), FadeOut(caption), FadeOut(self.whole_sentence), run_time=0.6)
        self.concat_and_project(p, at)
        caption = paragraph(self.slide.bullets[2], 11.0, "body").move_to([0, -2.9, 0])
        self.play(FadeIn(caption, shift=UP * 0.2), run_time=0.6)
        self.hold(self.slide.bullets[2])
        self.wait(1.0)

    # -- pieces ---------------------------------------------------------------------------
    def head_panel(self, index: int, head, tokens: list[str]) -> tuple[AttentionGrid, VGroup, Text]:
        """A head's weights as a grid (each row a word asking, its weights add to 1), its name and
        matrices above, the pattern it found below; nothing is on screen yet."""
        grid = AttentionGrid(self.numbers["shown_weights"][index], row_labels=tokens, col_labels=tokens,
                             cell_size=CELL, decimals=2, font_size=NUMBER_SIZE, label_size=20,
                             shade_range=(0.0, 1.0), role="attention")
        grid.shift([PANEL_X[index] - grid.cells.get_center()[0], GRID_TOP - grid.cells.get_top()[1], 0])
        letter = LETTERS[index]
        name = cjk(f"{head.name}：{head.focus}", "label", color=self.theme.text)
        own = MathTex(rf"W_Q^{{{letter}}}", rf"W_K^{{{letter}}}", rf"W_V^{{{letter}}}", font_size=34)
        own.arrange(RIGHT, buff=0.3)
        for part, role in zip(own, ("query", "key", "value")):
            part.set_color(self.theme.palette[role])
        header = VGroup(name, own).arrange(DOWN, buff=0.12)
        header.next_to(grid.col_labels, UP, buff=0.2).set_x(grid.cells.get_center()[0])
        pattern = cjk(head.pattern, "label", color=self.theme.attention)
        pattern.next_to(grid.cells, DOWN, buff=0.2)
        return grid, header, pattern

    def concat_and_project(self, p, at: int) -> None:
        """The heads' outputs side by side (串接), times W_O, equal the word's new vector."""
        concat_values = self.numbers["concat"][at]
        self.concat = VectorBlock(concat_values, direction=RIGHT, role="output", decimals=2,
                                  cell_width=0.95, cell_height=0.5, font_size=NUMBER_SIZE)
        self.concat.move_to([-3.6, 0.6, 0])
        width = len(self.numbers["outputs"][0][at])
        # Each head's output glides into its place in the long vector.
        self.play(*(output.animate.move_to(VGroup(*self.concat.cells[width * i:width * (i + 1)]))
                    for i, output in enumerate(self.outputs)), run_time=1.2)
        self.remove(*self.outputs)
        self.add(self.concat)
        concat_label = cjk(p.labels.concat, "label", color=self.theme.output).next_to(self.concat, UP, buff=0.2)
        brace_groups = VGroup(*(cjk(f"{LETTERS[i]}", "label", color=self.theme.muted)
                                .next_to(VGroup(*self.concat.cells[width * i:width * (i + 1)]), DOWN, buff=0.12)
                                for i in range(len(self.outputs))))
        self.play(FadeIn(concat_label), FadeIn(brace_groups), run_time=0.6)
        self.hold(seconds=1.0)

        times = MathTex(r"\times", font_size=40).next_to(self.concat, RIGHT, buff=0.25)
        self.w_o_block = MatrixBlock(self.numbers["W_O"], color=self.theme.muted, decimals=1,
                                     cell_width=0.8, cell_height=0.45, font_size=NUMBER_SIZE, fill_opacity=0.08)
        self.w_o_block.next_to(times, RIGHT, buff=0.25).set_y(self.concat.get_y())
        w_o_label = MathTex("W_O", font_size=36).next_to(self.w_o_block, UP, buff=0.15)
        self.play(Write(times), FadeIn(self.w_o_block, shift=LEFT * 0.2), Write(w_o_label), run_time=0.9)
        equals = MathTex("=", font_size=40).next_to(self.w_o_block, RIGHT, buff=0.25)
        self.result = VectorBlock(self.numbers["output"][at], direction=RIGHT, role="output", decimals=2,
                                  cell_width=0.9, cell_height=0.5, font_size=NUMBER_SIZE)
        self.result.next_to(equals, RIGHT, buff=0.25)
        result_label = cjk(p.labels.output, "label", color=self.theme.output).next_to(self.result, UP, buff=0.2)
        # The long vector and W_O's columns flow into the short one (boxes move; numbers then appear).
        self.play(Write(equals), TransformFromCopy(VGroup(self.concat.cells, self.w_o_block.cells),
                                                   self.result.cells), run_time=1.2)
        self.play(FadeIn(self.result.entries), run_time=0.5)
        self.add(self.result)
        self.play(FadeIn(result_label, shift=DOWN * 0.1), run_time=0.5)
        self.hold(seconds=1.0)
