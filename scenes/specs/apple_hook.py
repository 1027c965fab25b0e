"""Slide 'apple-hook': the hook sentence, both occurrences of the word highlighted, two meanings, the question."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from explainer.script.params import ListOf, Text
from explainer.script.slidespec import SlideSpec


def glyph_spans(sentence: str, word: str) -> list[tuple[int, int]]:
    """Glyph index ranges [start, end) of every occurrence of `word` in `sentence`.

    Manim's Text has one glyph per non-whitespace character, so indices skip whitespace.
    """
    glyph_of = []  # character index -> glyph index
    count = 0
    for char in sentence:
        glyph_of.append(count)
        if not char.isspace():
            count += 1
    spans = []
    start = sentence.find(word)
    while start != -1:
        first = glyph_of[start]
        spans.append((first, first + len("".join(word.split()))))
        start = sentence.find(word, start + len(word))
    return spans


def nearest_span(sentence: str, cue: str, target: tuple[int, int]) -> tuple[int, int]:
    """The glyph span of the occurrence of `cue` closest to the glyph span `target`."""
    spans = glyph_spans(sentence, cue)
    if not spans:
        raise ValueError(f"cue '{cue}' does not occur in the sentence")
    middle = (target[0] + target[1]) / 2
    return min(spans, key=lambda span: abs((span[0] + span[1]) / 2 - middle))


def word_in_sentence(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if params["word"] not in params["sentence"]:
        yield "word", f"params.word '{params['word']}' does not occur in params.sentence"


def cues_in_sentence(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if params["sentence"].count(params["word"]) != len(params["meanings"]):
        yield "meanings", (f"params.meanings has {len(params['meanings'])} items but '{params['word']}' "
                           f"occurs {params['sentence'].count(params['word'])} times in params.sentence")
    for cue in params["cues"]:
        if cue not in params["sentence"]:
            yield "cues", f"params.cues: '{cue}' does not occur in params.sentence"


SPEC = SlideSpec(
    params={
        "sentence": Text(),
        "word": Text(),
        "meanings": ListOf(Text(), min_len=2, max_len=2),
        "cues": ListOf(Text(), min_len=2, max_len=2),
        "question": Text(),
    },
    rules=(word_in_sentence, cues_in_sentence),
    steps=("sentence", "same-word", "meanings", "question"),
)
