"""Chinese word boundaries for line breaking (jieba), so a line never ends inside a word.

jieba's dictionary is Simplified: on Traditional text it splits 訊號 and 等於 into single
characters. So the text is converted character for character to Simplified (OpenCC t2s) only to
find the boundaries, which are then applied to the original text; nothing converted is shown
or said. The lecture's own terms are added as words. Loading takes most of a second, so this
module is imported only where lines are broken (render processes, subtitle export), never on
the no-op path.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# The lecture's terms: each stays on one line.
TERMS = ("自我注意力", "多頭注意力", "注意力機制", "注意力", "殘差連接", "殘差", "溫度", "機率", "權重",
         "向量", "矩陣", "查詢", "內積", "點積", "歸一化", "神經網路", "深度學習", "機器學習",
         "生成式", "工作記憶", "組塊", "梯度", "訊號", "等於", "乘以", "除以", "轉置", "等人")
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=1)
def _tools() -> tuple[Any, Any]:
    import jieba
    import opencc

    jieba.setLogLevel(60)
    converter = opencc.OpenCC("t2s")
    tokenizer = jieba.Tokenizer()
    for term in TERMS:
        tokenizer.add_word(_simplified(converter, term), freq=200_000)
    return converter, tokenizer


def _simplified(converter: Any, text: str) -> str:
    """Simplified, one character for one: phrase rules that change the length are not used."""
    whole = converter.convert(text)
    return whole if len(whole) == len(text) else "".join(converter.convert(c)[:1] or c for c in text)


@lru_cache(maxsize=4096)
def cjk_words(run: str) -> tuple[str, ...]:
    """A run of Chinese characters split into words (in the original characters)."""
    converter, tokenizer = _tools()
    simplified = _simplified(converter, run)
    words, position = [], 0
    for word in tokenizer.cut(simplified, HMM=True):
        words.append(run[position: position + len(word)])
        position += len(word)
    return tuple(words)


# The parts of speech line breaking asks about (ICTCLAS tags, as jieba's dictionary writes them):
# a adjective, b distinguishing word, c conjunction, d adverb, m numeral, p preposition, q classifier.
TAGS_KEPT = "abcdmpq"


@lru_cache(maxsize=1)
def _tag_table() -> dict[str, str]:
    """Word → tag for the dictionary's words tagged one of TAGS_KEPT (a regular expression over the
    dictionary file: a tenth of the time jieba.posseg takes to load every word's tag)."""
    _, tokenizer = _tools()
    source = tokenizer.get_dict_file()
    try:
        data = source.read().decode("utf-8")
    finally:
        source.close()
    return dict(re.findall(rf"^(\S+) \d+ ([{TAGS_KEPT}])\r?$", data, re.M))


@lru_cache(maxsize=4096)
def word_tag(word: str) -> str:
    """jieba's part of speech of a Chinese word when it is one of TAGS_KEPT (d adverb, p
    preposition, c conjunction, …), else 'x' (a noun, a verb, a word it does not list)."""
    converter, _ = _tools()
    return _tag_table().get(_simplified(converter, word), "x")


def split_words(text: str) -> list[str]:
    """`text` as pieces where every Chinese run is cut into words and the rest is kept as is."""
    pieces: list[str] = []
    position = 0
    for match in CJK_RUN.finditer(text):
        if match.start() > position:
            pieces.append(text[position: match.start()])
        pieces.extend(cjk_words(match.group()))
        position = match.end()
    if position < len(text):
        pieces.append(text[position:])
    return pieces
