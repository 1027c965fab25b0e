"""fit_text, fit_line, shrink_to_fit and CaptionSlot on real Manim text."""

from __future__ import annotations

import re

import pytest
from manim import RIGHT, Scene, Text, VGroup, config

from explainer.scenekit.components.captions import CAPTION_Y, CaptionSlot
from explainer.scenekit.components.fit import TextDoesNotFit, fit_line, fit_text, min_readable_size, shrink_to_fit
from explainer.scenekit.components.text import cjk, font_size
from explainer.scenekit.layout import MIN_GLYPH_FRACTION, check, reading_height

LONG = "注意力機制讓每個詞元查看句子裡所有其他的詞元，並依照相關程度決定要從每個詞元取用多少資訊"


def readable(text: Text) -> bool:
    return reading_height(text) >= MIN_GLYPH_FRACTION * config.frame_height - 1e-6


def test_the_minimum_is_the_layout_checks_and_latin_needs_more():
    cjk_min, latin_min = min_readable_size("字"), min_readable_size("softmax")
    assert 16 <= cjk_min <= font_size("small") < latin_min
    assert readable(cjk("字", cjk_min)) and not readable(cjk("字", cjk_min - 1))


def test_a_short_text_keeps_its_size_and_one_line():
    caption = fit_text("每個詞元都有三個向量", 10.0, size="body")
    assert len(caption.lines) == 1 and caption.size == font_size("body")
    assert caption[0].font_size == pytest.approx(font_size("body"))


def test_a_long_text_wraps_between_words_at_its_size():
    caption = fit_text(LONG, 5.0, 3.0, "body")
    assert len(caption.lines) > 1
    assert caption.size == font_size("body")           # wrapping was enough: no shrinking
    assert "".join(caption.lines) == LONG                # nothing lost, nothing added
    assert all(line.width <= 5.0 + 1e-6 for line in caption)
    assert caption.height <= 3.0
    # Between words: 「詞元」 and 「資訊」 are never split across lines.
    for word in ("詞元", "資訊", "注意力"):
        assert not any(a.endswith(word[0]) and b.startswith(word[1:]) for a, b in zip(caption.lines, caption.lines[1:]))


def test_too_tall_shrinks_but_never_below_the_minimum():
    roomy = fit_text(LONG, 5.0, 3.0, "body")
    tight = fit_text(LONG, 5.0, 1.2, "body")
    assert min_readable_size(LONG) <= tight.size < roomy.size
    assert tight.height <= 1.2 and all(readable(line) for line in tight)


def test_a_word_wider_than_the_box_scales_exactly_to_the_width():
    line = fit_line("Transformer", 2.2, "heading")
    assert line.width == pytest.approx(2.2, abs=1e-3)
    assert font_size("heading") > line.font_size >= min_readable_size("Transformer") - 1e-6
    assert not hasattr(line, "paragraph_source")


def test_impossible_raises_with_what_and_how_many_characters_fit():
    with pytest.raises(TextDoesNotFit) as raised:
        fit_text(LONG, 3.0, 0.8, "body")
    message = str(raised.value)
    assert LONG[:20] in message
    fit, total = map(int, re.search(r"(\d+) of (\d+) characters fit", message).groups())
    assert total == len(LONG) and 0 < fit < total
    with pytest.raises(TextDoesNotFit, match=r"of 11 characters fit"):
        fit_line("Transformer", 0.5, "heading")


def test_shrink_to_fit_scales_a_built_group_and_refuses_to_go_unreadable():
    card = VGroup(cjk("查詢", "heading"), cjk("Query", "heading")).arrange(RIGHT)
    wide = card.width
    shrink_to_fit(card, wide * 0.8)
    assert card.width == pytest.approx(wide * 0.8, rel=1e-3)
    with pytest.raises(TextDoesNotFit, match="Query"):
        shrink_to_fit(card, wide * 0.2)


class _Recorder(Scene):
    def __init__(self) -> None:
        super().__init__()
        self.played: list[str] = []

    def play(self, *animations, **kwargs) -> None:   # only what was played, in order
        self.played.extend(type(a).__name__ for a in animations)
        for animation in animations:
            if type(animation).__name__ == "FadeOut":
                self.remove(animation.mobject)
            else:
                self.add(animation.mobject)


def test_a_bottom_caption_sits_at_the_bottom_and_swaps_old_before_new():
    slot = CaptionSlot.bottom()
    scene = _Recorder()
    first = slot.swap(scene, None, "第一句")
    second = slot.swap(scene, first, LONG)
    assert scene.played == ["FadeIn", "FadeOut", "FadeIn"]
    assert second.get_y() == pytest.approx(CAPTION_Y) and second.get_x() == pytest.approx(0, abs=1e-6)
    assert len(second.lines) == 1 and second.width <= config.frame_width - 1.0 + 1e-6
    assert first not in scene.mobjects and not check([second])


def test_a_caption_beside_the_title_stays_right_of_it():
    title = cjk("注意力", "title").to_corner([-1, 1, 0], buff=0.5)
    caption = CaptionSlot.beside_title(title).make("每個詞元都把自己的查詢向量和所有的鍵比較")
    assert caption.get_left()[0] >= title.get_right()[0] + 0.3 - 1e-6
    assert caption.get_right()[0] == pytest.approx(config.frame_width / 2 - 0.45)
    assert not check([title, caption])


def test_latin_text_is_wrapped_snugly_not_by_the_conservative_estimate():
    from explainer.scenekit.components.text import paragraph

    title = "Attention Is All You Need, the paper that introduced the Transformer architecture"
    conservative = paragraph(title, 6.5, "label")
    snug = fit_text(title, 6.5, None, "label")
    assert len(snug.lines) < len(conservative.lines)
    assert all(line.width <= 6.5 + 1e-6 for line in snug) and snug.size == font_size("label")
