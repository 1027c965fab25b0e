"""Slide 'brain-resources': attention as a limited resource — five kinds, about four slots, serial focus,
N-back, and the conclusion (the brain manages limited resources; a Transformer may hit a similar limit)."""

from __future__ import annotations

from typing import Any

from manim import *

from explainer.scenekit.components.fit import fit_text
from explainer.scenekit.components.text import cjk, paragraph
from explainer.scenekit.slide_scene import SlideScene
from specs.brain_resources import nback_bars

HEADING_Y = 2.2
EXTRA_ITEMS = 2            # items beyond capacity, to show the overflow


class BrainResources(SlideScene):
    slide_id = "brain-resources"
    exposed = ("hypothesis", "conclusion", "kind_names")

    def construct(self) -> None:
        p, th = self.params, self.theme
        labels = p.labels
        # 1. Definition: the mind picks one of several possible objects (the spotlight points at it)
        self.step("definition")
        self.show_title()
        objects = VGroup(*(Circle(radius=0.38, stroke_color=th.muted, stroke_width=3, fill_color=th.panel,
                                  fill_opacity=1) for _ in range(5)))
        objects.arrange(RIGHT, buff=0.9).move_to([0, 1.0, 0])
        spotlight = Circle(radius=0.62, stroke_width=0, fill_color=th.highlight, fill_opacity=0.3)
        spotlight.move_to(objects[0])
        self.play(LaggedStart(*(GrowFromCenter(o) for o in objects), lag_ratio=0.15), run_time=0.8)
        bullets = VGroup(*(paragraph(text, 11.5, "body") for text in self.slide.bullets))
        bullets.arrange(DOWN, buff=0.35, aligned_edge=LEFT).move_to([0, -1.6, 0])
        self.play(FadeIn(spotlight), FadeIn(bullets[0], shift=UP * 0.2), run_time=0.7)
        chosen = 2
        self.play(spotlight.animate.move_to(objects[chosen]),
                  objects[chosen].animate.set_stroke(th.text).set_fill(th.text, opacity=0.8),
                  *(o.animate.set_opacity(0.35) for i, o in enumerate(objects) if i != chosen), run_time=1.0)
        self.hold(self.slide.bullets[0] if self.slide.bullets else None)

        # 1b. Its function: flexible control of a limited resource (the definition stays on screen)
        self.step("resources")
        if len(bullets) > 1:
            self.play(FadeIn(VGroup(*bullets[1:]), shift=UP * 0.2), run_time=0.6)
            self.hold(" ".join(self.slide.bullets[1:]))
        else:
            self.play(Indicate(objects[chosen], color=th.highlight), run_time=0.8)

        # 2. The five kinds of attention: each card comes, and is pointed at, as it is named
        heading = cjk(labels.kinds, "heading", color=th.text).move_to([0, HEADING_Y, 0])
        cards = self.kind_cards(list(p.kinds))
        self.kind_names = [card[1][0] for card in cards]   # for tests
        ring = SurroundingRectangle(cards[0], color=th.highlight, buff=0.06, corner_radius=0.14, stroke_width=4)
        for index, (card, kind) in enumerate(zip(cards, p.kinds)):
            self.step(f"kind-{index + 1}")
            if index == 0:   # the definition leaves as the kinds begin
                self.play(FadeOut(objects), FadeOut(bullets), FadeOut(spotlight), run_time=0.5)
                self.play(FadeIn(heading, shift=DOWN * 0.2), run_time=0.5)
            moves = [ring.animate.move_to(card)] if index else [Create(ring)]
            self.play(FadeIn(card, shift=UP * 0.3), *moves, run_time=0.6)
            self.hold(kind.name + kind.detail)

        # 3. Capacity: the slots fill up to the magic number, then new items push out
        self.step("capacity")
        self.play(FadeOut(cards), FadeOut(ring), FadeOut(heading), run_time=0.5)
        capacity = p.capacity
        heading = VGroup(cjk(labels.capacity, "heading", color=th.text),
                         MathTex(str(capacity), font_size=60, color=th.text)).arrange(RIGHT, buff=0.25)
        heading.move_to([0, HEADING_Y, 0])
        slot_width = min(1.3, 10.5 / capacity - 0.25)
        slots = VGroup(*(RoundedRectangle(width=slot_width, height=slot_width, corner_radius=0.12,
                                          stroke_color=th.muted, stroke_width=3) for _ in range(capacity)))
        slots.arrange(RIGHT, buff=0.25).move_to([0, 0.2, 0])
        frame = SurroundingRectangle(slots, color=th.muted, buff=0.18, corner_radius=0.18)
        self.play(FadeIn(heading, shift=DOWN * 0.2), Create(slots), Create(frame), run_time=0.8)
        # Memory items are neutral (teal would say "Key", which they are not).
        items = VGroup(*(Dot(radius=slot_width * 0.28, color=th.text) for _ in range(capacity + EXTRA_ITEMS)))
        start = [-6.2, -2.4, 0]
        for item in items:
            item.move_to(start)
        for index in range(capacity):
            self.play(FadeIn(items[index], scale=0.3), run_time=0.1)
            self.play(items[index].animate.move_to(slots[index]), run_time=0.4)
        overflow = cjk(labels.overflow, "body", color=th.bad).move_to([0, -2.3, 0])
        for extra in items[capacity:]:
            self.play(FadeIn(extra, scale=0.3), run_time=0.1)
            self.play(extra.animate.move_to(frame.get_left() + LEFT * 0.1), run_time=0.35)
            # Bounced: the full memory cannot take it, it turns red and falls away.
            self.play(extra.animate.set_color(th.bad).shift(LEFT * 0.5 + DOWN * 1.6).set_opacity(0.0),
                      Wiggle(frame), run_time=0.6)
            if overflow not in self.mobjects:
                self.play(FadeIn(overflow), run_time=0.4)
        self.remove(*items[capacity:])
        self.hold(labels.capacity + labels.overflow)

        # 4. Serial processing: one focus at a time, jumping between the held items
        self.step("serial")
        serial = cjk(labels.serial, "heading", color=th.text).move_to(heading)
        focus = Circle(radius=slot_width * 0.62, stroke_width=0, fill_color=th.highlight, fill_opacity=0.35)
        focus.move_to(slots[0])
        self.play(FadeOut(heading, shift=UP * 0.2), FadeOut(overflow),
                  *(i.animate.set_opacity(0.35) for i in items[:capacity]), run_time=0.4)
        self.play(FadeIn(serial, shift=UP * 0.2), run_time=0.4)
        self.play(FadeIn(focus, scale=0.5), items[0].animate.set_opacity(1), run_time=0.4)
        order = [1, 3, 0, 2, capacity - 1, 1] if capacity >= 4 else list(range(capacity)) * 2
        previous = 0
        for target in order[: max(3, len(order))]:
            target = min(target, capacity - 1)
            self.play(focus.animate.move_to(slots[target]), items[previous].animate.set_opacity(0.35),
                      items[target].animate.set_opacity(1), run_time=0.4)
            self.wait(0.25)
            previous = target
        self.hold(labels.serial)

        # 5. N-back: a Transformer's accuracy falls as N grows (an illustration, unless real data)
        self.step("nback")
        self.play(*(FadeOut(m) for m in (serial, slots, frame, focus, *items[:capacity])), run_time=0.5)
        chart = self.nback_chart(list(p.nback.n), list(p.nback.accuracy))
        heading = cjk(labels.nback, "heading", color=th.text).move_to([0, HEADING_Y, 0])
        self.play(FadeIn(heading, shift=DOWN * 0.2), Create(chart.axes), FadeIn(chart.axis_label),
                  FadeIn(chart.ticks), run_time=0.8)
        self.play(LaggedStart(*(GrowFromEdge(b, DOWN) for b in chart.bars), lag_ratio=0.3),
                  LaggedStart(*(FadeIn(v, shift=UP * 0.2) for v in chart.values), lag_ratio=0.3), run_time=1.6)
        self.play(Create(chart.trend), run_time=0.8)
        badge = VGroup()
        if p.nback.illustrative:
            # Marked as on residual and multi-head: an illustration is muted, not "wrong".
            badge_text = cjk(labels.illustrative, "label", color=th.muted)
            badge = VGroup(SurroundingRectangle(badge_text, color=th.muted, buff=0.12, corner_radius=0.08),
                           badge_text)
            badge.next_to(chart.axes, RIGHT, buff=0.4).align_to(chart.axes, UP)
            self.play(FadeIn(badge, scale=1.2), run_time=0.5)
        self.hold(labels.nback)

        # 5b. The researchers' reading of the drop: a hypothesis, said as one, as it is said
        self.step("hypothesis")
        room = config.frame_width / 2 - 0.5 - (chart.axes.get_right()[0] + 0.4)
        hypothesis = paragraph(labels.hypothesis, room, "label", color=th.text)
        hypothesis.next_to(badge if len(badge) else chart.axes, DOWN, buff=0.4)
        hypothesis.align_to(chart.axes.get_right() + RIGHT * 0.4, LEFT)
        self.play(FadeIn(hypothesis, shift=UP * 0.2), run_time=0.6)
        self.hypothesis = hypothesis   # for tests
        self.hold(labels.hypothesis)

        # 6. The conclusion: attention manages a limited resource, in the brain and (perhaps) in a model
        self.step("conclusion")
        brain = self.memory_icon(capacity)
        brain_label = cjk(labels.brain.format(n=capacity), "label", color=th.text)
        model_label = cjk(labels.machine, "label", color=th.text)
        # The conclusion is emphasised by its panel and weight, not by a meaning colour.
        conclusion = paragraph(labels.conclusion, config.frame_width - 1.6, "heading", color=th.text,
                               align="center", weight="BOLD")
        panel = SurroundingRectangle(conclusion, color=th.muted, buff=0.22, corner_radius=0.12,
                                     fill_color=th.panel, fill_opacity=1)
        VGroup(panel, conclusion).move_to([0, -2.75, 0])
        # The chart shrinks to a thumbnail of its falling bars; its small print leaves first, the
        # 示意 badge stays readable beside it.
        mini = VGroup(chart.axes, chart.bars, chart.trend)
        self.play(FadeOut(heading), FadeOut(hypothesis), FadeOut(chart.values), FadeOut(chart.ticks),
                  FadeOut(chart.axis_label), run_time=0.5)
        mini.generate_target()
        mini.target.scale(0.5).move_to([3.2, 0.55, 0])
        moves = [MoveToTarget(mini)]
        if len(badge):   # the badge travels with its chart, to sit just above the thumbnail
            badge.generate_target()
            badge.target.next_to(mini.target, UP, buff=0.2)
            moves.append(MoveToTarget(badge))
        self.play(*moves, run_time=1.0)
        brain.move_to([-3.2, 0.55, 0])
        brain_label.next_to(brain, DOWN, buff=0.35).set_y(-1.3)
        model_label.move_to([3.2, -1.3, 0])
        self.play(FadeIn(brain, shift=RIGHT * 0.3), FadeIn(brain_label), FadeIn(model_label), run_time=0.8)
        self.hold(labels.brain + labels.machine, seconds=1.5)
        self.play(Create(panel), Write(conclusion), run_time=1.2)
        self.conclusion = conclusion   # for tests
        self.hold(labels.conclusion)
        self.wait(1.0)

    def memory_icon(self, capacity: int) -> VGroup:
        """The capacity step in small: a frame of `capacity` slots, each holding an item."""
        th = self.theme
        slots = VGroup(*(RoundedRectangle(width=0.7, height=0.7, corner_radius=0.08, stroke_color=th.muted,
                                          stroke_width=3) for _ in range(capacity))).arrange(RIGHT, buff=0.15)
        dots = VGroup(*(Dot(radius=0.18, color=th.text).move_to(slot) for slot in slots))
        frame = SurroundingRectangle(slots, color=th.muted, buff=0.14, corner_radius=0.14)
        return VGroup(frame, slots, dots)

    def kind_cards(self, kinds: list[Any]) -> VGroup:
        """A card per kind: its name and a short detail."""
        th = self.theme
        width = min(2.45, 12.9 / len(kinds) - 0.2)
        cards = VGroup()
        for kind in kinds:
            name = cjk(kind.name, "heading", color=th.text, weight="BOLD")   # a name, not a category colour
            detail = fit_text(kind.detail, width - 0.2, None, "label", line_spacing=0.12, align="center")
            body = VGroup(name, detail).arrange(DOWN, buff=0.3)
            for line in detail:
                line.set_x(name.get_x())
            box = RoundedRectangle(width=width, height=2.6, corner_radius=0.15, stroke_color=th.muted,
                                   fill_color=th.panel, fill_opacity=1)
            cards.add(VGroup(box, body.move_to(box)))
        return cards.arrange(RIGHT, buff=0.2).move_to([0, -0.2, 0])

    def nback_chart(self, n: list[int], accuracy: list[float]) -> VGroup:
        """Bars of accuracy against N, with value labels and a falling trend line."""
        th = self.theme
        bar_data = nback_bars(n, accuracy)
        axes = Axes(x_range=[0, len(n) + 0.6, 1], y_range=[0, 1.05, 0.25], x_length=7.5, y_length=4.0,
                    tips=False, axis_config={"color": th.muted, "include_ticks": False})
        axes.move_to([-0.6, -0.75, 0])
        chart = VGroup(axes)
        chart.axes = axes
        chart.bars, chart.values, chart.ticks = VGroup(), VGroup(), VGroup()
        tops = []
        for index, (tick, height, value) in enumerate(bar_data):
            x = index + 1
            bottom, top = axes.c2p(x, 0), axes.c2p(x, height)
            bar = Rectangle(width=0.9, height=max(top[1] - bottom[1], 0.01), stroke_width=0,
                            fill_color=th.accent, fill_opacity=0.85)   # the Transformer, as in ai-landscape
            bar.move_to([bottom[0], (bottom[1] + top[1]) / 2, 0])
            chart.bars.add(bar)
            label = MathTex(value.replace("%", r"\%"), font_size=32, color=th.text)
            # Inside the bar's top when it is tall enough (the trend line runs through the tops).
            if bar.height > label.height + 0.3:   # dark on the light bar, to stay readable
                label.set_color(th.background).move_to(bar.get_top() + DOWN * (label.height / 2 + 0.15))
            else:
                label.next_to(bar, UP, buff=0.1)
            chart.values.add(label)
            chart.ticks.add(MathTex(tick, font_size=32, color=th.text).next_to(bottom, DOWN, buff=0.2))
            tops.append(top)
        chart.trend = VMobject(color=th.bad, stroke_width=4).set_points_as_corners(tops)
        chart.axis_label = cjk(self.params.labels.accuracy, "label", color=th.muted)
        chart.axis_label.next_to(axes.c2p(0, 1.05), LEFT, buff=0.2)
        chart.add(chart.bars, chart.values, chart.ticks, chart.trend, chart.axis_label)
        return chart
