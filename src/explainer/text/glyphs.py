"""Which characters a font can draw (from fontconfig), so missing glyphs are caught before rendering."""

from __future__ import annotations

import bisect
import shutil
import subprocess
from functools import lru_cache


class Charset:
    """A font's coverage as sorted, inclusive code point ranges."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.ranges = sorted(ranges)
        self.starts = [start for start, _ in self.ranges]

    def __contains__(self, char: str) -> bool:
        code = ord(char)
        index = bisect.bisect_right(self.starts, code) - 1
        return index >= 0 and self.ranges[index][0] <= code <= self.ranges[index][1]


@lru_cache(maxsize=8)
def font_charset(family: str) -> Charset | None:
    """The characters of the installed family (its first face), or None if it is not installed.

    fc-list matches the family exactly; fc-match would report a substitute font's coverage.
    """
    if shutil.which("fc-list") is None:
        return None
    result = subprocess.run(["fc-list", f":family={family}", "charset"], capture_output=True, text=True)
    first = result.stdout.strip().splitlines()[0] if result.stdout.strip() else ""
    if result.returncode != 0 or ":charset=" not in first:
        return None
    ranges = []
    for part in first.split(":charset=", 1)[1].split():
        low, _, high = part.partition("-")
        ranges.append((int(low, 16), int(high or low, 16)))
    return Charset(ranges)


def missing_glyphs(text: str, charset: Charset) -> list[str]:
    """Characters of `text` the font cannot draw (whitespace and controls excepted)."""
    seen: list[str] = []
    for char in text:
        if char.isspace() or ord(char) < 0x20 or char in seen:
            continue
        if char not in charset:
            seen.append(char)
    return seen
