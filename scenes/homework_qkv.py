"""Slide 'homework-qkv': the weekend plan analysed with Q, K, V — naive sum, softmax weights, focus."""

from __future__ import annotations

from manim import *

from explainer.maths import percent, rounded_shares, softmax, weighted_sum
from explainer.scenekit.components.fit import shrink_to_fit
from explainer.scenekit.components.formula import Formula
from explainer.scenekit.components.text import cjk, paragraph
from explainer.scenekit.slide_scene import SlideScene
from specs.homework_qkv import homework_numbers

ROWS_TOP, ROWS_SPAN = 0.75, 1.9            # option rows fill y = 0.75 down to at most -1.15
BAR_LEFT = 1.2                                # where the weight bars start
BAR_FULL = 3.4                                # bar width of a weight of 1
HEADER_Y, NOTE_Y = 1.45, 2.3
GAUGE_LEFT, GAUGE_FULL = -6.2, 5.2            # efficiency gauge: 100% = GAUGE_FULL wide
# The assignment screen: numbered lines on the left, a blank worksheet on the right.
ITEM_WIDTH = 6.0
SHEET_TOP, SHEET_BOTTOM = 1.6, -3.55
SHEET_COLUMNS = (1.2, 2.4, 3.45, 4.6, 5.95)   # K, q·k, V, w at the first T, w at the last T


