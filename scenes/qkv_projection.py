"""Slide 'qkv-projection': X times W_Q, W_K, W_V gives Q, K, V (the shared running example's
numbers, which scaled-dot-product then attends over); one embedding becomes three views."""

from __future__ import annotations

import numpy as np
from manim import *

from explainer.scenekit.components.captions import CaptionSlot
from explainer.scenekit.components.matrix import MatrixBlock
from explainer.scenekit.components.text import cjk
from explainer.scenekit.components.tokens import TokenRow
from explainer.scenekit.slide_scene import SlideScene
from specs.qkv_projection import projection_numbers

ROLES = ("Q", "K", "V")
PALETTE_ROLE = {"Q": "query", "K": "key", "V": "value"}
BAND_Y = 0.2             # vertical centre of the X × W = result band
CAPTION_Y = -3.3


class QkvProjection(SlideScene):
    slide_id = "qkv-projection"

    def construct(self) -> None:
        p, theme = self.params, self.theme
        numbers = projection_numbers(self.slide.example)
        tokens = numbers["tokens"]
        colors = {role: theme.palette[PALETTE_ROLE[role]] for role in ROLES}

        # 1. Each token becomes an embedding vector: the rows of X
        self.step("embeddings")
        title = self.show_title()
        equations = VGroup(*(MathTex(role, "=", "X", f"W_{role}", font_size=40, color=theme.text)
                             for role in ROLES)).arrange(RIGHT, buff=0.7)
        for role, equation in zip(ROLES, equations):
            equation[0].set_color(colors[role])
            equation[3].set_color(colors[role])
        equations.to_edge(RIGHT, buff=0.45).match_y(title[0])
        if equations.get_left()[0] < title.get_right()[0] + 0.3:
            equations.next_to(title, DOWN, buff=0.25).to_edge(RIGHT, buff=0.45)
        captions = CaptionSlot.bottom(CAPTION_Y, "body")
        caption = captions.make(self.slide.bullets[0])
        token_column = TokenRow(tokens, size="label", direction=DOWN, height=0.5, buff=0.05)
        x_block = MatrixBlock(numbers["X"], color=theme.palette.get("input", theme.text), symbol="X",
                              shape_label=True)
        x_block.shape_label.set_color(theme.text)
        for i, token in enumerate(token_column):
            token.next_to(x_block.row(i), LEFT, buff=0.2)
        weight_blocks, results = self.lay_out_band(numbers, colors, token_column, x_block)
        times, equals = self.band_signs
        self.play(FadeIn(caption, shift=UP * 0.2), run_time=0.6)
        self.play(LaggedStart(*(FadeIn(t, shift=RIGHT * 0.2) for t in token_column), lag_ratio=0.2), run_time=0.8)
        self.play(LaggedStart(*(FadeIn(x_block.row(i), shift=RIGHT * 0.4) for i in range(len(tokens))),
                              lag_ratio=0.25),
                  FadeIn(x_block.symbol), FadeIn(x_block.shape_label), run_time=1.4)
        self.hold(self.slide.bullets[0])

        # 2. X times three learnable matrices: W_Q, W_K, W_V give Q, K, V (shapes shown)
        self.step("projections")
        caption = captions.swap(self, caption, self.slide.bullets[1])
        self.play(Write(equations), run_time=1.2)
        focus: Mobject | None = None
        weights_block: MatrixBlock | None = None
        result: MatrixBlock | None = None
        for index in range(len(ROLES)):
            new_weights, new_result = weight_blocks[index], results[index]
            box = SurroundingRectangle(equations[index], color=theme.highlight, buff=0.1)
            self.play(Create(box) if focus is None else ReplacementTransform(focus, box), run_time=0.5)
            focus = box
            if weights_block is None:
                # The first projection, row by row: row i of X times W is row i of Q.
                self.play(FadeIn(times), TransformFromCopy(equations[index][3], new_weights), run_time=1.0)
                self.play(FadeIn(equals), FadeIn(new_result.cells), FadeIn(new_result.symbol), run_time=0.5)
                for i in range(len(tokens)):
                    self.play(Indicate(x_block.row(i), color=theme.highlight, scale_factor=1.04),
                              Indicate(new_weights.body, color=theme.highlight, scale_factor=1.02), run_time=0.5)
                    # A frame around row i travels through W (a box, so no numbers slide over
                    # W's numbers), then row i of the result appears.
                    ghost = SurroundingRectangle(x_block.row(i), color=theme.highlight, buff=0.04)
                    self.play(ghost.animate.move_to(new_weights.body).set_opacity(0), run_time=0.5)
                    self.remove(ghost)
                    self.play(FadeIn(VGroup(*(new_result.entry(i, j) for j in range(new_result.shape[1]))),
                                     shift=RIGHT * 0.3), run_time=0.4)
                self.adopt(new_result)
                self.play(FadeIn(new_result.shape_label, shift=UP * 0.1), run_time=0.5)
                self.hold(seconds=1.2)
            else:
                # The same X, a different W: a different view of every token.
                # The old product dims as its W leaves: X × the new W never stands beside it.
                self.play(ReplacementTransform(weights_block, new_weights),
                          Indicate(x_block.body, color=theme.highlight, scale_factor=1.03),
                          result.animate.set_opacity(0.2), run_time=0.9)
                self.play(ReplacementTransform(result, new_result), run_time=1.0)
                self.hold(seconds=1.2)
            weights_block, result = new_weights, new_result
        self.hold(self.slide.bullets[1])

        # 3. One embedding, three views: the last token's row of X becomes its q, k and v
        self.step("three-views")
        caption = captions.swap(self, caption, self.slide.bullets[2])
        chosen = numbers["word_at"]
        source = VGroup(token_column[chosen].copy(), MatrixBlock(numbers["X"][chosen],
                                                                    color=theme.palette.get("input", theme.text)))
        source.arrange(RIGHT, buff=0.2).move_to([-4.4, BAND_Y - 0.2, 0])
        views = VGroup()
        arrows = VGroup()
        for index, role in enumerate(ROLES):
            # Lower-case symbols are short glyphs: drawn larger to stay readable.
            vector = MatrixBlock(numbers[role][chosen], color=colors[role], symbol=role.lower(), decimals=2,
                                 symbol_side=LEFT, symbol_size=50)
            label = cjk(p.views[index], "label", colors[role])
            row = VGroup(vector, label).arrange(RIGHT, buff=0.35)
            row.move_to([2.6, BAND_Y + 1.35 - index * 1.55, 0], aligned_edge=LEFT).set_x(0.9, direction=LEFT)
            views.add(row)
            arrow = Arrow(source.get_right(), vector.get_left(), buff=0.2, color=colors[role], stroke_width=5)
            tag = MathTex(f"W_{role}", font_size=36, color=colors[role])
            tag.move_to(arrow.point_from_proportion(0.55)).shift(UP * 0.32 if index == 0 else DOWN * 0.32
                                                                   if index == 2 else UP * 0.3)
            arrows.add(VGroup(arrow, tag))
        # The three labels line up in one column, right of the widest vector.
        label_x = max(row[0].get_right()[0] for row in views) + 0.35
        for row in views:
            row[1].set_x(label_x, direction=LEFT)
        # First the rest of the band goes, then the chosen token and its row move on their own
        # (so no number slides across another one).
        kept = VGroup(token_column[chosen].copy(), x_block.row(chosen).copy())
        old_band = VGroup(*(t for i, t in enumerate(token_column) if i != chosen),
                          *(x_block.row(i) for i in range(len(tokens)) if i != chosen),
                          x_block.symbol, x_block.shape_label, times, weights_block, equals, result)
        self.remove(*token_column.get_family(), *x_block.get_family())
        self.add(*old_band, kept)
        self.play(FadeOut(old_band, shift=DOWN * 0.3), FadeOut(focus), run_time=0.8)
        self.play(ReplacementTransform(kept, source), run_time=0.8)
        for index, role in enumerate(ROLES):
            # The row travels along the arrow; its W tag and the view's name follow once it is there.
            vector = views[index][0]
            self.play(GrowArrow(arrows[index][0]), TransformFromCopy(source[1].body, vector.body),
                      Indicate(equations[index], color=colors[role]), run_time=0.9)
            self.play(FadeIn(arrows[index][1]), FadeIn(vector.symbol), FadeIn(views[index][1], shift=LEFT * 0.2),
                      run_time=0.5)
            self.adopt(views[index])
        self.hold(self.slide.bullets[2], seconds=3.0)

    def lay_out_band(self, numbers: dict[str, np.ndarray], colors: dict[str, str], token_column: VGroup,
                     x_block: MatrixBlock) -> tuple[list[MatrixBlock], list[MatrixBlock]]:
        """Place tokens, X, ×, W, = and the result in one row (X's place is final from the start).

        Returns the W and result blocks of Q, K and V, each trio drawn in the same slot.
        """
        theme = self.theme
        weight_blocks, results = [], []
        for role in ROLES:
            weights = MatrixBlock(numbers[f"W_{role}"], color=colors[role], symbol=f"W_{role}", shape_label=True)
            result = MatrixBlock(numbers[role], color=colors[role], symbol=role, shape_label=True, decimals=2)
            for block in (weights, result):
                block.shape_label.set_color(theme.text)
            weight_blocks.append(weights)
            results.append(result)
        times = MathTex(r"\times", font_size=50, color=theme.text)
        equals = self.equals_sign()
        first_w, first_result = weight_blocks[0], results[0]
        band = VGroup(VGroup(token_column, x_block), times, first_w, equals, first_result)
        band.arrange(RIGHT, buff=0.35).move_to([0, BAND_Y, 0])
        # Align every block's grid on W's grid centre line.
        for mob in (x_block, first_result):
            mob.shift(UP * (first_w.body.get_center()[1] - mob.body.get_center()[1]))
        token_column.shift(UP * (x_block.body.get_center()[1] - token_column.get_center()[1]))
        times.match_y(first_w.body)
        equals.match_y(first_w.body)
        for weights, result in zip(weight_blocks[1:], results[1:]):
            weights.shift(first_w.body.get_center() - weights.body.get_center())
            result.shift(first_result.body.get_center() - result.body.get_center())
        self.band_signs = (times, equals)
        return weight_blocks, results

    def equals_sign(self) -> MathTex:
        """'=' as the glyph it is, the size of the × beside it."""
        return MathTex("=", font_size=50, color=self.theme.text)
