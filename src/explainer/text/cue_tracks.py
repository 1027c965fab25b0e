"""Subtitle cues in time: each narration segment's cues placed inside the time its voice speaks it,
slides' cues joined into one track, and the track as a WebVTT or SubRip document (text only; the
caller writes the files)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from explainer.text.cues import split_cues
from explainer.text.linebreak import display_width


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str  # one or two lines joined by "\n"


class Spoken(Protocol):
    """A narration segment's words as shown, and when its voice speaks them (a SpokenSegment)."""

    @property
    def text(self) -> str: ...

    @property
    def start(self) -> float: ...

    @property
    def seconds(self) -> float: ...


def segment_cues(segments: Sequence[Spoken], max_chars: int = 16, max_lines: int = 2) -> list[Cue]:
    """One segment's words as cues inside the time its voice speaks them (`start`, `seconds`),
    each cue lasting in proportion to its characters; segment boundaries stay exact."""
    cues: list[Cue] = []
    for segment in segments:
        texts = split_cues(segment.text, max_chars, max_lines)
        if not texts or segment.seconds <= 0:
            continue
        weights = [reading_width(text) for text in texts]
        start, end = segment.start, segment.start + segment.seconds
        bounds = [start]
        for weight in weights[:-1]:
            bounds.append(bounds[-1] + (end - start) * weight / sum(weights))
        bounds.append(end)
        cues.extend(Cue(round(a, 3), round(b, 3), text) for a, b, text in zip(bounds, bounds[1:], texts))
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
