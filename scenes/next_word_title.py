"""Slide 'next-word-title': a sentence typed out, then a blinking gap where the next word will go."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.fit import fit_line
from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene
from specs.next_word_title import candidate_offsets

HEADING_SIZE = 60       # a title slide: larger than a chapter card, it shrinks to 0.7 when it rises
SENTENCE_SIZE = 48
CANDIDATES = 3          # teased "?" words hovering over the gap (not data: the next slide computes them)
GAP_WIDTH = 1.3


class NextWordTitle(SlideScene):
    slide_id = "next-word-title"
    exposed = ("sentence", "gap", "cursor", "candidates")

    def construct(self) -> None:
        p, th = self.params, self.theme
        # 1. The title moment: what this chapter is about
        self.step("title")
        # A title slide: large and centred first, then it rises to make room for the demonstration.
        heading = fit_line(self.slide.title, config.frame_width - 1.5, HEADING_SIZE, weight="BOLD")
        subtitles = VGroup(*(cjk(text, 36, role="accent") for text in self.slide.bullets))
        subtitles.arrange(DOWN, buff=0.15)
        title = VGroup(heading, *subtitles).arrange(DOWN, buff=0.4).move_to(ORIGIN)
        rule = Line(LEFT, RIGHT, color=th.accent, stroke_width=5).set(width=min(heading.width, 4.0))
        rule.next_to(heading, DOWN, buff=0.2)
        self.play(Write(heading), GrowFromCenter(rule), run_time=1.2)
        if subtitles:
            self.play(FadeIn(subtitles, shift=UP * 0.3), run_time=0.7)
        self.hold(self.slide.title)
        header = VGroup(title, rule)
        self.play(header.animate.scale(0.7).to_edge(UP, buff=0.45), run_time=0.8)

        # 2. A sentence is typed, one character at a time
        self.step("typing")
        sentence = fit_line(p.sentence, config.frame_width - 1.2 - GAP_WIDTH - 0.3, SENTENCE_SIZE)
        gap = DashedVMobject(RoundedRectangle(width=GAP_WIDTH, height=sentence.height + 0.45,
                                              corner_radius=0.12, color=th.highlight, stroke_width=3),
                             num_dashes=24)
        VGroup(sentence, gap).arrange(RIGHT, buff=0.25).move_to(DOWN * 0.9)
        cursor = Line(UP, DOWN, color=th.highlight, stroke_width=5).set(height=sentence.height + 0.2)
        cursor.next_to(sentence[0], LEFT, buff=0.08)
        self.add(cursor)
        for glyph in sentence:
            self.play(FadeIn(glyph, scale=1.2), cursor.animate.next_to(glyph, RIGHT, buff=0.08),
                      run_time=0.14, rate_func=linear)
        self.hold(p.sentence)

        # 3. The gap where the next word goes: the cursor waits there, blinking
        self.step("gap")
        self.play(Create(gap), cursor.animate.move_to(gap.get_center() + LEFT * (GAP_WIDTH / 2 - 0.25)),
                  run_time=0.7)
        self.play(Blink(cursor, time_on=0.35, time_off=0.3, blinks=3))

        # 4. Candidates tease: several possible words hover, none chosen yet
        self.step("candidates")
        candidates = VGroup()
        for offset in candidate_offsets(CANDIDATES):
            mark = cjk("?", 40, color=th.highlight, weight="BOLD")
            bubble = Circle(radius=0.38, color=th.highlight, stroke_width=3, fill_color=th.panel,
                            fill_opacity=1)
            candidates.add(VGroup(bubble, mark).move_to(gap.get_top() + offset + DOWN * 0.1))
        links = VGroup(*(DashedLine(gap.get_top(), candidate.get_bottom(), buff=0.08, color=th.highlight,
                                    stroke_width=2, dash_length=0.08) for candidate in candidates))
        self.play(LaggedStart(*(AnimationGroup(Create(link), GrowFromPoint(candidate, gap.get_top()))
                                for link, candidate in zip(links, candidates)), lag_ratio=0.3),
                  run_time=1.2)
        for candidate in candidates:
            # Each candidate leans toward the gap, then backs off: which word comes next?
            self.play(candidate.animate(rate_func=there_and_back).shift((gap.get_top() - candidate.get_bottom()) * 0.3),
                      Blink(cursor, time_on=0.25, time_off=0.25, blinks=1), run_time=0.6)
        self.play(Blink(cursor, time_on=0.35, time_off=0.3, blinks=2))
        self.sentence, self.gap, self.cursor, self.candidates = sentence, gap, cursor, candidates
