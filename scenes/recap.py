"""Slide 'recap': the lecture's ideas, one small picture and one line each, revealed in turn."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from manim import *

from explainer.scenekit.components.attention import AttentionGrid, AttentionLines
from explainer.scenekit.components.bars import ProbabilityBars
from explainer.scenekit.components.text import cjk, paragraph
from explainer.scenekit.components.tokens import TokenRow
from explainer.scenekit.slide_scene import SlideScene
from specs.recap import PANELS, recap_numbers

PANEL_W, PANEL_H = 4.35, 3.05
PANEL_XS = (-4.55, 0.0, 4.55)
PANEL_YS = (1.2, -2.0)
PICTURE_H = 1.95            # the picture's share of a panel; the caption sits under it
CAPTION_SIZE = 20


class Recap(SlideScene):
    slide_id = "recap"
    exposed = ("panels", "note")

    def construct(self) -> None:
        p, th = self.params, self.theme
        numbers = recap_numbers(p, self.slide.example)
        # 0. The title: one picture per idea, six empty frames waiting for them
        self.step("title")
        self.show_title()
        frames = [RoundedRectangle(width=PANEL_W, height=PANEL_H, corner_radius=0.15, stroke_width=2,
                                   stroke_color=th.muted, fill_color=th.panel, fill_opacity=1)
                  .move_to([PANEL_XS[index % 3], PANEL_YS[index // 3], 0]).set_z_index(-1)
                  for index in range(len(PANELS))]
        self.play(LaggedStart(*(FadeIn(frame, scale=0.95) for frame in frames), lag_ratio=0.2), run_time=1.4)
        self.hold(self.slide.title)
        builders = {
            "next_word": self.next_word_picture, "softmax": self.softmax_picture,
            "attention": self.attention_picture, "multi_head": self.heads_picture,
            "residual": self.residual_picture, "human": self.memory_picture,
        }
        self.panels: dict[str, VGroup] = {}
        previous: VGroup | None = None
        for index, (name, step) in enumerate(zip(PANELS, ("next-word", "softmax", "attention", "multi-head",
                                                         "residual", "human"))):
            # 1-6. Each idea: its frame lights up, its picture is drawn, its line appears
            self.step(step)
            centre = np.array([PANEL_XS[index % 3], PANEL_YS[index // 3], 0.0])
            frame = frames[index]     # z_index -1: restyling a frame must not lift it over its picture
            caption_text = getattr(p.captions, name).format(capacity=p.memory.capacity)
            caption = paragraph(caption_text, PANEL_W - 0.3, CAPTION_SIZE, align="center")
            caption.move_to(centre + DOWN * (PANEL_H / 2 - 0.18 - caption.height / 2))
            picture, reveal = builders[name](p, numbers)
            room = PANEL_H - caption.height - 0.55
            if picture.height > room:
                picture.scale_to_fit_height(room)
            if picture.width > PANEL_W - 0.35:
                picture.scale_to_fit_width(PANEL_W - 0.35)
            picture.move_to(centre + UP * (PANEL_H / 2 - 0.2 - picture.height / 2))
            dims = [previous[0].animate.set_stroke(th.muted, width=2)] if previous is not None else []
            # "Look here": the frame being filled lights up, the one before goes back to muted.
            self.play(frame.animate.set_stroke(th.highlight, width=3), *dims, run_time=0.5)
            reveal(picture)
            self.play(FadeIn(caption, shift=UP * 0.15), run_time=0.5)
            self.hold(caption_text)
            panel = VGroup(frame, picture, caption)
            self.panels[name] = panel
            previous = panel

        # 7. All six together
        self.step("together")
        assert previous is not None
        # Structure, not a result: the frames light up in the accent colour.
        self.play(LaggedStart(*(panel[0].animate.set_stroke(th.accent, width=3) for panel in self.panels.values()),
                              lag_ratio=0.15), run_time=1.5)
        self.wait(1.0)

    # -- the pictures: each returns (picture, a function that animates it in) ----------------------
    def next_word_picture(self, p: Any, n: dict) -> tuple[VGroup, Any]:
        prompt = cjk(p.next_word.prompt + "＿", "label")
        bars = ProbabilityBars(list(p.next_word.words), n["probs_shown"], max_height=0.9, bar_width=0.5,
                               gap=0.5, role="probability", decimals=2, value_size=34)
        # Three probabilities adding to 1 say these words are the whole vocabulary: say so, as chapter 2 did.
        note = cjk(p.next_word.vocabulary_note, "small", color=self.theme.muted)
        picture = VGroup(prompt, bars, note).arrange(DOWN, buff=0.2)
        self.note = note

        def reveal(_: VGroup) -> None:
            self.play(FadeIn(prompt), FadeIn(bars.baseline), FadeIn(bars.word_labels), FadeIn(note), run_time=0.5)
            self.play(bars.grow(run_time=1.0))
        return picture, reveal

    def softmax_picture(self, p: Any, n: dict) -> tuple[VGroup, Any]:
        charts = VGroup()
        for t, probs in zip(p.next_word.temperatures, n["tempered"]):
            chart = ProbabilityBars(list(p.next_word.words), probs, max_height=1.1, bar_width=0.38, gap=0.2,
                                    role="probability", decimals=2, word_size="small")
            chart.remove(chart.value_labels)   # the shape is the point here, not the numbers
            label = MathTex("T", "=", f"{float(t):g}", font_size=40)
            label[0].set_color(self.theme.temperature)
            label[2].set_color(self.theme.temperature)
            charts.add(VGroup(label, chart).arrange(DOWN, buff=0.15))
        charts.arrange(RIGHT, buff=0.55, aligned_edge=DOWN)

        def reveal(_: VGroup) -> None:
            self.play(*(FadeIn(VGroup(c[0], c[1].baseline, c[1].word_labels)) for c in charts), run_time=0.5)
            self.play(*(c[1].grow(run_time=1.0) for c in charts))
        return charts, reveal

    def attention_picture(self, p: Any, n: dict) -> tuple[VGroup, Any]:
        th = self.theme
        row = TokenRow(list(n["tokens"]), size="label", min_width=0.7, height=0.55, buff=0.25)
        query = n["word_at"]
        weights = VGroup(*(DecimalNumber(w, num_decimal_places=2, font_size=40, color=th.attention)
                           .next_to(token, DOWN, buff=0.15) for w, token in zip(n["weights_shown"], row)))
        lines = AttentionLines(row[query], list(row), n["weights"], color=th.attention, max_width=10,
                               arc_angle=PI / 3)
        lines.remove(lines.lines[query])
        # Σ w·v: weights in the attention colour, values in theirs, the result Δx as an output.
        mix = MathTex(r"\textstyle\sum_j", "w_j", "v_j", "=",
                      rf"({n['delta'][0]:.2f},\ {n['delta'][1]:.2f})", font_size=42)
        mix[1].set_color(th.attention)
        mix[2].set_color(th.value)
        mix[4].set_color(th.output)
        picture = VGroup(lines, row, weights, mix)
        mix.next_to(weights, DOWN, buff=0.2)

        def reveal(_: VGroup) -> None:
            self.play(FadeIn(row), row.highlight(query, th.query), run_time=0.6)
            self.play(*(Create(line) for j, line in enumerate(lines.lines) if j != query),
                      FadeIn(weights, shift=DOWN * 0.1), run_time=0.9)
            self.play(Write(mix), run_time=0.7)
        return picture, reveal

    def heads_picture(self, p: Any, n: dict) -> tuple[VGroup, Any]:
        grids = VGroup()
        for name, weights in zip(n["head_names"], n["heads"]):
            grid = AttentionGrid(weights, cell_size=0.3, role="attention", shade_range=(0.0, 1.0))
            grid.remove(grid.numbers)          # a miniature: the pattern is the point
            label = cjk(name, "small", color=self.theme.muted)
            grids.add(VGroup(grid, label.next_to(grid, DOWN, buff=0.15)))
        grids.arrange(RIGHT, buff=0.35)

        def reveal(_: VGroup) -> None:
            self.play(LaggedStart(*(FadeIn(g, shift=UP * 0.15) for g in grids), lag_ratio=0.35), run_time=1.2)
        return grids, reveal

    def residual_picture(self, p: Any, n: dict) -> tuple[VGroup, Any]:
        th = self.theme
        x = MathTex("x", font_size=60, color=th.input)
        block = VGroup(RoundedRectangle(width=1.1, height=0.7, corner_radius=0.1, color=th.muted),
                       cjk(p.residual.block, "small"))
        plus = VGroup(Circle(radius=0.25, color=th.text), MathTex("+", font_size=44))
        out = MathTex("x", "+", "F(x)", font_size=40)
        out[0].set_color(th.input)
        out[2].set_color(th.output)      # as on the residual slide: what the block adds is an output
        chain = VGroup(x, block, plus).arrange(RIGHT, buff=0.5)
        out.next_to(plus, DOWN, buff=0.45)     # under ⊕, so the row stays narrow enough to keep x legible
        arrow_style = {"buff": 0.06, "stroke_width": 3, "color": th.muted, "max_tip_length_to_length_ratio": 0.3}
        arrows = VGroup(*(Arrow(a.get_right(), b.get_left(), **arrow_style) for a, b in pairwise(chain)),
                        Arrow(plus.get_bottom(), out.get_top(), **arrow_style))
        top = block.get_top()[1] + 0.35
        shortcut = VMobject(color=th.good, stroke_width=4).set_points_as_corners(
            [x.get_top() + UP * 0.08, [x.get_x(), top, 0], [plus.get_x(), top, 0], plus.get_top()])
        label = cjk(p.residual.shortcut, "small", color=th.good).next_to(shortcut, UP, buff=0.08)
        picture = VGroup(label, shortcut, chain, out, arrows)

        def reveal(_: VGroup) -> None:
            self.play(FadeIn(x), GrowArrow(arrows[0]), FadeIn(block), run_time=0.6)
            self.play(Create(shortcut), FadeIn(label), run_time=0.8)
            self.play(*(GrowArrow(a) for a in arrows[1:]), FadeIn(plus), Write(out), run_time=0.8)
        return picture, reveal

    def memory_picture(self, p: Any, n: dict) -> tuple[VGroup, Any]:
        th = self.theme
        capacity = int(p.memory.capacity)
        items = list(p.memory.items)
        slots = VGroup(*(RoundedRectangle(width=0.85, height=0.55, corner_radius=0.08, color=th.muted)
                         for _ in range(capacity))).arrange(RIGHT, buff=0.12)
        words = VGroup(*(cjk(item, "small") for item in items))
        for word, slot in zip(words, slots):
            word.move_to(slot)
        extra = VGroup(*words[capacity:]).arrange(RIGHT, buff=0.3).next_to(slots, DOWN, buff=0.3)
        picture = VGroup(slots, words)

        def reveal(_: VGroup) -> None:
            self.play(FadeIn(slots), run_time=0.4)
            self.play(LaggedStart(*(FadeIn(w, shift=DOWN * 0.2) for w in words[:capacity]), lag_ratio=0.25),
                      run_time=1.0)
            if len(extra):
                self.play(FadeIn(extra, shift=DOWN * 0.2), run_time=0.5)
                self.play(extra.animate.set_opacity(0.25), run_time=0.6)
        return picture, reveal
