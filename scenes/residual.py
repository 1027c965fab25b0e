"""Slide 'residual': 殘差連接：深層網路的捷徑 — x + F(x), then a 12-block stack with and without it."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
from manim import *

from explainer.maths import residual_first_block
from explainer.scenekit.components.signed_bars import SignedBars
from explainer.scenekit.components.text import cjk, paragraph
from explainer.scenekit.slide_scene import SlideScene
from specs.residual import log_interp, meter_decimals, stack_curves

BAR_UNIT = 1.6          # units of height per unit of a vector component
BLOCK_W, BLOCK_H, BLOCK_PITCH = 0.55, 0.8, 0.78
ROW_Y = {"plain": 1.95, "residual": 0.45}
FIRST_BLOCK_X = -3.9
READOUT_X = 5.85
NUMBER_SIZE = 34


class Residual(SlideScene):
    slide_id = "residual"
    exposed = ("illustrative", "levels")

    def construct(self) -> None:
        p = self.params
        labels = p.labels
        self.curves = stack_curves(p)
        # 1. 捷徑把未經修改的原始輸入直接加到輸出上: x → F → F(x), x around it, x + F(x)
        #    (the step opens with the title, so the narration starts with the picture)
        self.step("block")
        self.show_title()
        tag = cjk(labels.illustrative, "small", color=self.theme.muted).to_corner(UR, buff=0.45)
        self.play(FadeIn(tag), run_time=0.4)
        self.illustrative = tag
        # Where the shortcut lives: a Transformer block, attention then MLP, each with its own
        # (drawn at once: the title is being said over it)
        diagram = self.block_diagram(p, labels)
        layout = self.transformer_block(labels)
        self.play(FadeIn(layout["frame"]), FadeIn(layout["name"]), FadeIn(layout["x"]), run_time=0.6)
        self.play(LaggedStart(*(GrowArrow(a) for a in layout["arrows"]), lag_ratio=0.2),
                  *(FadeIn(box) for box in layout["sublayers"]), FadeIn(layout["plus"]), run_time=1.2)
        self.play(*(Create(path) for path in layout["shortcuts"]), FadeIn(layout["shortcut_label"]),
                  run_time=1.0)
        self.hold(seconds=1.5)

        # 1b. Zoom into one sublayer: it becomes F; x goes in, F(x) comes out, x rides the shortcut
        self.step("sublayer")
        chosen = layout["sublayers"][0]
        self.play(Indicate(chosen, color=self.theme.highlight), run_time=0.8)
        rest = VGroup(*(m for key, m in layout.items() if key != "sublayers"), layout["sublayers"][1])
        self.play(FadeOut(rest), ReplacementTransform(chosen, VGroup(diagram["box"], diagram["box_label"])),
                  run_time=1.0)
        caption = self.caption(self.slide.bullets[0], full_width=True)
        self.play(FadeIn(caption, shift=UP * 0.2), run_time=0.6)
        self.animate_block_in(diagram)

        # 1c. Added to the output: x + F(x), bar by bar (the picture stays while it is described)
        self.step("sum")
        self.animate_block_sum(diagram)
        self.hold(self.slide.bullets[0])

        # 2. 原始資訊無損: the signal through 12 random blocks, fading without shortcuts
        self.step("stack")
        self.play(FadeOut(VGroup(*diagram.values()), caption), run_time=0.6)
        rows = {name: self.block_row(name, labels) for name in ("plain", "residual")}
        header = cjk(labels.signal, 20, color=self.theme.muted)
        header.move_to([READOUT_X, ROW_Y["plain"] + 0.75, 0])
        self.play(*(FadeIn(row["frame"], lag_ratio=0.05) for row in rows.values()), FadeIn(header),
                  run_time=1.2)
        caption = self.caption(self.slide.bullets[1])
        self.play(FadeIn(caption, shift=UP * 0.2), run_time=0.5)
        self.run_pulse(rows, "signal", forward=True)
        self.hold(self.slide.bullets[1], seconds=1.2)

        # ... and as a log-scale plot of norm against layer
        self.step("plot")
        plot = self.norm_plot(p, labels, "signal")
        self.play(Create(plot["axes"]), FadeIn(plot["ticks"]), FadeIn(plot["name"]), run_time=0.8)
        self.play(*(Create(plot[name]) for name in ("plain", "residual")), run_time=1.6)
        self.wait(1.2)

        # 3. 梯度消失: the gradient flows back down the same stacks
        self.step("gradient")
        new_header = cjk(labels.gradient, 20, color=self.theme.text).move_to(header)
        new_caption = self.caption(self.slide.bullets[2])
        gradient_plot = self.norm_plot(p, labels, "gradient")
        # The gradient that matters arrives at layer 0: its number sits beside the input x, and the
        # row names move to the right end, where the signal's numbers were.
        left_x = rows["plain"]["node"].get_left()[0] - 0.2
        readouts = [row["readout"] for row in rows.values()]
        name_moves = [row["frame"][0].animate.move_to([READOUT_X, row["frame"][0].get_y(), 0])
                      for row in rows.values()]
        # Between the two numbers it names (above them would run into the slide title's rule).
        new_header.next_to([left_x, (ROW_Y["plain"] + ROW_Y["residual"]) / 2, 0], LEFT, buff=0)
        # The numbers leave, the row names move alone (crossing no number), the numbers return.
        self.play(FadeOut(header), *(FadeOut(r) for r in readouts), Transform(caption, new_caption),
                  *(row["levels"].animate.set_opacity(0.15) for row in rows.values()), run_time=0.6)
        self.play(*name_moves, run_time=0.8)
        for readout in readouts:
            readout.next_to([left_x, readout.get_y(), 0], LEFT, buff=0)
            readout.edge_to_fix = RIGHT    # longer numbers grow leftwards, away from x
        self.play(FadeIn(new_header), *(FadeIn(r) for r in readouts), run_time=0.5)
        for row in rows.values():
            row["readout_left"] = left_x
        self.run_pulse(rows, "gradient", forward=False)
        self.levels = {name: row["levels"] for name, row in rows.items()}   # for tests
        self.play(Transform(plot["plain"], gradient_plot["plain"]),
                  Transform(plot["residual"], gradient_plot["residual"]),
                  Transform(plot["name"], gradient_plot["name"]), run_time=1.2)
        self.hold(self.slide.bullets[2])
        self.wait(1.0)

    # -- step 1: one block ------------------------------------------------------------------
    def transformer_block(self, labels) -> dict[str, Mobject]:
        """x → attention → ⊕ → MLP → ⊕ →, each sublayer with its own shortcut around it."""
        th = self.theme
        y = 0.2
        sublayers = VGroup(*(
            VGroup(RoundedRectangle(width=2.3, height=1.0, corner_radius=0.15, color=th.output,
                                    fill_color=th.panel, fill_opacity=1),
                   cjk(text, "label")).move_to([x, y, 0])
            for text, x in ((labels.attention, -2.3), (labels.mlp, 2.0))))
        for box in sublayers:
            box[1].move_to(box[0])
        pluses = VGroup(*(VGroup(Circle(radius=0.25, color=th.text), MathTex("+", font_size=40))
                          .move_to([x, y, 0]) for x in (-0.15, 4.15)))
        x_in = MathTex("x", font_size=48, color=th.input).move_to([-5.0, y, 0])
        ends = [x_in, sublayers[0], pluses[0], sublayers[1], pluses[1]]
        arrows = VGroup(*(Arrow(a.get_right(), b.get_left(), buff=0.1, color=th.muted, stroke_width=4,
                                max_tip_length_to_length_ratio=0.25) for a, b in pairwise(ends)))
        arrows.add(Arrow(pluses[1].get_right(), [5.6, y, 0], buff=0.1, color=th.muted, stroke_width=4,
                         max_tip_length_to_length_ratio=0.25))
        shortcuts = VGroup()
        for start, plus in ((-4.0, pluses[0]), (0.4, pluses[1])):
            path = VMobject(color=th.good, stroke_width=5).set_points_as_corners(
                [[start, y, 0], [start, y + 1.1, 0], [plus.get_x(), y + 1.1, 0], plus.get_top()])
            shortcuts.add(path)
        shortcut_label = cjk(labels.shortcut, "label", color=th.good).next_to(shortcuts[0], UP, buff=0.1)
        frame = RoundedRectangle(width=10.6, height=2.9, corner_radius=0.2, color=th.muted, stroke_width=2)
        frame.move_to([0, y + 0.35, 0])
        name = cjk(labels.transformer_block, "label", color=th.muted).next_to(frame, DOWN, buff=0.15)
        name.align_to(frame, RIGHT)
        return {"frame": frame, "name": name, "sublayers": sublayers, "plus": pluses, "x": x_in,
                "arrows": arrows, "shortcuts": shortcuts, "shortcut_label": shortcut_label}

    def block_diagram(self, p, labels) -> dict[str, Mobject]:
        """x bars, the block F, F(x) bars, the shortcut, ⊕ and the stacked x + F(x)."""
        x, fx = residual_first_block(p.width, p.seed, p.weight_scale)
        pitch = min(0.15, 2.4 / p.width)
        bars = {"unit": BAR_UNIT, "pitch": pitch, "bar_width": pitch * 0.68}
        y = -0.2
        x_bars = SignedBars(x, color=self.theme.input, **bars).move_to([-5.3, y, 0])
        x_bars.shift(UP * (y - x_bars.baseline.get_y()))
        box = RoundedRectangle(width=2.2, height=1.4, corner_radius=0.15, color=self.theme.output,
                               fill_color=self.theme.panel, fill_opacity=1).move_to([-2.4, y, 0])
        box_label = VGroup(MathTex("F", font_size=48, color=self.theme.output),
                           cjk(labels.block, 20)).arrange(DOWN, buff=0.1).move_to(box)
        f_bars = SignedBars(fx, color=self.theme.output, **bars)
        f_bars.shift([0.4, y, 0] - f_bars.baseline.get_center())
        plus = VGroup(Circle(radius=0.28, color=self.theme.text),
                      MathTex("+", font_size=44, color=self.theme.text)).move_to([2.4, y, 0])
        x_copy = x_bars.copy()
        x_copy.shift([4.9, y, 0] - x_copy.baseline.get_center())
        # F(x) starts at each tip of x but stands beside it (half width, shifted right), so where the
        # signs differ F(x) does not hide x; then both merge into one bar per component: x + F(x).
        f_stacked = f_bars.stacked_on(x_copy)
        for bar in f_stacked.bars:
            bar.stretch_to_fit_width(bars["bar_width"] * 0.55).shift(RIGHT * bars["bar_width"] * 0.45)
        # As in qkv-flow (x + Δx): what the sublayer adds is output blue, the sum is the word's vector again.
        sum_bars = SignedBars(x + fx, color=self.theme.input, **bars)
        sum_bars.shift(x_copy.baseline.get_center() - sum_bars.baseline.get_center())
        label_y = y - 1.45
        tex = {"font_size": 40}
        x_label = MathTex("x", color=self.theme.input, font_size=50).move_to([-5.3, label_y, 0])
        f_label = MathTex("F(x)", color=self.theme.output, **tex).move_to([0.4, label_y, 0])
        sum_label = MathTex("x", "+", "F(x)", **tex).move_to([4.9, label_y, 0])
        sum_label[0].set_color(self.theme.input)
        sum_label[2].set_color(self.theme.output)
        top = 2.0
        shortcut_path = VMobject(color=self.theme.good, stroke_width=5).set_points_as_corners(
            [[-5.3, y + 1.2, 0], [-5.3, top, 0], [2.4, top, 0], [2.4, y + 0.32, 0]])
        shortcut_tip = Triangle(color=self.theme.good, fill_opacity=1).scale(0.12).rotate(PI)
        shortcut_tip.move_to([2.4, y + 0.42, 0])
        shortcut_label = cjk(labels.shortcut, 24, color=self.theme.good).move_to([-1.45, top + 0.3, 0])
        arrows = VGroup(
            Arrow([-4.0, y, 0], [-3.5, y, 0], buff=0.05),
            Arrow([-1.3, y, 0], [-0.85, y, 0], buff=0.05),
            Arrow([1.7, y, 0], [2.12, y, 0], buff=0.0),
            Arrow([2.68, y, 0], [3.55, y, 0], buff=0.05),
        ).set_color(self.theme.muted)
        return {"x_bars": x_bars, "x_label": x_label, "box": box, "box_label": box_label,
                "f_bars": f_bars, "f_label": f_label, "plus": plus, "x_copy": x_copy,
                "f_stacked": f_stacked, "sum_bars": sum_bars, "sum_label": sum_label, "shortcut": shortcut_path,
                "shortcut_tip": shortcut_tip, "shortcut_label": shortcut_label, "arrows": arrows}

    def animate_block_in(self, d: dict[str, Mobject]) -> None:
        """x goes in, F(x) comes out, x rides the shortcut to the ⊕."""
        self.play(GrowFromEdge(d["x_bars"], DOWN), Write(d["x_label"]), run_time=0.8)
        self.play(GrowArrow(d["arrows"][0]), run_time=0.5)
        going_in = d["x_bars"].copy()
        # x shrinks into F and dissolves there (never sitting on F's label); F(x) comes out.
        self.play(going_in.animate.scale(0.35).move_to(d["box"]).set_opacity(0), run_time=0.7)
        self.remove(going_in)
        self.play(GrowArrow(d["arrows"][1]), GrowFromPoint(d["f_bars"], d["box"].get_right()),
                  Write(d["f_label"]), run_time=0.9)
        self.play(Create(d["shortcut"]), FadeIn(d["shortcut_tip"]), FadeIn(d["shortcut_label"]),
                  run_time=0.9)
        riding = d["x_bars"].copy()
        self.play(MoveAlongPath(riding, d["shortcut"]), run_time=1.2, rate_func=smooth)
        self.play(FadeIn(d["plus"]), GrowArrow(d["arrows"][2]), GrowArrow(d["arrows"][3]),
                  ReplacementTransform(riding, d["x_copy"]), run_time=0.8)

    def animate_block_sum(self, d: dict[str, Mobject]) -> None:
        """F(x) stacks on the carried x, and the two merge into one bar per component: x + F(x)."""
        self.play(d["x_copy"].bars.animate.set_fill(opacity=0.35), TransformFromCopy(d["f_bars"], d["f_stacked"]),
                  run_time=1.2)
        self.wait(0.6)
        self.play(ReplacementTransform(VGroup(d["x_copy"].bars, d["f_stacked"].bars), d["sum_bars"].bars),
                  FadeIn(d["sum_bars"].baseline), FadeOut(d["x_copy"].baseline), Write(d["sum_label"]),
                  run_time=1.2)

    # -- steps 2-3: the stacks -----------------------------------------------------------------
    def block_row(self, name: str, labels) -> dict[str, Mobject]:
        """One row: its label, the input node x, `layers` blocks with level meters, its readout."""
        layers = self.params.layers
        y = ROW_Y[name]
        colour = self.theme.bad if name == "plain" else self.theme.good
        pitch = min(BLOCK_PITCH, 8.9 / layers)
        width = min(BLOCK_W, pitch * 0.7)
        label = cjk(getattr(labels, f"{name}_row"), 24, color=colour).move_to([-6.35, y, 0])
        node = VGroup(Circle(radius=0.3, color=self.theme.input, fill_color=self.theme.panel,
                             fill_opacity=1), MathTex("x", font_size=48, color=self.theme.input))
        node.move_to([FIRST_BLOCK_X - pitch - 0.05, y, 0])
        blocks = VGroup(*(
            Rectangle(width=width, height=BLOCK_H, color=self.theme.muted, stroke_width=2,
                      fill_color=self.theme.panel, fill_opacity=1)
            .move_to([FIRST_BLOCK_X + i * pitch, y, 0]) for i in range(layers)))
        links = VGroup(*(Line(a.get_right(), b.get_left(), color=self.theme.muted, stroke_width=2)
                         for a, b in zip([node, *blocks[:-1]], blocks)))
        arcs = VGroup()
        if name == "residual":
            for block in blocks:
                arcs.add(ArcBetweenPoints(block.get_left() + LEFT * (pitch - width) / 2 + UP * 0.2,
                                          block.get_right() + RIGHT * (pitch - width) / 2 + UP * 0.2,
                                          angle=-PI * 0.8, color=self.theme.good, stroke_width=3))
        levels = VGroup(*(Rectangle(width=width * 0.72, height=0.01, stroke_width=0,
                                    fill_color=colour, fill_opacity=0.95) for _ in range(layers)))
        for level, block in zip(levels, blocks):
            level.move_to(block.get_bottom() + UP * 0.06, aligned_edge=DOWN).set_opacity(0)
        readout = DecimalNumber(1.0, num_decimal_places=2, font_size=NUMBER_SIZE, color=colour)
        readout.move_to([READOUT_X, y, 0])
        glow = Dot(node.get_center(), radius=0.13, color=self.theme.highlight).set_opacity(0)
        frame = VGroup(label, links, blocks, arcs, node, readout)
        return {"frame": frame, "blocks": blocks, "levels": levels, "node": node,
                "readout": readout, "glow": glow, "colour": colour}

    def run_pulse(self, rows: dict[str, dict], quantity: str, forward: bool) -> None:
        """A glow travels the rows; each block's meter fills to its norm; the readouts follow."""
        layers = self.params.layers
        full = max(float(np.max(c[quantity])) for c in self.curves.values()) * 1.1
        tracker = ValueTracker(0.0)
        for name, row in rows.items():
            values = self.curves[name][quantity]
            stops = [row["node"].get_center()] + [b.get_center() for b in row["blocks"]]

            def place(glow, values=values, stops=stops):
                t = tracker.get_value() if forward else layers - tracker.get_value()
                low = int(min(math.floor(t), layers - 1))
                glow.move_to(interpolate(stops[low], stops[low + 1], t - low))
                # Going back, the glow dissolves into x over the last half block instead of sitting on it.
                arrive = 1.0 if forward else min(1.0, 2 * t)
                glow.set_opacity(float(np.clip(log_interp(values, t), 0.05, 1)) * arrive)

            def fill(levels, values=values, blocks=row["blocks"], colour=row["colour"]):
                done = tracker.get_value()
                for index, (level, block) in enumerate(zip(levels, blocks)):
                    # Forward: block i shows the norm after it; backward: the gradient at its input.
                    order = index + 1 if forward else layers - index
                    reach = float(np.clip(done - (order - 1), 0, 1))
                    value = values[index + 1] if forward else values[index]
                    height = max((BLOCK_H - 0.12) * min(value / full, 1) * reach, 0.01)
                    level.stretch_to_fit_height(height)
                    level.move_to(block.get_bottom() + UP * 0.06, aligned_edge=DOWN)
                    # The row's own colour both ways: red without the shortcut, green with it.
                    level.set_fill(colour, opacity=0.95 if reach > 0 else 0)

            row["glow"].add_updater(place)
            row["levels"].add_updater(fill)
            row["readout"].add_updater(
                lambda r, values=values: self.show_norm(
                    r, log_interp(values, tracker.get_value() if forward else layers - tracker.get_value())))
            self.add(row["glow"], row["levels"], row["readout"])
        self.play(tracker.animate.set_value(layers), run_time=0.35 * layers, rate_func=linear)
        for row in rows.values():
            row["glow"].clear_updaters()
            row["levels"].clear_updaters()
            row["readout"].clear_updaters()
        self.play(*(FadeOut(row["glow"]) for row in rows.values()), run_time=0.3)

    @staticmethod
    def show_norm(readout: DecimalNumber, value: float) -> None:
        """A meter's number to two significant figures (a live DecimalNumber, no new text per frame)."""
        readout.num_decimal_places = meter_decimals(value)
        readout.set_value(value)

    def norm_plot(self, p, labels, quantity: str) -> dict[str, Mobject]:
        """log10(norm) against layer for both stacks, axes labelled with powers of ten."""
        everything = np.concatenate([c[q] for c in self.curves.values() for q in ("signal", "gradient")])
        low = math.floor(math.log10(float(np.min(everything))))
        high = max(math.ceil(math.log10(float(np.max(everything)))), low + 1)
        # Axes cross at their origin, so plot decades above the lowest one: y = log10(v) - low.
        axes = Axes(x_range=[0, p.layers, 1], y_range=[0, high - low, 1], x_length=5.6, y_length=2.4,
                    tips=False, axis_config={"color": self.theme.muted, "stroke_width": 2})
        axes.move_to([-2.6, -1.85, 0])
        ticks = VGroup()
        step = 1 if high - low <= 3 else 2
        for power in range(high, low - 1, -1):
            if power % step == 0:
                ticks.add(MathTex(f"10^{{{power}}}", font_size=NUMBER_SIZE, color=self.theme.muted)
                          .next_to(axes.c2p(0, power - low), LEFT, buff=0.12))
        for layer in sorted({0, p.layers // 2, p.layers}):
            ticks.add(MathTex(str(layer), font_size=NUMBER_SIZE, color=self.theme.muted)
                      .next_to(axes.c2p(layer, 0), DOWN, buff=0.12))
        ticks.add(cjk(labels.layer, 20, color=self.theme.muted)
                  .next_to(axes.c2p(p.layers, 0), RIGHT, buff=0.2))
        name = cjk(getattr(labels, quantity) + labels.log_scale, 20,
                   color=self.theme.text if quantity == "gradient" else self.theme.muted)
        name.next_to(axes.c2p(0, high - low), RIGHT, buff=0.3).shift(UP * 0.05)
        result: dict[str, Mobject] = {"axes": axes, "ticks": ticks, "name": name}
        for row in ("plain", "residual"):
            values = np.log10(self.curves[row][quantity]) - low
            colour = self.theme.bad if row == "plain" else self.theme.good
            result[row] = axes.plot_line_graph(list(range(p.layers + 1)), list(values),
                                               line_color=colour, vertex_dot_radius=0.04,
                                               vertex_dot_style={"color": colour}, stroke_width=3)
        return result

    def caption(self, text: str, full_width: bool = False) -> VGroup:
        """A bullet of the slide as a caption: along the bottom, or in the lower-right panel."""
        if full_width:
            body = paragraph(text, config.frame_width - 1.6, 24)
            return body.move_to([0, -3.3, 0])
        body = paragraph(text, 5.2, 24)
        return body.move_to([3.9, -1.8, 0])