class HomeworkQkv(SlideScene):
    slide_id = "homework-qkv"
    exposed = ("weight_labels", "assignment")

    def construct(self) -> None:
        p, th = self.params, self.theme
        options = p.options
        scores = [o.score for o in options]
        values = [o.value for o in options]
        temps = list(p.temperatures)
        numbers = homework_numbers(scores, values, temps)
        spacing = min(0.8, ROWS_SPAN / max(len(options) - 1, 1))
        ROW_YS = [ROWS_TOP - i * spacing for i in range(len(options))]
        # Low enough that the 100% mark above the gauge stays clear of a box around the last row.
        self.gauge_y = GAUGE_Y = ROW_YS[-1] - 1.25
        row_height = min(0.62, spacing - 0.08)

        # 1. The weekend plan as Q, K, V: the intention asks, the options answer with a score and a value
        self.step("table")
        title = self.show_title()
        q_tag = MathTex("Q", color=th.query, font_size=40)
        q_text = cjk(p.query, "body", color=th.query)
        q_line = VGroup(q_tag, q_text).arrange(RIGHT, buff=0.3)
        q_box = SurroundingRectangle(q_line, color=th.query, buff=0.18, corner_radius=0.12)
        query = VGroup(q_box, q_line).next_to(title, DOWN, buff=0.3).align_to(title, LEFT)
        headers = VGroup(
            MathTex("K_i", color=th.key, font_size=36).move_to([-4.6, HEADER_Y, 0]),
            MathTex(r"q \cdot k_i", color=th.query, font_size=36).move_to([-1.9, HEADER_Y, 0]),
            MathTex("V_i", color=th.value, font_size=36).move_to([-0.2, HEADER_Y, 0]),
        )
        rows = VGroup()
        for index, option in enumerate(options):
            y = ROW_YS[index]
            key = cjk(option.key, "body", color=th.text)
            key_box = RoundedRectangle(width=3.2, height=row_height, corner_radius=0.1, stroke_color=th.key,
                                       fill_color=th.key, fill_opacity=0.18).move_to([-4.6, y, 0])
            key.move_to(key_box)
            if key.height > row_height * 0.8 or key.width > 3.0:
                key.scale(min(row_height * 0.8 / key.height, 3.0 / key.width))
            score = MathTex(f"{option.score:g}", color=th.query, font_size=36).move_to([-1.9, y, 0])
            value = MathTex(percent(option.value, 0).replace("%", r"\%"), color=th.value,
                            font_size=36).move_to([-0.2, y, 0])
            rows.add(VGroup(VGroup(key_box, key), score, value))
        self.play(FadeIn(query, shift=DOWN * 0.2), run_time=0.7)
        self.play(FadeIn(headers), LaggedStart(*(FadeIn(r, shift=RIGHT * 0.3) for r in rows),
                                                lag_ratio=0.3), run_time=1.4)
        self.hold(p.query)

        # 2. Naive: add up score × value — the total passes 100%, which is impossible
        self.step("naive-sum")
        product_header = MathTex(r"q \cdot k_i \times V_i", font_size=36).move_to([3.3, HEADER_Y, 0])
        products = VGroup(*(
            MathTex(f"{s:g}", r"\times", f"{v:.2f}", "=", f"{prod:.2f}", font_size=34)
            .move_to([3.3, ROW_YS[i], 0])
            for i, (s, v, prod) in enumerate(zip(scores, values, numbers["products"]))
        ))
        for item in products:
            item[0].set_color(th.query)
            item[2].set_color(th.value)
        naive_note = cjk(p.labels.naive, "label", color=th.muted).move_to([3.3, NOTE_Y, 0])
        self.play(FadeIn(product_header), FadeIn(naive_note), run_time=0.6)
        # Row by row the score and the value light up as their product is written beside them (the
        # product slides in from the left; flying copies would pass over the value column).
        self.play(LaggedStart(*(AnimationGroup(Indicate(rows[i][1], color=th.query),
                                               Indicate(rows[i][2], color=th.value),
                                               FadeIn(products[i], shift=RIGHT * 0.4))
                                for i in range(len(rows))), lag_ratio=0.6), run_time=2.2)
        gauge = self.gauge_frame()
        naive_bar = self.gauge_bar(numbers["naive"], th.bad)
        naive_sum = MathTex(r"\Sigma =", percent(numbers["naive"], 0).replace("%", r"\%"),
                            color=th.bad, font_size=40).next_to(gauge[0], RIGHT, buff=0.35)
        self.play(Create(gauge), run_time=0.6)
        self.play(GrowFromEdge(naive_bar, LEFT), FadeIn(naive_sum, shift=LEFT * 0.2), run_time=1.2)
        impossible = cjk(p.labels.impossible, "body", color=th.bad).next_to(gauge, DOWN, buff=0.35)
        impossible.align_to(gauge, LEFT)
        # The sum stays readable (no strike-through over it): the bar passing the 100% tick and the
        # warning under the gauge say that it is impossible.
        self.play(Write(impossible), Indicate(gauge[1], color=th.bad, scale_factor=1.4),
                  Circumscribe(naive_sum, color=th.bad, buff=0.12), run_time=1.2)
        self.hold(p.labels.impossible)

        # 3. Softmax turns the scores into weights that sum to 1; the output is Σ w·v
        self.step("softmax")
        temperature = ValueTracker(temps[0])
        reveal = ValueTracker(0.0)   # grows the weight bars in from zero

        def weights_now():
            return softmax(scores, temperature.get_value())

        # Weights are attention weights (their role); T in them is the temperature role.
        weight_header = MathTex(r"w_i = \mathrm{softmax}(q \cdot k_i \,/\,", "T", ")", font_size=34,
                                color=th.attention).move_to([3.3, HEADER_Y, 0])
        weight_header[1].set_color(th.temperature)
        softmax_note = cjk(p.labels.softmax, "label", color=th.muted).move_to([3.3, NOTE_Y, 0])
        bars, weight_labels = VGroup(), VGroup()
        for index in range(len(options)):
            bar = Rectangle(width=0.01, height=0.42, stroke_width=0, fill_color=th.attention, fill_opacity=0.85)
            bar.add_updater(lambda m, i=index: self.fit_bar(
                m, reveal.get_value() * weights_now()[i] * BAR_FULL, BAR_LEFT, ROW_YS[i]))
            label = DecimalNumber(0, num_decimal_places=3, font_size=34, color=th.attention)
            # Shown rounded so the three numbers on screen always add up to exactly 1.000.
            label.add_updater(lambda m, i=index: m.set_value(rounded_shares(weights_now(), 3)[i]).next_to(
                [BAR_LEFT + reveal.get_value() * weights_now()[i] * BAR_FULL, ROW_YS[i], 0], RIGHT, buff=0.2),
                call_updater=True)
            bars.add(bar)
            weight_labels.add(label)
        output_bar = Rectangle(width=0.01, height=0.45, stroke_width=0, fill_color=th.output, fill_opacity=0.9)
        output_bar.add_updater(lambda m: self.fit_bar(
            m, float(weighted_sum(weights_now(), values)) * GAUGE_FULL, GAUGE_LEFT, GAUGE_Y))
        output_label = DecimalNumber(100 * numbers["outputs"][0], num_decimal_places=1, unit=r"\%", font_size=40, color=th.output)
        output_label.add_updater(lambda m: m.set_value(100 * float(weighted_sum(weights_now(), values))))
        output_tag = MathTex(r"\Sigma\, w_i V_i =", font_size=40, color=th.output)
        output_readout = VGroup(output_tag, output_label)
        output_tag.next_to(gauge[0], RIGHT, buff=0.35)
        output_label.add_updater(lambda m: m.next_to(output_tag, RIGHT, buff=0.15), call_updater=True)
        self.play(FadeOut(VGroup(products, product_header, naive_note, naive_bar, naive_sum, impossible)),
                  run_time=0.6)
        self.play(FadeIn(weight_header), FadeIn(softmax_note), run_time=0.6)
        self.add(bars, weight_labels)
        self.weight_labels = weight_labels   # for tests
        self.play(reveal.animate.set_value(1.0), run_time=1.4)
        self.add(output_bar, output_readout)
        self.play(Indicate(output_readout, color=th.output), run_time=1.0)
        distraction = numbers["distraction"]
        phone_box = SurroundingRectangle(VGroup(rows[distraction], weight_labels[distraction]),
                                         color=th.bad, buff=0.12, corner_radius=0.08)
        share = percent(float(numbers["weights"][0][distraction]), 0)
        phone_note = cjk(p.labels.distraction.format(key=options[distraction].key, share=share),
                         "label", color=th.bad)
        phone_note.next_to(gauge, DOWN, buff=0.35).align_to(gauge, LEFT)
        self.play(Create(phone_box), FadeIn(phone_note, shift=UP * 0.2), run_time=0.8)
        self.hold(phone_note.original_text)

        # 4. A sharper focus, by analogy a lower temperature: dividing the scores by a smaller T
        #    moves weight off the phone, and the output climbs. T is the temperature role (the
        #    sampling temperature's colour): the analogy borrows chapter 6's ÷T, and says so.
        temp_label = VGroup(MathTex("T =", font_size=40, color=th.temperature),
                            DecimalNumber(temps[0], num_decimal_places=2, font_size=40, color=th.temperature))
        temp_label[1].add_updater(lambda m: m.set_value(temperature.get_value()))
        focus_note = cjk(p.labels.focus, "label", color=th.text)
        VGroup(focus_note, temp_label.arrange(RIGHT, buff=0.15)).arrange(RIGHT, buff=0.4).move_to([3.3, NOTE_Y, 0])
        analogy = paragraph(p.labels.analogy, 12.4, "label", color=th.muted)
        analogy.next_to(gauge, DOWN, buff=0.35).align_to(gauge, LEFT)
        # One note at a time in the header line: the softmax note leaves before the focus note comes.
        self.play(FadeOut(softmax_note, shift=UP * 0.2), run_time=0.4)
        for index, t in enumerate(temps[1:], start=1):
            self.step(f"focus-{index}")
            if index == 1:   # the phone's share was the T = 1 share; the analogy takes its place
                self.play(FadeOut(phone_note), FadeOut(phone_box), run_time=0.4)
                self.play(FadeIn(temp_label), FadeIn(focus_note), FadeIn(analogy, shift=UP * 0.2), run_time=0.6)
            self.play(temperature.animate.set_value(t), run_time=2.5, rate_func=smooth)
            self.play(Indicate(output_readout, color=th.good, scale_factor=1.15), run_time=0.8)
            self.hold(p.labels.analogy)
        if len(temps) == 1:
            self.play(FadeOut(phone_box), FadeOut(phone_note), run_time=0.4)

        # 5. Tie back: Σ w·V, the phone's low weight, and ÷T on the scores
        self.step("takeaway")
        # \; on both sides of T leaves room for its box (it must not cut the / or the ")").
        formula = Formula([("w", "w_i ="), ("sm", r"\mathrm{softmax}(q \cdot k_i \,/\;"), ("T", "T"),
                           ("close", r"\;)")], font_size=40)
        formula.color_term("T", th.temperature)
        formula.next_to(gauge, DOWN, buff=0.45).align_to(gauge, LEFT)
        bullets = VGroup(*(paragraph(text, 7.6, "label") for text in self.slide.bullets))
        bullets.arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        bullets.next_to(gauge, DOWN, buff=0.35).align_to([-1.0, 0, 0], LEFT)
        leaving = [analogy] if len(temps) > 1 else []
        if leaving:
            self.play(*(FadeOut(m) for m in leaving), run_time=0.4)
        self.play(Write(formula), run_time=1.0)
        self.play(formula.focus("T", color=th.temperature), Indicate(temp_label, color=th.temperature),
                  run_time=0.8)
        self.play(LaggedStart(*(FadeIn(b, shift=UP * 0.2) for b in bullets), lag_ratio=0.5), run_time=1.2)
        self.hold(" ".join(self.slide.bullets))

        # 6. The assignment: what the student fills in and hands in, one line (and one part of a
        #    blank worksheet) per step, on a fresh screen under the title
        items = list(p.assignment.items)
        kept = set(title.get_family())   # the slide's title stays over the assignment
        everything = [m for m in self.mobjects if m not in kept]
        for m in everything:
            m.clear_updaters()
        numbered_items = self.assignment_items(items, title)
        sheet_parts = self.worksheet(p, temps, options)
        # Part j of the sheet comes with item min(j, last): four parts, however many items.
        reveal_at = [min(j, len(items) - 1) for j in range(len(sheet_parts))]
        for index, item in enumerate(numbered_items):
            self.step(f"assignment-{index + 1}")
            moves = [FadeIn(item, shift=RIGHT * 0.3)]
            if index == 0:
                self.play(*(FadeOut(m) for m in everything), run_time=0.6)
                heading = cjk(p.assignment.heading, "heading", color=th.text, weight="BOLD")
                heading.next_to(title, DOWN, buff=0.35).align_to(title, LEFT)
                self.play(FadeIn(heading, shift=DOWN * 0.2), run_time=0.5)
                self.assignment_heading = heading
            parts = [part for part, at in zip(sheet_parts, reveal_at) if at == index]
            self.play(*moves, *(FadeIn(part, lag_ratio=0.1) for part in parts), run_time=0.9)
            self.hold(item.text)
        self.assignment = numbered_items     # for tests
        self.wait(1.0)

    def assignment_items(self, items: list[str], title: Mobject) -> VGroup:
        """The numbered lines of the assignment, in the left column under its heading."""
        th = self.theme
        t0, t1 = self.params.temperatures[0], self.params.temperatures[-1]
        lines = VGroup()
        for number, text in enumerate(items, start=1):
            text = text.format(t0=f"{t0:g}", t1=f"{t1:g}")
            badge = VGroup(Circle(radius=0.19, color=th.accent, stroke_width=3),
                           cjk(str(number), "label", color=th.accent))
            body = paragraph(text, ITEM_WIDTH, "label")
            row = VGroup(badge, body).arrange(RIGHT, buff=0.25, aligned_edge=UP)
            row.text = text
            lines.add(row)
        lines.arrange(DOWN, buff=0.32, aligned_edge=LEFT)
        shrink_to_fit(lines, ITEM_WIDTH + 0.7, SHEET_TOP - SHEET_BOTTOM)
        lines.move_to([0, 0, 0]).align_to([-6.55, SHEET_TOP, 0], UL)
        return lines

    def worksheet(self, p, temps: list[float], options) -> list[VGroup]:
        """A blank copy of the slide's table for the student: their Query; their Keys with a
        score and a value; the sums and the weights at two temperatures; a line for the
        conclusion. Blank cells are muted question marks."""
        th = self.theme
        labels = p.assignment
        xs = SHEET_COLUMNS
        y = SHEET_TOP - 0.3
        q_tag = MathTex("Q", color=th.query, font_size=40)
        q_box = RoundedRectangle(width=xs[-1] - xs[0] + 0.6, height=0.55, corner_radius=0.1,
                                 stroke_color=th.query, stroke_width=2)
        q_box.move_to([(xs[0] + xs[-1]) / 2 + 0.3, y, 0])
        q_tag.next_to(q_box, LEFT, buff=0.2)
        q_hint = cjk(labels.query, "small", color=th.muted).move_to(q_box)
        query_part = VGroup(q_tag, q_box, q_hint)

        def blank(x: float, row_y: float) -> MathTex:
            return MathTex("?", font_size=34, color=th.muted).move_to([x, row_y, 0])

        header_y = y - 0.75
        row_ys = [header_y - 0.65 - 0.58 * i for i in range(len(options))]
        key_header = VGroup(MathTex("K_i", color=th.key, font_size=32).move_to([xs[0], header_y, 0]),
                            MathTex(r"q \cdot k_i", color=th.query, font_size=32).move_to([xs[1], header_y, 0]),
                            MathTex("V_i", color=th.value, font_size=32).move_to([xs[2], header_y, 0]))
        key_cells = VGroup()
        for i, row_y in enumerate(row_ys):
            box = RoundedRectangle(width=0.95, height=0.46, corner_radius=0.08, stroke_color=th.key,
                                   fill_color=th.key, fill_opacity=0.18).move_to([xs[0], row_y, 0])
            tag = MathTex(f"K_{i + 1}", color=th.key, font_size=34).move_to(box)
            key_cells.add(VGroup(box, tag), blank(xs[1], row_y), blank(xs[2], row_y))
        keys_part = VGroup(key_header, key_cells)

        weight_header = VGroup(*(
            VGroup(MathTex("w", color=th.attention, font_size=44),
                   MathTex(rf"T = {t:g}", color=th.temperature, font_size=34)).arrange(DOWN, buff=0.06)
            .move_to([x, header_y, 0]) for x, t in zip(xs[3:], (temps[0], temps[-1]))))
        weight_cells = VGroup(*(blank(x, row_y) for row_y in row_ys for x in xs[3:]))
        # Under the table: the naive sum (left), then Σ w·V under each weight column.
        sums_y = row_ys[-1] - 0.7
        rule = Line([xs[0] - 0.55, sums_y + 0.36, 0], [xs[-1] + 0.6, sums_y + 0.36, 0], color=th.muted,
                    stroke_width=2)
        naive = VGroup(cjk(labels.naive, "small", color=th.text), MathTex("=", font_size=34), blank(0, 0))
        naive.arrange(RIGHT, buff=0.15).move_to([xs[0] - 0.55, sums_y, 0], aligned_edge=LEFT)
        outputs_y = sums_y - 0.55
        output_tag = MathTex(r"\Sigma\, w_i V_i =", color=th.output, font_size=34)
        output_tag.next_to([xs[3] - 0.4, outputs_y, 0], LEFT, buff=0)
        outputs = VGroup(output_tag, *(blank(x, outputs_y) for x in xs[3:]))
        compute_part = VGroup(weight_header, weight_cells, rule, naive, outputs)

        conclusion_box = RoundedRectangle(width=xs[-1] - xs[0] + 1.1, height=0.6, corner_radius=0.1,
                                          stroke_color=th.muted, stroke_width=2)
        conclusion_box.move_to([(xs[0] + xs[-1]) / 2, outputs_y - 0.72, 0])
        conclusion = cjk(labels.conclusion, "small", color=th.muted).move_to(conclusion_box)
        hand_in_part = VGroup(conclusion_box, conclusion)
        return [query_part, keys_part, compute_part, hand_in_part]

    def gauge_frame(self) -> VGroup:
        """The efficiency gauge: an outline from 0% to 100% and a tick at 100%."""
        th = self.theme
        outline = Rectangle(width=GAUGE_FULL, height=0.45, stroke_color=th.muted, stroke_width=2)
        y = self.gauge_y
        outline.move_to([GAUGE_LEFT + GAUGE_FULL / 2, y, 0])
        tick = Line([GAUGE_LEFT + GAUGE_FULL, y - 0.4, 0], [GAUGE_LEFT + GAUGE_FULL, y + 0.4, 0],
                    color=th.text, stroke_width=4)
        full = MathTex(r"100\%", font_size=32, color=th.muted).next_to(tick, UP, buff=0.05)
        return VGroup(outline, tick, full)

    def gauge_bar(self, fraction: float, color: str) -> Rectangle:
        bar = Rectangle(width=max(fraction * GAUGE_FULL, 0.01), height=0.45, stroke_width=0,
                        fill_color=color, fill_opacity=0.85)
        return bar.move_to([GAUGE_LEFT + bar.width / 2, self.gauge_y, 0])

    @staticmethod
    def fit_bar(bar: Mobject, width: float, left: float, y: float) -> None:
        bar.stretch_to_fit_width(max(width, 0.01))
        bar.move_to([left + bar.width / 2, y, 0])
