"""Lines break between words: never inside 出現, 模型, 注意力, 自我 or arXiv:2409.10715, never after an
opening bracket, and no line of a single CJK character (a widow) — for every text the lecture shows."""

from __future__ import annotations

from itertools import pairwise

import pytest

from explainer.text.linebreak import NO_LINE_END, wrap
from scenes_support import lecture

KEPT_WHOLE = ("出現", "模型", "注意力", "自我", "arXiv:2409.10715")
WIDTHS = [w / 2 for w in range(12, 61)]   # 6 to 30 full-width characters a line (a word always fits)


def shown_texts() -> list[str]:
    """Titles, bullets and reference entries of every slide."""
    texts: list[str] = []
    for slide in lecture().slides:
        texts += [slide.title, *slide.bullets]
        for entry in getattr(slide.params, "entries", None) or []:
            texts += [entry.title, entry.concept, entry.link]
    return texts


def broken_words(lines: list[str]) -> list[str]:
    found = []
    for upper, lower in pairwise(lines):
        for word in KEPT_WHOLE:
            found += [f"{upper[-k:]}/{lower[:len(word) - k]}" for k in range(1, len(word))
                      if upper.endswith(word[:k]) and lower.startswith(word[k:])]
    return found


@pytest.mark.parametrize("text", ["模型會出現自我注意力的現象，詳見 arXiv:2409.10715。",
                                  "Gong & Zhang (2024). Self-Attention Limits Working Memory Capacity of "
                                  "Transformer-Based Models. arXiv:2409.10715"])
def test_words_and_identifiers_stay_whole_at_every_width(text):
    for width in WIDTHS:
        lines = wrap(text, width)
        assert broken_words(lines) == [], (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_no_shown_text_breaks_a_word_ends_on_an_opening_bracket_or_leaves_a_widow():
    problems = []
    for text in shown_texts():
        for width in WIDTHS:
            lines = wrap(text, width)
            problems += [f"{text[:20]}… @{width}: broken {b}" for b in broken_words(lines)]
            problems += [f"{text[:20]}… @{width}: line ends with {line[-1]}" for line in lines[:-1]
                         if line and line[-1] in NO_LINE_END]
            last = lines[-1] if len(lines) > 1 else ""
            core = last.rstrip("，。、；：！？）」』》,.;:!?)%")
            if len(core) == 1 and "\u3400" <= core <= "\u9fff" and len(text) > width:
                problems.append(f"{text[:20]}… @{width}: widow {last!r}")
    assert problems == [], "\n".join(problems[:20])
