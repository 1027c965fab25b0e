"""Slide 'temperature-table': 低溫求穩，高溫求變 — the bars as the temperature sweeps, and seeded draws.

Its words, logits and temperatures are the shared prompt's (script.yaml's top-level `next_word:`):
the sweep starts at T = 1 (logits-softmax's 0.66), goes down to the low T, on to T = 0 (greedy),
then up to the high T, the same two temperatures temperature-formula and recap show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from explainer.script.params import SEED, ListOf, Number, Record, Text
from explainer.script.slidespec import SlideSpec

LOW, HIGH = 0, 1           # the table's rows: params.rows[0] is the low regime, rows[1] the high one


def sweep_of(p: Any) -> list[float]:
    """The temperatures the bars sweep through (before the greedy dip): T = 1, the shared low T, the
    shared high T."""
    low, high = (float(t) for t in p.next_word.temperatures)
    return [1.0, low, high]


def sweep_plan(sweep: Sequence[float]) -> list[float]:
    """The temperatures temperature-table visits after the first: the sweep, with a dip to T = 0
    (greedy) right after its lowest value (unless the sweep already reaches 0)."""
    targets = [float(t) for t in sweep[1:]]
    lowest = min(sweep)
    if lowest > 0:
        at = targets.index(lowest) + 1 if lowest in targets else 0
        targets.insert(at, 0.0)
    return targets


def visited_temperatures(sweep: Sequence[float]) -> list[float]:
    """Every temperature the bars stop at, in order: the start, then sweep_plan (with T = 0)."""
    return [float(sweep[0]), *sweep_plan(sweep)]


def temperature_chars(text: str) -> list[int]:
    """Where `text` writes a temperature ("T < 1", "T = 0.2"): the indices of those characters
    (spaces excluded), so a card's heading can wear T's colour there and only there."""
    import re

    return [i for m in re.finditer(r"T\s*[<>=≤≥]\s*[0-9.]*[0-9]", text) for i in range(m.start(), m.end())
            if not text[i].isspace()]


def regime_of(temperature: float) -> int | None:
    """Which table row a temperature belongs to: LOW below 1, HIGH above 1, None at exactly 1."""
    if temperature < 1:
        return LOW
    if temperature > 1:
        return HIGH
    return None


def regime_examples(sweep: Sequence[float]) -> dict[int, float]:
    """The example temperature each card quotes: the sweep's lowest T in (0, 1), its highest above 1."""
    examples: dict[int, float] = {}
    low = [t for t in sweep if 0 < t < 1]
    high = [t for t in sweep if t > 1]
    if low:
        examples[LOW] = float(min(low))
    if high:
        examples[HIGH] = float(max(high))
    return examples


def greedy_index(logits: Sequence[float]) -> int:
    """The word T = 0 always picks: the highest logit (the first of equals)."""
    import numpy as np

    return int(np.argmax(np.asarray(logits, dtype=float)))


def seeded_draws(words: Sequence[str], logits: Sequence[float], temperatures: Sequence[float], seed: int,
                 count: int) -> list[list[str]]:
    """The draws at each temperature: the same seeded dice every time, only the distribution they
    are read from changes."""
    from explainer.maths import sampled_words

    return [sampled_words(words, logits, t, seed, count) for t in temperatures]


def steps(p: Any, bullets: tuple[str, ...]) -> list[str]:
    return ["title", *("greedy" if t == 0 else f"sweep-to-{t:g}" for t in sweep_plan(sweep_of(p))), "bullets"]


def facts(p: Any) -> dict[str, Any]:
    # temps: every temperature the bars show, in order (the start, then sweep_plan);
    # probs_i: the probabilities at temps[i], as the bars print them (two decimals adding to 1.00)
    # draws_i: the seeded draws at temps[i] (as the scene shows them); top_count_i: how many are
    # the most likely word; counts_i: how many of each word, in the order of the words;
    # distinct_i: how many different words were drawn
    from explainer.maths import shown_probabilities

    words, logits = list(p.next_word.words), [float(z) for z in p.next_word.logits]
    temps = visited_temperatures(sweep_of(p))
    found: dict[str, Any] = {"temps": temps}
    top = words[greedy_index(logits)]
    draws = seeded_draws(words, logits, temps, p.seed, p.draws) if "seed" in p and "draws" in p else None
    for i, t in enumerate(temps):
        found[f"probs_{i}"] = [float(v) for v in shown_probabilities(logits, t)]
        if draws is not None:
            found[f"draws_{i}"] = draws[i]
            found[f"top_count_{i}"] = draws[i].count(top)
            found[f"counts_{i}"] = [draws[i].count(word) for word in words]
            found[f"distinct_{i}"] = len(set(draws[i]))
    return found


SPEC = SlideSpec(
    # The words, logits and the low and high T: the top-level `next_word:`.
    params={
        # Draws of the next word at each temperature visited (numpy default_rng(seed)).
        "seed": SEED,
        "draws": Number(minimum=1, maximum=12, integer=True),
        "labels": Record({"draws": Text(), "ghost": Text(), "example": Text()}),
        "headers": Record({"mode": Text(), "effect": Text(), "output": Text(), "use": Text()}),
        "rows": ListOf(
            Record({"regime": Text(), "mode": Text(), "effect": Text(), "output": Text(), "use": Text()}),
            min_len=2,
            max_len=2,
        ),
    },
    steps=steps,
    facts=facts,
    uses_next_word=True,
)
