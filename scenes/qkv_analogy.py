"""Slide 'qkv-analogy': a web search as Q (the typed query), K (result titles) and V (page contents),
where the answer is read from every page in proportion to its relevance (a weighted mix)."""

from __future__ import annotations

from manim import *

from explainer.scenekit.components.fit import fit_line
from explainer.scenekit.components.text import cjk
from explainer.scenekit.slide_scene import SlideScene
from specs.qkv_analogy import segment_spans, shown_weights

LEFT_EDGE = -6.6
RIGHT_EDGE = 6.75
TITLE_WIDTH = 4.4            # the Key cards (result titles)
BAR_LEFT = LEFT_EDGE + TITLE_WIDTH + 0.25
BAR_MAX = 1.45               # a weight of 1 (or the largest score) is this long
NUMBER_X = BAR_LEFT + BAR_MAX + 0.45
PAGE_LEFT = NUMBER_X + 0.6   # the Value cards (page contents)
ROW_TOP, ROW_PITCH, ROW_HEIGHT = 0.75, 0.78, 0.62
NUMBER_SIZE = 34
CARD_TEXT_SIZE = 22         # one line in a row-high card (the "label" size would crowd the row)
MIX_Y, MIX_HEIGHT = -2.85, 0.6


class QkvAnalogy(SlideScene):
    slide_id = "qkv-analogy"
    exposed = ("query", "rows", "numbers", "pages", "shares", "segments", "total", "tags")

    def construct(self) -> None:
        p, th = self.params, self.theme
        labels = p.labels
        scores = [float(r.score) for r in p.results]
        weights = shown_weights(scores)
        weight_color = th.attention   # the weights are attention weights (softmax of the match scores)
        row_ys = [ROW_TOP - i * ROW_PITCH for i in range(len(p.results))]
        # 1. The title
        self.step("title")
        self.show_title()

        # 2. Query: what we type into the search box
        self.step("query")
        box = RoundedRectangle(width=NUMBER_X + 0.4 - LEFT_EDGE, height=0.72, corner_radius=0.36,
                               stroke_color=th.query, stroke_width=4, fill_color=th.panel, fill_opacity=1)
        box.move_to([LEFT_EDGE + box.width / 2, 2.2, 0])
        lens = VGroup(Circle(radius=0.13, color=th.query, stroke_width=4),
                      Line(ORIGIN, DR * 0.15, color=th.query, stroke_width=4))
        lens[1].next_to(lens[0], DR, buff=-0.05)
        lens.move_to(box.get_left() + RIGHT * 0.42)
        query = cjk(p.query, 26, color=th.query).next_to(lens, RIGHT, buff=0.3)
        query_tag = self.role_tag(p.roles.query, th.query).next_to(box, RIGHT, buff=0.3)
        self.play(Create(box), FadeIn(lens), run_time=0.7)
        self.play(AddTextLetterByLetter(query, time_per_char=0.08))
        self.play(FadeIn(query_tag, shift=LEFT * 0.3), Indicate(box, color=th.query, scale_factor=1.03),
                  run_time=0.7)
        self.hold(p.query)

        # 3. Keys: the titles of the results, what each page says it offers
        self.step("keys")
        header_y = row_ys[0] + 0.72
        key_tag = self.role_tag(p.roles.key, th.key).move_to([LEFT_EDGE, header_y, 0], aligned_edge=LEFT)
        rows = VGroup()
        for result, y in zip(p.results, row_ys):
            rows.add(self.card(result.title, TITLE_WIDTH, th.key, y, LEFT_EDGE))
        self.play(FadeIn(key_tag, shift=RIGHT * 0.3), run_time=0.5)
        self.play(LaggedStart(*(FadeIn(row, shift=UP * 0.3) for row in rows), lag_ratio=0.3), run_time=1.2)
        self.hold(" ".join(r.title for r in p.results))

        # 4. Compare the query with every key: a match score per title
        self.step("compare")
        header = cjk(labels.score, 24, color=th.text).move_to([(BAR_LEFT + NUMBER_X + 0.3) / 2, header_y, 0])
        score_unit = BAR_MAX / max(max(scores), 1e-9)
        bars, numbers = VGroup(), VGroup()
        self.play(FadeIn(header, shift=DOWN * 0.2), run_time=0.4)
        for row, score, y in zip(rows, scores, row_ys):
            # A raw score is not a weight yet: muted, like every raw score; softmax colours it.
            bar = self.bar(max(score, 0.0) * score_unit, y, th.muted)
            number = DecimalNumber(0, num_decimal_places=2, font_size=NUMBER_SIZE, color=th.text)
            number.move_to([NUMBER_X, y, 0])
            # A query-coloured spark runs from the search box to the title (a shape, so it may
            # pass over text on its way).
            probe = Dot(radius=0.1, color=th.query).move_to(lens)
            self.play(probe.animate.move_to(row[0].get_left() + RIGHT * 0.08), Indicate(row[1], color=th.query),
                      run_time=0.6)
            self.remove(probe)
            self.add(number)
            self.play(GrowFromEdge(bar, LEFT), ChangeDecimalToValue(number, score), run_time=0.7)
            bars.add(bar)
            numbers.add(number)
        self.hold(seconds=0.8)

        # 5. Softmax turns the scores into weights that add to 1
        self.step("weights")
        weight_header = cjk(labels.weight, 24, color=weight_color).move_to(header)
        total = VGroup(cjk(labels.total, 24, color=th.text),
                       DecimalNumber(float(np.sum(weights)), num_decimal_places=2, font_size=NUMBER_SIZE,
                                     color=th.text)).arrange(RIGHT, buff=0.2)
        total.move_to([NUMBER_X, row_ys[-1] - 0.66, 0], aligned_edge=RIGHT).shift(RIGHT * 0.3)
        rule = Line([BAR_LEFT, row_ys[-1] - 0.4, 0], [NUMBER_X + 0.35, row_ys[-1] - 0.4, 0],
                    color=th.muted, stroke_width=2)
        self.play(ReplacementTransform(header, weight_header), run_time=0.6)
        self.play(*(ChangeDecimalToValue(n, w) for n, w in zip(numbers, weights)),
                  *(Transform(b, self.bar(w * BAR_MAX, y, weight_color)) for b, w, y in zip(bars, weights, row_ys)),
                  run_time=1.4)
        # The column is summed: a rule under it, then its total.
        self.play(Create(rule), Indicate(numbers, color=weight_color, scale_factor=1.08), run_time=0.8)
        self.play(FadeIn(total, shift=DOWN * 0.2), run_time=0.5)
        self.hold(labels.weight + labels.total, seconds=2.0)

        # 6. Values: every page's content, what each result really says
        self.step("values")
        value_tag = self.role_tag(p.roles.value, th.value).move_to([PAGE_LEFT, header_y, 0], aligned_edge=LEFT)
        pages = VGroup(*(self.card(r.content, RIGHT_EDGE - PAGE_LEFT, th.value, y, PAGE_LEFT)
                         for r, y in zip(p.results, row_ys)))
        self.play(FadeIn(value_tag, shift=LEFT * 0.3), run_time=0.5)
        self.play(LaggedStart(*(FadeIn(page, shift=LEFT * 0.4) for page in pages), lag_ratio=0.3), run_time=1.2)
        self.hold(" ".join(r.content for r in p.results))

        # 7. The answer is a mix of every page, each contributing by its weight
        self.step("mix")
        mix_label = cjk(labels.mix, 26, color=th.text).move_to([0, MIX_Y + MIX_HEIGHT / 2 + 0.4, 0])
        spans = segment_spans(list(weights), LEFT_EDGE, RIGHT_EDGE - LEFT_EDGE)
        segments, shares = VGroup(), VGroup()
        for (start, end), weight in zip(spans, weights):
            segment = Rectangle(width=max(end - start - 0.04, 0.02), height=MIX_HEIGHT, stroke_width=0,
                                fill_color=th.output, fill_opacity=0.85).move_to([(start + end) / 2, MIX_Y, 0])
            share = DecimalNumber(weight, num_decimal_places=2, font_size=NUMBER_SIZE, color=th.text)
            if share.width + 0.2 < segment.width:
                share.move_to(segment)
            else:   # too thin to hold its number: print it under the segment
                share.next_to(segment, DOWN, buff=0.12)
            segments.add(segment)
            shares.add(share)
        # The column's total has been read; it leaves so the weights can travel down into the answer
        # without passing over it (the full-width bar now shows that the shares make a whole).
        self.play(FadeOut(VGroup(rule, total)), FadeIn(mix_label, shift=UP * 0.2), run_time=0.6)
        for index in range(len(pages)):
            # The weight lights up (not the whole card: painting the card's fill hid its title).
            self.play(Indicate(VGroup(bars[index], numbers[index]), color=weight_color, scale_factor=1.15),
                      TransformFromCopy(pages[index][0], segments[index]),
                      TransformFromCopy(numbers[index], shares[index]), run_time=0.9)
        self.hold(labels.mix, seconds=2.5)

        # 8. The bullet: Q, K, V simulate "search and match" inside the model
        self.step("bullet")
        bullets = VGroup(*(fit_line(text, config.frame_width - 1.0, "label") for text in self.slide.bullets))
        bullets.arrange(DOWN, buff=0.15)
        bullets.next_to(segments, DOWN, buff=0.3 + (0.4 if any(s.get_y() < MIX_Y for s in shares) else 0))
        for item in bullets:
            self.play(FadeIn(item, shift=UP * 0.3), run_time=0.7)
        # Outline each role in its own colour (an Indicate would paint the label into its pill).
        self.play(*(Circumscribe(tag, color=tag[0].get_fill_color(), buff=0.06) for tag in (query_tag, key_tag, value_tag)),
                  run_time=1.0)
        self.hold(" ".join(self.slide.bullets))
        self.query, self.rows, self.numbers, self.pages, self.shares = query, rows, numbers, pages, shares
        self.segments, self.total = segments, total
        self.tags = {"query": query_tag, "key": key_tag, "value": value_tag}

    # -- pieces ------------------------------------------------------------------------------
    def role_tag(self, text: str, color: str) -> VGroup:
        """A filled tag naming which part of the search a role is (Q, K or V)."""
        label = cjk(text, "label", color=self.theme.background, weight="BOLD")
        pill = RoundedRectangle(width=label.width + 0.4, height=label.height + 0.22, corner_radius=0.14,
                                stroke_width=0, fill_color=color, fill_opacity=1)
        return VGroup(pill, label.move_to(pill))

    def card(self, text: str, width: float, color: str, y: float, left: float) -> VGroup:
        """A one-line card (a result title or a page content) in its role's colour."""
        label = fit_line(text, width - 0.4, CARD_TEXT_SIZE, color=color)
        box = RoundedRectangle(width=width, height=ROW_HEIGHT, corner_radius=0.1, stroke_color=color,
                               stroke_width=2, fill_color=self.theme.panel, fill_opacity=1)
        box.move_to([left + width / 2, y, 0])
        label.move_to(box).align_to(box, LEFT).shift(RIGHT * 0.2)
        return VGroup(box, label)

    def bar(self, length: float, y: float, color: str, opacity: float = 0.9) -> Rectangle:
        """A horizontal bar starting at BAR_LEFT."""
        bar = Rectangle(width=max(length, 0.02), height=0.38, stroke_width=0, fill_color=color,
                        fill_opacity=opacity)
        return bar.move_to([BAR_LEFT + bar.width / 2, y, 0])
