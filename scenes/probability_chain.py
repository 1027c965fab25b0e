"""Slide 'probability-chain': next-word probabilities, one pick appended at a time (autoregression)."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.bullets import BulletItem
from explainer.scenekit.components.fit import shrink_to_fit
from explainer.scenekit.components.softmax_chart import SoftmaxBars
from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene
from specs.probability_chain import chain_steps, chain_text, step_probabilities

SENTENCE_SIZE = 36
MIN_SENTENCE_SIZE = "label"  # a long chain shrinks to fit the panel, never below this
PANEL_WIDTH = 12.8
CHART_X = -3.4
CHART_BASELINE = -2.55
CHART_HEIGHT = 3.5           # the most likely candidate over all steps reaches this height
BULLET_LEFT = 0.7
NOTE_GAP = 0.3               # between the candidates' words and the note under them


class ProbabilityChain(SlideScene):
    slide_id = "probability-chain"
    exposed = ("chart", "printed", "sentence", "notes")

    def construct(self) -> None:
        p = self.params
        # The first step is the shared prompt's candidates (next_word), then the slide's own steps.
        steps = chain_steps(p)

        # 1. Given a text, the model predicts the most likely next word
        self.step("prompt")
        self.show_title()
        panel = RoundedRectangle(width=PANEL_WIDTH, height=1.0, corner_radius=0.15, fill_color=self.theme.panel,
                                 fill_opacity=1, stroke_width=0).move_to([0, 2.05, 0])
        sentence, glyph_groups = self.build_sentence(p.prompt, steps, panel)
        self.sentence = sentence   # for tests
        cursor = self.make_cursor(sentence[0].height * 1.2)
        cursor.next_to(glyph_groups[0], RIGHT, buff=0.08)
        bullets = [self.bullet_item(text) for text in self.slide.bullets]
        bullets[0].move_to([0, 0.75, 0]).align_to([BULLET_LEFT, 0, 0], LEFT)
        # One scale for every step, so bar heights compare across steps.
        top_probability = max(float(np.max(step_probabilities(step))) for step in steps)
        # The whole sentence is on screen from the start, its words invisible until typed or picked.
        sentence.set_fill(opacity=0)
        self.play(FadeIn(panel), run_time=0.4)
        self.add(sentence)
        self.play(LaggedStart(*(glyph.animate.set_fill(opacity=1) for glyph in glyph_groups[0]),
                              lag_ratio=0.6), run_time=1.4)
        self.add(cursor)
        self.play(FadeIn(bullets[0], shift=UP * 0.2), run_time=0.6)
        self.hold(self.slide.bullets[0])

        # 2. Each candidate gets a probability; one is picked and appended; then predict again
        chart: SoftmaxBars | None = None
        note: Mobject | None = None
        self.printed: list[list[str]] = []
        self.notes: list[str] = []    # the note under each step's candidates, for tests
        for index, step in enumerate(steps):
            self.step(f"step-{index + 1}")
            fresh = SoftmaxBars(step["words"], step["logits"], max_height=CHART_HEIGHT,
                                max_value=top_probability, bar_width=0.95, gap=0.7)
            fresh.move_to([CHART_X, 0, 0]).shift(UP * (CHART_BASELINE - fresh.baseline.get_y()))
            # Bars adding to 1.00 say these words are the whole vocabulary: the screen says so too
            # (the shared prompt's note, then the slide's own for the later steps).
            note_text = p.next_word.vocabulary_note if index == 0 else p.note
            fresh_note = None
            if note is None or note_text != self.notes[-1]:
                fresh_note = cjk(note_text, "small", color=self.theme.muted)
                fresh_note.next_to(fresh.word_labels, DOWN, buff=NOTE_GAP).set_x(fresh.get_x())
            self.notes.append(note_text)
            if chart is not None:   # the old candidates (and a note that changes) leave first
                leaving = [FadeOut(note)] if fresh_note is not None and note is not None else []
                self.play(FadeOut(chart, shift=DOWN * 0.3), *leaving, run_time=0.4)
            arriving = [FadeIn(fresh_note)] if fresh_note is not None else []
            self.play(FadeIn(fresh.baseline), FadeIn(fresh.word_labels, shift=UP * 0.2), *arriving, run_time=0.5)
            if fresh_note is not None:
                note = fresh_note
            self.play(fresh.grow(run_time=1.0))
            chart = self.chart = fresh
            self.printed.append([f"{label.get_value():.2f}" for label in chart.value_labels])   # for tests
            self.wait(0.6)
            pick = list(step["words"]).index(step["pick"])
            self.play(chart.highlight(pick, self.theme.good), run_time=0.5)
            flying = chart.word(pick).copy()
            target = glyph_groups[index + 1]
            landing = target.copy().set_fill(opacity=1)
            self.play(Transform(flying, landing, path_arc=-PI / 4),
                      cursor.animate.next_to(target, RIGHT, buff=0.08), run_time=1.0)
            self.remove(flying)
            target.set_fill(opacity=1)
            if index == 0 and len(bullets) > 1:
                bullets[1].next_to(bullets[0], DOWN, buff=0.4, aligned_edge=LEFT)
                self.play(FadeIn(bullets[1], shift=UP * 0.2), run_time=0.6)
                self.hold(self.slide.bullets[1])
            else:
                self.wait(0.6)

        # 3. The chain so far: prompt plus every pick
        self.step("chain")
        generated = VGroup(*glyph_groups[1:])
        self.play(Indicate(generated, color=self.theme.output, scale_factor=1.1), run_time=1.0)
        self.wait(1.2)

    # -- pieces ------------------------------------------------------------------------------
    def build_sentence(self, prompt: str, steps: list, panel: Mobject) -> tuple[Text, list[VGroup]]:
        """The final sentence laid out once (so later words sit on the same baseline), split into
        the prompt's glyphs and each pick's glyphs; generated words in the output colour."""
        full, pieces = chain_text(prompt, steps)
        sentence = cjk(full, SENTENCE_SIZE)
        shrink_to_fit(sentence, PANEL_WIDTH - 0.6, min_size=MIN_SENTENCE_SIZE)
        sentence.move_to(panel).align_to(panel, LEFT).shift(RIGHT * 0.3)
        groups: list[VGroup] = []
        start = 0
        for number, piece in enumerate(pieces):
            count = len(cjk(piece, SENTENCE_SIZE).submobjects)   # glyphs, whitespace excluded
            group = VGroup(*sentence.submobjects[start:start + count])
            if number:
                group.set_color(self.theme.output)
            groups.append(group)
            start += count
        return sentence, groups

    def bullet_item(self, text: str) -> VGroup:
        """A bullet dot and its wrapped text, for the right half."""
        return BulletItem(text, config.frame_width / 2 - BULLET_LEFT - 0.65, "label", dot_role="accent",  # room for the dot
                          dot_radius=0.06, dot_buff=0.2)

    def make_cursor(self, height: float) -> Rectangle:
        """A blinking text cursor: where the next word will go."""
        cursor = Rectangle(width=0.05, height=height, fill_color=self.theme.text, fill_opacity=1, stroke_width=0)
        cursor.clock = 0.0

        def blink(mob: Mobject, dt: float) -> None:
            mob.clock += dt
            mob.set_fill(opacity=1.0 if (mob.clock % 1.0) < 0.6 else 0.0)

        cursor.add_updater(blink)
        return cursor
