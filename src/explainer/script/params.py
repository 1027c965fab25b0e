"""Type checks for a slide's params (text, numbers, lists, records) and the rules that relate
them, run on load without importing numpy or Manim."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from explainer.script.yamlpos import MarkedDict, MarkedList, Pos

# A finding: where it is (None: the enclosing value's position) and what is wrong.
Finding = tuple[Pos | None, str]


class Spec:
    """A type check for one parameter value."""

    def check(self, value: Any, pos: Pos | None, label: str) -> Iterator[Finding]:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Spec):
    """A non-empty string."""

    allow_empty: bool = False

    def check(self, value: Any, pos: Pos | None, label: str) -> Iterator[Finding]:
        if not isinstance(value, str):
            yield pos, f"{label} must be text, got {_shown(value)}"
        elif not value.strip() and not self.allow_empty:
            yield pos, f"{label} must not be empty"

    def describe(self) -> str:
        return "text"


@dataclass(frozen=True)
class Number(Spec):
    """A finite number, optionally an integer, within [minimum, maximum]."""

    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False

    def check(self, value: Any, pos: Pos | None, label: str) -> Iterator[Finding]:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            yield pos, f"{label} must be {self.describe()}, got {_shown(value)}"
            return
        if self.integer and not isinstance(value, int):
            yield pos, f"{label} must be a whole number, got {value}"
        elif not math.isfinite(value):
            yield pos, f"{label} must be a finite number, got {value}"
        elif self.minimum is not None and value < self.minimum:
            yield pos, f"{label} must be >= {self.minimum:g}, got {value:g}"
        elif self.maximum is not None and value > self.maximum:
            yield pos, f"{label} must be <= {self.maximum:g}, got {value:g}"

    def describe(self) -> str:
        return "a whole number" if self.integer else "a number"


@dataclass(frozen=True)
class Flag(Spec):
    """true or false."""

    def check(self, value: Any, pos: Pos | None, label: str) -> Iterator[Finding]:
        if not isinstance(value, bool):
            yield pos, f"{label} must be true or false, got {_shown(value)}"

    def describe(self) -> str:
        return "true or false"


@dataclass(frozen=True)
class ListOf(Spec):
    """A list whose items all match `item`, with a length range."""

    item: Spec
    min_len: int = 1
    max_len: int | None = None

    def check(self, value: Any, pos: Pos | None, label: str) -> Iterator[Finding]:
        if not isinstance(value, list):
            yield pos, f"{label} must be a list of {self.item.describe()}, got {_shown(value)}"
            return
        if len(value) < self.min_len:
            yield pos, f"{label} needs at least {self.min_len} items, got {len(value)}"
        if self.max_len is not None and len(value) > self.max_len:
            yield pos, f"{label} takes at most {self.max_len} items, got {len(value)}"
        item_pos = value.item_pos if isinstance(value, MarkedList) else [pos] * len(value)
        for index, (item, where) in enumerate(zip(value, item_pos)):
            yield from self.item.check(item, where, f"{label}[{index}]")

    def describe(self) -> str:
        return f"lists of {self.item.describe()}"


@dataclass(frozen=True)
class Record(Spec):
    """A mapping with known keys; `optional` keys may be left out. Unknown keys are errors."""

    fields: dict[str, Spec]
    optional: frozenset[str] = frozenset()

    def check(self, value: Any, pos: Pos | None, label: str) -> Iterator[Finding]:
        if not isinstance(value, dict):
            yield pos, f"{label} must be a mapping with keys {', '.join(self.fields)}, got {_shown(value)}"
            return
        key_pos = value.key_pos if isinstance(value, MarkedDict) else {}
        value_pos = value.value_pos if isinstance(value, MarkedDict) else {}
        for key in value:
            if key not in self.fields:
                hint = _closest(str(key), self.fields)
                yield key_pos.get(key, pos), (
                    f"{label} has unknown key '{key}'"
                    + (f"; did you mean '{hint}'?" if hint else f"; allowed: {', '.join(self.fields)}")
                )
        for name, spec in self.fields.items():
            prefix = f"{label}.{name}" if label else name
            if name in value:
                yield from spec.check(value[name], value_pos.get(name, pos), prefix)
            elif name not in self.optional:
                yield pos, f"{label or 'params'} is missing '{name}' ({spec.describe()})"

    def describe(self) -> str:
        return "mappings"


def Matrix(min_rows: int = 1, min_cols: int = 1) -> Spec:
    """A list of rows of numbers (row lengths are checked by `rectangular`)."""
    return ListOf(ListOf(Number(), min_len=min_cols), min_len=min_rows)


# A rule sees the whole params mapping and reports cross-field problems by field name.
Rule = Callable[[dict[str, Any]], Iterator[tuple[str, str]]]


def same_length(*names: str) -> Rule:
    """All the named lists have one length (e.g. one logit per word)."""

    def rule(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
        lengths = {name: len(params[name]) for name in names if name in params}
        if len(set(lengths.values())) > 1:
            shown = ", ".join(f"{name} has {n}" for name, n in lengths.items())
            yield names[-1], f"params {' and '.join(names)} must have the same length ({shown})"

    return rule


def rectangular(name: str, cols_like: str | None = None) -> Rule:
    """Every row of matrix `name` has the same length (and, optionally, that of `cols_like`'s rows)."""

    def rule(params: dict[str, Any]) -> Iterator[tuple[str, str]]:
        rows = params.get(name) or []
        widths = {len(row) for row in rows}
        if len(widths) > 1:
            yield name, f"params.{name}: every row needs the same number of columns, got {sorted(widths)}"
        if cols_like and params.get(cols_like) and widths:
            other = {len(row) for row in params[cols_like]}
            if widths != other:
                yield name, f"params.{name} rows must be as long as params.{cols_like} rows"

    return rule


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return repr(value)


def _closest(word: str, options: dict[str, Any]) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return match[0] if match else None


# Shapes several slides' params share.
WORDS = ListOf(Text(), min_len=2, max_len=8)                          # candidate next words
LOGITS = ListOf(Number(minimum=-50, maximum=50), min_len=2, max_len=8)  # one per word
TEMPERATURE = Number(minimum=0, maximum=10)
SEED = Number(minimum=0, integer=True)                                # numpy default_rng(seed)
