"""Slide 'qkv-analogy': a web search as Q (the typed query), K (result titles) and V (page contents)."""

from __future__ import annotations

import numpy as np
from manim import *

from explainer.maths import as_floats
from explainer.scenekit.components.text import cjk, paragraph
from explainer.scenekit.slide_scene import SlideScene

LEFT_EDGE = -6.6
RESULT_WIDTH = 5.0
ROW_PITCH = 0.9
BAR_LEFT = LEFT_EDGE + RESULT_WIDTH + 0.3
BAR_MAX = 2.0
PAGE_LEFT = 2.5
PAGE_WIDTH = 4.3


def best_match(relevance: list[float]) -> int:
    """The result whose title matches the query best (its page is the one we read)."""
    return int(np.argmax(as_floats(relevance)))


class QkvAnalogy(SlideScene):
    slide_id = "qkv-analogy"

    def construct(self) -> None:
        p, th = self.params, self.theme
        relevance = [r.relevance for r in p.results]
        # 1. The title
        self.step("title")
        self.show_title()

        # 2. Query: what we type into the search box
        self.step("query")
        box = RoundedRectangle(width=RESULT_WIDTH + 0.3 + BAR_MAX, height=0.8, corner_radius=0.4,
                               stroke_color=th.query, stroke_width=4, fill_color=th.panel, fill_opacity=1)
        box.move_to([LEFT_EDGE + box.width / 2, 2.1, 0])
        lens = VGroup(Circle(radius=0.14, color=th.query, stroke_width=4),
                      Line(ORIGIN, DR * 0.16, color=th.query, stroke_width=4))
        lens[1].next_to(lens[0], DR, buff=-0.05)
        lens.move_to(box.get_left() + RIGHT * 0.45)
        query = cjk(p.query, 28, color=th.query)
        query.next_to(lens, RIGHT, buff=0.3)
        query_tag = self.role_tag(p.roles.query, th.query).next_to(box, RIGHT, buff=0.3)
        self.play(Create(box), FadeIn(lens), run_time=0.7)
        self.play(AddTextLetterByLetter(query, time_per_char=0.08))
        self.play(FadeIn(query_tag, shift=LEFT * 0.3), Indicate(box, color=th.query, scale_factor=1.03),
                  run_time=0.7)
        self.hold(p.query)

        # 3. Keys: the titles of the results, what each page says it offers
        self.step("keys")
        key_tag = self.role_tag(p.roles.key, th.key).move_to([LEFT_EDGE + 0.8, 1.15, 0], aligned_edge=LEFT)
        key_tag.align_to(box, LEFT)
        rows = VGroup()
        for index, result in enumerate(p.results):
            title = cjk(result.title, 24, color=th.key)
            if title.width > RESULT_WIDTH - 0.4:
                title.scale_to_fit_width(RESULT_WIDTH - 0.4)
            card = RoundedRectangle(width=RESULT_WIDTH, height=0.7, corner_radius=0.1, stroke_color=th.key,
                                    stroke_width=2, fill_color=th.panel, fill_opacity=1)
            card.move_to([LEFT_EDGE + RESULT_WIDTH / 2, 0.4 - index * ROW_PITCH, 0])
            title.move_to(card).align_to(card, LEFT).shift(RIGHT * 0.2)
            rows.add(VGroup(card, title))
        self.play(FadeIn(key_tag, shift=RIGHT * 0.3), run_time=0.5)
        self.play(LaggedStart(*(FadeIn(row, shift=UP * 0.3) for row in rows), lag_ratio=0.3), run_time=1.2)
        self.hold(" ".join(r.title for r in p.results))

        # 4. Compare the query with every key: how relevant is each title?
        self.step("compare")
        bars, numbers = VGroup(), VGroup()
        for row, score in zip(rows, relevance):
            bar = Rectangle(width=max(score * BAR_MAX, 0.02), height=0.42, stroke_width=0,
                            fill_color=th.query, fill_opacity=0.85)
            bar.move_to([BAR_LEFT + bar.width / 2, row.get_y(), 0])
            number = DecimalNumber(0, num_decimal_places=2, font_size=32, color=th.text)
            number.move_to([BAR_LEFT + BAR_MAX + 0.55, row.get_y(), 0])
            probe = query.copy()
            self.play(probe.animate.move_to(row[1]).set_opacity(0.0), Indicate(row[1], color=th.query),
                      run_time=0.6)
            self.remove(probe)
            self.add(number)
            self.play(GrowFromEdge(bar, LEFT), ChangeDecimalToValue(number, score), run_time=0.7)
            bars.add(bar)
            numbers.add(number)
        self.wait(0.8)

        # 5. Value: open the best match and pull out its content
        self.step("value")
        best = best_match(relevance)
        value_tag = self.role_tag(p.roles.value, th.value).move_to([PAGE_LEFT, 1.15, 0], aligned_edge=LEFT)
        page_title = cjk(p.results[best].title, 24, color=th.key)
        if page_title.width > PAGE_WIDTH - 0.4:
            page_title.scale_to_fit_width(PAGE_WIDTH - 0.4)
        page_title.move_to([PAGE_LEFT + 0.2, value_tag.get_bottom()[1] - 0.55, 0], aligned_edge=LEFT)
        rule = Line(LEFT, RIGHT, color=th.value, stroke_width=2).set(width=PAGE_WIDTH - 0.4)
        rule.next_to(page_title, DOWN, buff=0.15).align_to(page_title, LEFT)
        content = paragraph(p.results[best].content, PAGE_WIDTH - 0.5, 28, color=th.value)
        content.next_to(rule, DOWN, buff=0.3).align_to(rule, LEFT)
        # The page is as tall as what it holds.
        top, bottom = page_title.get_top()[1] + 0.25, content.get_bottom()[1] - 0.3
        page = RoundedRectangle(width=PAGE_WIDTH, height=top - bottom, corner_radius=0.15, stroke_color=th.value,
                                stroke_width=3, fill_color=th.panel, fill_opacity=1)
        page.move_to([PAGE_LEFT + PAGE_WIDTH / 2, (top + bottom) / 2, 0])
        choice = SurroundingRectangle(VGroup(rows[best], numbers[best]), color=th.highlight, buff=0.08,
                                      corner_radius=0.1, stroke_width=4)
        others = [VGroup(rows[i], bars[i], numbers[i]) for i in range(len(rows)) if i != best]
        self.play(Create(choice), *(o.animate.set_opacity(0.4) for o in others), run_time=0.7)
        self.play(FadeIn(value_tag, shift=LEFT * 0.3), FadeIn(page), run_time=0.6)
        pull = Arrow(choice.get_right(), page.get_left(), buff=0.1, color=th.value, stroke_width=4)
        self.play(GrowArrow(pull), TransformFromCopy(rows[best][1], page_title), Create(rule), run_time=0.8)
        self.play(FadeIn(content, shift=RIGHT * 0.5, lag_ratio=0.2), run_time=1.0)
        self.hold(p.results[best].content)

        # 6. The bullet: Q, K, V simulate "search and match" inside the model
        self.step("bullet")
        bullets = VGroup(*(paragraph(text, config.frame_width - 1.5, 26) for text in self.slide.bullets))
        bullets.arrange(DOWN, buff=0.2).to_edge(DOWN, buff=0.4)
        for item in bullets:
            self.play(FadeIn(item, shift=UP * 0.3), run_time=0.7)
        self.play(*(Indicate(tag, scale_factor=1.1) for tag in (query_tag, key_tag, value_tag)), run_time=1.0)
        self.hold(" ".join(self.slide.bullets))
        self.query, self.rows, self.numbers, self.content = query, rows, numbers, content
        self.tags = {"query": query_tag, "key": key_tag, "value": value_tag}
        self.best = best

    def role_tag(self, text: str, color: str) -> VGroup:
        """A filled tag naming which part of the search a role is (Q, K or V)."""
        label = cjk(text, 26, color=self.theme.background, weight="BOLD")
        pill = RoundedRectangle(width=label.width + 0.4, height=label.height + 0.25, corner_radius=0.15,
                                stroke_width=0, fill_color=color, fill_opacity=1)
        return VGroup(pill, label.move_to(pill))
