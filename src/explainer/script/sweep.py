"""The temperatures temperature-table visits, in plain Python: its step names come from them, and
loading the script must not need numpy."""

from __future__ import annotations

from collections.abc import Sequence


def sweep_plan(sweep: Sequence[float]) -> list[float]:
    """The temperatures temperature-table visits after the first: the sweep, with a dip to T = 0
    (greedy) right after its lowest value (unless the sweep already reaches 0)."""
    targets = [float(t) for t in sweep[1:]]
    lowest = min(sweep)
    if lowest > 0:
        at = targets.index(lowest) + 1 if lowest in targets else 0
        targets.insert(at, 0.0)
    return targets
