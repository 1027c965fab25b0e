"""apple-hook: both occurrences of the word highlighted where the sentence has them, with their meanings."""

from __future__ import annotations

from explainer.script.model import plain
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.apple_hook import glyph_spans, nearest_span

SLIDE = "apple-hook"


def test_occurrences_are_found_by_glyph_index():
    # 我0 不1 是2 蘋3 果4 的5 粉6 絲7 ，8 但9 我10 喜11 歡12 吃13 蘋14 果15
    assert glyph_spans("我不是蘋果的粉絲，但我喜歡吃蘋果", "蘋果") == [(3, 5), (14, 16)]
    # Whitespace has no glyph in Manim's Text, so it is skipped.
    assert glyph_spans("a b 蘋果", "蘋果") == [(2, 4)]
    assert nearest_span("我不是蘋果的粉絲，但我喜歡吃蘋果", "吃", (14, 16)) == (13, 14)


def highlighted_glyphs(scene) -> list[tuple[int, int]]:
    """Which glyph span each highlight box surrounds (by position)."""
    found = []
    sentence = scene.part("sentence")
    for box in scene.part("highlights"):
        inside = [i for i, glyph in enumerate(sentence)
                  if box.get_left()[0] < glyph.get_x() < box.get_right()[0]]
        found.append((inside[0], inside[-1] + 1))
    return found


def test_both_occurrences_highlighted_with_meanings(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    params = lecture().slide(SLIDE).params
    assert highlighted_glyphs(scene) == [(3, 5), (14, 16)]
    assert [card[1].original_text for card in scene.part("meaning_cards")] == list(params.meanings)
    # Each meaning sits under its own occurrence.
    for box, card in zip(scene.part("highlights"), scene.part("meaning_cards")):
        assert abs(box.get_x() - card.get_x()) < 0.05 and card.get_y() < box.get_y()
    assert scene.part("question").original_text == params.question


def test_changed_sentence_moves_the_highlights(tmp_path):
    params = plain(lecture().slide(SLIDE).params)
    params.update(sentence="蘋果手機很貴，可是蘋果很甜", meanings=["科技", "食物"], cues=["手機", "甜"])
    scene = render_last_frame(SLIDE, tmp_path, params=params)
    assert highlighted_glyphs(scene) == [(0, 2), (9, 11)]
    assert [card[1].original_text for card in scene.part("meaning_cards")] == ["科技", "食物"]
    assert scene.layout_findings == []


def test_highlight_boxes_leave_the_neighbouring_characters_uncovered(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    spans = glyph_spans(lecture().slide(SLIDE).params.sentence, lecture().slide(SLIDE).params.word)
    inside = {i for a, b in spans for i in range(a, b)}
    for box in scene.part("highlights"):
        for index, glyph in enumerate(scene.part("sentence")):
            if index in inside:
                continue
            # 吃 right before the second 蘋果 (and 是, 的 round the first) must stay clear of the box.
            clear = glyph.get_right()[0] < box.get_left()[0] - 0.02 or glyph.get_left()[0] > box.get_right()[0] + 0.02
            assert clear, f"box over glyph {index} ({lecture().slide(SLIDE).params.sentence[index]})"


def test_the_word_takes_the_input_colour_and_no_category_takes_the_highlight(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    theme = lecture().theme
    spans = glyph_spans(lecture().slide(SLIDE).params.sentence, lecture().slide(SLIDE).params.word)
    # 蘋果 is the word the lecture follows: its vector x is drawn in the input role on later slides.
    for box in scene.part("highlights"):
        assert box.get_stroke_color().to_hex().lower() == theme.input.lower()
    for first, last in spans:
        for glyph in scene.part("sentence")[first:last]:
            assert glyph.get_fill_color().to_hex().lower() == theme.input.lower()
    # Highlight orange means "being computed now" only: nothing on the finished slide wears it.
    drawn = {part.get_stroke_color().to_hex().lower() for m in scene.mobjects for part in m.get_family()
             if part.has_points() and part.get_stroke_opacity() > 0 and part.get_stroke_width() > 0.01}
    drawn |= {part.get_fill_color().to_hex().lower() for m in scene.mobjects for part in m.get_family()
              if part.has_points() and part.get_fill_opacity() > 0}
    assert theme.highlight.lower() not in drawn


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("apple-hook", tmp_path)
