"""Word-aware line breaking: Traditional words stay whole in scenes' text and in subtitles."""

from __future__ import annotations

import pytest

from explainer.text.cues import split_cues
from explainer.text.linebreak import display_width, wrap
from explainer.text.wordseg import split_words


@pytest.mark.parametrize(("text", "words"), [
    ("訊號在深層網路中逐漸消失", ["訊號", "在", "深層", "網路", "中", "逐漸", "消失"]),
    ("機率等於權重乘以數值", ["機率", "等於", "權重", "乘以", "數值"]),
    ("多頭注意力與殘差連接", ["多頭注意力", "與", "殘差連接"]),
])
def test_traditional_words_are_found_whole(text, words):
    assert split_words(text) == words


def test_latin_numbers_and_punctuation_pass_through():
    assert split_words("T 等於 0.2，Softmax 輸出") == ["T ", "等於", " 0.2，Softmax ", "輸出"]


@pytest.mark.parametrize("width", [5, 6, 7, 8, 9, 10, 12])
def test_scene_lines_never_break_inside_a_word(width):
    text = "自我注意力讓每個詞一次看見整句話，訊號在深層網路中逐漸消失"
    lines = wrap(text, width)
    assert "".join(lines) == text
    words = split_words(text)
    boundaries = {sum(len(w) for w in words[:i]) for i in range(len(words) + 1)}
    position = 0
    for line in lines[:-1]:
        position += len(line)
        assert position in boundaries, (width, lines)
        assert display_width(line) <= width


def test_subtitle_lines_never_break_inside_a_word():
    text = "注意力機制讓模型在處理訊號時等於同時參考所有的詞，這就是自我注意力的核心概念"
    words = split_words(text.replace("，", ""))
    boundaries = {sum(len(w) for w in words[:i]) for i in range(len(words) + 1)}
    for cue in split_cues(text, max_chars=8):
        for line in cue.split("\n"):
            start = text.replace("，", "").index(line.replace("，", ""))
            assert start in boundaries and start + len(line.replace("，", "")) in boundaries, line
