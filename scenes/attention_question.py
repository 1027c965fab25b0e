"""Slide 'attention-question': a token weighing its context beside a person weighing actions — the same mechanism?"""

from __future__ import annotations

from manim import *

from explainer.maths import rounded_shares
from explainer.scenekit.components.captions import CaptionSlot
from explainer.scenekit.components.fit import fit_line, shrink_to_fit
from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene
from specs.attention_question import machine_side, side_weights

PANEL_X = (-3.5, 3.5)      # centres of the machine panel and the person panel
NAME_Y, CONTEXT_Y, FOCUS_Y, CAPTION_Y = 2.3, 1.4, -0.8, -1.95
QUESTION_Y = -2.85
PANEL_WIDTH = 6.4          # what one side's context row and caption may span


class AttentionQuestion(SlideScene):
    slide_id = "attention-question"

    def construct(self) -> None:
        p, th = self.params, self.theme
        bullets = list(self.slide.bullets)
        self.show_title()
        divider = DashedLine([0, 2.6, 0], [0, -1.4, 0], color=th.muted, stroke_width=2)

        # 1. The Transformer: a token weighs the value of every token of its sentence (itself too): the
        #    running example's 蘋果 in 我喜歡吃蘋果, with the weights chapters 3–5 computed
        self.step("machine")
        running = machine_side(self.slide.example)
        machine = self.attention_panel(p.machine.name, running["focus"], running["context"], running["shown"],
                                       PANEL_X[0], th.accent)
        machine_caption = self.caption(bullets[0] if bullets else "", PANEL_X[0])
        self.play_panel(machine, machine_caption)

        # 2. The person: the same weighing, over the actions one could take
        self.step("person")
        person = self.attention_panel(p.person.name, p.person.focus, list(p.person.context),
                                      # shown as said: two decimals adding to 1
                                      [float(w) for w in rounded_shares(side_weights(list(p.person.scores)))],
                                      PANEL_X[1], th.text)
        person_caption = self.caption(bullets[1] if len(bullets) > 1 else "", PANEL_X[1])
        self.play(Create(divider), run_time=0.5)
        self.play_panel(person, person_caption)

        # 3. Both converge on one question
        self.step("question")
        question = fit_line(p.question, 11.5, "heading", color=th.text, weight="BOLD")
        box = SurroundingRectangle(question, color=th.highlight, buff=0.25, corner_radius=0.15,
                                   fill_color=th.panel, fill_opacity=1)
        block = VGroup(box, question).move_to([0, QUESTION_Y, 0])
        arrows = VGroup(*(
            Arrow(panel.focus.get_bottom(), block.get_top() + RIGHT * (0.8 * sign), buff=0.12,
                  color=color, stroke_width=5, max_tip_length_to_length_ratio=0.12)
            for panel, color, sign in ((machine, th.accent, -1), (person, th.muted, 1))
        ))
        self.play(FadeOut(machine_caption), FadeOut(person_caption), run_time=0.4)
        self.play(LaggedStart(*(GrowArrow(a) for a in arrows), lag_ratio=0.2), run_time=0.8)
        self.play(FadeIn(block, scale=0.85), run_time=0.7)
        self.play(Indicate(box, color=th.highlight, scale_factor=1.05),
                  Wiggle(VGroup(machine.focus, person.focus)), run_time=1.2)
        self.hold(p.question)
        self.wait(1.0)

    def attention_panel(self, name_text: str, focus_text: str, context: list[str], weights: list[float],
                        center_x: float, name_color: str) -> VGroup:
        """Name, context boxes (keys) with their weights, the focus (query) box, and weighted lines."""
        th = self.theme
        name = cjk(name_text, "heading", color=name_color, weight="BOLD").move_to([center_x, NAME_Y, 0])
        contexts = VGroup()
        for token, weight in zip(context, weights):
            label = cjk(token, "body")
            value = DecimalNumber(weight, num_decimal_places=2, font_size=36, color=th.attention)
            # The weight under its word: four words of a sentence fit side by side.
            inner = VGroup(label, value).arrange(DOWN, buff=0.12)
            box = RoundedRectangle(width=max(inner.width + 0.4, 1.1), height=inner.height + 0.3, corner_radius=0.1,
                                   stroke_color=th.key, fill_color=th.key, fill_opacity=0.15)
            contexts.add(VGroup(box, inner.move_to(box)))
        shrink_to_fit(contexts.arrange(RIGHT, buff=0.3), PANEL_WIDTH).move_to([center_x, CONTEXT_Y, 0])
        focus_label = cjk(focus_text, "body", color=th.text)
        focus_box = RoundedRectangle(width=focus_label.width + 0.6, height=0.75, corner_radius=0.12,
                                     stroke_color=th.query, fill_color=th.query, fill_opacity=0.2)
        focus = VGroup(focus_box, focus_label.move_to(focus_box)).move_to([center_x, FOCUS_Y, 0])
        lines = VGroup(*(
            Line(focus.get_top(), ctx.get_bottom(), color=th.attention, stroke_width=2 + 14 * w,
                 stroke_opacity=0.3 + 0.7 * w)
            for ctx, w in zip(contexts, weights)
        ))
        panel = VGroup(name, contexts, lines, focus)
        panel.name, panel.contexts, panel.lines, panel.focus, panel.weights = name, contexts, lines, focus, weights
        return panel

    def caption(self, text: str, center_x: float) -> VGroup:
        """A side's bullet under its panel."""
        return CaptionSlot.under(center_x, CAPTION_Y, PANEL_WIDTH, "label", align="left", color=self.theme.text).make(text)

    def play_panel(self, panel: VGroup, caption: VGroup) -> None:
        """Focus and context appear; the query reaches out; weighted values flow back into the focus."""
        th = self.theme
        values = VGroup(*(inner[1] for _, inner in panel.contexts))
        values.set_opacity(0)
        self.play(FadeIn(panel.name, shift=DOWN * 0.2), FadeIn(panel.focus, shift=UP * 0.2), run_time=0.6)
        self.play(LaggedStart(*(FadeIn(c, shift=DOWN * 0.2) for c in panel.contexts), lag_ratio=0.2),
                  run_time=0.8)
        # The query compares itself with every context item: lines grow with the weight they get.
        self.play(LaggedStart(*(Create(line) for line in panel.lines), lag_ratio=0.2),
                  values.animate.set_opacity(1), run_time=1.0)
        # Values flow down the lines, each as big as its weight, and feed the focus.
        drops = VGroup(*(
            # Each drop starts just under its box, not over the word in it.
            Dot(ctx.get_bottom() + DOWN * (0.08 + 0.22 * w), radius=0.06 + 0.22 * w, color=th.value)
            for ctx, w in zip(panel.contexts, panel.weights)
        ))
        self.play(FadeIn(drops), run_time=0.2)
        # They land on the focus box's top edge (not over its word) and are absorbed.
        self.play(*(d.animate.move_to(panel.focus.get_top() + UP * d.radius) for d in drops), run_time=0.9)
        self.play(FadeOut(drops, scale=0.3), Indicate(panel.focus, color=th.value, scale_factor=1.1),
                  run_time=0.6)
        self.play(FadeIn(caption, shift=UP * 0.2), run_time=0.6)
        self.hold(CaptionSlot.text_of(caption))
