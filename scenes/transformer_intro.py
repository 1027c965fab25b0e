"""Slide 'transformer-intro': a one-token-at-a-time reader beside self-attention processing the whole sentence
at once (drawn as the original encoder / BERT, every word linked to every other; a note says GPT-style
next-word models let a word see only the words before it)."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.bullets import fit_bullets
from explainer.scenekit.components.fit import fit_line, shrink_to_fit
from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene
from specs.transformer_intro import token_pairs

PANEL_WIDTH = 6.3
PANEL_HEIGHT = 3.5
NOTE_ROOM = 0.8         # under the right panel's tokens: which attention the arcs are (two lines)


class TransformerIntro(SlideScene):
    slide_id = "transformer-intro"
    exposed = ("reader_tokens", "attention_links", "attention_note", "origin", "bullets")

    def construct(self) -> None:
        p, th = self.params, self.theme
        # 1. The title, and where it comes from: the 2017 paper
        self.step("title")
        title = self.show_title()
        year = cjk(str(p.year), 40, weight="BOLD", role="highlight")
        paper = cjk(f"《{p.paper}》", 30)
        origin = VGroup(year, paper).arrange(RIGHT, buff=0.35)
        origin.next_to(title, DOWN, buff=0.35).align_to(title, LEFT)
        self.play(FadeIn(year, shift=UP * 0.3), run_time=0.6)
        self.play(Write(paper), run_time=1.2)
        self.hold(p.paper)
        self.origin = origin

        # 2. The old way: a reader that sees one token at a time and forgets as it goes
        self.step("sequential")
        top = origin.get_bottom()[1] - 0.3
        left_panel = self.panel(p.sequential_label, LEFT * 3.35 + UP * (top - PANEL_HEIGHT / 2))
        right_panel = self.panel(p.attention_label, RIGHT * 3.35 + UP * (top - PANEL_HEIGHT / 2))
        self.play(FadeIn(left_panel), run_time=0.6)
        reader_tokens = self.token_row(left_panel)
        self.play(FadeIn(reader_tokens, lag_ratio=0.1), run_time=0.6)
        cursor = SurroundingRectangle(reader_tokens[0], color=th.highlight, buff=0.08,
                                      corner_radius=0.08, stroke_width=5)
        memory = self.memory_dot(reader_tokens[0])
        self.play(Create(cursor), FadeIn(memory, scale=0.5), reader_tokens[0][1].animate.set_color(th.highlight),
                  run_time=0.5)
        for index in range(1, len(reader_tokens)):
            # Earlier tokens only survive as a fading trace in the reader's memory.
            previous, current = reader_tokens[index - 1], reader_tokens[index]
            step_arrow = Arrow(previous.get_right(), current.get_left(), buff=0.04, stroke_width=3,
                               max_tip_length_to_length_ratio=0.5, color=th.highlight)
            self.play(GrowArrow(step_arrow), run_time=0.3)
            self.play(
                cursor.animate.move_to(current).match_width(current).stretch_to_fit_width(current.width + 0.16),
                previous.animate.set_opacity(0.25),
                step_arrow.animate.set_opacity(0.25),
                previous[1].animate.set_color(th.text).set_opacity(0.25),
                current[1].animate.set_color(th.highlight),
                memory.animate.move_to(self.memory_spot(current)).scale(0.85),
                run_time=0.7,
            )
            self.wait(0.25)
        self.hold(p.sequential_label)
        self.reader_tokens = reader_tokens

        # 3. Self-attention: the whole sentence at once (drawn as in the encoder / BERT: every pair
        #    linked); the note says GPT-style next-word models see only the earlier words
        self.step("attention")
        self.play(FadeIn(right_panel), run_time=0.6)
        attention_tokens = self.token_row(right_panel)
        self.play(FadeIn(attention_tokens, lag_ratio=0.1), run_time=0.6)
        links = self.all_to_all(attention_tokens)
        self.play(*(Create(link) for link in links),
                  *(token[0].animate.set_stroke(th.attention, width=4) for token in attention_tokens),
                  run_time=1.2)
        self.play(*(Indicate(token[1], color=th.attention, scale_factor=1.15) for token in attention_tokens),
                  run_time=0.8)
        # Which attention the arcs are (the note's first line: the encoder / BERT) ...
        note = VGroup(*(fit_line(line, PANEL_WIDTH - 0.4, "label", color=th.muted) for line in p.attention_note))
        note.arrange(DOWN, buff=0.12).next_to(right_panel[0].get_bottom(), UP, buff=0.15)
        self.play(FadeIn(note[0], shift=UP * 0.2), run_time=0.6)
        self.hold(p.attention_label)
        self.attention_links = links

        # 4. ... and the rest: GPT-style next-word models let a word see only the words before it
        self.step("note")
        if len(note) > 1:
            self.play(FadeIn(note[1:], shift=UP * 0.2), run_time=0.6)
        self.hold(p.attention_note[-1])
        self.attention_note = note

        # 5. The bullets: the paper, the change it brought, self-attention as its core
        self.step("bullets")
        bullet_top = left_panel.get_bottom()[1] - 0.3
        self.bullets = VGroup()
        items = fit_bullets(self.slide.bullets, config.frame_width - 2.2, bullet_top + config.frame_height / 2 - 0.35,
                            26, gap=0.18, dot_radius=0.06, dot_buff=0.25)
        for index, (text, item) in enumerate(zip(self.slide.bullets, items)):
            item.to_edge(LEFT, buff=0.75).set_y(bullet_top - item.height / 2)
            bullet_top = item.get_bottom()[1] - 0.18
            focus = [Indicate(year, color=th.highlight)] if index == 0 else []
            if index == len(self.slide.bullets) - 1:
                focus = [Indicate(links, color=th.highlight)]
            self.play(GrowFromCenter(item[0]), FadeIn(item[1], shift=RIGHT * 0.3), *focus, run_time=0.8)
            self.bullets.add(item)
            self.hold(text)
        self.wait(0.5)

    # -- pieces -------------------------------------------------------------------------------
    def panel(self, label: str, center: np.ndarray) -> VGroup:
        """A rounded panel with its caption at the top."""
        box = RoundedRectangle(width=PANEL_WIDTH, height=PANEL_HEIGHT, corner_radius=0.2,
                               stroke_color=self.theme.muted, stroke_width=2,
                               fill_color=self.theme.panel, fill_opacity=1).move_to(center)
        caption = fit_line(label, PANEL_WIDTH - 0.4, "label")
        caption.next_to(box.get_top(), DOWN, buff=0.2)
        return VGroup(box, caption)

    def token_row(self, panel: VGroup) -> VGroup:
        """The slide's tokens as boxed words across the panel's lower part."""
        tokens = VGroup()
        for word in self.params.tokens:
            text = cjk(word, "body")
            box = RoundedRectangle(width=text.width + 0.4, height=0.7, corner_radius=0.12,
                                   stroke_color=self.theme.muted, stroke_width=2)
            tokens.add(VGroup(box, text))
        shrink_to_fit(tokens.arrange(RIGHT, buff=0.45), PANEL_WIDTH - 0.5)
        box = panel[0]
        tokens.move_to(box.get_center())
        tokens.align_to(box.get_bottom() + UP * (NOTE_ROOM + 0.2), DOWN)
        return tokens

    def memory_spot(self, token: VGroup) -> np.ndarray:
        return token.get_bottom() + DOWN * 0.3

    def memory_dot(self, token: VGroup) -> Dot:
        """The reader's running memory: one state carried from token to token, shrinking."""
        return Dot(self.memory_spot(token), radius=0.12, color=self.theme.highlight)

    def all_to_all(self, tokens: VGroup) -> VGroup:
        """Arcs between every pair of tokens, above the row."""
        links = VGroup()
        for a, b in token_pairs(len(tokens)):
            start, end = tokens[a].get_top(), tokens[b].get_top()
            links.add(ArcBetweenPoints(start, end, angle=-PI * 0.55, color=self.theme.attention,
                                       stroke_width=3))
        return links
