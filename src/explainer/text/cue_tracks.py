"""Subtitle cues in time: each narration segment's cues placed inside the time its voice speaks it,
slides' cues joined into one track, and the track as a WebVTT or SubRip document (text only; the
caller writes the files)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from explainer.text.cues import cue_lines
from explainer.text.linebreak import display_width

MIN_CUE_SECONDS = 1.0   # no cue is shown for less (a flash nobody reads), where the words allow


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str  # one or two lines joined by "\n"


class Spoken(Protocol):
    """A narration segment's words as shown, its step, and when its voice speaks them (a
    SpokenSegment)."""

    @property
    def step(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def start(self) -> float: ...

    @property
    def seconds(self) -> float: ...


def segment_cues(segments: Sequence[Spoken], max_chars: int = 16, max_lines: int = 2,
                 min_seconds: float = MIN_CUE_SECONDS) -> list[Cue]:
    """Each segment's words as cues inside the time its voice speaks them (`start`, `seconds`),
    each cue lasting in proportion to its characters; segment boundaries stay exact.

    No cue lasts under `min_seconds` where the words allow it: a segment's lines are grouped into
    cues (up to `max_lines` each) so that none is that short; a segment too short for any grouping
    keeps its last cue up into the silence after it, up to the next cue; and one still too short
    joins a neighbouring cue of its step when their lines fit in one cue.
    """
    cues: list[Cue] = []
    steps: list[str | None] = []
    ends_segment: list[bool] = []
    for segment in segments:
        lines = cue_lines(segment.text, max_chars)
        if not lines or segment.seconds <= 0:
            continue
        widths = [reading_width(line) for line in lines]
        sizes = group_lines(widths, segment.seconds, max_lines, min_seconds)
        start, end, total = segment.start, segment.start + segment.seconds, sum(widths)
        bounds, index = [start], 0
        for size in sizes[:-1]:
            bounds.append(bounds[-1] + (end - start) * sum(widths[index:index + size]) / total)
            index += size
        bounds.append(end)
        index = 0
        for a, b, size in zip(bounds, bounds[1:], sizes):
            cues.append(Cue(round(a, 3), round(b, 3), "\n".join(lines[index:index + size])))
            index += size
        steps += [getattr(segment, "step", None)] * len(sizes)
        ends_segment += [False] * (len(sizes) - 1) + [True]
    return _lengthen_short(cues, steps, ends_segment, max_lines, min_seconds)


def group_lines(widths: Sequence[float], seconds: float, max_lines: int, min_seconds: float) -> list[int]:
    """How many lines each cue of a segment holds (its lines' widths share `seconds`): the fewest
    cues under `min_seconds`, then the fewest cues, then the fullest cues first."""
    total = sum(widths) or 1.0
    count = len(widths)
    # best[i]: (short cues, cues, sizes negated) for lines i.. : compared as tuples
    best: list[tuple[int, int, list[int]]] = [(0, 0, [])] * (count + 1)
    for first in range(count - 1, -1, -1):
        options = []
        for size in range(1, min(max_lines, count - first) + 1):
            short, cues, rest = best[first + size]
            duration = seconds * sum(widths[first:first + size]) / total
            options.append((short + (duration < min_seconds - 1e-9), cues + 1, [-size, *rest]))
        best[first] = min(options)
    return [-size for size in best[0][2]]


def _lengthen_short(cues: list[Cue], steps: list[str | None], ends_segment: list[bool], max_lines: int,
                    min_seconds: float) -> list[Cue]:
    """Cues under `min_seconds` kept up into the silence after their segment (up to the next
    cue), else joined with a neighbour of the same step whose lines fit beside theirs."""
    index = 0
    while index < len(cues):
        cue = cues[index]
        if cue.end - cue.start >= min_seconds - 1e-9:
            index += 1
            continue
        following = cues[index + 1].start if index + 1 < len(cues) else float("inf")
        if ends_segment[index]:
            cue = cues[index] = replace(cue, end=round(min(cue.start + min_seconds, max(cue.end, following)), 3))
        if cue.end - cue.start >= min_seconds - 1e-9:
            index += 1
            continue
        lines = cue.text.count("\n") + 1
        for other in (index + 1, index - 1):
            if 0 <= other < len(cues) and steps[other] == steps[index] \
                    and lines + cues[other].text.count("\n") + 1 <= max_lines:
                first, second = sorted((index, other))
                cues[first] = Cue(cues[first].start, cues[second].end, cues[first].text + "\n" + cues[second].text)
                ends_segment[first] = ends_segment[second]
                del cues[second], steps[second], ends_segment[second]
                index = first
                break
        else:
            index += 1
    return cues


def reading_width(text: str) -> float:
    """How long a cue takes to read, in full-width units (line breaks don't count)."""
    return max(display_width(text.replace("\n", "")), 0.5)


def shift(cues: list[Cue], offset: float) -> list[Cue]:
    """The cues moved later by `offset` seconds (rounded to milliseconds, as written)."""
    return [
        replace(cue, start=round(cue.start + offset, 3), end=round(cue.end + offset, 3))
        for cue in cues
    ]


def join_tracks(tracks: list[tuple[float, list[Cue]]]) -> list[Cue]:
    """One track from (offset, cues) per slide, in the order given.

    Where a cue would start before the previous one ends (a millisecond of rounding between a
    slide's rounded duration and the next exact offset), the previous cue ends where it starts.
    """
    joined: list[Cue] = []
    for offset, cues in tracks:
        for cue in shift(cues, offset):
            if joined and joined[-1].end > cue.start and joined[-1].start < cue.start:
                joined[-1] = replace(joined[-1], end=cue.start)
            joined.append(cue)
    return joined


def to_vtt(cues: list[Cue]) -> str:
    """A WebVTT document."""
    return "WEBVTT\n\n" + "".join(
        f"{timestamp(cue.start, '.')} --> {timestamp(cue.end, '.')}\n"
        f"{escape_vtt(cue_text(cue))}\n\n"
        for cue in cues
    )


def to_srt(cues: list[Cue]) -> str:
    """A SubRip document, cues numbered from 1."""
    return "".join(
        f"{number}\n{timestamp(cue.start, ',')} --> {timestamp(cue.end, ',')}\n{cue_text(cue)}\n\n"
        for number, cue in enumerate(cues, start=1)
    )


def cue_text(cue: Cue) -> str:
    """The cue's lines without blank ones (a blank line would end the cue in both formats)."""
    return "\n".join(line for line in cue.text.splitlines() if line.strip())


def escape_vtt(text: str) -> str:
    """Text safe in a VTT cue payload (& < > would start entities or tags, and --> a timing)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def timestamp(seconds: float, separator: str) -> str:
    """HH:MM:SS<separator>mmm; hours keep growing past 99."""
    if seconds < 0:
        raise ValueError(f"negative subtitle time {seconds}")
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"
