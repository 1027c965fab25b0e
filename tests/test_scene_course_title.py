"""Slide 'course-title': the course card, the roadmap from the bullets, then chapter 1's card."""

from __future__ import annotations

import pytest

from explainer.script.load import declared_steps
from scenes_support import assert_renders_cleanly, lecture, render_last_frame
from specs.course_title import SPEC, motif_weights

SLIDE = "course-title"


def test_motif_weights_by_hand():
    # e^0.2, e^0.6, e^2.0, e^1.0 = 1.2214, 1.8221, 7.3891, 2.7183; sum 13.1509
    assert motif_weights([0.2, 0.6, 2.0, 1.0]).tolist() == pytest.approx(
        [0.0929, 0.1386, 0.5619, 0.2067], abs=1e-4)


def test_course_title_opens_the_lecture_before_the_chapter_card(tmp_path):
    slide = lecture().slide(SLIDE)
    assert lecture().slides[0].id == SLIDE and slide.first_in_chapter
    scene = render_last_frame(SLIDE, tmp_path)
    marked = [name for name, *_ in scene.step_marks]
    # The chapter step shows the course card; the chapter's own title closes the slide.
    assert marked == declared_steps(lecture(), slide) == ["chapter", *SPEC.step_names(slide.params, slide.bullets)]
    assert scene.part("course_title").original_text == slide.title
    assert scene.part("chapter_card").original_text == slide.chapter_title
    assert [item[1][0].original_text for item in scene.part("roadmap")] == list(slide.bullets)
    assert scene.layout_findings == []


def test_the_roadmap_lists_every_chapter_one_step_each(tmp_path):
    slide = lecture().slide(SLIDE)
    # One line per chapter of the lecture (8), the last the wrap-up with its homework.
    assert len(slide.bullets) == len(lecture().chapters) == 8
    assert "作業" in slide.bullets[-1]
    assert SPEC.step_names(slide.params, slide.bullets) == [f"part-{i}" for i in range(1, 9)] + ["begin"]
    # Each chapter's line is spoken during its own step.
    spoken = {segment.step for segment in slide.narration}
    assert {f"part-{i}" for i in range(1, 9)} <= spoken


def test_the_motif_arcs_are_attention_weights(tmp_path):
    scene = render_last_frame(SLIDE, tmp_path)
    _tokens, lines = scene.part("motif")
    theme = lecture().theme
    assert {line.get_stroke_color().to_hex().lower() for line in lines.lines} == {theme.attention.lower()}
    # Thicker where the weight is larger: 吃 (0.562) > 蘋果's other words.
    widths = [line.get_stroke_width() for line in lines.lines]
    assert widths.index(max(widths)) == 2     # targets 我, 喜歡, 吃: 吃 is the third


def test_the_next_slide_no_longer_opens_the_chapter():
    assert not lecture().slide("transformer-intro").first_in_chapter
    assert declared_steps(lecture(), lecture().slide("transformer-intro"))[0] != "chapter"


def test_scene_renders_last_frame_with_clean_layout(tmp_path):
    assert_renders_cleanly("course-title", tmp_path)
