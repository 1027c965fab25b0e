"""The layout check: shapes crossing text, math measured as read, mid-animation collisions, wrapped
text fitted into its box (and what it says when it cannot be)."""

from __future__ import annotations

from pathlib import Path

import pytest
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    FadeIn,
    Line,
    MathTex,
    Rectangle,
    SurroundingRectangle,
    VGroup,
    config,
    tempconfig,
)

from explainer.scenekit.components.bullets import fit_bullets
from explainer.scenekit.components.formula import Formula
from explainer.scenekit.components.text import MIN_TEXT_SIZE, cjk, fit_paragraph, font_size
from explainer.scenekit.layout import check, reading_height
from explainer.scenekit.slide_scene import SlideScene
from explainer.script.model import Params, Slide
from explainer.script.theme import Theme

LONG = "注意力讓模型在讀到每一個詞的時候，都能回頭看見句子裡的全部的詞，" * 5   # 160 characters


def kinds(mobjects) -> list[str]:
    return [f.kind for f in check(list(mobjects))]


# -- shapes against text ------------------------------------------------------------------------
def test_a_line_through_a_text_is_a_crossing_but_one_beside_it_is_not():
    word = cjk("注意力", "body")
    through = Line(word.get_left() + LEFT * 0.3, word.get_right() + RIGHT * 0.3)
    beside = Line(word.get_corner(DOWN + LEFT) + DOWN * 0.1, word.get_corner(DOWN + RIGHT) + DOWN * 0.1)
    assert kinds([word, through]) == ["crossing"]
    assert kinds([word, beside]) == []


def test_a_box_around_a_text_encloses_it_and_a_bar_half_over_it_crosses_it():
    word = cjk("蘋果", "body")
    assert kinds([word, SurroundingRectangle(word, buff=0.1)]) == []
    bar = Rectangle(width=0.3, height=2.0, fill_opacity=1, stroke_width=0).move_to(word.get_right())
    found = check([word, bar])
    assert [f.kind for f in found] == ["crossing"] and "蘋果" in found[0].text and "Rectangle" in str(found[0])


def test_an_opaque_card_drawn_over_a_text_covers_it_and_a_veil_does_not():
    word = cjk("詞", "body")
    card = Rectangle(width=3, height=2, fill_opacity=1, stroke_width=0)
    veil = Rectangle(width=3, height=2, fill_opacity=0.55, stroke_width=0)
    assert kinds([word, card]) == ["crossing"]     # drawn above: hides the word
    assert kinds([card, word]) == []               # drawn below: the word sits on the card
    assert kinds([word, veil]) == []               # a dimming veil is not a cover


def test_a_highlight_box_on_one_term_may_not_cut_its_neighbour():
    formula = Formula([("p", "P_i"), ("eq", "="), ("frac", r"\frac{e^{z_i}}{\sum_j e^{z_j}}")])
    formula.focus("frac")
    assert kinds([formula, formula.box]) == []
    too_wide = SurroundingRectangle(formula.term("frac"), buff=0.0).stretch(1.6, 0)
    assert kinds([formula, too_wide]) == ["crossing"]


# -- sizes as read -----------------------------------------------------------------------------
def test_math_is_measured_by_its_ordinary_glyphs_so_an_equals_sign_is_readable():
    equals = MathTex("=", font_size=40)
    assert equals.height < 0.028 * config.frame_height            # its tallest leaf is a thin bar...
    assert kinds([equals]) == []                                   # ...but it reads at size 40
    assert reading_height(MathTex("x", font_size=40)) == pytest.approx(reading_height(MathTex("0", font_size=40)))
    assert kinds([MathTex("=", font_size=16)]) == ["small"]


def test_a_text_scaled_down_is_measured_at_its_new_size():
    word = cjk("機率", 28)
    assert kinds([word]) == []
    word.scale(0.5)
    assert kinds([word]) == ["small"]


