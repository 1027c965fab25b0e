"""Subtitles: Chinese cue splitting, timing to a slide, joining slides, and VTT/SRT output."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from explainer.pipeline.records import SpokenSegment
from explainer.text.cue_tracks import Cue, join_tracks, segment_cues, shift, to_srt, to_vtt
from explainer.text.cues import split_cues
from explainer.text.linebreak import display_width

ROOT = Path(__file__).resolve().parents[1]


LONG_NARRATION = (
    "Transformer 是一種神經網路架構，在 2017 年的經典論文《Attention Is All You Need》中首次提出。"
    "過去的模型一次只讀一個詞，像逐字閱讀；Transformer 的自我注意力機制，讓每個詞一次就能看見整句話的所有詞。"
    "這個改變，讓它成為今天深度學習模型的首選架構。")


def segments(slide_id: str) -> list[str]:
    """The real script's narration segments of a slide, placeholders filled."""
    from explainer.script.load import load_lecture

    return [segment.text for segment in load_lecture(ROOT / "script.yaml").slide(slide_id).narration]


def lines_of(cues: list[str]) -> list[str]:
    return [line for cue in cues for line in cue.split("\n")]


def letters(text: str) -> str:
    """Text without whitespace and the punctuation a line end may drop, to compare contents."""
    return re.sub(r"[\s。，、]", "", text)


# ---------------------------------------------------------------- splitting


def test_short_sentence_is_one_cue_without_its_full_stop():
    assert split_cues("預測下一個詞。") == ["預測下一個詞"]


def test_question_mark_is_kept_and_inner_comma_stays():
    assert split_cues("人一看就懂，但機器要怎麼知道？") == ["人一看就懂，但機器要怎麼知道？"]


def test_yaml_folding_spaces_are_removed_between_chinese_but_kept_next_to_latin():
    cues = split_cues("AI 是一種\n  神經網路架構。 過去的 模型")
    assert cues == ["AI 是一種神經網路架構。過去的模型"]


def test_blank_narration_gives_no_cues():
    assert split_cues("  \n ") == []


def test_real_long_narration_fits_20_wide_and_2_lines_and_loses_nothing():
    text = LONG_NARRATION
    cues = split_cues(text)
    assert cues == [
        "Transformer 是一種神經網路架構\n在 2017 年的經典論文",
        "《Attention Is All You Need》中\n首次提出。過去的模型一次只讀一個詞",   # no line starts with 中
        "像逐字閱讀；\nTransformer 的自我注意力機制",
        "讓每個詞一次就能看見整句話的所有詞\n這個改變",
        "讓它成為今天深度學習模型的首選架構",
    ]
    for cue in cues:
        assert 1 <= len(cue.split("\n")) <= 2
    for line in lines_of(cues):
        assert line and line == line.strip()
        assert display_width(line) <= 20
    assert letters("".join(lines_of(cues))) == letters(text)


@pytest.mark.parametrize("slide_id", ["temperature-table", "homework-qkv", "attention-comparison", "qkv-flow"])
def test_every_real_narration_segment_fits_16_wide(slide_id):
    for text in segments(slide_id):
        cues = split_cues(text, max_chars=16)
        for cue in cues:
            assert 1 <= len(cue.split("\n")) <= 2
        for line in lines_of(cues):
            assert line and 0 < display_width(line) <= 16
        assert letters("".join(lines_of(cues))) == letters(text)


def test_a_latin_title_is_not_split_across_lines():
    # At 16 wide a character count would cut after "Attention Is A".
    cues = split_cues("這篇經典論文叫做 Attention Is All You Need，在 2017 年提出。", max_chars=16)
    assert cues == ["這篇經典論文叫做\nAttention Is All You Need", "在 2017 年提出"]


def test_numbers_are_never_split():
    # At 4 wide a naive cut would give "這是在2" / "017年提".
    assert split_cues("這是在2017年提出的", max_chars=4) == ["這是在\n2017", "年提出的"]
    # At 5 wide a naive cut would give "溫度降到0" / ".2時效率是" / "84.7" / "%".
    assert split_cues("溫度降到0.2時效率是84.7%", max_chars=5) == ["溫度降到\n0.2時效率", "是84.7%"]


@pytest.mark.parametrize("token", ["W_Q", "N-back", "F(x)", "Q、K、V"])
def test_identifiers_stay_whole(token):
    text = f"接下來我們一起看看{token}這個東西到底是什麼意思"
    for width in range(4, 21):
        assert any(token in line for line in lines_of(split_cues(text, max_chars=width))), width


def test_line_end_drops_full_stop_comma_and_enumeration_comma_but_keeps_others():
    assert split_cues("三、二、一！東西消失了。", max_chars=4) == ["三、二\n一！東西", "消失了"]


