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


# Parts only some scenes draw (a scene's schema names them in `example_parts`): they enter the
# frame key of those slides only.
PARTS = frozenset({"heads", "w_o"})
HEAD_MATRICES = ("w_q", "w_k", "w_v")
FIELDS = Record(
    {
        "word": Text(),                                   # the word followed from slide to slide
        "sentences": ListOf(ListOf(Text(), min_len=2, max_len=6), min_len=1, max_len=2),
        "embeddings": WordTable(),
        "w_q": Matrix(1, 1),
        "w_k": Matrix(1, 1),
        "w_v": Matrix(1, 1),
        "d_k": Number(minimum=1, maximum=4, integer=True),
        # Multi-head attention over the first sentence: a head without matrices is the example's own.
        "heads": ListOf(
            Record({"name": Text(), "focus": Text(), "pattern": Text(),
                    "w_q": Matrix(1, 1), "w_k": Matrix(1, 1), "w_v": Matrix(1, 1)},
                   optional=frozenset(HEAD_MATRICES)),
            min_len=2, max_len=3,
        ),
        "w_o": Matrix(2, 1),          # the heads' outputs side by side → one vector
    },
    optional=PARTS,
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
    if "heads" in raw:
        findings.extend((value_pos.get(name, pos), message) for name, message in _heads(raw, d_model))
    return findings


def _heads(raw: dict[str, Any], d_model: int) -> Iterator[tuple[str, str]]:
    """What is wrong with the heads and W_O: all three matrices or none (the example's own), each
    fitting the embeddings, and W_O taking every head's output."""
    heads = raw["heads"]
    for index, head in enumerate(heads):
        given = [name for name in HEAD_MATRICES if name in head]
        if given and len(given) != len(HEAD_MATRICES):
            yield "heads", (f"example.heads[{index}] needs all of w_q, w_k and w_v, or none of them "
                            "(then it is the example's own attention)")
            return
        if not given:
            continue
        columns = {name: {len(row) for row in head[name]} for name in HEAD_MATRICES}
        if any(len(head[name]) != d_model for name in HEAD_MATRICES) or len(columns["w_q"] | columns["w_k"]) != 1 \
                or columns["w_v"] != {d_model}:
            yield "heads", (f"example.heads[{index}] ({head['name']}): w_q, w_k and w_v need {d_model} rows each "
                            f"(one per embedding number), w_q and w_k the same number of columns, and w_v "
                            f"{d_model} columns (its output has a word vector's size)")
    if "w_o" not in raw:
        yield "heads", "example.heads needs a `w_o:` beside it: the matrix that joins the heads' outputs"
        return
    w_o = raw["w_o"]
    if any(len(row) != d_model for row in w_o) or len(w_o) != d_model * len(heads):
        yield "w_o", (f"example.w_o must be {d_model * len(heads)} rows (each of the {len(heads)} heads hands it "
                      f"{d_model} numbers) of {d_model} numbers")


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
