"""Slide 'apple-hook': the hook sentence, both occurrences of the word highlighted, two meanings, the question."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.fit import fit_line, shrink_to_fit
from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene
from specs.apple_hook import glyph_spans, nearest_span

SENTENCE_SIZE = 46
BOX_BUFF = 0.1          # highlight box padding around a word
WORD_GAP = 0.24         # extra space opened on each side of a highlighted word, so its box
                        # (padding + stroke) never covers the neighbouring characters


def open_gaps(sentence: Text, spans: list[tuple[int, int]], gap: float) -> None:
    """Move the glyphs apart so each span (a highlighted word) has `gap` of space on both sides:
    every glyph after a span's start shifts right by `gap`, and after its end by another `gap`."""
    for first, last in spans:
        for cut in (first, last):
            if 0 < cut < len(sentence):
                VGroup(*sentence[cut:]).shift(RIGHT * gap)


class AppleHook(SlideScene):
    slide_id = "apple-hook"
    exposed = ("sentence", "highlights", "meaning_cards", "question")

    def construct(self) -> None:
        p, th = self.params, self.theme
        # 1. The hook sentence appears
        self.step("sentence")
        sentence = cjk(p.sentence, SENTENCE_SIZE)
        spans = glyph_spans(p.sentence, p.word)
        open_gaps(sentence, spans, WORD_GAP)
        shrink_to_fit(sentence, config.frame_width - 1.2)   # after the gaps: they take room too
        sentence.move_to(UP * 1.2)
        self.play(AddTextLetterByLetter(sentence, time_per_char=0.12))
        self.hold(p.sentence)

        # 2. The same word twice: both occurrences light up together, in the colour of the word the
        #    lecture follows (its vector x is drawn in the input role from qkv-flow to apple-in-context)
        self.step("same-word")
        words = [VGroup(*sentence[a:b]) for a, b in spans]
        boxes = VGroup(*(SurroundingRectangle(word, color=th.input, buff=BOX_BUFF, corner_radius=0.08,
                                              stroke_width=4) for word in words))
        self.play(*(Create(box) for box in boxes), *(word.animate.set_color(th.input) for word in words),
                  run_time=0.9)
        self.play(*(Indicate(word, color=th.input, scale_factor=1.15) for word in words), run_time=0.9)
        self.wait(0.8)

        # 3. Each occurrence gets its own meaning, read from a context word (its cue)
        self.step("meanings")
        meanings = VGroup()
        arrows = VGroup()
        for index, (box, meaning, cue) in enumerate(zip(boxes, p.meanings, p.cues)):
            cue_glyphs = self.cue_near(sentence, p.sentence, cue, spans[index])
            mark = Underline(cue_glyphs, color=th.key, stroke_width=5, buff=0.08)
            link = CurvedArrow(cue_glyphs.get_top() + UP * 0.08, box.get_top() + UP * 0.05,
                               angle=-PI / 2 if cue_glyphs.get_x() < box.get_x() else PI / 2,
                               color=th.key, stroke_width=4, tip_length=0.18)
            self.play(Create(mark), cue_glyphs.animate.set_color(th.key), run_time=0.6)
            self.play(Create(link), run_time=0.6)
            # The meaning this occurrence takes in its sentence: the word again (input role), read in context.
            label = cjk(meaning, 34, color=th.text, weight="BOLD")
            tag = SurroundingRectangle(label, color=th.input, buff=0.18, corner_radius=0.15,
                                       fill_color=th.panel, fill_opacity=1, stroke_width=2)
            card = VGroup(tag, label).next_to(box, DOWN, buff=1.1)
            arrow = Arrow(box.get_bottom(), card.get_top(), buff=0.08, color=th.input, stroke_width=4)
            self.play(GrowArrow(arrow), FadeIn(card, shift=DOWN * 0.3), run_time=0.8)
            self.hold(seconds=1.6)
            meanings.add(card)
            arrows.add(arrow)

        # 4. The question: same word, same meaning?
        self.step("question")
        question = fit_line(p.question, config.frame_width - 1.2, "title", weight="BOLD")
        question.to_edge(DOWN, buff=1.2)
        underline = Line(LEFT, RIGHT, color=th.accent, stroke_width=5).set(width=question.width)
        underline.next_to(question, DOWN, buff=0.15)
        differ = MathTex(r"\neq", font_size=72, color=th.text).move_to(meanings)
        self.play(Write(question), GrowFromCenter(underline), FadeIn(differ, scale=1.5), run_time=1.2)
        self.play(*(Wiggle(card) for card in meanings), run_time=1.0)
        self.hold(p.question)
        self.wait(1.5)
        self.sentence, self.highlights, self.meaning_cards, self.question = sentence, boxes, meanings, question

    def cue_near(self, sentence: Text, source: str, cue: str, target: tuple[int, int]) -> VGroup:
        """The glyphs of the cue word that gives the occurrence at `target` its meaning."""
        first, last = nearest_span(source, cue, target)
        return VGroup(*sentence[first:last])
