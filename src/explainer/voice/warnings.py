"""`check`'s warnings about the neural voice: Latin words it has no reading for."""

from __future__ import annotations

from explainer.script.model import Lecture
from explainer.script.yamlpos import Pos, Problem
from explainer.voice.english import unknown_words
from explainer.voice.mandarin import LATIN_WORD
from explainer.voice.voices import spoken_text


def unread_latin_words(lecture: Lecture) -> list[Problem]:
    """Each Latin word of the narration (once, where it first appears) that the neural voice could
    only guess with espeak-ng: neither its table, nor misaki's lexicon, nor letters, nor parts."""
    table = {word: reading for word, reading in lecture.voice.pronounce_neural if LATIN_WORD.match(word)}
    seen: set[str] = set()
    problems = []
    for slide in lecture.slides:
        for segment in slide.narration:
            for word in unknown_words(spoken_text(segment, "neural", lecture.voice), table):
                if word in seen:
                    continue
                seen.add(word)
                problems.append(Problem(lecture.shown_as, (
                    f"warning: slide '{slide.id}', step '{segment.step}': the neural voice knows no reading of "
                    f"'{word}' and would guess one with espeak-ng; add it under `voice: pronounce: neural:` as "
                    "phonemes between slashes (like `Cowan: /kˈWən/`) or as a respelling in words it knows "
                    "(like `Cowan: cow in`)"),
                    Pos(segment.line, segment.column)))
    return problems
