"""Slide 'references': every reference (title, core concept, full link), a few entries per page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from explainer.script.params import ListOf, Number, Record, Text
from explainer.script.slidespec import SlideSpec, numbered

T = TypeVar("T")


def paginate(entries: Sequence[T], per_page: int) -> list[list[T]]:
    """Entries in pages of `per_page` (the last page may be shorter)."""
    return [list(entries[i:i + per_page]) for i in range(0, len(entries), per_page)]


def steps(p: Any, bullets: tuple[str, ...]) -> list[str]:
    return ["title", *numbered("page", len(paginate(list(p.entries), p.per_page)))]


SPEC = SlideSpec(
    params={
        "entries": ListOf(Record({"title": Text(), "concept": Text(), "link": Text()}), min_len=1, max_len=30),
        "per_page": Number(minimum=1, maximum=4, integer=True),
    },
    steps=steps,
)