def test_brackets_stay_with_what_they_enclose():
    cues = split_cues("他說：「我不是蘋果的粉絲」", max_chars=6)
    # 蘋果 is one word: never split; the quotation is wider than a line, so it breaks inside, but
    # not before 的 (no line starts with it)
    assert cues == ["他說：\n「我不是", "蘋果的粉絲」"]
    for line in lines_of(split_cues("".join(segments("apple-hook")), max_chars=7)):
        assert line[-1] not in "「《（"
        assert line[0] not in "」》），。、？！"


def test_a_lone_chinese_character_borrows_from_the_line_above():
    # Greedy packing at 4 wide would leave "吃" alone on the last line; the word 喜歡 moves down.
    assert split_cues("我們喜歡吃", max_chars=4) == ["我們\n喜歡吃"]


def test_three_lines_per_cue_when_asked():
    cues = split_cues("一二三四，五六七八，九十", max_chars=4, max_lines=3)
    assert cues == ["一二三四\n五六七八\n九十"]


# ---------------------------------------------------------------- timing


def assert_tiles(cues: list[Cue], duration: float) -> None:
    assert cues[0].start == 0.0
    assert cues[-1].end == duration
    for cue in cues:
        assert cue.start < cue.end
    for before, after in itertools.pairwise(cues):
        assert before.end == after.start


def test_segment_cues_share_the_spoken_time_by_reading_width_and_keep_segment_bounds():
    segments = [SpokenSegment("a", "一二三四五六七八九十一二三四五六。一二三四五六七八。", 2.0, 6.0, "draft"),
                SpokenSegment("b", "好。", 9.0, 1.5, "draft")]
    cues = segment_cues(segments, max_chars=16, max_lines=1)
    assert [c.text for c in cues] == ["一二三四五六七八九十一二三四五六", "一二三四五六七八", "好"]
    assert (cues[0].start, cues[-2].end) == (2.0, 8.0)          # the first segment's time, exactly
    assert cues[0].end == cues[1].start == 6.0                   # 16 : 8 characters share 6 s as 4 : 2
    assert (cues[-1].start, cues[-1].end) == (9.0, 10.5)


def test_a_silent_segment_gives_no_cue():
    assert segment_cues([SpokenSegment("a", "一二三", 1.0, 0.0, "none")]) == []


def test_shift_adds_the_offset():
    cues = [Cue(0.0, 1.5, "甲"), Cue(1.5, 4.0, "乙")]
    assert shift(cues, 10.1) == [Cue(10.1, 11.6, "甲"), Cue(11.6, 14.1, "乙")]
    assert shift(cues, 0.0) == cues


def test_join_tracks_offsets_each_slide_and_keeps_order():
    first = [Cue(0.0, 2.0, "甲"), Cue(2.0, 3.5, "乙")]
    second = [Cue(0.0, 1.25, "丙")]
    assert join_tracks([(0.0, first), (3.5, second), (7.0, second)]) == [
        Cue(0.0, 2.0, "甲"),
        Cue(2.0, 3.5, "乙"),
        Cue(3.5, 4.75, "丙"),
        Cue(7.0, 8.25, "丙"),
    ]


def test_join_tracks_trims_a_rounding_overlap_between_slides():
    # Slide one lasts 3.3336 s (rounded to 3.334 in its cues); slide two starts at exactly 3.3336.
    joined = join_tracks([(0.0, [Cue(0.0, 3.334, "甲")]), (3.3336, [Cue(0.0, 1.0, "乙")])])
    assert joined == [Cue(0.0, 3.334, "甲"), Cue(3.334, 4.334, "乙")]


# ---------------------------------------------------------------- formats

# The second slide starts 1 h 2 min 3.25 s in.
TWO_CUES = join_tracks([
    (0.0, [Cue(0.0, 1.5, "A & B\n第二行")]),
    (3723.25, [Cue(0.0, 2.0, "<b>x</b> --> 好")]),
])


def test_vtt_is_exact():
    assert to_vtt(TWO_CUES) == (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:01.500\nA &amp; B\n第二行\n\n"
        "01:02:03.250 --> 01:02:05.250\n&lt;b&gt;x&lt;/b&gt; --&gt; 好\n\n"
    )


def test_srt_is_exact():
    assert to_srt(TWO_CUES) == (
        "1\n00:00:00,000 --> 00:00:01,500\nA & B\n第二行\n\n"
        "2\n01:02:03,250 --> 01:02:05,250\n<b>x</b> --> 好\n\n"
    )


def test_empty_track_formats():
    assert to_vtt([]) == "WEBVTT\n\n"
    assert to_srt([]) == ""


def test_times_past_99_hours_and_rounding_to_the_millisecond():
    cues = [Cue(360000.0004, 360001.9996, "長")]
    assert to_srt(cues) == "1\n100:00:00,000 --> 100:00:02,000\n長\n\n"
