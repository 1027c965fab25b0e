"""The shape of script.yaml's top-level `example:` (the running example of chapters 3–5) and its
structural checks. Plain Python, no numpy: loading the script stays light, and the numbers and
claims live in script/example.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from explainer.script.params import Finding, ListOf, Matrix, Number, Record, Spec, Text
from explainer.script.yamlpos import MarkedDict, Pos


class WordTable(Spec):
    """A mapping from words to their vectors (the rows are checked by _embeddings)."""

    def check(self, value: Any, pos: Pos | None, label: str) -> Iterator[Finding]:
        if not isinstance(value, dict) or not value:
            yield pos, f"{label} must map each word to its vector, like `蘋果: [0.6, 0.6]`"

    def describe(self) -> str:
        return "a mapping of words to vectors"


FIELDS = Record(
    {
        "word": Text(),                                   # the word followed from slide to slide
        "sentences": ListOf(ListOf(Text(), min_len=2, max_len=6), min_len=1, max_len=2),
        "embeddings": WordTable(),
        "w_q": Matrix(1, 1),
        "w_k": Matrix(1, 1),
        "w_v": Matrix(1, 1),
        "d_k": Number(minimum=1, maximum=4, integer=True),
    }
)
def check_example(raw: Any, pos: Pos | None) -> list[Finding]:
    """Everything wrong with the `example:` entry, each with where it is and how to fix it."""
    if not isinstance(raw, dict):
        return [(pos, "example must be a mapping with keys " + ", ".join(FIELDS.fields))]
    findings = list(FIELDS.check(raw, pos, "example"))
    if findings:
        return findings
    value_pos = raw.value_pos if isinstance(raw, MarkedDict) else {}
    findings.extend(_embeddings(raw, value_pos.get("embeddings", pos)))
    widths = {len(v) for v in raw["embeddings"].values() if isinstance(v, list)}
    if len(widths) != 1:
        return findings
    d_model = widths.pop()
    d_k = raw["d_k"]
    shapes = {"w_q": d_k, "w_k": d_k, "w_v": d_model}
    for name, cols in shapes.items():
        rows = raw[name]
        if len(rows) != d_model or any(len(row) != cols for row in rows):
            why = " (V is added back to x, so it keeps x's size)" if name == "w_v" else ""
            findings.append((value_pos.get(name, pos),
                             f"example.{name} must be {d_model} rows (one per embedding number) of "
                             f"{cols} numbers{why}"))
    for index, sentence in enumerate(raw["sentences"]):
        if raw["word"] not in sentence:
            findings.append((value_pos.get("sentences", pos),
                             f"example.sentences[{index}] must contain the word '{raw['word']}'"))
    return findings


def _embeddings(raw: dict[str, Any], pos: Pos | None) -> Iterator[Finding]:
    table = raw["embeddings"]
    where = table.value_pos if isinstance(table, MarkedDict) else {}
    widths = set()
    for word, vector in table.items():
        problems = list(ListOf(Number(minimum=-5, maximum=5), min_len=1, max_len=4)
                        .check(vector, where.get(word, pos), f"example.embeddings.{word}"))
        yield from problems
        if not problems:
            widths.add(len(vector))
    if len(widths) > 1:
        yield pos, f"example.embeddings: every word needs the same number of numbers, got {sorted(widths)}"
    for sentence in raw["sentences"]:
        for token in sentence:
            if isinstance(token, str) and token not in table:
                yield pos, f"example.embeddings has no vector for '{token}'; add a line `{token}: [..]`"
