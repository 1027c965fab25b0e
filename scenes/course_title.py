"""Slide 'course-title': the lecture's opening card, what it will cover, then chapter 1's card."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.attention import AttentionLines
from explainer.scenekit.components.fit import fit_line, shrink_to_fit
from explainer.scenekit.components.text import cjk, paragraph
from explainer.scenekit.components.tokens import TokenRow
from explainer.scenekit.slide_scene import SlideScene
from specs.course_title import motif_weights

COURSE_SIZE = 52
ROADMAP_SIZE = 30


class CourseTitle(SlideScene):
    """The lecture's first slide. It opens with the course card, not the chapter card: the
    chapter's `chapter` step (always the first step of a chapter's first slide) shows the course
    title here, and the chapter's own title closes the slide, grown out of the roadmap's first
    line, so the two cards never repeat each other."""

    slide_id = "course-title"
    exposed = ("course_title", "roadmap", "chapter_card", "motif")
    # The slide ends on chapter 1's card; its poster is the course card.
    poster_step = "chapter"

    def open_chapter(self) -> None:
        # Called by SlideScene.setup on a chapter's first slide: construct draws the cards.
        pass

    def construct(self) -> None:
        p, th = self.params, self.theme
        # 1. The course card: the title written under a row of tokens attending to each other
        if not self.slide.first_in_chapter:
            raise RuntimeError(f"slide '{self.slide.id}' ({type(self).__name__}) opens the lecture and its first "
                               "chapter: put it first in its chapter in script.yaml")
        self.step("chapter")
        tokens = TokenRow(list(p.motif.tokens), size="body", min_width=1.0, height=0.75, buff=0.3)
        tokens.move_to(UP * 1.45)
        query = tokens.index_of(p.motif.query)
        weights = motif_weights(list(p.motif.scores))
        others = [i for i in range(len(tokens.tokens)) if i != query]
        # The arcs are attention weights (their role, as on every slide); the token asking is the Query.
        lines = AttentionLines(tokens[query], [tokens[i] for i in others], weights[others],
                               color=th.attention, max_width=14, arc_angle=PI / 2.2)
        title = fit_line(self.slide.title, config.frame_width - 1.4, COURSE_SIZE, weight="BOLD")
        title.move_to(DOWN * 0.15)
        rule = Line(LEFT, RIGHT, color=th.accent, stroke_width=6).set(width=title.width * 0.6)
        rule.next_to(title, DOWN, buff=0.3)
        subtitle = cjk(p.subtitle, "heading", color=th.muted).next_to(rule, DOWN, buff=0.35)
        self.play(FadeIn(tokens, lag_ratio=0.15), run_time=0.8)
        self.play(tokens.highlight(query, th.query), Create(VGroup(*lines.lines)), run_time=1.0)
        self.play(Write(title), GrowFromCenter(rule), run_time=1.6)
        self.play(FadeIn(subtitle, shift=UP * 0.2), run_time=0.7)
        self.hold(p.subtitle)
        self.motif, self.course_title = VGroup(tokens, lines), title

        # 2. What the lecture covers: one line per chapter, each as it is named
        heading = self.make_title(self.slide.title)
        items = VGroup()
        for number, text in enumerate(self.slide.bullets, start=1):
            badge = VGroup(Circle(radius=0.2, color=th.accent, stroke_width=3),
                           cjk(str(number), ROADMAP_SIZE, color=th.accent))
            line = paragraph(text, config.frame_width - 2.8, ROADMAP_SIZE)
            items.add(VGroup(badge, line).arrange(RIGHT, buff=0.3, aligned_edge=UP))
        items.arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        room = heading.get_bottom()[1] - 0.35 - (-config.frame_height / 2 + 0.35)
        shrink_to_fit(items, config.frame_width, room)
        items.next_to(heading, DOWN, buff=0.35).align_to(heading, LEFT).shift(RIGHT * 0.3)
        for index, (item, text) in enumerate(zip(items, self.slide.bullets)):
            self.step(f"part-{index + 1}")
            if index == 0:
                # The motif leaves first, so the title never slides through its words on the way up.
                self.play(FadeOut(self.motif, shift=UP * 0.3), FadeOut(subtitle), FadeOut(rule), run_time=0.6)
                self.play(ReplacementTransform(title, heading[0]), GrowFromEdge(heading[1], LEFT), run_time=1.0)
            self.play(FadeIn(item, shift=RIGHT * 0.3), run_time=0.5)
            self.hold(text)
        self.roadmap = items

        # 3. The first part begins: its line becomes chapter 1's title card
        self.step("begin")
        card = fit_line(self.slide.chapter_title, config.frame_width - 1.5, "chapter", weight="BOLD")
        card_rule = Line(LEFT, RIGHT, color=th.accent, stroke_width=6).set(width=card.width * 0.6)
        card_rule.next_to(card, DOWN, buff=0.35)
        VGroup(card, card_rule).move_to(ORIGIN)
        first = items[0]
        self.play(first.animate.set_color(th.highlight), *(i.animate.set_opacity(0.3) for i in items[1:]),
                  run_time=0.6)
        # The other lines go before the first one grows into the card, so it passes over nothing.
        self.play(FadeOut(heading), FadeOut(items[1:]), FadeOut(first[0]), run_time=0.6)
        self.play(ReplacementTransform(first[1], card), GrowFromCenter(card_rule), run_time=1.2)
        # The slide ends on the card (a deck pauses on it): the next slide starts on a clear screen.
        self.hold(self.slide.chapter_title)
        self.chapter_card = card