# -- fitting text into a box -------------------------------------------------------------------
def test_a_long_text_is_wrapped_then_shrunk_to_fit_its_box():
    roomy = fit_paragraph(LONG, 11.0, 4.0, "body")
    assert roomy.overflow is None and roomy.width <= 11.0 and roomy.height <= 4.0
    assert len(roomy.lines) > 1 and "".join(roomy.lines) == LONG.strip()
    tight = fit_paragraph(LONG, 11.0, 2.2, "body")
    assert tight.overflow is None and tight.height <= 2.2
    assert MIN_TEXT_SIZE <= tight.size < font_size("body")


def test_a_text_that_cannot_fit_even_at_the_minimum_says_how_much_fits():
    squeezed = fit_paragraph(LONG, 6.0, 1.0, "body")
    assert squeezed.size == MIN_TEXT_SIZE
    assert squeezed.overflow is not None and f"of {len(LONG)} characters fit" in squeezed.overflow
    found = check([squeezed.move_to(0)])
    assert [f.kind for f in found] == ["overflow"] and "characters fit" in str(found[0])


def test_bullets_share_one_size_that_fits_the_room():
    items = fit_bullets([LONG[:150], "短的一條"], 11.6, 3.5, "body")
    sizes = {item.body.size for item in items}
    assert len(sizes) == 1 and sizes.pop() < font_size("body")
    assert sum(item.height for item in items) + 0.35 <= 3.5


def test_a_paragraph_running_off_the_frame_says_how_many_characters_fit():
    lines = fit_paragraph(LONG, 11.0, None, "body")
    lines.next_to([0, -1.5, 0], DOWN, buff=0).set_x(0)
    found = check([lines])
    assert len(found) == 1 and found[0].kind == "margin"
    assert "runs off the bottom" in found[0].detail and f"of {len(LONG)} characters fit" in found[0].detail
    fit = int(found[0].detail.split(": ")[-1].split(" of ")[0])
    assert 0 < fit < len(LONG)


# -- in the middle of an animation ----------------------------------------------------------------
def _slide() -> Slide:
    return Slide(id="layout-test", scene="Probe", title="測試", bullets=(), narration=(), params=Params({}),
                 chapter_id="c", chapter_title="章", first_in_chapter=False)


def _run(construct, tmp_path: Path) -> list[str]:
    class Probe(SlideScene):
        slide_id = "layout-test"

        def construct(self) -> None:
            self.step("only")
            construct(self)

    with tempconfig({"media_dir": str(tmp_path), "format": "png", "disable_caching": True,
                     "progress_bar": "none", "verbosity": "WARNING", "pixel_width": 854, "pixel_height": 480}):
        scene = Probe(slide=_slide(), theme=Theme())
        scene.check_layout = True
        scene.render()
    return scene.layout_findings


def test_a_text_flying_over_another_is_caught_at_the_midpoint(tmp_path):
    def fly(scene: SlideScene) -> None:
        label = cjk("標籤", "body")
        number = cjk("0.25", "body").move_to(LEFT * 3)
        scene.add(label, number)
        scene.play(number.animate.move_to(RIGHT * 3), run_time=1.0)   # passes right over the label

    findings = _run(fly, tmp_path)
    assert findings and all("at the midpoint" in f and "overlaps" in f for f in findings)
    assert "step 'only'" in findings[0]


def test_an_arrow_growing_across_a_text_may_pass_but_a_static_one_may_not(tmp_path):
    def grow(scene: SlideScene) -> None:
        word = cjk("查詢", "body")
        scene.add(word)
        arrow = Arrow(LEFT * 3 + DOWN * 0.5, RIGHT * 3 + UP * 0.5)
        scene.play(Create(arrow), run_time=1.0)    # crosses the word as it is drawn, and stays there

    findings = _run(grow, tmp_path)
    assert findings and all("after animation" in f and "crossed by a" in f for f in findings)


def test_a_card_fading_in_around_its_text_is_fine(tmp_path):
    def card(scene: SlideScene) -> None:
        word = cjk("鍵值", "body")
        box = SurroundingRectangle(word, buff=0.2)
        scene.play(FadeIn(VGroup(box, word)), run_time=1.0)

    assert _run(card, tmp_path) == []
