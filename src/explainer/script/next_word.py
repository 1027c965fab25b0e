"""The shape of script.yaml's top-level `next_word:`: the one prompt chapters 2 and 6 and the
recap predict from, with one set of logits for its candidate words, so every slide on that prompt
shows the same probabilities. A slide reads it as `params.next_word` when its spec says
`uses_next_word=True`. Plain Python, no numpy."""

from __future__ import annotations

from typing import Any

from explainer.script.params import LOGITS, WORDS, Finding, ListOf, Number, Record, Text
from explainer.script.yamlpos import MarkedDict, Pos

FIELDS = Record(
    {
        "prompt": Text(),           # the text the model continues
        "words": WORDS,             # the candidate next words: the whole vocabulary of this toy model
        "logits": LOGITS,           # one per word
        # What the screen says about the candidates (e.g. that they are the whole vocabulary here).
        "vocabulary_note": Text(),
        # The low and the high temperature that chapter 6 and the recap compare.
        "temperatures": ListOf(Number(minimum=0.05, maximum=10), min_len=2, max_len=2),
    }
)


def check_next_word(raw: Any, pos: Pos) -> list[Finding]:
    """Every problem with the entry, where it is and how to fix it."""
    findings = list(FIELDS.check(raw, pos, "next_word"))
    if findings or not isinstance(raw, MarkedDict):
        return findings
    if len(raw["words"]) != len(raw["logits"]):
        findings.append((raw.value_pos["logits"], f"next_word.logits has {len(raw['logits'])} numbers for "
                                                  f"{len(raw['words'])} words; give one logit per word"))
    if len(set(raw["words"])) != len(raw["words"]):
        findings.append((raw.value_pos["words"], "next_word.words repeats a word; each candidate is listed once"))
    low, high = raw["temperatures"]
    if not low < 1 < high:
        findings.append((raw.value_pos["temperatures"], f"next_word.temperatures must be a low one below 1 and "
                                                        f"a high one above 1, got [{low:g}, {high:g}]"))
    return findings
