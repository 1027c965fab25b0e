"""Subtitle lines break where a reader pauses: no line starts with a particle (的 了 著 之間 嗎 …),
no word, phrase (最/可能, 難以/處理, 文字/生成) or quotation that fits on a line (「我喜歡吃蘋果」) is
cut, and no cue flashes by in under a second; checked on the reviewer's cases and on every
narration segment of the real script."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from explainer.pipeline.records import SpokenSegment
from explainer.text.cue_tracks import MIN_CUE_SECONDS, segment_cues
from explainer.text.cues import LEANING_TAGS, LEANING_WORDS, PAIRS, cue_lines, normalize, split_cues
from explainer.text.linebreak import display_width
from explainer.text.wordseg import CJK_RUN, split_words, word_tag
from explainer.voice.timing import BREATH_SECONDS, GAP_SECONDS
from explainer.voice.voices import estimated_seconds

ROOT = Path(__file__).resolve().parents[1]
# Full-width units a line: the published subtitles use 16. Narrower, a phrase may have to be cut
# where it reads badly or take another line, and another line costs more.
WIDTHS = range(14, 21)
ALL_WIDTHS = range(8, 21)
PARTICLES = ("的", "了", "著", "之間", "之後", "之前", "之中", "嗎", "呢", "吧", "地", "得")
CLOSING = "，。、；：？！）」』》"


def faults(text: str, lines: list[str], max_chars: float) -> list[str]:
    """What is wrong with `lines` as the subtitle lines of `text`: a line starting with a particle
    or closing punctuation, a break inside a word (jieba's, in the whole text) or right after a
    word leaning on the next (an adverb, a preposition, a numeral, a modal: 最/可能, 難以/處理), a
    bracketed quotation cut although it fits on a line, a line too wide."""
    found = []
    norm = normalize(text)
    spans, cursor = [], 0
    for line in lines:
        at = norm.index(line, cursor)
        spans.append((at, at + len(line)))
        cursor = at + len(line)
    ends, owner, position = {0}, {}, 0
    for word in split_words(norm):
        owner.update(dict.fromkeys(range(position, position + len(word)), word))
        position += len(word)
        ends.add(position)
    for (_, end), (start, _), upper, lower in zip(spans, spans[1:], lines, lines[1:]):
        if lower[0] in CLOSING or split_words(lower)[0] in PARTICLES:
            found.append(f"line starts with a particle: {upper} / {lower}")
        if start != end or not (CJK_RUN.match(norm[end - 1]) and CJK_RUN.match(norm[end])):
            continue   # a break at punctuation, a space or a Latin word
        if end not in ends:
            found.append(f"word cut: {upper} / {lower}")
        elif owner[end - 1] in LEANING_WORDS or word_tag(owner[end - 1]) in LEANING_TAGS:
            found.append(f"break after '{owner[end - 1]}', which leans on the next word: {upper} / {lower}")
    for opener, closer in PAIRS.items():
        at = norm.find(opener)
        while at >= 0:
            close = norm.find(closer, at + 1)
            quoted = norm[at: close + 1] if close > 0 else ""
            if quoted and display_width(quoted) <= max_chars and not any(quoted in line for line in lines):
                found.append(f"quotation cut although it fits: {quoted}")
            at = norm.find(opener, at + 1)
    found += [f"too wide: {line}" for line in lines if display_width(line) > max_chars + 1e-9]
    return found


# ---------------------------------------------------------------- what the reviewer saw


@pytest.mark.parametrize(("text", "left", "right"), [
    ("還有 Holtzman 等人對文字生成的取樣與溫度的研究", "文字", "生成"),
    ("同一個詞依句子環境得到不同的意義，這解決了傳統模型難以處理的一詞多義問題", "難以", "處理"),
    ("給定一段文字，模型會預測接下來最可能出現的下一個詞", "最", "可能"),
    ("就像看書時，有好幾位專家同時幫你理解，還是同一句「我喜歡吃蘋果」，同樣的詞向量", "我喜歡吃", "蘋果"),
])
def test_the_reviewers_cuts_never_happen_at_any_width(text, left, right):
    for width in WIDTHS:
        lines = cue_lines(text, width)
        cut = [f"{upper}/{lower}" for upper, lower in pairwise(lines)
               if upper.endswith(left) and lower.startswith(right)]
        assert not cut, (width, lines)
        assert not faults(text, lines, width), (width, lines)


@pytest.mark.parametrize("text", [
    "Transformer 採用的是縮放點積注意力，公式在右上角",
    "Transformer 沒有內在的認知狀態或意圖，它的注意力本質上是計算元素之間關係的數學構造",
    "這就是蘋果融合了上下文之後的新向量",
    "效率依權重加總，得到百分之六十，但滑手機仍然分走了百分之十五的注意力",
    "T 小於一時，分數之間的差距被拉大了，你看出來了嗎",
    "這對擁有一百個以上區塊的深層 Transformer 來說至關重要",
])
def test_no_line_starts_with_a_particle_at_any_width(text):
    for width in ALL_WIDTHS:
        lines = cue_lines(text, width)
        assert not [f for f in faults(text, lines, width) if "particle" in f], (width, lines)
        if width in WIDTHS:
            assert not faults(text, lines, width), (width, lines)


def test_a_quotation_that_fits_stays_on_one_line_even_with_a_comma_inside():
    text = "給定一段文字，例如「只是近黃昏，我」，模型會預測接下來最可能出現的下一個詞"
    for width in range(9, 21):   # the quotation is 9 wide
        lines = cue_lines(text, width)
        assert any("「只是近黃昏，我」" in line for line in lines), (width, lines)
    # Wider than a line: it has to break inside, and does between words.
    lines = cue_lines("他說：「我不是蘋果的粉絲」", 6)
    assert lines == ["他說：", "「我不是", "蘋果的粉絲」"]


def test_the_published_cut_of_the_reviewers_sentences():
    assert split_cues("還有 Holtzman 等人對文字生成的取樣與溫度的研究。", 16) == [
        "還有 Holtzman 等人\n對文字生成的取樣與溫度的研究"]
    assert split_cues("同一個詞，依句子環境得到不同的意義，這解決了傳統模型難以處理的一詞多義問題。", 16) == [
        "同一個詞\n依句子環境得到不同的意義", "這解決了傳統模型難以處理的\n一詞多義問題"]


# ---------------------------------------------------------------- no cue under a second


def test_a_short_last_line_shares_a_cue_instead_of_flashing_by():
    # Five lines of 16, 16, 16, 16 and 2 characters in 7 s: paired greedily, the last cue would
    # hold 2 characters for 0.2 s; regrouped, every cue lasts at least a second.
    text = "一二三四五六七八九十一二三四五六，" * 4 + "好的"
    cues = segment_cues([SpokenSegment("s", text, 0.0, 7.0, "draft")], max_chars=16, max_lines=2)
    assert [c.text.count("\n") + 1 for c in cues] == [2, 1, 2]
    assert all(c.end - c.start >= MIN_CUE_SECONDS for c in cues), cues
    assert (cues[0].start, cues[-1].end) == (0.0, 7.0)


def test_a_short_segment_keeps_its_cue_into_the_silence_after_it():
    segments = [SpokenSegment("chapter", "第二章。", 0.0, 0.6, "draft"),
                SpokenSegment("title", "接著談溫度。", 2.0, 1.4, "draft")]
    cues = segment_cues(segments)
    assert [(c.start, c.end, c.text) for c in cues] == [(0.0, 1.0, "第二章"), (2.0, 3.4, "接著談溫度")]


def test_a_short_segment_with_no_silence_after_it_joins_its_neighbour_in_the_step():
    segments = [SpokenSegment("flash", "記住！", 0.0, 0.5, "draft"),
                SpokenSegment("flash", "一、二、三。", 0.8, 1.5, "draft")]
    cues = segment_cues(segments)
    assert [(c.start, c.end, c.text) for c in cues] == [(0.0, 2.3, "記住！\n一、二、三")]


# ---------------------------------------------------------------- the whole lecture


def timed(narration, pace: float) -> list[SpokenSegment]:
    """The segments as the pipeline places them: one after another in a step (a gap between),
    a breath before the next step; each as long as the estimate × `pace` (< 1: a faster voice)."""
    placed, clock, step = [], 0.0, None
    for segment in narration:
        if step is not None:
            clock += GAP_SECONDS if segment.step == step else BREATH_SECONDS
        seconds = round(estimated_seconds(segment.text) * pace, 3)
        placed.append(SpokenSegment(segment.step, segment.text, round(clock, 3), seconds, "none"))
        clock, step = clock + seconds, segment.step
    return placed


def test_no_narration_segment_of_the_lecture_has_any_of_these_faults():
    from explainer.script.load import load_lecture

    lecture = load_lecture(ROOT / "script.yaml")
    problems = []
    for slide in lecture.slides:
        for segment in slide.narration:
            lines = cue_lines(segment.text, 16)
            problems += [f"{slide.id}/{segment.step}: {fault}" for fault in faults(segment.text, lines, 16)]
        for pace in (1.0, 0.6):   # the estimate, and a voice much faster than it
            for cue in segment_cues(timed(slide.narration, pace)):   # as published: 16 wide, 2 lines
                if cue.end - cue.start < MIN_CUE_SECONDS - 1e-6 or not 1 <= cue.text.count("\n") + 1 <= 2:
                    problems.append(f"{slide.id} at pace {pace}: cue {cue}")
    assert len(lecture.slides) > 20 and not problems, "\n".join(problems)
